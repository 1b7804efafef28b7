/* SPDX-License-Identifier: GPL-2.0-only */
/* pvconform: run pygrub implementations over the corpus, judge every result, write TAP, JSON and REPORT.md.
 *
 * usage: pvconform [--corpus DIR] [--impl NAME=COMMAND]... [--impl-file F]...
 *                  [--impl-dir D] [--filter GLOB]... [--exclude GLOB]... [--jobs N]
 *                  [--timeout S] [--mem MB] [--tap] [--json FILE] [--report FILE]
 *                  [--cache DIR] [--keep] [--boot | --boot-only] [--qemu COMMAND]
 *                  [--boot-timeout S] [--run-as-user NAME|UID] [--contain auto|session|LIST]
 *        pvconform --help | --version
 * Without --impl and --impl-file every file in --impl-dir (tools/conform/impls;
 * DATADIR/pvboot/impls for an installed pvconform) is an implementation; one not
 * installed here is reported as skipped.
 * --boot: after the cases, each implementation runs again on every selected
 * boot case (an .expect with guest-cmdline) with --args=GUEST-APPEND, and
 * qemu (--qemu, default qemu-system-x86_64) boots what it extracted
 * (tools/conform/boot.h); --boot-only runs only those. Without qemu the
 * boots are skipped with the reason.
 * --filter and --exclude select cases by name (fnmatch, '*' matches '/').
 * --impl NAME=COMMAND replaces the command of the --impl-file of that name,
 * or adds an implementation with default limits.
 * Every program runs in a session of its own and, where this machine allows
 * it, in a cgroup v2 or a PID namespace of its own (tools/conform/contain.h):
 * --contain auto (the default) takes a cgroup, else a namespace, session
 * neither, a list ("cgroup", "pidns", "cgroup,pidns") those; what was in
 * effect, and why not the rest, is in the JSON and the report.
 * --run-as-user runs every implementation as that user (root only); an impl
 * file may say so for its own (run-as-user:).
 * Exit status: 0 when every result passed or is a known divergence, 1 when
 * one failed unexpectedly or a listed divergence now passes, 2 on a usage or
 * corpus error or when the JSON, the report or the terminal output could not
 * be written, 3 when the runner could not make or judge a run (a
 * runner-error result, reported as such), 130 when interrupted.
 */
#define _XOPEN_SOURCE 700  /* realpath() is XSI */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

#include "boot.h"
#include "contain.h"
#include "corpus.h"
#include "files.h"
#include "impl.h"
#include "implset.h"
#include "info.h"
#include "json.h"
#include "proc.h"
#include "report.h"
#include "run.h"
#include "term.h"
#include "util/mem.h"
#include "util/version.h"

#define MAX_LIST CF_IMPLSET_MAX

struct opts {
    const char *corpus, *impl_dir, *json, *report, *cache, *qemu, *run_as;
    unsigned contain;   /* CF_CONTAIN_* mechanisms asked for */
    char *impl_specs[MAX_LIST], *impl_files[MAX_LIST], *filters[MAX_LIST], *excludes[MAX_LIST];
    size_t nspecs, nfiles, nfilters, nexcludes;
    unsigned jobs;
    double timeout;   /* 0: each impl's own */
    long mem_mb;      /* -1: each impl's own */
    double boot_timeout;
    int tap, keep, boot, boot_only;
};

/* What parse_args says when the run goes on; anything else is an exit status. */
#define PARSED (-1)

/* The usage: on stdout for --help (exit 0), on stderr for a usage error (exit 2). */
static int usage(FILE *f, int status)
{
    fprintf(f,
            "usage: pvconform [--corpus DIR] [--impl NAME=COMMAND]... [--impl-file F]...\n"
            "                 [--impl-dir D] [--filter GLOB]... [--exclude GLOB]... [--jobs N]\n"
            "                 [--timeout S] [--mem MB] [--tap] [--json FILE] [--report FILE]\n"
            "                 [--cache DIR] [--keep] [--boot | --boot-only] [--qemu COMMAND]\n"
            "                 [--boot-timeout S] [--run-as-user NAME|UID] [--contain auto|session|LIST]\n"
            "       pvconform --help | --version\n"
            "the implementations: every file in --impl-dir (default " CF_IMPL_DIR ")\n");
    return fflush(f) != 0 || ferror(f) ? 2 : status;
}

/* The handler only has to exist: pselect returns EINTR and the runner stops. */
static void on_stop(int sig)
{
    (void)sig;
}

#define MAX_WARNINGS 10

/* Warnings on stderr, the first MAX_WARNINGS of them (a corpus that grew a
 * key warns once per .expect). */
