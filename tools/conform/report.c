/* SPDX-License-Identifier: GPL-2.0-only */
/* REPORT.md: the compatibility matrix, the divergences by cause, and the pass-rate chart. */
#include <errno.h>
#include <string.h>

#include "contain.h"
#include "info.h"
#include "report.h"
#include "text.h"
#include "util/mem.h"
#include "util/version.h"

#define MAX_LISTED 50   /* unexpected failures listed per implementation */

/* What the programs ran in, and the runs the runner could not make or judge. */
static void contained(FILE *f, const struct cf_run *run)
{
    char line[CF_CONTAIN_WHY + 256];
    size_t i, n = 0;

    if (run->contain)
        cf_contain_describe(run->contain, line, sizeof(line));
    else
        snprintf(line, sizeof(line), "own session");
    fprintf(f, "- Each program ran in: ");
    cf_md_cell(f, line);
    if (run->contain && run->contain->why[0]) {
        fprintf(f, " (not in effect: ");
        cf_md_cell(f, run->contain->why);
        fputc(')', f);
    }
    fputc('\n', f);
    for (i = 0; i < run->nresults; i++)
        n += run->results[i].cls == CF_RUNNER_ERROR;
    for (i = 0; i < run->nboots; i++)
        n += run->boots[i].cls == CF_RUNNER_ERROR;
    if (n)
        fprintf(f, "- **Runner errors: %zu** runs could not be made or judged (see Runner errors); "
                   "they count for no implementation, and the run is not a valid result\n", n);
    fputc('\n', f);
}

static void header(FILE *f, const struct cf_run *run, size_t ngroups)
{
    char sys[256], cpu[256], date[64];
    size_t i, hostile = 0;

    cf_info_system(sys, sizeof(sys));
    cf_info_cpu(cpu, sizeof(cpu));
    cf_info_date(run->date, 0, date, sizeof(date));
    for (i = 0; i < run->ncases; i++)
        hostile += run->cases[i].error != NULL;
    fprintf(f, "# pvboot conformance report\n\n");
    fprintf(f, "Which pygrub implementation boots which guest. Each case is a generated guest disk image "
               "and what the bootloader installed in that guest boots from it; an implementation passes "
               "a case when the kernel and ramdisk it extracts have the expected SHA-256 and its "
               "arguments are exactly the expected ones, or, on a hostile image, when it fails with a "
               "clean error.\n\n");
    fprintf(f, "- Date: %s\n- Machine: ", date);
    cf_md_cell(f, sys);
    if (cpu[0]) {
        fprintf(f, ", ");
        cf_md_cell(f, cpu);
    }
    fprintf(f, ", %u CPUs\n- Corpus: `", cf_info_ncpu());
    cf_md_cell(f, run->corpus);
    fprintf(f, "`, %zu cases in %zu groups, %zu of them hostile\n", run->ncases, ngroups, hostile);
    fprintf(f, "- Run: `pvconform %s`, %.1f s; the runner's own CPU time %.2f ms per run\n",
            pvb_version(), run->elapsed, run->nresults ? run->runner_cpu * 1000 / (double)run->nresults : 0.0);
    contained(f, run);
}

static void impl_table(FILE *f, const struct cf_run *run)
{
    size_t i;

    fprintf(f, "## Implementations\n\n");
    fprintf(f, "| implementation | version | command | passed | failed | known divergences | skipped | "
               "runner errors |\n");
    fprintf(f, "|---|---|---|---:|---:|---:|---:|---:|\n");
    for (i = 0; i < run->nimpls; i++) {
        const struct cf_impl *im = &run->impls[i];
        struct cf_tally t;

        cf_tally(run, i, NULL, &t);
        fprintf(f, "| ");
        cf_md_cell(f, im->name);
        fprintf(f, " | ");
        cf_md_cell(f, im->missing ? "not installed" : im->version ? im->version : "unknown");
        fprintf(f, " | ");
        cf_md_cell(f, im->command);
        fprintf(f, " | %u | %u | %u | %u | %u |\n", cf_passed(&t), cf_failed(&t), t.verdict[CF_KNOWN],
                t.verdict[CF_SKIP], t.verdict[CF_ERROR]);
    }
    fputc('\n', f);
}

/* ✓ all ran and passed, ✗ an unexpected failure or a stale divergence,
 * ○ every failure a known divergence, – nothing ran, ! runs the runner could
 * not make or judge (not counted as run). No colour needed. */
static void cell(FILE *f, const struct cf_tally *t)
{
    unsigned ran = t->total - t->verdict[CF_SKIP] - t->verdict[CF_ERROR];
    const char *sym = t->verdict[CF_ERROR] ? "!"
                    : ran == 0 ? "–"
                    : t->verdict[CF_FAIL] || t->verdict[CF_FIXED] ? "✗"
                    : t->verdict[CF_KNOWN] ? "○" : "✓";

    if (t->verdict[CF_ERROR])
        fprintf(f, " ! %u/%u, %u runner errors |", cf_passed(t), ran, t->verdict[CF_ERROR]);
    else if (ran == 0)
        fprintf(f, " – skipped |");
    else
        fprintf(f, " %s %u/%u |", sym, cf_passed(t), ran);
}

