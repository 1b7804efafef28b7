/* Writes the seed inputs of every fuzz target: small valid images built in memory.
 *
 * usage: mkseeds DIR   (creates DIR/<target>/<seed> files)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../unit/imgbuild.h"

static const char *outdir;

static void put(const char *target, const char *name, const uint8_t *buf, size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", outdir, target);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
    f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void part_seeds(void)
{
    struct ib_gpt_part gp[3] = {
        { 8, 15, 1, 0, "a" }, { 16, 31, 2, 4, "boot" }, { 32, 40, 3, 0, "c" }
    };
    uint8_t *img;
    size_t n = 64 * 512;
    unsigned i;

    img = ib_new(n);
    ib_mbr_entry(img, 0, 0, 0x80, 0x83, 2, 10);
    ib_mbr_entry(img, 0, 1, 0, 0x8e, 12, 10);
    put("fuzz_part", "mbr-primary", img, n);
    /* Extended at sector 24 with three logicals, each EBR 8 sectors apart. */
    ib_mbr_entry(img, 0, 2, 0, 0x05, 24, 24);
    for (i = 0; i < 3; i++) {
        ib_mbr_entry(img, (24 + 8 * i) * 512, 0, 0, 0x83, 1, 4);
        if (i < 2)
            ib_mbr_entry(img, (24 + 8 * i) * 512, 1, 0, 0x05, 8 * (i + 1), 8);
    }
    put("fuzz_part", "mbr-logical", img, n);
    ib_mbr_entry(img, (24 + 16) * 512, 1, 0, 0x05, 0, 8);
    put("fuzz_part", "mbr-loop", img, n);
    free(img);

    img = ib_new(n);
    ib_gpt(img, n, 512, gp, 3, 4, 128);
    put("fuzz_part", "gpt-512", img, n);
    free(img);

    n = 64 * 4096;
    img = ib_new(n);
    gp[0].first = 4;
    gp[0].last = 7;
    ib_gpt(img, n, 4096, gp, 3, 4, 128);
    put("fuzz_part", "gpt-4096", img, n);
    free(img);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkseeds DIR\n");
        return 2;
    }
    outdir = argv[1];
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        perror(outdir);
        return 1;
    }
    part_seeds();
    return 0;
}
