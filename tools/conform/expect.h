/* SPDX-License-Identifier: GPL-2.0-only */
/* The corpus's <image>.expect files: what the real bootloader boots from each image. */
#ifndef PVB_CONFORM_EXPECT_H
#define PVB_CONFORM_EXPECT_H

#include "conform.h"

/*
 * Parse the text of the .expect at path into k (zeroed first). The image path
 * is taken relative to the .expect's directory. Required: case, image, format
 * and either error (a hostile case) or kernel-sha256, ramdisk-sha256 ("none"
 * when no ramdisk) and args. Unknown keys are warnings, so the corpus can add
 * informative keys without breaking the runner. On failure k holds nothing.
 */
int cf_expect_parse(struct pvb_ctx *c, const char *path, const char *text, size_t len,
                    struct cf_case *k);

/* Read and parse one .expect file. */
int cf_expect_load(struct pvb_ctx *c, const char *path, struct cf_case *k);

void cf_case_free(struct pvb_ctx *c, struct cf_case *k);

#endif
