/* SPDX-License-Identifier: GPL-2.0-only */
/* Python's repr() of a string, byte-identical for what pygrub prints. */
#include <stdint.h>
#include <string.h>

#include "cli/pyrepr.h"
#include "cli/pyrepr_table.h"

#define NRANGES (sizeof(pyrepr_unprintable) / sizeof(pyrepr_unprintable[0]))

static int printable(uint32_t cp)
{
    size_t lo = 0, hi = NRANGES;

    if (cp < 0x80)
        return cp >= 0x20 && cp < 0x7f;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < pyrepr_unprintable[mid][0])
            hi = mid;
        else if (cp > pyrepr_unprintable[mid][1])
            lo = mid + 1;
        else
            return 0;
    }
    return 1;
}

/* Decode one UTF-8 sequence at s (n bytes left); 0 if it is not valid
 * (overlong, surrogate, past U+10FFFF, truncated). */
static size_t utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len, i;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        c = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        c = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

void pvb_pyrepr(struct sbuf *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    char quote = '\'';
    size_t i = 0;

    if (memchr(s, '\'', n) && !memchr(s, '"', n))
        quote = '"';
    sbuf_addc(out, quote);
    while (i < n) {
        uint32_t cp;
        size_t len = utf8(s + i, n - i, &cp);

        if (len == 0) {
            sbuf_addf(out, "\\x%02x", s[i]);
            i++;
            continue;
        }
        if (cp == (uint32_t)quote || cp == '\\') {
            sbuf_addc(out, '\\');
            sbuf_addc(out, (char)cp);
        } else if (cp == '\t') {
            sbuf_adds(out, "\\t");
        } else if (cp == '\n') {
            sbuf_adds(out, "\\n");
        } else if (cp == '\r') {
            sbuf_adds(out, "\\r");
        } else if (printable(cp)) {
            sbuf_add(out, s + i, len);
        } else if (cp <= 0xff) {
            sbuf_addf(out, "\\x%02x", (unsigned)cp);
        } else if (cp <= 0xffff) {
            sbuf_addf(out, "\\u%04x", (unsigned)cp);
        } else {
            sbuf_addf(out, "\\U%08lx", (unsigned long)cp);
        }
        i += len;
    }
    sbuf_addc(out, quote);
}
