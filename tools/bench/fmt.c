/* SPDX-License-Identifier: GPL-2.0-only */
/* Figures as short text: milliseconds, byte counts and ratios with as many digits as they merit. */
#include <stdio.h>

#include "bench.h"

/* v in a unit, with fewer decimals as it grows: 2.13, 45.6, 120. */
static const char *scaled(char *buf, size_t n, double v, double unit)
{
    double x = v * unit;

    if (v < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, x < 10 ? "%.2f" : x < 100 ? "%.1f" : "%.0f", x);
    return buf;
}

const char *bn_fmt_ms(char *buf, size_t n, double seconds)
{
    return scaled(buf, n, seconds, 1e3);
}

const char *bn_fmt_us(char *buf, size_t n, double seconds)
{
    return scaled(buf, n, seconds, 1e6);
}

const char *bn_fmt_bytes(char *buf, size_t n, double bytes)
{
    if (bytes < 0)
        snprintf(buf, n, "-");
    else if (bytes < 1024)
        snprintf(buf, n, "%.0fB", bytes);
    else if (bytes < BN_MIB)
        snprintf(buf, n, "%.0fK", bytes / BN_KIB);
    else
        snprintf(buf, n, "%.1fM", bytes / BN_MIB);
    return buf;
}

const char *bn_fmt_x(char *buf, size_t n, double ratio)
{
    if (ratio < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, ratio < 10 ? "x%.2f" : ratio < 100 ? "x%.1f" : "x%.0f", ratio);
    return buf;
}

const char *bn_fmt_mbs(char *buf, size_t n, double bytes, double seconds)
{
    if (seconds <= 0 || bytes < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.0f", bytes / seconds / 1e6);
    return buf;
}
