/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the GRUB 2 engine: grammar, expansion, commands, menus, defaults and limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "cfgmem.h"
#include "testlib.h"
#include "util/mem.h"

struct run {
    struct test_ctx t;
    struct cfgmem fs;
    struct pvb_menu *m;
    int rc;
};

static void run_init(struct run *r)
{
    test_ctx_init(&r->t);
    cfgmem_init(&r->fs);
    r->m = NULL;
}

static int run(struct run *r, const char *text)
{
    pvb_menu_free(r->m);
    r->m = NULL;
    r->rc = cfgmem_eval(&r->t.c, &r->fs, &pvb_engine_grub2, "/boot/grub/grub.cfg", text, &r->m);
    return r->rc;
}

static void run_done(struct run *r)
{
    pvb_menu_free(r->m);
    assert_int_equal(r->t.c.mem_used, 0);
}

static const struct pvb_cfg_entry *chosen(struct run *r)
{
    assert_int_equal(r->rc, 0);
    assert_non_null(r->m);
    assert_true(r->m->chosen >= 0);
    return &r->m->entries[r->m->chosen];
}

/* Evaluate text and check the chosen entry's title, kernel and args. */
static void expect_boot(const char *text, const char *title, const char *kernel, const char *args)
{
    struct run r;
    const struct pvb_cfg_entry *e;

    run_init(&r);
    run(&r, text);
    if (r.rc)
        fail_msg("rc %d (%s) for:\n%s", r.rc, r.t.c.msg, text);
    e = chosen(&r);
    assert_string_equal(e->title, title);
    assert_string_equal(e->kernel.path, kernel);
    assert_string_equal(e->args, args);
    run_done(&r);
}

static void expect_error(const char *text, int err, const char *needle)
{
    struct run r;

    run_init(&r);
    cfgmem_add(&r.fs, "/boot/grub/grub.cfg", text);   /* for configs that include themselves */
    assert_int_equal(run(&r, text), err);
    if (needle)
        assert_msg_has(&r.t.c, needle);
    run_done(&r);
}

/* grub-script-check's verdict; the cases come from runs of grub-script-check 2.06. */
static void test_check(void **state)
{
    static const struct { const char *s; int ok; } v[] = {
        { "echo if\n", 1 }, { "echo {\n", 0 }, { "echo a|b\n", 0 }, { "echo a && b\n", 0 },
        { "x=1 echo\n", 1 }, { "menuentry a { echo }\n", 1 }, { "menuentry a {}\n", 0 },
        { "menuentry a\n{ echo; }\n", 0 }, { "function f { echo }\necho\n", 0 },
        { "function f\n{ echo; }\necho\n", 1 }, { "if true; then fi\n", 0 },
        { "for x in; do echo; done\n", 1 }, { "for x; do echo; done\n", 0 }, { "echo ${x\n", 0 },
        { "echo \"abc\n", 0 }, { "echo \\\n", 0 }, { "echo $$\n", 0 }, { "echo $\"x\"\n", 1 },
        { "!true\n", 1 }, { "submenu a { menuentry b { echo } }\n", 1 }, { "#x\n", 0 }, { "\n", 0 },
        { "echo x; ; echo\n", 0 }, { "time\n", 1 }, { "select\n", 0 }, { "echo [[a\n", 1 },
        { "[[ x ]]\n", 0 }, { "echo a$\n", 0 }, { "function f-g { echo; }\necho\n", 0 },
        { "menuentry a { echo; } echo\n", 0 }, { "if true; then menuentry a { echo; }; fi\n", 1 },
        { "menuentry a { function f { echo; }; }\n", 0 }, { "while true; do break; done\n", 1 },
        { "until false\ndo\necho\ndone\n", 1 }, { "if a; then b; elif c; then d; else e; fi\n", 1 },
        { "echo \"a$\"\n", 0 }, { "echo ${a-b}\n", 0 }, { "echo $@x${12}$#\n", 1 },
    };
    struct test_ctx t;
    unsigned i, line;
    char msg[200];
    int rc;

    (void)state;
    test_ctx_init(&t);
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        rc = pvb_cfg_grub2_check(&t.c, v[i].s, strlen(v[i].s), &line, msg, sizeof(msg));
        if ((rc == 0) != v[i].ok)
            fail_msg("%u: \"%s\": check says %d", i, v[i].s, rc);
    }
    rc = pvb_cfg_grub2_check(&t.c, "echo a\nfi\n", 10, &line, msg, sizeof(msg));
    assert_int_equal(rc, PVB_ESYNTAX);
    assert_int_equal(line, 2);
    assert_int_equal(t.c.mem_used, 0);
}

