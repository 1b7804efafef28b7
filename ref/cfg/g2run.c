/* SPDX-License-Identifier: GPL-2.0-only */
/* The GRUB 2 runtime the builtins and blscfg share: paths on devices, reading files, parsing a
 * string, adding a menu item. It calls nothing of the evaluator (no file cycle). */
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

int pvb_g2_btrfs_rules(const struct g2 *g)
{
    return g->o->semantics != PVB_CFG_SEM_UPSTREAM;
}

/* The mount whose directory starts path, as SUSE's find_mtab_subvol_tree picks it: a
 * plain prefix compare (so "/a" also takes "/ab"), the greatest directory by strcmp
 * among several; *rest is what follows it. */
static const struct g2_mount *mount_of(struct g2 *g, const char *path, const char **rest)
{
    const struct g2_mount *m, *best = NULL;

    for (m = g->mounts; m; m = m->next)
        if (strncmp(path, m->dir, strlen(m->dir)) == 0 && (!best || strcmp(m->dir, best->dir) > 0))
            best = m;
    if (best)
        *rest = path + strlen(best->dir);
    return best;
}

/*
 * SUSE's btrfs rules (doc/btrfs-boot.md) on a resolved path: a path under a
 * btrfs-mount-subvol directory resolves in that subvolume; otherwise, with
 * btrfs_relative_path's first byte '1' or 'y' (grub_btrfs_mount), in
 * $btrfs_subvol (a path from the top level), $btrfs_subvolid, or the default
 * subvolume. The result is the path from the top-level subvolume, which the
 * boot layer reads every btrfs volume from; a device without btrfs keeps its path.
 */
static int btrfs_path(struct g2 *g, const char *dev, char **path)
{
    const char *rel, *sv, *rest = NULL;
    const struct g2_mount *m = NULL;
    char base[4096];
    unsigned long long id = 0;
    size_t bl, pl;
    char *np;
    int rc;

    if (!pvb_g2_btrfs_rules(g) || !g->env->btrfs_subvol || (*path)[0] != '/')
        return 0;
    rel = pvb_g2_get(g, g->cur, "btrfs_relative_path");
    if (!(m = mount_of(g, *path, &rest)) && !(rel && (rel[0] == '1' || rel[0] == 'y')))
        return 0;
    sv = pvb_g2_get(g, g->cur, "btrfs_subvol");
    if (m || (sv && *sv)) {
        const char *name = m ? m->subvol : sv;

        if (strlen(name) + 2 > sizeof(base))
            return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: a btrfs subvolume path longer than %zu bytes",
                            g->file, g->line, sizeof(base) - 2);
        snprintf(base, sizeof(base), "%s%s", name[0] == '/' ? "" : "/", name);
        if (!m)
            rest = *path;
    } else {
        const char *ids = pvb_g2_get(g, g->cur, "btrfs_subvolid"), *end;
        unsigned long v;

        if (ids && *ids && pvb_cfg_strtoul(ids, &v, &end) == 0)
            id = v;
        rest = *path;
    }
    /* Every rule asks the volume first: one without btrfs keeps the path. */
    rc = g->env->btrfs_subvol(g->env->arg, g->c, dev, m || (sv && *sv) ? 0 : id,
                              m || (sv && *sv) ? NULL : base, sizeof(base));
    if (rc == PVB_EINVAL) {
        pvb_ctx_clear(g->c);
        return 0;
    }
    if (pvb_err_fatal(rc))
        return rc;
    if (rc) {
        /* GRUB cannot mount the volume then; the path stays, and fails or not as it will. */
        pvb_g2_warn(g, "btrfs: %s: %s", *path, pvb_ctx_msg(g->c));
        pvb_ctx_clear(g->c);
        return 0;
    }
    g->used_btrfs = 1;
    bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        bl--;
    if (!*rest)
        rest = "/";
    pl = strlen(rest);
    if (pl > g->lim.max_var || bl > g->lim.max_var)
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: path longer than the variable limit of %zu",
                        g->file, g->line, g->lim.max_var);
    if (!(np = pvb_alloc(g->c, bl + pl + 2, "path")))
        return g->c->err;
    memcpy(np, base, bl);
    if (rest[0] != '/')
        np[bl++] = '/';
    memcpy(np + bl, rest, pl + 1);
    pvb_free(g->c, *path);
    *path = np;
    return 0;
}

int pvb_g2_resolve(struct g2 *g, const char *spec, char **dev, char **path)
{
    const char *d, *p;
    size_t dl;
    char tmp[256];

    pvb_cfg_split_dev(spec, &d, &dl, &p);
    if (dl == 0 && spec[0] != '(') {
        /* No device: relative to $root (kern/file.c grub_file_get_device_name). */
        d = pvb_g2_get(g, g->cur, "root");
        if (!d)
            d = "";
        dl = strlen(d);
    }
    if (dl >= sizeof(tmp))
        dl = sizeof(tmp) - 1;
    memcpy(tmp, d, dl);
    tmp[dl] = '\0';
    if (pvb_cfg_dev_same(tmp, g->device))
        tmp[0] = '\0';
    *dev = pvb_strndup(g->c, tmp, strlen(tmp));
    *path = pvb_strndup(g->c, p, strlen(p));
    if (!*dev || !*path) {
        pvb_free(g->c, *dev);
        pvb_free(g->c, *path);
        *dev = *path = NULL;   /* callers own what they pass and may free it again */
        return g->c->err;
    }
    {
        int rc = btrfs_path(g, *dev, path);

        if (rc) {
            pvb_free(g->c, *dev);
            pvb_free(g->c, *path);
            *dev = *path = NULL;
            return rc;
        }
    }
    return 0;
}

int pvb_g2_read(struct g2 *g, const char *spec, size_t max, char **buf, size_t *len)
{
    char *dev, *path;
    int rc;

    *buf = NULL;
    *len = 0;
    if ((rc = pvb_g2_resolve(g, spec, &dev, &path)) != 0)
        return rc;
    rc = pvb_cfg_read(g->c, g->env, dev, path, max, buf, len);
    pvb_free(g->c, dev);
    pvb_free(g->c, path);
    return rc;
}

int pvb_g2_add_item(struct g2 *g, struct g2_item *it)
{
    struct g2_ctx *x = g->cur;

    struct g2_item *nv;

    if (x->nitems >= g->lim.max_entries)
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: more than %u menu entries (entry limit)",
                        g->file, g->line, g->lim.max_entries);
    if (!(nv = pvb_grow(g->c, x->items, &x->icap, x->nitems + 1, sizeof(*nv), "menu entries")))
        return g->c->err;
    x->items = nv;
    x->items[x->nitems++] = *it;
    return 0;
}

struct g2_cmd *pvb_g2_parse_string(struct g2 *g, const char *src)
{
    struct g2_parser p;
    struct g2_cmd *head = NULL, **tail = &head, *u;
    int rc;

    memset(&p, 0, sizeof(p));
    p.max_depth = g->lim.max_depth;
    if (pvb_g2_lex_init(&p.lx, g->c, &g->ar, src, strlen(src), g->lim.max_line, g->lim.max_var))
        return NULL;
    while ((rc = pvb_g2_parse_unit(&p, &u)) != 0) {
        if (rc < 0 && rc != PVB_ESYNTAX) {
            head = NULL;
            break;
        }
        for (; rc == 1 && u; u = u->next) {
            *tail = u;
            tail = &u->next;
        }
    }
    pvb_g2_lex_free(&p.lx);
    return head;
}
