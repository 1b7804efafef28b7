/* What pvconform prints while it runs: one line per result (TAP or plain) and the totals. */
#include <string.h>

#include "term.h"
#include "text.h"

void cf_term_begin(struct cf_term *t, const struct cf_run *run)
{
    if (t->tap)
        fprintf(t->f, "1..%zu\n", run->nresults);
    fflush(t->f);
}

static void tap_line(struct cf_term *t, const struct cf_run *run, size_t i)
{
    const struct cf_result *r = &run->results[i];
    const char *impl = run->impls[r->iimpl].name, *name = run->cases[r->icase].name;

    switch (r->verdict) {
    case CF_OK:
        fprintf(t->f, "ok %zu - %s %s: %s\n", i + 1, impl, name, cf_class_name(r->cls));
        break;
    case CF_SKIP:
        fprintf(t->f, "ok %zu - %s %s # SKIP %s\n", i + 1, impl, name, r->detail);
        return;
    case CF_KNOWN:
        fprintf(t->f, "not ok %zu - %s %s: %s # TODO known divergence: %s\n", i + 1, impl, name,
                cf_class_name(r->cls), r->div->reason);
        break;
    case CF_FIXED:
        fprintf(t->f, "not ok %zu - %s %s: fixed: %s, but %s lists it as a divergence (%s)\n", i + 1,
                impl, name, cf_class_name(r->cls),
                run->impls[r->iimpl].file ? run->impls[r->iimpl].file : "its impl file", r->div->reason);
        break;
    default:
        fprintf(t->f, "not ok %zu - %s %s: %s\n", i + 1, impl, name, cf_class_name(r->cls));
    }
    if (r->detail && r->cls != CF_PASS)
        fprintf(t->f, "# %s\n", r->detail);
}

static const char *verdict_word(enum cf_verdict v)
{
    static const char *const w[CF_NVERDICT] = { "ok", "FAIL", "known", "FIXED", "skip" };

    return (unsigned)v < CF_NVERDICT ? w[v] : "?";
}

static void plain_line(struct cf_term *t, const struct cf_run *run, size_t i)
{
    const struct cf_result *r = &run->results[i];
    const struct cf_impl *im = &run->impls[r->iimpl];

    /* An implementation that is not installed: one line, not one per case. */
    if (im->missing && r->icase > 0)
        return;
    if (im->missing) {
        fprintf(t->f, "[%zu-%zu/%zu] skip  %s: all %zu cases: %s\n", i + 1, i + run->ncases,
                run->nresults, im->name, run->ncases, im->missing);
        return;
    }
    fprintf(t->f, "[%*zu/%zu] %-5s %-13s %s %s", (int)(run->nresults > 9999 ? 5 : 4), i + 1,
            run->nresults, verdict_word(r->verdict), cf_class_name(r->cls),
            run->impls[r->iimpl].name, run->cases[r->icase].name);
    if (r->detail)
        fprintf(t->f, ": %s", r->detail);
    if (r->div)
        fprintf(t->f, r->verdict == CF_FIXED ? " (listed as a divergence: %s)" : " (known: %s)",
                r->div->reason);
    fputc('\n', t->f);
}

void cf_term_result(void *arg, const struct cf_run *run, size_t i)
{
    struct cf_term *t = arg;

    if (t->tap)
        tap_line(t, run, i);
    else
        plain_line(t, run, i);
    fflush(t->f);
}

int cf_term_summary(struct cf_term *t, const struct cf_run *run)
{
    int bad = 0;
    size_t i;

    for (i = 0; i < run->nimpls; i++) {
        const struct cf_impl *im = &run->impls[i];
        struct cf_tally n;

        cf_tally(run, i, NULL, &n);
        fprintf(t->f, "%s%s: %u passed, %u failed", t->tap ? "# " : "", im->name, cf_passed(&n),
                cf_failed(&n));
        if (n.verdict[CF_KNOWN])
            fprintf(t->f, " (%u known divergences)", n.verdict[CF_KNOWN]);
        if (n.verdict[CF_FIXED])
            fprintf(t->f, ", %u fixed (stale divergences in %s)", n.verdict[CF_FIXED],
                    im->file ? im->file : "its impl file");
        if (n.verdict[CF_SKIP])
            fprintf(t->f, ", %u skipped%s%s", n.verdict[CF_SKIP], im->missing ? ": " : "",
                    im->missing ? im->missing : "");
        fputc('\n', t->f);
        if (n.verdict[CF_FAIL] || n.verdict[CF_FIXED])
            bad = 1;
    }
    fflush(t->f);
    return bad;
}
