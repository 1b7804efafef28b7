/* SPDX-License-Identifier: GPL-2.0-only */
/* btrfs file data: inline, regular and prealloc extents, holes, zlib/lzo/zstd-compressed extents. */
#include <string.h>

#include "disk/inflate.h"
#include "fs/btrfs.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/lzo.h"
#include "util/mem.h"
#include "util/safemath.h"

/* struct btrfs_file_extent_item */
#define FE_RAM_BYTES   8
#define FE_COMPRESSION 16
#define FE_ENCRYPTION  17
#define FE_OTHER_ENC   18
#define FE_TYPE        20
#define FE_INLINE      21   /* inline data starts here */
#define FE_DISK_BYTENR 21
#define FE_DISK_NUM    29
#define FE_OFFSET      37
#define FE_NUM_BYTES   45
#define FE_SIZE        53

enum { FE_T_INLINE = 0, FE_T_REG = 1, FE_T_PREALLOC = 2 };
enum { C_NONE = 0, C_ZLIB = 1, C_LZO = 2, C_ZSTD = 3 };

/* LZO extents (fs/btrfs/lzo.c): a 4-byte total length, then segments of a 4-byte length and
 * LZO1X data, each one page of output at most; a segment header never crosses a 4 KiB
 * boundary (GRUB's GRUB_BTRFS_LZO_BLOCK_SIZE), padding skipped. */
#define LZO_PAGE 4096u

struct bt_file {
    struct pvb_btrfs *fs;
    struct bt_path p;
    uint64_t obj, size;
    struct pvb_inflate *zlib, *zstd;
    uint8_t *cin;               /* compressed bytes, BT_MAX_COMPRESSED */
    uint8_t *cbuf;              /* the decompressed extent, BT_MAX_COMPRESSED */
    size_t cgot;                /* bytes in cbuf */
    int cvalid;
    uint64_t ckey_off;          /* which extent cbuf holds: its item key offset */
    uint64_t cgen;              /* and its leaf (bytenr) and slot, to tell extents apart */
    unsigned cslot;
};

/* One extent item, decoded and checked. */
struct extent {
    uint64_t start, len;        /* file bytes [start, start + len) */
    unsigned type, comp;
    uint64_t ram, disk, disk_len, off;
    const uint8_t *inl;         /* inline data */
    size_t inl_len;
};

static const char *comp_name(unsigned c)
{
    return c == C_ZLIB ? "zlib" : c == C_LZO ? "lzo" : c == C_ZSTD ? "zstd" : "none";
}

static int ext_decode(struct bt_file *f, const struct bt_item *it, struct extent *e)
{
    struct pvb_ctx *c = f->fs->ctx;
    const uint8_t *b = it->body;
    uint64_t end;

    if (it->len < FE_INLINE)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: extent item at %llu of %u bytes",
                        (unsigned long long)f->obj, (unsigned long long)it->key.off,
                        (unsigned)it->len);
    memset(e, 0, sizeof(*e));
    e->start = it->key.off;
    e->type = b[FE_TYPE];
    e->comp = b[FE_COMPRESSION];
    e->ram = pvb_le64(b + FE_RAM_BYTES);
    if (e->comp > C_ZSTD || b[FE_ENCRYPTION] != 0 || pvb_le16(b + FE_OTHER_ENC) != 0)
        return pvb_fail(c, PVB_EUNSUPPORTED, "btrfs: inode %llu: extent at %llu: compression %u, "
                        "encryption %u, encoding %u: not read", (unsigned long long)f->obj,
                        (unsigned long long)e->start, b[FE_COMPRESSION], b[FE_ENCRYPTION],
                        pvb_le16(b + FE_OTHER_ENC));
    if (e->type == FE_T_INLINE) {
        e->inl = b + FE_INLINE;
        e->inl_len = it->len - FE_INLINE;
        if (e->comp == C_NONE && e->ram != e->inl_len)
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: inline extent at %llu holds %zu "
                            "bytes, claims %llu", (unsigned long long)f->obj,
                            (unsigned long long)e->start, e->inl_len, (unsigned long long)e->ram);
        e->len = e->ram;
    } else if (e->type == FE_T_REG || e->type == FE_T_PREALLOC) {
        if (it->len < FE_SIZE)
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: extent item at %llu of %u bytes",
                            (unsigned long long)f->obj, (unsigned long long)e->start,
                            (unsigned)it->len);
        e->disk = pvb_le64(b + FE_DISK_BYTENR);
        e->disk_len = pvb_le64(b + FE_DISK_NUM);
        e->off = pvb_le64(b + FE_OFFSET);
        e->len = pvb_le64(b + FE_NUM_BYTES);
        /* The bytes used must lie inside what is stored: ram_bytes (decompressed) for a
         * compressed extent, the disk extent for a plain one. */
        if (e->disk != 0 && e->type == FE_T_REG &&
            (pvb_add_u64(e->off, e->len, &end) || end > (e->comp ? e->ram : e->disk_len)))
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: extent at %llu uses bytes %llu.."
                            "%llu of %llu", (unsigned long long)f->obj,
                            (unsigned long long)e->start, (unsigned long long)e->off,
                            (unsigned long long)e->off + e->len,
                            (unsigned long long)(e->comp ? e->ram : e->disk_len));
    } else {
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: extent at %llu has type %u",
                        (unsigned long long)f->obj, (unsigned long long)e->start, e->type);
    }
    if (e->comp != C_NONE && (e->ram > BT_MAX_COMPRESSED || e->disk_len > BT_MAX_COMPRESSED))
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: compressed extent at %llu claims "
                        "%llu bytes (%llu stored): btrfs compresses at most %u", (unsigned long long)
                        f->obj, (unsigned long long)e->start, (unsigned long long)e->ram,
                        (unsigned long long)e->disk_len, (unsigned)BT_MAX_COMPRESSED);
    if (pvb_add_u64(e->start, e->len, &end))
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: extent at %llu of %llu bytes runs "
                        "past 2^64", (unsigned long long)f->obj, (unsigned long long)e->start,
                        (unsigned long long)e->len);
    return 0;
}

