/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_ext: small ext2/3/4 images built in memory, one per mapping and directory form. */
#include <string.h>

#include "../../unit/extbuild.h"
#include "seeds.h"

#define FT EB_IN_FILETYPE
#define EXT4 (EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT)

static void common(struct eb *e, enum eb_how how)
{
    static uint8_t data[20 * 1024];
    uint32_t boot;
    size_t i;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 31 + 7);
    boot = eb_mkdir(e, 2, "boot", how);
    eb_file(e, boot, "vmlinuz-1", data, sizeof(data), how);   /* past the direct blocks */
    eb_file(e, boot, "grub.cfg", "default=0\n", 10, how);
    eb_symlink(e, boot, "vmlinuz", "vmlinuz-1", how);
    eb_symlink(e, 2, "slow", "/boot/./../boot/vmlinuz-1/////////////////////////////////////////"
               "///////////", how);
    eb_symlink(e, 2, "loop", "loop", how);
}

static void put(struct eb *e, const char *dir, const char *name)
{
    eb_finish(e);
    seed_put(dir, "fuzz_ext", name, e->img, e->size);
    eb_free(e);
}

void seeds_ext(const char *dir)
{
    static const uint32_t holes[] = { 2, 12 + 40, 12 + 256 + 9 };
    static const char text[] = "inline file data, longer than sixty bytes so part of it "
                               "sits in the xattr";
    uint32_t nodes[64];
    unsigned nn;
    struct eb e;

    eb_new(&e, 0, 128, 96, 32, FT, 0);
    common(&e, EB_BLOCKMAP);
    eb_sparse(&e, 2, "sparse", 300 * 1024, holes, 3, EB_BLOCKMAP);
    put(&e, dir, "ext2-blockmap");

    eb_new(&e, 0, 256, 128, 32, EXT4, EB_RO_METADATA_CSUM);
    common(&e, EB_EXTENTS);
    eb_tree(&e, 2, "deep", 12, 2, 2, nodes, &nn);
    put(&e, dir, "ext4-extents-csum");

    eb_new(&e, 2, 256, 16, 16, EXT4 | EB_IN_INLINE_DATA, 0);
    eb_file(&e, eb_mkdir(&e, 2, "inl", EB_INLINE), "f", text, strlen(text), EB_INLINE);
    eb_symlink(&e, 2, "l", "inl/f", EB_INLINE);
    put(&e, dir, "ext4-inline");
}
