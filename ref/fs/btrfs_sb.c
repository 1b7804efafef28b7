/* SPDX-License-Identifier: GPL-2.0-only */
/* btrfs superblock (primary or mirror), the chunk map from its bootstrap array and the chunk tree. */
#include <stdio.h>
#include <string.h>

#include "fs/btrfs.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"
#include "util/safemath.h"

/* struct btrfs_super_block */
#define SB_CSUM          0x00
#define SB_FSID          0x20
#define SB_BYTENR        0x30
#define SB_MAGIC         0x40
#define SB_GENERATION    0x48
#define SB_ROOT          0x50
#define SB_CHUNK_ROOT    0x58
#define SB_TOTAL_BYTES   0x70
#define SB_NUM_DEVICES   0x88
#define SB_SECTORSIZE    0x90
#define SB_NODESIZE      0x94
#define SB_SYS_ARRAY_SZ  0xa0
#define SB_COMPAT_RO     0xb4
#define SB_INCOMPAT      0xbc
#define SB_CSUM_TYPE     0xc4
#define SB_ROOT_LEVEL    0xc6
#define SB_CHUNK_LEVEL   0xc7
#define SB_DEV_ITEM      0xc9   /* struct btrfs_dev_item: devid first */
#define SB_LABEL         0x12b
#define SB_METADATA_UUID 0x23b
#define SB_SYS_ARRAY     0x32b

/* struct btrfs_chunk and its stripes */
#define CH_LENGTH      0
#define CH_TYPE        24
#define CH_NUM_STRIPES 44
#define CH_STRIPES     48
#define ST_DEVID       0
#define ST_OFFSET      8
#define ST_SIZE        32

/*
 * Incompatible features (BTRFS_FEATURE_INCOMPAT_*) this driver reads, each
 * with why it needs nothing or what reads it. Anything else is refused.
 */
#define INC_MIXED_BACKREF  0x1u     /* extent tree back references: not read */
#define INC_DEFAULT_SUBVOL 0x2u     /* the "default" dir item: pvb_btrfs_default_subvol() */
#define INC_MIXED_GROUPS   0x4u     /* data and metadata share chunks: mapped the same */
#define INC_LZO            0x8u     /* LZO extents: util/lzo.c */
#define INC_ZSTD           0x10u    /* zstd extents: disk/inflate.c */
#define INC_BIG_METADATA   0x20u    /* nodes larger than 4 KiB: nodesize is checked */
#define INC_EXTENDED_IREF  0x40u    /* INODE_EXTREF items: not read (names come from dir items) */
#define INC_RAID56         0x80u    /* RAID5/6 chunks: refused by name when mapped */
#define INC_SKINNY_META    0x100u   /* METADATA_ITEMs in the extent tree: not read */
#define INC_NO_HOLES       0x200u   /* holes without extent items: gaps read as zeros */
#define INC_METADATA_UUID  0x400u   /* nodes carry metadata_uuid, not fsid */
#define INC_RAID1C34       0x800u   /* RAID1C3/4 chunks: refused by name when mapped */
#define INC_SIMPLE_QUOTA   0x10000u /* quota accounting only */
#define INC_KNOWN (INC_MIXED_BACKREF | INC_DEFAULT_SUBVOL | INC_MIXED_GROUPS | INC_LZO | \
                   INC_ZSTD | INC_BIG_METADATA | INC_EXTENDED_IREF | INC_RAID56 | \
                   INC_SKINNY_META | INC_NO_HOLES | INC_METADATA_UUID | INC_RAID1C34 | \
                   INC_SIMPLE_QUOTA)
/* ZONED (0x1000: superblocks in log zones, not at 64 KiB), EXTENT_TREE_V2 (0x2000: global
 * roots) and RAID_STRIPE_TREE (0x4000: another mapping layer) are refused. */

#define PROFILE_MASK (BT_BG_RAID0 | BT_BG_RAID1 | BT_BG_DUP | BT_BG_RAID10 | BT_BG_RAID5 | \
                      BT_BG_RAID6 | BT_BG_RAID1C3 | BT_BG_RAID1C4)

