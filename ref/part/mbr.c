/* SPDX-License-Identifier: GPL-2.0-only */
/* MBR: four primary entries and the extended/logical chain, numbered as GRUB numbers them. */
#include <string.h>

#include "part/table.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

struct mbr_entry {
    uint8_t flag, type;
    uint32_t start, nsect;  /* in sectors, relative to the table's base */
};

static void entry_at(const uint8_t *sec, int i, struct mbr_entry *e)
{
    const uint8_t *p = sec + PVB_MBR_ENTRY(i);

    e->flag = p[0];
    e->type = p[4];
    e->start = pvb_le32(p + 8);
    e->nsect = pvb_le32(p + 12);
}

/* DOS, Windows and Linux extended containers (GRUB msdos_partition.h). */
static int is_extended(uint8_t type)
{
    return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Add the data partition e of the table at byte `base`, unless it is
 * empty or outside the disk: then only say so. */
static int add_entry(struct pvb_disk *d, struct pvb_part_table *t, const struct mbr_entry *e,
                     uint64_t base, unsigned index, int logical)
{
    struct pvb_ctx *c = d->ctx;
    uint64_t ss = t->sector_size, off, size;
    struct pvb_volume *v;

    if (e->start == 0 || e->nsect == 0) {
        pvb_warn(c, "msdos%u: empty (start %lu, %lu sectors); skipped", index,
                 (unsigned long)e->start, (unsigned long)e->nsect);
        return 0;
    }
    off = base + (uint64_t)e->start * ss;   /* < 2^64: base < disk size, start*ss < 2^44 */
    size = (uint64_t)e->nsect * ss;
    if (off < base || !pvb_span_ok(off, size, d->size)) {
        pvb_warn(c, "msdos%u: %llu bytes at %llu go past the end of the disk (%llu bytes); skipped",
                 index, (unsigned long long)size, (unsigned long long)off,
                 (unsigned long long)d->size);
        return 0;
    }
    v = pvb_part_add(c, t);
    if (!v)
        return c->err;
    v->offset = off;
    v->size = size;
    v->index = index;
    v->logical = logical;
    v->bootable = e->flag == 0x80;
    v->mbr_type = e->type;
    return 0;
}

/* Was this EBR offset seen already? The chain is capped at max_parts, so a
 * linear search stays cheap (at most max_parts^2/2 compares). */
static int seen(const uint64_t *list, unsigned n, uint64_t off)
{
    unsigned i;

    for (i = 0; i < n; i++)
        if (list[i] == off)
            return 1;
    return 0;
}

/*
 * Follow the chain of extended boot records. As GRUB does: each EBR may hold
 * data entries (numbered 5, 6, ... in chain order, start relative to the
 * EBR) and one extended entry pointing at the next EBR (start relative to
 * the first extended partition). A broken chain ends with a warning; the
 * logicals found before the break are kept.
 */
static int follow_chain(struct pvb_disk *d, struct pvb_part_table *t, uint64_t ext_base)
{
    struct pvb_ctx *c = d->ctx;
    uint64_t ebr = ext_base, *visited = NULL;
    unsigned nvisited = 0, next_index = 5;
    uint8_t sec[PVB_MBR_SIZE];
    int rc = 0;

    visited = pvb_calloc(c, c->lim.max_parts ? c->lim.max_parts : 1, sizeof(*visited),
                         "logical chain");
    if (!visited)
        return c->err;
    for (;;) {
        struct mbr_entry e;
        uint64_t next = 0;
        int i, have_next = 0;

        if (seen(visited, nvisited, ebr)) {
            pvb_warn(c, "msdos: logical partition chain loops back to sector %llu; stopped",
                     (unsigned long long)(ebr / t->sector_size));
            break;
        }
        if (nvisited >= c->lim.max_parts) {
            /* Our limit, not the guest's chain: GRUB would read on, so stopping here
             * could hide the volume that boots. */
            rc = pvb_fail(c, PVB_ELIMIT, "msdos: logical partition chain longer than %u "
                          "(the partition limit)", c->lim.max_parts);
            break;
        }
        visited[nvisited++] = ebr;
        if (!pvb_span_ok(ebr, sizeof(sec), d->size)) {
            pvb_warn(c, "msdos: extended boot record at %llu is past the end of the disk; chain stopped",
                     (unsigned long long)ebr);
            break;
        }
        rc = pvb_disk_pread(d, sec, sizeof(sec), ebr);
        if (rc)
            break;
        if (pvb_le16(sec + 510) != 0xaa55) {
            pvb_warn(c, "msdos: extended boot record at %llu has no signature; chain stopped",
                     (unsigned long long)ebr);
            break;
        }
        for (i = 0; i < 4; i++) {
            entry_at(sec, i, &e);
            if (e.type == 0)
                continue;
            if (is_extended(e.type)) {
                if (!have_next) {
                    have_next = 1;
                    next = ext_base + (uint64_t)e.start * t->sector_size;
                }
                continue;
            }
            if (t->count >= c->lim.max_parts) {
                pvb_warn(c, "msdos: more than %u partitions; the rest are ignored",
                         c->lim.max_parts);
                goto out;
            }
            rc = add_entry(d, t, &e, ebr, next_index++, 1);
            if (rc)
                goto out;
        }
        if (!have_next)
            break;
        ebr = next;
    }
out:
    pvb_free(c, visited);
    return rc;
}

int pvb_mbr_scan(struct pvb_disk *d, const uint8_t *mbr, struct pvb_part_table *t)
{
    struct mbr_entry e;
    uint64_t ext_base = 0;
    int i, rc, have_ext = 0;

    /* Primaries are numbered by slot, 1-4, whatever the slots hold. */
    for (i = 0; i < 4; i++) {
        entry_at(mbr, i, &e);
        if (e.type == 0)
            continue;
        if (is_extended(e.type)) {
            /* GRUB follows the first extended entry only. */
            if (!have_ext) {
                have_ext = 1;
                ext_base = (uint64_t)e.start * t->sector_size;
            }
            continue;
        }
        rc = add_entry(d, t, &e, 0, (unsigned)i + 1, 0);
        if (rc)
            return rc;
    }
    if (!have_ext)
        return 0;
    if (ext_base == 0) {
        pvb_warn(d->ctx, "msdos: extended partition starts at sector 0; not followed");
        return 0;
    }
    return follow_chain(d, t, ext_base);
}
