/* SPDX-License-Identifier: GPL-2.0-only */
/* Running one program under limits: its own session (and cgroup, PID namespace, user), capped capture, exit status and peak memory. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "util/mem.h"

/* After the program exits, how long output may still trickle in from the pipes. */
#define DRAIN_SECONDS 0.5
/* ... and how long its killed cgroup may take to empty (processes in
 * uninterruptible sleep die when their I/O ends), polled this often. */
#define SETTLE_SECONDS 2.0
#define SETTLE_POLL 0.002

const char *cf_signame(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    case SIGPIPE: return "SIGPIPE";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    default: return "signal";
    }
}

double cf_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int set_flags(int fd, int fdflags, int flflags)
{
    int f = fcntl(fd, F_GETFD);
    int g = fcntl(fd, F_GETFL);

    if (f < 0 || g < 0 || fcntl(fd, F_SETFD, f | fdflags) < 0 || fcntl(fd, F_SETFL, g | flflags) < 0)
        return -1;
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static int limit(int res, unsigned long long v)
{
    struct rlimit rl;

    rl.rlim_cur = rl.rlim_max = (rlim_t)v;
    if ((unsigned long long)rl.rlim_cur != v || rl.rlim_cur == RLIM_INFINITY)
        rl.rlim_cur = rl.rlim_max = RLIM_INFINITY - 1;
    return setrlimit(res, &rl);
}

/* A failed step before exec, as the program's process tells the reaper. */
struct setup_fail {
    int err, stage;
    char what[32];
};

static int failed(struct setup_fail *f, int stage, const char *what)
{
    size_t n = strlen(what);

    f->err = errno ? errno : EINVAL;
    f->stage = stage;
    if (n >= sizeof(f->what))
        n = sizeof(f->what) - 1;
    memcpy(f->what, what, n);
    f->what[n] = '\0';
    return -1;
}

/* In the program's process, before exec: limits, descriptors, signals, user,
 * directory, environment. Every failure here is the runner's. */
static int setup_child(int out_w, int err_w, char *const env[], const char *dir,
                       const struct cf_limits *lim, struct setup_fail *f)
{
    const char *what = "";
    sigset_t none;
    int fd, e;

    errno = 0;
    if (limit(RLIMIT_CORE, 0) != 0)
        return failed(f, CF_SETUP_RUNNER, "RLIMIT_CORE");
    if (lim->mem_mb && limit(RLIMIT_AS, (unsigned long long)lim->mem_mb << 20) != 0)
        return failed(f, CF_SETUP_RUNNER, "RLIMIT_AS");
    if (lim->fsize_mb && limit(RLIMIT_FSIZE, (unsigned long long)lim->fsize_mb << 20) != 0)
        return failed(f, CF_SETUP_RUNNER, "RLIMIT_FSIZE");
    /* Counted per real uid, and not at all for root (the kernel exempts uid
     * 0 and CAP_SYS_RESOURCE): the scheduler sets it only for a user of the
     * program's own. The check moves to execve after setuid (Linux >= 3.1). */
    if (lim->nproc && limit(RLIMIT_NPROC, lim->nproc) != 0)
        return failed(f, CF_SETUP_RUNNER, "RLIMIT_NPROC");
    /* SIGXCPU a second after the wall-clock limit, SIGKILL one later: a
     * CPU-bound loop dies even if the runner itself is stopped. */
    if (lim->timeout > 0) {
        struct rlimit rl;
        rl.rlim_cur = (rlim_t)lim->timeout + 1;
        rl.rlim_max = rl.rlim_cur + 1;
        if (setrlimit(RLIMIT_CPU, &rl) != 0)
            return failed(f, CF_SETUP_RUNNER, "RLIMIT_CPU");
    }
    if ((fd = open("/dev/null", O_RDONLY)) < 0 || dup2(fd, 0) < 0 || dup2(out_w, 1) < 0 ||
        dup2(err_w, 2) < 0)
        return failed(f, CF_SETUP_RUNNER, "stdio");
    if (fd > 2)
        close(fd);
    /* The runner ignores SIGPIPE and blocks its stop signals; the program
     * starts as a shell would start it. */
    signal(SIGPIPE, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (lim->run_as && (e = cf_contain_become(lim->uid, lim->gid, &what)) != 0) {
        errno = e;
        return failed(f, CF_SETUP_RUNNER, what);
    }
    /* As the program's user: a directory or image it cannot reach is the
     * runner's doing, not a failure of the program. */
    if (dir && chdir(dir) != 0)
        return failed(f, CF_SETUP_RUNNER, "chdir to its directory");
    if (lim->readable && access(lim->readable, R_OK) != 0)
        return failed(f, CF_SETUP_RUNNER, "read access to the image");
    for (; env && *env; env++) {
        const char *eq = strchr(*env, '=');
        char name[256];
        if (!eq || (size_t)(eq - *env) >= sizeof(name)) {
            errno = EINVAL;
            return failed(f, CF_SETUP_RUNNER, "environment");
        }
        memcpy(name, *env, (size_t)(eq - *env));
        name[eq - *env] = '\0';
        if (setenv(name, eq + 1, 1) != 0)
            return failed(f, CF_SETUP_RUNNER, "environment");
    }
    return 0;
}

/* Tell the runner the run failed before its program ran, and end. */
static void report_setup(int st_w, struct cf_exit *ex, const struct setup_fail *f)
{
    ex->setup_errno = f->err;
    ex->setup_stage = f->stage;
    memcpy(ex->setup_what, f->what, sizeof(ex->setup_what));
    if (write(st_w, ex, sizeof(*ex)) < 0)  /* < PIPE_BUF: atomic */
        _exit(125);
    _exit(126);
}

/* Fork the program, wait for it, report; as a PID namespace's init, first
 * kill and reap what the program left in the namespace, so the report
 * comes once it is empty. Never returns. */
static void run_program(int out_w, int err_w, int st_w, char *const argv[], char *const env[],
                        const char *dir, const struct cf_limits *lim, struct cf_exit *ex, int init)
{
    struct setup_fail f;
    struct rusage ru;
    int ep[2];
    ssize_t n;
    double t0;
    pid_t g;

    memset(&f, 0, sizeof(f));
    errno = 0;
    if (pipe(ep) != 0 || set_flags(ep[0], FD_CLOEXEC, 0) || set_flags(ep[1], FD_CLOEXEC, 0)) {
        failed(&f, CF_SETUP_RUNNER, "pipe");
        report_setup(st_w, ex, &f);
    }
    t0 = cf_now();
    g = fork();
    if (g == 0) {
        close(ep[0]);
        close(st_w);
        if (setup_child(out_w, err_w, env, dir, lim, &f) == 0) {
            execvp(argv[0], argv);
            failed(&f, CF_SETUP_EXEC, "exec");
        }
        if (write(ep[1], &f, sizeof(f)) < 0)
            _exit(127);
        _exit(127);
    }
    if (g < 0) {
        failed(&f, CF_SETUP_RUNNER, "fork");
        report_setup(st_w, ex, &f);
    }
    close(ep[1]);
    close(out_w);
    close(err_w);
    while ((n = read(ep[0], &f, sizeof(f))) < 0 && errno == EINTR)
        ;
    if (n == (ssize_t)sizeof(f)) {
        ex->setup_errno = f.err;
        ex->setup_stage = f.stage;
        memcpy(ex->setup_what, f.what, sizeof(ex->setup_what));
    }
    while (waitpid(g, &ex->wstatus, 0) < 0 && errno == EINTR)
        ;
    ex->wall = cf_now() - t0;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
        ex->user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
        ex->sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        ex->maxrss_kb = ru.ru_maxrss;  /* kilobytes on Linux and the BSDs */
        ex->cpu_ms = (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
                     (long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    }
    ex->left = -1;
    if (init) {
        /* From init, kill(-1) reaches every other process of the namespace
         * and only those; the orphans are init's children to reap. */
        ex->left = kill(-1, SIGKILL) == 0;
        while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
            ;
    }
    if (write(st_w, ex, sizeof(*ex)) < 0)  /* < PIPE_BUF: atomic */
        _exit(125);
    _exit(0);
}

/* The reaper: a new session, the run's cgroup, a PID namespace, then the
 * program. Never returns. */
static void reaper(int out_w, int err_w, int st_w, char *const argv[], char *const env[],
                   const char *dir, const struct cf_limits *lim, int cg_fd)
{
    struct setup_fail f;
    struct cf_exit ex;
    pid_t init;

    memset(&ex, 0, sizeof(ex));
    memset(&f, 0, sizeof(f));
    /* A session of its own: no controlling terminal, and a process group
     * that everything it starts shares unless it leaves the session. */
    errno = 0;
    if (setsid() < 0)
        failed(&f, CF_SETUP_RUNNER, "setsid");
    /* Before the first fork, so every process of the run is born in the
     * cgroup: no setsid or double fork takes one out of it. */
    else if (cg_fd >= 0 && (errno = cf_contain_cg_join(cg_fd)) != 0)
        failed(&f, CF_SETUP_RUNNER, "cgroup.procs");
    else if (lim->box && (lim->box->have & CF_CONTAIN_PIDNS) && (errno = cf_contain_unshare_pid()) != 0)
        failed(&f, CF_SETUP_RUNNER, "unshare(CLONE_NEWPID)");
    if (f.err)
        report_setup(st_w, &ex, &f);
    if (!lim->box || !(lim->box->have & CF_CONTAIN_PIDNS))
        run_program(out_w, err_w, st_w, argv, env, dir, lim, &ex, 0);
    /* The namespace's init is this process's child, and it is the reaper
     * from here on: the program is its child, so the program is not init
     * (which ignores the signals it sends itself). When the init exits,
     * the kernel kills everything else in the namespace. */
    init = fork();
    if (init == 0)
        run_program(out_w, err_w, st_w, argv, env, dir, lim, &ex, 1);
    if (init < 0) {
        failed(&f, CF_SETUP_RUNNER, "fork of the namespace's init");
        report_setup(st_w, &ex, &f);
    }
    close(out_w);
    close(err_w);
    close(st_w);
    while (waitpid(init, NULL, 0) < 0 && errno == EINTR)
        ;
    _exit(0);
}

static int capture_init(struct pvb_ctx *c, struct cf_capture *k, size_t cap)
{
    k->fd = -1;
    k->len = 0;
    k->total = 0;
    k->buf = pvb_alloc(c, cap + 1, "capture");
    if (!k->buf)
        return c->err;
    k->buf[0] = '\0';
    k->tlen = 0;
    k->tail[0] = '\0';
    return 0;
}

static int make_pipe(int fd[2])
{
    if (pipe(fd) != 0)
        return -1;
    if (set_flags(fd[0], FD_CLOEXEC, O_NONBLOCK) || set_flags(fd[1], FD_CLOEXEC, 0)) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    return 0;
}

int cf_proc_start(struct pvb_ctx *c, struct cf_proc *p, char *const argv[], char *const env[],
                  const char *dir, const struct cf_limits *lim)
{
    int o[2] = { -1, -1 }, e[2] = { -1, -1 }, s[2] = { -1, -1 }, rc;

    memset(p, 0, sizeof(*p));
    p->fd_status = -1;
    p->cg_fd = -1;
    p->capture_cap = lim->capture;
    p->flood = lim->flood;
    if ((rc = capture_init(c, &p->out, lim->capture)) || (rc = capture_init(c, &p->err, lim->capture)))
        return rc;
    if (make_pipe(o) || make_pipe(e) || make_pipe(s)) {
        rc = pvb_fail(c, PVB_EIO, "pipe: %s", strerror(errno));
        goto fail;
    }
    if (lim->box && (lim->box->have & CF_CONTAIN_CGROUP)) {
        p->box = lim->box;
        if ((rc = cf_contain_cg_make(c, p->box, p->cg_name, &p->cg_fd)) != 0)
            goto fail;
    }
    p->start = cf_now();
    p->deadline = lim->timeout > 0 ? p->start + lim->timeout : -1;
    p->pid = fork();
    if (p->pid == 0) {
        close(o[0]);
        close(e[0]);
        close(s[0]);
        reaper(o[1], e[1], s[1], argv, env, dir, lim, p->cg_fd);
    }
    if (p->pid < 0) {
        rc = pvb_fail(c, PVB_EIO, "fork: %s", strerror(errno));
        goto fail;
    }
    /* No setpgid here: the reaper makes its own session, which it cannot
     * once it leads a group. kill_group() closes that window instead. */
    close(o[1]);
    close(e[1]);
    close(s[1]);
    p->out.fd = o[0];
    p->err.fd = e[0];
    p->fd_status = s[0];
    return 0;
fail:
    close_fd(&o[0]); close_fd(&o[1]); close_fd(&e[0]); close_fd(&e[1]);
    close_fd(&s[0]); close_fd(&s[1]);
    if (p->cg_fd >= 0) {
        close_fd(&p->cg_fd);
        cf_contain_cg_remove(p->box, p->cg_name);
    }
    p->pid = 0;
    return rc;
}

void cf_proc_fdset(const struct cf_proc *p, fd_set *set, int *maxfd)
{
    const int fds[3] = { p->out.fd, p->err.fd, p->fd_status };
    int i;

    for (i = 0; i < 3; i++) {
        if (fds[i] < 0)
            continue;
        FD_SET(fds[i], set);
        if (fds[i] > *maxfd)
            *maxfd = fds[i];
    }
}

double cf_proc_wake(const struct cf_proc *p, double now)
{
    double w;

    if (p->finished)
        return -1;
    if (p->fd_status < 0) {
        w = p->out.fd < 0 && p->err.fd < 0 ? SETTLE_POLL
          : p->drain_until > now ? p->drain_until - now : 0;
        return p->cg_fd >= 0 && w > SETTLE_POLL ? SETTLE_POLL : w;
    }
    if (!p->killed && p->deadline > 0)
        return p->deadline > now ? p->deadline - now : 0;
    return -1;
}

/* The reaper first: until its setsid() it has no child and leads no group,
 * and after it every process of the run that stayed in the session is in
 * its group. The cgroup (or the PID namespace, when the init dies) has
 * the ones that left. */
static void kill_group(struct cf_proc *p)
{
    if (!p->killed) {
        kill(p->pid, SIGKILL);
        kill(-p->pid, SIGKILL);
    }
    if (p->cg_fd >= 0)
        cf_contain_cg_kill(p->box, p->cg_fd);
    p->killed = 1;
}

static void keep_tail(struct cf_capture *k, const char *b, size_t n)
{
    if (n >= CF_TAIL) {
        memcpy(k->tail, b + n - CF_TAIL, CF_TAIL);
        k->tlen = CF_TAIL;
    } else {
        size_t old = k->tlen + n > CF_TAIL ? CF_TAIL - n : k->tlen;
        memmove(k->tail, k->tail + k->tlen - old, old);
        memcpy(k->tail + old, b, n);
        k->tlen = old + n;
    }
    k->tail[k->tlen] = '\0';
}

/* Read what is there, at most 1 MiB a call so a flood cannot starve the
 * other jobs; keep the first capture_cap bytes. */
static void drain(struct cf_proc *p, struct cf_capture *k)
{
    char buf[65536];
    ssize_t n;
    int i;

    for (i = 0; i < 16 && k->fd >= 0; i++) {
        n = read(k->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            close_fd(&k->fd);
            return;
        }
        if (k->len < p->capture_cap) {
            size_t keep = (size_t)n < p->capture_cap - k->len ? (size_t)n : p->capture_cap - k->len;
            memcpy(k->buf + k->len, buf, keep);
            k->len += keep;
            k->buf[k->len] = '\0';
        }
        keep_tail(k, buf, (size_t)n);
        k->total += (uint64_t)n;
        if (p->flood && p->out.total + p->err.total > p->flood && !p->killed) {
            p->flooded = 1;
            kill_group(p);
        }
    }
}

static void read_status(struct cf_proc *p, double now)
{
    ssize_t n;

    for (;;) {
        n = read(p->fd_status, p->st_buf + p->st_len, sizeof(p->st_buf) - p->st_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n > 0 && (p->st_len += (size_t)n) < sizeof(p->st_buf))
            continue;
        break;
    }
    /* The record is in, or the reaper is gone: either way the program is. */
    close_fd(&p->fd_status);
    if (p->st_len == sizeof(p->st_buf)) {
        memcpy(&p->ex, p->st_buf, sizeof(p->ex));
        p->have_exit = 1;
        /* Without a namespace to tell, the cgroup does: anything but the reaper. */
        if (p->ex.left < 0 && p->cg_fd >= 0 && !p->ex.setup_errno) {
            int others = cf_contain_cg_others(p->cg_fd, p->pid);
            p->ex.left = others < 0 ? -1 : others > 0;
        }
    }
    p->wall = now - p->start;
    kill_group(p);  /* whatever it left behind in its group and cgroup */
    p->drain_until = now + DRAIN_SECONDS;
    p->settle_until = now + SETTLE_SECONDS;
}

/* The run's cgroup is empty and removed (1), or its processes are still
 * dying (0). Past the time allowed it is left to cf_contain_end. */
static int settled(struct cf_proc *p, double now)
{
    if (p->cg_fd < 0)
        return 1;
    if (cf_contain_cg_remove(p->box, p->cg_name) != 0) {
        if (now < p->settle_until) {
            if (!p->box->kill_file)
                cf_contain_cg_kill(p->box, p->cg_fd);  /* the ones forked since the last walk */
            return 0;
        }
        p->cg_stuck = 1;
    }
    close_fd(&p->cg_fd);
    return 1;
}

int cf_proc_step(struct cf_proc *p, const fd_set *ready, double now)
{
    if (p->finished)
        return 1;
    if (p->out.fd >= 0 && (!ready || FD_ISSET(p->out.fd, ready)))
        drain(p, &p->out);
    if (p->err.fd >= 0 && (!ready || FD_ISSET(p->err.fd, ready)))
        drain(p, &p->err);
    if (p->fd_status >= 0 && (!ready || FD_ISSET(p->fd_status, ready)))
        read_status(p, now);
    if (p->fd_status >= 0 && !p->killed && p->deadline > 0 && now >= p->deadline) {
        p->timed_out = 1;
        kill_group(p);
    }
    if (p->fd_status >= 0 || ((p->out.fd >= 0 || p->err.fd >= 0) && now < p->drain_until))
        return 0;
    /* A process that escaped its group may still hold the pipes: stop listening. */
    close_fd(&p->out.fd);
    close_fd(&p->err.fd);
    if (!settled(p, now))
        return 0;
    p->zombie = !cf_proc_reap(p->pid, 0);
    p->finished = 1;
    return 1;
}

void cf_proc_kill(struct cf_proc *p)
{
    if (p->pid > 0 && !p->finished)
        kill_group(p);
}

int cf_proc_reap(pid_t pid, int block)
{
    pid_t r;
    int st;

    while ((r = waitpid(pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR)
        ;
    return r != 0;  /* reaped, or not our child any more */
}

void cf_proc_abort(struct cf_proc *p)
{
    if (p->pid <= 0 || (p->finished && !p->zombie))
        return;
    kill_group(p);
    close_fd(&p->out.fd);
    close_fd(&p->err.fd);
    close_fd(&p->fd_status);
    if (p->cg_fd >= 0 && cf_contain_cg_remove(p->box, p->cg_name) != 0)
        p->cg_stuck = 1;
    close_fd(&p->cg_fd);
    cf_proc_reap(p->pid, 1);
    p->finished = 1;
    p->zombie = 0;
}

int cf_proc_run(struct pvb_ctx *c, struct cf_proc *p, char *const argv[], char *const env[],
                const char *dir, const struct cf_limits *lim)
{
    int rc = cf_proc_start(c, p, argv, env, dir, lim);

    while (rc == 0 && !p->finished) {
        double now = cf_now(), w = cf_proc_wake(p, now);
        struct timeval tv;
        fd_set set;
        int maxfd = -1, n;

        FD_ZERO(&set);
        cf_proc_fdset(p, &set, &maxfd);
        if (w >= 0) {
            tv.tv_sec = (time_t)w;
            tv.tv_usec = (suseconds_t)((w - (double)tv.tv_sec) * 1e6) + 1;
        }
        n = select(maxfd + 1, &set, NULL, NULL, w >= 0 ? &tv : NULL);
        if (n < 0 && errno != EINTR)
            return pvb_fail(c, PVB_EIO, "select: %s", strerror(errno));
        cf_proc_step(p, n > 0 ? &set : NULL, cf_now());
    }
    return rc;
}

void cf_proc_free(struct pvb_ctx *c, struct cf_proc *p)
{
    cf_proc_abort(p);
    pvb_free(c, p->out.buf);
    pvb_free(c, p->err.buf);
    p->out.buf = p->err.buf = NULL;
}