static const uint64_t sb_offsets[3] = {
    65536u, (uint64_t)64 << 20, (uint64_t)256 << 30   /* btrfs_sb_offset(0..2) */
};

uint32_t pvb_btrfs_name_hash(const void *name, size_t len)
{
    /* crc32c(~1, name) without the final inversion (the kernel's crc32c() is the raw register). */
    return pvb_crc32c_update(0xfffffffeu, name, len);
}

static const char *csum_name(unsigned t)
{
    switch (t) {
    case 0: return "crc32c";
    case 1: return "xxhash64";
    case 2: return "sha256";
    case 3: return "blake2b";
    default: return "unknown";
    }
}

/* A copy is usable when its magic, place and crc32c are right; why not, in why. */
static int sb_valid(const uint8_t *sb, uint64_t where, const char **why)
{
    if (memcmp(sb + SB_MAGIC, "_BHRfS_M", 8) != 0) {
        *why = "no magic";
        return 0;
    }
    if (pvb_le64(sb + SB_BYTENR) != where) {
        *why = "it names another place";
        return 0;
    }
    if (pvb_le16(sb + SB_CSUM_TYPE) != 0) {
        *why = "checksum type";
        return 1;   /* refused with its name by the caller */
    }
    if (pvb_crc32c(sb + BT_CSUM_SIZE, BT_SB_SIZE - BT_CSUM_SIZE) != pvb_le32(sb + SB_CSUM)) {
        *why = "bad crc32c";
        return 0;
    }
    return 1;
}

/* Sizes, levels and features, before anything is derived from them. */
static int sb_check(struct pvb_btrfs *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    unsigned csum = pvb_le16(sb + SB_CSUM_TYPE);
    uint64_t unknown;

    if (csum != 0)
        return pvb_fail(c, PVB_EUNSUPPORTED, "btrfs: checksum type %u (%s): only crc32c is read",
                        csum, csum_name(csum));
    fs->sectorsize = pvb_le32(sb + SB_SECTORSIZE);
    fs->nodesize = pvb_le32(sb + SB_NODESIZE);
    if (fs->sectorsize < 4096 || fs->sectorsize > 65536 || (fs->sectorsize & (fs->sectorsize - 1)))
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: superblock: sector size %u: must be a power of "
                        "two from 4096 to 65536", (unsigned)fs->sectorsize);
    if (fs->nodesize < fs->sectorsize || fs->nodesize > 65536 || (fs->nodesize & (fs->nodesize - 1)))
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: superblock: node size %u: must be a power of two "
                        "from the sector size (%u) to 65536", (unsigned)fs->nodesize,
                        (unsigned)fs->sectorsize);
    fs->root_level = sb[SB_ROOT_LEVEL];
    fs->chunk_level = sb[SB_CHUNK_LEVEL];
    if (fs->root_level > BT_MAX_LEVEL || fs->chunk_level > BT_MAX_LEVEL)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: superblock: root level %u, chunk root level %u: "
                        "at most %u", fs->root_level, fs->chunk_level, BT_MAX_LEVEL);
    if (pvb_le64(sb + SB_NUM_DEVICES) != 1)
        return pvb_fail(c, PVB_EUNSUPPORTED, "btrfs: %llu devices: only single-device "
                        "filesystems are read", (unsigned long long)pvb_le64(sb + SB_NUM_DEVICES));
    fs->incompat = pvb_le64(sb + SB_INCOMPAT);
    fs->compat_ro = pvb_le64(sb + SB_COMPAT_RO);
    unknown = fs->incompat & ~(uint64_t)INC_KNOWN;
    if (unknown)
        return pvb_fail(c, PVB_EUNSUPPORTED, "btrfs: incompatible features 0x%llx%s are not read",
                        (unsigned long long)unknown, unknown & 0x1000u ? " (zoned)" :
                        unknown & 0x2000u ? " (extent tree v2)" :
                        unknown & 0x4000u ? " (raid stripe tree)" : "");
    if (pvb_le32(sb + SB_SYS_ARRAY_SZ) > BT_SYS_ARRAY_MAX)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: superblock: system chunk array of %u bytes, at "
                        "most %u", (unsigned)pvb_le32(sb + SB_SYS_ARRAY_SZ), BT_SYS_ARRAY_MAX);
    fs->generation = pvb_le64(sb + SB_GENERATION);
    fs->root = pvb_le64(sb + SB_ROOT);
    fs->chunk_root = pvb_le64(sb + SB_CHUNK_ROOT);
    fs->total_bytes = pvb_le64(sb + SB_TOTAL_BYTES);
    fs->devid = pvb_le64(sb + SB_DEV_ITEM);
    memcpy(fs->fsid, sb + SB_FSID, 16);
    memcpy(fs->meta_fsid, fs->incompat & INC_METADATA_UUID ? sb + SB_METADATA_UUID : sb + SB_FSID,
           16);
    memcpy(fs->label, sb + SB_LABEL, 256);
    fs->label[256] = '\0';
    if (fs->total_bytes > fs->vol->size)
        pvb_warn(c, "btrfs: the filesystem (%llu bytes) is larger than its volume (%llu bytes)",
                 (unsigned long long)fs->total_bytes, (unsigned long long)fs->vol->size);
    return 0;
}

