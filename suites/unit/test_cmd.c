/* SPDX-License-Identifier: GPL-2.0-only */
/* The pvboot command's modes called in-process (pvb_cmd_run), on images built here: output, files, errors. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootdisk.h"
#include "cli/cli.h"
#include "testlib.h"

#define F(p, d) { p, sizeof(p) - 1, d, sizeof(d) - 1 }

/* GRUB 2 with grubenv naming the second entry, BLS under it for --inspect. */
static const struct bootdisk_file grub2_files[] = {
    F("/boot/grub/grub.cfg", "load_env\nset default=\"${saved_entry}\"\n"
                             "menuentry 'A' { linux /boot/vmlinuz-1 a; initrd /boot/initrd-1.img; }\n"
                             "menuentry 'B' { linux /boot/vmlinuz-2 b c; }\n"),
    F("/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=B\n"),
};
static const struct bootdisk_file bls_files[] = {
    F("/boot/grub2/grub.cfg", "blscfg\n"),
    F("/boot/loader/entries/x.conf", "title X\nlinux /boot/vmlinuz-1\noptions o\n"),
};

struct fx {
    char dir[64];           /* everything of the test lives here */
    char image[128], out[128], outdir[128];
    char *stdout_text, *stderr_text;
    int status;
};

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return b;
}

static void fx_init(struct fx *x, const struct bootdisk_file *files, unsigned n)
{
    struct bootdisk d;

    memset(x, 0, sizeof(*x));
    snprintf(x->dir, sizeof(x->dir), "/tmp/pvb-cmd.XXXXXX");
    assert_non_null(mkdtemp(x->dir));
    snprintf(x->image, sizeof(x->image), "%s/disk.raw", x->dir);
    snprintf(x->out, sizeof(x->out), "%s/record", x->dir);
    snprintf(x->outdir, sizeof(x->outdir), "%s/out", x->dir);
    assert_int_equal(mkdir(x->outdir, 0700), 0);
    write_file(x->out, "", 0);   /* pygrub's --output must exist */
    if (n) {
        bootdisk_build(BD_MSDOS2, 0, files, n, &d);
        assert_int_equal(d.placed, n);
        write_file(x->image, d.img, d.size);
        free(d.img);
    }
}

/* The optional libraries' test seam (util/dl.h) for the next run(): NULL, their own names. */
static const char *run_dl_name;

/* Run pvboot's command layer with these arguments, stdout and stderr captured. */
static void run(struct fx *x, const char *const *args)
{
    char *argv[32], po[160], pe[160];
    struct pvb_cli_opts o;
    struct pvb_ctx c;
    int argc = 0, so, se, fo, fe;

    argv[argc++] = (char *)"pvboot";
    while (*args && argc < 31)
        argv[argc++] = (char *)*args++;
    argv[argc] = NULL;
    snprintf(po, sizeof(po), "%s/stdout", x->dir);
    snprintf(pe, sizeof(pe), "%s/stderr", x->dir);
    free(x->stdout_text);
    free(x->stderr_text);
    fflush(stdout);
    fflush(stderr);
    so = dup(1);
    se = dup(2);
    fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(so >= 0 && se >= 0 && fo >= 0 && fe >= 0);
    dup2(fo, 1);
    dup2(fe, 2);
    x->status = pvb_cli_parse(argc, argv, &o);
    if (x->status == PVB_OPTS_CONTINUE) {
        pvb_cmd_ctx_init(&o, &c);
        c.dl_name = run_dl_name;
        x->status = pvb_cmd_run(&o, &c);
    }
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    close(fo);
    close(fe);
    if (x->status != PVB_OPTS_CONTINUE && !(x->status == 0 || x->status == 1 || x->status == 2))
        fail_msg("exit status %d", x->status);
    x->stdout_text = read_file(po, NULL);
    x->stderr_text = read_file(pe, NULL);
}

