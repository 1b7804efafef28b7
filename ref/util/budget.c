/* SPDX-License-Identifier: GPL-2.0-only */
/* Work budgets and the deadline of one run. */
#include <time.h>
#include <unistd.h>

#include "util/budget.h"

/* Read the clocks at most once per this many charges (a charge of a large read always reads
 * them): a clock read costs about as much as a few hundred charges. */
#define TICKS_PER_CHECK 1024u
#define BIG_CHARGE 65536u

static const struct {
    const char *name;
    const char *what;   /* "more than N <what>" */
} budgets[PVB_BUDGET_COUNT] = {
    { "step", "config evaluation steps" },
    { "read", "bytes read from the image" },
    { "inflate", "bytes decompressed from compressed clusters" },
    { "scan", "names looked up and directory entries scanned" },
    { "config read", "bytes of config files read" },
};

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;

    if (clock_gettime(id, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t cpu_ns(void)
{
#if defined(_POSIX_CPUTIME) && _POSIX_CPUTIME >= 0
    int64_t t = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    if (t >= 0)
        return t;
#endif
    {
        clock_t k = clock();
        return k == (clock_t)-1 ? -1 : (int64_t)((double)k * (1e9 / CLOCKS_PER_SEC));
    }
}

void pvb_budget_start(struct pvb_ctx *c)
{
    unsigned i;

    for (i = 0; i < PVB_BUDGET_COUNT; i++)
        c->used[i] = 0;
    c->ticks = 0;
    c->start_ns = clock_ns(CLOCK_MONOTONIC);
    c->start_cpu_ns = cpu_ns();
}

int pvb_deadline_check(struct pvb_ctx *c)
{
    int64_t max = (int64_t)c->lim.max_seconds * 1000000000, now;

    c->ticks = 0;
    if (max == 0)
        return 0;
    now = clock_ns(CLOCK_MONOTONIC);
    if (c->start_ns >= 0 && now >= 0 && now - c->start_ns > max)
        return pvb_fail(c, PVB_ELIMIT, "budget: the run took more than %u s of wall-clock time "
                        "(the deadline)", c->lim.max_seconds);
    now = cpu_ns();
    if (c->start_cpu_ns >= 0 && now >= 0 && now - c->start_cpu_ns > max)
        return pvb_fail(c, PVB_ELIMIT, "budget: the run took more than %u s of CPU time "
                        "(the deadline)", c->lim.max_seconds);
    return 0;
}

uint64_t pvb_budget_max(const struct pvb_ctx *c, enum pvb_budget b)
{
    switch (b) {
    case PVB_BUDGET_STEPS: return c->lim.max_steps;
    case PVB_BUDGET_READ: return c->lim.max_read;
    case PVB_BUDGET_INFLATE: return c->lim.max_inflate;
    case PVB_BUDGET_SCAN: return c->lim.max_scan;
    case PVB_BUDGET_CONFIG: return c->lim.max_config_read;
    default: return 0;
    }
}

const char *pvb_budget_name(enum pvb_budget b)
{
    return (unsigned)b < PVB_BUDGET_COUNT ? budgets[b].name : "?";
}

int pvb_charge(struct pvb_ctx *c, enum pvb_budget b, uint64_t n)
{
    uint64_t max = pvb_budget_max(c, b);

    if (n > max || c->used[b] > max - n)
        return pvb_fail(c, PVB_ELIMIT, "budget: more than %llu %s in one run (the %s budget)",
                        (unsigned long long)max, budgets[b].what, budgets[b].name);
    c->used[b] += n;
    if (++c->ticks >= TICKS_PER_CHECK || n >= BIG_CHARGE)
        return pvb_deadline_check(c);
    return 0;
}
