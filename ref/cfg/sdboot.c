/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * systemd-boot: loader/loader.conf, Boot Loader Specification Type #1 entries in
 * loader/entries/ and Type #2 entries (unified kernel images) in EFI/Linux/, listed,
 * sorted and chosen as systemd-boot's src/boot/efi/boot.c does, and the UKIs' sections
 * taken as systemd-stub takes them. The ESP is the volume the config is on; an
 * XBOOTLDR partition on the same disk is read after it (see eval).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfgint.h"
#include "cfg/pe.h"
#include "util/safemath.h"

/* SD_NONE: no linux, uki or efi key yet; SD_DROP: an architecture line dropped it. */
enum sd_type { SD_NONE, SD_LINUX, SD_EFI, SD_UKI, SD_DROP };

struct sd_ent {
    const char *dev;          /* its volume ("" the ESP), where its files are */
    char *id;                 /* the file name, lower-cased (boot counter included, as boot.c) */
    char *file;               /* its path on the ESP */
    char *title, *version, *machine_id, *sort_key, *title_show;
    char *loader;             /* linux, efi or uki path */
    enum sd_type type;
    int type2;                /* found in EFI/Linux (its cmdline is implied, not passed) */
    char **initrd;
    unsigned ninitrd, capinitrd;
    char *options;            /* options lines joined by a space, or NULL */
    long tries_left, tries_done;   /* -1: no boot counter */
    /* The UKI's sections, once read. */
    int uki;
    uint64_t kofs, klen, iofs, ilen;
    char *cmdline;            /* .cmdline as systemd-stub takes it, or NULL */
    char *addons;             /* the add-ons' command lines joined, or NULL */
    char *unbootable;
};

struct sd {
    struct pvb_mb *b;
    struct pvb_ctx *c;
    const struct pvb_cfg_env *env;
    const struct pvb_cfg_lim *l;
    const char *dev;          /* the volume being read: "" the ESP, or the XBOOTLDR partition */
    struct arena a;
    struct sd_ent **v;
    unsigned n, cap;
    char *def;                /* loader.conf default, lower-cased, or NULL */
    int timeout;              /* -2: unset */
    /* A directory listing. */
    char **names;
    unsigned nnames, capnames;
};

/* ---- helpers ------------------------------------------------------------ */

static int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int cmp3(long a, long b)
{
    return (a > b) - (a < b);
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static int ends_nocase(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix), i;

    if (n < k)
        return 0;
    for (i = 0; i < k; i++) {
        char x = s[n - k + i], y = suffix[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static int starts_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char x = *s;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != *prefix)
            return 0;
    }
    return 1;
}

/*
 * The UAPI Version Format comparison (systemd's strverscmp_improved): an empty
 * or missing version is older than any other; invalid characters are skipped;
 * '~' sorts before everything, even the end; a string that ends first is older,
 * except for '~'; then '-', '^' and '.' separators; numeric segments compare by
 * value and are newer than alphabetic ones, which compare as strings, longer newer.
 */
static int valid_ver(int ch)
{
    return is_alpha(ch) || is_digit(ch) || ch == '~' || ch == '-' || ch == '^' || ch == '.';
}

int pvb_cfg_uapi_vercmp(const char *a, const char *b)
{
    if (!a || !*a || !b || !*b) {
        int ea = !a ? 0 : *a ? 2 : 1, eb = !b ? 0 : *b ? 2 : 1;
        return cmp3(ea, eb);
    }
    for (;;) {
        const char *aa, *bb;
        int r;

        while (*a && !valid_ver((unsigned char)*a))
            a++;
        while (*b && !valid_ver((unsigned char)*b))
            b++;
        if (*a == '~' || *b == '~') {
            if ((r = cmp3(*a != '~', *b != '~')) != 0)
                return r;
            a++;
            b++;
        }
        if (!*a || !*b) {
            r = strcmp(a, b);
            return cmp3(r, 0);
        }
        if (*a == '-' || *b == '-') {
            if ((r = cmp3(*a != '-', *b != '-')) != 0)
                return r;
            a++;
            b++;
        }
        if (*a == '^' || *b == '^') {
            if ((r = cmp3(*a != '^', *b != '^')) != 0)
                return r;
            a++;
            b++;
        }
        if (*a == '.' || *b == '.') {
            if ((r = cmp3(*a != '.', *b != '.')) != 0)
                return r;
            a++;
            b++;
        }
        if (is_digit((unsigned char)*a) || is_digit((unsigned char)*b)) {
            for (aa = a; is_digit((unsigned char)*aa); aa++)
                ;
            for (bb = b; is_digit((unsigned char)*bb); bb++)
                ;
            if ((r = cmp3(a != aa, b != bb)) != 0)
                return r;
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            if ((r = cmp3(aa - a, bb - b)) != 0)
                return r;
            if (aa > a && (r = strncmp(a, b, (size_t)(aa - a))) != 0)
                return cmp3(r, 0);
        } else {
            size_t la, lb;
            for (aa = a; is_alpha((unsigned char)*aa); aa++)
                ;
            for (bb = b; is_alpha((unsigned char)*bb); bb++)
                ;
            la = (size_t)(aa - a);
            lb = (size_t)(bb - b);
            if ((r = strncmp(a, b, la < lb ? la : lb)) != 0)
                return cmp3(r, 0);
            if ((r = cmp3((long)la, (long)lb)) != 0)
                return r;
        }
        a = aa;
        b = bb;
    }
}

