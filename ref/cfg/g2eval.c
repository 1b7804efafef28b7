/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 script evaluator: word expansion, functions, control flow (grub-core/script/execute.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

/* ---- word expansion (grub_script_arglist_to_argv) ------------------------------ */

struct av {
    struct g2 *g;
    char **v;
    unsigned n, cap;
    struct g2_cmd *block;
    const char *btext;        /* the block's source text, blen bytes */
    size_t blen;
};

static void av_free(struct av *a)
{
    unsigned i;

    for (i = 0; i < a->n; i++)
        pvb_free(a->g->c, a->v[i]);
    pvb_free(a->g->c, a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* grub_script_argv_next: a new argument, unless the last one is still empty (NULL). */
static int av_next(struct av *a)
{
    char **nv;

    if (a->n && !a->v[a->n - 1])
        return 0;
    /* one slot to spare: argv[argc] stays addressable */
    if (!(nv = pvb_grow(a->g->c, a->v, &a->cap, a->n + 2, sizeof(*nv), "arguments")))
        return a->g->c->err;
    a->v = nv;
    a->v[a->n++] = NULL;
    return 0;
}

/* grub_script_argv_append: add to the last argument (creating it even for ""). */
static int av_append(struct av *a, const char *s, size_t n)
{
    char **last = &a->v[a->n - 1];
    size_t have = *last ? strlen(*last) : 0;
    char *p;

    if (have + n > a->g->lim.max_var)
        return pvb_fail(a->g->c, PVB_ELIMIT, "config: %s:%u: a word longer than the variable limit of %zu bytes",
                        a->g->file, a->g->line, a->g->lim.max_var);
    p = pvb_realloc(a->g->c, *last, have + n + 1, "argument");
    if (!p)
        return a->g->c->err;
    memcpy(p + have, s, n);
    p[have + n] = '\0';
    *last = p;
    return 0;
}

static int is_blank(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* grub_script_argv_split_append: words of s; the first joins the current argument. */
static int av_split(struct av *a, const char *s)
{
    const char *p;
    int rc;

    while (*s && is_blank((unsigned char)*s))
        s++;
    while (*s) {
        p = s;
        while (*s && !is_blank((unsigned char)*s))
            s++;
        if ((rc = av_append(a, p, (size_t)(s - p))) != 0)
            return rc;
        while (*s && is_blank((unsigned char)*s))
            s++;
        if (*s && (rc = av_next(a)) != 0)
            return rc;
    }
    return 0;
}

static int is_special(const char *name)
{
    return (name[0] >= '0' && name[0] <= '9') || strcmp(name, "#") == 0 ||
           strcmp(name, "*") == 0 || strcmp(name, "@") == 0;
}

/* One value piece: split when unquoted. */
static int put_value(struct av *a, const char *s, int split)
{
    return split ? av_split(a, s) : av_append(a, s, strlen(s));
}

/* grub_script_env_get, appended straight into the arguments. */
static int expand_var(struct g2 *g, struct av *a, const char *name, int split)
{
    struct g2_scope *sc = g->scope;
    char num[24];
    unsigned i;
    int rc = 0;

    if (strcmp(name, "?") == 0) {
        snprintf(num, sizeof(num), "%d", g->status);
        return put_value(a, num, split);
    }
    if (!is_special(name)) {
        const char *v = pvb_g2_get(g, g->cur, name);
        return v && v[0] ? put_value(a, v, split) : 0;
    }
    if (!sc)
        return 0;
    if (strcmp(name, "#") == 0) {
        snprintf(num, sizeof(num), "%u", sc->argc);
        return put_value(a, num, split);
    }
    if (strcmp(name, "*") == 0 || strcmp(name, "@") == 0) {
        for (i = 0; i < sc->argc && !rc; i++) {
            if (i && name[0] == '*' && !split)
                rc = av_append(a, " ", 1);
            else if (i)
                rc = av_next(a);
            if (!rc)
                rc = put_value(a, sc->argv[i], split);
        }
        return rc;
    }
    {
        unsigned long n = 0;
        const char *p;
        for (p = name; *p >= '0' && *p <= '9' && n < 1000000; p++)
            n = n * 10 + (unsigned long)(*p - '0');
        if (n >= 1 && n <= sc->argc)
            return put_value(a, sc->argv[n - 1], split);
    }
    return 0;
}

static int expand_words(struct g2 *g, struct g2_word *w, struct av *a)
{
    struct g2_part *p;
    int rc;

    memset(a, 0, sizeof(*a));
    a->g = g;
    for (; w; w = w->next) {
        if ((rc = av_next(a)) != 0)
            goto fail;
        for (p = w->parts; p; p = p->next) {
            switch (p->type) {
            case G2_VAR:
            case G2_DQVAR:
                rc = expand_var(g, a, p->s, p->type == G2_VAR);
                break;
            case G2_BLOCK:
                /* The word stands for "{" + text + "}"; the text is copied only when an
                 * option takes the block as its value (menuentry), see g->btext. */
                a->block = p->block;
                a->btext = p->s;
                a->blen = p->len;
                rc = av_append(a, "{}", 2);
                break;
            case G2_TEXT:
                rc = p->s[0] ? av_append(a, p->s, strlen(p->s)) : 0;
                break;
            default:
                rc = av_append(a, p->s, strlen(p->s));
                break;
            }
            if (rc)
                goto fail;
        }
    }
    if (a->n && !a->v[a->n - 1])
        a->n--;
    return 0;
fail:
    av_free(a);
    return rc;
}

/* ---- execution ------------------------------------------------------------------ */

/* Functions live in an open-addressed table by name hash: a config that defines
 * 100,000 of them and then runs unknown commands in a loop costs one probe per
 * command, not a scan of them all. */
static struct g2_func *func_slot(struct g2_func *tab, unsigned cap, const char *name)
{
    unsigned i = pvb_g2_hash(name) & (cap - 1);

    while (tab[i].name && strcmp(tab[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static struct g2_func *func_find(struct g2 *g, const char *name)
{
    struct g2_func *f;

    if (!g->fcap)
        return NULL;
    f = func_slot(g->funcs, g->fcap, name);
    return f->name ? f : NULL;
}

static int func_grow(struct g2 *g)
{
    unsigned cap = g->fcap ? 2 * g->fcap : 64, i;
    struct g2_func *nv;

    if (g->nfuncs >= 100000)
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: more than 100000 functions",
                        g->file, g->line);
    nv = pvb_calloc(g->c, cap, sizeof(*nv), "functions");
    if (!nv)
        return g->c->err;
    for (i = 0; i < g->fcap; i++)
        if (g->funcs[i].name)
            *func_slot(nv, cap, g->funcs[i].name) = g->funcs[i];
    pvb_free(g->c, g->funcs);
    g->funcs = nv;
    g->fcap = cap;
    return 0;
}

static int define_function(void *arg, const char *name, struct g2_cmd *body, unsigned line)
{
    struct g2 *g = arg;
    struct g2_func *f;
    int rc;

    (void)line;
    if ((g->nfuncs + 1) * 2 > g->fcap && (rc = func_grow(g)) != 0)
        return rc;
    f = func_slot(g->funcs, g->fcap, name);
    if (!f->name) {
        f->name = name;   /* lives in the arena */
        g->nfuncs++;
    }
    f->body = body;
    return 0;
}

int pvb_g2_call(struct g2 *g, struct g2_cmd *body, char **argv, unsigned argc)
{
    struct g2_scope sc, *old = g->scope;
    unsigned loops = g->loops;
    int rc;

    if (++g->calls > g->lim.max_calls) {
        g->calls--;
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: function calls nested deeper than the call limit of %u",
                        g->file, g->line, g->lim.max_calls);
    }
    sc.argv = argv;
    sc.argc = argc;
    g->scope = &sc;
    g->loops = 0;
    rc = pvb_g2_exec(g, body);
    g->returning = 0;
    g->loops = loops;
    g->scope = old;
    g->calls--;
    return rc;
}

/* A command word that is not a builtin or function: NAME=VALUE or unknown. */
static int assign_or_unknown(struct g2 *g, const char *word)
{
    const char *eq = strchr(word, '=');
    char name[256];
    size_t n;

    if (!eq) {
        pvb_g2_warn(g, "unknown command '%s'", word);
        g->status = G2_ST_UNKNOWN_COMMAND;
        return 0;
    }
    n = (size_t)(eq - word);
    if (n >= sizeof(name) || is_special(word)) {
        /* grub_script_env_set refuses $1 and friends. */
        pvb_g2_warn(g, "invalid variable name in '%s'", word);
        g->status = G2_ST_BAD_ARGUMENT;
        return 0;
    }
    memcpy(name, word, n);
    name[n] = '\0';
    g->status = 0;
    return pvb_g2_set(g, g->cur, name, eq + 1);
}

static int exec_simple(struct g2 *g, struct g2_cmd *cmd)
{
    struct av a;
    char **argv;
    unsigned argc;
    int rc, found = 0, invert = 0;
    struct g2_func *f;

    if ((rc = expand_words(g, cmd->words, &a)) != 0)
        return rc;
    argv = a.v;
    argc = a.n;
    if (argc == 0) {
        av_free(&a);
        return 0;
    }
    if (strcmp(argv[0], "!") == 0) {
        if (argc < 2) {
            pvb_g2_warn(g, "'!' with no command");
            g->status = G2_ST_BAD_ARGUMENT;
            av_free(&a);
            return 0;
        }
        invert = 1;
        argv++;
        argc--;
    }
    /* execute.c: commands first, then functions, then NAME=VALUE. */
    g->btext = a.btext;
    g->blen = a.blen;
    rc = pvb_g2_builtin(g, argv, argc, a.block, &found);
    g->btext = NULL;
    g->blen = 0;
    if (!rc && !found) {
        f = func_find(g, argv[0]);
        if (f) {
            rc = pvb_g2_call(g, f->body, argv + 1, argc - 1);
        } else if (pvb_g2_soft_noop(argv[0])) {
            g->status = 0;
        } else {
            rc = assign_or_unknown(g, argv[0]);
        }
    }
    if (!rc && invert)
        g->status = g->status == 0 ? G2_ST_FALSE : 0;
    av_free(&a);
    return rc;
}

static int exec_one(struct g2 *g, struct g2_cmd *cmd);

int pvb_g2_exec(struct g2 *g, struct g2_cmd *list)
{
    int rc;

    for (; list; list = list->next) {
        if (g->breaks || g->returning || g->configfile_done || (g->load && g->load->booted))
            break;
        if ((rc = exec_one(g, list)) != 0)
            return rc;
    }
    return 0;
}

static int loop_end(struct g2 *g)
{
    /* A pending break leaves this loop; "continue" of this loop keeps going. */
    if (g->breaks == 1 && g->cont) {
        g->breaks = 0;
        return 0;
    }
    return g->breaks || g->returning || g->configfile_done;
}

static int exec_for(struct g2 *g, struct g2_cmd *cmd)
{
    struct av a;
    unsigned i;
    int rc = 0;

    if ((rc = expand_words(g, cmd->words, &a)) != 0)
        return rc;
    g->loops++;
    for (i = 0; i < a.n; i++) {
        const char *v = a.v[i] ? a.v[i] : "";
        if ((rc = pvb_g2_step(g)) != 0 || (rc = pvb_g2_set(g, g->cur, cmd->var, v)) != 0 ||
            (rc = pvb_g2_exec(g, cmd->body)) != 0)
            break;
        if (loop_end(g))
            break;
    }
    if (g->breaks)
        g->breaks--;
    g->loops--;
    av_free(&a);
    return rc;
}

static int exec_while(struct g2 *g, struct g2_cmd *cmd)
{
    int rc = 0;

    g->loops++;
    for (;;) {
        if ((rc = pvb_g2_step(g)) != 0 || (rc = pvb_g2_exec(g, cmd->cond)) != 0)
            break;
        if (g->returning || g->configfile_done)
            break;
        if (cmd->type == G2_WHILE ? g->status != 0 : g->status == 0)
            break;
        if ((rc = pvb_g2_exec(g, cmd->body)) != 0)
            break;
        if (loop_end(g))
            break;
    }
    if (g->breaks)
        g->breaks--;
    g->loops--;
    return rc;
}

static int exec_one(struct g2 *g, struct g2_cmd *cmd)
{
    int rc;

    g->line = cmd->line;
    if ((rc = pvb_g2_step(g)) != 0)
        return rc;
    switch (cmd->type) {
    case G2_SIMPLE:
        return exec_simple(g, cmd);
    case G2_IF:
        if ((rc = pvb_g2_exec(g, cmd->cond)) != 0)
            return rc;
        if (g->returning || g->breaks || g->configfile_done)
            return 0;
        return pvb_g2_exec(g, g->status == 0 ? cmd->body : cmd->els);
    case G2_FOR:
        return exec_for(g, cmd);
    default:
        return exec_while(g, cmd);
    }
}

int pvb_g2_run_buffer(struct g2 *g, const char *file, const char *buf, size_t len)
{
    struct g2_parser p;
    struct g2_cmd *cmds;
    const char *oldfile = g->file, *name = pvb_g2_keep_name(g, file);
    int rc;

    if (!name)
        return g->c->err;
    memset(&p, 0, sizeof(p));
    p.max_depth = g->lim.max_depth;
    p.on_function = define_function;
    p.arg = g;
    g->file = name;
    rc = pvb_g2_lex_init(&p.lx, g->c, &g->ar, buf, len, g->lim.max_line, g->lim.max_var);
    if (rc)
        pvb_ctx_prefix(g->c, "%s: ", name);
    /* normal/main.c read_config_file: parse a unit, run it, report and go on. */
    while (!rc && !g->configfile_done) {
        rc = pvb_g2_parse_unit(&p, &cmds);
        if (rc == 0)
            break;
        if (rc == PVB_ESYNTAX && p.lx.fatal) {
            rc = pvb_fail(g->c, PVB_ESYNTAX, "config: %s:%u: %s", name, p.err_line, p.lx.bad);
            break;
        }
        if (rc == PVB_ESYNTAX) {
            pvb_mb_warn(g->mb, name, p.err_line, "syntax error: %s (GRUB skips to the next line)",
                    p.err);
            g->syntax_errors++;
            rc = 0;
            continue;
        }
        if (rc < 0)
            break;
        rc = pvb_g2_exec(g, cmds);
        g->breaks = 0;     /* a stray break/return ends at the unit, as in GRUB */
        g->returning = 0;
    }
    pvb_g2_lex_free(&p.lx);
    g->file = oldfile;
    return rc;
}

/* read_config_file sets $config_file and $config_directory (exported) for the file it
 * reads, "(dev)path" with $root when spec has no device; they return to what they were. */
static int set_config_vars(struct g2 *g, const char *spec)
{
    const char *root = pvb_g2_get(g, g->cur, "root");
    char buf[4400], *slash;
    int rc;

    if (spec[0] == '(')
        snprintf(buf, sizeof(buf), "%s", spec);
    else
        snprintf(buf, sizeof(buf), "(%s)%s", root ? root : "", spec);
    if ((rc = pvb_g2_set(g, g->cur, "config_file", buf)) || (rc = pvb_g2_export(g, g->cur, "config_file")))
        return rc;
    if ((slash = strrchr(buf, '/')) != NULL)
        *slash = '\0';
    if ((rc = pvb_g2_set(g, g->cur, "config_directory", buf)))
        return rc;
    return pvb_g2_export(g, g->cur, "config_directory");
}

static int restore_var(struct g2 *g, const char *name, char *old)
{
    int rc = old ? pvb_g2_set(g, g->cur, name, old) : pvb_g2_unset(g, g->cur, name);

    pvb_free(g->c, old);
    return rc;
}

static char *save_var(struct g2 *g, const char *name)
{
    const char *v = pvb_g2_get(g, g->cur, name);

    return v ? pvb_strndup(g->c, v, strlen(v)) : NULL;
}

int pvb_g2_run_file(struct g2 *g, const char *spec, const char *buf, size_t len)
{
    char *old_file = save_var(g, "config_file"), *old_dir = save_var(g, "config_directory");
    int rc = set_config_vars(g, spec), rc2;

    if (!rc)
        rc = pvb_g2_run_buffer(g, spec, buf, len);
    rc2 = restore_var(g, "config_file", old_file);
    if (!rc)
        rc = rc2;
    rc2 = restore_var(g, "config_directory", old_dir);
    return rc ? rc : rc2;
}
