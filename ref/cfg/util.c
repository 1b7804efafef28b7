/* Arena, string buffer and limit defaults shared by the config engines. */
#include <string.h>

#include "cfg/cfgint.h"
#include "util/safemath.h"

#define CHUNK 65536

struct arena_chunk {
    struct arena_chunk *next;
    size_t pad;   /* keeps the payload 8-aligned on 32-bit hosts */
};

void pvb_arena_init(struct arena *a, struct pvb_ctx *c)
{
    a->c = c;
    a->head = NULL;
    a->used = a->cap = 0;
}

void *pvb_arena_alloc(struct arena *a, size_t n)
{
    struct arena_chunk *ch;
    size_t want;
    void *p;

    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->cap - a->used < n) {
        want = n > CHUNK ? n : CHUNK;
        if (pvb_add_sz(want, sizeof(*ch), &want)) {
            pvb_fail(a->c, PVB_ELIMIT, "config: parse tree too large");
            return NULL;
        }
        ch = pvb_alloc(a->c, want, "config parse tree");
        if (!ch)
            return NULL;
        ch->next = a->head;
        a->head = ch;
        a->used = 0;
        a->cap = want - sizeof(*ch);
    }
    p = (char *)(a->head + 1) + a->used;
    a->used += n;
    return p;
}

char *pvb_arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *d;

    if (n == (size_t)-1)
        return NULL;
    d = pvb_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void pvb_arena_free(struct arena *a)
{
    while (a->head) {
        struct arena_chunk *n = a->head->next;
        pvb_free(a->c, a->head);
        a->head = n;
    }
    a->used = a->cap = 0;
}

void pvb_sb_init(struct pvb_sb *b, struct pvb_ctx *c, size_t max, const char *what)
{
    b->c = c;
    b->p = NULL;
    b->n = b->cap = 0;
    b->max = max;
    b->err = 0;
    b->what = what;
}

int pvb_sb_add(struct pvb_sb *b, const char *s, size_t n)
{
    if (b->err)
        return b->err;
    if (n > b->max || b->n > b->max - n)
        return b->err = pvb_fail(b->c, PVB_ELIMIT, "config: %s longer than the limit of %zu bytes",
                                 b->what, b->max);
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        char *np;
        while (cap < b->n + n + 1)
            cap *= 2;
        np = pvb_realloc(b->c, b->p, cap, b->what);
        if (!np)
            return b->err = b->c->err;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

int pvb_sb_addc(struct pvb_sb *b, char ch)
{
    return pvb_sb_add(b, &ch, 1);
}

int pvb_sb_adds(struct pvb_sb *b, const char *s)
{
    return pvb_sb_add(b, s, strlen(s));
}

char *pvb_sb_take(struct pvb_sb *b)
{
    char *p;

    if (b->err) {
        pvb_sb_free(b);
        return NULL;
    }
    if (!b->p && pvb_sb_add(b, "", 0))   /* allocates the empty string */
        return NULL;
    p = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

void pvb_sb_free(struct pvb_sb *b)
{
    pvb_free(b->c, b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void pvb_cfg_lim_resolve(struct pvb_ctx *c, const struct pvb_cfg_opts *o, struct pvb_cfg_lim *l)
{
    l->max_line = o->max_line ? o->max_line : 65536;
    l->max_var = o->max_var ? o->max_var : 65536;
    l->max_entries = o->max_entries ? o->max_entries : 10000;
    if (l->max_entries > c->lim.max_entries)
        l->max_entries = c->lim.max_entries;
    l->max_include = o->max_include ? o->max_include : 16;
    l->max_calls = o->max_calls ? o->max_calls : 64;
    l->max_depth = c->lim.max_depth;
    l->max_config = c->lim.max_config;
}

int pvb_cfg_read(struct pvb_ctx *c, const struct pvb_cfg_env *env, const char *dev, const char *path,
             size_t max, char **buf, size_t *len)
{
    int rc;

    *buf = NULL;
    *len = 0;
    if (!env->read_file)
        return PVB_ENOTFOUND;
    rc = env->read_file(env->arg, c, dev, path, max, buf, len);
    if (!rc && (rc = pvb_charge(c, PVB_BUDGET_CONFIG, *len)) != 0) {
        pvb_free(c, *buf);
        *buf = NULL;
        *len = 0;
    }
    return rc;
}

void pvb_cfg_split_dev(const char *s, const char **dev, size_t *devlen, const char **path)
{
    const char *close;

    /* GRUB: a path starting with "(" names its device up to the matching ")". */
    if (s[0] == '(' && (close = strchr(s, ')')) != NULL) {
        *dev = s + 1;
        *devlen = (size_t)(close - s - 1);
        *path = close + 1;
        return;
    }
    *dev = "";
    *devlen = 0;
    *path = s;
}

int pvb_cfg_is_hypervisor(const char *path)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    /* Xen installs xen.gz, xen-4.x.gz, xen-syms; multiboot entries load it. */
    return strncmp(base, "xen.gz", 6) == 0 || strncmp(base, "xen-", 4) == 0 ||
           strcmp(base, "xen") == 0 || strncmp(base, "xen.", 4) == 0;
}

int pvb_cfg_line(struct pvb_ctx *c, const char **pp, const char *end, char *ln, size_t max,
             const char *file, unsigned line)
{
    const char *p = *pp;
    size_t n = 0;

    for (; p < end && *p != '\n'; p++) {
        if (n >= max)
            return pvb_fail(c, PVB_ELIMIT, "config: %s:%u: line longer than the line limit of %zu bytes",
                            file, line, max);
        ln[n++] = *p == '\t' || *p == '\r' || *p == '\0' ? ' ' : *p;
    }
    ln[n] = '\0';
    *pp = p < end ? p + 1 : p;
    return 0;
}
