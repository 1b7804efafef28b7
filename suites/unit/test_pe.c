/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the PE/COFF reader: sections found, every hostile header refused by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/pe.h"
#include "pebuild.h"
#include "testlib.h"
#include "util/bytes.h"

static uint8_t img[65536];

struct mem {
    const uint8_t *p;
    size_t n;
    unsigned reads;
};

static int rd(void *arg, uint64_t off, void *buf, size_t len)
{
    struct mem *m = arg;

    m->reads++;
    if (off > m->n || len > m->n - off)
        fail_msg("the reader asked for %zu bytes at %llu of %zu", len, (unsigned long long)off, m->n);
    memcpy(buf, m->p + off, len);
    return 0;
}

static int parse(struct test_ctx *t, size_t n, struct pvb_pe *pe)
{
    struct mem m = { img, n, 0 };

    return pvb_pe_parse(&t->c, "/EFI/Linux/x.efi", n, rd, &m, pe);
}

static size_t uki(void)
{
    static const struct pe_sec s[] = {
        { ".text", "code", 4 }, { ".osrel", "ID=test\n", 8 }, { ".cmdline", "quiet", 5 },
        { ".linux", "KERNEL", 6 }, { ".initrd", "INITRD", 6 },
    };
    size_t n = pebuild(img, sizeof(img), 0x8664, s, 5);

    assert_true(n > 0);
    return n;
}

static void test_sections(void **state)
{
    struct test_ctx t;
    struct pvb_pe pe;
    const struct pvb_pe_section *s;
    size_t n = uki();

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(parse(&t, n, &pe), 0);
    assert_int_equal(pe.machine, 0x8664);
    assert_int_equal(pe.nsect, 5);
    s = pvb_pe_find(&pe, ".linux");
    assert_non_null(s);
    assert_int_equal(s->size, 6);
    assert_memory_equal(img + s->off, "KERNEL", 6);
    s = pvb_pe_find(&pe, ".initrd");
    assert_memory_equal(img + s->off, "INITRD", 6);
    assert_null(pvb_pe_find(&pe, ".uname"));
    assert_null(pvb_pe_find(&pe, ".linu"));
    /* The first of two sections of a name, as systemd's pe_find_section. */
    memcpy(img + PEB_TABLE, ".linux\0\0", 8);
    assert_int_equal(parse(&t, n, &pe), 0);
    assert_int_equal(pvb_pe_find(&pe, ".linux")->size, 4);
}

static void expect_bad(size_t n, int err, const char *msg)
{
    struct test_ctx t;
    struct pvb_pe pe;

    test_ctx_init(&t);
    assert_int_equal(parse(&t, n, &pe), err);
    assert_msg_has(&t.c, msg);
    assert_int_equal(pe.nsect, 0);
}

