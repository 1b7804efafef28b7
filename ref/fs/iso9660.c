/* SPDX-License-Identifier: GPL-2.0-only */
/* The ISO 9660 driver's ops table: volume descriptors, lookup, stat, readlink, readdir, reads. */
#include <stdio.h>
#include <string.h>

#include "fs/drivers.h"
#include "fs/iso9660.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Volume descriptor fields (ECMA-119 8.4; a Joliet SVD has the same layout, 8.5). */
#define VD_TYPE       0
#define VD_MAGIC      1           /* "CD001" */
#define VD_VOLID      40          /* 32 bytes; a Joliet SVD: 16 UCS-2 units */
#define VD_SPACE      80          /* volume space size in blocks, both-endian 32 */
#define VD_ESCAPE     88          /* 32 bytes of escape sequences (SVD) */
#define VD_BLKSIZE    128         /* logical block size, both-endian 16 */
#define VD_ROOT       156         /* the root directory's record, 34 bytes */

#define VD_BOOT       0
#define VD_PRIMARY    1
#define VD_SUPP       2
#define VD_TERM       255

/* An open regular file: its extents and where the last read ended. */
struct iso_file {
    struct pvb_iso *fs;
    struct iso_node n;
    unsigned cur;             /* extent holding base */
    uint64_t base;            /* file offset of extent cur */
};

/* The descriptor GRUB reads (grub_iso9660_mount): checked before anything is
 * derived from it. GRUB assumes 2048-byte blocks and ignores the size fields;
 * Linux honours 512 and 1024 too, which no mastering tool writes for CDs. */
static int desc_check(struct pvb_iso *fs, const uint8_t *d, unsigned blk)
{
    unsigned bs = pvb_le16(d + VD_BLKSIZE);
    uint32_t space = pvb_le32(d + VD_SPACE);
    const uint8_t *root = d + VD_ROOT;
    uint64_t end;

    if (bs != ISO_BLOCK)
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "iso9660: descriptor at block %u: logical "
                        "block size %u (only 2048 is read)", blk, bs);
    if (space <= blk)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: descriptor at block %u: volume space "
                        "size %lu blocks does not hold the descriptor itself", blk,
                        (unsigned long)space);
    if (root[DR_LEN] < ISO_REC_MIN || root[DR_NAMELEN] != 1 || !(root[DR_FLAGS] & DRF_DIR))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: descriptor at block %u: the root "
                        "directory record is malformed (length %u, name length %u, flags 0x%02x)",
                        blk, root[DR_LEN], root[DR_NAMELEN], root[DR_FLAGS]);
    end = ((uint64_t)pvb_le32(root + DR_EXTENT) << ISO_BLOCK_LOG) + pvb_le32(root + DR_SIZE);
    if (pvb_le32(root + DR_SIZE) < ISO_REC_MIN || end > (uint64_t)space << ISO_BLOCK_LOG)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: descriptor at block %u: root directory "
                        "(%lu bytes at block %lu) lies outside the volume space of %lu blocks",
                        blk, (unsigned long)pvb_le32(root + DR_SIZE),
                        (unsigned long)pvb_le32(root + DR_EXTENT), (unsigned long)space);
    if ((uint64_t)space << ISO_BLOCK_LOG > fs->vol_bytes)
        pvb_warn(fs->ctx, "iso9660: volume space of %lu blocks is larger than the volume "
                 "(%llu bytes): the image is truncated", (unsigned long)space,
                 (unsigned long long)fs->vol_bytes);
    return pvb_iso_extent_ok(fs, pvb_le32(root + DR_EXTENT), pvb_le32(root + DR_SIZE),
                             "root directory", (uint64_t)blk << ISO_BLOCK_LOG);
}

