/* SPDX-License-Identifier: GPL-2.0-only */
/* The config fuzz targets' environment: files packed into the input, served from memory. */
#include <stdlib.h>
#include <string.h>

#include "../cfgfuzz.h"
#include "../fuzz.h"
#include "util/mem.h"

void cfgfuzz_split(struct cfgfuzz *f, const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *sep;

    memset(f, 0, sizeof(*f));
    cfgmem_init(&f->fs);
    sep = memchr(p, CFGFUZZ_SEP, size);
    f->config = p;
    f->config_len = sep ? (size_t)(sep - p) : size;
    while (sep && f->fs.n < CFGFUZZ_FILES) {
        const char *start = sep + 1, *nl;
        sep = memchr(start, CFGFUZZ_SEP, (size_t)(end - start));
        nl = memchr(start, '\n', (size_t)((sep ? sep : end) - start));
        if (!nl)
            continue;
        cfgmem_addn(&f->fs, start, (size_t)(nl - start), nl + 1,
                    (size_t)((sep ? sep : end) - nl - 1));
    }
}

/* A byte range of a file (a UKI's section) lies inside that file as the env serves it. */
static int slice_inside(const struct cfgfuzz *f, const struct pvb_cfg_file *x)
{
    unsigned i;

    for (i = 0; i < f->fs.n; i++)
        if (f->fs.plen[i] == strlen(x->path) && memcmp(f->fs.path[i], x->path, f->fs.plen[i]) == 0)
            return f->fs.data[i] && x->off <= f->fs.dlen[i] && x->len <= f->fs.dlen[i] - x->off;
    return 0;
}

void cfgfuzz_run(struct cfgfuzz *f, const struct pvb_cfg_engine *fmt, const char *path)
{
    struct pvb_cfg_opts o;
    struct pvb_cfg_env env;
    struct pvb_menu *m = NULL;
    struct pvb_ctx c;
    unsigned i, k;
    int rc;

    fuzz_ctx_init(&c);
    c.lim.max_steps = 20000;   /* keep one input fast */
    pvb_cfg_opts_init(&o);
    o.engine = fmt;
    o.path = path;
    o.flags = PVB_CFG_LOAD_ALL;
    o.max_entries = 500;
    o.max_var = 4096;
    o.max_line = 8192;
    cfgmem_env(&f->fs, &env);
    rc = pvb_cfg_eval(&c, &o, &env, f->config, f->config_len, &m);
    if ((rc == 0 || rc == PVB_ENOBOOT) && !m)
        abort();
    if (rc && rc != PVB_ENOBOOT && m)
        abort();
    if (m) {
        if (m->chosen >= (int)m->count)
            abort();
        for (i = 0; i < m->count; i++) {
            const struct pvb_cfg_entry *e = &m->entries[i];
            if (!e->title || !e->id || !e->file || !e->submenu || !e->classes)
                abort();
            if (e->kernel.path && (!e->kernel.dev || !e->args))
                abort();
            if (e->kernel.slice && !slice_inside(f, &e->kernel))
                abort();   /* a UKI section must lie inside its file */
            for (k = 0; k < e->ninitrd; k++)
                if (e->initrd[k].slice && !slice_inside(f, &e->initrd[k]))
                    abort();
            pvb_cfg_load(m, i);
        }
        pvb_menu_free(m);
    }
    if (c.mem_used != 0)
        abort();   /* a leak */
}
