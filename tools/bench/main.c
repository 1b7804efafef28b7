/* SPDX-License-Identifier: GPL-2.0-only */
/* pvbench: parse and read speed of pvboot and of any pygrub, side by side, against the physical floors.
 *
 * usage: pvbench [--corpus DIR]... [--filter GLOB]... [--exclude GLOB]... [CASE.expect|IMAGE]...
 *                [--impl NAME=COMMAND]... [--impl-file F]... [--impl-dir D]
 *                [--ref NAME] [--peer NAME] [--p4 NAME] [--runs N] [--warmup N] [--reps N]
 *                [--min-batch MS] [--config-kib N] [--no-whole] [--no-inproc] [--no-configs]
 *                [--instructions[=auto|perf|callgrind]] [--timeout S] [--json FILE]
 *                [--report FILE.md] [--quick] [--quiet] [--run-as-user NAME|UID]
 *                [--contain auto|session|LIST]
 *        pvbench --copy-floor IMAGE RANGES OUT           (the copy-floor process it runs)
 *        pvbench --help | --version
 * Cases are the .expect files under each --corpus (build/corpus when no case
 * is named) selected by --filter/--exclude as in pvconform, and those named;
 * a bare image is measured without an expectation. Implementations are
 * pvconform's impl files (tools/conform/impls). Every program runs contained
 * as pvconform runs it (--contain and --run-as-user as there; the JSON says
 * what was in effect). Exit status: 0 when it measured, 2 on a usage or
 * input error or when the JSON or report could not be written, 3 when
 * memory was not freed, 4 when the runner could not make or judge a run (a
 * runner-error, never timed), 130 when interrupted.
 */
#define _XOPEN_SOURCE 700  /* realpath() is XSI */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "conform/contain.h"
#include "conform/corpus.h"
#include "conform/expect.h"
#include "conform/impl.h"
#include "conform/implset.h"
#include "util/mem.h"
#include "util/version.h"

#define MAX_LIST CF_IMPLSET_MAX

struct cli {
    struct bn_opts o;
    const char *impl_dir;
    char *corpora[MAX_LIST], *named[MAX_LIST], *filters[MAX_LIST], *excludes[MAX_LIST];
    char *specs[MAX_LIST], *files[MAX_LIST];
    size_t ncorpora, nnamed, nfilters, nexcludes, nspecs, nfiles;
    double timeout;
    const char *run_as;
};

/* What parse_args says when the run goes on; anything else is an exit status. */
#define PARSED (-1)

/* The usage: on stdout for --help (exit 0), on stderr for a usage error (exit 2). */
static int usage(FILE *f, int status)
{
    fprintf(f,
            "usage: pvbench [--corpus DIR]... [--filter GLOB]... [--exclude GLOB]... [CASE.expect|IMAGE]...\n"
            "               [--impl NAME=COMMAND]... [--impl-file F]... [--impl-dir D]\n"
            "               [--ref NAME] [--peer NAME] [--p4 NAME] [--runs N] [--warmup N] [--reps N]\n"
            "               [--min-batch MS] [--config-kib N] [--no-whole] [--no-inproc] [--no-configs]\n"
            "               [--instructions[=auto|perf|callgrind]] [--timeout S] [--json FILE]\n"
            "               [--report FILE.md] [--quick] [--quiet] [--run-as-user NAME|UID]\n"
            "               [--contain auto|session|LIST]\n"
            "       pvbench --help | --version\n"
            "--impl-dir: impl files of the peers (default " CF_IMPL_DIR ")\n");
    return fflush(f) != 0 || ferror(f) ? 2 : status;
}

static int add_to(char **list, size_t *n, char *v)
{
    if (*n == MAX_LIST) {
        fprintf(stderr, "pvbench: more than %d of one option\n", MAX_LIST);
        return -1;
    }
    list[(*n)++] = v;
    return 0;
}

static int number(const char *v, double lo, double hi, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(v, &end);
    return end == v || *end || errno || !(*out >= lo) || *out > hi ? -1 : 0;
}

