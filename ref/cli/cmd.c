/* SPDX-License-Identifier: GPL-2.0-only */
/* The command layer: a context from the options, the mode's command, and what every mode shares. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/proc.h"
#include "disk/disk.h"

static void print_warning(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "pvboot: warning: %s\n", msg);
}

void pvb_cmd_ctx_init(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    pvb_ctx_init(c);
    if (o->strict)
        c->flags |= PVB_CTX_STRICT;
    if (o->debug)
        c->warn = print_warning;
    c->lim.max_seconds = pvb_proc_env_seconds("PVBOOT_MAX_SECONDS", c->lim.max_seconds);
}

int pvb_cmd_fail(struct pvb_ctx *c)
{
    fprintf(stderr, "pvboot: %s\n", pvb_ctx_msg(c));
    return 1;
}

int pvb_cmd_open_disk(const struct pvb_cli_opts *o, struct pvb_ctx *c, struct pvb_disk **d)
{
    struct pvb_disk_opts dopts;

    memset(&dopts, 0, sizeof(dopts));
    dopts.format = o->image_format;
    dopts.allow_backing = o->allow_backing;
    dopts.backing_dir = o->backing_dir;
    return pvb_disk_open_path(c, o->image, &dopts, d);
}

int pvb_cmd_run(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    int rc;

    switch (o->mode) {
    case PVB_MODE_ISCONFIG:
        rc = pvb_cmd_isconfig(o, c);
        break;
    case PVB_MODE_INSPECT:
        rc = pvb_cmd_inspect(o, c);
        break;
    case PVB_MODE_LS:
    case PVB_MODE_CAT:
        rc = pvb_cmd_files(o, c);
        break;
    default:
        rc = pvb_cmd_boot(o, c);
        break;
    }
    /* What went to stdout through stdio (-l, --inspect, --ls, --cat) must have arrived. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "pvboot: cannot write to stdout: %s\n", strerror(errno));
        rc = 1;
    }
    return rc;
}
