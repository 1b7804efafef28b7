/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/disk/qcow2.c: every L2 flag, subclusters, compression, and named hostile images. */
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "disk/format.h"
#include "imgfmt.h"
#include "testlib.h"
#include "util/bytes.h"

#define KiB 1024u

/* A compressible virtual disk: text-like runs with a pattern mixed in. */
static uint8_t *virt_new(uint64_t n, unsigned seed)
{
    uint8_t *v = malloc(n ? n : 1);
    uint64_t i;

    assert_non_null(v);
    if_pattern(v, (size_t)n, seed);
    for (i = 0; i < n; i++)
        if ((i / 64) % 3)
            v[i] = (uint8_t)('a' + (i / 64 + seed) % 26);
    return v;
}

static void build(struct if_image *im, unsigned version, unsigned cb, int extl2,
                  uint64_t vsize, const char *kinds)
{
    struct if_opts o;
    uint8_t *v = virt_new(vsize, cb + version);

    memset(&o, 0, sizeof(o));
    o.version = version;
    o.cluster_bits = cb;
    o.extl2 = extl2;
    if_qcow2(im, &o, v, vsize, kinds);
    free(v);
}

/* Open im (forced qcow2) and return the disk, or the error. */
static int open_img(struct test_ctx *t, const struct if_image *im, struct pvb_disk **d)
{
    struct pvb_disk_opts o;
    struct pvb_disk *file;
    int rc;

    memset(&o, 0, sizeof(o));
    o.format = "qcow2";
    assert_int_equal(pvb_disk_open_mem(&t->c, im->buf, im->len, &file), 0);
    rc = pvb_format_open(&t->c, file, NULL, &o, d);
    if (rc)
        pvb_disk_close(file);
    return rc;
}

static int read_all(struct test_ctx *t, const struct if_image *im)
{
    return if_read_all(&t->c, im->buf, im->len, "qcow2");
}

static void test_kinds(void **state)
{
    static const unsigned cbs[] = { 9, 12, 16 };
    struct test_ctx t;
    struct if_image im;
    unsigned i, v;

    (void)state;
    test_ctx_init(&t);
    for (v = 2; v <= 3; v++) {
        for (i = 0; i < 3; i++) {
            uint64_t cs = (uint64_t)1 << cbs[i], vsize = 40 * cs - 1536;

            build(&im, v, cbs[i], 0, vsize, v == 3 ? "DUZCDCCUDZDDCUUUDDDDCCZZD" : "DUCDCCUDDDCUUUDDDDCCD");
            assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1 << 20), 0);
            assert_int_equal(if_check(&t.c, im.buf, im.len, "qcow2", im.expect, vsize, 777), 0);
            assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 4096), 0);
            if_free(&im);
        }
    }
    assert_int_equal(t.c.mem_used, 0);
}

static void test_extended_l2(void **state)
{
    struct test_ctx t;
    struct if_image im;
    uint64_t vsize = 24 * 16 * KiB;

    (void)state;
    test_ctx_init(&t);
    build(&im, 3, 14, 1, vsize, "DPZUCPPDDZUCPD");
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1 << 20), 0);
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 333), 0);
    /* A subcluster both allocated and zero. */
    pvb_put_be64(im.buf + im.l2_off + 8, 0x0000000100000001ull);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "both allocated and zero");
    /* Allocated subclusters in a cluster without an offset. */
    pvb_put_be64(im.buf + im.l2_off, 0);
    pvb_put_be64(im.buf + im.l2_off + 8, 0x3);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "unallocated cluster");
    if_free(&im);
    /* Small clusters work too (qemu only creates them from 16 KiB). */
    build(&im, 3, 9, 1, 40 * 512, "DPZUPD");
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, 40 * 512, 100), 0);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_zstd(void **state)
{
#if PVB_WITH_ZSTD
    struct test_ctx t;
    struct if_image im;
    struct if_opts o;
    uint64_t vsize = 20 * 4 * KiB;
    uint8_t *v = virt_new(vsize, 7);

    (void)state;
    test_ctx_init(&t);
    memset(&o, 0, sizeof(o));
    o.version = 3;
    o.cluster_bits = 12;
    o.zstd = 1;
    if_qcow2(&im, &o, v, vsize, "CCDUCZCCCCCCCCCCCCCC");
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1000), 0);
    /* The compression type without its feature bit, and an unknown type. */
    pvb_put_be64(im.buf + 72, 0);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "compression type feature bit");
    pvb_put_be64(im.buf + 72, 0x08);
    im.buf[104] = 2;
    assert_int_equal(read_all(&t, &im), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "compression_type 2");
    if_free(&im);
    free(v);
    assert_int_equal(t.c.mem_used, 0);
