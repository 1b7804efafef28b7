/* SPDX-License-Identifier: GPL-2.0-only */
/* extlinux/isolinux/syslinux configs: LABEL entries, DEFAULT, UI, MENU DEFAULT, INCLUDE, APPEND. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cfg/cfgint.h"

/*
 * Two readers parse the same file (syslinux 5+; the asm core of 4.x did as ldlinux):
 * - ldlinux (com32/elflink/ldlinux/readconfig.c) always; it boots DEFAULT, ONTIMEOUT or
 *   the UI module through load_kernel (ldlinux.c). Its LABEL is the first word.
 * - the menu module (com32/menu/readconfig.c) when that boot runs menu.c32 or
 *   vesamenu.c32 (UI menu.c32, or DEFAULT menu.c32). Its LABEL is the whole rest of the
 *   line, blanks included, and DEFAULT (only when the config has a UI line) picks the
 *   label that equals DEFAULT's first word; else the menu starts on its MENU DEFAULT or
 *   on the first label.
 * Both find a label by the first word of a command line compared with the whole label
 * (find_label), keywords with looking_at (case-insensitive, then a blank or the end).
 */

struct xl_label {
    char *label;              /* the rest of the LABEL line, trailing blanks kept */
    char *title, *kernel, *append, *initrd;
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
    char *def, *ontimeout, *append, *ui;   /* globals */
    int timeout, totaltimeout, prompt;
    unsigned depth;
    int in_text;
    int menu;                     /* the labels as the menu module reads them */
};

/* menu.h my_isspace: what ends a word and a keyword. */
static int xl_blank(char ch)
{
    return (unsigned char)ch <= ' ' || (unsigned char)ch == 0x7f;
}

/* skipspace (com32/lib/skipspace.c): isspace, which is fewer bytes than xl_blank. */
static char *skip(const char *s)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    return (char *)s;
}

/* atoi: blanks, a sign, decimal digits; anything else ends it (no digits: 0). */
static long xl_atoi(const char *s)
{
    long v = 0;
    int neg;

    s = skip(s);
    neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    for (; *s >= '0' && *s <= '9' && v < 100000000L; s++)
        v = v * 10 + (*s - '0');
    return neg ? -v : v;
}

static size_t word_len(const char *s)
{
    size_t n = 0;

    while (s[n] && !xl_blank(s[n]))
        n++;
    return n;
}

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

/* The keyword at s (looking_at): 1 when the first word of s is kw, any case. *val is then
 * the text after it and its blanks. */
static int keyword(char *s, const char *kw, char **val)
{
    size_t n = word_len(s);

    if (n != strlen(kw) || strncasecmp(s, kw, n))
        return 0;
    *val = skip(s + n);
    return 1;
}

/* A value without its trailing blanks, for every keyword but LABEL: they would only end
 * up at the end of a command line, where Linux ignores them. */
static char *trimmed(char *val, char *buf)
{
    size_t n = strlen(val);

    memcpy(buf, val, n + 1);
    while (n && xl_blank(buf[n - 1]))
        buf[--n] = '\0';
    return buf;
}

/* One line, after its leading blanks (both readconfig.c parse_config_file). */
static int line_cmd(struct xl *x, char *s, char *tbuf, const char *file, unsigned line)
{
    struct xl_label *cur = x->n ? &x->v[x->n - 1] : NULL;
    char *val, *sub;
    long t;

    if (x->in_text) {
        if (keyword(s, "endtext", &val))
            x->in_text = 0;
        return 0;
    }
    if (keyword(s, "label", &val))
        return new_label(x, val, file, line) ? 0 : x->b->c->err;
    if (keyword(s, "menu", &sub)) {
        if (keyword(sub, "label", &val) && cur)
            return xl_str(x, &cur->title, trimmed(val, tbuf));
        if (keyword(sub, "default", &val) && cur)
            cur->menu_default = 1;
        else if (keyword(sub, "include", &val))
            return include(x, trimmed(val, tbuf), file, line);
        return 0;
    }
    val = NULL;
    if (keyword(s, "kernel", &val) || keyword(s, "linux", &val))
        return cur ? xl_str(x, &cur->kernel, trimmed(val, tbuf)) : 0;
    if (keyword(s, "append", &val))
        return xl_str(x, cur ? &cur->append : &x->append, trimmed(val, tbuf));
    if (keyword(s, "initrd", &val))
        return cur ? xl_str(x, &cur->initrd, trimmed(val, tbuf)) : 0;
    if (keyword(s, "localboot", &val) && cur) {
        cur->localboot = 1;
        return 0;
    }
    if (keyword(s, "default", &val))
        return xl_str(x, &x->def, trimmed(val, tbuf));
    if (keyword(s, "ui", &val))
        return xl_str(x, &x->ui, trimmed(val, tbuf));
    if (keyword(s, "ontimeout", &val))
        return xl_str(x, &x->ontimeout, trimmed(val, tbuf));
    if (keyword(s, "timeout", &val)) {
        t = xl_atoi(val);       /* tenths of a second; 0 (or less) waits for a key */
        x->timeout = t <= 0 ? 0 : t < 36000000L ? (int)((t + 9) / 10) : 3600000;
        return 0;
    }
    if (keyword(s, "totaltimeout", &val)) {
        x->totaltimeout = xl_atoi(val) > 0;
        return 0;
    }
    if (keyword(s, "prompt", &val)) {
        x->prompt = xl_atoi(val) != 0;
        return 0;
    }
    if (keyword(s, "include", &val))
        return include(x, trimmed(val, tbuf), file, line);
    if (keyword(s, "text", &val))
        x->in_text = 1;
    return 0;
}

