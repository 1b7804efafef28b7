/* SPDX-License-Identifier: GPL-2.0-only */
/* Partition tables: MBR (primary + logical chain), GPT, or none, as a list of volumes. */
#ifndef PVB_PART_PART_H
#define PVB_PART_PART_H

#include <stdint.h>

#include "disk/disk.h"

enum pvb_part_scheme {
    PVB_PART_NONE = 0,  /* no table: the whole disk is one volume */
    PVB_PART_MBR,       /* GRUB calls it "msdos" */
    PVB_PART_GPT
};

/* GPT legacy BIOS bootable attribute (UEFI 2.x, 5.3.3, bit 2). */
#define PVB_GPT_ATTR_LEGACY_BOOT ((uint64_t)1 << 2)

struct pvb_volume {
    uint64_t offset;          /* bytes from the start of the disk */
    uint64_t size;            /* bytes */
    unsigned index;           /* GRUB's number: msdos 1-4 primary, 5+ logical; gptN; 0 = whole disk
                               * (no table, or a hybrid ISO's volume before the table's) */
    int logical;              /* inside the MBR extended chain */
    int bootable;             /* MBR active flag 0x80, or the GPT legacy-boot attribute */
    uint8_t mbr_type;         /* MBR type byte; 0 for GPT and none */
    uint8_t type_guid[16];    /* GPT, bytes as stored */
    uint8_t part_guid[16];
    uint64_t gpt_attrs;
    char name[112];           /* GPT name as UTF-8 */
};

#define PVB_PART_GPT_BACKUP 0x1u  /* the primary GPT was bad; read from the backup */
#define PVB_PART_ISOHYBRID  0x2u  /* a hybrid ISO: vols[0] is the whole disk, (hd0) (part.c) */

struct pvb_part_table {
    enum pvb_part_scheme scheme;
    unsigned sector_size;     /* logical sector size the table was read with */
    unsigned flags;
    uint8_t disk_guid[16];    /* GPT */
    uint32_t disk_id;         /* MBR disk signature (offset 440) */
    unsigned count;
    struct pvb_volume *vols;  /* in the order pygrub tries them: table order, logicals last */
};

/*
 * Read the partition table of d. Every volume found lies inside the disk;
 * entries that do not (or that are empty) are skipped with a warning, which
 * keeps the GRUB numbering of the others. A disk without a valid table gives
 * one volume covering it. Fails only when the disk cannot be read or both
 * GPT headers are invalid. Free with pvb_part_free().
 */
int pvb_part_scan(struct pvb_disk *d, struct pvb_part_table *t);
void pvb_part_free(struct pvb_ctx *c, struct pvb_part_table *t);

/* The volume as a disk of its own (a view; d must outlive it). */
int pvb_part_open(struct pvb_disk *d, const struct pvb_volume *v, struct pvb_disk **out);

/* "none", "msdos", "gpt": GRUB's partition map names. */
const char *pvb_part_scheme_name(enum pvb_part_scheme s);

/* GRUB's name for a volume: "msdos5", "gpt2", or "" for the whole disk. */
void pvb_volume_name(const struct pvb_part_table *t, const struct pvb_volume *v, char out[16]);

/* A GUID as text (the mixed-endian form sgdisk and blkid print), uppercase. */
void pvb_guid_str(const uint8_t g[16], char out[37]);

#endif
