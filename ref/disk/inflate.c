/* SPDX-License-Identifier: GPL-2.0-only */
/* Cluster decompression with zlib and libzstd, loaded with dlopen() when a decompressor is made. */
#include <limits.h>
#include <stddef.h>
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
#include "util/dl.h"
#include "util/mem.h"
#include "util/safemath.h"

/* Largest zstd window accepted: 8 MiB. qemu compresses one cluster (<= 2 MiB)
 * per frame, so its frames need at most 2 MiB; a frame asking for more is
 * refused instead of allocating up to libzstd's default of 128 MiB. */
#define ZSTD_WINDOW_LOG_MAX 23

/*
 * The libraries are opened by the decompressor, which the image makes on its
 * first compressed cluster (disk/image.c): an image without one loads neither,
 * and each image's decompressor holds its own reference, closed with it. The
 * functions are called through the tables below, filled by pvb_dl_open().
 */
struct zlib_api {
    int (*init2)(z_streamp, int, const char *, int);  /* inflateInit2_: inflateInit2() unwrapped */
    int (*reset)(z_streamp);
    int (*run)(z_streamp, int);
    int (*end)(z_streamp);
};

static const char *const zlib_sonames[] = { "libz.so.1", NULL };
static const struct pvb_dl_sym zlib_syms[] = {
    { "inflateInit2_", offsetof(struct zlib_api, init2) },
    { "inflateReset", offsetof(struct zlib_api, reset) },
    { "inflate", offsetof(struct zlib_api, run) },
    { "inflateEnd", offsetof(struct zlib_api, end) },
};
static const struct pvb_dl_lib zlib_lib = {
    "a deflate-compressed cluster", zlib_sonames, "Debian: zlib1g", zlib_syms,
    sizeof(zlib_syms) / sizeof(zlib_syms[0])
};
PVB_DL_NOTE(zlib, "[{\"feature\":\"zlib\",\"description\":\"deflate-compressed "
            "qcow and qcow2 clusters\",\"priority\":\"recommended\",\"soname\":[\"libz.so.1\"]}]");

#if PVB_WITH_ZSTD
struct zstd_api {
    ZSTD_DCtx *(*create)(ZSTD_customMem);
    size_t (*free_ctx)(ZSTD_DCtx *);
    size_t (*set_param)(ZSTD_DCtx *, ZSTD_dParameter, int);
    size_t (*reset)(ZSTD_DCtx *, ZSTD_ResetDirective);
    size_t (*stream)(ZSTD_DCtx *, ZSTD_outBuffer *, ZSTD_inBuffer *);
    unsigned (*is_error)(size_t);
    ZSTD_ErrorCode (*error_code)(size_t);
    const char *(*error_name)(size_t);
};

static const char *const zstd_sonames[] = { "libzstd.so.1", NULL };
static const struct pvb_dl_sym zstd_syms[] = {
    { "ZSTD_createDCtx_advanced", offsetof(struct zstd_api, create) },
    { "ZSTD_freeDCtx", offsetof(struct zstd_api, free_ctx) },
    { "ZSTD_DCtx_setParameter", offsetof(struct zstd_api, set_param) },
    { "ZSTD_DCtx_reset", offsetof(struct zstd_api, reset) },
    { "ZSTD_decompressStream", offsetof(struct zstd_api, stream) },
    { "ZSTD_isError", offsetof(struct zstd_api, is_error) },
    { "ZSTD_getErrorCode", offsetof(struct zstd_api, error_code) },
    { "ZSTD_getErrorName", offsetof(struct zstd_api, error_name) },
};
static const struct pvb_dl_lib zstd_lib = {
    "a zstd-compressed cluster", zstd_sonames, "Debian: libzstd1", zstd_syms,
    sizeof(zstd_syms) / sizeof(zstd_syms[0])
};
PVB_DL_NOTE(zstd, "[{\"feature\":\"zstd\",\"description\":\"zstd-compressed "
            "qcow2 clusters (compression_type=zstd)\",\"priority\":\"suggested\","
            "\"soname\":[\"libzstd.so.1\"]}]");
