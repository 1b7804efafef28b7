/* SPDX-License-Identifier: GPL-2.0-only */
/* Whole-process runs: a judged warm-up, then rounds in which every participant runs once, in rotating order. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "bench.h"
#include "conform/impl.h"
#include "conform/judge.h"
#include "conform/proc.h"
#include "util/mem.h"

#define JUDGED (-1)              /* run_once's round for the judged warm-up */
#define WARM (-2)                /* ... and for the other warm-up runs, not kept */

static int exited(const struct cf_proc *p, int *code)
{
    if (!p->have_exit || p->ex.setup_errno || p->timed_out || p->flooded ||
        !WIFEXITED(p->ex.wstatus))
        return 0;
    *code = WEXITSTATUS(p->ex.wstatus);
    return 1;
}

/* The warm-up run's verdict: against the .expect, or for a bare image (and
 * the floor) only a clean exit 0. */
static int judge(struct bn_bench *b, size_t icase, size_t p, struct bn_job *j, const struct cf_proc *pr)
{
    struct pvb_ctx *c = b->c;
    const struct cf_case *k = &b->cases[icase].k;
    struct bn_run *r = BN_RUN(b, icase, p);
    struct cf_result res;
    struct cf_outcome o;
    int code, rc = 0;

    memset(&res, 0, sizeof(res));
    memset(&o, 0, sizeof(o));   /* every field: judge.h may grow */
    if (p < b->nimpls && k->expect) {
        o.p = pr;
        o.outfile = j->outfile;
        o.outdir = j->outdir;
        o.lim = &j->lim;
        rc = cf_judge(c, k, &o, &res);
        cf_judge_verdict(&b->impls[p], k, &res);
    } else if (pr->have_exit && pr->ex.setup_errno && pr->ex.setup_stage == CF_SETUP_RUNNER) {
        /* The runner failed before the program ran: nothing to say of it. */
        res.cls = CF_RUNNER_ERROR;
        res.verdict = CF_ERROR;
        res.detail = cf_printf(c, "runner: before the program ran: %s: %s", pr->ex.setup_what,
                               strerror(pr->ex.setup_errno));
    } else {
        res.cls = exited(pr, &code) && code == 0 ? CF_PASS : CF_NO_BOOT;
        /* The copy floor is this program: its failure is the runner's. */
        if (res.cls != CF_PASS && p == BN_FLOOR(b))
            res.cls = CF_RUNNER_ERROR;
        res.verdict = res.cls == CF_PASS ? CF_OK : res.cls == CF_RUNNER_ERROR ? CF_ERROR : CF_FAIL;
        if (res.cls != CF_PASS && !(res.detail = cf_printf(c, "did not exit 0: %s", pr->err.tail)))
            rc = c->err;
    }
    r->cls = res.cls;
    r->verdict = res.verdict;
    r->state = res.cls == CF_PASS || res.cls == CF_CLEAN_FAIL ? BN_TIMED : BN_FAILED;
    r->detail = res.detail;
    pvb_free(c, res.stderr_tail);
    return rc;
}

/* A timed run counts when it ended as the judged one did. */
static void record(struct bn_bench *b, size_t icase, size_t p, unsigned round, const struct cf_proc *pr)
{
    struct bn_run *r = BN_RUN(b, icase, p);
    int code, want_zero = r->cls == CF_PASS;

    if (!exited(pr, &code) || (code == 0) != want_zero) {
        r->nbad++;
        return;
    }
    r->wall[round] = pr->ex.wall;
    r->user[round] = pr->ex.user;
    r->sys[round] = pr->ex.sys;
    r->rss_kb[round] = (double)pr->ex.maxrss_kb;
}

/* One run of participant p on case icase: JUDGED, WARM, or timed in round. */
static int run_once(struct bn_bench *b, size_t icase, size_t p, struct bn_job *j, int round)
{
    struct cf_proc pr;
    int rc = bn_job_run(b, j, icase, p, NULL, &pr);

    if (!rc && round == JUDGED)
        rc = judge(b, icase, p, j, &pr);
    else if (!rc && round >= 0)
        record(b, icase, p, (unsigned)round, &pr);
    cf_proc_free(b->c, &pr);
    return rc;
}

