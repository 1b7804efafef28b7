/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/disk/qcow.c (qcow version 1): tables, compressed clusters, named hostile images. */
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "disk/format.h"
#include "imgfmt.h"
#include "testlib.h"
#include "util/bytes.h"

/* Compressible contents: qcow stores a compressed cluster only when it shrinks. */
static uint8_t *virt_new(uint64_t n)
{
    uint8_t *v = malloc(n);
    uint64_t i;

    assert_non_null(v);
    for (i = 0; i < n; i++)
        v[i] = (uint8_t)((i % 4096) < 200 ? (i * 7 + 1) : 'a' + (i / 512) % 26);
    return v;
}

static void build(struct if_image *im, unsigned cb, unsigned l2b, uint64_t vsize, const char *kinds)
{
    struct if_opts o;
    uint8_t *v = virt_new(vsize);

    memset(&o, 0, sizeof(o));
    o.cluster_bits = cb;
    o.l2_bits = l2b;
    if_qcow(im, &o, v, vsize, kinds);
    free(v);
}

static int read_all(struct test_ctx *t, const struct if_image *im)
{
    test_ctx_init(t);
    return if_read_all(&t->c, im->buf, im->len, "qcow");
}

static void test_kinds(void **state)
{
    static const unsigned geo[][2] = { { 9, 6 }, { 12, 9 }, { 16, 13 }, { 9, 13 }, { 16, 6 } };
    struct test_ctx t;
    struct if_image im;
    unsigned i;

    (void)state;
    test_ctx_init(&t);
    for (i = 0; i < 5; i++) {
        uint64_t cs = (uint64_t)1 << geo[i][0], vsize = 70 * cs;

        build(&im, geo[i][0], geo[i][1], vsize, "DCUDCCUUDDDDDDDDDCCCCCCUUUUD");
        assert_int_equal(if_check(&t.c, im.buf, im.len, NULL, im.expect, vsize, 1 << 20), 0);
        assert_int_equal(if_check(&t.c, im.buf, im.len, "qcow", im.expect, vsize, 999), 0);
        if_free(&im);
    }
    assert_int_equal(t.c.mem_used, 0);
}

struct hostile {
    const char *name;
    size_t at;       /* where to write */
    unsigned width;  /* 1, 4 or 8 bytes, big-endian */
    uint64_t value;
    int err;
    const char *msg;
};

#define L1 1000  /* stands for the L1 table's offset */
#define L2 2000  /* the first L2 table */
#define DATA 3000

static const struct hostile cases[] = {
    { "cluster_bits 8", 32, 1, 8, PVB_ECORRUPT, "cluster_bits 8 is outside 9..16" },
    { "cluster_bits 31", 32, 1, 31, PVB_ECORRUPT, "cluster_bits 31" },
    { "l2_bits 5", 33, 1, 5, PVB_ECORRUPT, "l2_bits 5 is outside 6..13" },
    { "l2_bits 14", 33, 1, 14, PVB_ECORRUPT, "l2_bits 14" },
    { "AES", 36, 4, 1, PVB_EUNSUPPORTED, "encrypted (AES)" },
    { "size 1", 24, 8, 1, PVB_ECORRUPT, "too small" },
    { "size 2^63", 24, 8, 1ull << 63, PVB_ECORRUPT, "L1 entries, more than qemu allows" },
    { "L1 past EOF", 40, 8, 1ull << 40, PVB_ECORRUPT, "L1 table at 1099511627776" },
    { "L1 offset overflow", 40, 8, ~0ull - 4, PVB_ECORRUPT, "past the end" },
    { "L2 past EOF", L1, 8, 1ull << 40, PVB_ECORRUPT, "L2 table at 1099511627776 is past the end" },
    { "data unaligned", L2, 8, 4097, PVB_ECORRUPT, "not sector-aligned" },
    { "data past EOF", L2, 8, 1ull << 40, PVB_ECORRUPT, "past the end of the file" },
    { "compressed past EOF", L2, 8, (1ull << 63) | (100ull << 51) | (1ull << 40), PVB_ECORRUPT,
      "compressed cluster" },
    { "compressed empty", L2, 8, (1ull << 63) | 512, PVB_ECORRUPT, "data ends after 0" },
    { "compressed garbage", L2, 8, (1ull << 63) | (40ull << 51) | 4, PVB_ECORRUPT, "deflate" },
    { "backing refused", 8, 8, 48, PVB_EUNSUPPORTED, "names a backing file" },
    { "backing name too long", 16, 4, 5000, PVB_ECORRUPT, "too long" },
};

static void test_hostile(void **state)
{
    struct test_ctx t;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct hostile *h = &cases[i];
        struct if_image im;
        size_t at;
        int rc;

        build(&im, 12, 9, 16 * 4096, "DCDDUDDDDDDDDDDD");
        at = h->at == L1 ? im.l1_off : h->at == L2 ? im.l2_off : h->at;
        if (h->width == 1)
            im.buf[at] = (uint8_t)h->value;
        else if (h->width == 4)
            pvb_put_be32(im.buf + at, (uint32_t)h->value);
        else
            pvb_put_be64(im.buf + at, h->value);
        if (h->at == 8)  /* a backing file name: 5 bytes right after the header */
            pvb_put_be32(im.buf + 16, 5);
        if (h->at == 16)
            pvb_put_be64(im.buf + 8, 48);
        rc = read_all(&t, &im);
        if (rc != h->err || !strstr(t.c.msg, h->msg))
            fail_msg("%s: got %s \"%s\", want %s \"%s\"", h->name, pvb_errname(rc), t.c.msg,
                     pvb_errname(h->err), h->msg);
        assert_int_equal(t.c.mem_used, 0);
        if_free(&im);
    }
}

static void test_probe_and_faults(void **state)
{
    struct test_ctx t;
    struct if_image im;
    struct pvb_disk *file, *d;
    const char *name;

    (void)state;
    test_ctx_init(&t);
    build(&im, 12, 9, 8 * 4096, "DCUDCCDD");
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, im.len, &file), 0);
    assert_int_equal(pvb_format_detect(&t.c, file, &name), 0);
    assert_string_equal(name, "qcow");
    pvb_disk_close(file);
    assert_int_equal(pvb_disk_open_mem(&t.c, im.buf, 40, &file), 0);
    assert_int_equal(pvb_format_open(&t.c, file, NULL, NULL, &d), PVB_ECORRUPT);
    assert_msg_has(&t.c, "shorter than a header");
    pvb_disk_close(file);
    assert_int_equal(if_sweep(im.buf, im.len, im.expect, 8 * 4096, 100 * 1024, 30), 0);
    if_free(&im);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_probe_and_faults),
    };
    return cmocka_run_group_tests_name("qcow", tests, NULL, NULL);
}
