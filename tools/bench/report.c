/* SPDX-License-Identifier: GPL-2.0-only */
/* The REPORT.md section (--report FILE.md) and its SVG chart (FILE.svg, linked by file name). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "conform/text.h"
#include "util/version.h"

static const enum bn_size sizes[] = { BN_SIZE_SMALL, BN_SIZE_MEDIUM, BN_SIZE_REALISTIC };

static const char *class_label(enum bn_size s)
{
    return s == BN_SIZE_SMALL ? "payload < 1 MiB" : s == BN_SIZE_REALISTIC ? "realistic (8 MiB kernel, >= 24 MiB initrd)"
                                                                          : "between";
}

static size_t class_cases(const struct bn_bench *b, enum bn_size size)
{
    size_t i, n = 0;

    for (i = 0; i < b->ncases; i++)
        n += b->cases[i].size == size;
    return n;
}

static void intro(FILE *f, const struct bn_bench *b, const char *svg)
{
    if (b->bits == 64)
        fprintf(f, "## Speed: pvbench\n\n");
    else
        fprintf(f, "## Speed: pvbench, %u-bit build\n\n", b->bits);
    fprintf(f, "Measured by `make bench` (`pvbench %s`) on %s (%u CPUs), %s, %s; %u-bit build by %s. "
            "Load average (1, 5, 15 min) %s at the start and %s at the end of the %.0f s run: the machine "
            "is shared, so each figure is the median of runs taken in rotating order with its floor and its "
            "reference, and every ratio is taken within a round, pair by pair, then its median.\n\n",
            pvb_version(), b->cpu[0] ? b->cpu : "an unknown CPU", b->ncpu, b->system, b->date, b->bits,
            b->compiler, b->load_start, b->load_end, b->elapsed);
    if (b->runs)
        fprintf(f, "![whole-process time per case](%s)\n\n", svg);
}

static void target_table(FILE *f, const struct bn_bench *b)
{
    struct bn_target_result t[BN_NTARGET];
    unsigned i;

    bn_targets(b, t);
    fprintf(f, "### Targets\n\n| target | goal | measured | |\n|---|---|---|---|\n");
    for (i = 0; i < BN_NTARGET; i++) {
        if (!t[i].measured && !b->runs)
            continue;   /* an in-process run: the whole-process targets are the other section's */
        fprintf(f, "| %s | %s | ", t[i].name, t[i].goal);
        cf_md_cell(f, t[i].text);
        fprintf(f, " | %s |\n", !t[i].measured ? "not measured" : t[i].met ? "met" : "**not met**");
    }
    fputc('\n', f);
}

static void whole_cell(FILE *f, const struct bn_bench *b, const struct bn_sum *s, size_t p)
{
    char m[16], x[16];

    if (!s->wall.n) {
        fprintf(f, " - |");
        return;
    }
    fprintf(f, " %s ms", bn_fmt_ms(m, sizeof(m), s->wall.med));
    if ((int)p == b->ref && s->floor_ratio.n)
        fprintf(f, " (%s floor)", bn_fmt_x(x, sizeof(x), s->floor_ratio.med));
    else if (p < b->nimpls && (int)p != b->ref && s->ratio.n)
        fprintf(f, " (%s)", bn_fmt_x(x, sizeof(x), s->ratio.med));
    fprintf(f, ", %.1f MiB", s->rss_max / BN_KIB);
    if (s->instr.n)
        fprintf(f, ", %.3g instr", s->instr.med);
    fprintf(f, " |");
}

