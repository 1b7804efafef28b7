/* SPDX-License-Identifier: GPL-2.0-only */
/* ISO 9660 directories: records, SUSP areas and their continuations, Rock Ridge, names. */
#include <string.h>

#include "fs/iso9660.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

/*
 * Names, as GRUB's grub_iso9660_iterate_dir (grub-core/fs/iso9660.c, GRUB 2.06 and
 * 2.12) presents them, in this order:
 * - a Rock Ridge NM name when the volume has Rock Ridge: as stored, matched exactly;
 *   every NM entry of the record is appended, CONTINUE flag or not;
 * - else on a Joliet volume the UCS-2 name as UTF-8, cut at its last ';', matched
 *   exactly;
 * - else the ISO 9660 name cut at its last ';', lowercased (ASCII), one trailing '.'
 *   dropped, and matched without case (GRUB_FSHELP_CASE_INSENSITIVE, grub_strcasecmp).
 * GRUB keeps names as C strings, so a NUL ends one. A name longer than 255 bytes or
 * holding '/' can never equal a path component: it is skipped (with a warning).
 */

/* SUSP entry header (SUSP 1.12, 4.1). */
#define SUE_LEN   2
#define SUE_DATA  4
/* Rock Ridge flags (RRIP 1.12): NM 4.1.4, SL 4.1.3.1. */
#define NM_CONTINUE 0x01u
#define NM_CURRENT  0x02u
#define NM_PARENT   0x04u
#define SL_CONTINUE 0x01u
#define SL_CURRENT  0x02u
#define SL_PARENT   0x04u
#define SL_ROOT     0x08u

/* What one record's SUSP areas say. */
struct susp {
    int want_link;           /* decode SL (stat and readlink); scans skip it */
    char name[ISO_NAME_MAX + 1];
    size_t namelen;
    int have_nm, nm_long, nm_dot;
    int have_px;
    uint32_t mode, nlink, uid, gid;
    int have_cl, have_re;
    uint32_t cl_block;
    int have_sl, sl_cont;
    char *link;              /* lim.max_path bytes from the context, on the first SL */
    size_t linklen;
    int link_err;            /* a bad SL: reported when the link is read, not while scanning */
    const char *link_why;
    /* mount: what set_rockridge looks for */
    int have_er;
};

/* Scratch for one scan or one node: a directory block and a continuation area. */
struct rbuf {
    uint8_t *blk;
    uint8_t *ce;
};

static int rbuf_init(struct pvb_iso *fs, struct rbuf *r)
{
    r->blk = pvb_alloc(fs->ctx, ISO_BLOCK, "iso9660 directory block");
    r->ce = r->blk ? pvb_alloc(fs->ctx, ISO_BLOCK, "iso9660 continuation area") : NULL;
    if (r->ce)
        return 0;
    pvb_free(fs->ctx, r->blk);
    return fs->ctx->err;
}

static void rbuf_free(struct pvb_iso *fs, struct rbuf *r)
{
    pvb_free(fs->ctx, r->blk);
    pvb_free(fs->ctx, r->ce);
}

int pvb_iso_extent_ok(struct pvb_iso *fs, uint32_t block, uint32_t size, const char *what,
                      uint64_t where)
{
    uint64_t off = (uint64_t)block << ISO_BLOCK_LOG;

    if (pvb_span_ok(off, size, fs->vol_bytes))
        return 0;
    /* A read outside the image (a truncated one, most often): PVB_ERANGE, as the disk
     * layer would say, but checked before anything is read. */
    return pvb_fail(fs->ctx, PVB_ERANGE,
                    "iso9660: %s at %llu: %lu bytes at block %lu lie past the end of the volume "
                    "(%llu bytes)", what, (unsigned long long)where, (unsigned long)size,
                    (unsigned long)block, (unsigned long long)fs->vol_bytes);
}

