/* SPDX-License-Identifier: GPL-2.0-only */
/* The context every libpvboot handle hangs off: limits, error message, warnings, memory. */
#ifndef PVB_UTIL_CTX_H
#define PVB_UTIL_CTX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/limit.h"

#define PVB_MSG_MAX 512

#define PVB_CTX_STRICT 0x1u  /* checksum mismatches are errors, not warnings */

typedef void (*pvb_warn_fn)(void *arg, const char *msg);

/*
 * Owned by the caller; no library state lives anywhere else. Errors are
 * returned as codes; the last one's text, with the structure that failed
 * ("gpt: entry 3: starts past end of disk"), is kept in msg.
 */
struct pvb_ctx {
    struct pvb_limits lim;
    unsigned flags;
    int err;                  /* code of the last pvb_fail() */
    char msg[PVB_MSG_MAX];    /* its text; "" when none */
    pvb_warn_fn warn;         /* NULL: warnings are only counted */
    void *warn_arg;
    unsigned nwarn;
    size_t mem_used;          /* bytes live through pvb_alloc() */
    size_t mem_peak;
    /* The run's budgets (util/budget.h). */
    uint64_t used[PVB_BUDGET_COUNT];  /* charged so far, per enum pvb_budget */
    int64_t start_ns, start_cpu_ns;   /* clocks when the run started */
    unsigned ticks;                   /* charges since the clocks were last read */
    /* Fault injection for tests: when non-zero, the fail_alloc-th accounted
     * allocation from now on fails as the host allocator would (PVB_ENOMEM). */
    unsigned long nalloc, fail_alloc;
    /* For tests: a soname dlopen()ed instead of every optional library's own
     * (util/dl.h), to see a library missing or lacking a function. */
    const char *dl_name;
};

/* Default limits, no flags, no warning sink; a run's budgets start now. */
void pvb_ctx_init(struct pvb_ctx *c);

/* Record err with a printf-style message and return err, so callers can write
 * `return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: ...", n);`. */
int pvb_fail(struct pvb_ctx *c, int err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int pvb_failv(struct pvb_ctx *c, int err, const char *fmt, va_list ap);

/* Prepend context ("volume 2: ") to the current message, keeping the code. */
void pvb_ctx_prefix(struct pvb_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Report something suspicious that does not stop the work. */
void pvb_warn(struct pvb_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The last message, or the code's description when none was given. */
const char *pvb_ctx_msg(const struct pvb_ctx *c);

/* Forget the last error. */
void pvb_ctx_clear(struct pvb_ctx *c);

#endif