/* btrfs's LZO framing around LZO1X segments. */
static int lzo_extent(struct bt_file *f, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                      size_t *got)
{
    struct pvb_ctx *c = f->fs->ctx;
    size_t at = 4, total, op = 0;

    if (n < 4)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: lzo extent of %zu bytes",
                        (unsigned long long)f->obj, n);
    total = pvb_le32(in);
    if (total > n || total < 4)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: lzo extent says %zu bytes, holds %zu",
                        (unsigned long long)f->obj, total, n);
    while (at < total && op < cap) {
        size_t seg, one;
        int rc;

        if (LZO_PAGE - at % LZO_PAGE < 4)
            at += LZO_PAGE - at % LZO_PAGE;
        if (at >= total)
            break;
        if (total - at < 4)
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: lzo segment header at %zu past "
                            "the extent's %zu bytes", (unsigned long long)f->obj, at, total);
        seg = pvb_le32(in + at);
        at += 4;
        if (seg > total - at)
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: lzo segment of %zu bytes at %zu "
                            "runs past the extent's %zu", (unsigned long long)f->obj, seg, at,
                            total);
        rc = pvb_lzo1x_decompress(in + at, seg, out + op,
                                  cap - op < LZO_PAGE ? cap - op : LZO_PAGE, &one);
        if (rc)
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: lzo segment at %zu: %s",
                            (unsigned long long)f->obj, at, pvb_lzo_strerror(rc));
        op += one;
        at += seg;
    }
    *got = op;
    return 0;
}

/* Decompress n bytes at in into f->cbuf, up to ram bytes (charged to the inflate budget). */
static int decompress(struct bt_file *f, unsigned comp, const uint8_t *in, size_t n, size_t ram)
{
    struct pvb_ctx *c = f->fs->ctx;
    struct pvb_inflate **z = comp == C_ZLIB ? &f->zlib : &f->zstd;
    int rc;

    f->cvalid = 0;
    if ((rc = pvb_charge(c, PVB_BUDGET_INFLATE, ram)) != 0)
        return rc;
    if (!f->cbuf && !(f->cbuf = pvb_alloc(c, BT_MAX_COMPRESSED, "btrfs extent")))
        return c->err;
    if (comp == C_LZO)
        return lzo_extent(f, in, n, f->cbuf, ram, &f->cgot);
    if (!*z && (rc = pvb_inflate_new(c, comp == C_ZLIB ? PVB_CODEC_ZLIB : PVB_CODEC_ZSTD, z)) != 0)
        return rc;
    rc = pvb_inflate_run_upto(*z, in, n, f->cbuf, ram, &f->cgot);
    if (rc && !pvb_err_fatal(rc))
        pvb_ctx_prefix(c, "btrfs: inode %llu: %s extent: ", (unsigned long long)f->obj,
                       comp_name(comp));
    return rc;
}

