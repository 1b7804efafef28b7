/* SPDX-License-Identifier: GPL-2.0-only */
/* Allocation with a size header, so live bytes can be counted per context. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/safemath.h"

/* The header keeps the block's size; the union gives the payload the
 * alignment of the strictest basic type (C99 has no max_align_t). */
union hdr {
    size_t size;
    long double ld;
    void *p;
    unsigned long long ull;
};

static int admit(struct pvb_ctx *c, size_t old, size_t n, const char *what)
{
    size_t total;

    if (n > c->lim.max_alloc)
        return pvb_fail(c, PVB_ELIMIT, "%s: %zu bytes exceeds the allocation limit %zu",
                        what, n, c->lim.max_alloc);
    total = c->mem_used - old;
    if (pvb_add_sz(total, n, &total) || total > c->lim.max_mem)
        return pvb_fail(c, PVB_ELIMIT, "%s: %zu more bytes exceeds the memory limit %zu",
                        what, n, c->lim.max_mem);
    return 0;
}

/* The test hook of struct pvb_ctx: this allocation fails as the host's would. */
static int injected(struct pvb_ctx *c)
{
    return c->fail_alloc && ++c->nalloc == c->fail_alloc;
}

static void *finish(struct pvb_ctx *c, union hdr *h, size_t n)
{
    h->size = n;
    c->mem_used += n;
    if (c->mem_used > c->mem_peak)
        c->mem_peak = c->mem_used;
    return h + 1;
}

void *pvb_alloc(struct pvb_ctx *c, size_t n, const char *what)
{
    union hdr *h;

    if (admit(c, 0, n, what))
        return NULL;
    h = injected(c) ? NULL : malloc(sizeof(*h) + n);
    if (!h) {
        pvb_fail(c, PVB_ENOMEM, "%s: cannot allocate %zu bytes", what, n);
        return NULL;
    }
    return finish(c, h, n);
}

void *pvb_zalloc(struct pvb_ctx *c, size_t n, const char *what)
{
    void *p = pvb_alloc(c, n, what);

    if (p)
        memset(p, 0, n);
    return p;
}

void *pvb_calloc(struct pvb_ctx *c, size_t n, size_t sz, const char *what)
{
    size_t total;

    if (pvb_mul_sz(n, sz, &total)) {
        pvb_fail(c, PVB_ELIMIT, "%s: %zu x %zu bytes overflows", what, n, sz);
        return NULL;
    }
    return pvb_zalloc(c, total, what);
}

void *pvb_realloc(struct pvb_ctx *c, void *p, size_t n, const char *what)
{
    union hdr *h, *nh;
    size_t old;

    if (!p)
        return pvb_alloc(c, n, what);
    h = (union hdr *)p - 1;
    old = h->size;
    if (admit(c, old, n, what))
        return NULL;
    nh = injected(c) ? NULL : realloc(h, sizeof(*nh) + n);
    if (!nh) {
        pvb_fail(c, PVB_ENOMEM, "%s: cannot allocate %zu bytes", what, n);
        return NULL;
    }
    c->mem_used -= old;
    return finish(c, nh, n);
}

void *pvb_grow(struct pvb_ctx *c, void *p, unsigned *cap, unsigned n, size_t elem, const char *what)
{
    unsigned want = *cap;
    size_t bytes;

    if (n <= *cap)
        return p;
    want = want > UINT_MAX / 2 ? UINT_MAX : 2 * want;
    if (want < 8)
        want = 8;
    if (want < n)
        want = n;
    if (pvb_mul_sz(want, elem, &bytes)) {
        pvb_fail(c, PVB_ELIMIT, "%s: %u x %zu bytes overflows", what, want, elem);
        return NULL;
    }
    p = pvb_realloc(c, p, bytes, what);
    if (p)
        *cap = want;
    return p;
}

void pvb_free(struct pvb_ctx *c, void *p)
{
    union hdr *h;

    if (!p)
        return;
    h = (union hdr *)p - 1;
    c->mem_used -= h->size;
    free(h);
}

char *pvb_strndup(struct pvb_ctx *c, const char *s, size_t n)
{
    char *d;

    if (n == (size_t)-1) {
        pvb_fail(c, PVB_ELIMIT, "string: too long");
        return NULL;
    }
    d = pvb_alloc(c, n + 1, "string");
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
