/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for GRUB legacy, extlinux, lilo, grubenv and the BLS helpers (parse, vercmp, sort, expand). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "cfg/cfgint.h"
#include "cfgmem.h"
#include "testlib.h"

static struct pvb_menu *eval_ok(struct test_ctx *t, struct cfgmem *fs, const struct pvb_cfg_engine *f,
                                const char *path, const char *text)
{
    struct pvb_menu *m = NULL;
    int rc = cfgmem_eval(&t->c, fs, f, path, text, &m);

    if (rc)
        fail_msg("rc %d (%s) for:\n%s", rc, t->c.msg, text);
    return m;
}

static void expect(const struct pvb_cfg_engine *f, const char *path, const char *text, int entry,
                   const char *kernel, const char *args, const char *initrds)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    const struct pvb_cfg_entry *e;
    char got[512] = "";
    unsigned i;

    test_ctx_init(&t);
    cfgmem_init(&fs);
    cfgmem_add(&fs, "/boot/grub/default", "1\n");
    cfgmem_add(&fs, "/boot/extlinux/inc.conf", "label inc\n  kernel /inc\n");
    m = eval_ok(&t, &fs, f, path, text);
    assert_int_equal(m->chosen, entry);
    e = &m->entries[entry];
    assert_string_equal(e->kernel.path, kernel);
    assert_string_equal(e->args, args);
    for (i = 0; i < e->ninitrd; i++) {
        strcat(got, e->initrd[i].path);
        strcat(got, ";");
    }
    assert_string_equal(got, initrds);
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

static void expect_fail(const struct pvb_cfg_engine *f, const char *path, const char *text, int err)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;

    test_ctx_init(&t);
    cfgmem_init(&fs);
    cfgmem_add(&fs, "/boot/extlinux/loop.conf", "include loop.conf\n");
    assert_int_equal(cfgmem_eval(&t.c, &fs, f, path, text, &m), err);
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

#define G1(text, entry, k, a, i) expect(&pvb_engine_grub1, "/boot/grub/menu.lst", text, entry, k, a, i)

/* grub-semantics.md, GRUB legacy 0.97. */
static void test_grub1(void **state)
{
    static const char three[] = "title A\n kernel /a x\ntitle B\n kernel /b y\n initrd /ib\ntitle C\n kernel /c\n";
    char text[512];

    (void)state;
    snprintf(text, sizeof(text), "default=0\n%s", three);
    G1(text, 0, "/a", "x", "");
    snprintf(text, sizeof(text), "default 2\n%s", three);
    G1(text, 2, "/c", "", "");
    snprintf(text, sizeof(text), "default = 1\n%s", three);
    G1(text, 1, "/b", "y", "/ib;");
    snprintf(text, sizeof(text), "default 0x2\n%s", three);
    G1(text, 2, "/c", "", "");
    snprintf(text, sizeof(text), "default 01junk\n%s", three);
    G1(text, 1, "/b", "y", "/ib;");
    snprintf(text, sizeof(text), "default x\n%s", three);
    G1(text, 0, "/a", "x", "");
    snprintf(text, sizeof(text), "default saved\n%s", three);
    G1(text, 1, "/b", "y", "/ib;");
    snprintf(text, sizeof(text), "default 7\nfallback 9 2 2 1\n%s", three);
    G1(text, 2, "/c", "", "");
    G1("title Empty\ntitle A\n kernel /a\n", 0, "/a", "", "");
    G1("  # c\n\ttitle\tT\r\n\tkernel --type=linux /k a \\\nb\n", 0, "/k", "a  b", "");
    G1("title T\n root (hd0,0)\n kernel /k\n initrd (hd0,0)/i\n unknowncmd\n lock\n", 0, "/k", "", "/i;");
    G1("title T\n root (hd0,4)\n kernel /k\n", 0, "/k", "", "");
    G1("default 0\nfallback 1\ntitle Broken\n root (hd0,0)\ntitle Good\n kernel /g\n", 1, "/g", "", "");
    expect_fail(&pvb_engine_grub1, "/boot/grub/menu.lst", "timeout 5\n", PVB_ENOBOOT);
    expect_fail(&pvb_engine_grub1, "/boot/grub/menu.lst", "title X\n kernel /xen.gz\n module /vmlinuz\n", PVB_ENOBOOT);
    expect_fail(&pvb_engine_grub1, "/boot/grub/menu.lst", "title W\n chainloader +1\n", PVB_ENOBOOT);
}

