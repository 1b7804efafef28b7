/* SPDX-License-Identifier: GPL-2.0-only */
/* vhd (Virtual PC, blktap2, XenServer) driver: fixed, dynamic and differencing disks. */
#include <string.h>

#include "disk/backing.h"
#include "disk/format.h"
#include "disk/image.h"
#include "disk/tcache.h"
#include "util/bytes.h"
#include "util/safemath.h"

/* Footer fields, big-endian (Microsoft "Virtual Hard Disk Image Format
 * Specification" 1.0, "Hard Disk Footer Format"). */
#define F_LEN         512
#define F_DATA_OFF    16
#define F_CREATOR_APP 28
#define F_CUR_SIZE    48
#define F_CYLS        56
#define F_HEADS       58
#define F_SECTORS     59
#define F_TYPE        60
#define F_CHECKSUM    64
#define F_UUID        68

/* Dynamic disk header fields ("Dynamic Disk Header Format"). */
#define D_LEN          1024
#define D_TABLE_OFF    16
#define D_MAX_ENTRIES  28
#define D_BLOCK_SIZE   32
#define D_CHECKSUM     36
#define D_PARENT_UUID  40
#define D_PARENT_NAME  64    /* 512 bytes of UTF-16 big-endian */
#define D_LOCATORS     576   /* 8 entries of 24 bytes */

enum { TYPE_FIXED = 2, TYPE_DYNAMIC = 3, TYPE_DIFF = 4 };

#define BAT_UNUSED 0xffffffffu
/* qemu's vpc limits: 2040 GiB, and the largest CHS geometry. */
#define MAX_SECTORS  0xff000000ull
#define MAX_GEOMETRY (65535ull * 16 * 255)

struct vhd {
    struct pvb_image im;      /* first: the shared image code finds it at priv */
    unsigned type;
    uint8_t uuid[16];
    uint64_t bat_off;
    uint32_t entries;         /* BAT entries */
    uint32_t block_size;      /* a power of two */
    uint32_t bitmap_size;     /* sector bitmap before each block, padded to 512 */
};

static int vhd_probe(const uint8_t *head, size_t nhead, const uint8_t *tail, size_t ntail,
                     uint64_t file_size)
{
    (void)file_size;
    if (nhead >= F_LEN && memcmp(head, "conectix", 8) == 0)
        return 100;  /* a dynamic disk's copy of the footer */
    if (ntail == F_LEN && memcmp(tail, "conectix", 8) == 0)
        return 100;
    return 0;
}

/* One's complement of the byte sum, the checksum field counted as zero. */
static uint32_t checksum(const uint8_t *b, size_t n, size_t field)
{
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (i < field || i >= field + 4)
            sum += b[i];
    return ~sum;
}

/* A bad checksum is a warning (qemu only warns too), an error in strict mode. */
static int check_sum(struct pvb_ctx *c, const uint8_t *b, size_t n, size_t field,
                     const char *what)
{
    uint32_t want = checksum(b, n, field), have = pvb_be32(b + field);

    if (want == have)
        return 0;
    if (c->flags & PVB_CTX_STRICT)
        return pvb_fail(c, PVB_ECHECKSUM, "vhd: %s checksum 0x%08x, computed 0x%08x", what,
                        have, want);
    pvb_warn(c, "vhd: %s checksum 0x%08x, computed 0x%08x; using it anyway", what, have, want);
    return 0;
}

/*
 * The virtual size as qemu's vpc_open() computes it: Virtual PC and qemu
 * ("vpc ", "qemu") size a disk by its CHS geometry; Hyper-V, disk2vhd,
 * XenServer and qemu with force_size ("win ", "d2v ", "tap\0", "CTXS",
 * "qem2") by current_size, and so does every image at the largest geometry.
 */
static uint64_t virtual_size(const uint8_t *f)
{
    static const char *const by_size[] = { "win ", "qem2", "d2v ", "CTXS", "tap" };
    uint64_t chs = (uint64_t)pvb_be16(f + F_CYLS) * f[F_HEADS] * f[F_SECTORS];
    size_t i;

    for (i = 0; i < sizeof(by_size) / sizeof(by_size[0]); i++)
        if (memcmp(f + F_CREATOR_APP, by_size[i], 4) == 0)
            chs = MAX_GEOMETRY;
    if (chs == MAX_GEOMETRY)
        return pvb_be64(f + F_CUR_SIZE) & ~(uint64_t)511;
    return chs * 512;
}

/* The footer: the copy at the start of the file if there is one (as qemu
 * reads it), else the last 512 bytes. */
