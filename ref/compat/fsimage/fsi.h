/* SPDX-License-Identifier: GPL-2.0-only */
/* The libxenfsimage plugin ABI, version 1 (Xen 3.1 to 4.22), declared here from its shapes. */
#ifndef PVB_COMPAT_FSIMAGE_FSI_H
#define PVB_COMPAT_FSIMAGE_FSI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * How Xen's tools/libfsimage loads a plugin (common/fsimage_plugin.c, read
 * in RELEASE-4.17.7 and 4.22): for every entry of its plugin directory
 * (XEN_FSIMAGE_FSDIR in Xen 4.12..4.21, else the compiled-in one) it
 * dlopen()s <dir>/<entry>/fsimage.so with RTLD_LAZY | RTLD_LOCAL, calls
 * fsi_init_plugin(FSI_PLUGIN_VERSION, its record, &name) and keeps the table
 * returned. A NULL table, or one whose version is newer than the loader's,
 * makes the loader's init fail for every plugin, so pygrub reads nothing.
 * Plugins are kept in reverse directory order; fsi_open_fsimage(path,
 * offset, options) tries each one's mount until one returns 0 and then
 * sends every call on that image to it, all under one lock.
 *
 * The loader's handles are opaque: a plugin reaches them only through the
 * fsip_* functions libxenfsimage exports (below). Errors are -1 or NULL
 * with errno set; pygrub's binding turns them into IOError(errno).
 */
#define FSI_PLUGIN_VERSION 1

struct fsi;         /* one mounted image (the loader's fsi_t) */
struct fsi_file;    /* one open file (fsi_file_t) */
struct fsi_plugin;  /* the loader's record of a plugin (fsi_plugin_t) */

/* fsi_plugin_ops_t: these seven members in this order. */
struct fsi_plugin_ops {
    int version;    /* FSI_PLUGIN_VERSION the plugin was written for */
    /* Mount the filesystem that starts fsip_fs_offset(fsi) bytes into the
     * image file at path; options come from the caller (pygrub: the
     * zfs-bootfs= value of its --args, meant for the zfs plugin). 0, or -1
     * and errno: the loader then tries the next plugin. */
    int (*mount)(struct fsi *fsi, const char *path, const char *options);
    int (*umount)(struct fsi *fsi);
    /* An absolute path inside the filesystem; NULL and errno on failure. */
    struct fsi_file *(*open)(struct fsi *fsi, const char *path);
    /* Bytes read from the file position, which advances; 0 at the end. */
    ssize_t (*read)(struct fsi_file *file, void *buf, size_t len);
    /* Bytes read at off; 0 at or past the end; -1 and errno. */
    ssize_t (*pread)(struct fsi_file *file, void *buf, size_t len, uint64_t off);
    int (*close)(struct fsi_file *file);
};

/* The one symbol a plugin exports (fsi_plugin_init_t). */
#if defined(__GNUC__)
#define FSI_EXPORT __attribute__((visibility("default")))
#else
#define FSI_EXPORT
#endif
FSI_EXPORT const struct fsi_plugin_ops *fsi_init_plugin(int version, struct fsi_plugin *fp,
                                                       const char **name);

/* Exported by libxenfsimage for its plugins. */
void fsip_fs_set_data(struct fsi *fsi, void *data);
void *fsip_fs_data(struct fsi *fsi);
uint64_t fsip_fs_offset(struct fsi *fsi);
/* A file handle holding data (malloc()ed by the loader; NULL when out of memory). */
struct fsi_file *fsip_file_alloc(struct fsi *fsi, void *data);
void fsip_file_free(struct fsi_file *file);
struct fsi *fsip_fs(struct fsi_file *file);
void *fsip_file_data(struct fsi_file *file);

#endif
