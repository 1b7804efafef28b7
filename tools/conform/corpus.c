/* SPDX-License-Identifier: GPL-2.0-only */
/* The corpus: every .expect under a directory, filtered by case-name globs, sorted by name. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus.h"
#include "expect.h"
#include "util/mem.h"

#define MAX_DEPTH 16
#define MAX_CASES 100000

struct loader {
    struct pvb_ctx *c;
    const struct cf_select *sel;
    struct cf_case *v;
    size_t n, cap;
};

static int any_match(char *const *globs, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (fnmatch(globs[i], name, 0) == 0)
            return 1;
    return 0;
}

static int wanted(const struct loader *l, const char *name)
{
    const struct cf_select *s = l->sel;

    return (s->ninclude == 0 || any_match(s->include, s->ninclude, name)) &&
           !any_match(s->exclude, s->nexclude, name);
}

static int add_case(struct loader *l, const char *path)
{
    struct pvb_ctx *c = l->c;
    struct cf_case k;
    struct stat st;
    int rc;

    if ((rc = cf_expect_load(c, path, &k)) != 0)
        return rc;
    if (!wanted(l, k.name)) {
        cf_case_free(c, &k);
        return 0;
    }
    if (stat(k.image, &st) != 0)
        rc = pvb_fail(c, PVB_ENOTFOUND, "%s: image %s: %s", path, k.image, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = pvb_fail(c, PVB_EINVAL, "%s: image %s: not a regular file", path, k.image);
    else if (l->n == MAX_CASES)
        rc = pvb_fail(c, PVB_ELIMIT, "more than %d cases", MAX_CASES);
    if (rc == 0 && l->n == l->cap) {
        size_t ncap = l->cap ? 2 * l->cap : 64;
        struct cf_case *nv = pvb_realloc(c, l->v, ncap * sizeof(*nv), "cases");
        if (nv) {
            l->v = nv;
            l->cap = ncap;
        } else {
            rc = c->err;
        }
    }
    if (rc) {
        cf_case_free(c, &k);
        return rc;
    }
    l->v[l->n++] = k;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Depth-first over real directories (symlinked ones are not followed, so
 * there is no cycle); hidden entries skipped. */
static int walk(struct loader *l, const char *dir, unsigned depth)
{
    struct dirent *e;
    DIR *d;
    int rc = 0;

    if (depth > MAX_DEPTH)
        return pvb_fail(l->c, PVB_ELIMIT, "%s: more than %d levels deep", dir, MAX_DEPTH);
    if (!(d = opendir(dir)))
        return pvb_fail(l->c, PVB_ENOTFOUND, "%s: %s", dir, strerror(errno));
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        char *path;

        if (e->d_name[0] == '.')
            continue;
        if (!(path = cf_printf(l->c, "%s/%s", dir, e->d_name))) {
            rc = l->c->err;
            break;
        }
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk(l, path, depth + 1);
        else if (ends_with(e->d_name, ".expect"))
            rc = add_case(l, path);
        pvb_free(l->c, path);
    }
    closedir(d);
    return rc;
}

/* By name, then by .expect path, so that the order never depends on readdir. */
static int by_name(const void *a, const void *b)
{
    const struct cf_case *x = a, *y = b;
    int d = strcmp(x->name, y->name);

    return d ? d : strcmp(x->expect, y->expect);
}

int cf_corpus_load(struct pvb_ctx *c, const char *dir, const struct cf_select *sel,
                   struct cf_case **cases, size_t *n)
{
    struct loader l;
    size_t i;
    int rc;

    memset(&l, 0, sizeof(l));
    l.c = c;
    l.sel = sel;
    rc = walk(&l, dir, 0);
    if (rc == 0 && l.n > 1) {
        qsort(l.v, l.n, sizeof(*l.v), by_name);
        for (i = 1; i < l.n && rc == 0; i++)
            if (strcmp(l.v[i - 1].name, l.v[i].name) == 0)
                rc = pvb_fail(c, PVB_EINVAL, "case %s: in both %s and %s", l.v[i].name,
                              l.v[i - 1].expect, l.v[i].expect);
    }
    if (rc) {
        cf_corpus_free(c, l.v, l.n);
        return rc;
    }
    *cases = l.v;
    *n = l.n;
    return 0;
}

void cf_corpus_free(struct pvb_ctx *c, struct cf_case *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        cf_case_free(c, &cases[i]);
    pvb_free(c, cases);
}
