/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine-readable results (--json): settings, machine, every sample's statistics, summaries, targets.
 *
 * A statistic is {"median", "min", "max", "n"} over the samples taken, or
 * null when none was; times are seconds, sizes bytes, RSS KiB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "conform/contain.h"
#include "conform/text.h"
#include "util/version.h"

static void stat_obj(FILE *f, const struct bn_stat *s)
{
    if (!s->n)
        fputs("null", f);
    else
        fprintf(f, "{\"median\": %.9g, \"min\": %.9g, \"max\": %.9g, \"n\": %u}", s->med, s->min, s->max, s->n);
}

static void stat_of(FILE *f, const char *key, const double *v, size_t n)
{
    struct bn_stat s;

    bn_stat_of(v, n, &s);
    fprintf(f, "\"%s\": ", key);
    stat_obj(f, &s);
}

static void num_or_null(FILE *f, double v)
{
    if (v < 0)
        fputs("null", f);
    else
        fprintf(f, "%.9g", v);
}

/* What the programs ran in (tools/conform/contain.h) and the runs the runner could not make or judge. */
static void containment(FILE *f, const struct bn_bench *b)
{
    char line[CF_CONTAIN_WHY + 256];
    size_t i, n = 0;

    if (b->contain)
        cf_contain_describe(b->contain, line, sizeof(line));
    else
        snprintf(line, sizeof(line), "own session");
    fprintf(f, " \"containment\": {\"summary\": ");
    cf_json_str(f, line);
    fprintf(f, ", \"cgroup\": %s, \"pid_namespace\": %s, \"not_in_effect\": ",
            b->contain && (b->contain->have & CF_CONTAIN_CGROUP) ? "true" : "false",
            b->contain && (b->contain->have & CF_CONTAIN_PIDNS) ? "true" : "false");
    cf_json_str_or_null(f, b->contain && b->contain->why[0] ? b->contain->why : NULL);
    for (i = 0; b->runs && i < b->ncases * (b->nimpls + 1); i++)
        n += b->runs[i].cls == CF_RUNNER_ERROR && b->runs[i].state == BN_FAILED;
    fprintf(f, "},\n \"runner_errors\": %zu,\n", n);
}

static void head(FILE *f, const struct bn_bench *b)
{
    const struct bn_opts *o = b->o;

    fprintf(f, "{\"pvbench\": 1, \"pvbench_version\": ");
    cf_json_str(f, pvb_version());
    fprintf(f, ", \"date\": ");
    cf_json_str(f, b->date);
    fprintf(f, ", \"elapsed_seconds\": %.3f,\n \"machine\": {\"system\": ", b->elapsed);
    cf_json_str(f, b->system);
    fprintf(f, ", \"cpu\": ");
    cf_json_str(f, b->cpu);
    fprintf(f, ", \"ncpu\": %u, \"bits\": %u, \"compiler\": ", b->ncpu, b->bits);
    cf_json_str(f, b->compiler);
    fprintf(f, ", \"load_start\": ");
    cf_json_str(f, b->load_start);
    fprintf(f, ", \"load_end\": ");
    cf_json_str(f, b->load_end);
    fprintf(f, "},\n \"settings\": {\"runs\": %u, \"warmup\": %u, \"reps\": %u, \"min_batch_seconds\": %g, "
            "\"config_bytes\": %zu, \"reference\": ", o->runs, o->warmup, o->reps, o->min_batch, o->config_bytes);
    cf_json_str_or_null(f, o->ref);
    fprintf(f, ", \"peer\": ");
    cf_json_str_or_null(f, o->peer);
    fprintf(f, ", \"p4\": ");
    cf_json_str_or_null(f, o->p4);
    fprintf(f, ", \"instructions\": ");
    cf_json_str_or_null(f, b->instr_tool);
    fprintf(f, "},\n");
    containment(f, b);
}

static void impls(FILE *f, const struct bn_bench *b)
{
    size_t i;

    fprintf(f, " \"implementations\": [");
    for (i = 0; i < b->nimpls; i++) {
        const struct cf_impl *im = &b->impls[i];
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        cf_json_str(f, im->name);
        fprintf(f, ", \"command\": ");
        cf_json_str(f, im->command);
        fprintf(f, ", \"version\": ");
        cf_json_str_or_null(f, im->version);
        fprintf(f, ", \"available\": %s, \"skip_reason\": ", im->missing ? "false" : "true");
        cf_json_str_or_null(f, im->missing);
        fputc('}', f);
    }
    fprintf(f, "],\n");
}

