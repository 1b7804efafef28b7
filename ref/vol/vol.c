/* SPDX-License-Identifier: GPL-2.0-only */
/* The volume-manager stage: the scheme table, the candidate areas, the set of volumes. */
#include <stdio.h>
#include <string.h>

#include "vol/vol.h"
#include "util/mem.h"

/* Tried in this order; their volumes come in this order after the partitions. */
static const struct pvb_vol_scheme *const schemes[] = {
    &pvb_vol_lvm,
};

static void free_lv(struct pvb_ctx *c, struct pvb_lv *lv)
{
    pvb_free(c, lv->segs);
    pvb_free(c, lv->areas);
    lv->segs = NULL;
    lv->areas = NULL;
}

int pvb_vol_add(struct pvb_ctx *c, struct pvb_vol_set *s, struct pvb_lv *lv)
{
    struct pvb_lv *n;

    if (s->count >= c->lim.max_vol_items) {
        free_lv(c, lv);
        return pvb_fail(c, PVB_ELIMIT, "vol: more than %u logical volumes", c->lim.max_vol_items);
    }
    n = pvb_grow(c, s->lvs, &s->cap, s->count + 1, sizeof(*s->lvs), "logical volumes");
    if (!n) {
        free_lv(c, lv);
        return c->err;
    }
    s->lvs = n;
    s->lvs[s->count++] = *lv;
    return 0;
}

int pvb_vol_scan(struct pvb_disk *d, const struct pvb_part_table *t, struct pvb_vol_set *out)
{
    struct pvb_ctx *c = d->ctx;
    struct pvb_vol_area *areas;
    unsigned i, k, n = 0;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    areas = pvb_calloc(c, (size_t)t->count + 1, sizeof(*areas), "volume-manager areas");
    if (!areas)
        return c->err;
    /* The whole disk first, as GRUB probes (hd0) before its partitions. */
    areas[n].offset = 0;
    areas[n].size = d->size;
    strcpy(areas[n++].name, "hd0");
    for (i = 0; i < t->count; i++) {
        const struct pvb_volume *v = &t->vols[i];
        char part[16];

        for (k = 0; k < n; k++)
            if (areas[k].offset == v->offset && areas[k].size == v->size)
                break;
        if (k < n)
            continue;
        pvb_volume_name(t, v, part);
        areas[n].offset = v->offset;
        areas[n].size = v->size;
        snprintf(areas[n++].name, sizeof(areas[0].name), part[0] ? "hd0,%s" : "hd0", part);
    }
    for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]) && !rc; i++)
        rc = schemes[i]->scan(d, areas, n, out);
    pvb_free(c, areas);
    return rc;
}

void pvb_vol_free(struct pvb_ctx *c, struct pvb_vol_set *s)
{
    unsigned i;

    for (i = 0; i < s->count; i++)
        free_lv(c, &s->lvs[i]);
    pvb_free(c, s->lvs);
    memset(s, 0, sizeof(*s));
}

int pvb_vol_open(struct pvb_disk *d, const struct pvb_lv *lv, struct pvb_disk **out)
{
    return pvb_disk_open_map(d, lv->segs, lv->nsegs, out);
}
