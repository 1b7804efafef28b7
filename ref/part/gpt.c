/* SPDX-License-Identifier: GPL-2.0-only */
/* GPT: primary header at LBA 1 checked in full, the backup at the last LBA when it is bad. */
#include <stdio.h>
#include <string.h>

#include "part/table.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Header fields (UEFI 2.10, table 5.21). */
#define H_SIG           0
#define H_SIZE          12
#define H_CRC           16
#define H_MY_LBA        24
#define H_FIRST_USABLE  40
#define H_LAST_USABLE   48
#define H_DISK_GUID     56
#define H_ENTRIES_LBA   72
#define H_NENTRIES      80
#define H_ENTRY_SIZE    84
#define H_ENTRIES_CRC   88
#define H_MIN_SIZE      92

/* Entry fields (table 5.22). */
#define E_TYPE   0
#define E_GUID   16
#define E_FIRST  32
#define E_LAST   40
#define E_ATTRS  48
#define E_NAME   56
#define E_NAME_UNITS 36

#define MAX_SECTOR 4096

struct gpt {
    unsigned ss;
    uint64_t lba;             /* where this header is */
    uint64_t first_usable, last_usable;
    uint64_t entries_lba;
    uint32_t nentries, entry_size;
    uint8_t disk_guid[16];
    uint8_t *entries;         /* nentries * entry_size bytes, CRC checked */
};

/*
 * Load and check the header at `lba` with sector size ss, then its entry
 * array. On failure `why` says what was wrong; the return value is
 * PVB_ENOTMINE when there is no signature at all.
 */
static int load(struct pvb_disk *d, unsigned ss, uint64_t lba, struct gpt *g, char *why,
                size_t whylen)
{
    struct pvb_ctx *c = d->ctx;
    uint8_t sec[MAX_SECTOR];
    uint64_t nlba = d->size / ss, off, bytes, end_lba;
    uint32_t hsize, crc;
    size_t nbytes;
    int rc;

    memset(g, 0, sizeof(*g));
    g->ss = ss;
    g->lba = lba;
    if (nlba < 3 || lba >= nlba) {
        snprintf(why, whylen, "disk too small");
        return PVB_ENOTMINE;
    }
    rc = pvb_disk_pread(d, sec, ss, lba * ss);
    if (rc)
        return rc;
    if (memcmp(sec + H_SIG, "EFI PART", 8) != 0) {
        snprintf(why, whylen, "no signature");
        return PVB_ENOTMINE;
    }
    hsize = pvb_le32(sec + H_SIZE);
    if (hsize < H_MIN_SIZE || hsize > ss) {
        snprintf(why, whylen, "header size %lu", (unsigned long)hsize);
        return PVB_ECORRUPT;
    }
    crc = pvb_le32(sec + H_CRC);
    memset(sec + H_CRC, 0, 4);
    if (pvb_crc32(sec, hsize) != crc) {
        snprintf(why, whylen, "header CRC mismatch");
        return PVB_ECORRUPT;
    }
    if (pvb_le64(sec + H_MY_LBA) != lba) {
        snprintf(why, whylen, "header says it is at LBA %llu, found at %llu",
                 (unsigned long long)pvb_le64(sec + H_MY_LBA), (unsigned long long)lba);
        return PVB_ECORRUPT;
    }
    g->first_usable = pvb_le64(sec + H_FIRST_USABLE);
    g->last_usable = pvb_le64(sec + H_LAST_USABLE);
    g->entries_lba = pvb_le64(sec + H_ENTRIES_LBA);
    g->nentries = pvb_le32(sec + H_NENTRIES);
    g->entry_size = pvb_le32(sec + H_ENTRY_SIZE);
    memcpy(g->disk_guid, sec + H_DISK_GUID, 16);
    if (g->first_usable > g->last_usable || g->last_usable >= nlba) {
        snprintf(why, whylen, "usable LBAs %llu..%llu outside the disk",
                 (unsigned long long)g->first_usable, (unsigned long long)g->last_usable);
        return PVB_ECORRUPT;
    }
    if (g->entry_size < 128 || g->entry_size % 8 != 0 || g->entry_size > MAX_SECTOR) {
        snprintf(why, whylen, "entry size %lu", (unsigned long)g->entry_size);
        return PVB_ECORRUPT;
    }
    /* nentries < 2^32 and entry_size <= 4096: no overflow here. */
    bytes = (uint64_t)g->nentries * g->entry_size;
    end_lba = g->entries_lba + (bytes + ss - 1) / ss;
    if (g->entries_lba < 1 || end_lba < g->entries_lba || end_lba > nlba ||
        (lba >= g->entries_lba && lba < end_lba)) {
        snprintf(why, whylen, "entry array at LBA %llu outside the disk or over the header",
                 (unsigned long long)g->entries_lba);
        return PVB_ECORRUPT;
    }
    /* A header that is valid but lists more entries than our limit: the limit ends the
     * scan (a limit of ours is no bad header, so the backup is not tried instead). */
    if (g->nentries > c->lim.max_parts)
        return pvb_fail(c, PVB_ELIMIT, "gpt: the header at LBA %llu lists %lu entries; the "
                        "limit is %u", (unsigned long long)lba, (unsigned long)g->nentries,
                        c->lim.max_parts);
    if (pvb_u64_to_sz(bytes, &nbytes))
        return pvb_fail(c, PVB_ELIMIT, "gpt: entry array of %llu bytes", (unsigned long long)bytes);
    g->entries = pvb_alloc(c, nbytes ? nbytes : 1, "gpt entries");
    if (!g->entries)
        return c->err;
    off = g->entries_lba * ss;
    rc = pvb_disk_pread(d, g->entries, nbytes, off);
    if (rc)
        return rc;
    if (pvb_crc32(g->entries, nbytes) != pvb_le32(sec + H_ENTRIES_CRC)) {
        snprintf(why, whylen, "entry array CRC mismatch");
        return PVB_ECORRUPT;
    }
    return 0;
}

