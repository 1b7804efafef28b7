/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_qcow, fuzz_qcow2 and fuzz_vhd: small valid images of every layout, built in memory. */
#include <stdlib.h>
#include <string.h>

#include "../../unit/imgfmt.h"
#include "seeds.h"

#define VSIZE (12 * 512)

static void put(const char *dir, const char *target, const char *name, struct if_image *im)
{
    seed_put(dir, target, name, im->buf, im->len);
    if_free(im);
}

static void qcow2_seeds(const char *dir, const uint8_t *v)
{
    struct if_image im;
    struct if_opts o;

    memset(&o, 0, sizeof(o));
    o.version = 2;
    o.cluster_bits = 9;
    if_qcow2(&im, &o, v, VSIZE, "DCUDCCUDDCDU");
    put(dir, "fuzz_qcow2", "v2", &im);
    o.version = 3;
    if_qcow2(&im, &o, v, VSIZE, "DCUZDCCZDUCD");
    put(dir, "fuzz_qcow2", "v3", &im);
    o.extl2 = 1;
    if_qcow2(&im, &o, v, VSIZE, "DPZUCPDDZUCP");
    put(dir, "fuzz_qcow2", "extl2", &im);
    o.extl2 = 0;
#if PVB_WITH_ZSTD
    o.zstd = 1;
    if_qcow2(&im, &o, v, VSIZE, "CCDCZUCCCCCC");
    put(dir, "fuzz_qcow2", "zstd", &im);
    o.zstd = 0;
#endif
    o.backing = "base.qcow2";
    o.backing_fmt = "qcow2";
    if_qcow2(&im, &o, v, VSIZE, "DU");
    put(dir, "fuzz_qcow2", "backing", &im);
}

static void qcow_seeds(const char *dir, const uint8_t *v)
{
    struct if_image im;
    struct if_opts o;

    memset(&o, 0, sizeof(o));
    o.cluster_bits = 9;
    o.l2_bits = 6;
    if_qcow(&im, &o, v, VSIZE, "DCUDCCUDDCDU");
    put(dir, "fuzz_qcow", "plain", &im);
    o.backing = "base.raw";
    if_qcow(&im, &o, v, VSIZE, "DU");
    put(dir, "fuzz_qcow", "backing", &im);
}

static void vhd_seeds(const char *dir, const uint8_t *v)
{
    static const uint8_t puuid[16] = { 1 };
    struct if_image im;
    struct if_opts o;

    memset(&o, 0, sizeof(o));
    o.vhd_type = 2;
    if_vhd(&im, &o, v, VSIZE, "");
    put(dir, "fuzz_vhd", "fixed", &im);
    o.vhd_type = 3;
    o.cluster_bits = 10;
    if_vhd(&im, &o, v, VSIZE, "DUPEDP");
    put(dir, "fuzz_vhd", "dynamic", &im);
    o.vhd_type = 4;
    o.backing = "parent.vhd";
    o.parent_uuid = puuid;
    if_vhd(&im, &o, v, VSIZE, "DUPEDP");
    put(dir, "fuzz_vhd", "differencing", &im);
}

void seeds_formats(const char *dir)
{
    uint8_t v[VSIZE];
    size_t i;

    /* Compressible, so 'C' clusters really are compressed. */
    for (i = 0; i < VSIZE; i++)
        v[i] = (uint8_t)(i % 512 < 32 ? i * 13 : 'a' + i / 512);
    qcow2_seeds(dir, v);
    qcow_seeds(dir, v);
    vhd_seeds(dir, v);
}
