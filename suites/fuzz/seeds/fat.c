/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_fat: small FAT12/16/32 volumes built in memory (long names, fragments, dirs). */
#include <string.h>

#include "../../unit/fatbuild.h"
#include "seeds.h"

static uint8_t data[12 * 1024];

static void common(struct fb *f, uint32_t root)
{
    uint32_t boot, grub;
    uint16_t u[13] = { 'b', 'a', 'd', 0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
                       0xFFFF, 0xFFFF, 0xFFFF };
    uint8_t e[32];

    boot = fb_mkdir(f, root, NULL, "BOOT       ");
    grub = fb_mkdir(f, boot, NULL, "GRUB       ");
    fb_file(f, boot, "vmlinuz-6.1.0-13-amd64", "VMLINU~1   ", data, sizeof(data), 2);
    fb_file(f, grub, NULL, "GRUB    CFG", "set default=0\n", 14, 1);
    fb_file(f, root, "grüße-😀.txt", "GRE-~1  TXT", "x", 1, 1);
    fb_lfn(e, 0x41, 0, u);   /* a long name whose checksum is wrong */
    fb_raw(f, root, e);
    fb_file(f, root, NULL, "README  TXT", data, 3000, 1);
}

/* The FAT16/32 seeds hold only what is used: the volume claims more sectors than the
 * seed has (a warning), so each is a few dozen KiB. */
static void put(struct fb *f, const char *dir, const char *name, int whole)
{
    size_t used = (size_t)f->data_off + (size_t)(f->next - 2) * f->csize;

    seed_put(dir, "fuzz_fat", name, f->img, whole || used > f->size ? f->size : used);
    fb_free(f);
}

void seeds_fat(const char *dir)
{
    struct fb f;
    size_t i;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 31 + 7);
    fb_new(&f, 12, 400, 1, 64);
    common(&f, 0);
    put(&f, dir, "fat12", 1);
    fb_new(&f, 16, 8192, 1, 32);
    common(&f, 0);
    put(&f, dir, "fat16", 0);
    fb_new(&f, 32, 8192, 1, 0);
    common(&f, f.root_cluster);
    put(&f, dir, "fat32", 0);
}
