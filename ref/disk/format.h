/* Image formats (raw, qcow, qcow2, vhd): scored detection and the table of drivers. */
#ifndef PVB_DISK_FORMAT_H
#define PVB_DISK_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "disk/disk.h"

#define PVB_PROBE_HEAD 4096  /* bytes from the start of the file given to probes */
#define PVB_PROBE_TAIL 512   /* bytes from its end (a vhd footer) */

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
    int (*open)(struct pvb_ctx *c, struct pvb_disk *file, const char *path,
                const struct pvb_disk_opts *opts, struct pvb_disk **out);
};

/* Choose a format for file (opts->format forces one) and open it. On success
 * *out owns file (or is file itself, for raw). */
int pvb_format_open(struct pvb_ctx *c, struct pvb_disk *file, const char *path,
                    const struct pvb_disk_opts *opts, struct pvb_disk **out);

/* The name of the format that would be chosen for file, without opening it. */
int pvb_format_detect(struct pvb_ctx *c, struct pvb_disk *file, const char **name);

#endif
