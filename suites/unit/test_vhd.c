/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/disk/vhd.c: fixed and dynamic disks, sector bitmaps, sizes, named hostile images. */
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "disk/format.h"
#include "imgfmt.h"
#include "testlib.h"
#include "util/bytes.h"

#define KiB 1024u

static void build(struct if_image *im, unsigned type, unsigned bits, uint64_t vsize,
                  const char *kinds)
{
    struct if_opts o;
    uint8_t *v = malloc(vsize);

    assert_non_null(v);
    if_pattern(v, vsize, bits + type);
    memset(&o, 0, sizeof(o));
    o.vhd_type = type;
    o.cluster_bits = bits;
    o.uuid_byte = 0x11;
    if_vhd(im, &o, v, vsize, kinds);
    free(v);
}

static int read_all(struct test_ctx *t, const struct if_image *im)
{
    test_ctx_init(t);
    return if_read_all(&t->c, im->buf, im->len, "vhd");
}

static void test_fixed_and_dynamic(void **state)
{
    static const unsigned bits[] = { 9, 12, 21 };
    struct test_ctx t;
    struct if_image im;
    unsigned i;

    (void)state;
    test_ctx_init(&t);
    build(&im, 2, 0, 64 * KiB, "");
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, 64 * KiB, 1000), 0);
    if_free(&im);
    for (i = 0; i < 3; i++) {
        uint64_t vsize = ((uint64_t)9 << bits[i]) - 1024;

        build(&im, 3, bits[i], vsize, "DUPEDPPUD");
        assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1 << 20), 0);
        assert_int_equal(if_check(&t.c, im.buf, im.len, "vpc", im.expect, vsize, 1536), 0);
        if_free(&im);
    }
    assert_int_equal(t.c.mem_used, 0);
}

/* Without the copy at the start, the footer at the end describes the disk. */
static void test_footer_at_end(void **state)
{
    struct test_ctx t;
    struct if_image im;

    (void)state;
    test_ctx_init(&t);
    build(&im, 3, 12, 8 * 4096, "DUPD");
    memset(im.buf, 0, 512);
    assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, 8 * 4096, 4096), 0);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

/* A bad checksum warns, and fails only in strict mode. */
static void test_checksums(void **state)
{
    struct test_ctx t;
    struct if_image im;

    (void)state;
    build(&im, 3, 12, 4 * 4096, "DD");
    im.buf[64] ^= 1;
    im.buf[512 + 36] ^= 1;
    assert_int_equal(read_all(&t, &im), 0);
    assert_true(test_warned(&t, "footer checksum"));
    assert_true(test_warned(&t, "dynamic header checksum"));
    t.c.flags |= PVB_CTX_STRICT;
    assert_int_equal(if_read_all(&t.c, im.buf, im.len, NULL), PVB_ECHECKSUM);
    assert_msg_has(&t.c, "footer checksum");
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

/* qemu's size rule: by geometry unless the creator sizes by current_size. */
static void test_size_rule(void **state)
{
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *file, *d;

    (void)state;
    test_ctx_init(&t);
    build(&im, 2, 0, 2 * 1024 * KiB, "");
    memcpy(im.buf + im.len - 512 + 28, "vpc ", 4);
    pvb_put_be16(im.buf + im.len - 512 + 56, 4);  /* 4 x 16 x 63 sectors */
    if_vhd_fix_checksum(im.buf + im.len - 512, 512, 64);
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, im.len, &file), 0);
    assert_int_equal(pvb_format_open(&t.c, file, NULL, NULL, &d), 0);
    assert_true(d->size == 4ull * 16 * 63 * 512);
    pvb_disk_close(d);
    /* The largest geometry means the size is current_size. */
    pvb_put_be16(im.buf + im.len - 512 + 56, 65535);
    im.buf[im.len - 512 + 59] = 255;
    if_vhd_fix_checksum(im.buf + im.len - 512, 512, 64);
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, im.len, &file), 0);
    assert_int_equal(pvb_format_open(&t.c, file, NULL, NULL, &d), 0);
    assert_true(d->size == 2 * 1024 * KiB);
    pvb_disk_close(d);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

struct hostile {
    const char *name;
    int footer;      /* 1: patch the footer (both copies), 0: the dynamic header */
    size_t at;       /* field offset; 1000 = the first BAT entry */
    unsigned width;
    uint64_t value;
    int err;
    const char *msg;
};

