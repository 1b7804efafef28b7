/* SPDX-License-Identifier: GPL-2.0-only */
/* Python 3's repr() of a str, which pygrub's sxp output uses for every value. */
#ifndef PVB_CLI_PYREPR_H
#define PVB_CLI_PYREPR_H

#include <stddef.h>

#include "cli/sbuf.h"

/*
 * Append repr(s) for the UTF-8 string s of n bytes, as CPython's
 * unicode_repr does: quoted with ' unless s holds ' and no " (then ");
 * \\, the quote, \t, \n, \r escaped; other controls and code points that
 * str.isprintable() rejects as \xHH, \uHHHH or \UHHHHHHHH. Bytes that are
 * not valid UTF-8 (pygrub would die decoding them) come out as \xHH.
 */
void pvb_pyrepr(struct sbuf *out, const char *s, size_t n);

#endif
