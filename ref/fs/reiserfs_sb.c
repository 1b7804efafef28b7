/* SPDX-License-Identifier: GPL-2.0-only */
/* ReiserFS superblock checks, the feature line, and the three name hashes (r5, tea, rupasov). */
#include <stdio.h>
#include <string.h>

#include "fs/reiserfs.h"
#include "util/bytes.h"
#include "util/safemath.h"

/* struct reiserfs_super_block (v1 fields, then the 3.6 additions). */
#define SB_BLOCK_COUNT   0
#define SB_ROOT_BLOCK    8
#define SB_JP_FIRST      12     /* struct journal_params: first block, device, size, ... */
#define SB_JP_DEV        16
#define SB_JP_SIZE       20
#define SB_BLOCKSIZE     44
#define SB_UMOUNT_STATE  50
#define SB_MAGIC         52
#define SB_HASH          64
#define SB_TREE_HEIGHT   68
#define SB_BMAP_NR       70
#define SB_VERSION       72
#define SB_UUID          84
#define SB_LABEL         100
#define SB_READ          204    /* SB_SIZE (v2) */

#define VERSION_1 0             /* REISERFS_VERSION_1: 3.5 */
#define VERSION_2 2             /* REISERFS_VERSION_2: 3.6 */

static const char *const hash_names[] = { "unset", "tea", "rupasov", "r5" };

/* Which magic (REISERFS_SUPER_MAGIC_STRING and friends): 0 none, 1 3.5, 2 3.6, 3 relocated journal. */
static int magic_kind(const uint8_t *m)
{
    if (memcmp(m, "ReIsErFs", 9) == 0)
        return 1;
    if (memcmp(m, "ReIsEr2Fs", 10) == 0)
        return 2;
    if (memcmp(m, "ReIsEr3Fs", 10) == 0)
        return 3;
    return 0;
}

/* Block size, block count and the tree's root and height, before anything is derived. */
static int check_geometry(struct pvb_reiser *fs, const uint8_t *sb)
{
    struct pvb_ctx *c = fs->ctx;
    uint64_t bytes;

    fs->bs = pvb_le16(sb + SB_BLOCKSIZE);
    if (fs->bs < 512 || (fs->bs & (fs->bs - 1)))
        return pvb_fail(c, PVB_ECORRUPT, "reiserfs: superblock: block size %u: must be a power "
                        "of two from 512 to 32768", (unsigned)fs->bs);
    for (fs->blog = 9; (1u << fs->blog) < fs->bs; fs->blog++)
        ;
    fs->nblocks = pvb_le32(sb + SB_BLOCK_COUNT);
    if (fs->nblocks <= (RS_SB_OFFSET >> fs->blog) + 2)
        return pvb_fail(c, PVB_ECORRUPT, "reiserfs: superblock: %u blocks of %u bytes leave no "
                        "room past the superblock", (unsigned)fs->nblocks, (unsigned)fs->bs);
    bytes = (uint64_t)fs->nblocks << fs->blog;
    if (bytes > fs->vol->size)
        pvb_warn(c, "reiserfs: the filesystem (%u blocks) is larger than its volume (%llu bytes)",
                 (unsigned)fs->nblocks, (unsigned long long)fs->vol->size);
    fs->root = pvb_le32(sb + SB_ROOT_BLOCK);
    if (fs->root <= RS_SB_OFFSET >> fs->blog || fs->root >= fs->nblocks)
        return pvb_fail(c, PVB_ECORRUPT, "reiserfs: superblock: root block %u outside %u..%u",
                        (unsigned)fs->root, (unsigned)(RS_SB_OFFSET >> fs->blog) + 1,
                        (unsigned)fs->nblocks - 1);
    /* s_tree_height counts the levels plus one: the root's level is height - 1. */
    fs->height = pvb_le16(sb + SB_TREE_HEIGHT);
    if (fs->height < 2 || fs->height > RS_MAX_HEIGHT + 1)
        return pvb_fail(c, PVB_ECORRUPT, "reiserfs: superblock: tree height %u: must be 2 to %u",
                        fs->height, RS_MAX_HEIGHT + 1);
    fs->height--;
    return 0;
}