/* The bootstrap chunks: (key, chunk item) pairs packed in the superblock. */
static int sys_array(struct pvb_btrfs *fs, const uint8_t *sb)
{
    uint32_t n = pvb_le32(sb + SB_SYS_ARRAY_SZ), at = 0;
    const uint8_t *a = sb + SB_SYS_ARRAY;
    int rc;

    while (at < n) {
        uint32_t len;

        if (n - at < BT_KEY + CH_STRIPES)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: system chunk array: %u bytes left at "
                            "%u, too few for a chunk", (unsigned)(n - at), (unsigned)at);
        if (a[at + 8] != BT_CHUNK_ITEM)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: system chunk array: key type %u at "
                            "%u is not a chunk item", a[at + 8], (unsigned)at);
        len = CH_STRIPES + ST_SIZE * (uint32_t)pvb_le16(a + at + BT_KEY + CH_NUM_STRIPES);
        if (len > n - at - BT_KEY)
            return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: system chunk array: the chunk at %u "
                            "runs past its end", (unsigned)at);
        if ((rc = pvb_bt_chunk_add(fs, pvb_le64(a + at + 9), a + at + BT_KEY, len)) != 0)
            return rc;
        at += BT_KEY + len;
    }
    if (fs->nchunks == 0)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: the superblock holds no system chunk");
    return 0;
}

/*
 * The superblock GRUB would use: the primary must carry the magic (else the
 * volume is not btrfs); of the copies inside the device (64 KiB, 64 MiB,
 * 256 GiB) whose magic, place and crc32c are right, the one with the highest
 * generation (GRUB's read_sblock).
 */
