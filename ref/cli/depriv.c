/* SPDX-License-Identifier: GPL-2.0-only */
/* Privilege separation for --runas, after pygrub's depriv() (XSA-443), without its
 * exit-status bug and without needing mount(8): the child sees an empty root. */
#define _GNU_SOURCE 1   /* unshare(), setgroups() */
#include <errno.h>
#include <grp.h>
#include <signal.h>
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
#include <sys/prctl.h>
#endif

#include "cli/depriv.h"
#include "cli/proc.h"

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
static int drop(long uid, const char *root, pid_t parent, char *err, size_t errlen)
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
#ifdef __linux__
    /* A child that outlives its parent would go on writing files nobody removes. Set after
     * setuid: a change of credentials clears the parent-death signal (prctl(2)). */
    if (prctl(PR_SET_PDEATHSIG, (unsigned long)SIGKILL, 0ul, 0ul, 0ul) != 0) {
        snprintf(err, errlen, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
        return -1;
    }
    /* The parent may have died before that call: the child was then given to another. */
    if (getppid() != parent) {
        snprintf(err, errlen, "the parent is gone");
        return -1;
    }
#ifdef PR_SET_NO_NEW_PRIVS
    /* Nothing the child could exec may gain privileges (setuid files, file capabilities).
     * Linux before 3.5 does not know it (EINVAL): the child execs nothing anyway. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1ul, 0ul, 0ul, 0ul) != 0 && errno != EINVAL) {
        snprintf(err, errlen, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
        return -1;
    }
#endif
#else
    (void)parent;
#endif
    return 0;
}

int pvb_depriv_start(long uid, const char *outdir, struct pvb_depriv *dp, char *err,
                     size_t errlen)
{
    pid_t parent = getpid(), pid;
    int e;

    dp->pid = -1;
    if ((size_t)snprintf(dp->root, sizeof(dp->root), "%s/%ld-XXXXXX", outdir, uid) >=
        sizeof(dp->root)) {
        snprintf(err, errlen, "cannot create a directory for the child in %s: %s", outdir,
                 strerror(ENAMETOOLONG));
        return -1;
    }
    fflush(NULL);
    /* Until the directory and the child are registered, no signal may end the parent:
     * its handler would leave them behind. */
    pvb_proc_hold();
    if (!mkdtemp(dp->root) || pvb_proc_track(PVB_PROC_DIR, dp->root) != 0) {
        e = errno;
        pvb_proc_release();
        snprintf(err, errlen, "cannot create a directory for the child in %s: %s", outdir,
                 strerror(e));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        e = errno;
        rmdir(dp->root);
        pvb_proc_track(PVB_PROC_DIR, NULL);
        pvb_proc_release();
        snprintf(err, errlen, "fork: %s", strerror(e));
        return -1;
    }
    if (pid == 0) {
        pvb_proc_forget_in_child();
        if (drop(uid, dp->root, parent, err, errlen) != 0) {
            fprintf(stderr, "pvboot: runas: %s\n", err);
            _exit(1);
        }
        return 0;
    }
    dp->pid = pid;
    pvb_proc_track_child(pid);
    pvb_proc_release();
    return 1;
}

int pvb_depriv_wait(struct pvb_depriv *dp, char *err, size_t errlen)
{
    siginfo_t si;
    int ws = 0, rc;

    /* Wait without reaping (WNOWAIT): while the child is registered, its pid must stay
     * its own, a zombie, or a signal's handler could kill a process that took it over. */
    while ((rc = waitid(P_PID, (id_t)dp->pid, &si, WEXITED | WNOWAIT)) != 0 && errno == EINTR)
        continue;
    if (rc != 0)
        snprintf(err, errlen, "waitid: %s", strerror(errno));
    pvb_proc_hold();
    pvb_proc_track_child(0);
    if (rc == 0 && waitpid((pid_t)dp->pid, &ws, 0) != (pid_t)dp->pid) {
        snprintf(err, errlen, "waitpid: %s", strerror(errno));
        rc = -1;
    }
    rmdir(dp->root);
    pvb_proc_track(PVB_PROC_DIR, NULL);
    pvb_proc_release();
    if (rc != 0)
        return -1;
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    fprintf(stderr, "pvboot: runas: the child was killed by signal %d\n",
            WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    return 1;
}
