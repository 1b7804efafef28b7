/* SPDX-License-Identifier: GPL-2.0-only */
/* What pvconform prints while it runs: one line per result (TAP or plain) and the totals. */
#ifndef PVB_CONFORM_TERM_H
#define PVB_CONFORM_TERM_H

#include <stdio.h>

#include "conform.h"

struct cf_term {
    FILE *f;
    int tap;        /* TAP 13 lines instead of the plain ones */
};

/* The TAP plan, before any result. */
void cf_term_begin(struct cf_term *t, const struct cf_run *run);

/* One result (an emit callback for cf_run_all). */
void cf_term_result(void *arg, const struct cf_run *run, size_t i);

/* One real boot (run->boots[i]), numbered after the results. */
void cf_term_boot(void *arg, const struct cf_run *run, size_t i);

/* "NAME: N passed, N failed ..." per implementation. Returns 1 when a result
 * is an unexpected failure or a stale divergence (the run's exit status;
 * runner errors are main's to count). */
int cf_term_summary(struct cf_term *t, const struct cf_run *run);

#endif
