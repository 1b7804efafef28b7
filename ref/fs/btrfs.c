/* SPDX-License-Identifier: GPL-2.0-only */
/* The btrfs driver's ops table: mount, subvolumes, inodes, lookup by name hash, readdir, reads. */
#include <stdio.h>
#include <string.h>

#include "fs/btrfs.h"
#include "fs/drivers.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"

/* struct btrfs_inode_item */
#define INO_SIZE   16
#define INO_NLINK  40
#define INO_UID    44
#define INO_GID    48
#define INO_MODE   52
#define INO_MTIME  136
#define INO_LEN    160
/* struct btrfs_root_item: an inode item, then these */
#define RI_BYTENR  176
#define RI_LEVEL   238
#define RI_MINLEN  239
/* struct btrfs_dir_item: location key, transid, data_len, name_len, type; then name, data */
#define DI_LOC     0
#define DI_DATALEN 25
#define DI_NAMELEN 27
#define DI_TYPE    29
#define DI_LEN     30
/* struct btrfs_root_ref (ROOT_BACKREF body): dirid, sequence, name_len, name */
#define RR_DIRID   0
#define RR_NAMELEN 16
#define RR_LEN     18
/* struct btrfs_inode_ref: index, name_len, name */
#define IR_NAMELEN 8
#define IR_LEN     10

#define BT_NAME_LEN 255u     /* BTRFS_NAME_LEN */

/* Inode numbers carry the subvolume (its index in roots[]) above 48 bits of object id. */
#define INO_SHIFT 48
#define OBJ_MASK  (((uint64_t)1 << INO_SHIFT) - 1)

struct bt_fs {
    struct pvb_btrfs b;
    struct bt_path meta;      /* for stat and lookups; re-aimed at whichever tree they need */
};

static pvb_ino mkino(unsigned root, uint64_t obj)
{
    return (pvb_ino)root << INO_SHIFT | obj;
}

/* The path aimed at a tree; nodes cached for another tree are forgotten. */
static struct bt_path *aim(struct bt_fs *fs, const struct bt_root *r)
{
    unsigned l;

    if (fs->meta.root.id != r->id || fs->meta.root.bytenr != r->bytenr ||
        fs->meta.root.level != r->level) {
        fs->meta.root = *r;
        for (l = 0; l <= BT_MAX_LEVEL; l++)
            fs->meta.lv[l].loaded = 0;
    }
    return &fs->meta;
}

static struct bt_root root_tree(const struct bt_fs *fs)
{
    struct bt_root r;

    r.id = BT_ROOT_TREE_OBJ;
    r.bytenr = fs->b.root;
    r.level = fs->b.root_level;
    return r;
}

/*
 * The index in roots[] of subvolume id, reading its ROOT_ITEM from the root
 * tree the first time (a snapshot's key offset is its creation transid, so
 * the last ROOT_ITEM of the id is taken). PVB_ENOTFOUND: no such subvolume.
 */
