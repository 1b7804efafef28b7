/* SPDX-License-Identifier: GPL-2.0-only */
/* mkvhddiff: turn a dynamic vhd into a differencing child of another, for the oracle suite.
 *
 * usage: mkvhddiff CHILD PARENT NAME
 * qemu-img cannot make differencing vhds. CHILD (a dynamic vhd made by
 * qemu-img, as large as PARENT) is rewritten in place: footer type 4; the
 * header names PARENT by its footer UUID, by NAME (UTF-16) and by two
 * locators (MacX "file://./NAME" and W2ru ".\NAME", blktap2's pair); every
 * fifth allocated block is dropped from the BAT and in the others the bitmap
 * bits of every third run of 64 sectors are cleared, so that reads fall
 * through to the parent in all three ways. Offsets per the VHD specification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"

static FILE *f;

static void rd(void *buf, size_t n, long long off)
{
    if (fseeko(f, (off_t)off, SEEK_SET) != 0 || fread(buf, 1, n, f) != n) {
        perror("mkvhddiff: read");
        exit(1);
    }
}

static void wr(const void *buf, size_t n, long long off)
{
    if (fseeko(f, (off_t)off, SEEK_SET) != 0 || fwrite(buf, 1, n, f) != n) {
        perror("mkvhddiff: write");
        exit(1);
    }
}

static void fix_sum(uint8_t *b, size_t n, size_t field)
{
    uint32_t sum = 0;
    size_t i;

    pvb_put_be32(b + field, 0);
    for (i = 0; i < n; i++)
        sum += b[i];
    pvb_put_be32(b + field, ~sum);
}

static void locator(uint8_t *e, uint32_t code, uint32_t len, uint64_t off)
{
    pvb_put_be32(e, code);
    pvb_put_be32(e + 4, 1);  /* one sector of space */
    pvb_put_be32(e + 8, len);
    pvb_put_be64(e + 16, off);
}

/* Drop every fifth allocated block; clear every third run of 64 sectors. */
static void thin_blocks(const uint8_t *h)
{
    uint64_t bat = pvb_be64(h + 16);
    uint32_t n = pvb_be32(h + 28), bs = pvb_be32(h + 32), i, s, seen = 0;
    size_t bm = ((bs / 512 + 7) / 8 + 511) & ~(size_t)511;
    uint8_t e[4], *bits = malloc(bm);

    if (!bits)
        exit(1);
    for (i = 0; i < n; i++) {
        rd(e, 4, (long long)(bat + 4 * i));
        if (pvb_be32(e) == 0xffffffffu)
            continue;
        if (seen++ % 5 == 4) {
            pvb_put_be32(e, 0xffffffffu);
            wr(e, 4, (long long)(bat + 4 * i));
            continue;
        }
        rd(bits, bm, (long long)pvb_be32(e) * 512);
        for (s = 0; s < bs / 512; s++)
            if ((s / 64) % 3 == 1)
                bits[s / 8] &= (uint8_t)~(0x80 >> (s % 8));
        wr(bits, bm, (long long)pvb_be32(e) * 512);
    }
    free(bits);
}

int main(int argc, char **argv)
{
    uint8_t foot[512], pfoot[512], h[1024], sec[512];
    const char *name;
    long long end;
    size_t i, n;
    FILE *pf;

    if (argc != 4) {
        fprintf(stderr, "usage: mkvhddiff CHILD PARENT NAME\n");
        return 2;
    }
    name = argv[3];
    n = strlen(name);
    if (n > 200 || !(f = fopen(argv[1], "r+b")) || !(pf = fopen(argv[2], "rb")))
        return 1;
    if (fread(pfoot, 1, 512, pf) != 512 || memcmp(pfoot, "conectix", 8) != 0)
        return 1;
    fclose(pf);
    fseeko(f, 0, SEEK_END);
    end = (long long)ftello(f);
    rd(foot, 512, 0);
    rd(h, 1024, 512);
    thin_blocks(h);
    memcpy(h + 40, pfoot + 68, 16);            /* parent UUID */
    memset(h + 64, 0, 512);
    for (i = 0; i < n; i++)
        pvb_put_be16(h + 64 + 2 * i, (uint8_t)name[i]);
    /* Locator data where the footer was; the footer moves two sectors on. */
    memset(sec, 0, sizeof(sec));
    memcpy(sec, "file://./", 9);
    memcpy(sec + 9, name, n);
    wr(sec, 512, end - 512);
    memset(sec, 0, sizeof(sec));
    pvb_put_le16(sec, '.');
    pvb_put_le16(sec + 2, '\\');
    for (i = 0; i < n; i++)
        pvb_put_le16(sec + 4 + 2 * i, (uint8_t)name[i]);
    wr(sec, 512, end);
    locator(h + 576, 0x4d616358u, (uint32_t)(9 + n), (uint64_t)(end - 512));
    locator(h + 600, 0x57327275u, (uint32_t)(4 + 2 * n), (uint64_t)end);
    fix_sum(h, 1024, 36);
    wr(h, 1024, 512);
    pvb_put_be32(foot + 60, 4);
    fix_sum(foot, 512, 64);
    wr(foot, 512, 0);
    wr(foot, 512, end + 512);
    return fclose(f) == 0 ? 0 : 1;
}
