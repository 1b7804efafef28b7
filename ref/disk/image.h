/* What image formats share: the mapped read loop over runs, and the backing file read. */
#ifndef PVB_DISK_IMAGE_H
#define PVB_DISK_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "disk/disk.h"
#include "disk/inflate.h"

/* What one stretch of the virtual disk is made of. */
enum pvb_run_kind {
    PVB_RUN_ZERO,     /* reads as zeros */
    PVB_RUN_FILE,     /* stored in the image file at .at */
    PVB_RUN_BACKING,  /* not stored here: the backing file's bytes, zeros past its end or without one */
    PVB_RUN_MEM       /* in memory at .mem (a decompressed cluster), valid until the next map call */
};

struct pvb_run {
    enum pvb_run_kind kind;
    uint64_t len;        /* bytes, 1..the length asked for */
    uint64_t at;         /* PVB_RUN_FILE */
    const uint8_t *mem;  /* PVB_RUN_MEM */
};

/*
 * A format driver's state starts with this. map() says what the virtual
 * disk holds at off (at most len bytes, all of one kind); the shared loop
 * fills the caller's buffer, merging runs that are contiguous in the file
 * into one read (so a sequential read costs one pread per extent, not per
 * cluster).
 */
struct pvb_image {
    struct pvb_disk *file;     /* the image file (owned) */
    struct pvb_disk *backing;  /* the next image of the chain (owned), or NULL */
    int (*map)(struct pvb_disk *d, uint64_t off, uint64_t len, struct pvb_run *run);
};

/* pread for a format disk whose priv starts with struct pvb_image. */
int pvb_image_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off);

/* Close file and backing. */
void pvb_image_release(struct pvb_image *im);

/*
 * The last decompressed cluster of a qcow or qcow2 image, kept so that
 * reading a cluster in small pieces inflates it once. key identifies it
 * (its L2 entry, never 0); buffers and the decompressor are made on the
 * first compressed cluster, so images without any cost nothing.
 */
struct pvb_zcluster {
    enum pvb_codec codec;
    size_t size;            /* cluster bytes */
    size_t in_cap;          /* most compressed bytes a cluster may take */
    uint64_t key;           /* 0: nothing cached */
    struct pvb_inflate *z;
    uint8_t *in, *out;
};

/* Make out hold the cluster whose n compressed bytes are at file offset at
 * (n is clamped to the file: a final sector may run past its end). voff and
 * the disk's name go into messages. */
int pvb_zcluster_load(struct pvb_disk *d, struct pvb_image *im, struct pvb_zcluster *zc,
                      uint64_t key, uint64_t at, uint64_t n, uint64_t voff);
void pvb_zcluster_free(struct pvb_ctx *c, struct pvb_zcluster *zc);

#endif