static int get_root(struct bt_fs *fs, uint64_t id, unsigned *idx)
{
    struct pvb_btrfs *b = &fs->b;
    struct bt_root rt = root_tree(fs), *arr;
    struct bt_item it;
    struct bt_key k;
    unsigned i;
    int rc;

    for (i = 0; i < b->nroots; i++)
        if (b->roots[i].id == id) {
            *idx = i;
            return 0;
        }
    if (id != BT_FS_TREE_OBJ && (id < BT_FIRST_FREE || id > BT_LAST_FREE))
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "btrfs: %llu is not a subvolume id",
                        (unsigned long long)id);
    k.obj = id;
    k.type = BT_ROOT_ITEM;
    k.off = UINT64_MAX;
    rc = pvb_bt_search_le(aim(fs, &rt), &k, &it);
    if (rc && rc != PVB_ENOTFOUND)
        return rc;
    if (rc || it.key.obj != id || it.key.type != BT_ROOT_ITEM)
        return pvb_fail(b->ctx, PVB_ENOTFOUND, "btrfs: subvolume %llu has no root item",
                        (unsigned long long)id);
    if (it.len < RI_MINLEN || it.body[RI_LEVEL] > BT_MAX_LEVEL)
        return pvb_fail(b->ctx, PVB_ECORRUPT, "btrfs: subvolume %llu: root item of %u bytes, "
                        "level %u", (unsigned long long)id, (unsigned)it.len,
                        it.len < RI_MINLEN ? 0 : it.body[RI_LEVEL]);
    if (b->nroots >= BT_MAX_ROOTS)
        return pvb_fail(b->ctx, PVB_ELIMIT, "btrfs: more than %u subvolumes visited",
                        BT_MAX_ROOTS);
    arr = pvb_grow(b->ctx, b->roots, &b->root_cap, b->nroots + 1, sizeof(*arr), "btrfs roots");
    if (!arr)
        return b->ctx->err;
    b->roots = arr;
    arr[b->nroots].id = id;
    arr[b->nroots].bytenr = pvb_le64(it.body + RI_BYTENR);
    arr[b->nroots].level = it.body[RI_LEVEL];
    *idx = b->nroots++;
    return 0;
}

/* The tree and object an inode number names. */
static int unino(struct bt_fs *fs, pvb_ino ino, const struct bt_root **r, uint64_t *obj)
{
    unsigned idx = (unsigned)(ino >> INO_SHIFT);

    *r = fs->b.roots;
    *obj = ino & OBJ_MASK;
    if (idx >= fs->b.nroots)
        return pvb_fail(fs->b.ctx, PVB_EINVAL, "btrfs: inode number 0x%llx names no subvolume",
                        (unsigned long long)ino);
    *r = &fs->b.roots[idx];
    *obj = ino & OBJ_MASK;
    return 0;
}

static int inode_stat(struct bt_fs *fs, pvb_ino ino, struct pvb_stat *st)
{
    const struct bt_root *r;
    struct bt_item it;
    struct bt_key k;
    uint64_t obj;
    int rc;

    if ((rc = unino(fs, ino, &r, &obj)) != 0)
        return rc;
    k.obj = obj;
    k.type = BT_INODE_ITEM;
    k.off = 0;
    rc = pvb_bt_search_ge(aim(fs, r), &k, &it);
    if (rc && rc != PVB_ENOTFOUND)
        return rc;
    if (rc || it.key.obj != obj || it.key.type != BT_INODE_ITEM)
        return pvb_fail(fs->b.ctx, PVB_ENOTFOUND, "btrfs: subvolume %llu: inode %llu has no "
                        "inode item", (unsigned long long)r->id, (unsigned long long)obj);
    if (it.len < INO_LEN)
        return pvb_fail(fs->b.ctx, PVB_ECORRUPT, "btrfs: subvolume %llu: inode %llu: item of "
                        "%u bytes", (unsigned long long)r->id, (unsigned long long)obj,
                        (unsigned)it.len);
    memset(st, 0, sizeof(*st));
    st->ino = ino;
    st->mode = pvb_le32(it.body + INO_MODE);
    st->type = pvb_mode_type(st->mode);
    st->size = pvb_le64(it.body + INO_SIZE);
    st->nlink = pvb_le32(it.body + INO_NLINK);
    st->uid = pvb_le32(it.body + INO_UID);
    st->gid = pvb_le32(it.body + INO_GID);
    st->mtime = (int64_t)pvb_le64(it.body + INO_MTIME);
    return 0;
}

static int bt_stat(void *priv, pvb_ino ino, struct pvb_stat *st)
{
    return inode_stat(priv, ino, st);
}

static void bt_umount(void *priv)
{
    struct bt_fs *fs = priv;

    if (!fs)
        return;
    pvb_bt_path_free(&fs->meta);
    pvb_free(fs->b.ctx, fs->b.chunks);
    pvb_free(fs->b.ctx, fs->b.roots);
    pvb_free(fs->b.ctx, fs->b.ncache);
    pvb_free(fs->b.ctx, fs);
}

