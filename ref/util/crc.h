/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC32 (IEEE 802.3, for GPT) and CRC32C (Castagnoli, for XFS v5 and ext4). */
#ifndef PVB_UTIL_CRC_H
#define PVB_UTIL_CRC_H

#include <stddef.h>
#include <stdint.h>

/*
 * The *_update functions run the raw reflected register with no inversion,
 * so callers can chain buffers and choose their own seed: ext4 keeps the raw
 * register (ext4_chksum), XFS inverts at the end (xfs_end_cksum).
 * pvb_crc32()/pvb_crc32c() are the conventional one-shot forms:
 * ~update(~0, buf, n), e.g. "123456789" -> 0xcbf43926 / 0xe3069283.
 */
uint32_t pvb_crc32_update(uint32_t reg, const void *buf, size_t n);
uint32_t pvb_crc32c_update(uint32_t reg, const void *buf, size_t n);
uint32_t pvb_crc32(const void *buf, size_t n);
uint32_t pvb_crc32c(const void *buf, size_t n);

#endif
