/* SPDX-License-Identifier: GPL-2.0-only */
/* What image formats share: state, the mapped read loop, compressed clusters, closing. */
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
 * The last few decompressed clusters of a qcow or qcow2 image, kept so that
 * reading a cluster in small pieces inflates it once, and so that a file
 * whose blocks alternate between a few clusters does not inflate them again
 * and again (least recently used goes first). key identifies a cluster (its
 * L2 entry, never 0); buffers and the decompressor are made on the first
 * compressed cluster, so images without any cost nothing. Every inflation
 * is charged to the run's inflate budget.
 */
#define PVB_ZCLUSTER_SLOTS 4

struct pvb_zcluster {
    enum pvb_codec codec;
    size_t size;            /* cluster bytes */
    size_t in_cap;          /* most compressed bytes a cluster may take */
    struct pvb_inflate *z;
    uint8_t *in;
    const uint8_t *out;     /* the cluster pvb_zcluster_load made current */
    uint8_t *buf[PVB_ZCLUSTER_SLOTS];
    uint64_t key[PVB_ZCLUSTER_SLOTS];   /* 0: the slot holds nothing */
    uint64_t last[PVB_ZCLUSTER_SLOTS];  /* when the slot was last used */
    uint64_t clock;
    uint64_t served, inflated;          /* bytes of the virtual disk read; bytes inflated */
};

struct pvb_tcache;

/*
 * A format driver's state starts with this. map() says what the virtual
 * disk holds at off (at most len bytes, all of one kind); the shared loop
 * fills the caller's buffer, merging runs that are contiguous in the file
 * into one read (so a sequential read costs one pread per extent, not per
 * cluster).
 */
struct pvb_image {
    struct pvb_disk *file;     /* the image file (owned once the disk is made) */
    struct pvb_disk *backing;  /* the next image of the chain (owned), or NULL */
    struct pvb_tcache *tc;     /* metadata pages of file */
    struct pvb_zcluster zc;    /* qcow and qcow2 */
    int (*map)(struct pvb_disk *d, uint64_t off, uint64_t len, struct pvb_run *run);
};

/* A driver's zeroed state of size bytes (starting with struct pvb_image),
 * its page cache made over file; NULL with c->err on failure. While opening
 * fails it is released with pvb_image_free(), which leaves file to the
 * caller; once it is a disk's priv, pvb_image_close() closes everything. */
void *pvb_image_new(struct pvb_ctx *c, size_t size, const char *what, struct pvb_disk *file);
void pvb_image_free(struct pvb_ctx *c, struct pvb_image *im);

/* The pread and close of every image format's disk ops. */
int pvb_image_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off);
void pvb_image_close(struct pvb_disk *d);

/* The first level of qcow and qcow2 cluster mapping (qemu qcow.c, qcow2.txt
 * "Cluster mapping"): an L1 table of 64-bit entries pointing at L2 tables. */
struct pvb_l1 {
    uint64_t off, bytes;  /* the part of the L1 table the virtual size uses */
    uint64_t mask;        /* the bits of an entry that hold the L2 table offset */
    uint64_t align;       /* an L2 table's required alignment (1: none) */
    uint64_t l2_bytes;    /* the size of an L2 table */
};

/* The offset of L1 entry l1i's L2 table: 0 when unallocated, else checked to
 * be aligned and inside the file. */
int pvb_image_l2(struct pvb_disk *d, struct pvb_image *im, const struct pvb_l1 *t, uint64_t l1i,
                 uint64_t *l2off);

/* Make im->zc.out point at the cluster whose n compressed bytes are at file
 * offset at (n is clamped to the file: a final sector may run past its end).
 * voff and the disk's name go into messages. */
int pvb_zcluster_load(struct pvb_disk *d, struct pvb_image *im, uint64_t key, uint64_t at,
                      uint64_t n, uint64_t voff);

#endif