size_t pvb_iso_ucs2_utf8(const uint8_t *in, size_t units, char *out, size_t cap)
{
    size_t i, n = 0;

    for (i = 0; i < units; i++) {
        uint32_t c = pvb_be16(in + 2 * i);
        uint8_t b[4];
        size_t k, m;

        if (c >= 0xd800 && c <= 0xdbff && i + 1 < units && pvb_be16(in + 2 * i + 2) >= 0xdc00 &&
            pvb_be16(in + 2 * i + 2) <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (pvb_be16(in + 2 * i + 2) - 0xdc00u);
            i++;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            c = '?';   /* a lone surrogate: grub_utf16_to_utf8 writes '?' */
        }
        if (c < 0x80) {
            b[0] = (uint8_t)c;
            m = 1;
        } else if (c < 0x800) {
            b[0] = (uint8_t)(0xc0 | c >> 6);
            b[1] = (uint8_t)(0x80 | (c & 0x3f));
            m = 2;
        } else if (c < 0x10000) {
            b[0] = (uint8_t)(0xe0 | c >> 12);
            b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
            b[2] = (uint8_t)(0x80 | (c & 0x3f));
            m = 3;
        } else {
            b[0] = (uint8_t)(0xf0 | c >> 18);
            b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
            b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
            b[3] = (uint8_t)(0x80 | (c & 0x3f));
            m = 4;
        }
        for (k = 0; k < m; k++) {
            if (n < cap)
                out[n] = (char)b[k];
            n++;
        }
    }
    return n;
}

/* ---- SUSP ------------------------------------------------------------------- */

static void link_bad(struct susp *s, int err, const char *why)
{
    if (!s->link_err) {
        s->link_err = err;
        s->link_why = why;
    }
}

static void link_put(struct pvb_iso *fs, struct susp *s, const char *p, size_t n)
{
    if (s->link_err)
        return;
    if (n > fs->ctx->lim.max_path - s->linklen) {
        link_bad(s, PVB_ELIMIT, "the target is longer than the path limit");
        return;
    }
    memcpy(s->link + s->linklen, p, n);
    s->linklen += n;
}

/* One SL entry: component records (RRIP 4.1.3.1), joined into a POSIX path. GRUB
 * (susp_iterate_dir) writes "./", "../" and "/" for the flag components and a '/'
 * before each text one, which names the same path with doubled slashes; we write
 * the path as Linux (fs/isofs/rock.c) and libisofs do. */
static void sl_entry(struct pvb_iso *fs, struct susp *s, const uint8_t *e, size_t elen)
{
    size_t pos = SUE_DATA + 1;   /* after the entry's own flags byte */

    s->have_sl = 1;
    if (!s->want_link || s->link_err)
        return;
    if (!s->link) {
        s->link = pvb_alloc(fs->ctx, fs->ctx->lim.max_path, "iso9660 symlink");
        if (!s->link) {
            link_bad(s, fs->ctx->err, "no memory for the target");
            return;
        }
    }
    while (pos < elen) {
        unsigned flags, clen;

        if (elen - pos < 2) {
            link_bad(s, PVB_ECORRUPT, "an SL component header runs past its entry");
            return;
        }
        flags = e[pos];
        clen = e[pos + 1];
        if (clen > elen - pos - 2) {
            link_bad(s, PVB_ECORRUPT, "an SL component runs past its entry");
            return;
        }
        /* A separator unless the last component said CONTINUE, or the path so far
         * is empty or ends in '/' (the root). */
        if (s->linklen && !s->sl_cont && s->link[s->linklen - 1] != '/' &&
            !(flags & SL_ROOT))
            link_put(fs, s, "/", 1);
        switch (flags & (SL_CURRENT | SL_PARENT | SL_ROOT)) {
        case 0:
            link_put(fs, s, (const char *)e + pos + 2, clen);
            s->sl_cont = (flags & SL_CONTINUE) != 0;
            break;
        case SL_CURRENT:
            link_put(fs, s, ".", 1);
            s->sl_cont = 0;
            break;
        case SL_PARENT:
            link_put(fs, s, "..", 2);
            s->sl_cont = 0;
            break;
        case SL_ROOT:
            if (!s->linklen || s->link[s->linklen - 1] != '/')
                link_put(fs, s, "/", 1);
            s->sl_cont = 0;
            break;
        default:
            /* Two of CURRENT/PARENT/ROOT at once: GRUB writes nothing; neither do we. */
            break;
        }
        pos += 2 + (size_t)clen;
    }
}

