/* lilo.conf: image sections with label, append, initrd, root and read-only; default by label. */
#include <stdio.h>
#include <string.h>

#include "cfg/cfgint.h"

struct li_img {
    char *image, *label, *append, *initrd, *root, *literal;
    int ro, other;
    unsigned line;
};

struct li {
    struct pvb_mb *b;
    const struct pvb_cfg_lim *l;
    struct li_img g;              /* global options before the first image */
    struct li_img *v;
    unsigned n, cap;
    char *def;
};

static void img_free(struct pvb_ctx *c, struct li_img *m)
{
    pvb_free(c, m->image);
    pvb_free(c, m->label);
    pvb_free(c, m->append);
    pvb_free(c, m->initrd);
    pvb_free(c, m->root);
    pvb_free(c, m->literal);
}

/* "key = value", "key=value", "key"; a value may be "quoted"; '#' starts a comment. */
static int split(char *s, char **key, char **val)
{
    char *p = s, *q;
    int quoted = 0;

    for (q = s; *q; q++) {
        if (*q == '"')
            quoted = !quoted;
        else if (*q == '#' && !quoted) {
            *q = '\0';
            break;
        }
    }
    while (*p == ' ')
        p++;
    if (!*p)
        return 0;
    *key = p;
    p += strcspn(p, " =");
    q = p;
    while (*p == ' ')
        p++;
    *val = NULL;
    if (*p == '=') {
        p++;
        while (*p == ' ')
            p++;
        *val = p;
    }
    *q = '\0';
    if (*val) {
        size_t n = strlen(*val);
        while (n && (*val)[n - 1] == ' ')
            (*val)[--n] = '\0';
        if (n >= 2 && (*val)[0] == '"' && (*val)[n - 1] == '"') {
            (*val)[n - 1] = '\0';
            (*val)++;
        }
    }
    return 1;
}

static int option(struct li *x, struct li_img *m, const char *key, const char *val)
{
    struct pvb_mb *b = x->b;

    if (!strcmp(key, "read-only"))
        m->ro = 1;
    else if (!strcmp(key, "read-write"))
        m->ro = 0;
    else if (!val)
        return 0;
    else if (!strcmp(key, "label"))
        return pvb_mb_set_str(b, &m->label, val);
    else if (!strcmp(key, "append") || !strcmp(key, "addappend"))
        return pvb_mb_set_str(b, &m->append, val);
    else if (!strcmp(key, "literal"))
        return pvb_mb_set_str(b, &m->literal, val);
    else if (!strcmp(key, "initrd"))
        return pvb_mb_set_str(b, &m->initrd, val);
    else if (!strcmp(key, "root"))
        return pvb_mb_set_str(b, &m->root, val);
    return 0;
}

static int parse(struct li *x, const char *path, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    struct li_img *cur = &x->g;
    char *ln, *key, *val;
    unsigned line = 0;
    int rc = 0;

    ln = pvb_alloc(x->b->c, x->l->max_line + 1, "config line");
    if (!ln)
        return x->b->c->err;
    while (p < end && !rc) {
        if ((rc = pvb_cfg_line(x->b->c, &p, end, ln, x->l->max_line, path, ++line)) != 0)
            break;
        if (!split(ln, &key, &val))
            continue;
        if (!strcmp(key, "image") || !strcmp(key, "other")) {
            if (!val) {
                rc = pvb_fail(x->b->c, PVB_ESYNTAX, "config: %s:%u: %s needs a value", path, line, key);
                break;
            }
            if (x->n >= x->l->max_entries) {
                rc = pvb_fail(x->b->c, PVB_ELIMIT, "config: more than %u images (entry limit)",
                              x->l->max_entries);
                break;
            }
            if (x->n == x->cap) {
                unsigned cap = x->cap ? 2 * x->cap : 8;
                struct li_img *nv = pvb_realloc(x->b->c, x->v, cap * sizeof(*nv), "images");
                if (!nv) {
                    rc = x->b->c->err;
                    break;
                }
                x->v = nv;
                x->cap = cap;
            }
            cur = &x->v[x->n++];
            memset(cur, 0, sizeof(*cur));
            cur->other = key[0] == 'o';
            cur->line = line;
            cur->ro = x->g.ro;
            rc = pvb_mb_set_str(x->b, &cur->image, val);
        } else if (!strcmp(key, "default") && cur == &x->g && val) {
            rc = pvb_mb_set_str(x->b, &x->def, val);
        } else {
            rc = option(x, cur, key, val);
        }
    }
    pvb_free(x->b->c, ln);
    return rc;
}

