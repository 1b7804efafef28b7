/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_reiserfs: small 3.5 and 3.6 filesystems built in memory (every item kind). */
#include <stdlib.h>
#include <string.h>

#include "../../unit/reiserbuild.h"
#include "seeds.h"

/* A tree with directories, a tail, an indirect file, a hole and symlinks; blocks of bs
 * bytes in an image of size bytes (the superblock alone sits at 64 KiB). */
static void tree_seed(const char *dir, const char *name, unsigned bs, size_t size, int v35,
                      unsigned hash, const struct rb_opts *o)
{
    uint8_t *img = calloc(1, size), data[3000];
    struct rb *b;
    unsigned i;

    if (!img)
        abort();
    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 31 + 7);
    memset(data + 1024, 0, 1024);
    b = rb_format(img, size, bs, v35, hash, o);
    if (!b || rb_mkdir(b, "boot", 0755) || rb_mkdir(b, "boot/grub", 0755) ||
        rb_file(b, "boot/grub/menu.lst", 0644, "default 0\ntitle x\nkernel /vmlinuz\n", 34) ||
        rb_file(b, "boot/vmlinuz-2.6.16", 0644, data, sizeof(data)) ||
        rb_file(b, "boot/tail", 0644, data, bs + 100) ||
        rb_symlink(b, "boot/vmlinuz", "vmlinuz-2.6.16") || rb_symlink(b, "abs", "/boot/tail") ||
        rb_mkdir(b, "d", 0755) || rb_file(b, "d/a", 0600, "a", 1) ||
        rb_file(b, "d/b", 0600, "bb", 2) || rb_file(b, "d/c", 0600, "", 0) || rb_commit(b))
        abort();
    rb_free(b);
    seed_put(dir, "fuzz_reiserfs", name, img, size);
    free(img);
}

void seeds_reiserfs(const char *dir)
{
    struct rb_opts deep = { .leaf_max = 200, .fanout = 3, .holes = 1 };
    struct rb_opts notail = { .notail = 1, .holes = 1 };

    tree_seed(dir, "v36-r5-512", 512, 65536 + 128 * 512, 0, 3, NULL);
    tree_seed(dir, "v35-tea-512-deep", 512, 65536 + 160 * 512, 1, 1, &deep);
    tree_seed(dir, "v36-rupasov-1k-notail", 1024, 65536 + 48 * 1024, 0, 2, &notail);
}
