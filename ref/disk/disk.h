/* SPDX-License-Identifier: GPL-2.0-only */
/* The virtual disk: a size and a bounded pread, behind a table of driver functions. */
#ifndef PVB_DISK_DISK_H
#define PVB_DISK_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "util/ctx.h"

struct pvb_disk;

/*
 * A driver provides pread and close (e2fsprogs io_channel, GRUB grub_disk_dev).
 * pread is called only for ranges already checked against d->size, and must
 * fill exactly len bytes or fail with a message in d->ctx.
 */
struct pvb_disk_ops {
    const char *name;
    int (*pread)(struct pvb_disk *d, void *buf, size_t len, uint64_t off);
    void (*close)(struct pvb_disk *d);
};

struct pvb_disk {
    const struct pvb_disk_ops *ops;
    struct pvb_ctx *ctx;
    uint64_t size;          /* bytes the disk presents */
    unsigned sector_size;   /* logical sector size if known (block device), else 0 */
    void *priv;             /* the driver's state */
};

/* Read exactly len bytes at off. A range past the end is PVB_ERANGE; the
 * disk is never read outside [0, size). */
int pvb_disk_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off);

/* Release the disk and whatever it owns. NULL is allowed. */
void pvb_disk_close(struct pvb_disk *d);

/* The disk's format or driver: "raw", "qcow2", "vhd", "sub" (a partition view), ... */
const char *pvb_disk_name(const struct pvb_disk *d);

/* Allocate a disk with the given driver; priv may be filled in afterwards. */
int pvb_disk_new(struct pvb_ctx *c, const struct pvb_disk_ops *ops, uint64_t size,
                 struct pvb_disk **out);

/* Raw driver over a file or block device. With own_fd the disk closes fd. */
int pvb_disk_open_fd(struct pvb_ctx *c, int fd, int own_fd, struct pvb_disk **out);

/* How an image file is opened. A zeroed struct (or NULL) means: detect
 * the format, refuse backing files. */
struct pvb_disk_opts {
    const char *format;       /* NULL or "auto": detect; else forced ("raw", ...) */
    int allow_backing;        /* follow backing files named by the image header */
    const char *backing_dir;  /* where backing files may live; NULL: the image's directory */
};

/* Open an image file read-only as a virtual disk of its format. */
int pvb_disk_open_path(struct pvb_ctx *c, const char *path, const struct pvb_disk_opts *opts,
                       struct pvb_disk **out);

/* The disk an image format reads unallocated parts from (its backing file
 * or vhd parent), or NULL: none, or not an image format. */
struct pvb_disk *pvb_disk_backing(const struct pvb_disk *d);

/* Memory driver for tests: reads from buf (not copied; the caller keeps it). */
int pvb_disk_open_mem(struct pvb_ctx *c, const void *buf, size_t len, struct pvb_disk **out);
/* Make the nth read from now on (1 = the next one) fail with PVB_EIO; 0 disarms. */
void pvb_disk_mem_fail_at(struct pvb_disk *d, unsigned nth);
/* Number of reads served so far. */
unsigned pvb_disk_mem_reads(const struct pvb_disk *d);

/* A view of [off, off+len) of parent: how a partition is presented to a
 * filesystem. The parent must outlive the view. */
int pvb_disk_open_sub(struct pvb_disk *parent, uint64_t off, uint64_t len,
                      struct pvb_disk **out);

/*
 * One stretch of a mapped view: bytes [start, start+len) of the view, read from
 * nstripes areas of the parent. With one area the stretch is linear (area[0] is
 * where it starts); with more it is striped: stripe_size bytes from area 0, the
 * next stripe_size from area 1, ..., round again (LVM2 "striped", md RAID0).
 * Each area holds len / nstripes bytes, a whole number of stripes.
 */
struct pvb_disk_seg {
    uint64_t start;
    uint64_t len;
    uint64_t stripe_size;     /* bytes; used when nstripes > 1 */
    unsigned nstripes;        /* >= 1 */
    const uint64_t *area;     /* nstripes byte offsets on the parent */
};

/* A view made of n segments of parent, contiguous from byte 0 in order (an LVM2
 * logical volume). The segments are copied; a segment that does not fit (a gap, an
 * area past the parent's end, stripes that do not divide it) is PVB_ECORRUPT or
 * PVB_ERANGE. Reads crossing segment and stripe boundaries are split. The parent
 * must outlive the view. */
int pvb_disk_open_map(struct pvb_disk *parent, const struct pvb_disk_seg *segs, unsigned n,
                      struct pvb_disk **out);

#endif