/* The examples of grub-semantics.md, section by section. */
static void test_semantics_defaults(void **state)
{
    static const char menu[] =
        "menuentry e0 { linux /0; }\nmenuentry e1 { linux /1; }\nmenuentry e2 { linux /2; }\n"
        "menuentry e3 { linux /3; }\nmenuentry e4 { linux /4; }\nmenuentry e5 { linux /5; }\n"
        "menuentry e6 { linux /6; }\nmenuentry e7 { linux /7; }\nmenuentry e8 { linux /8; }\n";
    static const struct { const char *d; const char *t; const char *k; } v[] = {
        { "010", "e8", "/8" }, { "0x3", "e3", "/3" }, { "3junk", "e3", "/3" }, { " 4", "e4", "/4" },
        { "2 Beta", "e2", "/2" }, { "e5", "e5", "/5" }, { "nope", "e0", "/0" }, { "42", "e0", "/0" },
    };
    char text[1024];
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        snprintf(text, sizeof(text), "%sset default=\"%s\"\n", menu, v[i].d);
        expect_boot(text, v[i].t, v[i].k, "");
    }
}

static void test_semantics_submenus(void **state)
{
    static const char sub[] =
        "menuentry top { linux /top; }\n"
        "submenu sub --id sid { menuentry s1 { linux /s1; }; menuentry s2 --id s2id { linux /s2 c=$chosen; }; }\n"
        "submenu 'Sub>menu' { menuentry S1 { linux /S1; }; menuentry S2 { linux /S2; }; }\n";
    char text[1024];

    (void)state;
    snprintf(text, sizeof(text), "%sset default='1>1'\n", sub);
    expect_boot(text, "s2", "/s2", "c=sid>s2id");
    snprintf(text, sizeof(text), "%sset default='sub>s2'\n", sub);
    expect_boot(text, "s2", "/s2", "c=sid>s2id");
    snprintf(text, sizeof(text), "%sset default='Sub>>menu>S2'\n", sub);
    expect_boot(text, "S2", "/S2", "");
    snprintf(text, sizeof(text), "%sset default='sid>s2id'\n", sub);
    expect_boot(text, "s2", "/s2", "c=sid>s2id");
    snprintf(text, sizeof(text), "%sset default='sub>99'\n", sub);
    expect_boot(text, "s1", "/s1", "");
    snprintf(text, sizeof(text), "%sset default='1'\n", sub);
    expect_boot(text, "s1", "/s1", "");
}

static void test_semantics_fedora(void **state)
{
    struct run r;
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    static const char text[] = "menuentry a { linux /a; }\nmenuentry b { linux /b; }\n"
                               "menuentry c { linux /c; }\nmenuentry d { linux /d; }\nset default=3junk\n";

    (void)state;
    run_init(&r);
    pvb_cfg_opts_init(&o);
    o.path = "/boot/grub/grub.cfg";
    o.semantics = PVB_CFG_SEM_FEDORA;
    cfgmem_env(&r.fs, &env);
    assert_int_equal(pvb_cfg_eval(&r.t.c, &o, &env, text, strlen(text), &r.m), 0);
    assert_int_equal(r.m->chosen, 0);   /* not wholly numeric */
    assert_int_equal(r.m->semantics, PVB_CFG_SEM_FEDORA);
    pvb_menu_free(r.m);
    o.semantics = PVB_CFG_SEM_UPSTREAM;
    assert_int_equal(pvb_cfg_eval(&r.t.c, &o, &env, text, strlen(text), &r.m), 0);
    assert_int_equal(r.m->chosen, 3);
    run_done(&r);
}

static void test_semantics_quoting(void **state)
{
    (void)state;
    expect_boot("menuentry q {\n linux /k a#b #c; }\n}\n", "q", "/k", "a#b");
    expect_boot("menuentry q { linux /k \"x\"y'z'; }\n", "q", "/k", "xyz");
    expect_boot("menuentry q { linux /k $e \"\" \"$e\" a; }\n", "q", "/k", "  a");
    expect_boot("v='a  b'\nmenuentry q { linux /k $v; }\n", "q", "/k", "a b");
    expect_boot("menuentry q { linux /k 'x y' 'c=\"d\"'; }\n", "q", "/k", "\"x y\" c=\\\"d\\\"");
    expect_boot("menuentry q { linux /k \"\\$ \\\\ \\\" \\q\"; }\n", "q", "/k", "\"$ \\\\ \\\" \\\\q\"");
    expect_boot("menuentry q { linux /k \\c; }\n", "q", "/k", "c");
    expect_boot("menuentry 'q' x 'y z' { linux /k $1 $2 $3 $#; }\n", "q", "/k", "q x y z 3");
    expect_boot("menuentry 'q' x 'y z' { linux /k \"$@\" \"$*\"; }\n", "q", "/k",
                "q x \"y z\" \"q x y z\"");
}

