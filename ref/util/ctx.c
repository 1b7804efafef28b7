/* SPDX-License-Identifier: GPL-2.0-only */
/* Error messages and warnings kept in the caller's context. */
#include <stdio.h>
#include <string.h>

#include "util/budget.h"
#include "util/ctx.h"

void pvb_ctx_init(struct pvb_ctx *c)
{
    memset(c, 0, sizeof(*c));
    pvb_limits_default(&c->lim);
    pvb_budget_start(c);
}

int pvb_failv(struct pvb_ctx *c, int err, const char *fmt, va_list ap)
{
    c->err = err;
    if (fmt)
        vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
    else
        c->msg[0] = '\0';
    return err;
}

int pvb_fail(struct pvb_ctx *c, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pvb_failv(c, err, fmt, ap);
    va_end(ap);
    return err;
}

void pvb_ctx_prefix(struct pvb_ctx *c, const char *fmt, ...)
{
    const char *old = c->msg[0] ? c->msg : pvb_strerror(c->err);
    char pre[PVB_MSG_MAX];
    size_t np, no;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    np = strlen(pre);
    no = strlen(old);
    if (np + no >= sizeof(c->msg))
        no = sizeof(c->msg) - 1 - np;   /* keep the prefix, cut the tail */
    memmove(c->msg + np, old, no);      /* old may be c->msg itself */
    memcpy(c->msg, pre, np);
    c->msg[np + no] = '\0';
}

void pvb_warn(struct pvb_ctx *c, const char *fmt, ...)
{
    char buf[PVB_MSG_MAX];
    va_list ap;

    c->nwarn++;
    if (!c->warn)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    c->warn(c->warn_arg, buf);
}

const char *pvb_ctx_msg(const struct pvb_ctx *c)
{
    return c->msg[0] ? c->msg : pvb_strerror(c->err);
}

void pvb_ctx_clear(struct pvb_ctx *c)
{
    c->err = 0;
    c->msg[0] = '\0';
}