/*
 * Format and journal. The format follows the kernel (reiserfs_fill_super):
 * ReIsErFs is 3.5, ReIsEr2Fs 3.6, ReIsEr3Fs ("journal relocated") either, by
 * s_version. The journal is never replayed (GRUB does not either), so its
 * place does not matter when it is on this device; a journal on another device
 * means the transactions this volume lacks are elsewhere: refused.
 */
static int check_format(struct pvb_reiser *fs, const uint8_t *sb, int kind)
{
    struct pvb_ctx *c = fs->ctx;
    unsigned ver = pvb_le16(sb + SB_VERSION);
    uint32_t dev = pvb_le32(sb + SB_JP_DEV);

    if ((kind == 1 && ver != VERSION_1) || (kind == 2 && ver != VERSION_2) ||
        (kind == 3 && ver != VERSION_1 && ver != VERSION_2))
        return pvb_fail(c, PVB_ECORRUPT, "reiserfs: superblock: version %u does not go with "
                        "magic %.10s", ver, (const char *)sb + SB_MAGIC);
    fs->v36 = ver == VERSION_2;
    fs->relocated = kind == 3;
    if (dev != 0)
        return pvb_fail(c, PVB_EUNSUPPORTED, "reiserfs: the journal is on another device "
                        "(0x%x), which holds transactions this volume may lack", (unsigned)dev);
    fs->journal_first = pvb_le32(sb + SB_JP_FIRST);
    fs->journal_size = pvb_le32(sb + SB_JP_SIZE);
    fs->hash = pvb_le32(sb + SB_HASH);
    if (fs->hash == RS_HASH_UNSET || fs->hash > RS_HASH_R5)
        pvb_warn(c, "reiserfs: hash function code %u is not r5, tea or rupasov: names are "
                 "found by scanning whole directories", fs->hash);
    if (pvb_le16(sb + SB_UMOUNT_STATE) == 2)
        pvb_warn(c, "reiserfs: the filesystem was left with errors (s_umount_state 2)");
    return 0;
}

int pvb_rs_sb_read(struct pvb_disk *vol, struct pvb_reiser *fs)
{
    uint8_t sb[SB_READ];
    int kind, rc;

    fs->vol = vol;
    fs->ctx = vol->ctx;
    if (vol->size < RS_SB_OFFSET + SB_READ)
        return pvb_fail(vol->ctx, PVB_ENOTMINE, "reiserfs: volume too small for a superblock");
    if ((rc = pvb_disk_pread(vol, sb, SB_READ, RS_SB_OFFSET)) != 0)
        return rc;
    kind = magic_kind(sb + SB_MAGIC);
    if (!kind)
        return pvb_fail(vol->ctx, PVB_ENOTMINE, "reiserfs: no ReIsEr magic at 64 KiB");
    if ((rc = check_geometry(fs, sb)) != 0 || (rc = check_format(fs, sb, kind)) != 0)
        return rc;
    /* GRUB reads the 3.6 fields (uuid, label) whatever the format; so does search. */
    memcpy(fs->uuid, sb + SB_UUID, 16);
    memcpy(fs->label, sb + SB_LABEL, 16);
    fs->label[16] = '\0';
    return 0;
}

void pvb_rs_features(const struct pvb_reiser *fs, char *out, size_t cap)
{
    snprintf(out, cap, "format %s, hash %s, %s journal of %u blocks at %u", fs->v36 ? "3.6" : "3.5",
             fs->hash <= RS_HASH_R5 ? hash_names[fs->hash] : "unknown",
             fs->relocated ? "relocated" : "standard", (unsigned)fs->journal_size,
             (unsigned)fs->journal_first);
}

/* ---- name hashes (fs/reiserfs/hashes.c); the kernel reads names as signed chars ---- */

