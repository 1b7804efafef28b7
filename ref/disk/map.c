/* SPDX-License-Identifier: GPL-2.0-only */
/* Mapped view: a disk made of segments of its parent, each linear or striped (LVM2 LVs). */
#include <string.h>

#include "disk/disk.h"
#include "util/mem.h"
#include "util/safemath.h"

struct map {
    struct pvb_disk *parent;
    unsigned nsegs;
    struct pvb_disk_seg *segs;   /* copies; each seg's area points into areas */
    uint64_t *areas;
};

/* The segment holding view byte off (segments are contiguous from 0, sorted). */
static const struct pvb_disk_seg *find_seg(const struct map *m, uint64_t off)
{
    unsigned lo = 0, hi = m->nsegs;

    while (hi - lo > 1) {
        unsigned mid = lo + (hi - lo) / 2;

        if (m->segs[mid].start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return &m->segs[lo];
}

static int map_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    struct map *m = d->priv;
    unsigned char *p = buf;

    /* off + len <= d->size was checked; every area was checked against the parent. */
    while (len > 0) {
        const struct pvb_disk_seg *s = find_seg(m, off);
        uint64_t in = off - s->start, disk, room;
        size_t n;
        int rc;

        if (s->nstripes == 1) {
            disk = s->area[0] + in;
            room = s->len - in;
        } else {
            /* Chunk k of the segment is chunk k / nstripes of area k % nstripes
             * (LVM2 striped, grub-core/disk/diskfilter.c's striped read). */
            uint64_t chunk = in / s->stripe_size, within = in % s->stripe_size;

            disk = s->area[chunk % s->nstripes] + (chunk / s->nstripes) * s->stripe_size + within;
            room = s->stripe_size - within;
        }
        n = room < len ? (size_t)room : len;
        rc = pvb_disk_pread(m->parent, p, n, disk);
        if (rc)
            return rc;
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

static void map_close(struct pvb_disk *d)
{
    struct map *m = d->priv;

    if (!m)
        return;
    pvb_free(d->ctx, m->segs);
    pvb_free(d->ctx, m->areas);
    pvb_free(d->ctx, m);
}

static const struct pvb_disk_ops map_ops = {
    .name = "map", .pread = map_pread, .close = map_close
};

/* A segment fits: it starts where the previous one ended, its length splits evenly
 * into its areas (whole stripes when striped), and each area lies inside the parent. */
static int check_seg(struct pvb_ctx *c, const struct pvb_disk_seg *s, unsigned i, uint64_t at,
                     uint64_t parent_size)
{
    uint64_t per;
    unsigned k;

    if (s->start != at)
        return pvb_fail(c, PVB_ECORRUPT, "map: segment %u starts at byte %llu, not %llu", i,
                        (unsigned long long)s->start, (unsigned long long)at);
    if (s->len == 0 || s->nstripes == 0)
        return pvb_fail(c, PVB_ECORRUPT, "map: segment %u is empty", i);
    per = s->len / s->nstripes;
    if (s->len % s->nstripes != 0 ||
        (s->nstripes > 1 && (s->stripe_size == 0 || per % s->stripe_size != 0)))
        return pvb_fail(c, PVB_ECORRUPT,
                        "map: segment %u: %llu bytes do not split into %u stripes of %llu-byte chunks",
                        i, (unsigned long long)s->len, s->nstripes,
                        (unsigned long long)s->stripe_size);
    for (k = 0; k < s->nstripes; k++)
        if (!pvb_span_ok(s->area[k], per, parent_size))
            return pvb_fail(c, PVB_ERANGE,
                            "map: segment %u: %llu bytes at %llu are past the end of the disk (%llu bytes)",
                            i, (unsigned long long)per, (unsigned long long)s->area[k],
                            (unsigned long long)parent_size);
    return 0;
}

int pvb_disk_open_map(struct pvb_disk *parent, const struct pvb_disk_seg *segs, unsigned n,
                      struct pvb_disk **out)
{
    struct pvb_ctx *c = parent->ctx;
    struct map *m;
    uint64_t at = 0;
    size_t nareas = 0;
    unsigned i;
    int rc;

    if (n == 0)
        return pvb_fail(c, PVB_ECORRUPT, "map: no segments");
    for (i = 0; i < n; i++) {
        rc = check_seg(c, &segs[i], i, at, parent->size);
        if (rc)
            return rc;
        if (pvb_add_u64(at, segs[i].len, &at) || pvb_add_sz(nareas, segs[i].nstripes, &nareas))
            return pvb_fail(c, PVB_ECORRUPT, "map: segment %u: the view's size overflows", i);
    }
    m = pvb_zalloc(c, sizeof(*m), "mapped view");
    if (!m)
        return c->err;
    m->parent = parent;
    m->nsegs = n;
    m->segs = pvb_calloc(c, n, sizeof(*m->segs), "mapped view segments");
    m->areas = m->segs ? pvb_calloc(c, nareas, sizeof(*m->areas), "mapped view areas") : NULL;
    if (!m->areas)
        goto fail;
    nareas = 0;
    for (i = 0; i < n; i++) {
        m->segs[i] = segs[i];
        memcpy(m->areas + nareas, segs[i].area, segs[i].nstripes * sizeof(*m->areas));
        m->segs[i].area = m->areas + nareas;
        nareas += segs[i].nstripes;
    }
    rc = pvb_disk_new(c, &map_ops, at, out);
    if (rc)
        goto fail;
    (*out)->priv = m;
    (*out)->sector_size = parent->sector_size;
    return 0;
fail:
    pvb_free(c, m->segs);
    pvb_free(c, m->areas);
    pvb_free(c, m);
    return c->err;
}
