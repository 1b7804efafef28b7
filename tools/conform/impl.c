/* SPDX-License-Identifier: GPL-2.0-only */
/* Implementation files (tools/conform/impls/NAME): a pygrub-compatible program and its limits. */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contain.h"
#include "impl.h"
#include "kv.h"
#include "util/mem.h"

#define IMPL_MAX (256 * 1024)
#define MAX_WORDS 64
#define MAX_ENV 64
#define MAX_DIVERGE 4096

static void free_vec(struct pvb_ctx *c, char **v)
{
    size_t i;

    for (i = 0; v && v[i]; i++)
        pvb_free(c, v[i]);
    pvb_free(c, v);
}

/* Append s (n bytes) to the NULL-terminated vector *v of *n entries. */
static int vec_add(struct pvb_ctx *c, char ***v, size_t *n, const char *s, size_t len)
{
    char **nv = pvb_realloc(c, *v, (*n + 2) * sizeof(**v), "vector");

    if (!nv)
        return c->err;
    *v = nv;
    if (!(nv[*n] = pvb_strndup(c, s, len)))
        return c->err;
    nv[++*n] = NULL;
    return 0;
}

int cf_impl_set_command(struct pvb_ctx *c, struct cf_impl *im, const char *command)
{
    const char *p = command;
    char **argv = NULL;
    size_t n = 0;
    int rc = 0;

    while (*p) {
        size_t w;
        p += strspn(p, " \t");
        w = strcspn(p, " \t");
        if (w == 0)
            break;
        if (n == MAX_WORDS)
            rc = pvb_fail(c, PVB_ELIMIT, "command: more than %d words", MAX_WORDS);
        else
            rc = vec_add(c, &argv, &n, p, w);
        if (rc)
            break;
        p += w;
    }
    if (rc == 0 && n == 0)
        rc = pvb_fail(c, PVB_EINVAL, "%s: empty command", im->name ? im->name : "impl");
    if (rc == 0 && !(p = cf_strdup(c, command)))
        rc = c->err;
    if (rc) {
        free_vec(c, argv);
        return rc;
    }
    free_vec(c, im->argv);
    pvb_free(c, im->command);
    im->argv = argv;
    im->command = (char *)p;
    return 0;
}

static int parse_diverge(struct pvb_ctx *c, const char *path, unsigned line, const char *v,
                         size_t n, struct cf_diverge *d)
{
    size_t g = 0, k, e;
    const char *cls;

    memset(d, 0, sizeof(*d));
    while (g < n && v[g] != ' ' && v[g] != '\t')
        g++;
    for (k = g; k < n && (v[k] == ' ' || v[k] == '\t'); k++)
        ;
    for (e = k; e < n && v[e] != ' ' && v[e] != '\t'; e++)
        ;
    if (g == 0 || e == k)
        return pvb_fail(c, PVB_ESYNTAX, "%s:%u: want \"diverge: GLOB CLASS[,CLASS] REASON\"", path, line);
    for (cls = v + k; cls < v + e;) {
        size_t w = 0;
        int kind;
        while (cls + w < v + e && cls[w] != ',')
            w++;
        if (w == 1 && *cls == '*')
            d->classes |= CF_FAILURE_CLASSES;
        else if ((kind = cf_class_parse(cls, w)) < 0 || !((1u << kind) & CF_FAILURE_CLASSES))
            return pvb_fail(c, PVB_ESYNTAX, "%s:%u: \"%.*s\" is not a failure class", path, line,
                            (int)w, cls);
        else
            d->classes |= 1u << kind;
        cls += w + 1;
    }
    while (e < n && (v[e] == ' ' || v[e] == '\t'))
        e++;
    if (e == n)
        return pvb_fail(c, PVB_ESYNTAX, "%s:%u: a divergence needs a reason", path, line);
    d->glob = pvb_strndup(c, v, g);
    d->reason = pvb_strndup(c, v + e, n - e);
    return d->glob && d->reason ? 0 : c->err;
}

static int parse_number(struct pvb_ctx *c, const char *path, unsigned line,
                        const struct cf_kv_line *l, double max, double *out)
{
    char buf[32], *end;

    if (l->vlen == 0 || l->vlen >= sizeof(buf))
        return pvb_fail(c, PVB_ESYNTAX, "%s:%u: bad number", path, line);
    memcpy(buf, l->val, l->vlen);
    buf[l->vlen] = '\0';
    errno = 0;
    *out = strtod(buf, &end);
    if (*end || errno || !(*out >= 0) || *out > max)
        return pvb_fail(c, PVB_ESYNTAX, "%s:%u: \"%s\" is not a number in 0..%g", path, line, buf, max);
    return 0;
}

static int add_diverge(struct pvb_ctx *c, struct cf_kv *r, const struct cf_kv_line *l,
                       struct cf_impl *im)
{
    struct cf_diverge *nd;

