/* SPDX-License-Identifier: GPL-2.0-only */
/* The ReiserFS 3.5/3.6 driver's ops table: mount, stat, lookup by hash, readdir, readlink, reads. */
#include <stdio.h>
#include <string.h>

#include "fs/drivers.h"
#include "fs/reiserfs.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"

/* struct reiserfs_de_head */
#define DEH_OFFSET 0
#define DEH_DIR    4
#define DEH_OBJ    8
#define DEH_LOC    12
#define DEH_STATE  14
#define DEH_VISIBLE 0x4u   /* 1 << DEH_Visible */

/* The mounted filesystem and a path for metadata lookups that keeps the upper levels. */
struct rs_fs {
    struct pvb_reiser r;
    struct rs_path meta;
};

/* An object is named by the first half of its keys: (directory id, object id). */
static pvb_ino mkino(uint32_t dir, uint32_t obj)
{
    return (pvb_ino)dir << 32 | obj;
}

static void unino(pvb_ino ino, uint32_t *dir, uint32_t *obj)
{
    *dir = (uint32_t)(ino >> 32);
    *obj = (uint32_t)ino;
}

static void mkkey(struct rs_key *k, uint32_t dir, uint32_t obj, uint64_t off, unsigned type)
{
    k->dir = dir;
    k->obj = obj;
    k->off = off;
    k->type = type;
}

/* Stat data v1 (3.5: 16-bit ids, 32-bit size) or v2 (3.6), as the item's key format says. */
static int sd_decode(struct pvb_reiser *fs, const struct rs_item *it, struct pvb_stat *st)
{
    const uint8_t *b = it->body;
    unsigned need = it->version ? RS_SD_V2 : RS_SD_V1;

    if (it->len < need)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: object [%u %u]: stat data v%u of %u "
                        "bytes, want %u", (unsigned)it->key.dir, (unsigned)it->key.obj,
                        it->version + 1, it->len, need);
    memset(st, 0, sizeof(*st));
    st->ino = mkino(it->key.dir, it->key.obj);
    st->mode = pvb_le16(b);
    st->type = pvb_mode_type(st->mode);
    if (it->version == 0) {
        st->nlink = pvb_le16(b + 2);
        st->uid = pvb_le16(b + 4);
        st->gid = pvb_le16(b + 6);
        st->size = pvb_le32(b + 8);
        st->mtime = pvb_le32(b + 16);
    } else {
        st->nlink = pvb_le32(b + 4);
        st->size = pvb_le64(b + 8);
        st->uid = pvb_le32(b + 16);
        st->gid = pvb_le32(b + 20);
        st->mtime = pvb_le32(b + 28);
    }
    return 0;
}

static int stat_obj(struct pvb_reiser *fs, struct rs_path *p, uint32_t dir, uint32_t obj,
                    struct pvb_stat *st)
{
    struct rs_key k;
    struct rs_item it;
    int rc;

    mkkey(&k, dir, obj, 0, RS_T_SD);
    if ((rc = pvb_rs_search(p, &k)) != 0)
        return rc;
    if (p->lv[1].pos > 0) {
        pvb_rs_item(p, p->lv[1].pos - 1, &it);
        if (pvb_rs_key_cmp(&it.key, &k) == 0)
            return sd_decode(fs, &it, st);
    }
    return pvb_fail(fs->ctx, PVB_ENOTFOUND, "reiserfs: object [%u %u] has no stat data",
                    (unsigned)dir, (unsigned)obj);
}

static int rs_stat(void *priv, pvb_ino ino, struct pvb_stat *st)
{
    struct rs_fs *fs = priv;
    uint32_t dir, obj;

    unino(ino, &dir, &obj);
    return stat_obj(&fs->r, &fs->meta, dir, obj, st);
}

static void rs_umount(void *priv)
{
    struct rs_fs *fs = priv;

    if (!fs)
        return;
    pvb_rs_path_free(&fs->meta);
    pvb_free(fs->r.ctx, fs);
}