static void whole_table(FILE *f, const struct bn_bench *b)
{
    struct bn_sum s;
    size_t k, p;

    fprintf(f, "### Whole process\n\nPer case the median of %u runs after a judged warm-up (its output checked "
            "against the case's expectation); per class the median over the cases each participant boots; "
            "(xN) is the ratio to %s, for %s the ratio to the copy floor (a process that copies the same "
            "bytes from the same image into a file); then the largest peak RSS of any run.\n\n",
            b->o->runs, b->o->ref, b->o->ref);
    fprintf(f, "| class | cases |");
    fprintf(f, " %s |", bn_name(b, BN_FLOOR(b)));
    for (p = 0; p < b->nimpls; p++)
        fprintf(f, " %s |", bn_name(b, p));
    fprintf(f, "\n|---|---|");
    for (p = 0; p <= b->nimpls; p++)
        fprintf(f, "---|");
    fputc('\n', f);
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        if (!class_cases(b, sizes[k]))
            continue;
        bn_summary(b, sizes[k], BN_FLOOR(b), &s);
        fprintf(f, "| %s | %zu |", class_label(sizes[k]), class_cases(b, sizes[k]));
        whole_cell(f, b, &s, BN_FLOOR(b));
        for (p = 0; p < b->nimpls; p++) {
            bn_summary(b, sizes[k], p, &s);
            whole_cell(f, b, &s, p);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void split_table(FILE *f, const struct bn_bench *b)
{
    struct bn_stat s;
    char t[16];
    size_t k;
    unsigned g;

    fprintf(f, "### Where the time goes (libpvboot in-process)\n\nMicroseconds per call, the median over the cases of "
            "each case's median of %u repetitions: probe = open the image (format, headers), scan = the "
            "partition table, mount = every volume tried up to the deciding one, config = read and evaluate "
            "the config, extract = stream kernel and initrds; total = all of it as pvboot does it, without "
            "the process and its output files.\n\n| class | cases |", b->o->reps);
    for (g = 0; g <= BN_TOTAL; g++)
        fprintf(f, " %s |", bn_fig_name((enum bn_fig)g));
    fprintf(f, "\n|---|---|---|---|---|---|---|---|\n");
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        bn_inproc_ratio(b, sizes[k], BN_TOTAL, BN_NFIG, &s);
        if (!s.n)
            continue;
        fprintf(f, "| %s | %u |", class_label(sizes[k]), s.n);
        for (g = 0; g <= BN_TOTAL; g++) {
            bn_inproc_ratio(b, sizes[k], (enum bn_fig)g, BN_NFIG, &s);
            fprintf(f, " %s |", bn_fmt_us(t, sizeof(t), s.n ? s.med : -1));
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

static void read_table(FILE *f, const struct bn_bench *b)
{
    char mbs[16], vp[16], vm[16], by[16];
    size_t i;
    int any = 0;

    for (i = 0; b->inproc && i < b->ncases; i++) {
        const struct bn_case *bc = &b->cases[i];
        const struct bn_inproc *ip = &b->inproc[i];
        double e, p, m;
        if (!ip->done || bc->size != BN_SIZE_REALISTIC)
            continue;
        if (!any++)
            fprintf(f, "### Reading kernels and initrds (in-process, realistic images)\n\nExtraction to a "
                    "sink that drops the bytes, next to a `pread` of the byte ranges of the image file that the "
                    "extraction reads (the same page-cache pages) and a `memcpy` of as many bytes from one "
                    "1 MiB buffer to another, taken alternately; MB/s = 10^6 bytes per second.\n\n"
                    "| image | fs | format | payload | extract MB/s | vs pread | vs memcpy |\n"
                    "|---|---|---|---|---|---|---|\n");
        e = bn_med(ip->t[BN_EXTRACT], b->o->reps);
        p = bn_med(ip->t[BN_PREAD], b->o->reps);
        m = bn_med(ip->t[BN_MEMCPY], b->o->reps);
        fprintf(f, "| ");
        cf_md_cell(f, bc->k.name);
        fprintf(f, " | %s | %s | %s | %s | %s | %s |\n", bc->fs, bc->disk_format,
                bn_fmt_bytes(by, sizeof(by), (double)(bc->ksize + bc->rsize)),
                bn_fmt_mbs(mbs, sizeof(mbs), (double)(bc->ksize + bc->rsize), e),
                bn_fmt_x(vp, sizeof(vp), e > 0 ? p / e : -1), bn_fmt_x(vm, sizeof(vm), e > 0 ? m / e : -1));
    }
    if (any)
        fputc('\n', f);
}

static void config_table(FILE *f, const struct bn_bench *b)
{
    char m[16], fl[16], by[16], us[16];
    struct bn_cfgsum cs;
    struct bn_stat s, fs;
    unsigned i;

    fprintf(f, "### Configs (in-process)\n\nParse + evaluate, median of %u repetitions. Generated: a large "
            "config of each format as its generators write them, next to a bare pass over the same bytes "
            "(the floor of any parser). Typical: the cases' own configs, read from the image and evaluated "
            "with its grubenv and BLS entries, median over the cases.\n\n"
            "| config | bytes | MB/s | bare pass MB/s | us per config |\n|---|---|---|---|---|\n", b->o->reps);
    for (i = 0; i < b->ncfg; i++) {
        const struct bn_cfgfig *g = &b->cfg[i];
        bn_stat_of(g->t, b->o->reps, &s);
        bn_stat_of(g->floor, b->o->reps, &fs);
        fprintf(f, "| generated %s (%u entries) | %s | %s | %s | %s |\n", g->format, g->entries,
                bn_fmt_bytes(by, sizeof(by), (double)g->bytes), bn_fmt_mbs(m, sizeof(m), (double)g->bytes, s.med),
                bn_fmt_mbs(fl, sizeof(fl), (double)g->bytes, fs.med), bn_fmt_us(us, sizeof(us), s.n ? s.med : -1));
    }
    for (i = 0; i < BN_NCFG; i++) {
        bn_cfg_typical(b, bn_cfg_formats[i], &cs);
        if (cs.n)
            fprintf(f, "| typical %s (%u cases) | %s | %.1f | %.0f | %s |\n", bn_cfg_formats[i], cs.n,
                    bn_fmt_bytes(by, sizeof(by), cs.bytes), cs.mbs, cs.floor_mbs,
                    bn_fmt_us(us, sizeof(us), cs.seconds));
    }
    fputc('\n', f);
}

/* ---- the chart: median whole-process time per class, log scale ---------------------- */

#define SVG_W 760
#define LABEL_W 230
#define BAR_H 16
#define GAP 10

static const char *const colours[] = { "#8c8c8c", "#2b6cb0", "#63b3ed", "#dd6b20", "#38a169", "#805ad5" };

static double xpos(double ms, double lo, double hi)
{
    double w = SVG_W - LABEL_W - 90;

    if (ms < lo)
        ms = lo;
    return LABEL_W + w * (log10(ms) - log10(lo)) / (log10(hi) - log10(lo));
}

static void svg_axis(FILE *f, double lo, double hi, int y0, int y1)
{
    double t;

    for (t = lo; t <= hi * 1.0001; t *= 10) {
        double x = xpos(t, lo, hi);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, y0, x, y1);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%g ms</text>\n", x,
                y1 + 12, t);
    }
}

static void svg_write(FILE *f, const struct bn_bench *b)
{
    struct bn_sum s;
    double hi = 1, lo = 0.1;
    size_t k, p;
    int y = 34, rows = 0;

    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
        for (p = 0; p <= b->nimpls; p++) {
            bn_summary(b, sizes[k], p, &s);
            if (s.wall.n) {
                rows++;
                while (s.wall.med * 1e3 > hi)
                    hi *= 10;
            }
        }
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\">\n",
            SVG_W, 60 + rows * (BAR_H + 4) + 3 * GAP + 20);
    fprintf(f, "<text x=\"10\" y=\"18\" font-size=\"13\">Whole-process wall time per case: median over the "
            "cases of each class that each one boots (log scale)</text>\n");
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        for (p = 0; p <= b->nimpls; p++) {
            size_t q = p == 0 ? BN_FLOOR(b) : p - 1;   /* the floor first */
            char label[160];
            bn_summary(b, sizes[k], q, &s);
            if (!s.wall.n)
                continue;
            snprintf(label, sizeof(label), "%s: %s", sizes[k] == BN_SIZE_SMALL ? "< 1 MiB" :
                     sizes[k] == BN_SIZE_REALISTIC ? "realistic" : "between", bn_name(b, q));
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">", LABEL_W - 6, y + 12);
            cf_xml(f, label);
            fprintf(f, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", LABEL_W, y,
                    xpos(s.wall.med * 1e3, lo, hi) - LABEL_W, BAR_H, colours[p % 6]);
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.3g ms</text>\n",
                    xpos(s.wall.med * 1e3, lo, hi) + 4, y + 12, s.wall.med * 1e3);
            y += BAR_H + 4;
        }
        y += GAP;
    }
    svg_axis(f, lo, hi, 28, y);
    fprintf(f, "</svg>\n");
}

int bn_report_write(const struct bn_bench *b, const char *path)
{
    char svg[4096];
    const char *slash;
    size_t n = strlen(path);
    FILE *f, *g;

    if (n > 3 && strcmp(path + n - 3, ".md") == 0)
        snprintf(svg, sizeof(svg), "%.*s.svg", (int)(n - 3), path);
    else
        snprintf(svg, sizeof(svg), "%s.svg", path);
    if (!(f = fopen(path, "w")))
        return pvb_fail(b->c, PVB_EIO, "%s: %s", path, strerror(errno));
    slash = strrchr(svg, '/');
    intro(f, b, slash ? slash + 1 : svg);
    target_table(f, b);
    if (b->runs)
        whole_table(f, b);
    if (b->inproc) {
        split_table(f, b);
        read_table(f, b);
    }
    if (b->ncfg || b->inproc)
        config_table(f, b);
    if (cf_close_checked(b->c, f, path) != 0)
        return b->c->err;
    if (!b->runs)
        return 0;
    if (!(g = fopen(svg, "w")))
        return pvb_fail(b->c, PVB_EIO, "%s: %s", svg, strerror(errno));
    svg_write(g, b);
    return cf_close_checked(b->c, g, svg);
}
