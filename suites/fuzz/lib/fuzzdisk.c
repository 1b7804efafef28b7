/* SPDX-License-Identifier: GPL-2.0-only */
/* Open fuzz input as an image format and read across its virtual disk, checking for leaks. */
#include <stdlib.h>

#include "../fuzz.h"
#include "../fuzzdisk.h"
#include "disk/disk.h"
#include "disk/format.h"

#define PIECE 65536
#define HEAD (4 * PIECE)  /* bytes read from the start */
#define PROBES 32         /* reads spread over the rest of the disk */

static void check_rc(int rc)
{
    if (rc > 0 || rc <= -PVB_ERR_COUNT)
        abort();  /* every error is one of the PVB_E* codes */
}

static void read_across(struct pvb_disk *d)
{
    static uint8_t buf[PIECE];
    uint64_t off;
    unsigned i;

    for (off = 0; off < d->size && off < HEAD; off += PIECE) {
        size_t n = d->size - off < PIECE ? (size_t)(d->size - off) : PIECE;
        int rc = pvb_disk_pread(d, buf, n, off);

        check_rc(rc);
        if (rc)
            return;
    }
    for (i = 1; i <= PROBES && d->size > HEAD; i++) {
        off = HEAD + (d->size - HEAD) / PROBES * i - 1;
        check_rc(pvb_disk_pread(d, buf, off + 4096 <= d->size ? 4096 : 1, off));
    }
}

int fuzz_disk_format(const uint8_t *data, size_t size, const char *format)
{
    struct pvb_disk_opts o = { NULL, 0, NULL };
    struct pvb_disk *file, *d;
    struct pvb_ctx c;
    int rc;

    fuzz_ctx_init(&c);
    o.format = format;
    if (pvb_disk_open_mem(&c, data, size, &file))
        return 0;
    rc = pvb_format_open(&c, file, NULL, &o, &d);
    check_rc(rc);
    if (rc) {
        pvb_disk_close(file);
    } else {
        read_across(d);
        pvb_disk_close(d);
    }
    if (c.mem_used != 0)
        abort();  /* a leak */
    return 0;
}
