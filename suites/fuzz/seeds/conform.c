/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_conform: an .expect as images/mkimage writes it, an impl file, simple0 records, guest consoles. */
#include <string.h>

#include "seeds.h"

static void put(const char *dir, const char *name, const char *text, size_t len)
{
    seed_put(dir, "fuzz_conform", name, (const uint8_t *)text, len);
}

void seeds_conform(const char *dir)
{
    static const char expect[] =
        "# pvboot corpus expectation: images/README.md\n"
        "case: el7/bios-next-entry\ngroup: el7\nimage: bios-next-entry.raw\nformat: raw\n"
        "table: msdos\nboot-part: msdos1\nboot-fs: xfs\nboot-offset: 1048576\n"
        "config: /grub2/grub.cfg\nconfig-format: grub2\nsemantics: upstream\noracle: grub-emu\n"
        "entry-arg: 2\ntitle: Rescue\nentry: 2\nkernel: /vmlinuz-0-rescue\n"
        "kernel-sha256: 4b3f99530d988342b3e1166f63e41868fc32f9e897173044fc0792dddbedf4e1\n"
        "initrd: /initramfs-0-rescue.img\n"
        "ramdisk-sha256: a4a3c9cf33d790042f0cc0d833e1d9ab4466f68f8c5fcb4a1e36eb8be33145dd\n"
        "args: root=/dev/mapper/rhel-root ro quiet\nwhy: next_entry wins\n";
    static const char hostile[] =
        "case: hostile/ext-extent-loop\nimage: x.qcow2\nformat: qcow2\nerror: loop\n"
        "corrupt: ext-extent-loop /vmlinuz\nwhy: a cycle\n";
    static const char impl[] =
        "name: xen-4.17\ncommand: /usr/lib/xen-4.17/bin/pygrub\nenv: A=b\nformats: raw qcow2\n"
        "timeout: 60\nmem: 512\nfsize: 1024\nversion: echo 1\n"
        "diverge: el7/* no-boot XFS v5\ndiverge: x/* wrong-args,unsafe two\ndiverge: y/* * any\n";
    static const char rec[] = "kernel /out/boot_kernel.x\0ramdisk /out/boot_ramdisk.y\0args ro quiet\0";
    static const char boot[] =
        "case: boot/el7-xfs5-saved\nimage: el7-xfs5-saved.raw\nformat: raw\n"
        "kernel-sha256: 4b3f99530d988342b3e1166f63e41868fc32f9e897173044fc0792dddbedf4e1\n"
        "ramdisk-sha256: none\nargs: ro quiet\nguest-append: console=ttyS0\n"
        "guest-cmdline: ro quiet console=ttyS0\nwhy: saved_entry\n";
    /* What qemu's serial port carries: SeaBIOS, the kernel, the initramfs's line. */
    static const char console[] =
        "SeaBIOS (version 1.16.2-debian-1.16.2-1)\r\nBooting from ROM...\r\nc\033[?7l\033[2J"
        "[    0.000000] Linux version 6.1.0\r\n\r\npvboot-realboot: cmdline=[ro quiet console=ttyS0]\r\n"
        "[    2.335090] reboot: Power down\r\n";
    static const char panic[] =
        "[    3.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n";

    put(dir, "expect", expect, strlen(expect));
    put(dir, "expect-hostile", hostile, strlen(hostile));
    put(dir, "impl", impl, strlen(impl));
    put(dir, "simple0", rec, sizeof(rec));  /* with its final NUL: the \0\0 end */
    put(dir, "expect-boot", boot, strlen(boot));
    put(dir, "console", console, strlen(console));
    put(dir, "console-panic", panic, strlen(panic));
}
