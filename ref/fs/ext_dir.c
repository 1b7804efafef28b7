/* SPDX-License-Identifier: GPL-2.0-only */
/* ext2/3/4 directories: a checked linear scan of every block (htree too) and of inline data. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fs/ext.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"

/* A directory entry (struct ext2_dir_entry_2): inode, rec_len, name_len, file_type, name. */
#define DE_HEADER 8
#define DE_MIN_REC 12              /* EXT2_DIR_REC_LEN(1) */
#define DE_TAIL 12                 /* metadata_csum leaf tail: a fake entry holding the crc */
#define DE_TAIL_FT 0xDE
/* Bytes scanned per entry allowed by lim.max_entries, so a directory whose blocks all
 * point at one block cannot make a lookup read gigabytes. */
#define SCAN_BYTES_PER_ENTRY 64

struct scan {
    struct ext_fs *fs;
    uint32_t dir;
    ext_dirent_fn fn;
    void *arg;
    unsigned long entries;
    uint64_t bytes;
};

/* rec_len as stored: 64 KiB blocks encode 65536 as 0 or 65535 (e2fsprogs ext2fs_get_rec_len). */
static size_t rec_len(const struct ext_fs *fs, const uint8_t *de)
{
    unsigned len = pvb_le16(de + 4);

    if (fs->bs < 65536)
        return len;
    if (len == 65535 || len == 0)
        return fs->bs;
    return (len & 65532) | ((size_t)(len & 3) << 16);
}

static enum pvb_ftype de_type(const struct ext_fs *fs, unsigned ft)
{
    static const enum pvb_ftype map[8] = { PVB_FT_UNKNOWN, PVB_FT_REG, PVB_FT_DIR, PVB_FT_CHR,
                                           PVB_FT_BLK, PVB_FT_FIFO, PVB_FT_SOCK, PVB_FT_LNK };

    return (fs->incompat & EXT_IN_FILETYPE) && ft < 8 ? map[ft] : PVB_FT_UNKNOWN;
}

static int bad_entry(struct scan *s, uint64_t where, size_t pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int bad_entry(struct scan *s, uint64_t where, size_t pos, const char *fmt, ...)
{
    char why[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return pvb_fail(s->fs->ctx, PVB_ECORRUPT, "ext: directory inode %u: block %llu offset %zu: %s",
                    (unsigned)s->dir, (unsigned long long)where, pos, why);
}

/* Every entry of buf[0..len) checked as Linux ext4_check_dir_entry does, then reported. */
static int scan_entries(struct scan *s, const uint8_t *buf, size_t len, uint64_t where)
{
    struct ext_fs *fs = s->fs;
    size_t pos = 0, rl;
    unsigned nl;
    uint32_t ino;
    int rc;

    while (pos < len) {
        if (len - pos < DE_MIN_REC)
            return bad_entry(s, where, pos, "%u bytes left: too few for an entry",
                             (unsigned)(len - pos));
        ino = pvb_le32(buf + pos);
        rl = rec_len(fs, buf + pos);
        nl = buf[pos + 6];
        if (rl < DE_MIN_REC || rl % 4)
            return bad_entry(s, where, pos, "rec_len %u is not a multiple of 4 of at least %u",
                             (unsigned)rl, DE_MIN_REC);
        if (rl > len - pos)
            return bad_entry(s, where, pos, "rec_len %u runs past the end (%u bytes left)",
                             (unsigned)rl, (unsigned)(len - pos));
        if (((DE_HEADER + nl + 3) & ~3u) > rl)
            return bad_entry(s, where, pos, "name_len %u does not fit rec_len %u", nl,
                             (unsigned)rl);
        if (++s->entries > fs->ctx->lim.max_entries)
            return pvb_fail(fs->ctx, PVB_ELIMIT, "ext: directory inode %u: more than %u entries",
                            (unsigned)s->dir, fs->ctx->lim.max_entries);
        if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
            return rc;
        if (ino != 0 && nl > 0 &&
            (rc = s->fn(s->arg, buf + pos + DE_HEADER, nl, ino, de_type(fs, buf[pos + 7]))) != 0)
            return rc;
        pos += rl;
    }
    return 0;
}

/* Linux ext4_dirblock_csum_verify: leaf blocks end in a tail holding crc32c of the
 * rest; htree index blocks have none (their dx_tail is not checked here). */
static int check_block_csum(struct scan *s, const struct ext_file *f, const uint8_t *buf,
                            uint64_t lblk)
{
    const uint8_t *t = buf + s->fs->bs - DE_TAIL;

    if (!s->fs->csum || pvb_le32(t) != 0 || pvb_le16(t + 4) != DE_TAIL || t[6] != 0 ||
        t[7] != DE_TAIL_FT)
        return 0;
    return pvb_ext_csum_check(s->fs, EXT_WARN_DIR_CSUM, pvb_le32(t + 8),
                              pvb_crc32c_update(f->in.csum_seed, buf, s->fs->bs - DE_TAIL),
                              "directory block", lblk);
}

/* One directory block: within the byte budget, checksummed, its entries checked. */
static int scan_block(struct scan *s, const struct ext_file *f, uint8_t *buf, uint64_t lblk,
                      uint64_t pblk)
{
    struct ext_fs *fs = s->fs;
    uint64_t budget = (uint64_t)fs->ctx->lim.max_entries * SCAN_BYTES_PER_ENTRY;
    int rc;

    if (budget < fs->bs)
        budget = fs->bs;
    if ((s->bytes += fs->bs) > budget)
        return pvb_fail(fs->ctx, PVB_ELIMIT, "ext: directory inode %u: more than %llu bytes "
                        "scanned", (unsigned)s->dir, (unsigned long long)budget);
    rc = pvb_disk_pread(fs->vol, buf, fs->bs, pblk << fs->log_bs);
    if (!rc)
        rc = check_block_csum(s, f, buf, lblk);
    return rc ? rc : scan_entries(s, buf, fs->bs, lblk);
}

/* Every block of the directory in order; holes hold no entries (Linux ext4_readdir). */
static int scan_blocks(struct scan *s, struct ext_file *f)
{
    struct ext_fs *fs = s->fs;
    uint64_t nblocks = (f->in.size + fs->bs - 1) >> fs->log_bs, lblk = 0;
    struct ext_run run;
    uint8_t *buf;
    int rc = 0;

    buf = pvb_alloc(fs->ctx, fs->bs, "ext directory block");
    if (!buf)
        return fs->ctx->err;
    while (!rc && lblk < nblocks) {
        rc = pvb_ext_map(f, lblk, &run);
        if (!rc && run.pblk == 0)
            lblk += run.count;
        else if (!rc)
            rc = scan_block(s, f, buf, lblk++, run.pblk);
    }
    pvb_free(fs->ctx, buf);
    return rc;
}

/*
 * Walk the entries of directory dir, calling fn for each in use ("." and ".."
 * included when stored). An inline directory (Linux fs/ext4/inline.c) holds its
 * parent's inode in the first 4 bytes of i_block, entries in the other 56, and
 * more entries in the system.data xattr.
 */
int pvb_ext_dir_iterate(struct ext_fs *fs, uint64_t dir, ext_dirent_fn fn, void *arg)
{
    struct scan s;
    struct ext_file *f;
    int rc;

    rc = pvb_ext_file_open(fs, dir, &f);
    if (rc)
        return rc;
    memset(&s, 0, sizeof(s));
    s.fs = fs;
    s.dir = f->in.ino;
    s.fn = fn;
    s.arg = arg;
    if (pvb_mode_type(f->in.mode) != PVB_FT_DIR)
        rc = pvb_fail(fs->ctx, PVB_ENOTDIR, "ext: inode %u is not a directory", (unsigned)s.dir);
    else if (f->inl && !(rc = scan_entries(&s, f->inl + EXT_INLINE_DOTDOT,
                                           EXT_IBLOCK_SIZE - EXT_INLINE_DOTDOT, 0)))
        rc = scan_entries(&s, f->inl + EXT_IBLOCK_SIZE, f->ninl - EXT_IBLOCK_SIZE, 1);
    else if (!f->inl)
        rc = scan_blocks(&s, f);
    pvb_ext_file_close(f);
    return rc;
}

/* An entry about to be used names a valid inode (Linux ext4_valid_inum: the root,
 * or one past the reserved inodes) other than its own directory (ext4_lookup). */
static int check_target(struct ext_fs *fs, uint32_t dir, const uint8_t *name, size_t len,
                        uint32_t ino)
{
    if (ino > fs->inodes_count)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: directory inode %u: entry '%.*s' names "
                        "inode %u, past s_inodes_count %u", (unsigned)dir, (int)len,
                        (const char *)name, (unsigned)ino, (unsigned)fs->inodes_count);
    if (ino == dir)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: directory inode %u: entry '%.*s' links to "
                        "the directory itself", (unsigned)dir, (int)len, (const char *)name);
    if (ino != EXT_ROOT_INO && ino < fs->first_ino)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: directory inode %u: entry '%.*s' names "
                        "reserved inode %u", (unsigned)dir, (int)len, (const char *)name,
                        (unsigned)ino);
    return 0;
}

