/* SPDX-License-Identifier: GPL-2.0-only */
/* LZO1X decompression (the format Linux's lzo1x_decompress_safe reads), every access bounds-checked. */
#ifndef PVB_UTIL_LZO_H
#define PVB_UTIL_LZO_H

#include <stddef.h>
#include <stdint.h>

/* Results; the names follow liblzo's LZO_E_* so messages read alike. */
enum pvb_lzo_result {
    PVB_LZO_OK = 0,
    PVB_LZO_INPUT_OVERRUN = -1,     /* the stream ends before its end marker */
    PVB_LZO_OUTPUT_OVERRUN = -2,    /* more output than the buffer holds */
    PVB_LZO_LOOKBEHIND = -3,        /* a match reaches before the start of the output */
    PVB_LZO_INPUT_NOT_CONSUMED = -4 /* bytes after the end marker */
};

/*
 * Decompress in[0..n) into out[0..cap); *got is the output length (also on
 * error: what was produced). Never reads or writes outside the buffers; the
 * work is bounded by n + cap. Only the original bitstream (version 0, what
 * lzo1x_1_compress writes and btrfs stores), not zram's LZO-RLE.
 */
int pvb_lzo1x_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got);
const char *pvb_lzo_strerror(int rc);

#endif
