/* SPDX-License-Identifier: GPL-2.0-only */
/* FAT directories: entries in order, VFAT long names and 8.3 names decoded as GRUB decodes them. */
#include <string.h>

#include "fs/fat.h"
#include "util/budget.h"
#include "util/bytes.h"
#include "util/mem.h"

#define LFN_LAST 0x40u       /* the first entry of a long name holds its last part */
#define LFN_CHKSUM 13
#define DELETED 0xE5u
#define KANJI_E5 0x05u       /* a name starting with byte 0xE5 stores 0x05 */
#define CHUNK 4096u          /* bytes of a directory read at a time */

/* One walk: GRUB's grub_fat_iterate_dir_next state (checksum, slot, slots), which
 * starts afresh after every entry it returns, and the name being assembled. */
struct iter {
    struct pvb_fat *fs;
    fat_dir_fn fn;
    void *arg;
    uint32_t dir;
    unsigned long entries;
    int checksum, slot, slots;
    uint16_t uni[FAT_LFN_SLOTS * 13];
    struct fat_dirent de;
    uint8_t buf[CHUNK];
};

static void reset(struct iter *it)
{
    it->checksum = it->slot = it->slots = -1;
}

static uint8_t ascii_lower(uint8_t ch)
{
    return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch - 'A' + 'a') : ch;
}

/* GRUB's grub_utf16_to_utf8 (include/grub/charset.h) over n units: a lone surrogate
 * becomes '?', a high one at the very end is dropped. Stops at U+0000. */
static size_t utf16_to_utf8(const uint16_t *src, size_t n, char *out)
{
    uint8_t *d = (uint8_t *)out;
    uint32_t high = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        uint32_t code = src[i];

        if (high) {
            if (code >= 0xDC00 && code <= 0xDFFF) {
                code = ((high - 0xD800) << 10) + (code - 0xDC00) + 0x10000;
                *d++ = (uint8_t)(code >> 18 | 0xF0);
                *d++ = (uint8_t)((code >> 12 & 0x3F) | 0x80);
                *d++ = (uint8_t)((code >> 6 & 0x3F) | 0x80);
                *d++ = (uint8_t)((code & 0x3F) | 0x80);
                high = 0;
                continue;
            }
            *d++ = '?';   /* and the unit is read again */
            high = 0;
        }
        if (code == 0)
            break;
        if (code <= 0x7F) {
            *d++ = (uint8_t)code;
        } else if (code <= 0x7FF) {
            *d++ = (uint8_t)(code >> 6 | 0xC0);
            *d++ = (uint8_t)((code & 0x3F) | 0x80);
        } else if (code >= 0xD800 && code <= 0xDBFF) {
            high = code;
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
            *d++ = '?';
        } else {
            *d++ = (uint8_t)(code >> 12 | 0xE0);
            *d++ = (uint8_t)((code >> 6 & 0x3F) | 0x80);
            *d++ = (uint8_t)((code & 0x3F) | 0x80);
        }
    }
    *d = '\0';
    return (size_t)(d - (uint8_t *)out);
}

/*
 * The 8.3 name as GRUB shows it: base and extension each up to a NUL byte, trailing
 * spaces dropped, ASCII letters lowered (grub_tolower; other bytes are the OEM code
 * page's and pass unchanged), joined by '.' when there is an extension. The case
 * bits Windows NT keeps in byte 12 are not read, by GRUB or here. A volume label
 * keeps its case and has no dot.
 */
static size_t short_name(const uint8_t *nm, int label, char *out)
{
    size_t n = 0, i;

    if (label) {
        for (i = 0; i < 11 && nm[i]; i++)
            out[n++] = (char)nm[i];
        while (n > 0 && out[n - 1] == ' ')
            n--;
        out[n] = '\0';
        return n;
    }
    for (i = 0; i < 8 && nm[i]; i++)
        out[n++] = (char)ascii_lower(nm[i]);
    while (i > 0 && nm[i - 1] == ' ') {
        n--;
        i--;
    }
    out[n++] = '.';
    for (i = 8; i < 11 && nm[i]; i++)
        out[n++] = (char)ascii_lower(nm[i]);
    while (i > 8 && nm[i - 1] == ' ') {
        n--;
        i--;
    }
    if (i == 8)
        n--;   /* no extension: no dot */
    out[n] = '\0';
    return n;
}

