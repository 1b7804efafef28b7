/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 builtin commands as the static evaluator runs them (set, test, search, menuentry, linux, ...). */
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

typedef int (*cmd_fn)(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *block);

static int st(struct g2 *g, int status)
{
    g->status = status;
    return 0;
}

/* A failing command: GRUB prints the error and carries on; so do we, with a warning. */
static int failed(struct g2 *g, int status, const char *what)
{
    pvb_g2_warn(g, "%s", what);
    return st(g, status);
}

/* ---- paths ---------------------------------------------------------------------- */

/* What GRUB's [ -e -f -d -s ] see of a path: 0 with *st filled, PVB_ENOTFOUND when it
 * is not there (or the guest's filesystem cannot show it), or a fatal code. */
static int probe_path(struct g2 *g, const char *spec, struct pvb_cfg_stat *st)
{
    char *dev, *path;
    int rc;

    memset(st, 0, sizeof(*st));
    if (!g->env->stat)
        return PVB_ENOTFOUND;
    if ((rc = pvb_g2_resolve(g, spec, &dev, &path)) != 0)
        return rc;
    rc = g->env->stat(g->env->arg, g->c, dev, path[0] ? path : "/", st);
    pvb_free(g->c, dev);
    pvb_free(g->c, path);
    if (rc && !pvb_err_fatal(rc)) {
        pvb_ctx_clear(g->c);
        rc = PVB_ENOTFOUND;
    }
    return rc;
}

/* ---- variables ------------------------------------------------------------------- */

static int cmd_set(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    char *eq;

    (void)b;
    if (argc < 2)
        return st(g, 0);   /* lists the variables */
    eq = strchr(argv[1], '=');
    if (!eq)
        return failed(g, G2_ST_BAD_ARGUMENT, "set: not an assignment");
    *eq = '\0';
    st(g, 0);
    if (g->load && strcmp(argv[1], "root") == 0) {
        /* Kept for pygrub's -l, which shows an entry's `set root=` line (GrubConf.py). */
        char *r = pvb_strndup(g->c, eq + 1, strlen(eq + 1));
        if (!r)
            return g->c->err;
        pvb_free(g->c, g->load->root);
        g->load->root = r;
    }
    return pvb_g2_set(g, g->cur, argv[1], eq + 1);
}

static int cmd_unset(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    unsigned i;

    (void)b;
    for (i = 1; i < argc; i++)
        pvb_g2_unset(g, g->cur, argv[i]);
    return st(g, 0);
}

static int cmd_export(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    unsigned i;
    int rc;

    (void)b;
    for (i = 1; i < argc; i++)
        if ((rc = pvb_g2_export(g, g->cur, argv[i])) != 0)
            return rc;
    return st(g, 0);
}

static int cmd_true(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)argv, (void)argc, (void)b;
    return st(g, 0);
}

static int cmd_false(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)argv, (void)argc, (void)b;
    return st(g, G2_ST_FALSE);
}

/* ---- test (grub-core/commands/test.c) ----------------------------------------------- */

static long long strtosl(const char *s)
{
    unsigned long v;
    int neg = 0;

    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    if (pvb_cfg_strtoul(s, &v, NULL) != 0)
        return 0;
    return neg ? -(long long)v : (long long)v;
}

static unsigned long strtou(const char *s)
{
    unsigned long v;

    return pvb_cfg_strtoul(s, &v, NULL) == 0 ? v : 0;
}

static int test_parse(struct g2 *g, char **a, unsigned *n, unsigned argc, unsigned depth);

