/* SPDX-License-Identifier: GPL-2.0-only */
/* The FAT12/16/32 driver's ops table: mount, lookup without case, stat, readdir and file reads. */
#include <stdio.h>
#include <string.h>

#include "fs/drivers.h"
#include "fs/fat.h"
#include "util/bytes.h"
#include "util/mem.h"

/* An open regular file: its size and a chain cursor that keeps its place. */
struct fat_file {
    struct pvb_fat *fs;
    pvb_ino ino;
    uint32_t size;
    struct fat_chain ch;
};

static void fat_umount(void *p)
{
    struct pvb_fat *fs = p;

    if (!fs)
        return;
    pvb_free(fs->ctx, fs->win);
    pvb_free(fs->ctx, fs);
}

/* GRUB's grub_fat_label: the first root entry whose attributes, archive bit aside, are
 * the volume ID alone; its name as the walk decodes it. The boot sector's copy is not read. */
static int label_one(void *arg, const struct fat_dirent *de)
{
    struct pvb_fat *fs = arg;
    size_t n = de->len < sizeof(fs->label) - 1 ? de->len : sizeof(fs->label) - 1;

    if ((de->raw[DE_ATTR] & ~FAT_ATTR_ARCHIVE) != FAT_ATTR_VOLUME_ID)
        return 0;
    memcpy(fs->label, de->name, n);
    fs->label[n] = '\0';
    return 1;
}

static int fat_mount(struct pvb_disk *vol, void **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct pvb_fat *fs = pvb_zalloc(c, sizeof(*fs), "fat");
    int rc;

    if (!fs)
        return c->err;
    rc = pvb_fat_super_read(vol, fs);
    if (!rc) {
        rc = pvb_fat_dir_iter(fs, fs->root_cluster, label_one, fs);
        if (rc == 1)
            rc = 0;
        /* A root directory GRUB cannot read only costs the label here; lookups
         * will meet it again. A fault of the host ends the mount. */
        if (rc && !pvb_err_fatal(rc)) {
            pvb_warn(c, "fat: no label: %s", pvb_ctx_msg(c));
            pvb_ctx_clear(c);
            fs->label[0] = '\0';
            rc = 0;
        }
    }
    if (rc) {
        fat_umount(fs);
        return rc;
    }
    *out = fs;
    return 0;
}

static void fat_info(void *p, struct pvb_fs_info *out)
{
    struct pvb_fat *fs = p;

    out->version_major = fs->bits;
    snprintf(out->version, sizeof(out->version), "fat%u", fs->bits);
    snprintf(out->label, sizeof(out->label), "%s", fs->label);
    pvb_put_be32(out->uuid, fs->serial);
    /* GRUB's grub_fat_uuid: "%04x-%04x" of the volume ID, upper-cased. */
    snprintf(out->uuid_str, sizeof(out->uuid_str), "%04X-%04X", (unsigned)(fs->serial >> 16),
             (unsigned)(fs->serial & 0xFFFF));
    out->block_size = fs->csize;
    snprintf(out->features, sizeof(out->features),
             "%u-byte sectors, %u FAT%s (reading %u), %u clusters, media 0x%02x", fs->bps,
             fs->nfats, fs->nfats == 1 ? "" : "s", fs->active, (unsigned)(fs->nclusters - 2),
             fs->media);
}

static pvb_ino fat_root(void *p)
{
    (void)p;
    return FAT_ROOT_INO;
}

struct find {
    const char *name;
    size_t len;
    pvb_ino ino;
};

