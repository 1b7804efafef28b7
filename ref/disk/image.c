/* SPDX-License-Identifier: GPL-2.0-only */
/* The read loop every image format shares: map the virtual range to runs, merge, fill. */
#include <string.h>

#include "disk/image.h"
#include "disk/tcache.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Bytes of the backing file, zeros past its end (qcow2.txt: "If there is no
 * backing file or the backing file is smaller than the image, they shall
 * read zeros for all parts that are not covered by the backing file"). */
static int read_backing(struct pvb_disk *b, uint8_t *buf, size_t len, uint64_t off)
{
    size_t have = 0;

    if (b && off < b->size)
        have = b->size - off < len ? (size_t)(b->size - off) : len;
    memset(buf + have, 0, len - have);
    return have ? pvb_disk_pread(b, buf, have, off) : 0;
}

/* The pending merged run of file data. */
struct pending {
    uint8_t *dst;
    uint64_t at;
    size_t len;
    uint64_t voff;  /* where it starts on the virtual disk, for messages */
};

static int flush(struct pvb_disk *d, struct pvb_image *im, struct pending *p)
{
    size_t len = p->len;

    if (len == 0)
        return 0;
    p->len = 0;
    if (!pvb_span_ok(p->at, len, im->file->size))
        return pvb_fail(d->ctx, PVB_ECORRUPT,
                        "%s: data for virtual offset %llu is at %llu, past the end of the "
                        "file (%llu bytes)", d->ops->name, (unsigned long long)p->voff,
                        (unsigned long long)p->at, (unsigned long long)im->file->size);
    return pvb_disk_pread(im->file, p->dst, len, p->at);
}

int pvb_image_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    struct pvb_image *im = d->priv;
    struct pending p = { NULL, 0, 0, 0 };
    uint8_t *dst = buf;
    int rc;

    im->zc.served += len;
    while (len > 0) {
        struct pvb_run r;
        size_t n;

        memset(&r, 0, sizeof(r));
        rc = im->map(d, off, len, &r);
        if (rc)
            return rc;
        if (r.len == 0 || r.len > len)  /* a driver bug; never loop forever on it */
            return pvb_fail(d->ctx, PVB_ECORRUPT, "%s: bad mapping at %llu", d->ops->name,
                            (unsigned long long)off);
        n = (size_t)r.len;
        if (r.kind == PVB_RUN_FILE && p.len && p.at + p.len == r.at && p.dst + p.len == dst) {
            p.len += n;
        } else {
            if ((rc = flush(d, im, &p)) != 0)
                return rc;
            if (r.kind == PVB_RUN_FILE) {
                p.dst = dst;
                p.at = r.at;
                p.len = n;
                p.voff = off;
            } else if (r.kind == PVB_RUN_ZERO) {
                memset(dst, 0, n);
            } else if (r.kind == PVB_RUN_MEM) {
                memcpy(dst, r.mem, n);
            } else if ((rc = read_backing(im->backing, dst, n, off)) != 0) {
                return rc;
            }
        }
        dst += n;
        off += n;
        len -= n;
    }
    return flush(d, im, &p);
}

struct pvb_disk *pvb_disk_backing(const struct pvb_disk *d)
{
    const struct pvb_image *im = d->priv;

    return d->ops->pread == pvb_image_pread ? im->backing : NULL;
}

void *pvb_image_new(struct pvb_ctx *c, size_t size, const char *what, struct pvb_disk *file)
{
    struct pvb_image *im = pvb_zalloc(c, size, what);

    if (!im)
        return NULL;
    im->file = file;
    if (pvb_tcache_new(c, file, &im->tc) != 0) {
        pvb_free(c, im);
        return NULL;
    }
    return im;
}

void pvb_image_free(struct pvb_ctx *c, struct pvb_image *im)
{
    unsigned i;

    pvb_disk_close(im->backing);
    pvb_inflate_free(im->zc.z);
    pvb_free(c, im->zc.in);
    for (i = 0; i < PVB_ZCLUSTER_SLOTS; i++)
        pvb_free(c, im->zc.buf[i]);
    pvb_tcache_free(im->tc);
    pvb_free(c, im);
}

void pvb_image_close(struct pvb_disk *d)
{
    struct pvb_image *im = d->priv;

    pvb_disk_close(im->file);
    pvb_image_free(d->ctx, im);
}