#endif

struct pvb_inflate {
    struct pvb_ctx *ctx;
    enum pvb_codec codec;
    void *lib;                /* the dlopen() handle of zlib or libzstd */
    struct zlib_api zl;
    z_stream zs;
    int zs_live;              /* zs was initialised: inflateEnd() it */
#if PVB_WITH_ZSTD
    struct zstd_api zd;
    ZSTD_DCtx *zctx;
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
    int rc;

    if (z->codec == PVB_CODEC_DEFLATE || z->codec == PVB_CODEC_ZLIB) {
        if ((rc = pvb_dl_open(c, &zlib_lib, &z->zl, &z->lib)) != 0)
            return rc;
        z->zs.zalloc = z_alloc;
        z->zs.zfree = z_free;
        z->zs.opaque = c;
        /* Negative window bits: a raw deflate stream, no zlib header; 15: a zlib stream. */
        if (z->zl.init2(&z->zs, z->codec == PVB_CODEC_ZLIB ? 15 : -12, ZLIB_VERSION,
                        (int)sizeof(z->zs)) != Z_OK)
            return c->err ? c->err : pvb_fail(c, PVB_ENOMEM, "zlib: cannot initialise inflate");
        z->zs_live = 1;
        return 0;
    }
#if PVB_WITH_ZSTD
    {
        ZSTD_customMem mem = { zstd_alloc, zstd_free, NULL };

        if ((rc = pvb_dl_open(c, &zstd_lib, &z->zd, &z->lib)) != 0)
            return rc;
        mem.opaque = c;
        z->zctx = z->zd.create(mem);
        if (!z->zctx)
            return c->err ? c->err : pvb_fail(c, PVB_ENOMEM, "zstd: cannot create a context");
        if (z->zd.is_error(z->zd.set_param(z->zctx, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX)))
            return pvb_fail(c, PVB_ENOMEM, "zstd: cannot limit the window size");
        return 0;
    }
#else
    (void)rc;
    return pvb_fail(c, PVB_ENOLIB, "a zstd-compressed cluster needs libzstd, and this build "
                    "has no zstd support (built with ZSTD=0, without libzstd's headers)");
#endif
}

int pvb_inflate_new(struct pvb_ctx *c, enum pvb_codec codec, struct pvb_inflate **out)
{
    struct pvb_inflate *z;
    int rc;

    if (codec != PVB_CODEC_DEFLATE && codec != PVB_CODEC_ZSTD && codec != PVB_CODEC_ZLIB)
        return pvb_fail(c, PVB_EUNSUPPORTED, "unknown compression type %d", (int)codec);
    z = pvb_zalloc(c, sizeof(*z), "decompressor");
    if (!z)
        return c->err;
    z->ctx = c;
    z->codec = codec;
    c->err = 0;
    rc = init_codec(z);
    if (rc) {
        pvb_inflate_free(z);
        return rc;
    }
    *out = z;
    return 0;
}

void pvb_inflate_free(struct pvb_inflate *z)
{
    if (!z)
        return;
    if (z->zs_live)
        z->zl.end(&z->zs);
#if PVB_WITH_ZSTD
    if (z->zctx)
        z->zd.free_ctx(z->zctx);
#endif
    pvb_dl_close(z->lib);
    pvb_free(z->ctx, z);
}

/* One inflate() call over the whole input into out: zlib's return in *ret, the bytes made in
 * *got. Work is bounded by n and outlen. */
static int deflate_go(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen,
                      int *ret, size_t *got)
{
    *ret = Z_DATA_ERROR;   /* set on every path: the callers read them only on success, */
    *got = 0;              /* but gcc -m32 -O2 cannot see that */
    if (n > UINT_MAX || outlen > UINT_MAX)
        return pvb_fail(z->ctx, PVB_ELIMIT, "deflate: %zu bytes is too large", n);
    if (z->zl.reset(&z->zs) != Z_OK)
        return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: cannot reset the stream");
    z->zs.next_in = (Bytef *)(uintptr_t)in;  /* zlib's API is not const */
    z->zs.avail_in = (uInt)n;
    z->zs.next_out = out;
    z->zs.avail_out = (uInt)outlen;
    *ret = z->zl.run(&z->zs, Z_FINISH);
    *got = outlen - z->zs.avail_out;
    return 0;
}

