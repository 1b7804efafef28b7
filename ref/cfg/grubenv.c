/* SPDX-License-Identifier: GPL-2.0-only */
/* The GRUB environment block (grub-core/lib/envblk.c): `name=value` lines after a signature. */
#include <string.h>

#include "cfg/cfgint.h"

#define SIG "# GRUB Environment Block\n"

/*
 * grub_envblk_open checks only the signature (the file is 1024 bytes when
 * grub-editenv writes it, but load_env reads any size); grub_envblk_iterate
 * skips '#' lines, takes the name up to the first '=' (which may cross a
 * newline: a line without '=' swallows into the next name), the value up to
 * an unescaped newline, and unescapes "\x" to "x". A name with no '=' after
 * it, or a value with no newline, ends the walk ("Broken").
 */
int pvb_cfg_grubenv_parse(struct pvb_ctx *c, const char *buf, size_t len, size_t max_var,
                          cfg_env_fn fn, void *arg)
{
    const char *p, *end = buf + len, *name, *eq, *val;
    char *n, *v, *q;
    int rc;

    if (len < sizeof(SIG) - 1 || memcmp(buf, SIG, sizeof(SIG) - 1) != 0)
        return pvb_fail(c, PVB_ECORRUPT, "grubenv: invalid environment block signature");
    p = buf + sizeof(SIG) - 1;
    while (p < end) {
        if (*p == '#') {
            while (p < end && *p != '\n')
                p++;
            p++;
            continue;
        }
        name = p;
        while (p < end && *p != '=')
            p++;
        if (p >= end)
            return 0;
        eq = p;
        val = p + 1;
        for (p = val; p < end && *p != '\n'; p++)
            if (*p == '\\')
                p++;
        if (p >= end)
            return 0;
        if ((size_t)(eq - name) > max_var || (size_t)(p - val) > max_var)
            return pvb_fail(c, PVB_ELIMIT, "grubenv: variable longer than the variable limit of %zu bytes",
                            max_var);
        n = pvb_strndup(c, name, (size_t)(eq - name));
        v = pvb_alloc(c, (size_t)(p - val) + 1, "grubenv value");
        if (!n || !v) {
            pvb_free(c, n);
            pvb_free(c, v);
            return c->err;
        }
        for (q = v; val < p; val++) {
            if (*val == '\\')
                val++;
            *q++ = *val;
        }
        *q = '\0';
        rc = fn(arg, n, v);
        pvb_free(c, n);
        pvb_free(c, v);
        if (rc)
            return rc;
        p++;
    }
    return 0;
}
