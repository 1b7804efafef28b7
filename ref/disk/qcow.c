/* SPDX-License-Identifier: GPL-2.0-only */
/* qcow (version 1) driver: header, L1/L2 tables, compressed clusters, backing file. */
#include <string.h>

#include "disk/backing.h"
#include "disk/format.h"
#include "disk/image.h"
#include "disk/tcache.h"
#include "util/bytes.h"
#include "util/safemath.h"

/* Header fields, big-endian (qemu block/qcow.c, QCowHeader). */
#define H_VERSION      4
#define H_BACKING_OFF  8
#define H_BACKING_LEN  16
#define H_SIZE         24
#define H_CLUSTER_BITS 32
#define H_L2_BITS      33
#define H_CRYPT        36
#define H_L1_OFF       40
#define HEADER_LEN     48

/* qemu's limits: clusters of 512 B..64 KiB, L2 tables of 512 B..64 KiB. */
#define MIN_CLUSTER_BITS 9
#define MAX_CLUSTER_BITS 16
#define MIN_L2_BITS 6
#define MAX_L2_BITS 13

/* An L2 entry with bit 63 set is a compressed cluster: the low
 * 63 - cluster_bits bits are its offset, the bits above its byte count. */
#define L2_COMPRESSED (1ull << 63)

struct qcow {
    struct pvb_image im;        /* first: the shared image code finds it at priv */
    unsigned cluster_bits, l2_bits;
    uint64_t cluster_size;
    struct pvb_l1 l1;  /* entries are plain offsets, tables need no alignment */
};

static int qcow_probe(const uint8_t *head, size_t nhead, const uint8_t *tail, size_t ntail,
                      uint64_t file_size)
{
    (void)tail; (void)ntail; (void)file_size;
    if (nhead < 8 || memcmp(head, "QFI\xfb", 4) != 0)
        return 0;
    return pvb_be32(head + H_VERSION) == 1 ? 100 : 0;
}

static int qcow_map(struct pvb_disk *d, uint64_t off, uint64_t len, struct pvb_run *r)
{
    struct qcow *q = d->priv;
    uint64_t cl = off >> q->cluster_bits, in = off & (q->cluster_size - 1);
    uint64_t l1i = cl >> q->l2_bits, l2i = cl & (((uint64_t)1 << q->l2_bits) - 1);
    uint64_t l2off, e;
    const uint8_t *p;
    int rc;

    if ((rc = pvb_image_l2(d, &q->im, &q->l1, l1i, &l2off)) != 0)
        return rc;
    if (!l2off) {
        r->kind = PVB_RUN_BACKING;
        r->len = ((((uint64_t)1 << q->l2_bits) - l2i) << q->cluster_bits) - in;
        r->len = r->len < len ? r->len : len;
        return 0;
    }
    rc = pvb_tcache_get(q->im.tc, l2off, (uint64_t)8 << q->l2_bits, l2i * 8, 8, &p);
    if (rc)
        return rc;
    e = pvb_be64(p);
    r->len = q->cluster_size - in < len ? q->cluster_size - in : len;
    if (e & L2_COMPRESSED) {
        unsigned x = 63 - q->cluster_bits;
        uint64_t at = e & (((uint64_t)1 << x) - 1), n = (e >> x) & (q->cluster_size - 1);

        if ((rc = pvb_zcluster_load(d, &q->im, e, at, n, off)) != 0)
            return rc;
        r->kind = PVB_RUN_MEM;
        r->mem = q->im.zc.out + in;
        return 0;
    }
    /* qemu's qcow_co_preadv() refuses data clusters off a sector boundary. */
    if (e & 511)
        return pvb_fail(d->ctx, PVB_ECORRUPT, "qcow: L2 entry for virtual offset %llu: cluster "
                        "offset %llu is not sector-aligned", (unsigned long long)off,
                        (unsigned long long)e);
    r->kind = e ? PVB_RUN_FILE : PVB_RUN_BACKING;
    r->at = e + in;
    return 0;
}

static const struct pvb_disk_ops qcow_ops = {
    .name = "qcow", .pread = pvb_image_pread, .close = pvb_image_close
};