static int test_binary(struct g2 *g, char **a, unsigned n, int *val)
{
    const char *op = a[n + 1], *x = a[n], *y = a[n + 2];
    int cmp = strcmp(x, y);
    long long lx = strtosl(x), ly = strtosl(y);

    (void)g;
    if (!strcmp(op, "=") || !strcmp(op, "==")) *val = cmp == 0;
    else if (!strcmp(op, "!=")) *val = cmp != 0;
    else if (!strcmp(op, "<")) *val = cmp < 0;
    else if (!strcmp(op, "<=")) *val = cmp <= 0;
    else if (!strcmp(op, ">")) *val = cmp > 0;
    else if (!strcmp(op, ">=")) *val = cmp >= 0;
    else if (!strcmp(op, "-eq")) *val = lx == ly;
    else if (!strcmp(op, "-ne")) *val = lx != ly;
    else if (!strcmp(op, "-lt")) *val = lx < ly;
    else if (!strcmp(op, "-le")) *val = lx <= ly;
    else if (!strcmp(op, "-gt")) *val = lx > ly;
    else if (!strcmp(op, "-ge")) *val = lx >= ly;
    else if (!strcmp(op, "-pgt") || !strcmp(op, "-plt")) {
        /* Compare the numbers after the common prefix ("vmlinuz-10" -pgt "vmlinuz-9"). */
        size_t i = 0;
        while (x[i] && x[i] == y[i])
            i++;
        while (i > 0 && x[i - 1] >= '0' && x[i - 1] <= '9')
            i--;
        *val = op[2] == 'g' ? strtou(x + i) > strtou(y + i) : strtou(x + i) < strtou(y + i);
    } else if (!strncmp(op, "-nt", 3) || !strncmp(op, "-ot", 3)) {
        pvb_g2_warn(g, "test %s: file times are not known here; taken as false", op);
        *val = 0;
    } else {
        return 0;
    }
    return 1;
}

static int test_unary(struct g2 *g, const char *op, const char *arg, int *val)
{
    struct pvb_cfg_stat fst;
    int rc;

    if (!strcmp(op, "-n")) *val = arg[0] != '\0';
    else if (!strcmp(op, "-z")) *val = arg[0] == '\0';
    else if (!strcmp(op, "-d") || !strcmp(op, "-e") || !strcmp(op, "-f") || !strcmp(op, "-s")) {
        rc = probe_path(g, arg, &fst);
        if (pvb_err_fatal(rc) && !g->fault)
            g->fault = rc;   /* cmd_test ends the run with it */
        switch (op[1]) {
        case 'd': *val = !rc && fst.is_dir; break;
        case 'e': *val = !rc; break;
        case 'f': *val = !rc && fst.is_file; break;
        default: *val = !rc && fst.is_file && fst.size > 0; break;
        }
    } else {
        return 0;
    }
    return 1;
}

static int test_parse(struct g2 *g, char **a, unsigned *n, unsigned argc, unsigned depth)
{
    int ret = 0, discard = 0, invert = 0, val;

    while (*n < argc) {
        if (*n + 2 < argc && test_binary(g, a, *n, &val)) {
            *n += 3;
        } else if (*n + 1 < argc && test_unary(g, a[*n], a[*n + 1], &val)) {
            *n += 2;
        } else if (!strcmp(a[*n], ")")) {
            (*n)++;
            return ret;
        } else if (!strcmp(a[*n], "(")) {
            (*n)++;
            val = depth < 64 ? test_parse(g, a, n, argc, depth + 1) : 0;
        } else if (!strcmp(a[*n], "!")) {
            invert = !invert;
            (*n)++;
            continue;
        } else if (!strcmp(a[*n], "-a")) {
            discard = !ret;   /* false so far: the next value does not count */
            (*n)++;
            continue;
        } else if (!strcmp(a[*n], "-o")) {
            discard = ret;
            (*n)++;
            continue;
        } else {
            val = a[*n][0] != '\0';   /* a lone string: true when non-empty */
            (*n)++;
        }
        if (!discard)
            ret = invert ? !val : val;
        invert = discard = 0;
    }
    return ret;
}

static int cmd_test(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    unsigned n = 1;

    (void)b;
    if (argc >= 2 && strcmp(argv[argc - 1], "]") == 0)
        argc--;
    g->fault = 0;
    st(g, test_parse(g, argv, &n, argc, 0) ? 0 : G2_ST_FALSE);
    return g->fault;
}

