/* SPDX-License-Identifier: GPL-2.0-only */
/* qcow2 driver (v2 and v3): header and extensions, L1/L2 with every flag, subclusters, compressed clusters. */
#include <string.h>

#include "disk/backing.h"
#include "disk/format.h"
#include "disk/image.h"
#include "disk/tcache.h"
#include "util/bytes.h"
#include "util/safemath.h"

/* Header fields, big-endian (qemu docs/interop/qcow2.txt, "Header"). */
#define H_VERSION        4
#define H_BACKING_OFF    8
#define H_BACKING_LEN    16
#define H_CLUSTER_BITS   20
#define H_SIZE           24
#define H_CRYPT          32
#define H_L1_SIZE        36
#define H_L1_OFF         40
#define H_INCOMPAT       72   /* v3 fields from here */
#define H_REFCOUNT_ORDER 96
#define H_HEADER_LEN     100
#define H_COMPRESSION    104
#define V2_HEADER_LEN    72
#define V3_HEADER_MIN    104
#define HEADER_READ      112

/* Incompatible feature bits. Dirty (bit 0) only says refcounts may be stale,
 * and reading never uses refcounts; corrupt (bit 1) still opens read-only in
 * qemu, so it is a warning here. */
#define INCOMPAT_DIRTY       0x01u
#define INCOMPAT_CORRUPT     0x02u
#define INCOMPAT_DATA_FILE   0x04u
#define INCOMPAT_COMPRESSION 0x08u
#define INCOMPAT_EXTL2       0x10u
#define INCOMPAT_KNOWN       0x1fu

#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_DATA_FILE      0x44415441u

/* L1 and standard L2 entries: bits 9-55 are the offset; L2 bit 62 marks a
 * compressed cluster, bit 0 a zero cluster (v3 without extended L2). Bit 63
 * (refcount is one) and the reserved bits do not matter for reading and are
 * ignored, as qemu ignores them. */
#define OFFSET_MASK   0x00fffffffffffe00ull
#define L2_COMPRESSED (1ull << 62)
#define L2_ZERO       1ull

#define MIN_CLUSTER_BITS 9      /* qcow2.txt */
#define MAX_CLUSTER_BITS 21     /* qemu's limit: 2 MiB */
#define MAX_L1_BYTES (32u << 20) /* qemu's QCOW_MAX_L1_SIZE */
#define SUBCLUSTERS 32

struct qcow2 {
    struct pvb_image im;        /* first: the shared image code finds it at priv */
    unsigned version;
    unsigned cluster_bits;
    uint64_t cluster_size;
    unsigned l2_bits;           /* log2 of entries per L2 table */
    unsigned esize;             /* bytes per L2 entry: 8, or 16 with extended L2 */
    struct pvb_l1 l1;
};

struct header {
    unsigned version, cluster_bits, crypt, refcount_order, compression;
    uint64_t backing_off, size, l1_off, incompat, header_len;
    uint32_t backing_len, l1_size;
};

static int qcow2_probe(const uint8_t *head, size_t nhead, const uint8_t *tail, size_t ntail,
                       uint64_t file_size)
{
    (void)tail; (void)ntail; (void)file_size;
    if (nhead < 8 || memcmp(head, "QFI\xfb", 4) != 0)
        return 0;
    return pvb_be32(head + H_VERSION) == 2 || pvb_be32(head + H_VERSION) == 3 ? 100 : 0;
}

static void decode(const uint8_t *h, struct header *x)
{
    memset(x, 0, sizeof(*x));
    x->version = pvb_be32(h + H_VERSION);
    x->backing_off = pvb_be64(h + H_BACKING_OFF);
    x->backing_len = pvb_be32(h + H_BACKING_LEN);
    x->cluster_bits = pvb_be32(h + H_CLUSTER_BITS);
    x->size = pvb_be64(h + H_SIZE);
    x->crypt = pvb_be32(h + H_CRYPT);
    x->l1_size = pvb_be32(h + H_L1_SIZE);
    x->l1_off = pvb_be64(h + H_L1_OFF);
    x->header_len = V2_HEADER_LEN;
    x->refcount_order = 4;
    if (x->version >= 3) {
        x->incompat = pvb_be64(h + H_INCOMPAT);
        x->refcount_order = pvb_be32(h + H_REFCOUNT_ORDER);
        x->header_len = pvb_be32(h + H_HEADER_LEN);
        if (x->header_len > H_COMPRESSION)
            x->compression = h[H_COMPRESSION];
    }
}

