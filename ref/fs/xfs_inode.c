/* SPDX-License-Identifier: GPL-2.0-only */
/* XFS inodes: locating by number, v1/v2/v3 cores, fork bounds, CRC; symlink targets. */
#include <string.h>

#include "fs/xfs.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "util/safemath.h"

/* struct xfs_dinode field offsets (xfs_format.h). */
#define DI_MODE          2
#define DI_VERSION       4
#define DI_FORMAT        5
#define DI_ONLINK        6
#define DI_UID           8
#define DI_GID           12
#define DI_NLINK         16
#define DI_BIG_NEXTENTS  24   /* v3 with NREXT64, over di_pad */
#define DI_MTIME         40
#define DI_SIZE          56
#define DI_NEXTENTS      76
#define DI_FORKOFF       82
#define DI_FLAGS         90
#define DI_CRC           100  /* v3 from here on */
#define DI_FLAGS2        120
#define DI_INO           152
#define DI_UUID          160

#define DIFLAG_REALTIME  0x0001u
#define DIFLAG2_BIGTIME  ((uint64_t)1 << 3)
#define DIFLAG2_NREXT64  ((uint64_t)1 << 4)

/* Symlink remote block header of v5 (struct xfs_dsymlink_hdr). */
#define SL_MAGIC  0x58534c4du  /* "XSLM" */
#define SL_OFFSET 4
#define SL_BYTES  8
#define SL_CRC    12
#define SL_HDR    56

/* Where inode ino lives: AG, block in the AG, slot in the block (xfs_ino_to_*). */
static int locate(struct pvb_xfs *fs, uint64_t ino, uint64_t *byte)
{
    unsigned shift = fs->agblklog + fs->inopblog;
    uint64_t agno = shift >= 64 ? 0 : ino >> shift;
    uint64_t agbno = (ino >> fs->inopblog) & (((uint64_t)1 << fs->agblklog) - 1);
    uint64_t slot = ino & (((uint64_t)1 << fs->inopblog) - 1);
    uint64_t at;
    int rc;

    if (agno >= fs->agcount || agbno >= fs->agblocks)
        return pvb_fail(fs->ctx, PVB_ECORRUPT,
                        "xfs: inode %llu: AG %llu block %llu is outside the filesystem "
                        "(%u AGs of %u blocks)", (unsigned long long)ino,
                        (unsigned long long)agno, (unsigned long long)agbno, fs->agcount,
                        fs->agblocks);
    if ((rc = pvb_xfs_fsb_span(fs, agno << fs->agblklog | agbno, 1, &at)) != 0) {
        pvb_ctx_prefix(fs->ctx, "xfs: inode %llu: ", (unsigned long long)ino);
        return rc;
    }
    *byte = at + (slot << fs->inodelog);
    return 0;
}

static int64_t timestamp(const struct pvb_xfs_inode *ip, const uint8_t *t)
{
    /* bigtime: nanoseconds since 1901-12-13 (xfs_inode_from_disk_ts);
     * else signed 32-bit seconds and nanoseconds. */
    if (ip->flags2 & DIFLAG2_BIGTIME)
        return (int64_t)(pvb_be64(t) / 1000000000u) - ((int64_t)1 << 31);
    return (int32_t)pvb_be32(t);
}

/* The data fork: after the core, up to the attribute fork (di_forkoff * 8). */
static int fork_bounds(struct pvb_xfs *fs, struct pvb_xfs_inode *ip, size_t core)
{
    size_t lit = fs->inodesize - core, forkoff = (size_t)ip->raw[DI_FORKOFF] << 3;

    if (forkoff >= lit)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: attribute fork offset %zu "
                        "past the inode's %zu bytes", (unsigned long long)ip->ino, forkoff, lit);
    ip->fork = ip->raw + core;
    ip->forksize = forkoff ? forkoff : lit;
    return 0;
}

