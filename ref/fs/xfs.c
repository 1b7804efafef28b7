/* SPDX-License-Identifier: GPL-2.0-only */
/* The XFS driver's ops table: mount, lookup, stat, readlink, readdir and streaming file reads. */
#include <stdio.h>
#include <string.h>

#include "fs/drivers.h"
#include "fs/xfs.h"
#include "util/mem.h"

#define DIFLAG_REALTIME 0x0001u

/* An open regular file: its inode and a map cursor that keeps its place. */
struct xfs_file {
    struct pvb_xfs *fs;
    struct pvb_xfs_inode ip;
    struct pvb_xfs_map map;
};

static int xfs_mount(struct pvb_disk *vol, void **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct pvb_xfs *fs = pvb_zalloc(c, sizeof(*fs), "xfs");
    struct pvb_xfs_inode *root = NULL;
    int rc;

    if (!fs)
        return c->err;
    rc = pvb_xfs_sb_read(vol, fs);
    if (!rc && !(root = pvb_alloc(c, sizeof(*root), "xfs inode")))
        rc = c->err;
    if (!rc)
        rc = pvb_xfs_inode_read(fs, fs->rootino, root);
    if (!rc && pvb_mode_type(root->mode) != PVB_FT_DIR)
        rc = pvb_fail(c, PVB_ECORRUPT, "xfs: root inode %llu is not a directory",
                      (unsigned long long)fs->rootino);
    pvb_free(c, root);
    if (rc) {
        pvb_free(c, fs);
        return rc;
    }
    *out = fs;
    return 0;
}

static void xfs_umount(void *p)
{
    struct pvb_xfs *fs = p;

    pvb_free(fs->ctx, fs);
}

static void xfs_info(void *p, struct pvb_fs_info *out)
{
    struct pvb_xfs *fs = p;

    out->version_major = fs->v5 ? 5 : 4;
    snprintf(out->version, sizeof(out->version), "xfs v%u", out->version_major);
    if (fs->ftype)
        out->flags |= PVB_FSI_FTYPE;
    memcpy(out->label, fs->label, sizeof(fs->label));
    memcpy(out->uuid, fs->uuid, 16);
    out->block_size = fs->blocksize;
    pvb_xfs_features(fs, out->features, sizeof(out->features));
}

static pvb_ino xfs_root(void *p)
{
    return ((struct pvb_xfs *)p)->rootino;
}

/* Inodes are 2 KiB at most: read into a buffer from the context, not the stack. */
static int inode_get(struct pvb_xfs *fs, pvb_ino ino, struct pvb_xfs_inode **out)
{
    int rc;

    *out = pvb_alloc(fs->ctx, sizeof(**out), "xfs inode");
    if (!*out)
        return fs->ctx->err;
    rc = pvb_xfs_inode_read(fs, ino, *out);
    if (rc) {
        pvb_free(fs->ctx, *out);
        *out = NULL;
    }
    return rc;
}

struct find {
    const char *name;
    size_t len;
    uint64_t ino;
};

static int find_one(void *arg, const uint8_t *name, size_t len, uint64_t ino, int ftype)
{
    struct find *f = arg;

    (void)ftype;
    if (len != f->len || memcmp(name, f->name, len) != 0)
        return 0;
    f->ino = ino;
    return 1;
}

/* Exact byte comparison, as GRUB does, also on ascii-ci filesystems. */
static int xfs_lookup(void *p, pvb_ino dir, const char *name, size_t len, pvb_ino *out)
{
    struct pvb_xfs *fs = p;
    struct pvb_xfs_inode *d;
    struct find f;
    int rc;

    if ((rc = inode_get(fs, dir, &d)) != 0)
        return rc;
    f.name = name;
    f.len = len;
    rc = pvb_xfs_dir_iter(fs, d, find_one, &f);
    pvb_free(fs->ctx, d);
    if (rc == 1) {
        *out = f.ino;
        return 0;
    }
    return rc ? rc : pvb_fail(fs->ctx, PVB_ENOTFOUND, "xfs: '%.*s' not in directory %llu",
                              (int)len, name, (unsigned long long)dir);
}

static void fill_stat(const struct pvb_xfs_inode *ip, struct pvb_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->ino = ip->ino;
    st->type = pvb_mode_type(ip->mode);
    st->mode = ip->mode;
    st->size = ip->size;
    st->nlink = ip->nlink;
    st->uid = ip->uid;
    st->gid = ip->gid;
    st->mtime = ip->mtime;
}

