/* Running one program under limits: its own process group, capped capture, exit status and peak memory. */
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

/* In the program's process, before exec: limits, descriptors, signals, environment. */
static int setup_child(int out_w, int err_w, char *const env[], const char *dir,
                       const struct cf_limits *lim)
{
    sigset_t none;
    int fd;

    if (limit(RLIMIT_CORE, 0) != 0)
        return -1;
    if (lim->mem_mb && limit(RLIMIT_AS, (unsigned long long)lim->mem_mb << 20) != 0)
        return -1;
    if (lim->fsize_mb && limit(RLIMIT_FSIZE, (unsigned long long)lim->fsize_mb << 20) != 0)
        return -1;
    /* SIGXCPU a second after the wall-clock limit, SIGKILL one later: a
     * CPU-bound loop dies even if the runner itself is stopped. */
    if (lim->timeout > 0) {
        struct rlimit rl;
        rl.rlim_cur = (rlim_t)lim->timeout + 1;
        rl.rlim_max = rl.rlim_cur + 1;
        if (setrlimit(RLIMIT_CPU, &rl) != 0)
            return -1;
    }
    if ((fd = open("/dev/null", O_RDONLY)) < 0 || dup2(fd, 0) < 0 || dup2(out_w, 1) < 0 ||
        dup2(err_w, 2) < 0)
        return -1;
    if (fd > 2)
        close(fd);
    /* The runner ignores SIGPIPE and blocks its stop signals; the program
     * starts as a shell would start it. */
    signal(SIGPIPE, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dir && chdir(dir) != 0)
        return -1;
    for (; env && *env; env++) {
        const char *eq = strchr(*env, '=');
        char name[256];
        if (!eq || (size_t)(eq - *env) >= sizeof(name)) {
            errno = EINVAL;
            return -1;
        }
        memcpy(name, *env, (size_t)(eq - *env));
        name[eq - *env] = '\0';
        if (setenv(name, eq + 1, 1) != 0)
            return -1;
    }
    return 0;
}

/* The reaper: new process group, fork and exec the program, wait, report. Never returns. */
static void reaper(int out_w, int err_w, int st_w, char *const argv[], char *const env[],
                   const char *dir, const struct cf_limits *lim)
{
    struct cf_exit ex;
    struct rusage ru;
    int ep[2], e = 0;
    double t0;
    pid_t g;

    memset(&ex, 0, sizeof(ex));
    setpgid(0, 0);
    if (pipe(ep) != 0 || set_flags(ep[0], FD_CLOEXEC, 0) || set_flags(ep[1], FD_CLOEXEC, 0))
        _exit(126);
    t0 = cf_now();
    g = fork();
    if (g == 0) {
        close(ep[0]);
        close(st_w);
        if (setup_child(out_w, err_w, env, dir, lim) == 0)
            execvp(argv[0], argv);
        e = errno;
        if (write(ep[1], &e, sizeof(e)) < 0)
            _exit(127);
        _exit(127);
    }
    close(ep[1]);
    close(out_w);
    close(err_w);
    if (g < 0)
        _exit(126);
    while (read(ep[0], &e, sizeof(e)) < 0 && errno == EINTR)
        ;
    ex.setup_errno = e;
    while (waitpid(g, &ex.wstatus, 0) < 0 && errno == EINTR)
        ;
    ex.wall = cf_now() - t0;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
        ex.user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
        ex.sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        ex.maxrss_kb = ru.ru_maxrss;  /* kilobytes on Linux and the BSDs */
        ex.cpu_ms = (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
                    (long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    }
    if (write(st_w, &ex, sizeof(ex)) < 0)  /* < PIPE_BUF: atomic */
        _exit(125);
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
    p->capture_cap = lim->capture;
    p->flood = lim->flood;
    if ((rc = capture_init(c, &p->out, lim->capture)) || (rc = capture_init(c, &p->err, lim->capture)))
        return rc;
    if (make_pipe(o) || make_pipe(e) || make_pipe(s)) {
        rc = pvb_fail(c, PVB_EIO, "pipe: %s", strerror(errno));
        goto fail;
    }
    p->start = cf_now();
    p->deadline = lim->timeout > 0 ? p->start + lim->timeout : -1;
    p->pid = fork();
    if (p->pid == 0) {
        close(o[0]);
        close(e[0]);
        close(s[0]);
        reaper(o[1], e[1], s[1], argv, env, dir, lim);
    }
    if (p->pid < 0) {
        rc = pvb_fail(c, PVB_EIO, "fork: %s", strerror(errno));
        goto fail;
    }
    setpgid(p->pid, p->pid);  /* also here, so a kill of the group cannot race the child */
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
    if (p->finished)
        return -1;
    if (p->fd_status < 0)
        return p->drain_until > now ? p->drain_until - now : 0;
    if (!p->killed && p->deadline > 0)
        return p->deadline > now ? p->deadline - now : 0;
    return -1;
}

static void kill_group(struct cf_proc *p)
{
    if (!p->killed)
        kill(-p->pid, SIGKILL);
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
    }
    p->wall = now - p->start;
    kill_group(p);  /* whatever it left behind in its group */
    p->drain_until = now + DRAIN_SECONDS;
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
