/* SPDX-License-Identifier: GPL-2.0-only */
/* ISO 9660 driver internals shared by ref/fs/iso9660*.c: the mounted volume, records, nodes. */
#ifndef PVB_FS_ISO9660_H
#define PVB_FS_ISO9660_H

#include <stddef.h>
#include <stdint.h>

#include "fs/fs.h"

/*
 * ECMA-119 (ISO 9660) with the System Use Sharing Protocol (IEEE P1281, SUSP
 * 1.12), Rock Ridge (IEEE P1282, RRIP 1.12) and Joliet (Microsoft's UCS-2
 * supplementary volume descriptor). Names are read as GRUB's
 * grub-core/fs/iso9660.c presents them; see iso9660_dir.c.
 */
#define ISO_BLOCK        2048u   /* the logical block size this driver reads (GRUB: fixed) */
#define ISO_BLOCK_LOG    11
#define ISO_FIRST_DESC   16u     /* the system area is blocks 0-15 */
#define ISO_MAX_DESC     64u     /* descriptors walked before the terminator must appear */
#define ISO_REC_MIN      34u     /* a directory record: 33 fixed bytes + a 1-byte name */
#define ISO_NAME_MAX     255u    /* the fs layer's names; longer Rock Ridge/Joliet names are skipped */
#define ISO_MAX_CE       32u     /* continuation areas per record (Linux rock.c RR_MAX_CE_ENTRIES) */

/* Record fields (ECMA-119 9.1). Multi-byte numbers are stored both-endian; the
 * little-endian half is read, as GRUB and Linux do. */
#define DR_LEN       0
#define DR_XA_LEN    1
#define DR_EXTENT    2
#define DR_SIZE      10
#define DR_DATE      18
#define DR_FLAGS     25
#define DR_UNIT      26
#define DR_GAP       27
#define DR_NAMELEN   32
#define DR_NAME      33

#define DRF_DIR      0x02u
#define DRF_MORE     0x80u       /* another record of this file follows (multi-extent) */

/*
 * An inode number is where the file's (first) directory record lies on the
 * volume: its byte offset (< 2^43, since blocks are 32-bit) in the low 43 bits,
 * and in the high 21 bits how many blocks of its directory follow the record's
 * block, so a multi-extent file's later records are read without passing the
 * end of the directory. The root is the record in the chosen volume descriptor.
 */
#define ISO_INO_OFFBITS 43

struct pvb_iso {
    struct pvb_disk *vol;
    struct pvb_ctx *ctx;
    uint64_t vol_bytes;       /* the view's size: every extent must lie inside it */
    uint32_t space_blocks;    /* the volume space size the descriptor records */
    int rr;                   /* Rock Ridge: an SP and an ER in the root's "." record */
    unsigned susp_skip;       /* SP's LEN_SKP: bytes skipped before each record's SUSP area */
    int joliet;               /* the chosen descriptor is a Joliet SVD (names are UCS-2) */
    unsigned ndesc;           /* descriptors walked */
    uint8_t desc_type;        /* 1 primary, 2 supplementary */
    uint8_t root[ISO_REC_MIN];/* the root's record, from the descriptor */
    uint64_t root_ino;
    char label[256];
    char features[128];
};

/* One extent of a file: its first block and its bytes. */
struct iso_ext {
    uint32_t block;
    uint32_t size;
};

/* A file, directory or symlink, decoded from its record(s). */
struct iso_node {
    uint64_t ino;
    enum pvb_ftype type;
    uint32_t mode, nlink, uid, gid;
    int64_t mtime;
    uint64_t size;            /* sum of the extents; for a symlink, the target's length */
    unsigned next, cap;
    struct iso_ext *ext;
    char *link;               /* a symlink's target (not NUL-terminated) */
    size_t linklen;
};

/* One directory entry as a scan hands it over; name is NUL-terminated. */
struct iso_dirent {
    const char *name;
    size_t len;
    int fold;                 /* a plain ISO 9660 name: GRUB matches it without case */
    pvb_ino ino;
    enum pvb_ftype type;
};

/* iso9660_dir.c */
typedef int (*iso_dirent_fn)(void *arg, const struct iso_dirent *e);
/* Every entry of directory node d but "." and ".."; non-zero from fn stops and is returned. */
int pvb_iso_dir_iter(struct pvb_iso *fs, const struct iso_node *d, iso_dirent_fn fn, void *arg);
/* Decode the node at ino (all its records, Rock Ridge attributes and symlink). */
int pvb_iso_node_get(struct pvb_iso *fs, pvb_ino ino, struct iso_node *n);
void pvb_iso_node_free(struct pvb_iso *fs, struct iso_node *n);
/* Detect Rock Ridge on the root directory's "." record (GRUB set_rockridge). */
int pvb_iso_detect_rr(struct pvb_iso *fs);
/* Check that an extent lies inside the volume. */
int pvb_iso_extent_ok(struct pvb_iso *fs, uint32_t block, uint32_t size, const char *what,
                      uint64_t where);
/* Joliet's UCS-2 big-endian units to UTF-8 (surrogate pairs joined, lone ones '?'). */
size_t pvb_iso_ucs2_utf8(const uint8_t *in, size_t units, char *out, size_t cap);

#endif
