/* SPDX-License-Identifier: GPL-2.0-only */
/* btrfs driver internals shared by ref/fs/btrfs*.c: superblock, chunk map, B-tree paths, keys. */
#ifndef PVB_FS_BTRFS_H
#define PVB_FS_BTRFS_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/*
 * The on-disk format as the kernel's include/uapi/linux/btrfs_tree.h defines
 * it and GRUB's grub-core/fs/btrfs.c reads it: little-endian fields at fixed
 * offsets. Every structure is found through B-trees of nodes addressed by
 * logical byte numbers, which the chunk map turns into places on the device.
 */
#define BT_SB_OFFSET      65536u            /* BTRFS_SUPER_INFO_OFFSET */
#define BT_SB_SIZE        4096u             /* BTRFS_SUPER_INFO_SIZE */
#define BT_CSUM_SIZE      32u               /* BTRFS_CSUM_SIZE: every checksum field */
#define BT_HDR            101u              /* struct btrfs_header */
#define BT_KEY            17u               /* struct btrfs_disk_key */
#define BT_ITEM           25u               /* struct btrfs_item: key, offset, size */
#define BT_KEYPTR         33u               /* struct btrfs_key_ptr: key, blockptr, generation */
#define BT_MAX_LEVEL      7u                /* BTRFS_MAX_LEVEL 8: levels 0 (leaves) .. 7 */
#define BT_NCACHE         16u               /* verified nodes kept per mount */
#define BT_SYS_ARRAY_MAX  2048u             /* BTRFS_SYSTEM_CHUNK_ARRAY_SIZE */
#define BT_MAX_COMPRESSED ((uint32_t)128 << 10)  /* BTRFS_MAX_COMPRESSED / _UNCOMPRESSED */

/* Item types (the key's middle byte). */
enum {
    BT_INODE_ITEM = 1, BT_INODE_REF = 12, BT_XATTR_ITEM = 24, BT_DIR_ITEM = 84,
    BT_DIR_INDEX = 96, BT_EXTENT_DATA = 108, BT_ROOT_ITEM = 132, BT_ROOT_BACKREF = 144,
    BT_ROOT_REF = 156, BT_DEV_ITEM = 216, BT_CHUNK_ITEM = 228
};

/* Object ids of the fixed trees and objects. */
#define BT_ROOT_TREE_OBJ  1u
#define BT_CHUNK_TREE_OBJ 3u
#define BT_FS_TREE_OBJ    5u   /* the top-level subvolume */
#define BT_ROOT_DIR_OBJ   6u   /* BTRFS_ROOT_TREE_DIR_OBJECTID: holds "default" */
#define BT_FIRST_FREE     256u /* a subvolume's root directory; the chunk items' owner */
#define BT_LAST_FREE      ((uint64_t)-256)

/* Block group profile bits (chunk type). */
#define BT_BG_DATA      0x1u
#define BT_BG_SYSTEM    0x2u
#define BT_BG_METADATA  0x4u
#define BT_BG_RAID0     0x8u
#define BT_BG_RAID1     0x10u
#define BT_BG_DUP       0x20u
#define BT_BG_RAID10    0x40u
#define BT_BG_RAID5     0x80u
#define BT_BG_RAID6     0x100u
#define BT_BG_RAID1C3   0x200u
#define BT_BG_RAID1C4   0x400u

struct bt_key {
    uint64_t obj;
    unsigned type;
    uint64_t off;
};

/* One chunk: logical [logical, logical + length) at phys[0] (and phys[1] for DUP). */
struct bt_chunk {
    uint64_t logical, length, type;
    unsigned nstripes;
    uint64_t phys[2];
};

/* A tree root the driver has met: the top-level subvolume, others reached by lookups. */
struct bt_root {
    uint64_t id, bytenr;
    unsigned level;
};

#define BT_MAX_ROOTS 4096u   /* subvolumes one mount may visit (inode numbers carry the index) */

/* The mounted filesystem, checked once at mount. */
struct pvb_btrfs {
    struct pvb_disk *vol;
    struct pvb_ctx *ctx;
    uint8_t fsid[16], meta_fsid[16];   /* nodes carry meta_fsid (METADATA_UUID) */
    char label[257];
    uint64_t generation, total_bytes, incompat, compat_ro;
    uint64_t root, chunk_root;
    unsigned root_level, chunk_level;
    uint32_t sectorsize, nodesize;
    uint64_t devid;
    int mirror;                        /* the superblock copy in use: 0, 1, 2 */
    struct bt_chunk *chunks;           /* sorted by logical, no overlaps */
    unsigned nchunks, chunk_cap;
    struct bt_root *roots;             /* [0] is the top-level subvolume (id 5) */
    unsigned nroots, root_cap;
    unsigned top;                      /* the roots[] index root() starts at */
    /* The BT_NCACHE nodes used last, as read_node() took or refused them: a tree
     * search starts at the root each time, and a node is read once, not per search. */
    uint8_t *ncache;                   /* BT_NCACHE * nodesize bytes, allocated when first used */
    uint64_t ncache_at[BT_NCACHE];     /* each slot's bytenr + 1; 0: empty */
    int ncache_rc[BT_NCACHE];          /* 0: the node; else the guest's error, its message in the slot */
    uint64_t ncache_used[BT_NCACHE];   /* ncache_clock when the slot was last used */
    uint64_t ncache_clock;
    uint8_t ncache_level[BT_NCACHE];
};