/* ---- files: source, configfile, load_env ------------------------------------------- */

static int read_config(struct g2 *g, const char *spec, char **buf, size_t *len)
{
    int rc = pvb_g2_read(g, spec, g->lim.max_config, buf, len);

    if (pvb_err_fatal(rc)) {
        pvb_ctx_prefix(g->c, "config: %s:%u: reading %s: ", g->file, g->line, spec);
        return rc;
    }
    return rc ? 1 : 0;
}

static int include(struct g2 *g, const char *spec, int newctx)
{
    struct g2_ctx *outer = g->cur, *x = NULL;
    char *buf;
    size_t len;
    int rc;

    rc = read_config(g, spec, &buf, &len);
    if (rc < 0)
        return rc;
    if (rc) {
        pvb_ctx_clear(g->c);
        pvb_g2_warn(g, "%s: cannot read %s", newctx ? "configfile" : "source", spec);
        return st(g, G2_ST_FILE_NOT_FOUND);
    }
    if (++g->includes > g->lim.max_include) {
        pvb_free(g->c, buf);
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: source/configfile nested deeper than the include limit of %u",
                        g->file, g->line, g->lim.max_include);
    }
    if (newctx) {
        /* configfile: a new context with the exported variables and a new menu. */
        if (!(x = pvb_g2_ctx_open(g, outer))) {
            pvb_free(g->c, buf);
            return g->c->err;
        }
        g->cur = x;
    }
    rc = pvb_g2_run_file(g, spec, buf, len);
    pvb_free(g->c, buf);
    g->includes--;
    g->cur = outer;
    if (newctx && !rc) {
        if (x->nitems && !g->load) {
            /* GRUB shows this menu now and boots from it; the caller never resumes. */
            pvb_g2_warn(g, "configfile %s: its menu is the one GRUB shows", spec);
            pvb_g2_ctx_free(g, g->final == outer ? NULL : g->final);
            g->final = x;
            g->configfile_done = 1;
            return st(g, 0);
        }
        if (x->nitems)
            pvb_g2_warn(g, "configfile %s in an entry body: its menu is not followed", spec);
    }
    pvb_g2_ctx_free(g, x);
    return rc ? rc : st(g, 0);
}

static int cmd_source(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)b;
    if (argc != 2)
        return failed(g, G2_ST_BAD_ARGUMENT, "source: one argument expected");
    return include(g, argv[1], 0);
}

static int cmd_configfile(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)b;
    if (argc != 2)
        return failed(g, G2_ST_BAD_ARGUMENT, "configfile: one argument expected");
    return include(g, argv[1], 1);
}

struct envload {
    struct g2 *g;
    char **white;
    unsigned nwhite;
    int rc;
};

static int env_var(void *arg, const char *name, const char *value)
{
    struct envload *e = arg;
    unsigned i;

    if (e->nwhite) {
        for (i = 0; i < e->nwhite && strcmp(e->white[i], name); i++)
            ;
        if (i == e->nwhite)
            return 0;
    }
    return e->rc = pvb_g2_set(e->g, e->g->cur, name, value);
}

