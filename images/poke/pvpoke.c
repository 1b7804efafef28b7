/* SPDX-License-Identifier: GPL-2.0-only */
/* pvpoke: write typed fields into an image file at byte offsets, and fix the checksums that cover them.
 *
 * usage: pvpoke FILE OP... where each OP is
 *   OFFSET TYPE VALUE   TYPE u8 le16 le32 le64 be16 be32 be64: VALUE (decimal or 0x hex);
 *                       zero: VALUE bytes of zeros; hex: VALUE as hex digit pairs;
 *                       str: VALUE's bytes
 *   vhdsum OFFSET       recompute the checksum of the 512-byte vhd footer (or copy)
 *                       at OFFSET (Virtual Hard Disk Image Format Specification,
 *                       footer field "Checksum" at 64: one's complement of the byte sum)
 *   gptcrc OFFSET       recompute the entry-array CRC32 and then the header CRC32 of
 *                       the GPT header at OFFSET (UEFI 2.x, 5.3.2), the array read
 *                       from the LBA the header names with 512-byte sectors
 *   btrfscsum OFFSET LEN   recompute the crc32c of the btrfs superblock or tree block
 *                       of LEN bytes at OFFSET (over bytes 32..LEN, stored little-endian
 *                       in its first 4 bytes; btrfs-progs kernel-shared/disk-io.c)
 *   lvmcrc OFFSET       recompute the checksums of the LVM2 metadata area whose
 *                       512-byte header is at OFFSET (lvm2 lib/format_text/layout.h):
 *                       the committed text's (raw_locn[0], wrapping to the area's
 *                       byte 512), unless it is longer than the area holds, then the
 *                       header's over its bytes 4..511; lvm2's calc_crc, seed 0xf597a6cf
 * The corpus uses it to pin fields tools fill with the clock or random numbers
 * (vhd timestamp and UUID) and to corrupt good images at named structures.
 * The file is never extended past its size: a write beyond it is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/bytes.h"
#include "util/crc.h"

#define SECTOR 512
#define GPT_MAX_ARRAY (1u << 20)  /* 4096 entries of 256 bytes: far above any real table */

static int parse_u64(const char *s, unsigned long long *v)
{
    char *end;

    errno = 0;
    *v = strtoull(s, &end, 0);
    return (end == s || *end != '\0' || errno) ? -1 : 0;
}

static int io(FILE *f, void *buf, size_t n, unsigned long long off, unsigned long long size,
              int write)
{
    if (off > size || n > size - off) {
        fprintf(stderr, "pvpoke: %zu bytes at %llu pass the end of the file (%llu)\n", n, off, size);
        return -1;
    }
    if (fseeko(f, (off_t)off, SEEK_SET) != 0 ||
        (write ? fwrite(buf, 1, n, f) : fread(buf, 1, n, f)) != n) {
        perror("pvpoke");
        return -1;
    }
    return 0;
}

static int hexbytes(const char *s, unsigned char *out, size_t *n)
{
    size_t len = strlen(s), i;

    if (len % 2 || len / 2 > *n)
        return -1;
    for (i = 0; i < len / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (unsigned char)v;
    }
    *n = len / 2;
    return 0;
}

/* Encode VALUE as TYPE into buf; *n is the byte count. */
static int encode(const char *type, const char *val, unsigned char *buf, size_t *n)
{
    static const struct { const char *name; size_t size; int be; } ints[] = {
        { "u8", 1, 0 }, { "le16", 2, 0 }, { "le32", 4, 0 }, { "le64", 8, 0 },
        { "be16", 2, 1 }, { "be32", 4, 1 }, { "be64", 8, 1 },
    };
    unsigned long long v;
    size_t i, k;

    if (strcmp(type, "str") == 0) {
        if (strlen(val) > *n)
            return -1;
        *n = strlen(val);
        memcpy(buf, val, *n);
        return 0;
    }
    if (strcmp(type, "hex") == 0)
        return hexbytes(val, buf, n);
    if (parse_u64(val, &v) != 0)
        return -1;
    if (strcmp(type, "zero") == 0) {
        if (v > *n)
            return -1;
        *n = (size_t)v;
        memset(buf, 0, *n);
        return 0;
    }
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (strcmp(type, ints[i].name) != 0)
            continue;
        if (ints[i].size < 8 && v >> (8 * ints[i].size))
            return -1;
        for (k = 0; k < ints[i].size; k++)
            buf[ints[i].be ? ints[i].size - 1 - k : k] = (unsigned char)(v >> (8 * k));
        *n = ints[i].size;
        return 0;
    }
    return -1;
}

static int vhdsum(FILE *f, unsigned long long off, unsigned long long size)
{
    unsigned char b[SECTOR];
    uint32_t sum = 0;
    size_t i;

    if (io(f, b, sizeof(b), off, size, 0) != 0)
        return -1;
    if (memcmp(b, "conectix", 8) != 0) {
        fprintf(stderr, "pvpoke: no vhd footer (\"conectix\") at %llu\n", off);
        return -1;
    }
    memset(b + 64, 0, 4);
    for (i = 0; i < sizeof(b); i++)
        sum += b[i];
    pvb_put_be32(b + 64, ~sum);
    return io(f, b + 64, 4, off + 64, size, 1);
}

