/* SPDX-License-Identifier: GPL-2.0-only */
/* One whole-process run: its files (made once, emptied between runs), its argv, and the run itself. */
#define _XOPEN_SOURCE 700  /* mkdtemp() is XSI */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "conform/files.h"
#include "conform/run.h"
#include "conform/text.h"
#include "util/mem.h"

#define FLOOR_TIMEOUT 120.0
#define CAPTURE (64 * 1024)

int bn_job_init(struct pvb_ctx *c, struct bn_job *j)
{
    const char *tmp = getenv("TMPDIR");

    memset(j, 0, sizeof(*j));
    j->root = cf_printf(c, "%s/pvbench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!j->root)
        return c->err;
    if (!mkdtemp(j->root)) {
        pvb_free(c, j->root);
        j->root = NULL;
        return pvb_fail(c, PVB_EIO, "mkdtemp in %s: failed", tmp && *tmp ? tmp : "/tmp");
    }
    j->outfile = cf_printf(c, "%s/output", j->root);
    j->outdir = cf_printf(c, "%s/out", j->root);
    j->floorfile = cf_printf(c, "%s/out/copy-floor", j->root);
    j->rangesfile = cf_printf(c, "%s/ranges", j->root);
    if (!j->outfile || !j->outdir || !j->floorfile || !j->rangesfile)
        return c->err;
    if (mkdir(j->outdir, 0700) != 0)
        return pvb_fail(c, PVB_EIO, "mkdir %s: %s", j->outdir, strerror(errno));
    return 0;
}

static void args_free(struct pvb_ctx *c, struct bn_job *j)
{
    size_t i;

    for (i = 0; i < sizeof(j->own) / sizeof(j->own[0]); i++) {
        pvb_free(c, j->own[i]);
        j->own[i] = NULL;
    }
}

void bn_job_free(struct pvb_ctx *c, struct bn_job *j)
{
    args_free(c, j);
    if (j->root)
        cf_remove_tree(c, j->root);
    pvb_free(c, j->root);
    pvb_free(c, j->outfile);
    pvb_free(c, j->outdir);
    pvb_free(c, j->floorfile);
    pvb_free(c, j->rangesfile);
}

/* Before every run: an empty output directory and an empty --output file
 * (pygrub opens it without O_CREAT), the implementation's when it runs as a
 * user of its own (im NULL: the copy floor, this program's). */
static int reset(struct pvb_ctx *c, struct bn_job *j, const struct cf_impl *im)
{
    const char *const paths[2] = { j->outdir, j->outfile };
    int rc = cf_clear_dir(c, j->outdir);

    if (rc == 0 && unlink(j->outfile) != 0 && errno != ENOENT)
        rc = pvb_fail(c, PVB_EIO, "unlink %s: %s", j->outfile, strerror(errno));
    if (rc == 0)
        rc = cf_create_empty(c, j->outfile);
    /* The root stays this program's (its ranges file is there), and other
     * users only pass through it. */
    if (rc == 0 && (j->given || (im && im->run_as))) {
        if (chmod(j->root, 0711) != 0)
            return pvb_fail(c, PVB_EIO, "chmod %s: %s", j->root, strerror(errno));
        rc = cf_give(c, paths, 2, im && im->run_as ? im->uid : geteuid(), im && im->run_as ? im->gid : getegid());
        j->given = im && im->run_as;
    }
    return rc;
}

/* COMMAND -q --output-format=simple0 --output=F --output-directory=D
 * [--entry=E] IMAGE, as libxl runs pygrub and pvconform runs every impl. */
static int impl_argv(struct pvb_ctx *c, struct bn_job *j, size_t n, const struct cf_impl *im,
                     const struct cf_case *k)
{
    size_t i;

    for (i = 0; im->argv[i] && n < BN_MAX_ARGS - 7; i++)
        j->argv[n++] = im->argv[i];
    j->own[0] = cf_printf(c, "--output=%s", j->outfile);
    j->own[1] = cf_printf(c, "--output-directory=%s", j->outdir);
    j->own[2] = k->entry_arg ? cf_printf(c, "--entry=%s", k->entry_arg) : NULL;
    if (!j->own[0] || !j->own[1] || (k->entry_arg && !j->own[2]))
        return c->err;
    j->argv[n++] = "-q";
    j->argv[n++] = "--output-format=simple0";
    j->argv[n++] = j->own[0];
    j->argv[n++] = j->own[1];
    if (j->own[2])
        j->argv[n++] = j->own[2];
    j->argv[n++] = k->image;
    j->argv[n] = NULL;
    j->lim.timeout = im->timeout;
    j->lim.mem_mb = im->mem_mb;
    j->lim.fsize_mb = im->fsize_mb;
    j->lim.run_as = im->run_as != NULL;
    j->lim.uid = im->uid;
    j->lim.gid = im->gid;
    j->lim.nproc = cf_run_nproc(im, 1);
    j->lim.readable = im->run_as ? k->image : NULL;
    return 0;
}

/* The ranges extraction reads, for the copy-floor process. */
static int write_ranges(struct pvb_ctx *c, const char *path, const struct bn_ranges *r)
{
    FILE *f = fopen(path, "w");
    size_t i;

    if (!f)
        return pvb_fail(c, PVB_EIO, "%s: cannot create: %s", path, strerror(errno));
    for (i = 0; i < r->n; i++)
        fprintf(f, "%llu %llu\n", (unsigned long long)r->v[i].off, (unsigned long long)r->v[i].len);
    return cf_close_checked(c, f, path);
}

/* SELF --copy-floor IMAGE RANGES OUT: the bytes extraction reads, from the
 * same file, into one output file. */
static int floor_argv(const struct bn_bench *b, struct bn_job *j, size_t n,
                      const struct bn_case *bc)
{
    int rc = write_ranges(b->c, j->rangesfile, &bc->reads);

    if (rc || n + 6 > BN_MAX_ARGS)
        return rc ? rc : pvb_fail(b->c, PVB_EINVAL, "too many arguments");
    j->argv[n++] = (char *)b->o->self;
    j->argv[n++] = "--copy-floor";
    j->argv[n++] = bc->k.image;
    j->argv[n++] = j->rangesfile;
    j->argv[n++] = j->floorfile;
    j->argv[n] = NULL;
    j->lim.timeout = FLOOR_TIMEOUT;
    j->lim.mem_mb = 0;
    j->lim.fsize_mb = 0;
    j->lim.run_as = 0;
    j->lim.nproc = 0;
    j->lim.readable = NULL;
    return 0;
}

int bn_job_run(const struct bn_bench *b, struct bn_job *j, size_t icase, size_t p,
               char *const *prefix, struct cf_proc *pr)
{
    struct pvb_ctx *c = b->c;
    size_t n = 0;
    int rc;

    args_free(c, j);
    for (; prefix && prefix[n] && n < BN_MAX_ARGS / 2; n++)
        j->argv[n] = prefix[n];
    rc = reset(c, j, p < b->nimpls ? &b->impls[p] : NULL);
    if (!rc)
        rc = p < b->nimpls ? impl_argv(c, j, n, &b->impls[p], &b->cases[icase].k)
                           : floor_argv(b, j, n, &b->cases[icase]);
    j->lim.capture = CAPTURE;
    j->lim.flood = 64u << 20;
    j->lim.box = b->contain;
    if (j->slow > 1) {
        j->lim.timeout *= j->slow;
        j->lim.mem_mb = 0;   /* valgrind reserves far more address space than it uses */
    }
    if (!rc)
        rc = cf_proc_run(c, pr, j->argv, p < b->nimpls ? b->impls[p].env : NULL, j->root, &j->lim);
    else
        memset(pr, 0, sizeof(*pr));
    return rc;
}
