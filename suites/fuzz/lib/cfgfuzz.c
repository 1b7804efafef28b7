/* The config fuzz targets' environment: files packed into the input, served from memory. */
#include <stdlib.h>
#include <string.h>

#include "../cfgfuzz.h"
#include "../fuzz.h"
#include "util/mem.h"

void cfgfuzz_split(struct cfgfuzz *f, const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *sep;

    memset(f, 0, sizeof(*f));
    sep = memchr(p, CFGFUZZ_SEP, size);
    f->config = p;
    f->config_len = sep ? (size_t)(sep - p) : size;
    while (sep && f->n < CFGFUZZ_FILES) {
        const char *start = sep + 1, *nl;
        sep = memchr(start, CFGFUZZ_SEP, (size_t)(end - start));
        nl = memchr(start, '\n', (size_t)((sep ? sep : end) - start));
        if (!nl)
            continue;
        f->path[f->n] = start;
        f->plen[f->n] = (size_t)(nl - start);
        f->data[f->n] = nl + 1;
        f->dlen[f->n] = (size_t)((sep ? sep : end) - nl - 1);
        f->n++;
    }
}

static int on_dev(const char *dev)
{
    return !dev[0] || pvb_cfg_dev_same(dev, "hd0,msdos1");
}

static int read_file(void *arg, struct pvb_ctx *c, const char *dev, const char *path, size_t max,
                     char **buf, size_t *len)
{
    struct cfgfuzz *f = arg;
    size_t n = strlen(path);
    unsigned i;

    for (i = 0; on_dev(dev) && i < f->n; i++) {
        if (f->plen[i] != n || memcmp(f->path[i], path, n) != 0)
            continue;
        if (f->dlen[i] > max)
            return pvb_fail(c, PVB_ELIMIT, "too large");
        *buf = pvb_strndup(c, f->data[i], f->dlen[i]);
        *len = f->dlen[i];
        return *buf ? 0 : c->err;
    }
    return pvb_fail(c, PVB_ENOTFOUND, "not found");
}

static int list_dir(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                    pvb_cfg_name_fn fn, void *fn_arg)
{
    struct cfgfuzz *f = arg;
    size_t n = strlen(path);
    unsigned i;
    int found = 0, rc;

    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 1 && path[0] == '/')
        n = 0;   /* the root: every path starts with "/" */
    for (i = 0; on_dev(dev) && i < f->n; i++) {
        char name[256];
        const char *p = f->path[i], *pe = p + f->plen[i], *s;
        size_t k;
        if (f->plen[i] <= n || memcmp(p, path, n) != 0 || p[n] != '/')
            continue;
        found = 1;
        s = p + n + 1;
        for (k = 0; s + k < pe && s[k] != '/' && k < sizeof(name) - 1; k++)
            name[k] = s[k];
        name[k] = '\0';
        if (fn && k && (rc = fn(fn_arg, name, s + k < pe)) != 0)
            return rc;
    }
    return found ? 0 : pvb_fail(c, PVB_ENOTFOUND, "no directory");
}

static int stat_path(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                     struct pvb_cfg_stat *st)
{
    struct cfgfuzz *f = arg;
    size_t n = strlen(path);
    unsigned i;

    memset(st, 0, sizeof(*st));
    for (i = 0; on_dev(dev) && i < f->n; i++)
        if (f->plen[i] == n && memcmp(f->path[i], path, n) == 0) {
            st->is_file = 1;
            st->size = f->dlen[i];
            return 0;
        }
    if (list_dir(arg, c, dev, path, NULL, NULL) != 0)
        return c->err;
    st->is_dir = 1;
    return 0;
}

static int search(void *arg, struct pvb_ctx *c, enum pvb_cfg_search kind, const char *key,
                  char *dev, size_t cap)
{
    char *buf = NULL;
    size_t len;
    int hit;

    if (kind == PVB_CFG_SEARCH_UUID)
        hit = !strcmp(key, "11111111-2222-3333-4444-555555555555");
    else if (kind == PVB_CFG_SEARCH_LABEL)
        hit = !strcmp(key, "pvboot");
    else
        hit = read_file(arg, c, "", key, (size_t)-1, &buf, &len) == 0;
    pvb_free(c, buf);
    if (!hit)
        return PVB_ENOTFOUND;
    strncpy(dev, "hd0,msdos1", cap - 1);
    dev[cap - 1] = '\0';
    return 0;
}

void cfgfuzz_env(struct cfgfuzz *f, struct pvb_cfg_env *env)
{
    env->arg = f;
    env->read_file = read_file;
    env->stat = stat_path;
    env->list_dir = list_dir;
    env->search = search;
}

void cfgfuzz_run(struct cfgfuzz *f, const struct pvb_cfg_engine *fmt, const char *path)
{
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    struct pvb_menu *m = NULL;
    struct pvb_ctx c;
    unsigned i;
    int rc;

    fuzz_ctx_init(&c);
    c.lim.max_steps = 20000;   /* keep one input fast */
    pvb_cfg_opts_init(&o);
    o.engine = fmt;
    o.path = path;
    o.flags = PVB_CFG_LOAD_ALL;
    o.max_entries = 500;
    o.max_var = 4096;
    o.max_line = 8192;
    cfgfuzz_env(f, &env);
    rc = pvb_cfg_eval(&c, &o, &env, f->config, f->config_len, &m);
    if ((rc == 0 || rc == PVB_ENOBOOT) && !m)
        abort();
    if (rc && rc != PVB_ENOBOOT && m)
        abort();
    if (m) {
        if (m->chosen >= (int)m->count)
            abort();
        for (i = 0; i < m->count; i++) {
            const struct pvb_cfg_entry *e = &m->entries[i];
            if (!e->title || !e->id || !e->file || !e->submenu || !e->classes)
                abort();
            if (e->kernel.path && (!e->kernel.dev || !e->args))
                abort();
            pvb_cfg_load(m, i);
        }
        pvb_menu_free(m);
    }
    if (c.mem_used != 0)
        abort();   /* a leak */
}
