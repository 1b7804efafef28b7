/* SPDX-License-Identifier: GPL-2.0-only */
/* What pvconform prints while it runs: one line per result (TAP or plain) and the totals. */
#include <string.h>

#include "boot.h"
#include "term.h"
#include "text.h"

/* A program that leaves processes behind would leave them in dom0 under
 * libxl: worth a line even when its boot is right. */
#define LEFT_RUNNING "it left processes running after it exited; the runner killed them"

void cf_term_begin(struct cf_term *t, const struct cf_run *run)
{
    if (t->tap)
        fprintf(t->f, "1..%zu\n", run->nresults + run->nboots);
    fflush(t->f);
}

/* How a line names a result: "pvboot el7/x: pass" or "pvboot real boot of el7/x: booted". */
struct line {
    size_t num, total;
    const char *what;                     /* "" or "real boot of " */
    const char *(*cls)(enum cf_class);    /* class names */
};

static void tap_line(struct cf_term *t, const struct cf_run *run, const struct cf_result *r,
                     const struct line *l)
{
    const char *impl = run->impls[r->iimpl].name, *name = run->cases[r->icase].name;
    const char *cls = l->cls(r->cls);

    switch (r->verdict) {
    case CF_OK:
        fprintf(t->f, "ok %zu - %s %s%s: %s\n", l->num, impl, l->what, name, cls);
        break;
    case CF_SKIP:
        fprintf(t->f, "ok %zu - %s %s%s # SKIP %s\n", l->num, impl, l->what, name, r->detail);
        return;
    case CF_KNOWN:
        fprintf(t->f, "not ok %zu - %s %s%s: %s # TODO known divergence: %s\n", l->num, impl, l->what,
                name, cls, r->div->reason);
        break;
    case CF_FIXED:
        fprintf(t->f, "not ok %zu - %s %s%s: fixed: %s, but %s lists it as a divergence (%s)\n", l->num,
                impl, l->what, name, cls,
                run->impls[r->iimpl].file ? run->impls[r->iimpl].file : "its impl file", r->div->reason);
        break;
    default:
        fprintf(t->f, "not ok %zu - %s %s%s: %s\n", l->num, impl, l->what, name, cls);
    }
    /* A real boot's detail says how long the guest took, also when it came up. */
    if (r->detail && (r->cls != CF_PASS || l->cls != cf_class_name))
        fprintf(t->f, "# %s\n", r->detail);
    if (r->left > 0)
        fprintf(t->f, "# %s\n", LEFT_RUNNING);
}

static const char *verdict_word(enum cf_verdict v)
{
    static const char *const w[CF_NVERDICT] = { "ok", "FAIL", "known", "FIXED", "skip", "ERROR" };

    return (unsigned)v < CF_NVERDICT ? w[v] : "?";
}

static void plain_line(struct cf_term *t, const struct cf_run *run, const struct cf_result *r,
                       const struct line *l, size_t ncases, int first)
{
    const struct cf_impl *im = &run->impls[r->iimpl];

    /* An implementation that is not installed: one line, not one per case. */
    if (im->missing && !first)
        return;
    if (im->missing) {
        fprintf(t->f, "[%zu-%zu/%zu] skip  %s: all %zu %scases: %s\n", l->num, l->num + ncases - 1,
                l->total, im->name, ncases, l->what, im->missing);
        return;
    }
    fprintf(t->f, "[%*zu/%zu] %-5s %-13s %s %s%s", (int)(l->total > 9999 ? 5 : 4), l->num,
            l->total, verdict_word(r->verdict), l->cls(r->cls),
            run->impls[r->iimpl].name, l->what, run->cases[r->icase].name);
    if (r->detail)
        fprintf(t->f, ": %s", r->detail);
    if (r->div)
        fprintf(t->f, r->verdict == CF_FIXED ? " (listed as a divergence: %s)" : " (known: %s)",
                r->div->reason);
    if (r->left > 0)
        fprintf(t->f, " (%s)", LEFT_RUNNING);
    fputc('\n', t->f);
}

void cf_term_result(void *arg, const struct cf_run *run, size_t i)
{
    struct cf_term *t = arg;
    struct line l = { 0, 0, "", cf_class_name };

    l.num = i + 1;
    l.total = run->nresults + run->nboots;
    if (t->tap)
        tap_line(t, run, &run->results[i], &l);
    else
        plain_line(t, run, &run->results[i], &l, run->ncases, i % run->ncases == 0);
    fflush(t->f);
}

void cf_term_boot(void *arg, const struct cf_run *run, size_t i)
{
    struct cf_term *t = arg;
    struct line l = { 0, 0, "real boot of ", cf_boot_class_name };

    l.num = run->nresults + i + 1;
    l.total = run->nresults + run->nboots;
    if (t->tap)
        tap_line(t, run, &run->boots[i], &l);
    else
        plain_line(t, run, &run->boots[i], &l, run->nboot, i % run->nboot == 0);
    fflush(t->f);
}

/* One summary line: "NAME: 3 passed, 1 failed (1 known divergences)". */
static int summary_line(struct cf_term *t, const struct cf_impl *im, const char *what,
                        const char *passed, const struct cf_tally *tally)
{
    const struct cf_tally *n = tally;

    fprintf(t->f, "%s%s%s: %u %s, %u failed", t->tap ? "# " : "", im->name, what, cf_passed(n),
            passed, cf_failed(n));
    if (n->verdict[CF_KNOWN])
        fprintf(t->f, " (%u known divergences)", n->verdict[CF_KNOWN]);
    if (n->verdict[CF_FIXED])
        fprintf(t->f, ", %u fixed (stale divergences in %s)", n->verdict[CF_FIXED],
                im->file ? im->file : "its impl file");
    if (n->verdict[CF_SKIP])
        fprintf(t->f, ", %u skipped%s%s", n->verdict[CF_SKIP], im->missing ? ": " : "",
                im->missing ? im->missing : "");
    if (n->verdict[CF_ERROR])
        fprintf(t->f, ", %u not made or judged (runner errors)", n->verdict[CF_ERROR]);
    fputc('\n', t->f);
    return n->verdict[CF_FAIL] || n->verdict[CF_FIXED];
}

int cf_term_summary(struct cf_term *t, const struct cf_run *run)
{
    struct cf_tally n;
    int bad = 0;
    size_t i;

    for (i = 0; i < run->nimpls; i++) {
        if (run->nresults) {
            cf_tally(run, i, NULL, &n);
            bad |= summary_line(t, &run->impls[i], "", "passed", &n);
        }
        if (run->nboots) {
            cf_tally_boots(run, i, NULL, &n);
            bad |= summary_line(t, &run->impls[i], " real boots", "booted", &n);
        }
    }
    fflush(t->f);
    return bad;
}