/* Header fields that do not depend on the file size or extensions. */
static int check_header(struct pvb_ctx *c, const struct header *x)
{
    uint64_t cs = (uint64_t)1 << (x->cluster_bits & 63);

    if (x->version != 2 && x->version != 3)
        return pvb_fail(c, PVB_EUNSUPPORTED, "qcow2: version %u is not 2 or 3", x->version);
    if (x->cluster_bits < MIN_CLUSTER_BITS || x->cluster_bits > MAX_CLUSTER_BITS)
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: cluster_bits %u is outside %d..%d",
                        x->cluster_bits, MIN_CLUSTER_BITS, MAX_CLUSTER_BITS);
    if (x->version >= 3 && (x->header_len < V3_HEADER_MIN || x->header_len > cs))
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: header_length %llu is outside %d..%llu",
                        (unsigned long long)x->header_len, V3_HEADER_MIN,
                        (unsigned long long)cs);
    if (x->refcount_order > 6)
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: refcount_order %u exceeds 6",
                        x->refcount_order);
    if (x->crypt != 0)
        return pvb_fail(c, PVB_EUNSUPPORTED, "qcow2: the image is encrypted (%s); not supported",
                        x->crypt == 1 ? "AES" : x->crypt == 2 ? "LUKS" : "unknown method");
    if (x->backing_off &&
        (x->backing_off > cs || x->backing_len > 1023 || x->backing_len > cs - x->backing_off))
        return pvb_fail(c, PVB_ECORRUPT,
                        "qcow2: backing file name of %u bytes at %llu does not fit in the "
                        "first cluster (1023 bytes at most)", x->backing_len,
                        (unsigned long long)x->backing_off);
    return 0;
}

/* Features, after the extensions so the data file can be named. */
static int check_features(struct pvb_ctx *c, const struct header *x, const char *data_file)
{
    if (x->incompat & ~(uint64_t)INCOMPAT_KNOWN)
        return pvb_fail(c, PVB_EUNSUPPORTED, "qcow2: unknown incompatible features 0x%llx",
                        (unsigned long long)(x->incompat & ~(uint64_t)INCOMPAT_KNOWN));
    if (x->incompat & INCOMPAT_DATA_FILE)
        return pvb_fail(c, PVB_EUNSUPPORTED,
                        "qcow2: guest data is in an external data file ('%s'); not supported",
                        data_file);
    if (!(x->incompat & INCOMPAT_COMPRESSION) != (x->compression == 0))
        return pvb_fail(c, PVB_ECORRUPT,
                        "qcow2: compression_type %u disagrees with the compression type "
                        "feature bit", x->compression);
    if (x->compression > PVB_CODEC_ZSTD)
        return pvb_fail(c, PVB_EUNSUPPORTED, "qcow2: unknown compression_type %u",
                        x->compression);
    if (x->incompat & INCOMPAT_CORRUPT)
        pvb_warn(c, "qcow2: the image is marked corrupt; reading it anyway, as qemu does "
                 "read-only");
    return 0;
}

/*
 * Header extensions: (type, length, data padded to 8) from the end of the
 * header to the backing file name or the end of the first cluster. Only
 * the backing format and the data file name matter here; unknown ones are
 * skipped, as qcow2.txt allows. Each step advances at least 8 bytes.
 */
static int read_extensions(struct pvb_ctx *c, struct pvb_disk *file, const struct header *x,
                           char fmt[17], char data_file[128])
{
    uint64_t cs = (uint64_t)1 << x->cluster_bits;
    uint64_t off = x->header_len, end = x->backing_off ? x->backing_off : cs;
    uint8_t e[8];
    int rc;

    if (end > file->size)
        end = file->size;
    while (off <= end && end - off >= 8) {
        uint32_t type, len;
        char buf[128];

        if ((rc = pvb_disk_pread(file, e, 8, off)) != 0)
            return rc;
        type = pvb_be32(e);
        len = pvb_be32(e + 4);
        if (type == 0)
            break;
        if (len > end - off - 8)
            return pvb_fail(c, PVB_ECORRUPT, "qcow2: header extension 0x%08x at %llu: %u bytes "
                            "run past the header area", type, (unsigned long long)off, len);
        if (type == EXT_BACKING_FORMAT && len > 16)
            return pvb_fail(c, PVB_ECORRUPT, "qcow2: backing format name of %u bytes", len);
        if (type == EXT_BACKING_FORMAT || type == EXT_DATA_FILE) {
            size_t n = len < sizeof(buf) ? len : sizeof(buf) - 1;

            if ((rc = pvb_disk_pread(file, buf, n, off + 8)) != 0)
                return rc;
            if (type == EXT_BACKING_FORMAT)
                pvb_backing_show(buf, n, fmt, 17);
            else
                pvb_backing_show(buf, n, data_file, 128);
        }
        off += 8 + (((uint64_t)len + 7) & ~(uint64_t)7);
    }
    return 0;
}

