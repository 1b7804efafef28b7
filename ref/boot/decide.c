/* SPDX-License-Identifier: GPL-2.0-only */
/* Which volume, config and entry: pygrub's search order, the bootloader's choice. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "boot/boot.h"
#include "boot/internal.h"
#include "util/mem.h"
#include "util/pyint.h"

void pvb_boot_opts_init(struct pvb_boot_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->offset = -1;
    o->semantics = PVB_CFG_SEM_AUTO;
}

/* pygrub: args from the config, then " " and --args when given. */
static int set_args(struct pvb_boot *b, const char *cfg_args, const char *extra)
{
    size_t n1 = cfg_args ? strlen(cfg_args) : 0, n2 = extra ? strlen(extra) : 0;
    char *s = pvb_alloc(b->ctx, n1 + n2 + 2, "args");

    if (!s)
        return b->ctx->err;
    memcpy(s, cfg_args ? cfg_args : "", n1);
    s[n1] = '\0';
    if (n2) {
        s[n1] = ' ';
        memcpy(s + n1 + 1, extra, n2 + 1);
    }
    pvb_free(b->ctx, b->args);
    b->args = s;
    return 0;
}

static int set_why(struct pvb_boot *b, const char *fmt, const char *a, const char *c2)
{
    char buf[PVB_MSG_MAX];

    snprintf(buf, sizeof(buf), fmt, a, c2);
    pvb_free(b->ctx, b->why);
    b->why = pvb_strndup(b->ctx, buf, strlen(buf));
    return b->why ? 0 : b->ctx->err;
}

/* A file an entry needs, checked as the loader would open it. */
static int check_file(struct pvb_boot *b, const struct pvb_cfg_file *f, struct pvb_boot_file *out)
{
    struct pvb_fs *fs;
    struct pvb_stat st;
    unsigned v;
    int rc;

    rc = pvb_boot_resolve(b, f->dev, &v);
    if (!rc)
        rc = pvb_boot_fs(b, b->vols[v].dev, &fs);
    if (!rc)
        rc = pvb_fs_stat(fs, f->path, &st);
    if (!rc && st.type != PVB_FT_REG)
        rc = pvb_fail(b->ctx, PVB_EINVAL, "%s is not a regular file", f->path);
    if (!rc && f->slice && (f->off > st.size || f->len > st.size - f->off))
        rc = pvb_fail(b->ctx, PVB_ECORRUPT, "%s: bytes %llu+%llu past its end (%llu bytes)", f->path,
                      (unsigned long long)f->off, (unsigned long long)f->len,
                      (unsigned long long)st.size);
    if (rc)
        return rc;
    out->vol = (int)v;
    out->path = f->path;
    out->slice = f->slice;
    out->off = f->off;
    out->len = f->len;
    return 0;
}

/* Entry k's kernel and initrds exist: take it. */
static int take_entry(struct pvb_boot *b, unsigned k, const struct pvb_boot_opts *o)
{
    struct pvb_cfg_entry *e;
    struct pvb_boot_file *ird = NULL, kernel;
    unsigned i;
    int rc;

    rc = pvb_cfg_load(b->menu, k);
    if (rc)
        return rc;
    e = &b->menu->entries[k];
    if (e->unbootable)
        return pvb_fail(b->ctx, PVB_ENOBOOT, "%s", e->unbootable);
    if (!e->kernel.path)
        return pvb_fail(b->ctx, PVB_ENOBOOT, "it loads no Linux kernel");
    if (e->ninitrd) {
        ird = pvb_calloc(b->ctx, e->ninitrd, sizeof(*ird), "initrd list");
        if (!ird)
            return b->ctx->err;
    }
    /* Checked into locals: an entry that fails leaves the previous choice whole. */
    rc = check_file(b, &e->kernel, &kernel);
    for (i = 0; !rc && i < e->ninitrd; i++)
        rc = check_file(b, &e->initrd[i], &ird[i]);
    if (!rc)
        rc = set_args(b, e->args, o ? o->args : NULL);
    if (rc) {
        pvb_free(b->ctx, ird);
        return rc;
    }
    pvb_free(b->ctx, b->initrds);
    b->kernel = kernel;
    b->initrds = ird;
    b->ninitrds = e->ninitrd;
    b->entry = (int)k;
    return 0;
}