static void nm_entry(struct susp *s, const uint8_t *e, size_t elen)
{
    size_t n;

    if (elen < SUE_DATA + 1)
        return;
    if (e[SUE_DATA] & (NM_CURRENT | NM_PARENT)) {
        s->nm_dot = 1;
        return;
    }
    s->have_nm = 1;
    n = elen - SUE_DATA - 1;
    if (s->nm_long || n > ISO_NAME_MAX - s->namelen) {
        s->nm_long = 1;
        return;
    }
    memcpy(s->name + s->namelen, e + SUE_DATA + 1, n);
    s->namelen += n;
    s->name[s->namelen] = '\0';
}

static void entry(struct pvb_iso *fs, struct susp *s, const uint8_t *e, size_t elen)
{
    if (e[0] == 'N' && e[1] == 'M')
        nm_entry(s, e, elen);
    else if (e[0] == 'P' && e[1] == 'X' && elen >= SUE_DATA + 8) {
        s->have_px = 1;
        s->mode = pvb_le32(e + SUE_DATA);
        if (elen >= SUE_DATA + 32) {
            s->nlink = pvb_le32(e + SUE_DATA + 8);
            s->uid = pvb_le32(e + SUE_DATA + 16);
            s->gid = pvb_le32(e + SUE_DATA + 24);
        }
    } else if (e[0] == 'S' && e[1] == 'L')
        sl_entry(fs, s, e, elen);
    else if (e[0] == 'C' && e[1] == 'L' && elen >= SUE_DATA + 8) {
        s->have_cl = 1;
        s->cl_block = pvb_le32(e + SUE_DATA);
    } else if (e[0] == 'R' && e[1] == 'E')
        s->have_re = 1;
    else if (e[0] == 'E' && e[1] == 'R')
        s->have_er = 1;
}

/*
 * Walk the SUSP area [area, area+len) of the record at rec_off and its
 * continuation areas (SUSP 5.1 CE). As in GRUB: an entry shorter than its header
 * or running past the area ends the area, ST ends it, and an area holds at most
 * one CE. Continuation areas must fit their block (Linux rock.c), are at most
 * ISO_MAX_CE per record, and may not repeat (a loop).
 */
static int susp_walk(struct pvb_iso *fs, struct rbuf *r, const uint8_t *area, size_t len,
                     uint64_t rec_off, struct susp *s)
{
    uint64_t seen[ISO_MAX_CE];
    unsigned hops = 0, i;
    int rc;

    for (;;) {
        size_t p = 0;
        int have_ce = 0;
        uint32_t ce_blk = 0, ce_off = 0, ce_len = 0;
        uint64_t pos;

        while (len - p >= SUE_DATA) {
            const uint8_t *e = area + p;
            size_t elen = e[SUE_LEN];

            if (elen < SUE_DATA || elen > len - p)
                break;
            if (e[0] == 'S' && e[1] == 'T')
                break;
            if (e[0] == 'C' && e[1] == 'E') {
                if (have_ce)
                    return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: record at %llu: more "
                                    "than one CE entry in a SUSP area",
                                    (unsigned long long)rec_off);
                if (elen < SUE_DATA + 24)
                    return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: record at %llu: CE "
                                    "entry of %u bytes (28 expected)",
                                    (unsigned long long)rec_off, (unsigned)elen);
                have_ce = 1;
                ce_blk = pvb_le32(e + SUE_DATA);
                ce_off = pvb_le32(e + SUE_DATA + 8);
                ce_len = pvb_le32(e + SUE_DATA + 16);
            } else {
                entry(fs, s, e, elen);
            }
            p += elen;
        }
        if (!have_ce)
            return 0;
        if (hops >= ISO_MAX_CE)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: record at %llu: more than %u "
                            "continuation areas", (unsigned long long)rec_off, ISO_MAX_CE);
        if (ce_off >= ISO_BLOCK || ce_len > ISO_BLOCK - ce_off || ce_len < SUE_DATA)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: record at %llu: continuation "
                            "area of %lu bytes at offset %lu does not fit block %lu",
                            (unsigned long long)rec_off, (unsigned long)ce_len,
                            (unsigned long)ce_off, (unsigned long)ce_blk);
        pos = ((uint64_t)ce_blk << ISO_BLOCK_LOG) + ce_off;
        for (i = 0; i < hops; i++)
            if (seen[i] == pos)
                return pvb_fail(fs->ctx, PVB_ELOOP, "iso9660: record at %llu: continuation "
                                "areas form a loop at block %lu offset %lu",
                                (unsigned long long)rec_off, (unsigned long)ce_blk,
                                (unsigned long)ce_off);
        seen[hops++] = pos;
        if ((rc = pvb_iso_extent_ok(fs, ce_blk, ce_off + ce_len, "continuation area", rec_off)) ||
            (rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) ||
            (rc = pvb_disk_pread(fs->vol, r->ce, ce_len, pos)))
            return rc;
        area = r->ce;
        len = ce_len;
    }
}

