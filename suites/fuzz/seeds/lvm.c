/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_lvm: small LVM2 PVs built in memory (suites/unit/lvmbuild.c). */
#include <stdlib.h>
#include <string.h>

#include "../../unit/imgbuild.h"
#include "../../unit/lvmbuild.h"
#include "seeds.h"

#define SZ (64 * 1024)

/* A whole-disk PV of 64 KiB: 8 KiB to the first extent, 4 KiB extents. */
static void vg_small(struct lb_vg *vg, uint64_t off, uint64_t size)
{
    memset(vg, 0, sizeof(*vg));
    vg->name = "vg";
    vg->id = "VGid01-aaaa-bbbb-cccc-dddd-eeee-ffffff";
    vg->extent = 8;
    vg->npvs = 1;
    vg->pv[0].id = "PVzero-0000-0000-0000-0000-0000-000000";
    vg->pv[0].offset = off;
    vg->pv[0].size = size;
    vg->pv[0].pe_start = 16;
    vg->nlvs = 2;
    vg->lv[0].name = "root";
    vg->lv[0].id = "LVroot-0000-0000-0000-0000-0000-000000";
    vg->lv[0].nsegs = 2;
    vg->lv[0].seg[0].count = 2;
    vg->lv[0].seg[0].nstripes = 1;
    vg->lv[0].seg[0].st[0].pe = 4;
    vg->lv[0].seg[1].start = 2;
    vg->lv[0].seg[1].count = 1;
    vg->lv[0].seg[1].nstripes = 1;
    vg->lv[1].name = "my-boot";
    vg->lv[1].id = "LVboot-1111-1111-1111-1111-1111-111111";
    vg->lv[1].nsegs = 1;
    vg->lv[1].seg[0].count = 2;
    vg->lv[1].seg[0].nstripes = 2;
    vg->lv[1].seg[0].stripe_size = 2;
    vg->lv[1].seg[0].st[0].pe = 6;
    vg->lv[1].seg[0].st[1].pe = 8;
}

void seeds_lvm(const char *dir)
{
    struct lb_vg vg;
    uint8_t *img = ib_new(SZ);

    vg_small(&vg, 0, SZ);
    lb_write_pv(img, &vg, 0, NULL, 0);
    seed_put(dir, "fuzz_lvm", "whole-disk", img, SZ);
    memset(img, 0, SZ);
    lb_write_pv(img, &vg, 0, NULL, lb_mda_size(&vg, 0) - 200);
    seed_put(dir, "fuzz_lvm", "wrapped", img, SZ);
    free(img);
    img = ib_new(SZ + 4096);
    ib_mbr_entry(img, 0, 0, 0, 0x8e, 8, SZ / 512);
    vg_small(&vg, 4096, SZ);
    lb_write_pv(img, &vg, 0, NULL, 0);
    seed_put(dir, "fuzz_lvm", "partition", img, SZ + 4096);
    free(img);
}
