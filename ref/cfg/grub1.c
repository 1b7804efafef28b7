/* SPDX-License-Identifier: GPL-2.0-only */
/* GRUB legacy 0.97 (menu.lst, grub.conf): globals, titles, default/fallback and entry commands. */
#include <stdio.h>
#include <string.h>

#include "cfg/cfgint.h"

#define MAX_CMDLINE 1600          /* stage2 shared.h: longer lines are cut */
#define MAX_FALLBACK 8

/* builtin_table of stage2/builtins.c (0.97 plus the Red Hat additions): a line whose
 * command is not here is skipped, and does not keep a title alive. */
static const char *const known[] = {
    "background", "blocklist", "boot", "bootp", "cat", "chainloader", "clear", "cmp", "color",
    "configfile", "debug", "default", "device", "dhcp", "displayapm", "displaymem", "embed",
    "fallback", "find", "foreground", "fstest", "geometry", "gfxmenu", "halt", "help",
    "hiddenmenu", "hide", "ifconfig", "impsprobe", "initrd", "install", "ioprobe", "kernel",
    "lock", "makeactive", "map", "md5crypt", "module", "modulenounzip", "pager", "partnew",
    "parttype", "password", "pause", "quit", "rarp", "read", "reboot", "root", "rootnoverify",
    "savedefault", "serial", "setkey", "setup", "splashimage", "terminal", "terminfo",
    "testload", "testvbe", "tftpserver", "timeout", "title", "unhide", "uppermem", "vbeprobe",
    NULL
};

struct g1line {
    char text[MAX_CMDLINE];
    unsigned line;
};

/* stage2.c get_line_from_config: CRs dropped, tabs become spaces, leading blanks
 * and empty lines skipped, '#' first means a comment, backslash-newline a space. */
static const char *get_line(const char *p, const char *end, struct g1line *l, unsigned *lineno,
                            int *cut)
{
    size_t pos = 0;
    int literal = 0, comment = 0;

    *cut = 0;
    l->line = *lineno;
    for (; p < end; p++) {
        char ch = *p;
        if (ch == '\r')
            continue;
        if (ch == '\t')
            ch = ' ';
        if (ch == '\n')
            (*lineno)++;
        if (literal) {
            if (ch == '\n') {
                ch = ' ';
                if (pos > 0)
                    pos--;
            }
            literal = 0;
        } else if (ch == '\\') {
            literal = 1;
        }
        if (comment) {
            if (ch == '\n')
                comment = 0;
        } else if (!pos) {
            if (ch == '#')
                comment = 1;
            else if (ch != ' ' && ch != '\n') {
                l->line = *lineno;
                l->text[pos++] = ch;
            }
        } else {
            if (ch == '\n') {
                p++;
                break;
            }
            if (pos < MAX_CMDLINE - 1)
                l->text[pos++] = ch;
            else
                *cut = 1;
        }
    }
    l->text[pos] = '\0';
    return p;
}

/* skip_to: past the word (and '=' when after_equal), then past blanks (and '='). */
static const char *skip_to(int after_equal, const char *s)
{
    while (*s && *s != ' ' && *s != '\t' && !(after_equal && *s == '='))
        s++;
    while (*s == ' ' || *s == '\t' || (after_equal && *s == '='))
        s++;
    return s;
}

/* safe_parse_maxint: decimal (leading zeros too) or 0x hex; junk after is ignored. */
static int parse_int(const char **sp, int *out)
{
    const char *s = *sp;
    unsigned mult = 10, digit;
    long long v = 0;
    int found = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        mult = 16;
    }
    for (;; s++) {
        char ch = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (ch >= '0' && ch <= '9')
            digit = (unsigned)(ch - '0');
        else if (mult == 16 && ch >= 'a' && ch <= 'f')
            digit = (unsigned)(ch - 'a' + 10);
        else
            break;
        found = 1;
        v = v * mult + digit;
        if (v > 0x7fffffff)
            return 0;
    }
    if (!found)
        return 0;
    *sp = s;
    *out = (int)v;
    return 1;
}

static int command_is(const char *line, const char *name, size_t *len)
{
    size_t n = strcspn(line, " \t=");

    *len = n;
    return strlen(name) == n && strncmp(line, name, n) == 0;
}

