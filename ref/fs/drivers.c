/* SPDX-License-Identifier: GPL-2.0-only */
/* The filesystem driver table: probed in this order by pvb_fs_mount(). */
#include <stddef.h>

#include "fs/drivers.h"

const struct pvb_fs_ops *const pvb_fs_drivers[] = {
    &pvb_ext_ops,
    &pvb_xfs_ops,
    &pvb_iso9660_ops,
    &pvb_fat_ops,
    &pvb_reiserfs_ops,
    &pvb_btrfs_ops,
    NULL
};
