/* SPDX-License-Identifier: GPL-2.0-only */
/* The libFuzzer entry point every fuzz target defines, and helpers they share. */
#ifndef PVB_FUZZ_FUZZ_H
#define PVB_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "util/ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A context with limits tight enough that one input stays fast and small. */
void fuzz_ctx_init(struct pvb_ctx *c);

#endif
