/* SPDX-License-Identifier: GPL-2.0-only */
/* Volume managers: logical volumes found on the disk's partitions or the whole disk. */
#ifndef PVB_VOL_VOL_H
#define PVB_VOL_VOL_H

#include <stdint.h>

#include "disk/disk.h"
#include "part/part.h"

/*
 * Between the partitions and the filesystems GRUB keeps "disk filters" (LVM2,
 * md RAID, cryptodisk) in its disk layer: each reads its members' labels and
 * presents what it assembles as a disk of its own, named (lvm/VG-LV). This
 * layer does the same: every scheme in the table (vol.c) looks at every
 * candidate area (the whole disk, then each partition of the table) and adds
 * the volumes it assembles, each a segment map over the whole disk that
 * pvb_vol_open() presents as a disk (pvb_disk_open_map).
 *
 * Adding a scheme: one file defining `const struct pvb_vol_scheme pvb_vol_NAME`
 * and its line in vol.c's table.
 */

/* A device name as GRUB spells it, without parentheses, NUL included. Longer
 * names (LVM2 allows 127-byte VG and LV names, each '-' doubled) are skipped
 * with a warning. */
#define PVB_VOL_NAME_MAX 128

struct pvb_lv {
    char name[PVB_VOL_NAME_MAX];    /* "lvm/vg-root" (lvm.c: '-' doubled in both names) */
    char id_name[PVB_VOL_NAME_MAX]; /* its other name, "lvmid/VGUUID/LVUUID", or "" */
    const char *scheme;             /* the scheme's name: "lvm" */
    uint64_t size;                  /* bytes */
    unsigned nsegs;
    struct pvb_disk_seg *segs;      /* over the whole disk; area pointers into areas */
    uint64_t *areas;
};

struct pvb_vol_set {
    unsigned count;
    unsigned cap;
    struct pvb_lv *lvs;             /* in the order found: schemes in table order, each's own */
};

/* Where a scheme looks for its members: the whole disk or one partition. */
struct pvb_vol_area {
    uint64_t offset;
    uint64_t size;
    char name[24];                  /* for messages: "hd0", "hd0,msdos2" */
};

struct pvb_vol_scheme {
    const char *name;
    /* Add to out every volume assembled from the n areas. A member or volume
     * that is the guest's fault (corrupt, unsupported, incomplete) is a warning
     * and is skipped; only a fault (pvb_err_fatal) is returned. */
    int (*scan)(struct pvb_disk *d, const struct pvb_vol_area *areas, unsigned n,
                struct pvb_vol_set *out);
};

extern const struct pvb_vol_scheme pvb_vol_lvm;

/*
 * Every scheme over the whole disk and each volume of t (an area met twice, a
 * table-less disk's single volume, is looked at once). Returns 0 or a fatal
 * code; free with pvb_vol_free() in both cases.
 */
int pvb_vol_scan(struct pvb_disk *d, const struct pvb_part_table *t, struct pvb_vol_set *out);
void pvb_vol_free(struct pvb_ctx *c, struct pvb_vol_set *s);

/* Append lv to s, which then owns its segs and areas (freed by pvb_vol_free();
 * on failure they are freed at once). */
int pvb_vol_add(struct pvb_ctx *c, struct pvb_vol_set *s, struct pvb_lv *lv);

/* The volume as a disk (a view of d; d must outlive it). */
int pvb_vol_open(struct pvb_disk *d, const struct pvb_lv *lv, struct pvb_disk **out);

#endif
