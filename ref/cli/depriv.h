/* --runas: parse the guest's disk in a child process with no privileges left. */
#ifndef PVB_CLI_DEPRIV_H
#define PVB_CLI_DEPRIV_H

#include <stddef.h>

/*
 * Fork. The parent waits, removes the chroot directory, and returns 1 with
 * *status set to the child's real exit status (a child killed by a signal
 * gives 1: unlike pygrub, a failed child never turns into success). The
 * child returns 0 after it has: unshared mount/IPC/network namespaces where
 * the kernel allows; set RLIMIT_NPROC, CORE, MEMLOCK, MSGQUEUE to 0,
 * RLIMIT_FSIZE to $PYGRUB_MAX_FILE_SIZE_MB (default 128) MiB and RLIMIT_AS
 * to $PYGRUB_MAX_RAM_USAGE_MB (default 256) MiB; when root, chrooted into a
 * new empty directory under outdir; and dropped groups, gid and uid to uid.
 * Everything the child needs (image, output files) must be open already.
 * Returns -1 with a message in err if the fork fails or the child cannot
 * drop privileges (the child then exits 1 itself).
 */
int pvb_depriv(long uid, const char *outdir, int *status, char *err, size_t errlen);

#endif
