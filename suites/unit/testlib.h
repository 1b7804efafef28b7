/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared glue for the cmocka suites: a context that records warnings. */
#ifndef PVB_TEST_TESTLIB_H
#define PVB_TEST_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/ctx.h"

struct test_ctx {
    struct pvb_ctx c;
    char warnings[8192];  /* every warning, one per line */
};

/* Default limits, warnings collected into t->warnings. */
void test_ctx_init(struct test_ctx *t);

/* 1 if some warning contains needle. */
int test_warned(const struct test_ctx *t, const char *needle);

/* Fail the test unless the last error message contains needle. */
#define assert_msg_has(ctx, needle) \
    do { \
        if (!strstr((ctx)->msg, (needle))) \
            fail_msg("message \"%s\" lacks \"%s\"", (ctx)->msg, (needle)); \
    } while (0)

/* Read path from fs whole (one byte more than n, so a longer file shows): 0 when it is
 * exactly the n bytes of want, 1 when it differs, else the open's or read's error. */
struct pvb_fs;
int test_fs_cat_cmp(struct pvb_fs *fs, const char *path, const uint8_t *want, size_t n);

#endif
