/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the GRUB environment block parser and load_env over any bytes. */
#include <stdlib.h>
#include <string.h>

#include "cfg/cfgint.h"
#include "cfgfuzz.h"
#include "fuzz.h"

static int count(void *arg, const char *name, const char *value)
{
    (void)name;
    (void)value;
    return ++*(unsigned *)arg > 100000 ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char cfg[] = "load_env\nload_env -f /boot/grub/grubenv saved_entry next_entry\n"
                              "set default=\"${next_entry}\"\nmenuentry a { linux /a $saved_entry; }\n"
                              "menuentry b { linux /b \"$saved_entry\" $kernelopts; }\n";
    struct cfgfuzz f;
    struct pvb_ctx c;
    unsigned n = 0;

    fuzz_ctx_init(&c);
    pvb_cfg_grubenv_parse(&c, (const char *)data, size, 4096, count, &n);
    if (c.mem_used != 0)
        abort();
    memset(&f, 0, sizeof(f));
    f.config = cfg;
    f.config_len = sizeof(cfg) - 1;
    cfgmem_init(&f.fs);
    cfgmem_addn(&f.fs, "/boot/grub/grubenv", 18, (const char *)data, size);
    cfgfuzz_run(&f, &pvb_engine_grub2, "/boot/grub/grub.cfg");
    return 0;
}
