/* SPDX-License-Identifier: GPL-2.0-only */
/* Running one program under limits: its own session (and cgroup, PID namespace, user), capped capture, exit status and peak memory. */
#ifndef PVB_CONFORM_PROC_H
#define PVB_CONFORM_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/types.h>

#include "contain.h"
#include "util/ctx.h"

struct cf_limits {
    double timeout;          /* wall seconds (also sets RLIMIT_CPU); <= 0: none */
    unsigned long mem_mb;    /* RLIMIT_AS; 0: none */
    unsigned long fsize_mb;  /* RLIMIT_FSIZE; 0: none */
    size_t capture;          /* bytes of stdout and of stderr kept, each */
    uint64_t flood;          /* stdout + stderr bytes past which it is killed; 0: none */
    struct cf_contain *box;  /* the cgroup and PID namespace it gets (box->have); NULL: the session only */
    unsigned long nproc;     /* RLIMIT_NPROC (processes of its real uid, all runs together); 0: none */
    int run_as;              /* run as uid and gid (only gid as group) instead of the runner's */
    uid_t uid;
    gid_t gid;
    const char *readable;    /* NULL, or a file the program must be able to read (its image) */
};

/* Where a run failed before its program ran (cf_exit.setup_stage). */
#define CF_SETUP_EXEC 1      /* exec itself: the program cannot be run here */
#define CF_SETUP_RUNNER 2    /* the runner's preparation (session, cgroup, namespace, user,
                              * limits, fork): a fault of the runner, not of the program */

/* What the reaper reports once the program has exited. */
struct cf_exit {
    int wstatus;             /* as from waitpid */
    int setup_errno;         /* exec (or setup before it) failed with this, else 0 */
    int setup_stage;         /* ... at this CF_SETUP_* stage */
    char setup_what[32];     /* ... in this step ("setuid", "cgroup.procs") */
    long maxrss_kb;          /* peak RSS of the program and the children it waited for */
    long cpu_ms;             /* user + system time */
    int left;                /* the program left processes running when it exited: 1, 0, or
                              * -1 unknown (told by a PID namespace's init, else by the cgroup) */
    double wall;             /* seconds from fork to reap, timed by the reaper (pvbench) */
    double user, sys;        /* the program's user and system seconds */
};

#define CF_TAIL 2048

struct cf_capture {
    int fd;                  /* -1 once at end of file */
    char *buf;               /* the first `capture` bytes, NUL-terminated */
    size_t len;
    uint64_t total;          /* everything read, kept or not */
    char tail[CF_TAIL + 1];  /* the last bytes read (a traceback ends there), NUL-terminated */
    size_t tlen;
};

struct cf_proc {
    pid_t pid;               /* the reaper, leader of the session and its process group */
    struct cf_capture out, err;
    int fd_status;
    unsigned char st_buf[sizeof(struct cf_exit)];
    size_t st_len;
    double start, deadline, drain_until;
    int killed;              /* SIGKILL sent to the group */
    int timed_out;           /* ... because of the wall-clock limit */
    int flooded;             /* ... because of the output limit */
    int finished;            /* the fields below are final */
    int zombie;              /* finished, but the reaper is not reaped yet: cf_proc_reap */
    int have_exit;           /* 0: the reaper died before reporting (killed) */
    struct cf_exit ex;
    double wall;             /* seconds from start to the end of its output */
    size_t capture_cap;
    uint64_t flood;
    struct cf_contain *box;  /* lim->box when it has cgroups */
    int cg_fd;               /* the run's cgroup, -1 when none (or removed) */
    char cg_name[24];
    double settle_until;     /* how long the killed cgroup may take to empty */
    int cg_stuck;            /* it did not empty in time: left for cf_contain_end */
};

/* "SIGSEGV" and the like for the signals a program under test dies of; "signal" for others. */
const char *cf_signame(int sig);

/* Seconds on the monotonic clock. */
double cf_now(void);

/*
 * Start argv with env (NAME=VALUE, NULL-terminated, may be NULL) added to the
 * environment, in directory dir, stdin from /dev/null. A reaper process leads
 * a new session (so a new process group), joins the run's cgroup and starts
 * a PID namespace when lim->box has them, forks the program with RLIMIT_AS,
 * RLIMIT_FSIZE, RLIMIT_CPU, RLIMIT_NPROC, no core dumps and the user of lim,
 * waits for it and reports its status and rusage through a pipe (POSIX has
 * no other way to get one child's peak memory). In a PID namespace the
 * reaper's child does that as the namespace's init. When the program exits,
 * the group, the cgroup and the namespace are killed, so nothing it left
 * behind keeps running; the run finishes once its cgroup is empty.
 */
int cf_proc_start(struct pvb_ctx *c, struct cf_proc *p, char *const argv[], char *const env[],
                  const char *dir, const struct cf_limits *lim);

/* Add the proc's open descriptors to set; raise *maxfd. */
void cf_proc_fdset(const struct cf_proc *p, fd_set *set, int *maxfd);

/* Seconds from now until the proc needs a look without I/O; < 0: never. */
double cf_proc_wake(const struct cf_proc *p, double now);

/* Read what select found ready, enforce the limits, reap when done.
 * Returns 1 once the proc is finished. */
int cf_proc_step(struct cf_proc *p, const fd_set *ready, double now);

/* Reap a finished proc's reaper if it is gone (block: wait for it). The
 * runner does not wait for it on the way to the next run: it was killed. */
int cf_proc_reap(pid_t pid, int block);

/* Kill the run (group, cgroup): the runner has seen what it waited for (a real boot's
 * console said enough). cf_proc_step then reaps it as usual. */
void cf_proc_kill(struct cf_proc *p);

/* Kill the run and reap the reaper now (on interrupt); a cgroup still emptying is left to cf_contain_end. */
void cf_proc_abort(struct cf_proc *p);

/* Run to the end (for version commands and conversions). */
int cf_proc_run(struct pvb_ctx *c, struct cf_proc *p, char *const argv[], char *const env[],
                const char *dir, const struct cf_limits *lim);

void cf_proc_free(struct pvb_ctx *c, struct cf_proc *p);

#endif
