/* SPDX-License-Identifier: GPL-2.0-only */
/* Figures over many cases: of each case's median, the median, minimum and maximum over the cases. */
#include <string.h>

#include "bench.h"
#include "util/mem.h"

/* Per-case values of one figure, then their statistics. */
struct over {
    double *v;
    size_t n;
};

static void add(struct over *o, double x)
{
    if (o->v && x >= 0)
        o->v[o->n++] = x;
}

static void done(const struct bn_bench *b, struct over *o, struct bn_stat *s)
{
    bn_stat_of(o->v, o->n, s);
    pvb_free(b->c, o->v);
}

void bn_summary(const struct bn_bench *b, enum bn_size size, size_t p, struct bn_sum *s)
{
    struct over o[6];
    unsigned k;
    size_t i, j;

    s->rss_max = -1;
    for (j = 0; j < 6; j++) {
        o[j].n = 0;
        o[j].v = pvb_calloc(b->c, b->ncases + 1, sizeof(double), "summary");
    }
    for (i = 0; b->runs && i < b->ncases; i++) {
        const struct bn_run *r = BN_RUN(b, i, p);
        if (r->state != BN_TIMED || (p < b->nimpls && r->cls != CF_PASS) ||
            (size != BN_SIZE_UNKNOWN && b->cases[i].size != size))
            continue;
        add(&o[0], bn_med(r->wall, b->o->runs));
        add(&o[1], bn_med(r->user, b->o->runs));
        add(&o[2], bn_med(r->sys, b->o->runs));
        if (p < b->nimpls) {
            add(&o[3], bn_med(r->ratio, b->o->runs));
            add(&o[4], bn_med(r->floor_ratio, b->o->runs));
            add(&o[5], r->instr);
        }
        for (k = 0; k < b->o->runs; k++)
            if (r->rss_kb[k] > s->rss_max)
                s->rss_max = r->rss_kb[k];
    }
    done(b, &o[0], &s->wall);
    done(b, &o[1], &s->user);
    done(b, &o[2], &s->sys);
    done(b, &o[3], &s->ratio);
    done(b, &o[4], &s->floor_ratio);
    done(b, &o[5], &s->instr);
}

/* Of the cases of a class, each case's median over repetitions of
 * t[num] / t[den], taken pair by pair in each repetition; den BN_NFIG:
 * t[num] alone. */
void bn_inproc_ratio(const struct bn_bench *b, enum bn_size size, enum bn_fig num, enum bn_fig den,
                     struct bn_stat *s)
{
    double r[BN_MAX_SAMPLES];
    struct over o;
    unsigned k;
    size_t i;

    o.n = 0;
    o.v = pvb_calloc(b->c, b->ncases + 1, sizeof(double), "summary");
    for (i = 0; b->inproc && i < b->ncases; i++) {
        const struct bn_inproc *ip = &b->inproc[i];
        if (!ip->done || (size != BN_SIZE_UNKNOWN && b->cases[i].size != size))
            continue;
        for (k = 0; k < b->o->reps && k < BN_MAX_SAMPLES; k++)
            r[k] = den == BN_NFIG ? ip->t[num][k] :
                   ip->t[den][k] > 0 ? ip->t[num][k] / ip->t[den][k] : -1;
        add(&o, bn_med(r, b->o->reps));
    }
    done(b, &o, s);
}

/* The configs of the cases (what installers write), per format: the median
 * over cases of the config's size, of its read+evaluate time, of the
 * resulting throughput and of its bare pass's, and of the ratio of the two. */
void bn_cfg_typical(const struct bn_bench *b, const char *format, struct bn_cfgsum *s)
{
    double r[BN_MAX_SAMPLES];
    struct over o[5];
    struct bn_stat st[5];
    size_t i, j;
    unsigned k;

    for (j = 0; j < 5; j++) {
        o[j].n = 0;
        o[j].v = pvb_calloc(b->c, b->ncases + 1, sizeof(double), "summary");
    }
    for (i = 0; b->inproc && i < b->ncases; i++) {
        const struct bn_case *bc = &b->cases[i];
        const struct bn_inproc *ip = &b->inproc[i];
        double t, f;
        if (!ip->done || strcmp(bc->cfg_format, format) != 0)
            continue;
        t = bn_med(ip->t[BN_CONFIG], b->o->reps);
        f = bn_med(ip->t[BN_CFGSCAN], b->o->reps);
        for (k = 0; k < b->o->reps && k < BN_MAX_SAMPLES; k++)
            r[k] = ip->t[BN_CFGSCAN][k] > 0 ? ip->t[BN_CONFIG][k] / ip->t[BN_CFGSCAN][k] : -1;
        add(&o[0], (double)bc->cfg_bytes);
        add(&o[1], t);
        add(&o[2], t > 0 ? (double)bc->cfg_bytes / t / 1e6 : -1);
        add(&o[3], f > 0 ? (double)bc->cfg_bytes / f / 1e6 : -1);
        add(&o[4], bn_med(r, b->o->reps));
    }
    for (j = 0; j < 5; j++)
        done(b, &o[j], &st[j]);
    s->n = st[0].n;
    s->bytes = st[0].n ? st[0].med : -1;
    s->seconds = st[1].n ? st[1].med : -1;
    s->mbs = st[2].n ? st[2].med : -1;
    s->floor_mbs = st[3].n ? st[3].med : -1;
    s->ratio = st[4].n ? st[4].med : -1;
}
