/* SPDX-License-Identifier: GPL-2.0-only */
/* Copying the chosen kernel and initrds out of the image, as GRUB loads them. */
#include <string.h>

#include "boot/boot.h"
#include "boot/internal.h"
#include "util/mem.h"

#define SLICE_CHUNK ((size_t)1 << 20)

/* Bytes [off, off + len) of path into sink, or into buf (exactly len bytes). */
static int copy_range(struct pvb_ctx *c, struct pvb_fs *fs, const char *path, uint64_t off,
                      uint64_t len, pvb_sink_fn sink, void *arg, void *buf, uint64_t *size)
{
    struct pvb_file *f;
    uint8_t *chunk = buf;
    uint64_t done = 0;
    size_t got;
    int rc;

    *size = 0;
    if ((rc = pvb_fs_open(fs, path, &f)) != 0)
        return rc;
    if (off > f->st.size || len > f->st.size - off) {
        rc = pvb_fail(c, PVB_ERANGE, "%s: bytes %llu+%llu past its end (%llu bytes)", path,
                      (unsigned long long)off, (unsigned long long)len, (unsigned long long)f->st.size);
        goto out;
    }
    if (sink && !(chunk = pvb_alloc(c, SLICE_CHUNK, "copy buffer"))) {
        rc = c->err;
        goto out;
    }
    while (done < len) {
        size_t want = len - done < SLICE_CHUNK ? (size_t)(len - done) : SLICE_CHUNK;
        uint8_t *to = sink ? chunk : chunk + done;
        if ((rc = pvb_file_read(f, to, want, off + done, &got)) != 0)
            break;
        if (got != want) {
            rc = pvb_fail(c, PVB_ERANGE, "%s: short read at %llu", path, (unsigned long long)(off + done));
            break;
        }
        if (sink && sink(arg, to, got) != 0) {
            rc = pvb_fail(c, PVB_EIO, "boot: cannot write the copy of %s", path);
            break;
        }
        done += got;
    }
    if (sink)
        pvb_free(c, chunk);
out:
    pvb_file_close(f);
    *size = done;
    return rc;
}

int pvb_boot_read_at(void *arg, struct pvb_ctx *c, const char *dev, const char *path, uint64_t off,
                     void *buf, size_t len)
{
    struct pvb_boot *b = arg;
    struct pvb_fs *fs;
    uint64_t n;
    int rc = pvb_boot_fs(b, dev, &fs);

    return rc ? rc : copy_range(c, fs, path, off, len, NULL, NULL, buf, &n);
}

static int copy_file(struct pvb_boot *b, const struct pvb_boot_file *f, pvb_sink_fn sink,
                     void *arg, uint64_t *size)
{
    struct pvb_fs *fs;
    int rc;

    *size = 0;
    rc = pvb_boot_fs(b, b->vols[f->vol].dev, &fs);
    if (!rc && f->slice)
        return copy_range(b->ctx, fs, f->path, f->off, f->len, sink, arg, NULL, size);
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
