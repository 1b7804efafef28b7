/* SPDX-License-Identifier: GPL-2.0-only */
/* FAT boot sector: whose volume it is, every BPB field checked, the layout and the FAT type. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fs/fat.h"
#include "util/bytes.h"
#include "util/mem.h"

/* BPB field offsets (the spec, "Boot Sector and BPB"); FAT32 moves the tail. */
enum {
    BS_JMP = 0, BPB_BYTS_PER_SEC = 11, BPB_SEC_PER_CLUS = 13, BPB_RSVD_SEC_CNT = 14,
    BPB_NUM_FATS = 16, BPB_ROOT_ENT_CNT = 17, BPB_TOT_SEC16 = 19, BPB_MEDIA = 21,
    BPB_FAT_SZ16 = 22, BPB_TOT_SEC32 = 32,
    BS16_BOOT_SIG = 38, BS16_VOL_ID = 39, BS16_FS_TYPE = 54,
    BPB_FAT_SZ32 = 36, BPB_EXT_FLAGS = 40, BPB_FS_VER = 42, BPB_ROOT_CLUS = 44,
    BS32_BOOT_SIG = 66, BS32_VOL_ID = 67, BS32_FS_TYPE = 82
};
#define BOOT_SECTOR 512
#define EXT_BOOT_SIG 0x29   /* the volume ID, label and type string follow */
#define FAT_WINDOW 16384    /* bytes of FAT kept; a FAT12 FAT (<= 6 KiB) fits whole */

/* Cluster numbers a FAT entry of each width can hold before its end-of-chain values
 * (the spec: FAT12 0xFF6, FAT16 0xFFF6, FAT32 0x0FFFFFF6 are the last clusters). */
#define MAX_CLUSTER_12 0xFF6u
#define MAX_CLUSTER_16 0xFFF6u
#define MAX_CLUSTER_32 0x0FFFFFF6u

/*
 * FAT has no magic number, so whose volume this is is decided in two steps. A boot
 * sector that calls itself FAT (the extended boot signature 0x29 and a file system
 * type string starting "FAT", at the FAT12/16 or the FAT32 place: what mkfs.fat and
 * every Windows format write) is ours, and a field that then fails a check is
 * corruption. Without that, the volume is ours only if every check passes, which is
 * what GRUB's grub_fat_mount tests (it has no other probe); a failed check there is
 * "not mine", so a reiserfs, ISO 9660 or swap volume with a boot loader or zeros in
 * its first sector moves on to the next driver.
 */
struct bs {
    struct pvb_fat *fs;
    int claimed;
};

