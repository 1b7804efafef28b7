/* SPDX-License-Identifier: GPL-2.0-only */
/* qcow, qcow2 and vhd images built in memory, for unit tests and fuzz seeds (no binary fixtures). */
#ifndef PVB_TEST_IMGFMT_H
#define PVB_TEST_IMGFMT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each builder stores a virtual disk (virt, vsize bytes) with one letter per
 * cluster (qcow, qcow2) or block (vhd) saying how it is stored:
 *   'D' data   'U' unallocated   'Z' zero flag (qcow2 v3)   'C' compressed
 *   'P' partial: qcow2 extended L2 with even subclusters allocated, those
 *       with index 1 mod 4 zero, the rest unallocated; vhd with the bitmap
 *       bits of even sectors set
 *   'E' vhd block allocated with an empty bitmap
 * and fills expect with what a reader must return by the format's rules
 * (no backing file: unallocated reads as zeros). Layouts are fixed so that
 * tests can patch fields: header, then tables, then data.
 */
struct if_image {
    uint8_t *buf;       /* malloc()ed image bytes */
    size_t len;
    uint8_t *expect;    /* malloc()ed, vsize bytes */
    uint64_t l1_off;    /* qcow/qcow2: L1 table; vhd: BAT */
    uint64_t l2_off;    /* qcow/qcow2: first L2 table; vhd: dynamic header */
    uint64_t data_off;  /* first data cluster or block */
};

struct if_opts {
    unsigned version;        /* qcow2: 2 or 3 */
    unsigned cluster_bits;   /* qcow/qcow2; vhd: log2 of the block size */
    unsigned l2_bits;        /* qcow: log2 of L2 entries */
    int extl2;               /* qcow2: extended L2 entries */
    int zstd;                /* qcow2: compression_type 1 */
    const char *backing;     /* qcow/qcow2 backing file name; vhd: parent (MacX locator) */
    const char *backing_fmt; /* qcow2 backing format extension */
    unsigned vhd_type;       /* 2 fixed, 3 dynamic, 4 differencing */
    const uint8_t *parent_uuid;  /* vhd differencing: the parent's footer UUID */
    uint8_t uuid_byte;       /* vhd: fills this image's UUID */
};

void if_qcow2(struct if_image *im, const struct if_opts *o, const uint8_t *virt, uint64_t vsize,
              const char *kinds);
void if_qcow(struct if_image *im, const struct if_opts *o, const uint8_t *virt, uint64_t vsize,
             const char *kinds);
void if_vhd(struct if_image *im, const struct if_opts *o, const uint8_t *virt, uint64_t vsize,
            const char *kinds);
void if_free(struct if_image *im);

/* n bytes as a raw deflate stream (4 KiB window, as qemu writes) or a zstd
 * frame into out; abort()s when that needs more than cap bytes. */
size_t if_compress(const uint8_t *in, size_t n, int zstd, uint8_t *out, size_t cap);

/* The vhd checksum of n bytes whose checksum field is at field, stored there. */
void if_vhd_fix_checksum(uint8_t *b, size_t n, size_t field);

/*
 * Open len bytes of buf as an image (format NULL: detect) with opts, read
 * the whole virtual disk in pieces of step bytes and compare it with expect
 * (vsize bytes). 0 on a match; else the library's error code, or 1 when the
 * size or the bytes differ. The disk is closed again either way.
 */
struct pvb_ctx;
struct pvb_disk_opts;
int if_check(struct pvb_ctx *c, const uint8_t *buf, size_t len, const char *format,
             const uint8_t *expect, uint64_t vsize, size_t step);

/* Open the image as if_check() does and read its whole virtual disk: the
 * first error, or 0. */
int if_read_all(struct pvb_ctx *c, const uint8_t *buf, size_t len, const char *format);

/*
 * Open and read the whole image (detecting its format) under every memory
 * limit from 0 to max_mem in steps of about 4 KiB, then with the nth read of
 * the file failing for n = 1..nreads. Each run must read expect, or fail with
 * PVB_ELIMIT (limits) or PVB_EIO (faults), and leave no memory behind.
 * 0 when all did; else 1 + the index of the first run that did not.
 */
int if_sweep(const uint8_t *buf, size_t len, const uint8_t *expect, uint64_t vsize,
             size_t max_mem, unsigned nreads);

/* Deterministic non-zero bytes for virtual disks. */
void if_pattern(uint8_t *buf, size_t n, unsigned seed);

#endif