static void cases(FILE *f, const struct bn_bench *b)
{
    size_t i;

    fprintf(f, " \"cases\": [");
    for (i = 0; i < b->ncases; i++) {
        const struct bn_case *bc = &b->cases[i];
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        cf_json_str(f, bc->k.name);
        fprintf(f, ", \"group\": ");
        cf_json_str(f, bc->k.group);
        fprintf(f, ", \"image\": ");
        cf_json_str(f, bc->k.image);
        fprintf(f, ", \"format\": ");
        cf_json_str(f, bc->k.format);
        fprintf(f, ", \"class\": \"%s\", \"decide_error\": ", bn_size_name(bc->size));
        cf_json_str_or_null(f, bc->info_msg);
        if (!bc->info_rc) {
            fprintf(f, ", \"kernel_bytes\": %llu, \"ramdisk_bytes\": %llu, \"fs\": ",
                    (unsigned long long)bc->ksize, (unsigned long long)bc->rsize);
            cf_json_str(f, bc->fs);
            fprintf(f, ", \"config_format\": \"%s\", \"config_bytes\": %zu, \"volume_offset\": %llu",
                    bc->cfg_format, bc->cfg_bytes, (unsigned long long)bc->vol_offset);
            fprintf(f, ", \"extract_reads\": %zu, \"extract_read_bytes\": %llu", bc->reads.n,
                    (unsigned long long)bn_ranges_bytes(&bc->reads));
        }
        fputc('}', f);
    }
    fprintf(f, "],\n");
}

