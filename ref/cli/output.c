/* SPDX-License-Identifier: GPL-2.0-only */
/* pygrub's format_sxp and format_simple, reproduced exactly (tools/pygrub/src/pygrub). */
#include <string.h>

#include "cli/output.h"
#include "cli/pyrepr.h"

int pvb_outfmt_parse(const char *name, enum pvb_outfmt *f)
{
    if (strcmp(name, "sxp") == 0)
        *f = PVB_OUT_SXP;
    else if (strcmp(name, "simple") == 0)
        *f = PVB_OUT_SIMPLE;
    else if (strcmp(name, "simple0") == 0)
        *f = PVB_OUT_SIMPLE0;
    else
        return -1;
    return 0;
}

static int has(const char *s)
{
    return s && *s;
}

static void sxp_value(struct sbuf *out, const char *key, const char *v)
{
    sbuf_addf(out, "(%s ", key);
    if (v)
        pvb_pyrepr(out, v, strlen(v));
    else
        sbuf_adds(out, "None");
    sbuf_addc(out, ')');
}

/* A value holding the separator would let the guest forge records. Values
 * are C strings, so a NUL (simple0's separator) cannot be inside one: the
 * config readers decide what a NUL byte in a config means. */
static int contains(const char *v, char sep)
{
    return v && sep && strchr(v, sep) != NULL;
}

int pvb_out_format(struct sbuf *out, enum pvb_outfmt f, const char *kernel, const char *ramdisk,
                   const char *args)
{
    char sep = f == PVB_OUT_SIMPLE ? '\n' : '\0';

    if (f == PVB_OUT_SXP) {
        sbuf_adds(out, "linux ");
        sxp_value(out, "kernel", kernel);
        if (has(ramdisk))
            sxp_value(out, "ramdisk", ramdisk);
        if (has(args))
            sxp_value(out, "args", args);
        return 0;
    }
    if (contains(kernel, sep) || contains(ramdisk, sep) || contains(args, sep))
        return -1;
    sbuf_addf(out, "kernel %s", kernel ? kernel : "None");
    sbuf_addc(out, sep);
    if (has(ramdisk)) {
        sbuf_addf(out, "ramdisk %s", ramdisk);
        sbuf_addc(out, sep);
    }
    if (has(args)) {
        sbuf_addf(out, "args %s", args);
        sbuf_addc(out, sep);
    }
    sbuf_addc(out, sep);
    return 0;
}