/* The data fork format must suit the file type (xfs_dinode_verify_fork). */
static int check_format(struct pvb_xfs *fs, const struct pvb_xfs_inode *ip)
{
    enum pvb_ftype t = pvb_mode_type(ip->mode);
    int f = ip->format, ok;

    switch (t) {
    case PVB_FT_REG:
        ok = f == XFS_FMT_EXTENTS || f == XFS_FMT_BTREE;
        break;
    case PVB_FT_DIR:
    case PVB_FT_LNK:
        ok = f == XFS_FMT_LOCAL || f == XFS_FMT_EXTENTS || f == XFS_FMT_BTREE;
        break;
    case PVB_FT_UNKNOWN:
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: mode 0%o is %s",
                        (unsigned long long)ip->ino, ip->mode,
                        ip->mode ? "no file type" : "a free inode");
    default:
        ok = f == XFS_FMT_DEV;
        break;
    }
    if (!ok)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: data fork format %d for a %s",
                        (unsigned long long)ip->ino, f, pvb_ftype_name(t));
    if (f == XFS_FMT_LOCAL && ip->size > ip->forksize)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: %llu bytes of local data "
                        "in a %zu-byte fork", (unsigned long long)ip->ino,
                        (unsigned long long)ip->size, ip->forksize);
    if (f == XFS_FMT_EXTENTS && ip->nextents > ip->forksize / 16)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: %llu extents in a %zu-byte fork",
                        (unsigned long long)ip->ino, (unsigned long long)ip->nextents,
                        ip->forksize);
    return 0;
}

/* The v3 core: CRC, and the inode must say it is this inode of this fs. */
static int check_v3(struct pvb_xfs *fs, struct pvb_xfs_inode *ip)
{
    int rc = pvb_xfs_crc_check(fs, ip->raw, fs->inodesize, DI_CRC, "inode", ip->ino);

    if (rc)
        return rc;
    if (pvb_be64(ip->raw + DI_INO) != ip->ino)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: records itself as inode %llu",
                        (unsigned long long)ip->ino,
                        (unsigned long long)pvb_be64(ip->raw + DI_INO));
    if (memcmp(ip->raw + DI_UUID, fs->meta_uuid, 16) != 0)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: belongs to another filesystem",
                        (unsigned long long)ip->ino);
    ip->flags2 = pvb_be64(ip->raw + DI_FLAGS2);
    if (((ip->flags2 & DIFLAG2_NREXT64) && !fs->nrext64) ||
        ((ip->flags2 & DIFLAG2_BIGTIME) && !fs->bigtime))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: flags2 0x%llx need a feature "
                        "the superblock lacks", (unsigned long long)ip->ino,
                        (unsigned long long)ip->flags2);
    return 0;
}

int pvb_xfs_inode_read(struct pvb_xfs *fs, uint64_t ino, struct pvb_xfs_inode *ip)
{
    const uint8_t *r = ip->raw;
    uint64_t at = 0;
    int rc;

    ip->ino = ino;
    if ((rc = locate(fs, ino, &at)) != 0 ||
        (rc = pvb_disk_pread(fs->vol, ip->raw, fs->inodesize, at)) != 0)
        return rc;
    if (pvb_be16(r) != XFS_DINODE_MAGIC)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: bad magic 0x%04x",
                        (unsigned long long)ino, pvb_be16(r));
    ip->version = r[DI_VERSION];
    /* v5 filesystems have only v3 inodes; v4 has v1 (16-bit nlink) and v2. */
    if (fs->v5 ? ip->version != 3 : ip->version != 1 && ip->version != 2)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: version %u on a v%d filesystem",
                        (unsigned long long)ino, ip->version, fs->v5 ? 5 : 4);
    ip->flags2 = 0;
    if (fs->v5 && (rc = check_v3(fs, ip)) != 0)
        return rc;
    ip->mode = pvb_be16(r + DI_MODE);
    ip->format = r[DI_FORMAT];
    ip->nlink = ip->version == 1 ? pvb_be16(r + DI_ONLINK) : pvb_be32(r + DI_NLINK);
    ip->uid = pvb_be32(r + DI_UID);
    ip->gid = pvb_be32(r + DI_GID);
    ip->size = pvb_be64(r + DI_SIZE);
    ip->flags = pvb_be16(r + DI_FLAGS);
    ip->nextents = ip->flags2 & DIFLAG2_NREXT64 ? pvb_be64(r + DI_BIG_NEXTENTS)
                                                : pvb_be32(r + DI_NEXTENTS);
    ip->mtime = timestamp(ip, r + DI_MTIME);
    if (ip->size > INT64_MAX)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: inode %llu: size %llu is negative",
                        (unsigned long long)ino, (unsigned long long)ip->size);
    if ((rc = fork_bounds(fs, ip, fs->v5 ? XFS_CORE_V3 : XFS_CORE_V2)) != 0)
        return rc;
    return check_format(fs, ip);
}