static int is_dot(const uint8_t *name, size_t len)
{
    return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

struct find {
    struct ext_fs *fs;
    uint32_t dir;
    const char *name;
    size_t len;
    uint32_t ino;
};

static int find_cb(void *arg, const uint8_t *name, size_t len, uint32_t ino, enum pvb_ftype type)
{
    struct find *fd = arg;
    int rc;

    (void)type;
    if (len != fd->len || memcmp(name, fd->name, len) != 0)
        return 0;
    rc = check_target(fd->fs, fd->dir, name, len, ino);
    fd->ino = ino;
    return rc ? rc : 1;
}

int pvb_ext_lookup(void *fsp, pvb_ino dir, const char *name, size_t len, pvb_ino *out)
{
    struct ext_fs *fs = fsp;
    struct find fd;
    int rc;

    fd.fs = fs;
    fd.dir = (uint32_t)dir;
    fd.name = name;
    fd.len = len;
    fd.ino = 0;
    rc = pvb_ext_dir_iterate(fs, dir, find_cb, &fd);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return pvb_fail(fs->ctx, PVB_ENOTFOUND, "ext: '%.*s' not found in directory inode %llu",
                        (int)len, name, (unsigned long long)dir);
    *out = fd.ino;
    return 0;
}

struct list {
    struct ext_fs *fs;
    uint32_t dir;
    pvb_dirent_fn fn;
    void *arg;
};

static int list_cb(void *arg, const uint8_t *name, size_t len, uint32_t ino, enum pvb_ftype type)
{
    struct list *l = arg;
    char buf[256];
    int rc;

    if (is_dot(name, len))
        return 0;
    if ((rc = check_target(l->fs, l->dir, name, len, ino)) != 0)
        return rc;
    memcpy(buf, name, len);   /* len <= 255 */
    buf[len] = '\0';
    return l->fn(l->arg, buf, ino, type);
}

int pvb_ext_readdir(void *fsp, pvb_ino dir, pvb_dirent_fn fn, void *arg)
{
    struct list l;

    l.fs = fsp;
    l.dir = (uint32_t)dir;
    l.fn = fn;
    l.arg = arg;
    return pvb_ext_dir_iterate(l.fs, dir, list_cb, &l);
}