static void test_menuentry_options(void **state)
{
    struct run r;

    (void)state;
    run_init(&r);
    assert_int_equal(run(&r, "menuentry --class a T --class b --id=tid --users root --hotkey=x { linux /k; }\n"
                             "menuentry U --unrestricted --source 'linux /u'\nset default=tid\n"), 0);
    assert_int_equal(r.m->count, 2);
    assert_string_equal(r.m->entries[0].classes, "a b");
    assert_string_equal(r.m->entries[0].id, "tid");
    assert_string_equal(r.m->entries[1].id, "U");
    assert_int_equal(r.m->chosen, 0);
    assert_int_equal(pvb_cfg_load(r.m, 1), 0);
    assert_string_equal(r.m->entries[1].kernel.path, "/u");
    /* Without the header, $menuentry_id_option is empty: the id is an extra word. */
    assert_int_equal(run(&r, "menuentry T $menuentry_id_option tid { linux /k $2; }\nset default=tid\n"), 0);
    assert_string_equal(r.m->entries[0].id, "T");
    assert_string_equal(chosen(&r)->args, "tid");
    /* Errors: no title, no body, an option without value. */
    assert_int_equal(run(&r, "menuentry { linux /k; }\nmenuentry\nmenuentry T\nmenuentry T --id\n"
                             "menuentry ok { linux /ok; }\n"), 0);
    assert_int_equal(r.m->count, 1);
    assert_true(test_warned(&r.t, "missing title"));
    /* grub_arg_parse: the value is the next word only when it does not start with '-';
     * the last --id wins; --help stops the command. */
    assert_int_equal(run(&r, "menuentry A --users --id a { linux /a; }\nmenuentry B --id=b1 --id=b2 { linux /b; }\n"
                             "menuentry C --help { linux /c; }\n"), 0);
    assert_int_equal(r.m->count, 1);
    assert_string_equal(r.m->entries[0].id, "b2");
    assert_true(test_warned(&r.t, "missing mandatory option for `users'"));
    assert_true(test_warned(&r.t, "--help prints its help"));
    run_done(&r);
}

static void test_commands(void **state)
{
    (void)state;
    /* set/unset/export and assignments */
    expect_boot("set a=1\nb=2 ignored\nunset a\nset c\nmenuentry m { linux /k a=$a b=$b; }\n", "m", "/k", "a= b=2");
    expect_boot("1x=bad\nmenuentry m { linux /k v=$1x; }\n", "m", "/k", "v=mx");
    /* test operators */
    expect_boot("if [ 1 -eq 1 -a ( a != b -o x ) ]; then k=/y; else k=/n; fi\nmenuentry m { linux $k; }\n",
                "m", "/y", "");
    expect_boot("if [ 2 -ne 2 ] || true; then k=/y; fi\nmenuentry m { linux /k; }\n", "m", "/k", "");
    expect_boot("if [ -n \"\" -o -z x -o 3 -le 2 -o 3 -ge 4 -o 1 -lt 0 -o b \"<=\" a -o a \">=\" b -o a \">\" b -o a == b ]; then k=/y; else k=/n; fi\n"
                "menuentry m { linux $k; }\n", "m", "/n", "");
    expect_boot("if [ a -nt b ]; then k=/y; else k=/n; fi\nmenuentry m { linux $k; }\n", "m", "/n", "");
    expect_boot("if ! [ a = a ]; then k=/y; else k=/n; fi\nmenuentry m { linux $k; }\n", "m", "/n", "");
    expect_boot("if ! nosuch; then k=/y; else k=/n; fi\nmenuentry m { linux $k; }\n", "m", "/y", "");
    /* loops, break, continue, return, shift, setparams */
    expect_boot("for i in a b c; do if [ $i = b ]; then continue; fi; l=\"$l$i\"; done\n"
                "menuentry m { linux /k $l; }\n", "m", "/k", "ac");
    expect_boot("function f { setparams x y; shift; return 0; l=$1; }\nf a b\nmenuentry m { linux /k $l; }\n",
                "m", "/k", "");
    expect_boot("function f { setparams x y; shift; l=$1; }\nf a b\nmenuentry m { linux /k $l; }\n",
                "m", "/k", "y");
    expect_boot("until false; do break 5; done\nwhile true; do break; done\nmenuentry m { linux /k; }\n",
                "m", "/k", "");
    expect_boot("break\ncontinue\nreturn\nshift\nsetparams a\nbreak x\nbreak 0\nmenuentry m { linux /k; }\n",
                "m", "/k", "");
    /* m returns before loading anything: GRUB falls back to n; $? is still what return set. */
    expect_boot("menuentry m { return 3; linux /no; }\nmenuentry n { linux /k $?; }\nset fallback=1\n", "n",
                "/k", "3");
    {
        struct run r;
        run_init(&r);
        run(&r, "menuentry m { linux /k; }\nmenuentry n { return 3; }\nset fallback=0\nset default=1\n");
        assert_int_equal(chosen(&r) - r.m->entries, 0);
        assert_int_equal(r.m->fallback_from, 1);   /* the fact, whatever the words of why */
        run_done(&r);
    }
    /* loaders */
    expect_boot("menuentry m { initrd /early; linux16 /k; initrd16 /i; boot; linux /later; }\n", "m", "/k", "");
    expect_boot("linux /top\ninitrd /top\nmenuentry m { linuxefi (hd0,msdos1)/k x; initrdefi /i1 /i2; }\n",
                "m", "/k", "x");
    /* no-ops and approximations */
    expect_boot("insmod gzio\nterminal_output console\nload_video\ngfxmode keep\nif keystatus; then k=/n; else k=/y; fi\n"
                "probe -u x\nregexp a b\nmenuentry m { linux $k; }\n", "m", "/y", "");
}