    if (im->ndiv == MAX_DIVERGE)
        return pvb_fail(c, PVB_ELIMIT, "%s:%u: more than %d divergences", r->path, r->line, MAX_DIVERGE);
    nd = pvb_realloc(c, im->div, (im->ndiv + 1) * sizeof(*nd), "divergences");
    if (!nd)
        return c->err;
    im->div = nd;
    if (parse_diverge(c, r->path, r->line, l->val, l->vlen, &nd[im->ndiv])) {
        pvb_free(c, nd[im->ndiv].glob);
        pvb_free(c, nd[im->ndiv].reason);
        return c->err;
    }
    im->ndiv++;
    return 0;
}

static int set_line(struct pvb_ctx *c, struct cf_kv *r, const struct cf_kv_line *l,
                    struct cf_impl *im, size_t *nenv)
{
    double d = 0;
    char *s;
    int rc;

    if (cf_kv_is(l, "diverge"))
        return add_diverge(c, r, l, im);
    if (cf_kv_is(l, "env")) {
        const char *eq = memchr(l->val, '=', l->vlen);
        if (!eq || eq == l->val || *nenv == MAX_ENV)
            return pvb_fail(c, PVB_ESYNTAX, "%s:%u: want \"env: NAME=VALUE\"", r->path, r->line);
        return vec_add(c, &im->env, nenv, l->val, l->vlen);
    }
    if (cf_kv_is(l, "timeout") || cf_kv_is(l, "mem") || cf_kv_is(l, "fsize") || cf_kv_is(l, "nproc")) {
        int t = cf_kv_is(l, "timeout");
        if ((rc = parse_number(c, r->path, r->line, l, t ? 86400 : 1 << 22, &d)) != 0)
            return rc;
        if (t && d <= 0)
            return pvb_fail(c, PVB_ESYNTAX, "%s:%u: timeout must be above 0", r->path, r->line);
        if (t)
            im->timeout = d;
        else if (cf_kv_is(l, "mem"))
            im->mem_mb = (unsigned long)d;
        else if (cf_kv_is(l, "nproc"))
            im->nproc = (unsigned long)d;
        else
            im->fsize_mb = (unsigned long)d;
        return 0;
    }
    if (!(s = pvb_strndup(c, l->val, l->vlen)))
        return c->err;
    rc = 0;
    if (cf_kv_is(l, "name") && !im->name) {
        im->name = s;
        s = NULL;
    } else if (cf_kv_is(l, "command") && !im->command) {
        rc = cf_impl_set_command(c, im, s);
    } else if (cf_kv_is(l, "formats")) {
        pvb_free(c, im->formats);
        im->formats = cf_printf(c, " %s ", s);  /* cf_impl_reads looks for " NAME " */
        rc = im->formats ? 0 : c->err;
    } else if (cf_kv_is(l, "version") && !im->version_cmd) {
        im->version_cmd = s;
        s = NULL;
    } else if (cf_kv_is(l, "run-as-user") && !im->run_as && *s) {
        im->run_as = s;
        s = NULL;
    } else if (!cf_kv_is(l, "about")) {  /* about: for people reading the file */
        rc = pvb_fail(c, PVB_ESYNTAX, "%s:%u: unknown or repeated key \"%.*s\"", r->path, r->line,
                      (int)l->klen, l->key);
    }
    pvb_free(c, s);
    return rc;
}

static int defaults(struct pvb_ctx *c, struct cf_impl *im)
{
    im->timeout = CF_IMPL_TIMEOUT;
    im->mem_mb = CF_IMPL_MEM_MB;
    im->fsize_mb = CF_IMPL_FSIZE_MB;
    im->nproc = CF_IMPL_NPROC;
    im->formats = cf_strdup(c, " raw ");
    return im->formats ? 0 : c->err;
}

static int check_name(struct pvb_ctx *c, const char *path, const char *name)
{
    const char *p;

    for (p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("._+-", *p)))
            break;
    if (!*name || *p)
        return pvb_fail(c, PVB_ESYNTAX, "%s: impl name \"%s\" is not [A-Za-z0-9._+-]+", path, name);
    return 0;
}

int cf_impl_parse(struct pvb_ctx *c, const char *path, const char *text, size_t len,
                  struct cf_impl *im)
{
    struct cf_kv r;
    struct cf_kv_line l;
    size_t nenv = 0;
    int rc;

    memset(im, 0, sizeof(*im));
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.buf = text;
    r.len = len;
    rc = defaults(c, im);
    while (rc == 0 && (rc = cf_kv_next(c, &r, &l)) == 1)
        rc = set_line(c, &r, &l, im, &nenv);
    if (rc == 0 && (!im->name || !im->command))
        rc = pvb_fail(c, PVB_ESYNTAX, "%s: \"name\" and \"command\" are required", path);
    if (rc == 0)
        rc = check_name(c, path, im->name);
    if (rc == 0 && !(im->file = cf_strdup(c, path)))
        rc = c->err;
    if (rc)
        cf_impl_free(c, im);
    return rc;
}

