/* SPDX-License-Identifier: GPL-2.0-only */
/* A warning sink for tests. */
#include <string.h>

#include "testlib.h"

static void collect(void *arg, const char *msg)
{
    struct test_ctx *t = arg;
    size_t have = strlen(t->warnings), n = strlen(msg);

    if (have + n + 2 > sizeof(t->warnings))
        return;
    memcpy(t->warnings + have, msg, n);
    t->warnings[have + n] = '\n';
    t->warnings[have + n + 1] = '\0';
}

void test_ctx_init(struct test_ctx *t)
{
    pvb_ctx_init(&t->c);
    t->warnings[0] = '\0';
    t->c.warn = collect;
    t->c.warn_arg = t;
}

int test_warned(const struct test_ctx *t, const char *needle)
{
    return strstr(t->warnings, needle) != NULL;
}
