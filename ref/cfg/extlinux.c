/* SPDX-License-Identifier: GPL-2.0-only */
/* extlinux/isolinux/syslinux configs: LABEL entries, DEFAULT, MENU DEFAULT, INCLUDE, APPEND. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cfg/cfgint.h"

struct xl_label {
    char *label, *title, *kernel, *append, *initrd;
    int menu_default, localboot;
    const char *file;
    unsigned line;
};

struct xl {
    struct pvb_mb *b;
    const struct pvb_cfg_opts *o;
    const struct pvb_cfg_env *env;
    const struct pvb_cfg_lim *l;
    char dir[4096];               /* the config's directory: relative paths start here */
    struct xl_label *v;
    unsigned n, cap;
    char *def, *ontimeout, *append;   /* globals */
    int timeout;
    unsigned depth;
    int in_text;
};

static int xl_str(struct xl *x, char **dst, const char *s)
{
    return pvb_mb_set_str(x->b, dst, s);
}

static struct xl_label *new_label(struct xl *x, const char *name, const char *file, unsigned line)
{
    struct xl_label *nv;

    if (x->n >= x->l->max_entries) {
        pvb_fail(x->b->c, PVB_ELIMIT, "config: more than %u labels (entry limit)", x->l->max_entries);
        return NULL;
    }
    if (!(nv = pvb_grow(x->b->c, x->v, &x->cap, x->n + 1, sizeof(*nv), "labels")))
        return NULL;
    x->v = nv;
    nv = &x->v[x->n++];
    memset(nv, 0, sizeof(*nv));
    nv->file = file;
    nv->line = line;
    if (xl_str(x, &nv->label, name))
        return NULL;
    return nv;
}

static int run(struct xl *x, const char *file, const char *buf, size_t len);

static int include(struct xl *x, const char *name, const char *from, unsigned line)
{
    char path[8300], *buf = NULL;
    size_t len;
    int rc;

    if (x->depth >= x->l->max_include)
        return pvb_fail(x->b->c, PVB_ELIMIT, "config: %s:%u: INCLUDE nested deeper than the include limit of %u",
                        from, line, x->l->max_include);
    if (name[0] == '/')
        snprintf(path, sizeof(path), "%s", name);
    else
        snprintf(path, sizeof(path), "%s/%s", x->dir, name);
    rc = pvb_cfg_read(x->b->c, x->env, "", path, x->l->max_config, &buf, &len);
    if (pvb_err_fatal(rc)) {
        pvb_ctx_prefix(x->b->c, "config: %s:%u: INCLUDE %s: ", from, line, path);
        return rc;
    }
    if (rc) {
        pvb_ctx_clear(x->b->c);
        pvb_mb_warn(x->b, from, line, "INCLUDE %s: cannot read it", path);
        return 0;
    }
    x->depth++;
    rc = run(x, path, buf, len);
    x->depth--;
    pvb_free(x->b->c, buf);
    return rc;
}

/* One "KEYWORD value" line (keywords are case-insensitive; readconfig.c). */
static int line_cmd(struct xl *x, char *s, const char *file, unsigned line)
{
    struct xl_label *cur = x->n ? &x->v[x->n - 1] : NULL;
    char *val;
    size_t k = strcspn(s, " \t");
    int rc = 0;

    val = s + k;
    while (*val == ' ' || *val == '\t')
        val++;
    s[k] = '\0';
    if (x->in_text) {
        if (!strcasecmp(s, "endtext"))
            x->in_text = 0;
        return 0;
    }
    if (!strcasecmp(s, "menu")) {
        char *sub = val;
        k = strcspn(sub, " \t");
        val = sub + k;
        while (*val == ' ' || *val == '\t')
            val++;
        sub[k] = '\0';
        if (!strcasecmp(sub, "label") && cur)
            rc = xl_str(x, &cur->title, val);
        else if (!strcasecmp(sub, "default") && cur)
            cur->menu_default = 1;
        else if (!strcasecmp(sub, "include"))
            rc = include(x, val, file, line);
        return rc;
    }
    if (!strcasecmp(s, "label"))
        return new_label(x, val, file, line) ? 0 : x->b->c->err;
    if (!strcasecmp(s, "kernel") || !strcasecmp(s, "linux"))
        return cur ? xl_str(x, &cur->kernel, val) : 0;
    if (!strcasecmp(s, "append"))
        return xl_str(x, cur ? &cur->append : &x->append, val);
    if (!strcasecmp(s, "initrd"))
        return cur ? xl_str(x, &cur->initrd, val) : 0;
    if (!strcasecmp(s, "localboot") && cur) {
        cur->localboot = 1;
        return 0;
    }
    if (!strcasecmp(s, "default"))
        return xl_str(x, &x->def, val);
    if (!strcasecmp(s, "ontimeout"))
        return xl_str(x, &x->ontimeout, val);
    if (!strcasecmp(s, "timeout")) {
        unsigned long t;
        if (pvb_cfg_strtoul(val, &t, NULL) == 0 && t < 36000000UL)
            x->timeout = (int)((t + 9) / 10);   /* tenths of a second */
        return 0;
    }
    if (!strcasecmp(s, "include"))
        return include(x, val, file, line);
    if (!strcasecmp(s, "text")) {
        x->in_text = 1;
        return 0;
    }
    return 0;
}

