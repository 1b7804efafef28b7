/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 engine driver: run grub.cfg, expand submenus, resolve `default`, run the chosen body. */
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

/* A flattened entry: the item and the context its body runs in. */
struct g2_ref {
    struct g2_item *it;
    struct g2_ctx *ctx;
    char *chosen;             /* the value of $chosen when it runs */
    char *defrest;            /* what `default` holds in its body (NULL: unset) */
};

struct g2_priv {
    struct g2 g;
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    struct pvb_mb *mb;            /* the menu's builder: later loads add to it */
    struct g2_ctx *top;
    struct g2_ref *refs;
    unsigned nrefs, refcap;
};

static const char *const features[] = {
    /* normal/main.c sets these to "y" and exports them on every platform (2.06). */
    "feature_chainloader_bpb", "feature_ntldr", "feature_platform_search_hint",
    "feature_default_font_path", "feature_all_video_module", "feature_menuentry_id",
    "feature_menuentry_options", "feature_200_final", "feature_nativedisk_cmd",
    "feature_timeout_style"
};

static int set_exported(struct g2 *g, const char *name, const char *val)
{
    int rc = pvb_g2_set(g, g->cur, name, val);

    return rc ? rc : pvb_g2_export(g, g->cur, name);
}

/* The variables GRUB has before grub.cfg runs, as pvgrub2 (i386-xen) sets them. */
static int initial_vars(struct g2 *g, const char *path)
{
    char buf[4200];
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) : 0;
    unsigned i;
    int rc;

    snprintf(buf, sizeof(buf), "(%s)%.*s", g->device, (int)dl, path);
    if ((rc = set_exported(g, "root", g->device)) || (rc = set_exported(g, "prefix", buf)) ||
        (rc = pvb_g2_set(g, g->cur, "cmdpath", buf)) ||
        (rc = pvb_g2_set(g, g->cur, "grub_platform", "xen")) ||
        (rc = pvb_g2_set(g, g->cur, "grub_cpu", "i386")))
        return rc;
    for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
        if ((rc = set_exported(g, features[i], "y")) != 0)
            return rc;
    /* SUSE's btrfs.mod exports its three variables when it loads (GRUB_MOD_INIT), so an
     * entry sees btrfs_relative_path however grub.cfg set it; its grub-install writes
     * btrfs_relative_path="yes" into the core image that reads a config found inside
     * the default subvolume. */
    if (pvb_g2_btrfs_rules(g))
        for (i = 0; i < 3 && !rc; i++)
            rc = pvb_g2_export(g, g->cur, i == 0 ? "btrfs_relative_path" : i == 1 ? "btrfs_subvol" :
                               "btrfs_subvolid");
    if (!rc && (g->o->flags & PVB_CFG_BTRFS_RELATIVE)) {
        rc = set_exported(g, "btrfs_relative_path", "yes");
        g->used_btrfs = 1;
    }
    return rc;
}

static int add_ref(struct g2_priv *p, struct g2_item *it, struct g2_ctx *ctx, const char *chosen,
                   const char *defrest)
{
    struct g2_ref *nv, *r;
    struct pvb_ctx *c = p->g.c;

    if (!(nv = pvb_grow(c, p->refs, &p->refcap, p->nrefs + 1, sizeof(*nv), "menu entries")))
        return c->err;
    p->refs = nv;
    r = &p->refs[p->nrefs];
    r->it = it;
    r->ctx = ctx;
    r->chosen = pvb_strndup(c, chosen, strlen(chosen));
    r->defrest = defrest ? pvb_strndup(c, defrest, strlen(defrest)) : NULL;
    if (!r->chosen || (defrest && !r->defrest)) {
        pvb_free(c, r->chosen);
        pvb_free(c, r->defrest);
        return c->err;
    }
    p->nrefs++;
    return 0;
}

/* $chosen: the ids from the top, joined by '>', a '>' inside an id doubled (menu.c).
 * Inside a submenu the parent's $chosen is set, even when empty, so the '>' comes. */
static int chosen_path(struct pvb_sb *b, const char *prefix, int nested, const char *id)
{
    if (nested) {
        pvb_sb_adds(b, prefix);
        pvb_sb_addc(b, '>');
    }
    for (; *id; id++) {
        if (*id == '>')
            pvb_sb_addc(b, '>');
        pvb_sb_addc(b, *id);
    }
    return b->err;
}