/* Raw deflate; success as in qemu's qcow2_zlib_decompress(): the output is
 * full, whether or not the stream goes on (Z_BUF_ERROR) or ends (Z_STREAM_END). */
static int run_deflate(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen)
{
    size_t got;
    int ret, rc = deflate_go(z, in, n, out, outlen, &ret, &got);

    if (rc)
        return rc;
    if ((ret == Z_STREAM_END || ret == Z_BUF_ERROR) && got == outlen)
        return 0;
    if (ret == Z_STREAM_END || ret == Z_BUF_ERROR)
        return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: data ends after %zu of %zu bytes",
                        got, outlen);
    return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: corrupt data (%s)",
                    z->zs.msg ? z->zs.msg : "error");
}

#if PVB_WITH_ZSTD
/* Stream in into out until the output is full, a step makes no progress or (one_frame) the
 * frame ends: the bytes made in *got, whether the last frame ended in *ended. Streaming,
 * so trailing sector padding is never parsed as a frame. */
static int zstd_go(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen,
                   int one_frame, size_t *got, int *ended)
{
    ZSTD_inBuffer ib = { in, n, 0 };
    ZSTD_outBuffer ob = { out, outlen, 0 };
    size_t ret = 1;

    *got = 0;
    z->ctx->err = 0;  /* tells an allocation refused by the limits from other errors */
    if (z->zd.is_error(z->zd.reset(z->zctx, ZSTD_reset_session_only)))
        return pvb_fail(z->ctx, PVB_ECORRUPT, "zstd: cannot reset the context");
    while (ob.pos < ob.size && !(one_frame && ret == 0)) {
        size_t in0 = ib.pos, out0 = ob.pos;

        ret = z->zd.stream(z->zctx, &ob, &ib);
        *got = ob.pos;
        if (z->zd.is_error(ret)) {
            if (z->zd.error_code(ret) == ZSTD_error_memory_allocation)
                return z->ctx->err ? z->ctx->err : PVB_ENOMEM;
            return pvb_fail(z->ctx, PVB_ECORRUPT, "zstd: corrupt data (%s)",
                            z->zd.error_name(ret));
        }
        if (ib.pos == in0 && ob.pos == out0)
            break;
    }
    *ended = ret == 0;
    return 0;
}

/* Every step must make progress, and the frame must end with the output full (qemu). */
static int run_zstd(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen)
{
    size_t got;
    int ended, rc = zstd_go(z, in, n, out, outlen, 0, &got, &ended);

    if (rc)
        return rc;
    if (got < outlen)
        return pvb_fail(z->ctx, PVB_ECORRUPT, "zstd: data ends after %zu of %zu bytes", got,
                        outlen);
    if (!ended)
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

int pvb_inflate_run_upto(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen,
                         size_t *got)
{
    int ret, rc;

    *got = 0;
#if PVB_WITH_ZSTD
    if (z->codec == PVB_CODEC_ZSTD)
        return zstd_go(z, in, n, out, outlen, 1, got, &ret);
#endif
    /* Deflate: stream end, input exhausted or output full all stop it. */
    if ((rc = deflate_go(z, in, n, out, outlen, &ret, got)) != 0)
        return rc;
    if (ret == Z_STREAM_END || ret == Z_BUF_ERROR || ret == Z_OK)
        return 0;
    if (ret == Z_MEM_ERROR)
        return z->ctx->err ? z->ctx->err : pvb_fail(z->ctx, PVB_ENOMEM, "zlib: out of memory");
    return pvb_fail(z->ctx, PVB_ECORRUPT, "deflate: corrupt data (%s)",
                    z->zs.msg ? z->zs.msg : "error");
}
