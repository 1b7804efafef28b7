/* SPDX-License-Identifier: GPL-2.0-only */
/* The cases: bare images given by name, and what libpvboot decides on each (sizes, offsets, formats). */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "boot/boot.h"
#include "conform/expect.h"
#include "util/mem.h"

int bn_case_bare(struct pvb_ctx *c, const char *path, struct cf_case *k)
{
    struct pvb_disk *d;
    const char *slash = strrchr(path, '/');
    int rc;

    memset(k, 0, sizeof(*k));
    rc = pvb_disk_open_path(c, path, NULL, &d);
    if (rc)
        return pvb_fail(c, rc, "%s: %s", path, pvb_ctx_msg(c));
    k->format = cf_strdup(c, d->ops->name);
    pvb_disk_close(d);
    k->name = cf_printf(c, "images/%s", slash ? slash + 1 : path);
    k->group = cf_strdup(c, "images");
    k->image = cf_strdup(c, path);
    k->args = cf_strdup(c, "");
    if (!k->format || !k->name || !k->group || !k->image || !k->args) {
        cf_case_free(c, k);
        return c->err;
    }
    return 0;
}

/* Bytes of a file on the image, as the boot layer would read it. */
static int file_size(struct pvb_boot *b, const struct pvb_boot_file *f, uint64_t *size)
{
    struct pvb_stat st;
    struct pvb_fs *fs;
    int rc = pvb_boot_fs(b, b->vols[f->vol].dev, &fs);

    if (!rc)
        rc = pvb_fs_stat(fs, f->path, &st);
    *size = rc ? 0 : st.size;
    return rc;
}

static int describe(struct bn_case *bc, struct pvb_disk *d, struct pvb_boot *b)
{
    struct pvb_boot_volume *v = &b->vols[b->vol];
    struct pvb_fs_info in;
    struct pvb_stat st;
    uint64_t n;
    unsigned i;
    int rc;

    snprintf(bc->disk_format, sizeof(bc->disk_format), "%s", d->ops->name);
    pvb_fs_info(v->fs, &in);
    snprintf(bc->fs, sizeof(bc->fs), "%s", in.version);
    snprintf(bc->cfg_format, sizeof(bc->cfg_format), "%s", b->engine->name);
    bc->vol_offset = v->vol.offset;
    if (pvb_fs_stat(v->fs, v->config, &st) == 0)
        bc->cfg_bytes = (size_t)st.size;
    rc = file_size(b, &b->kernel, &bc->ksize);
    /* GRUB starts each initrd after the first at a 4-byte boundary. */
    for (i = 0; rc == 0 && i < b->ninitrds; i++) {
        bc->rsize = (bc->rsize + 3) / 4 * 4;
        rc = file_size(b, &b->initrds[i], &n);
        bc->rsize += n;
    }
    bc->size = rc ? BN_SIZE_UNKNOWN : bn_size_of(bc->ksize, bc->rsize);
    return rc;
}

/* Extract once to a sink that drops the bytes, recording what is read from
 * the image file: the ranges the floors read (the same page-cache pages). */
static int record_reads(struct bn_bench *bb, struct bn_case *bc, struct pvb_boot *b,
                        struct pvb_disk *tracer)
{
    struct bn_ranges r = { NULL, 0, 0 };
    uint64_t ks, rs;
    int rc;

    bn_trace_record(tracer, &r);
    rc = pvb_boot_extract(b, bn_sink_drop, NULL, bn_sink_drop, NULL, &ks, &rs);
    bn_trace_record(tracer, NULL);
    if (!rc && ks + rs != bc->ksize + bc->rsize)
        rc = pvb_fail(b->ctx, PVB_EIO, "extracted %llu bytes where the files hold %llu",
                      (unsigned long long)(ks + rs), (unsigned long long)(bc->ksize + bc->rsize));
    if (!rc && !(bc->reads.v = pvb_calloc(bb->c, r.n + 1, sizeof(*r.v), "read ranges")))
        rc = pvb_fail(b->ctx, PVB_ENOMEM, "out of memory");
    if (!rc) {
        memcpy(bc->reads.v, r.v, r.n * sizeof(*r.v));
        bc->reads.n = bc->reads.cap = r.n;
    }
    pvb_free(b->ctx, r.v);
    return rc;
}

static int case_info(struct bn_bench *bb, struct bn_case *bc)
{
    struct pvb_boot_opts o;
    struct pvb_boot *b = NULL;
    struct pvb_disk *d = NULL, *tracer = NULL;
    struct pvb_ctx c;
    int rc;

    pvb_ctx_init(&c);
    pvb_boot_opts_init(&o);
    o.entry = bc->k.entry_arg;
    rc = bn_trace_open(&c, bc->k.image, &d, &tracer);
    if (!rc)
        rc = pvb_boot_decide(&c, d, &o, &b);
    if (!rc)
        rc = describe(bc, d, b);
    if (!rc)
        rc = record_reads(bb, bc, b, tracer);
    bc->info_rc = rc;
    if (rc && !(bc->info_msg = cf_strdup(bb->c, pvb_ctx_msg(&c))))
        return bb->c->err;
    pvb_boot_free(b);
    pvb_disk_close(d);
    return 0;
}

int bn_cases_info(struct bn_bench *b)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < b->ncases && rc == 0; i++)
        rc = case_info(b, &b->cases[i]);
    return rc;
}
