/* SPDX-License-Identifier: GPL-2.0-only */
/* The ext2/3/4 driver's internal interface, shared by ref/fs/ext*.c only (not a public header). */
#ifndef PVB_FS_EXT_H
#define PVB_FS_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/*
 * On-disk facts below are from e2fsprogs lib/ext2fs/ext2_fs.h (1.47) and the
 * Linux fs/ext4 sources; every field is decoded with pvb_le* at these offsets.
 */

/* Superblock: 1024 bytes at byte 1024 of the volume. */
#define EXT_SB_OFFSET 1024
#define EXT_SB_SIZE 1024
#define EXT_MAGIC 0xEF53

/* Feature bits that change how we read (the full lists are in ext_super.c). */
#define EXT_COMPAT_HAS_JOURNAL    0x0004u
#define EXT_COMPAT_SPARSE_SUPER2  0x0200u
#define EXT_RO_SPARSE_SUPER       0x0001u
#define EXT_RO_HUGE_FILE          0x0008u
#define EXT_RO_GDT_CSUM           0x0010u
#define EXT_RO_BIGALLOC           0x0200u
#define EXT_RO_METADATA_CSUM      0x0400u
#define EXT_IN_COMPRESSION        0x0001u
#define EXT_IN_FILETYPE           0x0002u
#define EXT_IN_RECOVER            0x0004u
#define EXT_IN_META_BG            0x0010u
#define EXT_IN_64BIT              0x0080u
#define EXT_IN_CSUM_SEED          0x2000u
#define EXT_IN_LARGEDIR           0x4000u
#define EXT_IN_INLINE_DATA        0x8000u

/* Inode flags (i_flags). */
#define EXT_FL_COMPR        0x00000004u  /* e2compr: compress this file */
#define EXT_FL_COMPRBLK     0x00000200u  /* e2compr: holds compressed clusters */
#define EXT_FL_ENCRYPT      0x00000800u
#define EXT_FL_INDEX        0x00001000u  /* hash-indexed (htree) directory */
#define EXT_FL_HUGE_FILE    0x00040000u  /* i_blocks counts fs blocks, not sectors */
#define EXT_FL_EXTENTS      0x00080000u
#define EXT_FL_EA_INODE     0x00200000u
#define EXT_FL_INLINE_DATA  0x10000000u

#define EXT_ROOT_INO 2
#define EXT_NDIR_BLOCKS 12         /* direct pointers in i_block; then single, double, triple */
#define EXT_IBLOCK_SIZE 60         /* i_block: 15 x 32 bits */
#define EXT_INLINE_DOTDOT 4        /* an inline directory starts with its parent's inode */
#define EXT_MAX_EXTENT_DEPTH 5     /* Linux EXT4_MAX_EXTENT_DEPTH */
#define EXT_NLEVELS 6              /* cached tree blocks: extent depths 1..5, or 3 indirect */

/* Once-per-mount warnings (bits of ext_fs.warned). */
enum {
    EXT_WARN_SB_CSUM = 1u << 0,
    EXT_WARN_GD_CSUM = 1u << 1,
    EXT_WARN_INODE_CSUM = 1u << 2,
    EXT_WARN_EXTENT_CSUM = 1u << 3,
    EXT_WARN_DIR_CSUM = 1u << 4
};

/* A mounted ext filesystem: the superblock's checked geometry and small caches. */
struct ext_fs {
    struct pvb_disk *vol;
    struct pvb_ctx *ctx;
    uint32_t compat, incompat, ro_compat;
    unsigned rev;
    unsigned log_bs;           /* block size = 1 << log_bs, 10..16 */
    uint32_t bs;
    unsigned log_cluster;      /* cluster size = 1 << log_cluster (bigalloc), else log_bs */
    uint64_t blocks;           /* s_blocks_count */
    uint32_t first_data_block;
    uint32_t inodes_count;
    uint32_t first_ino;        /* first inode not reserved for the filesystem's own use */
    uint32_t ipg, bpg;         /* inodes and blocks per group */
    uint32_t ngroups;
    unsigned isize;            /* bytes per inode record */
    unsigned desc_size;        /* bytes per group descriptor: 32, or 64.. with 64bit */
    uint32_t descs_per_block;
    uint32_t first_meta_bg;
    uint32_t backup_bgs[2];    /* sparse_super2 */
    uint32_t creator_os;
    uint32_t csum_seed;        /* crc32c seed of every metadata checksum */
    int csum;                  /* metadata_csum: crc32c checksums */
    int gdt_csum;              /* uninit_bg: crc16 descriptor checksums */
    uint8_t uuid[16];
    char label[17];
    uint8_t *ibuf;             /* isize bytes: the last inode read (see ext_inode) */
    uint32_t gd_group;         /* the last group descriptor read, decoded */
    int gd_valid;
    uint64_t gd_itable;
    uint16_t gd_flags;
    unsigned warned;           /* EXT_WARN_* already given */
};

