/* SPDX-License-Identifier: GPL-2.0-only */
/* LVM2's text metadata parsed into a bounded tree (lvm2 libdm-config.c's syntax). */
#include <string.h>

#include "vol/lvm.h"
#include "util/budget.h"
#include "util/mem.h"

struct parser {
    struct pvb_ctx *c;
    struct pvb_lvm_tree *t;
    const char *p, *end;
    unsigned line;
};

static int syntax(struct parser *ps, const char *what)
{
    return pvb_fail(ps->c, PVB_ECORRUPT, "lvm: metadata line %u: %s", ps->line, what);
}

static void skip_space(struct parser *ps)
{
    while (ps->p < ps->end) {
        char ch = *ps->p;

        if (ch == '#') {
            while (ps->p < ps->end && *ps->p != '\n')
                ps->p++;
        } else if (ch == '\n') {
            ps->line++;
            ps->p++;
        } else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            ps->p++;
        } else {
            break;
        }
    }
}

/* A key: lvm2 names use [A-Za-z0-9+_.-]; anything not punctuation is taken. */
static int is_word(char ch)
{
    return ch != '\0' && !strchr(" \t\r\n\f\v#={}[],\"", ch);
}

/* A new node, linked after *last under parent (or as its first child). */
static int new_node(struct parser *ps, unsigned parent, unsigned *last, unsigned type,
                    unsigned *out)
{
    struct pvb_lvm_tree *t = ps->t;
    struct pvb_lvm_node *n;
    int rc;

    if (t->count >= ps->c->lim.max_vol_items)
        return pvb_fail(ps->c, PVB_ELIMIT, "lvm: metadata line %u: more than %u values",
                        ps->line, ps->c->lim.max_vol_items);
    rc = pvb_charge(ps->c, PVB_BUDGET_SCAN, 1);
    if (rc)
        return rc;
    n = pvb_grow(ps->c, t->n, &t->cap, t->count + 1, sizeof(*t->n), "lvm metadata");
    if (!n)
        return ps->c->err;
    t->n = n;
    n = &t->n[t->count];
    memset(n, 0, sizeof(*n));
    n->type = type;
    n->line = ps->line;
    t->count++;
    if (*last)
        t->n[*last - 1].next = t->count;
    else
        t->n[parent].child = t->count;
    *last = t->count;
    *out = t->count - 1;
    return 0;
}

static int scalar(struct parser *ps, unsigned parent, unsigned *last, unsigned *out)
{
    struct pvb_lvm_node *n;
    unsigned i;
    int rc;

    if (*ps->p == '"') {
        const char *s = ++ps->p;

        while (ps->p < ps->end && *ps->p != '"') {
            if (*ps->p == '\\' && ps->p + 1 < ps->end)
                ps->p++;
            if (*ps->p == '\n')
                ps->line++;
            ps->p++;
        }
        if (ps->p >= ps->end)
            return syntax(ps, "unterminated string");
        rc = new_node(ps, parent, last, PVB_LVM_STR, &i);
        if (rc)
            return rc;
        n = &ps->t->n[i];
        n->str = s;
        n->len = (size_t)(ps->p - s);
        ps->p++;
    } else if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
        int neg = *ps->p == '-';
        uint64_t v = 0;

        if (neg)
            ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
            return syntax(ps, "bad number");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
            if (v > ((uint64_t)INT64_MAX - 9) / 10)
                return syntax(ps, "number out of range");
            v = v * 10 + (uint64_t)(*ps->p++ - '0');
        }
        if (ps->p < ps->end && is_word(*ps->p))
            return syntax(ps, "bad number");
        rc = new_node(ps, parent, last, PVB_LVM_INT, &i);
        if (rc)
            return rc;
        ps->t->n[i].num = neg ? -(int64_t)v : (int64_t)v;
    } else {
        return syntax(ps, "expected a number or a string");
    }
    *out = i;
    return 0;
}

