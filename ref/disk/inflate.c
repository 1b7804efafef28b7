/* SPDX-License-Identifier: GPL-2.0-only */
/* Cluster decompression with zlib and libzstd, allocating through the context's accounting. */
#include <limits.h>
#include <string.h>
#include <zlib.h>

#ifndef PVB_WITH_ZSTD
#define PVB_WITH_ZSTD 1
#endif
#if PVB_WITH_ZSTD
#define ZSTD_STATIC_LINKING_ONLY  /* ZSTD_createDCtx_advanced: a custom allocator */
#include <zstd.h>
#include <zstd_errors.h>
#endif

#include "disk/inflate.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Largest zstd window accepted: 8 MiB. qemu compresses one cluster (<= 2 MiB)
 * per frame, so its frames need at most 2 MiB; a frame asking for more is
 * refused instead of allocating up to libzstd's default of 128 MiB. */
#define ZSTD_WINDOW_LOG_MAX 23

struct pvb_inflate {
    struct pvb_ctx *ctx;
    enum pvb_codec codec;
    z_stream zs;
#if PVB_WITH_ZSTD
    ZSTD_DCtx *zd;
#endif
};

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    size_t n;

    if (pvb_mul_sz(items, size, &n))
        return Z_NULL;
    return pvb_alloc(opaque, n, "zlib");
}

static void z_free(voidpf opaque, voidpf p)
{
    pvb_free(opaque, p);
}

#if PVB_WITH_ZSTD
static void *zstd_alloc(void *opaque, size_t n)
{
    return pvb_alloc(opaque, n, "zstd");
}

static void zstd_free(void *opaque, void *p)
{
    pvb_free(opaque, p);
}
#endif

static int init_codec(struct pvb_inflate *z)
{
    struct pvb_ctx *c = z->ctx;

    if (z->codec == PVB_CODEC_DEFLATE) {
        z->zs.zalloc = z_alloc;
        z->zs.zfree = z_free;
        z->zs.opaque = c;
        /* Negative window bits: a raw deflate stream, no zlib header. */
        if (inflateInit2(&z->zs, -12) != Z_OK)
            return c->err ? c->err : pvb_fail(c, PVB_ENOMEM, "zlib: cannot initialise inflate");
        return 0;
    }
#if PVB_WITH_ZSTD
    {
        ZSTD_customMem mem = { zstd_alloc, zstd_free, NULL };

        mem.opaque = c;
        z->zd = ZSTD_createDCtx_advanced(mem);
        if (!z->zd)
            return c->err ? c->err : pvb_fail(c, PVB_ENOMEM, "zstd: cannot create a context");
        if (ZSTD_isError(ZSTD_DCtx_setParameter(z->zd, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX))) {
            ZSTD_freeDCtx(z->zd);
            return pvb_fail(c, PVB_ENOMEM, "zstd: cannot limit the window size");
        }
        return 0;
    }
#else
    return pvb_fail(c, PVB_EUNSUPPORTED,
                    "zstd-compressed cluster, but this build has no zstd support "
                    "(built without libzstd)");
#endif
}

int pvb_inflate_new(struct pvb_ctx *c, enum pvb_codec codec, struct pvb_inflate **out)
{
    struct pvb_inflate *z;
    int rc;

    if (codec != PVB_CODEC_DEFLATE && codec != PVB_CODEC_ZSTD)
        return pvb_fail(c, PVB_EUNSUPPORTED, "unknown compression type %d", (int)codec);
    z = pvb_zalloc(c, sizeof(*z), "decompressor");
    if (!z)
        return c->err;
    z->ctx = c;
    z->codec = codec;
    c->err = 0;
    rc = init_codec(z);
    if (rc) {
        pvb_free(c, z);
        return rc;
    }
    *out = z;
    return 0;
}

void pvb_inflate_free(struct pvb_inflate *z)
{
    if (!z)
        return;
    if (z->codec == PVB_CODEC_DEFLATE)
        inflateEnd(&z->zs);
#if PVB_WITH_ZSTD
    else
        ZSTD_freeDCtx(z->zd);
#endif
    pvb_free(z->ctx, z);
}

/* Raw deflate; success as in qemu's qcow2_zlib_decompress(): the output is
 * full, whether or not the stream goes on (Z_BUF_ERROR) or ends (Z_STREAM_END). */
static int run_deflate(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen)
{
    int ret;

    if (n > UINT_MAX || outlen > UINT_MAX)
        return pvb_fail(z->ctx, PVB_ELIMIT, "deflate: %zu bytes is too large", n);
    if (inflateReset(&z->zs) != Z_OK)
        return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: cannot reset the stream");
    z->zs.next_in = (Bytef *)(uintptr_t)in;  /* zlib's API is not const */
    z->zs.avail_in = (uInt)n;
    z->zs.next_out = out;
    z->zs.avail_out = (uInt)outlen;
    ret = inflate(&z->zs, Z_FINISH);
    if ((ret == Z_STREAM_END || ret == Z_BUF_ERROR) && z->zs.avail_out == 0)
        return 0;
    if (ret == Z_STREAM_END || ret == Z_BUF_ERROR)
        return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: data ends after %lu of %zu bytes",
                        (unsigned long)(outlen - z->zs.avail_out), outlen);
    return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: corrupt data (%s)",
                    z->zs.msg ? z->zs.msg : "error");
}

#if PVB_WITH_ZSTD
/* Streaming, so trailing sector padding is never parsed as a frame; every
 * step must make progress, and the frame must end with the output full. */
static int run_zstd(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen)
{
    ZSTD_inBuffer ib = { in, n, 0 };
    ZSTD_outBuffer ob = { out, outlen, 0 };
    size_t ret = 1;

    z->ctx->err = 0;  /* tells an allocation refused by the limits from other errors */
    if (ZSTD_isError(ZSTD_DCtx_reset(z->zd, ZSTD_reset_session_only)))
        return pvb_fail(z->ctx, PVB_ECORRUPT, "zstd: cannot reset the context");
    while (ob.pos < ob.size) {
        size_t in0 = ib.pos, out0 = ob.pos;

        ret = ZSTD_decompressStream(z->zd, &ob, &ib);
        if (ZSTD_isError(ret)) {
            if (ZSTD_getErrorCode(ret) == ZSTD_error_memory_allocation)
                return z->ctx->err ? z->ctx->err : PVB_ENOMEM;
            return pvb_fail(z->ctx, PVB_ECORRUPT, "zstd: corrupt data (%s)",
                            ZSTD_getErrorName(ret));
        }
        if (ib.pos == in0 && ob.pos == out0)
            return pvb_fail(z->ctx, PVB_ECORRUPT, "zstd: data ends after %zu of %zu bytes",
                            ob.pos, outlen);
    }
    if (ret != 0)
        return pvb_fail(z->ctx, PVB_ECORRUPT,
                        "zstd: the frame does not end within %zu bytes", outlen);
    return 0;
}
#endif

int pvb_inflate_run(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen)
{
#if PVB_WITH_ZSTD
    if (z->codec == PVB_CODEC_ZSTD)
        return run_zstd(z, in, n, out, outlen);
#endif
    return run_deflate(z, in, n, out, outlen);
}
