/* SPDX-License-Identifier: GPL-2.0-only */
/* The config engines' entry point: limits, the engine's evaluation, the chosen entry's checks. */
#include <stdio.h>
#include <string.h>

#include "cfg/cfgint.h"

void pvb_cfg_opts_init(struct pvb_cfg_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->engine = &pvb_engine_grub2;
    o->path = "/boot/grub2/grub.cfg";
    o->device = "hd0,msdos1";
}

int pvb_cfg_eval(struct pvb_ctx *c, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                 const char *buf, size_t len, struct pvb_menu **out)
{
    static const struct pvb_cfg_env none;
    struct pvb_cfg_opts oo = *o;
    struct pvb_cfg_lim l;
    struct pvb_mb *b;
    int rc;

    *out = NULL;
    if (!env)
        env = &none;
    if (!oo.engine)
        oo.engine = &pvb_engine_grub2;
    if (!oo.path)
        oo.path = "/boot/grub2/grub.cfg";
    if (!oo.device)
        oo.device = "hd0,msdos1";
    pvb_cfg_lim_resolve(c, &oo, &l);
    if (len > l.max_config)
        return pvb_fail(c, PVB_ELIMIT, "config: %s: %zu bytes is larger than the config limit of %zu",
                        oo.path, len, l.max_config);
    if ((rc = pvb_charge(c, PVB_BUDGET_CONFIG, len)) != 0)
        return rc;
    if (!(b = pvb_mb_new(c, oo.engine, l.max_entries)))
        return c->err;
    snprintf(b->m->device, sizeof(b->m->device), "%s", oo.device);
    rc = oo.engine->eval(b, &oo, env, &l, buf, len);
    if (!rc && b->m->chosen >= 0) {
        const struct pvb_cfg_entry *e = &b->m->entries[b->m->chosen];
        if (e->unbootable)
            rc = pvb_fail(c, PVB_ENOBOOT, "config: entry %d (%s) cannot boot a PV guest: %s",
                          b->m->chosen, e->title, e->unbootable);
        else if (!e->kernel.path)
            rc = pvb_fail(c, PVB_ENOBOOT, "config: entry %d (%s) loads no kernel", b->m->chosen,
                          e->title);
    }
    if (rc && rc != PVB_ENOBOOT) {
        pvb_menu_free(b->m);
        return rc;
    }
    /* PVB_ENOBOOT still hands the menu over so callers can list it. */
    *out = b->m;
    return rc;
}

int pvb_cfg_load(struct pvb_menu *m, unsigned i)
{
    if (i >= m->count)
        return pvb_fail(m->ctx, PVB_EINVAL, "config: no entry %u", i);
    if (m->entries[i].loaded || !m->engine->load)
        return 0;
    return m->engine->load(m, i);
}
