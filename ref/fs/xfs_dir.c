/* SPDX-License-Identifier: GPL-2.0-only */
/* XFS v2/v3 directories: shortform in the inode, and data blocks (block, leaf, node forms). */
#include <string.h>

#include "fs/xfs.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Data block magics (xfs_da_format.h): single-block form and data blocks of
 * leaf/node form, v4 and v5. */
#define XD2B 0x58443242u
#define XD2D 0x58443244u
#define XDB3 0x58444233u
#define XDD3 0x58444433u
#define DATA_V4_HDR 16      /* magic + 3 bestfree pairs */
#define DATA_V5_HDR 64      /* + crc, blkno, lsn, uuid, owner, pad */
#define DATA_V5_CRC 4
#define DATA_V5_OWNER 40
#define FREE_TAG 0xffffu

/* The data space ends where leaf blocks begin: 32 GiB into the fork
 * (XFS_DIR2_LEAF_OFFSET); leaf and free-index blocks there are not needed
 * to list or look up names, so they are skipped. */
#define DIR_DATA_BYTES ((uint64_t)32 << 30)

struct iter {
    struct pvb_xfs *fs;
    const struct pvb_xfs_inode *dir;
    pvb_xfs_dirent_fn fn;
    void *arg;
    unsigned long count;
};

/* Count one entry against lim.max_entries and the run's scan budget, then hand it over. */
static int emit(struct iter *it, const uint8_t *name, size_t len, uint64_t ino, int ftype)
{
    int rc;

    if (++it->count > it->fs->ctx->lim.max_entries)
        return pvb_fail(it->fs->ctx, PVB_ELIMIT, "xfs: directory %llu: more than %u entries",
                        (unsigned long long)it->dir->ino, it->fs->ctx->lim.max_entries);
    if ((rc = pvb_charge(it->fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
        return rc;
    return it->fn(it->arg, name, len, ino, ftype);
}

/*
 * Shortform (xfs_dir2_sf_hdr): count, i8count, parent; then per entry
 * namelen, a 2-byte offset, the name, [ftype], and a 4- or 8-byte inode
 * number (8 when i8count is non-zero; only 56 bits are used).
 */
static uint64_t sf_ino(const uint8_t *p, int i8)
{
    return i8 ? pvb_be64(p) & (((uint64_t)1 << 56) - 1) : pvb_be32(p);
}

static int dir_short(struct iter *it)
{
    const struct pvb_xfs_inode *d = it->dir;
    const uint8_t *p = d->fork;
    size_t size = (size_t)d->size, pos, isz, i;   /* size <= forksize was checked */
    unsigned count;
    int i8, rc;

    if (size < 6)
        return pvb_fail(it->fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: shortform of %zu bytes",
                        (unsigned long long)d->ino, size);
    count = p[0];
    i8 = p[1] != 0;
    isz = i8 ? 8 : 4;
    pos = 2 + isz;
    if (pos > size)
        return pvb_fail(it->fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: shortform header past "
                        "its %zu bytes", (unsigned long long)d->ino, size);
    if ((rc = emit(it, (const uint8_t *)".", 1, d->ino, 2)) != 0 ||
        (rc = emit(it, (const uint8_t *)"..", 2, sf_ino(p + 2, i8), 2)) != 0)
        return rc;
    for (i = 0; i < count; i++) {
        size_t nlen, esz;

        nlen = pos < size ? p[pos] : 0;
        esz = 3 + nlen + (it->fs->ftype ? 1 : 0) + isz;
        if (nlen == 0 || esz > size - pos)
            return pvb_fail(it->fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: shortform entry "
                            "%zu of %u runs past the fork (%zu bytes)", (unsigned long long)d->ino,
                            i, count, size);
        rc = emit(it, p + pos + 3, nlen, sf_ino(p + pos + esz - isz, i8),
                  it->fs->ftype ? p[pos + 3 + nlen] : 0);
        if (rc)
            return rc;
        pos += esz;
    }
    return 0;
}

/* The entries of one data block between its header and end (xfs_dir2_data_entry:
 * 8-byte inode, namelen, name, [ftype], 2-byte tag = the entry's own offset,
 * padded to 8 bytes; or an unused span: 0xffff, length, ..., tag). */
static int data_entries(struct iter *it, const uint8_t *b, size_t pos, size_t end, uint64_t db)
{
    const char *why = NULL;
    int rc;

    /* Headers, entries and spans are multiples of 8 bytes, so are pos and end. */
    while (pos + 8 <= end) {
        size_t len;

        if (pvb_be16(b + pos) == FREE_TAG) {
            len = pvb_be16(b + pos + 2);
            if (len < 8 || len % 8 || len > end - pos || pvb_be16(b + pos + len - 2) != pos) {
                why = "a bad unused span";
                break;
            }
        } else {
            size_t nlen = end - pos > 8 ? b[pos + 8] : 0;

            len = (8 + 1 + nlen + (it->fs->ftype ? 1 : 0) + 2 + 7) & ~(size_t)7;
            if (nlen == 0 || len > end - pos) {
                why = "an entry running past the block";
                break;
            }
            if (pvb_be16(b + pos + len - 2) != pos) {
                why = "an entry whose tag does not point at it";
                break;
            }
            rc = emit(it, b + pos + 9, nlen, pvb_be64(b + pos),
                      it->fs->ftype ? b[pos + 9 + nlen] : 0);
            if (rc)
                return rc;
        }
        pos += len;
    }
    if (!why)
        return 0;
    return pvb_fail(it->fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: block %llu: %s at offset %zu",
                    (unsigned long long)it->dir->ino, (unsigned long long)db, why, pos);
}

/* Check one directory block's header and find where its entries end. */
static int data_block(struct iter *it, const uint8_t *b, uint64_t db, int single, size_t *end)
{
    struct pvb_xfs *fs = it->fs;
    uint32_t magic = pvb_be32(b), want_block = fs->v5 ? XDB3 : XD2B;
    uint32_t want_data = fs->v5 ? XDD3 : XD2D;
    size_t hdr = fs->v5 ? DATA_V5_HDR : DATA_V4_HDR, bs = fs->dirblksize;
    int rc;

    /* A directory of one block is in block form, or in leaf form after
     * entries were removed: the magic tells which. */
    if (magic != want_data && !(single && magic == want_block))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: block %llu: magic 0x%08x, "
                        "want 0x%08x", (unsigned long long)it->dir->ino, (unsigned long long)db,
                        magic, want_data);
    single = magic == want_block;
    if (fs->v5) {
        if ((rc = pvb_xfs_crc_check(fs, b, bs, DATA_V5_CRC, "directory block", db)) != 0)
            return rc;
        if (pvb_be64(b + DATA_V5_OWNER) != it->dir->ino)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: block %llu belongs to "
                            "inode %llu", (unsigned long long)it->dir->ino,
                            (unsigned long long)db, (unsigned long long)pvb_be64(b + DATA_V5_OWNER));
    }
    *end = bs;
    if (single) {
        /* Block form ends with the leaf array and a tail: count, stale. */
        uint32_t count = pvb_be32(b + bs - 8);

        if (count > (bs - hdr - 8) / 8)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: block tail counts %u "
                            "leaf entries", (unsigned long long)it->dir->ino, count);
        *end = bs - 8 - (size_t)count * 8;
    }
    return 0;
}

