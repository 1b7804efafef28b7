/* SPDX-License-Identifier: GPL-2.0-only */
/* REPORT.md: the compatibility matrix, the divergences by cause, and the pass-rate chart. */
#ifndef PVB_CONFORM_REPORT_H
#define PVB_CONFORM_REPORT_H

#include <stdio.h>

#include "conform.h"

/* Write the Markdown report to path and its chart next to it (path with
 * ".md" replaced by ".svg", or ".svg" appended), linked by file name. */
int cf_report_write(struct pvb_ctx *c, const struct cf_run *run, const char *path);

/* The "Real boots" section (nothing when the run booted nothing). */
void cf_report_boots(FILE *f, const struct cf_run *run);

/* The chart alone: pass rate per group, one bar per implementation. */
void cf_svg_write(FILE *f, const struct cf_run *run, const char **groups, size_t ngroups);

#endif
