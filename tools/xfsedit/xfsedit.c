/* SPDX-License-Identifier: GPL-2.0-only */
/* pvxfsedit: rootless edits that make XFS test images mkfs.xfs -p cannot make.
 *
 * usage: pvxfsedit [--offset=BYTES] [--stale] frag IMAGE PATH CHUNK
 *        pvxfsedit [--offset=BYTES] symhdr IMAGE PATH
 *
 * frag: mkfs.xfs -p writes every file as one extent (and corrupts files that
 * need more). This takes such a file, cuts it into chunks of CHUNK blocks
 * and maps them, inside the file's own allocation, in reverse physical order
 * so that no two chunks merge: many extents in the inode, or a BMBT of one
 * or two levels when they do not fit. All-zero chunks become holes and
 * unwritten extents in turn; the blocks freed by holes hold the BMBT, and
 * any left over are mapped past EOF (as speculative preallocation is), so
 * the file still owns exactly the blocks it had and xfs_repair -n is happy.
 * The file reads the same as before. With --stale, unwritten extents hold
 * 0xa5 bytes instead of zeros (the kernel still reads zeros; GRUB does not).
 * Refuses filesystems with rmapbt (the reverse map would go stale).
 *
 * symhdr: mkfs.xfs 6.1 -p writes a v5 remote symlink without the block
 * header (struct xfs_dsymlink_hdr) that v5 requires, so xfs_repair -n
 * rejects it. This moves the target behind a correct header, when the
 * symlink's one extent has room for it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disk/disk.h"
#include "fs/fs.h"
#include "fs/xfs.h"
#include "util/bytes.h"

#define NULLFSBLOCK UINT64_MAX

struct rec {
    uint64_t off, blk, len;
    int unwritten;
};

struct plan {
    struct pvb_xfs *x;
    uint64_t ino, base;          /* inode number; volume offset in the image */
    uint64_t pblk, nblk;         /* the file's one extent: first fs block, length */
    struct rec *r;
    size_t nr;
    unsigned hdr, leafmax, rootmax, cap;
};

static void die(const char *msg)
{
    fprintf(stderr, "pvxfsedit: %s\n", msg);
    exit(1);
}

static uint64_t fsb_lin(const struct pvb_xfs *x, uint64_t fsb)
{
    return (fsb >> x->agblklog) * x->agblocks + (fsb & (((uint64_t)1 << x->agblklog) - 1));
}

/* fs block blk + n, staying in its AG (every block here is in the file's one extent). */
static uint64_t fsb_add(uint64_t blk, uint64_t n)
{
    return blk + n;
}

static void put(int fd, const struct plan *p, const void *buf, size_t len, uint64_t fsb)
{
    uint64_t at = p->base + (fsb_lin(p->x, fsb) << p->x->blocklog);

    if (pwrite(fd, buf, len, (off_t)at) != (ssize_t)len)
        die("write failed");
}

static void get(int fd, const struct plan *p, void *buf, size_t len, uint64_t fsb)
{
    uint64_t at = p->base + (fsb_lin(p->x, fsb) << p->x->blocklog);

    if (pread(fd, buf, len, (off_t)at) != (ssize_t)len)
        die("read failed");
}

static void rec_encode(uint8_t *o, const struct rec *r)
{
    pvb_put_be64(o, (uint64_t)r->unwritten << 63 | r->off << 9 | r->blk >> 43);
    pvb_put_be64(o + 8, r->blk << 21 | r->len);
}

/* BMBT blocks needed for n extents: 0 (they fit the inode), leaves, or leaves + nodes. */
static uint64_t bmbt_blocks(const struct plan *p, uint64_t n)
{
    uint64_t leaves, nodes;

    if (n <= p->cap)
        return 0;
    leaves = (n + p->leafmax - 1) / p->leafmax;
    if (leaves <= p->rootmax)
        return leaves;
    nodes = (leaves + p->leafmax - 1) / p->leafmax;
    if (nodes > p->rootmax)
        die("too many extents for a two-level BMBT");
    return leaves + nodes;
}