static int is_known(const char *line)
{
    size_t n;
    unsigned i;

    for (i = 0; known[i]; i++)
        if (command_is(line, known[i], &n))
            return 1;
    return 0;
}

/* "(hd0,0)" -> GRUB 2's "hd0,msdos1" (legacy numbers partitions from 0). */
static void legacy_dev(const char *s, size_t n, char *out, size_t cap)
{
    unsigned disk, part;
    char kind[3];
    int used = 0;

    if (n >= 4 && sscanf(s, "%2[hf]d%u,%u%n", kind, &disk, &part, &used) == 3 &&
        (size_t)used <= n && part < 1000) {
        snprintf(out, cap, "%cd%u,msdos%u", kind[0], disk, part + 1);
        return;
    }
    snprintf(out, cap, "%.*s", (int)n, s);
}

struct g1 {
    struct pvb_mb *b;
    const struct pvb_cfg_opts *o;
    char root[64];                /* the entry's current root device name */
    struct pvb_cfg_entry *e;
    int has_module;
};

static int set_path(struct g1 *s, struct pvb_cfg_file *f, const char *spec, size_t n)
{
    const char *dev, *path;
    size_t dl;
    char word[MAX_CMDLINE], devname[64];

    snprintf(word, sizeof(word), "%.*s", (int)n, spec);
    pvb_cfg_split_dev(word, &dev, &dl, &path);
    if (word[0] == '(')
        legacy_dev(dev, dl, devname, sizeof(devname));
    else
        snprintf(devname, sizeof(devname), "%s", s->root);
    if (pvb_cfg_dev_same(devname, s->o->device))
        devname[0] = '\0';
    return pvb_mb_set_file(s->b, f, devname, path);
}

/* One command of an entry, as the entry would run it at boot. */
static int entry_cmd(struct g1 *s, const char *line, const char *file, unsigned lineno)
{
    struct pvb_cfg_entry *e = s->e;
    const char *arg = skip_to(1, line);
    size_t n;
    int rc;

    if (command_is(line, "root", &n) || command_is(line, "rootnoverify", &n)) {
        if (arg[0] == '(') {
            size_t dl = strcspn(arg + 1, ")");
            legacy_dev(arg + 1, dl, s->root, sizeof(s->root));
        }
        if ((rc = pvb_mb_set_strn(s->b, &e->root, arg, strcspn(arg, " \t"))) != 0)
            return rc;
    } else if (command_is(line, "kernel", &n)) {
        /* builtins.c kernel_func: options first, then FILE; the rest goes verbatim. */
        while (!strncmp(arg, "--type=", 7) || !strncmp(arg, "--no-mem-option", 15))
            arg = skip_to(0, arg);
        n = strcspn(arg, " \t");
        if (!n)
            return 0;
        if ((rc = set_path(s, &e->kernel, arg, n)) != 0 ||
            (rc = pvb_mb_set_str(s->b, &e->args, skip_to(0, arg))) != 0)
            return rc;
        e->loaded = 1;
        s->has_module = 0;
    } else if (command_is(line, "initrd", &n)) {
        struct pvb_cfg_file f = { NULL, NULL, 0, 0, 0 };
        unsigned i;
        n = strcspn(arg, " \t");
        if (!n)
            return 0;
        /* boot.c load_initrd: one ramdisk; a later initrd line replaces it. */
        for (i = 0; i < e->ninitrd; i++) {
            pvb_free(s->b->c, e->initrd[i].dev);
            pvb_free(s->b->c, e->initrd[i].path);
        }
        e->ninitrd = 0;
        if ((rc = set_path(s, &f, arg, n)) == 0)
            rc = pvb_mb_add_initrd(s->b, e, f.dev, f.path);
        pvb_free(s->b->c, f.dev);
        pvb_free(s->b->c, f.path);
        return rc;
    } else if (command_is(line, "module", &n) || command_is(line, "modulenounzip", &n)) {
        s->has_module = 1;
    } else if (command_is(line, "chainloader", &n) || command_is(line, "configfile", &n)) {
        char why[200];
        snprintf(why, sizeof(why), "%.*s %s does not load a Linux kernel", (int)n, line, arg);
        return pvb_mb_set_str(s->b, &e->unbootable, why);
    } else if (command_is(line, "lock", &n)) {
        pvb_mb_warn(s->b, file, lineno, "entry '%s' is locked: GRUB asks for the password", e->title);
    }
    return 0;
}