static void test_body_lazy(void **state)
{
    struct run r;
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    static const char text[] =
        "menuentry a { set shared=a; linux /a $shared; }\n"
        "menuentry b { linux /b $shared; }\n"
        "submenu s { menuentry c { linux /c; }; }\n"
        "menuentry x { multiboot /xen.gz; module /vmlinuz; }\n"
        "menuentry w { chainloader +1; }\n";

    (void)state;
    run_init(&r);
    pvb_cfg_opts_init(&o);
    o.path = "/boot/grub/grub.cfg";
    o.flags = PVB_CFG_LOAD_ALL;
    cfgmem_env(&r.fs, &env);
    assert_int_equal(pvb_cfg_eval(&r.t.c, &o, &env, text, strlen(text), &r.m), 0);
    assert_int_equal(r.m->count, 5);
    assert_string_equal(r.m->entries[0].args, "a");
    assert_string_equal(r.m->entries[1].args, "");   /* entries do not see each other's variables */
    assert_string_equal(r.m->entries[2].submenu, "s");
    assert_int_equal(r.m->entries[2].depth, 1);
    assert_non_null(r.m->entries[3].unbootable);
    assert_non_null(r.m->entries[4].unbootable);
    assert_null(r.m->entries[3].kernel.path);
    assert_int_equal(pvb_cfg_load(r.m, 1), 0);
    assert_int_equal(pvb_cfg_load(r.m, 9), PVB_EINVAL);
    run_done(&r);
}

static void test_files(void **state)
{
    struct run r;

    (void)state;
    run_init(&r);
    cfgmem_add(&r.fs, "/boot/grub/grubenv",
               "# GRUB Environment Block\n# WARNING: Do not edit this file by tools other than grub-editenv!!!\n"
               "saved_entry=two\nkopt=a\\\\b\n");
    cfgmem_add(&r.fs, "/boot/grub/inc.cfg", "menuentry two { linux /two $kopt; }\n");
    cfgmem_add(&r.fs, "/boot/grub/cf.cfg", "menuentry inner { linux /inner; }\n");
    cfgmem_add(&r.fs, "/boot/grub/empty.cfg", "set z=1\n");
    assert_int_equal(run(&r, "if [ -s $prefix/grubenv ]; then load_env; fi\nset default=$saved_entry\n"
                             "menuentry one { linux /one; }\nsource /boot/grub/inc.cfg\n"), 0);
    assert_string_equal(chosen(&r)->kernel.path, "/two");
    assert_string_equal(chosen(&r)->args, "a\\\\b");
    assert_int_equal(run(&r, "load_env -f /boot/grub/grubenv kopt\nmenuentry one { linux /one $saved_entry $kopt; }\n"), 0);
    assert_string_equal(chosen(&r)->args, "a\\\\b");
    assert_int_equal(run(&r, "configfile /boot/grub/empty.cfg\nconfigfile /boot/grub/cf.cfg\nmenuentry outer { linux /o; }\n"), 0);
    assert_string_equal(chosen(&r)->title, "inner");
    assert_int_equal(run(&r, "source /nope\nload_env -f /nope\nload_env --bogus\nload_env -f /boot/grub/inc.cfg\n"
                             "configfile /nope\nsource\nmenuentry m { configfile /boot/grub/cf.cfg; linux /m; }\n"), 0);
    assert_string_equal(chosen(&r)->kernel.path, "/m");
    assert_true(test_warned(&r.t, "invalid environment block"));
    /* search in every form */
    assert_int_equal(run(&r, "search -u --set=x 11111111-2222-3333-4444-555555555555\nsearch --label --set=y pvboot\n"
                             "search -f --set=z /boot/grub/inc.cfg --hint hd0,msdos1 more hints\n"
                             "search.fs_label pvboot l\nsearch.file /boot/grub/inc.cfg f\nsearch.fs_uuid nope u\n"
                             "search --no-floppy nokind\nsearch --fs-uuid\nsearch --bogus x\nsearch.file\n"
                             "menuentry m { linux ($x)/k $x $y $z $l $f $u; }\n"), 0);
    assert_string_equal(chosen(&r)->args, "hd0,msdos1 hd0,msdos1 hd0,msdos1 hd0,msdos1 hd0,msdos1");
    assert_string_equal(chosen(&r)->kernel.dev, "");
    /* a kernel on another device keeps its name */
    assert_int_equal(run(&r, "set root=hd0,gpt2\nmenuentry m { linux /k; initrd (hd1)/i; }\n"), 0);
    assert_string_equal(chosen(&r)->kernel.dev, "hd0,gpt2");
    assert_string_equal(chosen(&r)->initrd[0].dev, "hd1");
    /* test -e/-f/-d/-s through the callbacks; a failing read */
    assert_int_equal(run(&r, "if [ -d /boot/grub -a -f /boot/grub/inc.cfg -a ! -d /nope -a -e /boot ]; then k=/y; fi\n"
                             "menuentry m { linux $k; }\n"), 0);
    assert_string_equal(chosen(&r)->kernel.path, "/y");
    /* A read the host fails ends the evaluation, whatever command asked (it is no missing
     * file); one the guest's filesystem cannot serve is a failed command, as in GRUB. */
    r.fs.fail_read = PVB_EIO;
    assert_int_equal(run(&r, "load_env\nsource /x\nmenuentry m { linux /k; }\n"), PVB_EIO);
    assert_int_equal(run(&r, "source /x\nmenuentry m { linux /k; }\n"), PVB_EIO);
    assert_int_equal(run(&r, "if [ -s /boot/grub/grubenv ]; then load_env; fi\nmenuentry m { linux /k; }\n"),
                     PVB_EIO);
    r.fs.fail_read = PVB_ENOMEM;
    assert_int_equal(run(&r, "if [ -f /boot/grub/inc.cfg ]; then x=1; fi\nmenuentry m { linux /k; }\n"),
                     PVB_ENOMEM);
    r.fs.fail_read = PVB_ECORRUPT;
    assert_int_equal(run(&r, "load_env\nsource /x\nif [ -e /boot ]; then k=/y; fi\nmenuentry m { linux /k$k; }\n"), 0);
    assert_string_equal(chosen(&r)->kernel.path, "/k");
    run_done(&r);
}

