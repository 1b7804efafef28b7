/* SPDX-License-Identifier: GPL-2.0-only */
/* In-memory qcow, qcow2 and vhd writers for tests (layouts per qcow2.txt, qemu qcow.c, the VHD specification). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#if PVB_WITH_ZSTD
#include <zstd.h>
#endif

#include "disk/disk.h"
#include "disk/format.h"
#include "imgfmt.h"
#include "util/bytes.h"

struct gb {
    uint8_t *b;
    size_t len;
};

/* Make the image at least end bytes long (zero-filled). */
static uint8_t *grow(struct gb *g, size_t end)
{
    if (end > g->len) {
        uint8_t *nb = realloc(g->b, end);
        if (!nb)
            abort();
        memset(nb + g->len, 0, end - g->len);
        g->b = nb;
        g->len = end;
    }
    return g->b;
}

static size_t align_up(size_t x, size_t a)
{
    return (x + a - 1) / a * a;
}

static char kind_of(const char *kinds, uint64_t i)
{
    return i < strlen(kinds) ? kinds[i] : 'D';
}

void if_pattern(uint8_t *buf, size_t n, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    size_t i;

    for (i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)((x >> 16) | 1);
    }
}

size_t if_compress(const uint8_t *in, size_t n, int zstd, uint8_t *out, size_t cap)
{
    z_stream zs;
    size_t got;

#if PVB_WITH_ZSTD
    if (zstd) {
        got = ZSTD_compress(out, cap, in, n, 3);
        if (ZSTD_isError(got))
            abort();
        return got;
    }
#else
    if (zstd)
        abort();
#endif
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, 6, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        abort();
    got = cap - zs.avail_out;
    deflateEnd(&zs);
    return got;
}

/* The cluster's bytes of the virtual disk, zero past its end. */
static void cluster_of(const uint8_t *virt, uint64_t vsize, uint64_t i, size_t cs, uint8_t *out)
{
    uint64_t off = i * cs;
    size_t n = vsize - off < cs ? (size_t)(vsize - off) : cs;

    memset(out, 0, cs);
    memcpy(out, virt + off, n);
}

static void expect_zero(uint8_t *expect, uint64_t vsize, uint64_t off, uint64_t n)
{
    if (off < vsize)
        memset(expect + off, 0, (size_t)(vsize - off < n ? vsize - off : n));
}

/* qcow2 L2 entry (and, extended, its bitmap) for one cluster; data is written. */
static void qcow2_entry(struct gb *g, const struct if_opts *o, char k, const uint8_t *cl,
                        size_t cs, uint64_t *next_data, uint64_t *e, uint64_t *bitmap,
                        uint8_t *expect, uint64_t vsize, uint64_t voff)
{
    unsigned sc, sb = o->cluster_bits - 5;

    *e = 0;
    *bitmap = 0;
    if (k == 'U' || k == 'Z') {
        expect_zero(expect, vsize, voff, cs);
        if (k == 'Z')
            *e = o->extl2 ? 0 : 1;
        if (k == 'Z' && o->extl2)
            *bitmap = 0xffffffff00000000ull;
        return;
    }
    memcpy(grow(g, *next_data + cs) + *next_data, cl, cs);
    *e = *next_data | (1ull << 63);
    *next_data += cs;
    if (!o->extl2)
        return;
    if (k != 'P') {
        *bitmap = 0xffffffffull;
        return;
    }
    for (sc = 0; sc < 32; sc++) {
        if (sc % 2 == 0)
            *bitmap |= 1ull << sc;
        else if (sc % 4 == 1)
            *bitmap |= 1ull << (32 + sc);
        if (sc % 2)
            expect_zero(expect, vsize, voff + ((uint64_t)sc << sb), (uint64_t)1 << sb);
    }
}

static void qcow2_header(struct gb *g, const struct if_opts *o, uint64_t vsize, uint64_t l1n)
{
    size_t cs = (size_t)1 << o->cluster_bits, hlen = o->version >= 3 ? 112 : 72;
    uint8_t *h = grow(g, cs);

    memcpy(h, "QFI\xfb", 4);
    pvb_put_be32(h + 4, o->version);
    pvb_put_be32(h + 20, o->cluster_bits);
    pvb_put_be64(h + 24, vsize);
    pvb_put_be32(h + 36, (uint32_t)l1n);
    pvb_put_be64(h + 40, cs);
    if (o->version >= 3) {
        pvb_put_be64(h + 72, (o->extl2 ? 0x10u : 0) | (o->zstd ? 0x08u : 0));
        pvb_put_be32(h + 96, 4);
        pvb_put_be32(h + 100, (uint32_t)hlen);
        h[104] = o->zstd ? 1 : 0;
    }
    if (o->backing_fmt) {
        pvb_put_be32(h + hlen, 0xe2792acau);
        pvb_put_be32(h + hlen + 4, (uint32_t)strlen(o->backing_fmt));
        memcpy(h + hlen + 8, o->backing_fmt, strlen(o->backing_fmt));
    }
    if (o->backing) {
        size_t at = cs - 256;
        pvb_put_be64(h + 8, at);
        pvb_put_be32(h + 16, (uint32_t)strlen(o->backing));
        memcpy(h + at, o->backing, strlen(o->backing));
    }
}

