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
    uint64_t max_steps;     /* evaluation steps of one config script */
};

void pvb_limits_default(struct pvb_limits *lim);

#endif
