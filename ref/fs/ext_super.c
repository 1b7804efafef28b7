/* SPDX-License-Identifier: GPL-2.0-only */
/* ext2/3/4 superblock: checks before use, the feature list, group descriptors, checksums. */
#include <stdio.h>
#include <string.h>

#include "fs/ext.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/safemath.h"

/* Superblock field offsets (e2fsprogs struct ext2_super_block). */
enum {
    SB_INODES_COUNT = 0x00, SB_BLOCKS_COUNT = 0x04, SB_FIRST_DATA_BLOCK = 0x14,
    SB_LOG_BLOCK_SIZE = 0x18, SB_LOG_CLUSTER_SIZE = 0x1C, SB_BLOCKS_PER_GROUP = 0x20,
    SB_CLUSTERS_PER_GROUP = 0x24, SB_INODES_PER_GROUP = 0x28, SB_MAGIC = 0x38,
    SB_STATE = 0x3A, SB_CREATOR_OS = 0x48, SB_REV_LEVEL = 0x4C, SB_FIRST_INO = 0x54,
    SB_INODE_SIZE = 0x58, SB_FEATURE_COMPAT = 0x5C, SB_FEATURE_INCOMPAT = 0x60,
    SB_FEATURE_RO_COMPAT = 0x64, SB_UUID = 0x68, SB_VOLUME_NAME = 0x78, SB_DESC_SIZE = 0xFE,
    SB_FIRST_META_BG = 0x104, SB_BLOCKS_COUNT_HI = 0x150, SB_CHECKSUM_TYPE = 0x175,
    SB_BACKUP_BGS = 0x24C, SB_CHECKSUM_SEED = 0x270, SB_CHECKSUM = 0x3FC
};

/* Group descriptor field offsets (struct ext4_group_desc). */
enum { GD_INODE_TABLE = 0x08, GD_FLAGS = 0x12, GD_CHECKSUM = 0x1E, GD_INODE_TABLE_HI = 0x28 };
#define GD_INODE_UNINIT 0x0001u

struct feature {
    uint32_t bit;
    const char *name;    /* as mke2fs -O and dumpe2fs spell it */
    const char *reason;  /* incompatible bits: why reading is right (NULL: refused) */
};

/*
 * Incompatible features: a bit not listed, or listed without a reason, refuses the
 * mount with PVB_EUNSUPPORTED (GRUB fs/ext2.c EXT2_DRIVER_SUPPORTED_INCOMPAT does
 * the same with a shorter list). Each reason says why this read-only driver reads
 * such a filesystem correctly.
 */
static const struct feature incompat[] = {
    { 0x0001, "compression", "mountable; only files flagged as e2compr-compressed are refused" },
    { 0x0002, "filetype", "directory entries carry a type byte; read and used" },
    { 0x0004, "needs_recovery", "not replayed: read as on disk, as GRUB does, with a warning" },
    { 0x0008, "journal_dev", NULL },  /* an external journal device holds no files */
    { 0x0010, "meta_bg", "group descriptor blocks found per meta group" },
    { 0x0040, "extent", "extent trees read" },
    { 0x0080, "64bit", "64-bit block numbers and 64-byte group descriptors read" },
    { 0x0100, "mmp", "multi-mount protection only guards writers" },
    { 0x0200, "flex_bg", "only moves bitmaps and inode tables; their locations are read" },
    { 0x0400, "ea_inode", "large xattr values live in inodes; no file data does" },
    { 0x1000, "dirdata", NULL },      /* Lustre data after names: entries would misparse */
    { 0x2000, "metadata_csum_seed", "the checksum seed is read from the superblock" },
    { 0x4000, "large_dir", "3-level htrees and 64-bit directory sizes: read by linear scan" },
    { 0x8000, "inline_data", "inline files, symlinks and directories read" },
    { 0x10000, "encrypt", "mountable; encrypted files and directories are refused one by one" },
    { 0x20000, "casefold", "names are matched exactly as stored, as GRUB does" },
};

/* Compatible and read-only-compatible bits, named for pvb_fs_info only: by definition
 * neither kind stops a read-only mount. */