#else
    (void)state;
    skip();
#endif
}

/*
 * zlib and libzstd are dlopen()ed by the first compressed cluster (util/dl.h). The
 * context's dl_name makes every library come from another name: one that does not
 * exist, or a library that lacks the functions. Either is PVB_ENOLIB, a host fault
 * (pvb_err_fatal), naming the library and its package; nothing is held after it.
 */
static void expect_nolib(struct test_ctx *t, const struct if_image *im, const char *lib,
                         const char *detail)
{
    assert_int_equal(read_all(t, im), PVB_ENOLIB);
    assert_true(pvb_err_fatal(PVB_ENOLIB));
    assert_msg_has(&t->c, "qcow2: compressed cluster for virtual offset ");
    assert_msg_has(&t->c, lib);
    assert_msg_has(&t->c, detail);
    assert_int_equal(t->c.mem_used, 0);
}

static void test_missing_library(void **state)
{
    struct test_ctx t;
    struct if_image im;
    uint64_t vsize = 8 * 4 * KiB;

    (void)state;
    test_ctx_init(&t);
    build(&im, 3, 12, 0, vsize, "DUZDCDDC");
    t.c.dl_name = "libpvboot-test-missing.so.0";
    expect_nolib(&t, &im, "a deflate-compressed cluster needs libz.so.1 (Debian: zlib1g)",
                 "libpvboot-test-missing.so.0");
    t.c.dl_name = "libc.so.6";   /* loads, but is no zlib */
    expect_nolib(&t, &im, "a deflate-compressed cluster needs libz.so.1 (Debian: zlib1g)",
                 "but the one loaded has no inflateInit2_()");
    if_free(&im);
    /* An image without a compressed cluster loads no library. */
    t.c.dl_name = "libpvboot-test-missing.so.0";
    build(&im, 3, 12, 0, vsize, "DUZDDDDU");
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1000), 0);
    if_free(&im);
    /* And with the real names, the same image reads: the library was not kept broken. */
    t.c.dl_name = NULL;
    build(&im, 3, 12, 0, vsize, "DUZDCDDC");
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1000), 0);
    if_free(&im);
#if PVB_WITH_ZSTD
    {
        struct if_opts o;
        uint8_t *v = virt_new(vsize, 3);

        memset(&o, 0, sizeof(o));
        o.version = 3;
        o.cluster_bits = 12;
        o.zstd = 1;
        if_qcow2(&im, &o, v, vsize, "CDDDDDDC");
        free(v);
        t.c.dl_name = "libpvboot-test-missing.so.0";
        expect_nolib(&t, &im, "a zstd-compressed cluster needs libzstd.so.1 (Debian: libzstd1)",
                     "cannot be loaded");
        t.c.dl_name = "libz.so.1";
        expect_nolib(&t, &im, "a zstd-compressed cluster needs libzstd.so.1",
                     "has no ZSTD_createDCtx_advanced()");
        t.c.dl_name = NULL;
        assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1000), 0);
        if_free(&im);
    }
#endif
    assert_int_equal(t.c.mem_used, 0);
}

/* Named hostile images: one patch of a valid 16-cluster v3 image each. */
struct hostile {
    const char *name;
    void (*patch)(struct if_image *im);
    int err;
    const char *msg;
};

