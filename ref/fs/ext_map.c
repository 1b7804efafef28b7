/* SPDX-License-Identifier: GPL-2.0-only */
/* ext2/3/4 file mapping: block maps, extent trees and inline data, with a per-file cache. */
#include <string.h>

#include "fs/ext.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"

#define LBLK_END ((uint64_t)1 << 32)   /* logical block numbers are 32-bit (ext4_lblk_t) */

/* Extent tree nodes (e2fsprogs ext3_extents.h): a 12-byte header (magic, entries,
 * max, depth, generation), then 12-byte entries: index (block, leaf lo, leaf hi)
 * or extent (block, len, start hi, start lo). */
#define EH_MAGIC 0xF30A
#define EH_SIZE 12
#define EXT_INIT_MAX_LEN 32768u   /* a longer ee_len marks an unwritten extent */

/* A data or tree block run must lie inside the filesystem, past the superblock
 * (Linux ext4_inode_block_valid). */
static int check_blocks(struct ext_file *f, uint64_t b, uint64_t count, const char *what)
{
    struct ext_fs *fs = f->fs;

    if (b > fs->first_data_block && b < fs->blocks && count <= fs->blocks - b)
        return 0;
    return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: %s block %llu (+%llu) is outside "
                    "the filesystem (%llu blocks)", (unsigned)f->in.ino, what,
                    (unsigned long long)b, (unsigned long long)count,
                    (unsigned long long)fs->blocks);
}

/* Bring block b into cache level lvl; *fresh says whether it was read now. */
static int load_node(struct ext_file *f, unsigned lvl, uint64_t b, int *fresh)
{
    struct ext_fs *fs = f->fs;
    struct ext_node *n = &f->node[lvl];
    int rc;

    *fresh = 0;
    if (n->blk == b)
        return 0;
    if (!n->buf && !(n->buf = pvb_alloc(fs->ctx, fs->bs, "ext tree block")))
        return fs->ctx->err;
    n->blk = 0;
    rc = pvb_disk_pread(fs->vol, n->buf, fs->bs, b << fs->log_bs);
    if (rc)
        return rc;
    n->blk = b;
    *fresh = 1;
    return 0;
}

/* ---- block maps: 12 direct pointers, then single, double, triple indirect ---- */

/* The run starting at entry idx of a table of n 32-bit block numbers. */
static int table_run(struct ext_file *f, const uint8_t *tab, size_t idx, size_t n,
                     struct ext_run *run)
{
    uint32_t first = pvb_le32(tab + 4 * idx);
    size_t k = 1;

    if (first == 0) {
        while (idx + k < n && pvb_le32(tab + 4 * (idx + k)) == 0)
            k++;
    } else {
        while (idx + k < n && pvb_le32(tab + 4 * (idx + k)) == first + k)
            k++;
    }
    run->pblk = first;
    run->count = k;
    return first ? check_blocks(f, first, k, "data") : 0;
}

static int blockmap_map(struct ext_file *f, uint64_t lblk, struct ext_run *run)
{
    unsigned shift = f->fs->log_bs - 2, levels = 1, lvl;
    uint64_t span;
    uint32_t b;
    int fresh, rc;

    if (lblk < EXT_NDIR_BLOCKS)
        return table_run(f, f->in.iblock, (size_t)lblk, EXT_NDIR_BLOCKS, run);
    lblk -= EXT_NDIR_BLOCKS;
    while (levels <= 3 && lblk >= (uint64_t)1 << (shift * levels)) {
        lblk -= (uint64_t)1 << (shift * levels);
        levels++;
    }
    if (levels > 3) {
        run->pblk = 0;   /* past what a block map can address */
        run->count = LBLK_END;
        return 0;
    }
    b = pvb_le32(f->in.iblock + 4 * (EXT_NDIR_BLOCKS - 1 + levels));
    for (lvl = 0; lvl < levels; lvl++) {
        span = (uint64_t)1 << (shift * (levels - lvl));   /* blocks under pointer b */
        if (b == 0) {
            run->pblk = 0;
            run->count = span - lblk;
            return 0;
        }
        if ((rc = check_blocks(f, b, 1, "indirect")) != 0 ||
            (rc = load_node(f, lvl, b, &fresh)) != 0)
            return rc;
        span >>= shift;
        if (lvl + 1 == levels)
            break;
        b = pvb_le32(f->node[lvl].buf + 4 * (lblk >> (shift * (levels - lvl - 1))));
        lblk &= span - 1;
    }
    return table_run(f, f->node[levels - 1].buf, (size_t)lblk, (size_t)1 << shift, run);
}