static int bt_mount(struct pvb_disk *vol, void **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct bt_fs *fs = pvb_zalloc(c, sizeof(*fs), "btrfs");
    struct bt_root none;
    struct pvb_stat st;
    unsigned idx = 0;
    int rc;

    if (!fs)
        return c->err;
    memset(&none, 0, sizeof(none));
    pvb_bt_path_init(&fs->b, &fs->meta, &none);
    rc = pvb_bt_sb_read(vol, &fs->b);
    if (!rc)
        rc = pvb_bt_chunks_load(&fs->b);
    if (!rc)
        rc = get_root(fs, BT_FS_TREE_OBJ, &idx);
    if (rc == PVB_ENOTFOUND)
        rc = pvb_fail(c, PVB_ECORRUPT, "btrfs: no top-level subvolume (FS_TREE)");
    fs->b.top = idx;
    if (!rc)
        rc = inode_stat(fs, mkino(idx, BT_FIRST_FREE), &st);
    if (rc == PVB_ENOTFOUND)
        rc = pvb_fail(c, PVB_ECORRUPT, "btrfs: the top-level subvolume has no root directory");
    if (!rc && st.type != PVB_FT_DIR)
        rc = pvb_fail(c, PVB_ECORRUPT, "btrfs: the root directory is not a directory (mode 0%o)",
                      (unsigned)st.mode);
    if (rc) {
        bt_umount(fs);
        return rc;
    }
    *out = fs;
    return 0;
}

static void bt_info(void *priv, struct pvb_fs_info *out)
{
    struct bt_fs *fs = priv;

    out->version_major = 0;
    out->flags = PVB_FSI_FTYPE;
    snprintf(out->version, sizeof(out->version), "btrfs");
    memcpy(out->label, fs->b.label, sizeof(out->label) - 1);
    out->label[sizeof(out->label) - 1] = '\0';
    memcpy(out->uuid, fs->b.fsid, 16);
    out->block_size = fs->b.sectorsize;
    pvb_bt_features(&fs->b, out->features, sizeof(out->features));
}

static pvb_ino bt_root(void *priv)
{
    struct bt_fs *fs = priv;

    return mkino(fs->b.top, BT_FIRST_FREE);
}

/* ---- directories ------------------------------------------------------------ */

/* One entry of a DIR_ITEM item (several share an item when their names' hashes collide). */
struct dirent {
    struct bt_key loc;
    unsigned type;
    const uint8_t *name;
    size_t len;
};

typedef int (*dirent_fn)(void *arg, const struct dirent *e);

/* Each entry of a DIR_ITEM item, checked whole first (as the kernel's check_dir_item). */
static int dir_item_each(struct bt_fs *fs, const struct bt_item *it, dirent_fn fn, void *arg)
{
    uint32_t at = 0;
    int rc;

    while (at < it->len) {
        const uint8_t *d = it->body + at;
        struct dirent e;
        uint32_t nl, dl;

        if (it->len - at < DI_LEN)
            return pvb_fail(fs->b.ctx, PVB_ECORRUPT, "btrfs: directory %llu: dir item at %u "
                            "cut short", (unsigned long long)it->key.obj, (unsigned)at);
        nl = pvb_le16(d + DI_NAMELEN);
        dl = pvb_le16(d + DI_DATALEN);
        if (nl == 0 || nl > BT_NAME_LEN || nl + dl > it->len - at - DI_LEN)
            return pvb_fail(fs->b.ctx, PVB_ECORRUPT, "btrfs: directory %llu: dir item at %u: "
                            "name of %u and data of %u bytes do not fit its %u bytes",
                            (unsigned long long)it->key.obj, (unsigned)at, (unsigned)nl,
                            (unsigned)dl, (unsigned)it->len);
        e.loc.obj = pvb_le64(d + DI_LOC);
        e.loc.type = d[DI_LOC + 8];
        e.loc.off = pvb_le64(d + DI_LOC + 9);
        e.type = d[DI_TYPE];
        e.name = d + DI_LEN;
        e.len = nl;
        if ((rc = pvb_charge(fs->b.ctx, PVB_BUDGET_SCAN, 1)) != 0)
            return rc;
        if ((rc = fn(arg, &e)) != 0)
            return rc;
        at += DI_LEN + nl + dl;
    }
    return 0;
}

