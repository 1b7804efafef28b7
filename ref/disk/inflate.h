/* SPDX-License-Identifier: GPL-2.0-only */
/* Decompression of one compressed cluster (deflate via zlib, zstd via libzstd) into a fixed-size buffer. */
#ifndef PVB_DISK_INFLATE_H
#define PVB_DISK_INFLATE_H

#include <stddef.h>

#include "util/ctx.h"

/* qcow2 compression_type values (qcow2.txt, header byte 104). */
enum pvb_codec {
    PVB_CODEC_DEFLATE = 0,  /* raw deflate, 4 KiB window (qemu: inflateInit2(-12)) */
    PVB_CODEC_ZSTD = 1,
    PVB_CODEC_ZLIB = 2      /* deflate in a zlib stream (RFC 1950), 32 KiB window: btrfs */
};

struct pvb_inflate;

/* A decompressor whose memory is accounted to c. It dlopen()s its library
 * (util/dl.h) and holds it until pvb_inflate_free(): a host without it, or
 * a zstd one in a build without libzstd's headers (PVB_WITH_ZSTD=0), is
 * PVB_ENOLIB, a host fault that ends the run. */
int pvb_inflate_new(struct pvb_ctx *c, enum pvb_codec codec, struct pvb_inflate **out);
void pvb_inflate_free(struct pvb_inflate *z);

/*
 * Decompress in[0..n) into exactly outlen bytes of out. Input after the end
 * of the stream is ignored (qcow2 rounds compressed sizes up to sectors).
 * Output that stops short of outlen is PVB_ECORRUPT. Output beyond outlen is
 * never produced: deflate stops there, as qcow2.txt says ("decompression
 * stops when it has produced a cluster of data") and qemu does; a zstd frame
 * must end within outlen, as qemu's qcow2_zstd_decompress() requires.
 * Either way the work is bounded by n and outlen.
 */
int pvb_inflate_run(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen);


/*
 * The same, for formats that store the decompressed length beside the data
 * and may stop short of it (btrfs extents): up to outlen bytes, *got the
 * number produced. A stream that ends, or input that runs out, before
 * outlen is not an error here; the caller decides whether the bytes it needs
 * are there. Data that does not decode is PVB_ECORRUPT.
 */
int pvb_inflate_run_upto(struct pvb_inflate *z, const void *in, size_t n, void *out, size_t outlen,
                         size_t *got);

#endif
