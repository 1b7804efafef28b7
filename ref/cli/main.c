/* pvboot: a drop-in for Xen's pygrub that boots what the guest's bootloader would. */
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

static int dispatch(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    switch (o->mode) {
    case PVB_MODE_ISCONFIG:
        return pvb_cmd_isconfig(o, c);
    case PVB_MODE_INSPECT:
        return pvb_cmd_inspect(o, c);
    case PVB_MODE_LS:
    case PVB_MODE_CAT:
        return pvb_cmd_files(o, c);
    default:
        return pvb_cmd_boot(o, c);
    }
}

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
    pvb_ctx_init(&c);
    if (o.strict)
        c.flags |= PVB_CTX_STRICT;
    if (o.debug)
        c.warn = print_warning;
    c.lim.max_seconds = pvb_proc_env_seconds("PVBOOT_MAX_SECONDS", c.lim.max_seconds);
    if (pvb_proc_deadline(c.lim.max_seconds) != 0) {
        fprintf(stderr, "pvboot: cannot set the deadline: %s\n", strerror(errno));
        return 1;
    }
    rc = dispatch(&o, &c);
    /* What went to stdout through stdio (-l, --inspect, --ls, --cat) must have arrived. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "pvboot: cannot write to stdout: %s\n", strerror(errno));
        rc = 1;
    }
    return rc;
}