static int read_footer(struct pvb_ctx *c, struct pvb_disk *file, uint8_t f[F_LEN])
{
    int rc;

    if (file->size < F_LEN)
        return pvb_fail(c, PVB_ECORRUPT, "vhd: file of %llu bytes is shorter than a footer",
                        (unsigned long long)file->size);
    if ((rc = pvb_disk_pread(file, f, F_LEN, 0)) != 0)
        return rc;
    if (memcmp(f, "conectix", 8) != 0 &&
        (rc = pvb_disk_pread(file, f, F_LEN, file->size - F_LEN)) != 0)
        return rc;
    if (memcmp(f, "conectix", 8) != 0)
        return pvb_fail(c, PVB_ENOTMINE, "vhd: no footer");
    return check_sum(c, f, F_LEN, F_CHECKSUM, "footer");
}

/* Dynamic header checks from qemu's vpc_open() and the specification. */
static int read_dynamic(struct pvb_ctx *c, struct pvb_disk *file, const uint8_t *f,
                        uint64_t size, struct vhd *v, uint8_t h[D_LEN])
{
    uint64_t off = pvb_be64(f + F_DATA_OFF), spb;
    int rc;

    if (!pvb_span_ok(off, D_LEN, file->size))
        return pvb_fail(c, PVB_ECORRUPT, "vhd: dynamic header at %llu is past the end of the "
                        "file (%llu bytes)", (unsigned long long)off,
                        (unsigned long long)file->size);
    if ((rc = pvb_disk_pread(file, h, D_LEN, off)) != 0)
        return rc;
    if (memcmp(h, "cxsparse", 8) != 0)
        return pvb_fail(c, PVB_ECORRUPT, "vhd: no dynamic header at %llu",
                        (unsigned long long)off);
    if ((rc = check_sum(c, h, D_LEN, D_CHECKSUM, "dynamic header")) != 0)
        return rc;
    v->bat_off = pvb_be64(h + D_TABLE_OFF);
    v->entries = pvb_be32(h + D_MAX_ENTRIES);
    v->block_size = pvb_be32(h + D_BLOCK_SIZE);
    if (v->block_size < 512 || (v->block_size & (v->block_size - 1)))
        return pvb_fail(c, PVB_ECORRUPT, "vhd: block size %u is not a power of two of at "
                        "least 512", v->block_size);
    /* One bit per sector, padded to a whole sector. */
    spb = v->block_size / 512;
    v->bitmap_size = (uint32_t)(((spb + 7) / 8 + 511) & ~(uint64_t)511);
    if ((uint64_t)v->entries * v->block_size < size)
        return pvb_fail(c, PVB_ECORRUPT, "vhd: %u BAT entries of %u bytes do not cover the "
                        "virtual size %llu", v->entries, v->block_size, (unsigned long long)size);
    if (!pvb_span_ok(v->bat_off, (uint64_t)v->entries * 4, file->size))
        return pvb_fail(c, PVB_ECORRUPT, "vhd: BAT of %u entries at %llu is past the end of "
                        "the file (%llu bytes)", v->entries, (unsigned long long)v->bat_off,
                        (unsigned long long)file->size);
    return 0;
}

/* The sectors from sector s of an allocated block that share s's bitmap
 * bit: 1 = stored in this block, 0 = never written (zeros, or the parent's
 * data in a differencing disk). Bit 7 of byte 0 is sector 0. */
static int bitmap_run(struct vhd *v, uint64_t start, uint32_t s, uint32_t smax, int *set,
                      uint32_t *send)
{
    uint32_t byte = s / 8, page = byte / PVB_TCACHE_PAGE * PVB_TCACHE_PAGE;
    uint32_t avail = v->bitmap_size - page < PVB_TCACHE_PAGE ? v->bitmap_size - page
                                                            : PVB_TCACHE_PAGE;
    const uint8_t *p;
    int rc;

    rc = pvb_tcache_get(v->im.tc, start, v->bitmap_size, byte, 1, &p);
    if (rc)
        return rc;
    p -= byte - page;  /* the start of the cached page */
    /* Stay inside this page of the bitmap. */
    if (smax > (page + avail) * 8)
        smax = (page + avail) * 8;
    *set = (p[byte - page] >> (7 - s % 8)) & 1;
    for (s++; s < smax; s++)
        if (((p[s / 8 - page] >> (7 - s % 8)) & 1) != *set)
            break;
    *send = s;
    return 0;
}