static const struct feature compat[] = {
    { 0x0001, "dir_prealloc", NULL }, { 0x0002, "imagic_inodes", NULL },
    { 0x0004, "has_journal", NULL }, { 0x0008, "ext_attr", NULL },
    { 0x0010, "resize_inode", NULL }, { 0x0020, "dir_index", NULL },
    { 0x0040, "lazy_bg", NULL }, { 0x0100, "exclude_bitmap", NULL },
    { 0x0200, "sparse_super2", NULL }, { 0x0400, "fast_commit", NULL },
    { 0x0800, "stable_inodes", NULL }, { 0x1000, "orphan_file", NULL },
};

static const struct feature ro_compat[] = {
    { 0x0001, "sparse_super", NULL }, { 0x0002, "large_file", NULL },
    { 0x0008, "huge_file", NULL }, { 0x0010, "uninit_bg", NULL },
    { 0x0020, "dir_nlink", NULL }, { 0x0040, "extra_isize", NULL },
    { 0x0080, "snapshot", NULL }, { 0x0100, "quota", NULL },
    { 0x0200, "bigalloc", NULL }, { 0x0400, "metadata_csum", NULL },
    { 0x0800, "replica", NULL }, { 0x1000, "read-only", NULL },
    { 0x2000, "project", NULL }, { 0x4000, "shared_blocks", NULL },
    { 0x8000, "verity", NULL }, { 0x10000, "orphan_present", NULL },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int check_incompat(struct ext_fs *fs)
{
    uint32_t left = fs->incompat;
    size_t i;

    for (i = 0; i < NELEM(incompat); i++) {
        if (!(left & incompat[i].bit))
            continue;
        if (!incompat[i].reason)
            return pvb_fail(fs->ctx, PVB_EUNSUPPORTED,
                            "ext: incompatible feature %s (0x%x) is not supported",
                            incompat[i].name, (unsigned)incompat[i].bit);
        left &= ~incompat[i].bit;
    }
    if (left)
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED,
                        "ext: unknown incompatible feature bit 0x%x (s_feature_incompat 0x%x)",
                        (unsigned)(left & -left), (unsigned)fs->incompat);
    return 0;
}

/* Report a checksum mismatch: an error in strict mode, else one warning per kind. */
int pvb_ext_csum_check(struct ext_fs *fs, unsigned kind, uint32_t stored, uint32_t computed,
                       const char *what, uint64_t id)
{
    if (stored == computed)
        return 0;
    if (fs->ctx->flags & PVB_CTX_STRICT)
        return pvb_fail(fs->ctx, PVB_ECHECKSUM, "ext: %s %llu: checksum 0x%x, expected 0x%x",
                        what, (unsigned long long)id, (unsigned)stored, (unsigned)computed);
    if (!(fs->warned & kind))
        pvb_warn(fs->ctx, "ext: %s %llu: checksum 0x%x, expected 0x%x (further %s checksum "
                 "errors not reported)", what, (unsigned long long)id, (unsigned)stored,
                 (unsigned)computed, what);
    fs->warned |= kind;
    return 0;
}

/* Block size, cluster size and inode size (Linux ext4_fill_super, e2fsck super.c). */
static int check_sizes(struct ext_fs *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    uint32_t log = pvb_le32(sb + SB_LOG_BLOCK_SIZE), logc = pvb_le32(sb + SB_LOG_CLUSTER_SIZE);

    if (log > 6)
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: s_log_block_size %u: block size "
                        "must be 1 KiB to 64 KiB", (unsigned)log);
    fs->log_bs = 10 + log;
    fs->bs = (uint32_t)1 << fs->log_bs;
    fs->log_cluster = fs->log_bs;
    if (fs->ro_compat & EXT_RO_BIGALLOC) {
        if (logc < log || logc > 20)
            return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: s_log_cluster_size %u with "
                            "s_log_block_size %u", (unsigned)logc, (unsigned)log);
        fs->log_cluster = 10 + logc;
    } else if (logc != log) {
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: cluster size 2^%u differs from the "
                        "block size 2^%u without bigalloc", (unsigned)(10 + logc), fs->log_bs);
    }
    fs->isize = 128;
    if (fs->rev >= 1) {
        fs->isize = pvb_le16(sb + SB_INODE_SIZE);
        if (fs->isize < 128 || fs->isize > fs->bs || (fs->isize & (fs->isize - 1)))
            return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: inode size %u: must be a power "
                            "of two from 128 to the block size %u", fs->isize, (unsigned)fs->bs);
    }
    fs->desc_size = 32;
    if (fs->incompat & EXT_IN_64BIT) {
        fs->desc_size = pvb_le16(sb + SB_DESC_SIZE);
        if (fs->desc_size < 64 || fs->desc_size > 1024 || (fs->desc_size & (fs->desc_size - 1)))
            return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: group descriptor size %u: must "
                            "be a power of two from 64 to 1024 with 64bit", fs->desc_size);
    }
    fs->descs_per_block = fs->bs / fs->desc_size;
    return 0;
}

