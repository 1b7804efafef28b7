/* SPDX-License-Identifier: GPL-2.0-only */
/* Read-only filesystems behind one ops table, and the path walk every driver shares. */
#ifndef PVB_FS_FS_H
#define PVB_FS_FS_H

#include <stddef.h>
#include <stdint.h>

#include "disk/disk.h"

typedef uint64_t pvb_ino;

enum pvb_ftype {
    PVB_FT_UNKNOWN = 0,
    PVB_FT_REG,
    PVB_FT_DIR,
    PVB_FT_LNK,
    PVB_FT_CHR,
    PVB_FT_BLK,
    PVB_FT_FIFO,
    PVB_FT_SOCK
};

struct pvb_stat {
    pvb_ino ino;
    enum pvb_ftype type;
    uint32_t mode;      /* as stored: S_IFMT type bits and permissions */
    uint64_t size;      /* bytes; for a symlink, the target's length */
    uint32_t nlink;
    uint32_t uid, gid;
    int64_t mtime;      /* seconds since the epoch */
};

struct pvb_fs_info {
    const char *driver;  /* the driver's name: "ext", "xfs", "fat" */
    unsigned version_major;  /* ext: 2, 3, 4; xfs: 4, 5 (the superblock's version) */
    unsigned flags;      /* PVB_FSI_* */
    char version[32];    /* "ext4", "xfs v5": for people */
    char label[256];
    uint8_t uuid[16];    /* the UUID's bytes */
    char uuid_str[40];   /* as GRUB prints it and search --fs-uuid compares: the driver's
                          * (FAT: "1234-ABCD"), else pvb_fs_uuid_str(uuid) */
    uint32_t block_size;
    char features[512];  /* human-readable, for --inspect */
};

#define PVB_FSI_FTYPE 0x1u   /* directory entries hold the file type (ext filetype, XFS ftype) */

/* Called once per directory entry ("." and ".." are not reported); the
 * name is NUL-terminated. A non-zero return stops the walk and is returned. */
typedef int (*pvb_dirent_fn)(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type);

/*
 * A driver (GRUB's grub_fs, Xen's fsi_plugin_ops_t). mount returns
 * PVB_ENOTMINE when the volume does not hold this filesystem (bad magic);
 * any other error means it does, but cannot be read. The path walk, "."
 * and "..", symlinks and limits are the fs layer's: lookup only ever sees
 * a single real name (1..255 bytes, no '/').
 */
struct pvb_fs_ops {
    const char *name;
    int (*mount)(struct pvb_disk *vol, void **fs);
    void (*umount)(void *fs);
    void (*info)(void *fs, struct pvb_fs_info *out);
    pvb_ino (*root)(void *fs);
    int (*lookup)(void *fs, pvb_ino dir, const char *name, size_t len, pvb_ino *out);
    int (*stat)(void *fs, pvb_ino ino, struct pvb_stat *st);
    /* The symlink's target, not NUL-terminated; longer than cap: PVB_ELIMIT. */
    int (*readlink)(void *fs, pvb_ino ino, char *buf, size_t cap, size_t *len);
    int (*readdir)(void *fs, pvb_ino dir, pvb_dirent_fn fn, void *arg);
    /* A handle that streams a regular file; it may cache mapping state. */
    int (*open)(void *fs, pvb_ino ino, void **file);
    /* Exactly len bytes at off, within the file size (the fs layer clamps);
     * holes and unwritten extents read as zeros. */
    int (*pread)(void *file, void *buf, size_t len, uint64_t off);
    void (*close)(void *file);
};

struct pvb_fs {
    const struct pvb_fs_ops *ops;
    struct pvb_ctx *ctx;
    struct pvb_disk *vol;
    void *priv;
};

struct pvb_file {
    struct pvb_fs *fs;
    struct pvb_stat st;
    void *priv;
};

/* Mount vol with the first driver that owns it (drivers.c's order). None:
 * PVB_ENOTMINE. vol must outlive the fs. */
