/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: GRUB legacy menu.lst with its default file, from any bytes. */
#include "cfgfuzz.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfgfuzz f;

    cfgfuzz_split(&f, data, size);
    cfgfuzz_run(&f, &pvb_engine_grub1, "/boot/grub/menu.lst");
    return 0;
}