static int cmd_load_env(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    const char *file = NULL;
    char path[4200], *buf;
    struct envload e;
    size_t len;
    unsigned i = 1;
    int rc;

    (void)b;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--file")) && i + 1 < argc)
            file = argv[++i];
        else if (!strncmp(argv[i], "--file=", 7))
            file = argv[i] + 7;
        else if (strcmp(argv[i], "-s") && strcmp(argv[i], "--skip-sig"))
            return failed(g, G2_ST_BAD_ARGUMENT, "load_env: unknown option");
    }
    if (!file) {
        /* loadenv.c: $prefix/grubenv by default. */
        const char *prefix = pvb_g2_get(g, g->cur, "prefix");
        snprintf(path, sizeof(path), "%s/grubenv", prefix ? prefix : "");
        file = path;
    }
    /* loadenv.c reads the whole file, whatever its size: so do we, up to max_config. */
    rc = pvb_g2_read(g, file, g->lim.max_config, &buf, &len);
    if (pvb_err_fatal(rc))
        return rc;
    if (!rc) {
        /* GRUB 2.06 grub-editenv writes a second header line; 2.02 (RHEL 8) does not. */
        g->env_seen = 1;
        g->env_v206 = strstr(buf, "\n# WARNING: Do not edit this file by tools other than "
                                  "grub-editenv!!!\n") != NULL;
    }
    if (rc) {
        pvb_ctx_clear(g->c);
        return failed(g, G2_ST_FILE_NOT_FOUND, "load_env: no environment block");
    }
    e.g = g;
    e.white = argv + i;
    e.nwhite = argc - i;
    e.rc = 0;
    rc = pvb_cfg_grubenv_parse(g->c, buf, len, g->lim.max_var, env_var, &e);
    pvb_free(g->c, buf);
    if (e.rc)
        return e.rc;
    if (rc == PVB_ECORRUPT) {
        pvb_ctx_clear(g->c);
        return failed(g, G2_ST_BAD_ARGUMENT, "load_env: invalid environment block");
    }
    return rc ? rc : st(g, 0);
}

/* ---- search ------------------------------------------------------------------------ */

static int do_search(struct g2 *g, enum pvb_cfg_search kind, const char *key, const char *var)
{
    char dev[256];
    int rc = PVB_ENOTFOUND;

    if (g->env->search)
        rc = g->env->search(g->env->arg, g->c, kind, key, dev, sizeof(dev));
    if (pvb_err_fatal(rc))
        return rc;
    pvb_ctx_clear(g->c);
    if (rc) {
        /* search.c: "no such device"; the variable keeps its value. */
        pvb_g2_warn(g, "search: no volume has %s %s", kind == PVB_CFG_SEARCH_FILE ? "file" :
                kind == PVB_CFG_SEARCH_LABEL ? "label" : "UUID", key);
        return st(g, G2_ST_FILE_NOT_FOUND);
    }
    st(g, 0);
    return var ? pvb_g2_set(g, g->cur, var, dev) : 0;
}

static int cmd_search(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    const char *var = NULL, *key = NULL;
    int kind = -1, label = 0, uuid = 0, file = 0;
    unsigned i;

    (void)b;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--file") || !strcmp(a, "-f")) file = 1;
        else if (!strcmp(a, "--label") || !strcmp(a, "-l")) label = 1;
        else if (!strcmp(a, "--fs-uuid") || !strcmp(a, "-u")) uuid = 1;
        else if (!strcmp(a, "--set") || !strcmp(a, "-s")) var = "root";
        else if (!strncmp(a, "--set=", 6)) var = a + 6;
        else if (!strcmp(a, "--no-floppy") || !strcmp(a, "-n") || !strcmp(a, "--efidisk-only")) ;
        else if (!strncmp(a, "--hint", 6) && !strchr(a, '=') && i + 1 < argc) i++;
        else if (!strncmp(a, "--hint", 6)) ;
        else if (a[0] == '-' && a[1])
            return failed(g, G2_ST_BAD_ARGUMENT, "search: unknown option");
        else if (!key) key = a;    /* later words are more hints */
    }
    /* search_wrap.c tries label, then UUID, then file. */
    if (label) kind = PVB_CFG_SEARCH_LABEL;
    else if (uuid) kind = PVB_CFG_SEARCH_UUID;
    else if (file) kind = PVB_CFG_SEARCH_FILE;
    if (!key)
        return failed(g, G2_ST_BAD_ARGUMENT, "search: one argument expected");
    if (kind < 0)
        return failed(g, G2_ST_BAD_ARGUMENT, "search: unspecified search type");
    return do_search(g, (enum pvb_cfg_search)kind, key, var);
}