/* Groups: sizes non-zero and within one bitmap block, counts consistent. */
static int check_groups(struct ext_fs *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    uint32_t cpg = pvb_le32(sb + SB_CLUSTERS_PER_GROUP), want_first;
    uint64_t ngroups, span;

    fs->bpg = pvb_le32(sb + SB_BLOCKS_PER_GROUP);
    fs->ipg = pvb_le32(sb + SB_INODES_PER_GROUP);
    fs->inodes_count = pvb_le32(sb + SB_INODES_COUNT);
    fs->first_data_block = pvb_le32(sb + SB_FIRST_DATA_BLOCK);
    fs->blocks = pvb_le32(sb + SB_BLOCKS_COUNT);
    if (fs->incompat & EXT_IN_64BIT)
        fs->blocks |= (uint64_t)pvb_le32(sb + SB_BLOCKS_COUNT_HI) << 32;
    if (fs->ro_compat & EXT_RO_BIGALLOC) {
        if (cpg == 0 || cpg > 8 * fs->bs ||
            (uint64_t)cpg << (fs->log_cluster - fs->log_bs) != fs->bpg)
            return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: %u blocks and %u clusters per "
                            "group are inconsistent", (unsigned)fs->bpg, (unsigned)cpg);
    } else if (fs->bpg == 0 || fs->bpg > 8 * fs->bs) {
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: %u blocks per group: must be 1 to %u",
                        (unsigned)fs->bpg, (unsigned)(8 * fs->bs));
    }
    if (fs->ipg < fs->bs / fs->isize || fs->ipg > 8 * fs->bs)
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: %u inodes per group: must be %u to %u",
                        (unsigned)fs->ipg, (unsigned)(fs->bs / fs->isize), (unsigned)(8 * fs->bs));
    /* e2fsck: block 0 holds the boot sector and superblock unless blocks are 1 KiB. */
    want_first = fs->log_cluster == 10 ? 1 : 0;
    if (fs->first_data_block != want_first || fs->blocks <= fs->first_data_block)
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: first data block %u with %u-byte "
                        "blocks and %llu blocks: must be %u", (unsigned)fs->first_data_block,
                        (unsigned)fs->bs, (unsigned long long)fs->blocks, (unsigned)want_first);
    span = fs->blocks - fs->first_data_block;
    ngroups = span / fs->bpg + (span % fs->bpg != 0);
    if (pvb_mul_u64(ngroups, fs->ipg, &span) || span != fs->inodes_count)
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: %llu groups of %u inodes do not make "
                        "s_inodes_count %u", (unsigned long long)ngroups, (unsigned)fs->ipg,
                        (unsigned)fs->inodes_count);
    fs->ngroups = (uint32_t)ngroups;   /* <= inodes_count, a 32-bit value */
    return 0;
}

static int is_power_of(uint32_t n, uint32_t base)
{
    while (n > 1 && n % base == 0)
        n /= base;
    return n == 1;
}