/* The inode a directory entry names: in the same subvolume, or the root directory of the
 * subvolume its ROOT_ITEM location names (GRUB: the subvolume's object 256). */
static int entry_ino(struct bt_fs *fs, unsigned rootidx, const struct dirent *e, pvb_ino *out)
{
    unsigned idx;
    int rc;

    if (e->loc.type == BT_INODE_ITEM) {
        if (e->loc.obj > OBJ_MASK)
            return pvb_fail(fs->b.ctx, PVB_EUNSUPPORTED, "btrfs: inode %llu: object ids above "
                            "2^48 are not read", (unsigned long long)e->loc.obj);
        *out = mkino(rootidx, e->loc.obj);
        return 0;
    }
    if (e->loc.type == BT_ROOT_ITEM) {
        if ((rc = get_root(fs, e->loc.obj, &idx)) != 0)
            return rc;
        *out = mkino(idx, BT_FIRST_FREE);
        return 0;
    }
    return pvb_fail(fs->b.ctx, PVB_ECORRUPT, "btrfs: entry '%.*s' points at a key of type %u",
                    (int)e->len, (const char *)e->name, e->loc.type);
}

struct find {
    const char *name;
    size_t len;
    struct dirent hit;
};

static int find_one(void *arg, const struct dirent *e)
{
    struct find *f = arg;

    if (e->len != f->len || memcmp(e->name, f->name, f->len) != 0)
        return 0;
    f->hit = *e;
    return 1;
}

/* A name is found by its hash: the DIR_ITEM keyed (dir, DIR_ITEM, btrfs_name_hash(name)). */
static int dir_find(struct bt_fs *fs, const struct bt_root *r, uint64_t dir, const char *name,
                    size_t len, struct dirent *hit)
{
    struct find f;
    struct bt_item it;
    struct bt_key k;
    int rc;

    k.obj = dir;
    k.type = BT_DIR_ITEM;
    k.off = pvb_btrfs_name_hash(name, len);
    rc = pvb_bt_search_ge(aim(fs, r), &k, &it);
    if (rc && rc != PVB_ENOTFOUND)
        return rc;
    if (rc || pvb_bt_key_cmp(&it.key, &k) != 0)
        return PVB_ENOTFOUND;
    f.name = name;
    f.len = len;
    rc = dir_item_each(fs, &it, find_one, &f);
    if (rc == 1) {
        *hit = f.hit;
        return 0;
    }
    return rc ? rc : PVB_ENOTFOUND;
}

static int bt_lookup(void *priv, pvb_ino dirino, const char *name, size_t len, pvb_ino *out)
{
    struct bt_fs *fs = priv;
    const struct bt_root *r;
    struct dirent e;
    uint64_t dir;
    int rc;

    if ((rc = unino(fs, dirino, &r, &dir)) != 0)
        return rc;
    rc = dir_find(fs, r, dir, name, len, &e);
    if (rc == PVB_ENOTFOUND)
        return pvb_fail(fs->b.ctx, PVB_ENOTFOUND, "btrfs: '%.*s' not in directory %llu of "
                        "subvolume %llu", (int)len, name, (unsigned long long)dir,
                        (unsigned long long)r->id);
    return rc ? rc : entry_ino(fs, (unsigned)(dirino >> INO_SHIFT), &e, out);
}

static enum pvb_ftype dir_type(unsigned t)
{
    static const enum pvb_ftype map[] = {
        PVB_FT_UNKNOWN, PVB_FT_REG, PVB_FT_DIR, PVB_FT_CHR, PVB_FT_BLK, PVB_FT_FIFO,
        PVB_FT_SOCK, PVB_FT_LNK
    };

    return t < sizeof(map) / sizeof(map[0]) ? map[t] : PVB_FT_UNKNOWN;
}

