/* Privilege separation for --runas, after pygrub's depriv() (XSA-443), without its
 * exit-status bug and without needing mount(8): the child sees an empty root. */
#define _GNU_SOURCE 1   /* unshare(), setgroups() */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#endif

#include "cli/depriv.h"

#define DEFAULT_FSIZE_MB 128   /* pygrub LIMIT_FSIZE */
#define DEFAULT_AS_MB 256      /* pygrub 4.19+ */

static unsigned long env_mb(const char *name, unsigned long def)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n;

    if (!v || !*v)
        return def;
    n = strtoul(v, &end, 10);
    return *end || n == 0 || n > 1ul << 20 ? def : n;
}

static int limit(int res, rlim_t v)
{
    struct rlimit rl;

    rl.rlim_cur = rl.rlim_max = v;
    return setrlimit(res, &rl);
}

/* In the child: every step must succeed, or the child must not go on. */
static int drop(long uid, const char *root, char *err, size_t errlen)
{
    gid_t gid = (gid_t)uid;

#ifdef __linux__
    /* Best effort, as the kernel or a container may refuse new namespaces. */
    if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET) != 0 && errno != EPERM &&
        errno != EINVAL) {
        snprintf(err, errlen, "unshare: %s", strerror(errno));
        return -1;
    }
#endif
    if (limit(RLIMIT_NPROC, 0) || limit(RLIMIT_CORE, 0) || limit(RLIMIT_MEMLOCK, 0) ||
#ifdef RLIMIT_MSGQUEUE
        limit(RLIMIT_MSGQUEUE, 0) ||
#endif
        limit(RLIMIT_FSIZE, (rlim_t)env_mb("PYGRUB_MAX_FILE_SIZE_MB", DEFAULT_FSIZE_MB) << 20) ||
        limit(RLIMIT_AS, (rlim_t)env_mb("PYGRUB_MAX_RAM_USAGE_MB", DEFAULT_AS_MB) << 20)) {
        snprintf(err, errlen, "setrlimit: %s", strerror(errno));
        return -1;
    }
    if (geteuid() == 0) {
        if (chroot(root) != 0 || chdir("/") != 0) {
            snprintf(err, errlen, "chroot %s: %s", root, strerror(errno));
            return -1;
        }
        if (setgroups(1, &gid) != 0) {
            snprintf(err, errlen, "setgroups: %s", strerror(errno));
            return -1;
        }
    } else if ((uid_t)uid != getuid()) {
        snprintf(err, errlen, "--runas=%ld needs root", uid);
        return -1;
    }
    if (setgid(gid) != 0 || setuid((uid_t)uid) != 0) {
        snprintf(err, errlen, "cannot become uid %ld: %s", uid, strerror(errno));
        return -1;
    }
    /* A uid that can take root back is no drop at all. */
    if (uid != 0 && setuid(0) == 0) {
        snprintf(err, errlen, "uid %ld can still become root", uid);
        return -1;
    }
    return 0;
}

int pvb_depriv(long uid, const char *outdir, int *status, char *err, size_t errlen)
{
    char root[4096];
    pid_t pid;
    int ws;

    if ((size_t)snprintf(root, sizeof(root), "%s/%ld-XXXXXX", outdir, uid) >= sizeof(root) ||
        !mkdtemp(root)) {
        snprintf(err, errlen, "cannot create a directory for the child in %s: %s", outdir,
                 strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        rmdir(root);
        return -1;
    }
    if (pid == 0) {
        if (drop(uid, root, err, errlen) != 0) {
            fprintf(stderr, "pvboot: runas: %s\n", err);
            _exit(1);
        }
        return 0;
    }
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            rmdir(root);
            return -1;
        }
    }
    rmdir(root);
    if (WIFEXITED(ws)) {
        *status = WEXITSTATUS(ws);
    } else {
        fprintf(stderr, "pvboot: runas: the child was killed by signal %d\n",
                WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
        *status = 1;
    }
    return 1;
}
