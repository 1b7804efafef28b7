/* SPDX-License-Identifier: GPL-2.0-only */
/* In-memory XFS builder for tests and fuzz seeds: superblock, inodes, dirs, BMBT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"
#include "util/crc.h"
#include "xfsbuild.h"

#define AGBLOCKS 64
#define AGBLKLOG 6
#define INODE_BLK 4        /* inode blocks 4..15 of AG 0 */
#define DATA_BLK 16

static const uint8_t uuid[16] = { 0x5e, 0xed, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x42 };

void xb_crc(uint8_t *buf, size_t len, size_t crcoff)
{
    uint32_t r;

    memset(buf + crcoff, 0, 4);
    r = pvb_crc32c_update(0xffffffffu, buf, len);
    pvb_put_le32(buf + crcoff, ~r);
}

uint8_t *xb_sb(struct xb *x)
{
    return x->img;
}

uint8_t *xb_block(struct xb *x, uint64_t fsb)
{
    uint64_t agno = fsb >> AGBLKLOG, agbno = fsb & (AGBLOCKS - 1);

    return x->img + ((agno * AGBLOCKS + agbno) << x->blocklog);
}

uint8_t *xb_inode(struct xb *x, uint64_t ino)
{
    uint64_t fsb = ino >> x->inopblog, slot = ino & ((1u << x->inopblog) - 1);

    return xb_block(x, fsb) + (slot << x->inodelog);
}

size_t xb_forksize(struct xb *x)
{
    return x->isize - (x->v5 ? 176 : 100);
}

uint8_t *xb_fork(struct xb *x, uint64_t ino)
{
    return xb_inode(x, ino) + (x->v5 ? 176 : 100);
}

static void write_sb(struct xb *x)
{
    uint8_t *sb = x->img;

    pvb_put_be32(sb, 0x58465342u);
    pvb_put_be32(sb + 4, x->bs);
    pvb_put_be64(sb + 8, (uint64_t)x->agblocks * x->agcount);
    memcpy(sb + 32, uuid, 16);
    pvb_put_be64(sb + 56, x->root);
    pvb_put_be32(sb + 84, x->agblocks);
    pvb_put_be32(sb + 88, x->agcount);
    /* NLINK | DIRV2 | EXTFLG | MOREBITS | ATTR */
    pvb_put_be16(sb + 100, (uint16_t)((x->v5 ? 5 : 4) | 0x20 | 0x2000 | 0x1000 | 0x8000 | 0x10));
    pvb_put_be16(sb + 102, 512);
    pvb_put_be16(sb + 104, (uint16_t)x->isize);
    pvb_put_be16(sb + 106, (uint16_t)(x->bs / x->isize));
    memcpy(sb + 108, "pvbtest", 7);
    sb[120] = (uint8_t)x->blocklog;
    sb[121] = 9;
    sb[122] = (uint8_t)x->inodelog;
    sb[123] = (uint8_t)x->inopblog;
    for (sb[124] = 0; (1u << sb[124]) < x->agblocks; sb[124]++)
        ;   /* sb_agblklog: ceil(log2(agblocks)) */
    /* features2: lazysbcount, attr2, [ftype]; v5: crc bit too (ignored) */
    pvb_put_be32(sb + 200, 0x2 | 0x8 | (x->ftype && !x->v5 ? 0x200 : 0) | (x->v5 ? 0x100 : 0));
    pvb_put_be32(sb + 204, pvb_be32(sb + 200));
    if (x->v5) {
        pvb_put_be32(sb + 216, 0x1 | 0x8);   /* ftype, bigtime */
        memcpy(sb + 248, uuid, 16);
    }
}

void xb_init(struct xb *x, int v5, unsigned blocklog)
{
    memset(x, 0, sizeof(*x));
    x->v5 = v5;
    x->ftype = 1;
    x->blocklog = blocklog;
    x->bs = 1u << blocklog;
    x->inodelog = v5 ? 9 : 8;
    x->isize = 1u << x->inodelog;
    x->inopblog = blocklog - x->inodelog;
    x->agblocks = AGBLOCKS;
    x->agcount = 2;
    x->size = (size_t)AGBLOCKS * x->agcount << blocklog;
    x->img = calloc(1, x->size);
    if (!x->img)
        abort();
    x->next_blk = DATA_BLK;
    x->root = xb_new_inode(x, 040755, 1, 6);
    xb_root_short(x, 0, NULL, NULL);
    write_sb(x);
}

void xb_free(struct xb *x)
{
    free(x->img);
    x->img = NULL;
}

