/* SPDX-License-Identifier: GPL-2.0-only */
/* The implementations of a run: impl files or a directory of them, --impl overrides, located and versioned. */
#ifndef PVB_CONFORM_IMPLSET_H
#define PVB_CONFORM_IMPLSET_H

#include "conform.h"

#define CF_IMPLSET_MAX 256  /* impl files in a directory, and entries of each list */

/* The default --impl-dir of pvconform and pvbench: the source tree's, relative to its top;
 * the installed programs are compiled with DATADIR/pvboot/impls (make install). */
#ifndef CF_IMPL_DIR
#define CF_IMPL_DIR "tools/conform/impls"
#endif

/* What the command line chose. */
struct cf_implset_sel {
    const char *dir;           /* every regular file here (README*, dot and ~ files
                                * skipped) when files and specs are both empty */
    char *const *files;        /* --impl-file */
    size_t nfiles;
    char *const *specs;        /* --impl NAME=COMMAND: replaces that impl's command, or adds one */
    size_t nspecs;
    double timeout;            /* > 0: replaces every impl's */
    long mem_mb;               /* >= 0: replaces every impl's */
    const char *run_as;        /* NULL, or a user that replaces every impl's run-as-user */
};

/*
 * Load the chosen implementations in order (directory files by name), each
 * argv[0] located (im->missing says why one cannot run), its user resolved
 * and its version command run. Two of one name are an error, and so is a
 * user that cannot be had. Free with cf_implset_free().
 */
int cf_implset_load(struct pvb_ctx *c, const struct cf_implset_sel *s, struct cf_impl **impls,
                    size_t *n);

/* im->version: the first line its version command prints (stdout, else stderr);
 * the command's $1 is im->argv[0], the program as located. */
void cf_impl_run_version(struct pvb_ctx *c, struct cf_impl *im);

void cf_implset_free(struct pvb_ctx *c, struct cf_impl *impls, size_t n);

#endif
