/* SPDX-License-Identifier: GPL-2.0-only */
/* Small ext2/3/4 images built in memory, for unit tests and fuzz seeds (no binary fixtures). */
#ifndef PVB_TEST_EXTBUILD_H
#define PVB_TEST_EXTBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * One block group laid out as mke2fs would: superblock, descriptor, two bitmaps,
 * inode table, then data blocks handed out in order. Fields follow e2fsprogs
 * lib/ext2fs/ext2_fs.h; with metadata_csum, eb_finish() writes every checksum
 * (crc32c seeded by the UUID) so a test can then break exactly one field. The
 * images pass e2fsck -fn (suites/ext checks that), so tests start from valid ones.
 */
struct eb {
    uint8_t *img;
    size_t size;
    unsigned bs, isize;
    uint32_t blocks, inodes, next_block, next_ino, itable;
    uint32_t compat, incompat, ro_compat;
    int csum;                 /* metadata_csum */
    uint32_t dirs[64];        /* directory inodes, whose blocks need csum tails */
    unsigned ndirs;
    uint8_t *used;            /* one byte per block: in use (for the block bitmap) */
};

#define EB_IN_FILETYPE 0x0002u
#define EB_IN_EXTENTS 0x0040u
#define EB_IN_64BIT 0x0080u
#define EB_IN_INLINE_DATA 0x8000u
#define EB_RO_METADATA_CSUM 0x0400u

enum eb_how { EB_BLOCKMAP, EB_EXTENTS, EB_INLINE };

/* log_bs 0 (1 KiB) or 2 (4 KiB); isize 128 or 256; features as above. */
void eb_new(struct eb *e, unsigned log_bs, unsigned isize, uint32_t blocks, uint32_t inodes,
            uint32_t incompat, uint32_t ro_compat);
void eb_free(struct eb *e);

uint8_t *eb_sb(struct eb *e);                 /* the superblock, 1024 bytes */
uint8_t *eb_gd(struct eb *e);                 /* group 0's descriptor */
uint8_t *eb_inode(struct eb *e, uint32_t ino);
uint8_t *eb_blockp(struct eb *e, uint32_t blk);
uint32_t eb_alloc(struct eb *e, uint32_t n); /* n zeroed contiguous blocks; the first */

/* Add name -> ino (dirent type ft) to directory dir's single block. */
void eb_link(struct eb *e, uint32_t dir, const char *name, uint32_t ino, uint8_t ft);
uint32_t eb_mkdir(struct eb *e, uint32_t parent, const char *name, enum eb_how how);
/* A regular file with len bytes of data, contiguous on disk. */
uint32_t eb_file(struct eb *e, uint32_t dir, const char *name, const void *data, size_t len,
                 enum eb_how how);
/* A sparse regular file of size bytes: only logical blocks lblk[0..n) hold data, filled
 * with eb_pattern(); block map with indirect blocks, or extents. */
uint32_t eb_sparse(struct eb *e, uint32_t dir, const char *name, uint64_t size,
                   const uint32_t *lblk, size_t n, enum eb_how how);
uint8_t eb_pattern(uint32_t lblk, size_t i);
/* A file of nblocks blocks, each its own extent (a free block between any two),
 * in an extent tree of the given depth whose nodes hold at most fanout entries.
 * Block k holds eb_pattern(k, ...). *nodes gets the tree blocks, root-most first. */
uint32_t eb_tree(struct eb *e, uint32_t dir, const char *name, uint32_t nblocks, unsigned depth,
                 unsigned fanout, uint32_t *nodes, unsigned *nnodes);
uint32_t eb_symlink(struct eb *e, uint32_t dir, const char *name, const char *target,
                    enum eb_how how);

/* Write the bitmaps and free counts, then every checksum (with metadata_csum), so
 * e2fsck -fn finds nothing to fix. */
void eb_finish(struct eb *e);

#endif