/* L1 entries the virtual size needs, and whether the header's table holds them. */
static int check_l1(struct pvb_ctx *c, struct pvb_disk *file, const struct header *x,
                    struct qcow2 *q)
{
    unsigned shift = q->cluster_bits + q->l2_bits;
    uint64_t need = (x->size >> shift) + ((x->size & (((uint64_t)1 << shift) - 1)) != 0);

    if (x->l1_size > MAX_L1_BYTES / 8)
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: L1 table of %u entries exceeds qemu's 32 MiB "
                        "limit", x->l1_size);
    if (x->l1_size < need)
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: L1 table of %u entries is too small for a "
                        "virtual size of %llu bytes (%llu needed)", x->l1_size,
                        (unsigned long long)x->size, (unsigned long long)need);
    if (x->l1_off & (q->cluster_size - 1))
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: L1 table offset %llu is not cluster-aligned",
                        (unsigned long long)x->l1_off);
    if (!pvb_span_ok(x->l1_off, need * 8, file->size))
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: L1 table at %llu (%llu bytes) is past the end "
                        "of the file (%llu bytes)", (unsigned long long)x->l1_off,
                        (unsigned long long)(need * 8), (unsigned long long)file->size);
    q->l1.off = x->l1_off;
    q->l1.bytes = need * 8;
    q->l1.mask = OFFSET_MASK;
    q->l1.align = q->cluster_size;
    q->l1.l2_bytes = q->cluster_size;
    return 0;
}

/* A compressed cluster (qcow2.txt "Compressed Clusters Descriptor"): the
 * offset, then the count of further 512-byte sectors; the data need not
 * fill the last one. */
static int compressed(struct pvb_disk *d, struct qcow2 *q, uint64_t e, uint64_t voff)
{
    unsigned x = 62 - (q->cluster_bits - 8);
    uint64_t at = e & (((uint64_t)1 << x) - 1);
    uint64_t n = (((e >> x) & (((uint64_t)1 << (q->cluster_bits - 8)) - 1)) + 1) * 512;

    return pvb_zcluster_load(d, &q->im, e, at, n - (at & 511), voff);
}

/* Extended L2 entries (qcow2.txt "Extended L2 Entries"): 32 subclusters,
 * bit i of the low word allocated, bit 32+i reads as zero. As in qemu's
 * qcow2_get_subcluster_type(), a subcluster both allocated and zero, or an
 * allocated one in a cluster without an offset, makes the entry invalid. */
static int subcluster(struct pvb_disk *d, struct qcow2 *q, uint64_t host, uint64_t bitmap,
                      uint64_t in, uint64_t len, struct pvb_run *r)
{
    uint32_t alloc = (uint32_t)bitmap, zero = (uint32_t)(bitmap >> 32);
    unsigned sb = q->cluster_bits - 5, sc = (unsigned)(in >> sb), end = sc + 1;
    uint32_t bit = (uint32_t)1 << sc;

    if (alloc & zero)
        return pvb_fail(d->ctx, PVB_ECORRUPT, "qcow2: extended L2 entry marks subclusters "
                        "both allocated and zero (bitmap 0x%016llx)", (unsigned long long)bitmap);
    if (!host && alloc)
        return pvb_fail(d->ctx, PVB_ECORRUPT, "qcow2: extended L2 entry allocates subclusters "
                        "of an unallocated cluster (bitmap 0x%016llx)", (unsigned long long)bitmap);
    r->kind = (zero & bit) ? PVB_RUN_ZERO : (alloc & bit) ? PVB_RUN_FILE : PVB_RUN_BACKING;
    /* Later subclusters of the same kind join the run. */
    while (end < SUBCLUSTERS && !!(zero & ((uint32_t)1 << end)) == !!(zero & bit) &&
           !!(alloc & ((uint32_t)1 << end)) == !!(alloc & bit))
        end++;
    r->len = ((uint64_t)end << sb) - in;
    if (r->len > len)
        r->len = len;
    r->at = host + in;
    return 0;
}

