/* SPDX-License-Identifier: GPL-2.0-only */
/* Little/big-endian field decoders and a bounded byte cursor over buffers. */
#ifndef PVB_UTIL_BYTES_H
#define PVB_UTIL_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * On-disk fields are decoded where they are read, from byte buffers at named
 * offsets, never by casting a packed struct: that keeps the code endian- and
 * alignment-clean (ext, GPT, MBR are little-endian; XFS, qcow, vhd big-endian).
 * Bytes are widened to unsigned before shifting (libarchive archive_endian.h).
 */
static inline uint16_t pvb_le16(const void *v)
{
    const uint8_t *p = v;
    return (uint16_t)((unsigned)p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t pvb_le32(const void *v)
{
    const uint8_t *p = v;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pvb_le64(const void *v)
{
    const uint8_t *p = v;
    return (uint64_t)pvb_le32(p) | (uint64_t)pvb_le32(p + 4) << 32;
}

static inline uint16_t pvb_be16(const void *v)
{
    const uint8_t *p = v;
    return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}

static inline uint32_t pvb_be32(const void *v)
{
    const uint8_t *p = v;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t pvb_be64(const void *v)
{
    const uint8_t *p = v;
    return (uint64_t)pvb_be32(p) << 32 | (uint64_t)pvb_be32(p + 4);
}

/* Encoders, for tests and tools that build images. */
static inline void pvb_put_le16(void *v, uint16_t x)
{
    uint8_t *p = v;
    p[0] = (uint8_t)x;
    p[1] = (uint8_t)(x >> 8);
}

static inline void pvb_put_le32(void *v, uint32_t x)
{
    uint8_t *p = v;
    p[0] = (uint8_t)x;
    p[1] = (uint8_t)(x >> 8);
    p[2] = (uint8_t)(x >> 16);
    p[3] = (uint8_t)(x >> 24);
}

static inline void pvb_put_le64(void *v, uint64_t x)
{
    uint8_t *p = v;
    pvb_put_le32(p, (uint32_t)x);
    pvb_put_le32(p + 4, (uint32_t)(x >> 32));
}

static inline void pvb_put_be16(void *v, uint16_t x)
{
    uint8_t *p = v;
    p[0] = (uint8_t)(x >> 8);
    p[1] = (uint8_t)x;
}

static inline void pvb_put_be32(void *v, uint32_t x)
{
    uint8_t *p = v;
    p[0] = (uint8_t)(x >> 24);
    p[1] = (uint8_t)(x >> 16);
    p[2] = (uint8_t)(x >> 8);
    p[3] = (uint8_t)x;
}

static inline void pvb_put_be64(void *v, uint64_t x)
{
    uint8_t *p = v;
    pvb_put_be32(p, (uint32_t)(x >> 32));
    pvb_put_be32(p + 4, (uint32_t)x);
}

/*
 * A cursor reads fields in sequence from a buffer of known length. An
 * overrun yields zeros and sets `bad`, which stays set: decode a whole
 * record, then check bad once (like a sticky stream error).
 */
struct pvb_cur {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    int bad;
};

static inline void pvb_cur_init(struct pvb_cur *c, const void *buf, size_t len)
{
    c->buf = buf;
    c->len = len;
    c->pos = 0;
    c->bad = 0;
}

static inline size_t pvb_cur_left(const struct pvb_cur *c)
{
    return c->len - c->pos;
}

/* n bytes at the cursor, advancing it; NULL (and bad) if fewer remain. */
static inline const uint8_t *pvb_cur_take(struct pvb_cur *c, size_t n)
{
    const uint8_t *p;

    if (c->bad || n > c->len - c->pos) {
        c->bad = 1;
        return NULL;
    }
    p = c->buf + c->pos;
    c->pos += n;
    return p;
}

static inline void pvb_cur_seek(struct pvb_cur *c, size_t pos)
{
    if (pos > c->len)
        c->bad = 1;
    else
        c->pos = pos;
}

static inline void pvb_cur_skip(struct pvb_cur *c, size_t n)
{
    (void)pvb_cur_take(c, n);
}

static inline uint8_t pvb_cur_u8(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 1);
    return p ? p[0] : 0;
}

static inline uint16_t pvb_cur_le16(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 2);
    return p ? pvb_le16(p) : 0;
}

static inline uint32_t pvb_cur_le32(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 4);
    return p ? pvb_le32(p) : 0;
}

static inline uint64_t pvb_cur_le64(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 8);
    return p ? pvb_le64(p) : 0;
}

static inline uint16_t pvb_cur_be16(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 2);
    return p ? pvb_be16(p) : 0;
}

static inline uint32_t pvb_cur_be32(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 4);
    return p ? pvb_be32(p) : 0;
}

static inline uint64_t pvb_cur_be64(struct pvb_cur *c)
{
    const uint8_t *p = pvb_cur_take(c, 8);
    return p ? pvb_be64(p) : 0;
}

/* Copy n bytes out; zeros and bad on overrun. */
static inline void pvb_cur_copy(struct pvb_cur *c, void *out, size_t n)
{
    const uint8_t *p = pvb_cur_take(c, n);

    if (p)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

#endif
