/* SPDX-License-Identifier: GPL-2.0-only */
/* Small PE/COFF images built in memory, for the PE and systemd-boot suites and fuzz seeds. */
#ifndef PVB_TEST_PEBUILD_H
#define PVB_TEST_PEBUILD_H

#include <stddef.h>
#include <stdint.h>

struct pe_sec {
    const char *name;         /* at most 8 bytes */
    const void *data;
    size_t len;
};

/* A PE image for machine with sections s[0..n) after the headers (e_lfanew 64, a
 * 240-byte optional header), each at a 16-byte boundary, VirtualSize its length.
 * Returns the image's length, 0 if cap is too small. Offsets of the headers:
 * PEB_LFANEW, PEB_NSECT, PEB_TABLE; section i's entry at PEB_TABLE + 40 * i. */
#define PEB_LFANEW 0x3c
#define PEB_NSECT (64 + 6)
#define PEB_TABLE (64 + 24 + 240)
size_t pebuild(uint8_t *buf, size_t cap, uint16_t machine, const struct pe_sec *s, unsigned n);

#endif
