/* SPDX-License-Identifier: GPL-2.0-only */
/* The corpus: every .expect under a directory, filtered by case-name globs, sorted by name. */
#ifndef PVB_CONFORM_CORPUS_H
#define PVB_CONFORM_CORPUS_H

#include "conform.h"

/* Which cases to run: names matching an include glob (all when there is
 * none) and no exclude glob (fnmatch(3) without flags: '*' matches '/'). */
struct cf_select {
    char *const *include;
    size_t ninclude;
    char *const *exclude;
    size_t nexclude;
};

/* Load the selected cases under dir. A case whose image is missing, two
 * cases of one name or an .expect that does not parse are errors: the
 * corpus is generated, so any of them means it is broken. */
int cf_corpus_load(struct pvb_ctx *c, const char *dir, const struct cf_select *sel,
                   struct cf_case **cases, size_t *n);

void cf_corpus_free(struct pvb_ctx *c, struct cf_case *cases, size_t n);

#endif
