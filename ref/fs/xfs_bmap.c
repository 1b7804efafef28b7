/* SPDX-License-Identifier: GPL-2.0-only */
/* XFS data fork mapping: extent records, the BMBT (v4 and v5 blocks), streaming reads. */
#include <string.h>

#include "fs/xfs.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

#define BMAP_MAGIC   0x424d4150u  /* "BMAP": v4 long-form btree block */
#define BMA3_MAGIC   0x424d4133u  /* "BMA3": v5, with CRC, owner, uuid */
#define BT_LEVEL     4
#define BT_NUMRECS   6
#define BT_V4_HDR    24           /* magic, level, numrecs, leftsib, rightsib */
#define BT_V5_HDR    72           /* + blkno, lsn, uuid, owner, crc, pad */
#define BT_V5_UUID   40
#define BT_V5_OWNER  56
#define BT_V5_CRC    64
#define MAX_FILEOFF  ((uint64_t)1 << 54)  /* bmbt startoff is 54 bits */

/* A 128-bit bmbt record: unwritten flag, 54-bit file offset, 52-bit block,
 * 21-bit count (xfs_bmbt_disk_get_all). */
static void rec_decode(const uint8_t *p, struct pvb_xfs_ext *e)
{
    uint64_t l0 = pvb_be64(p), l1 = pvb_be64(p + 8);

    e->unwritten = (int)(l0 >> 63);
    e->off = (l0 & ~((uint64_t)1 << 63)) >> 9;
    e->blk = (l0 & 0x1ff) << 43 | l1 >> 21;
    e->len = l1 & 0x1fffff;
}

static int bt_hdr(const struct pvb_xfs *fs)
{
    return fs->v5 ? BT_V5_HDR : BT_V4_HDR;
}

int pvb_xfs_map_init(struct pvb_xfs *fs, const struct pvb_xfs_inode *ip, struct pvb_xfs_map *m)
{
    unsigned i, level, n, cap = fs->ctx->lim.max_depth;

    memset(m, 0, sizeof(*m));
    m->fs = fs;
    m->ip = ip;
    for (i = 0; i < XFS_BMBT_MAXDEPTH; i++)
        m->path[i].blk = XFS_HOLE;
    if (ip->format == XFS_FMT_EXTENTS) {
        m->recs = ip->fork;          /* nextents * 16 <= forksize was checked */
        m->nrecs = (size_t)ip->nextents;
        m->hi = UINT64_MAX;
        return 0;
    }
    if (ip->format != XFS_FMT_BTREE)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: data fork format %d has no "
                        "block map", (unsigned long long)ip->ino, ip->format);
    /* The root (struct xfs_bmdr_block) sits in the inode: level, numrecs, keys, pointers. */
    level = pvb_be16(ip->fork);
    n = pvb_be16(ip->fork + 2);
    if (cap > XFS_BMBT_MAXDEPTH)
        cap = XFS_BMBT_MAXDEPTH;
    if (level < 1 || level >= cap)
        return pvb_fail(fs->ctx, level >= cap ? PVB_ELIMIT : PVB_ECORRUPT,
                        "xfs: inode %llu: BMBT root level %u (1..%u)",
                        (unsigned long long)ip->ino, level, cap - 1);
    if (n < 1 || n > (ip->forksize - 4) / 16)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: BMBT root holds %u records "
                        "(1..%zu)", (unsigned long long)ip->ino, n, (ip->forksize - 4) / 16);
    m->height = level;
    return 0;
}

void pvb_xfs_map_free(struct pvb_xfs_map *m)
{
    unsigned i;

    for (i = 0; i < XFS_BMBT_MAXDEPTH; i++)
        pvb_free(m->fs->ctx, m->path[i].buf);
}

/* Read and verify the BMBT block blk expected at level; cached per level. */
static int load_node(struct pvb_xfs_map *m, unsigned level, uint64_t blk)
{
    struct pvb_xfs *fs = m->fs;
    struct pvb_xfs_node *nd = &m->path[level];
    unsigned l, n, maxrecs = (fs->blocksize - bt_hdr(fs)) / 16;
    uint64_t at;
    int rc;

    for (l = level + 1; l < m->height; l++)
        if (m->path[l].blk == blk)
            return pvb_fail(fs->ctx, PVB_ELOOP, "xfs: inode %llu: BMBT cycle: block %llu is "
                            "its own ancestor", (unsigned long long)m->ip->ino,
                            (unsigned long long)blk);
    if (nd->blk == blk)
        return 0;
    nd->blk = XFS_HOLE;
    if (!nd->buf && !(nd->buf = pvb_alloc(fs->ctx, fs->blocksize, "xfs bmbt block")))
        return fs->ctx->err;
    if ((rc = pvb_xfs_fsb_span(fs, blk, 1, &at)) != 0 ||
        (rc = pvb_disk_pread(fs->vol, nd->buf, fs->blocksize, at)) != 0)
        return rc;
    n = pvb_be16(nd->buf + BT_NUMRECS);
    if (pvb_be32(nd->buf) != (fs->v5 ? BMA3_MAGIC : BMAP_MAGIC) ||
        pvb_be16(nd->buf + BT_LEVEL) != level || n < 1 || n > maxrecs)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: BMBT block %llu: magic 0x%08x "
                        "level %u records %u, want level %u and 1..%u records",
                        (unsigned long long)m->ip->ino, (unsigned long long)blk,
                        pvb_be32(nd->buf), pvb_be16(nd->buf + BT_LEVEL), n, level, maxrecs);
    if (fs->v5) {
        if ((rc = pvb_xfs_crc_check(fs, nd->buf, fs->blocksize, BT_V5_CRC, "BMBT block", blk)))
            return rc;
        if (pvb_be64(nd->buf + BT_V5_OWNER) != m->ip->ino ||
            memcmp(nd->buf + BT_V5_UUID, fs->meta_uuid, 16) != 0)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: BMBT block %llu belongs "
                            "to inode %llu or another filesystem", (unsigned long long)m->ip->ino,
                            (unsigned long long)blk,
                            (unsigned long long)pvb_be64(nd->buf + BT_V5_OWNER));
    }
    nd->blk = blk;
    return 0;
}