int pvb_bt_sb_read(struct pvb_disk *vol, struct pvb_btrfs *fs)
{
    struct pvb_ctx *c = vol->ctx;
    uint8_t *sb = NULL, *best = NULL;
    const char *why = "no magic", *why0 = "no magic";
    uint64_t best_gen = 0;
    int i, rc = 0;

    fs->vol = vol;
    fs->ctx = c;
    if (vol->size < BT_SB_OFFSET + BT_SB_SIZE)
        return pvb_fail(c, PVB_ENOTMINE, "btrfs: volume too small for a superblock");
    sb = pvb_alloc(c, BT_SB_SIZE, "btrfs superblock");
    best = pvb_alloc(c, BT_SB_SIZE, "btrfs superblock");
    if (!sb || !best) {
        rc = c->err;
        goto out;
    }
    for (i = 0; i < 3; i++) {
        if (sb_offsets[i] + BT_SB_SIZE > vol->size)
            break;
        if ((rc = pvb_disk_pread(vol, sb, BT_SB_SIZE, sb_offsets[i])) != 0)
            goto out;
        if (i == 0 && memcmp(sb + SB_MAGIC, "_BHRfS_M", 8) != 0) {
            rc = pvb_fail(c, PVB_ENOTMINE, "btrfs: no _BHRfS_M magic at 64 KiB");
            goto out;
        }
        if (!sb_valid(sb, sb_offsets[i], &why)) {
            if (i == 0)
                why0 = why;
            continue;
        }
        if (i == 0)
            why0 = NULL;
        /* Generations start at 1; 0 is "none found yet". */
        if (pvb_le64(sb + SB_GENERATION) > best_gen) {
            memcpy(best, sb, BT_SB_SIZE);
            best_gen = pvb_le64(sb + SB_GENERATION);
            fs->mirror = i;
        }
    }
    if (!best_gen) {
        rc = pvb_fail(c, PVB_ECHECKSUM, "btrfs: superblock at 64 KiB: %s, and no valid mirror",
                      why0 ? why0 : "unusable");
        goto out;
    }
    if (why0)
        pvb_warn(c, "btrfs: superblock at 64 KiB: %s: using the mirror at %llu", why0,
                 (unsigned long long)sb_offsets[fs->mirror]);
    if ((rc = sb_check(fs, best)) == 0)
        rc = sys_array(fs, best);
out:
    pvb_free(c, sb);
    pvb_free(c, best);
    return rc;
}

static const char *profile_name(uint64_t t)
{
    if (t & BT_BG_RAID0) return "RAID0";
    if (t & BT_BG_RAID1) return "RAID1";
    if (t & BT_BG_RAID10) return "RAID10";
    if (t & BT_BG_RAID5) return "RAID5";
    if (t & BT_BG_RAID6) return "RAID6";
    if (t & BT_BG_RAID1C3) return "RAID1C3";
    if (t & BT_BG_RAID1C4) return "RAID1C4";
    if (t & BT_BG_DUP) return "DUP";
    return "SINGLE";
}

/*
 * One chunk into the sorted map. A chunk the map already holds (the chunk
 * tree repeats the bootstrap's) is skipped; one overlapping another is
 * corrupt. Profiles other than SINGLE and DUP are kept and refused by name
 * when a read needs them.
 */
