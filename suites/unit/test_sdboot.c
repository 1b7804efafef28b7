/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the systemd-boot engine: loader.conf, Type #1 and #2 entries, sort, default, UKIs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "cfg/cfgint.h"
#include "cfgmem.h"
#include "pebuild.h"
#include "testlib.h"
#include "util/bytes.h"

#define LOADER "/loader/loader.conf"

/* A fresh context and an ESP holding one kernel at kernel. */
static void start(struct test_ctx *t, struct cfgmem *fs, const char *kernel)
{
    test_ctx_init(t);
    cfgmem_init(fs);
    cfgmem_add(fs, kernel, "K");
}

static struct pvb_menu *eval_ok(struct test_ctx *t, struct cfgmem *fs, const char *conf)
{
    struct pvb_menu *m = NULL;
    int rc = cfgmem_eval(&t->c, fs, &pvb_engine_sdboot, LOADER, conf, &m);

    if (rc)
        fail_msg("rc %d (%s) for:\n%s", rc, t->c.msg, conf);
    return m;
}

/* The ids in menu order, joined by ' '. */
static const char *order(const struct pvb_menu *m)
{
    static char buf[1024];
    unsigned i;

    buf[0] = '\0';
    for (i = 0; i < m->count; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, m->entries[i].id);
    }
    return buf;
}

static void test_vercmp(void **state)
{
    /* Pairs a < b under the UAPI Version Format Specification. */
    static const char *const older[][2] = {
        { "", "0" }, { "122.1", "123" }, { "123~rc1", "123" }, { "123", "123.1" },
        { "123~rc1", "123~rc2" }, { "123-a", "123.1" }, { "123-1", "123.a" },
        { "123^post1", "123.1" }, { "123", "123^post1" }, { "123.a", "123.1" },
        { "a", "1" }, { "1.0.0", "1.0.1" }, { "5.15", "5.15.1" }, { "6.1.0-13", "6.1.0-17" },
        { "6.1.0-9-amd64", "6.1.0-10-amd64" }, { "abc", "abd" }, { "ab", "abc" },
        { "1_2", "1_3" }, { "00099", "100" }, { "1.2", "1_2" }, { "1..2", "1.2" }, { "a+b", "ab" },
        { "1^a", "1^b" }, { "2^1", "2^2" },
    };
    static const char *const same[][2] = {
        { "123", "123" }, { "0123", "123" }, { "1_2", "1+2" }, { "v1", "v01" },
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(older) / sizeof(older[0]); i++) {
        if (pvb_cfg_uapi_vercmp(older[i][0], older[i][1]) != -1 ||
            pvb_cfg_uapi_vercmp(older[i][1], older[i][0]) != 1)
            fail_msg("'%s' should be older than '%s'", older[i][0], older[i][1]);
    }
    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        if (pvb_cfg_uapi_vercmp(same[i][0], same[i][1]) != 0)
            fail_msg("'%s' should equal '%s'", same[i][0], same[i][1]);
    assert_int_equal(pvb_cfg_uapi_vercmp(NULL, ""), -1);
    assert_int_equal(pvb_cfg_uapi_vercmp(NULL, NULL), 0);
    assert_int_equal(pvb_cfg_uapi_vercmp("", "~"), -1);
}

static void test_fnmatch(void **state)
{
    (void)state;
    assert_true(pvb_cfg_sd_fnmatch("arch.conf", "arch.conf"));
    assert_false(pvb_cfg_sd_fnmatch("arch", "arch.conf"));
    assert_true(pvb_cfg_sd_fnmatch("arch*", "arch-lts.conf"));
    assert_true(pvb_cfg_sd_fnmatch("*", ""));
    assert_true(pvb_cfg_sd_fnmatch("*-lts.conf", "arch-lts.conf"));
    assert_false(pvb_cfg_sd_fnmatch("*-lts.conf", "arch-lts.conf.bak"));
    assert_true(pvb_cfg_sd_fnmatch("a?c*", "abc"));
    assert_false(pvb_cfg_sd_fnmatch("a?c", "ac"));
    assert_true(pvb_cfg_sd_fnmatch("linux-[0-9]*", "linux-6.1.conf"));
    assert_false(pvb_cfg_sd_fnmatch("linux-[0-9]*", "linux-lts.conf"));
    assert_true(pvb_cfg_sd_fnmatch("x[abc]y", "xby"));
    assert_false(pvb_cfg_sd_fnmatch("x[abc", "xby"));
    assert_true(pvb_cfg_sd_fnmatch("a\\*", "a*"));
    assert_false(pvb_cfg_sd_fnmatch("a\\*", "ab"));
    assert_true(pvb_cfg_sd_fnmatch("*a*b*c*", "xxaxxbxxcxx"));
    /* Backtracking stays linear in the last '*': a long hostile pattern ends. */
    {
        char h[4096], p[64];
        memset(h, 'a', sizeof(h) - 1);
        h[sizeof(h) - 1] = '\0';
        strcpy(p, "*a*a*a*a*a*a*a*a*a*b");
        assert_false(pvb_cfg_sd_fnmatch(p, h));
    }
}

static void add_entry(struct cfgmem *fs, const char *name, const char *text)
{
    static char paths[CFGMEM_MAX][128];
    snprintf(paths[fs->n], sizeof(paths[0]), "/loader/entries/%s", name);
    cfgmem_add(fs, paths[fs->n], text);
}