/* ---- records ---------------------------------------------------------------- */

/* A record at rec with avail bytes left in its block: its length and name fit. */
static int rec_check(struct pvb_iso *fs, const uint8_t *rec, size_t avail, uint64_t off)
{
    unsigned len = rec[DR_LEN], namelen;

    if (len < ISO_REC_MIN || len > avail)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: directory record at %llu: length %u %s",
                        (unsigned long long)off, len,
                        len < ISO_REC_MIN ? "is too short" : "runs past its block");
    namelen = rec[DR_NAMELEN];
    if (namelen == 0 || DR_NAME + namelen > len)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: directory record at %llu: name of "
                        "%u bytes in a record of %u", (unsigned long long)off, namelen, len);
    return 0;
}

static int is_dot(const uint8_t *rec)
{
    return rec[DR_NAMELEN] == 1 && rec[DR_NAME] <= 1;
}

/* The record's SUSP area: after the name and its pad byte (ECMA-119 9.1.13), and
 * SP's LEN_SKP bytes (SUSP 5.3). GRUB measures the area before skipping, so its
 * area runs LEN_SKP bytes past the record; ours ends with the record. */
static int rec_susp(struct pvb_iso *fs, struct rbuf *r, const uint8_t *rec, uint64_t off,
                    struct susp *s)
{
    unsigned len = rec[DR_LEN], namelen = rec[DR_NAMELEN];
    size_t start = (size_t)DR_NAME + namelen + !(namelen & 1) + fs->susp_skip;

    if (!fs->rr || start >= len)
        return 0;
    return susp_walk(fs, r, rec + start, len - start, off, s);
}

/* The name GRUB gives a record without a Rock Ridge name; 0 when none can match. */
static size_t iso_name(struct pvb_iso *fs, const uint8_t *rec, char *out, int *fold)
{
    unsigned n = rec[DR_NAMELEN], i;
    size_t len = 0;
    char *semi;

    if (fs->joliet) {
        len = pvb_iso_ucs2_utf8(rec + DR_NAME, n / 2, out, ISO_NAME_MAX);
        if (len > ISO_NAME_MAX)
            return 0;
        out[len] = '\0';
        *fold = 0;
    } else {
        for (i = 0; i < n && rec[DR_NAME + i]; i++)
            out[len++] = (char)rec[DR_NAME + i];
        out[len] = '\0';
        *fold = 1;
    }
    len = strlen(out);   /* a NUL ends a name, as in GRUB's C strings */
    semi = strrchr(out, ';');
    if (semi) {
        *semi = '\0';
        len = (size_t)(semi - out);
    }
    if (!fs->joliet) {
        for (i = 0; i < len; i++)
            if (out[i] >= 'A' && out[i] <= 'Z')
                out[i] = (char)(out[i] - 'A' + 'a');
        if (len && out[len - 1] == '.')
            out[--len] = '\0';
    }
    return len;
}

/* GRUB's type: Rock Ridge PX for directories, files and symlinks; else the record's
 * directory flag (a device or fifo in PX reads as a file or directory, as in GRUB). */
static enum pvb_ftype rec_type(const uint8_t *rec, const struct susp *s)
{
    if (s->have_cl)
        return PVB_FT_DIR;
    if (s->have_px) {
        enum pvb_ftype t = pvb_mode_type(s->mode);

        if (t == PVB_FT_DIR || t == PVB_FT_REG || t == PVB_FT_LNK)
            return t;
    }
    return (rec[DR_FLAGS] & DRF_DIR) ? PVB_FT_DIR : PVB_FT_REG;
}

