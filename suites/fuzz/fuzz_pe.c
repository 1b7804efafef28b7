/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the PE/COFF section reader and the .cmdline rule, on any bytes as a file. */
#include <stdlib.h>
#include <string.h>

#include "cfg/pe.h"
#include "fuzz.h"
#include "util/mem.h"

struct mem {
    const uint8_t *p;
    size_t n;
};

static int rd(void *arg, uint64_t off, void *buf, size_t len)
{
    const struct mem *m = arg;

    if (off > m->n || len > m->n - off)
        abort();   /* the reader asks only for bytes it checked */
    memcpy(buf, m->p + off, len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mem m = { data, size };
    struct pvb_ctx c;
    struct pvb_pe pe;
    unsigned i;
    int rc;

    fuzz_ctx_init(&c);
    rc = pvb_pe_parse(&c, "fuzz.efi", size, rd, &m, &pe);
    if (rc && rc != PVB_ENOTMINE && rc != PVB_ECORRUPT)
        abort();
    if (rc == 0) {
        if (pe.nsect > PVB_PE_MAX_SECTIONS)
            abort();
        for (i = 0; i < pe.nsect; i++) {
            const struct pvb_pe_section *s = &pe.sect[i];
            if (s->off > size || s->size > size - s->off)
                abort();
            if (pvb_pe_find(&pe, s->name) > s)
                abort();   /* the first of a name is found */
        }
        {
            const struct pvb_pe_section *s = pvb_pe_find(&pe, ".cmdline");
            if (s) {
                char *t = malloc((size_t)s->size + 1);
                size_t n;
                if (!t)
                    return 0;
                memcpy(t, data + s->off, (size_t)s->size);
                t[s->size] = '\0';
                n = pvb_pe_cmdline(t, (size_t)s->size);
                if (strlen(t) != n || (n && (t[n - 1] == ' ' || (unsigned char)t[n - 1] < 0x20)))
                    abort();
                free(t);
            }
        }
    }
    if (c.mem_used != 0)
        abort();
    return 0;
}