/* GRUB's grub_iso9660_label: the volume id, trailing blanks dropped. */
static void take_label(struct pvb_iso *fs, const uint8_t *d)
{
    size_t n;

    if (fs->joliet)
        n = pvb_iso_ucs2_utf8(d + VD_VOLID, 16, fs->label, sizeof(fs->label) - 1);
    else {
        memcpy(fs->label, d + VD_VOLID, 32);
        n = 32;
    }
    fs->label[n] = '\0';
    n = strlen(fs->label);
    while (n && fs->label[n - 1] == ' ')
        fs->label[--n] = '\0';
}

/*
 * The descriptor set from block 16 to its terminator, as grub_iso9660_mount walks
 * it: a primary descriptor is taken, and Rock Ridge looked for on its root; a
 * supplementary one with a Joliet escape (%/@, %/C, %/E: UCS-2 levels 1-3) is taken
 * instead only while no Rock Ridge was found. So GRUB prefers Rock Ridge, then
 * Joliet, then plain ISO 9660 names. A block without "CD001" before the terminator
 * ends GRUB's mount ("not a ISO9660 filesystem"); we also stop after ISO_MAX_DESC.
 */
static int walk_descriptors(struct pvb_iso *fs, uint8_t *d)
{
    unsigned i;
    int rc, took = 0;

    for (i = 0; i < ISO_MAX_DESC; i++) {
        unsigned blk = ISO_FIRST_DESC + i;
        uint64_t off = (uint64_t)blk << ISO_BLOCK_LOG;
        int take = 0;

        if (!pvb_span_ok(off, ISO_BLOCK, fs->vol_bytes))
            return i ? pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: descriptor set runs past the "
                                "end of the volume at block %u", blk)
                     : pvb_fail(fs->ctx, PVB_ENOTMINE, "iso9660: volume too small");
        if ((rc = pvb_disk_pread(fs->vol, d, ISO_BLOCK, off)) != 0)
            return rc;
        if (memcmp(d + VD_MAGIC, "CD001", 5) != 0)
            return i ? pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: block %u has no CD001 "
                                "signature: the descriptor set ends without a terminator", blk)
                     : pvb_fail(fs->ctx, PVB_ENOTMINE, "iso9660: no CD001 at block 16");
        fs->ndesc = i + 1;
        if (d[VD_TYPE] == VD_PRIMARY)
            take = 1;
        else if (!fs->rr && d[VD_TYPE] == VD_SUPP && d[VD_ESCAPE] == 0x25 &&
                 d[VD_ESCAPE + 1] == 0x2f &&
                 (d[VD_ESCAPE + 2] == 0x40 || d[VD_ESCAPE + 2] == 0x43 ||
                  d[VD_ESCAPE + 2] == 0x45)) {
            take = 1;
            fs->joliet = 1;   /* never reset, as in GRUB */
        }
        if (take) {
            if ((rc = desc_check(fs, d, blk)) != 0)
                return rc;
            took = 1;
            fs->desc_type = d[VD_TYPE];
            fs->space_blocks = pvb_le32(d + VD_SPACE);
            memcpy(fs->root, d + VD_ROOT, ISO_REC_MIN);
            fs->root_ino = off + VD_ROOT;
            take_label(fs, d);
            if ((rc = pvb_iso_detect_rr(fs)) != 0)
                return rc;
        }
        if (d[VD_TYPE] == VD_TERM)
            return took ? 0 : pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: the descriptor set "
                                       "has no primary volume descriptor");
    }
    return pvb_fail(fs->ctx, PVB_ECORRUPT, "iso9660: no descriptor set terminator in the "
                    "first %u descriptors", ISO_MAX_DESC);
}

