/* SPDX-License-Identifier: GPL-2.0-only */
/* In-memory ISO 9660 image builder for tests (ECMA-119 records, SUSP 1.12, RRIP 1.12, Joliet). */
#include <stdlib.h>
#include <string.h>

#include "isobuild.h"
#include "util/bytes.h"

#define BLK 2048u

static void both16(uint8_t *p, uint16_t v)
{
    pvb_put_le16(p, v);
    pvb_put_be16(p + 2, v);
}

static void both32(uint8_t *p, uint32_t v)
{
    pvb_put_le32(p, v);
    pvb_put_be32(p + 4, v);
}

void isob_new(struct isob *b, uint32_t blocks)
{
    b->blocks = blocks;
    b->size = (size_t)blocks * BLK;
    b->img = calloc(1, b->size);
    b->next = 24;
}

void isob_free(struct isob *b)
{
    free(b->img);
    b->img = NULL;
}

uint32_t isob_alloc(struct isob *b, uint32_t n)
{
    uint32_t first = b->next;

    b->next += n;
    if (b->next > b->blocks)
        abort();
    return first;
}

uint32_t isob_data(struct isob *b, const void *data, size_t len)
{
    uint32_t blk = isob_alloc(b, (uint32_t)((len + BLK - 1) / BLK) + (len == 0));

    memcpy(b->img + (size_t)blk * BLK, data, len);
    return blk;
}

static void put_rec(uint8_t *r, const void *name, size_t namelen, uint32_t extent, uint32_t size,
                    uint8_t flags, const uint8_t *su, size_t sulen)
{
    size_t len = 33 + namelen + !(namelen & 1);

    r[0] = (uint8_t)(len + sulen);
    both32(r + 2, extent);
    both32(r + 10, size);
    r[18] = 123;  /* 2023-06-10 09:23:55 GMT */
    r[19] = 6;
    r[20] = 10;
    r[21] = 9;
    r[22] = 23;
    r[23] = 55;
    r[25] = flags;
    both16(r + 28, 1);
    r[32] = (uint8_t)namelen;
    memcpy(r + 33, name, namelen);
    if (sulen)
        memcpy(r + len, su, sulen);
}

size_t isob_rec(struct isob *b, struct isob_dir *d, const void *name, size_t namelen, uint32_t extent,
              uint32_t size, uint8_t flags, const uint8_t *su, size_t sulen)
{
    size_t len = 33 + namelen + !(namelen & 1) + sulen;
    size_t at;

    if (d->pos / BLK != (d->pos + len - 1) / BLK)
        d->pos = (d->pos / BLK + 1) * BLK;
    if (d->pos + len > (size_t)d->nblocks * BLK)
        abort();
    at = (size_t)d->block * BLK + d->pos;
    put_rec(b->img + at, name, namelen, extent, size, flags, su, sulen);
    d->pos += len;
    return at;
}

void isob_dir_new(struct isob *b, struct isob_dir *d, uint32_t nblocks, const struct isob_dir *parent,
                const uint8_t *dot_su, size_t dot_sulen)
{
    static const uint8_t dot = 0, dotdot = 1;

    d->block = isob_alloc(b, nblocks);
    d->nblocks = nblocks;
    d->pos = 0;
    if (!parent)
        parent = d;
    isob_rec(b, d, &dot, 1, d->block, nblocks * BLK, 2, dot_su, dot_sulen);
    isob_rec(b, d, &dotdot, 1, parent->block, parent->nblocks * BLK, 2, NULL, 0);
}

size_t isob_subdir(struct isob *b, struct isob_dir *d, const char *name, const struct isob_dir *c,
                 const uint8_t *su, size_t sulen)
{
    return isob_rec(b, d, name, strlen(name), c->block, c->nblocks * BLK, 2, su, sulen);
}

