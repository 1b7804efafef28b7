/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine and the date a run describes, for the JSON results and REPORT.md. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "info.h"

void cf_info_system(char *buf, size_t n)
{
    struct utsname u;

    if (uname(&u) == 0)
        snprintf(buf, n, "%s %s %s", u.sysname, u.release, u.machine);
    else
        snprintf(buf, n, "unknown");
}

void cf_info_cpu(char *buf, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");  /* Linux only; elsewhere the model is left out */
    char line[512];

    buf[0] = '\0';
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':'), *v;
        if (strncmp(line, "model name", 10) != 0 || !colon)
            continue;
        for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
            ;
        v[strcspn(v, "\n")] = '\0';
        snprintf(buf, n, "%s", v);
        break;
    }
    fclose(f);
}

unsigned cf_info_ncpu(void)
{
#ifdef _SC_NPROCESSORS_ONLN
    long k = sysconf(_SC_NPROCESSORS_ONLN);  /* not POSIX, but on every Linux and BSD */
    if (k > 0)
        return k > 1024 ? 1024u : (unsigned)k;
#endif
    return 1;
}

void cf_info_date(long t, int iso, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) ||
        !strftime(buf, n, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(buf, n, "unknown");
}
