/* SPDX-License-Identifier: GPL-2.0-only */
/* Names and classes of pvbench's model: size classes, in-process figures, participants. */
#include "bench.h"

const char *bn_size_name(enum bn_size s)
{
    static const char *const names[BN_NSIZE] = { "unknown", "small", "medium", "realistic" };

    return (unsigned)s < BN_NSIZE ? names[s] : "?";
}

/* The size classes: payloads (kernel + ramdisk) under 1 MiB; a realistic
 * guest's 8 MiB kernel with a 24 MiB or larger initramfs; the rest between. */
enum bn_size bn_size_of(uint64_t ksize, uint64_t rsize)
{
    if (ksize + rsize < BN_SMALL_BYTES)
        return BN_SIZE_SMALL;
    if (ksize >= BN_REAL_KERNEL && rsize >= BN_REAL_RAMDISK)
        return BN_SIZE_REALISTIC;
    return BN_SIZE_MEDIUM;
}

const char *bn_fig_name(enum bn_fig f)
{
    static const char *const names[BN_NFIG] = {
        "probe", "scan", "mount", "config", "extract", "total", "pread", "memcpy", "cfgscan"
    };

    return (unsigned)f < BN_NFIG ? names[f] : "?";
}

const char *bn_name(const struct bn_bench *b, size_t p)
{
    return p < b->nimpls ? b->impls[p].name : "copy-floor";
}

const char *const bn_cfg_formats[BN_NCFG] = { "grub2", "grub1", "extlinux", "lilo" };
