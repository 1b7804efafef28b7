/* SPDX-License-Identifier: GPL-2.0-only */
/* The image's volumes under GRUB's device names, mounted on first use, and the
 * environment the config engines read files and search volumes through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boot/boot.h"
#include "boot/internal.h"
#include "fs/btrfs.h"
#include "util/mem.h"

static void name_volume(const struct pvb_part_table *t, struct pvb_boot_volume *v)
{
    char part[16];

    pvb_volume_name(t, &v->vol, part);
    snprintf(v->dev, sizeof(v->dev), part[0] ? "hd0,%s" : "hd0", part);
}

/* --offset names one filesystem: it gets the name of the partition that
 * starts there, if any, so "(hd0,msdos1)" in its config still resolves. */
static int offset_volume(struct pvb_boot *b, long long offset)
{
    struct pvb_boot_volume *v = &b->vols[0];
    unsigned i;

    if ((uint64_t)offset > b->disk->size)
        return pvb_fail(b->ctx, PVB_ERANGE, "boot: offset %lld is past the end of the disk (%llu bytes)",
                        offset, (unsigned long long)b->disk->size);
    memset(v, 0, sizeof(*v));
    v->vol.offset = (uint64_t)offset;
    v->vol.size = b->disk->size - (uint64_t)offset;
    strcpy(v->dev, "hd0");
    for (i = 0; i < b->parts.count; i++)
        if (b->parts.vols[i].offset == (uint64_t)offset) {
            v->vol = b->parts.vols[i];
            v->vol.size = b->disk->size - (uint64_t)offset;
            name_volume(&b->parts, v);
        }
    b->nvols = 1;
    return 0;
}

int pvb_boot_open(struct pvb_ctx *c, struct pvb_disk *d, long long offset, struct pvb_boot **out)
{
    struct pvb_boot *b;
    unsigned i, n;
    int rc;

    b = pvb_zalloc(c, sizeof(*b), "boot");
    if (!b)
        return c->err;
    b->ctx = c;
    b->disk = d;
    b->vol = -1;
    b->entry = -1;
    b->fallback_from = -1;
    rc = pvb_part_scan(d, &b->parts);
    if (rc && offset < 0)
        goto fail;
    if (rc)   /* with --offset a broken table only loses the volume's name */
        pvb_ctx_clear(c);
    /*
     * The volume managers' volumes come after every partition: pygrub reads no
     * LVM at all, so a guest it boots has its config on a partition, found
     * first as before; GRUB, which reads LVM, looks for its config where
     * grub-install put its prefix, and its `search` (env_search below) visits
     * the LVs after the partitions here, which only matters when two volumes
     * hold the same UUID, label or file.
     */
    if (offset < 0) {
        rc = pvb_vol_scan(d, &b->parts, &b->lvs);
        if (rc)
            goto fail;
    }
    n = offset >= 0 ? 1 : b->parts.count + b->lvs.count;
    b->vols = pvb_calloc(c, n, sizeof(*b->vols), "volumes");
    if (!b->vols) {
        rc = c->err;
        goto fail;
    }
    if (offset >= 0) {
        rc = offset_volume(b, offset);
        if (rc)
            goto fail;
    } else {
        for (i = 0; i < b->parts.count; i++) {
            b->vols[i].vol = b->parts.vols[i];
            name_volume(&b->parts, &b->vols[i]);
        }
        for (; i < n; i++) {
            const struct pvb_lv *lv = &b->lvs.lvs[i - b->parts.count];

            b->vols[i].lv = lv;
            b->vols[i].vol.size = lv->size;
            snprintf(b->vols[i].dev, sizeof(b->vols[i].dev), "%s", lv->name);
        }
        b->nvols = n;
    }
    for (i = 0; i < b->nvols; i++)
        b->vols[i].mount_rc = 1;   /* not tried yet */
    *out = b;
    return 0;
fail:
    pvb_boot_free(b);
    return rc;
}

