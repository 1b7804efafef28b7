/* SPDX-License-Identifier: GPL-2.0-only */
/* Medians, minima and maxima of samples taken by round (a missing round is negative). */
#include <stdlib.h>

#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double bn_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bn_stat_of(const double *v, size_t n, struct bn_stat *out)
{
    double taken[BN_MAX_SAMPLES];
    size_t i, k = 0;

    for (i = 0; v && i < n && k < BN_MAX_SAMPLES; i++)
        if (v[i] >= 0)
            taken[k++] = v[i];
    out->n = (unsigned)k;
    out->med = bn_median(taken, k);
    out->min = k ? taken[0] : 0;
    out->max = k ? taken[k - 1] : 0;
}

double bn_med(const double *v, size_t n)
{
    struct bn_stat s;

    bn_stat_of(v, n, &s);
    return s.n ? s.med : -1;
}