static int array(struct parser *ps, unsigned node)
{
    unsigned last = 0, item;
    int rc;

    ps->p++;   /* [ */
    for (;;) {
        skip_space(ps);
        if (ps->p >= ps->end)
            return syntax(ps, "unterminated array");
        if (*ps->p == ']') {
            ps->p++;
            return 0;
        }
        rc = scalar(ps, node, &last, &item);
        if (rc)
            return rc;
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',')
            ps->p++;
        else if (ps->p < ps->end && *ps->p != ']')
            return syntax(ps, "expected , or ] in an array");
    }
}

/* The statements of a section, up to its } (or the end of the text at the root). */
static int block(struct parser *ps, unsigned sec, unsigned depth)
{
    unsigned last = 0, i;
    int rc;

    if (depth > ps->c->lim.max_depth)
        return pvb_fail(ps->c, PVB_ELIMIT, "lvm: metadata line %u: sections nested deeper than %u",
                        ps->line, ps->c->lim.max_depth);
    for (;;) {
        const char *key;
        size_t keylen;

        skip_space(ps);
        if (ps->p >= ps->end) {
            if (depth > 0)
                return syntax(ps, "a section has no closing }");
            return 0;
        }
        if (*ps->p == '}') {
            if (depth == 0)
                return syntax(ps, "} without a section");
            ps->p++;
            return 0;
        }
        key = ps->p;
        while (ps->p < ps->end && is_word(*ps->p))
            ps->p++;
        keylen = (size_t)(ps->p - key);
        if (keylen == 0)
            return syntax(ps, "expected a name");
        skip_space(ps);
        if (ps->p >= ps->end)
            return syntax(ps, "a name without a value or section");
        if (*ps->p == '{') {
            ps->p++;
            rc = new_node(ps, sec, &last, PVB_LVM_SECTION, &i);
            if (!rc) {
                ps->t->n[i].key = key;
                ps->t->n[i].keylen = keylen;
                rc = block(ps, i, depth + 1);
            }
        } else if (*ps->p == '=') {
            ps->p++;
            skip_space(ps);
            if (ps->p >= ps->end)
                return syntax(ps, "a key without a value");
            if (*ps->p == '[') {
                rc = new_node(ps, sec, &last, PVB_LVM_ARRAY, &i);
                if (!rc)
                    rc = array(ps, i);
            } else {
                rc = scalar(ps, sec, &last, &i);
            }
            if (!rc) {
                ps->t->n[i].key = key;
                ps->t->n[i].keylen = keylen;
            }
        } else {
            return syntax(ps, "expected = or { after a name");
        }
        if (rc)
            return rc;
    }
}

int pvb_lvm_parse(struct pvb_ctx *c, const char *text, size_t len, struct pvb_lvm_tree *t)
{
    struct parser ps;
    const char *nul = memchr(text, '\0', len);
    int rc;

    memset(t, 0, sizeof(*t));
    if (nul)
        len = (size_t)(nul - text);
    rc = pvb_charge(c, PVB_BUDGET_CONFIG, len);
    if (rc)
        return rc;
    t->n = pvb_grow(c, NULL, &t->cap, 1, sizeof(*t->n), "lvm metadata");
    if (!t->n)
        return c->err;
    memset(t->n, 0, sizeof(*t->n));
    t->count = 1;
    ps.c = c;
    ps.t = t;
    ps.p = text;
    ps.end = text + len;
    ps.line = 1;
    return block(&ps, 0, 0);
}

void pvb_lvm_tree_free(struct pvb_ctx *c, struct pvb_lvm_tree *t)
{
    pvb_free(c, t->n);
    memset(t, 0, sizeof(*t));
}

const struct pvb_lvm_node *pvb_lvm_at(const struct pvb_lvm_tree *t, unsigned v)
{
    return v ? &t->n[v - 1] : NULL;
}

const struct pvb_lvm_node *pvb_lvm_get(const struct pvb_lvm_tree *t, const struct pvb_lvm_node *sec,
                                       const char *key, unsigned type)
{
    size_t kl = strlen(key);
    const struct pvb_lvm_node *n;

    for (n = pvb_lvm_at(t, sec->child); n; n = pvb_lvm_at(t, n->next))
        if (n->key && n->keylen == kl && memcmp(n->key, key, kl) == 0)
            return n->type == type ? n : NULL;
    return NULL;
}
