/* SPDX-License-Identifier: GPL-2.0-only */
/* XFS superblock: geometry checks, supported feature lists, CRC32C helpers. */
#include <string.h>

#include "fs/xfs.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Superblock field offsets (xfs_format.h, struct xfs_dsb). */
#define SB_BLOCKSIZE     4
#define SB_DBLOCKS       8
#define SB_UUID          32
#define SB_ROOTINO       56
#define SB_AGBLOCKS      84
#define SB_AGCOUNT       88
#define SB_VERSIONNUM    100
#define SB_SECTSIZE      102
#define SB_INODESIZE     104
#define SB_INOPBLOCK     106
#define SB_FNAME         108
#define SB_BLOCKLOG      120
#define SB_SECTLOG       121
#define SB_INODELOG      122
#define SB_INOPBLOG      123
#define SB_AGBLKLOG      124
#define SB_INPROGRESS    126
#define SB_DIRBLKLOG     192
#define SB_FEATURES2     200
#define SB_BAD_FEATURES2 204
#define SB_RO_COMPAT     212
#define SB_INCOMPAT      216
#define SB_CRC           224
#define SB_META_UUID     248
#define SB_V5_SIZE       264

/* sb_versionnum (v4). */
#define V_NUMBITS   0x000fu
#define V_ATTR      0x0010u
#define V_NLINK     0x0020u
#define V_QUOTA     0x0040u
#define V_ALIGN     0x0080u
#define V_DALIGN    0x0100u
#define V_SHARED    0x0200u
#define V_LOGV2     0x0400u
#define V_SECTOR    0x0800u
#define V_EXTFLG    0x1000u
#define V_DIRV2     0x2000u
#define V_BORG      0x4000u
#define V_MOREBITS  0x8000u

/*
 * v4 version bits we read, each with why it does not change how files read:
 * attr (extended attributes exist; we never read them), nlink (v2 inodes
 * with 32-bit link counts: decoded), quota (quota inodes: not read), align
 * and dalign (allocation alignment only), logv2 (log format: the log is never
 * read, as in GRUB), sector (sector size other than 512: honoured), extflg
 * (unwritten extents: read as zeros), dirv2 (required: v1 directories are
 * refused), borg (ascii-ci names: GRUB looks names up exactly and so do we),
 * morebits (sb_features2 is valid). "shared" was never implemented by any
 * kernel and is refused.
 */
#define V_OKBITS (V_NUMBITS | V_ATTR | V_NLINK | V_QUOTA | V_ALIGN | V_DALIGN | V_LOGV2 | \
                  V_SECTOR | V_EXTFLG | V_DIRV2 | V_BORG | V_MOREBITS)

/* sb_features2 (v4): lazysbcount (free counters in the AG headers only),
 * attr2 (attribute fork offset varies: we honour di_forkoff), projid32
 * (project ids: not read), ftype (directory entries carry a type byte). The
 * CRC bit belongs to v5 and "parent" (0x10) was never shipped: refused. */
#define F2_LAZYSBCOUNT 0x0002u
#define F2_ATTR2       0x0008u
#define F2_PROJID32    0x0080u
#define F2_CRC         0x0100u
#define F2_FTYPE       0x0200u
#define F2_OKBITS (F2_LAZYSBCOUNT | F2_ATTR2 | F2_PROJID32 | F2_FTYPE)

/* sb_features_incompat (v5). */
#define I_FTYPE       0x01u  /* dir entries carry a type byte: decoded */
#define I_SPINODES    0x02u  /* sparse inode chunks: allocation only; numbers decode alike */
#define I_META_UUID   0x04u  /* metadata stamped with sb_meta_uuid: used for checks */
#define I_BIGTIME     0x08u  /* 64-bit nanosecond timestamps: decoded */
#define I_NEEDSREPAIR 0x10u  /* xfs_repair did not finish: the kernel refuses to mount */
#define I_NREXT64     0x20u  /* 64-bit extent counters: decoded */
#define I_OKBITS (I_FTYPE | I_SPINODES | I_META_UUID | I_BIGTIME | I_NREXT64)

/* Incompatible bits newer than the xfsprogs 6.1 this driver is checked
 * against; refused by name until images with them can be tested. */
static const struct {
    uint32_t bit;
    const char *name;
} incompat_names[] = {
    { I_FTYPE, "ftype" }, { I_SPINODES, "sparse" }, { I_META_UUID, "meta_uuid" },
    { I_BIGTIME, "bigtime" }, { I_NEEDSREPAIR, "needsrepair" }, { I_NREXT64, "nrext64" },
    { 0x40, "exchrange" }, { 0x80, "parent" }, { 0x100, "metadir" },
    { 0x200, "zoned" },
};