/* Whether group g holds a superblock backup (e2fsprogs ext2fs_bg_has_super). */
static int group_has_super(const struct ext_fs *fs, uint32_t g)
{
    if (g == 0)
        return 1;
    if (fs->compat & EXT_COMPAT_SPARSE_SUPER2)
        return g == fs->backup_bgs[0] || g == fs->backup_bgs[1];
    if (g <= 1 || !(fs->ro_compat & EXT_RO_SPARSE_SUPER))
        return 1;
    if (!(g & 1))
        return 0;
    return is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

/*
 * Block holding descriptor block nr (Linux ext4 descriptor_loc): after the primary
 * superblock, or with meta_bg from s_first_meta_bg on, in the first group of each
 * meta group, after its superblock backup if it has one.
 */
static uint64_t gdt_block(const struct ext_fs *fs, uint32_t nr)
{
    uint64_t sb_block = fs->bs == 1024 ? 1 : 0, g;

    if (!(fs->incompat & EXT_IN_META_BG) || nr < fs->first_meta_bg)
        return sb_block + nr + 1;
    g = (uint64_t)nr * fs->descs_per_block;
    return fs->first_data_block + g * fs->bpg + group_has_super(fs, (uint32_t)g) +
           (fs->bs == 1024 && nr == 0 && fs->first_data_block == 0);
}

static int gdt_past_end(struct ext_fs *fs, uint32_t nr)
{
    uint64_t vol_blocks = fs->vol->size >> fs->log_bs, b = gdt_block(fs, nr);

    if (b < vol_blocks && b < fs->blocks)
        return 0;
    return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: group descriptor block %u at block %llu is "
                    "past the end of the volume (%llu blocks) or filesystem (%llu blocks)",
                    (unsigned)nr, (unsigned long long)b, (unsigned long long)vol_blocks,
                    (unsigned long long)fs->blocks);
}

/* Every descriptor block must lie inside the volume and the filesystem. Locations
 * grow with nr in each of the two ranges, so checking the last of each is enough. */
static int check_gdt(struct ext_fs *fs)
{
    uint32_t nblocks = fs->ngroups / fs->descs_per_block + (fs->ngroups % fs->descs_per_block != 0);
    int rc;

    if ((fs->incompat & EXT_IN_META_BG) && fs->first_meta_bg > nblocks)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: superblock: first meta group %u is past "
                        "the %u group descriptor blocks", (unsigned)fs->first_meta_bg,
                        (unsigned)nblocks);
    rc = gdt_past_end(fs, nblocks - 1);
    if (!rc && (fs->incompat & EXT_IN_META_BG) && fs->first_meta_bg > 0)
        rc = gdt_past_end(fs, fs->first_meta_bg - 1);
    return rc;
}

/* CRC16, polynomial 0x8005 reflected (Linux lib/crc16.c), of uninit_bg descriptors. */
static uint16_t crc16(uint16_t crc, const uint8_t *p, size_t n)
{
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++)
            crc = (uint16_t)(crc & 1 ? (crc >> 1) ^ 0xA001 : crc >> 1);
    }
    return crc;
}

/* Linux ext4_group_desc_csum: the descriptor with its checksum field as zero. */
static uint16_t gd_csum(const struct ext_fs *fs, uint32_t g, const uint8_t *d)
{
    static const uint8_t zero[2];
    uint8_t le[4];
    uint32_t x;
    uint16_t crc;

    pvb_put_le32(le, g);
    if (fs->csum) {
        x = pvb_crc32c_update(fs->csum_seed, le, 4);
        x = pvb_crc32c_update(x, d, GD_CHECKSUM);
        x = pvb_crc32c_update(x, zero, 2);
        x = pvb_crc32c_update(x, d + GD_CHECKSUM + 2, fs->desc_size - GD_CHECKSUM - 2);
        return (uint16_t)x;
    }
    crc = crc16(0xFFFF, fs->uuid, 16);
    crc = crc16(crc, le, 4);
    crc = crc16(crc, d, GD_CHECKSUM);
    return crc16(crc, d + GD_CHECKSUM + 2, fs->desc_size - GD_CHECKSUM - 2);
}