uint64_t xb_new_inode(struct xb *x, uint16_t mode, uint8_t format, uint64_t size)
{
    uint64_t ino = ((uint64_t)INODE_BLK << x->inopblog) + x->ninodes;
    uint8_t *p;

    if (x->ninodes >= XB_MAX_INODES || (ino >> x->inopblog) >= DATA_BLK)
        abort();
    x->inos[x->ninodes++] = ino;
    p = xb_inode(x, ino);
    memset(p, 0, x->isize);
    pvb_put_be16(p, 0x494e);
    pvb_put_be16(p + 2, mode);
    p[4] = x->v5 ? 3 : 2;
    p[5] = format;
    pvb_put_be32(p + 16, 1);
    pvb_put_be64(p + 56, size);
    pvb_put_be32(p + 40, 1700000000u);   /* mtime */
    if (x->v5) {
        pvb_put_be64(p + 152, ino);
        memcpy(p + 160, uuid, 16);
    }
    return ino;
}

uint64_t xb_alloc(struct xb *x, unsigned n)
{
    uint64_t b = x->next_blk;

    if (x->next_blk + n > AGBLOCKS)
        abort();
    x->next_blk += n;
    memset(xb_block(x, b), 0, (size_t)n << x->blocklog);
    return b;
}

void xb_encode_rec(uint8_t *o, const struct xb_ext *e)
{
    pvb_put_be64(o, (uint64_t)(e->unwritten != 0) << 63 | e->off << 9 | e->blk >> 43);
    pvb_put_be64(o + 8, e->blk << 21 | e->len);
}

void xb_set_extents(struct xb *x, uint64_t ino, const struct xb_ext *e, unsigned n)
{
    uint8_t *p = xb_inode(x, ino), *f = xb_fork(x, ino);
    unsigned i;

    memset(f, 0, xb_forksize(x));
    for (i = 0; i < n; i++)
        xb_encode_rec(f + 16 * i, &e[i]);
    p[5] = 2;
    pvb_put_be32(p + 76, n);
}

void xb_set_bmbt(struct xb *x, uint64_t ino, const struct xb_ext *e, unsigned n, unsigned per)
{
    uint8_t *p = xb_inode(x, ino), *f = xb_fork(x, ino);
    unsigned hdr = x->v5 ? 72 : 24, nleaves = (n + per - 1) / per, i, j;
    unsigned rootmax = (unsigned)((xb_forksize(x) - 4) / 16);
    uint64_t first = xb_alloc(x, nleaves);

    memset(f, 0, xb_forksize(x));
    pvb_put_be16(f, 1);
    pvb_put_be16(f + 2, (uint16_t)nleaves);
    for (i = 0; i < nleaves; i++) {
        uint8_t *b = xb_block(x, first + i);
        unsigned cnt = n - i * per < per ? n - i * per : per;

        pvb_put_be32(b, x->v5 ? 0x424d4133u : 0x424d4150u);
        pvb_put_be16(b + 6, (uint16_t)cnt);
        pvb_put_be64(b + 8, i ? first + i - 1 : UINT64_MAX);
        pvb_put_be64(b + 16, i + 1 < nleaves ? first + i + 1 : UINT64_MAX);
        if (x->v5) {
            pvb_put_be64(b + 24, (first + i) << (x->blocklog - 9));
            memcpy(b + 40, uuid, 16);
            pvb_put_be64(b + 56, ino);
        }
        for (j = 0; j < cnt; j++)
            xb_encode_rec(b + hdr + 16 * j, &e[i * per + j]);
        pvb_put_be64(f + 4 + 8 * i, e[i * per].off);
        pvb_put_be64(f + 4 + 8 * rootmax + 8 * i, first + i);
    }
    p[5] = 3;
    pvb_put_be32(p + 76, n);
}

uint64_t xb_file(struct xb *x, const void *data, size_t len)
{
    uint64_t ino = xb_new_inode(x, 0100644, 2, len);
    unsigned nb = (unsigned)((len + x->bs - 1) >> x->blocklog);

    if (nb) {
        struct xb_ext e;
        e.off = 0;
        e.blk = xb_alloc(x, nb);
        e.len = nb;
        e.unwritten = 0;
        memcpy(xb_block(x, e.blk), data, len);
        xb_set_extents(x, ino, &e, 1);
    }
    return ino;
}

uint64_t xb_symlink(struct xb *x, const char *target)
{
    size_t n = strlen(target);
    uint64_t ino;

    if (n <= xb_forksize(x)) {
        ino = xb_new_inode(x, 0120777, 1, n);
        memcpy(xb_fork(x, ino), target, n);
    } else {
        struct xb_ext e = { 0, 0, 1, 0 };
        uint8_t *b;
        size_t hdr = x->v5 ? 56 : 0;

        ino = xb_new_inode(x, 0120777, 2, n);
        e.blk = xb_alloc(x, 1);
        b = xb_block(x, e.blk);
        if (x->v5) {
            pvb_put_be32(b, 0x58534c4du);
            pvb_put_be32(b + 8, (uint32_t)n);
            memcpy(b + 16, uuid, 16);
            pvb_put_be64(b + 32, ino);
        }
        memcpy(b + hdr, target, n);
        xb_set_extents(x, ino, &e, 1);
    }
    return ino;
}

