/* SPDX-License-Identifier: GPL-2.0-only */
/* FAT driver internals shared by ref/fs/fat*.c: the mounted geometry, cluster chains, directories. */
#ifndef PVB_FS_FAT_H
#define PVB_FS_FAT_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/*
 * The on-disk format is Microsoft's "FAT: General Overview of On-Disk Format" (1.03,
 * 2000; "the spec" below); where GRUB 2's grub-core/fs/fat.c reads it another way,
 * this driver reads it as GRUB does, because GRUB is the bootloader whose choice
 * pvboot reproduces, and says so where it does. All fields are little-endian.
 */

/* FAT has no inodes. A file's number is the byte offset of its short directory
 * entry on the volume (Linux fs/fat calls it i_pos); the root has no entry. */
#define FAT_ROOT_INO 1u
#define FAT_DIRENT 32u
/* A long name is at most 63 entries of 13 UTF-16 units (GRUB reads all 63, Linux
 * 20); each unit is at most 3 bytes of UTF-8 (a surrogate pair is 2 units, 4 bytes). */
#define FAT_LFN_SLOTS 63u
#define FAT_NAME_MAX (FAT_LFN_SLOTS * 13u * 3u)

/* Directory entry attributes (the spec, "FAT Directory Structure"). */
#define FAT_ATTR_READ_ONLY 0x01u
#define FAT_ATTR_VOLUME_ID 0x08u
#define FAT_ATTR_DIRECTORY 0x10u
#define FAT_ATTR_ARCHIVE   0x20u
#define FAT_ATTR_LONG_NAME 0x0Fu
#define FAT_ATTR_VALID     0x3Fu   /* GRUB skips an entry with any other bit set */

/* Short directory entry field offsets. */
enum { DE_NAME = 0, DE_ATTR = 11, DE_CLUS_HI = 20, DE_WTIME = 22, DE_WDATE = 24,
       DE_CLUS_LO = 26, DE_SIZE = 28 };

/* The mounted filesystem: geometry checked once at mount, read-only afterwards, but
 * for a window of the FAT kept for chain walks. */
struct pvb_fat {
    struct pvb_disk *vol;
    struct pvb_ctx *ctx;
    unsigned bits;           /* 12, 16 or 32: the width of a FAT entry */
    uint32_t bps;            /* bytes per sector: 512 .. 4096 */
    uint32_t spc;            /* sectors per cluster: 1 .. 128 */
    uint32_t csize;          /* bytes per cluster */
    unsigned cbits;          /* log2(csize) */
    unsigned nfats, active;  /* FATs, and the one read (FAT32 with mirroring off) */
    uint64_t fat_off;        /* byte offset of the FAT read */
    uint64_t fat_bytes;      /* its size */
    uint64_t root_off;       /* FAT12/16: the fixed root directory region */
    uint32_t root_bytes;
    uint32_t root_cluster;   /* FAT32: the root directory's first cluster; else 0 */
    uint64_t data_off;       /* byte offset of cluster 2 */
    uint32_t nclusters;      /* clusters 2 .. nclusters - 1 exist (GRUB's num_clusters) */
    uint32_t eoc;            /* a FAT value >= this ends a chain (GRUB's cluster_eof_mark) */
    uint32_t serial;         /* the volume ID: GRUB's UUID is "%04X-%04X" of it */
    uint8_t media;
    char label[12];          /* the root directory's volume-label entry, as GRUB reads it */
    uint8_t *win;            /* a window of the FAT: win_len bytes from FAT byte win_off */
    uint64_t win_off;
    size_t win_len, win_cap;
};

/*
 * A walk down one cluster chain. It keeps its place, so reading a file in order
 * costs one FAT lookup per cluster; a step back starts again from the first
 * cluster (as GRUB's grub_fat_read_data). Loops are caught by Brent's cycle
 * detection (mark, power, lam) and, whatever it misses, by a chain longer than
 * the volume has clusters.
 */
struct fat_chain {
    uint32_t first;          /* the chain's first cluster */
    uint32_t cur;            /* the cluster at position idx */
    uint32_t idx;
    uint32_t mark, power, lam;
};

/* fat_chain.c */
void pvb_fat_chain_init(struct fat_chain *ch, uint32_t first);
/* Move to position idx: 0, 1 when the chain ends before it (the cursor stays at
 * its last cluster), or an error (a link outside the volume, a loop, a budget)
 * whose message the caller prefixes with what the chain is ("fat: file 2048: "). */
int pvb_fat_chain_seek(struct pvb_fat *fs, struct fat_chain *ch, uint32_t idx);
/* Byte offset on the volume of cluster c (2 <= c < nclusters). */
uint64_t pvb_fat_cluster_off(const struct pvb_fat *fs, uint32_t c);
/* A first cluster from a directory entry is one of the volume's. */
int pvb_fat_check_cluster(struct pvb_fat *fs, uint32_t c, const char *what, uint64_t where);

/* fat_dir.c: one decoded directory entry. */
struct fat_dirent {
    uint64_t pos;            /* byte offset of the short entry on the volume: the inode */
    uint8_t raw[FAT_DIRENT]; /* the short entry, as stored */
    size_t len;              /* bytes in name */
    int lfn;                 /* name is the long name */
    char name[FAT_NAME_MAX + 1];  /* the long name in UTF-8, else the 8.3 name, NUL-ended */
};
/* A directory: its first cluster, or 0 for the fixed root of FAT12/16. */
typedef int (*fat_dir_fn)(void *arg, const struct fat_dirent *de);
/* Every entry GRUB's grub_fat_iterate_dir_next returns (volume labels too, and "."
 * and ".."), in order; a non-zero return from fn stops the walk and is returned. */
int pvb_fat_dir_iter(struct pvb_fat *fs, uint32_t cluster, fat_dir_fn fn, void *arg);
/* The directory an entry or the root names: its first cluster (0: fixed root). */
int pvb_fat_dir_cluster(struct pvb_fat *fs, pvb_ino dir, uint32_t *cluster);
/* Read and check the short entry of inode ino. */
int pvb_fat_entry(struct pvb_fat *fs, pvb_ino ino, uint8_t raw[FAT_DIRENT]);
uint32_t pvb_fat_entry_cluster(const uint8_t *raw);

/* fat_super.c */
int pvb_fat_super_read(struct pvb_disk *vol, struct pvb_fat *fs);

#endif
