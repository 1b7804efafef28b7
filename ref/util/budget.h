/* SPDX-License-Identifier: GPL-2.0-only */
/* The work one run may do, and the time it may take: budgets charged where the work is done. */
#ifndef PVB_UTIL_BUDGET_H
#define PVB_UTIL_BUDGET_H

#include <stdint.h>

#include "util/ctx.h"

/*
 * A hostile image must not hold a dom0 CPU: pvb_limits caps each structure,
 * and these cap the whole run. Every layer charges the work it does (the disk
 * layer the bytes it reads and inflates, the fs layer each name it looks up
 * and each directory entry it scans, the config engines each step and each
 * byte of config they read), into one set of counters per run, shared by
 * every volume and config: trying 4,096 volumes costs no more than one.
 * Charging also checks the run's deadline (lim.max_seconds of wall-clock and
 * of CPU time). Spending a budget is PVB_ELIMIT naming it: a limit of
 * pvboot's own, which ends the boot. The budgets are listed in util/limit.h.
 */
/* Start a run: counters to zero, the deadline from now (pvb_ctx_init does this). */
void pvb_budget_start(struct pvb_ctx *c);

/* Charge n units of budget b; PVB_ELIMIT with a message naming it when the
 * budget is spent or the deadline has passed. */
int pvb_charge(struct pvb_ctx *c, enum pvb_budget b, uint64_t n);

/* Only the deadline (for loops that charge nothing else). */
int pvb_deadline_check(struct pvb_ctx *c);

/* What budget b allows, and its name ("read", "scan", ...). */
uint64_t pvb_budget_max(const struct pvb_ctx *c, enum pvb_budget b);
const char *pvb_budget_name(enum pvb_budget b);

#endif
