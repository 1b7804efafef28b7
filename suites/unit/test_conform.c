/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for pvconform's readers and writers: key-value lines, .expect and impl files, escaping. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "conform/expect.h"
#include "conform/impl.h"
#include "conform/kv.h"
#include "conform/text.h"
#include "util/mem.h"

#define SHA_A "4b3f99530d988342b3e1166f63e41868fc32f9e897173044fc0792dddbedf4e1"
#define SHA_B "a4a3c9cf33d790042f0cc0d833e1d9ab4466f68f8c5fcb4a1e36eb8be33145dd"

static int kv_all(struct pvb_ctx *c, const char *text, size_t len, char *out, size_t cap)
{
    struct cf_kv r;
    struct cf_kv_line l;
    int rc;

    memset(&r, 0, sizeof(r));
    r.path = "t";
    r.buf = text;
    r.len = len;
    out[0] = '\0';
    while ((rc = cf_kv_next(c, &r, &l)) == 1) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "[%.*s=%.*s]", (int)l.klen, l.key, (int)l.vlen, l.val);
    }
    return rc;
}

static void test_kv_lines(void **state)
{
    static const char nul[] = "a: 1\nb: x\0y\n";
    struct test_ctx t;
    char out[512];
    const char *ok = "# comment\n\n  \t\nargs: \nargs:\nkey-2: a b  \nwhy: x: y\r\nlast: no newline";

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(kv_all(&t.c, ok, strlen(ok), out, sizeof(out)), 0);
    /* An empty value either way; trailing blanks and CR are the value's own. */
    assert_string_equal(out, "[args=][args=][key-2=a b  ][why=x: y\r][last=no newline]");
    assert_int_equal(kv_all(&t.c, "key:value\n", 10, out, sizeof(out)), PVB_ESYNTAX);
    assert_msg_has(&t.c, "t:1: not a \"key: value\" line");
    assert_int_equal(kv_all(&t.c, "ok: 1\nKey: x\n", 13, out, sizeof(out)), PVB_ESYNTAX);
    assert_msg_has(&t.c, "t:2:");
    assert_int_equal(kv_all(&t.c, ": x\n", 4, out, sizeof(out)), PVB_ESYNTAX);
    assert_int_equal(kv_all(&t.c, nul, sizeof(nul) - 1, out, sizeof(out)), PVB_ESYNTAX);
    assert_msg_has(&t.c, "t:2: NUL byte");
    assert_int_equal(t.c.mem_used, 0);
}

/* What images/mkimage writes for a bootable case. */
static const char expect_full[] =
    "# pvboot corpus expectation: images/README.md\n"
    "case: el7/bios-next-entry\ngroup: el7\nimage: bios-next-entry.raw\nformat: raw\n"
    "table: msdos\nboot-part: msdos1\nboot-fs: xfs\nboot-offset: 1048576\nconfig: /grub2/grub.cfg\n"
    "config-format: grub2\nsemantics: upstream\noracle: grub-emu\nentry-arg: 2\n"
    "title: Red Hat Enterprise Linux Server (0-rescue) 7.9 (Maipo)\nentry: 2\n"
    "kernel: /vmlinuz-0-rescue\nkernel-sha256: " SHA_A "\ninitrd: /initramfs-0-rescue.img\n"
    "initrd: /second.img\nramdisk-sha256: " SHA_B "\n"
    "args: root=/dev/mapper/rhel-root ro  quiet \nwhy: next_entry wins\n";

static void test_expect_full(void **state)
{
    struct test_ctx t;
    struct cf_case k;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(cf_expect_parse(&t.c, "/c/el7/x.expect", expect_full, strlen(expect_full), &k), 0);
    assert_string_equal(k.name, "el7/bios-next-entry");
    assert_string_equal(k.group, "el7");
    assert_string_equal(k.image, "/c/el7/bios-next-entry.raw");
    assert_string_equal(k.expect, "/c/el7/x.expect");
    assert_string_equal(k.format, "raw");
    assert_string_equal(k.entry_arg, "2");
    assert_null(k.error);
    assert_string_equal(k.kernel_sha, SHA_A);
    assert_string_equal(k.ramdisk_sha, SHA_B);
    assert_string_equal(k.args, "root=/dev/mapper/rhel-root ro  quiet ");
    assert_string_equal(k.kernel, "/vmlinuz-0-rescue");
    assert_string_equal(t.warnings, "");
    cf_case_free(&t.c, &k);
    assert_int_equal(t.c.mem_used, 0);
}