static const struct hostile cases[] = {
    { "disk type 5", 1, 60, 4, 5, PVB_EUNSUPPORTED, "disk type 5" },
    { "size 2^63", 1, 48, 8, 1ull << 63, PVB_EUNSUPPORTED, "exceeds qemu's 2040 GiB" },
    { "header past EOF", 1, 16, 8, 1ull << 40, PVB_ECORRUPT, "dynamic header at 1099511627776" },
    { "header at the footer", 1, 16, 8, 0, PVB_ECORRUPT, "no dynamic header" },
    { "BAT entry past EOF", 0, 1000, 4, 0x7fffffff, PVB_ECORRUPT, "BAT entry 0: block at" },
    { "BAT entry at the end", 0, 1000, 4, 100, PVB_ECORRUPT, "past the end of the file" },
    { "BAT past EOF", 0, 16, 8, 1ull << 40, PVB_ECORRUPT, "BAT of 4 entries at 1099511627776" },
    { "BAT too small", 0, 28, 4, 1, PVB_ECORRUPT, "do not cover" },
    { "BAT too large", 0, 28, 4, 0xffffffff, PVB_ECORRUPT, "BAT of 4294967295 entries" },
    { "block size 3000", 0, 32, 4, 3000, PVB_ECORRUPT, "block size 3000" },
    { "block size 256", 0, 32, 4, 256, PVB_ECORRUPT, "block size 256" },
    { "differencing refused", 1, 60, 4, 4, PVB_ECORRUPT, "names no parent" },
};

static void patch(struct if_image *im, const struct hostile *h)
{
    size_t at[2], n = 1, i;

    if (h->footer) {
        at[0] = h->at;
        at[1] = im->len - 512 + h->at;
        n = 2;
    } else {
        at[0] = h->at == 1000 ? im->l1_off : im->l2_off + h->at;
    }
    for (i = 0; i < n; i++) {
        if (h->width == 4)
            pvb_put_be32(im->buf + at[i], (uint32_t)h->value);
        else
            pvb_put_be64(im->buf + at[i], h->value);
    }
    if_vhd_fix_checksum(im->buf, 512, 64);
    if_vhd_fix_checksum(im->buf + im->len - 512, 512, 64);
    if_vhd_fix_checksum(im->buf + im->l2_off, 1024, 36);
}

static void test_hostile(void **state)
{
    struct test_ctx t;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct if_image im;
        int rc;

        build(&im, 3, 12, 4 * 4096, "DDUD");
        patch(&im, &cases[i]);
        rc = read_all(&t, &im);
        if (rc != cases[i].err || !strstr(t.c.msg, cases[i].msg))
            fail_msg("%s: got %s \"%s\", want %s \"%s\"", cases[i].name, pvb_errname(rc),
                     t.c.msg, pvb_errname(cases[i].err), cases[i].msg);
        assert_int_equal(t.c.mem_used, 0);
        if_free(&im);
    }
}

static void test_fixed_hostile(void **state)
{
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *file, *d;

    (void)state;
    test_ctx_init(&t);
    build(&im, 2, 0, 8192, "");
    /* Claims more data than the file holds before its footer. */
    pvb_put_be64(im.buf + im.len - 512 + 48, 16384);
    if_vhd_fix_checksum(im.buf + im.len - 512, 512, 64);
    assert_int_equal(read_all(&t, &im), PVB_ECORRUPT);
    assert_msg_has(&t.c, "does not fit");
    /* Shorter than a footer; and no footer at all, forced. */
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, 100, &file), 0);
    assert_int_equal(pvb_format_open(&t.c, file, NULL, NULL, &d), 0);
    assert_true(d == file);  /* too short for a footer: raw */
    pvb_disk_close(d);
    im.buf[im.len - 512] = 'X';
    assert_int_equal(read_all(&t, &im), PVB_ENOTMINE);
    assert_msg_has(&t.c, "not in vhd format");
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_limits_and_faults(void **state)
{
    struct if_image im;

    (void)state;
    build(&im, 3, 12, 6 * 4096, "DUPEDP");
    assert_int_equal(if_sweep(im.buf, im.len, im.expect, 6 * 4096, 200 * KiB, 20), 0);
    if_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_and_dynamic),
        cmocka_unit_test(test_footer_at_end),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_size_rule),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_fixed_hostile),
        cmocka_unit_test(test_limits_and_faults),
    };
    return cmocka_run_group_tests_name("vhd", tests, NULL, NULL);
}
