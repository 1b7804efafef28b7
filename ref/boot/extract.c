/* SPDX-License-Identifier: GPL-2.0-only */
/* Copying the chosen kernel and initrds out of the image, as GRUB loads them. */
#include <string.h>

#include "boot/boot.h"
#include "boot/internal.h"

static int copy_file(struct pvb_boot *b, const struct pvb_boot_file *f, pvb_sink_fn sink,
                     void *arg, uint64_t *size)
{
    struct pvb_fs *fs;
    int rc;

    *size = 0;
    rc = pvb_boot_fs(b, b->vols[f->vol].dev, &fs);
    return rc ? rc : pvb_fs_stream(fs, f->path, sink, arg, size);
}

int pvb_boot_extract(struct pvb_boot *b, pvb_sink_fn kernel, void *karg, pvb_sink_fn ramdisk,
                     void *rarg, uint64_t *ksize, uint64_t *rsize)
{
    static const uint8_t zeros[4];
    uint64_t n;
    unsigned i;
    int rc;

    *ksize = *rsize = 0;
    if (b->kernel.path == NULL)
        return pvb_fail(b->ctx, PVB_EINVAL, "boot: nothing chosen to extract");
    rc = copy_file(b, &b->kernel, kernel, karg, ksize);
    for (i = 0; !rc && i < b->ninitrds && ramdisk; i++) {
        /* GRUB starts every initrd after the first at a 4-byte boundary. */
        size_t pad = (size_t)((4 - *rsize % 4) % 4);
        if (pad && ramdisk(rarg, zeros, pad) != 0) {
            rc = pvb_fail(b->ctx, PVB_EIO, "boot: cannot write the ramdisk copy");
            break;
        }
        *rsize += pad;
        rc = copy_file(b, &b->initrds[i], ramdisk, rarg, &n);
        *rsize += n;
        /* Each initrd is capped by max_file_size; so is the ramdisk they make,
         * or a config naming one initrd many times writes without end. */
        if (!rc && *rsize > b->ctx->lim.max_file_size)
            rc = pvb_fail(b->ctx, PVB_ELIMIT, "boot: initrd %u (%s): the ramdisk passes %llu bytes",
                          i + 1, b->initrds[i].path, (unsigned long long)b->ctx->lim.max_file_size);
    }
    return rc;
}