static int parse(struct test_ctx *t, const char *text, struct cf_case *k)
{
    int rc = cf_expect_parse(&t->c, "d/x.expect", text, strlen(text), k);

    if (rc == 0)
        cf_case_free(&t->c, k);
    return rc;
}

static void test_expect_variants(void **state)
{
    struct test_ctx t;
    struct cf_case k;
    const char *text;

    (void)state;
    test_ctx_init(&t);
    /* A hostile case needs no kernel; no group: the name's first part. */
    text = "case: hostile/loop\nimage: /abs/l.qcow2\nformat: qcow2\nerror: loop\n"
           "corrupt: ext-extent-loop 12\ncorrupt: truncate 4096\nnew-key: later\n";
    assert_int_equal(cf_expect_parse(&t.c, "x.expect", text, strlen(text), &k), 0);
    assert_string_equal(k.group, "hostile");
    assert_string_equal(k.error, "loop");
    assert_string_equal(k.image, "/abs/l.qcow2");  /* absolute: kept */
    assert_true(test_warned(&t, "x.expect:7: unknown key \"new-key\" ignored"));
    assert_false(test_warned(&t, "corrupt"));
    cf_case_free(&t.c, &k);
    /* No ramdisk; a name without a group; empty args. */
    text = "case: flat\nimage: f.raw\nformat: raw\nkernel-sha256: " SHA_A "\nramdisk-sha256: none\nargs: \n";
    assert_int_equal(cf_expect_parse(&t.c, "x.expect", text, strlen(text), &k), 0);
    assert_string_equal(k.group, "-");
    assert_string_equal(k.ramdisk_sha, "");
    assert_string_equal(k.args, "");
    assert_string_equal(k.image, "f.raw");
    cf_case_free(&t.c, &k);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_expect_errors(void **state)
{
    struct test_ctx t;
    struct cf_case k;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(parse(&t, "case: a/b\nformat: raw\nerror: corrupt\n", &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "no \"image\" line");
    assert_int_equal(parse(&t, "case: a/b\nimage: i\nformat: raw\nargs: x\n", &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "no \"kernel-sha256\" line (nor \"error\")");
    assert_int_equal(parse(&t, "case: a/b\ncase: a/c\n", &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "d/x.expect:2: \"case\" given twice");
    assert_int_equal(parse(&t, "case: a/b\nkernel-sha256: " SHA_A "0\n", &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "kernel-sha256: not 64 lowercase hex digits");
    assert_int_equal(parse(&t, "case: a/b\nkernel-sha256: 4B3F99530D988342B3E1166F63E41868FC32F9E897173044FC0792DDDBEDF4E1\n", &k),
                     PVB_ESYNTAX);
    assert_int_equal(parse(&t, "case: a/b\nkernel-sha256: none\n", &k), PVB_ESYNTAX);
    assert_int_equal(parse(&t, "case: a b\nimage: i\nformat: raw\nerror: x\n", &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "has characters outside");
    assert_int_equal(parse(&t, "case: a/b\nimage: i\nformat: raw\nerror: x\nargs: \n", &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "both an error and a kernel expected");
    assert_int_equal(parse(&t, "case: a/b\nimage: i\nformat: raw\nkernel-sha256: " SHA_A "\nargs: x\n", &k),
                     PVB_ESYNTAX);
    assert_msg_has(&t.c, "no \"ramdisk-sha256\" line");
    assert_int_equal(parse(&t, "case: a/b\nbad line\n", &k), PVB_ESYNTAX);
    assert_int_equal(t.c.mem_used, 0);
}

static const char impl_full[] =
    "# a comment\nname: xen-4.17\nabout: Debian's pygrub\ncommand: /bin/sh -c  true\n"
    "env: XEN_FSIMAGE_FSDIR=/x=y\nenv: A=\nformats: raw qcow2\ntimeout: 2.5\nmem: 0\nfsize: 16\n"
    "version: echo 4.17\nrun-as-user: nobody\nnproc: 12\n"
    "diverge: el7/* no-boot XFS v5 /boot\n"
    "diverge: debian/*-path wrong-kernel,wrong-args  submenu paths\n"
    "diverge: x/* * anything\n";

static void test_impl_parse(void **state)
{
    struct test_ctx t;
    struct cf_impl im;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(cf_impl_parse(&t.c, "f", impl_full, strlen(impl_full), &im), 0);
    assert_string_equal(im.name, "xen-4.17");
    assert_string_equal(im.file, "f");
    assert_string_equal(im.argv[0], "/bin/sh");
    assert_string_equal(im.argv[1], "-c");
    assert_string_equal(im.argv[2], "true");
    assert_null(im.argv[3]);
    assert_string_equal(im.env[0], "XEN_FSIMAGE_FSDIR=/x=y");
    assert_string_equal(im.env[1], "A=");
    assert_null(im.env[2]);
    assert_true(im.timeout == 2.5);
    assert_int_equal(im.mem_mb, 0);
    assert_int_equal(im.fsize_mb, 16);
    assert_string_equal(im.version_cmd, "echo 4.17");
    assert_string_equal(im.run_as, "nobody");
    assert_null(im.user);  /* resolved when the run is set up (cf_impl_set_user) */
    assert_int_equal(im.nproc, 12);
    assert_true(cf_impl_reads(&im, "raw"));
    assert_true(cf_impl_reads(&im, "qcow2"));
    assert_false(cf_impl_reads(&im, "qcow"));
    assert_false(cf_impl_reads(&im, "qcow2c"));
    assert_false(cf_impl_reads(&im, "aw"));
    assert_false(cf_impl_reads(&im, ""));
    assert_int_equal(im.ndiv, 3);
    assert_string_equal(im.div[1].reason, "submenu paths");
    assert_int_equal(im.div[1].classes, (1u << CF_WRONG_KERNEL) | (1u << CF_WRONG_ARGS));
    assert_true(im.div[2].classes & (1u << CF_UNSAFE));
    assert_false(im.div[2].classes & (1u << CF_PASS));
    assert_false(im.div[2].classes & (1u << CF_SKIPPED));
    assert_false(im.div[2].classes & (1u << CF_RUNNER_ERROR));  /* "*": the impl's failures only */
    assert_ptr_equal(cf_impl_diverge(&im, "el7/bios-saved", CF_FAILURE_CLASSES), &im.div[0]);
    assert_ptr_equal(cf_impl_diverge(&im, "el7/bios-saved", 1u << CF_NO_BOOT), &im.div[0]);
    assert_null(cf_impl_diverge(&im, "el7/bios-saved", 1u << CF_CRASH));
    assert_ptr_equal(cf_impl_diverge(&im, "debian/submenu-id-path", 1u << CF_WRONG_ARGS), &im.div[1]);
    assert_null(cf_impl_diverge(&im, "debian/default-0", CF_FAILURE_CLASSES));
    /* Several globs match: the one naming the class counts. */
    assert_ptr_equal(cf_impl_diverge(&im, "x/submenu-id-path", 1u << CF_WRONG_ARGS), &im.div[2]);
    cf_impl_free(&t.c, &im);
    assert_int_equal(t.c.mem_used, 0);
}

static int impl_err(struct test_ctx *t, const char *text)
{
    struct cf_impl im;
    int rc = cf_impl_parse(&t->c, "f", text, strlen(text), &im);

    if (rc == 0)
        cf_impl_free(&t->c, &im);
    return rc;
}

static void test_impl_errors(void **state)
{
    struct test_ctx t;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(impl_err(&t, "name: x\n"), PVB_ESYNTAX);
    assert_msg_has(&t.c, "\"name\" and \"command\" are required");
    assert_int_equal(impl_err(&t, "name: a b\ncommand: x\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ncolor: red\n"), PVB_ESYNTAX);
    assert_msg_has(&t.c, "f:3: unknown or repeated key \"color\"");
    assert_int_equal(impl_err(&t, "name: x\nname: y\ncommand: x\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ntimeout: 0\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ntimeout: 1e9\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\nmem: -1\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\nmem: 12MB\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\nenv: NOEQUALS\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\nenv: =v\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ndiverge: a/* pass it works\n"), PVB_ESYNTAX);
    assert_msg_has(&t.c, "\"pass\" is not a failure class");
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ndiverge: a/* booted why\n"), PVB_ESYNTAX);
    /* A runner error is never the impl's: no divergence can excuse one. */
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ndiverge: a/* runner-error why\n"), PVB_ESYNTAX);
    assert_msg_has(&t.c, "\"runner-error\" is not a failure class");
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\nnproc: many\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\nrun-as-user: \n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ndiverge: a/* wrong-args,nope why\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ndiverge: a/* no-boot\n"), PVB_ESYNTAX);
    assert_msg_has(&t.c, "a divergence needs a reason");
    assert_int_equal(impl_err(&t, "name: x\ncommand: x\ndiverge: a/*\n"), PVB_ESYNTAX);
    assert_int_equal(impl_err(&t, "name: x\ncommand:  \t \n"), PVB_EINVAL);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_impl_adhoc_locate(void **state)
{
    struct test_ctx t;
    struct cf_impl im;
    char cwd[4096], *want;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(cf_impl_adhoc(&t.c, "sh=sh -c true", &im), 0);
    assert_string_equal(im.name, "sh");
    assert_true(cf_impl_reads(&im, "raw"));
    assert_false(cf_impl_reads(&im, "qcow2"));
    assert_null(im.file);
    assert_int_equal(cf_impl_locate(&t.c, &im), 0);
    assert_null(im.missing);
    assert_int_equal(im.argv[0][0], '/');  /* found in PATH */
    assert_string_equal(im.argv[1], "-c");
    cf_impl_free(&t.c, &im);

    assert_int_equal(cf_impl_adhoc(&t.c, "gone=/nonexistent/pygrub -q", &im), 0);
    assert_int_equal(cf_impl_locate(&t.c, &im), 0);
    assert_string_equal(im.missing, "/nonexistent/pygrub: not found or not executable");
    cf_impl_free(&t.c, &im);

    assert_int_equal(cf_impl_adhoc(&t.c, "nopath=no-such-program-pvb", &im), 0);
    assert_int_equal(cf_impl_locate(&t.c, &im), 0);
    assert_non_null(im.missing);
    cf_impl_free(&t.c, &im);

    /* A relative path is taken from the current directory, and made absolute. */
    assert_int_equal(cf_impl_adhoc(&t.c, "rel=suites/conform/runner.test", &im), 0);
    assert_int_equal(cf_impl_locate(&t.c, &im), 0);
    assert_null(im.missing);
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    want = cf_printf(&t.c, "%s/suites/conform/runner.test", cwd);
    assert_string_equal(im.argv[0], want);
    pvb_free(&t.c, want);
    cf_impl_free(&t.c, &im);

    /* Not executable: a directory. */
    assert_int_equal(cf_impl_adhoc(&t.c, "dir=/tmp", &im), 0);
    assert_int_equal(cf_impl_locate(&t.c, &im), 0);
    assert_non_null(im.missing);
    cf_impl_free(&t.c, &im);

    assert_int_equal(cf_impl_adhoc(&t.c, "=x", &im), PVB_EINVAL);
    assert_int_equal(cf_impl_adhoc(&t.c, "noequals", &im), PVB_EINVAL);
    assert_int_equal(cf_impl_adhoc(&t.c, "a/b=x", &im), PVB_ESYNTAX);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_impl_user(void **state)
{
    struct test_ctx t;
    struct cf_impl im;
    struct passwd *pw;
    char own[32], want[64];

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(cf_impl_adhoc(&t.c, "x=/bin/true", &im), 0);
    assert_int_equal(cf_impl_set_user(&t.c, &im, NULL), 0);
    assert_null(im.run_as);  /* none given: the runner's own user */
    assert_null(im.user);
    assert_int_equal(cf_impl_set_user(&t.c, &im, "pvb-no-such-user"), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "x: run-as-user pvb-no-such-user: no such user");
    assert_null(im.run_as);  /* unchanged on failure */
    /* Anyone may name himself. */
    snprintf(own, sizeof(own), "%lu", (unsigned long)geteuid());
    assert_int_equal(cf_impl_set_user(&t.c, &im, own), 0);
    assert_string_equal(im.run_as, own);
    assert_int_equal(im.uid, geteuid());
    if (geteuid() == 0 && (pw = getpwnam("nobody")) != NULL) {
        uid_t u = pw->pw_uid;
        gid_t g = pw->pw_gid;
        assert_int_equal(cf_impl_set_user(&t.c, &im, "nobody"), 0);
        assert_int_equal(im.uid, u);
        assert_int_equal(im.gid, g);
        snprintf(want, sizeof(want), "nobody (%lu)", (unsigned long)u);
        assert_string_equal(im.user, want);
        /* A number the password database lacks: its group is the same number. */
        assert_int_equal(cf_impl_set_user(&t.c, &im, "3999999"), 0);
        assert_int_equal(im.uid, 3999999);
        assert_int_equal(im.gid, 3999999);
        assert_string_equal(im.user, "uid 3999999");
    } else if (geteuid() != 0) {
        assert_int_equal(cf_impl_set_user(&t.c, &im, "0"), PVB_EINVAL);
        assert_msg_has(&t.c, "only root can run a program as another user");
    } else {
        print_message("# no user nobody: run-as-user by name not checked\n");
    }
    cf_impl_free(&t.c, &im);
    assert_int_equal(t.c.mem_used, 0);
}

/* Writes that fail are found at the close: a full device, a write that
 * failed before the last flush. */
static void test_close_checked(void **state)
{
    struct test_ctx t;
    FILE *f;

    (void)state;
    test_ctx_init(&t);
    assert_non_null(f = tmpfile());
    fprintf(f, "fine\n");
    assert_int_equal(cf_close_checked(&t.c, f, "tmp"), 0);
    if (!(f = fopen("/dev/full", "w"))) {
        print_message("# no /dev/full: the ENOSPC case not checked\n");
        return;
    }
    fprintf(f, "short\n");
    assert_int_equal(cf_close_checked(&t.c, f, "/dev/full"), PVB_EIO);
    assert_msg_has(&t.c, "/dev/full: write failed: No space left on device");
    /* The error flag of a write that already failed, with an empty buffer. */
    assert_non_null(f = fopen("/dev/full", "w"));
    setvbuf(f, NULL, _IONBF, 0);
    assert_true(fprintf(f, "lost\n") < 0);
    assert_int_equal(cf_close_checked(&t.c, f, "/dev/full"), PVB_EIO);
    assert_msg_has(&t.c, "/dev/full: write failed: the file is incomplete");
    assert_int_equal(t.c.mem_used, 0);
}

static void test_class_names(void **state)
{
    int k;

    (void)state;
    for (k = 0; k < CF_NCLASS; k++)
        assert_int_equal(cf_class_parse(cf_class_name((enum cf_class)k), strlen(cf_class_name((enum cf_class)k))), k);
    assert_int_equal(cf_class_parse("wrong-args", 10), CF_WRONG_ARGS);
    assert_int_equal(cf_class_parse("wrong-args", 5), -1);
    assert_string_equal(cf_class_name(CF_OVER_MEMORY), "over-memory");
    assert_string_equal(cf_class_name(CF_NCLASS), "?");
    assert_string_equal(cf_verdict_name(CF_KNOWN), "known");
    assert_string_equal(cf_verdict_name(CF_NVERDICT), "?");
}

/* What a writer produced for s, as a NUL-terminated string in buf. */
static void written(void (*fn)(FILE *, const char *), const char *s, char *buf, size_t cap)
{
    FILE *f = tmpfile();
    size_t n;

    assert_non_null(f);
    fn(f, s);
    rewind(f);
    n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void test_escaping(void **state)
{
    char b[256];

    (void)state;
    written(cf_json_str, "a\"b\\c\n\x01\x7f", b, sizeof(b));
    assert_string_equal(b, "\"a\\\"b\\\\c\\u000a\\u0001\\u007f\"");
    /* Valid UTF-8 kept; stray, overlong, surrogate and out-of-range bytes replaced. */
    written(cf_json_str, "\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", b, sizeof(b));
    assert_string_equal(b, "\"\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\"");
    written(cf_json_str, "\xff|\xc0\x80|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x9c", b, sizeof(b));
    assert_string_equal(b, "\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\"");
    written(cf_json_str_or_null, NULL, b, sizeof(b));
    assert_string_equal(b, "null");
    written(cf_md_cell, "a|b `c` <d> *e* _f_ \\ \t", b, sizeof(b));
    assert_string_equal(b, "a\\|b \\`c\\` \\<d> \\*e\\* \\_f\\_ \\\\ ");
    written(cf_xml, "a&b<c>\"d\"\x01", b, sizeof(b));
    assert_string_equal(b, "a&amp;b&lt;c&gt;&quot;d&quot;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kv_lines),
        cmocka_unit_test(test_expect_full),
        cmocka_unit_test(test_expect_variants),
        cmocka_unit_test(test_expect_errors),
        cmocka_unit_test(test_impl_parse),
        cmocka_unit_test(test_impl_errors),
        cmocka_unit_test(test_impl_adhoc_locate),
        cmocka_unit_test(test_impl_user),
        cmocka_unit_test(test_close_checked),
        cmocka_unit_test(test_class_names),
        cmocka_unit_test(test_escaping),
    };
    return cmocka_run_group_tests_name("conform", tests, NULL, NULL);
}