/* An option that takes a value; -1 on a usage error. */
static int set_opt(struct cli *l, const char *name, char *v)
{
    struct bn_opts *o = &l->o;
    double d;

    if (!strcmp(name, "corpus")) return add_to(l->corpora, &l->ncorpora, v);
    if (!strcmp(name, "filter")) return add_to(l->filters, &l->nfilters, v);
    if (!strcmp(name, "exclude")) return add_to(l->excludes, &l->nexcludes, v);
    if (!strcmp(name, "impl")) return add_to(l->specs, &l->nspecs, v);
    if (!strcmp(name, "impl-file")) return add_to(l->files, &l->nfiles, v);
    if (!strcmp(name, "impl-dir")) l->impl_dir = v;
    else if (!strcmp(name, "ref")) o->ref = v;
    else if (!strcmp(name, "peer")) o->peer = v;
    else if (!strcmp(name, "p4")) o->p4 = v;
    else if (!strcmp(name, "json")) o->json = v;
    else if (!strcmp(name, "run-as-user")) l->run_as = v;
    else if (!strcmp(name, "contain")) {
        if (!strcmp(v, "auto"))
            o->contain = CF_CONTAIN_AUTO;
        else if (!strcmp(v, "session"))
            o->contain = 0;
        else if (!strcmp(v, "cgroup") || !strcmp(v, "pidns") || !strcmp(v, "cgroup,pidns") ||
                 !strcmp(v, "pidns,cgroup"))
            o->contain = (strstr(v, "cgroup") ? CF_CONTAIN_CGROUP : 0) | (strstr(v, "pidns") ? CF_CONTAIN_PIDNS : 0);
        else
            return -1;
    }
    else if (!strcmp(name, "report")) o->report = v;
    else if (!strcmp(name, "instructions")) {
        if (strcmp(v, "auto") && strcmp(v, "perf") && strcmp(v, "callgrind"))
            return -1;
        o->instr = v;
    } else if (!strcmp(name, "runs") && number(v, 1, BN_MAX_SAMPLES, &d) == 0) o->runs = (unsigned)d;
    else if (!strcmp(name, "warmup") && number(v, 1, 100, &d) == 0) o->warmup = (unsigned)d;
    else if (!strcmp(name, "reps") && number(v, 1, BN_MAX_SAMPLES, &d) == 0) o->reps = (unsigned)d;
    else if (!strcmp(name, "min-batch") && number(v, 0, 10000, &d) == 0) o->min_batch = d / 1e3;
    else if (!strcmp(name, "config-kib") && number(v, 1, 1024, &d) == 0) o->config_bytes = (size_t)d * 1024;
    else if (!strcmp(name, "timeout") && number(v, 0.001, 86400, &d) == 0) l->timeout = d;
    else
        return -1;
    return 0;
}

/* A flag without a value; 1 when a, 0 when not a flag. */
static int set_flag(struct cli *l, const char *a)
{
    struct bn_opts *o = &l->o;

    if (!strcmp(a, "--no-whole")) o->whole = 0;
    else if (!strcmp(a, "--no-inproc")) o->inproc = 0;
    else if (!strcmp(a, "--no-configs")) o->configs = 0;
    else if (!strcmp(a, "--instructions")) o->instr = "auto";
    else if (!strcmp(a, "--quiet")) o->quiet = 1;
    else if (!strcmp(a, "--quick")) {
        /* A smoke run: proves every part works, measures nothing worth quoting. */
        o->runs = 2;
        o->warmup = 1;
        o->reps = 2;
        o->min_batch = 0.0002;
        o->config_bytes = 64 * 1024;
    } else
        return 0;
    return 1;
}

static int parse_args(int argc, char **argv, struct cli *l)
{
    int i;

    memset(l, 0, sizeof(*l));
    l->impl_dir = CF_IMPL_DIR;
    l->o.runs = 5;
    l->o.warmup = 1;
    l->o.reps = 7;
    l->o.min_batch = 0.002;
    l->o.config_bytes = 1000 * 1024;
    l->o.whole = l->o.inproc = l->o.configs = 1;
    l->o.ref = "pvboot";
    l->o.peer = "xen-4.17";
    l->o.p4 = "pvboot-p4";
    l->o.contain = CF_CONTAIN_AUTO;
    for (i = 1; i < argc; i++) {
        char *a = argv[i], *eq, name[32];
        size_t n;
        if (!strcmp(a, "--help"))
            return usage(stdout, 0);
        if (!strcmp(a, "--version")) {
            printf("pvbench %s\n", pvb_version());
            return fflush(stdout) != 0 || ferror(stdout) ? 2 : 0;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (add_to(l->named, &l->nnamed, a) != 0)
                return usage(stderr, 2);
            continue;
        }
        if (set_flag(l, a))
            continue;
        eq = strchr(a, '=');
        n = eq ? (size_t)(eq - a) - 2 : strlen(a) - 2;
        if (n >= sizeof(name) || (!eq && i + 1 == argc))
            return usage(stderr, 2);
        memcpy(name, a + 2, n);
        name[n] = '\0';
        if (set_opt(l, name, eq ? eq + 1 : argv[++i]) != 0)
            return usage(stderr, 2);
    }
    return PARSED;
}

