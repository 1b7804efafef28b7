/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the ReiserFS driver over any bytes: mount, walk every path, read every file and link (fuzzfs.h). */
#include "fuzz.h"
#include "fuzzfs.h"

static const char *const paths[] = { "/boot/grub/grub.cfg", "/vmlinuz", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_fs_walk(data, size, "reiserfs", 0, paths);
}
