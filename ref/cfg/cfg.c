/* The config engines' entry point: limits, dispatch by format, the chosen entry's checks. */
#include <string.h>

#include "cfg/cfgint.h"

void pvb_cfg_opts_init(struct pvb_cfg_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->format = PVB_CFG_GRUB2;
    o->path = "/boot/grub2/grub.cfg";
    o->device = "hd0,msdos1";
}

/* GRUB legacy and syslinux try the fallback entries when the chosen one loads nothing. */
static int fallback(struct pvb_mb *b)
{
    struct pvb_menu *m = b->m;
    unsigned k;
    int first = m->chosen;

    if (m->entries[first].kernel.path || m->entries[first].unbootable)
        return 0;
    for (k = 0; k < m->nfallback; k++) {
        int i = m->fallback[k];
        if (m->entries[i].kernel.path) {
            m->chosen = i;
            return pvb_mb_why(b, "entry %d loads no kernel; fallback entry %d", first, i);
        }
    }
    return 0;
}

int pvb_cfg_eval(struct pvb_ctx *c, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                 const char *buf, size_t len, struct pvb_menu **out)
{
    static const struct pvb_cfg_env none;
    struct pvb_cfg_opts oo = *o;
    struct pvb_cfg_lim l;
    struct pvb_mb b;
    int rc;

    *out = NULL;
    if (!env)
        env = &none;
    if (!oo.path)
        oo.path = "/boot/grub2/grub.cfg";
    if (!oo.device)
        oo.device = "hd0,msdos1";
    pvb_cfg_lim_resolve(c, &oo, &l);
    if (len > l.max_config)
        return pvb_fail(c, PVB_ELIMIT, "config: %s: %zu bytes is larger than the config limit of %zu",
                        oo.path, len, l.max_config);
    if ((rc = pvb_charge(c, PVB_BUDGET_CONFIG, len)) != 0 ||
        (rc = pvb_mb_init(&b, c, oo.format, l.max_entries)) != 0)
        return rc;
    switch (oo.format) {
    case PVB_CFG_GRUB2:
        rc = pvb_cfg_grub2(&b, &oo, env, &l, buf, len);
        break;
    case PVB_CFG_GRUB1:
        rc = pvb_cfg_grub1(&b, &oo, env, &l, buf, len);
        break;
    case PVB_CFG_EXTLINUX:
        rc = pvb_cfg_extlinux(&b, &oo, env, &l, buf, len);
        break;
    case PVB_CFG_LILO:
        rc = pvb_cfg_lilo(&b, &oo, &l, buf, len);
        break;
    default:
        rc = pvb_fail(c, PVB_EINVAL, "config: unknown format %d", (int)oo.format);
        break;
    }
    if (!rc && oo.format != PVB_CFG_GRUB2)
        rc = fallback(&b);
    if (!rc && b.m->chosen >= 0) {
        const struct pvb_cfg_entry *e = &b.m->entries[b.m->chosen];
        if (e->unbootable)
            rc = pvb_fail(c, PVB_ENOBOOT, "config: entry %d (%s) cannot boot a PV guest: %s",
                          b.m->chosen, e->title, e->unbootable);
        else if (!e->kernel.path)
            rc = pvb_fail(c, PVB_ENOBOOT, "config: entry %d (%s) loads no kernel", b.m->chosen,
                          e->title);
    }
    if (rc && rc != PVB_ENOBOOT) {
        pvb_mb_discard(&b);
        return rc;
    }
    /* PVB_ENOBOOT still hands the menu over so callers can list it. */
    *out = b.m;
    return rc;
}

int pvb_cfg_load(struct pvb_menu *m, unsigned i)
{
    if (i >= m->count)
        return pvb_fail(m->ctx, PVB_EINVAL, "config: no entry %u", i);
    if (m->entries[i].loaded)
        return 0;
    if (m->format == PVB_CFG_GRUB2)
        return pvb_cfg_grub2_load(m, i);
    return 0;
}