static void cluster_bits_8(struct if_image *im) { pvb_put_be32(im->buf + 20, 8); }
static void cluster_bits_31(struct if_image *im) { pvb_put_be32(im->buf + 20, 31); }
static void l1_size_overflow(struct if_image *im) { pvb_put_be32(im->buf + 36, 0xffffffffu); }
static void l1_too_small(struct if_image *im) { pvb_put_be32(im->buf + 36, 0); }
static void l1_past_eof(struct if_image *im) { pvb_put_be64(im->buf + 40, (uint64_t)1 << 40); }
static void l1_unaligned(struct if_image *im) { pvb_put_be64(im->buf + 40, 4096 + 8); }
static void size_2_63(struct if_image *im) { pvb_put_be64(im->buf + 24, (uint64_t)1 << 63); }
static void l2_past_eof(struct if_image *im) { pvb_put_be64(im->buf + im->l1_off, (uint64_t)1 << 40); }
static void l2_unaligned(struct if_image *im) { pvb_put_be64(im->buf + im->l1_off, im->l2_off + 512); }
static void data_unaligned(struct if_image *im) { pvb_put_be64(im->buf + im->l2_off, im->data_off + 512); }
static void data_past_eof(struct if_image *im) { pvb_put_be64(im->buf + im->l2_off, (uint64_t)1 << 44); }
static void aes(struct if_image *im) { pvb_put_be32(im->buf + 32, 1); }
static void luks(struct if_image *im) { pvb_put_be32(im->buf + 32, 2); }
static void unknown_incompat(struct if_image *im) { pvb_put_be64(im->buf + 72, 0x20); }
static void header_len_short(struct if_image *im) { pvb_put_be32(im->buf + 100, 100); }
static void header_len_huge(struct if_image *im) { pvb_put_be32(im->buf + 100, 8192); }
static void refcount_order_7(struct if_image *im) { pvb_put_be32(im->buf + 96, 7); }
static void compressed_past_eof(struct if_image *im)
{
    pvb_put_be64(im->buf + im->l2_off, (1ull << 62) | ((uint64_t)1 << 40));
}
static void compressed_garbage(struct if_image *im)
{
    /* 2 sectors of the header cluster taken as deflate data: not a valid stream. */
    pvb_put_be64(im->buf + im->l2_off, (1ull << 62) | (1ull << (62 - 4)) | 4);
}
static void data_file(struct if_image *im)
{
    pvb_put_be64(im->buf + 72, 0x04);
    pvb_put_be32(im->buf + 112, 0x44415441u);
    pvb_put_be32(im->buf + 116, 8);
    memcpy(im->buf + 120, "data.raw", 8);
}
static void ext_too_long(struct if_image *im)
{
    pvb_put_be32(im->buf + 112, 0x12345678u);
    pvb_put_be32(im->buf + 116, 1u << 20);
}
static void backing_fmt_too_long(struct if_image *im)
{
    pvb_put_be32(im->buf + 112, 0xe2792acau);
    pvb_put_be32(im->buf + 116, 40);
}
static void backing_name_too_long(struct if_image *im)
{
    pvb_put_be64(im->buf + 8, 4000);
    pvb_put_be32(im->buf + 16, 200);
}
static void backing_refused(struct if_image *im)
{
    pvb_put_be64(im->buf + 8, 3000);
    pvb_put_be32(im->buf + 16, 11);
    memcpy(im->buf + 3000, "/etc/shadow", 11);
}
static void zero_flag_v2(struct if_image *im)
{
    pvb_put_be32(im->buf + 4, 2);
    pvb_put_be64(im->buf + im->l2_off, 1);
}

static const struct hostile cases[] = {
    { "cluster_bits 8", cluster_bits_8, PVB_ECORRUPT, "cluster_bits 8 is outside 9..21" },
    { "cluster_bits 31", cluster_bits_31, PVB_ECORRUPT, "cluster_bits 31" },
    { "L1 size overflow", l1_size_overflow, PVB_ECORRUPT, "exceeds qemu's 32 MiB" },
    { "L1 too small", l1_too_small, PVB_ECORRUPT, "too small for a virtual size" },
    { "L1 past EOF", l1_past_eof, PVB_ECORRUPT, "L1 table at 1099511627776" },
    { "L1 unaligned", l1_unaligned, PVB_ECORRUPT, "L1 table offset 4104 is not cluster-aligned" },
    { "size 2^63", size_2_63, PVB_ECORRUPT, "too small for a virtual size of 9223372036854775808" },
    { "L2 past EOF", l2_past_eof, PVB_ECORRUPT, "L2 table at 1099511627776 is past the end" },
    { "L2 unaligned", l2_unaligned, PVB_ECORRUPT, "not cluster-aligned" },
    { "data unaligned", data_unaligned, PVB_ECORRUPT, "cluster offset" },
    { "data past EOF", data_past_eof, PVB_ECORRUPT, "past the end of the file" },
    { "compressed past EOF", compressed_past_eof, PVB_ECORRUPT, "compressed cluster" },
    { "compressed garbage", compressed_garbage, PVB_ECORRUPT, "deflate" },
    { "AES", aes, PVB_EUNSUPPORTED, "encrypted (AES)" },
    { "LUKS", luks, PVB_EUNSUPPORTED, "encrypted (LUKS)" },
    { "unknown incompatible bit", unknown_incompat, PVB_EUNSUPPORTED, "features 0x20" },
    { "external data file", data_file, PVB_EUNSUPPORTED, "external data file ('data.raw')" },
    { "header_length 100", header_len_short, PVB_ECORRUPT, "header_length 100" },
    { "header_length 8192", header_len_huge, PVB_ECORRUPT, "header_length 8192" },
    { "refcount_order 7", refcount_order_7, PVB_ECORRUPT, "refcount_order 7" },
    { "extension too long", ext_too_long, PVB_ECORRUPT, "run past the header area" },
    { "backing format too long", backing_fmt_too_long, PVB_ECORRUPT, "backing format name" },
    { "backing name past cluster", backing_name_too_long, PVB_ECORRUPT, "does not fit" },
    { "backing file refused", backing_refused, PVB_EUNSUPPORTED, "backing file '/etc/shadow'" },
    { "zero flag in v2", zero_flag_v2, PVB_ECORRUPT, "version 2 image" },
};

