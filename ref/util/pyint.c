/* SPDX-License-Identifier: GPL-2.0-only */
/* int(str) as CPython 3 parses a decimal literal from text. */
#include <ctype.h>

#include "util/pyint.h"

int pvb_py_int(const char *s, long long *out)
{
    unsigned long long v = 0, max;
    int neg = 0, digits = 0, prev_us = 0;

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    max = neg ? 0x8000000000000000ull : 0x7fffffffffffffffull;
    for (; *s; s++) {
        if (*s == '_' && digits && !prev_us) {
            prev_us = 1;
            continue;
        }
        if (!isdigit((unsigned char)*s))
            break;
        if (v > (max - (unsigned)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
        digits++;
        prev_us = 0;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (!digits || prev_us || *s)
        return -1;
    *out = neg ? (long long)(0 - v) : (long long)v;
    return 0;
}
