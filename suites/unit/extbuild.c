/* SPDX-License-Identifier: GPL-2.0-only */
/* In-memory ext2/3/4 image builder for tests (fields per e2fsprogs lib/ext2fs/ext2_fs.h). */
#include <stdlib.h>
#include <string.h>

#include "extbuild.h"
#include "util/bytes.h"
#include "util/crc.h"

#define IB 0x28                   /* i_block in an inode */
#define FL_INDEX 0x1000u
#define FL_EXTENTS 0x80000u
#define FL_INLINE 0x10000000u
#define XATTR_AT 160              /* 128 + i_extra_isize 32: in-inode xattrs */
#define S_DIR 040755
#define S_REG 0100644
#define S_LNK 0120777

uint8_t *eb_sb(struct eb *e) { return e->img + 1024; }
uint8_t *eb_gd(struct eb *e) { return e->img + (size_t)((e->bs == 1024) + 1) * e->bs; }
uint8_t *eb_blockp(struct eb *e, uint32_t blk) { return e->img + (size_t)blk * e->bs; }

uint8_t *eb_inode(struct eb *e, uint32_t ino)
{
    return eb_blockp(e, e->itable) + (size_t)(ino - 1) * e->isize;
}

uint8_t eb_pattern(uint32_t lblk, size_t i)
{
    return (uint8_t)(lblk * 131u + i * 7u + 1u);
}

uint32_t eb_alloc(struct eb *e, uint32_t n)
{
    uint32_t b = e->next_block;

    if (n > e->blocks - b)
        abort();   /* the test asked for more than the image holds */
    e->next_block += n;
    memset(eb_blockp(e, b), 0, (size_t)n * e->bs);
    memset(e->used + b, 1, n);
    return b;
}

static void add_blocks(struct eb *e, uint32_t ino, uint32_t n)
{
    uint8_t *in = eb_inode(e, ino);

    pvb_put_le32(in + 0x1C, pvb_le32(in + 0x1C) + n * (e->bs / 512));
}

static uint32_t new_inode(struct eb *e, uint16_t mode, uint16_t links)
{
    uint32_t ino = e->next_ino++;
    uint8_t *in;

    if (ino > e->inodes)
        abort();
    in = eb_inode(e, ino);
    pvb_put_le16(in, mode);
    pvb_put_le16(in + 0x1A, links);
    pvb_put_le32(in + 0x10, 1700000000u);
    if (e->isize > 128)
        pvb_put_le16(in + 0x80, 32);
    return ino;
}

static void put_header(uint8_t *h, unsigned entries, unsigned max, unsigned depth)
{
    pvb_put_le16(h, 0xF30A);
    pvb_put_le16(h + 2, (uint16_t)entries);
    pvb_put_le16(h + 4, (uint16_t)max);
    pvb_put_le16(h + 6, (uint16_t)depth);
}

/* One entry: an extent of len blocks at start, or (len 0) an index to block start. */
static void put_entry(uint8_t *h, unsigned i, uint32_t lblk, uint32_t start, unsigned len)
{
    uint8_t *x = h + 12 + 12 * i;

    pvb_put_le32(x, lblk);
    if (len) {
        pvb_put_le16(x + 4, (uint16_t)len);
        pvb_put_le32(x + 8, start);
    } else {
        pvb_put_le32(x + 4, start);
    }
}

/* Block-map pointer for lblk, allocating indirect blocks on the way. */
static void bm_set(struct eb *e, uint32_t ino, uint32_t lblk, uint32_t pblk)
{
    uint64_t p = e->bs / 4, span = p, l = lblk;
    unsigned levels = 1, i;
    uint8_t *slot;

    if (lblk < 12) {
        pvb_put_le32(eb_inode(e, ino) + IB + 4 * lblk, pblk);
        return;
    }
    l -= 12;
    while (l >= span) {
        l -= span;
        span *= p;
        levels++;
    }
    slot = eb_inode(e, ino) + IB + 4 * (11 + levels);
    for (i = 0; i < levels; i++) {
        uint32_t b = pvb_le32(slot);
        if (!b) {
            b = eb_alloc(e, 1);
            add_blocks(e, ino, 1);
            pvb_put_le32(slot, b);
        }
        span /= p;
        slot = eb_blockp(e, b) + 4 * (l / span);
        l %= span;
    }
    pvb_put_le32(slot, pblk);
}

