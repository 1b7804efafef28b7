/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the FAT driver over any bytes: mount, walk every path, read every file and link (fuzzfs.h). */
#include "fuzz.h"
#include "fuzzfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_fs_walk(data, size, "fat", FUZZ_FS_UPPER, NULL);
}
