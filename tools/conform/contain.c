/* SPDX-License-Identifier: GPL-2.0-only */
/* Containing the programs the runners start: a cgroup v2 and a PID namespace each where the machine allows, another user, RLIMIT_NPROC.
 *
 * cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): a process moves into
 * a cgroup by writing its pid to that cgroup's cgroup.procs, which takes
 * write access to the cgroup.procs of the common ancestor of where it is and
 * where it goes; its children are born there, and no setsid or double fork
 * takes them out. Writing "1" to cgroup.kill (Linux 5.14) kills them all at
 * once; before that, cgroup.procs is read and each pid killed, again until
 * the cgroup is empty. A cgroup can be removed once no live process is in it.
 * The runner makes a box under its own cgroup and one cgroup per run in it:
 * the box stays empty of processes, so the "no internal processes" rule
 * never stands in the way.
 *
 * PID namespace (pid_namespaces(7)): after unshare(CLONE_NEWPID) the next
 * child is the namespace's init, and when it exits the kernel kills every
 * other process in the namespace. It needs CAP_SYS_ADMIN.
 */
#define _GNU_SOURCE  /* unshare(), CLONE_NEWPID, setgroups() */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conform.h"
#include "contain.h"
#include "util/mem.h"

#define PATH_BYTES 4096
#define END_SECONDS 5.0   /* cf_contain_end: how long killed processes get to go */

static void add_why(struct cf_contain *b, const char *fmt, const char *a, const char *e)
{
    size_t n = strlen(b->why);

    if (n && n + 2 < sizeof(b->why)) {
        memcpy(b->why + n, "; ", 3);
        n += 2;
    }
    snprintf(b->why + n, sizeof(b->why) - n, fmt, a, e);
}

/* ---- finding the runner's cgroup ---- */

/* The v2 line of /proc/self/cgroup, "0::PATH", into path. */
static int own_cgroup(char *path, size_t n)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[PATH_BYTES];
    int found = 0;

    if (!f)
        return 0;
    while (!found && fgets(line, sizeof(line), f)) {
        size_t len = strcspn(line, "\n");
        line[len] = '\0';
        if (strncmp(line, "0::/", 4) == 0 && len - 3 < n) {
            memcpy(path, line + 3, len - 2);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* A mountinfo field in place: "\040" and the like decoded (proc_pid_mountinfo(5)). */
static void unescape(char *s)
{
    char *d = s;

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
            s[3] <= '7') {
            *d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
}

/* The directory of cgroup cg: a cgroup2 mount whose root holds it, plus the rest of its path. */
static int cgroup_dir(const char *cg, char *dir, size_t n)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[PATH_BYTES];
    int found = 0;

    if (!f)
        return 0;
    while (!found && fgets(line, sizeof(line), f)) {
        char *field[5], *dash = strstr(line, " - "), *save = NULL, *p = line;
        size_t i, rl;
        if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
            continue;
        *dash = '\0';
        for (i = 0; i < 5 && (field[i] = strtok_r(p, " ", &save)) != NULL; i++)
            p = NULL;
        if (i < 5)
            continue;
        unescape(field[3]);  /* the cgroup shown at the mount point */
        unescape(field[4]);  /* the mount point */
        rl = strcmp(field[3], "/") == 0 ? 0 : strlen(field[3]);
        if (strncmp(cg, field[3], rl) != 0 || (cg[rl] != '/' && cg[rl] != '\0'))
            continue;
        found = (size_t)snprintf(dir, n, "%s%s", field[4], strcmp(cg + rl, "/") ? cg + rl : "") < n;
    }
    fclose(f);
    return found;
}

/* ---- a run's cgroup ---- */

/* Decimal digits of v into buf (async-signal-safe); its length. */
static size_t decimal(char *buf, unsigned long v)
{
    char t[24];
    size_t n = 0, i;

    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    for (i = 0; i < n; i++)
        buf[i] = t[n - 1 - i];
    return n;
}

int cf_contain_cg_join(int cg_fd)
{
    char pid[24];
    size_t n = decimal(pid, (unsigned long)getpid());
    int fd = openat(cg_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC), e = 0;

    if (fd < 0)
        return errno;
    if (write(fd, pid, n) != (ssize_t)n)
        e = errno ? errno : EIO;
    close(fd);
    return e;
}

/* A pid read from cgroup.procs (digits: one was): counted, and sent sig
 * unless it is 0, unless it is except. */
static int one(unsigned long pid, int digits, pid_t except, int sig)
{
    if (!digits || pid == (unsigned long)except)
        return 0;
    if (sig)
        kill((pid_t)pid, sig);
    return 1;
}

/* The pids listed in cgroup.procs but except, each sent sig unless it is 0:
 * how many, or -1 when the list cannot be read. */
static int walk(int cg_fd, pid_t except, int sig)
{
    char buf[4096];
    unsigned long pid = 0;
    int fd = openat(cg_fd, "cgroup.procs", O_RDONLY | O_CLOEXEC), digits = 0, count = 0;
    ssize_t n, i;

    if (fd < 0)
        return -1;
    while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
        for (i = 0; i < n; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                pid = pid * 10 + (unsigned long)(buf[i] - '0');
                digits = 1;
                continue;
            }
            count += one(pid, digits, except, sig);
            pid = 0;
            digits = 0;
        }
    }
    count += one(pid, digits, except, sig);  /* a last line without its newline */
    close(fd);
    return n < 0 ? -1 : count;
}