static int run(struct xl *x, const char *file, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    unsigned line = 0;
    char *ln, *tbuf;
    int rc = 0;

    ln = pvb_alloc(x->b->c, x->l->max_line + 1, "config line");
    tbuf = ln ? pvb_alloc(x->b->c, x->l->max_line + 1, "config line") : NULL;
    if (!tbuf) {
        pvb_free(x->b->c, ln);
        return x->b->c->err;
    }
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *s;
        line++;
        if (n > x->l->max_line) {
            rc = pvb_fail(x->b->c, PVB_ELIMIT, "config: %s:%u: line longer than the line limit of %zu bytes",
                          file, line, x->l->max_line);
            break;
        }
        memcpy(ln, p, n);
        ln[n] = '\0';
        p += nl ? n + 1 : n;
        /* fgets, then the line ends at its first CR (and a NUL ends any C string). */
        ln[strcspn(ln, "\r")] = '\0';
        s = skip(ln);
        if (*s && *s != '#')
            rc = line_cmd(x, s, tbuf, file, line);
    }
    pvb_free(x->b->c, ln);
    pvb_free(x->b->c, tbuf);
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
        struct pvb_cfg_file f = { NULL, NULL, 0, 0, 0 };
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

/* The label's name as the reader in use keeps it: the whole value for the menu module,
 * the first word for ldlinux. */
static size_t name_len(const struct xl *x, const struct xl_label *lb)
{
    return x->menu ? strlen(lb->label) : word_len(lb->label);
}

/* find_label: the first label whose whole name is the first word of cmd; -1 for none. */
static int find_label(const struct xl *x, const char *cmd)
{
    size_t n = word_len(cmd);
    unsigned i;

    for (i = 0; i < x->n; i++)
        if (name_len(x, &x->v[i]) == n && !strncmp(x->v[i].label, cmd, n))
            return (int)i;
    return -1;
}

/* The label's command line as both readers' record() build it: the KERNEL line (or the
 * label's name), a blank and APPEND (the label's, else the global one; "-" is none), then
 * " initrd=" and INITRD. */
static int label_cmdline(struct xl *x, const struct xl_label *lb, struct pvb_sb *cmd)
{
    const char *a = lb->append ? lb->append : x->append ? x->append : "";

    if (a[0] == '-' && !a[1])
        a = "";
    if (lb->kernel)
        pvb_sb_adds(cmd, lb->kernel);
    else
        pvb_sb_add(cmd, lb->label, name_len(x, lb));
    if (*a) {
        pvb_sb_addc(cmd, ' ');
        pvb_sb_adds(cmd, a);
    }
    if (lb->initrd) {
        pvb_sb_adds(cmd, " initrd=");
        pvb_sb_adds(cmd, lb->initrd);
    }
    return cmd->err;
}

/* An entry that boots cmdline as execute() (ldlinux execute.c) runs it: the kernel is its
 * first word, the arguments what follows the blanks after it; the last initrd= names the
 * initrds. Label lb's entry is named by it (the title its MENU LABEL, else its name without
 * trailing blanks); an implicit kernel (lb NULL) by the kernel word. */