static int cmd_search_one(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    const char *n = argv[0] + 7;   /* after "search." */

    (void)b;
    if (argc < 2)
        return failed(g, G2_ST_BAD_ARGUMENT, "search: one argument expected");
    return do_search(g, !strcmp(n, "file") ? PVB_CFG_SEARCH_FILE :
                        !strcmp(n, "fs_label") ? PVB_CFG_SEARCH_LABEL : PVB_CFG_SEARCH_UUID,
                     argv[1], argc > 2 ? argv[2] : NULL);
}

/* ---- menu entries (commands/menuentry.c) -------------------------------------------- */

static char *dup(struct g2 *g, const char *s)
{
    return pvb_strndup(g->c, s, strlen(s));
}

struct menu_opts {
    const char *id, *users, *hotkey, *source;
    struct pvb_sb cls;          /* --class values, space-separated */
    char **pos;               /* positional words: title, extra words, the block */
    unsigned npos;
};

/* 1 when a (its name nl bytes long) is one of menuentry's options. */
static int menu_option(const char *a, size_t nl)
{
    static const char *const names[] = { "--class", "--users", "--hotkey", "--source", "--id" };
    unsigned i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == nl && !strncmp(a, names[i], nl))
            return 1;
    return 0;
}

/* grub_arg_parse for menuentry: options anywhere, "--opt=v" or "--opt v", "--" ends them.
 * 0, 1 (the command failed; its status is set) or a fatal code. */