/* Data blocks first..first+n-1 as logical blocks 0..n-1. */
static void map_run(struct eb *e, uint32_t ino, uint32_t first, uint32_t n, enum eb_how how)
{
    uint8_t *in = eb_inode(e, ino);
    uint32_t i;

    add_blocks(e, ino, n);
    if (how == EB_EXTENTS) {
        pvb_put_le32(in + 0x20, pvb_le32(in + 0x20) | FL_EXTENTS);
        put_header(in + IB, n ? 1 : 0, 4, 0);
        if (n)
            put_entry(in + IB, 0, 0, first, n);
        return;
    }
    for (i = 0; i < n; i++)
        bm_set(e, ino, i, first + i);
}

/* The system.data xattr in the inode body, holding value (Linux fs/ext4/inline.c). */
static void put_inline(struct eb *e, uint32_t ino, const void *data, size_t len)
{
    uint8_t *in = eb_inode(e, ino), *x = in + XATTR_AT;
    size_t head = len < 60 ? len : 60, rest = len - head, voff;

    pvb_put_le32(in + 0x20, pvb_le32(in + 0x20) | FL_INLINE);
    memcpy(in + IB, data, head);
    voff = e->isize - XATTR_AT - 4 - ((rest + 3) & ~(size_t)3);
    if (e->isize < XATTR_AT + 32 || voff < 24)
        abort();   /* no room in a 128-byte inode or for this much data */
    pvb_put_le32(x, 0xEA020000u);
    x[4] = 4;
    x[5] = 7;
    pvb_put_le16(x + 6, (uint16_t)voff);
    pvb_put_le32(x + 12, (uint32_t)rest);
    memcpy(x + 20, "data", 4);
    memcpy(x + 4 + voff, (const uint8_t *)data + head, rest);
}

static void new_fs_super(struct eb *e, unsigned log_bs)
{
    uint8_t *sb = eb_sb(e), *gd = eb_gd(e);
    uint32_t first = e->bs == 1024;
    int i;

    pvb_put_le32(sb + 0x00, e->inodes);
    pvb_put_le32(sb + 0x04, e->blocks);
    pvb_put_le32(sb + 0x14, first);
    pvb_put_le32(sb + 0x18, log_bs);
    pvb_put_le32(sb + 0x1C, log_bs);
    pvb_put_le32(sb + 0x20, 8 * e->bs);
    pvb_put_le32(sb + 0x24, 8 * e->bs);
    pvb_put_le32(sb + 0x28, e->inodes);
    pvb_put_le16(sb + 0x38, 0xEF53);
    pvb_put_le16(sb + 0x3A, 1);
    pvb_put_le32(sb + 0x4C, 1);
    pvb_put_le32(sb + 0x54, 11);
    pvb_put_le16(sb + 0x58, (uint16_t)e->isize);
    pvb_put_le32(sb + 0x60, e->incompat);
    pvb_put_le32(sb + 0x64, e->ro_compat);
    for (i = 0; i < 16; i++)
        sb[0x68 + i] = (uint8_t)(0xA0 + i);
    memcpy(sb + 0x78, "pvbtest", 7);
    if (e->incompat & EB_IN_64BIT)
        pvb_put_le16(sb + 0xFE, 64);
    if (e->csum)
        sb[0x175] = 1;
    pvb_put_le32(gd + 0x00, first + 2);
    pvb_put_le32(gd + 0x04, first + 3);
    pvb_put_le32(gd + 0x08, e->itable);
}