void isob_desc(struct isob *b, uint32_t blk, uint8_t type, int joliet, const struct isob_dir *root,
             const char *volid)
{
    uint8_t *d = b->img + (size_t)blk * BLK;
    static const uint8_t dot = 0;
    size_t i;

    memset(d, 0, BLK);
    d[0] = type;
    memcpy(d + 1, "CD001", 5);
    d[6] = 1;
    memset(d + 8, ' ', 64);
    if (joliet) {
        for (i = 0; i < 16; i++)
            pvb_put_be16(d + 40 + 2 * i, (uint16_t)(i < strlen(volid) ? volid[i] : ' '));
        memcpy(d + 88, "%/E", 3);
    } else {
        memcpy(d + 40, volid, strlen(volid));
    }
    both32(d + 80, b->blocks);
    both16(d + 120, 1);
    both16(d + 124, 1);
    both16(d + 128, BLK);
    put_rec(d + 156, &dot, 1, root->block, root->nblocks * BLK, 2, NULL, 0);
}

void isob_term(struct isob *b, uint32_t blk)
{
    uint8_t *d = b->img + (size_t)blk * BLK;

    memset(d, 0, BLK);
    d[0] = 255;
    memcpy(d + 1, "CD001", 5);
    d[6] = 1;
}

static size_t su_head(uint8_t *p, const char *sig, size_t len)
{
    p[0] = (uint8_t)sig[0];
    p[1] = (uint8_t)sig[1];
    p[2] = (uint8_t)len;
    p[3] = 1;
    return len;
}

size_t isob_su_sp(uint8_t *p, uint8_t skip)
{
    p[4] = 0xbe;
    p[5] = 0xef;
    p[6] = skip;
    return su_head(p, "SP", 7);
}

size_t isob_su_er(uint8_t *p)
{
    static const char id[] = "RRIP_1991A";
    size_t n = sizeof(id) - 1;

    p[4] = (uint8_t)n;
    p[5] = 0;
    p[6] = 0;
    p[7] = 1;
    memcpy(p + 8, id, n);
    return su_head(p, "ER", 8 + n);
}

size_t isob_su_ce(uint8_t *p, uint32_t blk, uint32_t off, uint32_t len)
{
    both32(p + 4, blk);
    both32(p + 12, off);
    both32(p + 20, len);
    return su_head(p, "CE", 28);
}

size_t isob_su_nm(uint8_t *p, uint8_t flags, const char *name)
{
    size_t n = strlen(name);

    p[4] = flags;
    memcpy(p + 5, name, n);
    return su_head(p, "NM", 5 + n);
}

size_t isob_su_px(uint8_t *p, uint32_t mode)
{
    memset(p + 4, 0, 40);
    both32(p + 4, mode);
    both32(p + 12, 1);
    both32(p + 20, 1000);
    both32(p + 28, 100);
    return su_head(p, "PX", 44);
}

size_t isob_su_sl(uint8_t *p, uint8_t flags, const char *comps)
{
    size_t pos = 5;

    p[4] = flags;
    while (*comps) {
        const char *bar = strchr(comps, '|'), *colon = strchr(comps, ':');
        size_t end = bar ? (size_t)(bar - comps) : strlen(comps);
        size_t tlen = end - (size_t)(colon - comps) - 1;

        p[pos] = (uint8_t)strtoul(comps, NULL, 10);
        p[pos + 1] = (uint8_t)tlen;
        memcpy(p + pos + 2, colon + 1, tlen);
        pos += 2 + tlen;
        comps += end + (bar != NULL);
    }
    return su_head(p, "SL", pos);
}

size_t isob_su_cl(uint8_t *p, uint32_t blk)
{
    both32(p + 4, blk);
    return su_head(p, "CL", 12);
}

size_t isob_su_re(uint8_t *p)
{
    return su_head(p, "RE", 4);
}

size_t isob_ucs2(uint8_t *out, const char *name)
{
    size_t i, n = strlen(name);

    for (i = 0; i < n; i++)
        pvb_put_be16(out + 2 * i, (uint16_t)(unsigned char)name[i]);
    return 2 * n;
}

uint8_t isob_kernel_byte(size_t i)
{
    return (uint8_t)(i * 7u + i / 2048u + 3u);
}

/* One file or directory of the sample in the three namings. */
struct node {
    const char *plain, *rr;
    uint32_t mode;
};

