/* SPDX-License-Identifier: GPL-2.0-only */
/* XFS driver internals shared by ref/fs/xfs*.c: mounted geometry, inodes, block maps, directories. */
#ifndef PVB_FS_XFS_H
#define PVB_FS_XFS_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/*
 * Everything here follows the on-disk format as the Linux kernel defines it
 * (fs/xfs/libxfs/xfs_format.h, xfs_da_format.h) and as GRUB's fs/xfs.c reads
 * it. All fields are big-endian except the CRC32C fields, which are stored
 * little-endian (xfs_cksum.h: xfs_end_cksum).
 */

#define XFS_SB_MAGIC       0x58465342u  /* "XFSB" */
#define XFS_DINODE_MAGIC   0x494eu      /* "IN" */
#define XFS_MAX_INODESIZE  2048
#define XFS_CORE_V2        100          /* sizeof(xfs_dinode) up to di_next_unlinked */
#define XFS_CORE_V3        176          /* with the v5 fields (CRC, lsn, ino, uuid) */
#define XFS_SYMLINK_MAXLEN 1024
#define XFS_BMBT_MAXDEPTH  16           /* a 2^54-block file with 512-byte blocks needs 15 */

/* di_format */
enum { XFS_FMT_DEV = 0, XFS_FMT_LOCAL = 1, XFS_FMT_EXTENTS = 2, XFS_FMT_BTREE = 3 };

/* The mounted filesystem: geometry checked once at mount, read-only afterwards. */
struct pvb_xfs {
    struct pvb_disk *vol;
    struct pvb_ctx *ctx;
    int v5;                  /* sb_versionnum 5: CRCs, v3 inodes, self-describing blocks */
    int ftype;               /* directory entries carry a file type byte */
    int nrext64;             /* inodes may have 64-bit extent counters */
    int bigtime;
    uint32_t blocksize;      /* 512 .. 65536 */
    unsigned blocklog;
    uint32_t sectsize;
    uint32_t inodesize;
    unsigned inodelog, inopblog;
    uint32_t agblocks;       /* blocks per AG (the last AG may be shorter) */
    unsigned agblklog;       /* bits of an AG block number in fsblock and inode numbers */
    uint32_t agcount;
    uint64_t dblocks;        /* blocks in the data device */
    unsigned dirblklog;      /* log2 of fs blocks per directory block */
    uint32_t dirblksize;     /* bytes per directory block, <= 64 KiB */
    uint64_t rootino;
    uint16_t versionnum;
    uint32_t features2, ro_compat, incompat;
    uint8_t uuid[16];        /* sb_uuid: what blkid and GRUB's search report */
    uint8_t meta_uuid[16];   /* what v5 metadata blocks are stamped with */
    char label[13];
};

/* One inode, decoded; raw keeps its bytes, which the data fork points into. */
struct pvb_xfs_inode {
    uint64_t ino;
    uint16_t mode;
    uint8_t version, format;
    uint16_t flags;
    uint64_t flags2;
    uint32_t nlink, uid, gid;
    uint64_t size;
    uint64_t nextents;       /* data fork extents */
    int64_t mtime;
    const uint8_t *fork;     /* the data fork, inside raw */
    size_t forksize;
    uint8_t raw[XFS_MAX_INODESIZE];
};

/* A mapping of file blocks: an extent, a hole (blk == XFS_HOLE) or unwritten. */
#define XFS_HOLE UINT64_MAX
struct pvb_xfs_ext {
    uint64_t off;            /* first file block */
    uint64_t len;            /* blocks; a hole may reach UINT64_MAX */
    uint64_t blk;            /* first fs block number (agno << agblklog | agbno) */
    int unwritten;
};

/* One cached BMBT block on the path from the root to the current leaf. */
struct pvb_xfs_node {
    uint64_t blk;            /* fs block number, XFS_HOLE when empty */
    uint8_t *buf;
};

/*
 * A cursor over a data fork. It remembers the leaf (the inode's extent list,
 * or one BMBT leaf with the file-block range its parent keys give it) and the
 * last record used, so a sequential read steps to the next record instead of
 * walking from the start; a read past the leaf descends once more from the
 * root, reusing the cached nodes on the way.
 */
struct pvb_xfs_map {
    struct pvb_xfs *fs;
    const struct pvb_xfs_inode *ip;
    const uint8_t *recs;     /* current leaf's records, 16 bytes each */
    size_t nrecs, idx;
    uint64_t lo, hi;         /* file blocks the leaf covers: [lo, hi) */
    unsigned height;         /* BMBT levels below the in-inode root; 0: extents format */
    struct pvb_xfs_node path[XFS_BMBT_MAXDEPTH];
};

/* xfs_sb.c */
int pvb_xfs_sb_read(struct pvb_disk *vol, struct pvb_xfs *fs);
void pvb_xfs_features(const struct pvb_xfs *fs, char *out, size_t cap);
/* Check the little-endian CRC32C at crcoff of a v5 block; a mismatch is a
 * warning, or PVB_ECHECKSUM in strict mode. */
int pvb_xfs_crc_check(struct pvb_xfs *fs, const uint8_t *buf, size_t len, size_t crcoff,
                      const char *what, uint64_t where);
uint32_t pvb_xfs_crc(const uint8_t *buf, size_t len, size_t crcoff);
/* Byte offset on the volume of fs block blk + n blocks, checking it lies in
 * one AG and inside the filesystem. */
int pvb_xfs_fsb_span(struct pvb_xfs *fs, uint64_t blk, uint64_t n, uint64_t *byte);

/* xfs_inode.c */
int pvb_xfs_inode_read(struct pvb_xfs *fs, uint64_t ino, struct pvb_xfs_inode *ip);
int pvb_xfs_symlink_read(struct pvb_xfs *fs, const struct pvb_xfs_inode *ip, char *buf,
                         size_t cap, size_t *len);

/* xfs_bmap.c */
int pvb_xfs_map_init(struct pvb_xfs *fs, const struct pvb_xfs_inode *ip, struct pvb_xfs_map *m);
void pvb_xfs_map_free(struct pvb_xfs_map *m);
/* The extent, unwritten extent or hole holding file block fb. */
int pvb_xfs_map_get(struct pvb_xfs_map *m, uint64_t fb, struct pvb_xfs_ext *out);
/* len bytes of the fork at byte off; holes and unwritten extents read as zeros. */
int pvb_xfs_map_read(struct pvb_xfs_map *m, void *buf, size_t len, uint64_t off);

/* xfs_dir.c: fn gets every entry including "." and ".."; non-zero stops. */
typedef int (*pvb_xfs_dirent_fn)(void *arg, const uint8_t *name, size_t len, uint64_t ino,
                                 int ftype);
int pvb_xfs_dir_iter(struct pvb_xfs *fs, const struct pvb_xfs_inode *dir, pvb_xfs_dirent_fn fn,
                     void *arg);

#endif