static int iso_mount(struct pvb_disk *vol, void **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct pvb_iso *fs;
    uint8_t *d;
    int rc;

    /* Probe before allocating: most volumes are not ISO 9660. */
    if (vol->size < (uint64_t)(ISO_FIRST_DESC + 1) << ISO_BLOCK_LOG)
        return pvb_fail(c, PVB_ENOTMINE, "iso9660: volume too small");
    if (!(fs = pvb_zalloc(c, sizeof(*fs), "iso9660")))
        return c->err;
    if (!(d = pvb_alloc(c, ISO_BLOCK, "iso9660 descriptor"))) {
        pvb_free(c, fs);
        return c->err;
    }
    fs->vol = vol;
    fs->ctx = c;
    fs->vol_bytes = vol->size;
    rc = walk_descriptors(fs, d);
    pvb_free(c, d);
    if (rc) {
        pvb_free(c, fs);
        return rc;
    }
    snprintf(fs->features, sizeof(fs->features), "%s%s%s, %u descriptors",
             fs->rr ? "rockridge" : "", fs->rr && fs->joliet ? " " : "",
             fs->joliet ? "joliet" : fs->rr ? "" : "plain", fs->ndesc);
    *out = fs;
    return 0;
}

static void iso_umount(void *p)
{
    struct pvb_iso *fs = p;

    pvb_free(fs->ctx, fs);
}

static void iso_info(void *p, struct pvb_fs_info *out)
{
    struct pvb_iso *fs = p;

    out->version_major = 1;
    snprintf(out->version, sizeof(out->version), "iso9660%s%s", fs->rr ? "+rr" : "",
             fs->joliet ? "+joliet" : "");
    memcpy(out->label, fs->label, sizeof(out->label));
    out->block_size = ISO_BLOCK;
    snprintf(out->features, sizeof(out->features), "%s", fs->features);
}

static pvb_ino iso_root(void *p)
{
    return ((struct pvb_iso *)p)->root_ino;
}

struct find {
    const char *name;
    size_t len;
    pvb_ino ino;
};

