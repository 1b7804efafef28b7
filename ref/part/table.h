/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal to ref/part: building the volume list, shared by the MBR and GPT readers. */
#ifndef PVB_PART_TABLE_H
#define PVB_PART_TABLE_H

#include "part/part.h"

/* Append a zeroed volume; NULL (with ctx error) past lim.max_parts or on no memory. */
struct pvb_volume *pvb_part_add(struct pvb_ctx *c, struct pvb_part_table *t);

/* Read the GPT whose protective MBR is in mbr. */
int pvb_gpt_scan(struct pvb_disk *d, struct pvb_part_table *t);

/* Read primaries and the logical chain of the MBR in mbr (512 bytes). */
int pvb_mbr_scan(struct pvb_disk *d, const uint8_t *mbr, struct pvb_part_table *t);

#define PVB_MBR_SIZE 512
#define PVB_MBR_ENTRY(i) (446 + 16 * (i))
#define PVB_MBR_TYPE_GPT 0xee

#endif
