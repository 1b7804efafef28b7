/* SPDX-License-Identifier: GPL-2.0-only */
/* pvpayload: deterministic pseudo-random file contents for test images (kernels, initrds).
 *
 * usage: pvpayload SIZE SEED [OUT]
 *   SIZE  bytes, with an optional K, M or G suffix (powers of 1024)
 *   SEED  any string; the same SIZE and SEED always give the same bytes
 *   OUT   file to write (default stdout)
 * The bytes are SHA-256(SEED) fed to xorshift64*: incompressible, so a
 * ramdisk that comes out wrong cannot match by accident, and never all zeros,
 * so a hole read as data shows up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"
#include "util/sha256.h"

static int parse_size(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10), mul = 1;

    if (end == s)
        return -1;
    switch (*end) {
    case 'K': mul = 1ull << 10; end++; break;
    case 'M': mul = 1ull << 20; end++; break;
    case 'G': mul = 1ull << 30; end++; break;
    default: break;
    }
    if (*end != '\0' || (v && mul > ~0ull / v))
        return -1;
    *out = v * mul;
    return 0;
}

int main(int argc, char **argv)
{
    static uint8_t buf[1 << 16];
    unsigned long long size;
    struct pvb_sha256 s;
    uint8_t d[32];
    uint64_t x;
    FILE *out = stdout;

    if (argc < 3 || argc > 4 || parse_size(argv[1], &size) != 0) {
        fprintf(stderr, "usage: pvpayload SIZE[K|M|G] SEED [OUT]\n");
        return 2;
    }
    if (argc == 4 && !(out = fopen(argv[3], "wb"))) {
        perror(argv[3]);
        return 1;
    }
    pvb_sha256_init(&s);
    pvb_sha256_update(&s, argv[2], strlen(argv[2]));
    pvb_sha256_final(&s, d);
    x = pvb_le64(d) | 1;  /* xorshift state must not be zero */
    while (size > 0) {
        size_t n = size < sizeof(buf) ? (size_t)size : sizeof(buf), i;

        for (i = 0; i < n; i += 8) {
            uint64_t v;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            v = x * 0x2545f4914f6cdd1dull;
            pvb_put_le64(buf + i, v);  /* buf is a multiple of 8; extra bytes unused */
        }
        if (fwrite(buf, 1, n, out) != n) {
            perror("pvpayload: write");
            return 1;
        }
        size -= n;
    }
    if (fclose(out) != 0) {
        perror("pvpayload: close");
        return 1;
    }
    return 0;
}
