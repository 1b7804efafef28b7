/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: partition table scanning (MBR, logical chains, GPT) over any bytes. */
#include <stdlib.h>

#include "disk/disk.h"
#include "fuzz.h"
#include "part/part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pvb_part_table t;
    struct pvb_disk *d, *v;
    struct pvb_ctx c;
    unsigned i;

    fuzz_ctx_init(&c);
    if (pvb_disk_open_mem(&c, data, size, &d))
        return 0;
    if (pvb_part_scan(d, &t) == 0) {
        for (i = 0; i < t.count; i++) {
            uint8_t b[2];
            if (pvb_part_open(d, &t.vols[i], &v) != 0)
                abort();  /* every volume returned must lie inside the disk */
            if (v->size >= 2) {
                pvb_disk_pread(v, b, 1, 0);
                pvb_disk_pread(v, b + 1, 1, v->size - 1);
            }
            pvb_disk_close(v);
        }
        pvb_part_free(&c, &t);
    }
    pvb_disk_close(d);
    if (c.mem_used != 0)
        abort();  /* a leak */
    return 0;
}
