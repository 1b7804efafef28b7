/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_boot: configs on built disks, one per construct the boot layer resolves, and raw disks. */
#include <stdlib.h>
#include <string.h>

#include "../../unit/bootdisk.h"
#include "seeds.h"

/* LAYOUT FLAGS CONFIG (\x01 PATH \n DATA)*: see fuzz_boot.c. Flags' low 3 bits
 * pick the config's path: 0 /boot/grub/grub.cfg, 3 extlinux.conf, 4 menu.lst. */
static const struct {
    const char *name;
    uint8_t layout, flags;
    const char *text;
} cases[] = {
    { "grub2-plain", BD_MSDOS1, 0x00,
      "set default=0\nmenuentry 'A' {\n linux /boot/vmlinuz-1 ro quiet\n"
      " initrd /boot/initrd-1.img /boot/initrd-2.img\n}\n" },
    { "grub2-devices", BD_MSDOS2, 0x08,
      "menuentry 'x' { set root=(hd0,msdos1); linux /boot/vmlinuz-x; initrd (hd0,msdos1)/boot/initrd-x.img (hd0,msdos2)/boot/initrd-1.img; }\n"
      "menuentry 'y' { linux (hd1)/vmlinuz }\nmenuentry 'z' { linux (hd0,msdos99999999999)/vmlinuz }\n"
      "menuentry 'l' { linux (lvm/vg-root)/vmlinuz }\nmenuentry 'm' { linux (md/0)/vmlinuz }\n"
      "menuentry 'r' { linux ($root)/boot/up }\nmenuentry 'w' { linux (hd0,gpt2)/vmlinuz }\n"
      "menuentry 'n' { linux (hd0,msdos1,bsd1)/vmlinuz }\nmenuentry 'h' { linux (hd0)/vmlinuz }\n"
      "fallback=1 2 3 4 5 6 7 8\n" },
    { "grub2-gpt-search", BD_GPT, 0x18,
      "search --no-floppy --fs-uuid --set=root 5eed0000-0000-4000-8000-000000000042\n"
      "menuentry 'by uuid' { linux /boot/vmlinuz-x; initrd /boot/initrd-x.img; }\n"
      "menuentry 'by label' { search --label pvbtest --set=r2; linux ($r2)/boot/vmlinuz-2; }\n"
      "menuentry 'by file' { search --file /boot/initrd-2.img; linux /boot/vmlinuz-1; }\n"
      "menuentry 'no match' { search --fs-uuid 00000000-0000-0000-0000-000000000000; linux /vmlinuz; }\n"
      "menuentry 'gpt2' { linux (hd0,gpt2)/vmlinuz; }\nmenuentry 'gpt99' { linux (hd0,gpt99)/vmlinuz; }\n"
      "menuentry 'fs_uuid' { search.fs_uuid a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf root; linux /vmlinuz; }\n"
      "set fallback=\"1 2 3 4 5 6\"\n" },
    { "grub2-logical-paths", BD_LOGICAL, 0x10,
      "set root='hd0,msdos5'\nset fallback=\"1 2 3 4 5 6 7 8 9\"\nmenuentry 'dots' { linux /boot/../boot/./vmlinuz-1 a=\"b c\"; initrd /boot/abs /boot/up; }\n"
      "menuentry 'loop' { linux /boot/loop; }\nmenuentry 'pingpong' { linux /boot/ping; }\n"
      "menuentry 'dir' { linux /boot/grub; }\nmenuentry 'dirlink' { linux /boot/dirlink; }\n"
      "menuentry 'dangling' { linux /boot/dangling; }\nmenuentry 'missing' { linux /boot/nope; }\n"
      "menuentry 'initrds' { linux /vmlinuz; initrd /boot/initrd-1.img /boot/empty /boot/initrd-1.img "
      "/boot/initrd-2.img /boot/initrd-1.img /boot/initrd-1.img /boot/initrd-2.img /boot/initrd-1.img; }\n"
      "menuentry 'msdos5' { linux (hd0,msdos5)/boot/vmlinuz-x; }\nmenuentry 'msdos1' { linux (hd0,1)/vmlinuz; }\n" },
    { "grub2-grubenv", BD_MSDOS1, 0x00,
      "if [ -s $prefix/grubenv ]; then load_env; fi\nif [ \"${next_entry}\" ]; then set default=\"${next_entry}\"; "
      "else set default=\"${saved_entry}\"; fi\nmenuentry 'A' --id a { linux /boot/vmlinuz-1; }\n"
      "menuentry 'B' --id b { linux /boot/vmlinuz-2 $extra; initrd /boot/initrd-2.img; }\n"
      "\x01/boot/grub/grubenv\n# GRUB Environment Block\nsaved_entry=b\nextra=x=1\n"
      "#######################################################################\n" },
    { "grub2-bls", BD_MSDOS1, 0x40,
      "set kernelopts=\"root=/dev/xvda1 ro\"\ninsmod blscfg\nblscfg\n"
      "\x01/boot/loader/entries/m-5.14.0-1.el9.conf\ntitle EL9 new\nversion 5.14.0-1.el9\n"
      "linux /boot/vmlinuz-2\ninitrd /boot/initrd-2.img\noptions $kernelopts\n"
      "\x01/boot/loader/entries/m-5.14.0-0.el9.conf\ntitle EL9 old\nversion 5.14.0-0.el9\n"
      "linux /vmlinuz\ninitrd /boot/initrd-1.img\noptions $kernelopts quiet\n" },
    { "grub2-source", BD_MSDOS2, 0x00,
      "source /boot/grub/extra.cfg\nmenuentry 'main' { linux /boot/vmlinuz-1 $v; }\n"
      "\x01/boot/grub/extra.cfg\nset v=from-source\nset default=main\n" },
    { "grub2-root-unset", BD_NONE, 0x20,
      "set root=\nmenuentry 'a' { linux /boot/vmlinuz-1; }\nmenuentry 'b' { set root=(hd0); linux /boot/vmlinuz-2; }\n" },
    { "grub2-offset", BD_GPT, 0x88,
      "menuentry 'a' { linux (hd0,gpt2)/boot/vmlinuz-1; }\nmenuentry 'b' { linux (hd0,gpt1)/boot/vmlinuz-x; }\n" },
    { "extlinux", BD_MSDOS1, 0x03,
      "default b\nlabel a\n kernel /boot/vmlinuz-1\n append ro\nlabel b\n kernel ../vmlinuz\n"
      " initrd /boot/initrd-1.img,/boot/initrd-2.img\n append root=/dev/xvda1\n" },
    { "menu.lst", BD_MSDOS2, 0x0c,
      "default 1\nfallback 0\ntitle a\nroot (hd0,1)\nkernel /boot/vmlinuz-1 ro\ntitle b\nroot (hd0,0)\n"
      "kernel /boot/vmlinuz-x ro\ninitrd /boot/initrd-x.img\ntitle c\nroot (hd1,0)\nkernel /vmlinuz\n" },
    { "menu.lst-saved", BD_GPT, 0x04,
      "default saved\ntitle a\nkernel /boot/vmlinuz-1\ntitle b\nkernel /boot/missing\n"
      "\x01/boot/grub/default\n1\n" },
};