/* Copy n bytes at rel (bytes into the decompressed extent e) out of the cache, filling it first. */
static int read_compressed(struct bt_file *f, const struct extent *e, uint8_t *buf, size_t n,
                           uint64_t rel)
{
    struct pvb_ctx *c = f->fs->ctx;
    uint64_t leaf = f->p.lv[0].bytenr;
    unsigned slot = f->p.lv[0].pos;
    int rc;

    if (!f->cvalid || f->ckey_off != e->start || f->cgen != leaf || f->cslot != slot) {
        const uint8_t *in;
        size_t inlen;

        if (e->type == FE_T_INLINE) {
            in = e->inl;
            inlen = e->inl_len;
            if (inlen > BT_MAX_COMPRESSED)
                inlen = BT_MAX_COMPRESSED;
        } else {
            if (!f->cin && !(f->cin = pvb_alloc(c, BT_MAX_COMPRESSED, "btrfs extent")))
                return c->err;
            inlen = (size_t)e->disk_len;
            if ((rc = pvb_bt_read(f->fs, e->disk, f->cin, inlen)) != 0)
                return rc;
            in = f->cin;
        }
        if ((rc = decompress(f, e->comp, in, inlen, (size_t)e->ram)) != 0)
            return rc;
        /* The leaf holding the item may have been read again: note where it was found. */
        f->cvalid = 1;
        f->ckey_off = e->start;
        f->cgen = leaf;
        f->cslot = slot;
    }
    if (rel > f->cgot || n > f->cgot - rel)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: inode %llu: %s extent at %llu decompresses to "
                        "%zu bytes, %llu needed", (unsigned long long)f->obj, comp_name(e->comp),
                        (unsigned long long)e->start, f->cgot, (unsigned long long)(rel + n));
    memcpy(buf, f->cbuf + rel, n);
    return 0;
}

/* Bytes [off, off + n) of the file, all inside extent e. */
static int read_extent(struct bt_file *f, const struct extent *e, uint8_t *buf, size_t n,
                       uint64_t off)
{
    uint64_t rel = off - e->start;

    if (e->type != FE_T_INLINE && (e->type == FE_T_PREALLOC || e->disk == 0)) {
        memset(buf, 0, n);     /* unwritten, or a hole (disk_bytenr 0) */
        return 0;
    }
    if (e->comp != C_NONE)
        return read_compressed(f, e, buf, n, e->type == FE_T_INLINE ? rel : e->off + rel);
    if (e->type == FE_T_INLINE) {
        memcpy(buf, e->inl + rel, n);
        return 0;
    }
    {
        uint64_t log;

        if (pvb_add_u64(e->disk, e->off + rel, &log))
            return pvb_fail(f->fs->ctx, PVB_ECORRUPT, "btrfs: inode %llu: extent at %llu: "
                            "address past 2^64", (unsigned long long)f->obj,
                            (unsigned long long)e->start);
        return pvb_bt_read(f->fs, log, buf, n);
    }
}

/*
 * Exactly len bytes at off. Each piece finds the extent item at or before it
 * (the path keeps the leaf, so a sequential read walks the leaf); bytes no
 * extent covers (holes, NO_HOLES gaps, past the last extent) read as zeros.
 */
int pvb_bt_file_pread(struct bt_file *f, void *out, size_t len, uint64_t off)
{
    uint8_t *buf = out;
    struct bt_item it;
    struct bt_key k;
    struct extent e;
    int rc;

    while (len > 0) {
        size_t n = len;
        int have = 0;

        k.obj = f->obj;
        k.type = BT_EXTENT_DATA;
        k.off = off;
        rc = pvb_bt_search_le(&f->p, &k, &it);
        if (rc && rc != PVB_ENOTFOUND)
            return rc;
        if (!rc && it.key.obj == f->obj && it.key.type == BT_EXTENT_DATA) {
            if ((rc = ext_decode(f, &it, &e)) != 0)
                return rc;
            have = off - e.start < e.len;
        }
        if (have) {
            if (e.len - (off - e.start) < n)
                n = (size_t)(e.len - (off - e.start));
            if (n > BT_MAX_COMPRESSED && e.comp != C_NONE)
                n = BT_MAX_COMPRESSED;
            if ((rc = read_extent(f, &e, buf, n, off)) != 0)
                return rc;
        } else {
            /* A hole up to the next extent item, if any. */
            rc = rc == PVB_ENOTFOUND ? pvb_bt_search_ge(&f->p, &k, &it) : pvb_bt_next(&f->p, &it);
            if (rc && rc != PVB_ENOTFOUND)
                return rc;
            if (!rc && it.key.obj == f->obj && it.key.type == BT_EXTENT_DATA && it.key.off > off &&
                it.key.off - off < n)
                n = (size_t)(it.key.off - off);
            memset(buf, 0, n);
        }
        if ((rc = pvb_charge(f->fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
            return rc;
        buf += n;
        off += n;
        len -= n;
    }
    return 0;
}

int pvb_bt_file_open(struct pvb_btrfs *fs, const struct bt_root *root, uint64_t obj,
                     uint64_t size, struct bt_file **out)
{
    struct bt_file *f = pvb_zalloc(fs->ctx, sizeof(*f), "btrfs file");

    if (!f)
        return fs->ctx->err;
    f->fs = fs;
    f->obj = obj;
    f->size = size;
    pvb_bt_path_init(fs, &f->p, root);
    *out = f;
    return 0;
}

void pvb_bt_file_close(struct bt_file *f)
{
    if (!f)
        return;
    pvb_bt_path_free(&f->p);
    pvb_inflate_free(f->zlib);
    pvb_inflate_free(f->zstd);
    pvb_free(f->fs->ctx, f->cin);
    pvb_free(f->fs->ctx, f->cbuf);
    pvb_free(f->fs->ctx, f);
}
