/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the config fuzz targets: one input holds a config and the files it may read. */
#ifndef PVB_FUZZ_CFGFUZZ_H
#define PVB_FUZZ_CFGFUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "../unit/cfgmem.h"
#include "cfg/cfg.h"

/*
 * Input layout: CONFIG ("\x01" PATH "\n" DATA)*. The files are served on the
 * volume "hd0,msdos1" (UUID 11111111-2222-3333-4444-555555555555, label
 * pvboot); directories are implied by the paths. The seed writer
 * (seeds/cfg.c) packs the config cases this way.
 */
#define CFGFUZZ_SEP '\x01'
#define CFGFUZZ_FILES CFGMEM_MAX

struct cfgfuzz {
    struct cfgmem fs;         /* the files, served by the unit suites' in-memory env */
    const char *config;
    size_t config_len;
};

void cfgfuzz_split(struct cfgfuzz *f, const uint8_t *data, size_t size);
/* Evaluate f's config as format fmt at path, load every entry, check the menu, free it;
 * aborts on a leak or an inconsistent menu. */
void cfgfuzz_run(struct cfgfuzz *f, const struct pvb_cfg_engine *fmt, const char *path);

#endif