static int match(struct g2 *g, enum pvb_cfg_semantics sem, struct g2_ctx *x, const char *spec)
{
    const char **t, **id;
    unsigned i;
    int k;

    if (!spec || !x->nitems)
        return -1;
    t = pvb_calloc(g->c, x->nitems, sizeof(*t), "default");
    id = pvb_calloc(g->c, x->nitems, sizeof(*id), "default");
    if (!t || !id) {
        pvb_free(g->c, t);
        pvb_free(g->c, id);
        return -2;
    }
    for (i = 0; i < x->nitems; i++) {
        t[i] = x->items[i].title;
        id[i] = x->items[i].id;
    }
    k = pvb_cfg_default_match(sem, spec, t, id, x->nitems);
    pvb_free(g->c, t);
    pvb_free(g->c, id);
    return k;
}

struct walk {
    struct g2_priv *p;
    enum pvb_cfg_semantics sem;
    int chosen;               /* flattened index of the entry on the default path */
};

static int expand(struct walk *w, struct g2_ctx *x, const char *spec, int on_path,
                  const char *chosen_pre, const char *subpath, unsigned depth);

/* Run a submenu's body in a new context, as grub_menu_execute_entry does. */
static int run_submenu(struct walk *w, struct g2_item *it, struct g2_ctx *x, const char *rest,
                       int on_path, const char *chosen)
{
    struct g2 *g = &w->p->g;
    struct g2_ctx *old = g->cur;
    int rc;

    if (!(it->sub = pvb_g2_ctx_open(g, x)))
        return g->c->err;
    g->cur = it->sub;
    rc = set_exported(g, "chosen", chosen);
    if (!rc && rest)
        rc = pvb_g2_set(g, g->cur, "default", rest);
    else if (!rc)
        rc = pvb_g2_unset(g, g->cur, "default");
    if (!rc && on_path)
        rc = pvb_g2_set(g, g->cur, "timeout", "0");   /* auto_boot */
    g->file = it->file;
    g->line = it->line;
    if (!rc)
        rc = pvb_g2_call(g, it->body, it->args, it->argc);
    g->cur = old;
    return rc;
}

/* What `default` becomes inside the entry or submenu spec chose. */
static const char *default_rest(enum pvb_cfg_semantics sem, const char *spec)
{
    const char *rest = spec ? pvb_cfg_default_rest(spec) : NULL;

    /* Upstream unsets it without '>'; Fedora keeps it. */
    if (!rest && sem == PVB_CFG_SEM_FEDORA)
        return spec;
    return rest;
}

static int add_entry(struct walk *w, struct g2_item *it, struct g2_ctx *x, const char *chosen,
                     const char *rest, const char *subpath, unsigned depth)
{
    struct pvb_mb *b = w->p->mb;
    struct pvb_cfg_entry *e = pvb_mb_add(b);
    int rc;

    if (!e)
        return b->c->err;
    e->depth = depth;
    e->line = it->line;
    if (it->from_bls)
        e->flags |= PVB_CFG_ENTRY_BLS;
    if ((rc = pvb_mb_set_str(b, &e->title, it->title)) || (rc = pvb_mb_set_str(b, &e->id, it->id)) ||
        (rc = pvb_mb_set_str(b, &e->submenu, subpath)) ||
        (rc = pvb_mb_set_str(b, &e->classes, it->classes)) ||
        (rc = pvb_mb_set_str(b, &e->file, it->file)))
        return rc;
    return add_ref(w->p, it, x, chosen, rest);
}

