/* SPDX-License-Identifier: GPL-2.0-only */
/* LZO1X decompression written from the kernel's description of the stream (Documentation/staging/lzo.rst). */
#include "util/lzo.h"

/* A cursor over the input and the output, both bounded. */
struct lz {
    const uint8_t *in;
    size_t n, ip;
    uint8_t *out;
    size_t cap, op;
};

/* A length with `mask` as its bits in the instruction: 0 means mask plus 255 for every zero byte,
 * plus the first non-zero byte. */
static int varlen(struct lz *z, unsigned v, unsigned mask, size_t *len)
{
    size_t add = 0;

    if (v) {
        *len = v;
        return 0;
    }
    for (;;) {
        if (z->ip >= z->n)
            return PVB_LZO_INPUT_OVERRUN;
        if (z->in[z->ip] != 0)
            break;
        z->ip++;
        if (add >= (size_t)-1 / 2)   /* only on a 32-bit host given gigabytes of zeros */
            return PVB_LZO_INPUT_OVERRUN;
        add += 255;
    }
    *len = mask + add + z->in[z->ip++];
    return 0;
}

static int literals(struct lz *z, size_t t)
{
    if (t > z->n - z->ip)
        return PVB_LZO_INPUT_OVERRUN;
    if (t > z->cap - z->op)
        return PVB_LZO_OUTPUT_OVERRUN;
    while (t--)
        z->out[z->op++] = z->in[z->ip++];
    return 0;
}

/* A back reference: dist bytes behind the output pointer, len bytes (may overlap). */
static int match(struct lz *z, size_t dist, size_t len)
{
    if (dist > z->op)
        return PVB_LZO_LOOKBEHIND;
    if (len > z->cap - z->op)
        return PVB_LZO_OUTPUT_OVERRUN;
    while (len--) {
        z->out[z->op] = z->out[z->op - dist];
        z->op++;
    }
    return 0;
}

static int need(const struct lz *z, size_t k)
{
    return k > z->n - z->ip ? PVB_LZO_INPUT_OVERRUN : 0;
}

/* One instruction after the first byte; state is the literals the last one copied (0..3, 4). */
static int step(struct lz *z, unsigned *state, int *end)
{
    unsigned inst, s;
    size_t len, dist, v;
    int rc;

    if ((rc = need(z, 1)) != 0)
        return rc;
    inst = z->in[z->ip++];
    if (inst < 16 && *state == 0) {                 /* 0000LLLL: a long literal run */
        if ((rc = varlen(z, inst, 15, &len)) != 0 || (rc = literals(z, len + 3)) != 0)
            return rc;
        *state = 4;
        return 0;
    }
    if (inst < 16) {                                 /* 0000DDSS + H */
        if ((rc = need(z, 1)) != 0)
            return rc;
        dist = ((size_t)z->in[z->ip++] << 2) + ((inst >> 2) & 3) + (*state == 4 ? 2049 : 1);
        len = *state == 4 ? 3 : 2;
        s = inst & 3;
    } else if (inst < 64) {                          /* 0001HLLL or 001LLLLL + LE16 */
        unsigned mask = inst < 32 ? 7 : 31;

        if ((rc = varlen(z, inst & mask, mask, &len)) != 0 || (rc = need(z, 2)) != 0)
            return rc;
        v = (size_t)z->in[z->ip] | (size_t)z->in[z->ip + 1] << 8;
        z->ip += 2;
        len += 2;
        s = (unsigned)(v & 3);
        if (inst < 32) {
            dist = 16384 + ((size_t)(inst & 8) << 11) + (v >> 2);
            if (dist == 16384) {                      /* the end marker */
                *end = 1;
                return 0;
            }
        } else {
            dist = (v >> 2) + 1;
        }
    } else {                                          /* 01LDDDSS, 1LLDDDSS + H */
        if ((rc = need(z, 1)) != 0)
            return rc;
        len = inst < 128 ? 3 + ((inst >> 5) & 1) : 5 + ((inst >> 5) & 3);
        dist = ((size_t)z->in[z->ip++] << 3) + ((inst >> 2) & 7) + 1;
        s = inst & 3;
    }
    if ((rc = match(z, dist, len)) != 0 || (rc = literals(z, s)) != 0)
        return rc;
    *state = s;
    return 0;
}

int pvb_lzo1x_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got)
{
    struct lz z;
    unsigned state = 0;
    int end = 0, rc = 0;

    z.in = in;
    z.n = n;
    z.ip = 0;
    z.out = out;
    z.cap = cap;
    z.op = 0;
    if (n == 0) {
        rc = PVB_LZO_INPUT_OVERRUN;
    } else if (in[0] >= 18) {                         /* the first byte: literals only */
        size_t t = (size_t)in[0] - 17;

        z.ip = 1;
        rc = literals(&z, t);
        state = t < 4 ? (unsigned)t : 4;
    }
    /* Each step consumes at least one input byte: at most n steps. */
    while (!rc && !end)
        rc = step(&z, &state, &end);
    *got = z.op;
    if (!rc && z.ip != n)
        rc = PVB_LZO_INPUT_NOT_CONSUMED;
    return rc;
}

const char *pvb_lzo_strerror(int rc)
{
    switch (rc) {
    case PVB_LZO_OK: return "ok";
    case PVB_LZO_INPUT_OVERRUN: return "the stream ends before its end marker";
    case PVB_LZO_OUTPUT_OVERRUN: return "more output than its buffer";
    case PVB_LZO_LOOKBEHIND: return "a match before the start of the output";
    case PVB_LZO_INPUT_NOT_CONSUMED: return "bytes after the end marker";
    default: return "unknown error";
    }
}