void eb_new(struct eb *e, unsigned log_bs, unsigned isize, uint32_t blocks, uint32_t inodes,
            uint32_t incompat, uint32_t ro_compat)
{
    uint8_t *root;
    uint32_t b;

    memset(e, 0, sizeof(*e));
    e->bs = 1024u << log_bs;
    e->isize = isize;
    e->blocks = blocks;
    e->inodes = inodes;
    e->incompat = incompat;
    e->ro_compat = ro_compat;
    e->csum = (ro_compat & EB_RO_METADATA_CSUM) != 0;
    e->size = (size_t)blocks * e->bs;
    e->img = calloc(1, e->size);
    e->used = calloc(1, blocks);
    if (!e->img || !e->used)
        abort();
    memset(e->used, 1, (e->bs == 1024) + 4);   /* superblock, descriptors, bitmaps */
    e->itable = (e->bs == 1024) + 4;
    e->next_block = e->itable + (inodes * isize + e->bs - 1) / e->bs;
    memset(e->used + e->itable, 1, e->next_block - e->itable);
    e->next_ino = 2;
    new_fs_super(e, log_bs);
    /* The root: inode 2, its own parent; then user inodes start at 11 (s_first_ino). */
    new_inode(e, S_DIR, 2);
    e->next_ino = 11;
    b = eb_alloc(e, 1);
    root = eb_blockp(e, b);
    map_run(e, 2, b, 1, incompat & EB_IN_EXTENTS ? EB_EXTENTS : EB_BLOCKMAP);
    pvb_put_le32(eb_inode(e, 2) + 0x04, e->bs);
    pvb_put_le32(root, 2);
    pvb_put_le16(root + 4, 12);
    root[6] = 1;
    root[8] = '.';
    pvb_put_le32(root + 12, 2);
    pvb_put_le16(root + 16, (uint16_t)(e->bs - 12 - (e->csum ? 12 : 0)));
    root[18] = 2;
    memcpy(root + 20, "..", 2);
    if (e->csum) {
        pvb_put_le16(root + e->bs - 8, 12);
        root[e->bs - 5] = 0xDE;
    }
    if (incompat & EB_IN_FILETYPE)
        root[7] = root[19] = 2;
    e->dirs[e->ndirs++] = 2;
}

void eb_free(struct eb *e)
{
    free(e->img);
    free(e->used);
    e->img = e->used = NULL;
}

/* Where directory dir keeps its entries: its first block, or i_block after the parent. */
static uint8_t *dir_area(struct eb *e, uint32_t dir, size_t *len)
{
    uint8_t *in = eb_inode(e, dir);

    if (pvb_le32(in + 0x20) & FL_INLINE) {
        *len = 56;
        return in + IB + 4;
    }
    *len = e->bs - (e->csum ? 12 : 0);
    if (pvb_le32(in + 0x20) & FL_EXTENTS)
        return eb_blockp(e, pvb_le32(in + IB + 12 + 8));
    return eb_blockp(e, pvb_le32(in + IB));
}

void eb_link(struct eb *e, uint32_t dir, const char *name, uint32_t ino, uint8_t ft)
{
    size_t len, pos = 0, nl = strlen(name), need = (8 + nl + 3) & ~(size_t)3, used, rl;
    uint8_t *d = dir_area(e, dir, &len);

    while (pos + pvb_le16(d + pos + 4) < len)
        pos += pvb_le16(d + pos + 4);
    rl = pvb_le16(d + pos + 4);
    used = pvb_le32(d + pos) ? (8 + d[pos + 6] + 3) & ~(size_t)3 : 0;
    if (rl < used + need)
        abort();   /* the test's directory is full */
    if (used) {
        pvb_put_le16(d + pos + 4, (uint16_t)used);
        pos += used;
        rl -= used;
    }
    pvb_put_le32(d + pos, ino);
    pvb_put_le16(d + pos + 4, (uint16_t)rl);
    d[pos + 6] = (uint8_t)nl;
    d[pos + 7] = e->incompat & EB_IN_FILETYPE ? ft : 0;
    memcpy(d + pos + 8, name, nl);
}