static const char *state_name(enum bn_state s)
{
    static const char *const n[] = { "not-run", "missing", "format-not-read", "failed", "timed" };

    return (unsigned)s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

static void one_run(FILE *f, const struct bn_bench *b, size_t i, size_t p)
{
    const struct bn_run *r = BN_RUN(b, i, p);
    unsigned n = b->o->runs, k;

    fprintf(f, "\n  {\"case\": ");
    cf_json_str(f, b->cases[i].k.name);
    fprintf(f, ", \"participant\": ");
    cf_json_str(f, bn_name(b, p));
    fprintf(f, ", \"state\": \"%s\"", state_name(r->state));
    if (r->state == BN_TIMED || r->state == BN_FAILED) {
        fprintf(f, ", \"class\": \"%s\", \"detail\": ", cf_class_name(r->cls));
        cf_json_str_or_null(f, r->detail);
    }
    if (r->state == BN_TIMED) {
        fprintf(f, ", \"bad_runs\": %u, ", r->nbad);
        stat_of(f, "wall", r->wall, n);
        fputs(", ", f);
        stat_of(f, "user", r->user, n);
        fputs(", ", f);
        stat_of(f, "sys", r->sys, n);
        fputs(", ", f);
        stat_of(f, "maxrss_kb", r->rss_kb, n);
        fputs(", ", f);
        stat_of(f, "ratio_to_reference", r->ratio, n);
        fputs(", ", f);
        stat_of(f, "ratio_to_floor", r->floor_ratio, n);
        fprintf(f, ", \"instructions\": ");
        num_or_null(f, r->instr);
        fprintf(f, ", \"wall_samples\": [");
        for (k = 0; k < n; k++) {
            fputs(k ? ", " : "", f);
            num_or_null(f, r->wall[k]);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

static void whole(FILE *f, const struct bn_bench *b)
{
    size_t i, p;
    int first = 1;

    fprintf(f, " \"whole\": [");
    for (i = 0; b->runs && i < b->ncases; i++)
        for (p = 0; p <= b->nimpls; p++) {
            fputs(first ? "" : ",", f);
            first = 0;
            one_run(f, b, i, p);
        }
    fprintf(f, "],\n");
}

static void inproc(FILE *f, const struct bn_bench *b)
{
    size_t i;
    unsigned k;
    int first = 1;

    fprintf(f, " \"inproc\": [");
    for (i = 0; b->inproc && i < b->ncases; i++) {
        const struct bn_inproc *ip = &b->inproc[i];
        if (!ip->done && !ip->err)
            continue;
        fprintf(f, "%s\n  {\"case\": ", first ? "" : ",");
        first = 0;
        cf_json_str(f, b->cases[i].k.name);
        fprintf(f, ", \"error\": ");
        cf_json_str_or_null(f, ip->err);
        if (ip->done) {
            fprintf(f, ", \"bytes\": %llu, \"mem_peak_bytes\": %zu, \"seconds\": {",
                    (unsigned long long)(b->cases[i].ksize + b->cases[i].rsize), ip->mem_peak);
            for (k = 0; k < BN_NFIG; k++) {
                fputs(k ? ", " : "", f);
                stat_of(f, bn_fig_name((enum bn_fig)k), ip->t[k], b->o->reps);
            }
            fputc('}', f);
        }
        fputc('}', f);
    }
    fprintf(f, "],\n");
}

static void configs(FILE *f, const struct bn_bench *b)
{
    struct bn_cfgsum cs;
    unsigned i;
    int first = 1;

    fprintf(f, " \"configs\": {\"generated\": [");
    for (i = 0; i < b->ncfg; i++) {
        const struct bn_cfgfig *g = &b->cfg[i];
        fprintf(f, "%s\n  {\"format\": \"%s\", \"bytes\": %zu, \"entries\": %u, \"rc\": %d, ", i ? "," : "",
                g->format, g->bytes, g->entries, g->rc);
        stat_of(f, "seconds", g->t, b->o->reps);
        fputs(", ", f);
        stat_of(f, "floor_seconds", g->floor, b->o->reps);
        fputc('}', f);
    }
    fprintf(f, "],\n  \"typical\": [");
    for (i = 0; i < BN_NCFG; i++) {
        bn_cfg_typical(b, bn_cfg_formats[i], &cs);
        if (!cs.n)
            continue;
        fprintf(f, "%s\n  {\"format\": \"%s\", \"cases\": %u, \"bytes\": %.0f, \"seconds\": %.9g, \"mbs\": %.9g, "
                "\"floor_mbs\": %.9g, \"ratio_to_floor\": %.9g}", first ? "" : ",", bn_cfg_formats[i], cs.n,
                cs.bytes, cs.seconds, cs.mbs, cs.floor_mbs, cs.ratio);
        first = 0;
    }
    fprintf(f, "]},\n");
}

static void summary(FILE *f, const struct bn_bench *b)
{
    static const enum bn_size sizes[] = { BN_SIZE_SMALL, BN_SIZE_MEDIUM, BN_SIZE_REALISTIC, BN_SIZE_UNKNOWN };
    struct bn_sum s;
    size_t k, p;
    int first = 1;

    fprintf(f, " \"summary\": [");
    for (k = 0; b->runs && k < sizeof(sizes) / sizeof(sizes[0]); k++)
        for (p = 0; p <= b->nimpls; p++) {
            bn_summary(b, sizes[k], p, &s);
            if (!s.wall.n)
                continue;
            fprintf(f, "%s\n  {\"class\": \"%s\", \"participant\": ", first ? "" : ",",
                    sizes[k] == BN_SIZE_UNKNOWN ? "all" : bn_size_name(sizes[k]));
            first = 0;
            cf_json_str(f, bn_name(b, p));
            fprintf(f, ", \"wall\": ");
            stat_obj(f, &s.wall);
            fprintf(f, ", \"ratio_to_reference\": ");
            stat_obj(f, &s.ratio);
            fprintf(f, ", \"ratio_to_floor\": ");
            stat_obj(f, &s.floor_ratio);
            fprintf(f, ", \"instructions\": ");
            stat_obj(f, &s.instr);
            fprintf(f, ", \"maxrss_kb\": ");
            num_or_null(f, s.rss_max);
            fputc('}', f);
        }
    fprintf(f, "],\n");
}

static void targets(FILE *f, const struct bn_bench *b)
{
    struct bn_target_result t[BN_NTARGET];
    unsigned i;

    bn_targets(b, t);
    fprintf(f, " \"targets\": [");
    for (i = 0; i < BN_NTARGET; i++) {
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        cf_json_str(f, t[i].name);
        fprintf(f, ", \"goal\": ");
        cf_json_str(f, t[i].goal);
        fprintf(f, ", \"measured\": %s, \"met\": %s, \"value\": ", t[i].measured ? "true" : "false",
                t[i].met ? "true" : "false");
        if (t[i].measured)
            fprintf(f, "%.9g", t[i].value);
        else
            fputs("null", f);
        fprintf(f, ", \"text\": ");
        cf_json_str(f, t[i].text);
        fputc('}', f);
    }
    fprintf(f, "]}\n");
}

int bn_json_write(const struct bn_bench *b, const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return pvb_fail(b->c, PVB_EIO, "%s: %s", path, strerror(errno));
    head(f, b);
    impls(f, b);
    cases(f, b);
    whole(f, b);
    inproc(f, b);
    configs(f, b);
    summary(f, b);
    targets(f, b);
    return cf_close_checked(b->c, f, path);
}