static int expand(struct walk *w, struct g2_ctx *x, const char *spec, int on_path,
                  const char *chosen_pre, const char *subpath, unsigned depth)
{
    struct g2 *g = &w->p->g;
    int k = -1, rc = 0;
    unsigned i;

    if (depth > g->lim.max_depth)
        return pvb_fail(g->c, PVB_ELIMIT, "config: submenus nested deeper than the depth limit of %u",
                        g->lim.max_depth);
    if (on_path) {
        k = match(g, w->sem, x, spec);
        if (k == -2)
            return g->c->err;
        if (k < 0 || (unsigned)k >= x->nitems)
            k = 0;   /* menu.c: not found or out of range -> the first entry */
    }
    for (i = 0; i < x->nitems && !rc; i++) {
        struct g2_item *it = &x->items[i];
        int here = on_path && (int)i == k;
        const char *rest = here ? default_rest(w->sem, spec) : NULL;
        struct pvb_sb ch, sp;

        pvb_sb_init(&ch, g->c, g->lim.max_var, "chosen");
        pvb_sb_init(&sp, g->c, g->lim.max_var, "submenu path");
        rc = chosen_path(&ch, chosen_pre, depth > 0, it->id);
        if (!rc && !it->submenu) {
            if (here)
                w->chosen = (int)w->p->mb->m->count;
            rc = add_entry(w, it, x, ch.p ? ch.p : "", rest, subpath, depth);   /* "" ids */
        } else if (!rc) {
            if (subpath[0]) {
                pvb_sb_adds(&sp, subpath);
                pvb_sb_addc(&sp, '>');
            }
            pvb_sb_adds(&sp, it->title);
            rc = sp.err;
            if (!rc)
                rc = run_submenu(w, it, x, rest, here, ch.p ? ch.p : "");
            if (!rc)
                rc = expand(w, it->sub, rest, here, ch.p ? ch.p : "", sp.p ? sp.p : "", depth + 1);
        }
        pvb_sb_free(&ch);
        pvb_sb_free(&sp);
    }
    return rc;
}

/* Copy what a body loaded into the menu entry. */
static int take_load(struct g2_priv *p, struct pvb_cfg_entry *e, struct g2_load *l)
{
    struct pvb_mb *b = p->mb;
    unsigned i;
    int rc = 0;

    pvb_cfg_entry_clear(b->c, e);
    e->loaded = 1;
    if (l->root && (rc = pvb_mb_set_str(b, &e->root, l->root)) != 0)
        return rc;
    if (l->unbootable)
        return pvb_mb_set_str(b, &e->unbootable, l->unbootable);
    if (!l->kpath)
        return 0;
    if ((rc = pvb_mb_set_file(b, &e->kernel, l->kdev, l->kpath)) ||
        (rc = pvb_mb_set_str(b, &e->args, l->args)))
        return rc;
    for (i = 0; i < l->ninitrd && !rc; i++)
        rc = pvb_mb_add_initrd(b, e, l->initrd[i].dev, l->initrd[i].path);
    return rc;
}

static void load_free(struct pvb_ctx *c, struct g2_load *l)
{
    unsigned i;

    pvb_free(c, l->kdev);
    pvb_free(c, l->kpath);
    pvb_free(c, l->args);
    pvb_free(c, l->root);
    pvb_free(c, l->unbootable);
    for (i = 0; i < l->ninitrd; i++) {
        pvb_free(c, l->initrd[i].dev);
        pvb_free(c, l->initrd[i].path);
    }
    pvb_free(c, l->initrd);
}

/* Run entry i's body in context x, as grub_menu_execute_entry does: $chosen is set and
 * `default` becomes what is left of the path (unset without a '>'). */
static int run_entry(struct g2_priv *p, unsigned i, struct g2_ctx *x)
{
    struct g2 *g = &p->g;
    struct g2_ref *r = &p->refs[i];
    struct g2_ctx *old = g->cur;
    struct g2_load l;
    int rc;

    memset(&l, 0, sizeof(l));
    g->cur = x;
    g->load = &l;
    g->file = r->it->file;
    g->line = r->it->line;
    rc = set_exported(g, "chosen", r->chosen);
    if (!rc)
        rc = r->defrest ? pvb_g2_set(g, x, "default", r->defrest) : pvb_g2_unset(g, x, "default");
    if (!rc)
        rc = pvb_g2_call(g, r->it->body, r->it->args, r->it->argc);
    g->load = NULL;
    g->cur = old;
    g->configfile_done = 0;
    if (!rc)
        rc = take_load(p, &p->mb->m->entries[i], &l);
    load_free(g->c, &l);
    return rc;
}