static void unload(struct pvb_ctx *c, struct gpt *g)
{
    pvb_free(c, g->entries);
    g->entries = NULL;
}

/* UTF-16LE name to UTF-8; unpaired surrogates become '?'. */
static void name_utf8(const uint8_t *u16, char *out, size_t cap)
{
    size_t o = 0;
    int i;

    for (i = 0; i < E_NAME_UNITS; i++) {
        uint32_t cp = pvb_le16(u16 + 2 * i);

        if (cp == 0)
            break;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < E_NAME_UNITS) {
            uint32_t lo = pvb_le16(u16 + 2 * (i + 1));
            if (lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                i++;
            } else {
                cp = '?';
            }
        } else if (cp >= 0xd800 && cp < 0xe000) {
            cp = '?';
        }
        if (cp < 0x80 && o + 1 < cap) {
            out[o++] = (char)cp;
        } else if (cp < 0x800 && o + 2 < cap) {
            out[o++] = (char)(0xc0 | cp >> 6);
            out[o++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000 && o + 3 < cap) {
            out[o++] = (char)(0xe0 | cp >> 12);
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (cp & 0x3f));
        } else if (o + 4 < cap) {
            out[o++] = (char)(0xf0 | cp >> 18);
            out[o++] = (char)(0x80 | ((cp >> 12) & 0x3f));
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (cp & 0x3f));
        }
    }
    out[o] = '\0';
}

static int all_zero(const uint8_t *p, size_t n)
{
    while (n--)
        if (*p++)
            return 0;
    return 1;
}

static void warn_overlaps(struct pvb_ctx *c, const struct pvb_part_table *t)
{
    unsigned i, j;

    for (i = 0; i < t->count; i++)
        for (j = i + 1; j < t->count; j++) {
            const struct pvb_volume *a = &t->vols[i], *b = &t->vols[j];
            if (a->offset < b->offset + b->size && b->offset < a->offset + a->size)
                pvb_warn(c, "gpt: partitions %u and %u overlap", a->index, b->index);
        }
}