static int xfs_stat(void *p, pvb_ino ino, struct pvb_stat *st)
{
    struct pvb_xfs *fs = p;
    struct pvb_xfs_inode *ip;
    int rc = inode_get(fs, ino, &ip);

    if (rc)
        return rc;
    fill_stat(ip, st);
    pvb_free(fs->ctx, ip);
    return 0;
}

static int xfs_readlink(void *p, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    struct pvb_xfs *fs = p;
    struct pvb_xfs_inode *ip;
    int rc = inode_get(fs, ino, &ip);

    if (rc)
        return rc;
    if (pvb_mode_type(ip->mode) != PVB_FT_LNK)
        rc = pvb_fail(fs->ctx, PVB_EINVAL, "xfs: inode %llu is not a symlink",
                      (unsigned long long)ino);
    else
        rc = pvb_xfs_symlink_read(fs, ip, buf, cap, len);
    pvb_free(fs->ctx, ip);
    return rc;
}

struct list {
    struct pvb_xfs *fs;
    pvb_dirent_fn fn;
    void *arg;
};

/* XFS_DIR3_FT_* to our types; 0 (no ftype byte) means: ask the inode. */
static int entry_type(struct pvb_xfs *fs, uint64_t ino, int ftype, enum pvb_ftype *t)
{
    static const enum pvb_ftype map[] = { PVB_FT_UNKNOWN, PVB_FT_REG, PVB_FT_DIR, PVB_FT_CHR,
                                          PVB_FT_BLK, PVB_FT_FIFO, PVB_FT_SOCK, PVB_FT_LNK };
    struct pvb_stat st;
    int rc;

    if (ftype > 0 && (size_t)ftype < sizeof(map) / sizeof(map[0])) {
        *t = map[ftype];
        return 0;
    }
    rc = xfs_stat(fs, ino, &st);
    *t = st.type;
    return rc;
}

static int list_one(void *arg, const uint8_t *name, size_t len, uint64_t ino, int ftype)
{
    struct list *l = arg;
    enum pvb_ftype t;
    char buf[256];
    int rc;

    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    memcpy(buf, name, len);   /* namelen is one byte: <= 255 */
    buf[len] = '\0';
    if ((rc = entry_type(l->fs, ino, ftype, &t)) != 0)
        return rc;
    return l->fn(l->arg, buf, ino, t);
}

static int xfs_readdir(void *p, pvb_ino dir, pvb_dirent_fn fn, void *arg)
{
    struct pvb_xfs *fs = p;
    struct pvb_xfs_inode *d;
    struct list l;
    int rc;

    if ((rc = inode_get(fs, dir, &d)) != 0)
        return rc;
    l.fs = fs;
    l.fn = fn;
    l.arg = arg;
    rc = pvb_xfs_dir_iter(fs, d, list_one, &l);
    pvb_free(fs->ctx, d);
    return rc;
}

static int xfs_open(void *p, pvb_ino ino, void **out)
{
    struct pvb_xfs *fs = p;
    struct xfs_file *f = pvb_alloc(fs->ctx, sizeof(*f), "xfs file");
    int rc;

    if (!f)
        return fs->ctx->err;
    f->fs = fs;
    rc = pvb_xfs_inode_read(fs, ino, &f->ip);
    if (!rc && pvb_mode_type(f->ip.mode) != PVB_FT_REG)
        rc = pvb_fail(fs->ctx, PVB_EINVAL, "xfs: inode %llu is not a regular file",
                      (unsigned long long)ino);
    if (!rc && (f->ip.flags & DIFLAG_REALTIME))
        rc = pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "xfs: inode %llu lives on the realtime "
                      "device, which is not read", (unsigned long long)ino);
    if (!rc)
        rc = pvb_xfs_map_init(fs, &f->ip, &f->map);
    if (rc) {
        pvb_free(fs->ctx, f);
        return rc;
    }
    *out = f;
    return 0;
}

static int xfs_pread(void *p, void *buf, size_t len, uint64_t off)
{
    struct xfs_file *f = p;

    return pvb_xfs_map_read(&f->map, buf, len, off);
}

static void xfs_close(void *p)
{
    struct xfs_file *f = p;

    pvb_xfs_map_free(&f->map);
    pvb_free(f->fs->ctx, f);
}

const struct pvb_fs_ops pvb_xfs_ops = {
    .name = "xfs", .mount = xfs_mount, .umount = xfs_umount, .info = xfs_info, .root = xfs_root,
    .lookup = xfs_lookup, .stat = xfs_stat, .readlink = xfs_readlink, .readdir = xfs_readdir,
    .open = xfs_open, .pread = xfs_pread, .close = xfs_close,
};