/* ---- extent trees ---- */

static uint32_t ext_len(const uint8_t *e)
{
    uint32_t len = pvb_le16(e + 4);

    return len > EXT_INIT_MAX_LEN ? len - EXT_INIT_MAX_LEN : len;
}

static uint64_t ext_start(const uint8_t *e)
{
    return (uint64_t)pvb_le16(e + 6) << 32 | pvb_le32(e + 8);
}

/* A header against the buffer it sits in (e2fsprogs ext2fs_extent_header_verify). */
static int check_header(struct ext_file *f, const uint8_t *h, size_t size, int want_depth,
                        uint64_t blk)
{
    struct pvb_ctx *c = f->fs->ctx;
    unsigned entries = pvb_le16(h + 2), max = pvb_le16(h + 4), depth = pvb_le16(h + 6);
    size_t cap = (size - EH_SIZE) / 12;

    if (pvb_le16(h) != EH_MAGIC)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: extent node at block %llu: bad magic "
                        "0x%04x", (unsigned)f->in.ino, (unsigned long long)blk, pvb_le16(h));
    if (entries > max || max > cap)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: extent node at block %llu: %u entries, "
                        "max %u, room for %zu", (unsigned)f->in.ino, (unsigned long long)blk,
                        entries, max, cap);
    if (depth > EXT_MAX_EXTENT_DEPTH)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: extent tree depth %u is more than %d",
                        (unsigned)f->in.ino, depth, EXT_MAX_EXTENT_DEPTH);
    if (want_depth >= 0 && depth != (unsigned)want_depth)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: extent node at block %llu has depth %u, "
                        "expected %d", (unsigned)f->in.ino, (unsigned long long)blk, depth,
                        want_depth);
    if (depth > 0 && entries == 0)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: extent index node at block %llu is "
                        "empty", (unsigned)f->in.ino, (unsigned long long)blk);
    return 0;
}

/* Keys in increasing order inside [lo, hi); extents do not overlap and are non-empty. */
static int check_order(struct ext_file *f, const uint8_t *h, uint64_t lo, uint64_t hi, uint64_t blk)
{
    unsigned entries = pvb_le16(h + 2), depth = pvb_le16(h + 6), i;
    uint64_t prev_end = lo, key, end;

    for (i = 0; i < entries; i++) {
        const uint8_t *e = h + EH_SIZE + 12 * i;

        key = pvb_le32(e);
        end = depth ? key + 1 : key + ext_len(e);
        if (key < prev_end || end > hi || end == key)
            return pvb_fail(f->fs->ctx, PVB_ECORRUPT, "ext: inode %u: extent node at block %llu: "
                            "entry %u (logical block %llu, %llu blocks) is out of order or "
                            "outside [%llu, %llu)", (unsigned)f->in.ino, (unsigned long long)blk,
                            i, (unsigned long long)key, (unsigned long long)(end - key),
                            (unsigned long long)lo, (unsigned long long)hi);
        prev_end = end;
    }
    return 0;
}

