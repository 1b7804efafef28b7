/* SPDX-License-Identifier: GPL-2.0-only */
/* The menu model: building it, GRUB's default-entry matchers, the kernel command line rule. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfg/cfgint.h"

#define MAX_WARNINGS 200

struct pvb_mb *pvb_mb_new(struct pvb_ctx *c, const struct pvb_cfg_engine *e, unsigned max_entries)
{
    struct pvb_menu *m = pvb_zalloc(c, sizeof(*m), "menu");
    struct pvb_mb *b = pvb_zalloc(c, sizeof(*b), "menu");

    if (!m || !b) {
        pvb_free(c, m);
        pvb_free(c, b);
        return NULL;
    }
    b->c = c;
    b->m = m;
    b->max_entries = max_entries;
    m->engine = e;
    m->chosen = -1;
    m->fallback_from = -1;
    m->timeout = -1;
    m->ctx = c;
    m->mb = b;
    return b;
}

struct pvb_cfg_entry *pvb_mb_add(struct pvb_mb *b)
{
    struct pvb_menu *m = b->m;
    struct pvb_cfg_entry *e;

    if (m->count >= b->max_entries) {
        pvb_fail(b->c, PVB_ELIMIT, "config: more than %u menu entries (entry limit)",
                 b->max_entries);
        return NULL;
    }
    if (!(e = pvb_grow(b->c, m->entries, &b->cap, m->count + 1, sizeof(*e), "menu entries")))
        return NULL;
    m->entries = e;
    e = &m->entries[m->count++];
    memset(e, 0, sizeof(*e));
    return e;
}

void pvb_mb_warn(struct pvb_mb *b, const char *file, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pvb_mb_vwarn(b, file, line, fmt, ap);
    va_end(ap);
}

void pvb_mb_vwarn(struct pvb_mb *b, const char *file, unsigned line, const char *fmt, va_list ap)
{
    struct pvb_menu *m = b->m;
    struct pvb_cfg_warning *w;
    char msg[PVB_MSG_MAX];

    if (m->nwarnings >= MAX_WARNINGS && !b->c->warn) {
        b->c->nwarn++;   /* counted, not formatted: a loop of warnings costs no printf */
        return;
    }
    vsnprintf(msg, sizeof(msg), fmt, ap);
    pvb_warn(b->c, "%s:%u: %s", file ? file : "?", line, msg);
    if (m->nwarnings >= MAX_WARNINGS)
        return;
    if (!(w = pvb_grow(b->c, m->warnings, &b->wcap, m->nwarnings + 1, sizeof(*w), "warnings")))
        return;
    m->warnings = w;
    w = &m->warnings[m->nwarnings];
    w->file = pvb_strndup(b->c, file ? file : "?", strlen(file ? file : "?"));
    w->msg = pvb_strndup(b->c, msg, strlen(msg));
    w->line = line;
    if (!w->file || !w->msg) {
        pvb_free(b->c, w->file);
        pvb_free(b->c, w->msg);
        return;
    }
    m->nwarnings++;
}

int pvb_mb_set_strn(struct pvb_mb *b, char **dst, const char *s, size_t n)
{
    char *d = pvb_strndup(b->c, s, n);

    if (!d)
        return b->c->err;
    pvb_free(b->c, *dst);
    *dst = d;
    return 0;
}

int pvb_mb_set_str(struct pvb_mb *b, char **dst, const char *s)
{
    return pvb_mb_set_strn(b, dst, s, strlen(s));
}

int pvb_mb_set_file(struct pvb_mb *b, struct pvb_cfg_file *f, const char *dev, const char *path)
{
    int rc = pvb_mb_set_str(b, &f->dev, dev);

    return rc ? rc : pvb_mb_set_str(b, &f->path, path);
}

int pvb_mb_add_initrd(struct pvb_mb *b, struct pvb_cfg_entry *e, const char *dev, const char *path)
{
    struct pvb_cfg_file *nv;

    nv = pvb_realloc(b->c, e->initrd, (size_t)(e->ninitrd + 1) * sizeof(*nv), "initrd list");
    if (!nv)
        return b->c->err;
    e->initrd = nv;
    memset(&nv[e->ninitrd], 0, sizeof(*nv));
    e->ninitrd++;
    return pvb_mb_set_file(b, &nv[e->ninitrd - 1], dev, path);
}