int pvb_boot_take(struct pvb_boot *b, unsigned i, const struct pvb_boot_opts *o)
{
    int rc;

    if (!b->menu || i >= b->menu->count)
        return pvb_fail(b->ctx, PVB_EINVAL, "boot: no entry %u", i);
    b->fallback_from = -1;
    rc = take_entry(b, i, o);
    if (rc) {
        pvb_ctx_prefix(b->ctx, "boot: entry %u '%s' as edited in the menu: ", i,
                       b->menu->entries[i].title);
        return rc;
    }
    return set_why(b, "entry '%s' as edited in the menu%s", b->menu->entries[i].title, "");
}

/* Boot entry i; when it fails, the fallback entries in order, as GRUB's
 * grub_menu_execute_with_fallback does for any entry that fails to load. */
int pvb_boot_choose(struct pvb_boot *b, unsigned i, const struct pvb_boot_opts *o)
{
    char first[PVB_MSG_MAX];
    unsigned f;
    int rc;

    if (!b->menu || i >= b->menu->count)
        return pvb_fail(b->ctx, PVB_EINVAL, "boot: no entry %u", i);
    b->fallback_from = -1;
    rc = take_entry(b, i, o);
    if (!rc || pvb_err_fatal(rc))
        return rc;   /* a fault of the host is no failed entry: no fallback after it */
    snprintf(first, sizeof(first), "entry %u '%s': %s", i, b->menu->entries[i].title,
             pvb_ctx_msg(b->ctx));
    for (f = 0; f < b->menu->nfallback; f++) {
        int k = b->menu->fallback[f];

        if (k < 0 || (unsigned)k >= b->menu->count || (unsigned)k == i)
            continue;
        pvb_warn(b->ctx, "boot: %s; trying fallback entry %d", first, k);
        rc = take_entry(b, (unsigned)k, o);
        if (rc == 0) {
            b->fallback_from = (int)i;
            return set_why(b, "the default failed (%s); fallback entry '%s'", first,
                           b->menu->entries[k].title);
        }
        if (pvb_err_fatal(rc))
            return rc;
    }
    return pvb_fail(b->ctx, PVB_ENOBOOT, "boot: %s", first);
}

int pvb_boot_entry_index(const struct pvb_menu *m, const char *entry, int def)
{
    long long n;
    unsigned i;

    if (pvb_py_int(entry, &n) == 0)
        return n >= 0 && n < (long long)m->count ? (int)n : def;
    for (i = 0; i < m->count; i++)
        if (m->entries[i].title && strcmp(m->entries[i].title, entry) == 0)
            return (int)i;
    return def;
}

int pvb_boot_find_type(void *arg, struct pvb_ctx *c, const char *guid, unsigned mbr_type, char *dev,
                       size_t cap)
{
    struct pvb_boot *b = arg;
    char g[37];
    unsigned i;

    (void)c;
    for (i = 0; i < b->nvols; i++) {
        const struct pvb_volume *v = &b->vols[i].vol;
        pvb_guid_str(v->type_guid, g);
        if ((b->parts.scheme == PVB_PART_GPT && strcasecmp(g, guid) == 0) ||
            (mbr_type && b->parts.scheme == PVB_PART_MBR && v->mbr_type == mbr_type)) {
            snprintf(dev, cap, "%s", b->vols[i].dev);
            return 0;
        }
    }
    return PVB_ENOTFOUND;
}

/* The config at path (from the volume's top) evaluated as found at cfgpath, with the
 * engine flags given (PVB_CFG_BTRFS_RELATIVE). */