static void block_header(const struct plan *p, uint8_t *b, unsigned level, unsigned n,
                         uint64_t left, uint64_t right, uint64_t self)
{
    memset(b, 0, p->x->blocksize);
    pvb_put_be32(b, p->x->v5 ? 0x424d4133u : 0x424d4150u);
    pvb_put_be16(b + 4, (uint16_t)level);
    pvb_put_be16(b + 6, (uint16_t)n);
    pvb_put_be64(b + 8, left);
    pvb_put_be64(b + 16, right);
    if (p->x->v5) {
        pvb_put_be64(b + 24, fsb_lin(p->x, self) << (p->x->blocklog - 9));
        memcpy(b + 40, p->x->meta_uuid, 16);
        pvb_put_be64(b + 56, p->ino);
    }
}

static void block_crc(const struct plan *p, uint8_t *b)
{
    if (p->x->v5)
        pvb_put_le32(b + 64, pvb_xfs_crc(b, p->x->blocksize, 64));
}

/* Write n children's blocks at one level, items spread evenly; returns the keys. */
static void write_level(int fd, const struct plan *p, unsigned level, uint64_t first_blk,
                        size_t nblocks, const uint64_t *ckeys, const uint64_t *cptrs, size_t nitems,
                        uint64_t *keys_out)
{
    uint8_t *b = malloc(p->x->blocksize);
    size_t i, at = 0;

    if (!b)
        die("out of memory");
    for (i = 0; i < nblocks; i++) {
        size_t n = nitems / nblocks + (i < nitems % nblocks), j;
        uint64_t self = fsb_add(first_blk, i);

        block_header(p, b, level, (unsigned)n, i ? self - 1 : NULLFSBLOCK,
                     i + 1 < nblocks ? self + 1 : NULLFSBLOCK, self);
        for (j = 0; j < n; j++, at++) {
            if (level == 0) {
                rec_encode(b + p->hdr + 16 * j, &p->r[at]);
            } else {
                pvb_put_be64(b + p->hdr + 8 * j, ckeys[at]);
                pvb_put_be64(b + p->hdr + 8 * p->leafmax + 8 * j, cptrs[at]);
            }
        }
        keys_out[i] = level == 0 ? p->r[at - n].off : ckeys[at - n];
        block_crc(p, b);
        put(fd, p, b, p->x->blocksize, self);
    }
    free(b);
}

/* Fill the data fork: the records themselves, or a BMBT rooted in the inode. */
static void write_fork(int fd, struct plan *p, uint8_t *raw, uint8_t *fork, size_t forksize,
                       uint64_t bm_first, uint64_t nbm)
{
    uint64_t *lkeys, *lptrs, *nkeys, *nptrs;
    size_t leaves, nodes = 0, i, nroot;
    unsigned level = 1;

    memset(fork, 0, forksize);
    if (nbm == 0) {
        for (i = 0; i < p->nr; i++)
            rec_encode(fork + 16 * i, &p->r[i]);
        raw[5] = XFS_FMT_EXTENTS;
        return;
    }
    leaves = (p->nr + p->leafmax - 1) / p->leafmax;
    if (leaves > p->rootmax)
        nodes = (size_t)(nbm - leaves);
    lkeys = calloc(leaves, 8);
    lptrs = calloc(leaves, 8);
    nkeys = calloc(nodes + 1, 8);
    nptrs = calloc(nodes + 1, 8);
    if (!lkeys || !lptrs || !nkeys || !nptrs)
        die("out of memory");
    for (i = 0; i < leaves; i++)
        lptrs[i] = fsb_add(bm_first, i);
    write_level(fd, p, 0, bm_first, leaves, NULL, NULL, p->nr, lkeys);
    nroot = leaves;
    if (nodes) {
        for (i = 0; i < nodes; i++)
            nptrs[i] = fsb_add(bm_first, leaves + i);
        write_level(fd, p, 1, fsb_add(bm_first, leaves), nodes, lkeys, lptrs, leaves, nkeys);
        nroot = nodes;
        level = 2;
    }
    pvb_put_be16(fork, (uint16_t)level);
    pvb_put_be16(fork + 2, (uint16_t)nroot);
    for (i = 0; i < nroot; i++) {
        pvb_put_be64(fork + 4 + 8 * i, nodes ? nkeys[i] : lkeys[i]);
        pvb_put_be64(fork + 4 + 8 * p->rootmax + 8 * i, nodes ? nptrs[i] : lptrs[i]);
    }
    raw[5] = XFS_FMT_BTREE;
    free(lkeys);
    free(lptrs);
    free(nkeys);
    free(nptrs);
}

