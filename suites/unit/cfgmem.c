/* SPDX-License-Identifier: GPL-2.0-only */
/* In-memory files behind struct pvb_cfg_env, for the cfg unit suites and the config fuzz targets. */
#include <stdio.h>
#include <string.h>

#include "cfgmem.h"
#include "util/ctx.h"
#include "util/mem.h"

void cfgmem_init(struct cfgmem *m)
{
    memset(m, 0, sizeof(*m));
    m->uuid = "11111111-2222-3333-4444-555555555555";
    m->label = "pvboot";
}

void cfgmem_addn(struct cfgmem *m, const char *path, size_t plen, const char *data, size_t dlen)
{
    if (m->n < CFGMEM_MAX) {
        m->path[m->n] = path;
        m->plen[m->n] = plen;
        m->data[m->n] = data;
        m->dlen[m->n] = dlen;
        m->n++;
    }
}

void cfgmem_add(struct cfgmem *m, const char *path, const char *data)
{
    cfgmem_addn(m, path, strlen(path), data, data ? strlen(data) : 0);
}

static int on_dev(const char *dev)
{
    return !dev[0] || pvb_cfg_dev_same(dev, "hd0,msdos1");
}

/* File i is exactly path. */
static int is(const struct cfgmem *m, unsigned i, const char *path)
{
    return m->plen[i] == strlen(path) && memcmp(m->path[i], path, m->plen[i]) == 0;
}

/* The readable file at path: its index in *i (0), or the error read_file and read_at give. */
static int find(struct cfgmem *m, struct pvb_ctx *c, const char *dev, const char *path, unsigned *i)
{
    if (m->fail_read)
        return pvb_fail(c, m->fail_read, "read failed on purpose");
    for (*i = 0; on_dev(dev) && *i < m->n; (*i)++)
        if (is(m, *i, path) && m->data[*i])
            return 0;
    return pvb_fail(c, PVB_ENOTFOUND, "%s: not found", path);
}

static int read_file(void *arg, struct pvb_ctx *c, const char *dev, const char *path, size_t max,
                     char **buf, size_t *len)
{
    struct cfgmem *m = arg;
    unsigned i;
    int rc = find(m, c, dev, path, &i);

    if (rc)
        return rc;
    if (m->dlen[i] > max)
        return pvb_fail(c, PVB_ELIMIT, "%s: larger than %zu", path, max);
    *buf = pvb_strndup(c, m->data[i], m->dlen[i]);
    if (!*buf)
        return c->err;
    *len = m->dlen[i];
    return 0;
}

static int list_dir(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                    pvb_cfg_name_fn fn, void *fn_arg)
{
    struct cfgmem *m = arg;
    size_t n = strlen(path);
    unsigned i;
    int found = 0, rc;

    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 1 && path[0] == '/')
        n = 0;   /* the root: every path starts with "/" */
    for (i = 0; on_dev(dev) && i < m->n; i++) {
        const char *p = m->path[i], *pe = p + m->plen[i], *s;
        char name[256];
        size_t k;
        if (m->plen[i] <= n || memcmp(p, path, n) != 0 || p[n] != '/')
            continue;
        found = 1;
        s = p + n + 1;
        for (k = 0; s + k < pe && s[k] != '/' && k < sizeof(name) - 1; k++)
            name[k] = s[k];
        name[k] = '\0';
        if (fn && k && (rc = fn(fn_arg, name, s + k < pe)) != 0)
            return rc;
    }
    return found ? 0 : pvb_fail(c, PVB_ENOTFOUND, "%s: no such directory", path);
}

static int stat_path(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                     struct pvb_cfg_stat *st)
{
    struct cfgmem *m = arg;
    unsigned i;

    if (m->fail_read)
        return pvb_fail(c, m->fail_read, "stat failed on purpose");
    memset(st, 0, sizeof(*st));
    for (i = 0; on_dev(dev) && i < m->n; i++)
        if (is(m, i, path) && m->data[i]) {
            st->is_file = 1;
            st->size = m->dlen[i];
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
    struct cfgmem *m = arg;
    unsigned i;
    int hit = 0;

    (void)c;
    if (kind == PVB_CFG_SEARCH_UUID)
        hit = m->uuid && !strcmp(key, m->uuid);
    else if (kind == PVB_CFG_SEARCH_LABEL)
        hit = m->label && !strcmp(key, m->label);
    else
        for (i = 0; i < m->n; i++)
            hit |= is(m, i, key) && m->data[i];
    if (!hit)
        return PVB_ENOTFOUND;
    strncpy(dev, "hd0,msdos1", cap - 1);
    dev[cap - 1] = '\0';
    return 0;
}

static int read_at(void *arg, struct pvb_ctx *c, const char *dev, const char *path, uint64_t off,
                   void *buf, size_t len)
{
    struct cfgmem *m = arg;
    unsigned i;
    int rc = find(m, c, dev, path, &i);

    if (rc)
        return rc;
    if (off > m->dlen[i] || len > m->dlen[i] - off)
        return pvb_fail(c, PVB_ERANGE, "%s: bytes %llu+%zu past the end", path, (unsigned long long)off, len);
    memcpy(buf, m->data[i] + off, len);
    return 0;
}

/* The volume is btrfs: its default subvolume is @/.snapshots/1/snapshot, subvolume N
 * (1..99) is @/.snapshots/N/snapshot; any other device holds no btrfs. */
static int btrfs_subvol(void *arg, struct pvb_ctx *c, const char *dev, uint64_t id, char *buf,
                        size_t cap)
{
    (void)arg;
    if (*dev && strcmp(dev, "hd0,msdos1") != 0)
        return pvb_fail(c, PVB_EINVAL, "not a btrfs filesystem");
    if (!buf)
        return 0;
    if (id >= 100)
        return pvb_fail(c, PVB_ENOTFOUND, "btrfs: no subvolume %llu", (unsigned long long)id);
    snprintf(buf, cap, "/@/.snapshots/%u/snapshot", id ? (unsigned)id : 1u);
    return 0;
}

void cfgmem_env(struct cfgmem *m, struct pvb_cfg_env *env)
{
    struct pvb_cfg_env e = { .arg = m, .read_file = read_file, .stat = stat_path,
                             .list_dir = list_dir, .search = search, .read_at = read_at,
                             .btrfs_subvol = btrfs_subvol };

    *env = e;
}

int cfgmem_eval(struct pvb_ctx *c, struct cfgmem *m, const struct pvb_cfg_engine *fmt, const char *path,
                const char *text, struct pvb_menu **out)
{
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;

    pvb_cfg_opts_init(&o);
    o.engine = fmt;
    o.path = path;
    cfgmem_env(m, &env);
    return pvb_cfg_eval(c, &o, &env, text, strlen(text), out);
}