static int add_case(struct pvb_ctx *c, struct bn_bench *b, struct cf_case *k)
{
    struct bn_case *v;
    size_t i;

    for (i = 0; i < b->ncases; i++)
        if (strcmp(b->cases[i].k.name, k->name) == 0) {
            pvb_fail(c, PVB_EINVAL, "case %s given twice (%s)", k->name, k->image);
            cf_case_free(c, k);
            return c->err;
        }
    v = pvb_realloc(c, b->cases, (b->ncases + 1) * sizeof(*v), "cases");
    if (!v) {
        cf_case_free(c, k);
        return c->err;
    }
    b->cases = v;
    memset(&v[b->ncases], 0, sizeof(*v));
    v[b->ncases++].k = *k;
    return 0;
}

static int load_corpus(struct pvb_ctx *c, const struct cli *l, const char *dir, struct bn_bench *b)
{
    struct cf_select sel;
    struct cf_case *v = NULL;
    size_t n = 0, i;
    char *real = realpath(dir, NULL);
    int rc;

    if (!real)
        return pvb_fail(c, PVB_ENOTFOUND, "corpus %s: %s", dir, strerror(errno));
    sel.include = l->filters;
    sel.ninclude = l->nfilters;
    sel.exclude = l->excludes;
    sel.nexclude = l->nexcludes;
    rc = cf_corpus_load(c, real, &sel, &v, &n);
    free(real);
    for (i = 0; i < n; i++)
        if (rc == 0)
            rc = add_case(c, b, &v[i]);
        else
            cf_case_free(c, &v[i]);
    pvb_free(c, v);
    return rc;
}

/* A case named on the command line: its .expect, or a bare image. */
static int load_named(struct pvb_ctx *c, const char *path, struct bn_bench *b)
{
    char *real = realpath(path, NULL);
    size_t n = strlen(path);
    struct cf_case k;
    int rc;

    if (!real)
        return pvb_fail(c, PVB_ENOTFOUND, "%s: %s", path, strerror(errno));
    if (n > 7 && strcmp(path + n - 7, ".expect") == 0)
        rc = cf_expect_load(c, real, &k);
    else
        rc = bn_case_bare(c, real, &k);
    free(real);
    return rc ? rc : add_case(c, b, &k);
}

static int load_cases(struct pvb_ctx *c, const struct cli *l, struct bn_bench *b)
{
    size_t i;
    int rc = 0;

    if (l->ncorpora == 0 && l->nnamed == 0)
        rc = load_corpus(c, l, "build/corpus", b);
    for (i = 0; rc == 0 && i < l->ncorpora; i++)
        rc = load_corpus(c, l, l->corpora[i], b);
    for (i = 0; rc == 0 && i < l->nnamed; i++)
        rc = load_named(c, l->named[i], b);
    if (rc == 0 && b->ncases == 0 && l->o.whole + l->o.inproc > 0)
        rc = pvb_fail(c, PVB_ENOTFOUND, "no case selected");
    return rc;
}

static int load_impls(struct pvb_ctx *c, struct cli *l, const char *argv0, struct bn_bench *b)
{
    struct cf_implset_sel sel;
    struct cf_impl self;
    char *spec;
    size_t i;
    int rc;

    sel.dir = l->impl_dir;
    sel.files = l->files;
    sel.nfiles = l->nfiles;
    sel.specs = l->specs;
    sel.nspecs = l->nspecs;
    sel.timeout = l->timeout;
    sel.mem_mb = -1;
    sel.run_as = l->run_as;
    rc = cf_implset_load(c, &sel, &b->impls, &b->nimpls);
    b->ref = -1;
    for (i = 0; rc == 0 && i < b->nimpls; i++) {
        struct cf_impl *im = &b->impls[i];
        char why[1024];
        if (strcmp(im->name, l->o.ref) == 0)
            b->ref = (int)i;
        /* An emulated program is not timed: the figure would be the emulator's. */
        if (!im->missing && bn_emulated(im->argv[0], why, sizeof(why)) &&
            !(im->missing = cf_printf(c, "%s", why)))
            rc = c->err;
    }
    /* The copy-floor process is this program, found as execvp would. */
    if (rc == 0 && !(spec = cf_printf(c, "self=%s", argv0)))
        rc = c->err;
    if (rc == 0) {
        rc = cf_impl_adhoc(c, spec, &self);
        pvb_free(c, spec);
        if (rc)
            return rc;
        if ((rc = cf_impl_locate(c, &self)) == 0 && !self.missing)
            l->o.self = realpath(self.argv[0], NULL);
        cf_impl_free(c, &self);
        if (rc == 0 && !l->o.self)
            rc = pvb_fail(c, PVB_ENOTFOUND, "cannot find this program (%s) to run the copy floor", argv0);
    }
    return rc;
}

