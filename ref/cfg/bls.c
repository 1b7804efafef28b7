/* Boot Loader Specification entries as Fedora/RHEL blscfg reads, sorts and expands them. */
#include <string.h>

#include "cfg/cfgint.h"

static int add_kv(struct pvb_ctx *c, struct bls_entry *e, const char *k, size_t kn, const char *v,
                  size_t vn)
{
    if (e->n == e->cap) {
        unsigned cap = e->cap ? 2 * e->cap : 8;
        char **nk = pvb_realloc(c, e->keys, cap * sizeof(char *), "BLS entry");
        char **nv;
        if (!nk)
            return c->err;
        e->keys = nk;
        nv = pvb_realloc(c, e->vals, cap * sizeof(char *), "BLS entry");
        if (!nv)
            return c->err;
        e->vals = nv;
        e->cap = cap;
    }
    e->keys[e->n] = pvb_strndup(c, k, kn);
    e->vals[e->n] = pvb_strndup(c, v, vn);
    if (!e->keys[e->n] || !e->vals[e->n]) {
        pvb_free(c, e->keys[e->n]);
        pvb_free(c, e->vals[e->n]);
        return c->err;
    }
    e->n++;
    return 0;
}

/*
 * blscfg.c read_entry: each line (CRs dropped by grub_file_getline) has its
 * leading blanks skipped; '#' lines are skipped; the key ends at the first
 * space, or the first tab when there is no space; blanks after it are
 * skipped. A line with no separator, or nothing after it (an empty line
 * too), ends the file. Every key=value is kept in order.
 */
int pvb_cfg_bls_parse(struct pvb_ctx *c, const char *id, const char *buf, size_t len,
                      struct bls_entry *e)
{
    const char *p = buf, *end = buf + len;
    char line[4096];
    int rc;

    memset(e, 0, sizeof(*e));
    if (!(e->id = pvb_strndup(c, id, strlen(id))))
        return c->err;
    while (p < end) {
        size_t n = 0;
        const char *s, *sep;
        while (p < end && *p != '\n') {
            if (*p != '\r' && n < sizeof(line) - 1)
                line[n++] = *p;
            p++;
        }
        if (p < end)
            p++;
        line[n] = '\0';
        s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#')
            continue;
        sep = strchr(s, ' ');
        if (!sep)
            sep = strchr(s, '\t');
        if (!sep || sep[1] == '\0')
            break;
        {
            const char *v = sep + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            if ((rc = add_kv(c, e, s, (size_t)(sep - s), v, strlen(v))) != 0)
                return rc;
        }
    }
    return 0;
}

void pvb_cfg_bls_entry_free(struct pvb_ctx *c, struct bls_entry *e)
{
    unsigned i;

    for (i = 0; i < e->n; i++) {
        pvb_free(c, e->keys[i]);
        pvb_free(c, e->vals[i]);
    }
    pvb_free(c, e->keys);
    pvb_free(c, e->vals);
    pvb_free(c, e->id);
    memset(e, 0, sizeof(*e));
}

const char *pvb_cfg_bls_get(const struct bls_entry *e, const char *key, int *last)
{
    unsigned i = last ? (unsigned)(*last + 1) : 0;

    for (; i < e->n; i++)
        if (strcmp(e->keys[i], key) == 0) {
            if (last)
                *last = (int)i;
            return e->vals[i];
        }
    if (last)
        *last = -1;
    return NULL;
}

