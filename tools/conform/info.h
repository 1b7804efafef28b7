/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine and the date a run describes, for the JSON results and REPORT.md. */
#ifndef PVB_CONFORM_INFO_H
#define PVB_CONFORM_INFO_H

#include <stddef.h>

/* "Linux 6.1.0-18-amd64 x86_64" */
void cf_info_system(char *buf, size_t n);
/* The CPU model from /proc/cpuinfo where there is one, else "". */
void cf_info_cpu(char *buf, size_t n);
/* Processors online (1 when unknown). */
unsigned cf_info_ncpu(void);
/* "2026-11-26 01:02 UTC" (or ISO 8601 "2026-11-26T01:02:03Z" with iso). */
void cf_info_date(long t, int iso, char *buf, size_t n);

#endif
