/* SPDX-License-Identifier: GPL-2.0-only */
/* ext2/3/4 inodes: reading and checking them, inline data, stat and symlink targets. */
#include <string.h>

#include "fs/ext.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"

/* Inode field offsets (e2fsprogs struct ext2_inode_large; Linux struct ext4_inode). */
enum {
    I_MODE = 0x00, I_UID = 0x02, I_SIZE = 0x04, I_MTIME = 0x10, I_GID = 0x18, I_LINKS = 0x1A,
    I_BLOCKS = 0x1C, I_FLAGS = 0x20, I_BLOCK = 0x28, I_GENERATION = 0x64, I_FILE_ACL = 0x68,
    I_SIZE_HIGH = 0x6C, I_BLOCKS_HI = 0x74, I_FILE_ACL_HI = 0x76, I_UID_HI = 0x78,
    I_GID_HI = 0x7A, I_CSUM_LO = 0x7C, I_EXTRA_ISIZE = 0x80, I_CSUM_HI = 0x82
};
#define GOOD_OLD_SIZE 128

/* In-inode extended attributes (Linux fs/ext4/xattr.h): a magic, then entries
 * of 16 bytes + name padded to 4, ended by 4 zero bytes; values are at offsets
 * from the first entry. Inline data is the value of "system.data" (index 7). */
#define XATTR_MAGIC 0xEA020000u
#define XATTR_INDEX_SYSTEM 7

/* Linux ext4_inode_csum: crc32c over the whole record with the checksum fields
 * as zero; the high half exists only when i_extra_isize covers it. */
static int check_csum(struct ext_fs *fs, struct ext_inode *in, const uint8_t *raw, unsigned extra)
{
    static const uint8_t zero[2];
    int has_hi = fs->isize > GOOD_OLD_SIZE && extra >= 4;
    uint32_t crc, stored = pvb_le16(raw + I_CSUM_LO);

    crc = pvb_crc32c_update(in->csum_seed, raw, I_CSUM_LO);
    crc = pvb_crc32c_update(crc, zero, 2);
    crc = pvb_crc32c_update(crc, raw + I_CSUM_LO + 2, GOOD_OLD_SIZE - I_CSUM_LO - 2);
    if (fs->isize > GOOD_OLD_SIZE) {
        crc = pvb_crc32c_update(crc, raw + GOOD_OLD_SIZE, I_CSUM_HI - GOOD_OLD_SIZE);
        if (has_hi)
            crc = pvb_crc32c_update(crc, zero, 2);
        else
            crc = pvb_crc32c_update(crc, raw + I_CSUM_HI, 2);
        crc = pvb_crc32c_update(crc, raw + I_CSUM_HI + 2, fs->isize - I_CSUM_HI - 2);
    }
    if (has_hi)
        stored |= (uint32_t)pvb_le16(raw + I_CSUM_HI) << 16;
    else
        crc &= 0xFFFF;
    return pvb_ext_csum_check(fs, EXT_WARN_INODE_CSUM, stored, crc, "inode", in->ino);
}

/* Find system.data among the in-inode xattrs; absent means no inline bytes past i_block. */
static int find_inline(struct ext_fs *fs, struct ext_inode *in, unsigned extra)
{
    const uint8_t *raw = fs->ibuf;
    size_t end = fs->isize, first = GOOD_OLD_SIZE + extra + 4, p = first, esize;

    in->xoff = in->xlen = 0;
    if (first > end || pvb_le32(raw + first - 4) != XATTR_MAGIC)
        return 0;
    /* Each entry is at least 16 bytes, so this ends within isize / 16 steps. */
    while (end - p >= 4 && pvb_le32(raw + p) != 0) {
        unsigned nlen = raw[p];
        uint32_t voff = pvb_le16(raw + p + 2), vsize;

        esize = (16 + nlen + 3) & ~(size_t)3;
        if (esize > end - p)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: xattr entry runs past the "
                            "inode", (unsigned)in->ino);
        vsize = pvb_le32(raw + p + 8);
        if (raw[p + 1] == XATTR_INDEX_SYSTEM && nlen == 4 && memcmp(raw + p + 16, "data", 4) == 0) {
            if (pvb_le32(raw + p + 4) != 0 || voff > end - first || vsize > end - first - voff)
                return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: inline data value of %u "
                                "bytes at %u is outside the inode", (unsigned)in->ino,
                                (unsigned)vsize, (unsigned)voff);
            in->xoff = first + voff;
            in->xlen = vsize;
            return 0;
        }
        p += esize;
    }
    return 0;
}