static int read_block(struct pvb_iso *fs, uint8_t *buf, uint64_t block, size_t len)
{
    return pvb_disk_pread(fs->vol, buf, len, block << ISO_BLOCK_LOG);
}

/* ---- scans -------------------------------------------------------------------- */

int pvb_iso_dir_iter(struct pvb_iso *fs, const struct iso_node *d, iso_dirent_fn fn, void *arg)
{
    struct rbuf r;
    uint32_t size = d->ext[0].size, nblocks = (uint32_t)((d->ext[0].size + ISO_BLOCK - 1ull) / ISO_BLOCK);
    uint32_t b;
    int in_multi = 0, rc;

    if ((rc = rbuf_init(fs, &r)) != 0)
        return rc;
    for (b = 0; b < nblocks && !rc; b++) {
        uint64_t blk = (uint64_t)d->ext[0].block + b;
        size_t blen = size - (uint64_t)b * ISO_BLOCK < ISO_BLOCK ? size - b * ISO_BLOCK : ISO_BLOCK;
        size_t pos = 0;

        if ((rc = read_block(fs, r.blk, blk, blen)) != 0)
            break;
        while (pos < blen && r.blk[pos] != 0) {
            const uint8_t *rec = r.blk + pos;
            uint64_t off = (blk << ISO_BLOCK_LOG) + pos;
            struct susp s;
            struct iso_dirent e;
            char name[ISO_NAME_MAX + 1];

            if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0 ||
                (rc = rec_check(fs, rec, blen - pos, off)) != 0)
                break;
            pos += rec[DR_LEN];
            /* The later records of a multi-extent file belong to the first one. */
            if (in_multi) {
                in_multi = (rec[DR_FLAGS] & DRF_MORE) != 0;
                continue;
            }
            in_multi = (rec[DR_FLAGS] & DRF_MORE) != 0;
            if (is_dot(rec))
                continue;
            memset(&s, 0, sizeof(s));
            if ((rc = rec_susp(fs, &r, rec, off, &s)) != 0)
                break;
            if (s.have_re || s.nm_dot)
                continue;   /* a relocated directory is listed where its CL placeholder is */
            if (s.have_nm && !s.nm_long) {
                e.len = strlen(s.name);
                e.name = s.name;
                e.fold = 0;
            } else if (s.have_nm) {
                pvb_warn(fs->ctx, "iso9660: record at %llu: Rock Ridge name longer than %u "
                         "bytes; skipped", (unsigned long long)off, ISO_NAME_MAX);
                continue;
            } else {
                e.len = iso_name(fs, rec, name, &e.fold);
                e.name = name;
                if (e.len == 0 && rec[DR_NAMELEN] > 1 && fs->joliet)
                    pvb_warn(fs->ctx, "iso9660: record at %llu: Joliet name longer than %u "
                             "bytes; skipped", (unsigned long long)off, ISO_NAME_MAX);
            }
            if (e.len == 0 || memchr(e.name, '/', e.len))
                continue;
            e.ino = (uint64_t)(nblocks - 1 - b) << ISO_INO_OFFBITS | off;
            e.type = rec_type(rec, &s);
            if ((rc = fn(arg, &e)) != 0)
                break;
        }
    }
    rbuf_free(fs, &r);
    return rc;
}

/* ---- nodes -------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ECMA-119 9.1.5: years since 1900, month, day, h, m, s, offset from GMT in 15 minutes. */
static int64_t rec_time(const uint8_t *t)
{
    if (t[1] < 1 || t[1] > 12 || t[2] < 1 || t[2] > 31 || t[3] > 23 || t[4] > 59 || t[5] > 60)
        return 0;
    return days_from_civil(1900 + t[0], t[1], t[2]) * 86400 + t[3] * 3600 + t[4] * 60 + t[5] -
           (int64_t)(int8_t)t[6] * 900;
}

