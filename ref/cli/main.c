/* SPDX-License-Identifier: GPL-2.0-only */
/* pvboot: a drop-in for Xen's pygrub that boots what the guest's bootloader would. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/proc.h"

int main(int argc, char **argv)
{
    struct pvb_cli_opts o;
    struct pvb_ctx c;
    int rc;

    /* Before anything opens a file: see proc.h. */
    if (pvb_proc_init() != 0) {
        fprintf(stderr, "pvboot: cannot set up the standard descriptors and signals: %s\n",
                strerror(errno));
        return 1;
    }
    rc = pvb_cli_parse(argc, argv, &o);
    if (rc != PVB_OPTS_CONTINUE)
        return rc;
    pvb_cmd_ctx_init(&o, &c);
    if (pvb_proc_deadline(c.lim.max_seconds) != 0) {
        fprintf(stderr, "pvboot: cannot set the deadline: %s\n", strerror(errno));
        return 1;
    }
    return pvb_cmd_run(&o, &c);
}
