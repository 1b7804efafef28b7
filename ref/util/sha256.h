/* SPDX-License-Identifier: GPL-2.0-only */
/* SHA-256 (FIPS 180-4), streaming: for comparing extracted kernels and initrds. */
#ifndef PVB_UTIL_SHA256_H
#define PVB_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct pvb_sha256 {
    uint32_t h[8];
    uint64_t nbytes;
    uint8_t block[64];
    size_t fill;
};

void pvb_sha256_init(struct pvb_sha256 *s);
void pvb_sha256_update(struct pvb_sha256 *s, const void *buf, size_t n);
void pvb_sha256_final(struct pvb_sha256 *s, uint8_t out[32]);
/* 64 lowercase hex digits and a NUL. */
void pvb_sha256_hex(const uint8_t digest[32], char out[65]);

#endif
