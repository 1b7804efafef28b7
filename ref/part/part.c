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
    if (t->scheme == PVB_PART_NONE || v->index == 0)
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

/*
 * A hybrid ISO (isohybrid, xorriso -isohybrid-mbr/-partition_offset) is an ISO 9660
 * volume whose system area also holds an MBR or a GPT: the signature and "CD001" at
 * byte 0x8001, the first volume descriptor. GRUB's partition maps have no case for
 * it: (hd0) is the whole disk, where its iso9660 driver finds the volume at block
 * 16, and (hd0,msdosN) are the table's partitions, an EFI system partition among
 * them. pygrub's identify_disk_image means to try offset 0 first (under Python 3 its
 * bytes/str comparison never matches). So a hybrid gets both: the whole disk first,
 * as volume index 0 named (hd0), then the table's partitions under their numbers.
 */
static int add_hybrid(struct pvb_disk *d, struct pvb_part_table *t)
{
    uint8_t cd[5];
    struct pvb_volume *v;
    int rc;

    if (d->size < 0x8001 + sizeof(cd))
        return 0;
    if ((rc = pvb_disk_pread(d, cd, sizeof(cd), 0x8001)) != 0)
        return rc;
    if (memcmp(cd, "CD001", 5) != 0)
        return 0;
    if (!(v = pvb_part_add(d->ctx, t)))
        return d->ctx->err;
    memmove(t->vols + 1, t->vols, (t->count - 1) * sizeof(*v));
    v = &t->vols[0];
    memset(v, 0, sizeof(*v));
    v->size = d->size;
    t->flags |= PVB_PART_ISOHYBRID;
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
            if (!rc)
                rc = add_hybrid(d, t);
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
    if ((rc = add_hybrid(d, t)) != 0)
        pvb_part_free(d->ctx, t);
    return rc;
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