int pvb_bt_chunk_add(struct pvb_btrfs *fs, uint64_t logical, const uint8_t *item, size_t len)
{
    struct pvb_ctx *c = fs->ctx;
    struct bt_chunk ch, *arr;
    unsigned i, lo = 0, hi = fs->nchunks, ns;
    uint64_t end, pend;

    if (len < CH_STRIPES)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: chunk at %llu: item of %zu bytes",
                        (unsigned long long)logical, len);
    memset(&ch, 0, sizeof(ch));
    ch.logical = logical;
    ch.length = pvb_le64(item + CH_LENGTH);
    ch.type = pvb_le64(item + CH_TYPE);
    ns = pvb_le16(item + CH_NUM_STRIPES);
    if (ns < 1 || len < CH_STRIPES + (size_t)ST_SIZE * ns)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: chunk at %llu: %u stripes in %zu bytes",
                        (unsigned long long)logical, ns, len);
    if (ch.length == 0 || pvb_add_u64(logical, ch.length, &end) ||
        (logical | ch.length) & (fs->sectorsize - 1))
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: chunk at %llu of %llu bytes: empty, unaligned "
                        "or past 2^64", (unsigned long long)logical,
                        (unsigned long long)ch.length);
    ch.nstripes = ns;
    if ((ch.type & PROFILE_MASK) == BT_BG_DUP && ns != 2)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: DUP chunk at %llu has %u stripes, not 2",
                        (unsigned long long)logical, ns);
    if ((ch.type & PROFILE_MASK) == 0 && ns != 1)
        return pvb_fail(c, PVB_ECORRUPT, "btrfs: SINGLE chunk at %llu has %u stripes, not 1",
                        (unsigned long long)logical, ns);
    for (i = 0; i < ns && i < 2; i++) {
        const uint8_t *st = item + CH_STRIPES + ST_SIZE * i;

        ch.phys[i] = pvb_le64(st + ST_OFFSET);
        if (pvb_add_u64(ch.phys[i], ch.length, &pend))
            return pvb_fail(c, PVB_ECORRUPT, "btrfs: chunk at %llu: stripe %u at %llu runs past "
                            "2^64", (unsigned long long)logical, i,
                            (unsigned long long)ch.phys[i]);
        if (pvb_le64(st + ST_DEVID) != fs->devid && (ch.type & PROFILE_MASK) == 0)
            return pvb_fail(c, PVB_EUNSUPPORTED, "btrfs: chunk at %llu is on device %llu, this "
                            "is device %llu", (unsigned long long)logical,
                            (unsigned long long)pvb_le64(st + ST_DEVID),
                            (unsigned long long)fs->devid);
    }
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (fs->chunks[mid].logical < logical)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < fs->nchunks && fs->chunks[lo].logical == logical &&
        fs->chunks[lo].length == ch.length && fs->chunks[lo].type == ch.type &&
        fs->chunks[lo].phys[0] == ch.phys[0] && fs->chunks[lo].phys[1] == ch.phys[1])
        return 0;
    if ((lo < fs->nchunks && fs->chunks[lo].logical < end) ||
        (lo > 0 && fs->chunks[lo - 1].logical + fs->chunks[lo - 1].length > logical)) {
        const struct bt_chunk *o = lo < fs->nchunks && fs->chunks[lo].logical < end ?
            &fs->chunks[lo] : &fs->chunks[lo - 1];

        return pvb_fail(c, PVB_ECORRUPT, "btrfs: chunk at %llu (%llu bytes) overlaps the chunk "
                        "at %llu (%llu bytes)", (unsigned long long)logical,
                        (unsigned long long)ch.length, (unsigned long long)o->logical,
                        (unsigned long long)o->length);
    }
    arr = pvb_grow(c, fs->chunks, &fs->chunk_cap, fs->nchunks + 1, sizeof(*arr), "btrfs chunks");
    if (!arr)
        return c->err;
    fs->chunks = arr;
    memmove(arr + lo + 1, arr + lo, (fs->nchunks - lo) * sizeof(*arr));
    arr[lo] = ch;
    fs->nchunks++;
    return 0;
}

int pvb_bt_map(struct pvb_btrfs *fs, uint64_t log, uint64_t len, unsigned copy, uint64_t *phys)
{
    unsigned lo = 0, hi = fs->nchunks;
    const struct bt_chunk *ch;
    uint64_t prof;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (fs->chunks[mid].logical <= log)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || log - fs->chunks[lo - 1].logical >= fs->chunks[lo - 1].length)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: logical address %llu is in no chunk",
                        (unsigned long long)log);
    ch = &fs->chunks[lo - 1];
    if (len > ch->length - (log - ch->logical))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: %llu bytes at logical %llu run past the "
                        "end of their chunk (%llu bytes at %llu)", (unsigned long long)len,
                        (unsigned long long)log, (unsigned long long)ch->length,
                        (unsigned long long)ch->logical);
    prof = ch->type & PROFILE_MASK;
    if (prof != 0 && prof != BT_BG_DUP)
        return pvb_fail(fs->ctx, PVB_EUNSUPPORTED, "btrfs: the chunk at %llu is %s, which spans "
                        "devices: only SINGLE and DUP are read", (unsigned long long)ch->logical,
                        profile_name(ch->type));
    if (copy >= ch->nstripes)
        return PVB_ENOTFOUND;
    *phys = ch->phys[copy] + (log - ch->logical);
    return 0;
}

int pvb_bt_read(struct pvb_btrfs *fs, uint64_t log, void *buf, size_t len)
{
    uint64_t phys;
    int rc = pvb_bt_map(fs, log, len, 0, &phys);

    return rc ? rc : pvb_disk_pread(fs->vol, buf, len, phys);
}

/* The chunk tree: its nodes must lie in the bootstrap chunks (so it can never
 * map itself); then its chunk items join the map. */
