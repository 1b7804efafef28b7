/* SPDX-License-Identifier: GPL-2.0-only */
/* Partition scanning: decide between no table, MBR and GPT, and name the volumes. */
#include <stdio.h>
#include <string.h>

#include "part/table.h"
#include "util/bytes.h"
#include "util/mem.h"

const char *pvb_part_scheme_name(enum pvb_part_scheme s)
{
    switch (s) {
    case PVB_PART_MBR: return "msdos";
    case PVB_PART_GPT: return "gpt";
    default: return "none";
    }
}

void pvb_volume_name(const struct pvb_part_table *t, const struct pvb_volume *v, char out[16])
{
    if (t->scheme == PVB_PART_NONE)
        out[0] = '\0';
    else
        snprintf(out, 16, "%s%u", pvb_part_scheme_name(t->scheme), v->index);
}

void pvb_guid_str(const uint8_t g[16], char out[37])
{
    snprintf(out, 37, "%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
             (unsigned long)pvb_le32(g), pvb_le16(g + 4), pvb_le16(g + 6), g[8], g[9],
             g[10], g[11], g[12], g[13], g[14], g[15]);
}

struct pvb_volume *pvb_part_add(struct pvb_ctx *c, struct pvb_part_table *t)
{
    struct pvb_volume *v;

    if (t->count >= c->lim.max_parts) {
        pvb_fail(c, PVB_ELIMIT, "%s: more than %u partitions",
                 pvb_part_scheme_name(t->scheme), c->lim.max_parts);
        return NULL;
    }
    /* Capacity is 4, then doubles each time count reaches a power of two;
     * max_parts keeps the product small. */
    if (t->count == 0 || (t->count >= 4 && (t->count & (t->count - 1)) == 0)) {
        unsigned cap = t->count ? 2 * t->count : 4;
        v = pvb_realloc(c, t->vols, (size_t)cap * sizeof(*v), "partition list");
        if (!v)
            return NULL;
        t->vols = v;
    }
    v = &t->vols[t->count++];
    memset(v, 0, sizeof(*v));
    return v;
}

static int whole_disk(struct pvb_disk *d, struct pvb_part_table *t)
{
    struct pvb_volume *v;

    pvb_part_free(d->ctx, t);
    t->scheme = PVB_PART_NONE;
    v = pvb_part_add(d->ctx, t);
    if (!v)
        return d->ctx->err;
    v->offset = 0;
    v->size = d->size;
    return 0;
}

int pvb_part_scan(struct pvb_disk *d, struct pvb_part_table *t)
{
    uint8_t mbr[PVB_MBR_SIZE];
    int i, rc;

    memset(t, 0, sizeof(*t));
    t->sector_size = d->sector_size ? d->sector_size : 512;
    if (d->size < PVB_MBR_SIZE)
        return whole_disk(d, t);
    rc = pvb_disk_pread(d, mbr, sizeof(mbr), 0);
    if (rc)
        return rc;
    if (pvb_le16(mbr + 510) != 0xaa55)
        return whole_disk(d, t);
    /* A boot flag other than 0x00/0x80 means this sector is a filesystem's
     * boot record, not a partition table (GRUB: "bad boot flag"; Linux too). */
    for (i = 0; i < 4; i++)
        if (mbr[PVB_MBR_ENTRY(i)] & 0x7f)
            return whole_disk(d, t);
    t->disk_id = pvb_le32(mbr + 440);
    /* A 0xEE entry in any slot marks a protective MBR (GRUB gpt.c, Linux efi.c). */
    for (i = 0; i < 4; i++)
        if (mbr[PVB_MBR_ENTRY(i) + 4] == PVB_MBR_TYPE_GPT) {
            t->scheme = PVB_PART_GPT;
            rc = pvb_gpt_scan(d, t);
            if (rc)
                pvb_part_free(d->ctx, t);
            return rc;
        }
    t->scheme = PVB_PART_MBR;
    rc = pvb_mbr_scan(d, mbr, t);
    if (rc) {
        pvb_part_free(d->ctx, t);
        return rc;
    }
    if (t->count == 0) {
        pvb_warn(d->ctx, "msdos: no usable partition entry; reading the whole disk");
        return whole_disk(d, t);
    }
    return 0;
}

void pvb_part_free(struct pvb_ctx *c, struct pvb_part_table *t)
{
    pvb_free(c, t->vols);
    t->vols = NULL;
    t->count = 0;
}

int pvb_part_open(struct pvb_disk *d, const struct pvb_volume *v, struct pvb_disk **out)
{
    return pvb_disk_open_sub(d, v->offset, v->size, out);
}