/* grub_strcasecmp: only ASCII letters fold; other bytes of UTF-8 compare as they are. */
static int same_name(const char *a, const char *b, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

static int find_one(void *arg, const struct fat_dirent *de)
{
    struct find *f = arg;

    if (de->raw[DE_ATTR] & FAT_ATTR_VOLUME_ID)
        return 0;
    if (de->len != f->len || !same_name(de->name, f->name, f->len))
        return 0;
    f->ino = de->pos;
    return 1;
}

/* GRUB's lookup_file: the first entry in directory order whose name (the long name
 * when it has one, else the 8.3 name) equals without ASCII case. */
static int fat_lookup(void *p, pvb_ino dir, const char *name, size_t len, pvb_ino *out)
{
    struct pvb_fat *fs = p;
    struct find f;
    uint32_t c;
    int rc;

    if ((rc = pvb_fat_dir_cluster(fs, dir, &c)) != 0)
        return rc;
    f.name = name;
    f.len = len;
    rc = pvb_fat_dir_iter(fs, c, find_one, &f);
    if (rc == 1) {
        *out = f.ino;
        return 0;
    }
    return rc ? rc : pvb_fail(fs->ctx, PVB_ENOTFOUND, "fat: '%.*s' not in directory %llu",
                              (int)len, name, (unsigned long long)dir);
}

/* A date and time of the entry (the spec, "Date and Time Formats"), local time read as
 * UTC, as GRUB's grub_fat_timestamp; one it would not take is 0. */
static int64_t fat_time(uint16_t time, uint16_t date)
{
    static const uint16_t before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    unsigned y = 1980 + (date >> 9), m = (date >> 5) & 0xF, d = date & 0x1F;
    unsigned hh = time >> 11, mm = (time >> 5) & 0x3F, ss = (time & 0x1F) * 2u;
    int64_t days;

    if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 58)
        return 0;
    days = (int64_t)(y - 1970) * 365 + (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
    days += before[m - 1] + d - 1;
    if (m > 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        days++;
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* FAT keeps no owner or mode: Linux's vfat with the default umask 022 shows 0755, and a
 * read-only file without its write bits. */
static void fill_stat(pvb_ino ino, const uint8_t *raw, struct pvb_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->ino = ino;
    st->nlink = 1;
    if (!raw) {
        st->type = PVB_FT_DIR;
        st->mode = 040755;
        return;
    }
    if (raw[DE_ATTR] & FAT_ATTR_DIRECTORY) {
        st->type = PVB_FT_DIR;
        st->mode = 040755;
    } else {
        st->type = PVB_FT_REG;
        st->mode = raw[DE_ATTR] & FAT_ATTR_READ_ONLY ? 0100555 : 0100755;
        st->size = pvb_le32(raw + DE_SIZE);   /* a directory's entry holds no size */
    }
    st->mtime = fat_time(pvb_le16(raw + DE_WTIME), pvb_le16(raw + DE_WDATE));
}

static int fat_stat(void *p, pvb_ino ino, struct pvb_stat *st)
{
    uint8_t raw[FAT_DIRENT];
    int rc;

    if (ino == FAT_ROOT_INO) {
        fill_stat(ino, NULL, st);
        return 0;
    }
    if ((rc = pvb_fat_entry(p, ino, raw)) != 0)
        return rc;
    fill_stat(ino, raw, st);
    return 0;
}

static int fat_readlink(void *p, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    (void)buf;
    (void)cap;
    (void)len;
    return pvb_fail(((struct pvb_fat *)p)->ctx, PVB_EINVAL, "fat: inode %llu is not a symlink "
                    "(FAT has none)", (unsigned long long)ino);
}

struct list {
    pvb_dirent_fn fn;
    void *arg;
};

/* As GRUB's grub_fat_dir, without volume labels, "." and ".."; nor a name no path can
 * reach: an empty long name, or one holding '/'. */
static int list_one(void *arg, const struct fat_dirent *de)
{
    struct list *l = arg;

    if ((de->raw[DE_ATTR] & FAT_ATTR_VOLUME_ID) || de->len == 0 ||
        strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0 || strchr(de->name, '/'))
        return 0;
    return l->fn(l->arg, de->name, de->pos,
                 de->raw[DE_ATTR] & FAT_ATTR_DIRECTORY ? PVB_FT_DIR : PVB_FT_REG);
}

static int fat_readdir(void *p, pvb_ino dir, pvb_dirent_fn fn, void *arg)
{
    struct pvb_fat *fs = p;
    struct list l;
    uint32_t c;
    int rc;

    if ((rc = pvb_fat_dir_cluster(fs, dir, &c)) != 0)
        return rc;
    l.fn = fn;
    l.arg = arg;
    return pvb_fat_dir_iter(fs, c, list_one, &l);
}

static int fat_open(void *p, pvb_ino ino, void **out)
{
    struct pvb_fat *fs = p;
    uint8_t raw[FAT_DIRENT];
    struct fat_file *f;
    uint32_t c;
    int rc;

    if ((rc = pvb_fat_entry(fs, ino, raw)) != 0)
        return rc;
    if (raw[DE_ATTR] & FAT_ATTR_DIRECTORY)
        return pvb_fail(fs->ctx, PVB_EISDIR, "fat: inode %llu is a directory",
                        (unsigned long long)ino);
    c = pvb_fat_entry_cluster(raw);
    /* GRUB reads a file of cluster 0 from the root directory's place (lookup_file:
     * "If directory points to root, starting cluster is 0"); Linux refuses it. Only an
     * empty file has no cluster. */
    if (c == 0 && pvb_le32(raw + DE_SIZE) != 0)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "fat: file %llu: %u bytes and no cluster",
                        (unsigned long long)ino, (unsigned)pvb_le32(raw + DE_SIZE));
    if (c != 0 && (rc = pvb_fat_check_cluster(fs, c, "file", ino)) != 0)
        return rc;
    if (!(f = pvb_alloc(fs->ctx, sizeof(*f), "fat file")))
        return fs->ctx->err;
    f->fs = fs;
    f->ino = ino;
    f->size = pvb_le32(raw + DE_SIZE);
    pvb_fat_chain_init(&f->ch, c);
    *out = f;
    return 0;
}

/* len bytes at off (within the size: the fs layer clamps), as few reads as the chain
 * allows: clusters that follow each other on disk are read at once. */
static int read_runs(struct fat_file *f, uint8_t *out, size_t len, uint64_t off)
{
    struct pvb_fat *fs = f->fs;
    int rc;

    while (len > 0) {
        uint32_t idx = (uint32_t)(off >> fs->cbits), within = (uint32_t)(off & (fs->csize - 1));
        uint32_t start, run = 1;
        uint64_t want = ((uint64_t)within + len + fs->csize - 1) >> fs->cbits, span;
        size_t n;

        rc = pvb_fat_chain_seek(fs, &f->ch, idx);
        if (rc == 1)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "its cluster chain ends after %u clusters, "
                            "short of its %u bytes", (unsigned)(f->ch.idx + 1), (unsigned)f->size);
        if (rc)
            return rc;
        start = f->ch.cur;
        while (run < want) {
            rc = pvb_fat_chain_seek(fs, &f->ch, idx + run);
            if (rc == 1)
                break;   /* reported when a read needs what is not there */
            if (rc)
                return rc;
            if (f->ch.cur != start + run)
                break;
            run++;
        }
        span = ((uint64_t)run << fs->cbits) - within;
        n = span < len ? (size_t)span : len;
        if ((rc = pvb_disk_pread(fs->vol, out, n, pvb_fat_cluster_off(fs, start) + within)) != 0)
            return rc;
        out += n;
        off += n;
        len -= n;
    }
    return 0;
}

static int fat_pread(void *p, void *buf, size_t len, uint64_t off)
{
    struct fat_file *f = p;
    int rc = read_runs(f, buf, len, off);

    if (rc)
        pvb_ctx_prefix(f->fs->ctx, "fat: file %llu: ", (unsigned long long)f->ino);
    return rc;
}

static void fat_close(void *p)
{
    struct fat_file *f = p;

    pvb_free(f->fs->ctx, f);
}

const struct pvb_fs_ops pvb_fat_ops = {
    .name = "fat", .mount = fat_mount, .umount = fat_umount, .info = fat_info, .root = fat_root,
    .lookup = fat_lookup, .stat = fat_stat, .readlink = fat_readlink, .readdir = fat_readdir,
    .open = fat_open, .pread = fat_pread, .close = fat_close,
};