/* The matrix's header: a column per implementation, then one per
 * implementation for its real boots (each only when the run made them). */
static void matrix_head(FILE *f, const struct cf_run *run)
{
    size_t i, ncol = 0;

    fprintf(f, "| group | cases |");
    for (i = 0; run->nresults && i < run->nimpls; i++, ncol++) {
        fputc(' ', f);
        cf_md_cell(f, run->impls[i].name);
        fprintf(f, " |");
    }
    for (i = 0; run->nboots && i < run->nimpls; i++, ncol++) {
        fprintf(f, " real boot: ");
        cf_md_cell(f, run->impls[i].name);
        fprintf(f, " |");
    }
    fprintf(f, "\n|---|---:|");
    while (ncol--)
        fprintf(f, "---|");
    fputc('\n', f);
}

static void matrix(FILE *f, const struct cf_run *run, const char **groups, size_t ngroups,
                   const char *svg)
{
    size_t g, i;

    fprintf(f, "## Matrix\n\nPassed / run, per case group. ✓ all passed; ✗ unexpected failures; "
               "○ failures, all known divergences; – not run.");
    if (run->nboots)
        fprintf(f, " The real-boot columns count the guests that came up with the expected "
                   "command line (see Real boots).");
    fprintf(f, "\n\n");
    matrix_head(f, run);
    for (g = 0; g <= ngroups; g++) {
        const char *grp = g == ngroups ? NULL : groups[g];
        struct cf_tally t;
        size_t n = 0, k;
        for (k = 0; k < run->ncases; k++)
            n += !grp || strcmp(run->cases[k].group, grp) == 0;
        fprintf(f, grp ? "| " : "| **all** | %zu |", n);
        if (grp) {
            cf_md_cell(f, grp);
            fprintf(f, " | %zu |", n);
        }
        for (i = 0; run->nresults && i < run->nimpls; i++) {
            cf_tally(run, i, grp, &t);
            cell(f, &t);
        }
        for (i = 0; run->nboots && i < run->nimpls; i++) {
            cf_tally_boots(run, i, grp, &t);
            if (t.total)
                cell(f, &t);
            else
                fprintf(f, " |");  /* a group without boot cases */
        }
        fputc('\n', f);
    }
    fprintf(f, "\n![Pass rate by case group](%s)\n\n", svg);
}

/* What a failure is put down to: the divergence's reason when listed, else
 * its class and, for a clean failure, the program's last error line. */
static void cause_of(const struct cf_run *run, const struct cf_result *r, char *buf, size_t n)
{
    const char *img = run->cases[r->icase].image, *tail = r->stderr_tail, *at;

    if (r->div) {
        snprintf(buf, n, "%s", r->div->reason);
    } else if (r->cause == CF_NO_BOOT && tail) {
        /* The image path differs per case: take it out so one cause groups them. */
        at = strstr(tail, img);
        if (at)
            snprintf(buf, n, "%.*sIMAGE%s", (int)(at - tail), tail, at + strlen(img));
        else
            snprintf(buf, n, "%s", tail);
    } else {
        snprintf(buf, n, "%s", cf_class_name(r->cause));
    }
}

static int same_cause(const struct cf_run *run, const struct cf_result *a, const struct cf_result *b)
{
    char x[512], y[512];

    if (a->cls != b->cls || a->verdict != b->verdict)
        return 0;
    cause_of(run, a, x, sizeof(x));
    cause_of(run, b, y, sizeof(y));
    return strcmp(x, y) == 0;
}

static void divergence_rows(FILE *f, const struct cf_run *run, size_t impl)
{
    const struct cf_result *res = run->results + impl * run->ncases;
    static const char *const kind[CF_NVERDICT] = { "", "unexpected", "known", "fixed", "", "runner error" };
    size_t i, j;

    for (i = 0; i < run->ncases; i++) {
        const struct cf_result *r = &res[i];
        char why[512];
        unsigned count = 0;
        int seen = 0;

        if (r->verdict != CF_FAIL && r->verdict != CF_KNOWN && r->verdict != CF_FIXED)
            continue;
        for (j = 0; j < i && !seen; j++)
            seen = res[j].verdict == r->verdict && same_cause(run, &res[j], r);
        if (seen)
            continue;
        for (j = i; j < run->ncases; j++)
            count += res[j].verdict == r->verdict && same_cause(run, &res[j], r);
        cause_of(run, r, why, sizeof(why));
        fprintf(f, "| ");
        cf_md_cell(f, why);
        fprintf(f, " | %s | %s | %u | ", cf_class_name(r->cls), kind[r->verdict], count);
        cf_md_cell(f, run->cases[r->icase].name);
        if (r->detail) {
            fprintf(f, ": ");
            cf_md_cell(f, r->detail);
        }
        fprintf(f, " |\n");
    }
}