/* One node of a path from the root; lv[0] is the leaf. */
struct bt_level {
    uint64_t bytenr;                   /* the node in buf, when loaded */
    int loaded;
    uint8_t *buf;
    unsigned nr;                       /* items (leaf) or key pointers */
    unsigned pos;
};

/* A cursor in one tree: a cached node per level. */
struct bt_path {
    struct pvb_btrfs *fs;
    struct bt_root root;
    struct bt_level lv[BT_MAX_LEVEL + 1];
    struct bt_key last;                /* the last item returned, when has_last */
    int has_last;
};

/* A leaf item, decoded; body points into the leaf buffer. */
struct bt_item {
    struct bt_key key;
    uint32_t len;
    const uint8_t *body;
};

/* btrfs_sb.c */
int pvb_bt_sb_read(struct pvb_disk *vol, struct pvb_btrfs *fs);
/* The chunk tree, after the superblock's bootstrap chunks. */
int pvb_bt_chunks_load(struct pvb_btrfs *fs);
/* Add one chunk item (from the superblock array or the chunk tree) to the map. */
int pvb_bt_chunk_add(struct pvb_btrfs *fs, uint64_t logical, const uint8_t *item, size_t len);
/* Where logical [log, log + len) is on the device (one chunk must hold it all):
 * the copy `copy` (0, or 1 for the second copy of DUP; past the last: PVB_ENOTFOUND). */
int pvb_bt_map(struct pvb_btrfs *fs, uint64_t log, uint64_t len, unsigned copy, uint64_t *phys);
/* Read logical bytes from the first copy (file data: GRUB reads the first stripe). */
int pvb_bt_read(struct pvb_btrfs *fs, uint64_t log, void *buf, size_t len);
/* The name hash of DIR_ITEM keys: the kernel's btrfs_name_hash(), crc32c seeded with ~1. */
uint32_t pvb_btrfs_name_hash(const void *name, size_t len);
void pvb_bt_features(const struct pvb_btrfs *fs, char *out, size_t cap);

/* btrfs_tree.c */
int pvb_bt_key_cmp(const struct bt_key *a, const struct bt_key *b);
void pvb_bt_path_init(struct pvb_btrfs *fs, struct bt_path *p, const struct bt_root *root);
void pvb_bt_path_free(struct bt_path *p);
/* Descend to the leaf where k belongs; the leaf's pos is then the number of its items
 * whose key is <= k. */
int pvb_bt_search(struct bt_path *p, const struct bt_key *k);
/* The last item <= k (PVB_ENOTFOUND when none), or the first >= k (none: PVB_ENOTFOUND). */
int pvb_bt_search_le(struct bt_path *p, const struct bt_key *k, struct bt_item *it);
int pvb_bt_search_ge(struct bt_path *p, const struct bt_key *k, struct bt_item *it);
/* The item after the current one in key order; PVB_ENOTFOUND past the last. */
int pvb_bt_next(struct bt_path *p, struct bt_item *it);
/* Check one node read from logical bytenr (csum, fsid, bytenr, level, items): for tests too. */
int pvb_bt_node_check(struct pvb_btrfs *fs, const uint8_t *b, uint64_t bytenr, unsigned level);

/* btrfs_extent.c: a regular file's bytes. */
struct bt_file;
int pvb_bt_file_open(struct pvb_btrfs *fs, const struct bt_root *root, uint64_t obj,
                     uint64_t size, struct bt_file **out);
int pvb_bt_file_pread(struct bt_file *f, void *buf, size_t len, uint64_t off);
void pvb_bt_file_close(struct bt_file *f);

/*
 * Subvolumes, for the boot layer (a mounted pvb_fs whose driver is btrfs;
 * another: PVB_EINVAL). Paths start at the top-level subvolume (FS_TREE, id
 * 5), as GRUB's do, until set_root_* moves the start: subvolid= and subvol=
 * as SUSE's GRUB (btrfs-mount-subvol) and the kernel read them.
 */
/* The default subvolume (`btrfs subvolume set-default`): the root tree's "default"
 * entry; 5 when there is none. */
int pvb_btrfs_default_subvol(struct pvb_fs *fs, uint64_t *id);
/* Its path from the top level ("/@/.snapshots/1/snapshot"; "/" for id 5), from ROOT_BACKREFs. */
int pvb_btrfs_subvol_path(struct pvb_fs *fs, uint64_t id, char *buf, size_t cap);
/* Make paths start at subvolume id / at the subvolume at path (looked up from the top). */
int pvb_btrfs_set_root_id(struct pvb_fs *fs, uint64_t id);
int pvb_btrfs_set_root_path(struct pvb_fs *fs, const char *path);

#endif