/* Entries in slot order; gptN is slot N-1, as GRUB numbers them. */
static int add_entries(struct pvb_disk *d, const struct gpt *g, struct pvb_part_table *t)
{
    struct pvb_ctx *c = d->ctx;
    uint32_t i;

    for (i = 0; i < g->nentries; i++) {
        const uint8_t *e = g->entries + (size_t)i * g->entry_size;
        uint64_t first = pvb_le64(e + E_FIRST), last = pvb_le64(e + E_LAST);
        uint64_t off, size;
        struct pvb_volume *v;

        if (all_zero(e + E_TYPE, 16))
            continue;
        if (first > last || last > g->last_usable || first < g->first_usable ||
            pvb_mul_u64(first, g->ss, &off) || pvb_mul_u64(last - first + 1, g->ss, &size) ||
            !pvb_span_ok(off, size, d->size)) {
            pvb_warn(c, "gpt%lu: LBAs %llu..%llu outside the usable area; skipped",
                     (unsigned long)i + 1, (unsigned long long)first, (unsigned long long)last);
            continue;
        }
        v = pvb_part_add(c, t);
        if (!v)
            return c->err;
        v->offset = off;
        v->size = size;
        v->index = i + 1;
        memcpy(v->type_guid, e + E_TYPE, 16);
        memcpy(v->part_guid, e + E_GUID, 16);
        v->gpt_attrs = pvb_le64(e + E_ATTRS);
        v->bootable = (v->gpt_attrs & PVB_GPT_ATTR_LEGACY_BOOT) != 0;
        name_utf8(e + E_NAME, v->name, sizeof(v->name));
    }
    warn_overlaps(c, t);
    return 0;
}

/* load(), releasing the entry array again when the header is not usable. */
static int try_load(struct pvb_disk *d, unsigned ss, uint64_t lba, struct gpt *g, char *why,
                    size_t whylen)
{
    int rc = load(d, ss, lba, g, why, whylen);

    if (rc)
        unload(d->ctx, g);
    return rc;
}

/*
 * The sector size of an image file is not recorded anywhere: the first of
 * 512 and 4096 (or the device's own) with a signature at LBA 1 is it. When
 * that primary header is bad, the backup at the last LBA is read instead.
 */
int pvb_gpt_scan(struct pvb_disk *d, struct pvb_part_table *t)
{
    struct pvb_ctx *c = d->ctx;
    unsigned sizes[2] = { 512, 4096 }, nsizes = 2, i, ss = 0;
    char why_primary[160] = "no signature", why_backup[160] = "no signature";
    struct gpt g;
    int rc = PVB_ENOTMINE;

    if (d->sector_size) {
        if (d->sector_size < 512 || d->sector_size > MAX_SECTOR ||
            (d->sector_size & (d->sector_size - 1)))
            return pvb_fail(c, PVB_EUNSUPPORTED, "gpt: sector size %u", d->sector_size);
        sizes[0] = d->sector_size;
        nsizes = 1;
    }
    for (i = 0; i < nsizes && rc == PVB_ENOTMINE; i++) {
        rc = try_load(d, sizes[i], 1, &g, why_primary, sizeof(why_primary));
        if (rc != PVB_ENOTMINE)
            ss = sizes[i];
    }
    if (pvb_err_fatal(rc))
        return rc;
    if (rc) {
        for (i = 0; i < nsizes; i++) {
            if (ss && sizes[i] != ss)
                continue;
            rc = try_load(d, sizes[i], d->size / sizes[i] - 1, &g, why_backup,
                          sizeof(why_backup));
            if (rc != PVB_ENOTMINE)
                break;
        }
        if (pvb_err_fatal(rc))
            return rc;
        if (rc)
            return pvb_fail(c, PVB_ECORRUPT, "gpt: no valid header (primary: %s; backup: %s)",
                            why_primary, why_backup);
        pvb_warn(c, "gpt: primary header invalid (%s); using the backup at LBA %llu",
                 why_primary, (unsigned long long)g.lba);
        t->flags |= PVB_PART_GPT_BACKUP;
    }
    t->sector_size = g.ss;
    memcpy(t->disk_guid, g.disk_guid, 16);
    rc = add_entries(d, &g, t);
    unload(c, &g);
    return rc;
}
