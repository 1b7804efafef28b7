/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 evaluator state that calls nothing back: variables and their contexts, warnings,
 * steps, file names kept for the menu. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

void pvb_g2_warn(struct g2 *g, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pvb_mb_vwarn(g->mb, g->file, g->line, fmt, ap);
    va_end(ap);
}

int pvb_g2_step(struct g2 *g)
{
    int rc = pvb_charge(g->c, PVB_BUDGET_STEPS, 1);

    if (rc)
        pvb_ctx_prefix(g->c, "config: %s:%u: ", g->file, g->line);
    return rc;
}

/* ---- variables (grub-core/kern/env.c) ---------------------------------------- */

unsigned pvb_g2_hash(const char *s)
{
    unsigned h = 2166136261u;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static struct g2_ctx *ctx_alloc(struct g2 *g, unsigned cap)
{
    struct g2_ctx *x = pvb_zalloc(g->c, sizeof(*x), "variables");

    if (!x)
        return NULL;
    x->cap = cap;
    x->vars = pvb_calloc(g->c, cap, sizeof(*x->vars), "variables");
    if (!x->vars) {
        pvb_free(g->c, x);
        return NULL;
    }
    return x;
}

struct g2_ctx *pvb_g2_ctx_new(struct g2 *g)
{
    return ctx_alloc(g, 64);
}

static struct g2_var *find(struct g2_ctx *x, const char *name, int *slot_free)
{
    unsigned i = pvb_g2_hash(name) & (x->cap - 1);

    for (;; i = (i + 1) & (x->cap - 1)) {
        if (!x->vars[i].name) {
            *slot_free = 1;
            return &x->vars[i];
        }
        if (strcmp(x->vars[i].name, name) == 0) {
            *slot_free = 0;
            return &x->vars[i];
        }
    }
}

static int grow(struct g2 *g, struct g2_ctx *x)
{
    struct g2_var *old = x->vars;
    unsigned oldcap = x->cap, i;
    int fr;

    x->vars = pvb_calloc(g->c, (size_t)oldcap * 2, sizeof(*x->vars), "variables");
    if (!x->vars) {
        x->vars = old;
        return g->c->err;
    }
    x->cap = oldcap * 2;
    for (i = 0; i < oldcap; i++)
        if (old[i].name)
            *find(x, old[i].name, &fr) = old[i];
    pvb_free(g->c, old);
    return 0;
}

const char *pvb_g2_get(struct g2 *g, struct g2_ctx *x, const char *name)
{
    int fr;
    struct g2_var *v = find(x, name, &fr);

    (void)g;
    return fr ? NULL : v->val;
}

/* The slot for name, created (unset) if missing. */
static struct g2_var *slot(struct g2 *g, struct g2_ctx *x, const char *name)
{
    struct g2_var *v;
    int fr;

    if (x->nvars * 2 + 2 > x->cap && grow(g, x))
        return NULL;
    v = find(x, name, &fr);
    if (fr) {
        v->name = pvb_strndup(g->c, name, strlen(name));
        if (!v->name)
            return NULL;
        v->val = NULL;
        v->exported = 0;
        x->nvars++;
    }
    return v;
}

int pvb_g2_set(struct g2 *g, struct g2_ctx *x, const char *name, const char *val)
{
    size_t n = strlen(val);
    struct g2_var *v;
    char *nv;

    if (n > g->lim.max_var)
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: variable %s longer than the variable limit of %zu bytes",
                        g->file, g->line, name, g->lim.max_var);
    /* kern/main.c grub_env_write_root: "(dev)" is stored as "dev". */
    if (strcmp(name, "root") == 0 && n >= 2 && val[0] == '(' && val[n - 1] == ')') {
        val++;
        n -= 2;
    }
    v = slot(g, x, name);
    if (!v || !(nv = pvb_strndup(g->c, val, n)))
        return g->c->err;
    pvb_free(g->c, v->val);
    v->val = nv;
    /* A config that turns SUSE's btrfs_relative_path on is SUSE's (auto semantics). */
    if ((val[0] == '1' || val[0] == 'y') && strcmp(name, "btrfs_relative_path") == 0)
        g->used_btrfs = 1;
    return 0;
}

int pvb_g2_unset(struct g2 *g, struct g2_ctx *x, const char *name)
{
    int fr;
    struct g2_var *v = find(x, name, &fr);

    if (!fr) {
        pvb_free(g->c, v->val);
        v->val = NULL;
        v->exported = 0;
    }
    return 0;
}

int pvb_g2_export(struct g2 *g, struct g2_ctx *x, const char *name)
{
    struct g2_var *v = slot(g, x, name);

    if (!v)
        return g->c->err;
    if (!v->val && !(v->val = pvb_strndup(g->c, "", 0)))   /* grub_env_export sets "" */
        return g->c->err;
    v->exported = 1;
    return 0;
}

static struct g2_ctx *copy_ctx(struct g2 *g, const struct g2_ctx *from, int exported_only)
{
    struct g2_ctx *x = ctx_alloc(g, from->cap);
    unsigned i;

    if (!x)
        return NULL;
    for (i = 0; i < from->cap; i++) {
        const struct g2_var *v = &from->vars[i];
        if (!v->name || !v->val || (exported_only && !v->exported))
            continue;
        if (pvb_g2_set(g, x, v->name, v->val) || (v->exported && pvb_g2_export(g, x, v->name))) {
            pvb_g2_ctx_free(g, x);
            return NULL;
        }
    }
    return x;
}

struct g2_ctx *pvb_g2_ctx_open(struct g2 *g, const struct g2_ctx *parent)
{
    return copy_ctx(g, parent, 1);
}

struct g2_ctx *pvb_g2_ctx_clone(struct g2 *g, const struct g2_ctx *from)
{
    return copy_ctx(g, from, 0);
}

void pvb_g2_item_free(struct g2 *g, struct g2_item *it)
{
    unsigned i;

    pvb_free(g->c, it->title);
    pvb_free(g->c, it->id);
    pvb_free(g->c, it->classes);
    pvb_free(g->c, it->users);
    pvb_free(g->c, it->hotkey);
    for (i = 0; i < it->argc; i++)
        pvb_free(g->c, it->args[i]);
    pvb_free(g->c, it->args);
    pvb_g2_ctx_free(g, it->sub);
}

void pvb_g2_ctx_free(struct g2 *g, struct g2_ctx *x)
{
    unsigned i;

    if (!x)
        return;
    for (i = 0; i < x->cap; i++) {
        pvb_free(g->c, x->vars[i].name);
        pvb_free(g->c, x->vars[i].val);
    }
    for (i = 0; i < x->nitems; i++)
        pvb_g2_item_free(g, &x->items[i]);
    pvb_free(g->c, x->items);
    pvb_free(g->c, x->vars);
    pvb_free(g->c, x);
}

const char *pvb_g2_keep_name(struct g2 *g, const char *name)
{
    struct g2_file *f;

    for (f = g->files; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f->name;
    f = pvb_zalloc(g->c, sizeof(*f), "file name");
    if (!f || !(f->name = pvb_strndup(g->c, name, strlen(name)))) {
        pvb_free(g->c, f);
        return NULL;
    }
    f->next = g->files;
    g->files = f;
    return f->name;
}