int pvb_mb_why(struct pvb_mb *b, const char *fmt, ...)
{
    char msg[PVB_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return pvb_mb_set_str(b, &b->m->why, msg);
}

static void file_clear(struct pvb_ctx *c, struct pvb_cfg_file *f)
{
    pvb_free(c, f->dev);
    pvb_free(c, f->path);
    memset(f, 0, sizeof(*f));   /* no byte range left behind either */
}

void pvb_cfg_entry_clear(struct pvb_ctx *c, struct pvb_cfg_entry *e)
{
    unsigned i;

    file_clear(c, &e->kernel);
    for (i = 0; i < e->ninitrd; i++)
        file_clear(c, &e->initrd[i]);
    pvb_free(c, e->initrd);
    e->initrd = NULL;
    e->ninitrd = 0;
    pvb_free(c, e->args);
    pvb_free(c, e->unbootable);
    pvb_free(c, e->root);
    e->args = e->unbootable = e->root = NULL;
    e->loaded = 0;
}

void pvb_cfg_entry_free(struct pvb_ctx *c, struct pvb_cfg_entry *e)
{
    pvb_cfg_entry_clear(c, e);
    pvb_free(c, e->title);
    pvb_free(c, e->id);
    pvb_free(c, e->submenu);
    pvb_free(c, e->classes);
    pvb_free(c, e->file);
    memset(e, 0, sizeof(*e));
}

void pvb_menu_free(struct pvb_menu *m)
{
    struct pvb_ctx *c;
    unsigned i;

    if (!m)
        return;
    c = m->ctx;
    if (m->engine->free)
        m->engine->free(m);
    for (i = 0; i < m->count; i++)
        pvb_cfg_entry_free(c, &m->entries[i]);
    for (i = 0; i < m->nwarnings; i++) {
        pvb_free(c, m->warnings[i].file);
        pvb_free(c, m->warnings[i].msg);
    }
    pvb_free(c, m->warnings);
    pvb_free(c, m->entries);
    pvb_free(c, m->why);
    pvb_free(c, m->default_value);
    pvb_free(c, m->fallback);
    pvb_free(c, m->mb);
    pvb_free(c, m);
}

int pvb_mb_fallback(struct pvb_mb *b)
{
    struct pvb_menu *m = b->m;
    unsigned k;
    int first = m->chosen;

    if (first < 0 || m->entries[first].kernel.path || m->entries[first].unbootable)
        return 0;
    for (k = 0; k < m->nfallback; k++) {
        int i = m->fallback[k];
        if (m->entries[i].kernel.path) {
            m->chosen = i;
            m->fallback_from = first;
            return pvb_mb_why(b, "entry %d loads no kernel; fallback entry %d", first, i);
        }
    }
    return 0;
}

static int is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

int pvb_cfg_strtoul(const char *s, unsigned long *v, const char **end)
{
    unsigned long long num = 0;
    unsigned base = 10;
    int found = 0;

    /* grub_strtoull (kern/misc.c): blanks, "0x" (lowercase only) means 16,
     * "0" before an octal digit means 8; i386-xen longs are 32 bits. */
    while (is_space((unsigned char)*s))
        s++;
    if (s[0] == '0' && s[1] == 'x') {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && s[1] >= '0' && s[1] <= '7') {
        base = 8;
    }
    for (; *s; s++) {
        unsigned d;
        unsigned char ch = (unsigned char)*s;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (ch >= 'a' && ch <= 'z')
            d = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'Z')
            d = ch - 'A' + 10;
        else
            break;
        if (d >= base)
            break;
        found = 1;
        num = num * base + d;
        if (num > 0xffffffffull) {
            if (end)
                *end = s;
            return -2;
        }
    }
    if (end)
        *end = s;
    if (!found)
        return -1;
    *v = (unsigned long)num;
    return 0;
}

/* GRUB's menuentry_eq: id equals spec up to spec's first single '>'; ">>" is '>'. */
static int entry_eq(const char *id, const char *spec)
{
    for (;;) {
        if (spec[0] == '>' && spec[1] != '>')
            return *id == '\0';
        if (spec[0] == '>')
            spec++;
        if (*id != *spec)
            return 0;
        if (*id == '\0')
            return 1;
        id++;
        spec++;
    }
}