static int menu_parse(struct g2 *g, char **argv, unsigned argc, int block, struct menu_opts *mo)
{
    unsigned i;
    int opts = 1;

    for (i = 1; i < argc; i++) {
        char *a = argv[i], *val = NULL;
        size_t nl;
        if (!opts || a[0] != '-' || !a[1] || (block && i == argc - 1)) {
            mo->pos[mo->npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            opts = 0;
            continue;
        }
        nl = strcspn(a, "=");
        if (a[nl] == '=')
            val = a + nl + 1;
        if (nl == 14 && !strncmp(a, "--unrestricted", nl) && !val) {
            mo->users = NULL;
            continue;
        }
        if (!menu_option(a, nl)) {
            /* menuentry accepts dashes (GRUB_COMMAND_ACCEPT_DASH): an unknown option is a word. */
            mo->pos[mo->npos++] = a;
            continue;
        }
        if (!val && (i + 1 >= argc || (block && i + 1 == argc - 1))) {
            failed(g, G2_ST_BAD_ARGUMENT, "menuentry: option needs an argument");
            return 1;
        }
        if (!val)
            val = argv[++i];
        switch (a[2]) {
        case 'c':
            if (mo->cls.n)
                pvb_sb_addc(&mo->cls, ' ');
            pvb_sb_adds(&mo->cls, val);
            break;
        case 'u': mo->users = val; break;
        case 'h': mo->hotkey = val; break;
        case 's': mo->source = val; break;
        default: mo->id = val; break;
        }
    }
    return mo->cls.err;
}

/* The item menuentry adds: title and extra words as $1.., the id defaulting to the title
 * (normal/menu.c grub_normal_add_menu_entry). */
static int menu_item(struct g2 *g, struct menu_opts *mo, unsigned k, struct g2_item *it)
{
    unsigned i;

    it->file = g->file;
    it->line = g->line;
    if (!(it->args = pvb_calloc(g->c, k, sizeof(char *), "menuentry")))
        return g->c->err;
    it->argc = k;   /* only now: pvb_g2_item_free walks args[0..argc) */
    for (i = 0; i < k; i++)
        if (!(it->args[i] = dup(g, mo->pos[i])))
            return g->c->err;
    if (!(it->title = dup(g, mo->pos[0])) || !(it->id = dup(g, mo->id ? mo->id : mo->pos[0])) ||
        !(it->classes = pvb_sb_take(&mo->cls)) || (mo->users && !(it->users = dup(g, mo->users))) ||
        (mo->hotkey && !(it->hotkey = dup(g, mo->hotkey))))
        return g->c->err ? g->c->err : PVB_ENOMEM;
    return 0;
}

static int cmd_menuentry(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *block)
{
    struct menu_opts mo;
    struct g2_item it;
    unsigned k;
    int rc;

    memset(&mo, 0, sizeof(mo));
    memset(&it, 0, sizeof(it));
    mo.users = "";
    if (!(mo.pos = pvb_calloc(g->c, argc, sizeof(*mo.pos), "menuentry")))
        return g->c->err;
    pvb_sb_init(&mo.cls, g->c, g->lim.max_var, "--class list");
    rc = menu_parse(g, argv, argc, block != NULL, &mo);
    k = block ? mo.npos - 1 : mo.npos;     /* the block is the last positional word */
    if (rc == 1) {
        rc = 0;
    } else if (!rc && !block && !mo.source) {
        rc = failed(g, G2_ST_BAD_ARGUMENT, "menuentry: no menuentry definition");
    } else if (!rc && (mo.npos == 0 || k == 0)) {
        rc = failed(g, G2_ST_MENU, mo.npos == 0 ? "menuentry: missing arguments" :
                                                "menuentry is missing title");
    } else if (!rc) {
        it.submenu = argv[0][0] == 's';
        it.body = block ? block : pvb_g2_parse_string(g, mo.source);
        if ((rc = menu_item(g, &mo, k, &it)) == 0 && (rc = pvb_g2_add_item(g, &it)) == 0)
            st(g, 0);
        else
            pvb_g2_item_free(g, &it);
    }
    pvb_sb_free(&mo.cls);
    pvb_free(g->c, mo.pos);
    return rc;
}

/* ---- loaders ------------------------------------------------------------------------- */

static int cmd_linux(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    struct g2_load *l = g->load;
    unsigned i;
    int rc;

    (void)b;
    if (argc < 2)
        return failed(g, G2_ST_BAD_ARGUMENT, "linux: filename expected");
    if (!l) {
        pvb_g2_warn(g, "%s outside a menu entry: ignored", argv[0]);
        return st(g, 0);
    }
    /* A new kernel unloads the previous one and its initrd (loader/i386/xen.c). */
    pvb_free(g->c, l->kdev);
    pvb_free(g->c, l->kpath);
    pvb_free(g->c, l->args);
    pvb_free(g->c, l->unbootable);
    l->kdev = l->kpath = l->args = l->unbootable = NULL;
    for (i = 0; i < l->ninitrd; i++) {
        pvb_free(g->c, l->initrd[i].dev);
        pvb_free(g->c, l->initrd[i].path);
    }
    l->ninitrd = 0;
    if ((rc = pvb_g2_resolve(g, argv[1], &l->kdev, &l->kpath)) != 0)
        return rc;
    /* The command line is GRUB's cmdline.c rule over the words after the file. */
    l->args = pvb_cfg_cmdline(g->c, argv + 2, argc - 2);
    return l->args ? st(g, 0) : g->c->err;
}

static int cmd_initrd(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    struct g2_load *l = g->load;
    struct pvb_cfg_file *nv;
    unsigned i;
    int rc;

    (void)b;
    if (argc < 2)
        return failed(g, G2_ST_BAD_ARGUMENT, "initrd: filename expected");
    if (!l || !l->kpath)
        return failed(g, G2_ST_BAD_ARGUMENT, "initrd: you need to load the kernel first");
    for (i = 0; i < l->ninitrd; i++) {
        pvb_free(g->c, l->initrd[i].dev);
        pvb_free(g->c, l->initrd[i].path);
    }
    l->ninitrd = 0;
    nv = pvb_realloc(g->c, l->initrd, (size_t)(argc - 1) * sizeof(*nv), "initrd list");
    if (!nv)
        return g->c->err;
    l->initrd = nv;
    for (i = 1; i < argc; i++) {
        if ((rc = pvb_g2_resolve(g, argv[i], &nv[i - 1].dev, &nv[i - 1].path)) != 0)
            return rc;
        l->ninitrd++;
    }
    return st(g, 0);
}

static int cmd_foreign(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    struct g2_load *l = g->load;
    char why[400];
    int hv = strstr(argv[0], "multiboot") || strstr(argv[0], "xen") || !strcmp(argv[0], "module") ||
             !strcmp(argv[0], "module2");

    (void)b;
    if (!l) {
        pvb_g2_warn(g, "%s outside a menu entry: ignored", argv[0]);
        return st(g, 0);
    }
    if (!strncmp(argv[0], "module", 6) && l->unbootable)
        return st(g, 0);
    if (hv)
        snprintf(why, sizeof(why), "%s %s loads a hypervisor or multiboot kernel; a PV guest boots "
                 "Linux directly", argv[0], argc > 1 ? argv[1] : "");
    else
        snprintf(why, sizeof(why), "%s %s does not load a Linux kernel", argv[0],
                 argc > 1 ? argv[1] : "");
    pvb_free(g->c, l->unbootable);
    pvb_free(g->c, l->kpath);
    pvb_free(g->c, l->kdev);
    l->kpath = l->kdev = NULL;
    if (!(l->unbootable = dup(g, why)))
        return g->c->err;
    return st(g, 0);
}

static int cmd_boot(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)argv, (void)argc, (void)b;
    if (g->load && (g->load->kpath || g->load->unbootable))
        g->load->booted = 1;
    return st(g, g->load && g->load->booted ? 0 : G2_ST_BAD_ARGUMENT);
}

