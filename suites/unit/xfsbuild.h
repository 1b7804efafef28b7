/* SPDX-License-Identifier: GPL-2.0-only */
/* Small XFS v4/v5 filesystems built in memory, for unit tests and fuzz seeds (no binary fixtures). */
#ifndef PVB_TEST_XFSBUILD_H
#define PVB_TEST_XFSBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Geometry: 2 AGs of 64 blocks of 2^blocklog bytes, 512-byte sectors,
 * 256-byte (v4) or 512-byte (v5) inodes in AG 0 blocks 4..15, data blocks
 * handed out from AG 0 block 16 upwards. Offsets follow xfs_format.h and
 * xfs_da_format.h, like ref/fs/xfs*.c, but are written independently here.
 */
#define XB_MAX_INODES 96

struct xb {
    uint8_t *img;
    size_t size;
    int v5, ftype;
    unsigned blocklog, bs, inodelog, isize, inopblog;
    uint32_t agblocks, agcount;
    uint32_t next_blk;          /* next free AG 0 block */
    unsigned ninodes;
    uint64_t inos[XB_MAX_INODES];
    uint64_t root;
};

struct xb_ext {
    uint64_t off, blk, len;
    int unwritten;
};

/* A fresh filesystem with an empty shortform root directory. */
void xb_init(struct xb *x, int v5, unsigned blocklog);
void xb_free(struct xb *x);

/* Byte offset of a superblock field / an inode / a fs block in img. */
uint8_t *xb_sb(struct xb *x);
uint8_t *xb_inode(struct xb *x, uint64_t ino);
uint8_t *xb_block(struct xb *x, uint64_t fsb);
uint8_t *xb_fork(struct xb *x, uint64_t ino);
size_t xb_forksize(struct xb *x);

/* A new inode: mode (with S_IFMT bits), data fork format, size. */
uint64_t xb_new_inode(struct xb *x, uint16_t mode, uint8_t format, uint64_t size);
/* n fresh zeroed blocks in AG 0; their first fs block number. */
uint64_t xb_alloc(struct xb *x, unsigned n);

/* A regular file holding data in one extent (len may be 0). */
uint64_t xb_file(struct xb *x, const void *data, size_t len);
/* Replace a file's data fork with these extents (format extents). */
void xb_set_extents(struct xb *x, uint64_t ino, const struct xb_ext *e, unsigned n);
/* Replace it with a one-level BMBT: root in the inode, leaves of per records. */
void xb_set_bmbt(struct xb *x, uint64_t ino, const struct xb_ext *e, unsigned n, unsigned per);
void xb_encode_rec(uint8_t *out, const struct xb_ext *e);

/* A symlink (local when it fits the fork, else one remote block). */
uint64_t xb_symlink(struct xb *x, const char *target);

/* Directories from parallel arrays of names and inode numbers. */
uint64_t xb_dir_short(struct xb *x, uint64_t parent, unsigned n, const char *const *names,
                      const uint64_t *inos);
uint64_t xb_dir_block(struct xb *x, uint64_t parent, unsigned n, const char *const *names,
                      const uint64_t *inos);
/* Leaf form: names spread over nblocks data blocks, plus a leaf block at 32 GiB. */
uint64_t xb_dir_data(struct xb *x, uint64_t parent, unsigned nblocks, unsigned n,
                     const char *const *names, const uint64_t *inos);
/* Replace the root directory's contents by a shortform listing. */
void xb_root_short(struct xb *x, unsigned n, const char *const *names, const uint64_t *inos);

/* A sample tree with every directory and mapping form: /hello, /big (3 blocks),
 * /holes (data, hole, unwritten, data), /sf (shortform), /blk (block form),
 * /leaf (3 data blocks + leaf), /ln -> leaf/n07, /far (a remote symlink). */
void xb_sample(struct xb *x, int v5, int ftype);

/* Recompute the superblock CRC and every inode and block CRC we wrote (v5). */
void xb_finish(struct xb *x);
/* The CRC32C of a v5 block with its CRC field at crcoff, stored in place. */
void xb_crc(uint8_t *buf, size_t len, size_t crcoff);

#endif