/* Block, leaf and node forms: the data blocks below 32 GiB, via the data fork. */
static int dir_blocks(struct iter *it)
{
    struct pvb_xfs *fs = it->fs;
    const struct pvb_xfs_inode *d = it->dir;
    uint64_t nblocks, db, per = (uint64_t)1 << fs->dirblklog;
    struct pvb_xfs_map m;
    struct pvb_xfs_ext e;
    uint8_t *b;
    size_t end = 0;
    int rc, single;

    if (d->size > DIR_DATA_BYTES || d->size % fs->dirblksize)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: directory %llu: size %llu is not whole "
                        "directory blocks under 32 GiB", (unsigned long long)d->ino,
                        (unsigned long long)d->size);
    /* Blocks can be shared by a hostile map: cap the bytes one listing may read. */
    if (d->size > fs->ctx->lim.max_file_size)
        return pvb_fail(fs->ctx, PVB_ELIMIT, "xfs: directory %llu: %llu bytes exceed the file "
                        "size limit", (unsigned long long)d->ino, (unsigned long long)d->size);
    nblocks = d->size / fs->dirblksize;
    single = nblocks == 1;
    if ((rc = pvb_xfs_map_init(fs, d, &m)) != 0)
        return rc;
    b = pvb_alloc(fs->ctx, fs->dirblksize, "xfs directory block");
    if (!b) {
        pvb_xfs_map_free(&m);
        return fs->ctx->err;
    }
    for (db = 0; db < nblocks && !rc; db++) {
        if ((rc = pvb_xfs_map_get(&m, db * per, &e)) != 0)
            break;
        if (e.blk == XFS_HOLE) {
            /* Emptied blocks are freed: skip the whole hole. */
            uint64_t next = e.len > UINT64_MAX - e.off ? UINT64_MAX : e.off + e.len;
            db = next / per + (next % per != 0) - 1;   /* > db - 1: the hole holds db */
            continue;
        }
        rc = pvb_xfs_map_read(&m, b, fs->dirblksize, db * fs->dirblksize);
        if (!rc)
            rc = data_block(it, b, db, single, &end);
        if (!rc)
            rc = data_entries(it, b, fs->v5 ? DATA_V5_HDR : DATA_V4_HDR, end, db);
    }
    pvb_free(fs->ctx, b);
    pvb_xfs_map_free(&m);
    return rc;
}

int pvb_xfs_dir_iter(struct pvb_xfs *fs, const struct pvb_xfs_inode *dir, pvb_xfs_dirent_fn fn,
                     void *arg)
{
    struct iter it;

    it.fs = fs;
    it.dir = dir;
    it.fn = fn;
    it.arg = arg;
    it.count = 0;
    if (pvb_mode_type(dir->mode) != PVB_FT_DIR)
        return pvb_fail(fs->ctx, PVB_ENOTDIR, "xfs: inode %llu is not a directory",
                        (unsigned long long)dir->ino);
    return dir->format == XFS_FMT_LOCAL ? dir_short(&it) : dir_blocks(&it);
}
