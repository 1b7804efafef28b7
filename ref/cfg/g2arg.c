/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB 2 option parsing (grub-core/lib/arg.c grub_arg_parse) for the builtins that take options. */
#include <string.h>

#include "cfg/g2.h"

#define ST_BAD_ARGUMENT 18

/* arg.c help_options: every extcmd also knows --help/-h and --usage/-u (after its own). */
enum { OPT_HELP = -2, OPT_USAGE = -3, OPT_NONE = -1 };

static int fail(struct g2 *g, const char *cmd, const char *what, const char *arg)
{
    pvb_g2_warn(g, "%s: %s `%s'", cmd, what, arg);
    g->status = ST_BAD_ARGUMENT;
    return 1;
}

/* find_short: the table first, then h and u. */
static int find_short(const struct g2_opt *o, char ch)
{
    int i;

    for (i = 0; o[i].name; i++)
        if (o[i].letter && o[i].letter == ch)
            return i;
    return ch == 'h' ? OPT_HELP : ch == 'u' ? OPT_USAGE : OPT_NONE;
}

/* find_long: the exact name (no abbreviations), then help and usage. */
static int find_long(const struct g2_opt *o, const char *s, size_t n)
{
    int i;

    for (i = 0; o[i].name; i++)
        if (strlen(o[i].name) == n && !strncmp(o[i].name, s, n))
            return i;
    if (n == 4 && !strncmp(s, "help", 4))
        return OPT_HELP;
    if (n == 5 && !strncmp(s, "usage", 5))
        return OPT_USAGE;
    return OPT_NONE;
}

static unsigned flags(const struct g2_opt *o, int k)
{
    return k >= 0 ? o[k].flags : 0;
}

/* parse_option: the option is set, with its value (the last one given), and a repeatable
 * one's value is added to the list; --help/--usage print and end the command with status 0.
 * A repeatable value takes a word of its own, so the list has room for argc of them. */
static int record(struct g2 *g, const char *cmd, const struct g2_opt *o, struct g2_parsed *out, int k,
                  const char *val)
{
    if (k == OPT_HELP || k == OPT_USAGE) {
        pvb_g2_warn(g, "%s: %s prints %s; the command does not run", cmd,
                k == OPT_HELP ? "--help" : "--usage", k == OPT_HELP ? "its help" : "its usage");
        g->status = 0;
        return 1;
    }
    out->set[k] = 1;
    out->arg[k] = val;
    if ((o[k].flags & G2_OPT_REPEAT) && val) {
        out->rep[out->nrep].opt = (unsigned)k;
        out->rep[out->nrep++].val = val;
    }
    return 0;
}

/* -abc: every letter an option; only the last may take a value (the next word). */
static int shorts(struct g2 *g, const char *cmd, const struct g2_opt *o, int accept_dash, char **argv,
                  unsigned argc, unsigned *i, struct g2_parsed *out)
{
    const char *a = argv[*i], *s, *val = NULL;
    char bad[3] = { '-', 0, 0 };
    int k = OPT_NONE;

    if (accept_dash) {
        for (s = a + 1; *s && find_short(o, *s) != OPT_NONE; s++)
            ;
        if (*s) {   /* a letter that is no option: the whole word is an argument */
            out->pos[out->npos++] = argv[*i];
            return 0;
        }
    }
    for (s = a + 1;; s++) {
        if ((k = find_short(o, *s)) == OPT_NONE) {
            bad[1] = *s;
            return fail(g, cmd, "unknown argument", bad);
        }
        if (s[1]) {
            if ((flags(o, k) & G2_OPT_VALUE) && !(flags(o, k) & G2_OPT_OPTIONAL))
                return fail(g, cmd, "missing mandatory option for", o[k].name);
            if (record(g, cmd, o, out, k, NULL))
                return 1;
            continue;
        }
        /* The last letter takes the next word: always when the value is mandatory (even
         * "-f -x" gives "-x"), else only a word shorter than 2 or not starting with '-'. */
        if ((flags(o, k) & G2_OPT_VALUE) && *i + 1 < argc) {
            const char *next = argv[*i + 1];
            if (!(flags(o, k) & G2_OPT_OPTIONAL) || strlen(next) < 2 || next[0] != '-')
                val = argv[++*i];
        }
        break;
    }
    if ((flags(o, k) & G2_OPT_VALUE) && !val && !(flags(o, k) & G2_OPT_OPTIONAL))
        return fail(g, cmd, "missing mandatory option for", o[k].name);
    return record(g, cmd, o, out, k, val);
}

int pvb_g2_arg_parse(struct g2 *g, const char *cmd, const struct g2_opt *o, int accept_dash, char **argv,
                 unsigned argc, struct g2_parsed *out)
{
    unsigned i, n;
    int k, rc;

    memset(out, 0, sizeof(*out));
    for (n = 0; o[n].name; n++)
        ;
    if (n > G2_OPT_MAX)
        return pvb_fail(g->c, PVB_EINVAL, "%s: option table of %u rows", cmd, n);
    if (!(out->pos = pvb_calloc(g->c, argc + 1, sizeof(*out->pos), "arguments")) ||
        !(out->rep = pvb_calloc(g->c, argc + 1, sizeof(*out->rep), "options"))) {
        pvb_g2_parsed_free(g, out);
        return g->c->err;
    }
    for (i = 1; i < argc; i++) {
        char *a = argv[i];
        const char *val, *eq;
        size_t len;
        if (a[0] != '-' || !a[1]) {
            out->pos[out->npos++] = a;
            continue;
        }
        if (a[1] != '-') {
            if ((rc = shorts(g, cmd, o, accept_dash, argv, argc, &i, out)) != 0)
                return rc;
            continue;
        }
        if (!a[2]) {            /* "--": every later word is an argument */
            while (++i < argc)
                out->pos[out->npos++] = argv[i];
            break;
        }
        eq = strchr(a, '=');
        len = eq ? (size_t)(eq - a) - 2 : strlen(a) - 2;
        val = eq ? eq + 1 : NULL;
        k = find_long(o, a + 2, len);
        /* "--opt VALUE" takes the next word only when it does not start with '-' (an empty
         * word is a value); this holds for optional values (search --set) too. */
        if (!val && i + 1 < argc && argv[i + 1][0] != '-' && (flags(o, k) & G2_OPT_VALUE))
            val = argv[++i];
        if (k == OPT_NONE) {
            if (!accept_dash)
                return fail(g, cmd, "unknown argument", a);
            out->pos[out->npos++] = a;   /* GRUB_COMMAND_ACCEPT_DASH: an argument */
            continue;
        }
        if (flags(o, k) & G2_OPT_VALUE) {
            if (!val && !(flags(o, k) & G2_OPT_OPTIONAL))
                return fail(g, cmd, "missing mandatory option for", o[k].name);
        } else if (val) {
            return fail(g, cmd, "a value was assigned to an argument that takes none:", a);
        }
        if (record(g, cmd, o, out, k, val))
            return 1;
    }
    return 0;
}

void pvb_g2_parsed_free(struct g2 *g, struct g2_parsed *p)
{
    pvb_free(g->c, p->pos);
    pvb_free(g->c, p->rep);
    p->pos = NULL;
    p->rep = NULL;
}