int cf_impl_load(struct pvb_ctx *c, const char *path, struct cf_impl *im)
{
    char *text;
    size_t len;
    int rc;

    rc = cf_read_file(c, path, IMPL_MAX, &text, &len);
    if (rc)
        return rc;
    rc = cf_impl_parse(c, path, text, len, im);
    pvb_free(c, text);
    return rc;
}

int cf_impl_adhoc(struct pvb_ctx *c, const char *spec, struct cf_impl *im)
{
    const char *eq = strchr(spec, '=');
    int rc;

    memset(im, 0, sizeof(*im));
    if (!eq || eq == spec)
        return pvb_fail(c, PVB_EINVAL, "--impl %s: want NAME=COMMAND", spec);
    rc = defaults(c, im);
    if (rc == 0 && !(im->name = pvb_strndup(c, spec, (size_t)(eq - spec))))
        rc = c->err;
    if (rc == 0)
        rc = check_name(c, "--impl", im->name);
    if (rc == 0)
        rc = cf_impl_set_command(c, im, eq + 1);
    if (rc)
        cf_impl_free(c, im);
    return rc;
}

/* An executable regular file. */
static int runnable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* argv[0] searched in PATH, as execvp would. */
static char *search_path(struct pvb_ctx *c, const char *cmd)
{
    const char *p = getenv("PATH");

    if (!p)
        p = "/usr/bin:/bin";
    while (*p) {
        size_t n = strcspn(p, ":");
        char *full = cf_printf(c, "%.*s/%s", (int)n, n ? p : ".", cmd);
        if (!full)
            return NULL;
        if (runnable(full))
            return full;
        pvb_free(c, full);
        p += n + (p[n] == ':');
    }
    return NULL;
}

int cf_impl_locate(struct pvb_ctx *c, struct cf_impl *im)
{
    const char *cmd = im->argv[0];
    char cwd[4096], *full = NULL;

    pvb_free(c, im->missing);
    im->missing = NULL;
    if (!strchr(cmd, '/')) {
        full = search_path(c, cmd);
    } else if (cmd[0] == '/') {
        full = cf_strdup(c, cmd);
    } else if (getcwd(cwd, sizeof(cwd))) {
        full = cf_printf(c, "%s/%s", cwd, cmd);
    }
    if (!full || !runnable(full)) {
        pvb_free(c, full);
        im->missing = cf_printf(c, "%s: not found or not executable", cmd);
        return im->missing ? 0 : c->err;
    }
    pvb_free(c, im->argv[0]);
    im->argv[0] = full;
    return 0;
}

int cf_impl_reads(const struct cf_impl *im, const char *format)
{
    const char *p = im->formats;
    size_t n = strlen(format);

    if (n == 0 || strchr(format, ' '))
        return 0;
    while ((p = strstr(p, format)) != NULL) {
        if (p[-1] == ' ' && p[n] == ' ')
            return 1;
        p += n;
    }
    return 0;
}

const struct cf_diverge *cf_impl_diverge(const struct cf_impl *im, const char *case_name,
                                         unsigned classes)
{
    size_t i;

    for (i = 0; i < im->ndiv; i++)
        if ((im->div[i].classes & classes) && fnmatch(im->div[i].glob, case_name, 0) == 0)
            return &im->div[i];
    return NULL;
}

void cf_impl_free(struct pvb_ctx *c, struct cf_impl *im)
{
    size_t i;

    for (i = 0; i < im->ndiv; i++) {
        pvb_free(c, im->div[i].glob);
        pvb_free(c, im->div[i].reason);
    }
    pvb_free(c, im->div);
    free_vec(c, im->argv);
    free_vec(c, im->env);
    pvb_free(c, im->name);
    pvb_free(c, im->file);
    pvb_free(c, im->command);
    pvb_free(c, im->formats);
    pvb_free(c, im->version_cmd);
    pvb_free(c, im->version);
    pvb_free(c, im->missing);
    pvb_free(c, im->run_as);
    pvb_free(c, im->user);
    memset(im, 0, sizeof(*im));
}

int cf_impl_set_user(struct pvb_ctx *c, struct cf_impl *im, const char *spec)
{
    char *label = NULL, *copy = NULL;
    uid_t uid;
    gid_t gid;
    int rc;

    if (spec && !(copy = cf_strdup(c, spec)))
        return c->err;
    if (!spec)
        spec = im->run_as;
    if (!spec) {
        pvb_free(c, copy);
        return 0;
    }
    if ((rc = cf_contain_user(c, spec, &uid, &gid, &label)) != 0) {
        pvb_ctx_prefix(c, "%s: ", im->name);
        pvb_free(c, copy);
        return rc;
    }
    /* Only root can start a program as another user; anyone as himself. */
    if (geteuid() != 0 && uid != geteuid()) {
        pvb_free(c, copy);
        pvb_free(c, label);
        return pvb_fail(c, PVB_EINVAL, "%s: run-as-user %s: only root can run a program as another user",
                        im->name, spec);
    }
    if (copy) {
        pvb_free(c, im->run_as);
        im->run_as = copy;
    }
    pvb_free(c, im->user);
    im->user = label;
    im->uid = uid;
    im->gid = gid;
    return 0;
}