static int rs_mount(struct pvb_disk *vol, void **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct rs_fs *fs = pvb_zalloc(c, sizeof(*fs), "reiserfs");
    struct pvb_stat st;
    int rc;

    if (!fs)
        return c->err;
    pvb_rs_path_init(&fs->r, &fs->meta);
    rc = pvb_rs_sb_read(vol, &fs->r);
    if (!rc)
        rc = stat_obj(&fs->r, &fs->meta, RS_ROOT_DIR, RS_ROOT_OBJ, &st);
    if (rc == PVB_ENOTFOUND)
        rc = pvb_fail(c, PVB_ECORRUPT, "reiserfs: the root directory [1 2] has no stat data");
    if (!rc && st.type != PVB_FT_DIR)
        rc = pvb_fail(c, PVB_ECORRUPT, "reiserfs: the root [1 2] is not a directory (mode 0%o)",
                      (unsigned)st.mode);
    if (rc) {
        rs_umount(fs);
        return rc;
    }
    *out = fs;
    return 0;
}

static void rs_info(void *priv, struct pvb_fs_info *out)
{
    struct rs_fs *fs = priv;

    out->version_major = 3;
    snprintf(out->version, sizeof(out->version), "reiserfs %s", fs->r.v36 ? "3.6" : "3.5");
    memcpy(out->label, fs->r.label, sizeof(fs->r.label));
    memcpy(out->uuid, fs->r.uuid, 16);
    out->block_size = fs->r.bs;
    pvb_rs_features(&fs->r, out->features, sizeof(out->features));
}

static pvb_ino rs_root(void *priv)
{
    (void)priv;
    return mkino(RS_ROOT_DIR, RS_ROOT_OBJ);
}

/* ---- directories ------------------------------------------------------------ */

/* One directory entry: its offset (hash and generation), the object, the name. */
struct rs_dirent {
    uint32_t off, dir, obj;
    int visible;
    const uint8_t *name;
    size_t len;
};

typedef int (*dirent_fn)(void *arg, const struct rs_dirent *e);

/*
 * Check a directory item whole before any entry is used: the headers inside
 * it, each name between its own location and the previous entry's (names are
 * stored from the item's end backwards), offsets rising from the item's key.
 */
static int dir_item_check(struct pvb_reiser *fs, const struct rs_item *it)
{
    unsigned i, n = it->count, end = it->len;
    uint32_t prev = 0;

    if (n == 0 || n > it->len / RS_DEH)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: directory [%u %u]: item of %u bytes "
                        "claims %u entries", (unsigned)it->key.dir, (unsigned)it->key.obj,
                        it->len, n);
    for (i = 0; i < n; i++) {
        const uint8_t *h = it->body + RS_DEH * i;
        unsigned loc = pvb_le16(h + DEH_LOC);
        uint32_t off = pvb_le32(h + DEH_OFFSET);

        if (loc < RS_DEH * n || loc >= end)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: directory [%u %u]: entry %u's name "
                            "at %u is outside its item (%u..%u)", (unsigned)it->key.dir,
                            (unsigned)it->key.obj, i, loc, RS_DEH * n, end);
        if ((i == 0 && off != it->key.off) || (i > 0 && off <= prev))
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: directory [%u %u]: entry %u's "
                            "offset %u is out of order", (unsigned)it->key.dir,
                            (unsigned)it->key.obj, i, (unsigned)off);
        prev = off;
        end = loc;
    }
    return 0;
}

/*
 * Call fn for the entries of directory (dir, obj) whose offsets lie in
 * [from, to], in order: from the item holding `from` through the following
 * items, leaves included. Each entry is charged to the scan budget.
 */
static int dir_scan(struct pvb_reiser *fs, struct rs_path *p, uint32_t dir, uint32_t obj,
                    uint32_t from, uint32_t to, dirent_fn fn, void *arg)
{
    struct rs_key k;
    struct rs_item it;
    unsigned i;
    int rc;

    mkkey(&k, dir, obj, from, RS_T_DIR);
    if ((rc = pvb_rs_search(p, &k)) != 0)
        return rc;
    if (p->lv[1].pos > 0) {
        pvb_rs_item(p, p->lv[1].pos - 1, &it);
        if (it.key.dir == dir && it.key.obj == obj && it.key.type == RS_T_DIR)
            p->lv[1].pos--;
    }
    if (p->lv[1].pos >= p->lv[1].nr) {
        p->lv[1].pos = p->lv[1].nr - 1;
        if ((rc = pvb_rs_next(p)) != 0)
            return rc == PVB_ENOTFOUND ? 0 : rc;
    }
    for (;;) {
        pvb_rs_item(p, p->lv[1].pos, &it);
        if (it.key.dir != dir || it.key.obj != obj || it.key.type != RS_T_DIR)
            return 0;
        if ((rc = dir_item_check(fs, &it)) != 0)
            return rc;
        for (i = 0; i < it.count; i++) {
            const uint8_t *h = it.body + RS_DEH * i;
            unsigned loc = pvb_le16(h + DEH_LOC), end = i ? pvb_le16(h - RS_DEH + DEH_LOC) : it.len;
            struct rs_dirent e;
            const uint8_t *z;

            e.off = pvb_le32(h + DEH_OFFSET);
            if (e.off < from)
                continue;
            if (e.off > to)
                return 0;
            if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
                return rc;
            e.dir = pvb_le32(h + DEH_DIR);
            e.obj = pvb_le32(h + DEH_OBJ);
            e.visible = (pvb_le16(h + DEH_STATE) & DEH_VISIBLE) != 0;
            e.name = it.body + loc;
            /* 3.6 pads names with NULs to 8 bytes (ROUND_UP in reiserfs_add_entry). */
            z = memchr(e.name, 0, end - loc);
            e.len = z ? (size_t)(z - e.name) : end - loc;
            if ((rc = fn(arg, &e)) != 0)
                return rc;
        }
        if ((rc = pvb_rs_next(p)) != 0)
            return rc == PVB_ENOTFOUND ? 0 : rc;
    }
}