/* Linux ext4_extent_block_csum: crc32c of the node up to its tail, seeded per inode. */
static int check_node_csum(struct ext_file *f, const uint8_t *h, uint64_t blk)
{
    size_t n = EH_SIZE + 12 * (size_t)pvb_le16(h + 4);

    if (!f->fs->csum)
        return 0;
    return pvb_ext_csum_check(f->fs, EXT_WARN_EXTENT_CSUM, pvb_le32(h + n),
                              pvb_crc32c_update(f->in.csum_seed, h, n), "extent block", blk);
}

/* The last entry whose key is <= lblk, or -1 when lblk is before the first. */
static int search(const uint8_t *h, uint32_t lblk)
{
    int lo = 0, hi = (int)pvb_le16(h + 2) - 1, found = -1;

    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (pvb_le32(h + EH_SIZE + 12 * mid) <= lblk) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

/* Descend one index level: child node of entry i of h, checked and cached at lvl. */
static int descend(struct ext_file *f, const uint8_t *h, int i, unsigned lvl, uint64_t *path,
                   uint64_t lo, uint64_t hi)
{
    const uint8_t *e = h + EH_SIZE + 12 * i;
    uint64_t child = (uint64_t)pvb_le16(e + 8) << 32 | pvb_le32(e + 4);
    struct ext_node *n = &f->node[lvl];
    unsigned k;
    int fresh, rc;

    if ((rc = check_blocks(f, child, 1, "extent tree")) != 0)
        return rc;
    for (k = 0; k < lvl; k++)
        if (path[k] == child)
            return pvb_fail(f->fs->ctx, PVB_ECORRUPT, "ext: inode %u: extent node at block %llu "
                            "points back to its ancestor", (unsigned)f->in.ino,
                            (unsigned long long)child);
    path[lvl] = child;
    if ((rc = load_node(f, lvl, child, &fresh)) != 0)
        return rc;
    if (!fresh && n->lo == lo && n->hi == hi)
        return 0;
    n->blk = 0;   /* not trusted until checked */
    if ((rc = check_header(f, n->buf, f->fs->bs, (int)pvb_le16(h + 6) - 1, child)) != 0 ||
        (rc = check_node_csum(f, n->buf, child)) != 0 ||
        (rc = check_order(f, n->buf, lo, hi, child)) != 0)
        return rc;
    n->blk = child;
    n->lo = lo;
    n->hi = hi;
    return 0;
}

static int extent_map(struct ext_file *f, uint64_t lblk, struct ext_run *run)
{
    const uint8_t *h = f->in.iblock, *e;
    uint64_t lo = 0, hi = LBLK_END, path[EXT_NLEVELS], key, len;
    unsigned lvl;
    int i, rc;

    run->pblk = 0;
    for (lvl = 0; pvb_le16(h + 6) > 0; lvl++) {
        i = search(h, (uint32_t)lblk);
        if (i < 0) {
            run->count = pvb_le32(h + EH_SIZE) - lblk;
            return 0;
        }
        e = h + EH_SIZE + 12 * i;
        if (i + 1 < (int)pvb_le16(h + 2))
            hi = pvb_le32(e + 12);
        lo = pvb_le32(e);
        if ((rc = descend(f, h, i, lvl, path, lo, hi)) != 0)
            return rc;
        h = f->node[lvl].buf;
    }
    i = search(h, (uint32_t)lblk);
    e = h + EH_SIZE + 12 * (i < 0 ? 0 : i);
    key = pvb_le32(e);
    len = ext_len(e);
    if (i >= 0 && lblk < key + len) {
        if ((rc = check_blocks(f, ext_start(e), len, "data")) != 0)
            return rc;
        if (pvb_le16(e + 4) <= EXT_INIT_MAX_LEN)   /* unwritten extents read as zeros */
            run->pblk = ext_start(e) + (lblk - key);
        run->count = key + len - lblk;
        return 0;
    }
    /* A hole up to the next extent, or to the end of this subtree. */
    if (i < 0 && pvb_le16(h + 2) > 0)
        hi = key;
    else if (i >= 0 && i + 1 < (int)pvb_le16(h + 2))
        hi = pvb_le32(e + 12);
    run->count = hi - lblk;
    return 0;
}

/* Where logical block lblk of f lives, and how many blocks after it follow on. */
int pvb_ext_map(struct ext_file *f, uint64_t lblk, struct ext_run *run)
{
    int rc;

    if (f->have_last && lblk >= f->last_lblk && lblk - f->last_lblk < f->last.count) {
        uint64_t skip = lblk - f->last_lblk;
        run->pblk = f->last.pblk ? f->last.pblk + skip : 0;
        run->count = f->last.count - skip;
        return 0;
    }
    if (lblk >= LBLK_END) {
        run->pblk = 0;
        run->count = LBLK_END;
        return 0;
    }
    f->have_last = 0;
    rc = f->in.flags & EXT_FL_EXTENTS ? extent_map(f, lblk, run) : blockmap_map(f, lblk, run);
    if (rc)
        return rc;
    if (run->count > LBLK_END - lblk)
        run->count = LBLK_END - lblk;   /* a hole under a 64 KiB block map's triple block */
    f->last_lblk = lblk;
    f->last = *run;
    f->have_last = 1;
    return 0;
}

/* Exactly len bytes at off: runs of blocks are read straight into buf. */
int pvb_ext_file_read(struct ext_file *f, void *buf, size_t len, uint64_t off)
{
    struct ext_fs *fs = f->fs;
    uint8_t *p = buf;
    struct ext_run run;
    uint64_t avail, boff;
    size_t n;
    int rc;

    if (f->inl) {
        n = off < f->ninl ? (size_t)(f->ninl - off) : 0;
        n = n < len ? n : len;
        memcpy(p, f->inl + (n ? off : 0), n);
        memset(p + n, 0, len - n);
        return 0;
    }
    while (len > 0) {
        boff = off & (fs->bs - 1);
        rc = pvb_ext_map(f, off >> fs->log_bs, &run);
        if (rc)
            return rc;
        avail = (run.count << fs->log_bs) - boff;   /* count <= 2^32, bs <= 2^16 */
        n = avail < len ? (size_t)avail : len;
        if (run.pblk == 0)
            memset(p, 0, n);
        else if ((rc = pvb_disk_pread(fs->vol, p, n, (run.pblk << fs->log_bs) + boff)) != 0)
            return rc;
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

int pvb_ext_file_open(struct ext_fs *fs, uint64_t ino, struct ext_file **out)
{
    struct ext_file *f = pvb_zalloc(fs->ctx, sizeof(*f), "ext file");
    int rc;

    if (!f)
        return fs->ctx->err;
    f->fs = fs;
    rc = pvb_ext_inode_read(fs, ino, &f->in);
    if (!rc)
        rc = pvb_ext_readable(fs, &f->in);
    if (!rc && (f->in.flags & EXT_FL_INLINE_DATA))
        rc = pvb_ext_inline_copy(fs, &f->in, &f->inl, &f->ninl);
    if (!rc && (f->in.flags & EXT_FL_EXTENTS) && !(rc = check_header(f, f->in.iblock,
                                                                      EXT_IBLOCK_SIZE, -1, 0)))
        rc = check_order(f, f->in.iblock, 0, LBLK_END, 0);
    f->in.raw = NULL;   /* fs->ibuf belongs to the next inode read */
    if (rc) {
        pvb_ext_file_close(f);
        return rc;
    }
    *out = f;
    return 0;
}

void pvb_ext_file_close(struct ext_file *f)
{
    unsigned i;

    if (!f)
        return;
    for (i = 0; i < EXT_NLEVELS; i++)
        pvb_free(f->fs->ctx, f->node[i].buf);
    pvb_free(f->fs->ctx, f->inl);
    pvb_free(f->fs->ctx, f);
}