static int eval_config(struct pvb_boot *b, unsigned v, const struct pvb_cfg_engine *engine,
                       const char *path, const char *cfgpath, unsigned flags,
                       const struct pvb_boot_opts *o)
{
    struct pvb_boot_volume *vol = &b->vols[v];
    struct pvb_cfg_opts co;
    struct pvb_cfg_env env;
    char *buf = NULL;
    size_t len;
    int rc, sel;

    rc = pvb_fs_read_file(vol->fs, path, b->ctx->lim.max_config, &buf, &len);
    if (rc)
        return rc;
    pvb_cfg_opts_init(&co);
    co.engine = engine;
    co.semantics = o->semantics;
    co.path = cfgpath;
    co.device = vol->dev;
    co.flags |= flags;
    if (o->load_all)
        co.flags |= PVB_CFG_LOAD_ALL;
    pvb_boot_env(b, &env);
    b->vol = (int)v;
    rc = pvb_cfg_eval(b->ctx, &co, &env, buf, len, &b->menu);
    pvb_free(b->ctx, buf);
    if (rc && rc != PVB_ENOBOOT)
        return rc;
    if (!b->menu || b->menu->count == 0)
        return pvb_fail(b->ctx, PVB_ENOBOOT, "%s: no menu entries", path);
    b->engine = engine;
    sel = b->menu->chosen >= 0 ? b->menu->chosen : 0;
    if (o->entry)
        sel = pvb_boot_entry_index(b->menu, o->entry, sel);
    rc = pvb_boot_choose(b, (unsigned)sel, o);
    if (!rc && !b->why)
        rc = set_why(b, "%s%s", o->entry && sel != b->menu->chosen ? "--entry selected it" :
                     b->menu->why ? b->menu->why : "the default entry", "");
    return rc;
}

/* Evaluate the config found at top (its path from the volume's top), as found at cfgpath. */
static int found_config(struct pvb_boot *b, unsigned v, const struct pvb_cfg_engine *e,
                        const char *top, const char *cfgpath, unsigned flags,
                        const struct pvb_boot_opts *o)
{
    struct pvb_boot_volume *vol = &b->vols[v];
    int rc;

    snprintf(vol->config, sizeof(vol->config), "%s", top);
    rc = eval_config(b, v, e, top, cfgpath, flags, o);
    vol->config_rc = rc;
    if (rc) {
        snprintf(vol->config_msg, sizeof(vol->config_msg), "%s", pvb_ctx_msg(b->ctx));
        pvb_menu_free(b->menu);
        b->menu = NULL;
        b->vol = -1;
    }
    return rc;
}

/* 1 when path (from the volume's top) is a regular file, 0 when not, or a fatal code. */
static int is_file(struct pvb_boot_volume *vol, const char *path)
{
    struct pvb_stat st;
    int rc = pvb_fs_stat(vol->fs, path, &st);

    if (pvb_err_fatal(rc))
        return rc;
    return rc == 0 && st.type == PVB_FT_REG;
}

/*
 * A btrfs volume whose top level holds no config: GRUB 2's paths inside the
 * subvolumes where distributions install it (doc/btrfs-boot.md), in this order:
 *  1. the default subvolume, unless --semantics=upstream: SUSE's grub-install
 *     (grub2-btrfs-04-grub2-install.patch) makes the prefix relative to it
 *     ("/boot/grub2", grub-mkrelpath stripping the subvolume) and sets
 *     btrfs_relative_path in the core image, so the config runs relative to it
 *     (openSUSE/SLES: @/.snapshots/N/snapshot set as default by snapper);
 *  2. /@ (Ubuntu's installer: root subvolume @), 3. /root (Fedora's anaconda:
 *     subvolume root, /boot inside it): upstream grub-install embeds the prefix
 *     from the top level ("/@/boot/grub"), and grub-mkconfig writes kernel
 *     paths the same way ("/@/boot/vmlinuz-..."), so the config runs as found.
 * pygrub knows none of these; the top level keeps its search first, so an image
 * that booted before boots the same.
 */
static int try_btrfs(struct pvb_boot *b, unsigned v, const struct pvb_boot_opts *o)
{
    static const char *const named[] = { "/@", "/root" };
    struct pvb_boot_volume *vol = &b->vols[v];
    const char *const *path;
    char root[4096], top[4200];
    unsigned r;
    int rc;

    for (r = 0; r < 3; r++) {
        if (r == 0) {
            if (o->semantics == PVB_CFG_SEM_UPSTREAM)
                continue;
            rc = pvb_boot_btrfs_path(vol->fs, 0, root, sizeof(root));
            if (pvb_err_fatal(rc))
                return rc;
            if (rc || !root[0]) {   /* the top level is the default: searched already */
                pvb_ctx_clear(b->ctx);
                continue;
            }
        } else {
            snprintf(root, sizeof(root), "%s", named[r - 1]);
        }
        for (path = pvb_engine_grub2.paths; *path; path++) {
            snprintf(top, sizeof(top), "%s%s", root, *path);
            rc = is_file(vol, top);
            if (rc < 0)
                return rc;
            if (rc)
                return found_config(b, v, &pvb_engine_grub2, top, r == 0 ? *path : top,
                                    r == 0 ? PVB_CFG_BTRFS_RELATIVE : 0, o);
        }
    }
    pvb_ctx_clear(b->ctx);
    return PVB_ENOTFOUND;
}