static int cmd_stop(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)argc, (void)b;
    pvb_g2_warn(g, "%s: the entry stops here", argv[0]);
    if (g->load) {
        g->load->booted = 1;   /* nothing after it runs; no kernel was booted */
        pvb_free(g->c, g->load->kpath);
        g->load->kpath = NULL;
    }
    return st(g, 0);
}

/* ---- script control (script/execute.c, script/script.c) ------------------------------ */

static int number_arg(struct g2 *g, char **argv, unsigned argc, unsigned long *n)
{
    const char *end;

    *n = 1;
    if (argc > 2)
        return -1;
    if (argc == 2 && (pvb_cfg_strtoul(argv[1], n, &end) != 0 || *end)) {
        pvb_g2_warn(g, "%s: unrecognized number", argv[0]);
        return -1;
    }
    return 0;
}

static int cmd_break(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    unsigned long n;

    (void)b;
    if (number_arg(g, argv, argc, &n) || n == 0)
        return st(g, G2_ST_BAD_ARGUMENT);
    g->cont = argv[0][0] == 'c';
    g->breaks = n > g->loops ? g->loops : (unsigned)n;
    return st(g, 0);
}

static int cmd_return(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    unsigned long n;

    (void)b;
    if (!g->scope || argc > 2)
        return failed(g, G2_ST_BAD_ARGUMENT, "return: not in function body");
    if (argc == 1) {
        g->returning = 1;
        return 0;   /* keeps $? */
    }
    if (number_arg(g, argv, argc, &n))
        return st(g, G2_ST_BAD_ARGUMENT);
    g->returning = 1;
    return st(g, (int)(n > 1000 ? 1000 : n));
}

static int cmd_shift(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    unsigned long n;

    (void)b;
    if (!g->scope)
        return st(g, 0);
    if (number_arg(g, argv, argc, &n) || n > g->scope->argc)
        return failed(g, G2_ST_BAD_ARGUMENT, "shift: can't shift that many");
    g->scope->argv += n;
    g->scope->argc -= (unsigned)n;
    return st(g, 0);
}

static int cmd_setparams(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)b;
    if (!g->scope)
        return failed(g, G2_ST_BAD_ARGUMENT, "setparams: no scope");
    /* The words live as long as the command; keep them in the arena. */
    {
        char **v = pvb_arena_alloc(&g->ar, (size_t)argc * sizeof(*v));
        unsigned i;
        if (!v)
            return g->c->err;
        for (i = 1; i < argc; i++)
            if (!(v[i - 1] = pvb_arena_strndup(&g->ar, argv[i], strlen(argv[i]))))
                return g->c->err;
        g->scope->argv = v;
        g->scope->argc = argc - 1;
    }
    return st(g, 0);
}

