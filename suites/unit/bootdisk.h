/* SPDX-License-Identifier: GPL-2.0-only */
/* Small bootable guest disks built in memory for fuzz_boot, its seeds and the fault sweeps: fixed filesystems, chosen layout. */
#ifndef PVB_TEST_BOOTDISK_H
#define PVB_TEST_BOOTDISK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Two filesystems, built once per process and copied per disk:
 * - ext4 (UUID a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf, label "pvbtest"): /boot with
 *   vmlinuz-1 (2000 bytes), vmlinuz-2 (5000), initrd-1.img (1001), initrd-2.img (300),
 *   empty (0); symlinks /vmlinuz -> boot/vmlinuz-1, /boot/up -> ../boot/vmlinuz-2,
 *   /boot/abs -> /boot/vmlinuz-1, /boot/loop -> loop, /boot/ping <-> /boot/pong,
 *   /boot/dangling, /boot/dirlink -> grub; empty directories /boot/grub, /boot/grub2,
 *   /boot/extlinux, /boot/loader/entries, /grub, /etc. The caller's files go here.
 * - XFS v5 (UUID 5eed0000-0000-4000-8000-000000000042, label "xfsboot"):
 *   /boot/vmlinuz-x, /boot/initrd-x.img, /vmlinuz -> boot/vmlinuz-x; no config.
 * Layouts put the ext filesystem and (but for NONE and MSDOS1) the XFS one on the
 * disk, ext first unless swapped. LOGICAL adds an unformatted msdos1 and puts the
 * two filesystems in msdos5 and msdos6.
 */
enum bootdisk_layout { BD_NONE, BD_MSDOS1, BD_MSDOS2, BD_LOGICAL, BD_GPT, BD_NLAYOUTS };

#define BD_MAX_FILES 12     /* caller's files placed; more are ignored */
#define BD_MAX_NAME 40      /* a file name's bytes */

struct bootdisk_file {
    const char *path;       /* absolute; its directory must be one of the ext tree's */
    size_t plen;
    const void *data;
    size_t len;             /* truncated to what fits in the filesystem */
};

struct bootdisk {
    uint8_t *img;           /* malloc()ed */
    size_t size;
    uint64_t ext_offset;    /* where the ext filesystem starts */
    unsigned placed;        /* caller's files that were placed */
};

/* Build a disk; the caller frees d->img. Files with an unknown directory or a bad
 * name are skipped (the fuzzer's input decides them). Never fails but abort()s
 * when out of memory. */
void bootdisk_build(enum bootdisk_layout layout, int swap, const struct bootdisk_file *files,
                    unsigned n, struct bootdisk *d);

#endif
