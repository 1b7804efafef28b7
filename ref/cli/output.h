/* SPDX-License-Identifier: GPL-2.0-only */
/* pygrub's output formats: sxp, simple and simple0, byte for byte. */
#ifndef PVB_CLI_OUTPUT_H
#define PVB_CLI_OUTPUT_H

#include "cli/sbuf.h"

enum pvb_outfmt { PVB_OUT_SXP, PVB_OUT_SIMPLE, PVB_OUT_SIMPLE0 };

/* "sxp", "simple", "simple0" -> 0 and *f; else -1. */
int pvb_outfmt_parse(const char *name, enum pvb_outfmt *f);

/*
 * Append the record libxl reads. kernel NULL prints as Python's None (pygrub
 * -n); ramdisk and args are left out when NULL or empty. The simple formats
 * refuse a value that contains their separator (XSA-198): -1, nothing added.
 */
int pvb_out_format(struct sbuf *out, enum pvb_outfmt f, const char *kernel, const char *ramdisk,
                   const char *args);

#endif