static void divergences(FILE *f, const struct cf_run *run)
{
    size_t i;

    fprintf(f, "## Divergences by cause\n\n");
    for (i = 0; i < run->nimpls; i++) {
        struct cf_tally t;
        cf_tally(run, i, NULL, &t);
        fprintf(f, "### ");
        cf_md_cell(f, run->impls[i].name);
        fputc('\n', f);
        if (t.verdict[CF_FAIL] + t.verdict[CF_KNOWN] + t.verdict[CF_FIXED] == 0) {
            fprintf(f, "\n%s.\n\n", t.total == t.verdict[CF_SKIP] ? "Not run" : "None");
            continue;
        }
        fprintf(f, "\n| cause | class | status | cases | example |\n|---|---|---|---:|---|\n");
        divergence_rows(f, run, i);
        fputc('\n', f);
    }
}

/* Every unexpected failure, so a regression is named in the report itself. */
static void failures(FILE *f, const struct cf_run *run)
{
    size_t i, k, listed;
    int any = 0;

    for (i = 0; i < run->nresults; i++)
        any |= run->results[i].verdict == CF_FAIL || run->results[i].verdict == CF_FIXED;
    if (!any)
        return;
    fprintf(f, "## Unexpected results\n\n");
    for (i = 0; i < run->nimpls; i++) {
        for (k = 0, listed = 0; k < run->ncases; k++) {
            const struct cf_result *r = &run->results[i * run->ncases + k];
            if (r->verdict != CF_FAIL && r->verdict != CF_FIXED)
                continue;
            if (listed++ == MAX_LISTED) {
                fprintf(f, "- ... and more: see the JSON results\n");
                break;
            }
            fprintf(f, "- ");
            cf_md_cell(f, run->impls[i].name);
            fprintf(f, " `%s`: %s", run->cases[k].name, r->verdict == CF_FIXED ? "fixed" : cf_class_name(r->cls));
            if (r->detail) {
                fprintf(f, ": ");
                cf_md_cell(f, r->detail);
            }
            fputc('\n', f);
        }
    }
    fputc('\n', f);
}

/* Every run the runner could not make or judge: no result of its impl. */
static void runner_errors(FILE *f, const struct cf_run *run)
{
    size_t i, listed = 0, n = run->nresults + run->nboots;

    for (i = 0; i < n; i++) {
        const struct cf_result *r = i < run->nresults ? &run->results[i] : &run->boots[i - run->nresults];
        if (r->cls != CF_RUNNER_ERROR)
            continue;
        if (!listed)
            fprintf(f, "## Runner errors\n\nRuns that pvconform itself could not make or judge: "
                       "they say nothing about the implementation.\n\n");
        if (listed++ == MAX_LISTED) {
            fprintf(f, "- ... and more: see the JSON results\n");
            break;
        }
        fprintf(f, "- ");
        cf_md_cell(f, run->impls[r->iimpl].name);
        fprintf(f, " %s`%s`: ", i < run->nresults ? "" : "real boot of ", run->cases[r->icase].name);
        cf_md_cell(f, r->detail ? r->detail : "(no detail: out of memory)");
        fputc('\n', f);
    }
    if (listed)
        fputc('\n', f);
}

/* REPORT.md -> REPORT.svg */
static char *svg_path(struct pvb_ctx *c, const char *path)
{
    size_t n = strlen(path);

    if (n > 3 && strcmp(path + n - 3, ".md") == 0)
        return cf_printf(c, "%.*s.svg", (int)(n - 3), path);
    return cf_printf(c, "%s.svg", path);
}

int cf_report_write(struct pvb_ctx *c, const struct cf_run *run, const char *path)
{
    const char **groups = NULL, *base;
    char *svg = svg_path(c, path);
    size_t ngroups = 0;
    FILE *f = NULL, *g = NULL;
    int rc;

    if (!svg)
        return c->err;
    if ((rc = cf_groups(run, &groups, &ngroups)) != 0)
        goto cleanup;
    if (!(g = fopen(svg, "w")) || !(f = fopen(path, "w"))) {
        rc = pvb_fail(c, PVB_EIO, "%s: %s", g ? path : svg, strerror(errno));
        goto cleanup;
    }
    cf_svg_write(g, run, groups, ngroups);
    base = strrchr(svg, '/') ? strrchr(svg, '/') + 1 : svg;
    header(f, run, ngroups);
    impl_table(f, run);
    matrix(f, run, groups, ngroups, base);
    divergences(f, run);
    cf_report_boots(f, run);
    failures(f, run);
    runner_errors(f, run);
    fprintf(f, "Results of every case: the `--json` file. Regenerate with `make report`.\n");
    rc = cf_close_checked(c, g, svg);
    g = NULL;
    if (cf_close_checked(c, f, path) != 0 && rc == 0)
        rc = c->err;
    f = NULL;
cleanup:
    if (g)
        fclose(g);
    if (f)
        fclose(f);
    pvb_free(c, groups);
    pvb_free(c, svg);
    return rc;
}