static void test_sort(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;

    (void)state;
    start(&t, &fs, "/vmlinuz");
    /* Without sort-key: file names in decreasing version order. */
    add_entry(&fs, "linux-6.1.0-9.conf", "linux /vmlinuz\n");
    add_entry(&fs, "linux-6.1.0-10.conf", "linux /vmlinuz\n");
    add_entry(&fs, "Linux-5.10.conf", "linux /vmlinuz\n");
    /* With sort-key: first, by sort-key, machine-id, version (newest first). */
    add_entry(&fs, "z.conf", "sort-key fedora\nmachine-id bbb\nversion 6.5\nlinux /vmlinuz\n");
    add_entry(&fs, "y.conf", "sort-key fedora\nmachine-id aaa\nversion 6.2\nlinux /vmlinuz\n");
    add_entry(&fs, "x.conf", "sort-key fedora\nmachine-id aaa\nversion 6.10\nlinux /vmlinuz\n");
    add_entry(&fs, "w.conf", "sort-key debian\nversion 1\nlinux /vmlinuz\n");
    add_entry(&fs, "v.conf", "sort-key fedora\nlinux /vmlinuz\n");   /* no machine-id: first of fedora */
    /* Boot counting: no tries left goes last; more tries left first on a tie of the id. */
    add_entry(&fs, "a+0-3.conf", "linux /vmlinuz\n");
    add_entry(&fs, "b+2-1.conf", "linux /vmlinuz\n");
    m = eval_ok(&t, &fs, "");
    assert_string_equal(order(m), "w.conf v.conf x.conf y.conf z.conf linux-6.1.0-10.conf linux-6.1.0-9.conf "
                                  "linux-5.10.conf b+2-1.conf a+0-3.conf");
    /* No default: the first entry in sort order. */
    assert_int_equal(m->chosen, 0);
    assert_int_equal(m->timeout, 0);
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_default(void **state)
{
    static const struct {
        const char *conf;
        const char *id;
        const char *why;
    } cases[] = {
        { "default arch.conf\n", "arch.conf", "matches entry id 'arch.conf'" },
        { "default ARCH-LTS.CONF\n", "arch-lts.conf", "matches" },        /* both case-folded */
        /* Ids sort newest first: fallback.conf, arch.conf, arch-lts.conf ('-' is older than '.'). */
        { "default arch*\n", "arch.conf", "the first in sort order" },
        { "default nothing*\n", "fallback.conf", "matches no entry id" },
        { "default @saved\n", "fallback.conf", "no EFI variables" },
        { "default arch.conf\ndefault @bogus\n", "arch.conf", "matches" },  /* @bogus ignored */
        { "default arch.conf\ndefault fallback*\n", "fallback.conf", "matches" },  /* the last one */
        { "  # comment\n\n\tdefault   \"arch.conf\"  \r\ntimeout 5\n", "arch.conf", "matches" },
        { "timeout 3\n", "fallback.conf", "no default in loader.conf" },
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_ctx t;
        struct cfgmem fs;
        struct pvb_menu *m;

        start(&t, &fs, "/vmlinuz-linux");
        add_entry(&fs, "arch.conf", "title Arch Linux\nlinux /vmlinuz-linux\n");
        add_entry(&fs, "arch-lts.conf", "title Arch Linux LTS\nlinux /vmlinuz-linux\n");
        add_entry(&fs, "fallback.conf", "title Arch Linux (fallback)\nlinux /vmlinuz-linux\n");
        m = eval_ok(&t, &fs, cases[i].conf);
        if (strcmp(m->entries[m->chosen].id, cases[i].id) != 0 || !strstr(m->why, cases[i].why))
            fail_msg("case %u: chose %s (%s)", i, m->entries[m->chosen].id, m->why);
        pvb_menu_free(m);
        assert_int_equal(t.c.mem_used, 0);
    }
}

static void test_timeout(void **state)
{
    static const struct {
        const char *conf;
        int timeout;
    } cases[] = {
        { "timeout 7\n", 7 }, { "timeout menu-force\n", -1 }, { "timeout menu-hidden\n", 0 },
        { "timeout 5\ntimeout x\n", 5 }, { "timeout 99999999999\n", 0 }, { "", 0 },
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct test_ctx t;
        struct cfgmem fs;
        struct pvb_menu *m;

        start(&t, &fs, "/k");
        add_entry(&fs, "a.conf", "linux /k\n");
        m = eval_ok(&t, &fs, cases[i].conf);
        if (m->timeout != cases[i].timeout)
            fail_msg("case %u: timeout %d", i, m->timeout);
        pvb_menu_free(m);
    }
}

static void test_type1(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    const struct pvb_cfg_entry *e;

    (void)state;
    start(&t, &fs, "/vmlinuz");
    cfgmem_add(&fs, "/EFI/tool.efi", "MZ");
    add_entry(&fs, "main.conf", "title Main\nversion 1\nlinux /vmlinuz\ninitrd /ucode.img\n"
                                "initrd \\initramfs.img\noptions root=/dev/xvda2 initrd=\\x ro\n"
                                "devicetree /dtb\noptions quiet\narchitecture x64\nnokey\n");
    add_entry(&fs, "arm.conf", "title Arm\nlinux /vmlinuz\narchitecture aa64\n");
    add_entry(&fs, "gone.conf", "title Gone\nlinux /vmlinuz-missing\n");
    add_entry(&fs, "none.conf", "title Nothing to load\n");
    add_entry(&fs, "tool.conf", "title Tool\nefi /EFI/tool.efi\n");
    add_entry(&fs, "notitle.conf", "linux vmlinuz\n");
    add_entry(&fs, "auto-x.conf", "linux /vmlinuz\n");
    add_entry(&fs, ".hidden.conf", "linux /vmlinuz\n");
    add_entry(&fs, "other.txt", "linux /vmlinuz\n");
    m = eval_ok(&t, &fs, "default main*\n");
    assert_string_equal(order(m), "tool.conf notitle.conf main.conf");
    e = &m->entries[m->chosen];
    assert_string_equal(e->id, "main.conf");
    assert_string_equal(e->title, "Main");
    assert_string_equal(e->kernel.path, "/vmlinuz");
    assert_int_equal(e->kernel.slice, 0);
    assert_int_equal(e->ninitrd, 2);
    assert_string_equal(e->initrd[0].path, "/ucode.img");
    assert_string_equal(e->initrd[1].path, "/initramfs.img");
    assert_string_equal(e->args, "root=/dev/xvda2 ro quiet");
    assert_string_equal(m->entries[1].title, "notitle.conf");   /* no title: the id */
    assert_string_equal(m->entries[1].kernel.path, "/vmlinuz");
    assert_non_null(m->entries[0].unbootable);
    assert_true(test_warned(&t, "/vmlinuz-missing not found"));
    pvb_menu_free(m);
    /* Choosing the efi entry: ENOBOOT, the menu still handed over. */
    m = NULL;
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_sdboot, LOADER, "default tool.conf\n", &m),
                     PVB_ENOBOOT);
    assert_msg_has(&t.c, "an EFI program");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_titles(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;

    (void)state;
    start(&t, &fs, "/k");
    add_entry(&fs, "a.conf", "title Linux\nversion 2\nlinux /k\n");
    add_entry(&fs, "b.conf", "title Linux\nversion 1\nlinux /k\n");
    add_entry(&fs, "c.conf", "title Same\nversion 1\nmachine-id 0123456789abcdef\nlinux /k\n");
    add_entry(&fs, "d.conf", "title Same\nversion 1\nmachine-id fedcba9876543210\nlinux /k\n");
    add_entry(&fs, "e.conf", "title Twin\nlinux /k\n");
    add_entry(&fs, "f.conf", "title Twin\nlinux /k\n");
    add_entry(&fs, "g.conf", "title Solo\nlinux /k\n");
    m = eval_ok(&t, &fs, "");
    assert_string_equal(order(m), "g.conf f.conf e.conf d.conf c.conf b.conf a.conf");
    assert_string_equal(m->entries[0].title, "Solo");
    assert_string_equal(m->entries[1].title, "Twin (f.conf)");
    assert_string_equal(m->entries[2].title, "Twin (e.conf)");
    assert_string_equal(m->entries[3].title, "Same (1) (fedcba98)");
    assert_string_equal(m->entries[4].title, "Same (1) (01234567)");
    assert_string_equal(m->entries[5].title, "Linux (1)");
    assert_string_equal(m->entries[6].title, "Linux (2)");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* ---- UKIs ---- */

static uint8_t ukibuf[8][4096];

static size_t mkuki(unsigned slot, uint16_t machine, const char *osrel, const char *cmdline,
                    const char *linux_, const char *initrd)
{
    struct pe_sec s[5];
    unsigned n = 0;
    size_t len;

    s[n].name = ".text", s[n].data = "code", s[n++].len = 4;
    if (osrel)
        s[n].name = ".osrel", s[n].data = osrel, s[n++].len = strlen(osrel);
    if (cmdline)
        s[n].name = ".cmdline", s[n].data = cmdline, s[n++].len = strlen(cmdline) + 1;
    if (linux_)
        s[n].name = ".linux", s[n].data = linux_, s[n++].len = strlen(linux_);
    if (initrd)
        s[n].name = ".initrd", s[n].data = initrd, s[n++].len = strlen(initrd);
    len = pebuild(ukibuf[slot], sizeof(ukibuf[slot]), machine, s, n);
    assert_true(len > 0);
    return len;
}

static void add_bin(struct cfgmem *fs, const char *path, unsigned slot, size_t len)
{
    cfgmem_addn(fs, path, strlen(path), (const char *)ukibuf[slot], len);
}

static void test_uki(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    const struct pvb_cfg_entry *e;
    size_t n;

    (void)state;
    test_ctx_init(&t);
    cfgmem_init(&fs);
    n = mkuki(0, 0x8664, "NAME=\"Debian\"\nID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                         "VERSION_ID=\"12\"\n", "root=/dev/xvda2\tro\n  ", "KERNEL-A", "INITRD-A");
    add_bin(&fs, "/EFI/Linux/debian-6.1.efi", 0, n);
    n = mkuki(1, 0x8664, "ID=debian\nVERSION_ID=13\n", "quiet", "KERNEL-B", NULL);
    add_bin(&fs, "/EFI/Linux/debian-6.12.efi", 1, n);
    n = mkuki(2, 0x8664, NULL, "x", "KERNEL-C", NULL);     /* no .osrel: not listed */
    add_bin(&fs, "/EFI/Linux/noosrel.efi", 2, n);
    n = mkuki(3, 0x8664, "ID=broken\n", NULL, NULL, NULL); /* no .linux: listed, refused */
    add_bin(&fs, "/EFI/Linux/nolinux.efi", 3, n);
    n = mkuki(4, 0xaa64, "ID=arm\n", NULL, "K", NULL);
    add_bin(&fs, "/EFI/Linux/arm.efi", 4, n);
    n = mkuki(5, 0x8664, NULL, "console=hvc0\n", NULL, NULL);  /* add-ons, name order */
    add_bin(&fs, "/EFI/Linux/debian-6.12.efi.extra.d/b.addon.efi", 5, n);
    n = mkuki(6, 0x8664, NULL, "debug", NULL, NULL);
    add_bin(&fs, "/EFI/Linux/debian-6.12.efi.extra.d/a.addon.efi", 6, n);
    add_bin(&fs, "/EFI/Linux/debian-6.12.efi.extra.d/c.efi", 6, n);  /* not an .addon.efi */
    cfgmem_add(&fs, "/EFI/Linux/notpe.efi", "plain text");
    n = mkuki(7, 0x8664, "ID=zz\n", NULL, "", NULL);   /* .linux of 0 bytes */
    add_bin(&fs, "/EFI/Linux/empty.efi", 7, n);
    m = eval_ok(&t, &fs, "default debian*\n");
    /* Every UKI has a sort key (its ID): arm, broken, then debian's version 13 before 12. */
    assert_string_equal(order(m), "arm.efi nolinux.efi debian-6.12.efi debian-6.1.efi empty.efi");
    assert_string_equal(m->entries[4].unbootable, "a unified kernel image with an empty .linux section");
    assert_int_equal(m->chosen, 2);
    e = &m->entries[2];
    assert_string_equal(e->title, "debian");
    assert_string_equal(e->args, "quiet debug console=hvc0");
    assert_int_equal(e->kernel.slice, 1);
    assert_memory_equal(ukibuf[1] + e->kernel.off, "KERNEL-B", 8);
    assert_int_equal(e->kernel.len, 8);
    assert_int_equal(e->ninitrd, 0);
    e = &m->entries[3];
    assert_string_equal(e->title, "Debian GNU/Linux 12 (bookworm)");
    assert_string_equal(e->kernel.path, "/EFI/Linux/debian-6.1.efi");
    assert_string_equal(e->args, "root=/dev/xvda2 ro");
    assert_int_equal(e->ninitrd, 1);
    assert_int_equal(e->initrd[0].slice, 1);
    assert_memory_equal(ukibuf[0] + e->initrd[0].off, "INITRD-A", 8);
    assert_string_equal(m->entries[1].unbootable, "a unified kernel image without a .linux section");
    assert_string_equal(m->entries[0].unbootable, "a UKI for PE machine 0xaa64, not x64");
    assert_true(test_warned(&t, "no .osrel section: not listed"));
    assert_true(test_warned(&t, "/EFI/Linux/notpe.efi: 10 bytes, too short for a PE image"));
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_uki_type1(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    const struct pvb_cfg_entry *e;
    size_t n;

    (void)state;
    test_ctx_init(&t);
    cfgmem_init(&fs);
    n = mkuki(0, 0x8664, "ID=x\n", "embedded", "KERNEL", "INITRD");
    add_bin(&fs, "/EFI/x/uki.efi", 0, n);
    cfgmem_add(&fs, "/vmlinuz.efi", "MZ but too short to be PE");
    cfgmem_add(&fs, "/ird", "I");
    add_entry(&fs, "a-uki.conf", "title U\nuki /EFI/x/uki.efi\n");
    add_entry(&fs, "b-opts.conf", "title O\nlinux /EFI/x/uki.efi\ninitrd /ird\noptions passed\n");
    add_entry(&fs, "c-stub.conf", "title S\nlinux /vmlinuz.efi\noptions plain\n");
    m = eval_ok(&t, &fs, "");
    assert_string_equal(order(m), "c-stub.conf b-opts.conf a-uki.conf");
    e = &m->entries[2];
    assert_string_equal(e->args, "embedded");
    assert_int_equal(e->kernel.slice, 1);
    assert_int_equal(e->ninitrd, 1);
    e = &m->entries[1];
    assert_string_equal(e->args, "passed");   /* the loader's options replace .cmdline */
    assert_int_equal(e->ninitrd, 2);
    assert_int_equal(e->initrd[0].slice, 1);
    assert_string_equal(e->initrd[1].path, "/ird");
    e = &m->entries[0];
    assert_int_equal(e->kernel.slice, 0);      /* no PE image: an ordinary kernel */
    assert_null(e->unbootable);
    /* The menu editor: the UKI's file named again keeps its ranges; another file does not. */
    {
        char *text = pvb_cfg_entry_text(m, 2);
        assert_non_null(text);
        assert_string_equal(text, "kernel /EFI/x/uki.efi embedded\ninitrd /EFI/x/uki.efi\n");
        pvb_free(&t.c, text);
    }
    assert_int_equal(pvb_cfg_entry_edit(m, 2, NULL, "linux /EFI/x/uki.efi edited\ninitrd /EFI/x/uki.efi /ird\n"), 0);
    e = &m->entries[2];
    assert_int_equal(e->kernel.slice, 1);
    assert_memory_equal(ukibuf[0] + e->kernel.off, "KERNEL", 6);
    assert_int_equal(e->ninitrd, 2);
    assert_int_equal(e->initrd[0].slice, 1);
    assert_memory_equal(ukibuf[0] + e->initrd[0].off, "INITRD", 6);
    assert_int_equal(e->initrd[1].slice, 0);
    assert_string_equal(e->args, "edited");
    assert_int_equal(pvb_cfg_entry_edit(m, 2, NULL, "linux /vmlinuz.efi x\n"), 0);
    assert_int_equal(m->entries[2].kernel.slice, 0);
    pvb_menu_free(m);
    /* A UKI whose .initrd runs past the end: refused, naming it. */
    pvb_put_le32(ukibuf[0] + PEB_TABLE + 4 * 40 + 20, (uint32_t)n - 2);
    m = NULL;
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_sdboot, LOADER, "default a-uki.conf\n", &m),
                     PVB_ENOBOOT);
    assert_msg_has(&t.c, "PE section .initrd past the end of the file");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* Malformed boot counters, os-release fallbacks, a bad add-on, loader.conf beside the binary. */
static void test_odd_names(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    size_t n;

    (void)state;
    start(&t, &fs, "/k");
    /* Not counters (boot.c keeps these names whole and sorts them as any): the '+' part must
     * be digits, "-DONE" digits, right before .conf, and fit an int. */
    add_entry(&fs, "a+x.conf", "linux /k\n");
    add_entry(&fs, "b+1-.conf", "linux /k\n");
    add_entry(&fs, "c+1-2x.conf", "linux /k\n");
    add_entry(&fs, "d+99999999999.conf", "linux /k\n");
    add_entry(&fs, "e+0.conf", "linux /k\n");   /* a counter: no tries left, last */
    n = mkuki(0, 0x8664, "ID=os\nBUILD_ID=2024.1\n", NULL, "K", NULL);
    cfgmem_addn(&fs, "/EFI/Linux/build.efi", 20, (const char *)ukibuf[0], n);
    n = mkuki(1, 0x8664, "VERSION_ID=1\n", NULL, "K", NULL);   /* names no OS: not listed */
    cfgmem_addn(&fs, "/EFI/Linux/anon.efi", 19, (const char *)ukibuf[1], n);
    cfgmem_add(&fs, "/EFI/Linux/build.efi.extra.d/bad.addon.efi", "not a PE image");
    cfgmem_add(&fs, "/loader/loader.conf", "default d*\ntimeout 9\n");
    pvb_cfg_opts_init(&o);
    o.engine = &pvb_engine_sdboot;
    o.path = "/EFI/systemd/systemd-bootx64.efi";
    cfgmem_env(&fs, &env);
    assert_int_equal(pvb_cfg_eval(&t.c, &o, &env, "MZ", 2, &m), 0);
    assert_string_equal(order(m), "build.efi d+99999999999.conf c+1-2x.conf b+1-.conf a+x.conf e+0.conf");
    assert_string_equal(m->entries[0].title, "os");   /* ID, with BUILD_ID its only version */
    assert_int_equal(m->chosen, 1);     /* loader.conf read beside the binary */
    assert_int_equal(m->timeout, 9);
    assert_true(test_warned(&t, "add-on skipped"));
    assert_true(test_warned(&t, ".osrel names no OS"));
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* ---- hostile ---- */

static void test_long_line(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;
    char *conf = malloc(1000000 + 16);

    (void)state;
    assert_non_null(conf);
    test_ctx_init(&t);
    cfgmem_init(&fs);
    memcpy(conf, "default ", 8);
    memset(conf + 8, 'a', 1000000);   /* a 1 MB line in a config under the 1 MiB config limit */
    strcpy(conf + 8 + 1000000, "\n");
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_sdboot, LOADER, conf, &m), PVB_ELIMIT);
    assert_msg_has(&t.c, "systemd-boot: /loader/loader.conf:1: line longer than the line limit of 65536 bytes");
    assert_null(m);
    assert_int_equal(t.c.mem_used, 0);
    free(conf);
}