/* systemd-boot's efi_fnmatch on case-folded strings: '*', '?', "[...]" with ranges,
 * '\' quoting the next character. Iterative: backtracks only to the last '*'. */
static int set_match(const char **pp, char ch)
{
    const char *p = *pp + 1;
    int hit = 0;

    for (; *p && *p != ']'; p++) {
        if (p[1] == '-' && p[2] && p[2] != ']') {
            if (ch >= p[0] && ch <= p[2])
                hit = 1;
            p += 2;
        } else if (*p == ch) {
            hit = 1;
        }
    }
    if (!*p)
        return -1;   /* no closing ']': the pattern fails */
    *pp = p;
    return hit;
}

int pvb_cfg_sd_fnmatch(const char *p, const char *h)
{
    const char *star = NULL, *mark = NULL;

    for (;;) {
        int ok;
        if (*p == '*') {
            star = ++p;
            mark = h;
            continue;
        }
        if (!*p && !*h)
            return 1;
        ok = 0;
        if (*h) {
            if (*p == '?') {
                ok = 1;
            } else if (*p == '[') {
                const char *q = p;
                int r = set_match(&q, *h);
                if (r < 0)
                    return 0;
                if (r) {
                    p = q;
                    ok = 1;
                }
            } else if (*p == '\\' && p[1]) {
                p++;
                ok = *p == *h;
            } else if (*p) {
                ok = *p == *h;
            }
        }
        if (ok) {
            p++;
            h++;
            continue;
        }
        if (!star || !*mark)
            return 0;
        p = star;
        h = ++mark;
    }
}

/*
 * systemd-boot's line_get_key_value over buf[0..len) (up to a NUL): lines end at
 * '\n' or '\r'; blanks around a line are dropped; empty and '#' lines skipped;
 * the key ends at the first separator, the value starts after the run of them; a
 * line without one is skipped; a value in double quotes loses them.
 */
typedef int (*sd_kv_fn)(struct sd *s, void *arg, const char *k, size_t kn, const char *v, size_t vn);

