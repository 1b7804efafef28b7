/* SPDX-License-Identifier: GPL-2.0-only */
/* Allocation accounted against a context's limits. */
#ifndef PVB_UTIL_MEM_H
#define PVB_UTIL_MEM_H

#include <stddef.h>

#include "util/ctx.h"

/*
 * Every allocation whose size a guest can influence goes through these, so
 * lim.max_alloc and lim.max_mem hold. On failure they return NULL with
 * c->err set to PVB_ELIMIT or PVB_ENOMEM and a message naming `what`.
 */
void *pvb_alloc(struct pvb_ctx *c, size_t n, const char *what);
void *pvb_zalloc(struct pvb_ctx *c, size_t n, const char *what);
/* n elements of size sz, overflow-checked, zeroed. */
void *pvb_calloc(struct pvb_ctx *c, size_t n, size_t sz, const char *what);
/* On failure the old block is left intact and owned by the caller. */
void *pvb_realloc(struct pvb_ctx *c, void *p, size_t n, const char *what);
void pvb_free(struct pvb_ctx *c, void *p);
/* An array p of elem-byte items with room for *cap, made to hold n: when n > *cap, it
 * grows to the larger of n and twice *cap (at least 8) and *cap says so. Returns the
 * array (p itself when it had room), or NULL with c->err set, p and *cap unchanged. */
void *pvb_grow(struct pvb_ctx *c, void *p, unsigned *cap, unsigned n, size_t elem, const char *what);
/* A NUL-terminated copy of n bytes of s. */
char *pvb_strndup(struct pvb_ctx *c, const char *s, size_t n);

#endif