static int qcow2_map(struct pvb_disk *d, uint64_t off, uint64_t len, struct pvb_run *r)
{
    struct qcow2 *q = d->priv;
    uint64_t cl = off >> q->cluster_bits, in = off & (q->cluster_size - 1);
    uint64_t l1i = cl >> q->l2_bits, l2i = cl & (((uint64_t)1 << q->l2_bits) - 1);
    uint64_t l2off, e, host;
    const uint8_t *p;
    int rc;

    if ((rc = pvb_image_l2(d, &q->im, &q->l1, l1i, &l2off)) != 0)
        return rc;
    if (!l2off) {  /* no L2 table: the whole range it would map is unallocated */
        r->kind = PVB_RUN_BACKING;
        r->len = ((((uint64_t)1 << q->l2_bits) - l2i) << q->cluster_bits) - in;
        if (r->len > len)
            r->len = len;
        return 0;
    }
    if ((rc = pvb_tcache_get(q->im.tc, l2off, q->cluster_size, l2i * q->esize, q->esize, &p)) != 0)
        return rc;
    e = pvb_be64(p);
    host = e & OFFSET_MASK;
    r->len = q->cluster_size - in < len ? q->cluster_size - in : len;
    if (e & L2_COMPRESSED) {
        if ((rc = compressed(d, q, e, off)) != 0)
            return rc;
        r->kind = PVB_RUN_MEM;
        r->mem = q->im.zc.out + in;
        return 0;
    }
    if (host & (q->cluster_size - 1))
        return pvb_fail(d->ctx, PVB_ECORRUPT, "qcow2: L2 entry for virtual offset %llu: "
                        "cluster offset %llu is not cluster-aligned", (unsigned long long)off,
                        (unsigned long long)host);
    if (q->esize == 16)
        return subcluster(d, q, host, pvb_be64(p + 8), in, len, r);
    if ((e & L2_ZERO) && q->version < 3)
        return pvb_fail(d->ctx, PVB_ECORRUPT, "qcow2: zero cluster flag at virtual offset %llu "
                        "in a version 2 image", (unsigned long long)off);
    r->kind = (e & L2_ZERO) ? PVB_RUN_ZERO : host ? PVB_RUN_FILE : PVB_RUN_BACKING;
    r->at = host + in;
    return 0;
}

static const struct pvb_disk_ops qcow2_ops = {
    .name = "qcow2", .pread = pvb_image_pread, .close = pvb_image_close
};

/* The backing file the header names, under the policy of disk/backing.h. */
static int open_backing(struct pvb_ctx *c, struct pvb_disk *file, const struct header *x,
                        const char *fmt, const struct pvb_chain *chain, struct pvb_disk **out)
{
    char name[1024];
    int rc;

    if (!pvb_span_ok(x->backing_off, x->backing_len, file->size))
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: backing file name at %llu is past the end of "
                        "the file", (unsigned long long)x->backing_off);
    rc = pvb_disk_pread(file, name, x->backing_len, x->backing_off);
    if (rc)
        return rc;
    return pvb_backing_open(c, chain, "qcow2", name, x->backing_len, fmt[0] ? fmt : NULL, out);
}

static void setup(const struct header *x, struct qcow2 *q)
{
    q->version = x->version;
    q->cluster_bits = x->cluster_bits;
    q->cluster_size = (uint64_t)1 << x->cluster_bits;
    q->esize = (x->incompat & INCOMPAT_EXTL2) ? 16 : 8;
    q->l2_bits = x->cluster_bits - (q->esize == 16 ? 4 : 3);
    q->im.zc.codec = x->compression == 1 ? PVB_CODEC_ZSTD : PVB_CODEC_DEFLATE;
    q->im.zc.size = (size_t)q->cluster_size;
    q->im.zc.in_cap = 2 * (size_t)q->cluster_size;  /* 2^(cluster_bits-8) sectors at most */
    q->im.map = qcow2_map;
}

static int qcow2_open(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_chain *chain,
                      struct pvb_disk **out)
{
    uint8_t h[HEADER_READ] = { 0 };
    char fmt[17] = "", data_file[128] = "";
    struct header x;
    struct qcow2 *q;
    int rc;

    if (file->size < V2_HEADER_LEN)
        return pvb_fail(c, PVB_ECORRUPT, "qcow2: file of %llu bytes is shorter than a header",
                        (unsigned long long)file->size);
    /* Bytes of a v3 header past the end of a tiny file read as zeros, as in qemu. */
    rc = pvb_disk_pread(file, h, file->size < sizeof(h) ? (size_t)file->size : sizeof(h), 0);
    if (rc)
        return rc;
    decode(h, &x);
    if ((rc = check_header(c, &x)) != 0 ||
        (rc = read_extensions(c, file, &x, fmt, data_file)) != 0 ||
        (rc = check_features(c, &x, data_file)) != 0)
        return rc;
    /* qemu sees size / 512 sectors (bs->total_sectors). */
    x.size &= ~(uint64_t)511;
    q = pvb_image_new(c, sizeof(*q), "qcow2", file);
    if (!q)
        return c->err;
    setup(&x, q);
    rc = check_l1(c, file, &x, q);
    if (!rc && x.backing_off && x.backing_len)  /* qemu: an empty name is no backing file */
        rc = open_backing(c, file, &x, fmt, chain, &q->im.backing);
    if (!rc)
        rc = pvb_disk_new(c, &qcow2_ops, x.size, out);
    if (rc) {
        pvb_image_free(c, &q->im);
        return rc;
    }
    (*out)->priv = q;
    return 0;
}

const struct pvb_format pvb_format_qcow2 = {
    .name = "qcow2", .probe = qcow2_probe, .open = qcow2_open
};
