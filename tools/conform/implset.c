/* SPDX-License-Identifier: GPL-2.0-only */
/* The implementations of a run: impl files or a directory of them, --impl overrides, located and versioned. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "impl.h"
#include "implset.h"
#include "proc.h"
#include "util/mem.h"

#define VERSION_TIMEOUT 10.0

struct set {
    struct cf_impl *v;
    size_t n;
};

/* Every regular file of dir, in name order; README*, dot files and backups skipped. */
static int dir_files(struct pvb_ctx *c, const char *dir, char **names, size_t *n)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    size_t j;
    int rc = 0;

    *n = 0;
    if (!d)
        return pvb_fail(c, PVB_ENOTFOUND, "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL && *n < CF_IMPLSET_MAX) {
        struct stat st;
        char *p;
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "README", 6) || e->d_name[strlen(e->d_name) - 1] == '~')
            continue;
        if (!(p = cf_printf(c, "%s/%s", dir, e->d_name))) {
            rc = c->err;
            break;
        }
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            pvb_free(c, p);
            continue;
        }
        for (j = (*n)++; j > 0 && strcmp(names[j - 1], p) > 0; j--)  /* insertion sort */
            names[j] = names[j - 1];
        names[j] = p;
    }
    closedir(d);
    return rc;
}

static int find(const struct set *s, const char *name, size_t n)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (strlen(s->v[i].name) == n && !strncmp(s->v[i].name, name, n))
            return (int)i;
    return -1;
}

static int add(struct pvb_ctx *c, struct set *s, struct cf_impl *im)
{
    struct cf_impl *nv;

    if (find(s, im->name, strlen(im->name)) >= 0) {
        pvb_fail(c, PVB_EINVAL, "two implementations named %s", im->name);
        cf_impl_free(c, im);
        return c->err;
    }
    if (!(nv = pvb_realloc(c, s->v, (s->n + 1) * sizeof(*nv), "impls"))) {
        cf_impl_free(c, im);
        return c->err;
    }
    s->v = nv;
    nv[s->n++] = *im;
    return 0;
}

void cf_impl_run_version(struct pvb_ctx *c, struct cf_impl *im)
{
    /* $1 of the command is the implementation's program, as located. */
    char *argv[6] = { "/bin/sh", "-c", NULL, "version", NULL, NULL };
    struct cf_limits lim;
    struct cf_proc p;
    const char *s;

    memset(&lim, 0, sizeof(lim));
    lim.timeout = VERSION_TIMEOUT;
    lim.capture = 4096;
    lim.flood = 1 << 20;
    argv[2] = im->version_cmd;
    argv[4] = im->argv[0];
    if (cf_proc_run(c, &p, argv, im->env, NULL, &lim) == 0) {
        s = p.out.len ? p.out.buf : p.err.buf;
        s += strspn(s, " \t\n");
        if (*s && p.have_exit && !p.timed_out)
            im->version = cf_printf(c, "%.*s", (int)strcspn(s, "\r\n"), s);
    }
    cf_proc_free(c, &p);
}

static int load_files(struct pvb_ctx *c, char *const *files, size_t n, struct set *s)
{
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < n; i++) {
        struct cf_impl im;
        if ((rc = cf_impl_load(c, files[i], &im)) == 0)
            rc = add(c, s, &im);
    }
    return rc;
}

int cf_implset_load(struct pvb_ctx *c, const struct cf_implset_sel *sel, struct cf_impl **impls,
                    size_t *n)
{
    struct set s = { NULL, 0 };
    char *names[CF_IMPLSET_MAX] = { NULL };
    size_t nnames = 0, i;
    int rc = 0, k;

    if (sel->nspecs == 0 && sel->nfiles == 0) {
        rc = dir_files(c, sel->dir, names, &nnames);
        if (rc == 0)
            rc = load_files(c, names, nnames, &s);
        for (i = 0; i < nnames; i++)
            pvb_free(c, names[i]);
    }
    if (rc == 0)
        rc = load_files(c, sel->files, sel->nfiles, &s);
    for (i = 0; rc == 0 && i < sel->nspecs; i++) {
        struct cf_impl im;
        char *eq = strchr(sel->specs[i], '=');
        k = eq ? find(&s, sel->specs[i], (size_t)(eq - sel->specs[i])) : -1;
        if (k >= 0)
            rc = cf_impl_set_command(c, &s.v[k], eq + 1);
        else if ((rc = cf_impl_adhoc(c, sel->specs[i], &im)) == 0)
            rc = add(c, &s, &im);
    }
    for (i = 0; rc == 0 && i < s.n; i++) {
        struct cf_impl *im = &s.v[i];
        if (sel->timeout > 0)
            im->timeout = sel->timeout;
        if (sel->mem_mb >= 0)
            im->mem_mb = (unsigned long)sel->mem_mb;
        if ((rc = cf_impl_set_user(c, im, sel->run_as)) != 0)
            break;
        if ((rc = cf_impl_locate(c, im)) == 0 && !im->missing && im->version_cmd)
            cf_impl_run_version(c, im);
    }
    if (rc) {
        cf_implset_free(c, s.v, s.n);
        return rc;
    }
    *impls = s.v;
    *n = s.n;
    return 0;
}

void cf_implset_free(struct pvb_ctx *c, struct cf_impl *impls, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        cf_impl_free(c, &impls[i]);
    pvb_free(c, impls);
}