static uint8_t ftype_of(struct xb *x, uint64_t ino)
{
    static const uint8_t t[16] = { 0, 5, 3, 0, 2, 0, 4, 0, 1, 0, 7, 0, 6, 0, 0, 0 };
    unsigned i;

    for (i = 0; i < x->ninodes; i++)
        if (x->inos[i] == ino)
            return t[(pvb_be16(xb_inode(x, ino) + 2) >> 12) & 15];
    return 1;
}

static size_t sf_fill(struct xb *x, uint8_t *f, uint64_t parent, unsigned n,
                      const char *const *names, const uint64_t *inos)
{
    size_t pos = 6;
    unsigned i;

    f[0] = (uint8_t)n;
    f[1] = 0;
    pvb_put_be32(f + 2, (uint32_t)parent);
    for (i = 0; i < n; i++) {
        size_t k = strlen(names[i]);
        f[pos] = (uint8_t)k;
        pvb_put_be16(f + pos + 1, (uint16_t)(0x60 + 16 * i));
        memcpy(f + pos + 3, names[i], k);
        pos += 3 + k;
        if (x->ftype)
            f[pos++] = ftype_of(x, inos[i]);
        pvb_put_be32(f + pos, (uint32_t)inos[i]);
        pos += 4;
    }
    return pos;
}

void xb_root_short(struct xb *x, unsigned n, const char *const *names, const uint64_t *inos)
{
    uint8_t *f = xb_fork(x, x->root);
    size_t len;

    memset(f, 0, xb_forksize(x));
    len = sf_fill(x, f, x->root, n, names, inos);
    pvb_put_be64(xb_inode(x, x->root) + 56, len);
    xb_inode(x, x->root)[5] = 1;
}

uint64_t xb_dir_short(struct xb *x, uint64_t parent, unsigned n, const char *const *names,
                      const uint64_t *inos)
{
    uint64_t ino = xb_new_inode(x, 040755, 1, 0);

    pvb_put_be64(xb_inode(x, ino) + 56, sf_fill(x, xb_fork(x, ino), parent, n, names, inos));
    return ino;
}

/* One data entry at pos: inode, namelen, name, [ftype], tag; returns its size. */
static size_t put_entry(struct xb *x, uint8_t *b, size_t pos, const char *name, uint64_t ino)
{
    size_t k = strlen(name), len = (8 + 1 + k + (x->ftype ? 1 : 0) + 2 + 7) & ~(size_t)7;

    pvb_put_be64(b + pos, ino);
    b[pos + 8] = (uint8_t)k;
    memcpy(b + pos + 9, name, k);
    if (x->ftype)
        b[pos + 9 + k] = ftype_of(x, ino);
    pvb_put_be16(b + pos + len - 2, (uint16_t)pos);
    return len;
}

static void put_unused(uint8_t *b, size_t pos, size_t len)
{
    pvb_put_be16(b + pos, 0xffff);
    pvb_put_be16(b + pos + 2, (uint16_t)len);
    pvb_put_be16(b + pos + len - 2, (uint16_t)pos);
}

static void data_header(struct xb *x, uint8_t *b, uint32_t magic_v4, uint32_t magic_v5,
                        uint64_t blk, uint64_t owner)
{
    pvb_put_be32(b, x->v5 ? magic_v5 : magic_v4);
    if (x->v5) {
        pvb_put_be64(b + 8, blk << (x->blocklog - 9));
        memcpy(b + 24, uuid, 16);
        pvb_put_be64(b + 40, owner);
    }
}

uint64_t xb_dir_block(struct xb *x, uint64_t parent, unsigned n, const char *const *names,
                      const uint64_t *inos)
{
    uint64_t ino = xb_new_inode(x, 040755, 2, x->bs);
    struct xb_ext e = { 0, 0, 1, 0 };
    size_t pos = x->v5 ? 64 : 16, end;
    uint8_t *b;
    unsigned i;

    e.blk = xb_alloc(x, 1);
    b = xb_block(x, e.blk);
    data_header(x, b, 0x58443242u, 0x58444233u, e.blk, ino);
    pos += put_entry(x, b, pos, ".", ino);
    pos += put_entry(x, b, pos, "..", parent);
    for (i = 0; i < n; i++)
        pos += put_entry(x, b, pos, names[i], inos[i]);
    end = x->bs - 8 - 8 * (size_t)(n + 2);
    if (end > pos)
        put_unused(b, pos, end - pos);
    pvb_put_be32(b + x->bs - 8, n + 2);
    xb_set_extents(x, ino, &e, 1);
    return ino;
}

