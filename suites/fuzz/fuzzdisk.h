/* SPDX-License-Identifier: GPL-2.0-only */
/* What the image-format fuzz targets share: open any bytes as one format and read across it. */
#ifndef PVB_FUZZ_FUZZDISK_H
#define PVB_FUZZ_FUZZDISK_H

#include <stddef.h>
#include <stdint.h>

/* Open data as an image of format (forced, so the driver always runs), read
 * its start and points spread over the whole virtual disk, close it; abort()
 * on a leak, an unknown error code or a disk larger than its reads allow. */
int fuzz_disk_format(const uint8_t *data, size_t size, const char *format);

#endif
