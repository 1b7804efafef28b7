/* SPDX-License-Identifier: GPL-2.0-only */
/* Names of result classes and verdicts, and string helpers on the accounted allocator. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conform.h"
#include "util/mem.h"

/* The class names are the words the JSON and REPORT.md use. */
static const char *const class_names[CF_NCLASS] = {
    "pass", "clean-fail", "wrong-kernel", "wrong-ramdisk", "wrong-args", "no-boot",
    "bad-output", "crash", "timeout", "over-memory", "unsafe", "booted", "booted-wrong-args",
    "did-not-boot", "skipped", "runner-error"
};

static const char *const verdict_names[CF_NVERDICT] = { "ok", "fail", "known", "fixed", "skip", "error" };

const char *cf_class_name(enum cf_class k)
{
    return (unsigned)k < CF_NCLASS ? class_names[k] : "?";
}

const char *cf_verdict_name(enum cf_verdict v)
{
    return (unsigned)v < CF_NVERDICT ? verdict_names[v] : "?";
}

int cf_class_parse(const char *s, size_t n)
{
    int k;

    for (k = 0; k < CF_NCLASS; k++)
        if (strlen(class_names[k]) == n && memcmp(class_names[k], s, n) == 0)
            return k;
    return -1;
}

char *cf_strdup(struct pvb_ctx *c, const char *s)
{
    return pvb_strndup(c, s, strlen(s));
}

char *cf_printf(struct pvb_ctx *c, const char *fmt, ...)
{
    va_list ap;
    char *p;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        pvb_fail(c, PVB_EINVAL, "cf_printf: bad format");
        return NULL;
    }
    p = pvb_alloc(c, (size_t)n + 1, "string");
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
