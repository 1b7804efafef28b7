/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: BLS entry files (parse, vercmp, sort, expand) and the blscfg command over them. */
#include <stdlib.h>
#include <string.h>

#include "cfg/cfgint.h"
#include "cfgfuzz.h"
#include "fuzz.h"

static const char *get(void *arg, const char *name)
{
    (void)arg;
    return strlen(name) % 3 ? NULL : strlen(name) % 2 ? "" : "value with  spaces";
}

static void helpers(struct cfgfuzz *f)
{
    struct bls_entry e[CFGFUZZ_FILES], *v[CFGFUZZ_FILES];
    struct pvb_ctx c;
    unsigned i, n = 0;

    fuzz_ctx_init(&c);
    for (i = 0; i < f->fs.n; i++) {
        char id[128];
        const char *o;
        char *s;
        size_t k = f->fs.plen[i] < sizeof(id) - 1 ? f->fs.plen[i] : sizeof(id) - 1;
        memcpy(id, f->fs.path[i], k);
        id[k] = '\0';
        if (pvb_cfg_bls_parse(&c, id, f->fs.data[i], f->fs.dlen[i], &e[n]) != 0) {
            pvb_cfg_bls_entry_free(&c, &e[n]);
            continue;
        }
        if ((o = pvb_cfg_bls_get(&e[n], "options", NULL)) != NULL) {
            s = pvb_cfg_bls_expand(&c, o, get, NULL, 4096);
            pvb_free(&c, s);
        }
        v[n] = &e[n];
        n++;
    }
    for (i = 0; i + 1 < n; i++)
        if (pvb_cfg_vercmp(v[i]->id, v[i + 1]->id) != -pvb_cfg_vercmp(v[i + 1]->id, v[i]->id))
            abort();   /* vercmp must be antisymmetric */
    if (pvb_cfg_bls_sort(v, n, 0) > n)
        abort();
    pvb_cfg_bls_sort(v, n, 1);
    for (i = 0; i < n; i++)
        pvb_cfg_bls_entry_free(&c, &e[i]);
    if (c.mem_used != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char cfg[] = "load_env\nset default=\"$saved_entry\"\nset extra=\"a b\"\n"
                              "insmod blscfg\nblscfg\nmenuentry plain { linux /plain; }\n";
    struct cfgfuzz f;

    /* The input is the entries directory: each packed file is /loader/entries/<path>. */
    cfgfuzz_split(&f, data, size);
    helpers(&f);
    {
        unsigned i;
        char (*names)[160] = malloc(CFGFUZZ_FILES * sizeof(*names));
        if (!names)
            return 0;
        for (i = 0; i < f.fs.n; i++) {
            size_t k = f.fs.plen[i] < 100 ? f.fs.plen[i] : 100;
            memcpy(names[i], "/loader/entries/", 16);
            memcpy(names[i] + 16, f.fs.path[i], k);
            names[i][16 + k] = '\0';
            f.fs.path[i] = names[i];
            f.fs.plen[i] = strlen(names[i]);
        }
        f.config = cfg;
        f.config_len = sizeof(cfg) - 1;
        cfgfuzz_run(&f, &pvb_engine_grub2, "/grub2/grub.cfg");
        free(names);
    }
    return 0;
}
