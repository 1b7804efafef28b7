/* SPDX-License-Identifier: GPL-2.0-only */
/* Partition tables built in memory, for unit tests and fuzz seeds (no binary fixtures). */
#ifndef PVB_TEST_IMGBUILD_H
#define PVB_TEST_IMGBUILD_H

#include <stddef.h>
#include <stdint.h>

/* A zeroed image of size bytes; abort()s when out of memory (tests only). */
uint8_t *ib_new(size_t size);

/* Write MBR entry `slot` of the table in the sector at byte `at` (0 for the
 * MBR, an EBR otherwise) and its 0x55aa signature. */
void ib_mbr_entry(uint8_t *img, uint64_t at, int slot, uint8_t flag, uint8_t type,
                  uint32_t start, uint32_t nsect);

struct ib_gpt_part {
    uint64_t first, last;   /* LBAs */
    uint8_t type;           /* 0: unused slot; else the last byte of a fixed type GUID */
    uint64_t attrs;
    const char *name;       /* ASCII */
};

/* A GPT layout: protective MBR, primary header at LBA 1 with its array at
 * LBA 2, backup array and header at the end, both with correct CRCs. */
void ib_gpt(uint8_t *img, size_t size, unsigned ss, const struct ib_gpt_part *parts,
            unsigned nparts, uint32_t nentries, uint32_t esize);

/* Recompute the header CRC of the GPT header at lba (after a test edits it). */
void ib_gpt_fix_header_crc(uint8_t *img, unsigned ss, uint64_t lba);

/* Recompute the entry array CRC of the header at lba, then its header CRC. */
void ib_gpt_fix_array_crc(uint8_t *img, unsigned ss, uint64_t lba);

#endif