/*
 * sb_features_ro_compat (finobt, rmapbt, reflink, inobtcount) are ignored
 * for reading: they add btrees that only allocation consults, and reflinked
 * blocks read like any others. sb_features_log_incompat only matters to log
 * recovery, which neither GRUB nor we do.
 */

uint32_t pvb_xfs_crc(const uint8_t *buf, size_t len, size_t crcoff)
{
    static const uint8_t zero[4];
    uint32_t r = pvb_crc32c_update(0xffffffffu, buf, crcoff);

    r = pvb_crc32c_update(r, zero, 4);
    r = pvb_crc32c_update(r, buf + crcoff + 4, len - crcoff - 4);
    return ~r;
}

int pvb_xfs_crc_check(struct pvb_xfs *fs, const uint8_t *buf, size_t len, size_t crcoff,
                      const char *what, uint64_t where)
{
    uint32_t want = pvb_le32(buf + crcoff), got = pvb_xfs_crc(buf, len, crcoff);

    if (got == want)
        return 0;
    if (fs->ctx->flags & PVB_CTX_STRICT)
        return pvb_fail(fs->ctx, PVB_ECHECKSUM, "xfs: %s %llu: CRC 0x%08x, computed 0x%08x",
                        what, (unsigned long long)where, want, got);
    pvb_warn(fs->ctx, "xfs: %s %llu: CRC 0x%08x, computed 0x%08x", what,
             (unsigned long long)where, want, got);
    return 0;
}

int pvb_xfs_fsb_span(struct pvb_xfs *fs, uint64_t blk, uint64_t n, uint64_t *byte)
{
    uint64_t agno = blk >> fs->agblklog;
    uint64_t agbno = blk & (((uint64_t)1 << fs->agblklog) - 1);
    uint64_t lin;

    /* An extent never crosses an AG; agbno must lie inside its AG and the
     * AG inside the data device (the last AG may be short). */
    if (agno >= fs->agcount || agbno >= fs->agblocks || n > fs->agblocks - agbno)
        return pvb_fail(fs->ctx, PVB_ECORRUPT,
                        "xfs: block %llu+%llu (AG %llu block %llu) is outside its AG",
                        (unsigned long long)blk, (unsigned long long)n,
                        (unsigned long long)agno, (unsigned long long)agbno);
    lin = agno * fs->agblocks + agbno;
    if (lin > fs->dblocks || n > fs->dblocks - lin)
        return pvb_fail(fs->ctx, PVB_ECORRUPT,
                        "xfs: block %llu+%llu is past the end of the filesystem (%llu blocks)",
                        (unsigned long long)blk, (unsigned long long)n,
                        (unsigned long long)fs->dblocks);
    *byte = lin << fs->blocklog;
    return 0;
}

static int is_pow2_log(uint32_t v, unsigned log)
{
    return log < 32 && v == (uint32_t)1 << log;
}

/* Ceiling of log2(v) for v >= 1, as sb_agblklog = xfs_highbit32(agblocks - 1) + 1. */
static unsigned log2_ceil(uint32_t v)
{
    unsigned l = 0;

    while (l < 32 && ((uint64_t)1 << l) < v)
        l++;
    return l;
}

static int versions(struct pvb_xfs *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    unsigned i, v = fs->versionnum & V_NUMBITS;

    if (v != 4 && v != 5)
        return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: superblock version %u (only 4 and 5 are read)", v);
    fs->v5 = v == 5;
    /* Old mkfs wrote features2 at the wrong offset; the kernel ORs both copies. */
    fs->features2 = pvb_be32(sb + SB_FEATURES2) | pvb_be32(sb + SB_BAD_FEATURES2);
    if (!(fs->versionnum & V_MOREBITS))
        fs->features2 = 0;
    if (!fs->v5) {
        if (fs->versionnum & ~V_OKBITS)
            return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: v4 version bits 0x%04x unknown",
                            fs->versionnum & ~V_OKBITS);
        if (!(fs->versionnum & V_DIRV2))
            return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: v1 directories are not supported");
        if (fs->features2 & ~F2_OKBITS)
            return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: v4 features2 bits 0x%08x unknown%s",
                            fs->features2 & ~F2_OKBITS,
                            fs->features2 & F2_CRC ? " (CRC on a v4 superblock)" : "");
        fs->ftype = (fs->features2 & F2_FTYPE) != 0;
        return 0;
    }
    fs->ro_compat = pvb_be32(sb + SB_RO_COMPAT);
    fs->incompat = pvb_be32(sb + SB_INCOMPAT);
    if (fs->incompat & I_NEEDSREPAIR)
        return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: needsrepair is set: xfs_repair did not finish");
    for (i = 0; i < sizeof(incompat_names) / sizeof(incompat_names[0]); i++)
        if ((fs->incompat & incompat_names[i].bit & ~I_OKBITS) != 0)
            return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: incompatible feature %s is not supported",
                            incompat_names[i].name);
    if (fs->incompat & ~I_OKBITS)
        return pvb_fail(c, PVB_EUNSUPPORTED, "xfs: unknown incompatible features 0x%08x",
                        fs->incompat & ~I_OKBITS);
    fs->ftype = (fs->incompat & I_FTYPE) != 0;
    fs->bigtime = (fs->incompat & I_BIGTIME) != 0;
    fs->nrext64 = (fs->incompat & I_NREXT64) != 0;
    memcpy(fs->meta_uuid, sb + (fs->incompat & I_META_UUID ? SB_META_UUID : SB_UUID), 16);
    return 0;
}

