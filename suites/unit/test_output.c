/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for pygrub-compatible output: Python repr() quoting and the sxp/simple formats.
 * Expected strings are what CPython 3.11's repr() and pygrub 4.17's format_* print. */
#include <string.h>

#include "cli/output.h"
#include "cli/pyrepr.h"
#include "testlib.h"

static void check_repr(const char *in, size_t n, const char *want)
{
    struct sbuf b;

    sbuf_init(&b);
    pvb_pyrepr(&b, in, n);
    assert_false(b.oom);
    assert_string_equal(b.p, want);
    sbuf_free(&b);
}

#define REPR(in, want) check_repr(in, sizeof(in) - 1, want)

static void test_repr_quotes(void **state)
{
    (void)state;
    REPR("abc", "'abc'");
    REPR("", "''");
    REPR("a'b", "\"a'b\"");
    REPR("a\"b", "'a\"b'");
    REPR("a'b\"c", "'a\\'b\"c'");
    REPR("x\\y", "'x\\\\y'");
    REPR("root=/dev/xvda1 ro quiet", "'root=/dev/xvda1 ro quiet'");
}

static void test_repr_escapes(void **state)
{
    (void)state;
    REPR("tab\there", "'tab\\there'");
    REPR("nl\n\r", "'nl\\n\\r'");
    REPR("\x01\x7f\x1b", "'\\x01\\x7f\\x1b'");
    REPR("a\0b", "'a\\x00b'");
    REPR("caf\xc3\xa9", "'caf\xc3\xa9'");                 /* é is printable */
    REPR("\xc2\xa0nbsp", "'\\xa0nbsp'");                  /* U+00A0 is Zs */
    REPR("\xc2\xad", "'\\xad'");                          /* soft hyphen, Cf */
    REPR("\xc2\x85", "'\\x85'");                          /* C1 control */
    REPR("\xe2\x80\xa8", "'\\u2028'");                    /* line separator */
    REPR("\xe2\x80\x8b", "'\\u200b'");                    /* zero width space */
    REPR("\xef\xbb\xbf", "'\\ufeff'");
    REPR("\xe3\x80\x80", "'\\u3000'");
    REPR("\xee\x80\x80", "'\\ue000'");                    /* private use */
    REPR("\xcd\xb8", "'\\u0378'");                        /* unassigned */
    REPR("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'");       /* emoji: printable */
    REPR("\xf3\xa0\x80\x81", "'\\U000e0001'");            /* language tag, Cf */
    REPR("\xe4\xb8\xad\xe6\x96\x87", "'\xe4\xb8\xad\xe6\x96\x87'");
}

static void test_repr_bad_utf8(void **state)
{
    (void)state;
    REPR("\xff", "'\\xff'");
    REPR("\xc3", "'\\xc3'");                              /* truncated */
    REPR("\xc0\xaf", "'\\xc0\\xaf'");                     /* overlong */
    REPR("\xed\xa0\x80", "'\\xed\\xa0\\x80'");            /* surrogate */
    REPR("\xf4\x90\x80\x80", "'\\xf4\\x90\\x80\\x80'");   /* past U+10FFFF */
    REPR("\xe0\x80\xaf", "'\\xe0\\x80\\xaf'");            /* overlong 3-byte */
    REPR("\xe2\x28\xa1", "'\\xe2(\\xa1'");                /* bad continuation */
}

static void check_out(enum pvb_outfmt f, const char *k, const char *r, const char *a,
                      const char *want, size_t wantlen)
{
    struct sbuf b;

    sbuf_init(&b);
    assert_int_equal(pvb_out_format(&b, f, k, r, a), 0);
    assert_int_equal(b.len, wantlen);
    assert_memory_equal(b.p, want, wantlen);
    sbuf_free(&b);
}

#define OUT(f, k, r, a, want) check_out(f, k, r, a, want, sizeof(want) - 1)

static void test_formats(void **state)
{
    struct sbuf b;
    enum pvb_outfmt f;

    (void)state;
    OUT(PVB_OUT_SXP, "/out/boot_kernel.4sq38z7b", "/out/boot_ramdisk.jknvk8cm",
        "root=/dev/xvda1 ro single",
        "linux (kernel '/out/boot_kernel.4sq38z7b')(ramdisk '/out/boot_ramdisk.jknvk8cm')"
        "(args 'root=/dev/xvda1 ro single')");
    OUT(PVB_OUT_SXP, "/k", NULL, NULL, "linux (kernel '/k')");
    OUT(PVB_OUT_SXP, "/k", "", "", "linux (kernel '/k')");
    OUT(PVB_OUT_SXP, NULL, NULL, "a", "linux (kernel None)(args 'a')");
    OUT(PVB_OUT_SXP, "/k", NULL, "x='y'", "linux (kernel '/k')(args \"x='y'\")");
    OUT(PVB_OUT_SIMPLE, "/k", "/r", "a b", "kernel /k\nramdisk /r\nargs a b\n\n");
    OUT(PVB_OUT_SIMPLE, "/k", NULL, "", "kernel /k\n\n");
    OUT(PVB_OUT_SIMPLE0, "/k", "/r", "a\nb", "kernel /k\0ramdisk /r\0args a\nb\0\0");
    OUT(PVB_OUT_SIMPLE0, NULL, NULL, NULL, "kernel None\0\0");
    /* XSA-198: the separator inside a value is refused, nothing written. */
    sbuf_init(&b);
    assert_int_equal(pvb_out_format(&b, PVB_OUT_SIMPLE, "/k", NULL, "a\nkernel /etc/shadow"), -1);
    assert_int_equal(pvb_out_format(&b, PVB_OUT_SIMPLE, "/k\n", NULL, NULL), -1);
    assert_int_equal(pvb_out_format(&b, PVB_OUT_SIMPLE, "/k", "/r\n", NULL), -1);
    assert_int_equal(b.len, 0);
    sbuf_free(&b);
    assert_int_equal(pvb_outfmt_parse("sxp", &f), 0);
    assert_int_equal(f, PVB_OUT_SXP);
    assert_int_equal(pvb_outfmt_parse("simple", &f), 0);
    assert_int_equal(f, PVB_OUT_SIMPLE);
    assert_int_equal(pvb_outfmt_parse("simple0", &f), 0);
    assert_int_equal(f, PVB_OUT_SIMPLE0);
    assert_int_equal(pvb_outfmt_parse("json", &f), -1);
}

static void test_sbuf(void **state)
{
    struct sbuf b;
    char big[300];

    (void)state;
    sbuf_init(&b);
    memset(big, 'x', sizeof(big));
    sbuf_add(&b, big, sizeof(big));
    sbuf_addf(&b, "%d-%s", 42, "y");
    assert_int_equal(b.len, 304);
    assert_string_equal(b.p + 300, "42-y");
    sbuf_add(&b, big, (size_t)-1);   /* absurd: refused, marked */
    assert_true(b.oom);
    sbuf_adds(&b, "more");
    assert_int_equal(b.len, 304);
    sbuf_free(&b);
    assert_null(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_quotes),
        cmocka_unit_test(test_repr_escapes),
        cmocka_unit_test(test_repr_bad_utf8),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_sbuf),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