static void test_huge_cmdline(void **state)
{
    static uint8_t big[80000];
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;
    struct pe_sec s[3];
    char *cl = malloc(70000);
    size_t n;

    (void)state;
    assert_non_null(cl);
    memset(cl, 'x', 69999);
    cl[69999] = '\0';
    s[0].name = ".osrel", s[0].data = "ID=a\n", s[0].len = 5;
    s[1].name = ".cmdline", s[1].data = cl, s[1].len = 70000;
    s[2].name = ".linux", s[2].data = "K", s[2].len = 1;
    n = pebuild(big, sizeof(big), 0x8664, s, 3);
    assert_true(n > 0);
    test_ctx_init(&t);
    cfgmem_init(&fs);
    cfgmem_addn(&fs, "/EFI/Linux/a.efi", 16, (const char *)big, n);
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_sdboot, LOADER, "", &m), PVB_ELIMIT);
    assert_msg_has(&t.c, "/EFI/Linux/a.efi: section .cmdline of 70000 bytes passes the limit of 65536");
    assert_int_equal(t.c.mem_used, 0);
    free(cl);
}

/* An ESP whose loader/entries lists 100,000 names, each read as the same entry. */
static int many_list(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                     pvb_cfg_name_fn fn, void *fn_arg)
{
    unsigned i;
    int rc;

    (void)arg, (void)c, (void)dev;
    if (strcmp(path, "/loader/entries") != 0)
        return PVB_ENOTFOUND;
    for (i = 0; i < 100000; i++) {
        char name[32];
        snprintf(name, sizeof(name), "e%u.conf", i);
        if ((rc = fn(fn_arg, name, 0)) != 0)
            return rc;
    }
    return 0;
}

