/* SPDX-License-Identifier: GPL-2.0-only */
/* The safemath tests again, on the portable fallback an old compiler would use. */
#define PVB_NO_BUILTINS 1
#include "test_safemath.c"
