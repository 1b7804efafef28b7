/* SPDX-License-Identifier: GPL-2.0-only */
/* The terminal table: every case, the summaries per size class, the in-process figures and the targets. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "util/version.h"

#define NAME_W 52

/* A participant's cell on one case: its median and its ratio (to the
 * reference; the reference's to the copy floor), or why it has none. */
static void cell(const struct bn_bench *b, size_t icase, size_t p)
{
    const struct bn_run *r = BN_RUN(b, icase, p);
    char ms[16], x[16];

    switch (r->state) {
    case BN_TIMED:
        bn_fmt_ms(ms, sizeof(ms), bn_med(r->wall, b->o->runs));
        bn_fmt_x(x, sizeof(x), bn_med((int)p == b->ref ? r->floor_ratio : r->ratio, b->o->runs));
        printf(" %8s %-6s", ms, p == BN_FLOOR(b) ? "" : x);
        break;
    case BN_FAILED:
        printf(" %15s", cf_class_name(r->cls));
        break;
    case BN_NA:
        printf(" %15s", "n/a");
        break;
    case BN_MISSING:
        printf(" %15s", "missing");
        break;
    default:
        printf(" %15s", "-");
    }
}

static void whole_table(const struct bn_bench *b)
{
    size_t i, p;
    char by[16];

    printf("\nwhole process: wall ms, median of %u runs after %u warm-up (judged); x = the same round's\n"
           "ratio to %s, median (for %s: to the copy floor)\n",
           b->o->runs, b->o->warmup, b->o->ref, b->o->ref);
    printf("%-*s %-9s %7s", NAME_W, "case", "class", "payload");
    printf(" %15s", bn_name(b, BN_FLOOR(b)));
    for (p = 0; p < b->nimpls; p++)
        printf(" %15.15s", bn_name(b, p));
    putchar('\n');
    for (i = 0; i < b->ncases; i++) {
        const struct bn_case *bc = &b->cases[i];
        printf("%-*s %-9s %7s", NAME_W, bc->k.name, bn_size_name(bc->size),
               bc->info_rc ? "-" : bn_fmt_bytes(by, sizeof(by), (double)(bc->ksize + bc->rsize)));
        cell(b, i, BN_FLOOR(b));
        for (p = 0; p < b->nimpls; p++)
            cell(b, i, p);
        putchar('\n');
    }
}

static void summary_line(const struct bn_bench *b, enum bn_size size, size_t p)
{
    char m[16], lo[16], hi[16], x[16], f[16], u[16], sy[16];
    struct bn_sum s;

    bn_summary(b, size, p, &s);
    if (!s.wall.n)
        return;
    printf("  %-14.14s %3u cases %8s ms (%s-%s)  user %s sys %s", bn_name(b, p), s.wall.n,
           bn_fmt_ms(m, sizeof(m), s.wall.med), bn_fmt_ms(lo, sizeof(lo), s.wall.min),
           bn_fmt_ms(hi, sizeof(hi), s.wall.max), bn_fmt_ms(u, sizeof(u), s.user.med),
           bn_fmt_ms(sy, sizeof(sy), s.sys.med));
    if (s.ratio.n && (int)p != b->ref)
        printf("  %s %s", bn_fmt_x(x, sizeof(x), s.ratio.med), b->o->ref);
    if (s.floor_ratio.n)
        printf("  %s floor", bn_fmt_x(f, sizeof(f), s.floor_ratio.med));
    printf("  rss %.1f MiB", s.rss_max / BN_KIB);
    if (s.instr.n)
        printf("  %.3g instr", s.instr.med);
    putchar('\n');
}

static void summaries(const struct bn_bench *b)
{
    static const enum bn_size sizes[] = { BN_SIZE_SMALL, BN_SIZE_MEDIUM, BN_SIZE_REALISTIC, BN_SIZE_UNKNOWN };
    size_t k, p;

    printf("\nsummary per class: over the cases each participant booted, the median of the cases' medians\n"
           "(min-max over cases); rss = the largest peak of any run%s\n",
           b->instr_tool ? "; instr = user-space instructions of one run" : "");
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        printf("%s%s:\n", sizes[k] == BN_SIZE_UNKNOWN ? "all" : bn_size_name(sizes[k]),
               sizes[k] == BN_SIZE_SMALL ? " (payload < 1 MiB)" :
               sizes[k] == BN_SIZE_REALISTIC ? " (kernel >= 8 MiB, initrd >= 24 MiB)" : "");
        for (p = 0; p <= b->nimpls; p++)
            summary_line(b, sizes[k], p);
    }
}