static int run(struct xl *x, const char *file, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    unsigned line = 0;
    char *ln;
    int rc = 0;

    ln = pvb_alloc(x->b->c, x->l->max_line + 1, "config line");
    if (!ln)
        return x->b->c->err;
    while (p < end && !rc) {
        char *s, *t;
        if ((rc = pvb_cfg_line(x->b->c, &p, end, ln, x->l->max_line, file, ++line)) != 0)
            break;
        for (s = ln; *s == ' '; s++)
            ;
        for (t = s + strlen(s); t > s && t[-1] == ' '; t--)
            t[-1] = '\0';
        if (!*s || *s == '#')
            continue;
        rc = line_cmd(x, s, file, line);
    }
    pvb_free(x->b->c, ln);
    return rc;
}

/* A path as syslinux opens it: absolute from the root, else from the config's directory. */
static int set_path(struct xl *x, struct pvb_cfg_file *f, const char *s, size_t n)
{
    char path[8300];

    if (s[0] == '/')
        snprintf(path, sizeof(path), "%.*s", (int)n, s);
    else
        snprintf(path, sizeof(path), "%s/%.*s", x->dir, (int)n, s);
    return pvb_mb_set_file(x->b, f, "", path);
}

static int add_initrds(struct xl *x, struct pvb_cfg_entry *e, const char *list, size_t n)
{
    const char *s = list, *stop = list + n;
    int rc = 0;

    /* "initrd=a,b" loads both, in order. */
    while (s < stop && !rc) {
        size_t k = 0;
        struct pvb_cfg_file f = { NULL, NULL };
        while (s + k < stop && s[k] != ',')
            k++;
        if (k && !(rc = set_path(x, &f, s, k)))
            rc = pvb_mb_add_initrd(x->b, e, f.dev, f.path);
        pvb_free(x->b->c, f.dev);
        pvb_free(x->b->c, f.path);
        s += k + 1;
    }
    return rc;
}

