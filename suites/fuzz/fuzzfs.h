/* SPDX-License-Identifier: GPL-2.0-only */
/* The walk every filesystem fuzz target makes over the volume a driver mounts from its input. */
#ifndef PVB_FUZZ_FUZZFS_H
#define PVB_FUZZ_FUZZFS_H

#include <stddef.h>
#include <stdint.h>

/* Also look every path up in upper case (drivers that match names without case). */
#define FUZZ_FS_UPPER 1u

/*
 * Mount data as driver (pvb_fs_mount_as) and, when it mounts: its info, then
 * every directory from the root (by inode, cycles and depth cut), each entry
 * looked up again through the fs layer's path walk (FUZZ_FS_UPPER: in upper
 * case too), each file read from its start and at its far end, each link
 * read; then each of paths (NULL-terminated, may be NULL) stat()ed and
 * readlink()ed. Aborts when the context still accounts memory afterwards (a
 * leak). Always returns 0, libFuzzer's "keep going".
 */
int fuzz_fs_walk(const uint8_t *data, size_t size, const char *driver, unsigned flags,
                 const char *const *paths);

#endif
