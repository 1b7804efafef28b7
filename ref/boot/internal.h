/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal to ref/boot: volume mounting and device names shared by its files. */
#ifndef PVB_BOOT_INTERNAL_H
#define PVB_BOOT_INTERNAL_H

#include "boot/boot.h"

/* Mount volume i on first use; its result is remembered (rc and message). */
int pvb_boot_mount(struct pvb_boot *b, unsigned i);

/* The volume a GRUB device name denotes ("" or NULL: the config's volume). */
int pvb_boot_resolve(struct pvb_boot *b, const char *dev, unsigned *vol);

/* The engines' read_at (struct pvb_cfg_env): bytes [off, off + len) of a file, exactly. */
int pvb_boot_read_at(void *arg, struct pvb_ctx *c, const char *dev, const char *path, uint64_t off,
                     void *buf, size_t len);

/* The engines' find_type (struct pvb_cfg_env): the first volume of a GPT type or MBR type. */
int pvb_boot_find_type(void *arg, struct pvb_ctx *c, const char *guid, unsigned mbr_type, char *dev,
                       size_t cap);
/* Whether fs is btrfs; the path from its top level of subvolume id (0: the default
 * subvolume), "" for the top level itself. */
int pvb_boot_is_btrfs(const struct pvb_fs *fs);
int pvb_boot_btrfs_path(struct pvb_fs *fs, uint64_t id, char *buf, size_t cap);

#endif
