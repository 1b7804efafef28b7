/* SPDX-License-Identifier: GPL-2.0-only */
/* LVM2 physical volumes written into an image in memory: label, PV header, metadata area, text. */
#ifndef PVB_TEST_LVMBUILD_H
#define PVB_TEST_LVMBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * The layout pvcreate and vgcreate give (lvm2 lib/format_text/layout.h): the label
 * in sector 1, one metadata area at byte 4096 up to the first extent at pe_start,
 * metadata text right after the area's 512-byte header (or elsewhere, to make it
 * wrap). Every checksum is lvm2's crc (seed 0xf597a6cf). The text is written as
 * lvm2's export.c writes a VG. Tests then break one field at a time.
 */
#define LB_MAX 8

struct lb_stripe {
    unsigned pv;          /* index into lb_vg.pv */
    uint64_t pe;          /* first extent on that PV */
};

struct lb_seg {
    uint64_t start, count;          /* extents of the LV */
    const char *type;               /* NULL: "striped" */
    unsigned nstripes;
    uint64_t stripe_size;           /* sectors, when nstripes > 1 */
    struct lb_stripe st[LB_MAX];
};

struct lb_lv {
    const char *name;
    const char *id;                 /* 38 characters */
    int hidden;                     /* no VISIBLE flag */
    unsigned nsegs;
    struct lb_seg seg[LB_MAX];
};

struct lb_pv {
    const char *id;                 /* 38 characters, with dashes */
    uint64_t offset, size;          /* where it is on the image, bytes */
    uint64_t pe_start;              /* sectors; 0: 2048 */
    int absent;                     /* in the metadata, not on this image */
};

struct lb_vg {
    const char *name;
    const char *id;
    uint64_t extent;                /* sectors; 0: 2048 (1 MiB) */
    unsigned npvs, nlvs;
    struct lb_pv pv[LB_MAX];
    struct lb_lv lv[LB_MAX];
};

/* The VG's metadata text as lvm2 writes it, NUL-terminated; malloc()ed. */
char *lb_text(const struct lb_vg *vg);

/* lvm2's calc_crc from its seed over buf (the tests' own implementation). */
uint32_t lb_crc(uint32_t seed, const void *buf, size_t n);

/* Write PV k of vg into img: label, PV header, metadata area header and text (text
 * NULL: lb_text(vg)), the text starting text_off bytes into the area (0: 512),
 * wrapping to byte 512 of the area when it runs past its end. */
void lb_write_pv(uint8_t *img, const struct lb_vg *vg, unsigned k, const char *text,
                 uint64_t text_off);

/* The metadata area of a PV written by lb_write_pv: where it is on the image, and its size. */
uint64_t lb_mda_offset(const struct lb_vg *vg, unsigned k);
uint64_t lb_mda_size(const struct lb_vg *vg, unsigned k);

/* Write len bytes at byte off of LV i of vg, through its segments as LVM2 maps them. */
void lb_lv_write(uint8_t *img, const struct lb_vg *vg, unsigned i, const void *data, size_t len,
                 uint64_t off);

/* Bytes of LV i. */
uint64_t lb_lv_size(const struct lb_vg *vg, unsigned i);

#endif
