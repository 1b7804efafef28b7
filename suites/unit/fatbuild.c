/* SPDX-License-Identifier: GPL-2.0-only */
/* Small FAT12/16/32 images built in memory: boot sector, FATs, directories, long names, files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fatbuild.h"
#include "util/bytes.h"

static void *xcalloc(size_t n)
{
    void *p = calloc(1, n);

    if (!p) {
        fprintf(stderr, "fatbuild: out of memory\n");
        abort();
    }
    return p;
}

static void die(const char *why)
{
    fprintf(stderr, "fatbuild: %s\n", why);
    abort();
}

void fb_new(struct fb *f, unsigned bits, uint32_t tot, unsigned spc, unsigned rootent)
{
    uint8_t *s;
    uint32_t rootsecs, need;

    memset(f, 0, sizeof(*f));
    f->bits = bits;
    f->bps = 512;
    f->spc = spc;
    f->nfats = 2;
    f->rsvd = bits == 32 ? 32 : 1;
    f->rootent = bits == 32 ? 0 : rootent;
    f->tot = tot;
    f->csize = f->bps * spc;
    rootsecs = (f->rootent * 32 + f->bps - 1) / f->bps;
    /* The smallest FAT that holds an entry per cluster the rest leaves room for. */
    for (f->fatsz = 1;; f->fatsz = need) {
        uint32_t data = tot - f->rsvd - f->nfats * f->fatsz - rootsecs;

        f->clusters = data / spc;
        need = (uint32_t)((((uint64_t)f->clusters + 2) * bits / 8 + 1 + f->bps - 1) / f->bps);
        if (need <= f->fatsz)
            break;
    }
    f->size = (size_t)tot * f->bps;
    f->img = xcalloc(f->size);
    f->fat_off = (uint64_t)f->rsvd * f->bps;
    f->root_off = f->fat_off + (uint64_t)f->nfats * f->fatsz * f->bps;
    f->data_off = f->root_off + (uint64_t)rootsecs * f->bps;
    s = f->img;
    memcpy(s, "\xEB\x3C\x90mkfs.fat", 11);
    pvb_put_le16(s + 11, (uint16_t)f->bps);
    s[13] = (uint8_t)spc;
    pvb_put_le16(s + 14, (uint16_t)f->rsvd);
    s[16] = (uint8_t)f->nfats;
    pvb_put_le16(s + 17, (uint16_t)f->rootent);
    if (tot < 65536)
        pvb_put_le16(s + 19, (uint16_t)tot);
    else
        pvb_put_le32(s + 32, tot);
    s[21] = 0xF8;
    pvb_put_le16(s + 24, 32);
    pvb_put_le16(s + 26, 64);
    if (bits == 32) {
        pvb_put_le32(s + 36, f->fatsz);
        pvb_put_le32(s + 44, 2);
        pvb_put_le16(s + 48, 1);
        pvb_put_le16(s + 50, 6);
        s[64] = 0x80;
        s[66] = 0x29;
        pvb_put_le32(s + 67, 0x1234ABCDu);
        memcpy(s + 71, "NO NAME    FAT32   ", 19);
    } else {
        pvb_put_le16(s + 22, (uint16_t)f->fatsz);
        s[36] = 0x80;
        s[38] = 0x29;
        pvb_put_le32(s + 39, 0x1234ABCDu);
        memcpy(s + 43, bits == 12 ? "NO NAME    FAT12   " : "NO NAME    FAT16   ", 19);
    }
    s[510] = 0x55;
    s[511] = 0xAA;
    fb_set(f, 0, bits == 12 ? 0xFF8 : bits == 16 ? 0xFFF8 : 0x0FFFFFF8);
    fb_set(f, 1, bits == 12 ? 0xFFF : bits == 16 ? 0xFFFF : 0x0FFFFFFF);
    f->next = 2;
    if (bits == 32)
        f->root_cluster = fb_alloc(f, 1, 1);
}

void fb_free(struct fb *f)
{
    free(f->img);
    f->img = NULL;
}