/* Block, sector and inode sizes: powers of two matching their logs (xfs_validate_sb_common). */
static int sizes(struct pvb_xfs *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    unsigned sectlog = sb[SB_SECTLOG], inopblock = pvb_be16(sb + SB_INOPBLOCK);

    fs->blocksize = pvb_be32(sb + SB_BLOCKSIZE);
    fs->blocklog = sb[SB_BLOCKLOG];
    fs->sectsize = pvb_be16(sb + SB_SECTSIZE);
    fs->inodesize = pvb_be16(sb + SB_INODESIZE);
    fs->inodelog = sb[SB_INODELOG];
    fs->inopblog = sb[SB_INOPBLOG];
    if (fs->blocklog < 9 || fs->blocklog > 16 || !is_pow2_log(fs->blocksize, fs->blocklog))
        return pvb_fail(c, PVB_ECORRUPT, "xfs: block size %u / log %u (512..65536 allowed)",
                        fs->blocksize, fs->blocklog);
    if (sectlog < 9 || sectlog > 15 || !is_pow2_log(fs->sectsize, sectlog) ||
        fs->sectsize > fs->blocksize)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: sector size %u / log %u (512..32768, <= block size)",
                        fs->sectsize, sectlog);
    if (fs->inodelog < (fs->v5 ? 9u : 8u) || fs->inodelog > 11 ||
        !is_pow2_log(fs->inodesize, fs->inodelog) || fs->inodesize > fs->blocksize)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: inode size %u / log %u", fs->inodesize,
                        fs->inodelog);
    if (fs->inopblog != fs->blocklog - fs->inodelog ||
        inopblock != fs->blocksize >> fs->inodelog)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: %u inodes per block / log %u, want %u / %u",
                        inopblock, fs->inopblog, fs->blocksize >> fs->inodelog,
                        fs->blocklog - fs->inodelog);
    fs->dirblklog = sb[SB_DIRBLKLOG];
    if (fs->blocklog + fs->dirblklog > 16)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: directory block log %u over 64 KiB", fs->dirblklog);
    fs->dirblksize = fs->blocksize << fs->dirblklog;
    return 0;
}

/* AG geometry consistent with itself and with the volume (XSA-443 was this). */
static int geometry(struct pvb_xfs *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    uint64_t full, bytes;

    fs->agblocks = pvb_be32(sb + SB_AGBLOCKS);
    fs->agcount = pvb_be32(sb + SB_AGCOUNT);
    fs->agblklog = sb[SB_AGBLKLOG];
    fs->dblocks = pvb_be64(sb + SB_DBLOCKS);
    /* XFS_MIN_AG_BLOCKS is 64; an AG is at most 1 TiB and 2^31 - 1 blocks. */
    if (fs->agblocks < 64 || fs->agblocks > 0x7fffffffu ||
        ((uint64_t)fs->agblocks << fs->blocklog) > ((uint64_t)1 << 40))
        return pvb_fail(c, PVB_ECORRUPT, "xfs: %u blocks per AG", fs->agblocks);
    if (fs->agblklog != log2_ceil(fs->agblocks))
        return pvb_fail(c, PVB_ECORRUPT, "xfs: AG block log %u, want %u for %u blocks",
                        fs->agblklog, log2_ceil(fs->agblocks), fs->agblocks);
    if (fs->agcount == 0)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: AG count 0");
    /* Inode numbers are agno:agbno:offset in 64 bits. */
    if (fs->agblklog + fs->inopblog + log2_ceil(fs->agcount) > 64)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: %u AGs do not fit 64-bit inode numbers", fs->agcount);
    full = (uint64_t)fs->agcount * fs->agblocks;
    if (fs->dblocks > full || fs->dblocks < full - fs->agblocks + 64)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: %llu blocks do not make %u AGs of %u",
                        (unsigned long long)fs->dblocks, fs->agcount, fs->agblocks);
    if (pvb_mul_u64(fs->dblocks, fs->blocksize, &bytes) || bytes > fs->vol->size)
        return pvb_fail(c, PVB_ECORRUPT, "xfs: %llu blocks of %u bytes exceed the volume (%llu bytes)",
                        (unsigned long long)fs->dblocks, fs->blocksize,
                        (unsigned long long)fs->vol->size);
    return 0;
}

