/* SPDX-License-Identifier: GPL-2.0-only */
/* Seed writers for the fuzz targets: each writes valid inputs into DIR/<target>/. */
#ifndef PVB_FUZZ_SEEDS_H
#define PVB_FUZZ_SEEDS_H

#include <stddef.h>
#include <stdint.h>

/* Write one seed file DIR/<target>/<name>; exits on failure (a test tool). */
void seed_put(const char *dir, const char *target, const char *name, const uint8_t *buf,
              size_t len);

/* One function per fuzz target family; listed in mkseeds.c. */
void seeds_part(const char *dir);
void seeds_ext(const char *dir);
void seeds_formats(const char *dir);
void seeds_conform(const char *dir);
/* fuzz_grub2, fuzz_grub1, fuzz_extlinux, fuzz_sdboot, fuzz_bls, fuzz_grubenv from suites/configs. */
void seeds_cfg(const char *dir);
void seeds_xfs(const char *dir);
void seeds_iso9660(const char *dir);
void seeds_fat(const char *dir);
void seeds_reiserfs(const char *dir);
/* fuzz_lvm: LVM2 PVs, whole disk and partition. */
void seeds_lvm(const char *dir);
/* fuzz_btrfs: mkfs.btrfs images (none without btrfs-progs). */
void seeds_btrfs(const char *dir);
/* fuzz_pe: PE images; fuzz_sdboot: an ESP with UKIs, an add-on and Type #1 entries. */
void seeds_pe(const char *dir);
/* fuzz_boot: configs on disks built by bootdisk.h, and two raw disks. */
void seeds_boot(const char *dir);

#endif