/* Fields the kernel refuses an inode for (Linux __ext4_iget). */
static int check_fields(struct ext_fs *fs, struct ext_inode *in)
{
    struct pvb_ctx *c = fs->ctx;

    if (in->links == 0)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u is not in use (no links)",
                        (unsigned)in->ino);
    if (pvb_mode_type(in->mode) == PVB_FT_UNKNOWN)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: bad file type in mode 0%o",
                        (unsigned)in->ino, (unsigned)in->mode);
    if (in->size > (uint64_t)INT64_MAX)
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: size %llu is negative as a file offset",
                        (unsigned)in->ino, (unsigned long long)in->size);
    if ((in->flags & EXT_FL_INLINE_DATA) && !(fs->incompat & EXT_IN_INLINE_DATA))
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: inline data without the inline_data "
                        "feature", (unsigned)in->ino);
    if ((in->flags & EXT_FL_INLINE_DATA) && (in->flags & EXT_FL_EXTENTS))
        return pvb_fail(c, PVB_ECORRUPT, "ext: inode %u: both inline data and extents",
                        (unsigned)in->ino);
    return 0;
}

static void decode(struct ext_fs *fs, struct ext_inode *in, const uint8_t *raw)
{
    in->mode = pvb_le16(raw + I_MODE);
    in->uid = pvb_le16(raw + I_UID) | (uint32_t)pvb_le16(raw + I_UID_HI) << 16;
    in->gid = pvb_le16(raw + I_GID) | (uint32_t)pvb_le16(raw + I_GID_HI) << 16;
    in->links = pvb_le16(raw + I_LINKS);
    in->flags = pvb_le32(raw + I_FLAGS);
    /* Linux ext4_isize: the high half counts for regular files, and with large_dir for all. */
    in->size = pvb_le32(raw + I_SIZE);
    if (pvb_mode_type(in->mode) == PVB_FT_REG || (fs->incompat & EXT_IN_LARGEDIR))
        in->size |= (uint64_t)pvb_le32(raw + I_SIZE_HIGH) << 32;
    in->sectors = pvb_le32(raw + I_BLOCKS);
    if (fs->ro_compat & EXT_RO_HUGE_FILE) {
        in->sectors |= (uint64_t)pvb_le16(raw + I_BLOCKS_HI) << 32;
        if (in->flags & EXT_FL_HUGE_FILE)
            in->sectors <<= fs->log_bs - 9;
    }
    in->file_acl = pvb_le32(raw + I_FILE_ACL);
    if (fs->incompat & EXT_IN_64BIT)
        in->file_acl |= (uint64_t)pvb_le16(raw + I_FILE_ACL_HI) << 32;
    in->gen = pvb_le32(raw + I_GENERATION);
    in->mtime = (int32_t)pvb_le32(raw + I_MTIME);
    memcpy(in->iblock, raw + I_BLOCK, EXT_IBLOCK_SIZE);
}

int pvb_ext_inode_read(struct ext_fs *fs, uint64_t ino, struct ext_inode *in)
{
    const uint8_t *raw = fs->ibuf;
    unsigned extra = 0;
    uint8_t le[4];
    uint64_t off;
    int rc;

    if (ino == 0 || ino > fs->inodes_count)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %llu is out of range (1..%u)",
                        (unsigned long long)ino, (unsigned)fs->inodes_count);
    memset(in, 0, sizeof(*in));
    in->ino = (uint32_t)ino;
    rc = pvb_ext_inode_offset(fs, in->ino, &off);
    if (!rc)
        rc = pvb_disk_pread(fs->vol, fs->ibuf, fs->isize, off);
    if (rc)
        return rc;
    if (fs->isize > GOOD_OLD_SIZE) {
        extra = pvb_le16(raw + I_EXTRA_ISIZE);
        if (extra > fs->isize - GOOD_OLD_SIZE || (extra & 3))
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: i_extra_isize %u does not "
                            "fit a %u-byte inode", (unsigned)in->ino, extra, fs->isize);
    }
    in->gen = pvb_le32(raw + I_GENERATION);
    pvb_put_le32(le, in->ino);
    in->csum_seed = pvb_crc32c_update(fs->csum_seed, le, 4);
    pvb_put_le32(le, in->gen);
    in->csum_seed = pvb_crc32c_update(in->csum_seed, le, 4);
    /* The kernel checks inode checksums only on Linux-made filesystems (ext4_inode_csum_verify). */
    if (fs->csum && fs->creator_os == 0 && (rc = check_csum(fs, in, raw, extra)) != 0)
        return rc;
    decode(fs, in, raw);
    in->raw = raw;
    rc = check_fields(fs, in);
    if (!rc && (in->flags & EXT_FL_INLINE_DATA))
        rc = find_inline(fs, in, extra);
    if (!rc && (in->flags & EXT_FL_INLINE_DATA) && pvb_mode_type(in->mode) != PVB_FT_DIR &&
        in->size > EXT_IBLOCK_SIZE + in->xlen)
        rc = pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: %llu bytes of inline data, only "
                      "%zu stored", (unsigned)in->ino, (unsigned long long)in->size,
                      EXT_IBLOCK_SIZE + in->xlen);
    return rc;
}