static void test_syntax_recovery(void **state)
{
    struct run r;

    (void)state;
    run_init(&r);
    assert_int_equal(run(&r, "menuentry a { linux /a; }\necho }\nmenuentry b { linux /b; }\nset default=1\n"), 0);
    assert_string_equal(chosen(&r)->title, "b");
    assert_true(test_warned(&r.t, "syntax error"));
    assert_int_equal(r.m->nwarnings >= 1, 1);
    assert_int_equal(r.m->warnings[0].line, 2);
    assert_int_equal(run(&r, "menuentry a {\n linux /a\n"), PVB_ESYNTAX);
    assert_int_equal(run(&r, "echo 'abc\n"), PVB_ESYNTAX);
    assert_int_equal(run(&r, ""), PVB_ENOBOOT);
    assert_int_equal(run(&r, "menuentry a { echo; }\n"), PVB_ENOBOOT);
    assert_non_null(r.m);   /* the menu is handed over for listing */
    assert_int_equal(run(&r, "menuentry x { multiboot /xen.gz; }\n"), PVB_ENOBOOT);
    assert_msg_has(&r.t.c, "cannot boot a PV guest");
    run_done(&r);
}

static void test_limits(void **state)
{
    struct run r;
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    char *big;
    size_t i;

    (void)state;
    expect_error("function f { f; }\nf\n", PVB_ELIMIT, "call limit");
    expect_error("while true; do x=1; done\n", PVB_ELIMIT, "step budget");
    expect_error("source $prefix/grub.cfg\n", PVB_ELIMIT, "include limit");
    expect_error("set a=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                 "set a=$a$a\nset a=$a$a\nset a=$a$a\nset a=$a$a\nset a=$a$a\nset a=$a$a\nset a=$a$a\n"
                 "set a=$a$a\nset a=$a$a\nset a=$a$a\nset a=$a$a\n", PVB_ELIMIT, "variable limit");
    expect_error("function s { submenu s { s; }; }\ns\n", PVB_ELIMIT, "depth limit");
    big = malloc(200000);
    assert_non_null(big);
    strcpy(big, "if true; then ");
    for (i = 0; i < 70; i++)
        strcat(big, "if true; then ");
    strcat(big, "echo");
    for (i = 0; i < 71; i++)
        strcat(big, "; fi");
    strcat(big, "\n");
    expect_error(big, PVB_ELIMIT, "depth limit");
    memset(big, 'x', 199998);
    big[199998] = '\n';
    big[199999] = '\0';
    expect_error(big, PVB_ELIMIT, "line limit");
    free(big);
    run_init(&r);
    pvb_cfg_opts_init(&o);
    cfgmem_env(&r.fs, &env);
    o.max_entries = 3;
    assert_int_equal(pvb_cfg_eval(&r.t.c, &o, &env, "for i in 1 2 3 4; do menuentry $i { linux /k; }; done\n",
                                  55, &r.m), PVB_ELIMIT);
    assert_msg_has(&r.t.c, "entry limit");
    r.t.c.lim.max_config = 10;
    assert_int_equal(pvb_cfg_eval(&r.t.c, &o, &env, "menuentry a { linux /k; }\n", 26, &r.m), PVB_ELIMIT);
    assert_msg_has(&r.t.c, "config limit");
    run_done(&r);
}