uint32_t eb_mkdir(struct eb *e, uint32_t parent, const char *name, enum eb_how how)
{
    uint32_t ino = new_inode(e, S_DIR, 2), b;
    uint8_t *in = eb_inode(e, ino), *d;

    if (how == EB_INLINE) {
        uint8_t empty[60] = { 0 };
        pvb_put_le32(empty, parent);
        pvb_put_le16(empty + 8, 56);   /* one unused entry over the 56 bytes */
        put_inline(e, ino, empty, 60);
        pvb_put_le32(in + 0x04, 60);
    } else {
        b = eb_alloc(e, 1);
        d = eb_blockp(e, b);
        map_run(e, ino, b, 1, how);
        pvb_put_le32(in + 0x04, e->bs);
        pvb_put_le32(d, ino);
        pvb_put_le16(d + 4, 12);
        d[6] = 1;
        d[8] = '.';
        pvb_put_le32(d + 12, parent);
        pvb_put_le16(d + 16, (uint16_t)(e->bs - 12 - (e->csum ? 12 : 0)));
        d[18] = 2;
        memcpy(d + 20, "..", 2);
        if (e->incompat & EB_IN_FILETYPE)
            d[7] = d[19] = 2;
        if (e->csum) {
            pvb_put_le16(d + e->bs - 8, 12);
            d[e->bs - 5] = 0xDE;
        }
        e->dirs[e->ndirs++] = ino;
    }
    eb_link(e, parent, name, ino, 2);
    in = eb_inode(e, parent);
    pvb_put_le16(in + 0x1A, (uint16_t)(pvb_le16(in + 0x1A) + 1));
    return ino;
}

uint32_t eb_file(struct eb *e, uint32_t dir, const char *name, const void *data, size_t len,
                 enum eb_how how)
{
    uint32_t ino = new_inode(e, S_REG, 1), n = (uint32_t)((len + e->bs - 1) / e->bs), b;

    eb_link(e, dir, name, ino, 1);
    pvb_put_le32(eb_inode(e, ino) + 0x04, (uint32_t)len);
    if (how == EB_INLINE) {
        put_inline(e, ino, data, len);
        return ino;
    }
    b = n ? eb_alloc(e, n) : 0;
    if (n)
        memcpy(eb_blockp(e, b), data, len);
    map_run(e, ino, b, n, how);
    return ino;
}

uint32_t eb_sparse(struct eb *e, uint32_t dir, const char *name, uint64_t size,
                   const uint32_t *lblk, size_t n, enum eb_how how)
{
    uint32_t ino = new_inode(e, S_REG, 1), b;
    uint8_t *in = eb_inode(e, ino);
    size_t i, k;

    eb_link(e, dir, name, ino, 1);
    pvb_put_le32(in + 0x04, (uint32_t)size);
    pvb_put_le32(in + 0x6C, (uint32_t)(size >> 32));
    if (how == EB_EXTENTS) {
        if (n > 4)
            abort();   /* the root holds four extents */
        pvb_put_le32(in + 0x20, FL_EXTENTS);
        put_header(in + IB, (unsigned)n, 4, 0);
    }
    for (i = 0; i < n; i++) {
        b = eb_alloc(e, 1);
        for (k = 0; k < e->bs; k++)
            eb_blockp(e, b)[k] = eb_pattern(lblk[i], k);
        add_blocks(e, ino, 1);
        if (how == EB_EXTENTS)
            put_entry(eb_inode(e, ino) + IB, (unsigned)i, lblk[i], b, 1);
        else
            bm_set(e, ino, lblk[i], b);
    }
    return ino;
}