/* run() with the arguments as a NULL-terminated list. */
static void runv(struct fx *x, ...)
{
    const char *a[32];
    unsigned n = 0;
    va_list ap;

    va_start(ap, x);
    while (n < 31 && (a[n] = va_arg(ap, const char *)) != NULL)
        n++;
    va_end(ap);
    a[n] = NULL;
    run(x, a);
}

/* runv, and the exit status must be want. */
#define RUN(x, want, ...) \
    do { runv((x), __VA_ARGS__, (char *)NULL); assert_int_equal((x)->status, (want)); } while (0)

/* Files left in the output directory. */
static int leftovers(const struct fx *x)
{
    char cmd[256];
    FILE *p;
    int n = 0, ch;

    snprintf(cmd, sizeof(cmd), "ls -A '%s'", x->outdir);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((ch = fgetc(p)) != EOF)
        n += ch == '\n';
    pclose(p);
    return n;
}

static void fx_free(struct fx *x)
{
    char cmd[128];

    free(x->stdout_text);
    free(x->stderr_text);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
    assert_int_equal(system(cmd), 0);
}

#define HAS(s, needle) \
    do { if (!strstr((s), (needle))) fail_msg("\"%s\" lacks \"%s\"", (s), (needle)); } while (0)

/* The boot command: the record names two files whose bytes are the entry's. */
static void test_boot(void **state)
{
    char od[160], rec[400], *k, *r, *args;
    size_t kl, rl;
    struct fx x;

    (void)state;
    fx_init(&x, grub2_files, 2);
    snprintf(od, sizeof(od), "--output-directory=%s", x.outdir);
    snprintf(rec, sizeof(rec), "--output=%s", x.out);
    RUN(&x, 0, "-q", "--output-format=simple", od, rec, x.image);
    assert_string_equal(x.stderr_text, "");
    k = read_file(x.out, NULL);
    assert_non_null(k);
    /* simple: "kernel PATH\nargs ARGS\n\n"; saved_entry=B has no initrd */
    args = strstr(k, "\nargs ");
    assert_non_null(args);
    assert_string_equal(args, "\nargs b c\n\n");
    *args = '\0';
    assert_true(strncmp(k, "kernel ", 7) == 0);
    r = read_file(k + 7, &kl);
    assert_non_null(r);
    assert_int_equal(kl, 5000);   /* bootdisk's vmlinuz-2 */
    free(r);
    free(k);
    assert_int_equal(leftovers(&x), 1);   /* the kernel; the empty ramdisk file is gone */
    /* -n: nothing copied, pygrub's sxp line */
    RUN(&x, 0, "-q", "-n", od, x.image);
    HAS(x.stdout_text, "(args 'b c')");
    /* -l: every entry */
    RUN(&x, 0, "-l", od, x.image);
    HAS(x.stdout_text, "title: A\n");
    HAS(x.stdout_text, "  kernel: /boot/vmlinuz-2\n");
    (void)rl;
    fx_free(&x);
}