struct list {
    struct bt_fs *fs;
    unsigned rootidx;
    uint64_t hash;           /* the item's key offset: each name must hash to it */
    pvb_dirent_fn fn;
    void *arg;
};

static int list_one(void *arg, const struct dirent *e)
{
    struct list *l = arg;
    char buf[BT_NAME_LEN + 1];
    pvb_ino ino;
    int rc;

    if (memchr(e->name, '/', e->len) || memchr(e->name, 0, e->len)) {
        pvb_warn(l->fs->b.ctx, "btrfs: entry of %zu bytes skipped: not a name a path can hold",
                 e->len);
        return 0;
    }
    memcpy(buf, e->name, e->len);
    buf[e->len] = '\0';
    if (pvb_btrfs_name_hash(e->name, e->len) != l->hash) {
        pvb_warn(l->fs->b.ctx, "btrfs: entry '%s' skipped: its name does not hash to its key "
                 "(0x%llx): no lookup can find it", buf, (unsigned long long)l->hash);
        return 0;
    }
    rc = entry_ino(l->fs, l->rootidx, e, &ino);
    if (rc == PVB_ENOTFOUND) {
        pvb_warn(l->fs->b.ctx, "btrfs: entry '%s' skipped: %s", buf, pvb_ctx_msg(l->fs->b.ctx));
        return 0;
    }
    if (rc)
        return rc;
    return l->fn(l->arg, buf, ino, dir_type(e->type));
}

/* Every DIR_ITEM of the directory, in hash order, as GRUB lists it. */
static int bt_readdir(void *priv, pvb_ino dirino, pvb_dirent_fn fn, void *arg)
{
    struct bt_fs *fs = priv;
    const struct bt_root *r;
    struct bt_path p;
    struct bt_item it;
    struct bt_key k;
    struct list l;
    uint64_t dir;
    int rc;

    if ((rc = unino(fs, dirino, &r, &dir)) != 0)
        return rc;
    l.fs = fs;
    l.rootidx = (unsigned)(dirino >> INO_SHIFT);
    l.fn = fn;
    l.arg = arg;
    k.obj = dir;
    k.type = BT_DIR_ITEM;
    k.off = 0;
    pvb_bt_path_init(&fs->b, &p, r);
    rc = pvb_bt_search_ge(&p, &k, &it);
    while (!rc && it.key.obj == dir && it.key.type == BT_DIR_ITEM) {
        l.hash = it.key.off;
        if ((rc = dir_item_each(fs, &it, list_one, &l)) != 0)
            break;
        /* list_one may have read the root tree through fs->meta, never through p. */
        rc = pvb_bt_next(&p, &it);
    }
    pvb_bt_path_free(&p);
    return rc == PVB_ENOTFOUND ? 0 : rc;
}

/* ---- files -------------------------------------------------------------------- */

static int bt_open(void *priv, pvb_ino ino, void **out)
{
    struct bt_fs *fs = priv;
    const struct bt_root *r;
    struct bt_file *f = NULL;
    uint64_t obj;
    int rc;

    if ((rc = unino(fs, ino, &r, &obj)) != 0)
        return rc;
    rc = pvb_bt_file_open(&fs->b, r, obj, 0, &f);
    if (!rc)
        *out = f;
    return rc;
}

static int bt_pread(void *priv, void *buf, size_t len, uint64_t off)
{
    return pvb_bt_file_pread(priv, buf, len, off);
}

static void bt_close(void *priv)
{
    pvb_bt_file_close(priv);
}

/* A symlink's target is its file data (an inline extent), as long as its size. */
static int bt_readlink(void *priv, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    struct bt_fs *fs = priv;
    struct pvb_stat st;
    void *f = NULL;
    int rc;

    if ((rc = inode_stat(fs, ino, &st)) != 0)
        return rc;
    if (st.type != PVB_FT_LNK)
        return pvb_fail(fs->b.ctx, PVB_EINVAL, "btrfs: inode %llu is not a symlink",
                        (unsigned long long)(ino & OBJ_MASK));
    if (st.size > cap)
        return pvb_fail(fs->b.ctx, PVB_ELIMIT, "btrfs: symlink %llu of %llu bytes is longer "
                        "than %zu", (unsigned long long)(ino & OBJ_MASK),
                        (unsigned long long)st.size, cap);
    if ((rc = bt_open(fs, ino, &f)) != 0)
        return rc;
    rc = bt_pread(f, buf, (size_t)st.size, 0);
    bt_close(f);
    if (!rc)
        *len = (size_t)st.size;
    return rc;
}

