/* SPDX-License-Identifier: GPL-2.0-only */
/* The "Real boots" section of REPORT.md: which implementation's extraction of each boot case came up under qemu. */
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "report.h"
#include "text.h"
#include "util/mem.h"

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The guests that came up (right command line or not): qemu's wall time,
 * the marker seen and qemu stopped. */
static void times(FILE *f, const struct cf_run *run)
{
    double *v = pvb_calloc(run->c, run->nboots, sizeof(*v), "boot times");
    size_t i, n = 0;

    for (i = 0; v && i < run->nboots; i++)
        if (run->boots[i].cls == CF_PASS || run->boots[i].cls == CF_BOOT_WRONG_ARGS)
            v[n++] = run->boots[i].seconds;
    if (n) {
        qsort(v, n, sizeof(*v), by_value);
        fprintf(f, "- Time per boot (qemu's wall time until the guest printed its command line): "
                   "median %.1f s, fastest %.1f s, slowest %.1f s, over %zu guests that came up\n",
                n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1], n);
    } else {
        fprintf(f, "- No guest came up.\n");
    }
    pvb_free(run->c, v);
}

static void cell(FILE *f, const struct cf_result *r)
{
    const char *sym = r->verdict == CF_SKIP ? "–"
                    : r->verdict == CF_ERROR ? "!"
                    : r->verdict == CF_FAIL || r->verdict == CF_FIXED ? "✗"
                    : r->verdict == CF_KNOWN ? "○" : "✓";

    fprintf(f, " %s %s", sym, cf_boot_class_name(r->cls));
    if (r->cls == CF_PASS || r->cls == CF_BOOT_WRONG_ARGS)
        fprintf(f, " (%.1f s)", r->seconds);
    fprintf(f, " |");
}

static void table(FILE *f, const struct cf_run *run)
{
    size_t i, b;

    fprintf(f, "\n| case | command line the guest must report |");
    for (i = 0; i < run->nimpls; i++) {
        fputc(' ', f);
        cf_md_cell(f, run->impls[i].name);
        fprintf(f, " |");
    }
    fprintf(f, "\n|---|---|");
    for (i = 0; i < run->nimpls; i++)
        fprintf(f, "---|");
    fputc('\n', f);
    for (b = 0; b < run->nboot; b++) {
        const struct cf_case *k = &run->cases[run->boot_cases[b]];
        fprintf(f, "| ");
        cf_md_cell(f, k->name);
        fprintf(f, " | ");
        cf_md_cell(f, k->guest_cmdline);  /* not a code span: escapes would show there */
        fprintf(f, " |");
        for (i = 0; i < run->nimpls; i++)
            cell(f, &run->boots[i * run->nboot + b]);
        fputc('\n', f);
    }
    fputc('\n', f);
}

/* Every boot that did not come up right, with its cause. */
static void misses(FILE *f, const struct cf_run *run)
{
    static const char *const kind[CF_NVERDICT] = { "", "unexpected", "known", "fixed", "", "runner error" };
    size_t i;
    int any = 0;

    for (i = 0; i < run->nboots; i++) {
        const struct cf_result *r = &run->boots[i];
        if (r->verdict == CF_OK || r->verdict == CF_SKIP)
            continue;
        if (!any++)
            fprintf(f, "| implementation | case | class | status | why |\n|---|---|---|---|---|\n");
        fprintf(f, "| ");
        cf_md_cell(f, run->impls[r->iimpl].name);
        fprintf(f, " | ");
        cf_md_cell(f, run->cases[r->icase].name);
        fprintf(f, " | %s | %s | ", cf_boot_class_name(r->cls), kind[r->verdict]);
        if (r->div) {
            cf_md_cell(f, r->div->reason);
            fprintf(f, ": ");
        }
        cf_md_cell(f, r->detail ? r->detail : "");
        fprintf(f, " |\n");
    }
    fprintf(f, any ? "\n" : "Every guest came up with the expected command line.\n\n");
}

void cf_report_boots(FILE *f, const struct cf_run *run)
{
    const struct cf_impl *q = run->qemu;

    if (!run->nboots)
        return;
    fprintf(f, "## Real boots\n\n"
               "A byte-for-byte match proves the right files were copied; these runs prove a guest comes "
               "up. Each boot case carries a real Linux kernel and an initramfs that prints the kernel "
               "command line and powers off. The implementation runs as libxl runs it, with `--args=` "
               "adding the case's console setting (what libxl passes from a domain's `extra=`); then qemu "
               "boots the kernel, ramdisk and args it extracted, unchanged, and the guest's serial "
               "console is read. **booted**: the guest printed the expected command line; "
               "**booted-wrong-args**: it printed another; **did-not-boot**: nothing was extracted, qemu "
               "refused the kernel, the kernel panicked, or the time limit passed.\n\n- qemu: `");
    cf_md_cell(f, q->command);
    fprintf(f, "` (");
    cf_md_cell(f, q->missing ? q->missing : q->version ? q->version : "version unknown");
    fprintf(f, "), TCG unless the command says otherwise, -m %s MiB, time limit %g s per boot\n",
            CF_BOOT_MEM, q->timeout);
    times(f, run);
    table(f, run);
    misses(f, run);
}
