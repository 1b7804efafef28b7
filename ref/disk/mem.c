/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory driver: a disk over a caller's buffer, with a fault injector for tests. */
#include <string.h>

#include "disk/disk.h"
#include "util/budget.h"
#include "util/mem.h"

struct mem {
    const uint8_t *buf;
    unsigned reads;    /* reads served */
    unsigned fail_at;  /* read number that fails; 0: none */
};

static int mem_pread(struct pvb_disk *d, void *buf, size_t len, uint64_t off)
{
    struct mem *m = d->priv;
    int rc;

    if ((rc = pvb_charge(d->ctx, PVB_BUDGET_READ, len)) != 0)
        return rc;
    m->reads++;
    if (m->fail_at && m->reads == m->fail_at)
        return pvb_fail(d->ctx, PVB_EIO, "mem: injected failure of read %u at %llu",
                        m->reads, (unsigned long long)off);
    memcpy(buf, m->buf + off, len);
    return 0;
}

static void mem_close(struct pvb_disk *d)
{
    pvb_free(d->ctx, d->priv);
}

static const struct pvb_disk_ops mem_ops = {
    .name = "mem", .pread = mem_pread, .close = mem_close
};

int pvb_disk_open_mem(struct pvb_ctx *c, const void *buf, size_t len, struct pvb_disk **out)
{
    struct mem *m = pvb_zalloc(c, sizeof(*m), "mem disk");
    int rc;

    if (!m)
        return c->err;
    rc = pvb_disk_new(c, &mem_ops, len, out);
    if (rc) {
        pvb_free(c, m);
        return rc;
    }
    m->buf = buf;
    (*out)->priv = m;
    return 0;
}

void pvb_disk_mem_fail_at(struct pvb_disk *d, unsigned nth)
{
    struct mem *m = d->priv;

    m->fail_at = nth ? m->reads + nth : 0;
}

unsigned pvb_disk_mem_reads(const struct pvb_disk *d)
{
    const struct mem *m = d->priv;

    return m->reads;
}