/* A remote symlink: one header per extent on v5 (xfs_symlink_remote.c). */
static int symlink_remote(struct pvb_xfs *fs, const struct pvb_xfs_inode *ip, char *out)
{
    struct pvb_ctx *c = fs->ctx;
    struct pvb_xfs_map m;
    struct pvb_xfs_ext e;
    uint8_t *buf = NULL;
    uint64_t fb = 0, got = 0;
    unsigned n;
    int rc;

    if ((rc = pvb_xfs_map_init(fs, ip, &m)) != 0)
        return rc;
    /* 1024 bytes need at most 3 blocks of 512 even with headers: a few extents. */
    for (n = 0; got < ip->size && n < 8; n++) {
        size_t bytes, hdr = fs->v5 ? SL_HDR : 0, take;

        if ((rc = pvb_xfs_map_get(&m, fb, &e)) != 0)
            break;
        if (e.blk == XFS_HOLE || e.unwritten || e.len > 8) {
            rc = pvb_fail(c, PVB_ECORRUPT, "xfs: symlink %llu: block %llu is a hole or too long",
                          (unsigned long long)ip->ino, (unsigned long long)fb);
            break;
        }
        bytes = (size_t)(e.len - (fb - e.off)) << fs->blocklog;
        pvb_free(c, buf);
        if (!(buf = pvb_alloc(c, bytes, "xfs symlink"))) {
            rc = c->err;
            break;
        }
        if ((rc = pvb_xfs_map_read(&m, buf, bytes, fb << fs->blocklog)) != 0)
            break;
        take = bytes - hdr;
        if (take > ip->size - got)
            take = (size_t)(ip->size - got);
        if (fs->v5 && (pvb_be32(buf) != SL_MAGIC || pvb_be32(buf + SL_OFFSET) != got ||
                       pvb_be32(buf + SL_BYTES) != take)) {
            rc = pvb_fail(c, PVB_ECORRUPT, "xfs: symlink %llu: bad remote block header at "
                          "block %llu", (unsigned long long)ip->ino, (unsigned long long)fb);
            break;
        }
        if (fs->v5 && (rc = pvb_xfs_crc_check(fs, buf, bytes, SL_CRC, "symlink", ip->ino)) != 0)
            break;
        memcpy(out + got, buf + hdr, take);
        got += take;
        fb = e.off + e.len;
    }
    if (!rc && got < ip->size)
        rc = pvb_fail(c, PVB_ECORRUPT, "xfs: symlink %llu: target spread over too many extents",
                      (unsigned long long)ip->ino);
    pvb_free(c, buf);
    pvb_xfs_map_free(&m);
    return rc;
}

int pvb_xfs_symlink_read(struct pvb_xfs *fs, const struct pvb_xfs_inode *ip, char *buf,
                         size_t cap, size_t *len)
{
    char target[XFS_SYMLINK_MAXLEN];
    int rc;

    if (ip->size == 0 || ip->size > XFS_SYMLINK_MAXLEN)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "xfs: symlink %llu: length %llu (1..1024)",
                        (unsigned long long)ip->ino, (unsigned long long)ip->size);
    if (ip->size > cap)
        return pvb_fail(fs->ctx, PVB_ELIMIT, "xfs: symlink %llu: %llu bytes exceed %zu",
                        (unsigned long long)ip->ino, (unsigned long long)ip->size, cap);
    if (ip->format == XFS_FMT_LOCAL) {
        memcpy(buf, ip->fork, (size_t)ip->size);   /* size <= forksize was checked */
    } else {
        rc = symlink_remote(fs, ip, target);
        if (rc)
            return rc;
        memcpy(buf, target, (size_t)ip->size);
    }
    *len = (size_t)ip->size;
    return 0;
}
