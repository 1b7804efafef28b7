/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the btrfs driver over a sparse disk the input patches, and the LZO1X decoder over the raw input. */
#include <string.h>

#include "fuzz.h"
#include "fuzzfs.h"
#include "util/lzo.h"

/*
 * A btrfs image is tens of MiB even when shrunk (chunks sit megabytes
 * apart), almost all zeros. So the input is a list of records: a 2-byte
 * little-endian block number, then the block's 4 KiB, patched into a
 * zeroed 128 MiB disk (blocks past it wrap). Mutating a record's bytes
 * mutates a node or a superblock; the seeds (seeds/btrfs.c) are images made
 * by mkfs.btrfs cut into their non-zero blocks.
 */
#define BLK 4096u
#define NBLK 32768u
#define REC (2u + BLK)

static uint8_t disk[(size_t)NBLK * BLK];
static uint16_t used[NBLK];

static const char *const paths[] = { "/boot/grub/grub.cfg", "/boot/vmlinuz", "/link", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[65536];
    size_t i, n = 0, got;

    (void)pvb_lzo1x_decompress(data, size, out, sizeof(out), &got);
    for (i = 0; i + REC <= size && n < NBLK; i += REC) {
        unsigned b = (unsigned)(data[i] | data[i + 1] << 8) % NBLK;

        memcpy(disk + (size_t)b * BLK, data + i + 2, BLK);
        used[n++] = (uint16_t)b;
    }
    fuzz_fs_walk(disk, sizeof(disk), "btrfs", 0, paths);
    while (n > 0)
        memset(disk + (size_t)used[--n] * BLK, 0, BLK);
    return 0;
}
