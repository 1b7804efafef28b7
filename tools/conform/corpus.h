/* The corpus: every .expect under a directory, filtered by case-name globs, sorted by name. */
#ifndef PVB_CONFORM_CORPUS_H
#define PVB_CONFORM_CORPUS_H

#include "conform.h"

/* Load the cases under dir whose name matches one of the globs (all when
 * nglobs is 0). A case whose image is missing, two cases of one name or an
 * .expect that does not parse are errors: the corpus is generated, so any of
 * them means it is broken. */
int cf_corpus_load(struct pvb_ctx *c, const char *dir, char *const *globs, size_t nglobs,
                   struct cf_case **cases, size_t *n);

void cf_corpus_free(struct pvb_ctx *c, struct cf_case *cases, size_t n);

#endif