uint8_t *fb_bs(struct fb *f)
{
    return f->img;
}

void fb_set(struct fb *f, uint32_t c, uint32_t v)
{
    unsigned k;

    for (k = 0; k < f->nfats; k++) {
        uint8_t *fat = f->img + f->fat_off + (size_t)k * f->fatsz * f->bps;

        if (f->bits == 12) {
            uint8_t *p = fat + c + c / 2;
            uint16_t w = pvb_le16(p);
            w = c & 1 ? (uint16_t)((w & 0x000F) | (v & 0xFFF) << 4) : (uint16_t)((w & 0xF000) | (v & 0xFFF));
            pvb_put_le16(p, w);
        } else if (f->bits == 16) {
            pvb_put_le16(fat + 2 * (size_t)c, (uint16_t)v);
        } else {
            pvb_put_le32(fat + 4 * (size_t)c, v);
        }
    }
}

uint32_t fb_get(struct fb *f, uint32_t c)
{
    const uint8_t *fat = f->img + f->fat_off;

    if (f->bits == 12)
        return (c & 1 ? pvb_le16(fat + c + c / 2) >> 4 : pvb_le16(fat + c + c / 2)) & 0xFFF;
    if (f->bits == 16)
        return pvb_le16(fat + 2 * (size_t)c);
    return pvb_le32(fat + 4 * (size_t)c) & 0x0FFFFFFF;
}

uint8_t *fb_cluster(struct fb *f, uint32_t c)
{
    if (c < 2 || c >= f->clusters + 2)
        die("cluster out of range");
    return f->img + f->data_off + (size_t)(c - 2) * f->csize;
}

static uint32_t eoc(const struct fb *f)
{
    return f->bits == 12 ? 0xFFF : f->bits == 16 ? 0xFFFF : 0x0FFFFFFF;
}

void fb_chain(struct fb *f, const uint32_t *c, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++)
        fb_set(f, c[i], i + 1 < n ? c[i + 1] : eoc(f));
}

uint32_t fb_alloc(struct fb *f, uint32_t n, unsigned stride)
{
    uint32_t first = f->next, i, prev = 0;

    for (i = 0; i < n; i++) {
        uint32_t c = f->next;

        if (c >= f->clusters + 2)
            die("volume full");
        memset(fb_cluster(f, c), 0, f->csize);
        if (prev)
            fb_set(f, prev, c);
        fb_set(f, c, eoc(f));
        prev = c;
        f->next += i + 1 < n ? stride : 1;
    }
    return first;
}

/* The next free slot of directory dir, growing its chain when it is full. */
static uint8_t *slot(struct fb *f, uint32_t dir, uint64_t *pos)
{
    uint32_t c = dir, off;

    if (dir == 0) {
        for (off = 0; off < f->rootent * 32; off += 32)
            if (f->img[f->root_off + off] == 0) {
                *pos = f->root_off + off;
                return f->img + *pos;
            }
        die("root directory full");
    }
    for (;;) {
        for (off = 0; off < f->csize; off += 32)
            if (fb_cluster(f, c)[off] == 0) {
                *pos = f->data_off + (uint64_t)(c - 2) * f->csize + off;
                return f->img + *pos;
            }
        if (fb_get(f, c) >= (f->bits == 12 ? 0xFF8u : f->bits == 16 ? 0xFFF8u : 0x0FFFFFF8u)) {
            uint32_t n = fb_alloc(f, 1, 1);
            fb_set(f, c, n);
        }
        c = fb_get(f, c);
    }
}

uint64_t fb_raw(struct fb *f, uint32_t dir, const uint8_t e[32])
{
    uint64_t pos;
    uint8_t *p = slot(f, dir, &pos);

    memcpy(p, e, 32);
    return pos;
}

