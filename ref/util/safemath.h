/* SPDX-License-Identifier: GPL-2.0-only */
/* Overflow-checked arithmetic for every size and offset derived from disk. */
#ifndef PVB_UTIL_SAFEMATH_H
#define PVB_UTIL_SAFEMATH_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each helper stores a op b in *r and returns 1 if the true result does not
 * fit (then *r is unspecified), else 0. As in GRUB's safemath.h, but with a
 * portable fallback: a Pentium 4 dom0 may have gcc 4.1 or tcc, which lack
 * __builtin_*_overflow. Define PVB_NO_BUILTINS to force the fallback.
 */
#if !defined(PVB_NO_BUILTINS)
# if defined(__clang__) && defined(__has_builtin)
#  if __has_builtin(__builtin_add_overflow) && __has_builtin(__builtin_mul_overflow)
#   define PVB_HAVE_OVERFLOW_BUILTINS 1
#  endif
# elif defined(__GNUC__) && __GNUC__ >= 5
#  define PVB_HAVE_OVERFLOW_BUILTINS 1
# endif
#endif

#ifdef PVB_HAVE_OVERFLOW_BUILTINS

static inline int pvb_add_u64(uint64_t a, uint64_t b, uint64_t *r) { return __builtin_add_overflow(a, b, r); }
static inline int pvb_sub_u64(uint64_t a, uint64_t b, uint64_t *r) { return __builtin_sub_overflow(a, b, r); }
static inline int pvb_mul_u64(uint64_t a, uint64_t b, uint64_t *r) { return __builtin_mul_overflow(a, b, r); }
static inline int pvb_add_sz(size_t a, size_t b, size_t *r) { return __builtin_add_overflow(a, b, r); }
static inline int pvb_mul_sz(size_t a, size_t b, size_t *r) { return __builtin_mul_overflow(a, b, r); }

#else

static inline int pvb_add_u64(uint64_t a, uint64_t b, uint64_t *r)
{
    *r = a + b;
    return *r < a;
}

static inline int pvb_sub_u64(uint64_t a, uint64_t b, uint64_t *r)
{
    *r = a - b;
    return b > a;
}

static inline int pvb_mul_u64(uint64_t a, uint64_t b, uint64_t *r)
{
    *r = a * b;
    return a != 0 && b > UINT64_MAX / a;
}

static inline int pvb_add_sz(size_t a, size_t b, size_t *r)
{
    *r = a + b;
    return *r < a;
}

static inline int pvb_mul_sz(size_t a, size_t b, size_t *r)
{
    *r = a * b;
    return a != 0 && b > (size_t)-1 / a;
}

#endif

/* 1 when [off, off+len) lies inside [0, total), without overflowing. */
static inline int pvb_span_ok(uint64_t off, uint64_t len, uint64_t total)
{
    return off <= total && len <= total - off;
}

/* A 64-bit value that must fit a size_t (32-bit hosts): 1 on overflow. */
static inline int pvb_u64_to_sz(uint64_t v, size_t *r)
{
    *r = (size_t)v;
    return (uint64_t)*r != v;
}

#endif
