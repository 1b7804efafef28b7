/* SPDX-License-Identifier: GPL-2.0-only */
/* A disk that records which byte ranges of the image file are read through it: what the floors read. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "disk/format.h"
#include "util/mem.h"

struct trace {
    struct pvb_disk *file;     /* the image file, read as it is */
    struct bn_ranges *out;     /* where reads are recorded, NULL while not */
};

static int trace_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    struct trace *t = d->priv;
    struct bn_ranges *r = t->out;

    if (r && r->n && r->v[r->n - 1].off + r->v[r->n - 1].len == off) {
        r->v[r->n - 1].len += len;   /* the next bytes of the same run */
    } else if (r) {
        struct bn_range *nv = r->v;
        if (r->n == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 64;
            if (!(nv = pvb_realloc(d->ctx, r->v, cap * sizeof(*nv), "read ranges")))
                return d->ctx->err;
            r->v = nv;
            r->cap = cap;
        }
        r->v[r->n].off = off;
        r->v[r->n].len = len;
        r->n++;
    }
    return pvb_disk_pread(t->file, buf, len, off);
}

static void trace_close(struct pvb_disk *d)
{
    struct trace *t = d->priv;

    if (!t)
        return;
    pvb_disk_close(t->file);
    pvb_free(d->ctx, t);
}

static const struct pvb_disk_ops trace_ops = { "raw", trace_pread, trace_close };

int bn_trace_open(struct pvb_ctx *c, const char *path, struct pvb_disk **out, struct pvb_disk **tracer)
{
    struct pvb_disk *file = NULL, *d;
    struct trace *t;
    int fd = open(path, O_RDONLY), rc;

    /* The raw driver over the file, wrapped; every format reads the file through the wrapper. */
    if (fd < 0)
        return pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    if ((rc = pvb_disk_open_fd(c, fd, 1, &file)) != 0) {
        close(fd);
        return rc;
    }
    if ((rc = pvb_disk_new(c, &trace_ops, file->size, &d)) != 0) {
        pvb_disk_close(file);
        return rc;
    }
    if (!(t = pvb_zalloc(c, sizeof(*t), "trace"))) {
        pvb_disk_close(file);
        pvb_disk_close(d);
        return c->err;
    }
    t->file = file;
    d->priv = t;
    rc = pvb_format_open(c, d, path, NULL, out);
    if (rc)
        pvb_disk_close(d);
    else
        *tracer = d;
    return rc;
}

void bn_trace_record(struct pvb_disk *tracer, struct bn_ranges *r)
{
    ((struct trace *)tracer->priv)->out = r;
}