static int ascii_eq_fold(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char x = a[i], y = b[i];

        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

/* GRUB's fshelp find_file: the first entry whose name matches wins. */
static int find_one(void *arg, const struct iso_dirent *e)
{
    struct find *f = arg;

    if (e->len != f->len)
        return 0;
    if (e->fold ? !ascii_eq_fold(e->name, f->name, f->len) : memcmp(e->name, f->name, f->len))
        return 0;
    f->ino = e->ino;
    return 1;
}

static int dir_node(struct pvb_iso *fs, pvb_ino ino, struct iso_node *n)
{
    int rc = pvb_iso_node_get(fs, ino, n);

    if (!rc && n->type != PVB_FT_DIR) {
        pvb_iso_node_free(fs, n);
        rc = pvb_fail(fs->ctx, PVB_ENOTDIR, "iso9660: inode %llu is not a directory",
                      (unsigned long long)ino);
    }
    return rc;
}

static int iso_lookup(void *p, pvb_ino dir, const char *name, size_t len, pvb_ino *out)
{
    struct pvb_iso *fs = p;
    struct iso_node d;
    struct find f;
    int rc;

    if ((rc = dir_node(fs, dir, &d)) != 0)
        return rc;
    f.name = name;
    f.len = len;
    rc = pvb_iso_dir_iter(fs, &d, find_one, &f);
    pvb_iso_node_free(fs, &d);
    if (rc == 1) {
        *out = f.ino;
        return 0;
    }
    return rc ? rc : pvb_fail(fs->ctx, PVB_ENOTFOUND, "iso9660: '%.*s' not in directory %llu",
                              (int)len, name, (unsigned long long)dir);
}

static int iso_stat(void *p, pvb_ino ino, struct pvb_stat *st)
{
    struct pvb_iso *fs = p;
    struct iso_node n;
    int rc = pvb_iso_node_get(fs, ino, &n);

    if (rc)
        return rc;
    memset(st, 0, sizeof(*st));
    st->ino = ino;
    st->type = n.type;
    st->mode = n.mode;
    st->size = n.size;
    st->nlink = n.nlink;
    st->uid = n.uid;
    st->gid = n.gid;
    st->mtime = n.mtime;
    pvb_iso_node_free(fs, &n);
    return 0;
}

static int iso_readlink(void *p, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    struct pvb_iso *fs = p;
    struct iso_node n;
    int rc = pvb_iso_node_get(fs, ino, &n);

    if (rc)
        return rc;
    if (n.type != PVB_FT_LNK)
        rc = pvb_fail(fs->ctx, PVB_EINVAL, "iso9660: inode %llu is not a symlink",
                      (unsigned long long)ino);
    else if (n.linklen > cap)
        rc = pvb_fail(fs->ctx, PVB_ELIMIT, "iso9660: symlink %llu: target of %lu bytes is "
                      "longer than %lu", (unsigned long long)ino, (unsigned long)n.linklen,
                      (unsigned long)cap);
    else {
        if (n.linklen)
            memcpy(buf, n.link, n.linklen);
        *len = n.linklen;
    }
    pvb_iso_node_free(fs, &n);
    return rc;
}

struct list {
    pvb_dirent_fn fn;
    void *arg;
};

static int list_one(void *arg, const struct iso_dirent *e)
{
    struct list *l = arg;

    return l->fn(l->arg, e->name, e->ino, e->type);
}

static int iso_readdir(void *p, pvb_ino dir, pvb_dirent_fn fn, void *arg)
{
    struct pvb_iso *fs = p;
    struct iso_node d;
    struct list l;
    int rc;

    if ((rc = dir_node(fs, dir, &d)) != 0)
        return rc;
    l.fn = fn;
    l.arg = arg;
    rc = pvb_iso_dir_iter(fs, &d, list_one, &l);
    pvb_iso_node_free(fs, &d);
    return rc;
}

static int iso_open(void *p, pvb_ino ino, void **out)
{
    struct pvb_iso *fs = p;
    struct iso_file *f = pvb_zalloc(fs->ctx, sizeof(*f), "iso9660 file");
    int rc;

    if (!f)
        return fs->ctx->err;
    f->fs = fs;
    rc = pvb_iso_node_get(fs, ino, &f->n);
    if (!rc && f->n.type != PVB_FT_REG) {
        pvb_iso_node_free(fs, &f->n);
        rc = pvb_fail(fs->ctx, PVB_EINVAL, "iso9660: inode %llu is not a regular file",
                      (unsigned long long)ino);
    }
    if (rc) {
        pvb_free(fs->ctx, f);
        return rc;
    }
    *out = f;
    return 0;
}

/* The file is its extents laid end to end (GRUB read_node). A sequential read
 * keeps its extent; a read before it starts from the first. */
static int iso_pread(void *p, void *buf, size_t len, uint64_t off)
{
    struct iso_file *f = p;
    uint8_t *out = buf;
    int rc;

    if (off < f->base) {
        f->cur = 0;
        f->base = 0;
    }
    while (len > 0) {
        const struct iso_ext *x;
        uint64_t in;
        size_t n;

        while (f->cur < f->n.next && off - f->base >= f->n.ext[f->cur].size) {
            f->base += f->n.ext[f->cur].size;
            f->cur++;
        }
        if (f->cur >= f->n.next)
            return pvb_fail(f->fs->ctx, PVB_ERANGE, "iso9660: inode %llu: read at %llu past "
                            "its extents", (unsigned long long)f->n.ino, (unsigned long long)off);
        x = &f->n.ext[f->cur];
        in = off - f->base;
        n = x->size - in < len ? (size_t)(x->size - in) : len;
        rc = pvb_disk_pread(f->fs->vol, out, n, ((uint64_t)x->block << ISO_BLOCK_LOG) + in);
        if (rc)
            return rc;
        out += n;
        off += n;
        len -= n;
    }
    return 0;
}

static void iso_close(void *p)
{
    struct iso_file *f = p;

    pvb_iso_node_free(f->fs, &f->n);
    pvb_free(f->fs->ctx, f);
}

const struct pvb_fs_ops pvb_iso9660_ops = {
    .name = "iso9660", .mount = iso_mount, .umount = iso_umount, .info = iso_info,
    .root = iso_root, .lookup = iso_lookup, .stat = iso_stat, .readlink = iso_readlink,
    .readdir = iso_readdir, .open = iso_open, .pread = iso_pread, .close = iso_close,
};
