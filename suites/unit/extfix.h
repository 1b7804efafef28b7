/* SPDX-License-Identifier: GPL-2.0-only */
/* A test fixture for the ext suites: an image built in memory, mounted through the fs layer. */
#ifndef PVB_TEST_EXTFIX_H
#define PVB_TEST_EXTFIX_H

#include <stddef.h>
#include <stdint.h>

#include "disk/disk.h"
#include "extbuild.h"
#include "fs/fs.h"
#include "testlib.h"

struct extfix {
    struct test_ctx t;
    struct eb e;
    size_t disk_size;        /* bytes of e.img presented as the volume (default: all) */
    struct pvb_disk *d;
    struct pvb_fs *fs;
};

/* A fresh fixture around a new image (see eb_new). */
struct extfix *xf_new(unsigned log_bs, unsigned isize, uint32_t blocks, uint32_t inodes,
                      uint32_t incompat, uint32_t ro_compat);
/* Finish the image (checksums), mount it; returns pvb_fs_mount's code. */
int xf_mount(struct extfix *f);
/* Mount without recomputing checksums (to test a broken one). */
int xf_mount_raw(struct extfix *f);
/* Unmount and free; returns the bytes still allocated from the context (leaks). */
size_t xf_free(struct extfix *f);
/* A whole file through pvb_fs_read_file; NULL with *rc on error. Free with pvb_free. */
char *xf_cat(struct extfix *f, const char *path, size_t *len, int *rc);

#endif
