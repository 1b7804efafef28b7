/* SPDX-License-Identifier: GPL-2.0-only */
/* The speed targets, each computed from the samples of this run as a median over the cases it names. */
#include <stdio.h>
#include <string.h>

#include "bench.h"

static int impl_index(const struct bn_bench *b, const char *name)
{
    size_t i;

    for (i = 0; name && i < b->nimpls; i++)
        if (strcmp(b->impls[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void ratio(struct bn_target_result *t, const struct bn_stat *s, const char *what,
                  double goal, int at_least)
{
    t->measured = s->n > 0;
    t->value = s->med;
    t->met = t->measured && (at_least ? s->med >= goal : s->med <= goal);
    if (t->measured)
        snprintf(t->text, sizeof(t->text), "%.2fx (median of %u %s; %.2f-%.2f)", s->med, s->n,
                 what, s->min, s->max);
    else
        snprintf(t->text, sizeof(t->text), "not measured: no %s in this run", what);
}

/* Participant name over the cases of a size class: the ratio to the floor or to the reference. */
static void whole(const struct bn_bench *b, struct bn_target_result *t, const char *name,
                  enum bn_size size, int to_floor, const char *what, double goal, int at_least)
{
    int p = impl_index(b, name);
    struct bn_sum s;

    memset(&s, 0, sizeof(s));
    if (p >= 0)
        bn_summary(b, size, (size_t)p, &s);
    ratio(t, to_floor ? &s.floor_ratio : &s.ratio, what, goal, at_least);
    if (!b->runs)
        snprintf(t->text, sizeof(t->text), "not measured: no whole-process runs (--no-whole)");
    else if (p < 0)
        snprintf(t->text, sizeof(t->text), "not measured: no implementation named %s",
                 name ? name : "(none)");
    else if (b->impls[p].missing)
        snprintf(t->text, sizeof(t->text), "not measured: %s", b->impls[p].missing);
}

static void grub2(const struct bn_bench *b, struct bn_target_result *t)
{
    struct bn_stat s;
    unsigned i;

    for (i = 0; i < b->ncfg; i++) {
        const struct bn_cfgfig *g = &b->cfg[i];
        if (strcmp(g->format, "grub2") != 0 || g->rc != 0)
            continue;
        bn_stat_of(g->t, b->o->reps, &s);
        if (!s.n || s.min <= 0)
            break;
        t->measured = 1;
        t->value = (double)g->bytes / s.med / 1e6;
        t->met = t->value >= 100;
        snprintf(t->text, sizeof(t->text), "%.0f MB/s (a generated %zu-byte grub.cfg, %u entries; %.0f-%.0f)",
                 t->value, g->bytes, g->entries, (double)g->bytes / s.max / 1e6,
                 (double)g->bytes / s.min / 1e6);
        return;
    }
    snprintf(t->text, sizeof(t->text), "not measured: no generated grub.cfg in this run");
}

static void rss(const struct bn_bench *b, struct bn_target_result *t)
{
    struct bn_sum s, f;

    if (b->ref < 0 || !b->runs) {
        snprintf(t->text, sizeof(t->text), "not measured: %s",
                 b->runs ? "no reference implementation" : "no whole-process runs (--no-whole)");
        return;
    }
    bn_summary(b, BN_SIZE_UNKNOWN, (size_t)b->ref, &s);
    bn_summary(b, BN_SIZE_UNKNOWN, BN_FLOOR(b), &f);
    if (s.rss_max < 0) {
        snprintf(t->text, sizeof(t->text), "not measured: no timed run of %s", b->o->ref);
        return;
    }
    t->measured = 1;
    t->value = (s.rss_max - BN_CHUNK / BN_KIB) / BN_KIB;
    t->met = t->value <= 4;
    snprintf(t->text, sizeof(t->text),
             "%.2f MiB (peak %.2f MiB over %u cases; the copy-floor process: %.2f MiB)",
             t->value, s.rss_max / BN_KIB, s.wall.n, f.rss_max / BN_KIB);
}

static void set(struct bn_target_result *t, const char *name, const char *goal)
{
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->goal = goal;
}

void bn_targets(const struct bn_bench *b, struct bn_target_result out[BN_NTARGET])
{
    struct bn_stat s;

    set(&out[BN_T_FLOOR], "whole process vs copy floor, realistic images", "<= 1.3x");
    set(&out[BN_T_PEER], "speed-up over the peer, payloads under 1 MiB", ">= 30x");
    set(&out[BN_T_EXTRACT], "extraction throughput vs sequential pread", ">= 0.8x");
    set(&out[BN_T_GRUB2], "GRUB 2 parse+evaluate", ">= 100 MB/s");
    set(&out[BN_T_RSS], "peak RSS beyond the 1 MiB copy buffer", "<= 4 MiB");
    set(&out[BN_T_P4], "32-bit build vs 64-bit build, whole process", "<= 1.3x");
    whole(b, &out[BN_T_FLOOR], b->o->ref, BN_SIZE_REALISTIC, 1, "realistic images", 1.3, 0);
    whole(b, &out[BN_T_PEER], b->o->peer, BN_SIZE_SMALL, 0, "small cases both boot", 30, 1);
    /* Throughput ratio = pread time / extraction time. */
    bn_inproc_ratio(b, BN_SIZE_REALISTIC, BN_PREAD, BN_EXTRACT, &s);
    ratio(&out[BN_T_EXTRACT], &s, "realistic images", 0.8, 1);
    grub2(b, &out[BN_T_GRUB2]);
    rss(b, &out[BN_T_RSS]);
    whole(b, &out[BN_T_P4], b->o->p4, BN_SIZE_UNKNOWN, 0, "cases", 1.3, 0);
}
