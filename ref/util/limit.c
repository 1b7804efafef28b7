/* SPDX-License-Identifier: GPL-2.0-only */
/* Default limits: generous for any real guest, small enough for a 32-bit dom0. */
#include "util/limit.h"

void pvb_limits_default(struct pvb_limits *lim)
{
    lim->max_alloc = (size_t)32 << 20;     /* a 2 MiB qcow2 L2 table or 1 MiB config fits */
    lim->max_mem = (size_t)128 << 20;      /* well under pygrub's 256 MiB RLIMIT_AS */
    lim->max_depth = 64;
    lim->max_parts = 4096;                 /* GPT default is 128 entries */
    lim->max_entries = 1000000;            /* XFS/ext dirs with 50,000+ names still read */
    lim->max_symlinks = 8;                 /* GRUB fshelp */
    lim->max_path = 4096;                  /* PATH_MAX */
    lim->max_file_size = (uint64_t)1 << 30;
    lim->max_config = (size_t)1 << 20;     /* pygrub reads at most 1 MiB */
    /* Budgets of the whole run: an honest guest reads at most a kernel and a ramdisk of
     * max_file_size each plus metadata; a hostile one stops within seconds. */
    lim->max_steps = 10000000;             /* about 0.5 s of evaluation */
    lim->max_read = (uint64_t)4 << 30;
    /* Inflating the clusters of a kernel and a ramdisk of max_file_size each, and metadata:
     * a hostile image costs no more than the largest honest one. */
    lim->max_inflate = 2 * lim->max_file_size + ((uint64_t)256 << 20);
    lim->max_scan = 4000000;               /* about 0.1 s of directory scanning */
    lim->max_config_read = (size_t)64 << 20;
    lim->max_seconds = 60;
    lim->max_vol_items = 65536;            /* a VG of 1,000 LVs has some 20,000 values */
}