static int many_read(void *arg, struct pvb_ctx *c, const char *dev, const char *path, size_t max,
                     char **buf, size_t *len)
{
    static const char text[] = "title T\nlinux /k\n";

    (void)arg, (void)dev, (void)max;
    if (strcmp(path, "/loader/loader.conf") == 0)
        return pvb_fail(c, PVB_ENOTFOUND, "no");
    if (!(*buf = pvb_strndup(c, text, sizeof(text) - 1)))
        return c->err;
    *len = sizeof(text) - 1;
    return 0;
}

static int many_stat(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                     struct pvb_cfg_stat *st)
{
    (void)arg, (void)c, (void)dev, (void)path;
    memset(st, 0, sizeof(*st));
    st->is_file = 1;
    return 0;
}

static void test_many_entries(void **state)
{
    struct pvb_cfg_env env = { .read_file = many_read, .stat = many_stat, .list_dir = many_list };
    struct pvb_cfg_opts o;
    struct test_ctx t;
    struct pvb_menu *m = NULL;

    (void)state;
    test_ctx_init(&t);
    pvb_cfg_opts_init(&o);
    o.engine = &pvb_engine_sdboot;
    o.path = "/EFI/systemd/systemd-bootx64.efi";
    assert_int_equal(pvb_cfg_eval(&t.c, &o, &env, "MZ", 2, &m), PVB_ELIMIT);
    assert_msg_has(&t.c, "systemd-boot: more than 10000 files in a directory of entries");
    assert_int_equal(t.c.mem_used, 0);
    /* At the limit, all are listed and sorted (newest id first). */
    o.max_entries = 100000;
    test_ctx_init(&t);
    assert_int_equal(pvb_cfg_eval(&t.c, &o, &env, "MZ", 2, &m), 0);
    assert_int_equal(m->count, 100000);
    assert_string_equal(m->entries[0].id, "e99999.conf");
    assert_string_equal(m->entries[99999].id, "e0.conf");
    assert_string_equal(m->entries[0].title, "T (e99999.conf)");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_faults(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;

    (void)state;
    start(&t, &fs, "/k");
    add_entry(&fs, "a.conf", "linux /k\n");
    fs.fail_read = PVB_EIO;
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_sdboot, "/EFI/systemd/systemd-bootx64.efi", "", &m),
                     PVB_EIO);
    assert_null(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* Every allocation that can fail fails cleanly: PVB_ELIMIT (max_mem), no leak. */
static void test_allocation_failures(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    size_t lim, n;
    unsigned ok = 0, failed = 0;
    int rc;

    (void)state;
    cfgmem_init(&fs);
    cfgmem_add(&fs, "/k", "K");
    add_entry(&fs, "a+1-2.conf", "title A\nsort-key x\nversion 1\nlinux /k\ninitrd /i1\ninitrd /i2\n"
                                 "options a initrd=/i1\noptions b\n");
    add_entry(&fs, "b.conf", "title A\nlinux /k\n");
    n = mkuki(0, 0x8664, "ID=x\nVERSION_ID=2\n", "cmd", "KERNEL", "INITRD");
    add_bin(&fs, "/EFI/Linux/u.efi", 0, n);
    n = mkuki(1, 0x8664, NULL, "addon", NULL, NULL);
    add_bin(&fs, "/EFI/Linux/u.efi.extra.d/a.addon.efi", 1, n);
    for (lim = 64; lim < 600000; lim += lim / 8 + 32) {
        test_ctx_init(&t);
        t.c.lim.max_mem = lim;
        m = NULL;
        rc = cfgmem_eval(&t.c, &fs, &pvb_engine_sdboot, LOADER, "default a*\ntimeout 2\n", &m);
        if (rc != 0 && rc != PVB_ELIMIT)
            fail_msg("limit %zu: rc %d (%s)", lim, rc, t.c.msg);
        if (rc == 0 && (m->count != 3 || strcmp(m->entries[m->chosen].args, "a b") != 0))
            fail_msg("limit %zu: a different menu", lim);
        pvb_menu_free(m);
        if (t.c.mem_used != 0)
            fail_msg("limit %zu: %zu bytes leaked", lim, t.c.mem_used);
        rc ? failed++ : ok++;
    }
    assert_true(ok > 0 && failed > 0);
}

/* Suffixes are matched without case (boot.c endswith_no_case): ARCH.CONF and BIG.EFI are
 * entries, their ids lower-cased; an entry file that is listed but cannot be read is
 * skipped with a warning, the others still listed. */
static void test_upper_case_names(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    size_t n;

    (void)state;
    start(&t, &fs, "/k");
    add_entry(&fs, "ARCH.CONF", "linux /k\n");
    add_entry(&fs, "gone.conf", NULL);
    n = mkuki(0, 0x8664, "ID=big\nVERSION_ID=1\n", "c", "KERNEL", NULL);
    add_bin(&fs, "/EFI/Linux/BIG.EFI", 0, n);
    m = eval_ok(&t, &fs, "default arch.conf\n");
    assert_string_equal(order(m), "big.efi arch.conf");
    assert_string_equal(m->entries[m->chosen].id, "arch.conf");
    assert_true(test_warned(&t, "/loader/entries/gone.conf"));
    assert_true(test_warned(&t, "unreadable: "));
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* The engine's own limits: entries kept (max_entries; each directory holds no more than
 * the limit, the three together do) and the joined options (max_var). */
static void test_limits(void **state)
{
    static char opts[200];
    struct pvb_cfg_env env;
    struct pvb_cfg_opts o;
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;

    (void)state;
    start(&t, &fs, "/k");
    add_entry(&fs, "a.conf", "linux /k\n");
    add_entry(&fs, "b.conf", "linux /k\n");
    add_bin(&fs, "/EFI/Linux/u.efi", 0, mkuki(0, 0x8664, "ID=u\n", "c", "KERNEL", NULL));
    cfgmem_env(&fs, &env);
    pvb_cfg_opts_init(&o);
    o.engine = &pvb_engine_sdboot;
    o.path = LOADER;
    o.max_entries = 2;
    assert_int_equal(pvb_cfg_eval(&t.c, &o, &env, "", 0, &m), PVB_ELIMIT);
    assert_msg_has(&t.c, "systemd-boot: more than 2 entries");
    assert_null(m);
    assert_int_equal(t.c.mem_used, 0);
    /* Two options lines of 60 bytes each join to 121 bytes: past a limit of 100. */
    start(&t, &fs, "/k");
    memset(opts, 'o', sizeof(opts));
    memcpy(opts, "linux /k\noptions ", 17);
    opts[17 + 60] = '\n';
    memcpy(opts + 78, "options ", 8);
    opts[86 + 60] = '\n';
    opts[87 + 60] = '\0';
    add_entry(&fs, "a.conf", opts);
    cfgmem_env(&fs, &env);
    o.max_entries = 0;
    o.max_var = 100;
    assert_int_equal(pvb_cfg_eval(&t.c, &o, &env, "", 0, &m), PVB_ELIMIT);
    assert_msg_has(&t.c, "systemd-boot: a command line longer than the limit of 100 bytes");
    assert_null(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* Two volumes: the ESP (hd0,gpt1, the config's) and an XBOOTLDR partition (hd0,gpt2). */
struct twovol {
    struct cfgmem esp, xbl;
    struct pvb_cfg_env e1, e2;
    struct pvb_cfg_env env;   /* both, by device name */
    struct pvb_cfg_opts o;
};

static const struct pvb_cfg_env *vol(struct twovol *v, const char **dev)
{
    if (strcmp(*dev, "hd0,gpt2") == 0) {
        *dev = "";
        return &v->e2;
    }
    if (!**dev || strcmp(*dev, "hd0,gpt1") == 0) {
        *dev = "";
        return &v->e1;
    }
    return NULL;
}

static int tv_read(void *arg, struct pvb_ctx *c, const char *dev, const char *path, size_t max, char **buf,
                   size_t *len)
{
    const struct pvb_cfg_env *e = vol(arg, &dev);
    return e ? e->read_file(e->arg, c, dev, path, max, buf, len) : pvb_fail(c, PVB_ENOTFOUND, "no %s", dev);
}

static int tv_stat(void *arg, struct pvb_ctx *c, const char *dev, const char *path, struct pvb_cfg_stat *st)
{
    const struct pvb_cfg_env *e = vol(arg, &dev);
    return e ? e->stat(e->arg, c, dev, path, st) : pvb_fail(c, PVB_ENOTFOUND, "no %s", dev);
}

static int tv_list(void *arg, struct pvb_ctx *c, const char *dev, const char *path, pvb_cfg_name_fn fn,
                   void *fn_arg)
{
    const struct pvb_cfg_env *e = vol(arg, &dev);
    return e ? e->list_dir(e->arg, c, dev, path, fn, fn_arg) : pvb_fail(c, PVB_ENOTFOUND, "no %s", dev);
}

static int tv_read_at(void *arg, struct pvb_ctx *c, const char *dev, const char *path, uint64_t off,
                      void *buf, size_t len)
{
    const struct pvb_cfg_env *e = vol(arg, &dev);
    return e ? e->read_at(e->arg, c, dev, path, off, buf, len) : pvb_fail(c, PVB_ENOTFOUND, "no %s", dev);
}

static int tv_find(void *arg, struct pvb_ctx *c, const char *guid, unsigned mbr_type, char *dev, size_t cap)
{
    (void)arg, (void)mbr_type;
    if (strcmp(guid, "bc13c2ff-59e6-4262-a352-b275fd6f7172") != 0)
        return pvb_fail(c, PVB_ENOTFOUND, "no such partition");
    snprintf(dev, cap, "hd0,gpt2");
    return 0;
}

/* Empty volumes, the env over both and the options that read LOADER on hd0,gpt1. */
static void twovol_init(struct twovol *v, struct test_ctx *t)
{
    static const struct pvb_cfg_env env = { .read_file = tv_read, .stat = tv_stat, .list_dir = tv_list,
                                            .read_at = tv_read_at, .find_type = tv_find };

    test_ctx_init(t);
    cfgmem_init(&v->esp);
    cfgmem_init(&v->xbl);
    cfgmem_env(&v->esp, &v->e1);
    cfgmem_env(&v->xbl, &v->e2);
    v->env = env;
    v->env.arg = v;
    pvb_cfg_opts_init(&v->o);
    v->o.engine = &pvb_engine_sdboot;
    v->o.path = LOADER;
    v->o.device = "hd0,gpt1";
}

static void test_xbootldr(void **state)
{
    static struct twovol v;
    struct test_ctx t;
    struct pvb_menu *m = NULL;
    const struct pvb_cfg_entry *e;
    size_t n;

    (void)state;
    twovol_init(&v, &t);
    cfgmem_add(&v.esp, "/vmlinuz-esp", "K");
    cfgmem_add(&v.esp, "/loader/entries/fedora-6.1.conf", "title ESP\nlinux /vmlinuz-esp\n");
    cfgmem_add(&v.xbl, "/vmlinuz-6.9", "K");
    cfgmem_add(&v.xbl, "/loader/entries/fedora-6.9.conf",
               "title XBOOTLDR\nlinux /vmlinuz-6.9\ninitrd /initrd-6.9\noptions root=/dev/xvda3\n");
    cfgmem_add(&v.xbl, "/loader/entries/esp-only.conf", "title Kernel on the ESP\nlinux /vmlinuz-esp\n");
    n = mkuki(0, 0x8664, "ID=fedora\nVERSION_ID=40\n", "uki", "KERNEL", NULL);
    cfgmem_addn(&v.xbl, "/EFI/Linux/f40.efi", 18, (const char *)ukibuf[0], n);
    assert_int_equal(pvb_cfg_eval(&t.c, &v.o, &v.env, "default fedora-6.9*\n", 20, &m), 0);
    /* The UKI (sort key) first; fedora-6.9 from XBOOTLDR, fedora-6.1 from the ESP; an
     * XBOOTLDR entry whose kernel is only on the ESP is not listed (its files are its own). */
    assert_string_equal(order(m), "f40.efi fedora-6.9.conf fedora-6.1.conf");
    e = &m->entries[m->chosen];
    assert_string_equal(e->title, "XBOOTLDR");
    assert_string_equal(e->kernel.dev, "hd0,gpt2");
    assert_string_equal(e->initrd[0].dev, "hd0,gpt2");
    assert_string_equal(e->file, "(hd0,gpt2)/loader/entries/fedora-6.9.conf");
    assert_string_equal(m->entries[0].kernel.dev, "hd0,gpt2");
    assert_int_equal(m->entries[0].kernel.slice, 1);
    assert_string_equal(m->entries[0].kernel.path, "/EFI/Linux/f40.efi");
    assert_string_equal(m->entries[2].kernel.dev, "");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* The same file name on the ESP and on XBOOTLDR gives two entries of one id: both are
 * listed, the ESP's first (boot.c reads the ESP first and its sort is stable; with
 * boot counters the tries left and done decide, equal here). */
static void test_xbootldr_same_id(void **state)
{
    static struct twovol v;
    struct test_ctx t;
    struct pvb_menu *m = NULL;

    (void)state;
    twovol_init(&v, &t);
    cfgmem_add(&v.esp, "/k", "K");
    cfgmem_add(&v.xbl, "/k", "K");
    cfgmem_add(&v.esp, "/loader/entries/same.conf", "title E\nlinux /k\n");
    cfgmem_add(&v.xbl, "/loader/entries/same.conf", "title X\nlinux /k\n");
    cfgmem_add(&v.esp, "/loader/entries/cnt+2-1.conf", "title CE\nlinux /k\n");
    cfgmem_add(&v.xbl, "/loader/entries/cnt+2-1.conf", "title CX\nlinux /k\n");
    assert_int_equal(pvb_cfg_eval(&t.c, &v.o, &v.env, "", 0, &m), 0);
    assert_string_equal(order(m), "same.conf same.conf cnt+2-1.conf cnt+2-1.conf");
    assert_string_equal(m->entries[0].title, "E");
    assert_string_equal(m->entries[1].title, "X");
    assert_string_equal(m->entries[2].title, "CE");
    assert_string_equal(m->entries[3].title, "CX");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vercmp),
        cmocka_unit_test(test_fnmatch),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_type1),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_uki),
        cmocka_unit_test(test_uki_type1),
        cmocka_unit_test(test_odd_names),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_huge_cmdline),
        cmocka_unit_test(test_many_entries),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_xbootldr),
        cmocka_unit_test(test_upper_case_names),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_xbootldr_same_id),
    };
    return cmocka_run_group_tests_name("systemd-boot", tests, NULL, NULL);
}