/* Forget the last entry (a title with no command). */
static void drop_last(struct g1 *s, const char *file)
{
    struct pvb_cfg_entry *e = s->e;
    struct pvb_ctx *c = s->b->c;

    pvb_mb_warn(s->b, file, e->line, "title '%s' has no commands: dropped", e->title);
    pvb_cfg_entry_free(c, e);
    s->b->m->count--;
    s->e = NULL;
}

static int finish_entry(struct g1 *s)
{
    struct pvb_cfg_entry *e = s->e;
    char why[300];

    if (!e)
        return 0;
    /* A multiboot kernel with modules is a Xen hypervisor entry (pygrub would boot xen.gz). */
    if (e->kernel.path && !e->unbootable && (s->has_module || pvb_cfg_is_hypervisor(e->kernel.path))) {
        snprintf(why, sizeof(why), "kernel %s is a hypervisor (multiboot with modules); a PV "
                 "guest boots Linux directly", e->kernel.path);
        char *root = e->root;   /* the entry's root line stays, for -l */

        e->root = NULL;
        pvb_cfg_entry_clear(s->b->c, e);
        e->root = root;
        if (pvb_mb_set_str(s->b, &e->unbootable, why))
            return s->b->c->err;
    }
    e->loaded = 1;
    return 0;
}

struct g1globals {
    int def, saved, timeout;
    int fallback[MAX_FALLBACK];
    unsigned nfallback;
};

static void global_cmd(struct g1globals *gl, const char *line)
{
    const char *arg = skip_to(1, line);
    size_t n;
    int v;

    if (command_is(line, "default", &n)) {
        if (!strcmp(arg, "saved"))
            gl->saved = 1;
        else if (parse_int(&arg, &v)) {
            gl->def = v;
            gl->saved = 0;
        }
    } else if (command_is(line, "timeout", &n)) {
        if (parse_int(&arg, &v))
            gl->timeout = v;
    } else if (command_is(line, "fallback", &n)) {
        gl->nfallback = 0;
        while (*arg && gl->nfallback < MAX_FALLBACK && parse_int(&arg, &v)) {
            unsigned j;
            for (j = 0; j < gl->nfallback && gl->fallback[j] != v; j++)
                ;
            if (j == gl->nfallback)
                gl->fallback[gl->nfallback++] = v;
            arg = skip_to(0, arg);
        }
    }
}

/* The entry `default saved` names in *v: 0 when the file is not there. Fails only
 * with a fatal code (an I/O error or a limit of ours is never "no file"). */
static int saved_entry(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                       int *v)
{
    char path[4200], *buf = NULL, num[10];
    const char *slash = strrchr(o->path, '/'), *p = num;
    size_t len = 0;
    int rc;

    /* The file "default" beside the config; stage2 parses its first 9 bytes. */
    *v = 0;
    snprintf(path, sizeof(path), "%.*s/default", slash ? (int)(slash - o->path) : 0, o->path);
    rc = pvb_cfg_read(b->c, env, "", path, b->c->lim.max_config, &buf, &len);
    if (pvb_err_fatal(rc)) {
        pvb_ctx_prefix(b->c, "config: %s: ", path);
        return rc;
    }
    if (rc) {
        pvb_ctx_clear(b->c);
        return 0;
    }
    memset(num, 0, sizeof(num));
    memcpy(num, buf, len < sizeof(num) - 1 ? len : sizeof(num) - 1);
    pvb_free(b->c, buf);
    if (!parse_int(&p, v))
        *v = 0;
    return 0;
}

/* cmain: fallbacks past the end are dropped; default saved reads the default file; a
 * default past the end takes the first fallback, else 0. */
