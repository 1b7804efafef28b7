/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_part: small MBR, logical-chain and GPT images built in memory. */
#include <stdlib.h>

#include "../../unit/imgbuild.h"
#include "seeds.h"

void seeds_part(const char *dir)
{
    struct ib_gpt_part gp[3] = {
        { 8, 15, 1, 0, "a" }, { 16, 31, 2, 4, "boot" }, { 32, 40, 3, 0, "c" }
    };
    uint8_t *img;
    size_t n = 64 * 512;
    unsigned i;

    img = ib_new(n);
    ib_mbr_entry(img, 0, 0, 0x80, 0x83, 2, 10);
    ib_mbr_entry(img, 0, 1, 0, 0x8e, 12, 10);
    seed_put(dir, "fuzz_part", "mbr-primary", img, n);
    /* Extended at sector 24 with three logicals, each EBR 8 sectors apart. */
    ib_mbr_entry(img, 0, 2, 0, 0x05, 24, 24);
    for (i = 0; i < 3; i++) {
        ib_mbr_entry(img, (24 + 8 * i) * 512, 0, 0, 0x83, 1, 4);
        if (i < 2)
            ib_mbr_entry(img, (24 + 8 * i) * 512, 1, 0, 0x05, 8 * (i + 1), 8);
    }
    seed_put(dir, "fuzz_part", "mbr-logical", img, n);
    ib_mbr_entry(img, (24 + 16) * 512, 1, 0, 0x05, 0, 8);
    seed_put(dir, "fuzz_part", "mbr-loop", img, n);
    free(img);

    img = ib_new(n);
    ib_gpt(img, n, 512, gp, 3, 4, 128);
    seed_put(dir, "fuzz_part", "gpt-512", img, n);
    free(img);

    n = 64 * 4096;
    img = ib_new(n);
    gp[0].first = 4;
    gp[0].last = 7;
    ib_gpt(img, n, 4096, gp, 3, 4, 128);
    seed_put(dir, "fuzz_part", "gpt-4096", img, n);
    free(img);
}