/* An inode, decoded and checked. raw points into fs->ibuf: valid only until
 * the next inode read; copy what must live longer (pvb_ext_inline_copy). */
struct ext_inode {
    uint32_t ino;
    uint16_t mode;
    uint16_t links;
    uint32_t uid, gid;
    uint64_t size;
    uint32_t flags;
    uint64_t sectors;          /* i_blocks in 512-byte units */
    uint64_t file_acl;
    uint32_t gen;
    int64_t mtime;
    uint8_t iblock[EXT_IBLOCK_SIZE];
    uint32_t csum_seed;        /* seed of this inode's extent and directory checksums */
    const uint8_t *raw;
    size_t xoff, xlen;         /* inline data past i_block: the system.data value in raw */
};

/* A run of logical blocks that map to consecutive physical blocks, or a hole. */
struct ext_run {
    uint64_t pblk;             /* first physical block; 0: hole or unwritten (reads as zeros) */
    uint64_t count;            /* blocks in the run, >= 1 */
};

struct ext_node {
    uint64_t blk;              /* 0: empty */
    uint64_t lo, hi;           /* extent nodes: the logical range they were checked against */
    uint8_t *buf;              /* bs bytes */
};

/* An open file or directory: its inode and the tree blocks last used to map it,
 * so a sequential read costs O(N / block) lookups, not a walk per block. */
struct ext_file {
    struct ext_fs *fs;
    struct ext_inode in;
    uint8_t *inl;              /* inline data: i_block then the system.data value */
    size_t ninl;
    struct ext_node node[EXT_NLEVELS];
    uint64_t last_lblk;        /* the last run found, for reads inside it */
    struct ext_run last;
    int have_last;
};

/* ext_super.c: superblock, features, group descriptors, checksums. */
int pvb_ext_super_load(struct ext_fs *fs);
int pvb_ext_inode_offset(struct ext_fs *fs, uint32_t ino, uint64_t *off);
int pvb_ext_csum_check(struct ext_fs *fs, unsigned kind, uint32_t stored, uint32_t computed,
                       const char *what, uint64_t id);
void pvb_ext_features(const struct ext_fs *fs, char *out, size_t cap);
/* 2, 3 or 4: what the features make it (no journal: ext2; only ext3 features: ext3). */
unsigned pvb_ext_version(const struct ext_fs *fs);

/* ext_inode.c: inodes, inline data, stat. */
int pvb_ext_inode_read(struct ext_fs *fs, uint64_t ino, struct ext_inode *in);
int pvb_ext_inline_copy(struct ext_fs *fs, const struct ext_inode *in, uint8_t **buf, size_t *len);
void pvb_ext_stat(const struct ext_inode *in, struct pvb_stat *st);
int pvb_ext_readable(struct ext_fs *fs, const struct ext_inode *in);
int pvb_ext_symlink(struct ext_fs *fs, uint64_t ino, char *buf, size_t cap, size_t *len);

/* ext_map.c: block maps, extent trees, reads. */
int pvb_ext_file_open(struct ext_fs *fs, uint64_t ino, struct ext_file **out);
void pvb_ext_file_close(struct ext_file *f);
int pvb_ext_map(struct ext_file *f, uint64_t lblk, struct ext_run *run);
int pvb_ext_file_read(struct ext_file *f, void *buf, size_t len, uint64_t off);

/* ext_dir.c: directory entries. fn returns non-zero to stop. */
typedef int (*ext_dirent_fn)(void *arg, const uint8_t *name, size_t len, uint32_t ino,
                             enum pvb_ftype type);
int pvb_ext_dir_iterate(struct ext_fs *fs, uint64_t dir, ext_dirent_fn fn, void *arg);
int pvb_ext_lookup(void *fsp, pvb_ino dir, const char *name, size_t len, pvb_ino *out);
int pvb_ext_readdir(void *fsp, pvb_ino dir, pvb_dirent_fn fn, void *arg);

#endif