/* -l's "root:" is pygrub's GrubDiskPart of the entry's own root line (GrubConf.py). */
static void test_list_root(void **state)
{
    static const struct bootdisk_file grub1[] = {
        F("/boot/grub/menu.lst", "title zero\nroot (hd0,0)\nkernel /boot/vmlinuz-1 a\ninitrd /boot/initrd-1.img\n"
                                 "title disk\nrootnoverify (hd0)\nkernel /boot/vmlinuz-1\n"
                                 "title none\nkernel /boot/vmlinuz-1\n"
                                 "title lvm\nroot (lvm/vg-boot)\nkernel /boot/vmlinuz-1\n"),
    };
    static const struct bootdisk_file grub2[] = {
        F("/boot/grub/grub.cfg", "menuentry 'q' { set root='hd0,msdos1'; linux /boot/vmlinuz-1; }\n"
                                 "menuentry 'p' { set root=(hd1,gpt2); linux /boot/vmlinuz-1; }\n"
                                 "menuentry 's' { search --set=root --label pvbtest; linux /boot/vmlinuz-1; }\n"
                                 "menuentry 'x' { set root=/dev/xvdb; linux /boot/vmlinuz-1; }\n"),
    };
    static const struct bootdisk_file ext[] = {
        F("/boot/extlinux/extlinux.conf", "LABEL one\n  KERNEL /boot/vmlinuz-1\n  APPEND ro\n"),
    };
    char od[160];
    struct fx x;

    (void)state;
    fx_init(&x, grub1, 1);
    snprintf(od, sizeof(od), "--output-directory=%s", x.outdir);
    RUN(&x, 0, "-l", od, x.image);
    HAS(x.stdout_text, "title: zero\n  root: d0p0\n  kernel: /boot/vmlinuz-1\n  args: a\n");
    HAS(x.stdout_text, "title: disk\n  root: d0\n");
    HAS(x.stdout_text, "title: none\n  root: None\n");
    HAS(x.stdout_text, "title: lvm\n  root: (lvm/vg-boot)\n");   /* pygrub's parse stops there */
    fx_free(&x);
    fx_init(&x, grub2, 1);
    snprintf(od, sizeof(od), "--output-directory=%s", x.outdir);
    RUN(&x, 0, "-l", od, x.image);
    HAS(x.stdout_text, "title: q\n  root: d0p1\n");
    HAS(x.stdout_text, "title: p\n  root: d1p2\n");
    HAS(x.stdout_text, "title: s\n  root: None\n");            /* only `set root=` counts */
    HAS(x.stdout_text, "title: x\n  root: d1\n");
    fx_free(&x);
    fx_init(&x, ext, 1);
    snprintf(od, sizeof(od), "--output-directory=%s", x.outdir);
    RUN(&x, 0, "-l", od, x.image);
    HAS(x.stdout_text, "title: one\n  root: \n");                /* ExtLinuxImage: "" */
    fx_free(&x);
}

/* The interactive menu (pygrub's default) on a host without ncurses: a warning naming
 * the library and its package, and the default boots, as without a terminal. */
static void test_menu_without_ncurses(void **state)
{
    char od[160], rec[400], *r;
    struct fx x;

    (void)state;
    fx_init(&x, grub2_files, 2);
    snprintf(od, sizeof(od), "--output-directory=%s", x.outdir);
    snprintf(rec, sizeof(rec), "--output=%s", x.out);
    run_dl_name = "libpvboot-test-missing.so.6";
    RUN(&x, 0, "--output-format=simple", od, rec, x.image);
    run_dl_name = NULL;
    HAS(x.stderr_text, "pvboot: warning: the interactive menu needs libncursesw.so.6 or "
                       "libncurses.so.6 (Debian: libncursesw6 or libncurses6), which cannot be loaded");
    HAS(x.stderr_text, "; booting the default entry\n");
    r = read_file(x.out, NULL);
    assert_non_null(r);
    HAS(r, "\nargs b c\n\n");
    free(r);
    fx_free(&x);
}

/* The boot command's failures: one line on stderr, exit 1, nothing left behind. */
static void test_boot_errors(void **state)
{
    static const struct bootdisk_file none[] = { F("/etc/hostname", "guest\n") };
    char od[160], rec[400];
    struct fx x;

    (void)state;
    fx_init(&x, none, 1);
    snprintf(od, sizeof(od), "--output-directory=%s", x.outdir);
    snprintf(rec, sizeof(rec), "--output=%s", x.out);
    RUN(&x, 1, "-q", "--output-format=simple0", od, rec, x.image);
    HAS(x.stderr_text, "pvboot: boot: unable to find partition containing kernel");
    assert_int_equal(strchr(x.stderr_text, '\n') - x.stderr_text + 1, (long)strlen(x.stderr_text));
    assert_int_equal(leftovers(&x), 0);
    /* no image at all */
    {
        char missing[160];
        snprintf(missing, sizeof(missing), "%s/nope.raw", x.dir);
        runv(&x, "-q", od, rec, missing, (char *)NULL);
    }
    assert_int_equal(x.status, 1);
    HAS(x.stderr_text, "nope.raw");
    assert_int_equal(leftovers(&x), 0);
    /* --output that does not exist (pygrub opens it without O_CREAT) */
    RUN(&x, 1, "-q", od, "--output=/nonexistent/record", x.image);
    assert_int_equal(leftovers(&x), 0);
    fx_free(&x);
}