static int cmd_blscfg(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)argv, (void)argc, (void)b;
    g->used_blscfg = 1;
    return pvb_g2_blscfg(g);
}

static int cmd_quiet_fail(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    (void)argc, (void)b;
    pvb_g2_warn(g, "%s reads hardware or state this evaluator does not have: taken as false",
            argv[0]);
    return st(g, G2_ST_FALSE);
}

static const struct {
    const char *name;
    cmd_fn fn;
} builtins[] = {
    { "set", cmd_set }, { "unset", cmd_unset }, { "export", cmd_export },
    { "true", cmd_true }, { "false", cmd_false }, { "test", cmd_test }, { "[", cmd_test },
    { "source", cmd_source }, { ".", cmd_source }, { "configfile", cmd_configfile },
    { "normal", cmd_configfile },
    { "load_env", cmd_load_env }, { "search", cmd_search }, { "search.fs_uuid", cmd_search_one },
    { "search.fs_label", cmd_search_one }, { "search.file", cmd_search_one },
    { "menuentry", cmd_menuentry }, { "submenu", cmd_menuentry },
    { "linux", cmd_linux }, { "linux16", cmd_linux }, { "linuxefi", cmd_linux },
    { "initrd", cmd_initrd }, { "initrd16", cmd_initrd }, { "initrdefi", cmd_initrd },
    { "multiboot", cmd_foreign }, { "multiboot2", cmd_foreign }, { "module", cmd_foreign },
    { "module2", cmd_foreign }, { "xen_hypervisor", cmd_foreign }, { "xen_module", cmd_foreign },
    { "chainloader", cmd_foreign }, { "kfreebsd", cmd_foreign }, { "knetbsd", cmd_foreign },
    { "kopenbsd", cmd_foreign }, { "ntldr", cmd_foreign }, { "appleloader", cmd_foreign },
    { "legacy_configfile", cmd_foreign }, { "fwsetup", cmd_foreign },
    { "boot", cmd_boot }, { "reboot", cmd_stop }, { "halt", cmd_stop }, { "exit", cmd_stop },
    { "normal_exit", cmd_stop },
    { "break", cmd_break }, { "continue", cmd_break }, { "return", cmd_return },
    { "shift", cmd_shift }, { "setparams", cmd_setparams },
    { "blscfg", cmd_blscfg }, { "bls_import", cmd_blscfg },
    { "keystatus", cmd_quiet_fail }, { "probe", cmd_quiet_fail }, { "regexp", cmd_quiet_fail },
    { "hwmatch", cmd_quiet_fail }, { "smbios", cmd_quiet_fail },
};

/* Commands with no effect on what boots (modules, terminals, video, saving the env). */
static const char *const noops[] = {
    "insmod", "rmmod", "echo", "save_env", "terminal_output", "terminal_input", "terminal",
    "serial", "terminfo", "loadfont", "background_image", "background_color", "clear",
    "sleep", "play", "set_background_image", "cat", "ls", "lsmod", "videoinfo",
    "cutmem", "badram", "tpm", "read", "pager",
    "help", "date", "vbeinfo", "nativedisk", "password", "password_pbkdf2", "lock",
    NULL
};

int pvb_g2_builtin(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *block, int *found)
{
    unsigned i;

    *found = 1;
    for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strcmp(argv[0], builtins[i].name) == 0)
            return builtins[i].fn(g, argv, argc, block);
    for (i = 0; noops[i]; i++)
        if (strcmp(argv[0], noops[i]) == 0)
            return st(g, 0);
    if (!strncmp(argv[0], "terminal_", 9))
        return st(g, 0);
    *found = 0;
    return 0;
}

int pvb_g2_soft_noop(const char *name)
{
    /* Functions the generated headers define (load_video, gfxmode); when a config
     * calls them without defining them, GRUB fails them quietly for our purpose. */
    return !strcmp(name, "load_video") || !strncmp(name, "gfx", 3) || !strcmp(name, "recordfail") ||
           !strcmp(name, "savedefault");
}