static int add_extent(struct pvb_iso *fs, struct iso_node *n, const uint8_t *rec, uint64_t off)
{
    uint32_t block = pvb_le32(rec + DR_EXTENT), size = pvb_le32(rec + DR_SIZE);
    struct iso_ext *x;
    int rc;

    if (rec[DR_UNIT] || rec[DR_GAP])
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "iso9660: record at %llu: interleaved file "
                        "(unit size %u, gap %u) is not read", (unsigned long long)off,
                        rec[DR_UNIT], rec[DR_GAP]);
    if (rec[DR_XA_LEN])
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "iso9660: record at %llu: extended attribute "
                        "record of %u blocks is not read", (unsigned long long)off, rec[DR_XA_LEN]);
    if ((rc = pvb_iso_extent_ok(fs, block, size, "extent of the record", off)) != 0)
        return rc;
    x = pvb_grow(fs->ctx, n->ext, &n->cap, n->next + 1, sizeof(*x), "iso9660 extents");
    if (!x)
        return fs->ctx->err;
    n->ext = x;
    x[n->next].block = block;
    x[n->next].size = size;
    n->next++;
    n->size += size;
    return 0;
}

static int root_node(struct pvb_iso *fs, struct iso_node *n)
{
    n->type = PVB_FT_DIR;
    n->mode = 040555;
    n->nlink = 2;
    n->mtime = rec_time(fs->root + DR_DATE);
    return add_extent(fs, n, fs->root, (uint64_t)ISO_FIRST_DESC << ISO_BLOCK_LOG);
}

/* A Rock Ridge CL placeholder: the directory lives at the block CL names, and its
 * "." record there gives its size (RRIP 4.1.5.1). */
static int child_link(struct pvb_iso *fs, struct rbuf *r, struct iso_node *n, uint32_t block,
                      uint64_t off)
{
    int rc;

    if ((rc = pvb_iso_extent_ok(fs, block, ISO_BLOCK, "CL target of the record", off)) != 0 ||
        (rc = read_block(fs, r->blk, block, ISO_BLOCK)) != 0 ||
        (rc = rec_check(fs, r->blk, ISO_BLOCK, (uint64_t)block << ISO_BLOCK_LOG)) != 0)
        return rc;
    if (!is_dot(r->blk) || pvb_le32(r->blk + DR_EXTENT) != block)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: record at %llu: CL names block %lu, "
                        "which does not start a directory", (unsigned long long)off,
                        (unsigned long)block);
    n->next = 0;
    n->size = 0;
    return add_extent(fs, n, r->blk, (uint64_t)block << ISO_BLOCK_LOG);
}