static int cmdline_entry(struct xl *x, const struct xl_label *lb, const char *cmdline)
{
    struct pvb_mb *b = x->b;
    struct pvb_cfg_entry *e = pvb_mb_add(b);
    size_t kl = word_len(cmdline), n, inil = 0, idl = lb ? name_len(x, lb) : kl, tl = idl;
    const char *base, *args = skip(cmdline + kl), *ini = NULL, *w, *id = lb ? lb->label : cmdline;
    char *end;
    int rc;

    if (!e)
        return b->c->err;
    e->line = lb ? lb->line : 0;
    e->loaded = 1;
    while (tl && xl_blank(id[tl - 1]))
        tl--;
    if ((rc = lb && lb->title ? pvb_mb_set_str(b, &e->title, lb->title) : pvb_mb_set_strn(b, &e->title, id, tl)) ||
        (rc = pvb_mb_set_strn(b, &e->id, id, idl)) || (rc = pvb_mb_set_str(b, &e->file, lb ? lb->file : x->o->path)) ||
        (rc = pvb_mb_set_str(b, &e->submenu, "")) || (rc = pvb_mb_set_str(b, &e->classes, "")))
        return rc;
    for (base = cmdline + kl; base > cmdline && base[-1] != '/'; base--)
        ;
    if (lb && lb->localboot)
        return pvb_mb_set_str(b, &e->unbootable, "LOCALBOOT boots the local disk, not a kernel");
    if (!strncasecmp(base, "mboot.c32", 9))
        return pvb_mb_set_str(b, &e->unbootable, "mboot.c32 loads a hypervisor (the part before ---); a "
                          "PV guest boots Linux directly");
    if (kl > 4 && !strncasecmp(cmdline + kl - 4, ".c32", 4))
        return pvb_mb_set_str(b, &e->unbootable, "a COM32 module is not a Linux kernel");
    if ((rc = set_path(x, &e->kernel, cmdline, kl)) != 0)
        return rc;
    if ((rc = pvb_mb_set_str(b, &e->args, args)) != 0)
        return rc;
    for (end = e->args + strlen(e->args); end > e->args && xl_blank(end[-1]); end--)
        end[-1] = '\0';
    /* The last initrd= option names the initrds syslinux loads. */
    for (w = e->args; *w;) {
        n = strcspn(w, " ");
        if (n > 7 && !strncmp(w, "initrd=", 7)) {
            ini = w + 7;
            inil = n - 7;
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    return ini ? add_initrds(x, e, ini, inil) : 0;
}

/* Label k's entry; with extra (the words after the label in DEFAULT or ONTIMEOUT, after
 * sep) a new entry for that command line. */
static int label_entry(struct xl *x, unsigned k, const char *sep, const char *extra)
{
    struct pvb_sb cmd;
    int rc;

    pvb_sb_init(&cmd, x->b->c, x->l->max_var, "command line");
    if ((rc = label_cmdline(x, &x->v[k], &cmd)) == 0 && extra) {
        pvb_sb_adds(&cmd, sep);
        rc = pvb_sb_adds(&cmd, extra);
    }
    if (!rc)
        rc = cmdline_entry(x, &x->v[k], cmd.p ? cmd.p : "");
    pvb_sb_free(&cmd);
    return rc;
}

/* menu.c32 or vesamenu.c32, with or without a directory. */
static int is_menu_module(const char *cmd)
{
    size_t n = word_len(cmd), i = n;

    while (i > 0 && cmd[i - 1] != '/')
        i--;
    return (n - i == 8 && !strncasecmp(cmd + i, "menu.c32", 8)) ||
           (n - i == 12 && !strncasecmp(cmd + i, "vesamenu.c32", 12));
}

static int timeout_fires(const struct xl *x)
{
    return x->timeout > 0 || x->totaltimeout;
}

/* Boot cmd as the command line of an implicit kernel: a new entry named by its first word. */
static int implicit(struct xl *x, const char *cmd, const char *what)
{
    int rc;

    if ((rc = cmdline_entry(x, NULL, cmd)) != 0)
        return rc;
    x->b->m->chosen = (int)x->b->m->count - 1;
    return pvb_mb_why(x->b, "%s %s is no label: syslinux boots it as a kernel command line", what, cmd);
}

/* A label chosen by cmd's first word; the rest of cmd joins its command line, after one
 * blank (ldlinux load_kernel) or as it stands (menu unlabel). */
static int label_with_args(struct xl *x, int k, const char *cmd, const char *what)
{
    const char *rest = cmd + word_len(cmd);
    int rc;

    if (!*skip(rest)) {
        x->b->m->chosen = k;
        return pvb_mb_why(x->b, "%s %s names label %d", what, cmd, k);
    }
    if ((rc = x->menu ? label_entry(x, (unsigned)k, "", rest) : label_entry(x, (unsigned)k, " ", skip(rest))) != 0)
        return rc;
    x->b->m->chosen = (int)x->b->m->count - 1;
    return pvb_mb_why(x->b, "%s %s names a label; the words after it join its command line", what, cmd);
}

/* The menu module (com32/menu/readconfig.c parse_configs, menumain.c run_menu). */
static int menu_choose(struct xl *x, int has_ui, const char *via)
{
    struct pvb_mb *b = x->b;
    int k, def = 0;
    unsigned i;

    x->menu = 1;
    for (i = 0; i < x->n; i++) {
        int rc = label_entry(x, i, NULL, NULL);
        if (rc)
            return rc;
        if (x->v[i].menu_default)
            def = (int)i;       /* record(): the last MENU DEFAULT */
    }
    if (x->n == 0)
        return pvb_fail(b->c, PVB_ENOBOOT, "config: %s: the menu has no LABEL", x->o->path);
    /* "DEFAULT only counts if UI is found", and then only when it names a label. */
    if (has_ui && x->def && (k = find_label(x, x->def)) >= 0)
        def = k;
    if (x->ontimeout && timeout_fires(x)) {
        k = find_label(x, x->ontimeout);
        return k >= 0 ? label_with_args(x, k, x->ontimeout, "ONTIMEOUT")
                      : implicit(x, x->ontimeout, "ONTIMEOUT");
    }
    b->m->chosen = def;
    if (has_ui && x->def && find_label(x, x->def) == def)
        return pvb_mb_why(b, "%s runs the menu; it starts on label %d, which DEFAULT names", via, def);
    return pvb_mb_why(b, "%s runs the menu; it starts on %s%s", via,
                  x->v[def].menu_default ? "its MENU DEFAULT" : "its first label",
                  !x->def || !has_ui ? "" : " (DEFAULT names no label: the menu finds a label by the "
                                            "first word of DEFAULT, equal to the whole LABEL line)");
}

/* What ldlinux boots without a key pressed (ldlinux.c main, enter_cmdline, load_kernel). */
static int choose(struct xl *x)
{
    const char *cmd = x->ui ? x->ui : x->def;   /* default_cmd: UI wins over DEFAULT */
    const char *what = x->ui ? "UI" : "DEFAULT";
    unsigned i;
    int k, rc;

    /* With PROMPT (and no UI) ldlinux waits at boot: first; on a timeout it runs
     * ONTIMEOUT, else the default. Without a DEFAULT or UI it waits the same way. */
    if (x->ontimeout && timeout_fires(x) && (!cmd || !*cmd || (x->prompt && !x->ui))) {
        cmd = x->ontimeout;
        what = "ONTIMEOUT";
    }
    if (cmd && *cmd && (k = find_label(x, cmd)) >= 0) {
        for (i = 0; i < x->n; i++)
            if ((rc = label_entry(x, i, NULL, NULL)) != 0)
                return rc;
        return label_with_args(x, k, cmd, what);
    }
    if (cmd && *cmd && is_menu_module(cmd)) {
        if (x->ui && !is_menu_module(x->ui))
            pvb_mb_warn(x->b, x->o->path, 0, "UI %s is not menu.c32: evaluated as the menu module would", x->ui);
        return menu_choose(x, x->ui != NULL, x->ui ? "UI" : "DEFAULT menu.c32");
    }
    if (x->ui) {
        pvb_mb_warn(x->b, x->o->path, 0, "UI %s is not menu.c32: evaluated as the menu module would", x->ui);
        return menu_choose(x, 1, "UI");
    }
    for (i = 0; i < x->n; i++)
        if ((rc = label_entry(x, i, NULL, NULL)) != 0)
            return rc;
    if (cmd && *cmd)
        return implicit(x, cmd, what);
    if (x->n == 0)
        return pvb_fail(x->b->c, PVB_ENOBOOT, "config: %s: no LABEL", x->o->path);
    x->b->m->chosen = 0;
    return pvb_mb_why(x->b, "no DEFAULT: syslinux stops at its boot: prompt; the first label");
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
    b->m->timeout = x.timeout;
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
    pvb_free(b->c, x.ui);
    return rc;
}

/*
 * pygrub's five paths in its order, then one it lacks: /isolinux/isolinux.cfg, where
 * CentOS/RHEL 6-8, Fedora and Debian installer ISOs keep isolinux's config (isolinux
 * searches /boot/isolinux, /isolinux, /boot/syslinux, /syslinux, /: syslinux
 * core/fs/iso9660/iso9660.c iso_open_config). pygrub finds nothing on such an ISO; last
 * in the list, it changes no image where one of pygrub's paths exists.
 */
static const char *const paths[] = {
    "/boot/isolinux/isolinux.cfg", "/boot/extlinux/extlinux.conf", "/boot/extlinux.conf",
    "/extlinux/extlinux.conf", "/extlinux.conf", "/isolinux/isolinux.cfg", NULL
};
static const char *const names[] = { "extlinux.conf", "isolinux.cfg", "syslinux.cfg", NULL };

const struct pvb_cfg_engine pvb_engine_extlinux = {
    .name = "extlinux", .paths = paths, .names = names, .eval = eval,
};