const struct pvb_fs_ops pvb_btrfs_ops = {
    .name = "btrfs", .mount = bt_mount, .umount = bt_umount, .info = bt_info,
    .root = bt_root, .lookup = bt_lookup, .stat = bt_stat, .readlink = bt_readlink,
    .readdir = bt_readdir, .open = bt_open, .pread = bt_pread, .close = bt_close,
};

/* ---- subvolumes, for the boot layer ------------------------------------------------ */

static struct bt_fs *btrfs_of(struct pvb_fs *fs)
{
    return fs && fs->ops == &pvb_btrfs_ops ? fs->priv : NULL;
}

int pvb_btrfs_default_subvol(struct pvb_fs *pfs, uint64_t *id)
{
    struct bt_fs *fs = btrfs_of(pfs);
    struct bt_root rt;
    struct dirent e;
    int rc;

    if (!fs)
        return pvb_fail(pfs->ctx, PVB_EINVAL, "%s: not a btrfs filesystem", pfs->ops->name);
    rt = root_tree(fs);
    rc = dir_find(fs, &rt, BT_ROOT_DIR_OBJ, "default", 7, &e);
    if (rc == PVB_ENOTFOUND) {
        *id = BT_FS_TREE_OBJ;   /* no "default" entry: the top level, as the kernel mounts */
        return 0;
    }
    if (rc)
        return rc;
    if (e.loc.type != BT_ROOT_ITEM)
        return pvb_fail(fs->b.ctx, PVB_ECORRUPT, "btrfs: the default subvolume entry points at "
                        "a key of type %u", e.loc.type);
    *id = e.loc.obj;
    return 0;
}

int pvb_btrfs_set_root_id(struct pvb_fs *pfs, uint64_t id)
{
    struct bt_fs *fs = btrfs_of(pfs);
    unsigned idx;
    int rc;

    if (!fs)
        return pvb_fail(pfs->ctx, PVB_EINVAL, "%s: not a btrfs filesystem", pfs->ops->name);
    if ((rc = get_root(fs, id, &idx)) != 0)
        return rc;
    fs->b.top = idx;
    return 0;
}

int pvb_btrfs_set_root_path(struct pvb_fs *pfs, const char *path)
{
    struct bt_fs *fs = btrfs_of(pfs);
    pvb_ino ino;
    int rc;

    if (!fs)
        return pvb_fail(pfs->ctx, PVB_EINVAL, "%s: not a btrfs filesystem", pfs->ops->name);
    fs->b.top = 0;   /* subvol= paths start at the top level (FS_TREE) */
    if ((rc = pvb_fs_lookup(pfs, path, 1, &ino)) != 0)
        return rc;
    if ((ino & OBJ_MASK) != BT_FIRST_FREE)
        return pvb_fail(fs->b.ctx, PVB_ENOTFOUND, "btrfs: %s is not a subvolume", path);
    fs->b.top = (unsigned)(ino >> INO_SHIFT);
    return 0;
}

/* Prepend "/name" (n bytes) to the path being built backwards in buf[*at..cap). */
static int prepend(struct bt_fs *fs, char *buf, size_t *at, const uint8_t *name, size_t n)
{
    if (n + 1 > *at)
        return pvb_fail(fs->b.ctx, PVB_ELIMIT, "btrfs: subvolume path longer than its buffer");
    *at -= n;
    memcpy(buf + *at, name, n);
    buf[--*at] = '/';
    return 0;
}