static void test_grub1_devices(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    char longline[2000];

    (void)state;
    test_ctx_init(&t);
    cfgmem_init(&fs);
    m = eval_ok(&t, &fs, &pvb_engine_grub1, "/grub/grub.conf",
                "title T\n root (hd0,1)\n kernel /k\n initrd (hd1,4)/i\n");
    assert_string_equal(m->entries[0].kernel.dev, "hd0,msdos2");
    assert_string_equal(m->entries[0].initrd[0].dev, "hd1,msdos5");
    pvb_menu_free(m);
    memset(longline, 'a', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    memcpy(longline, "title L\nkernel /k ", 18);
    m = eval_ok(&t, &fs, &pvb_engine_grub1, "/grub/grub.conf", longline);
    assert_int_equal(strlen(m->entries[0].args), 1600 - 1 - strlen("kernel /k "));
    assert_true(test_warned(&t, "GRUB cuts it"));
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

#define XL(text, entry, k, a, i) expect(&pvb_engine_extlinux, "/boot/extlinux/extlinux.conf", text, entry, k, a, i)

static void test_extlinux(void **state)
{
    (void)state;
    XL("DEFAULT b\nLABEL a\n KERNEL /a\nLABEL b\n LINUX vmlinuz\n APPEND root=/dev/xvda1 initrd=/x,/y\n", 1,
       "/boot/extlinux/vmlinuz", "root=/dev/xvda1 initrd=/x,/y", "/x;/y;");
    XL("label a\n kernel /a\n menu default\nlabel b\n kernel /b\n", 0, "/a", "", "");
    XL("timeout 25\nappend g=1\nlabel a\n kernel /a\n initrd i.img\n", 0, "/a", "g=1 initrd=i.img",
       "/boot/extlinux/i.img;");
    XL("text help\nlabel notreal\nendtext\nlabel a\n kernel /a\n", 0, "/a", "", "");
    XL("include inc.conf\nmenu include inc.conf\nlabel a\n kernel /a\n", 0, "/inc", "", "");
    XL("label nokernel\n", 0, "/boot/extlinux/nokernel", "", "");
    XL("include none.conf\nlabel a\n  kernel /a\n  append -\n", 0, "/a", "", "");
    /* ldlinux: PROMPT waits at boot:, ONTIMEOUT only when TIMEOUT (or TOTALTIMEOUT) runs
     * out, the numbers read by atoi; the KERNEL line's words join the command line. */
    XL("PROMPT 1\nDEFAULT a\nONTIMEOUT b\nLABEL a\n KERNEL /a\nLABEL b\n KERNEL /b\n", 0, "/a", "", "");
    XL("PROMPT 1\nTOTALTIMEOUT 100\nDEFAULT a\nONTIMEOUT b\nLABEL a\n KERNEL /a\nLABEL b\n KERNEL /b\n",
       1, "/b", "", "");
    XL("PROMPT 1\nTIMEOUT 0x32\nDEFAULT a\nONTIMEOUT b\nLABEL a\n KERNEL /a\nLABEL b\n KERNEL /b\n",
       0, "/a", "", "");
    XL("DEFAULT a\nLABEL a\n KERNEL /a quiet\n APPEND ro\n", 0, "/a", "quiet ro", "");
    /* The menu: ONTIMEOUT's words after a label as they stand (unlabel), else a kernel. */
    XL("UI menu.c32\nTIMEOUT 10\nONTIMEOUT b  quiet\nLABEL a\n KERNEL /a\nLABEL b\n KERNEL /b\n APPEND ro\n",
       2, "/b", "ro  quiet", "");
    XL("UI menu.c32\nTIMEOUT 10\nONTIMEOUT /vmlinuz-x quiet\nLABEL a\n KERNEL /a\n", 1, "/vmlinuz-x",
       "quiet", "");
    expect_fail(&pvb_engine_extlinux, "/boot/extlinux/extlinux.conf", "UI menu.c32\nDEFAULT a\n", PVB_ENOBOOT);
    expect_fail(&pvb_engine_extlinux, "/boot/extlinux/extlinux.conf", "include loop.conf\n", PVB_ELIMIT);
    expect_fail(&pvb_engine_extlinux, "/boot/extlinux/extlinux.conf", "label a\n com32 x\n kernel menu.c32\n", PVB_ENOBOOT);
    expect_fail(&pvb_engine_extlinux, "/boot/extlinux/extlinux.conf", "", PVB_ENOBOOT);
}

/* A UI that is not the menu module is evaluated as the menu would be, with a warning. */
static void test_extlinux_other_ui(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;

    (void)state;
    test_ctx_init(&t);
    cfgmem_init(&fs);
    m = eval_ok(&t, &fs, &pvb_engine_extlinux, "/boot/extlinux/extlinux.conf",
                "UI gfxboot bootlogo\nDEFAULT b\nLABEL a\n KERNEL /a\nLABEL b \n KERNEL /b\n");
    assert_int_equal(m->chosen, 0);
    assert_true(test_warned(&t, "UI gfxboot bootlogo is not menu.c32"));
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

#define LI(text, entry, k, a, i) expect(&pvb_engine_lilo, "/etc/lilo.conf", text, entry, k, a, i)

static void test_lilo(void **state)
{
    (void)state;
    LI("default=b\nimage=/a\n label=a\nimage = /b\n label = b\n append = \"x y\"\n read-only\n", 1, "/b", "ro x y", "");
    LI("root=/dev/xvda1\nread-only\ninitrd=/gi\nimage=/boot/vmlinuz\n", 0, "/boot/vmlinuz", "root=/dev/xvda1 ro", "/gi;");
    LI("image=/a\n label=a\n read-write\n literal=\"only this\"\n", 0, "/a", "only this", "");
    LI("default=nosuch\nimage=/a\n", 0, "/a", "", "");
    expect_fail(&pvb_engine_lilo, "/etc/lilo.conf", "image\n", PVB_ESYNTAX);
    expect_fail(&pvb_engine_lilo, "/etc/lilo.conf", "other=/dev/xvda2\n", PVB_ENOBOOT);
}

struct kv {
    char buf[512];
};

static int collect(void *arg, const char *name, const char *value)
{
    struct kv *kv = arg;

    snprintf(kv->buf + strlen(kv->buf), sizeof(kv->buf) - strlen(kv->buf), "[%s=%s]", name, value);
    return strcmp(name, "stop") == 0 ? 7 : 0;
}

static void test_grubenv(void **state)
{
    struct test_ctx t;
    struct kv kv;
    static const char env[] = "# GRUB Environment Block\n# WARNING: x\na=1\nb=x\\\\y\\\nz\n#c=3\njunk\nd=4\ne=";

    (void)state;
    test_ctx_init(&t);
    kv.buf[0] = '\0';
    assert_int_equal(pvb_cfg_grubenv_parse(&t.c, env, sizeof(env) - 1, 1000, collect, &kv), 0);
    assert_string_equal(kv.buf, "[a=1][b=x\\y\nz][junk\nd=4]");
    kv.buf[0] = '\0';
    assert_int_equal(pvb_cfg_grubenv_parse(&t.c, "# GRUB Environment Block\nstop=1\nx=2\n", 37, 1000, collect, &kv), 7);
    assert_int_equal(pvb_cfg_grubenv_parse(&t.c, "# GRUB Env\n", 11, 1000, collect, &kv), PVB_ECORRUPT);
    assert_int_equal(pvb_cfg_grubenv_parse(&t.c, "# GRUB Environment Block\nname=0123456789\n", 41, 4, collect, &kv),
                     PVB_ELIMIT);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_vercmp(void **state)
{
    static const struct { const char *a, *b; int r; } v[] = {
        { "1.0", "1.0", 0 }, { "1.0", "1.1", -1 }, { "1.10", "1.9", 1 }, { "1.0~rc1", "1.0", -1 },
        { "1.0~rc1", "1.0~rc2", -1 }, { "1a", "1", 1 }, { "1", "a", 1 }, { "a", "1", -1 },
        { "01", "1", 0 }, { "1.0", "1_0", 0 }, { "2.0.1", "2.0", 1 }, { "abc", "abd", -1 },
        { "5.14.0-362", "5.14.0-70", 1 }, { "x.", "x", 0 }, { "~", "", -1 }, { "ab", "abc", -1 },
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        if (pvb_cfg_vercmp(v[i].a, v[i].b) != v[i].r)
            fail_msg("vercmp(%s, %s) = %d, want %d", v[i].a, v[i].b, pvb_cfg_vercmp(v[i].a, v[i].b), v[i].r);
}

static const char *lookup(void *arg, const char *name)
{
    (void)arg;
    if (!strcmp(name, "k"))
        return "root=x ro";
    if (!strcmp(name, "e"))
        return "";
    return NULL;
}

static void test_bls(void **state)
{
    struct test_ctx t;
    struct bls_entry e, *v[4], es[4];
    char *s;
    int last = -1;
    static const char file[] = "  title T\r\n#options no\nlinux\t/v\ninitrd /a\ninitrd /b\noptions o1\noptions o2\n"
                               "empty \nnot-read x\n";

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(pvb_cfg_bls_parse(&t.c, "id", file, sizeof(file) - 1, &e), 0);
    assert_string_equal(pvb_cfg_bls_get(&e, "title", NULL), "T");
    assert_string_equal(pvb_cfg_bls_get(&e, "linux", NULL), "/v");
    assert_string_equal(pvb_cfg_bls_get(&e, "options", NULL), "o1");
    assert_string_equal(pvb_cfg_bls_get(&e, "initrd", &last), "/a");
    assert_string_equal(pvb_cfg_bls_get(&e, "initrd", &last), "/b");
    assert_null(pvb_cfg_bls_get(&e, "initrd", &last));
    assert_null(pvb_cfg_bls_get(&e, "not-read", NULL));
    pvb_cfg_bls_entry_free(&t.c, &e);
    /* expand_val (grub2 2.02-80 and later): a space after every value */
    s = pvb_cfg_bls_expand(&t.c, "$k $u $e end", lookup, NULL, 1000);
    assert_string_equal(s, "root=x ro  end");
    pvb_free(&t.c, s);
    assert_null(pvb_cfg_bls_expand(&t.c, "x", lookup, NULL, 1000));
    assert_null(pvb_cfg_bls_expand(&t.c, "$u", lookup, NULL, 1000));
    assert_null(pvb_cfg_bls_expand(&t.c, "$k", lookup, NULL, 4));
    /* sorting */
    assert_int_equal(pvb_cfg_bls_parse(&t.c, "m-5.1-1", "version 2\n", 10, &es[0]), 0);
    assert_int_equal(pvb_cfg_bls_parse(&t.c, "m-5.10-1", "version 1\n", 10, &es[1]), 0);
    assert_int_equal(pvb_cfg_bls_parse(&t.c, "m-5.1-01", "version 3\n", 10, &es[2]), 0);
    assert_int_equal(pvb_cfg_bls_parse(&t.c, "m-0-rescue", "version 0\n", 10, &es[3]), 0);
    v[0] = &es[0], v[1] = &es[1], v[2] = &es[2], v[3] = &es[3];
    assert_int_equal(pvb_cfg_bls_sort(v, 4, 0), 3);
    assert_string_equal(v[0]->id, "m-5.10-1");
    assert_string_equal(v[1]->id, "m-5.1-1");
    assert_string_equal(v[2]->id, "m-0-rescue");
    assert_string_equal(v[3]->id, "m-5.1-01");   /* dropped: equal to m-5.1-1 */
    v[0] = &es[0], v[1] = &es[1], v[2] = &es[2], v[3] = &es[3];
    assert_int_equal(pvb_cfg_bls_sort(v, 4, 1), 4);
    assert_string_equal(v[0]->id, "m-5.1-01");    /* version 3 */
    assert_string_equal(v[3]->id, "m-0-rescue");
    for (last = 0; last < 4; last++)
        pvb_cfg_bls_entry_free(&t.c, &es[last]);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_blscfg(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m = NULL;
    const struct pvb_cfg_entry *e;

    (void)state;
    test_ctx_init(&t);
    cfgmem_init(&fs);
    cfgmem_add(&fs, "/loader/entries/m-2.conf",
               "title Two\nlinux /v2\ninitrd /boot/i2\noptions $opts\ngrub_class kernel\ngrub_class x\n"
               "grub_users root\ngrub_arg --unrestricted\ngrub_arg second\n");
    cfgmem_add(&fs, "/loader/entries/m-1.conf", "title One\nlinux /boot/v1\noptions ro\n");
    cfgmem_add(&fs, "/loader/entries/m-0.conf", "title NoLinux\n");
    cfgmem_add(&fs, "/loader/entries/sub/", NULL);
    cfgmem_add(&fs, "/loader/entries/m-9.conf", NULL);   /* listed, cannot be read */
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_grub2, "/grub2/grub.cfg",
                                 "set opts='a \"b c\"'\nset early_initrd='ucode.img extra.img'\nblscfg\n"
                                 "menuentry last { linux /l $2; }\nset default=m-2\n", &m), 0);
    assert_int_equal(m->semantics, PVB_CFG_SEM_FEDORA);
    assert_int_equal(m->count, 3);
    e = &m->entries[m->chosen];
    assert_string_equal(e->title, "Two");
    assert_string_equal(e->classes, "kernel x");
    assert_string_equal(e->args, "a \"b c\"");
    assert_int_equal(e->ninitrd, 3);
    assert_string_equal(e->initrd[0].path, "/boot/ucode.img");
    assert_string_equal(e->initrd[2].path, "/boot/i2");
    assert_true(test_warned(&t, "has no linux key"));
    assert_true(test_warned(&t, "cannot read /loader/entries/m-9.conf"));
    assert_true(e->flags & PVB_CFG_ENTRY_BLS);   /* where it came from, as a fact */
    assert_false(m->entries[2].flags & PVB_CFG_ENTRY_BLS);   /* "last" */
    pvb_menu_free(m);
    /* No entries anywhere; $root unset; reads failing */
    assert_int_equal(cfgmem_eval(&t.c, &fs, &pvb_engine_grub2, "/grub2/grub.cfg",
                                 "set blsdir=/none\nblscfg\nunset root\nblscfg\n", &m), PVB_ENOBOOT);
    assert_true(test_warned(&t, "no BLS entries"));
    assert_true(test_warned(&t, "$root is not set"));
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

/* The memory limit swept over each line-oriented engine: clean failures, no leaks. */
static void test_allocation_failures(void **state)
{
    static const struct { const struct pvb_cfg_engine *f; const char *path, *text; } v[] = {
        { &pvb_engine_grub1, "/boot/grub/menu.lst",
          "default saved\nfallback 1\ntitle A\n root (hd0,0)\n kernel /a x\n initrd /i\ntitle B\n kernel /b\n" },
        { &pvb_engine_extlinux, "/boot/extlinux/extlinux.conf",
          "include inc.conf\ndefault b\nappend g\nlabel b\n kernel /b\n initrd /i1,/i2\nlabel c\n kernel /c\n" },
        { &pvb_engine_extlinux, "/boot/extlinux/extlinux.conf", "default b quiet\nlabel b\n kernel /b\n" },
        { &pvb_engine_extlinux, "/boot/extlinux/extlinux.conf",
          "ui menu.c32\ntimeout 5\nontimeout c x\nlabel b \n kernel /b\nlabel c\n menu default\n" },
        { &pvb_engine_lilo, "/etc/lilo.conf", "default=b\nimage=/a\n label=a\nimage=/b\n label=b\n initrd=/i\n" },
    };
    struct cfgmem fs;
    struct test_ctx t;
    struct pvb_menu *m;
    unsigned i;
    size_t lim;
    int rc;

    (void)state;
    cfgmem_init(&fs);
    cfgmem_add(&fs, "/boot/grub/default", "1\n");
    cfgmem_add(&fs, "/boot/extlinux/inc.conf", "label inc\n  kernel /inc\n");
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        for (lim = 64; lim < 200000; lim += lim / 8 + 32) {
            test_ctx_init(&t);
            t.c.lim.max_mem = lim;
            m = NULL;
            rc = cfgmem_eval(&t.c, &fs, v[i].f, v[i].path, v[i].text, &m);
            if (rc != 0 && rc != PVB_ELIMIT)
                fail_msg("%s, limit %zu: rc %d (%s)", v[i].path, lim, rc, t.c.msg);
            pvb_menu_free(m);
            if (t.c.mem_used != 0)
                fail_msg("%s, limit %zu: %zu bytes leaked", v[i].path, lim, t.c.mem_used);
        }
}

/* The menu editor: an entry as commands (pvb_cfg_entry_text) and edited commands back. */
static void entry_is(const struct pvb_cfg_entry *e, const char *kdev, const char *kernel,
                     const char *args, const char *initrds, const char *root)
{
    char got[512] = "";
    unsigned i;

    assert_string_equal(e->kernel.dev, kdev);
    assert_string_equal(e->kernel.path, kernel);
    assert_string_equal(e->args, args);
    for (i = 0; i < e->ninitrd; i++) {
        strcat(got, e->initrd[i].dev);
        strcat(got, ":");
        strcat(got, e->initrd[i].path);
        strcat(got, ";");
    }
    assert_string_equal(got, initrds);
    if (!root)
        assert_null(e->root);
    else
        assert_string_equal(e->root, root);
}

static void test_editor(void **state)
{
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    char *text;

    (void)state;
    test_ctx_init(&t);
    cfgmem_init(&fs);
    /* GRUB legacy: the root line as written, legacy partition numbers. */
    m = eval_ok(&t, &fs, &pvb_engine_grub1, "/boot/grub/menu.lst",
                "title A\n root (hd0,0)\n kernel /vmlinuz ro  quiet\n initrd /initrd.img\n"
                "title B\n root (hd0,1)\n kernel /vmlinuz b\ntitle X\n kernel /xen.gz\n module /vmlinuz\n");
    text = pvb_cfg_entry_text(m, 0);
    assert_string_equal(text, "root (hd0,0)\nkernel /vmlinuz ro  quiet\ninitrd /initrd.img\n");
    assert_int_equal(pvb_cfg_entry_edit(m, 0, NULL, text), 0);
    entry_is(&m->entries[0], "hd0,msdos1", "/vmlinuz", "ro  quiet", "hd0,msdos1:/initrd.img;", "(hd0,0)");
    pvb_free(&t.c, text);
    text = pvb_cfg_entry_text(m, 1);
    assert_string_equal(text, "root (hd0,1)\nkernel /vmlinuz b\n");
    pvb_free(&t.c, text);
    assert_int_equal(pvb_cfg_entry_edit(m, 1, NULL, "root (hd0,1)\nkernel (hd0,0)/k x y \ninitrd /i\n"), 0);
    entry_is(&m->entries[1], "hd0,msdos1", "/k", "x y", "hd0,msdos2:/i;", "(hd0,1)");
    text = pvb_cfg_entry_text(m, 2);
    assert_string_equal(text, "# kernel /xen.gz is a hypervisor (multiboot with modules); a PV guest "
                              "boots Linux directly\n");
    pvb_free(&t.c, text);
    assert_int_equal(pvb_cfg_entry_edit(m, 2, NULL, "kernel /boot/xen-4.17.gz\n"), 0);
    assert_non_null(m->entries[2].unbootable);
    /* A new entry (pygrub's command line), with an unknown command warned about. */
    assert_int_equal(pvb_cfg_entry_edit(m, 3, "entered", "insmod gzio\n\n# c\nkernel /v a\n"), 0);
    assert_int_equal(m->count, 4);
    assert_string_equal(m->entries[3].title, "entered");
    entry_is(&m->entries[3], "hd0,msdos1", "/v", "a", "", NULL);
    assert_true(test_warned(&t, "menu editor:1: command 'insmod' does nothing here: ignored"));
    assert_int_equal(pvb_cfg_entry_edit(m, 5, NULL, ""), PVB_EINVAL);
    pvb_menu_free(m);
    /* GRUB 2: set root with or without quotes, devices in GRUB 2's numbering, files not
     * on root named with their device, several initrds, a kernel line dropping them. */
    m = eval_ok(&t, &fs, &pvb_engine_grub2, "/boot/grub/grub.cfg",
                "menuentry A { set root='hd0,msdos2'; linux /v 'a b' c; initrd /i1 (hd0,msdos1)/i2; }\n"
                "menuentry B { linux (hd0,gpt3)/v; }\n");
    text = pvb_cfg_entry_text(m, 0);
    assert_string_equal(text, "set root='hd0,msdos2'\nlinux /v \"a b\" c\n"
                              "initrd /i1 (hd0,msdos1)/i2\n");
    assert_int_equal(pvb_cfg_entry_edit(m, 0, NULL, text), 0);
    entry_is(&m->entries[0], "hd0,msdos2", "/v", "\"a b\" c", "hd0,msdos2:/i1;hd0,msdos1:/i2;", "hd0,msdos2");
    pvb_free(&t.c, text);
    text = pvb_cfg_entry_text(m, 1);
    assert_string_equal(text, "linux (hd0,gpt3)/v\n");
    pvb_free(&t.c, text);
    assert_int_equal(pvb_cfg_entry_edit(m, 1, NULL, "set root=\"(hd0,2)\"\ninitrd /gone\nlinux16 /v\n"
                                                    "initrd16 /i\n"), 0);
    entry_is(&m->entries[1], "hd0,2", "/v", "", "hd0,2:/i;", "(hd0,2)");
    pvb_menu_free(m);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grub1),
        cmocka_unit_test(test_grub1_devices),
        cmocka_unit_test(test_extlinux),
        cmocka_unit_test(test_extlinux_other_ui),
        cmocka_unit_test(test_lilo),
        cmocka_unit_test(test_grubenv),
        cmocka_unit_test(test_vercmp),
        cmocka_unit_test(test_bls),
        cmocka_unit_test(test_blscfg),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_editor),
    };
    return cmocka_run_group_tests_name("cfg engines", tests, NULL, NULL);
}