int pvb_boot_mount(struct pvb_boot *b, unsigned i)
{
    struct pvb_boot_volume *v = &b->vols[i];
    int rc;

    if (v->mount_rc != 1)
        return v->mount_rc;
    if (v->lv)
        rc = pvb_vol_open(b->disk, v->lv, &v->view);
    else
        rc = pvb_disk_open_sub(b->disk, v->vol.offset, v->vol.size, &v->view);
    if (!rc) {
        rc = pvb_fs_mount(v->view, &v->fs);
        if (rc) {
            pvb_disk_close(v->view);
            v->view = NULL;
        }
    }
    v->mount_rc = rc;
    if (rc)
        snprintf(v->mount_msg, sizeof(v->mount_msg), "%s", pvb_ctx_msg(b->ctx));
    return rc;
}

/* A logical volume by either of GRUB's names for it, (lvm/VG-LV) or
 * (lvmid/VGUUID/LVUUID): compared exactly, as grub_diskfilter_open does. */
static int resolve_lv(struct pvb_boot *b, const char *name, unsigned *vol)
{
    unsigned i;

    for (i = 0; i < b->nvols; i++)
        if (b->vols[i].lv && (strcmp(b->vols[i].lv->name, name) == 0 ||
                              strcmp(b->vols[i].lv->id_name, name) == 0)) {
            *vol = i;
            return 0;
        }
    return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: device (%s): no such logical volume on this disk", name);
}

/* GRUB device syntax on the one disk a PV guest's bootloader sees: hd0,
 * hd0,N / hd0,msdosN / hd0,gptN, lvm/VG-LV, lvmid/VGUUID/LVUUID, parentheses optional. */
int pvb_boot_resolve(struct pvb_boot *b, const char *dev, unsigned *vol)
{
    char name[PVB_VOL_NAME_MAX];
    const char *p;
    unsigned long num;
    const char *scheme = NULL;
    char *end;
    size_t n;
    unsigned i;

    if (!dev || !*dev) {
        if (b->vol < 0)
            return pvb_fail(b->ctx, PVB_EINVAL, "boot: no current device");
        *vol = (unsigned)b->vol;
        return 0;
    }
    n = strlen(dev);
    if (dev[0] == '(' && n >= 2 && dev[n - 1] == ')') {
        dev++;
        n -= 2;
    }
    if (n >= sizeof(name))
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: device name too long");
    memcpy(name, dev, n);
    name[n] = '\0';
    if (strncmp(name, "lvm/", 4) == 0 || strncmp(name, "lvmid/", 6) == 0)
        return resolve_lv(b, name, vol);
    if (strncmp(name, "lvm", 3) == 0 || strncmp(name, "md", 2) == 0 ||
        strncmp(name, "cryptouuid", 10) == 0)
        return pvb_fail(b->ctx, PVB_EUNSUPPORTED,
                        "boot: device (%s) is a volume manager or encrypted device; "
                        "pvboot reads partitions and LVM2 logical volumes only", name);
    if (strncmp(name, "hd", 2) != 0)
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: no device (%s) on this disk", name);
    num = strtoul(name + 2, &end, 10);
    if (end == name + 2 || num != 0)
        return pvb_fail(b->ctx, PVB_ENOTFOUND,
                        "boot: device (%s) is on another disk; a PV guest's bootloader sees hd0 only",
                        name);
    p = end;
    if (*p == '\0') {
        /* (hd0) is the whole disk: a volume only when no table covers it (or
         * --offset names a filesystem at no partition's start), even when the
         * table holds a single partition. */
        for (i = 0; i < b->nvols; i++)
            if (strcmp(b->vols[i].dev, "hd0") == 0) {
                *vol = i;
                return 0;
            }
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: (hd0) is partitioned; it holds no filesystem");
    }
    if (*p++ != ',')
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: bad device name (%s)", name);
    if (strncmp(p, "msdos", 5) == 0) {
        scheme = "msdos";
        p += 5;
    } else if (strncmp(p, "gpt", 3) == 0) {
        scheme = "gpt";
        p += 3;
    }
    num = strtoul(p, &end, 10);
    if (end == p || *end != '\0')
        return pvb_fail(b->ctx, PVB_EUNSUPPORTED, "boot: device (%s): nested or unknown partition", name);
    if (scheme && strcmp(scheme, pvb_part_scheme_name(b->parts.scheme)) != 0)
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: device (%s): the disk's table is %s", name,
                        pvb_part_scheme_name(b->parts.scheme));
    for (i = 0; i < b->nvols; i++)
        if (b->vols[i].vol.index == num && num != 0) {
            *vol = i;
            return 0;
        }
    return pvb_fail(b->ctx, PVB_ENOTFOUND, "boot: no partition (%s)", name);
}