/* The path of directory obj inside subvolume r, from its INODE_REFs, prepended to buf. */
static int dir_path(struct bt_fs *fs, const struct bt_root *r, uint64_t obj, char *buf,
                    size_t *at)
{
    unsigned depth;
    struct bt_item it;
    struct bt_key k;
    int rc;

    for (depth = 0; obj != BT_FIRST_FREE; depth++) {
        if (depth >= fs->b.ctx->lim.max_depth)
            return pvb_fail(fs->b.ctx, PVB_ELIMIT, "btrfs: directory %llu is more than %u "
                            "levels deep", (unsigned long long)obj, fs->b.ctx->lim.max_depth);
        k.obj = obj;
        k.type = BT_INODE_REF;
        k.off = 0;
        rc = pvb_bt_search_ge(aim(fs, r), &k, &it);
        if (rc && rc != PVB_ENOTFOUND)
            return rc;
        if (rc || it.key.obj != obj || it.key.type != BT_INODE_REF || it.len < IR_LEN ||
            pvb_le16(it.body + IR_NAMELEN) > it.len - IR_LEN || it.key.off == obj)
            return pvb_fail(fs->b.ctx, PVB_ECORRUPT, "btrfs: subvolume %llu: directory %llu has "
                            "no usable inode ref", (unsigned long long)r->id,
                            (unsigned long long)obj);
        if ((rc = prepend(fs, buf, at, it.body + IR_LEN, pvb_le16(it.body + IR_NAMELEN))) != 0)
            return rc;
        obj = it.key.off;
    }
    return 0;
}

int pvb_btrfs_subvol_path(struct pvb_fs *pfs, uint64_t id, char *buf, size_t cap)
{
    struct bt_fs *fs = btrfs_of(pfs);
    size_t at = cap;
    unsigned depth, idx;
    int rc;

    if (!fs)
        return pvb_fail(pfs->ctx, PVB_EINVAL, "%s: not a btrfs filesystem", pfs->ops->name);
    if (cap < 2)
        return pvb_fail(fs->b.ctx, PVB_EINVAL, "btrfs: no room for a path");
    buf[--at] = '\0';
    for (depth = 0; id != BT_FS_TREE_OBJ; depth++) {
        struct bt_root rt = root_tree(fs);
        struct bt_item it;
        struct bt_key k;
        uint64_t parent, dirid;
        char name[BT_NAME_LEN];
        size_t nl;

        if (depth >= fs->b.ctx->lim.max_depth)
            return pvb_fail(fs->b.ctx, PVB_ELIMIT, "btrfs: subvolume %llu is nested more than "
                            "%u deep", (unsigned long long)id, fs->b.ctx->lim.max_depth);
        k.obj = id;
        k.type = BT_ROOT_BACKREF;
        k.off = 0;
        rc = pvb_bt_search_ge(aim(fs, &rt), &k, &it);
        if (rc && rc != PVB_ENOTFOUND)
            return rc;
        if (rc || it.key.obj != id || it.key.type != BT_ROOT_BACKREF || it.len < RR_LEN ||
            pvb_le16(it.body + RR_NAMELEN) > it.len - RR_LEN ||
            pvb_le16(it.body + RR_NAMELEN) > BT_NAME_LEN || it.key.off == id)
            return pvb_fail(fs->b.ctx, PVB_ENOTFOUND, "btrfs: subvolume %llu has no usable back "
                            "reference", (unsigned long long)id);
        parent = it.key.off;
        dirid = pvb_le64(it.body + RR_DIRID);
        nl = pvb_le16(it.body + RR_NAMELEN);
        memcpy(name, it.body + RR_LEN, nl);
        if ((rc = prepend(fs, buf, &at, (const uint8_t *)name, nl)) != 0 ||
            (rc = get_root(fs, parent, &idx)) != 0 ||
            (rc = dir_path(fs, &fs->b.roots[idx], dirid, buf, &at)) != 0)
            return rc;
        id = parent;
    }
    if (at == cap - 1)
        buf[--at] = '/';
    memmove(buf, buf + at, cap - at);
    return 0;
}