int pvb_iso_node_get(struct pvb_iso *fs, pvb_ino ino, struct iso_node *n)
{
    uint64_t off = ino & (((uint64_t)1 << ISO_INO_OFFBITS) - 1), blk = off >> ISO_BLOCK_LOG;
    uint64_t left = ino >> ISO_INO_OFFBITS;
    size_t pos = off & (ISO_BLOCK - 1), blen;
    struct susp s;
    struct rbuf r;
    const uint8_t *rec;
    int rc;

    memset(n, 0, sizeof(*n));
    n->ino = ino;
    if (ino == fs->root_ino)
        return root_node(fs, n);
    if (blk << ISO_BLOCK_LOG >= fs->vol_bytes)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: inode %llu lies past the volume",
                        (unsigned long long)ino);
    blen = fs->vol_bytes - (blk << ISO_BLOCK_LOG) < ISO_BLOCK
               ? (size_t)(fs->vol_bytes - (blk << ISO_BLOCK_LOG)) : ISO_BLOCK;
    if (pos >= blen)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: inode %llu lies past the volume",
                        (unsigned long long)ino);
    if ((rc = rbuf_init(fs, &r)) != 0)
        return rc;
    memset(&s, 0, sizeof(s));
    s.want_link = 1;
    if ((rc = read_block(fs, r.blk, blk, blen)) != 0 ||
        (rc = rec_check(fs, r.blk + pos, blen - pos, off)) != 0)
        goto out;
    rec = r.blk + pos;
    n->mtime = rec_time(rec + DR_DATE);
    if ((rc = rec_susp(fs, &r, rec, off, &s)) != 0 || (rc = add_extent(fs, n, rec, off)) != 0)
        goto out;
    n->type = rec_type(rec, &s);
    n->mode = (s.have_px ? s.mode & 07777 : (n->type == PVB_FT_DIR ? 0555 : 0444)) |
              (n->type == PVB_FT_DIR ? 040000 : n->type == PVB_FT_LNK ? 0120000 : 0100000);
    n->nlink = s.have_px && s.nlink ? s.nlink : 1;
    n->uid = s.uid;
    n->gid = s.gid;
    /* Later records of a multi-extent file (ECMA-119 6.5.1), through the end of the
     * directory; a zero byte ends a block's records, as GRUB skips it. */
    while (rec[DR_FLAGS] & DRF_MORE) {
        pos += rec[DR_LEN];
        while (pos >= blen || r.blk[pos] == 0) {
            if (left-- == 0) {
                rc = pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: record at %llu: the file's "
                              "last record says more extents follow", (unsigned long long)off);
                goto out;
            }
            blk++;
            pos = 0;
            blen = ISO_BLOCK;
            if ((rc = read_block(fs, r.blk, blk, blen)) != 0)
                goto out;
        }
        rec = r.blk + pos;
        if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0 ||
            (rc = rec_check(fs, rec, blen - pos, (blk << ISO_BLOCK_LOG) + pos)) != 0 ||
            (rc = add_extent(fs, n, rec, (blk << ISO_BLOCK_LOG) + pos)) != 0)
            goto out;
    }
    if (n->type == PVB_FT_DIR && s.have_cl) {
        if ((rc = child_link(fs, &r, n, s.cl_block, off)) != 0)
            goto out;
    } else if (n->type == PVB_FT_DIR && n->next > 1) {
        rc = pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "iso9660: directory at %llu has %u extents; "
                      "multi-extent directories are not read", (unsigned long long)off, n->next);
        goto out;
    }
    if (n->type == PVB_FT_LNK) {
        if (s.link_err) {
            rc = pvb_fail(fs->ctx, s.link_err, "iso9660: symlink at %llu: %s",
                          (unsigned long long)off, s.link_why);
            goto out;
        }
        n->link = s.link;
        n->linklen = s.linklen;
        n->size = s.linklen;
        s.link = NULL;
    }
out:
    pvb_free(fs->ctx, s.link);
    rbuf_free(fs, &r);
    if (rc)
        pvb_iso_node_free(fs, n);
    return rc;
}

void pvb_iso_node_free(struct pvb_iso *fs, struct iso_node *n)
{
    pvb_free(fs->ctx, n->ext);
    pvb_free(fs->ctx, n->link);
    n->ext = NULL;
    n->link = NULL;
    n->next = n->cap = 0;
}

/* GRUB set_rockridge: the root's first record ("."): an SP entry first in its SUSP
 * area gives LEN_SKP; an ER anywhere in the area or its continuations means Rock
 * Ridge (GRUB takes any ER as Rock Ridge; so do we). */
int pvb_iso_detect_rr(struct pvb_iso *fs)
{
    uint32_t block = pvb_le32(fs->root + DR_EXTENT);
    uint64_t off = (uint64_t)block << ISO_BLOCK_LOG;
    const uint8_t *rec;
    struct susp s;
    struct rbuf r;
    size_t start;
    int rc;

    fs->rr = 0;
    if ((rc = rbuf_init(fs, &r)) != 0)
        return rc;
    if ((rc = read_block(fs, r.blk, block, ISO_BLOCK)) != 0 ||
        (rc = rec_check(fs, r.blk, ISO_BLOCK, off)) != 0)
        goto out;
    rec = r.blk;
    start = (size_t)DR_NAME + rec[DR_NAMELEN] + !(rec[DR_NAMELEN] & 1);
    if (rec[DR_LEN] < start + 7 || rec[start] != 'S' || rec[start + 1] != 'P')
        goto out;
    if (rec[start + SUE_LEN] < 7) {
        rc = pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: root record: SP entry of %u bytes "
                      "(7 expected)", rec[start + SUE_LEN]);
        goto out;
    }
    fs->susp_skip = rec[start + 6];
    memset(&s, 0, sizeof(s));
    rc = susp_walk(fs, &r, rec + start, rec[DR_LEN] - start, off, &s);
    if (!rc)
        fs->rr = s.have_er;
out:
    rbuf_free(fs, &r);
    return rc;
}
