/* SPDX-License-Identifier: GPL-2.0-only */
/* The pvboot command's modes, one file each, and the command layer (cmd.c) main() calls. */
#ifndef PVB_CLI_CLI_H
#define PVB_CLI_CLI_H

#include "cli/opts.h"
#include "util/ctx.h"

/* A context for a run with these options: default limits, --strict, --debug's warnings
 * on stderr, the deadline from PVBOOT_MAX_SECONDS. */
void pvb_cmd_ctx_init(const struct pvb_cli_opts *o, struct pvb_ctx *c);

/* The mode's command, then a check that stdout received what it printed: the exit status. */
int pvb_cmd_run(const struct pvb_cli_opts *o, struct pvb_ctx *c);

/* Each returns the process exit status, having printed what pygrub prints. */
int pvb_cmd_boot(const struct pvb_cli_opts *o, struct pvb_ctx *c);      /* default, -l, -n */
int pvb_cmd_isconfig(const struct pvb_cli_opts *o, struct pvb_ctx *c);
int pvb_cmd_inspect(const struct pvb_cli_opts *o, struct pvb_ctx *c);   /* --inspect, --json */
int pvb_cmd_files(const struct pvb_cli_opts *o, struct pvb_ctx *c);     /* --ls, --cat */

/* One line on stderr, "pvboot: <layer>: <reason>", and exit status 1. */
int pvb_cmd_fail(struct pvb_ctx *c);

/* Open the image as the options say (--format, --allow-backing, --backing-dir). */
struct pvb_disk;
int pvb_cmd_open_disk(const struct pvb_cli_opts *o, struct pvb_ctx *c, struct pvb_disk **d);

#endif
