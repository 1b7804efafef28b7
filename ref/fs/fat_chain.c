/* SPDX-License-Identifier: GPL-2.0-only */
/* FAT cluster chains: FAT entries through a cached window, walks bounded, charged and loop-checked. */
#include "fs/fat.h"
#include "util/budget.h"
#include "util/bytes.h"

uint64_t pvb_fat_cluster_off(const struct pvb_fat *fs, uint32_t c)
{
    return fs->data_off + ((uint64_t)(c - 2) << fs->cbits);
}

int pvb_fat_check_cluster(struct pvb_fat *fs, uint32_t c, const char *what, uint64_t where)
{
    if (c < 2 || c >= fs->nclusters)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "fat: %s %llu: first cluster %u is not one of "
                        "clusters 2 to %u", what, (unsigned long long)where, (unsigned)c,
                        (unsigned)(fs->nclusters - 1));
    return 0;
}

/* FAT entry c (c < nclusters, so inside the FAT: mount checked its size). */
static int fat_get(struct pvb_fat *fs, uint32_t c, uint32_t *val)
{
    uint64_t off = fs->bits == 12 ? c + (c >> 1) : (uint64_t)c * (fs->bits / 8);
    unsigned need = fs->bits == 32 ? 4 : 2;
    const uint8_t *p;
    int rc;

    /* FAT16/32 entries never straddle an aligned window; a FAT12 FAT fits one whole. */
    if (fs->win_len == 0 || off < fs->win_off || off + need > fs->win_off + fs->win_len) {
        uint64_t start = off - off % fs->win_cap;
        size_t len = fs->fat_bytes - start < fs->win_cap ? (size_t)(fs->fat_bytes - start)
                                                          : fs->win_cap;

        fs->win_len = 0;
        if (off + need > start + len)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "the entry of cluster %u lies past "
                            "the FAT", (unsigned)c);
        if ((rc = pvb_disk_pread(fs->vol, fs->win, len, fs->fat_off + start)) != 0)
            return rc;
        fs->win_off = start;
        fs->win_len = len;
    }
    p = fs->win + (off - fs->win_off);
    if (fs->bits == 12)
        *val = (c & 1 ? pvb_le16(p) >> 4 : pvb_le16(p)) & 0xFFFu;
    else if (fs->bits == 16)
        *val = pvb_le16(p);
    else
        *val = pvb_le32(p) & 0x0FFFFFFFu;   /* the top 4 bits are reserved (the spec) */
    return 0;
}

void pvb_fat_chain_init(struct fat_chain *ch, uint32_t first)
{
    ch->first = ch->cur = ch->mark = first;
    ch->idx = 0;
    ch->power = 1;
    ch->lam = 0;
}

/* One step down the chain: 0, 1 at its end, or an error. Each step is charged to the
 * scan budget; a link to a cluster that is not one of the volume's ends the walk as
 * GRUB's "invalid cluster" does. */
static int step(struct pvb_fat *fs, struct fat_chain *ch)
{
    uint32_t next = 0;
    int rc;

    if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0 || (rc = fat_get(fs, ch->cur, &next)) != 0)
        return rc;
    if (next >= fs->eoc)
        return 1;
    if (next < 2 || next >= fs->nclusters)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "cluster chain from %u: cluster %u links to "
                        "0x%x, not one of clusters 2 to %u", (unsigned)ch->first,
                        (unsigned)ch->cur, (unsigned)next, (unsigned)(fs->nclusters - 1));
    /* Brent: the mark jumps to the walker at each power of two; a cycle brings the
     * walker back to the mark within twice its length. A chain of more clusters than
     * the volume has repeats one, whatever the mark saw. */
    if (next == ch->mark || (uint64_t)ch->idx + 2 > fs->nclusters - 2)
        return pvb_fail(fs->ctx, PVB_ELOOP, "cluster chain from %u loops (cluster %u "
                        "again after %u links)", (unsigned)ch->first, (unsigned)next,
                        (unsigned)(ch->idx + 1));
    if (++ch->lam == ch->power) {
        ch->mark = next;
        ch->power *= 2;
        ch->lam = 0;
    }
    ch->cur = next;
    ch->idx++;
    return 0;
}

int pvb_fat_chain_seek(struct pvb_fat *fs, struct fat_chain *ch, uint32_t idx)
{
    int rc;

    if (idx < ch->idx)
        pvb_fat_chain_init(ch, ch->first);
    while (ch->idx < idx)
        if ((rc = step(fs, ch)) != 0)
            return rc;
    return 0;
}
