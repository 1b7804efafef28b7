/* SPDX-License-Identifier: GPL-2.0-only */
/* Containing the programs the runners start: a cgroup v2 and a PID namespace each where the machine allows, another user, RLIMIT_NPROC. */
#ifndef PVB_CONFORM_CONTAIN_H
#define PVB_CONFORM_CONTAIN_H

#include <stddef.h>
#include <sys/types.h>

#include "util/ctx.h"

/*
 * Every program runs in a process session of its own (tools/conform/proc.h);
 * a program that leaves it (setsid, a double fork into a new session) is
 * beyond a kill of the session's group. These mechanisms close that hole
 * where the machine allows them; pvconform and pvbench probe once per run
 * and report what was in effect.
 */
#define CF_CONTAIN_CGROUP 0x1u  /* a cgroup v2 per run, under the runner's own: killed whole */
#define CF_CONTAIN_PIDNS  0x2u  /* a PID namespace per run: everything in it dies with its init */
#define CF_CONTAIN_ALL    (CF_CONTAIN_CGROUP | CF_CONTAIN_PIDNS)
/* The default: a cgroup, else a PID namespace. Either one leaves nothing
 * running; a namespace costs a process more and its teardown, some 3 ms of
 * CPU per run on a busy 2-core machine, against tens of microseconds. */
#define CF_CONTAIN_AUTO   0x4u

#define CF_CONTAIN_WHY 512

/* What one runner's programs run in; owned by the runner's main. */
struct cf_contain {
    unsigned want;            /* mechanisms asked for */
    unsigned have;            /* ... and in effect after the probe */
    int box_fd;               /* the box: a cgroup made for this runner under its own; -1 when none */
    char *box;                /* its path */
    int kill_file;            /* cgroup.kill exists (Linux >= 5.14); else cgroup.procs is walked */
    int root;                 /* the runner is root: RLIMIT_NPROC binds no program run as root */
    unsigned long made;       /* run cgroups made so far: the next one's name */
    char why[CF_CONTAIN_WHY]; /* what was asked for and is not in effect, and why; "" when all is */
};

/*
 * Find out what of want this machine allows: the runner's cgroup v2 (from
 * /proc/self/cgroup and /proc/self/mountinfo), a box named PREFIX.PID made
 * in it and a process moved into a trial cgroup inside; a PID namespace
 * made by a trial child (CF_CONTAIN_AUTO: the namespace only without the
 * cgroup). Lack of a mechanism is no error: box->why says what is missing.
 * Returns 0, or PVB_ENOMEM.
 */
int cf_contain_probe(struct pvb_ctx *c, struct cf_contain *box, unsigned want, const char *prefix);

/* Kill what is left in the box's cgroups, wait (a few seconds at most) for
 * them to empty, remove them and the box. Returns 0, or PVB_EIO naming a
 * cgroup whose processes would not die (it is left behind). */
int cf_contain_end(struct pvb_ctx *c, struct cf_contain *box);

/* "own session; a cgroup v2 of its own under PATH (killed by cgroup.kill);
 * PID namespace", for reports: PATH is the runner's cgroup, not the box. */
void cf_contain_describe(const struct cf_contain *box, char *buf, size_t n);

/* ---- one run's cgroup (tools/conform/proc.c) ---- */

/* Make the next run cgroup in the box: its name into name and an open
 * directory descriptor (close-on-exec) into *fd. Returns 0 or PVB_EIO. */
int cf_contain_cg_make(struct pvb_ctx *c, struct cf_contain *box, char name[24], int *fd);

/* In the reaper, before it forks the program: move the calling process into
 * the cgroup. Returns 0 or an errno value. Async-signal-safe. */
int cf_contain_cg_join(int cg_fd);

/* How many processes the cgroup holds besides except; -1 when it cannot be read. */
int cf_contain_cg_others(int cg_fd, pid_t except);

/* SIGKILL everything in the cgroup (cgroup.kill, else each pid of cgroup.procs). */
void cf_contain_cg_kill(const struct cf_contain *box, int cg_fd);

/* Remove the run cgroup: 0 when gone, 1 while processes are still dying in it. */
int cf_contain_cg_remove(const struct cf_contain *box, const char *name);

/* ---- in the reaper (async-signal-safe: called between fork and exec) ---- */

/* Children forked from now on start a PID namespace. Returns 0 or an errno value. */
int cf_contain_unshare_pid(void);

/* Become uid and gid, with gid the only group. Returns 0 or an errno value;
 * *what names the step that failed. */
int cf_contain_become(uid_t uid, gid_t gid, const char **what);

/* ---- users ---- */

/* NAME or UID (from the password database; a UID it lacks gets the GID of
 * the same number) into *uid, *gid and a "NAME (UID)" label (accounted). */
int cf_contain_user(struct pvb_ctx *c, const char *spec, uid_t *uid, gid_t *gid, char **label);

#endif
