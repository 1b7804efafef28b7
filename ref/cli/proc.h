/* SPDX-License-Identifier: GPL-2.0-only */
/* Process hygiene of the pvboot command: standard descriptors, signals, the run's time bound. */
#ifndef PVB_CLI_PROC_H
#define PVB_CLI_PROC_H

#include <sys/types.h>

/*
 * First thing in main, before anything opens a file: make descriptors 0-2
 * valid, ignore SIGXFSZ and SIGPIPE, restore SIGCHLD's default (to wait for
 * the --runas child), and catch SIGTERM, SIGINT, SIGHUP (each
 * unless it was ignored when pvboot started: nohup, a background job),
 * SIGALRM and SIGXCPU to remove the partial outputs.
 *
 * A closed descriptor is opened read-only on /dev/null, as glibc does for
 * setuid programs: no output file or image can then take its number and
 * receive the record or the messages, and a write to a closed stdout fails
 * (EBADF) instead of vanishing, so the record that cannot be delivered is a
 * failure. A file-size limit or a closed pipe is then a write error, EFBIG
 * or EPIPE, as under Python and so pygrub, not a death that leaves partial
 * files. -1 with errno set when /dev/null cannot be opened or a disposition
 * cannot be set.
 */
int pvb_proc_init(void);

/*
 * $name as a number of seconds, 1 to 2^20; default when unset, empty, zero,
 * not a decimal number or larger (as depriv.c reads pygrub's
 * PYGRUB_MAX_FILE_SIZE_MB).
 */
unsigned pvb_proc_env_seconds(const char *name, unsigned def);

/*
 * The backstop behind the library's own deadline (lim.max_seconds, checked
 * while it works): a wall-clock alarm and RLIMIT_CPU (soft; the hard limit a
 * few seconds later kills) at seconds + PVB_PROC_GRACE. Either ends the run
 * with the outputs removed, the --runas child killed, a message and exit 1.
 * The CPU limit is inherited by the --runas child, whose CPU time starts at
 * zero, so it bounds the child as well. 0 seconds: no backstop. 0, or -1
 * with errno set.
 */
#define PVB_PROC_GRACE 5u
int pvb_proc_deadline(unsigned seconds);

/* The wall-clock alarm off (while a human reads the menu) and on again, for
 * the seconds given to pvb_proc_deadline. */
void pvb_proc_pause_alarm(void);
void pvb_proc_resume_alarm(void);

/*
 * What a fatal signal removes and kills. Register and forget only between
 * pvb_proc_hold() and pvb_proc_release(), which block the handled signals, so
 * that creating a file and registering it is one step for the handler: a
 * signal comes before both or after both.
 */
enum pvb_proc_slot { PVB_PROC_KERNEL, PVB_PROC_RAMDISK, PVB_PROC_DIR, PVB_PROC_NSLOTS };
void pvb_proc_hold(void);
void pvb_proc_release(void);
/* path NULL forgets the slot. -1 when the path does not fit (it is then not
 * registered, and the caller must not create it). */
int pvb_proc_track(enum pvb_proc_slot slot, const char *path);
/* The --runas child to signal; 0 forgets it. */
void pvb_proc_track_child(pid_t pid);
/* In a new child: forget the parent's files and child, and let SIGTERM,
 * SIGINT and SIGHUP kill it (its parent removes the files). Then release. */
void pvb_proc_forget_in_child(void);

#endif