/* i_block followed by the system.data value, in a buffer of its own. */
int pvb_ext_inline_copy(struct ext_fs *fs, const struct ext_inode *in, uint8_t **buf, size_t *len)
{
    uint8_t *b = pvb_alloc(fs->ctx, EXT_IBLOCK_SIZE + in->xlen, "ext inline data");

    if (!b)
        return fs->ctx->err;
    memcpy(b, in->iblock, EXT_IBLOCK_SIZE);
    if (in->xlen)
        memcpy(b + EXT_IBLOCK_SIZE, in->raw + in->xoff, in->xlen);
    *buf = b;
    *len = EXT_IBLOCK_SIZE + in->xlen;
    return 0;
}

/* Refuse contents we cannot decode: encrypted (fscrypt) and e2compr-compressed files. */
int pvb_ext_readable(struct ext_fs *fs, const struct ext_inode *in)
{
    if (in->flags & EXT_FL_ENCRYPT)
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "ext: inode %u is encrypted",
                        (unsigned)in->ino);
    if ((fs->incompat & EXT_IN_COMPRESSION) && (in->flags & (EXT_FL_COMPR | EXT_FL_COMPRBLK)))
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "ext: inode %u is compressed (e2compr)",
                        (unsigned)in->ino);
    return 0;
}

void pvb_ext_stat(const struct ext_inode *in, struct pvb_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->ino = in->ino;
    st->type = pvb_mode_type(in->mode);
    st->mode = in->mode;
    st->size = in->size;
    st->nlink = in->links;
    st->uid = in->uid;
    st->gid = in->gid;
    st->mtime = in->mtime;
}

/*
 * A fast symlink keeps its target in i_block. Linux ext4_inode_is_fast_symlink
 * decides by the blocks the inode owns besides an xattr block (by the size
 * only for EA inodes); libext2fs and GRUB decide by the size. They agree on
 * every symlink the kernel or mke2fs writes.
 */
static int is_fast_symlink(const struct ext_fs *fs, const struct ext_inode *in)
{
    uint64_t ea = in->file_acl ? (uint64_t)1 << (fs->log_cluster - 9) : 0;

    if (in->flags & EXT_FL_INLINE_DATA)
        return 0;
    if (in->flags & EXT_FL_EA_INODE)
        return in->size > 0 && in->size < EXT_IBLOCK_SIZE;
    return in->sectors == ea;
}

int pvb_ext_symlink(struct ext_fs *fs, uint64_t ino, char *buf, size_t cap, size_t *len)
{
    struct ext_file *f;
    int rc;

    rc = pvb_ext_file_open(fs, ino, &f);
    if (rc)
        return rc;
    if (pvb_mode_type(f->in.mode) != PVB_FT_LNK)
        rc = pvb_fail(fs->ctx, PVB_EINVAL, "ext: inode %u is not a symlink", (unsigned)f->in.ino);
    else if (f->in.size > cap)
        rc = pvb_fail(fs->ctx, PVB_ELIMIT, "ext: inode %u: symlink target of %llu bytes is "
                      "longer than %zu", (unsigned)f->in.ino, (unsigned long long)f->in.size, cap);
    else if (!f->inl && is_fast_symlink(fs, &f->in) && f->in.size >= EXT_IBLOCK_SIZE)
        rc = pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: fast symlink of %llu bytes",
                      (unsigned)f->in.ino, (unsigned long long)f->in.size);
    else if (!f->inl && is_fast_symlink(fs, &f->in))
        memcpy(buf, f->in.iblock, (size_t)f->in.size);
    else
        rc = pvb_ext_file_read(f, buf, (size_t)f->in.size, 0);
    if (!rc && memchr(buf, '\0', (size_t)f->in.size))
        rc = pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: symlink target holds a NUL byte",
                      (unsigned)f->in.ino);
    if (!rc)
        *len = (size_t)f->in.size;
    pvb_ext_file_close(f);
    return rc;
}