/* Header checks from qemu's qcow_open(), plus the L1 table inside the file. */
static int check_header(struct pvb_ctx *c, struct pvb_disk *file, const uint8_t *h,
                        uint64_t *l1_bytes)
{
    unsigned cb = h[H_CLUSTER_BITS], l2b = h[H_L2_BITS], shift = cb + l2b;
    uint64_t size = pvb_be64(h + H_SIZE), l1_off = pvb_be64(h + H_L1_OFF), need;

    if (pvb_be32(h + H_VERSION) != 1)
        return pvb_fail(c, PVB_EUNSUPPORTED, "qcow: version %u is not 1", pvb_be32(h + H_VERSION));
    if (cb < MIN_CLUSTER_BITS || cb > MAX_CLUSTER_BITS)
        return pvb_fail(c, PVB_ECORRUPT, "qcow: cluster_bits %u is outside %d..%d", cb,
                        MIN_CLUSTER_BITS, MAX_CLUSTER_BITS);
    if (l2b < MIN_L2_BITS || l2b > MAX_L2_BITS)
        return pvb_fail(c, PVB_ECORRUPT, "qcow: l2_bits %u is outside %d..%d", l2b,
                        MIN_L2_BITS, MAX_L2_BITS);
    if (pvb_be32(h + H_CRYPT) != 0)
        return pvb_fail(c, PVB_EUNSUPPORTED, "qcow: the image is encrypted (AES); not supported");
    if (size <= 1)
        return pvb_fail(c, PVB_ECORRUPT, "qcow: virtual size %llu is too small",
                        (unsigned long long)size);
    size &= ~(uint64_t)511;  /* qemu sees size / 512 sectors */
    need = (size >> shift) + ((size & (((uint64_t)1 << shift) - 1)) != 0);
    /* qemu: "Image too large" beyond INT_MAX / 8 L1 entries. */
    if (need > 0x7fffffff / 8)
        return pvb_fail(c, PVB_ECORRUPT, "qcow: virtual size %llu needs %llu L1 entries, more "
                        "than qemu allows", (unsigned long long)size, (unsigned long long)need);
    if (!pvb_span_ok(l1_off, need * 8, file->size))
        return pvb_fail(c, PVB_ECORRUPT, "qcow: L1 table at %llu (%llu bytes) is past the end "
                        "of the file (%llu bytes)", (unsigned long long)l1_off,
                        (unsigned long long)(need * 8), (unsigned long long)file->size);
    *l1_bytes = need * 8;
    return 0;
}

static int open_backing(struct pvb_ctx *c, struct pvb_disk *file, const uint8_t *h,
                        const struct pvb_chain *chain, struct pvb_disk **out)
{
    uint64_t off = pvb_be64(h + H_BACKING_OFF);
    uint32_t len = pvb_be32(h + H_BACKING_LEN);
    char name[1024];
    int rc;

    if (len > 1023 || !pvb_span_ok(off, len, file->size))
        return pvb_fail(c, PVB_ECORRUPT, "qcow: backing file name of %u bytes at %llu is too "
                        "long or past the end of the file", len, (unsigned long long)off);
    rc = pvb_disk_pread(file, name, len, off);
    if (rc)
        return rc;
    return pvb_backing_open(c, chain, "qcow", name, len, NULL, out);
}

static int qcow_open(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_chain *chain,
                     struct pvb_disk **out)
{
    uint8_t h[HEADER_LEN];
    uint64_t l1_bytes = 0;
    struct qcow *q;
    int rc;

    if (file->size < HEADER_LEN)
        return pvb_fail(c, PVB_ECORRUPT, "qcow: file of %llu bytes is shorter than a header",
                        (unsigned long long)file->size);
    if ((rc = pvb_disk_pread(file, h, HEADER_LEN, 0)) != 0 ||
        (rc = check_header(c, file, h, &l1_bytes)) != 0)
        return rc;
    q = pvb_image_new(c, sizeof(*q), "qcow", file);
    if (!q)
        return c->err;
    q->cluster_bits = h[H_CLUSTER_BITS];
    q->l2_bits = h[H_L2_BITS];
    q->cluster_size = (uint64_t)1 << q->cluster_bits;
    q->l1.off = pvb_be64(h + H_L1_OFF);
    q->l1.bytes = l1_bytes;
    q->l1.mask = ~(uint64_t)0;
    q->l1.align = 1;
    q->l1.l2_bytes = (uint64_t)8 << q->l2_bits;
    q->im.zc.codec = PVB_CODEC_DEFLATE;
    q->im.zc.size = (size_t)q->cluster_size;
    q->im.zc.in_cap = (size_t)q->cluster_size;  /* the byte count field is cluster_bits wide */
    q->im.map = qcow_map;
    rc = 0;
    if (pvb_be64(h + H_BACKING_OFF) && pvb_be32(h + H_BACKING_LEN))  /* empty: none, as in qemu */
        rc = open_backing(c, file, h, chain, &q->im.backing);
    if (!rc)
        rc = pvb_disk_new(c, &qcow_ops, pvb_be64(h + H_SIZE) & ~(uint64_t)511, out);
    if (rc) {
        pvb_image_free(c, &q->im);
        return rc;
    }
    (*out)->priv = q;
    return 0;
}

const struct pvb_format pvb_format_qcow = {
    .name = "qcow", .probe = qcow_probe, .open = qcow_open
};