static void print_warning(void *arg, const char *msg)
{
    unsigned *n = arg;

    if (++*n <= MAX_WARNINGS)
        fprintf(stderr, "pvconform: warning: %s\n", msg);
    if (*n == MAX_WARNINGS + 1)
        fprintf(stderr, "pvconform: warning: more warnings not shown\n");
}

static int add_to(char **list, size_t *n, char *v)
{
    if (*n == MAX_LIST) {
        fprintf(stderr, "pvconform: more than %d of one option\n", MAX_LIST);
        return -1;
    }
    list[(*n)++] = v;
    return 0;
}

static int number(const char *opt, const char *v, double max, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(v, &end);
    if (end == v || *end || errno || !(*out >= 0) || *out > max) {
        fprintf(stderr, "pvconform: %s: \"%s\" is not a number in 0..%g\n", opt, v, max);
        return -1;
    }
    return 0;
}

/* --contain: auto, session, or a comma list of cgroup and pidns. */
static int contain_opt(const char *v, unsigned *out)
{
    size_t n;

    *out = 0;
    if (!strcmp(v, "auto")) {
        *out = CF_CONTAIN_AUTO;
        return 0;
    }
    if (!strcmp(v, "session"))
        return 0;
    for (; *v; v += n + (v[n] == ',')) {
        n = strcspn(v, ",");
        if (n == 6 && !strncmp(v, "cgroup", n))
            *out |= CF_CONTAIN_CGROUP;
        else if (n == 5 && !strncmp(v, "pidns", n))
            *out |= CF_CONTAIN_PIDNS;
        else
            return -1;
    }
    return *out ? 0 : -1;
}

/* One option and its value; returns -1 on a usage error. */
static int set_opt(struct opts *o, const char *name, char *v)
{
    double d;

    if (!strcmp(name, "corpus")) o->corpus = v;
    else if (!strcmp(name, "impl")) return add_to(o->impl_specs, &o->nspecs, v);
    else if (!strcmp(name, "impl-file")) return add_to(o->impl_files, &o->nfiles, v);
    else if (!strcmp(name, "impl-dir")) o->impl_dir = v;
    else if (!strcmp(name, "filter")) return add_to(o->filters, &o->nfilters, v);
    else if (!strcmp(name, "exclude")) return add_to(o->excludes, &o->nexcludes, v);
    else if (!strcmp(name, "json")) o->json = v;
    else if (!strcmp(name, "report")) o->report = v;
    else if (!strcmp(name, "cache")) o->cache = v;
    else if (!strcmp(name, "qemu")) o->qemu = v;
    else if (!strcmp(name, "run-as-user")) o->run_as = v;
    else if (!strcmp(name, "contain")) return contain_opt(v, &o->contain);
    else if (!strcmp(name, "boot-timeout")) {
        if (number("--boot-timeout", v, 86400, &d) || d <= 0)
            return -1;
        o->boot_timeout = d;
    }
    else if (!strcmp(name, "jobs")) {
        if (number("--jobs", v, 256, &d) || d < 1)
            return -1;
        o->jobs = (unsigned)d;
    } else if (!strcmp(name, "timeout")) {
        if (number("--timeout", v, 86400, &d) || d <= 0)
            return -1;
        o->timeout = d;
    } else if (!strcmp(name, "mem")) {
        if (number("--mem", v, 1 << 22, &d))
            return -1;
        o->mem_mb = (long)d;
    } else {
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->corpus = "build/corpus";
    o->impl_dir = CF_IMPL_DIR;
    o->cache = "build/conform-cache";
    o->jobs = cf_info_ncpu();
    o->mem_mb = -1;
    o->qemu = CF_BOOT_QEMU;
    o->boot_timeout = CF_BOOT_TIMEOUT;
    o->contain = CF_CONTAIN_AUTO;
    for (i = 1; i < argc; i++) {
        char *a = argv[i], *eq, name[32];
        if (!strcmp(a, "--help"))
            return usage(stdout, 0);
        if (!strcmp(a, "--version")) {
            printf("pvconform %s\n", pvb_version());
            return fflush(stdout) != 0 || ferror(stdout) ? 2 : 0;
        }
        if (!strcmp(a, "--tap")) { o->tap = 1; continue; }
        if (!strcmp(a, "--keep")) { o->keep = 1; continue; }
        if (!strcmp(a, "--boot")) { o->boot = 1; continue; }
        if (!strcmp(a, "--boot-only")) { o->boot = o->boot_only = 1; continue; }
        size_t n;
        if (strncmp(a, "--", 2) != 0)
            return usage(stderr, 2);
        eq = strchr(a, '=');
        n = eq ? (size_t)(eq - a) - 2 : strlen(a) - 2;
        if (n >= sizeof(name))
            return usage(stderr, 2);
        memcpy(name, a + 2, n);
        name[n] = '\0';
        if (!eq && i + 1 == argc)
            return usage(stderr, 2);
        if (set_opt(o, name, eq ? eq + 1 : argv[++i]) != 0)
            return usage(stderr, 2);
    }
    return PARSED;
}

static int load_impls(struct pvb_ctx *c, struct opts *o, struct cf_run *run)
{
    struct cf_implset_sel sel;

    sel.dir = o->impl_dir;
    sel.files = o->impl_files;
    sel.nfiles = o->nfiles;
    sel.specs = o->impl_specs;
    sel.nspecs = o->nspecs;
    sel.timeout = o->timeout;
    sel.mem_mb = o->mem_mb;
    sel.run_as = o->run_as;
    return cf_implset_load(c, &sel, &run->impls, &run->nimpls);
}

/* The boot cases among the selected ones, and the qemu that boots them
 * (q, owned by main; its missing says why it cannot). */
static int setup_boots(struct pvb_ctx *c, const struct opts *o, struct cf_run *run, struct cf_impl *q)
{
    char *spec;
    size_t i;
    int rc;

    run->boot_cases = pvb_calloc(c, run->ncases ? run->ncases : 1, sizeof(*run->boot_cases), "boot cases");
    if (!run->boot_cases || !(spec = cf_printf(c, "qemu=%s", o->qemu)))
        return c->err;
    for (i = 0; i < run->ncases; i++)
        if (run->cases[i].guest_cmdline)
            run->boot_cases[run->nboot++] = i;
    if (run->nboot == 0)
        pvb_warn(c, "no boot case (an .expect with guest-cmdline) among the %zu cases selected", run->ncases);
    rc = cf_impl_adhoc(c, spec, q);
    pvb_free(c, spec);
    if (rc || (rc = cf_impl_locate(c, q)) != 0)
        return rc;
    q->timeout = o->boot_timeout;
    run->qemu = q;
    if (q->missing) {
        char *why = cf_printf(c, "%s (package qemu-system-x86; ci/install-deps installs it)", q->missing);
        if (!why)
            return c->err;
        pvb_free(c, q->missing);
        q->missing = why;
        return 0;
    }
    if (!(q->version_cmd = cf_printf(c, "'%s' --version", q->argv[0])))
        return c->err;
    cf_impl_run_version(c, q);
    return 0;
}

/* Block the stop signals except while waiting, and never die of SIGPIPE. */
static void setup_signals(sigset_t *waitmask)
{
    static const int stop[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa;
    sigset_t block;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&block);
    for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
        sigaddset(&block, stop[i]);
        sigaction(stop[i], &sa, NULL);
    }
    sigprocmask(SIG_BLOCK, &block, waitmask);
    for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
        sigdelset(waitmask, stop[i]);
    signal(SIGPIPE, SIG_IGN);
}

