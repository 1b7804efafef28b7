/* SPDX-License-Identifier: GPL-2.0-only */
/* The clock and timed batches: a figure is the time of count calls, divided by count. */
#include <time.h>

#include "bench.h"

#define MAX_COUNT 1000000u

double bn_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Double the count until one batch lasts min seconds: a batch long enough
 * for the clock, short enough that the alternation stays fine-grained. */
int bn_batch_calibrate(struct bn_batch *bt, double min)
{
    double t;
    int rc;

    bt->count = 1;
    for (;;) {
        rc = bn_batch_time(bt, &t);
        if (rc || t * bt->count >= min || bt->count >= MAX_COUNT)
            return rc;
        bt->count *= 2;
    }
}

int bn_batch_time(struct bn_batch *bt, double *t)
{
    double t0 = bn_now();
    unsigned i;
    int rc = 0;

    for (i = 0; i < bt->count && rc == 0; i++)
        rc = bt->fn(bt->arg);
    *t = (bn_now() - t0) / bt->count;
    return rc;
}

void bn_ctx_init(struct pvb_ctx *c)
{
    pvb_ctx_init(c);
    c->lim.max_steps = c->lim.max_read = c->lim.max_inflate = c->lim.max_scan = UINT64_MAX;
    c->lim.max_config_read = UINT64_MAX;
    c->lim.max_seconds = 0;
}