void fb_short(uint8_t e[32], const char name11[11], uint8_t attr, uint32_t cluster, uint32_t size)
{
    memset(e, 0, 32);
    memcpy(e, name11, 11);
    e[11] = attr;
    pvb_put_le16(e + 20, (uint16_t)(cluster >> 16));
    pvb_put_le16(e + 22, (uint16_t)(12 << 11 | 34 << 5 | 28));   /* 12:34:56 */
    pvb_put_le16(e + 24, (uint16_t)(44 << 9 | 11 << 5 | 14));    /* 2024-11-14 */
    pvb_put_le16(e + 26, (uint16_t)cluster);
    pvb_put_le32(e + 28, size);
}

uint8_t fb_checksum(const uint8_t name11[11])
{
    uint8_t sum = 0;
    unsigned i;

    for (i = 0; i < 11; i++)
        sum = (uint8_t)(((sum >> 1) | (sum << 7)) + name11[i]);
    return sum;
}

void fb_lfn(uint8_t e[32], uint8_t ord, uint8_t sum, const uint16_t units[13])
{
    static const uint8_t at[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
    unsigned k;

    memset(e, 0, 32);
    e[0] = ord;
    e[11] = 0x0F;
    e[13] = sum;
    for (k = 0; k < 13; k++)
        pvb_put_le16(e + at[k], units[k]);
}

/* UTF-8 to UTF-16 (4-byte sequences become surrogate pairs); returns the units. */
static size_t utf16(const char *s, uint16_t *out, size_t cap)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t n = 0;

    while (*p && n < cap) {
        uint32_t c;

        if (*p < 0x80) {
            c = *p++;
        } else if ((*p & 0xE0) == 0xC0) {
            c = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if ((*p & 0xF0) == 0xE0) {
            c = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        } else {
            c = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
                (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
            p += 4;
        }
        if (c >= 0x10000) {
            if (n + 2 > cap)
                break;
            c -= 0x10000;
            out[n++] = (uint16_t)(0xD800 | c >> 10);
            out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            out[n++] = (uint16_t)c;
        }
    }
    return n;
}

uint64_t fb_add(struct fb *f, uint32_t dir, const char *name, const char name11[11], uint8_t attr,
                uint32_t cluster, uint32_t size)
{
    uint8_t e[32];

    if (name) {
        uint16_t u[63 * 13];
        size_t n = utf16(name, u, sizeof(u) / sizeof(u[0])), slots = (n + 12) / 13, k;
        uint8_t sum = fb_checksum((const uint8_t *)name11);

        for (k = n; k < slots * 13; k++)
            u[k] = k == n ? 0 : 0xFFFF;
        for (k = slots; k > 0; k--) {
            fb_lfn(e, (uint8_t)(k | (k == slots ? 0x40 : 0)), sum, u + (k - 1) * 13);
            fb_raw(f, dir, e);
        }
    }
    fb_short(e, name11, attr, cluster, size);
    return fb_raw(f, dir, e);
}

uint32_t fb_file(struct fb *f, uint32_t dir, const char *name, const char name11[11],
                 const void *data, size_t len, unsigned stride)
{
    uint32_t n = (uint32_t)((len + f->csize - 1) / f->csize), first = 0, c, i;
    const uint8_t *d = data;

    if (n) {
        first = fb_alloc(f, n, stride);
        for (c = first, i = 0; i < n; i++, c = fb_get(f, c)) {
            size_t k = len - (size_t)i * f->csize < f->csize ? len - (size_t)i * f->csize : f->csize;
            memcpy(fb_cluster(f, c), d + (size_t)i * f->csize, k);
        }
    }
    fb_add(f, dir, name, name11, 0x20, first, (uint32_t)len);
    return first;
}

uint32_t fb_mkdir(struct fb *f, uint32_t parent, const char *name, const char name11[11])
{
    uint32_t c = fb_alloc(f, 1, 1);
    uint8_t e[32];

    fb_add(f, parent, name, name11, 0x10, c, 0);
    fb_short(e, ".          ", 0x10, c, 0);
    fb_raw(f, c, e);
    fb_short(e, "..         ", 0x10, parent == f->root_cluster ? 0 : parent, 0);
    fb_raw(f, c, e);
    return c;
}