/* Entry i on its own, in a copy of its context (entries listed do not see each other). */
static int load_entry(struct g2_priv *p, unsigned i)
{
    struct g2_ctx *x = pvb_g2_ctx_clone(&p->g, p->refs[i].ctx);
    int rc;

    if (!x)
        return p->g.c->err;
    rc = run_entry(p, i, x);
    pvb_g2_ctx_free(&p->g, x);
    return rc;
}

static int load(struct pvb_menu *m, unsigned i)
{
    struct g2_priv *p = m->priv;

    if (!p || i >= p->nrefs)
        return pvb_fail(m->ctx, PVB_EINVAL, "config: no entry %u", i);
    return load_entry(p, i);
}

static void free_state(struct pvb_menu *m)
{
    struct g2_priv *p = m->priv;
    struct g2 *g;
    unsigned i;

    if (!p)
        return;
    g = &p->g;
    for (i = 0; i < p->nrefs; i++) {
        pvb_free(g->c, p->refs[i].chosen);
        pvb_free(g->c, p->refs[i].defrest);
    }
    pvb_free(g->c, p->refs);
    if (g->final && g->final != p->top)
        pvb_g2_ctx_free(g, g->final);
    pvb_g2_ctx_free(g, p->top);
    while (g->files) {
        struct g2_file *f = g->files->next;
        pvb_free(g->c, g->files->name);
        pvb_free(g->c, g->files);
        g->files = f;
    }
    pvb_free(g->c, g->funcs);
    pvb_arena_free(&g->ar);
    pvb_free(g->c, p);
    m->priv = NULL;
}

/* fallback: a list of top-level entries (numbers; Fedora also ids and titles). */
static int fallbacks(struct g2_priv *p, struct walk *w, struct g2_ctx *x)
{
    struct g2 *g = &p->g;
    struct pvb_menu *m = p->mb->m;
    const char *v = pvb_g2_get(g, x, "fallback"), *s;
    char tok[512];
    unsigned i;
    int *nv;

    if (!v)
        return 0;
    for (s = v; *s;) {
        size_t n;
        int k;
        while (*s == ' ' || *s == '\t')
            s++;
        n = strcspn(s, " \t");
        if (!n)
            break;
        if (n >= sizeof(tok))
            n = sizeof(tok) - 1;
        memcpy(tok, s, n);
        tok[n] = '\0';
        s += strcspn(s, " \t");
        k = match(g, w->sem == PVB_CFG_SEM_FEDORA ? w->sem : PVB_CFG_SEM_UPSTREAM, x, tok);
        if (k == -2)
            return g->c->err;
        if (k < 0 || (unsigned)k >= x->nitems || x->items[k].submenu)
            continue;
        /* map the top-level index to the flattened one */
        for (i = 0; i < p->nrefs; i++)
            if (p->refs[i].it == &x->items[k])
                break;
        if (i == p->nrefs || m->nfallback >= 64)
            continue;
        nv = pvb_realloc(g->c, m->fallback, (m->nfallback + 1) * sizeof(int), "fallback");
        if (!nv)
            return g->c->err;
        m->fallback = nv;
        m->fallback[m->nfallback++] = (int)i;
    }
    return 0;
}

static int timeout_of(struct g2 *g, struct g2_ctx *x)
{
    const char *v = pvb_g2_get(g, x, "timeout");
    unsigned long t;

    /* menu.c grub_menu_get_timeout: unset or not a number -> wait forever. */
    if (!v || pvb_cfg_strtoul(v, &t, NULL) != 0 || t > 0x7fffffffUL)
        return -1;
    return (int)t;
}

static int bootable(const struct pvb_cfg_entry *e)
{
    return e->kernel.path || e->unbootable;
}

/* Run the chosen entry; if it loads nothing, the fallbacks as GRUB does. Entries of the same
 * context share it: what a failed body set is still set for the next one (menu.c). */
