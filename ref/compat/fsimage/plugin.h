/* SPDX-License-Identifier: GPL-2.0-only */
/* libpvboot's filesystem drivers as libxenfsimage plugins: the tables the entry points return. */
#ifndef PVB_COMPAT_FSIMAGE_PLUGIN_H
#define PVB_COMPAT_FSIMAGE_PLUGIN_H

#include "compat/fsimage/fsi.h"

/*
 * The ops table serving one libpvboot driver ("ext", "xfs", "iso9660", "fat", "reiserfs") to a loader
 * that speaks the given ABI version, and the plugin's name ("pvboot-ext").
 * NULL for an unknown driver or a loader older than version 1.
 *
 * Every mount has its own struct pvb_ctx with the default limits, so each
 * image is read under libpvboot's caps (memory, file size, symlink hops,
 * directory entries). The image is read as raw bytes, as pygrub reads its
 * partition table. Nothing is printed unless PVBOOT_FSIMAGE_DEBUG is set
 * (to anything but "" or "0"): then every failure and warning goes to
 * stderr as one "pvboot-fsimage: ..." line.
 */
const struct fsi_plugin_ops *pvb_fsimage_init(int version, const char *driver,
                                              const char **name);

/* The errno a libpvboot error code stands for (never 0). */
int pvb_fsimage_errno(int err);

#endif
