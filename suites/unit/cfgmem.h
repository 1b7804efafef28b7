/* SPDX-License-Identifier: GPL-2.0-only */
/* A config engine environment over files held in memory, for the cfg unit suites and fuzz targets. */
#ifndef PVB_TEST_CFGMEM_H
#define PVB_TEST_CFGMEM_H

#include <stddef.h>

#include "cfg/cfg.h"

#define CFGMEM_MAX 64

/* Files of one volume ("hd0,msdos1", UUID 11111111-2222-3333-4444-555555555555, label
 * pvboot), given with their lengths (no NUL needed). A path ending in '/' is a
 * directory; directories are also implied by file paths. Data NULL: listed, unreadable. */
struct cfgmem {
    const char *path[CFGMEM_MAX];
    size_t plen[CFGMEM_MAX];
    const char *data[CFGMEM_MAX];
    size_t dlen[CFGMEM_MAX];
    unsigned n;
    const char *uuid, *label;
    int fail_read;            /* read_file and stat return this code when non-zero */
};

void cfgmem_init(struct cfgmem *m);
/* A NUL-terminated path and data (NULL: unreadable); past CFGMEM_MAX files are ignored. */
void cfgmem_add(struct cfgmem *m, const char *path, const char *data);
void cfgmem_addn(struct cfgmem *m, const char *path, size_t plen, const char *data, size_t dlen);
/* The env struct whose callbacks read m. The volume is btrfs for SUSE's rules: its
 * default subvolume is @/.snapshots/1/snapshot, subvolume N (1..99) @/.snapshots/N/snapshot. */
void cfgmem_env(struct cfgmem *m, struct pvb_cfg_env *env);

/* Evaluate text as fmt at path with m's files; the menu in *out (may be NULL on error). */
int cfgmem_eval(struct pvb_ctx *c, struct cfgmem *m, const struct pvb_cfg_engine *fmt, const char *path,
                const char *text, struct pvb_menu **out);

#endif