int cf_contain_cg_others(int cg_fd, pid_t except)
{
    return walk(cg_fd, except, 0);
}

void cf_contain_cg_kill(const struct cf_contain *box, int cg_fd)
{
    int fd;

    if (box->kill_file && (fd = openat(cg_fd, "cgroup.kill", O_WRONLY | O_CLOEXEC)) >= 0) {
        ssize_t w = write(fd, "1", 1);
        close(fd);
        if (w == 1)
            return;
    }
    walk(cg_fd, 0, SIGKILL);
}

int cf_contain_cg_make(struct pvb_ctx *c, struct cf_contain *box, char name[24], int *fd)
{
    size_t n = decimal(name, ++box->made);

    name[n] = '\0';
    *fd = -1;
    if (mkdirat(box->box_fd, name, 0755) != 0 && errno != EEXIST)
        return pvb_fail(c, PVB_EIO, "cgroup %s/%s: mkdir: %s", box->box, name, strerror(errno));
    if ((*fd = openat(box->box_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        int e = errno;
        unlinkat(box->box_fd, name, AT_REMOVEDIR);
        return pvb_fail(c, PVB_EIO, "cgroup %s/%s: %s", box->box, name, strerror(e));
    }
    return 0;
}

int cf_contain_cg_remove(const struct cf_contain *box, const char *name)
{
    if (unlinkat(box->box_fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
        return 0;
    return 1;
}

/* ---- the probe ---- */

static int wait_code(pid_t pid)
{
    int st;

    if (pid < 0)
        return errno;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return errno;
    return WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
}

/* A child moves itself into a trial cgroup in the box: the real test of
 * whether this runner may move processes there. */
static int trial_join(struct cf_contain *b)
{
    struct timespec nap = { 0, 1000 * 1000 };
    unsigned tries = 0;
    int fd, e;
    pid_t pid;

    if (mkdirat(b->box_fd, "trial", 0755) != 0)
        return errno;
    if ((fd = openat(b->box_fd, "trial", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        e = errno;
        unlinkat(b->box_fd, "trial", AT_REMOVEDIR);
        return e;
    }
    pid = fork();
    if (pid == 0)
        _exit(cf_contain_cg_join(fd));
    e = wait_code(pid);
    close(fd);
    /* The child is reaped; its exit may still be being accounted for a moment. */
    while (unlinkat(b->box_fd, "trial", AT_REMOVEDIR) != 0 && errno == EBUSY && tries++ < 1000)
        nanosleep(&nap, NULL);
    return e;
}

static int probe_cgroup(struct pvb_ctx *c, struct cf_contain *b, const char *prefix)
{
    char cg[PATH_BYTES], dir[PATH_BYTES];
    struct stat st;
    int e;

    if (!own_cgroup(cg, sizeof(cg)) || !cgroup_dir(cg, dir, sizeof(dir))) {
        add_why(b, "cgroup: %s%s", "no cgroup v2 hierarchy holds this process", "");
        return 0;
    }
    if (!(b->box = cf_printf(c, "%s/%s.%ld", dir, prefix, (long)getpid())))
        return c->err;
    if (mkdir(b->box, 0755) != 0) {
        add_why(b, "cgroup: %s: %s", b->box, strerror(errno));
        goto none;
    }
    b->box_fd = open(b->box, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    e = b->box_fd < 0 ? errno : trial_join(b);
    if (e != 0) {
        add_why(b, "cgroup: cannot move a process into %s: %s", b->box, strerror(e));
        if (b->box_fd >= 0)
            close(b->box_fd);
        b->box_fd = -1;
        rmdir(b->box);
        goto none;
    }
    b->kill_file = fstatat(b->box_fd, "cgroup.kill", &st, 0) == 0;
    b->have |= CF_CONTAIN_CGROUP;
    return 0;
none:
    pvb_free(c, b->box);
    b->box = NULL;
    return 0;
}

int cf_contain_unshare_pid(void)
{
#ifdef CLONE_NEWPID
    return unshare(CLONE_NEWPID) == 0 ? 0 : errno;
#else
    return ENOSYS;
#endif
}

/* A child makes a namespace and forks its init, which exits at once. */
static void probe_pidns(struct cf_contain *b)
{
    pid_t pid = fork();
    int e;

    if (pid == 0) {
        pid_t init;
        if ((e = cf_contain_unshare_pid()) != 0)
            _exit(e);
        if ((init = fork()) == 0)
            _exit(0);
        _exit(wait_code(init));
    }
    e = wait_code(pid);
    if (e == 0)
        b->have |= CF_CONTAIN_PIDNS;
    else
        add_why(b, "pid namespace: %s%s", strerror(e), e == EPERM ? " (it needs CAP_SYS_ADMIN)" : "");
}

int cf_contain_probe(struct pvb_ctx *c, struct cf_contain *box, unsigned want, const char *prefix)
{
    memset(box, 0, sizeof(*box));
    box->box_fd = -1;
    box->want = want;
    box->root = geteuid() == 0;
    if ((want & (CF_CONTAIN_CGROUP | CF_CONTAIN_AUTO)) && probe_cgroup(c, box, prefix) != 0)
        return c->err;
    if ((want & CF_CONTAIN_PIDNS) || ((want & CF_CONTAIN_AUTO) && !box->have))
        probe_pidns(box);
    return 0;
}

/* ---- the end of a run ---- */

/* One pass over the box: kill and remove every run cgroup; how many are left. */
static unsigned sweep(const struct cf_contain *b, char *left, size_t n)
{
    int dfd = openat(b->box_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    struct dirent *e;
    unsigned count = 0;

    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        int fd;
        if (e->d_name[0] == '.' || fstatat(b->box_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(st.st_mode))
            continue;
        if ((fd = openat(b->box_fd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
            cf_contain_cg_kill(b, fd);
            close(fd);
        }
        if (cf_contain_cg_remove(b, e->d_name) != 0) {
            snprintf(left, n, "%.40s", e->d_name);  /* one of them, for the message */
            count++;
        }
    }
    closedir(d);
    return count;
}

int cf_contain_end(struct pvb_ctx *c, struct cf_contain *box)
{
    struct timespec nap = { 0, 10 * 1000 * 1000 };
    char left[64] = "";
    unsigned tries, stuck = 0;
    int rc = 0;

    if (box->box_fd < 0)
        return 0;
    for (tries = 0; tries < END_SECONDS * 100 && (stuck = sweep(box, left, sizeof(left))) != 0; tries++)
        nanosleep(&nap, NULL);
    close(box->box_fd);
    box->box_fd = -1;
    if (stuck)
        rc = pvb_fail(c, PVB_EIO, "cgroup %s/%s: its processes did not die within %g s (left behind)",
                      box->box, left, END_SECONDS);
    else if (rmdir(box->box) != 0)
        rc = pvb_fail(c, PVB_EIO, "cgroup %s: rmdir: %s", box->box, strerror(errno));
    pvb_free(c, box->box);
    box->box = NULL;
    return rc;
}

void cf_contain_describe(const struct cf_contain *box, char *buf, size_t n)
{
    int k = snprintf(buf, n, "own session");

    /* The cgroup it is made under, not the box: its name changes with every run. */
    if (k >= 0 && (size_t)k < n && (box->have & CF_CONTAIN_CGROUP))
        k += snprintf(buf + k, n - (size_t)k, "; a cgroup v2 of its own under %.*s (killed by %s)",
                      (int)(strrchr(box->box, '/') - box->box), box->box,
                      box->kill_file ? "cgroup.kill" : "walking cgroup.procs");
    if (k >= 0 && (size_t)k < n && (box->have & CF_CONTAIN_PIDNS))
        snprintf(buf + k, n - (size_t)k, "; PID namespace");
}

/* ---- users ---- */

int cf_contain_become(uid_t uid, gid_t gid, const char **what)
{
    if (setgroups(1, &gid) != 0) {
        *what = "setgroups";
        return errno;
    }
    if (setgid(gid) != 0) {
        *what = "setgid";
        return errno;
    }
    if (setuid(uid) != 0) {
        *what = "setuid";
        return errno;
    }
    return 0;
}

int cf_contain_user(struct pvb_ctx *c, const char *spec, uid_t *uid, gid_t *gid, char **label)
{
    struct passwd *pw;
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(spec, &end, 10);
    if (*spec >= '0' && *spec <= '9' && !*end && !errno && (unsigned long)(uid_t)v == v) {
        errno = 0;
        pw = getpwuid((uid_t)v);
        *uid = (uid_t)v;
        *gid = pw ? pw->pw_gid : (gid_t)v;
        *label = pw ? cf_printf(c, "%s (%lu)", pw->pw_name, v) : cf_printf(c, "uid %lu", v);
        return *label ? 0 : c->err;
    }
    errno = 0;
    if (!*spec || !(pw = getpwnam(spec)))
        return pvb_fail(c, PVB_ENOTFOUND, "run-as-user %s: %s", spec,
                        errno ? strerror(errno) : "no such user");
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    *label = cf_printf(c, "%s (%lu)", pw->pw_name, (unsigned long)pw->pw_uid);
    return *label ? 0 : c->err;
}