static int choose(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                  struct g1globals *gl)
{
    unsigned i, count = b->m->count;
    char num[16];
    int rc;

    b->m->timeout = gl->timeout;
    for (i = 0; i < gl->nfallback; i++) {
        int *nv;
        if (gl->fallback[i] < 0 || (unsigned)gl->fallback[i] >= count)
            continue;
        nv = pvb_realloc(b->c, b->m->fallback, (b->m->nfallback + 1) * sizeof(int), "fallback");
        if (!nv)
            return b->c->err;
        b->m->fallback = nv;
        nv[b->m->nfallback++] = gl->fallback[i];
    }
    if (count == 0)
        return pvb_fail(b->c, PVB_ENOBOOT, "config: %s: no title with commands", o->path);
    if (gl->saved) {
        if ((rc = saved_entry(b, o, env, &gl->def)) != 0)
            return rc;
        rc = pvb_mb_why(b, "default saved: the default file says %d", gl->def);
    } else {
        rc = pvb_mb_why(b, "default %d", gl->def);
    }
    if ((unsigned)gl->def >= count) {
        int to = b->m->nfallback ? b->m->fallback[0] : 0;
        rc = pvb_mb_why(b, "default %d is past the last entry: %s %d", gl->def,
                    b->m->nfallback ? "first fallback" : "entry", to);
        gl->def = to;
    }
    b->m->chosen = gl->def;
    snprintf(num, sizeof(num), "%d", gl->def);
    return rc ? rc : pvb_mb_set_str(b, &b->m->default_value, num);
}

static int eval(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                const struct pvb_cfg_lim *l, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    struct g1globals gl = { 0, 0, -1, { 0 }, 0 };
    struct g1line ln;
    struct g1 s;
    unsigned lineno = 1, commands = 0;
    size_t n;
    int rc = 0, cut;

    (void)l;
    memset(&s, 0, sizeof(s));
    s.b = b;
    s.o = o;
    while (p < end && !rc) {
        p = get_line(p, end, &ln, &lineno, &cut);
        if (!ln.text[0])
            continue;
        if (cut)
            pvb_mb_warn(b, o->path, ln.line, "line longer than %d bytes: GRUB cuts it", MAX_CMDLINE - 1);
        if (!is_known(ln.text)) {
            pvb_mb_warn(b, o->path, ln.line, "unknown command '%.*s' skipped",
                    (int)strcspn(ln.text, " \t="), ln.text);
            continue;
        }
        if (command_is(ln.text, "title", &n)) {
            if (s.e && commands == 0) {
                drop_last(&s, o->path);   /* overwritten by the next title (stage2.c) */
            } else if ((rc = finish_entry(&s)) != 0) {
                break;
            }
            if (!(s.e = pvb_mb_add(b))) {
                rc = b->c->err;
                break;
            }
            commands = 0;
            s.has_module = 0;
            snprintf(s.root, sizeof(s.root), "%s", o->device);
            s.e->line = ln.line;
            if ((rc = pvb_mb_set_str(b, &s.e->title, skip_to(1, ln.text))) ||
                (rc = pvb_mb_set_str(b, &s.e->id, skip_to(1, ln.text))) ||
                (rc = pvb_mb_set_str(b, &s.e->file, o->path)) || (rc = pvb_mb_set_str(b, &s.e->submenu, "")) ||
                (rc = pvb_mb_set_str(b, &s.e->classes, "")))
                break;
        } else if (!s.e) {
            global_cmd(&gl, ln.text);
        } else {
            commands++;
            rc = entry_cmd(&s, ln.text, o->path, ln.line);
        }
    }
    if (!rc && s.e && commands == 0)
        drop_last(&s, o->path);
    else if (!rc)
        rc = finish_entry(&s);
    if (!rc)
        rc = choose(b, o, env, &gl);
    return rc ? rc : pvb_mb_fallback(b);
}

static const char *const paths[] = {
    "/boot/grub/menu.lst", "/boot/grub/grub.conf", "/grub/menu.lst", "/grub/grub.conf", NULL
};
static const char *const names[] = { "menu.lst", "grub.conf", NULL };

const struct pvb_cfg_engine pvb_engine_grub1 = {
    .name = "grub1", .paths = paths, .names = names, .eval = eval,
};
