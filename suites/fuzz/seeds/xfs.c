/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_xfs: small v4 and v5 filesystems built in memory (every dir and map form). */
#include <string.h>

#include "../../unit/xfsbuild.h"
#include "seeds.h"

/* A file whose 24 extents live in a BMBT of two leaves. */
static void bmbt_seed(const char *dir, int v5)
{
    static const char *const name[1] = { "f" };
    struct xb_ext e[24];
    struct xb x;
    uint64_t first, ino;
    unsigned i;

    xb_init(&x, v5, 10);
    first = xb_alloc(&x, 24);
    for (i = 0; i < 24; i++) {
        e[i].off = 2 * (uint64_t)i;
        e[i].blk = first + 23 - i;
        e[i].len = 1;
        e[i].unwritten = i % 5 == 4;
        memset(xb_block(&x, e[i].blk), 'a' + (int)i, 1024);
    }
    ino = xb_new_inode(&x, 0100644, 3, 48 * 1024);
    xb_set_bmbt(&x, ino, e, 24, 12);
    xb_root_short(&x, 1, name, &ino);
    xb_finish(&x);
    seed_put(dir, "fuzz_xfs", v5 ? "v5-bmbt" : "v4-bmbt", x.img, x.size);
    xb_free(&x);
}

void seeds_xfs(const char *dir)
{
    struct xb x;

    xb_sample(&x, 1, 1);
    xb_finish(&x);
    seed_put(dir, "fuzz_xfs", "v5-tree", x.img, x.size);
    xb_free(&x);
    xb_sample(&x, 0, 1);
    xb_finish(&x);
    seed_put(dir, "fuzz_xfs", "v4-ftype-tree", x.img, x.size);
    xb_free(&x);
    xb_sample(&x, 0, 0);
    xb_finish(&x);
    seed_put(dir, "fuzz_xfs", "v4-tree", x.img, x.size);
    xb_free(&x);
    bmbt_seed(dir, 1);
    bmbt_seed(dir, 0);
}