static int vhd_map(struct pvb_disk *d, uint64_t off, uint64_t len, struct pvb_run *r)
{
    struct vhd *v = d->priv;
    uint64_t blk, in, start;
    uint32_t e, smax, send;
    const uint8_t *p;
    int rc, set;

    if (v->type == TYPE_FIXED) {  /* no blocks: block_size is 0 */
        r->kind = PVB_RUN_FILE;
        r->at = off;
        r->len = len;
        return 0;
    }
    blk = off / v->block_size;
    in = off % v->block_size;
    rc = pvb_tcache_get(v->im.tc, v->bat_off, (uint64_t)v->entries * 4, blk * 4, 4, &p);
    if (rc)
        return rc;
    e = pvb_be32(p);
    r->len = v->block_size - in < len ? v->block_size - in : len;
    if (e == BAT_UNUSED) {
        r->kind = v->type == TYPE_DIFF ? PVB_RUN_BACKING : PVB_RUN_ZERO;
        return 0;
    }
    start = (uint64_t)e * 512;
    if (!pvb_span_ok(start, (uint64_t)v->bitmap_size + v->block_size, v->im.file->size))
        return pvb_fail(d->ctx, PVB_ECORRUPT, "vhd: BAT entry %llu: block at %llu is past the "
                        "end of the file (%llu bytes)", (unsigned long long)blk,
                        (unsigned long long)start, (unsigned long long)v->im.file->size);
    smax = (uint32_t)((in + r->len + 511) / 512);
    if ((rc = bitmap_run(v, start, (uint32_t)(in / 512), smax, &set, &send)) != 0)
        return rc;
    if ((uint64_t)send * 512 - in < r->len)
        r->len = (uint64_t)send * 512 - in;
    r->kind = set ? PVB_RUN_FILE : v->type == TYPE_DIFF ? PVB_RUN_BACKING : PVB_RUN_ZERO;
    r->at = start + v->bitmap_size + in;
    return 0;
}

/* UTF-16 (big- or little-endian) to UTF-8, surrogate pairs joined; stops at
 * a NUL. 0 on success, -1 when invalid or longer than cap - 1 bytes. */