const char *pvb_cfg_default_rest(const char *spec)
{
    const char *p;

    for (p = spec; *p; p++) {
        if (p[0] == '>' && p[1] == '>') {
            p++;
            continue;
        }
        if (p[0] == '>')
            return p[1] ? p + 1 : NULL;
    }
    return NULL;
}

static int to_index(unsigned long v)
{
    /* GRUB casts to int; anything that does not fit is out of range. */
    return v > 0x7fffffffUL ? -1 : (int)v;
}

const char *pvb_cfg_semantics_name(enum pvb_cfg_semantics sem)
{
    switch (sem) {
    case PVB_CFG_SEM_AUTO: return "auto";
    case PVB_CFG_SEM_UPSTREAM: return "upstream";
    case PVB_CFG_SEM_FEDORA: return "fedora";
    case PVB_CFG_SEM_SUSE: return "suse";
    }
    return "upstream";
}

int pvb_cfg_default_match(enum pvb_cfg_semantics sem, const char *spec, const char *const *titles,
                      const char *const *ids, unsigned n)
{
    unsigned long v;
    const char *end;
    unsigned i;
    int rc;

    if (sem != PVB_CFG_SEM_FEDORA) {
        rc = pvb_cfg_strtoul(spec, &v, NULL);
        if (rc == 0)
            return to_index(v);
        if (rc == -2)
            return -1;
        for (i = 0; i < n; i++)
            if (entry_eq(titles[i], spec) || entry_eq(ids[i], spec))
                return (int)i;
        return -1;
    }
    {
        /* Fedora: ids against the first blank-delimited token of spec. */
        char tok[1024];
        size_t k = 0;
        while (spec[k] && !is_space((unsigned char)spec[k]) && k < sizeof(tok) - 1) {
            tok[k] = spec[k];
            k++;
        }
        tok[k] = '\0';
        for (i = 0; i < n; i++)
            if (entry_eq(ids[i], tok))
                return (int)i;
    }
    for (i = 0; i < n; i++)
        if (entry_eq(titles[i], spec))
            return (int)i;
    rc = pvb_cfg_strtoul(spec, &v, &end);
    if (rc == 0 && *end == '\0')
        return to_index(v);
    return -1;
}

char *pvb_cfg_cmdline(struct pvb_ctx *c, char *const *argv, unsigned argc)
{
    struct pvb_sb b;
    unsigned i;

    pvb_sb_init(&b, c, (size_t)1 << 24, "kernel command line");
    for (i = 0; i < argc; i++) {
        const char *s = argv[i];
        int space = strchr(s, ' ') != NULL;
        if (i)
            pvb_sb_addc(&b, ' ');
        if (space)
            pvb_sb_addc(&b, '"');
        for (; *s; s++) {
            if (*s == '\\' || *s == '\'' || *s == '"')
                pvb_sb_addc(&b, '\\');
            pvb_sb_addc(&b, *s);
        }
        if (space)
            pvb_sb_addc(&b, '"');
    }
    return pvb_sb_take(&b);
}

/* "hd0,msdos1" -> disk "hd0", partition number 1 (scheme ignored); 0 if none. */
static void dev_parts(const char *s, size_t *disklen, unsigned long *part, int *haspart)
{
    const char *comma;

    if (*s == '(')
        s++;
    comma = strchr(s, ',');
    *haspart = 0;
    *part = 0;
    if (!comma) {
        *disklen = strcspn(s, ")");
        return;
    }
    *disklen = (size_t)(comma - s);
    comma++;
    while (*comma >= 'a' && *comma <= 'z')
        comma++;
    *haspart = 1;
    *part = 0;
    while (*comma >= '0' && *comma <= '9') {
        *part = *part * 10 + (unsigned long)(*comma - '0');
        if (*part > 100000)
            break;
        comma++;
    }
}

int pvb_cfg_dev_same(const char *a, const char *b)
{
    size_t la, lb;
    unsigned long pa, pb;
    int ha, hb;

    dev_parts(a, &la, &pa, &ha);
    dev_parts(b, &lb, &pb, &hb);
    if (*a == '(')
        a++;
    if (*b == '(')
        b++;
    return la == lb && memcmp(a, b, la) == 0 && ha == hb && pa == pb;
}