/* A record of the sample: a plain name, Rock Ridge entries when rr, or the UCS-2
 * name in a Joliet tree. */
static size_t sample_rec(struct isob *b, struct isob_dir *d, const struct node *n, int rr, int jol,
                         uint32_t extent, uint32_t size, uint8_t flags, const char *link)
{
    uint8_t su[256], name[256];
    size_t sulen = 0, namelen;

    if (jol) {
        namelen = isob_ucs2(name, n->rr);
    } else {
        namelen = strlen(n->plain);
        memcpy(name, n->plain, namelen);
    }
    if (rr && !jol) {
        sulen += isob_su_px(su + sulen, n->mode);
        sulen += isob_su_nm(su + sulen, 0, n->rr);
        if (link)
            sulen += isob_su_sl(su + sulen, 0, link);
    }
    return isob_rec(b, d, name, namelen, extent, size, flags, su, sulen);
}

static void sample_tree(struct isob *b, struct isob_dir *root, int rr, int jol, uint32_t kblk,
                        size_t klen, uint32_t cblk, size_t clen, uint32_t rblk)
{
    static const struct node boot = { "BOOT", "boot", 040755 },
                             grub = { "GRUB", "grub", 040755 },
                             cfg = { "GRUB.CFG;1", "grub.cfg", 0100644 },
                             kern = { "VMLINUZ.;1", "vmlinuz", 0100644 },
                             link = { "VMLINUZ_.;1", "vmlinuz-link", 0120777 },
                             readme = { "README.;1", "README.", 0100444 },
                             mixed = { "MIXED.;1", "Mixed", 0100644 };
    uint8_t su[128] = { 0 };
    size_t sulen = 0;
    struct isob_dir bd, gd;
    int r = rr && !jol;

    if (r) {
        sulen += isob_su_sp(su, 0);
        sulen += isob_su_er(su + sulen);
        sulen += isob_su_px(su + sulen, 040755);
    }
    isob_dir_new(b, root, 1, NULL, su, sulen);
    isob_dir_new(b, &bd, 1, root, NULL, 0);
    isob_dir_new(b, &gd, 1, &bd, NULL, 0);
    sample_rec(b, root, &boot, rr, jol, bd.block, BLK, 2, NULL);
    if (r)
        sample_rec(b, root, &mixed, rr, jol, rblk, 6, 0, NULL);
    sample_rec(b, root, &readme, rr, jol, rblk, 6, 0, NULL);
    sample_rec(b, &bd, &grub, rr, jol, gd.block, BLK, 2, NULL);
    sample_rec(b, &bd, &kern, rr, jol, kblk, (uint32_t)klen, 0, NULL);
    if (r)
        sample_rec(b, &bd, &link, rr, jol, 0, 0, 0, "0:vmlinuz");
    sample_rec(b, &gd, &cfg, rr, jol, cblk, (uint32_t)clen, 0, NULL);
}

void isob_sample(struct isob *b, int rr, int joliet, size_t kernel_len)
{
    static const char cfg[] = "set default=0\nmenuentry 'ISO' {\n linux /boot/vmlinuz\n}\n";
    uint8_t *k = malloc(kernel_len + 1);
    uint32_t kblk, cblk, rblk;
    struct isob_dir root, jroot;
    size_t i;

    isob_new(b, 64 + (uint32_t)(kernel_len / BLK));
    for (i = 0; i < kernel_len; i++)
        k[i] = isob_kernel_byte(i);
    kblk = isob_data(b, k, kernel_len);
    cblk = isob_data(b, cfg, sizeof(cfg) - 1);
    rblk = isob_data(b, "hello\n", 6);
    free(k);
    sample_tree(b, &root, rr, 0, kblk, kernel_len, cblk, sizeof(cfg) - 1, rblk);
    isob_desc(b, 16, 1, 0, &root, "SAMPLE");
    if (joliet) {
        sample_tree(b, &jroot, rr, 1, kblk, kernel_len, cblk, sizeof(cfg) - 1, rblk);
        isob_desc(b, 17, 2, 1, &jroot, "Sample");
        isob_term(b, 18);
    } else {
        isob_term(b, 17);
    }
}