void if_qcow2(struct if_image *im, const struct if_opts *o, const uint8_t *virt, uint64_t vsize,
              const char *kinds)
{
    size_t cs = (size_t)1 << o->cluster_bits, es = o->extl2 ? 16 : 8, l2n = cs / es;
    uint64_t ncl = (vsize + cs - 1) / cs, l1n = (ncl + l2n - 1) / l2n, i, next;
    uint8_t *cl = malloc(cs), *cbuf = malloc(2 * cs);
    struct gb g = { NULL, 0 };

    if (!cl || !cbuf || !(im->expect = malloc(vsize ? vsize : 1)))
        abort();
    memcpy(im->expect, virt, vsize);
    qcow2_header(&g, o, vsize, l1n ? l1n : 1);
    im->l1_off = cs;
    im->l2_off = cs + align_up(l1n ? l1n * 8 : 8, cs);
    next = im->l2_off + l1n * cs;  /* one L2 table per L1 entry */
    im->data_off = next;
    /* Compressed clusters go after the data clusters, packed byte by byte. */
    for (i = 0; i < ncl; i++)
        if (kind_of(kinds, i) != 'U' && kind_of(kinds, i) != 'Z' && kind_of(kinds, i) != 'C')
            next += cs;
    {
        uint64_t data = im->data_off, comp = next;

        for (i = 0; i < ncl; i++) {
            uint64_t l2 = im->l2_off + (i / l2n) * cs, e, bm;
            uint8_t *p;
            char k = kind_of(kinds, i);

            grow(&g, im->l2_off + l1n * cs);
            pvb_put_be64(g.b + cs + (i / l2n) * 8, l2 | (1ull << 63));
            cluster_of(virt, vsize, i, cs, cl);
            if (k == 'C') {
                size_t n = if_compress(cl, cs, o->zstd, cbuf, 2 * cs);
                unsigned x = 62 - (o->cluster_bits - 8);
                uint64_t extra = ((comp + n - 1) >> 9) - (comp >> 9);

                memcpy(grow(&g, comp + n) + comp, cbuf, n);
                e = (1ull << 62) | comp | (extra << x);
                bm = 0;
                comp += n;
            } else {
                qcow2_entry(&g, o, k, cl, cs, &data, &e, &bm, im->expect, vsize, i * cs);
            }
            p = g.b + l2 + (i % l2n) * es;
            pvb_put_be64(p, e);
            if (o->extl2)
                pvb_put_be64(p + 8, bm);
        }
    }
    grow(&g, im->l2_off + l1n * cs);
    free(cl);
    free(cbuf);
    im->buf = g.b;
    im->len = g.len;
}

void if_qcow(struct if_image *im, const struct if_opts *o, const uint8_t *virt, uint64_t vsize,
             const char *kinds)
{
    size_t cs = (size_t)1 << o->cluster_bits, l2n = (size_t)1 << o->l2_bits;
    size_t name = o->backing ? strlen(o->backing) : 0;
    uint64_t ncl = (vsize + cs - 1) / cs, l1n = (ncl + l2n - 1) / l2n, i, data;
    uint8_t *cl = malloc(cs), *cbuf = malloc(2 * cs), *h;
    struct gb g = { NULL, 0 };

    if (!cl || !cbuf || !(im->expect = malloc(vsize ? vsize : 1)))
        abort();
    memcpy(im->expect, virt, vsize);
    /* qemu's layout: header, backing name, L1 at the next 8-byte boundary. */
    im->l1_off = align_up(48 + name, 8);
    im->l2_off = align_up(im->l1_off + l1n * 8, cs);
    data = im->data_off = im->l2_off + align_up(l1n * l2n * 8, cs);
    h = grow(&g, data);
    memcpy(h, "QFI\xfb", 4);
    pvb_put_be32(h + 4, 1);
    if (name) {
        pvb_put_be64(h + 8, 48);
        pvb_put_be32(h + 16, (uint32_t)name);
        memcpy(h + 48, o->backing, name);
    }
    pvb_put_be64(h + 24, vsize);
    h[32] = (uint8_t)o->cluster_bits;
    h[33] = (uint8_t)o->l2_bits;
    pvb_put_be64(h + 40, im->l1_off);
    for (i = 0; i < ncl; i++) {
        uint64_t l2 = im->l2_off + (i / l2n) * l2n * 8, e = 0;
        char k = kind_of(kinds, i);

        pvb_put_be64(g.b + im->l1_off + (i / l2n) * 8, l2);
        cluster_of(virt, vsize, i, cs, cl);
        if (k == 'C') {
            size_t n = if_compress(cl, cs, 0, cbuf, 2 * cs);

            if (n >= cs)
                abort();  /* the size field is cluster_bits wide: use compressible data */
            memcpy(grow(&g, data + n) + data, cbuf, n);
            e = (1ull << 63) | ((uint64_t)n << (63 - o->cluster_bits)) | data;
            data = align_up(data + n, 512);
        } else if (k == 'U') {
            expect_zero(im->expect, vsize, i * cs, cs);
        } else {
            memcpy(grow(&g, data + cs) + data, cl, cs);
            e = data;
            data += cs;
        }
        pvb_put_be64(g.b + l2 + (i % l2n) * 8, e);
    }
    free(cl);
    free(cbuf);
    im->buf = g.b;
    im->len = g.len;
}

