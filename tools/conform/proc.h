/* Running one program under limits: its own process group, capped capture, exit status and peak memory. */
#ifndef PVB_CONFORM_PROC_H
#define PVB_CONFORM_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/types.h>

#include "util/ctx.h"

struct cf_limits {
    double timeout;          /* wall seconds (also sets RLIMIT_CPU); <= 0: none */
    unsigned long mem_mb;    /* RLIMIT_AS; 0: none */
    unsigned long fsize_mb;  /* RLIMIT_FSIZE; 0: none */
    size_t capture;          /* bytes of stdout and of stderr kept, each */
    uint64_t flood;          /* stdout + stderr bytes past which it is killed; 0: none */
};

/* What the reaper reports once the program has exited. */
struct cf_exit {
    int wstatus;             /* as from waitpid */
    int setup_errno;         /* exec (or setup before it) failed with this, else 0 */
    long maxrss_kb;          /* peak RSS of the program and the children it waited for */
    long cpu_ms;             /* user + system time */
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
    pid_t pid;               /* the reaper, leader of the process group */
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
};

/* Seconds on the monotonic clock. */
double cf_now(void);

/*
 * Start argv with env (NAME=VALUE, NULL-terminated, may be NULL) added to the
 * environment, in directory dir, stdin from /dev/null. A reaper process leads
 * a new process group, forks the program with RLIMIT_AS, RLIMIT_FSIZE,
 * RLIMIT_CPU and no core dumps, waits for it and reports its status and
 * rusage through a pipe (POSIX has no other way to get one child's peak
 * memory). The whole group is killed when the program exits, so nothing it
 * left behind keeps running.
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

/* Kill the group: the runner has seen what it waited for (a real boot's
 * console said enough). cf_proc_step then reaps it as usual. */
void cf_proc_kill(struct cf_proc *p);

/* Kill the group and reap now (on interrupt). */
void cf_proc_abort(struct cf_proc *p);

/* Run to the end (for version commands and conversions). */
int cf_proc_run(struct pvb_ctx *c, struct cf_proc *p, char *const argv[], char *const env[],
                const char *dir, const struct cf_limits *lim);

void cf_proc_free(struct pvb_ctx *c, struct cf_proc *p);

#endif