/*
 * Walk from the root to the leaf covering fb. Each level's keys must rise
 * strictly and stay inside the range the parent gave, and each child must
 * have the level below its parent: a descent is bounded by the height, and
 * a pointer back up the tree is caught by load_node.
 */
static int descend(struct pvb_xfs_map *m, uint64_t fb)
{
    struct pvb_xfs *fs = m->fs;
    const uint8_t *keys = m->ip->fork + 4, *ptrs;
    unsigned n = pvb_be16(m->ip->fork + 2), level = m->height, i, pick;
    unsigned nodemax = (fs->blocksize - bt_hdr(fs)) / 16;
    uint64_t lo = 0, hi = UINT64_MAX, k;
    int rc;

    ptrs = keys + (m->ip->forksize - 4) / 16 * 8;
    while (level > 0) {
        for (i = 0, pick = 0; i < n; i++) {
            k = pvb_be64(keys + 8 * i);
            if (k < lo || k >= hi || (i > 0 && k <= pvb_be64(keys + 8 * (i - 1))))
                return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: BMBT level %u key %u "
                                "(%llu) out of order", (unsigned long long)m->ip->ino, level, i,
                                (unsigned long long)k);
            if (k <= fb)
                pick = i;
        }
        if (pick > 0)
            lo = pvb_be64(keys + 8 * pick);
        if (pick + 1 < n)
            hi = pvb_be64(keys + 8 * (pick + 1));
        level--;
        if ((rc = load_node(m, level, pvb_be64(ptrs + 8 * pick))) != 0)
            return rc;
        n = pvb_be16(m->path[level].buf + BT_NUMRECS);
        keys = m->path[level].buf + bt_hdr(fs);
        ptrs = keys + nodemax * 8;
    }
    m->recs = keys;
    m->nrecs = n;
    m->idx = 0;
    m->lo = lo;
    m->hi = hi;
    return 0;
}

/* Record i of the leaf, checked against its predecessor and the leaf's range. */
static int leaf_rec(struct pvb_xfs_map *m, size_t i, uint64_t prev_end, struct pvb_xfs_ext *e)
{
    rec_decode(m->recs + 16 * i, e);
    if (e->len == 0 || e->off < prev_end || e->off > MAX_FILEOFF - e->len ||
        e->off + e->len > m->hi)
        return pvb_fail(m->fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: extent %zu (blocks %llu+%llu)"
                        " is empty, overlaps or is out of order", (unsigned long long)m->ip->ino,
                        i, (unsigned long long)e->off, (unsigned long long)e->len);
    return 0;
}

int pvb_xfs_map_get(struct pvb_xfs_map *m, uint64_t fb, struct pvb_xfs_ext *out)
{
    struct pvb_xfs_ext e;
    uint64_t prev_end, byte;
    size_t i;
    int rc;

    if (m->height > 0 && (!m->recs || fb < m->lo || fb >= m->hi) && (rc = descend(m, fb)) != 0)
        return rc;
    i = m->idx < m->nrecs ? m->idx : 0;
    prev_end = m->lo;
    if (i > 0) {
        rec_decode(m->recs + 16 * (i - 1), &e);
        prev_end = e.off + e.len;       /* checked when it was stepped over */
        if (fb < prev_end) {            /* going backwards: from the start of the leaf */
            i = 0;
            prev_end = m->lo;
        }
    }
    for (; i < m->nrecs; i++, prev_end = e.off + e.len) {
        if ((rc = leaf_rec(m, i, prev_end, &e)) != 0)
            return rc;
        if (fb < e.off + e.len)
            break;
    }
    m->idx = i;
    if (i == m->nrecs || fb < e.off) {
        out->off = fb;
        out->len = (i == m->nrecs ? m->hi : e.off) - fb;
        out->blk = XFS_HOLE;
        out->unwritten = 0;
        return 0;
    }
    if ((rc = pvb_xfs_fsb_span(m->fs, e.blk, e.len, &byte)) != 0) {
        pvb_ctx_prefix(m->fs->ctx, "xfs: inode %llu: extent at block %llu: ",
                       (unsigned long long)m->ip->ino, (unsigned long long)e.off);
        return rc;
    }
    *out = e;
    return 0;
}

int pvb_xfs_map_read(struct pvb_xfs_map *m, void *buf, size_t len, uint64_t off)
{
    struct pvb_xfs *fs = m->fs;
    uint8_t *p = buf;

    while (len > 0) {
        uint64_t fb = off >> fs->blocklog, within = off & (fs->blocksize - 1);
        uint64_t left, byte;
        struct pvb_xfs_ext e;
        size_t n = len;
        int rc;

        if ((rc = pvb_xfs_map_get(m, fb, &e)) != 0)
            return rc;
        left = e.off + e.len - fb;      /* blocks from fb to the end of e */
        if (left <= (UINT64_MAX >> fs->blocklog) && (left << fs->blocklog) - within < n)
            n = (size_t)((left << fs->blocklog) - within);
        if (e.blk == XFS_HOLE || e.unwritten) {
            memset(p, 0, n);
        } else {
            (void)pvb_xfs_fsb_span(fs, e.blk, e.len, &byte);   /* map_get checked it */
            rc = pvb_disk_pread(fs->vol, p, n, byte + ((fb - e.off) << fs->blocklog) + within);
            if (rc)
                return rc;
        }
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}
