/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine, compiler and load a run describes: results from a P4 and from here side by side. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "conform/info.h"

/* The compiler this pvbench was built with (it built libpvboot too). */
static const char *compiler(void)
{
#if defined(__clang__)
    return "clang " __clang_version__;
#elif defined(__TINYC__)
    return "tcc";
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown";
#endif
}

/* The 1, 5 and 15 minute load averages (Linux /proc/loadavg); "unknown" elsewhere. */
void bn_loadavg(char *buf, size_t n)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double a, b, c;

    if (f && fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3)
        snprintf(buf, n, "%.2f %.2f %.2f", a, b, c);
    else
        snprintf(buf, n, "unknown");
    if (f)
        fclose(f);
}

void bn_machine(struct bn_bench *b)
{
    cf_info_system(b->system, sizeof(b->system));
    cf_info_cpu(b->cpu, sizeof(b->cpu));
    b->ncpu = cf_info_ncpu();
    cf_info_date((long)time(NULL), 0, b->date, sizeof(b->date));
    snprintf(b->compiler, sizeof(b->compiler), "%s", compiler());
    b->bits = (unsigned)(sizeof(void *) * 8);
    bn_loadavg(b->load_start, sizeof(b->load_start));
}