static int isalpha_(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int isdigit_(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* rpmvercmp as blscfg copies it: segments of digits or letters, '~' lowest. */
int pvb_cfg_vercmp(const char *a, const char *b)
{
    const char *one = a, *two = b, *s1, *s2;
    size_t l1, l2;
    int isnum, rc;

    if (strcmp(a, b) == 0)
        return 0;
    while (*one || *two) {
        while (*one && !isalpha_(*one) && !isdigit_(*one) && *one != '~')
            one++;
        while (*two && !isalpha_(*two) && !isdigit_(*two) && *two != '~')
            two++;
        if (*one == '~' || *two == '~') {
            if (*one != '~')
                return 1;
            if (*two != '~')
                return -1;
            one++;
            two++;
            continue;
        }
        if (!(*one && *two))
            break;
        s1 = one;
        s2 = two;
        isnum = isdigit_(*s1);
        if (isnum) {
            while (isdigit_(*s1))
                s1++;
            while (isdigit_(*s2))
                s2++;
        } else {
            while (isalpha_(*s1))
                s1++;
            while (isalpha_(*s2))
                s2++;
        }
        if (two == s2)
            return isnum ? 1 : -1;   /* numeric segments are newer than alpha ones */
        if (isnum) {
            while (*one == '0' && one < s1)
                one++;
            while (*two == '0' && two < s2)
                two++;
            l1 = (size_t)(s1 - one);
            l2 = (size_t)(s2 - two);
            if (l1 != l2)
                return l1 > l2 ? 1 : -1;
            rc = memcmp(one, two, l1);
        } else {
            l1 = (size_t)(s1 - one);
            l2 = (size_t)(s2 - two);
            rc = memcmp(one, two, l1 < l2 ? l1 : l2);
            if (rc == 0 && l1 != l2)
                rc = l1 < l2 ? -1 : 1;
        }
        if (rc)
            return rc < 0 ? -1 : 1;
        one = s1;
        two = s2;
    }
    if (!*one && !*two)
        return 0;
    return *one ? 1 : -1;
}

/* blscfg split_package_string: name-version-release at the last two '-'. */
static void split_nvr(char *s, const char **name, const char **ver, const char **rel)
{
    char *r = strrchr(s, '-'), *v;

    *rel = NULL;
    if (r) {
        *r++ = '\0';
        *rel = r;
    }
    v = strrchr(s, '-');
    *ver = NULL;
    if (v) {
        *v++ = '\0';
        *ver = v;
    }
    *name = s;
    /* "Bubble up" the values present, as blscfg does for short names. */
    if (!*ver) {
        *ver = *rel;
        *rel = NULL;
    }
}

static int cmp_rhel9(const struct bls_entry *a, const struct bls_entry *b)
{
    char x[1024], y[1024];
    const char *n0, *v0, *r0, *n1, *v1, *r1;
    int rc;

    strncpy(x, a->id, sizeof(x) - 1);
    x[sizeof(x) - 1] = '\0';
    strncpy(y, b->id, sizeof(y) - 1);
    y[sizeof(y) - 1] = '\0';
    split_nvr(x, &n0, &v0, &r0);
    split_nvr(y, &n1, &v1, &r1);
    if ((rc = pvb_cfg_vercmp(n0, n1)) != 0)
        return rc;
    if ((rc = pvb_cfg_vercmp(v0 ? v0 : "", v1 ? v1 : "")) != 0)
        return rc;
    return pvb_cfg_vercmp(r0 ? r0 : "", r1 ? r1 : "");
}

static int cmp_rhel8(const struct bls_entry *a, const struct bls_entry *b, int use_version)
{
    int rc;

    if (use_version &&
        (rc = pvb_cfg_vercmp(pvb_cfg_bls_get(a, "version", NULL),
                             pvb_cfg_bls_get(b, "version", NULL))) != 0)
        return rc;
    return pvb_cfg_vercmp(a->id, b->id);
}

/*
 * Newest first. RHEL 9 (bls_add_entry) inserts each entry before the first
 * older one and drops an entry that compares equal to one already kept.
 * RHEL 8 sorts with `version` first when every entry has one, then the file
 * name (a stable insertion sort stands in for grub_qsort; equal keys keep
 * directory order).
 */
unsigned pvb_cfg_bls_sort(struct bls_entry **v, unsigned n, int rhel8)
{
    unsigned i, j, kept = 0;
    int use_version = 1;

    if (rhel8) {
        for (i = 0; i < n; i++)
            if (!pvb_cfg_bls_get(v[i], "version", NULL))
                use_version = 0;
        for (i = 1; i < n; i++) {
            struct bls_entry *e = v[i];
            for (j = i; j > 0 && cmp_rhel8(v[j - 1], e, use_version) < 0; j--)
                v[j] = v[j - 1];
            v[j] = e;
        }
        return n;
    }
    /* v[0..kept) sorted, v[kept..i) dropped, v[i] the next one. */
    for (i = 0; i < n; i++) {
        struct bls_entry *e = v[i];
        int rc = -1;
        for (j = 0; j < kept; j++)
            if ((rc = cmp_rhel9(e, v[j])) >= 0)
                break;
        if (j < kept && rc == 0)
            continue;   /* the same version as a kept entry: dropped */
        memmove(&v[j + 1], &v[j], (i - j) * sizeof(*v));
        v[j] = e;
        kept++;
    }
    return kept;
}

/*
 * blscfg expand_val. The loop tracks start/end of the current field; a
 * field is appended only when start != end, so a one-character variable or
 * literal at the very end is lost. Every variable's value is followed by one
 * space and one space after a variable name is skipped: grub2 2.02-80 on (RHEL 8.2
 * and later, RHEL 9, Fedora 32+). RHEL 8.0/8.1 appended neither and ran
 * "$kernelopts $tuned_params" together; those releases are not modelled.
 */
static int field(struct pvb_sb *b, int is_var, const char *start, const char *end, cfg_get_fn get,
                 void *arg)
{
    char name[256];
    size_t n = end >= start ? (size_t)(end - start + 1) : 0;
    const char *v;

    if (!is_var)
        return pvb_sb_add(b, start, n);
    if (n >= sizeof(name))
        n = sizeof(name) - 1;
    memcpy(name, start, n);
    name[n] = '\0';
    v = get(arg, name);
    if (!v)
        return 0;
    pvb_sb_add(b, v, strlen(v));   /* makes the buffer even for "" (field_append strdup's it) */
    return pvb_sb_addc(b, ' ');
}

char *pvb_cfg_bls_expand(struct pvb_ctx *c, const char *val, cfg_get_fn get, void *arg,
                         size_t max)
{
    const char *start = val, *end = val, *p = val;
    int is_var = 0;
    struct pvb_sb b;
    char *r;

    pvb_sb_init(&b, c, max, "BLS options");
    for (; *p; p++) {
        if (*p == '$') {
            if (start != end)
                field(&b, is_var, start, end, get, arg);
            is_var = 1;
            start = p + 1;
        } else if (is_var && !(isalpha_(*p) || isdigit_(*p) || *p == '_')) {
            field(&b, is_var, start, end, get, arg);
            is_var = 0;
            start = p;
            if (*start == ' ')
                start++;
        }
        end = p;
    }
    if (start != end)
        field(&b, is_var, start, end, get, arg);
    if (!b.p && !b.err) {
        /* Nothing appended: expand_val returns NULL (and blscfg may use default_kernelopts). */
        pvb_fail(c, PVB_ENOTFOUND, "BLS options: empty");
        return NULL;
    }
    r = pvb_sb_take(&b);
    return r;
}
