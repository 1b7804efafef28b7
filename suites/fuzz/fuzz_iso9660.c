/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the ISO 9660 driver over any bytes: mount, walk every path, read every file and link (fuzzfs.h). */
#include "fuzz.h"
#include "fuzzfs.h"

static const char *const paths[] = { "/boot/grub/grub.cfg", "/boot/vmlinuz-link", "/BOOT/VMLINUZ", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_fs_walk(data, size, "iso9660", FUZZ_FS_UPPER, paths);
}
