/* SPDX-License-Identifier: GPL-2.0-only */
/* The entry point of fsimage.so for btrfs/: pvboot's btrfs driver (one device) as a libxenfsimage plugin. */
#include "compat/fsimage/plugin.h"

const struct fsi_plugin_ops *fsi_init_plugin(int version, struct fsi_plugin *fp, const char **name)
{
    (void)fp;
    return pvb_fsimage_init(version, "btrfs", name);
}
