/* SPDX-License-Identifier: GPL-2.0-only */
/* Instructions per case: user-space instructions of one run, under perf stat or else callgrind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bench.h"

#define SLOW 100.0   /* callgrind runs a program up to ~100 times slower */

static char *const perf_prefix[] = { "perf", "stat", "-x,", "-e", "instructions:u", "--", NULL };
static char *const callgrind_prefix[] = {
    "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--trace-children=yes", NULL
};

/* perf stat -x, prints "COUNT,UNIT,instructions:u,..." (or "<not supported>,...");
 * callgrind one "==PID== Collected : COUNT" per process, summed here. */
double bn_instr_parse(const char *tool, const char *err)
{
    const char *p = err, *at;
    double sum = -1, v;
    char *end;

    if (strcmp(tool, "perf") == 0) {
        if (!(at = strstr(err, ",instructions")))
            return -1;
        for (p = at; p > err && p[-1] != '\n'; p--)
            ;
        v = strtod(p, &end);
        return end > p && *end == ',' ? v : -1;
    }
    while ((p = strstr(p, "Collected :")) != NULL) {
        v = strtod(p + 11, &end);
        if (end == p + 11)
            return -1;
        sum = (sum < 0 ? 0 : sum) + v;
        p = end;
    }
    return sum;
}

/* perf where the kernel gives it counters (not in most VMs), else callgrind. */
static const char *pick_tool(struct bn_bench *b)
{
    static char *const probe[] = { "perf", "stat", "-x,", "-e", "instructions:u", "true", NULL };
    const char *want = b->o->instr;
    struct cf_limits lim;
    struct cf_proc pr;
    double v = -1;

    if (strcmp(want, "callgrind") == 0)
        return "callgrind";
    memset(&lim, 0, sizeof(lim));
    lim.timeout = 30;
    lim.capture = 4096;
    if (cf_proc_run(b->c, &pr, probe, NULL, NULL, &lim) == 0 && pr.have_exit)
        v = bn_instr_parse("perf", pr.err.buf);
    cf_proc_free(b->c, &pr);
    if (v > 0)
        return "perf";
    return strcmp(want, "perf") == 0 ? NULL : "callgrind";
}

static double count(struct bn_bench *b, struct bn_job *j, size_t icase, size_t p)
{
    const struct bn_run *r = BN_RUN(b, icase, p);
    char *const *prefix = strcmp(b->instr_tool, "perf") == 0 ? perf_prefix : callgrind_prefix;
    struct cf_proc pr;
    double v = -1;

    if (bn_job_run(b, j, icase, p, prefix, &pr) == 0 && pr.have_exit && !pr.ex.setup_errno &&
        WIFEXITED(pr.ex.wstatus) && (WEXITSTATUS(pr.ex.wstatus) == 0) == (r->cls == CF_PASS))
        v = bn_instr_parse(b->instr_tool, pr.err.buf);
    cf_proc_free(b->c, &pr);
    return v;
}

int bn_instr_run(struct bn_bench *b)
{
    struct bn_job j;
    size_t icase, p;
    int rc;

    b->instr_tool = pick_tool(b);
    if (!b->instr_tool || !b->runs)
        return 0;
    rc = bn_job_init(b->c, &j);
    j.slow = SLOW;
    for (icase = 0; icase < b->ncases && rc == 0 && !*b->stop; icase++) {
        for (p = 0; p < b->nimpls; p++)
            if (BN_RUN(b, icase, p)->state == BN_TIMED)
                BN_RUN(b, icase, p)->instr = count(b, &j, icase, p);
        if (!b->o->quiet)
            fprintf(stderr, "[%zu/%zu] instructions (%s) %s\n", icase + 1, b->ncases,
                    b->instr_tool, b->cases[icase].k.name);
    }
    bn_job_free(b->c, &j);
    return rc;
}