int pvb_boot_fs(struct pvb_boot *b, const char *dev, struct pvb_fs **fs)
{
    unsigned i;
    int rc;

    if (!dev || !*dev) {
        if (b->vol >= 0)
            return pvb_boot_fs(b, b->vols[b->vol].dev, fs);
        for (i = 0; i < b->nvols; i++) {
            rc = pvb_boot_mount(b, i);
            if (rc == 0) {
                *fs = b->vols[i].fs;
                return 0;
            }
            if (pvb_err_fatal(rc))
                return pvb_fail(b->ctx, rc, "boot: (%s): %s", b->vols[i].dev, b->vols[i].mount_msg);
        }
        return pvb_fail(b->ctx, PVB_ENOTMINE, "boot: no volume holds a known filesystem");
    }
    rc = pvb_boot_resolve(b, dev, &i);
    if (!rc && (rc = pvb_boot_mount(b, i)) != 0)
        pvb_fail(b->ctx, rc, "boot: (%s): %s", b->vols[i].dev, b->vols[i].mount_msg);
    if (!rc)
        *fs = b->vols[i].fs;
    return rc;
}

/* ---- the config engines' environment ------------------------------------- */

static int env_read(void *arg, struct pvb_ctx *c, const char *dev, const char *path, size_t max,
                    char **buf, size_t *len)
{
    struct pvb_boot *b = arg;
    struct pvb_fs *fs;
    int rc = pvb_boot_fs(b, dev, &fs);

    (void)c;
    return rc ? rc : pvb_fs_read_file(fs, path, max, buf, len);
}

struct list_arg {
    struct pvb_fs *fs;
    pvb_cfg_name_fn fn;
    void *arg;
};

static int list_one(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct list_arg *l = arg;
    struct pvb_stat st;
    int rc;

    if (type == PVB_FT_UNKNOWN) {
        /* No type in the entry: the inode says, unless the guest's inode is bad. */
        rc = pvb_fs_stat_ino(l->fs, ino, &st);
        if (pvb_err_fatal(rc))
            return rc;
        if (!rc)
            type = st.type;
        pvb_ctx_clear(l->fs->ctx);
    }
    return l->fn(l->arg, name, type == PVB_FT_DIR);
}

static int env_list(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                    pvb_cfg_name_fn fn, void *fn_arg)
{
    struct pvb_boot *b = arg;
    struct list_arg l;
    int rc = pvb_boot_fs(b, dev, &l.fs);

    (void)c;
    if (rc)
        return rc;
    l.fn = fn;
    l.arg = fn_arg;
    return pvb_fs_readdir(l.fs, path, list_one, &l);
}

static int env_stat(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                    struct pvb_cfg_stat *out)
{
    struct pvb_boot *b = arg;
    struct pvb_stat st;
    struct pvb_fs *fs;
    int rc = pvb_boot_fs(b, dev, &fs);

    (void)c;
    if (!rc)
        rc = pvb_fs_stat(fs, path, &st);
    if (rc)
        return rc;
    out->is_file = st.type == PVB_FT_REG;
    out->is_dir = st.type == PVB_FT_DIR;
    out->size = st.size;
    return 0;
}

/* 1 when volume i matches, 0 when not (a volume without a filesystem GRUB reads never
 * does), or a fatal code: an I/O error on one volume must not make another match. */
