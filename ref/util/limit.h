/* SPDX-License-Identifier: GPL-2.0-only */
/* Caps on everything a hostile image can make pvboot allocate, walk or repeat. */
#ifndef PVB_UTIL_LIMIT_H
#define PVB_UTIL_LIMIT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Guest images are hostile: every count, depth and size read from one is held
 * against these before it is used. Exceeding one is PVB_ELIMIT, never a crash.
 * Callers start from pvb_limits_default() and may tighten or loosen fields.
 */
struct pvb_limits {
    size_t   max_alloc;     /* one allocation, bytes */
    size_t   max_mem;       /* all live allocations of one context, bytes */
    unsigned max_depth;     /* nesting of trees, submenus, source/configfile, calls */
    unsigned max_parts;     /* partition entries read (GPT array, logical chain) */
    unsigned max_entries;   /* directory entries scanned, menu entries kept */
    unsigned max_symlinks;  /* symlink hops in one path walk (GRUB: 8) */
    size_t   max_path;      /* bytes in a path, after symlink expansion */
    uint64_t max_file_size; /* a file extracted from the guest (kernel, initrd) */
    size_t   max_config;    /* a config file read from the guest (pygrub: 1 MiB) */
    /* Budgets of one run (util/budget.h), shared by every volume and config. */
    uint64_t max_steps;       /* config evaluation steps */
    uint64_t max_read;        /* bytes read from the image files */
    uint64_t max_inflate;     /* bytes decompressed from compressed clusters */
    uint64_t max_scan;        /* names looked up plus directory entries scanned */
    uint64_t max_config_read; /* bytes of config files the engines read (source, grubenv, BLS) */
    unsigned max_seconds;     /* wall-clock and CPU seconds of the run; 0: no deadline */
    /* Volume managers (ref/vol): items of one metadata text (LVM2: values, sections),
     * and the PVs, LVs, segments and stripes taken from it. */
    unsigned max_vol_items;
};

/* The budgets that pvb_charge() counts, each against its max_* above. */
enum pvb_budget {
    PVB_BUDGET_STEPS,
    PVB_BUDGET_READ,
    PVB_BUDGET_INFLATE,
    PVB_BUDGET_SCAN,
    PVB_BUDGET_CONFIG,
    PVB_BUDGET_COUNT
};

void pvb_limits_default(struct pvb_limits *lim);

#endif
