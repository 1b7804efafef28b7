/* SPDX-License-Identifier: GPL-2.0-only */
/* Small FAT12/16/32 images built in memory, for unit tests and fuzz seeds (no binary fixtures). */
#ifndef PVB_TEST_FATBUILD_H
#define PVB_TEST_FATBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Laid out as mkfs.fat lays a volume out (Microsoft's FAT spec, "FAT Data
 * Structure"): the boot sector (calling itself FAT: signature 0x29 and the type
 * string), reserved sectors, two FATs kept equal, the FAT12/16 root directory, then
 * clusters handed out in order. Directories are named by their first cluster, 0 being
 * the FAT12/16 root (the FAT32 root is fb->root_cluster). Long names get VFAT
 * entries with the short entry's checksum, so fsck.fat -n finds nothing to fix.
 */
struct fb {
    uint8_t *img;
    size_t size;
    unsigned bits, bps, spc, nfats, rsvd, rootent;
    uint32_t fatsz, tot, csize, clusters, root_cluster, next;
    uint64_t fat_off, root_off, data_off;
};

/* bits 12, 16 or 32 (the FAT type it writes: the cluster count must suit it); tot
 * 512-byte sectors; spc sectors per cluster; rootent root entries (FAT12/16). */
void fb_new(struct fb *f, unsigned bits, uint32_t tot, unsigned spc, unsigned rootent);
void fb_free(struct fb *f);

uint8_t *fb_bs(struct fb *f);                       /* the boot sector */
void fb_set(struct fb *f, uint32_t c, uint32_t v);  /* FAT entry c, in every FAT */
uint32_t fb_get(struct fb *f, uint32_t c);
uint8_t *fb_cluster(struct fb *f, uint32_t c);
/* n zeroed clusters chained in order; every stride-th from the next free one (1:
 * contiguous). Returns the first. */
uint32_t fb_alloc(struct fb *f, uint32_t n, unsigned stride);
/* Chain the given clusters in the given order (the last ends the chain). */
void fb_chain(struct fb *f, const uint32_t *c, uint32_t n);

/* Append a raw 32-byte entry to directory dir; returns its byte offset (the inode). */
uint64_t fb_raw(struct fb *f, uint32_t dir, const uint8_t e[32]);
/* A short entry: 11-byte name as stored, attributes, first cluster, size. */
void fb_short(uint8_t e[32], const char name11[11], uint8_t attr, uint32_t cluster, uint32_t size);
uint8_t fb_checksum(const uint8_t name11[11]);
/* One long-name entry: ordinal byte (0x40 on the last part), checksum, 13 units. */
void fb_lfn(uint8_t e[32], uint8_t ord, uint8_t sum, const uint16_t units[13]);
/* Add name (UTF-8; NULL: short name only) with short name name11; returns the inode. */
uint64_t fb_add(struct fb *f, uint32_t dir, const char *name, const char name11[11], uint8_t attr,
                uint32_t cluster, uint32_t size);
/* A file of len bytes in clusters from fb_alloc(stride); returns its first cluster. */
uint32_t fb_file(struct fb *f, uint32_t dir, const char *name, const char name11[11],
                 const void *data, size_t len, unsigned stride);
/* A directory with "." and ".."; returns its cluster. */
uint32_t fb_mkdir(struct fb *f, uint32_t parent, const char *name, const char name11[11]);

#endif
