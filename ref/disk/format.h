/* SPDX-License-Identifier: GPL-2.0-only */
/* Image formats (raw, qcow, qcow2, vhd): scored detection and the table of drivers. */
#ifndef PVB_DISK_FORMAT_H
#define PVB_DISK_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "disk/disk.h"

#define PVB_PROBE_HEAD 4096  /* bytes from the start of the file given to probes */
#define PVB_PROBE_TAIL 512   /* bytes from its end (a vhd footer) */

/*
 * One image of a backing chain while it is being opened. The image the user
 * named is the top (depth 0, child NULL); a backing file's node points at the
 * image that named it. Nodes live on the stack of the opening calls, so a
 * chain costs no memory and is walked for loop detection (dev, ino).
 */
struct pvb_chain {
    const struct pvb_disk_opts *opts;
    const char *path;     /* this image's file name as opened; NULL for memory disks */
    const char *dir;      /* the one directory every backing file of the chain must be in */
    unsigned depth;
    int have_id;          /* dev and ino are known */
    uint64_t dev, ino;
    const struct pvb_chain *child;
};

/*
 * A format looks at the first and last bytes of the file and bids
 * (libarchive's bid()): 0 = not mine, higher = surer. The highest bid wins;
 * raw bids 1, so it is chosen only when nothing else claims the file.
 */
struct pvb_format {
    const char *name;
    int (*probe)(const uint8_t *head, size_t nhead, const uint8_t *tail, size_t ntail,
                 uint64_t file_size);
    /* Present the virtual disk stored in file; on success the new disk owns file. */
    int (*open)(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_chain *chain,
                struct pvb_disk **out);
};

/* Choose a format for file (opts->format forces one) and open it. On success
 * *out owns file (or is file itself, for raw). path may be NULL (memory disk);
 * then backing files can only be found through opts->backing_dir. */
int pvb_format_open(struct pvb_ctx *c, struct pvb_disk *file, const char *path,
                    const struct pvb_disk_opts *opts, struct pvb_disk **out);

/* The same for one link of a backing chain (disk/backing.c); format NULL: detect. */
int pvb_format_open_chain(struct pvb_ctx *c, struct pvb_disk *file, const char *format,
                          const struct pvb_chain *chain, struct pvb_disk **out);

/* The name of the format that would be chosen for file, without opening it. */
int pvb_format_detect(struct pvb_ctx *c, struct pvb_disk *file, const char **name);

/* The drivers, defined in their own files. */
extern const struct pvb_format pvb_format_qcow;
extern const struct pvb_format pvb_format_qcow2;
extern const struct pvb_format pvb_format_vhd;

#endif