struct find {
    const char *name;
    size_t len;
    pvb_ino ino;
};

static int find_one(void *arg, const struct rs_dirent *e)
{
    struct find *f = arg;

    if (!e->visible || e->len != f->len || memcmp(e->name, f->name, f->len) != 0)
        return 0;
    f->ino = mkino(e->dir, e->obj);
    return 1;
}

/*
 * A name is looked up where its hash puts it (reiserfs_find_entry): the
 * entries with offsets hash .. hash + 127, the generations of names whose
 * hashes collide; the superblock names the hash. A filesystem whose hash
 * code is unknown is scanned whole, as GRUB scans every directory.
 */
static int rs_lookup(void *priv, pvb_ino dirino, const char *name, size_t len, pvb_ino *out)
{
    struct rs_fs *fs = priv;
    uint32_t dir, obj, from = 0, to = UINT32_MAX;
    struct find f;
    int rc;

    unino(dirino, &dir, &obj);
    if (fs->r.hash >= RS_HASH_TEA && fs->r.hash <= RS_HASH_R5) {
        from = pvb_reiserfs_name_offset(fs->r.hash, (const uint8_t *)name, len);
        to = from + RS_MAX_GEN;
    }
    f.name = name;
    f.len = len;
    rc = dir_scan(&fs->r, &fs->meta, dir, obj, from, to, find_one, &f);
    if (rc == 1) {
        *out = f.ino;
        return 0;
    }
    return rc ? rc : pvb_fail(fs->r.ctx, PVB_ENOTFOUND, "reiserfs: '%.*s' not in directory "
                              "[%u %u]", (int)len, name, (unsigned)dir, (unsigned)obj);
}

struct list {
    struct rs_fs *fs;
    pvb_dirent_fn fn;
    void *arg;
};

/* Every visible entry but "." and ".."; its type from its stat data, which GRUB reads too
 * (an entry whose object has none is skipped, as GRUB skips it). */
static int list_one(void *arg, const struct rs_dirent *e)
{
    struct list *l = arg;
    struct pvb_stat st;
    char buf[256];
    int rc;

    if (!e->visible || e->off == RS_DOT_OFFSET || e->off == RS_DOTDOT_OFFSET)
        return 0;
    if (e->len == 0 || e->len > 255 || memchr(e->name, '/', e->len)) {
        pvb_warn(l->fs->r.ctx, "reiserfs: entry at offset %u of %u bytes skipped: not a name "
                 "that a path can hold", (unsigned)e->off, (unsigned)e->len);
        return 0;
    }
    memcpy(buf, e->name, e->len);
    buf[e->len] = '\0';
    rc = stat_obj(&l->fs->r, &l->fs->meta, e->dir, e->obj, &st);
    if (rc == PVB_ENOTFOUND) {
        pvb_warn(l->fs->r.ctx, "reiserfs: entry '%s' skipped: object [%u %u] has no stat data",
                 buf, (unsigned)e->dir, (unsigned)e->obj);
        return 0;
    }
    if (rc)
        return rc;
    return l->fn(l->arg, buf, st.ino, st.type);   /* non-zero stops the listing */
}