/* A built disk as a raw-mode input: layout byte 5 (raw), flags, then the bytes. */
static void raw_seed(const char *dir, const char *name, enum bootdisk_layout layout, const char *cfg)
{
    struct bootdisk_file f = { "/boot/grub/grub.cfg", 19, cfg, strlen(cfg) };
    struct bootdisk d;
    uint8_t *buf;

    bootdisk_build(layout, 0, &f, 1, &d);
    buf = malloc(d.size + 2);
    if (!buf)
        abort();
    buf[0] = BD_NLAYOUTS;
    buf[1] = 0;
    memcpy(buf + 2, d.img, d.size);
    seed_put(dir, "fuzz_boot", name, buf, d.size + 2);
    free(buf);
    free(d.img);
}

void seeds_boot(const char *dir)
{
    static uint8_t buf[4096];
    size_t i, n;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        n = strlen(cases[i].text);
        if (n + 2 > sizeof(buf))
            abort();
        buf[0] = cases[i].layout;
        buf[1] = cases[i].flags;
        memcpy(buf + 2, cases[i].text, n);
        seed_put(dir, "fuzz_boot", cases[i].name, buf, n + 2);
    }
    raw_seed(dir, "raw-msdos", BD_MSDOS1, "menuentry a { linux /vmlinuz; initrd /boot/initrd-1.img; }\n");
    raw_seed(dir, "raw-gpt", BD_GPT, "menuentry a { linux (hd0,gpt1)/boot/vmlinuz-1; }\n");
}
