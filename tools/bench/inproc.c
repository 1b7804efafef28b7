/* SPDX-License-Identifier: GPL-2.0-only */
/* libpvboot in-process: the time of each layer, and extraction next to the pread and memcpy floors. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "boot/boot.h"
#include "util/budget.h"
#include "util/mem.h"

/* What the figures of one case share: the image open and decided once, so
 * a figure times its own layer only. */
struct fig {
    struct bn_case *bc;
    struct pvb_ctx c;
    struct pvb_boot_opts o;
    struct pvb_disk *d;
    struct pvb_boot *boot;
    int fd;
    uint64_t bytes;
    uint8_t *buf, *buf2;
    char *cfg;              /* the config's bytes, for its floor */
    size_t cfg_len;
    volatile size_t sink;
};

static int fig_probe(void *arg)
{
    struct fig *f = arg;
    struct pvb_disk *d;
    int rc = pvb_disk_open_path(&f->c, f->bc->k.image, NULL, &d);

    pvb_disk_close(rc ? NULL : d);
    return rc;
}

static int fig_scan(void *arg)
{
    struct fig *f = arg;
    struct pvb_part_table t;
    int rc = pvb_part_scan(f->d, &t);

    if (!rc)
        pvb_part_free(&f->c, &t);
    return rc;
}

/* Every volume pygrub's order tries before the deciding one fails to
 * mount or holds no config; each costs its probe. */
static int fig_mount(void *arg)
{
    struct fig *f = arg;
    int v, rc = 0;

    for (v = 0; v <= f->boot->vol && rc == 0; v++) {
        struct pvb_disk *view;
        struct pvb_fs *fs;
        rc = pvb_part_open(f->d, &f->boot->vols[v].vol, &view);
        if (rc)
            break;
        rc = pvb_fs_mount(view, &fs);
        if (rc == 0)
            pvb_fs_umount(fs);
        else if (v < f->boot->vol)
            rc = 0;   /* not a filesystem: pygrub moves on too */
        pvb_disk_close(view);
    }
    return rc;
}

/* Read the config from its volume and evaluate it as pvb_boot_decide does,
 * with the image's files (grubenv, BLS entries, `source`) behind it. */
static int fig_config(void *arg)
{
    struct fig *f = arg;
    struct pvb_boot_volume *v = &f->boot->vols[f->boot->vol];
    struct pvb_cfg_opts co;
    struct pvb_cfg_env env;
    struct pvb_menu *m = NULL;
    char *buf;
    size_t len;
    int rc;

    rc = pvb_fs_read_file(v->fs, v->config, f->c.lim.max_config, &buf, &len);
    if (rc)
        return rc;
    pvb_cfg_opts_init(&co);
    co.engine = f->boot->engine;
    co.semantics = f->o.semantics;
    co.path = v->config;
    co.device = v->dev;
    pvb_boot_env(f->boot, &env);
    env.read_at = pvb_boot_read_at;
    env.find_type = pvb_boot_find_type;
    rc = pvb_cfg_eval(&f->c, &co, &env, buf, len, &m);
    pvb_menu_free(m);
    pvb_free(&f->c, buf);
    /* A chosen entry a PV guest cannot boot is PVB_ENOBOOT here; the boot
     * layer then takes its fallback. The evaluation was done all the same. */
    return rc == PVB_ENOBOOT ? 0 : rc;
}

static int fig_extract(void *arg)
{
    struct fig *f = arg;
    uint64_t ks, rs;
    int rc = pvb_boot_extract(f->boot, bn_sink_drop, NULL, bn_sink_drop, NULL, &ks, &rs);

    if (!rc && ks + rs != f->bytes)
        rc = pvb_fail(&f->c, PVB_EIO, "extracted %llu bytes, decided %llu",
                      (unsigned long long)(ks + rs), (unsigned long long)f->bytes);
    return rc;
}

/* What pvboot does in one run, without the process and the output files. */
static int fig_total(void *arg)
{
    struct fig *f = arg;
    struct pvb_disk *d = NULL;
    struct pvb_boot *b = NULL;
    uint64_t ks, rs;
    int rc;

    pvb_budget_start(&f->c);   /* as pvb_ctx_init in pvboot: the run's clocks are read */
    rc = pvb_disk_open_path(&f->c, f->bc->k.image, NULL, &d);

    if (!rc)
        rc = pvb_boot_decide(&f->c, d, &f->o, &b);
    if (!rc)
        rc = pvb_boot_extract(b, bn_sink_drop, NULL, bn_sink_drop, NULL, &ks, &rs);
    pvb_boot_free(b);
    pvb_disk_close(d);
    return rc;
}

static int fig_pread(void *arg)
{
    struct fig *f = arg;

    return bn_floor_pread(f->fd, f->buf, &f->bc->reads) ? PVB_EIO : 0;
}

static int fig_memcpy(void *arg)
{
    struct fig *f = arg;

    bn_floor_memcpy(f->buf2, f->buf, f->bytes);
    return f->buf2[0] == f->buf[0] ? 0 : PVB_EIO;
}