static int matches(struct pvb_boot *b, unsigned i, enum pvb_cfg_search kind, const char *key)
{
    struct pvb_fs_info in;
    struct pvb_stat st;
    int rc;

    rc = pvb_boot_mount(b, i);
    if (rc)
        return pvb_err_fatal(rc) ? rc : 0;
    switch (kind) {
    case PVB_CFG_SEARCH_UUID:
        pvb_fs_info(b->vols[i].fs, &in);
        return strcasecmp(in.uuid_str, key) == 0;   /* GRUB compares without case (commands/search.c) */
    case PVB_CFG_SEARCH_LABEL:
        pvb_fs_info(b->vols[i].fs, &in);
        return strcmp(in.label, key) == 0;
    case PVB_CFG_SEARCH_FILE:
        rc = pvb_fs_stat(b->vols[i].fs, key, &st);
        if (pvb_err_fatal(rc))
            return rc;
        pvb_ctx_clear(b->ctx);
        return rc == 0 && st.type == PVB_FT_REG;
    }
    return 0;
}

/* GRUB iterates devices disk first, then its partitions in table order; the
 * first match wins (--hint only reorders when several match: not modelled). */
static int env_search(void *arg, struct pvb_ctx *c, enum pvb_cfg_search kind, const char *key,
                      char *dev, size_t cap)
{
    struct pvb_boot *b = arg;
    unsigned i;
    int rc;

    (void)c;
    for (i = 0; i < b->nvols; i++) {
        rc = matches(b, i, kind, key);
        if (rc < 0)
            return rc;
        if (rc) {
            snprintf(dev, cap, "%s", b->vols[i].dev);
            return 0;
        }
    }
    return PVB_ENOTFOUND;
}

/* A btrfs subvolume's path from the top level (id 0: the default subvolume), "" for the
 * top level; buf NULL only asks whether dev holds btrfs. */
static int env_btrfs_subvol(void *arg, struct pvb_ctx *c, const char *dev, uint64_t id, char *buf,
                            size_t cap)
{
    struct pvb_boot *b = arg;
    struct pvb_fs *fs;
    int rc = pvb_boot_fs(b, dev, &fs);

    (void)c;
    if (pvb_err_fatal(rc))
        return rc;
    if (rc || !pvb_boot_is_btrfs(fs))   /* no such device, or none GRUB's btrfs.mod mounts */
        return pvb_fail(b->ctx, PVB_EINVAL, "not a btrfs filesystem");
    if (!buf)
        return 0;
    return pvb_boot_btrfs_path(fs, id, buf, cap);
}

int pvb_boot_is_btrfs(const struct pvb_fs *fs)
{
    return fs && strcmp(fs->ops->name, "btrfs") == 0;
}

int pvb_boot_btrfs_path(struct pvb_fs *fs, uint64_t id, char *buf, size_t cap)
{
    int rc = 0;

    if (id == 0)
        rc = pvb_btrfs_default_subvol(fs, &id);
    if (!rc)
        rc = pvb_btrfs_subvol_path(fs, id, buf, cap);
    if (!rc && strcmp(buf, "/") == 0)
        buf[0] = '\0';
    return rc;
}

void pvb_boot_env(struct pvb_boot *b, struct pvb_cfg_env *env)
{
    struct pvb_cfg_env e = { .arg = b, .read_file = env_read, .stat = env_stat,
                             .list_dir = env_list, .search = env_search,
                             .read_at = pvb_boot_read_at, .find_type = pvb_boot_find_type,
                             .btrfs_subvol = env_btrfs_subvol };

    *env = e;
}

void pvb_boot_free(struct pvb_boot *b)
{
    struct pvb_ctx *c;
    unsigned i;

    if (!b)
        return;
    c = b->ctx;
    for (i = 0; i < b->nvols; i++) {
        pvb_fs_umount(b->vols[i].fs);
        pvb_disk_close(b->vols[i].view);
    }
    pvb_free(c, b->vols);
    pvb_part_free(c, &b->parts);
    pvb_vol_free(c, &b->lvs);
    pvb_menu_free(b->menu);
    pvb_free(c, b->initrds);
    pvb_free(c, b->args);
    pvb_free(c, b->why);
    pvb_free(c, b);
}