/* Decode group g's descriptor into the one-entry cache. */
static int read_gd(struct ext_fs *fs, uint32_t g)
{
    uint8_t d[1024];
    uint32_t nr = g / fs->descs_per_block;
    uint64_t off = (gdt_block(fs, nr) << fs->log_bs) +
                   (uint64_t)(g % fs->descs_per_block) * fs->desc_size;
    int rc;

    if (fs->gd_valid && fs->gd_group == g)
        return 0;
    fs->gd_valid = 0;
    rc = pvb_disk_pread(fs->vol, d, fs->desc_size, off);
    if (!rc && (fs->csum || fs->gdt_csum))
        rc = pvb_ext_csum_check(fs, EXT_WARN_GD_CSUM, pvb_le16(d + GD_CHECKSUM),
                                gd_csum(fs, g, d), "group descriptor", g);
    if (rc)
        return rc;
    fs->gd_itable = pvb_le32(d + GD_INODE_TABLE);
    if (fs->desc_size >= 64)
        fs->gd_itable |= (uint64_t)pvb_le32(d + GD_INODE_TABLE_HI) << 32;
    fs->gd_flags = pvb_le16(d + GD_FLAGS);
    fs->gd_group = g;
    fs->gd_valid = 1;
    return 0;
}

/* Byte offset of inode ino (1..s_inodes_count, checked by the caller) on the volume. */
int pvb_ext_inode_offset(struct ext_fs *fs, uint32_t ino, uint64_t *off)
{
    uint32_t g = (ino - 1) / fs->ipg, idx = (ino - 1) % fs->ipg;
    uint64_t table_blocks = ((uint64_t)fs->ipg * fs->isize + fs->bs - 1) >> fs->log_bs;
    int rc = read_gd(fs, g);

    if (rc)
        return rc;
    /* Flags count only when descriptors are checksummed (Linux ext4_has_group_desc_csum). */
    if ((fs->csum || fs->gdt_csum) && (fs->gd_flags & GD_INODE_UNINIT))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: inode %u: group %u has no initialised "
                        "inode table", (unsigned)ino, (unsigned)g);
    if (fs->gd_itable <= fs->first_data_block || fs->gd_itable > fs->blocks ||
        table_blocks > fs->blocks - fs->gd_itable)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: group %u: inode table at block %llu is "
                        "outside the filesystem (%llu blocks)", (unsigned)g,
                        (unsigned long long)fs->gd_itable, (unsigned long long)fs->blocks);
    *off = (fs->gd_itable << fs->log_bs) + (uint64_t)idx * fs->isize;
    return 0;
}

static int check_csum_sb(struct ext_fs *fs, const uint8_t *sb)
{
    fs->csum = (fs->ro_compat & EXT_RO_METADATA_CSUM) != 0;
    fs->gdt_csum = !fs->csum && (fs->ro_compat & EXT_RO_GDT_CSUM);
    if (!fs->csum)
        return 0;
    if (sb[SB_CHECKSUM_TYPE] != 1)   /* EXT2_CRC32C_CHKSUM */
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "ext: superblock: unknown checksum type %u",
                        sb[SB_CHECKSUM_TYPE]);
    fs->csum_seed = fs->incompat & EXT_IN_CSUM_SEED ? pvb_le32(sb + SB_CHECKSUM_SEED)
                                                    : pvb_crc32c_update(~0u, sb + SB_UUID, 16);
    return pvb_ext_csum_check(fs, EXT_WARN_SB_CSUM, pvb_le32(sb + SB_CHECKSUM),
                              pvb_crc32c_update(~0u, sb, SB_CHECKSUM), "superblock", 0);
}

static void warn_state(struct ext_fs *fs, const uint8_t *sb)
{
    uint64_t vol_blocks = fs->vol->size >> fs->log_bs;

    if (fs->incompat & EXT_IN_RECOVER)
        pvb_warn(fs->ctx, "ext: the journal needs recovery; reading the filesystem as it is on "
                 "disk, without replaying it (as GRUB does)");
    if (pvb_le16(sb + SB_STATE) & 0x0002)   /* EXT2_ERROR_FS */
        pvb_warn(fs->ctx, "ext: the filesystem is marked as having errors");
    if (fs->blocks > vol_blocks)
        pvb_warn(fs->ctx, "ext: the filesystem (%llu blocks) is larger than its volume "
                 "(%llu blocks); reads past the end will fail", (unsigned long long)fs->blocks,
                 (unsigned long long)vol_blocks);
}