void if_vhd_fix_checksum(uint8_t *b, size_t n, size_t field)
{
    uint32_t sum = 0;
    size_t i;

    pvb_put_be32(b + field, 0);
    for (i = 0; i < n; i++)
        sum += b[i];
    pvb_put_be32(b + field, ~sum);
}

static void vhd_footer(uint8_t *f, const struct if_opts *o, uint64_t vsize)
{
    memset(f, 0, 512);
    memcpy(f, "conectix", 8);
    pvb_put_be32(f + 8, 2);
    pvb_put_be32(f + 12, 0x00010000);
    pvb_put_be64(f + 16, o->vhd_type == 2 ? ~0ull : 512);
    memcpy(f + 28, "tap", 4);  /* XenServer: the size is current_size */
    memcpy(f + 36, "Wi2k", 4);
    pvb_put_be64(f + 40, vsize);
    pvb_put_be64(f + 48, vsize);
    pvb_put_be16(f + 56, 1024);
    f[58] = 16;
    f[59] = 63;
    pvb_put_be32(f + 60, o->vhd_type);
    memset(f + 68, o->uuid_byte, 16);
    if_vhd_fix_checksum(f, 512, 64);
}

/* Dynamic header at 512, BAT at 1536, a MacX parent locator after it. */
static void vhd_header(struct gb *g, const struct if_opts *o, uint32_t nblocks, uint64_t loc)
{
    uint8_t *h = grow(g, 1536) + 512;
    size_t i, n;

    memcpy(h, "cxsparse", 8);
    pvb_put_be64(h + 8, ~0ull);
    pvb_put_be64(h + 16, 1536);
    pvb_put_be32(h + 24, 0x00010000);
    pvb_put_be32(h + 28, nblocks);
    pvb_put_be32(h + 32, (uint32_t)1 << o->cluster_bits);
    if (o->vhd_type == 4 && o->backing) {
        n = strlen(o->backing);
        memcpy(h + 40, o->parent_uuid, 16);
        for (i = 0; i < n && i < 255; i++)
            pvb_put_be16(h + 64 + 2 * i, (uint8_t)o->backing[i]);
        pvb_put_be32(h + 576, 0x4d616358u);
        pvb_put_be32(h + 580, 1);
        pvb_put_be32(h + 584, (uint32_t)(n + 9));
        pvb_put_be64(h + 592, loc);
        h = grow(g, loc + 512) + 512;
        memcpy(g->b + loc, "file://./", 9);
        memcpy(g->b + loc + 9, o->backing, n);
    }
    if_vhd_fix_checksum(h, 1024, 36);
}

/* One block: its bitmap by kind, then its data. */
static void vhd_block(struct gb *g, uint64_t at, char k, const uint8_t *blk, size_t bs,
                      size_t bm, uint8_t *expect, uint64_t vsize, uint64_t voff)
{
    uint8_t *p = grow(g, at + bm + bs) + at;
    size_t s;

    for (s = 0; s < bs / 512; s++) {
        int set = k == 'D' || (k == 'P' && s % 2 == 0);

        if (set)
            p[s / 8] |= (uint8_t)(0x80 >> (s % 8));
        else
            expect_zero(expect, vsize, voff + s * 512, 512);
    }
    memcpy(p + bm, blk, bs);
}

