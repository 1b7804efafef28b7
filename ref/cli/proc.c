/* SPDX-License-Identifier: GPL-2.0-only */
/* Process hygiene of the pvboot command: what stays valid, what a signal removes, how long a run
 * may take. The only mutable statics of the command: a signal handler has nowhere else to look. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/proc.h"

#define PATH_CAP 4096   /* pvb_mkstemp's and pvb_depriv's buffers */

static const int fatal[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM, SIGXCPU };
#define NFATAL (sizeof(fatal) / sizeof(fatal[0]))

/*
 * What the handler removes. Written only while the fatal signals are blocked
 * (pvb_proc_hold), so the handler never sees a half-copied path; volatile
 * because the handler reads them behind the compiler's back.
 */
static char paths[PVB_PROC_NSLOTS][PATH_CAP];
static volatile sig_atomic_t tracked[PVB_PROC_NSLOTS];
static volatile pid_t child;
static int caught[NFATAL];   /* 0: ignored on entry, left so */
static unsigned alarm_seconds;
/* The backstop's messages, formatted when it is armed: snprintf is not
 * async-signal-safe, write is. */
static char wall_msg[200], cpu_msg[200];
static size_t wall_len, cpu_len;

/*
 * Unlink and _exit, not a flag: the library may be deep in a long loop (a
 * 1 GiB copy, a hostile directory) that checks no flag of ours, and the
 * point of SIGTERM is that the run ends now. Everything here is
 * async-signal-safe (kill, unlink, rmdir, write, _exit). The files go first
 * and the message last: stderr may be a full pipe, and a write that blocks
 * must find nothing left to clean.
 */
static void on_fatal(int sig)
{
    int deadline = sig == SIGALRM || sig == SIGXCPU;
    ssize_t w;

    if (child > 0)   /* never kill(0): that is the whole process group */
        kill(child, deadline ? SIGKILL : sig);
    if (tracked[PVB_PROC_KERNEL])
        unlink(paths[PVB_PROC_KERNEL]);
    if (tracked[PVB_PROC_RAMDISK])
        unlink(paths[PVB_PROC_RAMDISK]);
    if (tracked[PVB_PROC_DIR])
        rmdir(paths[PVB_PROC_DIR]);
    if (!deadline)
        _exit(128 + sig);
    if (sig == SIGALRM)
        w = write(STDERR_FILENO, wall_msg, wall_len);
    else
        w = write(STDERR_FILENO, cpu_msg, cpu_len);
    (void)w;   /* nothing more can be done about a lost message */
    _exit(1);
}

static void fatal_set(sigset_t *s)
{
    size_t i;

    sigemptyset(s);
    for (i = 0; i < NFATAL; i++)
        sigaddset(s, fatal[i]);
}

int pvb_proc_init(void)
{
    struct sigaction sa, old;
    size_t i;
    int fd;

    for (fd = 0; fd <= 2; fd++) {
        int n;
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* open() takes the lowest free number, and 0..fd-1 are valid by now. */
        n = open("/dev/null", O_RDONLY);
        if (n < 0)
            return -1;
        if (n != fd) {
            close(n);
            errno = EBADF;
            return -1;
        }
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGXFSZ, &sa, NULL) != 0 || sigaction(SIGPIPE, &sa, NULL) != 0)
        return -1;
    /* An ignored SIGCHLD is inherited through exec and would make the --runas child
     * vanish unwaited (ECHILD), its status lost. */
    sa.sa_handler = SIG_DFL;
    if (sigaction(SIGCHLD, &sa, NULL) != 0)
        return -1;
    sa.sa_handler = on_fatal;
    fatal_set(&sa.sa_mask);   /* one handler at a time: the first to run ends the process */
    for (i = 0; i < NFATAL; i++) {
        int mine = fatal[i] == SIGALRM || fatal[i] == SIGXCPU;
        /* A signal ignored on entry stays ignored (nohup; sh's background jobs ignore
         * SIGINT), as shells and Python do. SIGALRM and SIGXCPU are pvboot's own. */
        if (sigaction(fatal[i], NULL, &old) != 0)
            return -1;
        if (!mine && old.sa_handler == SIG_IGN)
            continue;
        if (sigaction(fatal[i], &sa, NULL) != 0)
            return -1;
        caught[i] = 1;
    }
    return 0;
}

unsigned pvb_proc_env_seconds(const char *name, unsigned def)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n;

    if (!v || *v < '0' || *v > '9')
        return def;
    errno = 0;
    n = strtoul(v, &end, 10);
    return *end || errno || n == 0 || n > 1ul << 20 ? def : (unsigned)n;
}

int pvb_proc_deadline(unsigned seconds)
{
    struct rlimit rl;
    rlim_t soft, hard;

    if (seconds == 0)
        return 0;
    soft = (rlim_t)seconds + PVB_PROC_GRACE;
    hard = soft + PVB_PROC_GRACE;   /* SIGKILL, should SIGXCPU not end it */
    if (getrlimit(RLIMIT_CPU, &rl) != 0)
        return -1;
    /* A stricter limit the caller set stays. */
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < hard)
        hard = rl.rlim_max;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < soft)
        soft = rl.rlim_cur;
    if (soft > hard)
        soft = hard;
    rl.rlim_cur = soft;
    rl.rlim_max = hard;
    if (setrlimit(RLIMIT_CPU, &rl) != 0)
        return -1;
    snprintf(wall_msg, sizeof(wall_msg), "pvboot: budget: the run took more than %u s of "
             "wall-clock time (the deadline is %u s, PVBOOT_MAX_SECONDS)\n",
             seconds + PVB_PROC_GRACE, seconds);
    snprintf(cpu_msg, sizeof(cpu_msg), "pvboot: budget: the run took more than %lu s of "
             "CPU time (the deadline is %u s, PVBOOT_MAX_SECONDS)\n", (unsigned long)soft, seconds);
    wall_len = strlen(wall_msg);
    cpu_len = strlen(cpu_msg);
    alarm_seconds = seconds + PVB_PROC_GRACE;
    alarm(alarm_seconds);
    return 0;
}

void pvb_proc_pause_alarm(void)
{
    alarm(0);
}

void pvb_proc_resume_alarm(void)
{
    if (alarm_seconds)
        alarm(alarm_seconds);
}

void pvb_proc_hold(void)
{
    sigset_t s;

    fatal_set(&s);
    sigprocmask(SIG_BLOCK, &s, NULL);
}

void pvb_proc_release(void)
{
    sigset_t s;

    fatal_set(&s);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int pvb_proc_track(enum pvb_proc_slot slot, const char *path)
{
    size_t n;

    tracked[slot] = 0;
    if (!path)
        return 0;
    n = strlen(path);
    if (n >= PATH_CAP)
        return -1;
    memcpy(paths[slot], path, n + 1);
    tracked[slot] = 1;
    return 0;
}

void pvb_proc_track_child(pid_t pid)
{
    child = pid;
}

void pvb_proc_forget_in_child(void)
{
    struct sigaction sa;
    size_t i;

    for (i = 0; i < PVB_PROC_NSLOTS; i++)
        tracked[i] = 0;
    child = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < NFATAL; i++)
        if (caught[i] && fatal[i] != SIGALRM && fatal[i] != SIGXCPU)
            sigaction(fatal[i], &sa, NULL);
    pvb_proc_release();
}
