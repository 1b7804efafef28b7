/* SPDX-License-Identifier: GPL-2.0-only */
/* Volumes pvboot does not read, named by their signatures: what --inspect says instead of "no known filesystem". */
#include <stdio.h>
#include <string.h>

#include "fs/fs.h"
#include "util/bytes.h"
#include "util/mem.h"

/*
 * Only called once no driver has mounted the volume. Each probe reads a few bytes at
 * the places its format's specification puts a signature; none of them is a driver:
 * a match only names what the volume holds. Returns 1 and a description in out, 0, or
 * an error of the read (an I/O error is never "nothing there").
 */
typedef int (*sigprobe)(struct pvb_disk *vol, char *out, size_t cap);

/* Read len bytes at off when the volume has them: 1 read, 0 too short, or an error. */
static int get(struct pvb_disk *vol, void *buf, size_t len, uint64_t off)
{
    int rc;

    if (off > vol->size || len > vol->size - off)
        return 0;
    rc = pvb_disk_pread(vol, buf, len, off);
    return rc ? rc : 1;
}

/*
 * LVM2 physical volume: a label header in one of the first four 512-byte sectors,
 * "LABELONE" then, at byte 24, the type "LVM2 001" (LVM2 lib/label/label.h LABEL_ID,
 * LABEL_SCAN_SECTORS; lib/format_text/layout.h LVM2_LABEL; struct label_header).
 */
static int lvm2(struct pvb_disk *vol, char *out, size_t cap)
{
    uint8_t s[32];
    unsigned i;
    int rc;

    for (i = 0; i < 4; i++) {
        if ((rc = get(vol, s, sizeof(s), (uint64_t)i * 512)) <= 0)
            return rc;
        if (memcmp(s, "LABELONE", 8) == 0 && memcmp(s + 24, "LVM2 001", 8) == 0) {
            snprintf(out, cap, "an LVM2 physical volume (label in sector %u)", i);
            return PVB_FS_ID_VOLMGR;
        }
    }
    return 0;
}

/*
 * Solaris x86 disk label (VTOC) in sector 1 of an fdisk partition of type 0xBF or 0x82:
 * struct dk_label with dkl_magic 0xDABE at byte 508 (illumos usr/src/uts/common/sys/
 * dklabel.h DKL_MAGIC, DK_LABEL_LOC 1) and v_sanity 0x600DDEEE at byte 12 (sys/vtoc.h
 * VTOC_SANE). pygrub reads its root slice (get_solaris_slice: the same magic at 508,
 * v_nparts at 30, slices from 72); pvboot reads no Solaris filesystem.
 */
static int vtoc(struct pvb_disk *vol, char *out, size_t cap)
{
    uint8_t s[512];
    int rc = get(vol, s, sizeof(s), 512);

    if (rc <= 0)
        return rc;
    if (pvb_le16(s + 508) != 0xDABE || pvb_le32(s + 12) != 0x600DDEEEu)
        return 0;
    snprintf(out, cap, "a Solaris VTOC of %u slices (sector 1)", (unsigned)pvb_le16(s + 30));
    return PVB_FS_ID_UNREAD;
}

/*
 * Linux swap: the last 10 bytes of the first page are "SWAPSPACE2" (or "SWAP-SPACE",
 * the old format) (Linux include/linux/swap.h union swap_header); a hibernation image
 * puts its own signature there (kernel/power/swap.c HIBERNATE_SIG "S1SUSPEND"). Pages
 * of 4 to 64 KiB, as util-linux's libblkid probes.
 */
static int swap(struct pvb_disk *vol, char *out, size_t cap)
{
    static const char *const magic[] = { "SWAPSPACE2", "SWAP-SPACE", "S1SUSPEND", "S2SUSPEND",
                                         "ULSUSPEND", "LINHIB0001" };
    uint8_t s[10];
    unsigned page, i;
    int rc;

    for (page = 4096; page <= 65536; page *= 2) {
        if ((rc = get(vol, s, sizeof(s), page - 10)) <= 0)
            return rc;
        for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
            if (memcmp(s, magic[i], strlen(magic[i])) == 0) {
                snprintf(out, cap, "a Linux swap area%s (%s, %u-byte pages)",
                         i >= 2 ? " holding a hibernation image" : "", magic[i], page);
                return PVB_FS_ID_UNREAD;
            }
    }
    return 0;
}

/*
 * UFS: fs_magic at byte 1372 of the superblock (struct fs), which sits at 8 KiB (UFS1,
 * Solaris), 64 KiB (UFS2), 256 KiB or 0 (FreeBSD sys/ufs/ffs/fs.h SBLOCKSEARCH,
 * FS_UFS1_MAGIC 0x011954, FS_UFS2_MAGIC 0x19540119; illumos sys/fs/ufs_fs.h
 * MTB_UFS_MAGIC 0xdecade), in either byte order.
 */
static int ufs(struct pvb_disk *vol, char *out, size_t cap)
{
    static const uint32_t where[] = { 8192, 65536, 262144, 0 };
    static const struct { uint32_t magic; const char *name; } m[] = {
        { 0x00011954u, "UFS1" }, { 0x19540119u, "UFS2" }, { 0x00DECADEu, "multi-terabyte UFS" },
    };
    uint8_t s[4];
    unsigned i, k;
    int rc;

    for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        if ((rc = get(vol, s, sizeof(s), where[i] + 1372)) < 0)
            return rc;
        for (k = 0; rc && k < sizeof(m) / sizeof(m[0]); k++)
            if (pvb_le32(s) == m[k].magic || pvb_be32(s) == m[k].magic) {
                snprintf(out, cap, "a %s filesystem (superblock at %u KiB)", m[k].name,
                         (unsigned)(where[i] >> 10));
                return PVB_FS_ID_UNREAD;
            }
    }
    return 0;
}

/*
 * ZFS: a vdev label at the start of the device holds, from 128 KiB, a ring of
 * uberblocks, each starting with ub_magic 0x00bab10c in the writer's byte order
 * (OpenZFS include/sys/vdev_impl.h vdev_label_t, VDEV_UBERBLOCK_RING; include/sys/
 * uberblock_impl.h UBERBLOCK_MAGIC). Slots are at least 1 KiB.
 */
static int zfs(struct pvb_disk *vol, char *out, size_t cap)
{
    const size_t ring = 128 * 1024;
    uint8_t *buf = NULL;
    size_t i;
    int rc;

    if (vol->size < 2 * ring)
        return 0;
    if (!(buf = pvb_alloc(vol->ctx, ring, "zfs uberblocks")))
        return vol->ctx->err;
    rc = get(vol, buf, ring, ring);
    for (i = 0; rc == 1 && i < ring; i += 1024)
        if (pvb_le64(buf + i) == 0x00bab10cu || pvb_be64(buf + i) == 0x00bab10cu) {
            snprintf(out, cap, "a ZFS pool device (uberblock at %zu KiB of label 0)",
                     (ring + i) >> 10);
            break;
        }
    if (rc == 1 && i >= ring)
        rc = 0;
    pvb_free(vol->ctx, buf);
    return rc;
}

static const sigprobe probes[] = { lvm2, vtoc, swap, ufs, zfs };

int pvb_fs_identify(struct pvb_disk *vol, char *out, size_t cap)
{
    unsigned i;
    int rc;

    if (cap)
        out[0] = '\0';
    for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
        if ((rc = probes[i](vol, out, cap)) != 0)
            return rc;
    return 0;
}
