/* SPDX-License-Identifier: GPL-2.0-only */
/* The ext2/3/4 driver's ops table: mount, stat, readlink, readdir, lookup and file reads. */
#include <stdio.h>
#include <string.h>

#include "fs/drivers.h"
#include "fs/ext.h"
#include "util/mem.h"

static void ext_umount(void *p)
{
    struct ext_fs *fs = p;

    if (!fs)
        return;
    pvb_free(fs->ctx, fs->ibuf);
    pvb_free(fs->ctx, fs);
}

static int ext_mount(struct pvb_disk *vol, void **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct ext_fs *fs = pvb_zalloc(c, sizeof(*fs), "ext");
    struct ext_inode root;
    int rc;

    if (!fs)
        return c->err;
    fs->vol = vol;
    fs->ctx = c;
    rc = pvb_ext_super_load(fs);
    if (!rc && !(fs->ibuf = pvb_alloc(c, fs->isize, "ext inode")))
        rc = c->err;
    if (!rc)
        rc = pvb_ext_inode_read(fs, EXT_ROOT_INO, &root);
    if (!rc && pvb_mode_type(root.mode) != PVB_FT_DIR)
        rc = pvb_fail(c, PVB_ECORRUPT, "ext: the root inode is not a directory (mode 0%o)",
                      (unsigned)root.mode);
    if (rc) {
        ext_umount(fs);
        return rc;
    }
    *out = fs;
    return 0;
}

static void ext_info(void *p, struct pvb_fs_info *out)
{
    struct ext_fs *fs = p;

    out->version_major = pvb_ext_version(fs);
    snprintf(out->version, sizeof(out->version), "ext%u", out->version_major);
    if (fs->incompat & EXT_IN_FILETYPE)
        out->flags |= PVB_FSI_FTYPE;
    strcpy(out->label, fs->label);
    memcpy(out->uuid, fs->uuid, 16);
    out->block_size = fs->bs;
    pvb_ext_features(fs, out->features, sizeof(out->features));
}

static pvb_ino ext_root(void *p)
{
    (void)p;
    return EXT_ROOT_INO;
}

static int ext_stat(void *p, pvb_ino ino, struct pvb_stat *st)
{
    struct ext_inode in;
    int rc = pvb_ext_inode_read(p, ino, &in);

    if (!rc)
        pvb_ext_stat(&in, st);
    return rc;
}

static int ext_readlink(void *p, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    return pvb_ext_symlink(p, ino, buf, cap, len);
}

static int ext_open(void *p, pvb_ino ino, void **file)
{
    struct ext_file *f;
    int rc = pvb_ext_file_open(p, ino, &f);

    if (!rc)
        *file = f;
    return rc;
}

static int ext_pread(void *file, void *buf, size_t len, uint64_t off)
{
    return pvb_ext_file_read(file, buf, len, off);
}

static void ext_close(void *file)
{
    pvb_ext_file_close(file);
}

const struct pvb_fs_ops pvb_ext_ops = {
    .name = "ext", .mount = ext_mount, .umount = ext_umount, .info = ext_info, .root = ext_root,
    .lookup = pvb_ext_lookup, .stat = ext_stat, .readlink = ext_readlink,
    .readdir = pvb_ext_readdir, .open = ext_open, .pread = ext_pread, .close = ext_close,
};