static int make_entry(struct xl *x, const struct xl_label *lb)
{
    struct pvb_mb *b = x->b;
    struct pvb_cfg_entry *e = pvb_mb_add(b);
    const char *kernel = lb->kernel ? lb->kernel : lb->label;   /* no KERNEL: the label is the kernel */
    const char *app = lb->append ? lb->append : x->append ? x->append : "";
    const char *base, *ini = NULL, *w;
    size_t kl = strcspn(kernel, " \t"), inil = 0;
    struct pvb_sb args;
    int rc;

    if (!e)
        return b->c->err;
    e->line = lb->line;
    e->loaded = 1;
    if ((rc = pvb_mb_set_str(b, &e->title, lb->title ? lb->title : lb->label)) ||
        (rc = pvb_mb_set_str(b, &e->id, lb->label)) || (rc = pvb_mb_set_str(b, &e->file, lb->file)) ||
        (rc = pvb_mb_set_str(b, &e->submenu, "")) || (rc = pvb_mb_set_str(b, &e->classes, "")))
        return rc;
    if (!strcmp(app, "-"))
        app = "";   /* "APPEND -": no options at all */
    base = strrchr(kernel, '/');
    base = base && base < kernel + kl ? base + 1 : kernel;
    if (lb->localboot)
        return pvb_mb_set_str(b, &e->unbootable, "LOCALBOOT boots the local disk, not a kernel");
    if (!strncasecmp(base, "mboot.c32", 9))
        return pvb_mb_set_str(b, &e->unbootable, "mboot.c32 loads a hypervisor (the part before ---); a "
                          "PV guest boots Linux directly");
    if (kl > 4 && !strncasecmp(kernel + kl - 4, ".c32", 4))
        return pvb_mb_set_str(b, &e->unbootable, "a COM32 module is not a Linux kernel");
    if ((rc = set_path(x, &e->kernel, kernel, kl)) != 0)
        return rc;
    pvb_sb_init(&args, b->c, x->l->max_var, "APPEND");
    pvb_sb_adds(&args, app);
    if (lb->initrd) {
        /* INITRD f is the same as " initrd=f" after the APPEND line (syslinux 3.71+). */
        if (args.n)
            pvb_sb_addc(&args, ' ');
        pvb_sb_adds(&args, "initrd=");
        pvb_sb_adds(&args, lb->initrd);
    }
    if (args.err) {
        rc = args.err;
        pvb_sb_free(&args);
        return rc;
    }
    /* The last initrd= option names the initrds syslinux loads. */
    for (w = args.p; w && *w;) {
        size_t n = strcspn(w, " ");
        if (n > 7 && !strncmp(w, "initrd=", 7)) {
            ini = w + 7;
            inil = n - 7;
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    rc = ini ? add_initrds(x, e, ini, inil) : 0;
    if (!rc)
        rc = pvb_mb_set_str(b, &e->args, args.p ? args.p : "");
    pvb_sb_free(&args);
    return rc;
}

static int find_label(const struct xl *x, const char *name)
{
    unsigned i;

    for (i = 0; i < x->n; i++)
        if (!strcmp(x->v[i].label, name))
            return (int)i;
    return -1;
}

/* menu.c32 or vesamenu.c32, with or without a directory. */
static int is_menu_module(const char *word)
{
    const char *base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;

    return !strcasecmp(base, "menu.c32") || !strcasecmp(base, "vesamenu.c32");
}

static int choose(struct xl *x)
{
    struct pvb_mb *b = x->b;
    const char *pick = x->ontimeout ? x->ontimeout : x->def;
    unsigned i;
    int k;

    for (i = 0; i < x->n; i++)
        if (x->v[i].menu_default && !x->ontimeout) {
            b->m->chosen = (int)i;
            return pvb_mb_why(b, "MENU DEFAULT on label %s", x->v[i].label);
        }
    if (pick) {
        char word[512];
        snprintf(word, sizeof(word), "%.*s", (int)strcspn(pick, " \t"), pick);
        k = find_label(x, word);
        if (k >= 0) {
            b->m->chosen = k;
            return pvb_mb_why(b, "%s %s names label %d", x->ontimeout ? "ONTIMEOUT" : "DEFAULT", pick, k);
        }
        /* A menu module as DEFAULT (Alpine's update-extlinux writes DEFAULT menu.c32):
         * the menu starts on its MENU DEFAULT (handled above), else the first label
         * (syslinux doc/menu.txt). */
        if (x->n > 0 && is_menu_module(word)) {
            b->m->chosen = 0;
            return pvb_mb_why(b, "DEFAULT %s runs the menu, which starts on the first label", word);
        }
        /* Not a label: syslinux runs it as a kernel command line. */
        {
            struct xl_label tmp;
            const char *rest = pick + strlen(word);
            int rc;
            while (*rest == ' ' || *rest == '\t')
                rest++;
            memset(&tmp, 0, sizeof(tmp));
            tmp.label = (char *)word;
            tmp.kernel = (char *)word;
            tmp.append = *rest ? (char *)rest : NULL;
            tmp.file = x->o->path;
            if ((rc = make_entry(x, &tmp)) != 0)
                return rc;
            b->m->chosen = (int)b->m->count - 1;
            return pvb_mb_why(b, "DEFAULT %s is no label: syslinux boots it as a kernel", pick);
        }
    }
    b->m->chosen = 0;
    return pvb_mb_why(b, "no DEFAULT: the first label");
}

static int eval(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                const struct pvb_cfg_lim *l, const char *buf, size_t len)
{
    struct xl x;
    const char *slash = strrchr(o->path, '/');
    unsigned i;
    int rc;

    memset(&x, 0, sizeof(x));
    x.b = b;
    x.o = o;
    x.env = env;
    x.l = l;
    x.timeout = -1;
    snprintf(x.dir, sizeof(x.dir), "%.*s", slash ? (int)(slash - o->path) : 0, o->path);
    rc = run(&x, o->path, buf, len);
    for (i = 0; !rc && i < x.n; i++)
        rc = make_entry(&x, &x.v[i]);
    b->m->timeout = x.timeout;
    if (!rc && x.n == 0 && !x.def)
        rc = pvb_fail(b->c, PVB_ENOBOOT, "config: %s: no LABEL", o->path);
    if (!rc)
        rc = choose(&x);
    if (!rc && x.def)
        rc = pvb_mb_set_str(b, &b->m->default_value, x.def);
    if (!rc)
        rc = pvb_mb_fallback(b);
    for (i = 0; i < x.n; i++) {
        pvb_free(b->c, x.v[i].label);
        pvb_free(b->c, x.v[i].title);
        pvb_free(b->c, x.v[i].kernel);
        pvb_free(b->c, x.v[i].append);
        pvb_free(b->c, x.v[i].initrd);
    }
    pvb_free(b->c, x.v);
    pvb_free(b->c, x.def);
    pvb_free(b->c, x.ontimeout);
    pvb_free(b->c, x.append);
    return rc;
}

static const char *const paths[] = {
    "/boot/isolinux/isolinux.cfg", "/boot/extlinux/extlinux.conf", "/boot/extlinux.conf",
    "/extlinux/extlinux.conf", "/extlinux.conf", NULL
};
static const char *const names[] = { "extlinux.conf", "isolinux.cfg", "syslinux.cfg", NULL };

const struct pvb_cfg_engine pvb_engine_extlinux = {
    .name = "extlinux", .paths = paths, .names = names, .eval = eval,
};