/* --isconfig: a dom0 file, evaluated by the engine its name belongs to. */
static void test_isconfig(void **state)
{
    char cfg[160], entry[] = "--entry=1";
    struct fx x;

    (void)state;
    fx_init(&x, NULL, 0);
    snprintf(cfg, sizeof(cfg), "%s/menu.lst", x.dir);
    write_file(cfg, "default 0\ntitle a\nkernel /a x\ntitle b\nkernel /b y\ninitrd /ib\n", 60);
    RUN(&x, 0, "--isconfig", entry, cfg);
    assert_string_equal(x.stdout_text, "  kernel: /b\n  initrd: /ib\n  args: y\n");
    RUN(&x, 1, "--isconfig", "/nonexistent/grub.cfg");
    HAS(x.stderr_text, "pvboot: isconfig: /nonexistent/grub.cfg");
    fx_free(&x);
}

/* --ls and --cat read any file of the guest; a missing one is one error line. */
static void test_files(void **state)
{
    struct fx x;

    (void)state;
    fx_init(&x, grub2_files, 2);
    RUN(&x, 0, "--ls=/boot", x.image);
    HAS(x.stdout_text, "vmlinuz-2\n");
    HAS(x.stdout_text, "grub/\n");
    RUN(&x, 0, "--cat=/boot/grub/grubenv", x.image);
    assert_string_equal(x.stdout_text, "# GRUB Environment Block\nsaved_entry=B\n");
    RUN(&x, 1, "--cat=/boot/nope", "--partition=2", x.image);
    HAS(x.stderr_text, "pvboot: xfs:");
    fx_free(&x);
}

/* --inspect --json: the facts behind the report (filesystem version, BLS origin, fallback). */
static void test_inspect_json(void **state)
{
    struct fx x;

    (void)state;
    fx_init(&x, bls_files, 2);
    RUN(&x, 0, "--inspect", "--json", x.image);
    HAS(x.stdout_text, "\"bls\":true");
    HAS(x.stdout_text, "\"version_major\":5");   /* the XFS volume beside */
    HAS(x.stdout_text, "\"fallback_from\":-1");
    HAS(x.stdout_text, "pygrub does not run blscfg");
    fx_free(&x);
    /* an image that holds nothing: the report, and exit 1 */
    fx_init(&x, NULL, 0);
    write_file(x.image, "", 0);
    RUN(&x, 1, "--inspect", x.image);   /* the report says why, on stdout */
    HAS(x.stdout_text, "error:      boot: unable to find partition containing kernel");
    HAS(x.stdout_text, "no known filesystem");
    fx_free(&x);
}

/* Bad options exit as pygrub's do, and the context follows the options. */
static void test_options(void **state)
{
    struct pvb_cli_opts o;
    struct pvb_ctx c;
    char *argv[] = { (char *)"pvboot", (char *)"--strict", (char *)"--debug", (char *)"x", NULL };
    struct fx x;

    (void)state;
    assert_int_equal(pvb_cli_parse(4, argv, &o), PVB_OPTS_CONTINUE);
    setenv("PVBOOT_MAX_SECONDS", "7", 1);
    pvb_cmd_ctx_init(&o, &c);
    unsetenv("PVBOOT_MAX_SECONDS");
    assert_true(c.flags & PVB_CTX_STRICT);
    assert_non_null(c.warn);
    assert_int_equal(c.lim.max_seconds, 7);
    fx_init(&x, NULL, 0);
    RUN(&x, 1, "--runas=1", "img");
    HAS(x.stderr_text, "In order to use --runas, you must also set --entry or -q");
    fx_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot),
        cmocka_unit_test(test_boot_errors),
        cmocka_unit_test(test_list_root),
        cmocka_unit_test(test_menu_without_ncurses),
        cmocka_unit_test(test_isconfig),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_inspect_json),
        cmocka_unit_test(test_options),
    };

    return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
