/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for pvconform's process runner and judge, on real child processes (sh scripts). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "conform/files.h"
#include "conform/impl.h"
#include "conform/judge.h"
#include "conform/proc.h"
#include "conform/run.h"
#include "util/mem.h"

static void limits(struct cf_limits *l, double timeout)
{
    memset(l, 0, sizeof(*l));
    l->timeout = timeout;
    l->capture = 1000;
    l->flood = 1 << 20;
}

/* Run sh -c script with $1 = arg. */
static void sh(struct test_ctx *t, struct cf_proc *p, const char *script, const char *arg,
               char *const env[], const char *dir, const struct cf_limits *l)
{
    char *argv[] = { "/bin/sh", "-c", (char *)script, "sh", (char *)arg, NULL };

    assert_int_equal(cf_proc_run(&t->c, p, argv, env, dir, l), 0);
    assert_true(p->finished);
}

static void test_proc_exit_and_capture(void **state)
{
    struct test_ctx t;
    struct cf_limits l;
    struct cf_proc p;
    char *env[] = { "PVB_TEST_VAR=a=b", NULL }, last[101];

    (void)state;
    test_ctx_init(&t);
    limits(&l, 10);
    sh(&t, &p, "echo out; echo \"err $PVB_TEST_VAR\" >&2; pwd; exit 3", NULL, env, "/", &l);
    assert_true(p.have_exit);
    assert_true(WIFEXITED(p.ex.wstatus));
    assert_int_equal(WEXITSTATUS(p.ex.wstatus), 3);
    assert_string_equal(p.out.buf, "out\n/\n");
    assert_string_equal(p.err.buf, "err a=b\n");
    assert_string_equal(p.err.tail, "err a=b\n");
    assert_false(p.timed_out);
    assert_true(p.ex.maxrss_kb > 0);
    cf_proc_free(&t.c, &p);

    /* 200000 bytes: the first 1000 kept, the total counted, the last 2048 in the tail. */
    sh(&t, &p, "i=0; while [ $i -lt 2000 ]; do printf '%099d\\n' $i; i=$((i + 1)); done", NULL, NULL, NULL, &l);
    assert_int_equal(p.out.len, 1000);
    assert_int_equal(p.out.total, 200000);
    assert_int_equal(strlen(p.out.buf), 1000);
    assert_int_equal(p.out.tlen, CF_TAIL);
    snprintf(last, sizeof(last), "%099d\n", 1999);
    assert_memory_equal(p.out.tail + CF_TAIL - 100, last, 100);
    cf_proc_free(&t.c, &p);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_proc_limits(void **state)
{
    struct test_ctx t;
    struct cf_limits l;
    struct cf_proc p;
    double t0;

    (void)state;
    test_ctx_init(&t);
    /* The limits as the program sees them (ulimit -v in KiB, -f in 512-byte blocks). */
    limits(&l, 10);
    l.mem_mb = 300;
    l.fsize_mb = 8;
    sh(&t, &p, "ulimit -v; ulimit -f; ulimit -c; ulimit -t", NULL, NULL, NULL, &l);
    assert_string_equal(p.out.buf, "307200\n16384\n0\n11\n");
    cf_proc_free(&t.c, &p);

    /* A wall-clock timeout kills the whole group at once. */
    limits(&l, 0.3);
    t0 = cf_now();
    sh(&t, &p, "sleep 30 & sleep 30", NULL, NULL, NULL, &l);
    assert_true(p.timed_out);
    assert_false(p.have_exit);
    assert_true(cf_now() - t0 < 5);
    cf_proc_free(&t.c, &p);

    /* Output past the flood limit: killed. */
    limits(&l, 20);
    sh(&t, &p, "while :; do echo yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; done", NULL, NULL, NULL, &l);
    assert_true(p.flooded);
    assert_true(p.out.total > l.flood);
    cf_proc_free(&t.c, &p);

    /* A program that cannot be started. */
    {
        char *argv[] = { "/nonexistent/pygrub", NULL };
        limits(&l, 5);
        assert_int_equal(cf_proc_run(&t.c, &p, argv, NULL, NULL, &l), 0);
        assert_true(p.have_exit);
        assert_int_equal(p.ex.setup_errno, ENOENT);
        cf_proc_free(&t.c, &p);
    }
    assert_int_equal(t.c.mem_used, 0);
}

/* A run of script in a fresh output directory, as the scheduler makes it. */
struct run {
    struct test_ctx t;
    char root[64], outdir[96], outfile[96];
    struct cf_limits lim;
    struct cf_proc p;
    struct cf_result r;
};

static void run_case(struct run *x, const char *script, const struct cf_case *k)
{
    struct cf_outcome o;

    strcpy(x->root, "/tmp/pvb-judge.XXXXXX");
    assert_non_null(mkdtemp(x->root));
    snprintf(x->outdir, sizeof(x->outdir), "%s/out", x->root);
    snprintf(x->outfile, sizeof(x->outfile), "%s/output", x->root);
    assert_int_equal(mkdir(x->outdir, 0700), 0);
    assert_int_equal(cf_create_empty(&x->t.c, x->outfile), 0);
    if (!x->lim.capture)
        limits(&x->lim, 10);
    /* $1 = the output directory; the script writes the record to $1/../output. */
    sh(&x->t, &x->p, script, x->outdir, NULL, x->root, &x->lim);
    memset(&x->r, 0, sizeof(x->r));
    memset(&o, 0, sizeof(o));
    o.p = &x->p;
    o.outfile = x->outfile;
    o.outdir = x->outdir;
    o.lim = &x->lim;
    assert_int_equal(cf_judge(&x->t.c, k, &o, &x->r), 0);
}

static void end_case(struct run *x)
{
    cf_proc_free(&x->t.c, &x->p);
    assert_int_equal(cf_remove_tree(&x->t.c, x->root), 0);
    pvb_free(&x->t.c, x->r.detail);
    pvb_free(&x->t.c, x->r.stderr_tail);
    x->r.detail = x->r.stderr_tail = NULL;
}

static void bootable(struct cf_case *k, const char *ramdisk_sha, const char *args)
{
    memset(k, 0, sizeof(*k));
    k->name = "grp/a";
    strcpy(k->ramdisk_sha, ramdisk_sha);
    k->args = (char *)args;
}

/* Writes kernel "kernel-A" and a record made of the printf arguments after it. */
#define KERNEL "printf kernel-A > \"$1/k\"; "

static void check(struct run *x, const struct cf_case *k, const char *script, enum cf_class want,
                  const char *detail)
{
    run_case(x, script, k);
    if (x->r.cls != want || (detail && (!x->r.detail || !strstr(x->r.detail, detail))))
        fail_msg("%s: got %s \"%s\", want %s \"%s\"", script, cf_class_name(x->r.cls),
                 x->r.detail ? x->r.detail : "", cf_class_name(want), detail ? detail : "");
    end_case(x);
}

/* SHA-256 of text through a file, as the judge reads kernels. */
static int hash_of(struct run *x, const char *text, char hex[65])
{
    char path[] = "/tmp/pvb-hash.XXXXXX";
    unsigned long long n;
    int fd = mkstemp(path), rc;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    rc = cf_hash_file(&x->t.c, path, hex, &n);
    unlink(path);
    assert_int_equal(n, strlen(text));
    return rc;
}

static void test_judge_records(void **state)
{
    struct run *x = calloc(1, sizeof(*x));
    struct cf_case k;

    (void)state;
    assert_non_null(x);
    test_ctx_init(&x->t);
    /* The hasher against FIPS 180-4's "abc" vector; then the kernel's expected
     * hash is what it says for the bytes the scripts write. */
    assert_int_equal(hash_of(x, "abc", k.kernel_sha), 0);
    assert_string_equal(k.kernel_sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    bootable(&k, "", "ro quiet");
    assert_int_equal(hash_of(x, "kernel-A", k.kernel_sha), 0);
    check(x, &k, KERNEL "printf 'kernel %s\\0args ro quiet\\0\\0' \"$1/k\" > \"$1/../output\"", CF_PASS, NULL);
    /* Empty items are skipped and the terminator is optional, as in libxl. */
    check(x, &k, KERNEL "printf '\\0kernel %s\\0\\0\\0args ro quiet' \"$1/k\" > \"$1/../output\"", CF_PASS, NULL);
    check(x, &k, KERNEL "printf 'kernel %s\\0kernel %s\\0' \"$1/k\" \"$1/k\" > \"$1/../output\"", CF_BAD_OUTPUT,
          "kernel given twice");
    check(x, &k, KERNEL "printf 'kernel %s\\0args %09000d\\0' \"$1/k\" 0 > \"$1/../output\"", CF_BAD_OUTPUT,
          "longer than libxl's 8191-byte buffer");
    check(x, &k, KERNEL "printf 'args ro quiet\\0' > \"$1/../output\"", CF_BAD_OUTPUT, "no kernel item");
    check(x, &k, KERNEL "printf 'kernel \\0' > \"$1/../output\"", CF_BAD_OUTPUT, "kernel path is empty");
    check(x, &k, KERNEL "printf 'kernel %s\\0' \"$1/nothere\" > \"$1/../output\"", CF_BAD_OUTPUT, "No such file");
    check(x, &k, "mkfifo \"$1/k\"; printf 'kernel %s\\0' \"$1/k\" > \"$1/../output\"", CF_BAD_OUTPUT,
          "not a regular file");
    check(x, &k, "mkdir \"$1/k\"; printf 'kernel %s\\0' \"$1/k\" > \"$1/../output\"", CF_BAD_OUTPUT,
          "not a regular file");
    /* A symlink out of the output directory is outside it. */
    check(x, &k, "printf kernel-A > k; ln -s ../k \"$1/k\"; printf 'kernel %s\\0' \"$1/k\" > \"$1/../output\"",
          CF_BAD_OUTPUT, "outside the output directory");
    check(x, &k, KERNEL "printf 'kernel %s\\0args ro quiet\\0' \"$1/k\" > \"$1/../output\"; rm \"$1/../output\"", CF_BAD_OUTPUT,
          "no usable output");
    check(x, &k, KERNEL "printf 'kernel %s\\0ramdisk %s\\0args ro quiet\\0' \"$1/k\" \"$1/k\" > \"$1/../output\"",
          CF_WRONG_RAMDISK, "a ramdisk of 8 bytes (want none)");
    check(x, &k, KERNEL "printf 'kernel %s\\0' \"$1/k\" > \"$1/../output\"", CF_WRONG_ARGS, "args '' (want 'ro quiet')");
    check(x, &k, KERNEL "printf 'kernel %s\\0args ro  quiet\\0' \"$1/k\" > \"$1/../output\"", CF_WRONG_ARGS,
          "args 'ro  quiet' (want 'ro quiet')");
    check(x, &k, "printf kernel-B > \"$1/k\"; printf 'kernel %s\\0args ro quiet\\0' \"$1/k\" > \"$1/../output\"",
          CF_WRONG_KERNEL, "kernel of 8 bytes, sha256 ");
    /* A wanted ramdisk that is missing; the kernel checked first. */
    strcpy(k.ramdisk_sha, k.kernel_sha);
    check(x, &k, KERNEL "printf 'kernel %s\\0args ro quiet\\0' \"$1/k\" > \"$1/../output\"", CF_WRONG_RAMDISK,
          "no ramdisk (want sha256 ");
    check(x, &k, KERNEL "printf 'kernel %s\\0ramdisk %s\\0args ro quiet\\0' \"$1/k\" \"$1/k\" > \"$1/../output\"",
          CF_PASS, NULL);
    assert_int_equal(x->t.c.mem_used, 0);
    free(x);
}

static void test_judge_endings(void **state)
{
    struct run *x = calloc(1, sizeof(*x));
    struct cf_case k, h;

    (void)state;
    assert_non_null(x);
    test_ctx_init(&x->t);
    bootable(&k, "", "");
    memset(&h, 0, sizeof(h));
    h.name = "hostile/a";
    h.error = "corrupt";
    check(x, &k, "echo 'Traceback' >&2; echo 'RuntimeError: boom' >&2; exit 1", CF_NO_BOOT,
          "exit 1: RuntimeError: boom");
    assert_int_equal(x->r.exit_code, 1);
    check(x, &k, "exit 0", CF_BAD_OUTPUT, "exit 0 with empty output");
    check(x, &k, "kill -SEGV $$", CF_CRASH, "killed by SIGSEGV (11)");
    check(x, &k, "kill -XFSZ $$", CF_OVER_MEMORY, "SIGXFSZ: a file reached the");
    check(x, &k, "kill -XCPU $$", CF_TIMEOUT, "SIGXCPU");
    check(x, &k, "echo 'MemoryError' >&2; exit 1", CF_OVER_MEMORY, "out of memory");
    check(x, &k, "echo 'Segmentation fault: Cannot allocate memory' >&2; kill -SEGV $$", CF_OVER_MEMORY,
          "SIGSEGV with a peak of");
    x->lim.capture = 1000;
    x->lim.timeout = 10;
    x->lim.fsize_mb = 1;
    check(x, &k, "head -c 2000000 /dev/zero > \"$1/big\"; exit 1", CF_OVER_MEMORY,
          "exit 1: a file reached the 1 MiB file-size limit");
    x->lim.fsize_mb = 0;
    x->lim.timeout = 0.2;
    check(x, &k, "sleep 20", CF_TIMEOUT, "still running after 0.2 s");
    x->lim.timeout = 10;
    /* Hostile: only a clean failure is good. */
    check(x, &h, "echo 'refused' >&2; exit 2", CF_CLEAN_FAIL, "exit 2: refused");
    assert_int_equal(x->r.cause, CF_NO_BOOT);
    check(x, &h, "kill -SEGV $$", CF_UNSAFE, "SIGSEGV");
    assert_int_equal(x->r.cause, CF_CRASH);
    check(x, &h, "exit 0", CF_UNSAFE, "exit 0 where the bootloader fails (corrupt)");
    assert_int_equal(x->r.cause, CF_BOOTED);
    assert_int_equal(x->t.c.mem_used, 0);
    free(x);
}

/* A finished run as the reaper reports one that failed before its program
 * ran: at stage, in step what. */
static void setup_failed(struct cf_proc *p, int err, int stage, const char *what)
{
    memset(p, 0, sizeof(*p));
    p->out.fd = p->err.fd = p->fd_status = p->cg_fd = -1;
    p->out.buf = p->err.buf = "";
    p->finished = p->have_exit = 1;
    p->ex.wstatus = 127 << 8;
    p->ex.setup_errno = err;
    p->ex.setup_stage = stage;
    strcpy(p->ex.setup_what, what);
}

static enum cf_class judged(struct test_ctx *t, const struct cf_case *k, const struct cf_proc *p,
                            struct cf_result *r)
{
    struct cf_limits l;
    struct cf_outcome o;

    limits(&l, 10);
    memset(&o, 0, sizeof(o));
    memset(r, 0, sizeof(*r));
    o.p = p;
    o.outfile = "/nonexistent/output";
    o.outdir = "/nonexistent/out";
    o.lim = &l;
    assert_int_equal(cf_judge(&t->c, k, &o, r), 0);
    assert_true(r->done);
    return r->cls;
}

/* What fails before the program runs is the runner's, except that exec
 * finds no program to run; never the program's failure, never a pass. */
static void test_judge_setup_failures(void **state)
{
    struct test_ctx t;
    struct cf_case k, h;
    struct cf_proc p;
    struct cf_result r;

    (void)state;
    test_ctx_init(&t);
    bootable(&k, "", "");
    memset(&h, 0, sizeof(h));
    h.name = "hostile/a";
    h.error = "corrupt";
    setup_failed(&p, ENOENT, CF_SETUP_RUNNER, "chdir to its directory");
    assert_int_equal(judged(&t, &k, &p, &r), CF_RUNNER_ERROR);
    assert_string_equal(r.detail, "runner: before the program ran: chdir to its directory: No such file or directory");
    pvb_free(&t.c, r.detail);
    /* On a hostile case too: not a clean failure, not unsafe. */
    assert_int_equal(judged(&t, &h, &p, &r), CF_RUNNER_ERROR);
    assert_int_equal(r.cause, CF_RUNNER_ERROR);
    pvb_free(&t.c, r.detail);
    setup_failed(&p, EAGAIN, CF_SETUP_EXEC, "exec");  /* RLIMIT_NPROC at execve, or the machine */
    assert_int_equal(judged(&t, &k, &p, &r), CF_RUNNER_ERROR);
    pvb_free(&t.c, r.detail);
    setup_failed(&p, ENOENT, CF_SETUP_EXEC, "exec");
    assert_int_equal(judged(&t, &k, &p, &r), CF_SKIPPED);
    assert_string_equal(r.detail, "cannot execute: No such file or directory");
    pvb_free(&t.c, r.detail);
    assert_int_equal(t.c.mem_used, 0);
}

/* Every allocation of a judgement failing in turn: the result is a pass
 * only when none failed, else a runner error; never a class that blames
 * the program. And a FIFO where --output was is the program's doing, read
 * without hanging. */
static void test_judge_runner_faults(void **state)
{
    struct run *x = calloc(1, sizeof(*x));
    static const struct {
        const char *script;
        enum cf_class cls;
    } v[] = {
        { KERNEL "printf 'kernel %s\\0ramdisk %s\\0args ro\\0' \"$1/k\" \"$1/k\" > \"$1/../output\"", CF_PASS },
        { KERNEL "printf 'kernel %s\\0ramdisk %s\\0args no\\0' \"$1/k\" \"$1/k\" > \"$1/../output\"", CF_WRONG_ARGS },
        { KERNEL "printf 'kernel %s\\0kernel %s\\0' \"$1/k\" \"$1/k\" > \"$1/../output\"", CF_BAD_OUTPUT },
        { "echo 'RuntimeError: boom' >&2; exit 1", CF_NO_BOOT },
    };
    struct cf_outcome o;
    struct cf_case k;
    unsigned long n;
    size_t i;

    (void)state;
    assert_non_null(x);
    test_ctx_init(&x->t);
    bootable(&k, "", "ro");
    assert_int_equal(hash_of(x, "kernel-A", k.kernel_sha), 0);
    strcpy(k.ramdisk_sha, k.kernel_sha);
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        run_case(x, v[i].script, &k);
        assert_int_equal(x->r.cls, v[i].cls);
        memset(&o, 0, sizeof(o));
        o.p = &x->p;
        o.outfile = x->outfile;
        o.outdir = x->outdir;
        o.lim = &x->lim;
        for (n = 1;; n++) {
            pvb_free(&x->t.c, x->r.detail);
            pvb_free(&x->t.c, x->r.stderr_tail);
            memset(&x->r, 0, sizeof(x->r));
            x->t.c.nalloc = 0;
            x->t.c.fail_alloc = n;
            assert_int_equal(cf_judge(&x->t.c, &k, &o, &x->r), 0);
            x->t.c.fail_alloc = 0;
            if (x->t.c.nalloc < n)
                break;  /* no allocation failed: the judgement as it is */
            if (x->r.cls != CF_RUNNER_ERROR && !(x->r.cls == v[i].cls && x->r.detail) &&
                !(x->r.cls == CF_PASS && v[i].cls == CF_PASS))
                fail_msg("%s: allocation %lu failing: %s", v[i].script, n, cf_class_name(x->r.cls));
        }
        assert_int_equal(x->r.cls, v[i].cls);
        assert_true(n > 2);  /* it did allocate, and each was made to fail */
        end_case(x);
    }
    check(x, &k, KERNEL "printf 'kernel %s\\0' \"$1/k\" > \"$1/../output\"; rm \"$1/../output\"; mkfifo \"$1/../output\"",
          CF_BAD_OUTPUT, "exit 0 and no usable output: --output is not a regular file");
    assert_int_equal(x->t.c.mem_used, 0);
    free(x);
}

/* The scheduler with every allocation failing in turn, over two cases an
 * impl boots right: the whole run stops with an error, or each result is a
 * pass or a runner error; nothing is put on the impl, and nothing leaks. */
static void test_run_all_oom(void **state)
{
    static const char script[] =
        "#!/bin/sh\nfor a; do case $a in --output=*) o=${a#--output=};; --output-directory=*) d=${a#--output-directory=};; esac; done\n"
        "printf kernel-A > \"$d/k\"; printf 'kernel %s\\0args ro\\0' \"$d/k\" > \"$o\"\n";
    struct test_ctx t;
    char root[] = "/tmp/pvb-runall.XXXXXX", path[96], *spec;
    struct cf_case k[2];
    struct cf_impl im;
    struct cf_run run;
    struct cf_sched_opts o;
    struct run hx;
    unsigned long n;
    size_t i, mem0;
    int rc, interrupted, stopped = 0, runner_errors = 0, passes;
    FILE *f;

    (void)state;
    test_ctx_init(&t);
    assert_non_null(mkdtemp(root));
    snprintf(path, sizeof(path), "%s/good", root);
    assert_non_null(f = fopen(path, "w"));
    fputs(script, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/image", root);
    assert_non_null(f = fopen(path, "w"));
    assert_int_equal(fclose(f), 0);
    memset(k, 0, sizeof(k));
    test_ctx_init(&hx.t);
    for (i = 0; i < 2; i++) {
        k[i].name = i ? "grp/b" : "grp/a";
        k[i].group = "grp";
        k[i].image = path;
        k[i].format = "raw";
        k[i].args = "ro";
        assert_int_equal(hash_of(&hx, "kernel-A", k[i].kernel_sha), 0);
    }
    spec = cf_printf(&t.c, "good=%s/good", root);
    assert_int_equal(cf_impl_adhoc(&t.c, spec, &im), 0);
    pvb_free(&t.c, spec);
    assert_int_equal(cf_impl_locate(&t.c, &im), 0);
    assert_null(im.missing);
    memset(&o, 0, sizeof(o));
    o.jobs = 2;
    o.cases = 1;
    o.tmpdir = root;
    o.cache = root;
    o.capture = 1000;
    o.flood = 1 << 20;
    sigprocmask(SIG_SETMASK, NULL, &o.waitmask);
    mem0 = t.c.mem_used;
    for (n = 1;; n++) {
        memset(&run, 0, sizeof(run));
        run.c = &t.c;
        run.cases = k;
        run.ncases = 2;
        run.impls = &im;
        run.nimpls = 1;
        t.c.nalloc = 0;
        t.c.fail_alloc = n;
        rc = cf_run_all(&run, &o, &interrupted);
        t.c.fail_alloc = 0;
        assert_false(interrupted);
        passes = 0;
        for (i = 0; run.results && i < run.nresults; i++) {
            const struct cf_result *r = &run.results[i];
            if (rc == 0 && r->cls != CF_PASS && r->cls != CF_RUNNER_ERROR)
                fail_msg("allocation %lu failing: %s %s", n, k[i].name, cf_class_name(r->cls));
            runner_errors += r->cls == CF_RUNNER_ERROR;
            passes += r->cls == CF_PASS;
            pvb_free(&t.c, run.results[i].detail);
            pvb_free(&t.c, run.results[i].stderr_tail);
        }
        stopped += rc != 0;
        pvb_free(&t.c, run.results);
        pvb_free(&t.c, run.boots);
        assert_int_equal(t.c.mem_used, mem0);
        if (t.c.nalloc < n)
            break;  /* nothing failed: the run as it is */
    }
    assert_int_equal(rc, 0);
    assert_int_equal(passes, 2);
    print_message("# %lu allocations; %d runs stopped, %d runner errors\n", n - 1, stopped, runner_errors);
    assert_true(runner_errors > 0 && stopped > 0);
    cf_impl_free(&t.c, &im);
    assert_int_equal(cf_remove_tree(&t.c, root), 0);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_verdicts(void **state)
{
    static const char text[] = "name: x\ncommand: x\ndiverge: grp/* no-boot,crash old parser\n"
                               "diverge: grp/b* wrong-args spacing\ndiverge: */h* unsafe boots it\n";
    static const struct {
        const char *name;
        int hostile;
        enum cf_class cls;
        enum cf_verdict want;
        int listed;   /* 1 + the index of the divergence named, 0: none */
    } v[] = {
        { "grp/a", 0, CF_NO_BOOT, CF_KNOWN, 1 },
        { "grp/a", 0, CF_CRASH, CF_KNOWN, 1 },
        { "grp/a", 0, CF_WRONG_ARGS, CF_FAIL, 0 },   /* a failure the list does not name */
        { "grp/a", 0, CF_PASS, CF_FIXED, 1 },        /* listed, but passes now */
        { "grp/a", 0, CF_SKIPPED, CF_SKIP, 0 },
        { "grp/a", 0, CF_RUNNER_ERROR, CF_ERROR, 0 },  /* listed or not: not the impl's */
        { "other/a", 0, CF_CRASH, CF_FAIL, 0 },
        { "grp/b", 0, CF_WRONG_ARGS, CF_KNOWN, 2 },  /* the second glob names it */
        { "grp/b", 0, CF_CRASH, CF_KNOWN, 1 },
        { "grp/b", 0, CF_WRONG_KERNEL, CF_FAIL, 0 },
        { "grp/b", 0, CF_PASS, CF_FIXED, 1 },
        /* A hostile case can only be unsafe: a no-boot listing cannot be stale there. */
        { "grp/a", 1, CF_CLEAN_FAIL, CF_OK, 0 },
        { "grp/h", 1, CF_CLEAN_FAIL, CF_FIXED, 3 },
        { "grp/h", 1, CF_UNSAFE, CF_KNOWN, 3 },
        { "other/a", 1, CF_CLEAN_FAIL, CF_OK, 0 },
    };
    struct test_ctx t;
    struct cf_impl im;
    struct cf_case k;
    struct cf_result r;
    size_t i;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(cf_impl_parse(&t.c, "f", text, strlen(text), &im), 0);
    memset(&k, 0, sizeof(k));
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        memset(&r, 0, sizeof(r));
        k.name = (char *)v[i].name;
        k.error = v[i].hostile ? "corrupt" : NULL;
        r.cls = v[i].cls;
        cf_judge_verdict(&im, &k, &r);
        assert_int_equal(r.verdict, v[i].want);
        assert_true(v[i].listed ? r.div == &im.div[v[i].listed - 1] : r.div == NULL);
    }
    cf_impl_free(&t.c, &im);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_files(void **state)
{
    struct test_ctx t;
    char root[] = "/tmp/pvb-files.XXXXXX", p[128];
    struct stat st;

    (void)state;
    test_ctx_init(&t);
    assert_non_null(mkdtemp(root));
    snprintf(p, sizeof(p), "%s/a/b/c", root);
    assert_int_equal(cf_mkdir_p(&t.c, p, 0755), 0);
    assert_int_equal(cf_mkdir_p(&t.c, p, 0755), 0);
    /* What a program may leave: an unreadable directory, a symlink to elsewhere. */
    snprintf(p, sizeof(p), "%s/a/b/c/f", root);
    assert_int_equal(cf_create_empty(&t.c, p), 0);
    assert_int_equal(cf_create_empty(&t.c, p), PVB_EIO);
    snprintf(p, sizeof(p), "%s/a/link", root);
    assert_int_equal(symlink("/etc", p), 0);
    snprintf(p, sizeof(p), "%s/a/b", root);
    assert_int_equal(chmod(p, 0), 0);
    snprintf(p, sizeof(p), "%s/a", root);
    assert_int_equal(cf_clear_dir(&t.c, p), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(rmdir(p), 0);  /* empty */
    assert_int_equal(stat("/etc/passwd", &st), 0);
    /* A file where a directory should be is replaced by one. */
    assert_int_equal(cf_create_empty(&t.c, p), 0);
    assert_int_equal(cf_clear_dir(&t.c, p), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(cf_remove_tree(&t.c, root), 0);
    assert_int_equal(cf_remove_tree(&t.c, root), 0);  /* gone: nothing to do */
    assert_int_equal(stat(root, &st), -1);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proc_exit_and_capture),
        cmocka_unit_test(test_proc_limits),
        cmocka_unit_test(test_judge_records),
        cmocka_unit_test(test_judge_endings),
        cmocka_unit_test(test_judge_setup_failures),
        cmocka_unit_test(test_judge_runner_faults),
        cmocka_unit_test(test_run_all_oom),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_files),
    };
    signal(SIGPIPE, SIG_IGN);  /* as pvconform does */
    return cmocka_run_group_tests_name("conform_run", tests, NULL, NULL);
}
