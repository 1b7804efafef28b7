/* SPDX-License-Identifier: GPL-2.0-only */
/* A small, fixed cache of metadata pages (L1/L2 tables, BATs, bitmaps) read from an image file. */
#ifndef PVB_DISK_TCACHE_H
#define PVB_DISK_TCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "disk/disk.h"

#define PVB_TCACHE_PAGE 4096u  /* bytes per cached page of a table */
#define PVB_TCACHE_SLOTS 32u   /* pages kept: 128 KiB, whatever the image size */

struct pvb_tcache;

/*
 * Tables are read a page at a time, never whole: a 2 MiB qcow2 L2 table or a
 * 32 MiB L1 table costs one 4 KiB page per place used, so memory does not
 * grow with the image (qemu keeps whole tables and caps its cache instead).
 */
int pvb_tcache_new(struct pvb_ctx *c, struct pvb_disk *file, struct pvb_tcache **out);
void pvb_tcache_free(struct pvb_tcache *t);

/*
 * The esize bytes at byte pos of the table stored at [table, table + size)
 * of the file. esize must divide PVB_TCACHE_PAGE and pos, so an entry never
 * straddles two pages. The caller has checked that the table lies inside
 * the file. *p stays valid until the next call.
 */
int pvb_tcache_get(struct pvb_tcache *t, uint64_t table, uint64_t size, uint64_t pos,
                   unsigned esize, const uint8_t **p);

#endif
