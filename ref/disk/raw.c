/* SPDX-License-Identifier: GPL-2.0-only */
/* Raw driver: a disk image file or block device read with pread. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk/disk.h"
#include "util/budget.h"
#include "util/mem.h"

struct raw {
    int fd;
    int own_fd;
};

static int raw_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    struct raw *r = d->priv;
    uint8_t *p = buf;
    int rc;

    /* Image files are the bottom of every disk: the run's read budget is charged here. */
    if ((rc = pvb_charge(d->ctx, PVB_BUDGET_READ, len)) != 0)
        return rc;
    while (len > 0) {
        /* Cap each call: a 32-bit ssize_t cannot report more than 2 GiB. */
        size_t want = len > ((size_t)1 << 30) ? ((size_t)1 << 30) : len;
        ssize_t n = pread(r->fd, p, want, (off_t)off);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return pvb_fail(d->ctx, PVB_EIO, "raw: read at %llu: %s",
                            (unsigned long long)off, strerror(errno));
        }
        if (n == 0)
            return pvb_fail(d->ctx, PVB_EIO, "raw: unexpected end of file at %llu",
                            (unsigned long long)off);
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

static void raw_close(struct pvb_disk *d)
{
    struct raw *r = d->priv;

    if (!r)
        return;
    if (r->own_fd)
        close(r->fd);
    pvb_free(d->ctx, r);
}

static const struct pvb_disk_ops raw_ops = {
    .name = "raw", .pread = raw_pread, .close = raw_close
};

/* Regular files report their size in st_size; block devices only by seeking. */
static int fd_size(struct pvb_ctx *c, int fd, uint64_t *size)
{
    struct stat st;
    off_t end;

    if (fstat(fd, &st) != 0)
        return pvb_fail(c, PVB_EIO, "raw: stat: %s", strerror(errno));
    if (S_ISREG(st.st_mode)) {
        *size = (uint64_t)st.st_size;
        return 0;
    }
    if (!S_ISBLK(st.st_mode))
        return pvb_fail(c, PVB_EINVAL, "raw: not a regular file or block device");
    end = lseek(fd, 0, SEEK_END);
    if (end < 0)
        return pvb_fail(c, PVB_EIO, "raw: cannot find the device size: %s", strerror(errno));
    *size = (uint64_t)end;
    return 0;
}

int pvb_disk_open_fd(struct pvb_ctx *c, int fd, int own_fd, struct pvb_disk **out)
{
    struct pvb_disk *d;
    struct raw *r;
    uint64_t size = 0;
    int rc;

    rc = fd_size(c, fd, &size);
    if (rc)
        return rc;
    r = pvb_zalloc(c, sizeof(*r), "raw disk");
    if (!r)
        return c->err;
    rc = pvb_disk_new(c, &raw_ops, size, &d);
    if (rc) {
        pvb_free(c, r);
        return rc;
    }
    r->fd = fd;
    r->own_fd = own_fd;
    d->priv = r;
    *out = d;
    return 0;
}
