/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the qcow2 image driver over any bytes (header, tables, data reads). */
#include "fuzz.h"
#include "fuzzdisk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_disk_format(data, size, "qcow2");
}
