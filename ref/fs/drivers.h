/* SPDX-License-Identifier: GPL-2.0-only */
/* The filesystem drivers pvb_fs_mount() tries, in order. */
#ifndef PVB_FS_DRIVERS_H
#define PVB_FS_DRIVERS_H

#include "fs/fs.h"

/* NULL-terminated. Each driver is one file and one line in drivers.c. */
extern const struct pvb_fs_ops *const pvb_fs_drivers[];

extern const struct pvb_fs_ops pvb_ext_ops;  /* ext2/3/4: ext.c */
extern const struct pvb_fs_ops pvb_xfs_ops;  /* XFS v4/v5: xfs.c */
extern const struct pvb_fs_ops pvb_iso9660_ops;  /* ISO 9660, Rock Ridge, Joliet: iso9660.c */
extern const struct pvb_fs_ops pvb_fat_ops;  /* FAT12/16/32: fat.c */
extern const struct pvb_fs_ops pvb_reiserfs_ops;  /* ReiserFS 3.5/3.6: reiserfs.c */
extern const struct pvb_fs_ops pvb_btrfs_ops;  /* btrfs, one device: btrfs.c */

#endif