static int choose(struct g2_priv *p, struct walk *w)
{
    struct pvb_menu *m = p->mb->m;
    struct g2_ctx *x, *base;
    unsigned k;
    int rc, first = w->chosen, i = first;

    base = p->refs[first].ctx;
    if (!(x = pvb_g2_ctx_clone(&p->g, base)))
        return p->g.c->err;
    rc = run_entry(p, (unsigned)first, x);
    for (k = 0; !rc && !bootable(&m->entries[i]) && k < m->nfallback; k++) {
        i = m->fallback[k];
        if (p->refs[i].ctx != base) {
            pvb_g2_ctx_free(&p->g, x);
            base = p->refs[i].ctx;
            if (!(x = pvb_g2_ctx_clone(&p->g, base)))
                return p->g.c->err;
        }
        rc = run_entry(p, (unsigned)i, x);
    }
    pvb_g2_ctx_free(&p->g, x);
    if (!rc && i != first && bootable(&m->entries[i])) {
        m->chosen = i;
        m->fallback_from = first;
        rc = pvb_mb_why(p->mb, "entry %d loads no kernel; fallback entry %d (%s)", first, i,
                    m->entries[i].title);
    }
    return rc;
}

static int eval(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                const struct pvb_cfg_lim *l, const char *buf, size_t len)
{
    struct pvb_ctx *c = b->c;
    struct g2_priv *p;
    struct g2 *g;
    struct g2_ctx *fin;
    struct walk w;
    const char *spec;
    unsigned i;
    int rc;

    p = pvb_zalloc(c, sizeof(*p), "grub2 state");
    if (!p)
        return c->err;
    b->m->priv = p;
    p->o = *o;
    p->env = *env;
    p->mb = b;
    g = &p->g;
    g->c = c;
    g->o = &p->o;
    g->env = &p->env;
    g->lim = *l;
    g->mb = b;
    g->device = o->device;
    pvb_arena_init(&g->ar, c);
    if (!(p->top = pvb_g2_ctx_new(g)))
        return c->err;
    g->cur = p->top;
    g->file = o->path;
    {
        /* normal.mod reads "(dev)path"; its $config_file/$config_directory are unset again
         * when the menu runs. */
        char cfgspec[4200];
        snprintf(cfgspec, sizeof(cfgspec), "(%s)%s", g->device, o->path);
        if ((rc = initial_vars(g, o->path)) != 0 || (rc = pvb_g2_run_file(g, cfgspec, buf, len)) != 0)
            goto out;
    }
    fin = g->final ? g->final : p->top;
    g->configfile_done = 0;
    memset(&w, 0, sizeof(w));
    w.p = p;
    w.chosen = -1;
    w.sem = o->semantics ? o->semantics : g->used_btrfs ? PVB_CFG_SEM_SUSE :
            g->used_blscfg ? PVB_CFG_SEM_FEDORA : PVB_CFG_SEM_UPSTREAM;
    b->m->semantics = w.sem;
    spec = pvb_g2_get(g, fin, "default");
    if (spec && (rc = pvb_mb_set_str(p->mb, &b->m->default_value, spec)) != 0)
        goto out;
    b->m->timeout = timeout_of(g, fin);
    if ((rc = expand(&w, fin, spec, 1, "", "", 0)) != 0)
        goto out;
    if ((rc = fallbacks(p, &w, fin)) != 0)
        goto out;
    if (b->m->count == 0 || w.chosen < 0) {
        rc = g->syntax_errors ? pvb_fail(c, PVB_ESYNTAX, "config: %s: syntax errors leave no menu entry to boot",
                                         o->path)
                              : pvb_fail(c, PVB_ENOBOOT, "config: %s: no menu entry to boot", o->path);
        goto out;
    }
    b->m->chosen = w.chosen;
    rc = spec ? pvb_mb_why(p->mb, "default=\"%s\" (%s semantics) selects entry %d", spec,
                       pvb_cfg_semantics_name(w.sem), w.chosen)
              : pvb_mb_why(p->mb, "default is unset: the first entry");
    if (!rc)
        rc = choose(p, &w);
    for (i = 0; !rc && (o->flags & PVB_CFG_LOAD_ALL) && i < b->m->count; i++)
        if (!b->m->entries[i].loaded)
            rc = load_entry(p, i);
out:
    return rc;
}

static const char *const paths[] = {
    "/boot/grub/grub.cfg", "/grub/grub.cfg", "/boot/grub2/grub.cfg", "/grub2/grub.cfg", NULL
};
static const char *const names[] = { "grub.cfg", NULL };

const struct pvb_cfg_engine pvb_engine_grub2 = {
    .name = "grub2", .paths = paths, .names = names, .eval = eval, .load = load,
    .free = free_state,
};
