/* SPDX-License-Identifier: GPL-2.0-only */
/* Writes the seed inputs of every fuzz target (valid inputs built in memory or from files).
 *
 * usage: mkseeds DIR   (creates DIR/<target>/<seed> files)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "seeds.h"

static void make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
}

void seed_put(const char *dir, const char *target, const char *name, const uint8_t *buf,
              size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, target);
    make_dir(path);
    snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
    f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkseeds DIR\n");
        return 2;
    }
    make_dir(argv[1]);
    seeds_part(argv[1]);
    seeds_ext(argv[1]);
    seeds_formats(argv[1]);
    seeds_conform(argv[1]);
    seeds_cfg(argv[1]);
    seeds_xfs(argv[1]);
    seeds_iso9660(argv[1]);
    seeds_fat(argv[1]);
    seeds_reiserfs(argv[1]);
    seeds_btrfs(argv[1]);
    seeds_boot(argv[1]);
    seeds_lvm(argv[1]);
    seeds_pe(argv[1]);
    return 0;
}
