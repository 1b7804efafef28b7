/* SPDX-License-Identifier: GPL-2.0-only */
/* ReiserFS 3.5/3.6 driver internals shared by ref/fs/reiserfs*.c: geometry, keys, the S+tree. */
#ifndef PVB_FS_REISERFS_H
#define PVB_FS_REISERFS_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/*
 * The on-disk format as the Linux kernel defined it (fs/reiserfs/reiserfs.h,
 * removed in 6.13) and as GRUB's grub-core/fs/reiserfs.c reads it. Every
 * field is little-endian. The whole filesystem is one balanced tree of
 * blocks ("formatted nodes"): internal nodes hold keys and child pointers,
 * leaves hold items (stat data, directory entries, file bytes "direct",
 * or pointers to data blocks "indirect"), sorted by key.
 */
#define RS_SB_OFFSET    65536u   /* REISERFS_DISK_OFFSET_IN_BYTES */
#define RS_BLKH         24u      /* struct block_head */
#define RS_IH           24u      /* struct item_head */
#define RS_KEY          16u      /* struct reiserfs_key */
#define RS_DC           8u       /* struct disk_child */
#define RS_DEH          16u      /* struct reiserfs_de_head */
#define RS_SD_V1        32u      /* struct stat_data_v1 */
#define RS_SD_V2        44u      /* struct stat_data */
#define RS_MAX_HEIGHT   5u       /* MAX_HEIGHT: levels 1 (leaves) .. 5 */

/* Key types, in the 3.6 numbering (TYPE_*); a 3.5 key's uniqueness maps onto these. */
enum { RS_T_SD = 0, RS_T_IND = 1, RS_T_DIRECT = 2, RS_T_DIR = 3, RS_T_ANY = 15 };

/* Directory entry offsets ("third component"): a 23-bit hash in bits 7..29 plus a
 * generation counter in bits 0..6 for names whose hashes collide. */
#define RS_DOT_OFFSET     1u
#define RS_DOTDOT_OFFSET  2u
#define RS_HASH_MASK      0x7fffff80u
#define RS_MAX_GEN        127u

/* s_hash_function_code */
enum { RS_HASH_UNSET = 0, RS_HASH_TEA = 1, RS_HASH_RUPASOV = 2, RS_HASH_R5 = 3 };

#define RS_ROOT_DIR 1u  /* REISERFS_ROOT_PARENT_OBJECTID: the root's key is (1, 2) */
#define RS_ROOT_OBJ 2u

/* A decoded key: the object (dir, obj), then offset and type. */
struct rs_key {
    uint32_t dir, obj;
    uint64_t off;
    unsigned type;
};

/* The mounted filesystem, checked once at mount. */
struct pvb_reiser {
    struct pvb_disk *vol;
    struct pvb_ctx *ctx;
    uint32_t bs;             /* 512 .. 32768, a power of two */
    unsigned blog;
    uint32_t nblocks;
    uint32_t root;           /* root block of the tree */
    unsigned height;         /* levels: the root's level */
    unsigned v36;            /* 3.6 format (stat data v2 allowed, 64-bit offsets) */
    unsigned hash;           /* RS_HASH_*; another value: names are found by a scan */
    unsigned relocated;      /* ReIsEr3Fs: journal at a non-standard place */
    uint32_t journal_first, journal_size;
    uint8_t uuid[16];
    char label[17];
};

/* One node of a path from the root, with the keys that bound it. */
struct rs_level {
    uint32_t blk;            /* 0: empty */
    uint8_t *buf;
    unsigned nr;             /* items (leaf) or keys (internal) */
    unsigned pos;            /* leaf: item index; internal: child index */
    struct rs_key lo, hi;    /* every key in the node lies in [lo, hi) */
    int has_lo, has_hi;
};

/*
 * A cursor in the tree: one cached node per level, so that stepping to the
 * next item reads only the blocks that change, and a new search reuses the
 * upper levels. lv[1] is the leaf.
 */
struct rs_path {
    struct pvb_reiser *fs;
    struct rs_level lv[RS_MAX_HEIGHT + 1];
};

/* An item of the current leaf, decoded; body points into the leaf buffer. */
struct rs_item {
    struct rs_key key;
    unsigned version;        /* ih_version: 0 = 3.5 key format, 1 = 3.6 */
    unsigned count;          /* entry count (directory items), free space (indirect) */
    unsigned len;
    const uint8_t *body;
};

/* reiserfs_sb.c */
int pvb_rs_sb_read(struct pvb_disk *vol, struct pvb_reiser *fs);
void pvb_rs_features(const struct pvb_reiser *fs, char *out, size_t cap);
/* The 32-bit hash of a name under hash code h (r5, tea, rupasov), as the kernel's
 * fs/reiserfs/hashes.c computes it; 0 for an unknown code. */
uint32_t pvb_reiserfs_hash(unsigned h, const uint8_t *name, size_t len);
/* The entry offset a name sorts under: hash bits 7..29, never below 128. */
uint32_t pvb_reiserfs_name_offset(unsigned h, const uint8_t *name, size_t len);

/* reiserfs_tree.c */
int pvb_rs_key_cmp(const struct rs_key *a, const struct rs_key *b);
void pvb_rs_path_init(struct pvb_reiser *fs, struct rs_path *p);
void pvb_rs_path_free(struct rs_path *p);
/* Descend to the leaf where key k belongs; the leaf's pos is then the number of
 * its items whose key is <= k (so pos - 1 is the last such item, if pos > 0). */
int pvb_rs_search(struct rs_path *p, const struct rs_key *k);
/* Move to the next item in key order (pos + 1 in the leaf, else the next leaf);
 * PVB_ENOTFOUND past the last item of the tree. */
int pvb_rs_next(struct rs_path *p);
/* The leaf's item i (< nr), decoded from headers checked when the leaf was read. */
void pvb_rs_item(const struct rs_path *p, unsigned i, struct rs_item *it);

#endif