int pvb_ext_super_load(struct ext_fs *fs)
{
    struct pvb_ctx *c = fs->ctx;
    uint8_t sb[EXT_SB_SIZE];
    int rc;

    if (fs->vol->size < EXT_SB_OFFSET + EXT_SB_SIZE)
        return pvb_fail(c, PVB_ENOTMINE, "ext: volume too small for a superblock");
    rc = pvb_disk_pread(fs->vol, sb, EXT_SB_SIZE, EXT_SB_OFFSET);
    if (rc)
        return rc;
    if (pvb_le16(sb + SB_MAGIC) != EXT_MAGIC)
        return pvb_fail(c, PVB_ENOTMINE, "ext: no superblock magic");
    fs->rev = pvb_le32(sb + SB_REV_LEVEL);
    if (fs->rev > 1)
        return pvb_fail(c, PVB_EUNSUPPORTED, "ext: superblock revision %u", fs->rev);
    /* The kernel honours feature bits even on revision 0 (and warns); so do we. */
    fs->compat = pvb_le32(sb + SB_FEATURE_COMPAT);
    fs->incompat = pvb_le32(sb + SB_FEATURE_INCOMPAT);
    fs->ro_compat = pvb_le32(sb + SB_FEATURE_RO_COMPAT);
    if (fs->rev == 0 && (fs->compat | fs->incompat | fs->ro_compat))
        pvb_warn(c, "ext: feature flags set on a revision 0 filesystem");
    memcpy(fs->uuid, sb + SB_UUID, 16);
    if ((rc = check_incompat(fs)) || (rc = check_csum_sb(fs, sb)) || (rc = check_sizes(fs, sb)) ||
        (rc = check_groups(fs, sb)))
        return rc;
    if (fs->blocks > UINT64_MAX >> fs->log_bs)
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: %llu blocks is more than 2^64 bytes",
                        (unsigned long long)fs->blocks);
    fs->first_meta_bg = pvb_le32(sb + SB_FIRST_META_BG);
    fs->backup_bgs[0] = pvb_le32(sb + SB_BACKUP_BGS);
    fs->backup_bgs[1] = pvb_le32(sb + SB_BACKUP_BGS + 4);
    fs->creator_os = pvb_le32(sb + SB_CREATOR_OS);
    fs->first_ino = fs->rev == 0 ? 11 : pvb_le32(sb + SB_FIRST_INO);
    if (fs->first_ino < 11)
        return pvb_fail(c, PVB_ECORRUPT, "ext: superblock: first inode %u is reserved",
                        (unsigned)fs->first_ino);
    memcpy(fs->label, sb + SB_VOLUME_NAME, 16);
    fs->label[16] = '\0';
    rc = check_gdt(fs);
    if (rc)
        return rc;
    warn_state(fs, sb);
    return 0;
}

static void add_names(const struct feature *t, size_t n, uint32_t bits, char *out, size_t cap)
{
    size_t i, len;

    for (i = 0; i < n; i++) {
        if (!(bits & t[i].bit))
            continue;
        len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", len ? " " : "", t[i].name);
    }
}

/* Feature names as dumpe2fs lists them: compat, incompat, ro_compat. */
void pvb_ext_features(const struct ext_fs *fs, char *out, size_t cap)
{
    out[0] = '\0';
    add_names(compat, NELEM(compat), fs->compat, out, cap);
    add_names(incompat, NELEM(incompat), fs->incompat, out, cap);
    add_names(ro_compat, NELEM(ro_compat), fs->ro_compat, out, cap);
}

/* The name blkid gives: ext4 when any feature beyond ext3's is on (util-linux ext.c). */
unsigned pvb_ext_version(const struct ext_fs *fs)
{
    if ((fs->incompat & ~(uint32_t)(0x0002 | 0x0004 | 0x0010)) ||
        (fs->ro_compat & ~(uint32_t)(0x0001 | 0x0002 | 0x0004)))
        return 4;
    return fs->compat & EXT_COMPAT_HAS_JOURNAL ? 3 : 2;
}
