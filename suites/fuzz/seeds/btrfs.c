/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_btrfs: images made by mkfs.btrfs --rootdir, cut into their non-zero 4 KiB blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seeds.h"

#define BLK 4096u
#define NBLK 32768u

/* Run a shell command; 0 when it succeeded. */
static int sh(const char *cmd)
{
    return system(cmd);
}

/* The image's non-zero blocks as fuzz_btrfs's records (block number, then the block). */
static void cut(const char *dir, const char *name, const char *img)
{
    FILE *f = fopen(img, "rb");
    uint8_t blk[BLK], zero[BLK], *out = NULL;
    size_t len = 0, cap = 0;
    unsigned b;

    if (!f)
        return;
    memset(zero, 0, sizeof(zero));
    for (b = 0; b < NBLK && fread(blk, 1, BLK, f) == BLK; b++) {
        if (memcmp(blk, zero, BLK) == 0)
            continue;
        if (len + 2 + BLK > cap) {
            cap = cap ? 2 * cap : 65536;
            if (!(out = realloc(out, cap)))
                abort();
        }
        out[len] = (uint8_t)b;
        out[len + 1] = (uint8_t)(b >> 8);
        memcpy(out + len + 2, blk, BLK);
        len += 2 + BLK;
    }
    fclose(f);
    if (len)
        seed_put(dir, "fuzz_btrfs", name, out, len);
    free(out);
}

/*
 * A small tree (a config, a kernel in regular extents, inline files, links, a
 * directory over several leaves) in 4 KiB nodes, SINGLE and DUP metadata.
 * Without mkfs.btrfs (btrfs-progs) there are no seeds, and the fuzzer starts
 * from its crash inputs alone.
 */
void seeds_btrfs(const char *dir)
{
    char tmp[] = "/tmp/pvb-btrfs-seed.XXXXXX", cmd[2048];
    const char *opts[2][2] = { { "single", "-m single" }, { "dup", "-m dup" } };
    int i;

    if (!mkdtemp(tmp))
        return;
    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p t/boot/grub t/d && printf 'set default=0\\n' > t/boot/grub/grub.cfg"
             " && head -c 9000 /dev/zero | tr '\\0' k > t/boot/vmlinuz-1 && ln -s vmlinuz-1 "
             "t/boot/vmlinuz && echo hello > t/small && ln -s small t/link && for i in $(seq 1 "
             "60); do echo $i > t/d/file-$i; done", tmp);
    if (sh(cmd) == 0) {
        for (i = 0; i < 2; i++) {
            snprintf(cmd, sizeof(cmd), "cd %s && rm -f i.img && truncate -s 128M i.img && "
                     "mkfs.btrfs -q -f -n 4096 --shrink %s -r t i.img >/dev/null 2>&1", tmp,
                     opts[i][1]);
            if (sh(cmd) == 0) {
                snprintf(cmd, sizeof(cmd), "%s/i.img", tmp);
                cut(dir, opts[i][0], cmd);
            }
        }
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
    (void)sh(cmd);
}