static int fig_cfgscan(void *arg)
{
    struct fig *f = arg;

    f->sink = bn_floor_scan(f->cfg, f->cfg_len);
    return 0;
}

static int (*const figs[BN_NFIG])(void *) = {
    fig_probe, fig_scan, fig_mount, fig_config, fig_extract, fig_total, fig_pread, fig_memcpy,
    fig_cfgscan
};

static int fig_open(struct fig *f, struct bn_case *bc)
{
    int rc;

    memset(f, 0, sizeof(*f));
    f->bc = bc;
    f->fd = -1;
    bn_ctx_init(&f->c);
    pvb_boot_opts_init(&f->o);
    f->o.entry = bc->k.entry_arg;
    f->bytes = bc->ksize + bc->rsize;
    rc = pvb_disk_open_path(&f->c, bc->k.image, NULL, &f->d);
    if (!rc)
        rc = pvb_boot_decide(&f->c, f->d, &f->o, &f->boot);
    if (rc)
        return rc;
    f->fd = open(bc->k.image, O_RDONLY);
    if (f->fd < 0)
        return pvb_fail(&f->c, PVB_EIO, "%s: cannot open", bc->k.image);
    f->buf = pvb_zalloc(&f->c, BN_CHUNK, "floor buffer");
    f->buf2 = pvb_zalloc(&f->c, BN_CHUNK, "floor buffer");
    if (!f->buf || !f->buf2)
        return f->c.err;
    return pvb_fs_read_file(f->boot->vols[f->boot->vol].fs, f->boot->vols[f->boot->vol].config,
                            f->c.lim.max_config, &f->cfg, &f->cfg_len);
}

static void fig_close(struct fig *f)
{
    if (f->fd >= 0)
        close(f->fd);
    pvb_free(&f->c, f->buf);
    pvb_free(&f->c, f->buf2);
    pvb_free(&f->c, f->cfg);
    pvb_boot_free(f->boot);
    pvb_disk_close(f->d);
}

/* Accounted memory at the peak of one boot, in a context of its own. */
static size_t mem_peak(struct bn_case *bc)
{
    struct fig f;

    memset(&f, 0, sizeof(f));
    f.bc = bc;
    bn_ctx_init(&f.c);
    pvb_boot_opts_init(&f.o);
    f.o.entry = bc->k.entry_arg;
    return fig_total(&f) == 0 ? f.c.mem_peak : 0;
}

/* Calibrate every figure, then take reps batches of each, the figures in
 * rotating order, so a figure and its floor see the same load. */
static int measure(struct bn_bench *b, struct fig *f, struct bn_inproc *ip)
{
    struct bn_batch bt[BN_NFIG];
    unsigned rep, q;
    int rc = 0;

    for (q = 0; q < BN_NFIG && rc == 0; q++) {
        bt[q].fn = figs[q];
        bt[q].arg = f;
        rc = bn_batch_calibrate(&bt[q], b->o->min_batch);
    }
    for (rep = 0; rep < b->o->reps && rc == 0; rep++)
        for (q = 0; q < BN_NFIG && rc == 0; q++) {
            unsigned k = (q + rep) % BN_NFIG;
            rc = bn_batch_time(&bt[k], &ip->t[k][rep]);
        }
    return rc;
}

static int case_run(struct bn_bench *b, size_t i)
{
    struct bn_inproc *ip = &b->inproc[i];
    double *t;
    struct fig f;
    unsigned k;
    int rc;

    t = pvb_calloc(b->c, (size_t)b->o->reps * BN_NFIG + 1, sizeof(double), "in-process samples");
    if (!t)
        return b->c->err;
    for (k = 0; k < BN_NFIG; k++)
        ip->t[k] = t + (size_t)k * b->o->reps;
    rc = fig_open(&f, &b->cases[i]);
    if (!rc)
        rc = measure(b, &f, ip);
    if (rc)
        ip->err = cf_strdup(b->c, pvb_ctx_msg(&f.c));
    fig_close(&f);
    if (!rc)
        ip->mem_peak = mem_peak(&b->cases[i]);
    ip->done = rc == 0;
    if (!rc && f.c.mem_used)
        ip->err = cf_printf(b->c, "%zu bytes not freed", f.c.mem_used);
    return 0;
}

int bn_inproc_run(struct bn_bench *b)
{
    size_t i;
    int rc = 0;

    b->inproc = pvb_calloc(b->c, b->ncases + 1, sizeof(*b->inproc), "in-process figures");
    if (!b->inproc)
        return b->c->err;
    for (i = 0; i < b->ncases && rc == 0 && !*b->stop; i++) {
        if (b->cases[i].info_rc != 0)
            continue;
        rc = case_run(b, i);
        if (!b->o->quiet)
            fprintf(stderr, "[%zu/%zu] in-process %s%s%s\n", i + 1, b->ncases, b->cases[i].k.name,
                    b->inproc[i].err ? ": " : "", b->inproc[i].err ? b->inproc[i].err : "");
    }
    return rc;
}
