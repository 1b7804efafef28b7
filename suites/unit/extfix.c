/* SPDX-License-Identifier: GPL-2.0-only */
/* The ext suites' fixture: build an image in memory, mount it, count leaks (no cmocka calls:
 * mkseeds links every helper here). */
#include <stdlib.h>

#include "extfix.h"
#include "util/mem.h"

struct extfix *xf_new(unsigned log_bs, unsigned isize, uint32_t blocks, uint32_t inodes,
                      uint32_t incompat, uint32_t ro_compat)
{
    struct extfix *f = calloc(1, sizeof(*f));

    if (!f)
        abort();
    test_ctx_init(&f->t);
    eb_new(&f->e, log_bs, isize, blocks, inodes, incompat, ro_compat);
    return f;
}

int xf_mount_raw(struct extfix *f)
{
    if (f->fs)
        pvb_fs_umount(f->fs);
    f->fs = NULL;
    pvb_disk_close(f->d);
    if (pvb_disk_open_mem(&f->t.c, f->e.img, f->disk_size ? f->disk_size : f->e.size, &f->d))
        abort();
    return pvb_fs_mount(f->d, &f->fs);
}

int xf_mount(struct extfix *f)
{
    eb_finish(&f->e);
    return xf_mount_raw(f);
}

size_t xf_free(struct extfix *f)
{
    size_t leaked;

    pvb_fs_umount(f->fs);
    pvb_disk_close(f->d);
    leaked = f->t.c.mem_used;
    eb_free(&f->e);
    free(f);
    return leaked;
}

char *xf_cat(struct extfix *f, const char *path, size_t *len, int *rc)
{
    char *buf = NULL;

    *rc = pvb_fs_read_file(f->fs, path, (size_t)1 << 30, &buf, len);
    return *rc ? NULL : buf;
}