/* Every allocation can fail: sweep the memory limit over a config that uses most of the
 * engine; each run must fail cleanly (PVB_ELIMIT) or succeed, and free everything. */
static void test_allocation_failures(void **state)
{
    static const char text[] =
        "if [ -s $prefix/grubenv ]; then load_env; fi\nset default=\"${saved_entry}\"\n"
        "function f { menuentry \"f $1\" --class c --id \"id$1\" { linux /f $1 \"$2\"; initrd /i1 /i2; }; }\n"
        "f a; f b\nfor x in 1 2; do menuentry \"l$x\" { linux /l; }; done\n"
        "submenu 'S' { menuentry 's1' { linux /s1 $chosen; }; submenu 'T' { menuentry t { linux /t; }; }; }\n"
        "source /boot/grub/inc.cfg\nsearch --fs-uuid --set=r 11111111-2222-3333-4444-555555555555\n"
        "blscfg\nset fallback='0 1'\nif [ a = b -o ( x ) ]; then echo; fi\n"
        "menuentry w '{linux /w}' --class c --id { linux /x; }\nmenuentry v --users --id v { linux /v; }\n"
        "load_env saved_entry -f $prefix/grubenv\nsearch -nus r 11111111-2222-3333-4444-555555555555\n";
    struct cfgmem fs;
    struct test_ctx t;
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    struct pvb_menu *m;
    size_t lim;
    int rc, ok = 0;

    (void)state;
    cfgmem_init(&fs);
    cfgmem_add(&fs, "/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=S>T>t\n");
    cfgmem_add(&fs, "/boot/grub/inc.cfg", "menuentry inc { linux /inc; }\n");
    cfgmem_add(&fs, "/loader/entries/m-1.conf", "title B\nlinux /b\noptions $r x\ninitrd /bi\n");
    cfgmem_env(&fs, &env);
    pvb_cfg_opts_init(&o);
    o.path = "/boot/grub/grub.cfg";
    o.flags = PVB_CFG_LOAD_ALL;
    for (lim = 256; lim < 400000; lim += lim / 16 + 64) {
        test_ctx_init(&t);
        t.c.lim.max_mem = lim;
        m = NULL;
        rc = pvb_cfg_eval(&t.c, &o, &env, text, sizeof(text) - 1, &m);
        if (rc != 0 && rc != PVB_ELIMIT)
            fail_msg("limit %zu: rc %d (%s)", lim, rc, t.c.msg);
        if (rc == 0)
            ok++;
        pvb_menu_free(m);
        if (t.c.mem_used != 0)
            fail_msg("limit %zu: %zu bytes leaked", lim, t.c.mem_used);
    }
    assert_true(ok > 0);
}

static void test_helpers(void **state)
{
    struct test_ctx t;
    char *s, *args[] = { "a b", "c\\d", "e'f\"g", "" };

    (void)state;
    test_ctx_init(&t);
    s = pvb_cfg_cmdline(&t.c, args, 4);
    assert_string_equal(s, "\"a b\" c\\\\d e\\'f\\\"g ");
    pvb_free(&t.c, s);
    assert_true(pvb_cfg_dev_same("hd0,1", "(hd0,msdos1)"));
    assert_true(pvb_cfg_dev_same("hd0,gpt2", "hd0,2"));
    assert_false(pvb_cfg_dev_same("hd0,1", "hd1,1"));
    assert_false(pvb_cfg_dev_same("hd0", "hd0,1"));
    assert_string_equal(pvb_engine_lilo.name, "lilo");
    assert_ptr_equal(pvb_cfg_engine_find("extlinux"), &pvb_engine_extlinux);
    assert_null(pvb_cfg_engine_find("nope"));
    assert_ptr_equal(pvb_cfg_engine_for_file("/x/syslinux.cfg"), &pvb_engine_extlinux);
    assert_ptr_equal(pvb_cfg_engine_for_file("grub.conf"), &pvb_engine_grub1);
    assert_null(pvb_cfg_engine_for_file("/boot/grub"));
    assert_int_equal(t.c.mem_used, 0);
}

/* ---- SUSE's btrfs rules (doc/btrfs-boot.md) -------------------------------------------
 * cfgmem's volume is btrfs (cfgmem.h): default subvolume @/.snapshots/1/snapshot,
 * subvolume 7 @/.snapshots/7/snapshot; any other device holds no btrfs. */

/* Evaluate text under sem with the btrfs stand-in; entry k's kernel path and device. */
/* text evaluated as /boot/grub/grub.cfg with semantics sem on the btrfs volume of
 * cfgmem (default subvolume @/.snapshots/1/snapshot), which holds i386-pc directories
 * under @/boot/grub2, the snapshot and the top level, and a file /nodir. */