static int alloc_samples(struct bn_bench *b, struct bn_run *r)
{
    unsigned n = b->o->runs, i;
    double *v = pvb_calloc(b->c, (size_t)n * 6 + 1, sizeof(double), "samples");

    if (!v)
        return b->c->err;
    for (i = 0; i < n * 6; i++)
        v[i] = -1;
    r->wall = v;
    r->user = v + n;
    r->sys = v + 2 * (size_t)n;
    r->rss_kb = v + 3 * (size_t)n;
    r->ratio = v + 4 * (size_t)n;
    r->floor_ratio = v + 5 * (size_t)n;
    return 0;
}

/* Which participants run the case at all, and their judged warm-up. */
static int prepare(struct bn_bench *b, size_t icase, struct bn_job *j)
{
    const struct bn_case *bc = &b->cases[icase];
    size_t p;
    unsigned w;
    int rc = 0;

    for (p = 0; p <= b->nimpls && rc == 0; p++) {
        struct bn_run *r = BN_RUN(b, icase, p);
        r->instr = -1;
        if (p < b->nimpls && b->impls[p].missing)
            r->state = BN_MISSING;
        else if (p < b->nimpls && !cf_impl_reads(&b->impls[p], bc->k.format))
            r->state = BN_NA;
        else if (p == BN_FLOOR(b) && bc->info_rc != 0)
            r->state = BN_NOT_RUN;   /* nothing decided: no bytes to copy */
        else if ((rc = alloc_samples(b, r)) == 0)
            rc = run_once(b, icase, p, j, JUDGED);
        for (w = 1; rc == 0 && r->state == BN_TIMED && w < b->o->warmup; w++)
            rc = run_once(b, icase, p, j, WARM);
    }
    return rc;
}

void bn_whole_ratios(struct bn_bench *b, size_t icase)
{
    const struct bn_run *ref = b->ref >= 0 ? BN_RUN(b, icase, (size_t)b->ref) : NULL;
    const struct bn_run *fl = BN_RUN(b, icase, BN_FLOOR(b));
    unsigned i;
    size_t p;

    for (p = 0; p < b->nimpls; p++) {
        struct bn_run *r = BN_RUN(b, icase, p);
        if (r->state != BN_TIMED)
            continue;
        for (i = 0; i < b->o->runs; i++) {
            if (r->wall[i] < 0)
                continue;
            if (ref && ref->state == BN_TIMED && ref->wall[i] > 0)
                r->ratio[i] = r->wall[i] / ref->wall[i];
            if (fl->state == BN_TIMED && fl->wall[i] > 0)
                r->floor_ratio[i] = r->wall[i] / fl->wall[i];
        }
    }
}

static void progress(const struct bn_bench *b, size_t icase)
{
    size_t p;

    if (b->o->quiet)
        return;
    fprintf(stderr, "[%zu/%zu] %s:", icase + 1, b->ncases, b->cases[icase].k.name);
    for (p = 0; p <= b->nimpls; p++) {
        const struct bn_run *r = BN_RUN(b, icase, p);
        struct bn_stat s;
        if (r->state == BN_TIMED) {
            bn_stat_of(r->wall, b->o->runs, &s);
            fprintf(stderr, " %s %.1f ms", bn_name(b, p), s.med * 1e3);
        } else if (r->state == BN_FAILED) {
            fprintf(stderr, " %s %s", bn_name(b, p), cf_class_name(r->cls));
        }
    }
    fputc('\n', stderr);
}

int bn_whole_run(struct bn_bench *b)
{
    size_t np = b->nimpls + 1, icase, q;
    struct bn_job j;
    unsigned round;
    int rc;

    b->runs = pvb_calloc(b->c, b->ncases * np + 1, sizeof(*b->runs), "runs");
    if (!b->runs)
        return b->c->err;
    rc = bn_job_init(b->c, &j);
    for (icase = 0; icase < b->ncases && rc == 0 && !*b->stop; icase++) {
        rc = prepare(b, icase, &j);
        /* Round r starts with participant r mod np: none is always first
         * (after the cache was warmed by another) or always last. */
        for (round = 0; round < b->o->runs && rc == 0 && !*b->stop; round++)
            for (q = 0; q < np && rc == 0; q++) {
                size_t p = (q + round) % np;
                if (BN_RUN(b, icase, p)->state == BN_TIMED)
                    rc = run_once(b, icase, p, &j, (int)round);
            }
        bn_whole_ratios(b, icase);
        progress(b, icase);
    }
    bn_job_free(b->c, &j);
    return rc;
}