static void test_hostile(void **state)
{
    struct test_ctx t;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct if_image im;
        int rc;

        build(&im, 3, 12, 0, 16 * 4 * KiB, "DCDDUDDDDDDDDDDD");
        cases[i].patch(&im);
        test_ctx_init(&t);
        rc = read_all(&t, &im);
        if (rc != cases[i].err || !strstr(t.c.msg, cases[i].msg))
            fail_msg("%s: got %s \"%s\", want %s \"%s\"", cases[i].name, pvb_errname(rc),
                     t.c.msg, pvb_errname(cases[i].err), cases[i].msg);
        assert_int_equal(t.c.mem_used, 0);
        if_free(&im);
    }
}

/* Point cluster 1 (4 KiB clusters) at a stream of n bytes of data,
 * compressed whole and appended to the image. */
static void put_stream(struct if_image *im, const uint8_t *data, size_t n, int zstd)
{
    uint8_t out[65536];
    size_t len = if_compress(data, n, zstd, out, sizeof(out));
    uint64_t at = im->len, extra = ((at + len - 1) >> 9) - (at >> 9);

    im->buf = realloc(im->buf, im->len + len);
    assert_non_null(im->buf);
    memcpy(im->buf + at, out, len);
    im->len += len;
    pvb_put_be64(im->buf + im->l2_off + 8, (1ull << 62) | at | (extra << (62 - 4)));
}

static void test_bomb(void **state)
{
    uint8_t big[8 * 4096], buf[4096];
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *d;

    (void)state;
    memset(big, 'x', sizeof(big));
    big[0] = 'A';
    test_ctx_init(&t);
    /* Deflate: qcow2.txt says decompression stops at one cluster, and qemu
     * reads such a cluster; only the first 4 KiB are inflated. */
    build(&im, 3, 12, 0, 4 * 4096, "DCDD");
    put_stream(&im, big, sizeof(big), 0);
    assert_int_equal(open_img(&t, &im, &d), 0);
    assert_int_equal(pvb_disk_pread(d, buf, sizeof(buf), 4096), 0);
    assert_int_equal(buf[0], 'A');
    assert_int_equal(buf[4095], 'x');
    pvb_disk_close(d);
    if_free(&im);
    /* A stream that ends short of a cluster is corrupt. */
    build(&im, 3, 12, 0, 4 * 4096, "DCDD");
    put_stream(&im, big, 1000, 0);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "data ends after 1000 of 4096 bytes");
    if_free(&im);
#if PVB_WITH_ZSTD
    /* zstd: the frame must end within the cluster (qemu's rule). */
    build(&im, 3, 12, 0, 4 * 4096, "DCDD");
    pvb_put_be64(im.buf + 72, 0x08);
    im.buf[104] = 1;
    put_stream(&im, big, sizeof(big), 1);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "does not end within 4096 bytes");
    if_free(&im);
    build(&im, 3, 12, 0, 4 * 4096, "DCDD");
    pvb_put_be64(im.buf + 72, 0x08);
    im.buf[104] = 1;
    put_stream(&im, big, 100, 1);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "zstd");
    /* Not a zstd frame at all. */
    memset(im.buf + im.len - 20, 0x5a, 20);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "zstd: corrupt data");
    if_free(&im);
#endif
    assert_int_equal(t.c.mem_used, 0);
}

/* The corrupt bit is a warning; a virtual size is cut to whole sectors, as
 * qemu sees size / 512 sectors. */
