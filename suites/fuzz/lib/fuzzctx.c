/* SPDX-License-Identifier: GPL-2.0-only */
/* Limits for fuzzing: small enough to keep each input quick, large enough to reach the code. */
#include "../fuzz.h"

void fuzz_ctx_init(struct pvb_ctx *c)
{
    pvb_ctx_init(c);
    c->lim.max_alloc = (size_t)4 << 20;
    c->lim.max_mem = (size_t)16 << 20;
    c->lim.max_parts = 256;
    c->lim.max_entries = 20000;
    c->lim.max_file_size = (uint64_t)16 << 20;
    c->lim.max_steps = 200000;
}