int pvb_fs_mount(struct pvb_disk *vol, struct pvb_fs **out);
/* What a volume no driver mounts holds, when its signature says (LVM2, swap, UFS, ZFS, a
 * Solaris VTOC: ref/fs/identify.c): PVB_FS_ID_UNREAD and a description in out ("a Linux
 * swap area ..."), PVB_FS_ID_VOLMGR when it is a member of a volume manager whose volumes
 * ref/vol presents on their own ("an LVM2 physical volume (label in sector 1)"), 0 when
 * nothing is known, or a read's error. */
#define PVB_FS_ID_UNREAD 1
#define PVB_FS_ID_VOLMGR 2
int pvb_fs_identify(struct pvb_disk *vol, char *out, size_t cap);
/* Mount with one named driver only. */
int pvb_fs_mount_as(struct pvb_disk *vol, const char *driver, struct pvb_fs **out);
void pvb_fs_umount(struct pvb_fs *fs);
void pvb_fs_info(struct pvb_fs *fs, struct pvb_fs_info *out);
/* A filesystem UUID as GRUB prints it (8-4-4-4-12 lowercase hex, bytes in
 * stored order; GPT GUIDs are mixed-endian: pvb_guid_str). */
void pvb_fs_uuid_str(const uint8_t u[16], char out[37]);

/*
 * Resolve a path as GRUB's fshelp does: relative paths start at the root,
 * "." stays, ".." pops (the root is its own parent), symlinks are followed
 * (absolute ones from the root, relative ones from their directory) at most
 * lim.max_symlinks times (then PVB_ELOOP); with follow_last 0 a final
 * symlink is not followed. A non-directory in the middle: PVB_ENOTDIR.
 */
int pvb_fs_lookup(struct pvb_fs *fs, const char *path, int follow_last, pvb_ino *out);
int pvb_fs_stat(struct pvb_fs *fs, const char *path, struct pvb_stat *st);
int pvb_fs_lstat(struct pvb_fs *fs, const char *path, struct pvb_stat *st);
/* A symlink's target as a NUL-terminated string of at most cap-1 bytes. */
int pvb_fs_readlink(struct pvb_fs *fs, const char *path, char *buf, size_t cap);
int pvb_fs_readdir(struct pvb_fs *fs, const char *path, pvb_dirent_fn fn, void *arg);
/* The same for an inode a listing gave, without a path walk. */
int pvb_fs_stat_ino(struct pvb_fs *fs, pvb_ino ino, struct pvb_stat *st);
int pvb_fs_readlink_ino(struct pvb_fs *fs, pvb_ino ino, char *buf, size_t cap);

/* Open a regular file (symlinks followed). Directories: PVB_EISDIR. Files
 * larger than lim.max_file_size: PVB_ELIMIT. */
int pvb_fs_open(struct pvb_fs *fs, const char *path, struct pvb_file **out);
int pvb_fs_open_ino(struct pvb_fs *fs, pvb_ino ino, struct pvb_file **out);
/* Up to len bytes at off; *got is short only at the end of the file. */
int pvb_file_read(struct pvb_file *f, void *buf, size_t len, uint64_t off, size_t *got);
void pvb_file_close(struct pvb_file *f);

/* Receives file bytes in order; non-zero stops the copy (a write error). */
typedef int (*pvb_sink_fn)(void *arg, const void *buf, size_t len);

/* Stream a whole open file to sink in bounded chunks (one accounted 1 MiB
 * buffer); *size is what was delivered. A sink failure is PVB_EIO. */
int pvb_file_stream(struct pvb_file *f, pvb_sink_fn sink, void *arg, uint64_t *size);
/* The same for the file at path (opened, streamed, closed). */
int pvb_fs_stream(struct pvb_fs *fs, const char *path, pvb_sink_fn sink, void *arg, uint64_t *size);

/* A whole file into memory from the context (for configs), refused when
 * larger than max bytes (PVB_ELIMIT). NUL-terminated; free with pvb_free(). */
int pvb_fs_read_file(struct pvb_fs *fs, const char *path, size_t max, char **buf, size_t *len);

/* The type named by the S_IFMT bits of a POSIX mode. */
enum pvb_ftype pvb_mode_type(uint32_t mode);
const char *pvb_ftype_name(enum pvb_ftype t);

#endif