static void test_corrupt_bit_and_odd_size(void **state)
{
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *d;

    (void)state;
    test_ctx_init(&t);
    build(&im, 3, 12, 0, 4 * 4096, "DDDD");
    pvb_put_be64(im.buf + 72, 0x03);
    pvb_put_be64(im.buf + 24, 4 * 4096 - 100);
    assert_int_equal(open_img(&t, &im, &d), 0);
    assert_true(test_warned(&t, "marked corrupt"));
    assert_true(d->size == 4 * 4096 - 512);
    pvb_disk_close(d);
    /* An empty backing file name is no backing file, as in qemu. */
    pvb_put_be64(im.buf + 8, 3000);
    pvb_put_be32(im.buf + 16, 0);
    assert_int_equal(read_all(&t, &im), 0);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_probe(void **state)
{
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *file, *d;
    struct pvb_disk_opts o;
    const char *name;

    (void)state;
    test_ctx_init(&t);
    build(&im, 2, 12, 0, 4096, "D");
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, im.len, &file), 0);
    assert_int_equal(pvb_format_detect(&t.c, file, &name), 0);
    assert_string_equal(name, "qcow2");
    memset(&o, 0, sizeof(o));
    o.format = "vhd";
    assert_int_equal(pvb_format_open(&t.c, file, NULL, &o, &d), PVB_ENOTMINE);
    o.format = "qcow";
    assert_int_equal(pvb_format_open(&t.c, file, NULL, &o, &d), PVB_ENOTMINE);
    assert_msg_has(&t.c, "not in qcow format");
    o.format = "raw";
    assert_int_equal(pvb_format_open(&t.c, file, NULL, &o, &d), 0);
    assert_true(d == file);
    pvb_disk_close(file);
    /* A header cut short. */
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, 40, &file), 0);
    assert_int_equal(pvb_format_open(&t.c, file, NULL, NULL, &d), PVB_ECORRUPT);
    assert_msg_has(&t.c, "shorter than a header");
    pvb_disk_close(file);
    /* Version 4 is not qcow2 to the probe; forced, it is not the format. */
    pvb_put_be32(im.buf + 4, 4);
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, im.len, &file), 0);
    assert_int_equal(pvb_format_detect(&t.c, file, &name), 0);
    assert_string_equal(name, "raw");
    o.format = "qcow2";
    assert_int_equal(pvb_format_open(&t.c, file, NULL, &o, &d), PVB_ENOTMINE);
    pvb_disk_close(file);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

/* A 1 TiB sparse image read here and there: memory stays that of the table
 * cache and one compressed cluster, whatever the virtual size. */
static void test_memory_bound(void **state)
{
    uint64_t vsize = (uint64_t)1 << 40, off;
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *d;
    uint8_t buf[8192];
    unsigned i;

    (void)state;
    test_ctx_init(&t);
    build(&im, 3, 16, 0, 8 * 65536, "DCUD");
    /* Grow the L1 table in place: 2048 entries, all but the first empty. */
    pvb_put_be64(im.buf + 24, vsize);
    pvb_put_be32(im.buf + 36, 2048);
    im.buf = realloc(im.buf, im.len + 65536);
    assert_non_null(im.buf);
    memset(im.buf + im.len, 0, 65536);
    im.len += 65536;
    assert_int_equal(open_img(&t, &im, &d), 0);
    for (i = 0, off = 0; i < 4096; i++, off = (off + 0x9e3779b97f4a7c15ull) % (vsize - 8192))
        assert_int_equal(pvb_disk_pread(d, buf, sizeof(buf), off), 0);
    assert_int_equal(pvb_disk_pread(d, buf, sizeof(buf), 65536), 0);
    assert_memory_equal(buf, im.expect + 65536, sizeof(buf));
    assert_true(t.c.mem_peak < 512 * KiB);
    pvb_disk_close(d);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

/* Every allocation limit and every failing read: a clean error, nothing leaked. */
static void test_limits_and_faults(void **state)
{
    struct if_image im;

    (void)state;
    build(&im, 3, 12, 0, 8 * 4096, "DCUZDCDD");
    assert_int_equal(if_sweep(im.buf, im.len, im.expect, 8 * 4096, 300 * KiB, 40), 0);
    if_free(&im);
    build(&im, 3, 14, 1, 4 * 16 * KiB, "PCZD");
    assert_int_equal(if_sweep(im.buf, im.len, im.expect, 4 * 16 * KiB, 300 * KiB, 30), 0);
    if_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_extended_l2),
        cmocka_unit_test(test_zstd),
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_bomb),
        cmocka_unit_test(test_corrupt_bit_and_odd_size),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_limits_and_faults),
    };
    return cmocka_run_group_tests_name("qcow2", tests, NULL, NULL);
}
