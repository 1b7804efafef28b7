/* SPDX-License-Identifier: GPL-2.0-only */
/* Metadata page cache: PVB_TCACHE_SLOTS pages, least recently used replaced. */
#include "disk/tcache.h"
#include "util/mem.h"
#include "util/safemath.h"

struct slot {
    uint64_t start;  /* file offset of the page */
    uint32_t len;    /* bytes in it: a page, or less at a table's end; 0 = empty */
    uint64_t used;   /* tick of the last use */
    uint8_t *data;
};

struct pvb_tcache {
    struct pvb_ctx *ctx;
    struct pvb_disk *file;
    uint64_t tick;
    unsigned last;   /* slot of the last hit: sequential reads hit it again */
    struct slot slots[PVB_TCACHE_SLOTS];
    uint8_t pages[PVB_TCACHE_SLOTS][PVB_TCACHE_PAGE];
};

int pvb_tcache_new(struct pvb_ctx *c, struct pvb_disk *file, struct pvb_tcache **out)
{
    struct pvb_tcache *t = pvb_zalloc(c, sizeof(*t), "table cache");
    unsigned i;

    if (!t)
        return c->err;
    t->ctx = c;
    t->file = file;
    for (i = 0; i < PVB_TCACHE_SLOTS; i++)
        t->slots[i].data = t->pages[i];
    *out = t;
    return 0;
}

void pvb_tcache_free(struct pvb_tcache *t)
{
    if (t)
        pvb_free(t->ctx, t);
}

static struct slot *find(struct pvb_tcache *t, uint64_t start, uint32_t len)
{
    struct slot *s = &t->slots[t->last], *victim;
    unsigned i;

    if (s->len == len && s->start == start)
        return s;
    victim = &t->slots[0];
    for (i = 0; i < PVB_TCACHE_SLOTS; i++) {
        s = &t->slots[i];
        if (s->len == len && s->start == start) {
            t->last = i;
            return s;
        }
        if (s->used < victim->used)
            victim = s;
    }
    return victim;
}

int pvb_tcache_get(struct pvb_tcache *t, uint64_t table, uint64_t size, uint64_t pos,
                   unsigned esize, const uint8_t **p)
{
    uint64_t page = pos / PVB_TCACHE_PAGE, start, left;
    uint32_t len, in = (uint32_t)(pos % PVB_TCACHE_PAGE);
    struct slot *s;
    int rc;

    if (esize == 0 || PVB_TCACHE_PAGE % esize || pos % esize || pos >= size ||
        pvb_add_u64(table, page * PVB_TCACHE_PAGE, &start))
        return pvb_fail(t->ctx, PVB_ECORRUPT, "%s: bad table entry %llu at %llu",
                        t->file->ops->name, (unsigned long long)pos,
                        (unsigned long long)table);
    left = size - page * PVB_TCACHE_PAGE;
    len = left < PVB_TCACHE_PAGE ? (uint32_t)left : PVB_TCACHE_PAGE;
    if (in + esize > len)
        return pvb_fail(t->ctx, PVB_ECORRUPT, "%s: table at %llu ends inside entry %llu",
                        t->file->ops->name, (unsigned long long)table,
                        (unsigned long long)pos);
    s = find(t, start, len);
    if (s->len != len || s->start != start) {
        s->len = 0;
        rc = pvb_disk_pread(t->file, s->data, len, start);
        if (rc)
            return rc;
        s->start = start;
        s->len = len;
        t->last = (unsigned)(s - t->slots);
    }
    s->used = ++t->tick;
    *p = s->data + in;
    return 0;
}
