/* SPDX-License-Identifier: GPL-2.0-only */
/* A warning sink for tests. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "fs/fs.h"

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

int test_fs_cat_cmp(struct pvb_fs *fs, const char *path, const uint8_t *want, size_t n)
{
    struct pvb_file *f;
    uint8_t *buf = malloc(n + 1);
    size_t got = 0;
    int rc = buf ? pvb_fs_open(fs, path, &f) : PVB_ENOMEM;

    if (!rc) {
        rc = pvb_file_read(f, buf, n + 1, 0, &got);
        pvb_file_close(f);
    }
    if (!rc && (got != n || memcmp(buf, want, n) != 0))
        rc = 1;
    free(buf);
    return rc;
}
