/* SPDX-License-Identifier: GPL-2.0-only */
/* Python's int() on a string, which pygrub applies to --entry, --offset and --runas. */
#ifndef PVB_UTIL_PYINT_H
#define PVB_UTIL_PYINT_H

/* Surrounding whitespace, an optional sign, decimal digits with single
 * underscores between them ("1_000"). 0 and *out, or -1 (not a number or
 * out of the long long range). */
int pvb_py_int(const char *s, long long *out);

#endif