static void run_free(struct pvb_ctx *c, struct bn_run *r)
{
    pvb_free(c, r->detail);
    pvb_free(c, r->wall);   /* the block of every sample array */
}

static void bench_free(struct pvb_ctx *c, struct bn_bench *b)
{
    size_t i;

    for (i = 0; b->runs && i < b->ncases * (b->nimpls + 1); i++)
        run_free(c, &b->runs[i]);
    pvb_free(c, b->runs);
    for (i = 0; b->inproc && i < b->ncases; i++) {
        pvb_free(c, b->inproc[i].t[0]);
        pvb_free(c, b->inproc[i].err);
    }
    pvb_free(c, b->inproc);
    for (i = 0; i < b->ncfg; i++)
        pvb_free(c, b->cfg[i].t);
    for (i = 0; i < b->ncases; i++) {
        pvb_free(c, b->cases[i].info_msg);
        pvb_free(c, b->cases[i].reads.v);
        cf_case_free(c, &b->cases[i].k);
    }
    pvb_free(c, b->cases);
    cf_implset_free(c, b->impls, b->nimpls);
}

static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void setup_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Measure, in the order that keeps the whole-process runs honest: they fork
 * while this process is still small (a child's peak RSS counts the pages it
 * shared with its parent before exec). */
static int measure(struct bn_bench *b)
{
    const struct bn_opts *o = b->o;
    double t0 = bn_now();
    int rc = bn_cases_info(b);

    if (rc == 0 && o->whole)
        rc = bn_whole_run(b);
    if (rc == 0 && o->whole && o->instr && !*b->stop)
        rc = bn_instr_run(b);
    if (rc == 0 && o->inproc && !*b->stop)
        rc = bn_inproc_run(b);
    if (rc == 0 && o->configs && !*b->stop)
        rc = bn_cfg_run(b);
    b->elapsed = bn_now() - t0;
    bn_loadavg(b->load_end, sizeof(b->load_end));
    return rc;
}

/* Runs the runner could not make or judge: never timed, never passed. */
static size_t runner_errors(const struct bn_bench *b)
{
    size_t i, n = 0;

    for (i = 0; b->runs && i < b->ncases * (b->nimpls + 1); i++)
        n += b->runs[i].state == BN_FAILED && b->runs[i].cls == CF_RUNNER_ERROR;
    return n;
}

int main(int argc, char **argv)
{
    struct pvb_ctx c;
    struct bn_bench b;
    struct cf_contain box;
    struct cli l;
    int rc, status = 0, probed = 0;

    if (argc > 1 && strcmp(argv[1], "--copy-floor") == 0)
        return bn_copy_floor_main(argc - 1, argv + 1);
    if ((status = parse_args(argc, argv, &l)) != PARSED)
        return status;
    status = 0;
    pvb_ctx_init(&c);
    memset(&b, 0, sizeof(b));
    b.c = &c;
    b.o = &l.o;
    b.stop = &stop_flag;
    setup_signals();
    bn_machine(&b);
    rc = load_impls(&c, &l, argv[0], &b);
    if (rc == 0)
        rc = load_cases(&c, &l, &b);
    if (rc == 0 && (rc = cf_contain_probe(&c, &box, l.o.contain, "pvbench")) == 0) {
        probed = 1;
        b.contain = &box;
    }
    if (rc == 0)
        rc = measure(&b);
    if (rc == 0 && !stop_flag) {
        bn_table_write(&b);
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = pvb_fail(&c, PVB_EIO, "standard output: write failed");
        if (rc == 0 && l.o.json)
            rc = bn_json_write(&b, l.o.json);
        if (rc == 0 && l.o.report)
            rc = bn_report_write(&b, l.o.report);
    }
    if (rc) {
        fprintf(stderr, "pvbench: %s\n", pvb_ctx_msg(&c));
        status = 2;
    }
    if (probed && cf_contain_end(&c, &box) != 0) {
        fprintf(stderr, "pvbench: %s\n", pvb_ctx_msg(&c));
        status = status ? status : 4;
    }
    if (status == 0 && runner_errors(&b)) {
        fprintf(stderr, "pvbench: %zu runs could not be made or judged by the runner (runner-error)\n",
                runner_errors(&b));
        status = 4;
    }
    bench_free(&c, &b);
    free((char *)l.o.self);
    if (status == 0 && c.mem_used) {
        fprintf(stderr, "pvbench: %zu bytes not freed\n", c.mem_used);
        status = 3;
    }
    return stop_flag ? 130 : status;
}
