/* SPDX-License-Identifier: GPL-2.0-only */
/* Sub-range view: a partition presented as a disk of its own. */
#include "disk/disk.h"
#include "util/mem.h"
#include "util/safemath.h"

struct sub {
    struct pvb_disk *parent;
    uint64_t off;
};

static int sub_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    struct sub *s = d->priv;

    /* off + len <= d->size was checked, and off + d->size fits in the parent. */
    return pvb_disk_pread(s->parent, buf, len, s->off + off);
}

static void sub_close(struct pvb_disk *d)
{
    pvb_free(d->ctx, d->priv);
}

static const struct pvb_disk_ops sub_ops = {
    .name = "part", .pread = sub_pread, .close = sub_close
};

int pvb_disk_open_sub(struct pvb_disk *parent, uint64_t off, uint64_t len,
                      struct pvb_disk **out)
{
    struct pvb_ctx *c = parent->ctx;
    struct sub *s;
    int rc;

    if (!pvb_span_ok(off, len, parent->size))
        return pvb_fail(c, PVB_ERANGE,
                        "disk: range of %llu bytes at %llu is past the end of the disk (%llu bytes)",
                        (unsigned long long)len, (unsigned long long)off,
                        (unsigned long long)parent->size);
    s = pvb_zalloc(c, sizeof(*s), "partition view");
    if (!s)
        return c->err;
    rc = pvb_disk_new(c, &sub_ops, len, out);
    if (rc) {
        pvb_free(c, s);
        return rc;
    }
    s->parent = parent;
    s->off = off;
    (*out)->priv = s;
    (*out)->sector_size = parent->sector_size;
    return 0;
}