static void btrfs_eval(struct run *r, enum pvb_cfg_semantics sem, const char *text)
{
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;

    run_init(r);
    cfgmem_add(&r->fs, "/@/boot/grub2/i386-pc/command.lst", "x");
    cfgmem_add(&r->fs, "/@/.snapshots/1/snapshot/boot/grub2/i386-pc/", "");
    cfgmem_add(&r->fs, "/boot/grub2/i386-pc/", "");
    cfgmem_add(&r->fs, "/nodir", "a file");
    pvb_cfg_opts_init(&o);
    o.path = "/boot/grub/grub.cfg";
    o.semantics = sem;
    o.flags = PVB_CFG_LOAD_ALL;
    cfgmem_env(&r->fs, &env);
    r->rc = pvb_cfg_eval(&r->t.c, &o, &env, text, strlen(text), &r->m);
}

static void expect_btrfs(enum pvb_cfg_semantics sem, const char *text, unsigned k, const char *dev,
                         const char *kernel, enum pvb_cfg_semantics resolved)
{
    struct run r;

    btrfs_eval(&r, sem, text);
    if (r.rc)
        fail_msg("rc %d (%s) for:\n%s", r.rc, r.t.c.msg, text);
    assert_true(k < r.m->count);
    if (strcmp(r.m->entries[k].kernel.path, kernel) != 0 || strcmp(r.m->entries[k].kernel.dev, dev) != 0)
        fail_msg("entry %u: (%s)%s, not (%s)%s, for:\n%s", k, r.m->entries[k].kernel.dev,
                 r.m->entries[k].kernel.path, dev, kernel, text);
    if (r.m->semantics != resolved)
        fail_msg("semantics %s, not %s, for:\n%s", pvb_cfg_semantics_name(r.m->semantics),
                 pvb_cfg_semantics_name(resolved), text);
    run_done(&r);
}

static void test_btrfs_relative(void **state)
{
    const enum pvb_cfg_semantics S = PVB_CFG_SEM_SUSE, U = PVB_CFG_SEM_UPSTREAM, A = PVB_CFG_SEM_AUTO;

    (void)state;
    /* The first byte decides: '1' or 'y' (grub_btrfs_mount, find_path). */
    expect_btrfs(A, "set btrfs_relative_path=y\nmenuentry a { linux /vmlinuz; }\n", 0, "",
                 "/@/.snapshots/1/snapshot/vmlinuz", S);
    expect_btrfs(A, "btrfs_relative_path=1\nmenuentry a { linux /vmlinuz; }\n", 0, "",
                 "/@/.snapshots/1/snapshot/vmlinuz", S);
    expect_btrfs(S, "set btrfs_relative_path=yes\nmenuentry a { linux /boot/vmlinuz; }\n", 0, "",
                 "/@/.snapshots/1/snapshot/boot/vmlinuz", S);
    expect_btrfs(A, "set btrfs_relative_path=true\nmenuentry a { linux /vmlinuz; }\n", 0, "", "/vmlinuz", U);
    expect_btrfs(A, "set btrfs_relative_path=n\nmenuentry a { linux /vmlinuz; }\n", 0, "", "/vmlinuz", U);
    /* Exported by the module: set without export, an entry still sees it. */
    expect_btrfs(A, "set btrfs_relative_path=y\nmenuentry a { linux /k; }\n"
                 "menuentry b { set btrfs_relative_path=0; linux /k; }\n", 1, "", "/k", S);
    /* Upstream GRUB has no such variable. */
    expect_btrfs(U, "set btrfs_relative_path=y\nmenuentry a { linux /vmlinuz; }\n", 0, "", "/vmlinuz", U);
    /* btrfs_subvol (from the top, with or without its '/'), then btrfs_subvolid. */
    expect_btrfs(A, "set btrfs_relative_path=y\nset btrfs_subvol=@/x\nmenuentry a { linux /k; }\n", 0, "",
                 "/@/x/k", S);
    expect_btrfs(A, "set btrfs_relative_path=y\nmenuentry a { btrfs_subvol=/@/.snapshots/2/snapshot\n"
                 "linux /k; }\n", 0, "", "/@/.snapshots/2/snapshot/k", S);
    expect_btrfs(A, "set btrfs_relative_path=y\nset btrfs_subvolid=7\nmenuentry a { linux /k; }\n", 0, "",
                 "/@/.snapshots/7/snapshot/k", S);
    /* No such subvolume: GRUB cannot mount the volume; pvboot warns and keeps the path. */
    expect_btrfs(A, "set btrfs_relative_path=y\nset btrfs_subvolid=700\nmenuentry a { linux /k; }\n", 0, "",
                 "/k", S);
    expect_btrfs(A, "set btrfs_subvol=@/x\nmenuentry a { linux /k; }\n", 0, "", "/k", U);
    /* A device without btrfs keeps its paths (the config is still SUSE's: it set the variable). */
    expect_btrfs(A, "set btrfs_relative_path=y\nmenuentry a { linux (hd0,msdos2)/k; }\n", 0, "hd0,msdos2",
                 "/k", S);
    expect_btrfs(A, "set btrfs_relative_path=y\nmenuentry a { linux (hd0,msdos1)/k; }\n", 0, "",
                 "/@/.snapshots/1/snapshot/k", S);
}