uint64_t xb_dir_data(struct xb *x, uint64_t parent, unsigned nblocks, unsigned n,
                     const char *const *names, const uint64_t *inos)
{
    uint64_t ino = xb_new_inode(x, 040755, 2, (uint64_t)nblocks * x->bs);
    struct xb_ext e[2] = { { 0, 0, 0, 0 }, { 0, 0, 1, 0 } };
    unsigned i, blk;

    e[0].blk = xb_alloc(x, nblocks);
    e[0].len = nblocks;
    e[1].off = ((uint64_t)32 << 30) >> x->blocklog;
    e[1].blk = xb_alloc(x, 1);
    pvb_put_be16(xb_block(x, e[1].blk) + 8, x->v5 ? 0x3df1 : 0xd2f1);   /* leaf1 magic */
    for (blk = 0, i = 0; blk < nblocks; blk++) {
        uint8_t *b = xb_block(x, e[0].blk + blk);
        size_t pos = x->v5 ? 64 : 16;
        unsigned last = (unsigned)((uint64_t)n * (blk + 1) / nblocks);

        data_header(x, b, 0x58443244u, 0x58444433u, e[0].blk + blk, ino);
        if (blk == 0) {
            pos += put_entry(x, b, pos, ".", ino);
            pos += put_entry(x, b, pos, "..", parent);
        }
        for (; i < last; i++)
            pos += put_entry(x, b, pos, names[i], inos[i]);
        if (pos < x->bs)
            put_unused(b, pos, x->bs - pos);
    }
    xb_set_extents(x, ino, e, 2);
    return ino;
}

void xb_finish(struct xb *x)
{
    unsigned i;

    write_sb(x);
    if (!x->v5)
        return;
    /* Block CRCs: every allocated data block that carries a v5 magic. */
    for (i = DATA_BLK; i < x->next_blk; i++) {
        uint8_t *b = xb_block(x, i);
        uint32_t m = pvb_be32(b);

        if (m == 0x424d4133u)
            xb_crc(b, x->bs, 64);
        else if (m == 0x58444233u || m == 0x58444433u)
            xb_crc(b, x->bs, 4);
        else if (m == 0x58534c4du)
            xb_crc(b, x->bs, 12);
    }
    for (i = 0; i < x->ninodes; i++)
        xb_crc(xb_inode(x, x->inos[i]), x->isize, 100);
    xb_crc(x->img, 512, 224);
}

/* The sample tree (see xfsbuild.h). */
void xb_sample(struct xb *x, int v5, int ftype)
{
    char big[3000], names[40][8];
    const char *dn[40];
    static const char *const rn[8] = { "hello", "big", "holes", "sf", "blk", "leaf", "ln", "far" };
    uint64_t di[40], ri[8], f1, f2, holes;
    struct xb_ext e[4];
    unsigned i;

    xb_init(x, v5, 10);
    x->ftype = ftype;
    for (i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    f1 = xb_file(x, "hello\n", 6);
    f2 = xb_file(x, big, sizeof(big));
    /* holes: block 0 data, block 1 hole, block 2 unwritten (stale bytes), block 3 data */
    holes = xb_new_inode(x, 0100600, 2, 4 * 1024 - 100);
    for (i = 0; i < 3; i++) {
        e[i].off = i ? i + 1 : 0;
        e[i].blk = xb_alloc(x, 1);
        e[i].len = 1;
        e[i].unwritten = i == 1;
    }
    memset(xb_block(x, e[0].blk), 'A', 1024);
    memset(xb_block(x, e[1].blk), 'S', 1024);
    memset(xb_block(x, e[2].blk), 'D', 1024);
    xb_set_extents(x, holes, e, 3);
    for (i = 0; i < 40; i++) {
        sprintf(names[i], "n%02u", i);
        dn[i] = names[i];
        di[i] = i % 2 ? f1 : f2;
    }
    ri[0] = f1;
    ri[1] = f2;
    ri[2] = holes;
    ri[3] = xb_dir_short(x, x->root, 3, dn, di);
    ri[4] = xb_dir_block(x, x->root, 12, dn, di);
    ri[5] = xb_dir_data(x, x->root, 3, 40, dn, di);
    ri[6] = xb_symlink(x, "leaf/n07");
    memset(big, '/', 700);
    memcpy(big + 700, "hello", 6);
    ri[7] = xb_symlink(x, big);    /* remote: longer than the fork */
    xb_root_short(x, 8, rn, ri);
    xb_finish(x);
}

