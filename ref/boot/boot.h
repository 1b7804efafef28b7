/* SPDX-License-Identifier: GPL-2.0-only */
/* The boot decision: which volume, config and entry a guest boots, and its files' bytes. */
#ifndef PVB_BOOT_BOOT_H
#define PVB_BOOT_BOOT_H

#include <stdint.h>

#include "cfg/cfg.h"
#include "disk/disk.h"
#include "fs/fs.h"
#include "part/part.h"
#include "vol/vol.h"

/*
 * Usage (the pvboot command):
 *
 *     pvb_boot_opts_init(&o);  o.entry = "2";
 *     rc = pvb_boot_decide(ctx, disk, &o, &b);     // volumes, configs, menu, entry
 *     ... b->menu lists the entries; pvb_boot_choose(b, i, &o) boots another one
 *     rc = pvb_boot_extract(b, kernel_sink, karg, ramdisk_sink, rarg, &ksize, &rsize);
 *     pvb_boot_free(b);
 *
 * Volumes are tried in pygrub's order (table order, logicals after the
 * primaries), then the logical volumes of ref/vol (LVM2) in the order their
 * metadata lists them; on each, the config paths of ref/cfg's engine table in its
 * order (pygrub's: GRUB 2, extlinux, GRUB legacy; then lilo); the first
 * volume whose config yields a bootable entry wins. The entry is the one the
 * real bootloader boots: its default, or pygrub's --entry; when its kernel
 * or an initrd is missing the bootloader's fallback entries are tried in
 * order, as GRUB does. A fault (pvb_err_fatal: I/O, memory, a limit) on any
 * volume ends the decision: it never moves on to another volume or entry.
 */

struct pvb_boot_opts {
    long long offset;                 /* --offset: one filesystem at this byte; -1: scan */
    const char *entry;                /* --entry: an index (Python int()) or an exact title */
    enum pvb_cfg_semantics semantics; /* GRUB 2 default matcher */
    const char *kernel;               /* --kernel: no config; the first volume that mounts */
    const char *ramdisk;              /* --ramdisk, with --kernel */
    const char *args;                 /* --args: appended after a space (pygrub) */
    int load_all;                     /* evaluate every entry (listings) */
};

void pvb_boot_opts_init(struct pvb_boot_opts *o);

/* What was found on one volume, for --inspect. */
struct pvb_boot_volume {
    struct pvb_volume vol;
    char dev[PVB_VOL_NAME_MAX]; /* GRUB's name: "hd0,msdos1", "hd0,gpt2", "hd0", "lvm/vg-root" */
    const struct pvb_lv *lv;  /* a logical volume (vol: its size, offset 0), or NULL */
    int mount_rc;             /* 0, or why it did not mount (PVB_ENOTMINE: no filesystem) */
    char mount_msg[PVB_MSG_MAX];
    struct pvb_disk *view;    /* open while mounted */
    struct pvb_fs *fs;
    char config[256];         /* the config found on it (its path from the top), "" if none */
    int config_rc;
    char config_msg[PVB_MSG_MAX];
};

/* A file to extract: where the bootloader reads it from. */
struct pvb_boot_file {
    int vol;                  /* index into vols */
    const char *path;         /* on that volume (owned by the menu or the options) */
    int slice;                /* only bytes [off, off + len) of it: a UKI's section */
    uint64_t off, len;
};

struct pvb_boot {
    struct pvb_ctx *ctx;
    struct pvb_disk *disk;
    struct pvb_part_table parts;
    struct pvb_vol_set lvs;   /* the volume managers' volumes, after the partitions in vols */
    struct pvb_boot_volume *vols;
    unsigned nvols;
    int vol;                  /* the volume whose config decided, or -1 (--kernel) */
    const struct pvb_cfg_engine *engine;   /* the engine that read its config */
    struct pvb_menu *menu;    /* NULL with --kernel */
    int entry;                /* the entry booted (index into menu->entries), or -1 */
    int fallback_from;        /* the entry that failed to load when a fallback boots, or -1 */
    struct pvb_boot_file kernel;
    struct pvb_boot_file *initrds;
    unsigned ninitrds;
    char *args;               /* the command line, with --args appended */
    char *why;                /* one line: how entry was chosen */
};

int pvb_boot_decide(struct pvb_ctx *c, struct pvb_disk *d, const struct pvb_boot_opts *o,
                    struct pvb_boot **out);

/* Boot entry i instead (the interactive menu), its fallbacks as GRUB would. */
int pvb_boot_choose(struct pvb_boot *b, unsigned i, const struct pvb_boot_opts *o);

/* Boot entry i as it is, without fallbacks: an entry edited in the interactive menu
 * (pvb_cfg_entry_edit), which GRUB's editor boots alone. */
int pvb_boot_take(struct pvb_boot *b, unsigned i, const struct pvb_boot_opts *o);

/*
 * Stream the kernel into one sink and the initrds, as GRUB loads them, into
 * the other: concatenated in order, each after the first starting at a
 * 4-byte boundary (zero padding; grub-core/loader/linux.c grub_initrd_load).
 * ramdisk may be NULL when there is no initrd.
 */
int pvb_boot_extract(struct pvb_boot *b, pvb_sink_fn kernel, void *karg, pvb_sink_fn ramdisk,
                     void *rarg, uint64_t *ksize, uint64_t *rsize);

/* pygrub's get_entry_idx for --entry: an integer first (Python int()), then an exact
 * title; an index out of range or an unknown title gives def. */
int pvb_boot_entry_index(const struct pvb_menu *m, const char *entry, int def);

/* A mounted filesystem by GRUB device name ("" or NULL: the first that mounts). */
int pvb_boot_fs(struct pvb_boot *b, const char *dev, struct pvb_fs **fs);

/* The callbacks through which the config engines read this image's files and
 * search its volumes; "" is the deciding volume (pvbench times pvb_cfg_eval with them). */
void pvb_boot_env(struct pvb_boot *b, struct pvb_cfg_env *env);

/* Open the image's volumes without deciding anything (--ls, --cat). */
int pvb_boot_open(struct pvb_ctx *c, struct pvb_disk *d, long long offset, struct pvb_boot **out);

void pvb_boot_free(struct pvb_boot *b);

#endif