static void test_hostile(void **state)
{
    size_t n;

    (void)state;
    n = uki();
    expect_bad(63, PVB_ENOTMINE, "63 bytes, too short for a PE image");
    img[0] = 'Z';
    expect_bad(n, PVB_ENOTMINE, "no MZ signature");
    n = uki();
    /* e_lfanew past the end, and at the largest value it can hold. */
    pvb_put_le32(img + PEB_LFANEW, (uint32_t)n);
    expect_bad(n, PVB_ECORRUPT, "PE header at e_lfanew");
    pvb_put_le32(img + PEB_LFANEW, 0xffffffffu);
    expect_bad(n, PVB_ECORRUPT, "e_lfanew 4294967295 past the end of the file");
    pvb_put_le32(img + PEB_LFANEW, 8);
    expect_bad(n, PVB_ECORRUPT, "no PE signature at e_lfanew 8");
    n = uki();
    pvb_put_le16(img + PEB_NSECT, 65535);
    expect_bad(n, PVB_ECORRUPT, "PE image with 65535 sections, more than 96");
    pvb_put_le16(img + PEB_NSECT, 96);
    expect_bad(n, PVB_ECORRUPT, "PE section table (96 sections at 328) past the end of the file");
    n = uki();
    pvb_put_le16(img + 64 + 20, 0xffff);   /* the optional header's size pushes the table out */
    expect_bad(n, PVB_ECORRUPT, "PE section table (5 sections at 65623)");
    n = uki();
    /* .initrd (section 4) past the end; offset + size overflowing 32 bits. */
    pvb_put_le32(img + PEB_TABLE + 4 * 40 + 20, (uint32_t)n - 2);
    expect_bad(n, PVB_ECORRUPT, "PE section .initrd past the end of the file (offset");
    pvb_put_le32(img + PEB_TABLE + 4 * 40 + 20, 0xffffffffu);
    pvb_put_le32(img + PEB_TABLE + 4 * 40 + 8, 0xffffffffu);
    pvb_put_le32(img + PEB_TABLE + 4 * 40 + 16, 0xffffffffu);
    expect_bad(n, PVB_ECORRUPT, "PE section .initrd past the end of the file (offset 4294967295 + size 4294967295");
    n = uki();
    pvb_put_le32(img + PEB_TABLE + 3 * 40 + 8, 100);   /* .linux larger in memory than in the file */
    expect_bad(n, PVB_ECORRUPT, "PE section .linux: 100 bytes in memory but 16 in the file");
}

static void test_reads_bounded(void **state)
{
    struct test_ctx t;
    struct pvb_pe pe;
    struct mem m;
    size_t n = uki();

    (void)state;
    test_ctx_init(&t);
    m.p = img;
    m.n = n;
    m.reads = 0;
    assert_int_equal(pvb_pe_parse(&t.c, "x", n, rd, &m, &pe), 0);
    assert_int_equal(m.reads, 3);   /* DOS header, COFF header, section table */
}

/* A reader that fails its read number fail (1-based) with PVB_EIO. */
struct failing {
    struct test_ctx *t;
    struct mem m;
    unsigned fail;
};

static int rd_fail(void *arg, uint64_t off, void *buf, size_t len)
{
    struct failing *f = arg;

    if (f->m.reads + 1 == f->fail) {
        f->m.reads++;
        return pvb_fail(&f->t->c, PVB_EIO, "read %u failed", f->fail);
    }
    return rd(&f->m, off, buf, len);
}

/* Each of the three reads failing ends the parse with the reader's error, unchanged. */
static void test_read_errors(void **state)
{
    struct test_ctx t;
    struct pvb_pe pe;
    struct failing f;
    size_t n = uki();
    char want[32];

    (void)state;
    for (f.fail = 1; f.fail <= 3; f.fail++) {
        test_ctx_init(&t);
        f.t = &t;
        f.m.p = img;
        f.m.n = n;
        f.m.reads = 0;
        assert_int_equal(pvb_pe_parse(&t.c, "x", n, rd_fail, &f, &pe), PVB_EIO);
        assert_int_equal(f.m.reads, f.fail);
        snprintf(want, sizeof(want), "read %u failed", f.fail);
        assert_msg_has(&t.c, want);
    }
}

static void test_cmdline(void **state)
{
    char a[] = "root=/dev/xvda1\tro\nquiet  \r\n\0junk";
    char b[] = "   ";
    char c[] = "a\x01" "b\x7f";

    (void)state;
    assert_int_equal(pvb_pe_cmdline(a, sizeof(a) - 1), 24);
    assert_string_equal(a, "root=/dev/xvda1 ro quiet");
    assert_int_equal(pvb_pe_cmdline(b, 3), 0);
    assert_string_equal(b, "");
    pvb_pe_cmdline(c, 4);
    assert_string_equal(c, "a b\x7f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_reads_bounded),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_cmdline),
    };
    return cmocka_run_group_tests_name("pe", tests, NULL, NULL);
}