static int make_entry(struct li *x, const struct li_img *m, const char *path)
{
    struct pvb_mb *b = x->b;
    struct pvb_cfg_entry *e = pvb_mb_add(b);
    const char *label, *slash, *initrd = m->initrd ? m->initrd : x->g.initrd;
    const char *root = m->root ? m->root : x->g.root, *app = m->append ? m->append : x->g.append;
    struct pvb_sb a;
    int rc;

    if (!e)
        return b->c->err;
    slash = strrchr(m->image, '/');
    label = m->label ? m->label : slash ? slash + 1 : m->image;   /* lilo: the file name */
    e->line = m->line;
    e->loaded = 1;
    if ((rc = pvb_mb_set_str(b, &e->title, label)) || (rc = pvb_mb_set_str(b, &e->id, label)) ||
        (rc = pvb_mb_set_str(b, &e->file, path)) || (rc = pvb_mb_set_str(b, &e->submenu, "")) ||
        (rc = pvb_mb_set_str(b, &e->classes, "")))
        return rc;
    if (m->other)
        return pvb_mb_set_str(b, &e->unbootable, "other= chain-loads another boot sector");
    if ((rc = pvb_mb_set_file(b, &e->kernel, "", m->image)) != 0)
        return rc;
    if (initrd && (rc = pvb_mb_add_initrd(b, e, "", initrd)) != 0)
        return rc;
    /* literal= replaces every option; otherwise root=, ro and append= in pygrub's order. */
    pvb_sb_init(&a, b->c, x->l->max_var, "append");
    if (m->literal) {
        pvb_sb_adds(&a, m->literal);
    } else {
        if (root) {
            pvb_sb_adds(&a, "root=");
            pvb_sb_adds(&a, root);
        }
        if (m->ro)
            pvb_sb_adds(&a, a.n ? " ro" : "ro");
        if (app && *app) {
            if (a.n)
                pvb_sb_addc(&a, ' ');
            pvb_sb_adds(&a, app);
        }
    }
    if (!a.err)
        rc = pvb_mb_set_str(b, &e->args, a.p ? a.p : "");
    else
        rc = a.err;
    pvb_sb_free(&a);
    return rc;
}

int pvb_cfg_lilo(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_lim *l,
                 const char *buf, size_t len)
{
    struct li x;
    unsigned i;
    int rc;

    memset(&x, 0, sizeof(x));
    x.b = b;
    x.l = l;
    rc = parse(&x, o->path, buf, len);
    for (i = 0; !rc && i < x.n; i++)
        rc = make_entry(&x, &x.v[i], o->path);
    if (!rc && x.n == 0)
        rc = pvb_fail(b->c, PVB_ENOBOOT, "config: %s: no image", o->path);
    if (!rc) {
        b->m->chosen = 0;
        rc = pvb_mb_why(b, "no default=: the first image");
        for (i = 0; x.def && i < b->m->count; i++)
            if (!strcmp(b->m->entries[i].id, x.def)) {
                b->m->chosen = (int)i;
                rc = pvb_mb_why(b, "default=%s", x.def);
                break;
            }
        if (!rc && x.def && i == b->m->count)
            rc = pvb_mb_why(b, "default=%s names no label: the first image", x.def);
        if (!rc && x.def)
            rc = pvb_mb_set_str(b, &b->m->default_value, x.def);
    }
    for (i = 0; i < x.n; i++)
        img_free(b->c, &x.v[i]);
    img_free(b->c, &x.g);
    pvb_free(b->c, x.v);
    pvb_free(b->c, x.def);
    return rc;
}