static int rs_readdir(void *priv, pvb_ino dirino, pvb_dirent_fn fn, void *arg)
{
    struct rs_fs *fs = priv;
    struct rs_path p;
    struct list l;
    uint32_t dir, obj;
    int rc;

    unino(dirino, &dir, &obj);
    l.fs = fs;
    l.fn = fn;
    l.arg = arg;
    pvb_rs_path_init(&fs->r, &p);
    rc = dir_scan(&fs->r, &p, dir, obj, 0, UINT32_MAX, list_one, &l);
    pvb_rs_path_free(&p);
    return rc;
}

/* ---- file bodies: direct and indirect items ------------------------------------ */

/* An open object's body: a path of its own and the item it stands on. */
struct rs_file {
    struct rs_fs *fs;
    uint32_t dir, obj;
    struct rs_path p;
    int state;               /* 0: no item yet, 1: on an item, 2: past the last item */
    struct rs_item cur;
    uint64_t start, end;     /* file bytes the current item holds: [start, end) */
    uint64_t gap;            /* [gap, start) is known to be a hole (to the end in state 2) */
};

/* Take the leaf's current item as the body item it should be, or note the end. */
static int take_item(struct rs_file *f, uint64_t prev_end)
{
    struct pvb_reiser *fs = &f->fs->r;
    struct rs_item *it = &f->cur;

    pvb_rs_item(&f->p, f->p.lv[1].pos, it);
    if (it->key.dir != f->dir || it->key.obj != f->obj ||
        (it->key.type != RS_T_DIRECT && it->key.type != RS_T_IND)) {
        f->state = 2;
        return 0;
    }
    f->start = it->key.off - 1;   /* key offsets count bytes from 1 */
    if (it->key.type == RS_T_DIRECT)
        f->end = f->start + it->len;
    else
        f->end = f->start + ((uint64_t)(it->len / 4) << fs->blog);
    if (it->key.off == 0 || f->start < prev_end ||
        (it->key.type == RS_T_IND && ((f->start & (fs->bs - 1)) != 0 || it->len % 4 != 0)))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: object [%u %u]: %s item at offset "
                        "%llu (%u bytes) overlaps the one before or is misaligned",
                        (unsigned)f->dir, (unsigned)f->obj,
                        it->key.type == RS_T_DIRECT ? "direct" : "indirect",
                        (unsigned long long)it->key.off, it->len);
    f->state = 1;
    return 0;
}

/* The next item in key order; it must start where the previous one ended or later. */
static int step(struct rs_file *f)
{
    uint64_t prev_end = f->state == 1 ? f->end : 0;
    int rc = pvb_rs_next(&f->p);

    f->gap = prev_end;
    if (rc == PVB_ENOTFOUND) {
        f->state = 2;
        return 0;
    }
    return rc ? rc : take_item(f, prev_end);
}

/* Stand on the item holding byte off, or on the first one after it (a hole before it). */
static int position(struct rs_file *f, uint64_t off)
{
    struct rs_key k;
    int rc;

    mkkey(&k, f->dir, f->obj, off + 1, RS_T_ANY);
    if ((rc = pvb_rs_search(&f->p, &k)) != 0)
        return rc;
    f->state = 0;
    if (f->p.lv[1].pos > 0) {
        f->p.lv[1].pos--;
        rc = take_item(f, 0);
        if (!rc && !(f->state == 1 && off < f->end))
            rc = step(f);
    } else {
        rc = take_item(f, 0);
    }
    f->gap = off;
    return rc;
}

/* Copy from an indirect item: runs of consecutive blocks in one read, 0 pointers as holes. */
static int read_indirect(struct rs_file *f, uint8_t *buf, size_t len, uint64_t off)
{
    struct pvb_reiser *fs = &f->fs->r;
    uint64_t rel = off - f->start;
    size_t idx = (size_t)(rel >> fs->blog), n = (size_t)(f->cur.len / 4);
    uint32_t within = (uint32_t)(rel & (fs->bs - 1)), blk = pvb_le32(f->cur.body + 4 * idx);
    size_t want = len, run;

    if (blk != 0 && (blk <= RS_SB_OFFSET >> fs->blog || blk >= fs->nblocks))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: object [%u %u]: block %u at file offset "
                        "%llu is outside the filesystem", (unsigned)f->dir, (unsigned)f->obj,
                        (unsigned)blk, (unsigned long long)off);
    /* How far blocks blk, blk + 1, ... continue (or the hole does). */
    run = fs->bs - within;
    while (run < want && idx + 1 < n) {
        uint32_t nx = pvb_le32(f->cur.body + 4 * (idx + 1));

        if ((blk == 0) != (nx == 0) || (blk != 0 && nx != blk + (uint32_t)(run + within) / fs->bs))
            break;
        idx++;
        run += fs->bs;
    }
    if (run < want)
        want = run;
    if (blk == 0) {
        memset(buf, 0, want);
        return (int)want;
    }
    if (((uint64_t)blk << fs->blog) + within + want > (uint64_t)fs->nblocks << fs->blog)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "reiserfs: object [%u %u]: blocks from %u run past "
                        "the filesystem", (unsigned)f->dir, (unsigned)f->obj, (unsigned)blk);
    {
        int rc = pvb_disk_pread(fs->vol, buf, want, ((uint64_t)blk << fs->blog) + within);
        return rc ? rc : (int)want;
    }
}

