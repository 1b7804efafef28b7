/* SPDX-License-Identifier: GPL-2.0-only */
/* The GRUB 2 runtime the builtins and blscfg share: paths on devices, reading files, parsing a
 * string, adding a menu item. It calls nothing of the evaluator (no file cycle). */
#include <stdio.h>
#include <string.h>

#include "cfg/g2.h"

int pvb_g2_resolve(struct g2 *g, const char *spec, char **dev, char **path)
{
    const char *d, *p;
    size_t dl;
    char tmp[256];

    pvb_cfg_split_dev(spec, &d, &dl, &p);
    if (dl == 0 && spec[0] != '(') {
        /* No device: relative to $root (kern/file.c grub_file_get_device_name). */
        d = pvb_g2_get(g, g->cur, "root");
        if (!d)
            d = "";
        dl = strlen(d);
    }
    if (dl >= sizeof(tmp))
        dl = sizeof(tmp) - 1;
    memcpy(tmp, d, dl);
    tmp[dl] = '\0';
    if (pvb_cfg_dev_same(tmp, g->device))
        tmp[0] = '\0';
    *dev = pvb_strndup(g->c, tmp, strlen(tmp));
    *path = pvb_strndup(g->c, p, strlen(p));
    if (!*dev || !*path) {
        pvb_free(g->c, *dev);
        pvb_free(g->c, *path);
        *dev = *path = NULL;   /* callers own what they pass and may free it again */
        return g->c->err;
    }
    return 0;
}

int pvb_g2_read(struct g2 *g, const char *spec, size_t max, char **buf, size_t *len)
{
    char *dev, *path;
    int rc;

    *buf = NULL;
    *len = 0;
    if ((rc = pvb_g2_resolve(g, spec, &dev, &path)) != 0)
        return rc;
    rc = pvb_cfg_read(g->c, g->env, dev, path, max, buf, len);
    pvb_free(g->c, dev);
    pvb_free(g->c, path);
    return rc;
}

int pvb_g2_add_item(struct g2 *g, struct g2_item *it)
{
    struct g2_ctx *x = g->cur;

    struct g2_item *nv;

    if (x->nitems >= g->lim.max_entries)
        return pvb_fail(g->c, PVB_ELIMIT, "config: %s:%u: more than %u menu entries (entry limit)",
                        g->file, g->line, g->lim.max_entries);
    if (!(nv = pvb_grow(g->c, x->items, &x->icap, x->nitems + 1, sizeof(*nv), "menu entries")))
        return g->c->err;
    x->items = nv;
    x->items[x->nitems++] = *it;
    return 0;
}

struct g2_cmd *pvb_g2_parse_string(struct g2 *g, const char *src)
{
    struct g2_parser p;
    struct g2_cmd *head = NULL, **tail = &head, *u;
    int rc;

    memset(&p, 0, sizeof(p));
    p.max_depth = g->lim.max_depth;
    if (pvb_g2_lex_init(&p.lx, g->c, &g->ar, src, strlen(src), g->lim.max_line, g->lim.max_var))
        return NULL;
    while ((rc = pvb_g2_parse_unit(&p, &u)) != 0) {
        if (rc < 0 && rc != PVB_ESYNTAX) {
            head = NULL;
            break;
        }
        for (; rc == 1 && u; u = u->next) {
            *tail = u;
            tail = &u->next;
        }
    }
    pvb_g2_lex_free(&p.lx);
    return head;
}
