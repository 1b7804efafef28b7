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

/* commands/loadenv.c: -f/--file FILE (ARG_TYPE_PATHNAME), -s/--skip-sig; no
 * GRUB_COMMAND_ACCEPT_DASH, so an unknown option fails the command. */
static const struct g2_opt env_table[] = {
    { "file", 'f', G2_OPT_VALUE }, { "skip-sig", 's', 0 }, { NULL, 0, 0 }
};

static int cmd_load_env(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    const char *file = NULL;
    char path[4200], *buf = NULL;
    struct g2_parsed pa;
    struct envload e;
    size_t len;
    int rc;

    (void)b;
    if ((rc = pvb_g2_arg_parse(g, argv[0], env_table, 0, argv, argc, &pa)) != 0) {
        rc = rc == 1 ? 0 : rc;
        goto out;
    }
    if (pa.set[0])
        file = pa.arg[0];
    if (!file) {
        /* loadenv.c: $prefix/grubenv by default. */
        const char *prefix = pvb_g2_get(g, g->cur, "prefix");
        snprintf(path, sizeof(path), "%s/grubenv", prefix ? prefix : "");
        file = path;
    }
    /* loadenv.c reads the whole file, whatever its size: so do we, up to max_config. */
    rc = pvb_g2_read(g, file, g->lim.max_config, &buf, &len);
    if (pvb_err_fatal(rc))
        goto out;
    if (rc) {
        pvb_ctx_clear(g->c);
        rc = failed(g, G2_ST_FILE_NOT_FOUND, "load_env: no environment block");
        goto out;
    }
    /* GRUB 2.06 grub-editenv writes a second header line; 2.02 (RHEL 8) does not. */
    g->env_seen = 1;
    g->env_v206 = strstr(buf, "\n# WARNING: Do not edit this file by tools other than "
                              "grub-editenv!!!\n") != NULL;
    /* The words that are no options, wherever they stand, name the variables to load. */
    e.g = g;
    e.white = pa.pos;
    e.nwhite = pa.npos;
    e.rc = 0;
    rc = pvb_cfg_grubenv_parse(g->c, buf, len, g->lim.max_var, env_var, &e);
    if (e.rc) {
        rc = e.rc;
    } else if (rc == PVB_ECORRUPT) {
        pvb_ctx_clear(g->c);
        rc = failed(g, G2_ST_BAD_ARGUMENT, "load_env: invalid environment block");
    } else if (!rc) {
        st(g, 0);
    }
out:
    pvb_free(g->c, buf);
    pvb_g2_parsed_free(g, &pa);
    return rc;
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

/* commands/search_wrap.c's options in its order (GRUB_COMMAND_ACCEPT_DASH). --set's value
 * is optional; --efidisk-only is 2.12's and Fedora's (a 2.06 would take the word as the
 * name to search for). The hints (repeatable in GRUB) only order the search: pvboot's
 * search has no order to change. */
enum { SO_FILE, SO_LABEL, SO_UUID, SO_SET };
static const struct g2_opt search_table[] = {
    { "file", 'f', 0 }, { "label", 'l', 0 }, { "fs-uuid", 'u', 0 },
    { "set", 's', G2_OPT_VALUE | G2_OPT_OPTIONAL }, { "no-floppy", 'n', 0 }, { "efidisk-only", 0, 0 },
    { "hint", 'h', G2_OPT_VALUE }, { "hint-ieee1275", 0, G2_OPT_VALUE },
    { "hint-bios", 0, G2_OPT_VALUE }, { "hint-baremetal", 0, G2_OPT_VALUE },
    { "hint-efi", 0, G2_OPT_VALUE }, { "hint-arc", 0, G2_OPT_VALUE }, { NULL, 0, 0 }
};

static int cmd_search(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    const char *var = NULL, *setarg, *key = NULL;
    int kind = -1;
    struct g2_parsed pa;
    unsigned i;
    int rc;

    (void)b;
    if ((rc = pvb_g2_arg_parse(g, argv[0], search_table, 1, argv, argc, &pa)) != 0) {
        pvb_g2_parsed_free(g, &pa);
        return rc == 1 ? 0 : rc;
    }
    setarg = pa.arg[SO_SET];
    /* grub_cmd_search: leading words like "--hint-foo" (hints for later platforms) are
     * skipped; the next word is the name, later ones are more hints. With no word left,
     * "--set VALUE" took the name: search for it and set root. */
    for (i = 0; i < pa.npos && !strncmp(pa.pos[i], "--hint-", 7); i++)
        ;
    if (pa.set[SO_SET])
        var = setarg ? setarg : "root";
    if (i < pa.npos) {
        key = pa.pos[i];
    } else if (setarg) {
        key = setarg;
        var = "root";
    }
    /* search_wrap.c tries label, then UUID, then file. */
    if (pa.set[SO_LABEL]) kind = PVB_CFG_SEARCH_LABEL;
    else if (pa.set[SO_UUID]) kind = PVB_CFG_SEARCH_UUID;
    else if (pa.set[SO_FILE]) kind = PVB_CFG_SEARCH_FILE;
    if (!key)
        rc = failed(g, G2_ST_BAD_ARGUMENT, "search: one argument expected");
    else if (kind < 0)
        rc = failed(g, G2_ST_INVALID_COMMAND, "search: unspecified search type");
    else
        rc = do_search(g, (enum pvb_cfg_search)kind, key, var);
    pvb_g2_parsed_free(g, &pa);
    return rc;
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

/* commands/menuentry.c's option table; the short letters 1-4 are bytes no one types. */
enum { MO_CLASS, MO_USERS, MO_HOTKEY, MO_SOURCE, MO_ID, MO_UNRESTRICTED };
static const struct g2_opt menu_table[] = {
    { "class", 1, G2_OPT_VALUE | G2_OPT_REPEAT }, { "users", 2, G2_OPT_VALUE }, { "hotkey", 3, G2_OPT_VALUE },
    { "source", 4, G2_OPT_VALUE }, { "id", 0, G2_OPT_VALUE }, { "unrestricted", 0, 0 }, { NULL, 0, 0 }
};

struct menu_opts {
    const char *id, *users, *hotkey, *source;
    struct pvb_sb cls;          /* --class values, space-separated */
    char *bword;              /* "{text}": the block word, when an option took it as its value */
};

/* The block is the last word, "{" + its text + "}" (execute.c); an option before it takes
 * it as its value like any word that does not start with '-'. */
static const char *option_value(struct g2 *g, char **argv, unsigned argc, int block,
                                struct menu_opts *mo, const char *val)
{
    if (!block || val != argv[argc - 1])
        return val;
    if (!mo->bword) {
        if (!(mo->bword = pvb_alloc(g->c, g->blen + 3, "menuentry block")))
            return NULL;
        mo->bword[0] = '{';
        memcpy(mo->bword + 1, g->btext ? g->btext : "", g->blen);
        memcpy(mo->bword + 1 + g->blen, "}", 2);
    }
    return mo->bword;
}

/* The options' values as grub_cmd_menuentry reads its state: every --class, the last
 * --users, --hotkey, --source and --id; --users wins over --unrestricted whatever their order. */
static int menu_values(struct g2 *g, char **argv, unsigned argc, int block, struct g2_parsed *pa,
                       struct menu_opts *mo)
{
    const char **v[] = { NULL, &mo->users, &mo->hotkey, &mo->source, &mo->id };
    const char *s;
    unsigned i;

    for (i = 0; i < pa->nrep; i++) {
        if (!(s = option_value(g, argv, argc, block, mo, pa->rep[i].val)))
            return g->c->err;
        if (mo->cls.n)
            pvb_sb_addc(&mo->cls, ' ');
        pvb_sb_adds(&mo->cls, s);
    }
    for (i = MO_USERS; i <= MO_ID; i++)
        if (pa->set[i] && pa->arg[i] && !(*v[i] = option_value(g, argv, argc, block, mo, pa->arg[i])))
            return g->c->err;
    if (!pa->set[MO_USERS])
        mo->users = pa->set[MO_UNRESTRICTED] ? NULL : "";
    return mo->cls.err;
}

/* The item menuentry adds: title and extra words as $1.., the id defaulting to the title
 * (normal/menu.c grub_normal_add_menu_entry). */
static int menu_item(struct g2 *g, struct menu_opts *mo, char **pos, unsigned k, struct g2_item *it)
{
    unsigned i;

    it->file = g->file;
    it->line = g->line;
    if (!(it->args = pvb_calloc(g->c, k, sizeof(char *), "menuentry")))
        return g->c->err;
    it->argc = k;   /* only now: pvb_g2_item_free walks args[0..argc) */
    for (i = 0; i < k; i++)
        if (!(it->args[i] = dup(g, pos[i])))
            return g->c->err;
    if (!(it->title = dup(g, pos[0])) || !(it->id = dup(g, mo->id ? mo->id : pos[0])) ||
        !(it->classes = pvb_sb_take(&mo->cls)) || (mo->users && !(it->users = dup(g, mo->users))) ||
        (mo->hotkey && !(it->hotkey = dup(g, mo->hotkey))))
        return g->c->err ? g->c->err : PVB_ENOMEM;
    return 0;
}

/* The body when an option took the block word: the last argument minus its first and last
 * bytes, as grub_cmd_menuentry cuts "{...}" (the block's braces) off whatever is there. */
static struct g2_cmd *word_body(struct g2 *g, const char *w)
{
    size_t n = strlen(w);
    char *s = pvb_strndup(g->c, n > 1 ? w + 1 : "", n > 1 ? n - 2 : 0);
    struct g2_cmd *body;

    if (!s)
        return NULL;
    body = pvb_g2_parse_string(g, s);
    pvb_free(g->c, s);
    return body;
}

static int cmd_menuentry(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *block)
{
    struct menu_opts mo;
    struct g2_parsed pa;
    struct g2_item it;
    unsigned k;
    int rc;

    memset(&mo, 0, sizeof(mo));
    memset(&it, 0, sizeof(it));
    pvb_sb_init(&mo.cls, g->c, g->lim.max_var, "--class list");
    /* GRUB_COMMAND_ACCEPT_DASH: a word like an unknown option is a title or argument. */
    rc = pvb_g2_arg_parse(g, argv[0], menu_table, 1, argv, argc, &pa);
    if (!rc)
        rc = menu_values(g, argv, argc, block != NULL, &pa, &mo);
    k = pa.npos;
    if (rc == 1) {
        rc = 0;
    } else if (rc) {
        ;
    } else if (k == 0) {
        rc = failed(g, G2_ST_BAD_ARGUMENT, "menuentry: missing arguments");
    } else if (block && mo.source) {
        rc = failed(g, G2_ST_BAD_ARGUMENT, "menuentry: multiple menuentry definitions");
    } else if (!block && !mo.source) {
        rc = failed(g, G2_ST_BAD_ARGUMENT, "menuentry: no menuentry definition");
    } else {
        pvb_ctx_clear(g->c);
        if (!block)
            it.body = pvb_g2_parse_string(g, mo.source);
        else if (pa.pos[--k] == argv[argc - 1])
            it.body = block;
        else
            it.body = word_body(g, pa.pos[k]);
        if (!it.body && g->c->err) {
            rc = g->c->err;     /* a body that does not parse is empty; a host fault is not */
        } else if (k == 0) {
            rc = failed(g, G2_ST_MENU, "menuentry is missing title");
        } else {
            it.submenu = argv[0][0] == 's';
            if ((rc = menu_item(g, &mo, pa.pos, k, &it)) == 0 && (rc = pvb_g2_add_item(g, &it)) == 0)
                st(g, 0);
            else
                pvb_g2_item_free(g, &it);
        }
    }
    pvb_sb_free(&mo.cls);
    pvb_free(g->c, mo.bword);
    pvb_g2_parsed_free(g, &pa);
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

/*
 * btrfs-mount-subvol DEVICE DIRECTORY SUBVOL (SUSE's grub2-btrfs-06-subvol-mount.patch):
 * DIRECTORY, a directory on DEVICE, becomes the mount point of SUBVOL, a subvolume
 * named by its path from the top level; paths under it then resolve in the
 * subvolume (btrfs_path in g2run.c). GRUB keeps one table for every device.
 */
/* 1 when path (as the env sees it: no btrfs rule applied) on dev is a directory, 0 when
 * not or not there, or a fatal code. */
static int dir_at(struct g2 *g, const char *dev, const char *path)
{
    struct pvb_cfg_stat sb;
    int rc = g->env->stat(g->env->arg, g->c, dev, path[0] ? path : "/", &sb);

    if (pvb_err_fatal(rc))
        return rc;
    pvb_ctx_clear(g->c);
    return rc == 0 && sb.is_dir;
}

static int cmd_btrfs_mount_subvol(struct g2 *g, char **argv, unsigned argc, struct g2_cmd *b)
{
    struct g2_mount *m;
    const char *d, *p, *on;
    char dev[256], *sv, *spec, *rdev, *rpath;
    size_t dl, n, need;
    int rc;

    (void)b;
    if (argc < 4)
        return failed(g, G2_ST_BAD_ARGUMENT, "btrfs-mount-subvol: required <dev> <dir> and <subvol>");
    pvb_cfg_split_dev(argv[1], &d, &dl, &p);
    if (dl >= sizeof(dev))
        return failed(g, G2_ST_BAD_ARGUMENT, "btrfs-mount-subvol: device name too long");
    memcpy(dev, d, dl);
    dev[dl] = '\0';
    if (pvb_cfg_dev_same(dev, g->device))
        dev[0] = '\0';
    if (!g->env->btrfs_subvol || !g->env->stat)
        return failed(g, G2_ST_BAD_ARGUMENT, "btrfs-mount-subvol: no such device");
    rc = g->env->btrfs_subvol(g->env->arg, g->c, dev, 0, NULL, 0);
    if (pvb_err_fatal(rc))
        return rc;
    if (rc) {
        pvb_g2_warn(g, "btrfs-mount-subvol: %s: %s", argv[1], pvb_ctx_msg(g->c));
        pvb_ctx_clear(g->c);
        return st(g, G2_ST_BAD_ARGUMENT);
    }
    for (sv = argv[3]; *sv == '/'; sv++)
        ;
    /* DIRECTORY resolves as a file name (btrfs_relative_path applies); SUBVOL is a path
     * from the top level. One buffer holds "(DEV)DIRECTORY", then "/SUBVOL". */
    on = dev[0] ? dev : g->device;
    n = strlen(argv[2]) > strlen(sv) ? strlen(argv[2]) : strlen(sv);
    if (n > g->lim.max_var)
        return failed(g, G2_ST_BAD_ARGUMENT, "btrfs-mount-subvol: name too long");
    need = strlen(on) + n + 3;
    if (!(spec = pvb_alloc(g->c, need, "path")))
        return g->c->err;
    snprintf(spec, need, "(%s)%s", on, argv[2]);
    rc = pvb_g2_resolve(g, spec, &rdev, &rpath);
    if (!rc) {
        rc = dir_at(g, rdev, rpath);
        pvb_free(g->c, rdev);
        pvb_free(g->c, rpath);
    }
    if (rc == 1) {
        snprintf(spec, need, "/%s", sv);
        rc = dir_at(g, dev, spec);
        rc = rc < 0 ? rc : rc ? 2 : 3;
    }
    pvb_free(g->c, spec);
    if (rc == 0)
        return failed(g, G2_ST_BAD_ARGUMENT, "btrfs-mount-subvol: not a directory");
    if (rc == 3)
        return failed(g, G2_ST_BAD_ARGUMENT, "btrfs-mount-subvol: not a subvolume");
    if (rc < 0)
        return rc;
    if (g->nmounts >= G2_MAX_MOUNTS)
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: more than %u btrfs-mount-subvol mounts",
                        g->file, g->line, G2_MAX_MOUNTS);
    if (!(m = pvb_arena_alloc(&g->ar, sizeof(*m))) ||
        !(m->dir = pvb_arena_strndup(&g->ar, argv[2], strlen(argv[2]))) ||
        !(m->subvol = pvb_arena_strndup(&g->ar, sv, strlen(sv))))
        return g->c->err;
    m->next = g->mounts;
    g->mounts = m;
    g->nmounts++;
    g->used_btrfs = 1;
    return st(g, 0);
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
    /* Only SUSE's GRUB (and Fedora's, which carries its patches) has the command. */
    if (strcmp(argv[0], "btrfs-mount-subvol") == 0 && pvb_g2_btrfs_rules(g))
        return cmd_btrfs_mount_subvol(g, argv, argc, block);
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