static uint8_t lfn_checksum(const uint8_t *nm)
{
    uint8_t sum = 0;
    unsigned i;

    for (i = 0; i < 11; i++)
        sum = (uint8_t)(((sum >> 1) | (sum << 7)) + nm[i]);
    return sum;
}

/* A long-name entry (the spec, "FAT Long Directory Entries"): its 13 units go to
 * their place when it continues the sequence; anything out of order drops the
 * sequence (GRUB: "if (id != slot || slot == 0 || checksum != ...)"). */
static void long_entry(struct iter *it, const uint8_t *e)
{
    unsigned id = e[0], k;
    static const uint8_t at[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

    if (id & LFN_LAST) {
        id &= 0x3F;
        it->slots = it->slot = (int)id;
        it->checksum = e[LFN_CHKSUM];
    }
    if ((int)id != it->slot || it->slot == 0 || it->checksum != e[LFN_CHKSUM]) {
        it->checksum = -1;
        return;
    }
    it->slot--;
    for (k = 0; k < 13; k++)
        it->uni[it->slot * 13 + k] = pvb_le16(e + at[k]);
}

/* Name the directory in the message of an error of the walk itself (not of fn). */
static int where(struct iter *it, int rc)
{
    if (it->dir)
        pvb_ctx_prefix(it->fs->ctx, "fat: directory at cluster %u: ", (unsigned)it->dir);
    else
        pvb_ctx_prefix(it->fs->ctx, "fat: root directory: ");
    return rc;
}

/* One 32-byte entry at pos: 0 to go on, 2 at the end of the directory, or what fn
 * returned (non-zero stops), or an error. */
static int one(struct iter *it, const uint8_t *e, uint64_t pos)
{
    struct pvb_fat *fs = it->fs;
    struct fat_dirent *de = &it->de;
    uint8_t nm[11], attr = e[DE_ATTR];
    int rc;

    if (++it->entries > fs->ctx->lim.max_entries)
        return where(it, pvb_fail(fs->ctx, PVB_ELIMIT, "more than %u entries",
                                  fs->ctx->lim.max_entries));
    if ((rc = pvb_charge(fs->ctx, PVB_BUDGET_SCAN, 1)) != 0)
        return where(it, rc);
    if (e[0] == 0)
        return 2;
    if (attr == FAT_ATTR_LONG_NAME) {
        long_entry(it, e);
        return 0;
    }
    if (e[0] == DELETED || (attr & ~FAT_ATTR_VALID))
        return 0;
    memcpy(nm, e, 11);
    if (nm[0] == KANJI_E5)
        nm[0] = DELETED;   /* GRUB does this before the checksum too */
    de->lfn = 0;
    if (it->checksum != -1 && it->slot == 0) {
        if (lfn_checksum(nm) == it->checksum) {
            de->len = utf16_to_utf8(it->uni, (size_t)it->slots * 13, de->name);
            de->lfn = 1;   /* even an empty one, as GRUB */
        }
        it->checksum = -1;
    }
    if (!de->lfn)
        de->len = short_name(nm, (attr & FAT_ATTR_VOLUME_ID) != 0, de->name);
    de->pos = pos;
    memcpy(de->raw, e, FAT_DIRENT);
    reset(it);
    return it->fn(it->arg, de);
}

static int scan(struct iter *it, uint64_t at, size_t len)
{
    size_t i;
    int rc;

    if ((rc = pvb_disk_pread(it->fs->vol, it->buf, len, at)) != 0)
        return where(it, rc);
    for (i = 0; i < len; i += FAT_DIRENT)
        if ((rc = one(it, it->buf + i, at + i)) != 0)
            return rc;
    return 0;
}

static int walk(struct iter *it, uint32_t cluster)
{
    struct pvb_fat *fs = it->fs;
    size_t chunk = fs->csize < CHUNK ? fs->csize : CHUNK;
    struct fat_chain ch;
    uint32_t off, idx;
    int rc;

    if (cluster == 0) {   /* the FAT12/16 root: a fixed region */
        for (off = 0; off < fs->root_bytes; off += CHUNK)
            if ((rc = scan(it, fs->root_off + off, fs->root_bytes - off < CHUNK ?
                           fs->root_bytes - off : CHUNK)) != 0)
                return rc;
        return 0;
    }
    pvb_fat_chain_init(&ch, cluster);
    for (idx = 0;; idx++) {
        if ((rc = pvb_fat_chain_seek(fs, &ch, idx)) != 0)
            return rc == 1 ? 0 : where(it, rc);
        for (off = 0; off < fs->csize; off += (uint32_t)chunk)
            if ((rc = scan(it, pvb_fat_cluster_off(fs, ch.cur) + off, chunk)) != 0)
                return rc;
    }
}

int pvb_fat_dir_iter(struct pvb_fat *fs, uint32_t cluster, fat_dir_fn fn, void *arg)
{
    struct iter *it = pvb_alloc(fs->ctx, sizeof(*it), "fat directory walk");
    int rc;

    if (!it)
        return fs->ctx->err;
    it->fs = fs;
    it->fn = fn;
    it->arg = arg;
    it->dir = cluster;
    it->entries = 0;
    reset(it);
    rc = walk(it, cluster);
    pvb_free(fs->ctx, it);
    return rc == 2 ? 0 : rc;
}

uint32_t pvb_fat_entry_cluster(const uint8_t *raw)
{
    /* GRUB joins both halves on every FAT type (the spec: the high half is 0 on
     * FAT12/16, where OS/2 kept an extended-attribute handle). */
    return (uint32_t)pvb_le16(raw + DE_CLUS_HI) << 16 | pvb_le16(raw + DE_CLUS_LO);
}

int pvb_fat_entry(struct pvb_fat *fs, pvb_ino ino, uint8_t raw[FAT_DIRENT])
{
    int rc;

    if (ino % FAT_DIRENT || ino < FAT_DIRENT || ino > fs->vol->size - FAT_DIRENT)
        return pvb_fail(fs->ctx, PVB_EINVAL, "fat: inode %llu is not the offset of a "
                        "directory entry", (unsigned long long)ino);
    if ((rc = pvb_disk_pread(fs->vol, raw, FAT_DIRENT, ino)) != 0)
        return rc;
    if (raw[0] == 0 || raw[0] == DELETED || raw[DE_ATTR] == FAT_ATTR_LONG_NAME ||
        (raw[DE_ATTR] & (FAT_ATTR_VOLUME_ID | ~FAT_ATTR_VALID)))
        return pvb_fail(fs->ctx, PVB_ECORRUPT, "fat: inode %llu: not a file's directory entry",
                        (unsigned long long)ino);
    return 0;
}

int pvb_fat_dir_cluster(struct pvb_fat *fs, pvb_ino dir, uint32_t *cluster)
{
    uint8_t raw[FAT_DIRENT];
    uint32_t c;
    int rc;

    if (dir == FAT_ROOT_INO) {
        *cluster = fs->root_cluster;
        return 0;
    }
    if ((rc = pvb_fat_entry(fs, dir, raw)) != 0)
        return rc;
    if (!(raw[DE_ATTR] & FAT_ATTR_DIRECTORY))
        return pvb_fail(fs->ctx, PVB_ENOTDIR, "fat: inode %llu is not a directory",
                        (unsigned long long)dir);
    c = pvb_fat_entry_cluster(raw);
    if (c == 0) {   /* ".." of a top directory, and any directory GRUB reads as the root */
        *cluster = fs->root_cluster;
        return 0;
    }
    if ((rc = pvb_fat_check_cluster(fs, c, "directory", dir)) != 0)
        return rc;
    *cluster = c;
    return 0;
}
