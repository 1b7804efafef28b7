/* SPDX-License-Identifier: GPL-2.0-only */
/* --runas: parse the guest's disk in a child process with no privileges left. */
#ifndef PVB_CLI_DEPRIV_H
#define PVB_CLI_DEPRIV_H

#include <stddef.h>

/*
 * Fork. The child returns 0 after it has: unshared mount/IPC/network
 * namespaces where the kernel allows; set RLIMIT_NPROC, CORE, MEMLOCK,
 * MSGQUEUE to 0, RLIMIT_FSIZE to $PYGRUB_MAX_FILE_SIZE_MB (default 128) MiB
 * and RLIMIT_AS to $PYGRUB_MAX_RAM_USAGE_MB (default 256) MiB; when root,
 * chrooted into a new empty directory under outdir; dropped groups, gid and
 * uid to uid; and, on Linux, asked for SIGKILL when its parent dies and for
 * no new privileges. It keeps the parent's RLIMIT_CPU (proc.h), and dies of
 * SIGTERM, SIGINT and SIGHUP, which the parent forwards. Everything the child
 * needs (image, output files) must be open already.
 *
 * The parent gets 1: the child and its directory are registered with proc.h
 * (a fatal signal kills the one and removes the other) until
 * pvb_depriv_wait. -1 with a message in err if the directory or the fork
 * fails; a child that cannot drop privileges prints why and exits 1 itself.
 */
struct pvb_depriv {
    long pid;
    char root[4096];
};
int pvb_depriv_start(long uid, const char *outdir, struct pvb_depriv *dp, char *err,
                     size_t errlen);

/*
 * In the parent: wait for the child, remove its directory, and return its
 * real exit status (a child killed by a signal gives 1, with a message:
 * unlike pygrub, a failed child never turns into success). -1 with a message
 * in err if waiting fails.
 */
int pvb_depriv_wait(struct pvb_depriv *dp, char *err, size_t errlen);

#endif