static int all_zero(const uint8_t *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

/* Cut the file into chunks and remap them (see the top of the file). */
static void do_frag(int fd, struct plan *p, struct pvb_xfs_inode *ip, uint64_t chunk, int stale)
{
    uint64_t nchunks, used = 0, k, bs = p->x->blocksize, nbm, left, pos;
    int zeros = 0;
    uint8_t *data;

    p->hdr = p->x->v5 ? 72 : 24;
    p->leafmax = (unsigned)((bs - p->hdr) / 16);
    p->cap = (unsigned)(ip->forksize / 16);
    p->rootmax = (unsigned)((ip->forksize - 4) / 16);
    nchunks = (p->nblk + chunk - 1) / chunk;
    data = malloc((size_t)(p->nblk * bs));
    p->r = calloc((size_t)nchunks + 1, sizeof(*p->r));
    if (!data || !p->r)
        die("out of memory");
    get(fd, p, data, (size_t)(p->nblk * bs), p->pblk);
    /* Chunks, in file order; all-zero ones alternate between hole and unwritten. */
    for (k = 0; k < nchunks; k++) {
        uint64_t n = k + 1 < nchunks ? chunk : p->nblk - k * chunk;
        int z = all_zero(data + k * chunk * bs, (size_t)(n * bs));

        if (z && zeros++ % 2 == 0)
            continue;
        p->r[p->nr].off = k * chunk;
        p->r[p->nr].len = n;
        p->r[p->nr].unwritten = z;
        p->nr++;
        used += n;
    }
    /* Free blocks go to the BMBT, the rest to one extent past EOF. */
    nbm = bmbt_blocks(p, p->nr + 1);
    if (used + nbm > p->nblk)
        die("not enough all-zero chunks to hold the BMBT");
    left = p->nblk - used - nbm;
    if (left == 0) {
        nbm = bmbt_blocks(p, p->nr);
        if (p->nblk - used - nbm != 0)
            die("cannot balance the blocks: try another CHUNK");
    } else {
        p->r[p->nr].off = nchunks * chunk;
        p->r[p->nr].len = left;
        p->r[p->nr].unwritten = 1;
        p->nr++;
    }
    /* Physical layout: BMBT first, then the chunks in reverse file order. */
    pos = fsb_add(p->pblk, nbm);
    for (k = p->nr; k-- > 0;) {
        struct rec *r = &p->r[k];
        uint8_t *src = r->off < p->nblk ? data + r->off * bs : NULL;
        uint8_t *fill = NULL;

        r->blk = pos;
        pos = fsb_add(pos, r->len);
        if (r->unwritten || !src) {
            fill = calloc((size_t)(r->len * bs), 1);
            if (!fill)
                die("out of memory");
            if (stale && src)
                memset(fill, 0xa5, (size_t)(r->len * bs));
        }
        put(fd, p, fill ? fill : src, (size_t)(r->len * bs), r->blk);
        free(fill);
    }
    write_fork(fd, p, ip->raw, ip->raw + (ip->fork - ip->raw), ip->forksize, p->pblk, nbm);
    if (ip->flags2 & ((uint64_t)1 << 4))
        pvb_put_be64(ip->raw + 24, p->nr);     /* di_big_nextents (nrext64) */
    else
        pvb_put_be32(ip->raw + 76, (uint32_t)p->nr);
    printf("inode %llu: %zu extents, %llu BMBT blocks, %d holes\n", (unsigned long long)p->ino,
           p->nr, (unsigned long long)nbm, (zeros + 1) / 2);
    free(data);
    free(p->r);
}

/* Put a struct xfs_dsymlink_hdr in front of a v5 remote symlink's target. */
static void do_symhdr(int fd, struct plan *p, const struct pvb_xfs_inode *ip)
{
    size_t n = (size_t)ip->size, len = (size_t)(p->nblk * p->x->blocksize);
    uint8_t *b = calloc(len, 1), *old = malloc(len);

    if (!b || !old)
        die("out of memory");
    if (!p->x->v5 || pvb_mode_type(ip->mode) != PVB_FT_LNK || n + 56 > len)
        die("symhdr: needs a v5 remote symlink whose extent has room for the header");
    get(fd, p, old, len, p->pblk);
    pvb_put_be32(b, 0x58534c4du);
    pvb_put_be32(b + 8, (uint32_t)n);
    memcpy(b + 16, p->x->meta_uuid, 16);
    pvb_put_be64(b + 32, p->ino);
    pvb_put_be64(b + 40, fsb_lin(p->x, p->pblk) << (p->x->blocklog - 9));
    memcpy(b + 56, old, n);
    pvb_put_le32(b + 12, pvb_xfs_crc(b, len, 12));
    put(fd, p, b, len, p->pblk);
    free(b);
    free(old);
}

static void usage(void)
{
    die("usage: pvxfsedit [--offset=BYTES] [--stale] frag IMAGE PATH CHUNK\n"
        "       pvxfsedit [--offset=BYTES] symhdr IMAGE PATH");
}

int main(int argc, char **argv)
{
    struct pvb_disk *d = NULL, *vol = NULL;
    struct pvb_fs *fs = NULL;
    struct pvb_ctx c;
    struct pvb_xfs_inode *ip;
    struct pvb_xfs_map m;
    struct pvb_xfs_ext e;
    struct plan p;
    long long offset = 0;
    int stale = 0, i = 1, fd, frag;
    uint64_t chunk = 0, ino_at;

    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strncmp(argv[i], "--offset=", 9) == 0)
            offset = strtoll(argv[i] + 9, NULL, 10);
        else if (strcmp(argv[i], "--stale") == 0)
            stale = 1;
        else
            usage();
    }
    if (argc - i < 3)
        usage();
    frag = strcmp(argv[i], "frag") == 0;
    if (frag ? argc - i != 4 || (chunk = strtoull(argv[i + 3], NULL, 10)) == 0
             : argc - i != 3 || strcmp(argv[i], "symhdr") != 0)
        usage();
    i++;
    pvb_ctx_init(&c);
    memset(&p, 0, sizeof(p));
    p.base = (uint64_t)offset;
    if (pvb_disk_open_path(&c, argv[i], NULL, &d) ||
        pvb_disk_open_sub(d, p.base, d->size - p.base, &vol) ||
        pvb_fs_mount_as(vol, "xfs", &fs) || pvb_fs_lookup(fs, argv[i + 1], 0, &p.ino))
        die(pvb_ctx_msg(&c));
    p.x = fs->priv;
    if (frag && (p.x->ro_compat & 2))
        die("rmapbt filesystems are not supported");
    ip = malloc(sizeof(*ip));
    if (!ip || pvb_xfs_inode_read(p.x, p.ino, ip))
        die(pvb_ctx_msg(&c));
    if (!frag && ip->format == XFS_FMT_LOCAL) {
        printf("inode %llu: a local symlink has no header\n", (unsigned long long)p.ino);
        return 0;
    }
    if (pvb_xfs_map_init(p.x, ip, &m))
        die(pvb_ctx_msg(&c));
    if (ip->format != XFS_FMT_EXTENTS || ip->nextents != 1 || pvb_xfs_map_get(&m, 0, &e) ||
        e.off != 0 || e.unwritten || pvb_be64(ip->raw + 64) != e.len)
        die("the file must have exactly one written extent from block 0 and nothing else");
    pvb_xfs_map_free(&m);
    p.pblk = e.blk;
    p.nblk = e.len;
    fd = open(argv[i], O_RDWR);
    if (fd < 0)
        die("cannot open the image for writing");
    if (frag)
        do_frag(fd, &p, ip, chunk, stale);
    else
        do_symhdr(fd, &p, ip);
    if (p.x->v5)
        pvb_put_le32(ip->raw + 100, pvb_xfs_crc(ip->raw, p.x->inodesize, 100));
    {
        unsigned shift = p.x->agblklog + p.x->inopblog;
        uint64_t agbno = (p.ino >> p.x->inopblog) & (((uint64_t)1 << p.x->agblklog) - 1);
        uint64_t fsb = (p.ino >> shift) << p.x->agblklog | agbno;

        ino_at = (fsb_lin(p.x, fsb) << p.x->blocklog) +
                 ((p.ino & (((uint64_t)1 << p.x->inopblog) - 1)) << p.x->inodelog);
    }
    if (pwrite(fd, ip->raw, p.x->inodesize, (off_t)(p.base + ino_at)) != (ssize_t)p.x->inodesize)
        die("inode write failed");
    close(fd);
    free(ip);
    pvb_fs_umount(fs);
    pvb_disk_close(vol);
    pvb_disk_close(d);
    return 0;
}