uint32_t eb_tree(struct eb *e, uint32_t dir, const char *name, uint32_t nblocks, unsigned depth,
                 unsigned fanout, uint32_t *nodes, unsigned *nnodes)
{
    uint32_t ino = new_inode(e, S_REG, 1), *key = calloc(nblocks, 4), *ptr = calloc(nblocks, 4);
    uint32_t n = nblocks, k, j, t, b;
    uint8_t *in = eb_inode(e, ino);
    unsigned level;

    if (!key || !ptr)
        abort();
    eb_link(e, dir, name, ino, 1);
    pvb_put_le32(in + 0x04, nblocks * e->bs);
    pvb_put_le32(in + 0x20, FL_EXTENTS);
    for (k = 0; k < nblocks; k++) {
        key[k] = k;
        ptr[k] = eb_alloc(e, 2);   /* the second block stays free: a gap */
        e->used[ptr[k] + 1] = 0;
        for (t = 0; t < e->bs; t++)
            eb_blockp(e, ptr[k])[t] = eb_pattern(k, t);
    }
    add_blocks(e, ino, nblocks);
    *nnodes = 0;
    for (level = 0; level < depth; level++) {
        uint32_t nn = (n + fanout - 1) / fanout;
        for (j = 0; j < nn; j++) {
            uint32_t cnt = n - j * fanout < fanout ? n - j * fanout : fanout;
            b = eb_alloc(e, 1);
            add_blocks(e, ino, 1);
            put_header(eb_blockp(e, b), cnt, (e->bs - 12) / 12, level);
            for (t = 0; t < cnt; t++)
                put_entry(eb_blockp(e, b), t, key[j * fanout + t], ptr[j * fanout + t],
                          level == 0);
            key[j] = key[j * fanout];
            ptr[j] = b;
            nodes[(*nnodes)++] = b;
        }
        n = nn;
    }
    if (n > 4)
        abort();   /* the root holds four entries */
    put_header(in + IB, n, 4, depth);
    for (t = 0; t < n; t++)
        put_entry(in + IB, t, key[t], ptr[t], depth == 0);
    free(key);
    free(ptr);
    return ino;
}

uint32_t eb_symlink(struct eb *e, uint32_t dir, const char *name, const char *target,
                    enum eb_how how)
{
    uint32_t ino = new_inode(e, S_LNK, 1), len = (uint32_t)strlen(target), b;
    uint8_t *in = eb_inode(e, ino);

    eb_link(e, dir, name, ino, 7);
    pvb_put_le32(in + 0x04, len);
    if (len < 60) {
        memcpy(in + IB, target, len);   /* fast: the target in i_block, no blocks */
    } else if (how == EB_INLINE) {
        put_inline(e, ino, target, len);
    } else {
        b = eb_alloc(e, 1);
        memcpy(eb_blockp(e, b), target, len);
        map_run(e, ino, b, 1, how);
    }
    return ino;
}

/* ---- metadata_csum: crc32c seeded with crc32c(~0, uuid) (Linux ext4_init_csum_seed) ---- */

static uint32_t crc_u32(uint32_t crc, uint32_t v)
{
    uint8_t le[4];

    pvb_put_le32(le, v);
    return pvb_crc32c_update(crc, le, 4);
}

static void csum_extent_nodes(struct eb *e, uint32_t seed, const uint8_t *h)
{
    unsigned i, n = pvb_le16(h + 2);

    if (pvb_le16(h + 6) == 0)
        return;
    for (i = 0; i < n; i++) {
        uint8_t *c = eb_blockp(e, pvb_le32(h + 12 + 12 * i + 4));
        size_t tail = 12 + 12 * (size_t)pvb_le16(c + 4);
        csum_extent_nodes(e, seed, c);
        pvb_put_le32(c + tail, pvb_crc32c_update(seed, c, tail));
    }
}

/* The checksum's high half exists only when i_extra_isize reaches it (EXT4_FITS_IN_INODE). */
static void csum_inode(struct eb *e, uint32_t ino, uint32_t fs_seed)
{
    uint8_t *in = eb_inode(e, ino);
    int hi = e->isize > 128 && pvb_le16(in + 0x80) >= 4;
    uint32_t crc;

    memset(in + 0x7C, 0, 2);
    if (hi)
        memset(in + 0x82, 0, 2);
    crc = pvb_crc32c_update(crc_u32(crc_u32(fs_seed, ino), pvb_le32(in + 0x64)), in, e->isize);
    pvb_put_le16(in + 0x7C, (uint16_t)crc);
    if (hi)
        pvb_put_le16(in + 0x82, (uint16_t)(crc >> 16));
}

