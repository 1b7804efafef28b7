/* SPDX-License-Identifier: GPL-2.0-only */
/* The pvboot command line: pygrub's options, parsed as Python's getopt.gnu_getopt does. */
#ifndef PVB_CLI_OPTS_H
#define PVB_CLI_OPTS_H

#include "cli/output.h"

enum pvb_cli_mode {
    PVB_MODE_BOOT = 0,   /* extract kernel and ramdisk (pygrub's normal run) */
    PVB_MODE_LIST,       /* -l */
    PVB_MODE_ISCONFIG,   /* --isconfig: the argument is a config file in dom0 */
    PVB_MODE_INSPECT,    /* --inspect / --json */
    PVB_MODE_LS,         /* --ls=PATH */
    PVB_MODE_CAT         /* --cat=PATH */
};

struct pvb_cli_opts {
    enum pvb_cli_mode mode;
    int interactive;          /* -i (default) unless -q, --entry */
    int not_really;           /* -n */
    int debug;                /* --debug */
    int json;                 /* --json (with --inspect) */
    const char *output;       /* --output; NULL = stdout ("-") */
    enum pvb_outfmt format;   /* --output-format, default sxp */
    const char *outdir;       /* --output-directory, default /var/run/xen/pygrub/ */
    long long offset;         /* --offset; -1 = scan partitions */
    long runas;               /* --runas; -1 = not given */
    const char *entry;        /* --entry */
    const char *kernel;       /* --kernel */
    const char *ramdisk;      /* --ramdisk */
    const char *args;         /* --args */
    const char *path;         /* --ls / --cat */
    long partition;           /* --partition=N (GRUB number), -1 = any */
    const char *device;       /* --partition=lvm/VG-LV or lvmid/...: a logical volume, or NULL */
    const char *image_format; /* --format */
    int allow_backing;        /* --allow-backing */
    const char *backing_dir;  /* --backing-dir */
    const char *semantics;    /* --semantics=auto|upstream|fedora|suse */
    int strict;               /* --strict */
    const char *image;        /* the disk image (or config file with --isconfig) */
};

/* What parsing decided: go on, or exit now with this status after the
 * messages were printed exactly as pygrub prints them. */
#define PVB_OPTS_CONTINUE (-1)

/* Parse argv into o. Returns PVB_OPTS_CONTINUE, or an exit status. */
int pvb_cli_parse(int argc, char **argv, struct pvb_cli_opts *o);

/* pygrub's usage line (with pvboot's extra options after it), on stderr. */
void pvb_cli_usage(const char *argv0);

#endif