/*
 * Exactly len bytes at off (the fs layer keeps them inside the file). A
 * sequential reader moves from item to item with the path, reading each
 * leaf once; a jump backwards or ahead searches again. Gaps between items and
 * bytes past the last item read as zeros (holes).
 */
static int rs_pread(void *priv, void *out, size_t len, uint64_t off)
{
    struct rs_file *f = priv;
    uint8_t *buf = out;
    int rc;

    while (len > 0) {
        size_t n = len;

        if (f->state == 0 || off < f->gap || (f->state == 1 && off > f->end)) {
            if ((rc = position(f, off)) != 0)
                return rc;
        } else if (f->state == 1 && off == f->end) {
            if ((rc = step(f)) != 0)
                return rc;
            continue;
        }
        if (f->state == 2 || off < f->start) {
            if (f->state == 1 && f->start - off < n)
                n = (size_t)(f->start - off);
            memset(buf, 0, n);
        } else if (f->cur.key.type == RS_T_DIRECT) {
            if (f->end - off < n)
                n = (size_t)(f->end - off);
            memcpy(buf, f->cur.body + (off - f->start), n);
        } else {
            if (n > ((size_t)1 << 30))
                n = (size_t)1 << 30;
            if ((rc = read_indirect(f, buf, n, off)) < 0)
                return rc;
            n = (size_t)rc;
        }
        buf += n;
        off += n;
        len -= n;
    }
    return 0;
}

static void rs_close(void *priv)
{
    struct rs_file *f = priv;

    if (!f)
        return;
    pvb_rs_path_free(&f->p);
    pvb_free(f->fs->r.ctx, f);
}

static int file_open(struct rs_fs *fs, pvb_ino ino, struct rs_file **out)
{
    struct rs_file *f = pvb_zalloc(fs->r.ctx, sizeof(*f), "reiserfs file");

    if (!f)
        return fs->r.ctx->err;
    f->fs = fs;
    unino(ino, &f->dir, &f->obj);
    pvb_rs_path_init(&fs->r, &f->p);
    *out = f;
    return 0;
}

static int rs_open(void *priv, pvb_ino ino, void **out)
{
    struct rs_file *f = NULL;
    int rc = file_open(priv, ino, &f);

    if (!rc)
        *out = f;
    return rc;
}

/* A symlink's target is its body (a direct item), as long as its stat data's size. */
static int rs_readlink(void *priv, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    struct rs_fs *fs = priv;
    struct pvb_stat st;
    struct rs_file *f = NULL;
    int rc;

    if ((rc = rs_stat(fs, ino, &st)) != 0)
        return rc;
    if (st.type != PVB_FT_LNK)
        return pvb_fail(fs->r.ctx, PVB_EINVAL, "reiserfs: object [%u %u] is not a symlink",
                        (unsigned)(ino >> 32), (unsigned)ino);
    if (st.size > cap)
        return pvb_fail(fs->r.ctx, PVB_ELIMIT, "reiserfs: symlink [%u %u] of %llu bytes is "
                        "longer than %zu", (unsigned)(ino >> 32), (unsigned)ino,
                        (unsigned long long)st.size, cap);
    if ((rc = file_open(fs, ino, &f)) != 0)
        return rc;
    rc = rs_pread(f, buf, (size_t)st.size, 0);
    rs_close(f);
    if (!rc)
        *len = (size_t)st.size;
    return rc;
}

const struct pvb_fs_ops pvb_reiserfs_ops = {
    .name = "reiserfs", .mount = rs_mount, .umount = rs_umount, .info = rs_info,
    .root = rs_root, .lookup = rs_lookup, .stat = rs_stat, .readlink = rs_readlink,
    .readdir = rs_readdir, .open = rs_open, .pread = rs_pread, .close = rs_close,
};
