/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine-readable results file (--json). */
#ifndef PVB_CONFORM_JSON_H
#define PVB_CONFORM_JSON_H

#include "conform.h"

/*
 * {"pvconform": 1, "pvconform_version" (pvb_version()), "date", "machine", "corpus": {dir, cases, groups, hostile},
 *  "elapsed_seconds", "runner_cpu_seconds", "implementations": [{name, file, command, version,
 *  formats, timeout, mem_mb, fsize_mb, available, skip_reason, counts}],
 *  "qemu": {command, version, timeout, mem_mb, available, skip_reason} or null,
 *  "boots": [real boots, as results], "results": [{impl, case, group, class,
 *  cause, verdict, exit, signal, seconds, cpu_ms, maxrss_kb, detail, stderr, divergence}]}
 */
int cf_json_write(struct pvb_ctx *c, const struct cf_run *run, const char *path);

#endif
