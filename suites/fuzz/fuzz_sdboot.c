/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: systemd-boot's loader.conf with Type #1 entries, UKIs and add-ons, from any bytes. */
#include <stdlib.h>
#include <string.h>

#include "cfg/cfgint.h"
#include "cfgfuzz.h"
#include "fuzz.h"

/* The version comparison is a total order and the glob matcher ends, on the files' first lines. */
static void helpers(const struct cfgfuzz *f)
{
    char a[256], b[256];
    unsigned i;

    for (i = 0; i + 1 < f->fs.n; i++) {
        size_t x = f->fs.dlen[i] < sizeof(a) - 1 ? f->fs.dlen[i] : sizeof(a) - 1;
        size_t y = f->fs.dlen[i + 1] < sizeof(b) - 1 ? f->fs.dlen[i + 1] : sizeof(b) - 1;
        if (!f->fs.data[i] || !f->fs.data[i + 1])
            continue;
        memcpy(a, f->fs.data[i], x);
        a[x] = '\0';
        memcpy(b, f->fs.data[i + 1], y);
        b[y] = '\0';
        if (pvb_cfg_uapi_vercmp(a, b) != -pvb_cfg_uapi_vercmp(b, a))
            abort();
        if (pvb_cfg_uapi_vercmp(a, a) != 0)
            abort();
        (void)pvb_cfg_sd_fnmatch(a, b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfgfuzz f;

    /* The config is loader.conf; each packed file is a path on the ESP
     * (/loader/entries/NAME.conf, /EFI/Linux/NAME.efi, NAME.efi.extra.d/X.addon.efi, kernels). */
    cfgfuzz_split(&f, data, size);
    helpers(&f);
    cfgfuzz_run(&f, &pvb_engine_sdboot, "/loader/loader.conf");
    cfgfuzz_run(&f, &pvb_engine_sdboot, "/EFI/systemd/systemd-bootx64.efi");
    return 0;
}