static void set_bit(uint8_t *map, uint32_t i)
{
    map[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* Bitmaps (padding past the group set, as e2fsck wants) and free counts. */
static void bitmaps(struct eb *e)
{
    uint8_t *sb = eb_sb(e), *gd = eb_gd(e), *bb, *ib;
    uint32_t first = e->bs == 1024, i, free_b = 0, free_i = 0, ndirs = 0;

    bb = eb_blockp(e, first + 2);
    ib = eb_blockp(e, first + 3);
    memset(bb, 0, e->bs);
    memset(ib, 0, e->bs);
    for (i = first; i < 8 * e->bs + first; i++)
        if (i >= e->blocks || e->used[i])
            set_bit(bb, i - first);
        else
            free_b++;
    for (i = 1; i <= 8 * e->bs; i++) {
        const uint8_t *in = i <= e->inodes ? eb_inode(e, i) : NULL;
        if (!in || i < 11 || pvb_le16(in + 0x1A))
            set_bit(ib, i - 1);
        else
            free_i++;
        if (in && (pvb_le16(in) & 0170000) == 040000 && pvb_le16(in + 0x1A))
            ndirs++;
    }
    pvb_put_le16(gd + 0x0C, (uint16_t)free_b);
    pvb_put_le16(gd + 0x0E, (uint16_t)free_i);
    pvb_put_le16(gd + 0x10, (uint16_t)ndirs);
    pvb_put_le32(sb + 0x0C, free_b);
    pvb_put_le32(sb + 0x10, free_i);
}

void eb_finish(struct eb *e)
{
    uint8_t *sb = eb_sb(e), *gd = eb_gd(e);
    uint32_t seed, ino, iseed, dsize = e->incompat & EB_IN_64BIT ? 64 : 32, crc;
    uint32_t first = e->bs == 1024;
    unsigned i;

    bitmaps(e);
    if (!e->csum)
        return;
    seed = pvb_crc32c_update(~0u, sb + 0x68, 16);
    /* Bitmap checksums: lower halves in every descriptor, upper halves in 64-byte ones. */
    crc = pvb_crc32c_update(seed, eb_blockp(e, first + 2), e->bs);
    pvb_put_le16(gd + 0x18, (uint16_t)crc);
    if (dsize == 64)
        pvb_put_le16(gd + 0x38, (uint16_t)(crc >> 16));
    crc = pvb_crc32c_update(seed, eb_blockp(e, first + 3), e->inodes / 8);
    pvb_put_le16(gd + 0x1A, (uint16_t)crc);
    if (dsize == 64)
        pvb_put_le16(gd + 0x3A, (uint16_t)(crc >> 16));
    for (ino = 1; ino <= e->inodes; ino++) {
        uint8_t *in = eb_inode(e, ino);
        iseed = crc_u32(crc_u32(seed, ino), pvb_le32(in + 0x64));
        if (pvb_le32(in + 0x20) & FL_EXTENTS)
            csum_extent_nodes(e, iseed, in + IB);
    }
    for (i = 0; i < e->ndirs; i++) {
        uint8_t *d;
        size_t len;
        d = dir_area(e, e->dirs[i], &len);
        iseed = crc_u32(crc_u32(seed, e->dirs[i]), pvb_le32(eb_inode(e, e->dirs[i]) + 0x64));
        pvb_put_le32(d + e->bs - 4, pvb_crc32c_update(iseed, d, e->bs - 12));
    }
    for (ino = 1; ino <= e->inodes; ino++)
        csum_inode(e, ino, seed);
    memset(gd + 0x1E, 0, 2);
    pvb_put_le16(gd + 0x1E, (uint16_t)pvb_crc32c_update(crc_u32(seed, 0), gd, dsize));
    pvb_put_le32(sb + 0x3FC, pvb_crc32c_update(~0u, sb, 0x3FC));
}