static int utf16_to_utf8(const uint8_t *in, size_t n, int be, char *out, size_t cap)
{
    size_t i, o = 0;

    for (i = 0; i + 1 < n; i += 2) {
        uint32_t u = be ? pvb_be16(in + i) : pvb_le16(in + i);

        if (u == 0)
            break;
        if (u >= 0xd800 && u < 0xdc00) {
            uint32_t lo;
            if (i + 3 >= n)
                return -1;
            lo = be ? pvb_be16(in + i + 2) : pvb_le16(in + i + 2);
            if (lo < 0xdc00 || lo >= 0xe000)
                return -1;
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            i += 2;
        } else if (u >= 0xdc00 && u < 0xe000) {
            return -1;
        }
        if (o + 4 >= cap)
            return -1;
        if (u < 0x80) {
            out[o++] = (char)u;
        } else if (u < 0x800) {
            out[o++] = (char)(0xc0 | u >> 6);
            out[o++] = (char)(0x80 | (u & 0x3f));
        } else if (u < 0x10000) {
            out[o++] = (char)(0xe0 | u >> 12);
            out[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (u & 0x3f));
        } else {
            out[o++] = (char)(0xf0 | u >> 18);
            out[o++] = (char)(0x80 | ((u >> 12) & 0x3f));
            out[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (u & 0x3f));
        }
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

/* Platform codes of parent locators (specification, "Parent Locator Entries"). */
#define LOC_MACX 0x4d616358u  /* UTF-8 file URL: blktap2 and vhd-util write "file://name" */
#define LOC_W2RU 0x57327275u  /* Windows relative path, UTF-16 little-endian */
#define LOC_W2KU 0x57326b75u  /* Windows absolute path, UTF-16 little-endian */
#define NAME_CAP 1024

/* Decode locator `code` into a name to try: '\' becomes '/', a Windows
 * absolute path keeps only its last component, "file://" and "./" go. */
static int locator_name(struct pvb_disk *file, const uint8_t *h, uint32_t code, char *out)
{
    uint8_t raw[NAME_CAP];
    char *p;
    int i;

    for (i = 0; i < 8; i++) {
        const uint8_t *l = h + D_LOCATORS + 24 * i;
        uint32_t len = pvb_be32(l + 8);
        uint64_t off = pvb_be64(l + 16);

        if (pvb_be32(l) != code || len == 0 || len >= NAME_CAP ||
            !pvb_span_ok(off, len, file->size) || pvb_disk_pread(file, raw, len, off) != 0)
            continue;
        if (code == LOC_MACX) {
            if (len < 7 || memcmp(raw, "file://", 7) != 0 || memchr(raw, 0, len))
                continue;
            memcpy(out, raw + 7, len - 7);
            out[len - 7] = '\0';
        } else if (utf16_to_utf8(raw, len, 0, out, NAME_CAP) != 0) {
            continue;
        }
        for (p = out; *p; p++)
            if (*p == '\\')
                *p = '/';
        if (code == LOC_W2KU && (p = strrchr(out, '/')) != NULL)
            memmove(out, p + 1, strlen(p + 1) + 1);
        if (strncmp(out, "./", 2) == 0)
            memmove(out, out + 2, strlen(out + 2) + 1);
        return out[0] ? 0 : -1;
    }
    return -1;
}

static const struct pvb_disk_ops vhd_ops;

/* The parent must be the vhd whose footer UUID the child header names. */
static int check_parent(struct pvb_ctx *c, struct pvb_disk *parent, const uint8_t *h,
                        const char *name)
{
    const struct vhd *p = parent->ops == &vhd_ops ? parent->priv : NULL;

    if (!p || memcmp(p->uuid, h + D_PARENT_UUID, 16) != 0)
        return pvb_fail(c, PVB_ECORRUPT, "vhd: parent '%s' is not the disk this one was made "
                        "from (its UUID differs)", name);
    return 0;
}

/*
 * A differencing disk's parent, by its locators (MacX, W2ru, W2ku) and
 * then the parent name in the header, each under the backing policy; the
 * first that opens is used. When none does, the first error is reported.
 */
static int open_parent(struct pvb_ctx *c, struct pvb_disk *file, const uint8_t *h,
                       const struct pvb_chain *chain, struct pvb_disk **out)
{
    static const uint32_t codes[] = { LOC_MACX, LOC_W2RU, LOC_W2KU, 0 };
    char name[NAME_CAP], first[PVB_MSG_MAX] = "";
    int i, rc, first_rc = 0;

    for (i = 0; i < 4; i++) {
        if (codes[i] ? locator_name(file, h, codes[i], name) != 0
                     : utf16_to_utf8(h + D_PARENT_NAME, 512, 1, name, NAME_CAP) != 0)
            continue;
        rc = pvb_backing_open(c, chain, "vhd", name, strlen(name), "vhd", out);
        if (rc == 0) {
            rc = check_parent(c, *out, h, name);
            if (rc) {
                pvb_disk_close(*out);
                *out = NULL;
            }
            return rc;
        }
        if (rc != PVB_ENOTFOUND && rc != PVB_EUNSUPPORTED)
            return rc;
        if (!first_rc) {
            first_rc = rc;
            memcpy(first, c->msg, sizeof(first));
        }
    }
    if (!first_rc)
        return pvb_fail(c, PVB_ECORRUPT, "vhd: differencing disk names no parent");
    return pvb_fail(c, first_rc, "%s", first);
}

static const struct pvb_disk_ops vhd_ops = {
    .name = "vhd", .pread = pvb_image_pread, .close = pvb_image_close
};

/* Type and size from the footer; a fixed disk's data must fit before it. */
static int check_footer(struct pvb_ctx *c, struct pvb_disk *file, const uint8_t *f,
                        uint64_t size)
{
    unsigned type = pvb_be32(f + F_TYPE);

    if (type != TYPE_FIXED && type != TYPE_DYNAMIC && type != TYPE_DIFF)
        return pvb_fail(c, PVB_EUNSUPPORTED, "vhd: disk type %u is not fixed, dynamic or "
                        "differencing", type);
    if (size / 512 > MAX_SECTORS)
        return pvb_fail(c, PVB_EUNSUPPORTED, "vhd: virtual size %llu exceeds qemu's 2040 GiB",
                        (unsigned long long)size);
    if (type == TYPE_FIXED && size > file->size - F_LEN)
        return pvb_fail(c, PVB_ECORRUPT, "vhd: fixed disk of %llu bytes does not fit in a file "
                        "of %llu bytes", (unsigned long long)size,
                        (unsigned long long)file->size);
    return 0;
}

static int vhd_open(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_chain *chain,
                    struct pvb_disk **out)
{
    uint8_t f[F_LEN], h[D_LEN];
    uint64_t size;
    struct vhd *v;
    int rc;

    if ((rc = read_footer(c, file, f)) != 0)
        return rc;
    size = virtual_size(f);
    if ((rc = check_footer(c, file, f, size)) != 0)
        return rc;
    v = pvb_image_new(c, sizeof(*v), "vhd", file);
    if (!v)
        return c->err;
    v->type = pvb_be32(f + F_TYPE);
    memcpy(v->uuid, f + F_UUID, 16);
    v->im.map = vhd_map;
    rc = 0;
    if (v->type != TYPE_FIXED)
        rc = read_dynamic(c, file, f, size, v, h);
    if (!rc && v->type == TYPE_DIFF)
        rc = open_parent(c, file, h, chain, &v->im.backing);
    if (!rc)
        rc = pvb_disk_new(c, &vhd_ops, size, out);
    if (rc) {
        pvb_image_free(c, &v->im);
        return rc;
    }
    (*out)->priv = v;
    return 0;
}

const struct pvb_format pvb_format_vhd = { .name = "vhd", .probe = vhd_probe, .open = vhd_open };