int pvb_bt_chunks_load(struct pvb_btrfs *fs)
{
    struct bt_root r;
    struct bt_path p;
    struct bt_item it;
    struct bt_key k;
    struct bt_chunk *boot;
    unsigned nboot = fs->nchunks, i;
    uint64_t phys;
    int rc;

    r.id = BT_CHUNK_TREE_OBJ;
    r.bytenr = fs->chunk_root;
    r.level = fs->chunk_level;
    /* Check the chunk tree's root is mapped by the bootstrap before anything else. */
    rc = pvb_bt_map(fs, fs->chunk_root, fs->nodesize, 0, &phys);
    if (rc == PVB_EUNSUPPORTED)
        return rc;
    if (rc)
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "btrfs: chunk tree root at logical %llu is "
                        "outside the superblock's system chunks", (unsigned long long)fs->chunk_root);
    /* Read the tree with the bootstrap map only, collecting items aside. */
    boot = fs->chunks;
    fs->chunks = NULL;
    fs->chunk_cap = 0;
    fs->nchunks = 0;
    {
        struct pvb_btrfs tmp;

        memset(fs->ncache_at, 0, sizeof(fs->ncache_at));   /* tmp shares the cache's buffer */
        tmp = *fs;

        tmp.chunks = boot;
        tmp.nchunks = nboot;
        pvb_bt_path_init(&tmp, &p, &r);
        k.obj = BT_FIRST_FREE;
        k.type = BT_CHUNK_ITEM;
        k.off = 0;
        rc = pvb_bt_search_ge(&p, &k, &it);
        for (i = 0; rc == 0; i++) {
            if (it.key.obj != BT_FIRST_FREE || it.key.type != BT_CHUNK_ITEM)
                break;
            if ((rc = pvb_bt_chunk_add(fs, it.key.off, it.body, it.len)) != 0)
                break;
            rc = pvb_bt_next(&p, &it);
        }
        pvb_bt_path_free(&p);
        /* The node cache's buffer is tmp's now; what it holds was read through the
         * bootstrap map only, so none of it is kept. */
        fs->ncache = tmp.ncache;
        memset(fs->ncache_at, 0, sizeof(fs->ncache_at));
        memset(fs->ncache_used, 0, sizeof(fs->ncache_used));
    }
    if (rc == PVB_ENOTFOUND)
        rc = 0;
    /* The bootstrap chunks must agree with the tree's (added again: equal ones are skipped). */
    for (i = 0; !rc && i < nboot; i++) {
        uint8_t item[CH_STRIPES + 2 * ST_SIZE];
        unsigned ns = boot[i].nstripes > 2 ? 2 : boot[i].nstripes, s;

        memset(item, 0, sizeof(item));
        pvb_put_le64(item + CH_LENGTH, boot[i].length);
        pvb_put_le64(item + CH_TYPE, boot[i].type);
        pvb_put_le16(item + CH_NUM_STRIPES, (uint16_t)ns);
        for (s = 0; s < ns; s++) {
            pvb_put_le64(item + CH_STRIPES + ST_SIZE * s + ST_DEVID, fs->devid);
            pvb_put_le64(item + CH_STRIPES + ST_SIZE * s + ST_OFFSET, boot[i].phys[s]);
        }
        rc = pvb_bt_chunk_add(fs, boot[i].logical, item, CH_STRIPES + ST_SIZE * ns);
    }
    pvb_free(fs->ctx, boot);
    return rc;
}

void pvb_bt_features(const struct pvb_btrfs *fs, char *out, size_t cap)
{
    snprintf(out, cap, "generation %llu, node %u, sector %u, incompat 0x%llx%s%s%s, %u chunks, "
             "superblock copy %d", (unsigned long long)fs->generation, (unsigned)fs->nodesize,
             (unsigned)fs->sectorsize, (unsigned long long)fs->incompat,
             fs->incompat & INC_LZO ? " lzo" : "", fs->incompat & INC_ZSTD ? " zstd" : "",
             fs->incompat & INC_NO_HOLES ? " no-holes" : "", fs->nchunks, fs->mirror);
}
