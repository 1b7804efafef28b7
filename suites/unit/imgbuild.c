/* SPDX-License-Identifier: GPL-2.0-only */
/* In-memory MBR and GPT builders for tests (fields per UEFI 2.10 section 5). */
#include <stdlib.h>
#include <string.h>

#include "imgbuild.h"
#include "util/bytes.h"
#include "util/crc.h"

uint8_t *ib_new(size_t size)
{
    uint8_t *p = calloc(1, size ? size : 1);

    if (!p)
        abort();
    return p;
}

void ib_mbr_entry(uint8_t *img, uint64_t at, int slot, uint8_t flag, uint8_t type,
                  uint32_t start, uint32_t nsect)
{
    uint8_t *e = img + at + 446 + 16 * slot;

    e[0] = flag;
    e[4] = type;
    pvb_put_le32(e + 8, start);
    pvb_put_le32(e + 12, nsect);
    img[at + 510] = 0x55;
    img[at + 511] = 0xaa;
}

void ib_gpt_fix_header_crc(uint8_t *img, unsigned ss, uint64_t lba)
{
    uint8_t *h = img + lba * ss;
    uint32_t hsize = pvb_le32(h + 12);

    pvb_put_le32(h + 16, 0);
    pvb_put_le32(h + 16, pvb_crc32(h, hsize));
}

void ib_gpt_fix_array_crc(uint8_t *img, unsigned ss, uint64_t lba)
{
    uint8_t *h = img + lba * ss;
    uint64_t arr = pvb_le64(h + 72);
    uint32_t n = pvb_le32(h + 80), esz = pvb_le32(h + 84);

    pvb_put_le32(h + 88, pvb_crc32(img + arr * ss, (size_t)n * esz));
    ib_gpt_fix_header_crc(img, ss, lba);
}

static void header(uint8_t *img, unsigned ss, uint64_t my, uint64_t alt, uint64_t arr,
                   uint64_t first, uint64_t last, uint32_t n, uint32_t esz)
{
    uint8_t *h = img + my * ss;
    size_t i;

    memset(h, 0, ss);
    memcpy(h, "EFI PART", 8);
    pvb_put_le32(h + 8, 0x00010000);
    pvb_put_le32(h + 12, 92);
    pvb_put_le64(h + 24, my);
    pvb_put_le64(h + 32, alt);
    pvb_put_le64(h + 40, first);
    pvb_put_le64(h + 48, last);
    for (i = 0; i < 16; i++)
        h[56 + i] = (uint8_t)(0xd0 + i);
    pvb_put_le64(h + 72, arr);
    pvb_put_le32(h + 80, n);
    pvb_put_le32(h + 84, esz);
    ib_gpt_fix_array_crc(img, ss, my);
}

void ib_gpt(uint8_t *img, size_t size, unsigned ss, const struct ib_gpt_part *parts,
            unsigned nparts, uint32_t nentries, uint32_t esize)
{
    uint64_t nlba = size / ss, last = nlba - 1;
    uint64_t arr_lbas = ((uint64_t)nentries * esize + ss - 1) / ss;
    uint8_t *arr = img + 2 * ss;
    unsigned i, j;

    ib_mbr_entry(img, 0, 0, 0, 0xee, 1, nlba - 1 > 0xffffffffu ? 0xffffffffu : (uint32_t)(nlba - 1));
    memset(arr, 0, (size_t)nentries * esize);
    for (i = 0; i < nparts && i < nentries; i++) {
        uint8_t *e = arr + (size_t)i * esize;

        if (!parts[i].type)
            continue;
        for (j = 0; j < 16; j++) {
            e[j] = (uint8_t)(0x10 + j);
            e[16 + j] = (uint8_t)(0x80 + i + j);
        }
        e[15] = parts[i].type;
        pvb_put_le64(e + 32, parts[i].first);
        pvb_put_le64(e + 40, parts[i].last);
        pvb_put_le64(e + 48, parts[i].attrs);
        for (j = 0; parts[i].name && parts[i].name[j] && j < 36; j++)
            pvb_put_le16(e + 56 + 2 * j, (uint8_t)parts[i].name[j]);
    }
    /* Backup array just before the backup header, a copy of the primary's. */
    memcpy(img + (last - arr_lbas) * ss, arr, (size_t)nentries * esize);
    header(img, ss, 1, last, 2, 2 + arr_lbas, last - arr_lbas - 1, nentries, esize);
    header(img, ss, last, 1, last - arr_lbas, 2 + arr_lbas, last - arr_lbas - 1, nentries, esize);
}