static int refuse(struct bs *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int refuse(struct bs *b, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (b->claimed)
        return pvb_fail(b->fs->ctx, PVB_ECORRUPT, "fat: boot sector: %s", why);
    return pvb_fail(b->fs->ctx, PVB_ENOTMINE, "fat: not a FAT boot sector (%s)", why);
}

static int claims_fat(const uint8_t *s)
{
    return (s[BS16_BOOT_SIG] == EXT_BOOT_SIG && memcmp(s + BS16_FS_TYPE, "FAT", 3) == 0) ||
           (s[BS32_BOOT_SIG] == EXT_BOOT_SIG && memcmp(s + BS32_FS_TYPE, "FAT32   ", 8) == 0);
}

static int log2_exact(uint32_t x)
{
    int n = 0;

    if (x == 0 || (x & (x - 1)))
        return -1;
    while (x >>= 1)
        n++;
    return n;
}

/* Sector and cluster sizes. The spec allows 512 to 4096 bytes per sector, as Linux
 * (fs/fat/inode.c "bogus logical sector size"); GRUB also takes 8 to 32 KiB, which
 * no Linux guest can have written its kernel to. */
static int check_sizes(struct bs *b, const uint8_t *s)
{
    struct pvb_fat *fs = b->fs;
    uint32_t bps = pvb_le16(s + BPB_BYTS_PER_SEC), spc = s[BPB_SEC_PER_CLUS];
    int lb = log2_exact(bps), lc = log2_exact(spc);

    if (lb < 9 || lb > 12)
        return refuse(b, "%u bytes per sector: must be a power of two from 512 to 4096",
                      (unsigned)bps);
    if (lc < 0)
        return refuse(b, "%u sectors per cluster: must be a power of two from 1 to 128",
                      (unsigned)spc);
    fs->bps = bps;
    fs->spc = spc;
    fs->cbits = (unsigned)(lb + lc);
    fs->csize = (uint32_t)1 << fs->cbits;
    return 0;
}

/*
 * The regions (the spec, "FAT Data Structure"): reserved sectors, the FATs, the
 * FAT12/16 root directory, then clusters from 2. The type: FAT32 when BPB_FATSz16
 * is 0, as GRUB (fat.c: "if (! bpb.sectors_per_fat_16)") and Linux decide it; else
 * FAT12 when there are at most 4085 clusters (GRUB: "num_clusters <= 4085 + 2"),
 * FAT16 above. The spec decides all three by the count (FAT12 below 4085, FAT16
 * below 65525, else FAT32), so it differs on a FAT32 of fewer than 65525 clusters,
 * which mkfs.fat -F 32 makes on small volumes and GRUB and Linux read as FAT32, and
 * on exactly 4085 clusters, which mkfs.fat never makes: GRUB is the reader that
 * boots the guest, so its rule is the one followed.
 */
static int layout(struct bs *b, const uint8_t *s)
{
    struct pvb_fat *fs = b->fs;
    uint32_t rsvd = pvb_le16(s + BPB_RSVD_SEC_CNT), rootent = pvb_le16(s + BPB_ROOT_ENT_CNT);
    uint32_t fatsz16 = pvb_le16(s + BPB_FAT_SZ16), fatsz;
    uint32_t tot = pvb_le16(s + BPB_TOT_SEC16) ? pvb_le16(s + BPB_TOT_SEC16)
                                               : pvb_le32(s + BPB_TOT_SEC32);
    uint64_t root_sec, root_secs, data_sec, clusters, max, entries;

    fs->nfats = s[BPB_NUM_FATS];
    fatsz = fatsz16 ? fatsz16 : pvb_le32(s + BPB_FAT_SZ32);
    if (rsvd == 0)
        return refuse(b, "no reserved sectors: the boot sector is one");
    if (fs->nfats == 0)
        return refuse(b, "no FATs");
    if (fatsz == 0)
        return refuse(b, "FAT size 0");
    if (tot == 0)
        return refuse(b, "0 sectors in the volume");
    fs->bits = fatsz16 ? 12 : 32;
    if (fs->bits == 32 && (rootent != 0 || pvb_le16(s + BPB_FS_VER) != 0))
        return refuse(b, "FAT32 with %u root entries and version 0x%04x: both must be 0",
                      (unsigned)rootent, (unsigned)pvb_le16(s + BPB_FS_VER));
    root_sec = rsvd + (uint64_t)fs->nfats * fatsz;
    root_secs = ((uint64_t)rootent * FAT_DIRENT + fs->bps - 1) / fs->bps;
    data_sec = root_sec + root_secs;
    if (data_sec >= tot)
        return refuse(b, "%u sectors hold no data area after %llu sectors of reserved area, "
                      "FATs and root directory", (unsigned)tot, (unsigned long long)data_sec);
    clusters = (tot - data_sec) >> (fs->cbits - (unsigned)log2_exact(fs->bps));
    if (clusters == 0)
        return refuse(b, "%u sectors hold no cluster", (unsigned)tot);
    if (fs->bits != 32)
        fs->bits = clusters <= 4085 ? 12 : 16;
    /* Clusters past what an entry can name exist on disk but cannot be reached. */
    max = fs->bits == 12 ? MAX_CLUSTER_12 : fs->bits == 16 ? MAX_CLUSTER_16 : MAX_CLUSTER_32;
    if (clusters + 1 > max)
        clusters = max - 1;
    fs->nclusters = (uint32_t)clusters + 2;
    fs->eoc = fs->bits == 12 ? 0xFF8u : fs->bits == 16 ? 0xFFF8u : 0x0FFFFFF8u;
    /* Every cluster needs its entry (Linux: "count of clusters too big"). */
    fs->fat_bytes = (uint64_t)fatsz * fs->bps;
    entries = fs->fat_bytes * 8 / fs->bits;
    if (entries < fs->nclusters)
        return refuse(b, "a FAT of %u sectors holds %llu entries, fewer than the %u clusters "
                      "and 2", (unsigned)fatsz, (unsigned long long)entries,
                      (unsigned)(fs->nclusters - 2));
    fs->fat_off = (uint64_t)rsvd * fs->bps;
    fs->root_off = root_sec * fs->bps;
    fs->root_bytes = (uint32_t)(root_secs * fs->bps);
    fs->data_off = data_sec * fs->bps;
    if (fs->bits == 32) {
        uint16_t flags = pvb_le16(s + BPB_EXT_FLAGS);

        /* Mirroring off: bits 0-3 name the FAT in use. GRUB refuses only a number
         * above the count (an off-by-one: FAT n of n would be read past the FATs). */
        if (flags & 0x80) {
            fs->active = flags & 0x0Fu;
            if (fs->active >= fs->nfats)
                return refuse(b, "active FAT %u of %u", fs->active, fs->nfats);
            fs->fat_off += (uint64_t)fs->active * fs->fat_bytes;
        }
        fs->root_cluster = pvb_le32(s + BPB_ROOT_CLUS);
        fs->root_bytes = 0;
        if (fs->root_cluster < 2 || fs->root_cluster >= fs->nclusters)
            return refuse(b, "root directory cluster %u is not one of clusters 2 to %u",
                          (unsigned)fs->root_cluster, (unsigned)(fs->nclusters - 1));
    }
    if (tot > fs->vol->size / fs->bps)
        pvb_warn(fs->ctx, "fat: the filesystem (%u sectors of %u bytes) is larger than its "
                 "volume (%llu bytes); reads past the end will fail", (unsigned)tot,
                 (unsigned)fs->bps, (unsigned long long)fs->vol->size);
    return 0;
}

/* The FAT and the fixed root directory are read at once: they must be on the volume. */
static int check_regions(struct bs *b)
{
    struct pvb_fat *fs = b->fs;
    uint64_t end = fs->fat_off + fs->fat_bytes, size = fs->vol->size;

    if (end > size)
        return refuse(b, "FAT %u (bytes %llu to %llu) lies past the end of the volume "
                      "(%llu bytes)", fs->active, (unsigned long long)fs->fat_off,
                      (unsigned long long)end, (unsigned long long)size);
    if (fs->bits != 32 && fs->root_off + fs->root_bytes > size)
        return refuse(b, "the root directory (bytes %llu to %llu) lies past the end of the "
                      "volume (%llu bytes)", (unsigned long long)fs->root_off,
                      (unsigned long long)(fs->root_off + fs->root_bytes),
                      (unsigned long long)size);
    if (fs->bits == 32 && pvb_fat_cluster_off(fs, fs->root_cluster) + fs->csize > size)
        return refuse(b, "the root directory (cluster %u) lies past the end of the volume "
                      "(%llu bytes)", (unsigned)fs->root_cluster, (unsigned long long)size);
    return 0;
}

/* GRUB's last test: the first FAT entry repeats the media byte, bit 3 ignored ("some
 * BIOSes assign 0xF0 ... to a superfloppy"); Xen's libfsimage has the same test. */
static int check_media(struct bs *b)
{
    struct pvb_fat *fs = b->fs;
    uint8_t e[4];
    uint32_t v, magic;
    int rc;

    rc = pvb_disk_pread(fs->vol, e, fs->bits / 8 + (fs->bits == 12), fs->fat_off);
    if (rc)
        return rc;
    v = fs->bits == 12 ? pvb_le16(e) & 0xFFFu : fs->bits == 16 ? pvb_le16(e)
                                                               : pvb_le32(e) & 0x0FFFFFFFu;
    magic = fs->bits == 12 ? 0xF00u : fs->bits == 16 ? 0xFF00u : 0x0FFFFF00u;
    if ((v | 8) != (magic | fs->media | 8))
        return refuse(b, "FAT entry 0 is 0x%x: the media byte 0x%02x needs 0x%x", (unsigned)v,
                      fs->media, (unsigned)(magic | fs->media));
    return 0;
}

int pvb_fat_super_read(struct pvb_disk *vol, struct pvb_fat *fs)
{
    struct pvb_ctx *c = vol->ctx;
    uint8_t s[BOOT_SECTOR];
    struct bs b;
    int rc;

    fs->vol = vol;
    fs->ctx = c;
    b.fs = fs;
    b.claimed = 0;
    if (vol->size < BOOT_SECTOR)
        return pvb_fail(c, PVB_ENOTMINE, "fat: volume of %llu bytes is too small for a boot "
                        "sector", (unsigned long long)vol->size);
    if ((rc = pvb_disk_pread(vol, s, sizeof(s), 0)) != 0)
        return rc;
    b.claimed = claims_fat(s);
    fs->media = s[BPB_MEDIA];
    if ((rc = check_sizes(&b, s)) != 0 || (rc = layout(&b, s)) != 0 ||
        (rc = check_regions(&b)) != 0 || (rc = check_media(&b)) != 0)
        return rc;
    fs->serial = pvb_le32(s + (fs->bits == 32 ? BS32_VOL_ID : BS16_VOL_ID));
    fs->win_cap = fs->fat_bytes < FAT_WINDOW ? (size_t)fs->fat_bytes : FAT_WINDOW;
    fs->win = pvb_alloc(c, fs->win_cap, "fat window");
    return fs->win ? 0 : c->err;
}