int pvb_xfs_sb_read(struct pvb_disk *vol, struct pvb_xfs *fs)
{
    struct pvb_ctx *c = vol->ctx;
    uint8_t sb[512];
    uint8_t *sect = NULL;
    int rc;

    memset(fs, 0, sizeof(*fs));
    fs->vol = vol;
    fs->ctx = c;
    if (vol->size < sizeof(sb))
        return pvb_fail(c, PVB_ENOTMINE, "xfs: volume too small");
    rc = pvb_disk_pread(vol, sb, sizeof(sb), 0);
    if (rc)
        return rc;
    if (pvb_be32(sb) != XFS_SB_MAGIC)
        return pvb_fail(c, PVB_ENOTMINE, "xfs: no superblock magic");
    fs->versionnum = pvb_be16(sb + SB_VERSIONNUM);
    if ((rc = versions(fs, sb)) != 0 || (rc = sizes(fs, sb)) != 0 || (rc = geometry(fs, sb)) != 0)
        return rc;
    if (sb[SB_INPROGRESS])
        return pvb_fail(c, PVB_ECORRUPT, "xfs: mkfs did not finish (sb_inprogress)");
    if (fs->v5) {
        /* The v5 superblock CRC covers one sector. A mismatch always fails:
         * the kernel refuses to mount such a filesystem (xfs_sb_read_verify). */
        sect = pvb_alloc(c, fs->sectsize, "xfs superblock");
        if (!sect)
            return c->err;
        rc = pvb_disk_pread(vol, sect, fs->sectsize, 0);
        if (!rc && pvb_xfs_crc(sect, fs->sectsize, SB_CRC) != pvb_le32(sect + SB_CRC))
            rc = pvb_fail(c, PVB_ECHECKSUM, "xfs: superblock CRC 0x%08x, computed 0x%08x",
                          pvb_le32(sect + SB_CRC), pvb_xfs_crc(sect, fs->sectsize, SB_CRC));
        pvb_free(c, sect);
        if (rc)
            return rc;
    } else {
        memcpy(fs->meta_uuid, sb + SB_UUID, 16);
    }
    memcpy(fs->uuid, sb + SB_UUID, 16);
    memcpy(fs->label, sb + SB_FNAME, 12);
    fs->label[12] = '\0';
    fs->rootino = pvb_be64(sb + SB_ROOTINO);
    return 0;
}

static void add(char *out, size_t cap, const char *name)
{
    size_t n = strlen(out), k = strlen(name);

    if (n + k + 2 > cap)
        return;
    if (n)
        out[n++] = ',';
    memcpy(out + n, name, k + 1);
}

void pvb_xfs_features(const struct pvb_xfs *fs, char *out, size_t cap)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } ro[] = { { 1, "finobt" }, { 2, "rmapbt" }, { 4, "reflink" }, { 8, "inobtcount" } };
    unsigned i;

    out[0] = '\0';
    if (fs->v5)
        add(out, cap, "crc");
    if (fs->ftype)
        add(out, cap, "ftype");
    if (fs->versionnum & V_BORG)
        add(out, cap, "ascii-ci");
    if (fs->versionnum & V_EXTFLG)
        add(out, cap, "extflg");
    if (fs->features2 & F2_ATTR2)
        add(out, cap, "attr2");
    if (fs->features2 & F2_LAZYSBCOUNT)
        add(out, cap, "lazy-count");
    for (i = 1; i < sizeof(incompat_names) / sizeof(incompat_names[0]); i++)
        if (fs->incompat & incompat_names[i].bit)
            add(out, cap, incompat_names[i].name);
    for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
        if (fs->ro_compat & ro[i].bit)
            add(out, cap, ro[i].name);
}
