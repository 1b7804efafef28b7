/* SPDX-License-Identifier: GPL-2.0-only */
/* Writing values safely into JSON, Markdown and SVG, and counting results. */
#ifndef PVB_CONFORM_TEXT_H
#define PVB_CONFORM_TEXT_H

#include <stdio.h>

#include "conform.h"

/* A JSON string literal: quotes, backslashes and control bytes escaped,
 * bytes that are not valid UTF-8 replaced by U+FFFD, so the file always parses. */
void cf_json_str(FILE *f, const char *s);
/* A JSON string or null. */
void cf_json_str_or_null(FILE *f, const char *s);

/* Text for a Markdown table cell: '|' and '`' and '<' escaped, control bytes dropped. */
void cf_md_cell(FILE *f, const char *s);

/* Text for SVG/XML: & < > " escaped. */
void cf_xml(FILE *f, const char *s);

/* Flush and close a file written with stdio, checking both and every
 * earlier write (ferror): 0, or PVB_EIO naming path and the cause. f is
 * closed either way. */
int cf_close_checked(struct pvb_ctx *c, FILE *f, const char *path);

struct cf_tally {
    unsigned cls[CF_NCLASS];
    unsigned verdict[CF_NVERDICT];
    unsigned total;
};

/* Count the results of impl iimpl, over all cases or one group (NULL: all). */
void cf_tally(const struct cf_run *run, size_t iimpl, const char *group, struct cf_tally *t);
/* The same for its real boots. */
void cf_tally_boots(const struct cf_run *run, size_t iimpl, const char *group, struct cf_tally *t);

/* Passed = ok + fixed; failed = unexpected + known. */
unsigned cf_passed(const struct cf_tally *t);
unsigned cf_failed(const struct cf_tally *t);

/* The distinct groups in case order; the array (not the names) is the caller's to pvb_free. */
int cf_groups(const struct cf_run *run, const char ***names, size_t *n);

#endif