void if_vhd(struct if_image *im, const struct if_opts *o, const uint8_t *virt, uint64_t vsize,
            const char *kinds)
{
    size_t bs = (size_t)1 << o->cluster_bits, bm = align_up((bs / 512 + 7) / 8, 512);
    uint64_t nb = (vsize + bs - 1) / bs, i, at;
    uint8_t *blk = malloc(bs), f[512];
    struct gb g = { NULL, 0 };

    if (!blk || !(im->expect = malloc(vsize ? vsize : 1)))
        abort();
    memcpy(im->expect, virt, vsize);
    vhd_footer(f, o, vsize);
    if (o->vhd_type == 2) {
        memcpy(grow(&g, vsize + 512), virt, vsize);
        memcpy(g.b + vsize, f, 512);
        im->l1_off = im->l2_off = im->data_off = 0;
        free(blk);
        im->buf = g.b;
        im->len = g.len;
        return;
    }
    im->l2_off = 512;
    im->l1_off = 1536;
    at = align_up(1536 + nb * 4, 512);
    vhd_header(&g, o, (uint32_t)nb, at);
    if (o->vhd_type == 4 && o->backing)
        at += 512;
    im->data_off = at;
    memcpy(grow(&g, 512), f, 512);
    for (i = 0; i < nb; i++) {
        char k = kind_of(kinds, i);

        cluster_of(virt, vsize, i, bs, blk);
        if (k == 'U') {
            pvb_put_be32(grow(&g, 1536 + nb * 4) + 1536 + i * 4, 0xffffffffu);
            expect_zero(im->expect, vsize, i * bs, bs);
            continue;
        }
        pvb_put_be32(grow(&g, 1536 + nb * 4) + 1536 + i * 4, (uint32_t)(at / 512));
        vhd_block(&g, at, k, blk, bs, bm, im->expect, vsize, i * bs);
        at += bm + bs;
    }
    memcpy(grow(&g, at + 512) + at, f, 512);
    free(blk);
    im->buf = g.b;
    im->len = g.len;
}

void if_free(struct if_image *im)
{
    free(im->buf);
    free(im->expect);
    im->buf = im->expect = NULL;
}

static int open_image(struct pvb_ctx *c, const uint8_t *buf, size_t len, const char *format,
                      struct pvb_disk **d)
{
    struct pvb_disk_opts o;
    struct pvb_disk *file;
    int rc;

    memset(&o, 0, sizeof(o));
    o.format = format;
    rc = pvb_disk_open_mem(c, buf, len, &file);
    if (rc)
        return rc;
    rc = pvb_format_open(c, file, NULL, &o, d);
    if (rc)
        pvb_disk_close(file);
    return rc;
}

/* Compare (expect) or just read (expect NULL) the whole disk in step pieces. */
static int walk(struct pvb_disk *d, const uint8_t *expect, size_t step)
{
    uint8_t *got = malloc(step);
    uint64_t off;
    int rc = 0;

    if (!got)
        abort();
    for (off = 0; !rc && off < d->size; off += step) {
        size_t n = d->size - off < step ? (size_t)(d->size - off) : step;

        rc = pvb_disk_pread(d, got, n, off);
        if (!rc && expect && memcmp(got, expect + off, n) != 0)
            rc = 1;
    }
    free(got);
    return rc;
}

int if_check(struct pvb_ctx *c, const uint8_t *buf, size_t len, const char *format,
             const uint8_t *expect, uint64_t vsize, size_t step)
{
    struct pvb_disk *d;
    int rc = open_image(c, buf, len, format, &d);

    if (rc)
        return rc;
    rc = d->size == vsize ? walk(d, expect, step) : 1;
    pvb_disk_close(d);
    return rc;
}

int if_read_all(struct pvb_ctx *c, const uint8_t *buf, size_t len, const char *format)
{
    struct pvb_disk *d;
    int rc = open_image(c, buf, len, format, &d);

    if (rc)
        return rc;
    rc = walk(d, NULL, 1 << 20);
    pvb_disk_close(d);
    return rc;
}

int if_sweep(const uint8_t *buf, size_t len, const uint8_t *expect, uint64_t vsize,
             size_t max_mem, unsigned nreads)
{
    struct pvb_disk *file, *d;
    struct pvb_ctx c;
    unsigned run = 0, n;
    size_t lim;
    int rc;

    for (lim = 0; lim <= max_mem; lim += 4096 + 8, run++) {
        pvb_ctx_init(&c);
        c.lim.max_mem = lim;
        rc = if_check(&c, buf, len, NULL, expect, vsize, 4096);
        if ((rc != 0 && rc != PVB_ELIMIT) || c.mem_used != 0)
            return 1 + (int)run;
    }
    for (n = 1; n <= nreads; n++, run++) {
        pvb_ctx_init(&c);
        if (pvb_disk_open_mem(&c, buf, len, &file) != 0)
            abort();
        pvb_disk_mem_fail_at(file, n);
        rc = pvb_format_open(&c, file, NULL, NULL, &d);
        if (rc) {
            pvb_disk_close(file);
        } else {
            rc = d->size == vsize ? walk(d, expect, 4096) : 1;
            pvb_disk_close(d);
        }
        if ((rc != 0 && rc != PVB_EIO) || c.mem_used != 0)
            return 1 + (int)run;
    }
    return 0;
}