/* The first config on volume v, in pygrub's search order (pygrub reads only that one). */
static int try_volume(struct pvb_boot *b, unsigned v, const struct pvb_boot_opts *o)
{
    struct pvb_boot_volume *vol = &b->vols[v];
    const struct pvb_cfg_engine *const *e;
    const char *const *path;
    int rc;

    for (e = pvb_cfg_engines; *e; e++)
        for (path = (*e)->paths; *path; path++) {
            rc = is_file(vol, *path);
            if (rc < 0)
                return rc;
            if (rc)
                return found_config(b, v, *e, *path, *path, 0, o);
        }
    if (pvb_boot_is_btrfs(vol->fs)) {
        rc = try_btrfs(b, v, o);
        if (rc != PVB_ENOTFOUND)
            return rc;
    }
    pvb_ctx_clear(b->ctx);
    vol->config_rc = PVB_ENOTFOUND;
    snprintf(vol->config_msg, sizeof(vol->config_msg), "no bootloader config");
    return PVB_ENOTFOUND;
}

/* The error when no volume boots: every volume's reason on one line. */
static int no_volume(struct pvb_boot *b)
{
    char msg[PVB_MSG_MAX];
    size_t n;
    unsigned v;

    n = (size_t)snprintf(msg, sizeof(msg), "boot: unable to find partition containing kernel");
    for (v = 0; v < b->nvols && n < sizeof(msg); v++)
        n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s (%s): %s", v ? ";" : ":",
                              b->vols[v].dev,
                              b->vols[v].mount_rc ? b->vols[v].mount_msg : b->vols[v].config_msg);
    return pvb_fail(b->ctx, PVB_ENOBOOT, "%s", msg);
}

int pvb_boot_decide(struct pvb_ctx *c, struct pvb_disk *d, const struct pvb_boot_opts *o,
                    struct pvb_boot **out)
{
    struct pvb_boot *b;
    unsigned v;
    int rc;

    rc = pvb_boot_open(c, d, o->offset, &b);
    if (rc)
        return rc;
    for (v = 0; v < b->nvols; v++) {
        /* A volume without a filesystem we read is skipped, as pygrub skips any that
         * fails; an I/O error or a limit is no such volume, and ends the boot. */
        rc = pvb_boot_mount(b, v);
        if (pvb_err_fatal(rc)) {
            pvb_fail(c, rc, "boot: (%s): %s", b->vols[v].dev, b->vols[v].mount_msg);
            break;
        }
        if (rc != 0)
            continue;
        if (o->kernel) {
            /* pygrub: given a kernel, the first volume that mounts is used. */
            b->vol = (int)v;
            b->kernel.vol = (int)v;
            b->kernel.path = o->kernel;
            if (o->ramdisk && *o->ramdisk) {
                b->initrds = pvb_zalloc(c, sizeof(*b->initrds), "initrd list");
                if (!b->initrds) {
                    rc = c->err;
                    break;
                }
                b->initrds[0].vol = (int)v;
                b->initrds[0].path = o->ramdisk;
                b->ninitrds = 1;
            }
            rc = set_args(b, o->args, NULL);
            if (!rc)
                rc = set_why(b, "%s%s", "--kernel given", "");
            break;
        }
        rc = try_volume(b, v, o);
        if (rc == 0 || pvb_err_fatal(rc))
            break;
    }
    if (v == b->nvols)
        rc = no_volume(b);
    if (rc) {
        pvb_boot_free(b);
        return rc;
    }
    *out = b;
    return 0;
}