static int sd_kv(struct sd *s, const char *file, const char *buf, size_t len, const char *seps,
                 sd_kv_fn fn, void *arg)
{
    const char *p = buf, *end;
    unsigned line = 0;
    const char *nul = memchr(buf, '\0', len);
    int rc;

    end = nul ? nul : buf + len;
    while (p < end) {
        const char *q = p, *e, *k, *v;
        size_t n;

        while (q < end && *q != '\n' && *q != '\r')
            q++;
        line++;
        n = (size_t)(q - p);
        if (n > s->l->max_line)
            return pvb_fail(s->c, PVB_ELIMIT, "systemd-boot: %s:%u: line longer than the line limit of %zu bytes",
                            file, line, s->l->max_line);
        if ((rc = pvb_charge(s->c, PVB_BUDGET_STEPS, 1)) != 0)
            return rc;
        k = p;
        e = q;
        p = q < end ? q + 1 : q;
        while (k < e && (*k == ' ' || *k == '\t'))
            k++;
        while (e > k && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (k == e || *k == '#')
            continue;
        for (v = k; v < e && !strchr(seps, *v); v++)
            ;
        if (v == e)
            continue;
        n = (size_t)(v - k);
        while (v < e && strchr(seps, *v))
            v++;
        if (v < e && *v == '"' && e[-1] == '"') {
            v++;
            if (e > v)
                e--;
        }
        if ((rc = fn(s, arg, k, n, v, (size_t)(e - v))) != 0)
            return rc;
    }
    return 0;
}

static int key_is(const char *k, size_t kn, const char *name)
{
    return strlen(name) == kn && memcmp(k, name, kn) == 0;
}

static int set(struct sd *s, char **dst, const char *v, size_t vn)
{
    *dst = pvb_arena_strndup(&s->a, v, vn);
    return *dst ? 0 : s->c->err;
}

/* A path as boot.c's xstr8_to_path takes it: '\\' is '/', relative to the ESP's root. */
static int set_path(struct sd *s, char **dst, const char *v, size_t vn)
{
    char *p;
    size_t i;

    if (!(p = pvb_arena_alloc(&s->a, vn + 2)))
        return s->c->err;
    p[0] = '/';
    for (i = 0; i < vn; i++)
        p[i + 1] = v[i] == '\\' ? '/' : v[i];
    p[vn + 1] = '\0';
    *dst = p[1] == '/' ? p + 1 : p;
    return 0;
}

static char *join(struct sd *s, const char *a, const char *b, const char *sep)
{
    size_t na = strlen(a), nb = strlen(b), ns = strlen(sep), t;
    char *r;

    if (pvb_add_sz(na, nb, &t) || pvb_add_sz(t, ns, &t) || t > s->l->max_var) {
        pvb_fail(s->c, PVB_ELIMIT, "systemd-boot: a command line longer than the limit of %zu bytes",
                 s->l->max_var);
        return NULL;
    }
    if (!(r = pvb_arena_alloc(&s->a, t + 1)))
        return NULL;
    memcpy(r, a, na);
    memcpy(r + na, sep, ns);
    memcpy(r + na + ns, b, nb + 1);
    return r;
}

/* ---- directory listings ------------------------------------------------- */

static int name_cb(void *arg, const char *name, int is_dir)
{
    struct sd *s = arg;
    char **nv;
    int rc;

    if (is_dir || name[0] == '.' || name[0] == '\0')
        return 0;
    if ((rc = pvb_charge(s->c, PVB_BUDGET_STEPS, 1)) != 0)
        return rc;
    if (s->nnames >= s->l->max_entries)
        return pvb_fail(s->c, PVB_ELIMIT, "systemd-boot: more than %u files in a directory of entries",
                        s->l->max_entries);
    if (!(nv = pvb_grow(s->c, s->names, &s->capnames, s->nnames + 1, sizeof(char *), "file names")))
        return s->c->err;
    s->names = nv;
    if (!(s->names[s->nnames] = pvb_arena_strndup(&s->a, name, strlen(name))))
        return s->c->err;
    s->nnames++;
    return 0;
}

/* The regular files in dir, into *names (the caller frees the array; the names are in
 * the arena) and *n; a missing or unreadable directory lists nothing. */
static int list(struct sd *s, const char *dir, char ***names, unsigned *n)
{
    int rc = 0;

    s->names = NULL;
    s->nnames = s->capnames = 0;
    if (s->env->list_dir)
        rc = s->env->list_dir(s->env->arg, s->c, s->dev, dir, name_cb, s);
    if (rc && !pvb_err_fatal(rc)) {
        pvb_ctx_clear(s->c);
        rc = 0;
    }
    *names = s->names;
    *n = s->nnames;
    s->names = NULL;
    return rc;
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* ---- UKIs --------------------------------------------------------------- */

struct rd {
    struct sd *s;
    const char *path;
};

static int rd_at(void *arg, uint64_t off, void *buf, size_t len)
{
    struct rd *r = arg;
    int rc = r->s->env->read_at(r->s->env->arg, r->s->c, r->s->dev, r->path, off, buf, len);

    return rc ? rc : pvb_charge(r->s->c, PVB_BUDGET_CONFIG, len);
}

/* Section sec of path into a NUL-terminated arena string, at most max bytes. */
static int section(struct sd *s, const char *path, const struct pvb_pe_section *sec, size_t max,
                   char **out)
{
    struct rd r = { s, path };
    char *p;
    int rc;

    *out = NULL;
    if (sec->size > max)
        return pvb_fail(s->c, PVB_ELIMIT, "systemd-boot: %s: section %s of %llu bytes passes the limit of %zu",
                        path, sec->name, (unsigned long long)sec->size, max);
    if (!(p = pvb_arena_alloc(&s->a, (size_t)sec->size + 1)))
        return s->c->err;
    if (sec->size && (rc = rd_at(&r, sec->off, p, (size_t)sec->size)) != 0)
        return rc;
    p[sec->size] = '\0';
    *out = p;
    return 0;
}

/* The headers of the PE file at path. 0 with *bad NULL: read; 0 with *bad: the guest's
 * file is no usable PE image (why in *bad; *notpe when it is no PE file at all); else a
 * fatal code. */
static int pe_open(struct sd *s, const char *path, struct pvb_pe *pe, char **bad, int *notpe)
{
    struct pvb_cfg_stat st;
    struct rd r = { s, path };
    int rc;

    *bad = NULL;
    *notpe = 0;
    if (!s->env->read_at || !s->env->stat) {
        *bad = "its sections cannot be read here";
        return 0;
    }
    rc = s->env->stat(s->env->arg, s->c, s->dev, path, &st);
    if (!rc && !st.is_file)
        rc = pvb_fail(s->c, PVB_ENOTFOUND, "%s: not a regular file", path);
    if (!rc)
        rc = pvb_pe_parse(s->c, path, st.size, rd_at, &r, pe);
    if (rc && pvb_err_fatal(rc))
        return rc;
    if (rc) {
        *notpe = rc == PVB_ENOTMINE;
        if (!(*bad = pvb_arena_strndup(&s->a, s->c->msg, strlen(s->c->msg))))
            return s->c->err;
        pvb_ctx_clear(s->c);
    }
    return 0;
}

/* systemd-stub's add-ons (254 and later): the .cmdline of every *.addon.efi in
 * NAME.efi.extra.d/ beside the UKI, in file name order, each after a space. */
static int addons(struct sd *s, struct sd_ent *e)
{
    char *dir, **names;
    unsigned i, n;
    int rc;

    if (!(dir = join(s, e->loader, ".extra.d", "")))
        return s->c->err;
    if ((rc = list(s, dir, &names, &n)) != 0) {
        pvb_free(s->c, names);
        return rc;
    }
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_name);   /* (no NULL to qsort: an empty listing) */
    for (i = 0; !rc && i < n; i++) {
        struct pvb_pe pe;
        const struct pvb_pe_section *sec;
        char *path, *bad, *cl;
        int notpe;

        if (!ends_nocase(names[i], ".addon.efi"))
            continue;
        if (!(path = join(s, dir, names[i], "/"))) {
            rc = s->c->err;
            break;
        }
        if ((rc = pe_open(s, path, &pe, &bad, &notpe)) != 0)
            break;
        if (bad) {
            pvb_mb_warn(s->b, path, 0, "add-on skipped: %s", bad);
            continue;
        }
        if (!(sec = pvb_pe_find(&pe, ".cmdline")))
            continue;
        if ((rc = section(s, path, sec, s->l->max_var, &cl)) != 0)
            break;
        pvb_pe_cmdline(cl, strlen(cl));
        if (!*cl)
            continue;
        if (!(e->addons = e->addons ? join(s, e->addons, cl, " ") : cl))
            rc = s->c->err;
    }
    pvb_free(s->c, names);
    return rc;
}

/* os-release from .osrel: the fields bootspec_pick_name_version_sort_key reads. */
struct osrel {
    char *pretty, *image_id, *name, *id, *image_version, *version, *version_id, *build_id;
};

static int osrel_kv(struct sd *s, void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
    struct osrel *o = arg;
    char **dst = key_is(k, kn, "PRETTY_NAME") ? &o->pretty :
                 key_is(k, kn, "IMAGE_ID") ? &o->image_id :
                 key_is(k, kn, "NAME") ? &o->name :
                 key_is(k, kn, "ID") ? &o->id :
                 key_is(k, kn, "IMAGE_VERSION") ? &o->image_version :
                 key_is(k, kn, "VERSION") ? &o->version :
                 key_is(k, kn, "VERSION_ID") ? &o->version_id :
                 key_is(k, kn, "BUILD_ID") ? &o->build_id : NULL;

    return dst ? set(s, dst, v, vn) : 0;
}

/*
 * Read the UKI e->loader names: .linux, .initrd, .cmdline and add-ons. osrel, when
 * not NULL, receives .osrel (Type #2 entries need one: *osrel NULL without it). A
 * file the stub could not boot leaves e->unbootable. A `linux` file (e->type
 * SD_LINUX) that is no PE image or has no .linux is an ordinary kernel: e->uki 0.
 */
static int uki_read(struct sd *s, struct sd_ent *e, char **osrel)
{
    const struct pvb_pe_section *lx, *ird, *cl, *os;
    struct pvb_pe pe;
    char *bad, *text;
    int rc, notpe;

    if (osrel)
        *osrel = NULL;
    if ((rc = pe_open(s, e->loader, &pe, &bad, &notpe)) != 0)
        return rc;
    if (bad) {
        if (!(e->type == SD_LINUX && notpe))
            e->unbootable = bad;
        return 0;
    }
    if (osrel && (os = pvb_pe_find(&pe, ".osrel")) != NULL &&
        (rc = section(s, e->loader, os, s->l->max_var, osrel)) != 0)
        return rc;
    if (!(lx = pvb_pe_find(&pe, ".linux"))) {
        if (e->type != SD_LINUX)
            e->unbootable = "a unified kernel image without a .linux section";
        return 0;
    }
    e->uki = 1;
    if (!lx->size) {
        e->unbootable = "a unified kernel image with an empty .linux section";
        return 0;
    }
    if (pe.machine != PVB_PE_MACHINE_X64) {
        char msg[96];
        snprintf(msg, sizeof(msg), "a UKI for PE machine 0x%04x, not x64", pe.machine);
        return set(s, &e->unbootable, msg, strlen(msg));
    }
    e->kofs = lx->off;
    e->klen = lx->size;
    if ((ird = pvb_pe_find(&pe, ".initrd")) != NULL && ird->size) {
        e->iofs = ird->off;
        e->ilen = ird->size;
    }
    if ((cl = pvb_pe_find(&pe, ".cmdline")) != NULL) {
        if ((rc = section(s, e->loader, cl, s->l->max_var, &text)) != 0)
            return rc;
        pvb_pe_cmdline(text, strlen(text));
        e->cmdline = text;
    }
    return addons(s, e);
}

/* ---- entries ------------------------------------------------------------ */

static struct sd_ent *new_ent(struct sd *s, const char *dir, const char *name)
{
    struct sd_ent *e, **nv;

    if (s->n >= s->l->max_entries) {
        pvb_fail(s->c, PVB_ELIMIT, "systemd-boot: more than %u entries", s->l->max_entries);
        return NULL;
    }
    if (!(nv = pvb_grow(s->c, s->v, &s->cap, s->n + 1, sizeof(*nv), "systemd-boot entries")))
        return NULL;
    s->v = nv;
    if (!(e = pvb_arena_alloc(&s->a, sizeof(*e))))
        return NULL;
    memset(e, 0, sizeof(*e));
    e->dev = s->dev;
    e->tries_left = e->tries_done = -1;
    if (!(e->id = pvb_arena_strndup(&s->a, name, strlen(name))) || !(e->file = join(s, dir, name, "/")))
        return NULL;
    if (s->dev[0] && (!(e->file = join(s, s->dev, e->file, ")")) || !(e->file = join(s, "(", e->file, ""))))
        return NULL;
    lower(e->id);
    return e;
}

/* boot_entry_parse_tries: "+LEFT[-DONE]" right before the suffix (the last '+'). */
static void parse_tries(struct sd_ent *e, const char *name, size_t suffix)
{
    const char *plus = strrchr(name, '+'), *p, *end = name + strlen(name) - suffix;
    long left = 0, done = 0;

    if (!plus)
        return;
    p = plus + 1;
    if (!is_digit((unsigned char)*p))
        return;
    for (; is_digit((unsigned char)*p); p++)
        if ((left = left * 10 + (*p - '0')) > 0x7fffffffL)
            return;
    if (*p == '-') {
        if (!is_digit((unsigned char)*++p))
            return;
        for (; is_digit((unsigned char)*p); p++)
            if ((done = done * 10 + (*p - '0')) > 0x7fffffffL)
                return;
    }
    if (p != end)
        return;
    e->tries_left = left;
    e->tries_done = done;
}

static int t1_kv(struct sd *s, void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
    struct sd_ent *e = arg;
    char **nv;

    if (e->type == SD_DROP)
        return 0;   /* an architecture line already dropped it */
    if (key_is(k, kn, "title"))
        return set(s, &e->title, v, vn);
    if (key_is(k, kn, "sort-key"))
        return set(s, &e->sort_key, v, vn);
    if (key_is(k, kn, "version"))
        return set(s, &e->version, v, vn);
    if (key_is(k, kn, "machine-id"))
        return set(s, &e->machine_id, v, vn);
    if (key_is(k, kn, "linux") || key_is(k, kn, "uki") || key_is(k, kn, "efi")) {
        e->type = k[0] == 'l' ? SD_LINUX : k[0] == 'u' ? SD_UKI : SD_EFI;
        return set_path(s, &e->loader, v, vn);
    }
    if (key_is(k, kn, "architecture")) {
        /* boot.c drops an entry for another architecture (EFI_MACHINE_TYPE_NAME "x64"). */
        if (!(vn == 3 && memcmp(v, "x64", 3) == 0))
            e->type = SD_DROP;
        return 0;
    }
    if (key_is(k, kn, "initrd")) {
        if (!(nv = pvb_grow(s->c, e->initrd, &e->capinitrd, e->ninitrd + 1, sizeof(char *), "initrds")))
            return s->c->err;
        e->initrd = nv;
        return set_path(s, &e->initrd[e->ninitrd++], v, vn);
    }
    if (key_is(k, kn, "options")) {
        char *o;
        if (set(s, &o, v, vn) != 0)
            return s->c->err;
        if (e->options && !(o = join(s, e->options, o, " ")))
            return s->c->err;
        e->options = o;
    }
    return 0;   /* devicetree, devicetree-overlay and unknown keys: nothing a PV guest loads */
}

static int exists(struct sd *s, const char *path)
{
    struct pvb_cfg_stat st;
    int rc;

    if (!s->env->stat)
        return 0;
    rc = s->env->stat(s->env->arg, s->c, s->dev, path, &st);
    if (rc && pvb_err_fatal(rc))
        return rc;
    pvb_ctx_clear(s->c);
    return !rc && st.is_file;
}

static int free_initrds(struct sd *s)
{
    unsigned i;

    for (i = 0; i < s->n; i++) {
        pvb_free(s->c, s->v[i]->initrd);
        s->v[i]->initrd = NULL;
    }
    return 0;
}

static int type1(struct sd *s, const char *dir, const char *name, const char *buf, size_t len)
{
    struct sd_ent *e;
    int rc;

    if (!(e = new_ent(s, dir, name)))
        return s->c->err;
    /* Counted now so that free_initrds sees it; dropped below by taking it back. */
    s->v[s->n++] = e;
    if ((rc = sd_kv(s, e->file, buf, len, " \t", t1_kv, e)) != 0)
        return rc;
    if (e->type == SD_DROP || e->type == SD_NONE) {
        s->n--;
        pvb_free(s->c, e->initrd);
        return 0;
    }
    /* boot.c: an entry whose loader file does not open is not listed. */
    if ((rc = exists(s, e->loader)) <= 0) {
        if (rc == 0)
            pvb_mb_warn(s->b, e->file, 0, "%s not found: entry not listed", e->loader);
        s->n--;
        pvb_free(s->c, e->initrd);
        return rc;
    }
    parse_tries(e, name, 5);
    /* A linux path ending in .efi may name a UKI (systemd-boot starts it like any
     * kernel; the stub inside does the rest); other linux paths are kernels. */
    if (e->type == SD_UKI || (e->type == SD_LINUX && ends_nocase(e->loader, ".efi")))
        return uki_read(s, e, NULL);
    return 0;
}

static int type2(struct sd *s, const char *name)
{
    struct sd_ent *e;
    struct osrel o;
    char *text;
    const char *good_name, *good_version, *good_sort;
    int rc;

    if (!(e = new_ent(s, "/EFI/Linux", name)))
        return s->c->err;
    e->type = SD_UKI;
    e->type2 = 1;
    if (!(e->loader = join(s, "/EFI/Linux", name, "/")))
        return s->c->err;
    if ((rc = uki_read(s, e, &text)) != 0)
        return rc;
    if (!text) {
        /* boot.c lists only a PE file with an .osrel section. */
        pvb_mb_warn(s->b, e->file, 0, "%s: not listed", e->unbootable ? e->unbootable : "no .osrel section");
        return 0;
    }
    memset(&o, 0, sizeof(o));
    if ((rc = sd_kv(s, e->file, text, strlen(text), "=", osrel_kv, &o)) != 0)
        return rc;
    /* bootspec_pick_name_version_sort_key */
    good_name = o.pretty ? o.pretty : o.image_id ? o.image_id : o.name ? o.name : o.id;
    good_version = o.image_version ? o.image_version : o.version ? o.version :
                   o.version_id ? o.version_id : o.build_id;
    good_sort = o.image_id ? o.image_id : o.id;
    if (!good_name) {
        pvb_mb_warn(s->b, e->file, 0, ".osrel names no OS: not listed");
        return 0;
    }
    e->title = (char *)good_name;
    e->version = (char *)good_version;
    e->sort_key = (char *)good_sort;
    parse_tries(e, name, 4);
    s->v[s->n++] = e;
    return 0;
}

/* boot.c boot_entry_compare */
static int ent_cmp(const struct sd_ent *a, const struct sd_ent *b)
{
    int r;

    if ((r = cmp3(a->tries_left == 0, b->tries_left == 0)) != 0)
        return r;
    if ((r = cmp3(!a->sort_key, !b->sort_key)) != 0)
        return r;
    if (a->sort_key && b->sort_key) {
        if ((r = strcmp(a->sort_key, b->sort_key)) != 0)
            return cmp3(r, 0);
        if (a->machine_id != b->machine_id &&
            (r = !a->machine_id ? -1 : !b->machine_id ? 1 : strcmp(a->machine_id, b->machine_id)) != 0)
            return cmp3(r, 0);
        if ((r = -pvb_cfg_uapi_vercmp(a->version, b->version)) != 0)
            return r;
    }
    if ((r = -pvb_cfg_uapi_vercmp(a->id, b->id)) != 0)
        return r;
    if (a->tries_left < 0 || b->tries_left < 0)
        return 0;
    if ((r = -cmp3(a->tries_left, b->tries_left)) != 0)
        return r;
    return cmp3(a->tries_done, b->tries_done);
}

/* A stable merge sort (boot.c sorts with a stable insertion sort). */
static int sort_entries(struct sd *s)
{
    struct sd_ent **t;
    unsigned w, i;
    int rc;

    if (s->n < 2)
        return 0;
    if (!(t = pvb_calloc(s->c, s->n, sizeof(*t), "systemd-boot sort")))
        return s->c->err;
    for (w = 1; w < s->n; w *= 2) {
        if ((rc = pvb_charge(s->c, PVB_BUDGET_STEPS, s->n)) != 0) {
            pvb_free(s->c, t);
            return rc;
        }
        for (i = 0; i < s->n; i += 2 * w) {
            unsigned lo = i, mid = i + w < s->n ? i + w : s->n;
            unsigned hi = i + 2 * w < s->n ? i + 2 * w : s->n, x = lo, y = mid, k = lo;
            while (x < mid && y < hi)
                t[k++] = ent_cmp(s->v[y], s->v[x]) < 0 ? s->v[y++] : s->v[x++];
            while (x < mid)
                t[k++] = s->v[x++];
            while (y < hi)
                t[k++] = s->v[y++];
        }
        memcpy(s->v, t, s->n * sizeof(*t));
        if (w > s->n / 2)
            break;
    }
    pvb_free(s->c, t);
    return 0;
}

/* generate_boot_entry_titles: title (else id); titles still shared get " (version)", then
 * " (first 8 of machine-id)", then " (id)". Groups found by sorting, not pairwise. */
static int cmp_title(const void *x, const void *y)
{
    const struct sd_ent *a = *(struct sd_ent *const *)x, *b = *(struct sd_ent *const *)y;

    return strcmp(a->title_show, b->title_show);
}

static int unique_pass(struct sd *s, struct sd_ent **t, unsigned char *dup)
{
    unsigned i, any = 0;

    memcpy(t, s->v, s->n * sizeof(*t));
    qsort(t, s->n, sizeof(*t), cmp_title);
    for (i = 0; i < s->n; i++)
        dup[i] = 0;
    for (i = 0; i + 1 < s->n; i++)
        if (strcmp(t[i]->title_show, t[i + 1]->title_show) == 0)
            dup[i] = dup[i + 1] = 1, any = 1;
    return (int)any;
}

static int titles(struct sd *s)
{
    struct sd_ent **t;
    unsigned char *dup;
    unsigned i, pass;
    int rc = 0;

    for (i = 0; i < s->n; i++)
        s->v[i]->title_show = s->v[i]->title ? s->v[i]->title : s->v[i]->id;
    if (s->n < 2)
        return 0;
    t = pvb_calloc(s->c, s->n, sizeof(*t), "systemd-boot titles");
    dup = t ? pvb_alloc(s->c, s->n, "systemd-boot titles") : NULL;
    if (!t || !dup) {
        pvb_free(s->c, t);
        return s->c->err;
    }
    for (pass = 0; pass < 3 && unique_pass(s, t, dup); pass++) {
        for (i = 0; i < s->n; i++) {
            struct sd_ent *e = t[i];
            char add[64], *r;
            const char *x = pass == 0 ? e->version : pass == 1 ? e->machine_id : e->id;
            if (!dup[i] || !x)
                continue;
            if (pass == 1) {
                snprintf(add, sizeof(add), "%.8s", x);
                x = add;
            }
            if (!(r = join(s, e->title_show, x, " (")) || !(r = join(s, r, ")", ""))) {
                rc = s->c->err;
                break;
            }
            e->title_show = r;
        }
        if (rc)
            break;
    }
    pvb_free(s->c, dup);
    pvb_free(s->c, t);
    return rc;
}

/* ---- loader.conf -------------------------------------------------------- */

static int conf_kv(struct sd *s, void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
    (void)arg;
    if (key_is(k, kn, "default")) {
        if (vn && v[0] == '@' && !(vn == 6 && starts_nocase(v, "@saved"))) {
            pvb_mb_warn(s->b, "/loader/loader.conf", 0, "default %.*s: unsupported special entry, ignored",
                        (int)(vn > 64 ? 64 : vn), v);
            return 0;
        }
        if (set(s, &s->def, v, vn) != 0)
            return s->c->err;
        lower(s->def);
    } else if (key_is(k, kn, "timeout")) {
        unsigned long t = 0;
        size_t i;
        if (key_is(v, vn, "menu-force")) {
            s->timeout = -1;
            return 0;
        }
        if (key_is(v, vn, "menu-hidden") || key_is(v, vn, "menu-disabled")) {
            s->timeout = 0;
            return 0;
        }
        for (i = 0; i < vn && is_digit((unsigned char)v[i]) && t <= 0xfffffffeUL / 10; i++)
            t = t * 10 + (unsigned long)(v[i] - '0');
        if (i == 0 || i != vn || t > 0x7fffffffUL) {
            pvb_mb_warn(s->b, "/loader/loader.conf", 0, "timeout %.*s: not a number, ignored",
                        (int)(vn > 64 ? 64 : vn), v);
            return 0;
        }
        s->timeout = (int)t;
    }
    return 0;
}

/* ---- the menu ----------------------------------------------------------- */

/* Options without the initrd= words (pvboot hands the initrds over itself); a line
 * without any is kept as it is, spacing included. */
static int initrd_word(const char *o, const char *w)
{
    return (w == o || w[-1] == ' ') && strncmp(w, "initrd=", 7) == 0;
}

static char *strip_initrd(struct sd *s, const char *o)
{
    struct pvb_sb b;
    const char *p;

    for (p = o; *p && !initrd_word(o, p); p++)
        ;
    if (!*p)
        return pvb_strndup(s->c, o, strlen(o));
    pvb_sb_init(&b, s->c, s->l->max_var, "systemd-boot options");
    for (p = o; *p;) {
        const char *w;
        while (*p == ' ')
            p++;
        for (w = p; *p && *p != ' '; p++)
            ;
        if (p == w || initrd_word(o, w))
            continue;
        if (b.n)
            pvb_sb_addc(&b, ' ');
        pvb_sb_add(&b, w, (size_t)(p - w));
    }
    return pvb_sb_take(&b);
}

static int add_slice(struct pvb_mb *b, struct pvb_cfg_file *f, const char *dev, const char *path,
                     uint64_t off, uint64_t len)
{
    int rc = pvb_mb_set_file(b, f, dev, path);

    f->slice = 1;
    f->off = off;
    f->len = len;
    return rc;
}

static int emit(struct sd *s, struct sd_ent *v)
{
    struct pvb_mb *b = s->b;
    struct pvb_cfg_entry *e = pvb_mb_add(b);
    const char *args;
    unsigned i;
    int rc = 0;

    if (!e)
        return s->c->err;
    e->line = 0;
    e->loaded = 1;
    if ((rc = pvb_mb_set_str(b, &e->title, v->title_show)) || (rc = pvb_mb_set_str(b, &e->id, v->id)) ||
        (rc = pvb_mb_set_str(b, &e->submenu, "")) || (rc = pvb_mb_set_str(b, &e->classes, "")) ||
        (rc = pvb_mb_set_str(b, &e->file, v->file)))
        return rc;
    if (v->type == SD_EFI)
        return pvb_mb_set_str(b, &e->unbootable, "an EFI program (efi key), not a Linux kernel");
    if (v->unbootable)
        return pvb_mb_set_str(b, &e->unbootable, v->unbootable);
    if (v->uki) {
        if ((rc = add_slice(b, &e->kernel, v->dev, v->loader, v->kofs, v->klen)) != 0)
            return rc;
        if (v->ilen) {
            if ((rc = pvb_mb_add_initrd(b, e, v->dev, v->loader)) != 0)
                return rc;
            e->initrd[e->ninitrd - 1].slice = 1;
            e->initrd[e->ninitrd - 1].off = v->iofs;
            e->initrd[e->ninitrd - 1].len = v->ilen;
        }
    } else if ((rc = pvb_mb_set_file(b, &e->kernel, v->dev, v->loader)) != 0) {
        return rc;
    }
    for (i = 0; i < v->ninitrd; i++)
        if ((rc = pvb_mb_add_initrd(b, e, v->dev, v->initrd[i])) != 0)
            return rc;
    /* The stub uses the options the loader passes (no Secure Boot in a PV guest) and its
     * own .cmdline when none are (a Type #2 entry passes none); add-ons come after. */
    args = v->uki && (v->type2 || !v->options) ? v->cmdline : v->options;
    if (!args)
        args = "";
    if (v->addons && !(args = *args ? join(s, args, v->addons, " ") : v->addons))
        return s->c->err;
    if (!(e->args = strip_initrd(s, args)))
        return s->c->err;
    return 0;
}

static int choose(struct sd *s)
{
    struct pvb_menu *m = s->b->m;
    unsigned i;

    m->timeout = s->timeout == -2 ? 0 : s->timeout;
    if (s->def && strcmp(s->def, "@saved") != 0) {
        if (pvb_mb_set_str(s->b, &m->default_value, s->def) != 0)
            return s->c->err;
        for (i = 0; i < m->count; i++)
            if (pvb_cfg_sd_fnmatch(s->def, m->entries[i].id)) {
                m->chosen = (int)i;
                return pvb_mb_why(s->b, "loader.conf default '%s' matches entry id '%s' (the first in "
                                  "sort order that does)", s->def, m->entries[i].id);
            }
    }
    if (m->count == 0)
        return 0;
    m->chosen = 0;
    if (s->def && strcmp(s->def, "@saved") == 0) {
        if (pvb_mb_set_str(s->b, &m->default_value, "@saved") != 0)
            return s->c->err;
        pvb_mb_warn(s->b, "/loader/loader.conf", 0, "default @saved: LoaderEntryLastBooted is an EFI "
                    "variable, which a PV guest does not have");
        return pvb_mb_why(s->b, "default @saved, but no EFI variables in a PV guest: the first entry "
                          "in sort order");
    }
    if (s->def)
        return pvb_mb_why(s->b, "loader.conf default '%s' matches no entry id: the first entry in sort "
                          "order", s->def);
    return pvb_mb_why(s->b, "no default in loader.conf and no EFI variables (LoaderEntryDefault, "
                      "LoaderEntryOneShot) in a PV guest: the first entry in sort order");
}

/* The XBOOTLDR partition's GPT type (MBR type 0xea): the Boot Loader Specification's
 * Extended Boot Loader Partition, read after the ESP. */
#define XBOOTLDR "bc13c2ff-59e6-4262-a352-b275fd6f7172"

/* The entries of one volume (dev; "" the ESP): EFI/Linux's UKIs, then loader/entries. */
static int scan(struct sd *s, const char *dev)
{
    char **names = NULL;
    unsigned i, n = 0;
    int rc;

    s->dev = dev;
    rc = list(s, "/EFI/Linux", &names, &n);
    for (i = 0; !rc && i < n; i++)
        if (ends_nocase(names[i], ".efi") && !starts_nocase(names[i], "auto-"))
            rc = type2(s, names[i]);
    pvb_free(s->c, names);
    names = NULL;
    n = 0;
    if (!rc)
        rc = list(s, "/loader/entries", &names, &n);
    for (i = 0; !rc && i < n; i++) {
        char *path, *text;
        size_t tlen;
        if (!ends_nocase(names[i], ".conf") || starts_nocase(names[i], "auto-"))
            continue;
        if (!(path = join(s, "/loader/entries", names[i], "/"))) {
            rc = s->c->err;
            break;
        }
        rc = pvb_cfg_read(s->c, s->env, dev, path, s->l->max_config, &text, &tlen);
        if (rc && !pvb_err_fatal(rc)) {
            pvb_mb_warn(s->b, path, 0, "unreadable: %s", s->c->msg);
            pvb_ctx_clear(s->c);
            rc = 0;
            continue;
        }
        if (!rc)
            rc = type1(s, "/loader/entries", names[i], text, tlen);
        pvb_free(s->c, text);
    }
    pvb_free(s->c, names);
    return rc;
}

/*
 * systemd-boot on its ESP: loader.conf, Type #1 entries, Type #2 entries, sorted,
 * titled, one chosen. The buffer is loader.conf when the config found is it;
 * otherwise (systemd-bootx64.efi found) loader.conf is read if present. Entries
 * on an XBOOTLDR partition (found through env->find_type by its partition type) are
 * read after the ESP's; their files are on that partition.
 */
static int eval(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                const struct pvb_cfg_lim *l, const char *buf, size_t len)
{
    struct sd s;
    char *conf = NULL;
    size_t clen = 0;
    unsigned i;
    int rc;

    memset(&s, 0, sizeof(s));
    s.dev = "";
    s.b = b;
    s.c = b->c;
    s.env = env;
    s.l = l;
    s.timeout = -2;
    pvb_arena_init(&s.a, s.c);
    if (ends_nocase(o->path, "/loader.conf")) {
        rc = sd_kv(&s, o->path, buf, len, " \t", conf_kv, NULL);
    } else {
        rc = pvb_cfg_read(s.c, env, "", "/loader/loader.conf", l->max_config, &conf, &clen);
        if (rc == 0)
            rc = sd_kv(&s, "/loader/loader.conf", conf, clen, " \t", conf_kv, NULL);
        else if (!pvb_err_fatal(rc)) {
            pvb_ctx_clear(s.c);
            rc = 0;
        }
        pvb_free(s.c, conf);
    }
    /* The ESP, then an XBOOTLDR partition: Type #2 entries, then Type #1 (boot.c's
     * config_load_all_entries; the order only matters between equal ids). */
    if (!rc)
        rc = scan(&s, "");
    if (!rc && env->find_type) {
        char dev[32];
        int k = env->find_type(env->arg, s.c, XBOOTLDR, 0xea, dev, sizeof(dev));
        if (k == 0 && dev[0] && !pvb_cfg_dev_same(dev, o->device)) {
            if (!(s.dev = pvb_arena_strndup(&s.a, dev, strlen(dev))))
                rc = s.c->err;
            else
                rc = scan(&s, s.dev);
            s.dev = "";
        } else if (k && pvb_err_fatal(k)) {
            rc = k;
        } else {
            pvb_ctx_clear(s.c);
        }
    }
    if (!rc)
        rc = sort_entries(&s);
    if (!rc)
        rc = titles(&s);
    for (i = 0; !rc && i < s.n; i++)
        rc = emit(&s, s.v[i]);
    if (!rc)
        rc = choose(&s);
    free_initrds(&s);
    pvb_free(s.c, s.v);
    pvb_free(s.c, s.names);
    pvb_arena_free(&s.a);
    return rc;
}

static const char *const paths[] = {
    "/loader/loader.conf", "/EFI/systemd/systemd-bootx64.efi", NULL
};
static const char *const names[] = { "loader.conf", NULL };

const struct pvb_cfg_engine pvb_engine_sdboot = {
    .name = "sdboot", .paths = paths, .names = names, .eval = eval,
};