static void inproc_table(const struct bn_bench *b)
{
    char t[BN_NFIG][16], mbs[16], vp[16], vm[16];
    size_t i;
    unsigned f;

    printf("\nin-process (libpvboot linked in): per call, median of %u repetitions; probe..config in us,\n"
           "extract and total in ms; MB/s of extraction and its throughput next to the floors\n", b->o->reps);
    printf("%-*s %-8s %-5s %-8s %7s %7s %7s %7s %8s %8s %6s %7s %7s %6s\n", NAME_W, "case", "fs", "disk",
           "config", "probe", "scan", "mount", "config", "extract", "total", "MB/s", "/pread", "/memcpy",
           "memKiB");
    for (i = 0; b->inproc && i < b->ncases; i++) {
        const struct bn_inproc *ip = &b->inproc[i];
        const struct bn_case *bc = &b->cases[i];
        double m[BN_NFIG];
        if (!ip->done)
            continue;
        for (f = 0; f < BN_NFIG; f++) {
            m[f] = bn_med(ip->t[f], b->o->reps);
            if (f <= BN_CONFIG)
                bn_fmt_us(t[f], sizeof(t[f]), m[f]);
            else
                bn_fmt_ms(t[f], sizeof(t[f]), m[f]);
        }
        printf("%-*s %-8.8s %-5.5s %-8.8s %7s %7s %7s %7s %8s %8s %6s %7s %7s %6.0f\n", NAME_W, bc->k.name,
               bc->fs, bc->disk_format, bc->cfg_format, t[BN_PROBE], t[BN_SCAN], t[BN_MOUNT], t[BN_CONFIG],
               t[BN_EXTRACT], t[BN_TOTAL], bn_fmt_mbs(mbs, sizeof(mbs), (double)(bc->ksize + bc->rsize), m[BN_EXTRACT]),
               bn_fmt_x(vp, sizeof(vp), m[BN_EXTRACT] > 0 ? m[BN_PREAD] / m[BN_EXTRACT] : -1),
               bn_fmt_x(vm, sizeof(vm), m[BN_EXTRACT] > 0 ? m[BN_MEMCPY] / m[BN_EXTRACT] : -1),
               (double)ip->mem_peak / BN_KIB);
    }
}

static void config_table(const struct bn_bench *b)
{
    char m[16], lo[16], hi[16], fl[16], x[16], by[16], us[16];
    struct bn_cfgsum cs;
    struct bn_stat s, fs;
    unsigned i;

    printf("\nconfigs: parse+evaluate in MB/s (10^6 bytes), median (min-max) of %u repetitions, next to a\n"
           "bare pass over the same bytes; typical = the cases' own configs read from the image and evaluated\n",
           b->o->reps);
    for (i = 0; i < b->ncfg; i++) {
        const struct bn_cfgfig *g = &b->cfg[i];
        bn_stat_of(g->t, b->o->reps, &s);
        bn_stat_of(g->floor, b->o->reps, &fs);
        printf("  generated %-8s %8s %5u entries %6s MB/s (%s-%s)  bare pass %s MB/s  %s%s\n", g->format,
               bn_fmt_bytes(by, sizeof(by), (double)g->bytes), g->entries,
               bn_fmt_mbs(m, sizeof(m), (double)g->bytes, s.med), bn_fmt_mbs(lo, sizeof(lo), (double)g->bytes, s.max),
               bn_fmt_mbs(hi, sizeof(hi), (double)g->bytes, s.min), bn_fmt_mbs(fl, sizeof(fl), (double)g->bytes, fs.med),
               bn_fmt_x(x, sizeof(x), fs.med > 0 ? s.med / fs.med : -1), g->rc ? "  (evaluation failed)" : "");
    }
    for (i = 0; i < BN_NCFG; i++) {
        bn_cfg_typical(b, bn_cfg_formats[i], &cs);
        if (cs.n)
            printf("  typical   %-8s %8s %3u cases     %6.1f MB/s  %s us per config  bare pass %.0f MB/s  %s\n",
                   bn_cfg_formats[i], bn_fmt_bytes(by, sizeof(by), cs.bytes), cs.n, cs.mbs,
                   bn_fmt_us(us, sizeof(us), cs.seconds), cs.floor_mbs, bn_fmt_x(x, sizeof(x), cs.ratio));
    }
}

static void targets(const struct bn_bench *b)
{
    struct bn_target_result t[BN_NTARGET];
    unsigned i;

    bn_targets(b, t);
    printf("\ntargets:\n");
    for (i = 0; i < BN_NTARGET; i++)
        printf("  [%s] %s (%s): %s\n", !t[i].measured ? " -- " : t[i].met ? "met " : "MISS", t[i].name,
               t[i].goal, t[i].text);
}

void bn_table_write(const struct bn_bench *b)
{
    printf("pvbench %s: %zu cases on %s (%u CPUs), %s; %u-bit, %s; load %s at the start, %s at the end; %.0f s\n",
           pvb_version(), b->ncases, b->cpu[0] ? b->cpu : "unknown CPU", b->ncpu, b->system, b->bits, b->compiler,
           b->load_start, b->load_end, b->elapsed);
    if (b->runs) {
        whole_table(b);
        summaries(b);
    }
    if (b->inproc)
        inproc_table(b);
    if (b->ncfg || b->inproc)
        config_table(b);
    targets(b);
    fflush(stdout);
}