static double seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* pvconform's own CPU time and its reapers': everything its children used
 * (the reapers' include the programs they waited for) less what the
 * programs used, as the reapers measured it. */
static double runner_cpu(const struct cf_run *run)
{
    struct rusage self, kids;
    double progs = 0;
    size_t i;

    if (getrusage(RUSAGE_SELF, &self) != 0 || getrusage(RUSAGE_CHILDREN, &kids) != 0)
        return 0;
    for (i = 0; i < run->nresults; i++)
        if (run->results[i].cpu_ms > 0)
            progs += (double)run->results[i].cpu_ms / 1000;
    for (i = 0; i < run->nboots; i++)
        if (run->boots[i].cpu_ms > 0)
            progs += (double)run->boots[i].cpu_ms / 1000;
    return seconds(&self.ru_utime) + seconds(&self.ru_stime) + seconds(&kids.ru_utime) +
           seconds(&kids.ru_stime) - progs;
}

/* Count the runner errors among the results and boots. */
static size_t runner_errors(const struct cf_run *run)
{
    size_t i, n = 0;

    for (i = 0; i < run->nresults; i++)
        n += run->results[i].cls == CF_RUNNER_ERROR;
    for (i = 0; i < run->nboots; i++)
        n += run->boots[i].cls == CF_RUNNER_ERROR;
    return n;
}

static int run_and_write(struct pvb_ctx *c, struct opts *o, struct cf_run *run, struct cf_contain *box,
                         int *status)
{
    struct cf_sched_opts so;
    struct cf_term term;
    char *cache = NULL;
    const char *tmp = getenv("TMPDIR");
    double t0 = cf_now();
    int rc, interrupted;

    memset(&so, 0, sizeof(so));
    setup_signals(&so.waitmask);
    if ((rc = cf_mkdir_p(c, o->cache, 0755)) != 0)
        return rc;
    if (!(cache = realpath(o->cache, NULL)))
        return pvb_fail(c, PVB_EIO, "%s: %s", o->cache, strerror(errno));
    term.f = stdout;
    term.tap = o->tap;
    so.jobs = o->jobs;
    so.tmpdir = tmp && *tmp ? tmp : "/tmp";
    so.cache = cache;
    so.keep = o->keep;
    so.capture = 64 * 1024;
    so.flood = 64u << 20;
    so.cases = !o->boot_only;
    so.boot = o->boot;
    so.emit = cf_term_result;
    so.emit_boot = cf_term_boot;
    so.emit_arg = &term;
    so.contain = box;
    run->contain = box;
    run->jobs = o->jobs;
    run->nresults = so.cases ? run->nimpls * run->ncases : 0;
    run->nboots = so.boot ? run->nimpls * run->nboot : 0;
    cf_term_begin(&term, run);
    rc = cf_run_all(run, &so, &interrupted);
    free(cache);
    run->elapsed = cf_now() - t0;
    run->runner_cpu = runner_cpu(run);
    if (interrupted) {
        *status = 130;
        return rc;
    }
    if (rc)
        return rc;
    *status = cf_term_summary(&term, run);
    if (o->json && (rc = cf_json_write(c, run, o->json)) != 0)
        return rc;
    if (o->report && (rc = cf_report_write(c, run, o->report)) != 0)
        return rc;
    /* TAP on a full disk or a closed pipe is a run nobody saw. */
    if (fflush(stdout) != 0 || ferror(stdout))
        return pvb_fail(c, PVB_EIO, "standard output: %s", strerror(errno ? errno : EIO));
    if (runner_errors(run)) {
        fprintf(stderr, "pvconform: %zu runs could not be made or judged by the runner (runner-error): "
                        "they say nothing about the implementations\n", runner_errors(run));
        *status = 3;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct pvb_ctx c;
    struct cf_run run;
    struct cf_impl qemu;
    struct cf_contain box;
    struct opts o;
    char *corpus = NULL;
    unsigned nwarn = 0;
    size_t i;
    int rc, status = 2;

    if ((status = parse_args(argc, argv, &o)) != PARSED)
        return status;
    status = 2;
    pvb_ctx_init(&c);
    memset(&qemu, 0, sizeof(qemu));
    c.warn = print_warning;
    c.warn_arg = &nwarn;
    memset(&run, 0, sizeof(run));
    run.c = &c;
    run.corpus = o.corpus;
    run.date = (long)time(NULL);
    rc = load_impls(&c, &o, &run);
    if (rc == 0 && !(corpus = realpath(o.corpus, NULL)))
        rc = pvb_fail(&c, PVB_ENOTFOUND, "corpus %s: %s", o.corpus, strerror(errno));
    if (rc == 0) {
        struct cf_select sel;
        sel.include = o.filters;
        sel.ninclude = o.nfilters;
        sel.exclude = o.excludes;
        sel.nexclude = o.nexcludes;
        rc = cf_corpus_load(&c, corpus, &sel, &run.cases, &run.ncases);
    }
    if (rc == 0 && o.boot)
        rc = setup_boots(&c, &o, &run, &qemu);
    if (rc == 0 && (rc = cf_contain_probe(&c, &box, o.contain, "pvconform")) == 0) {
        rc = run_and_write(&c, &o, &run, &box, &status);
        if (rc)
            fprintf(stderr, "pvconform: %s\n", pvb_ctx_msg(&c));
        if (rc && status != 130)
            status = 2;
        /* Whatever a program left in the box is killed; one that would not
         * die is the runner's failure to contain it. */
        if (cf_contain_end(&c, &box) != 0) {
            fprintf(stderr, "pvconform: %s\n", pvb_ctx_msg(&c));
            if (status < 2)
                status = 3;
        }
    } else if (rc) {
        fprintf(stderr, "pvconform: %s\n", pvb_ctx_msg(&c));
        status = 2;
    }
    free(corpus);
    for (i = 0; i < run.nresults && run.results; i++) {
        pvb_free(&c, run.results[i].detail);
        pvb_free(&c, run.results[i].stderr_tail);
    }
    pvb_free(&c, run.results);
    for (i = 0; i < run.nboots && run.boots; i++) {
        pvb_free(&c, run.boots[i].detail);
        pvb_free(&c, run.boots[i].stderr_tail);
    }
    pvb_free(&c, run.boots);
    pvb_free(&c, run.boot_cases);
    cf_impl_free(&c, &qemu);
    cf_corpus_free(&c, run.cases, run.ncases);
    cf_implset_free(&c, run.impls, run.nimpls);
    return status;
}