static int gptcrc(FILE *f, unsigned long long off, unsigned long long size)
{
    unsigned char h[SECTOR], *arr;
    uint32_t hsize, nent, esize;
    unsigned long long aoff;
    int rc;

    if (io(f, h, sizeof(h), off, size, 0) != 0)
        return -1;
    hsize = pvb_le32(h + 12);
    aoff = pvb_le64(h + 72) * SECTOR;  /* PartitionEntryLBA */
    nent = pvb_le32(h + 80);
    esize = pvb_le32(h + 84);
    if (memcmp(h, "EFI PART", 8) != 0 || hsize < 92 || hsize > SECTOR || esize == 0 ||
        nent > GPT_MAX_ARRAY / esize) {
        fprintf(stderr, "pvpoke: no usable GPT header at %llu\n", off);
        return -1;
    }
    if (!(arr = malloc((size_t)nent * esize + 1)))
        return -1;
    rc = io(f, arr, (size_t)nent * esize, aoff, size, 0);
    if (rc == 0) {
        pvb_put_le32(h + 88, pvb_crc32(arr, (size_t)nent * esize));
        pvb_put_le32(h + 16, 0);
        pvb_put_le32(h + 16, pvb_crc32(h, hsize));
        rc = io(f, h, hsize, off, size, 1);
    }
    free(arr);
    return rc;
}

static int btrfscsum(FILE *f, unsigned long long off, unsigned long long len,
                     unsigned long long size)
{
    static unsigned char b[1 << 16];
    unsigned char sum[4];

    if (len < 32 || len > sizeof(b)) {
        fprintf(stderr, "pvpoke: btrfscsum: a block of %llu bytes\n", len);
        return -1;
    }
    if (io(f, b, (size_t)len, off, size, 0) != 0)
        return -1;
    pvb_put_le32(sum, pvb_crc32c(b + 32, (size_t)len - 32));
    return io(f, sum, 4, off, size, 1);
}

#define LVM_SEED 0xf597a6cfu
#define LVM_MDA_MAX (64ull << 20)

static int lvmcrc(FILE *f, unsigned long long off, unsigned long long size)
{
    unsigned char h[SECTOR], *text;
    unsigned long long asize, loff, lsize, first;
    int rc = 0;

    if (io(f, h, sizeof(h), off, size, 0) != 0)
        return -1;
    asize = pvb_le64(h + 32);
    loff = pvb_le64(h + 40);
    lsize = pvb_le64(h + 48);
    if (memcmp(h + 4, " LVM2 x[5A%r0N*>", 16) != 0 || asize < SECTOR || asize > LVM_MDA_MAX) {
        fprintf(stderr, "pvpoke: no usable LVM2 metadata area header at %llu\n", off);
        return -1;
    }
    if (loff >= SECTOR && loff < asize && lsize > 0 && lsize <= asize - SECTOR) {
        if (!(text = malloc((size_t)lsize)))
            return -1;
        first = asize - loff < lsize ? asize - loff : lsize;
        rc = io(f, text, (size_t)first, off + loff, size, 0);
        if (rc == 0 && first < lsize)
            rc = io(f, text + first, (size_t)(lsize - first), off + SECTOR, size, 0);
        if (rc == 0)
            pvb_put_le32(h + 56, pvb_crc32_update(LVM_SEED, text, (size_t)lsize));
        free(text);
    }
    if (rc == 0) {
        pvb_put_le32(h, pvb_crc32_update(LVM_SEED, h + 4, sizeof(h) - 4));
        rc = io(f, h, sizeof(h), off, size, 1);
    }
    return rc;
}

int main(int argc, char **argv)
{
    static unsigned char buf[1 << 16];
    unsigned long long size, off;
    struct stat st;
    FILE *f;
    int i, rc = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: pvpoke FILE {OFFSET TYPE VALUE | vhdsum OFFSET | gptcrc OFFSET | btrfscsum OFFSET LEN | lvmcrc OFFSET}...\n");
        return 2;
    }
    if (!(f = fopen(argv[1], "r+b")) || fstat(fileno(f), &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    size = (unsigned long long)st.st_size;
    for (i = 2; i < argc && rc == 0; ) {
        if ((strcmp(argv[i], "vhdsum") == 0 || strcmp(argv[i], "gptcrc") == 0 ||
             strcmp(argv[i], "lvmcrc") == 0) && i + 1 < argc) {
            if (parse_u64(argv[i + 1], &off) != 0)
                rc = -1;
            else if (argv[i][0] == 'v')
                rc = vhdsum(f, off, size);
            else if (argv[i][0] == 'g')
                rc = gptcrc(f, off, size);
            else
                rc = lvmcrc(f, off, size);
            i += 2;
        } else if (strcmp(argv[i], "btrfscsum") == 0 && i + 2 < argc) {
            unsigned long long len;

            if (parse_u64(argv[i + 1], &off) != 0 || parse_u64(argv[i + 2], &len) != 0)
                rc = -1;
            else
                rc = btrfscsum(f, off, len, size);
            i += 3;
        } else if (i + 2 < argc) {
            size_t n = sizeof(buf);
            if (parse_u64(argv[i], &off) != 0 || encode(argv[i + 1], argv[i + 2], buf, &n) != 0) {
                fprintf(stderr, "pvpoke: bad operation '%s %s %s'\n", argv[i], argv[i + 1], argv[i + 2]);
                rc = -1;
            } else {
                rc = io(f, buf, n, off, size, 1);
            }
            i += 3;
        } else {
            fprintf(stderr, "pvpoke: incomplete operation at '%s'\n", argv[i]);
            rc = -1;
        }
    }
    if (fclose(f) != 0) {
        perror("pvpoke: close");
        rc = -1;
    }
    return rc ? 1 : 0;
}