static uint32_t sc(uint8_t b)   /* (u32) of a signed char, sign-extended */
{
    return b & 0x80 ? (uint32_t)b | 0xffffff00u : b;
}

static uint32_t le_word(const uint8_t *m)
{
    return sc(m[0]) | sc(m[1]) << 8 | sc(m[2]) << 16 | sc(m[3]) << 24;
}

static void tea_core(uint32_t *h0, uint32_t *h1, const uint32_t in[4], int rounds)
{
    uint32_t sum = 0, b0 = *h0, b1 = *h1;

    do {
        sum += 0x9E3779B9u;
        b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
        b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
    } while (--rounds);
    *h0 += b0;
    *h1 += b1;
}

/* keyed_hash: TEA in a Davies-Meyer construction. */
static uint32_t tea_hash(const uint8_t *msg, size_t len)
{
    uint32_t h0 = 0x9464a485u, h1 = 0x542e1a94u, in[4], pad;
    size_t i, full;

    pad = (uint32_t)len | (uint32_t)len << 8;
    pad |= pad << 16;
    while (len >= 16) {
        for (i = 0; i < 4; i++)
            in[i] = le_word(msg + 4 * i);
        tea_core(&h0, &h1, in, 6);
        len -= 16;
        msg += 16;
    }
    /* The last 0..15 bytes: whole words little-endian, the rest shifted into the pad. */
    full = len / 4;
    for (i = 0; i < 4; i++)
        in[i] = i < full ? le_word(msg + 4 * i) : pad;
    for (i = 4 * full; i < len; i++)
        in[full] = in[full] << 8 | sc(msg[i]);
    tea_core(&h0, &h1, in, 10);
    return h0 ^ h1;
}

/* yura_hash, with the kernel's int arithmetic done modulo 2^32. */
static uint32_t rupasov_hash(const uint8_t *msg, size_t len)
{
    uint32_t a, c, pow;
    size_t i, j;

    for (pow = 1, i = 1; i < len; i++)
        pow *= 10;
    a = len == 1 ? sc(msg[0]) - 48 : (sc(msg[0]) - 48) * pow;
    for (i = 1; i < len; i++) {
        c = sc(msg[i]) - 48;
        for (pow = 1, j = i; j + 1 < len; j++)
            pow *= 10;
        a += c * pow;
    }
    if (i < 40)                 /* up to 40 the kernel adds c = '0' - 48 = 0 */
        i = 40;
    for (; i < 256; i++) {
        c = (uint32_t)i;
        for (pow = 1, j = i; j + 1 < len; j++)
            pow *= 10;
        a += c * pow;
    }
    return a << 7;
}

/* r5_hash: stops at the first NUL, as the kernel's does. */
static uint32_t r5_hash(const uint8_t *msg, size_t len)
{
    uint32_t a = 0;
    size_t i;

    for (i = 0; i < len && msg[i]; i++) {
        int32_t s = msg[i] & 0x80 ? (int32_t)msg[i] - 256 : (int32_t)msg[i];

        a += (uint32_t)s << 4;
        a += (uint32_t)(s >= 0 ? s >> 4 : -((-s + 15) >> 4));   /* arithmetic shift */
        a *= 11;
    }
    return a;
}

uint32_t pvb_reiserfs_hash(unsigned h, const uint8_t *name, size_t len)
{
    switch (h) {
    case RS_HASH_TEA: return tea_hash(name, len);
    case RS_HASH_RUPASOV: return rupasov_hash(name, len);
    case RS_HASH_R5: return r5_hash(name, len);
    default: return 0;
    }
}

/* get_third_component() without the generation: "." and ".." have fixed offsets. */
uint32_t pvb_reiserfs_name_offset(unsigned h, const uint8_t *name, size_t len)
{
    uint32_t v;

    if (len == 0 || (len == 1 && name[0] == '.'))
        return RS_DOT_OFFSET;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return RS_DOTDOT_OFFSET;
    v = pvb_reiserfs_hash(h, name, len) & RS_HASH_MASK;
    return v ? v : 128;
}