int pvb_image_l2(struct pvb_disk *d, struct pvb_image *im, const struct pvb_l1 *t, uint64_t l1i,
                 uint64_t *l2off)
{
    const uint8_t *p;
    int rc;

    rc = pvb_tcache_get(im->tc, t->off, t->bytes, l1i * 8, 8, &p);
    if (rc)
        return rc;
    *l2off = pvb_be64(p) & t->mask;
    if (*l2off % t->align)
        return pvb_fail(d->ctx, PVB_ECORRUPT, "%s: L1 entry %llu: L2 table offset %llu is not "
                        "cluster-aligned", d->ops->name, (unsigned long long)l1i,
                        (unsigned long long)*l2off);
    if (*l2off && !pvb_span_ok(*l2off, t->l2_bytes, im->file->size))
        return pvb_fail(d->ctx, PVB_ECORRUPT, "%s: L1 entry %llu: L2 table at %llu is past the "
                        "end of the file (%llu bytes)", d->ops->name, (unsigned long long)l1i,
                        (unsigned long long)*l2off, (unsigned long long)im->file->size);
    return 0;
}

#define ZC_AMPLIFY 4u                  /* bytes inflated per byte served, beyond the slack */
#define ZC_SLACK ((uint64_t)64 << 20)  /* metadata read from scattered clusters */

/* The slot to fill: an empty one, or the least recently used; its buffer made if need be. */
static int zcluster_slot(struct pvb_ctx *c, struct pvb_zcluster *zc, unsigned *slot)
{
    unsigned i, best = 0;

    if (!zc->in && !(zc->in = pvb_alloc(c, zc->in_cap, "compressed cluster")))
        return c->err;
    if (!zc->z && pvb_inflate_new(c, zc->codec, &zc->z) != 0)
        return c->err;
    for (i = 0; i < PVB_ZCLUSTER_SLOTS; i++) {
        if (!zc->key[i]) {
            best = i;
            break;
        }
        if (zc->last[i] < zc->last[best])
            best = i;
    }
    if (!zc->buf[best] && !(zc->buf[best] = pvb_alloc(c, zc->size, "decompressed cluster")))
        return c->err;
    zc->key[best] = 0;
    *slot = best;
    return 0;
}

int pvb_zcluster_load(struct pvb_disk *d, struct pvb_image *im, uint64_t key, uint64_t at,
                      uint64_t n, uint64_t voff)
{
    struct pvb_zcluster *zc = &im->zc;
    uint64_t fsize = im->file->size;
    unsigned i;
    int rc;

    for (i = 0; i < PVB_ZCLUSTER_SLOTS; i++)
        if (zc->key[i] == key) {
            zc->last[i] = ++zc->clock;
            zc->out = zc->buf[i];
            return 0;
        }
    if (at >= fsize)
        return pvb_fail(d->ctx, PVB_ECORRUPT, "%s: compressed cluster for virtual offset %llu "
                        "is at %llu, past the end of the file (%llu bytes)", d->ops->name,
                        (unsigned long long)voff, (unsigned long long)at,
                        (unsigned long long)fsize);
    if (n > fsize - at)
        n = fsize - at;
    if (n > zc->in_cap)
        n = zc->in_cap;
    /* Read in order, a compressed image inflates about what it serves (each cluster once,
     * the cache keeping the few a file's blocks move between); out of order, up to a
     * cluster per small read. Past 4 times what it served, beyond slack for scattered
     * metadata, the image is built to make us inflate: the inflate budget ends it long
     * before its absolute cap. */
    zc->inflated += zc->size;
    if (zc->inflated > ZC_AMPLIFY * zc->served + ZC_SLACK)
        return pvb_fail(d->ctx, PVB_ELIMIT, "%s: %llu bytes decompressed to serve %llu bytes "
                        "read: the clusters are read out of order (the inflate budget)",
                        d->ops->name, (unsigned long long)zc->inflated,
                        (unsigned long long)zc->served);
    rc = zcluster_slot(d->ctx, zc, &i);
    if (!rc)
        rc = pvb_charge(d->ctx, PVB_BUDGET_INFLATE, zc->size);
    if (!rc)
        rc = pvb_disk_pread(im->file, zc->in, (size_t)n, at);
    if (!rc)
        rc = pvb_inflate_run(zc->z, zc->in, (size_t)n, zc->buf[i], zc->size);
    if (rc) {
        pvb_ctx_prefix(d->ctx, "%s: compressed cluster for virtual offset %llu at %llu: ",
                       d->ops->name, (unsigned long long)voff, (unsigned long long)at);
        return rc;
    }
    zc->key[i] = key;
    zc->last[i] = ++zc->clock;
    zc->out = zc->buf[i];
    return 0;
}
