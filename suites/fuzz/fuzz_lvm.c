/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: LVM2 volumes (labels, metadata areas, the text parser, mapped views) over any bytes. */
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "fuzz.h"
#include "part/part.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "vol/lvm.h"
#include "vol/vol.h"

/*
 * Checksums would stop almost every mutation at the label: where the input has a
 * label in sector 1 and a metadata area its PV header names, they are written
 * again on a copy (the checks themselves are held by suites/unit/test_lvm.c).
 */
static void fix_checksums(uint8_t *img, size_t size)
{
    uint8_t *lab = img + 512, *h;
    uint64_t moff, msize, toff, tsize, first;
    uint32_t off, sum;

    if (size < 1024 || memcmp(lab, "LABELONE", 8) != 0)
        return;
    off = pvb_le32(lab + 20);
    if (off < 32 || off > 512 - 40 - 48)
        return;
    /* the first metadata area, after a single data area */
    moff = pvb_le64(lab + off + 72);
    msize = pvb_le64(lab + off + 80);
    pvb_put_le32(lab + 16, pvb_crc32_update(PVB_LVM_INITIAL_CRC, lab + 20, 512 - 20));
    if (moff >= size || msize < 512 || msize > size - moff)
        return;
    h = img + moff;
    toff = pvb_le64(h + 40);
    tsize = pvb_le64(h + 48);
    if (toff >= 512 && toff < msize && tsize <= msize - 512) {
        first = msize - toff < tsize ? msize - toff : tsize;
        sum = pvb_crc32_update(PVB_LVM_INITIAL_CRC, h + toff, (size_t)first);
        sum = pvb_crc32_update(sum, h + 512, (size_t)(tsize - first));
        pvb_put_le32(h + 56, sum);
    }
    pvb_put_le32(h, pvb_crc32_update(PVB_LVM_INITIAL_CRC, h + 4, 512 - 4));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pvb_part_table t;
    struct pvb_vol_set set;
    struct pvb_lvm_tree tree;
    struct pvb_disk *d, *v;
    struct pvb_ctx c;
    uint8_t *img, b[4096];
    unsigned i;

    fuzz_ctx_init(&c);
    c.lim.max_vol_items = 4096;
    /* the text parser on the bytes as they are */
    pvb_lvm_parse(&c, (const char *)data, size, &tree);
    pvb_lvm_tree_free(&c, &tree);
    pvb_ctx_clear(&c);
    img = malloc(size ? size : 1);
    if (!img)
        return 0;
    memcpy(img, data, size);
    fix_checksums(img, size);
    if (pvb_disk_open_mem(&c, img, size, &d) == 0) {
        if (pvb_part_scan(d, &t) == 0) {
            if (pvb_vol_scan(d, &t, &set) == 0) {
                for (i = 0; i < set.count; i++) {
                    const struct pvb_lv *lv = &set.lvs[i];
                    size_t n;

                    if (pvb_vol_open(d, lv, &v) != 0)
                        continue;
                    if (v->size != lv->size)
                        abort();
                    n = v->size < sizeof(b) ? (size_t)v->size : sizeof(b);
                    /* every byte an LV presents lies on the disk */
                    if (pvb_disk_pread(v, b, n, 0) != 0 || pvb_disk_pread(v, b, n, v->size - n) != 0 ||
                        pvb_disk_pread(v, b, n, (v->size - n) / 2) != 0)
                        abort();
                    pvb_disk_close(v);
                }
            }
            pvb_vol_free(&c, &set);
            pvb_part_free(&c, &t);
        }
        pvb_disk_close(d);
    }
    free(img);
    if (c.mem_used != 0)
        abort();  /* a leak */
    return 0;
}
