/* SPDX-License-Identifier: GPL-2.0-only */
/* The config engine table: searched in this order on every volume (pygrub's, then lilo, then
 * systemd-boot: a volume holding a config pygrub reads boots what pygrub boots; a PV guest has
 * no EFI boot order to say which of two installed bootloaders the firmware would start). */
#include <stddef.h>
#include <string.h>

#include "cfg/cfg.h"

const struct pvb_cfg_engine *const pvb_cfg_engines[] = {
    &pvb_engine_grub2,
    &pvb_engine_extlinux,
    &pvb_engine_grub1,
    &pvb_engine_lilo,
    &pvb_engine_sdboot,
    NULL
};

const struct pvb_cfg_engine *pvb_cfg_engine_find(const char *name)
{
    unsigned i;

    for (i = 0; pvb_cfg_engines[i]; i++)
        if (strcmp(pvb_cfg_engines[i]->name, name) == 0)
            return pvb_cfg_engines[i];
    return NULL;
}

const struct pvb_cfg_engine *pvb_cfg_engine_for_file(const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *const *n;
    unsigned i;

    for (i = 0; pvb_cfg_engines[i]; i++)
        for (n = pvb_cfg_engines[i]->names; *n; n++)
            if (strcmp(*n, base) == 0)
                return pvb_cfg_engines[i];
    return NULL;
}
