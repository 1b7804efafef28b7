/* SPDX-License-Identifier: GPL-2.0-only */
/* The disk layer's entry points: bounds checks shared by every driver, and format probing. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "disk/disk.h"
#include "disk/format.h"
#include "util/mem.h"
#include "util/safemath.h"

int pvb_disk_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    if (!pvb_span_ok(off, len, d->size))
        return pvb_fail(d->ctx, PVB_ERANGE,
                        "%s: read of %zu bytes at %llu is past the end of the disk (%llu bytes)",
                        d->ops->name, len, (unsigned long long)off,
                        (unsigned long long)d->size);
    if (len == 0)
        return 0;
    return d->ops->pread(d, buf, len, off);
}

const char *pvb_disk_name(const struct pvb_disk *d)
{
    return d->ops->name;
}

void pvb_disk_close(struct pvb_disk *d)
{
    if (!d)
        return;
    if (d->ops->close)
        d->ops->close(d);
    pvb_free(d->ctx, d);
}

int pvb_disk_new(struct pvb_ctx *c, const struct pvb_disk_ops *ops, uint64_t size,
                 struct pvb_disk **out)
{
    struct pvb_disk *d = pvb_zalloc(c, sizeof(*d), "disk");

    if (!d)
        return c->err;
    d->ops = ops;
    d->ctx = c;
    d->size = size;
    *out = d;
    return 0;
}

int pvb_disk_open_path(struct pvb_ctx *c, const char *path, const struct pvb_disk_opts *opts,
                       struct pvb_disk **out)
{
    static const struct pvb_disk_opts defaults;
    struct pvb_disk *file = NULL;
    int fd, rc;

    if (!opts)
        opts = &defaults;
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return pvb_fail(c, PVB_EIO, "disk: %s: %s", path, strerror(errno));
    rc = pvb_disk_open_fd(c, fd, 1, &file);
    if (rc) {
        close(fd);
        return rc;
    }
    rc = pvb_format_open(c, file, path, opts, out);
    if (rc)
        pvb_disk_close(file);
    return rc;
}