/* btrfs-mount-subvol WORDS fails with warning msg: its status takes the else branch
 * (SUSE's grub_cmd_btrfs_mount_subvol returns grub_error), and nothing is mounted. */
static void expect_mount_fails(const char *words, const char *msg)
{
    char text[1024];
    struct run r;

    snprintf(text, sizeof(text), "if btrfs-mount-subvol %s; then menuentry yes { linux /y; }\n"
             "else menuentry no { linux /boot/grub2/i386-pc/k; }\nfi\n", words);
    btrfs_eval(&r, PVB_CFG_SEM_AUTO, text);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.m->count, 1);
    assert_string_equal(r.m->entries[0].title, "no");
    assert_string_equal(r.m->entries[0].kernel.path, "/boot/grub2/i386-pc/k");
    assert_int_equal(r.m->semantics, PVB_CFG_SEM_UPSTREAM);
    if (!test_warned(&r.t, msg))
        fail_msg("no warning '%s' for:\n%s", msg, text);
    run_done(&r);
}

static void test_btrfs_mount_subvol(void **state)
{
    const enum pvb_cfg_semantics S = PVB_CFG_SEM_SUSE, U = PVB_CFG_SEM_UPSTREAM, A = PVB_CFG_SEM_AUTO;
    struct run r;

    (void)state;
    /* A path under the mount point resolves in the subvolume, before btrfs_relative_path. */
    expect_btrfs(A, "set btrfs_relative_path=y\n"
                 "btrfs-mount-subvol ($root) /boot/grub2/i386-pc @/boot/grub2/i386-pc\n"
                 "if [ -f /boot/grub2/i386-pc/command.lst ]; then menuentry m { linux /k; }; fi\n"
                 "menuentry a { linux /boot/grub2/i386-pc/k; }\n"
                 "menuentry b { linux /boot/grub2/i386-pcX/k; }\n", 0, "", "/@/.snapshots/1/snapshot/k", S);
    /* find_mtab_subvol_tree compares a plain prefix: i386-pcX is under i386-pc. */
    expect_btrfs(A, "btrfs-mount-subvol ($root) /boot/grub2/i386-pc @/boot/grub2/i386-pc\n"
                 "menuentry a { linux /boot/grub2/i386-pc/k; }\n"
                 "menuentry b { linux /boot/grub2/i386-pcX/k; }\n", 1, "", "/@/boot/grub2/i386-pc/X/k", S);
    expect_btrfs(A, "btrfs-mount-subvol ($root) /boot/grub2/i386-pc @/boot/grub2/i386-pc\n"
                 "menuentry a { linux /boot/grub2/i386-pc; }\n", 0, "", "/@/boot/grub2/i386-pc/", S);
    /* Not a directory, not a subvolume, too few arguments: the command fails, nothing mounted. */
    expect_mount_fails("($root) /nodir @/boot/grub2/i386-pc", "btrfs-mount-subvol: not a directory");
    expect_mount_fails("($root) /boot/grub2/i386-pc @/none", "btrfs-mount-subvol: not a subvolume");
    expect_mount_fails("($root) /boot/grub2/i386-pc", "required <dev> <dir> and <subvol>");
    expect_mount_fails("(hd0,msdos2) /boot/grub2/i386-pc @/boot/grub2/i386-pc",
                       "btrfs-mount-subvol: (hd0,msdos2): not a btrfs filesystem");
    {
        char words[400];

        memset(words, 'h', sizeof(words));
        words[0] = '(';
        memcpy(words + 300, ") /boot/grub2/i386-pc @/x", 26);
        expect_mount_fails(words, "btrfs-mount-subvol: device name too long");
    }
    /* Upstream GRUB has no such command. */
    run_init(&r);
    {
        struct pvb_cfg_opts o;
        struct pvb_cfg_env env;
        static const char text[] = "btrfs-mount-subvol ($root) /boot/grub2/i386-pc @/boot/grub2/i386-pc\n"
                                   "menuentry a { linux /boot/grub2/i386-pc/k; }\n";

        pvb_cfg_opts_init(&o);
        o.path = "/boot/grub/grub.cfg";
        o.semantics = U;
        cfgmem_env(&r.fs, &env);
            assert_int_equal(pvb_cfg_eval(&r.t.c, &o, &env, text, strlen(text), &r.m), 0);
        assert_true(test_warned(&r.t, "unknown command 'btrfs-mount-subvol'"));
        assert_string_equal(r.m->entries[0].kernel.path, "/boot/grub2/i386-pc/k");
    }
    run_done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_semantics_defaults),
        cmocka_unit_test(test_semantics_submenus),
        cmocka_unit_test(test_semantics_fedora),
        cmocka_unit_test(test_semantics_quoting),
        cmocka_unit_test(test_menuentry_options),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_body_lazy),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_syntax_recovery),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_btrfs_relative),
        cmocka_unit_test(test_btrfs_mount_subvol),
    };
    return cmocka_run_group_tests_name("cfg grub2", tests, NULL, NULL);
}
