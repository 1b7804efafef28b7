/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/vol (LVM2) and the mapped view: volumes built in memory, hostile ones too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot/boot.h"
#include "boot/internal.h"
#include "disk/disk.h"
#include "extbuild.h"
#include "imgbuild.h"
#include "lvmbuild.h"
#include "part/part.h"
#include "testlib.h"
#include "util/bytes.h"
#include "vol/lvm.h"
#include "vol/vol.h"

#define MiB ((size_t)1 << 20)
#define SECT 512u

#define VGID "VGid01-aaaa-bbbb-cccc-dddd-eeee-ffffff"
#define PV0 "PVzero-0000-0000-0000-0000-0000-000000"
#define PV1 "PVone1-1111-1111-1111-1111-1111-111111"
#define LV0 "LVroot-0000-0000-0000-0000-0000-000000"
#define LV1 "LVboot-1111-1111-1111-1111-1111-111111"

struct fx {
    struct test_ctx t;
    uint8_t *img;
    size_t size;
    struct pvb_disk *d;
    struct pvb_part_table tab;
    struct pvb_vol_set set;
};

static struct fx *fx_new(size_t size)
{
    struct fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    test_ctx_init(&f->t);
    f->img = ib_new(size);
    f->size = size;
    return f;
}

/* Partition scan then the volume managers; returns pvb_vol_scan's code. */
static int fx_scan(struct fx *f)
{
    pvb_vol_free(&f->t.c, &f->set);
    pvb_part_free(&f->t.c, &f->tab);
    pvb_disk_close(f->d);
    assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
    assert_int_equal(pvb_part_scan(f->d, &f->tab), 0);
    return pvb_vol_scan(f->d, &f->tab, &f->set);
}

static void fx_free(struct fx *f)
{
    if (getenv("LVM_DEBUG"))
        fprintf(stderr, "warnings:\n%s", f->t.warnings);
    pvb_vol_free(&f->t.c, &f->set);
    pvb_part_free(&f->t.c, &f->tab);
    pvb_disk_close(f->d);
    assert_int_equal(f->t.c.mem_used, 0);
    free(f->img);
    free(f);
}

static uint8_t pat(uint64_t i, unsigned seed)
{
    return (uint8_t)((i * 131 + (i >> 9) * 7 + seed) & 0xff);
}

/* Fill LV i with its pattern, through the builder's own mapping. */
static void fill(struct fx *f, const struct lb_vg *vg, unsigned i)
{
    uint64_t n = lb_lv_size(vg, i), k;
    uint8_t *buf = malloc((size_t)n);

    assert_non_null(buf);
    for (k = 0; k < n; k++)
        buf[k] = pat(k, i);
    lb_lv_write(f->img, vg, i, buf, (size_t)n, 0);
    free(buf);
}

/* Read volume lv of the set through pvb_vol_open, whole and at odd spans, against the pattern. */
static void check_lv(struct fx *f, const struct pvb_lv *lv, unsigned seed)
{
    struct pvb_disk *v;
    uint8_t *buf = malloc((size_t)lv->size);
    static const uint64_t spans[][2] = { { 0, 1 }, { 65535, 2 }, { 65536 * 3 - 7, 65536 + 100 },
                                         { 1048576 - 3, 9 }, { 12345, 300000 } };
    uint64_t k;
    unsigned s;

    assert_non_null(buf);
    assert_int_equal(pvb_vol_open(f->d, lv, &v), 0);
    assert_true(v->size == lv->size);
    assert_int_equal(pvb_disk_pread(v, buf, (size_t)lv->size, 0), 0);
    for (k = 0; k < lv->size; k++)
        if (buf[k] != pat(k, seed))
            fail_msg("%s: byte %llu is %u, not %u", lv->name, (unsigned long long)k, buf[k], pat(k, seed));
    for (s = 0; s < sizeof(spans) / sizeof(spans[0]); s++) {
        if (spans[s][0] + spans[s][1] > lv->size)
            continue;
        memset(buf, 0, (size_t)spans[s][1]);
        assert_int_equal(pvb_disk_pread(v, buf, (size_t)spans[s][1], spans[s][0]), 0);
        for (k = 0; k < spans[s][1]; k++)
            assert_int_equal(buf[k], pat(spans[s][0] + k, seed));
    }
    assert_int_equal(pvb_disk_pread(v, buf, 2, lv->size - 1), PVB_ERANGE);
    pvb_disk_close(v);
    free(buf);
}

/* A whole-disk PV of 8 MiB: 1 MiB extents, 7 of them. */
static void vg_whole(struct lb_vg *vg, size_t size)
{
    memset(vg, 0, sizeof(*vg));
    vg->name = "pvb-vg";
    vg->id = VGID;
    vg->npvs = 1;
    vg->pv[0].id = PV0;
    vg->pv[0].size = size;
}

static void lv_linear(struct lb_lv *lv, const char *name, const char *id, unsigned pv, uint64_t pe,
                      uint64_t count)
{
    memset(lv, 0, sizeof(*lv));
    lv->name = name;
    lv->id = id;
    lv->nsegs = 1;
    lv->seg[0].count = count;
    lv->seg[0].nstripes = 1;
    lv->seg[0].st[0].pv = pv;
    lv->seg[0].st[0].pe = pe;
}

/* The whole disk a PV holding one LV, root: 2 extents from the first. */
static void vg_one(struct fx *f, struct lb_vg *vg)
{
    vg_whole(vg, f->size);
    vg->nlvs = 1;
    lv_linear(&vg->lv[0], "root", LV0, 0, 0, 2);
}

/* Write every PV of vg that is on the disk (the test's builder). */
static void write_pvs(struct fx *f, const struct lb_vg *vg)
{
    unsigned k;

    for (k = 0; k < vg->npvs; k++)
        if (!vg->pv[k].absent)
            lb_write_pv(f->img, vg, k, NULL, 0);
}

static void test_linear_whole_disk(void **state)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;

    (void)state;
    vg_whole(&vg, f->size);
    vg.nlvs = 2;
    lv_linear(&vg.lv[0], "root", LV0, 0, 0, 3);
    lv_linear(&vg.lv[1], "my-boot", LV1, 0, 3, 2);
    lb_write_pv(f->img, &vg, 0, NULL, 0);
    fill(f, &vg, 0);
    fill(f, &vg, 1);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.scheme, PVB_PART_NONE);
    assert_int_equal(f->set.count, 2);
    assert_string_equal(f->set.lvs[0].name, "lvm/pvb--vg-root");
    assert_string_equal(f->set.lvs[1].name, "lvm/pvb--vg-my--boot");
    assert_string_equal(f->set.lvs[1].id_name, "lvmid/" VGID "/" LV1);
    assert_string_equal(f->set.lvs[0].scheme, "lvm");
    assert_true(f->set.lvs[0].size == 3 * MiB);
    check_lv(f, &f->set.lvs[0], 0);
    check_lv(f, &f->set.lvs[1], 1);
    assert_int_equal(f->t.c.nwarn, 0);
    fx_free(f);
}

/* Two partitions, each a PV; a 2-stripe LV over both, 64 KiB stripes, and a linear one on the second. */
static void vg_two(struct fx *f, struct lb_vg *vg)
{
    ib_mbr_entry(f->img, 0, 0, 0, 0x8e, 2048, 8 * 2048);
    ib_mbr_entry(f->img, 0, 1, 0, 0x8e, 9 * 2048, 8 * 2048);
    memset(vg, 0, sizeof(*vg));
    vg->name = "vg";
    vg->id = VGID;
    vg->npvs = 2;
    vg->pv[0].id = PV0;
    vg->pv[0].offset = MiB;
    vg->pv[0].size = 8 * MiB;
    vg->pv[1].id = PV1;
    vg->pv[1].offset = 9 * MiB;
    vg->pv[1].size = 8 * MiB;
    vg->nlvs = 2;
    memset(&vg->lv[0], 0, sizeof(vg->lv[0]));
    vg->lv[0].name = "striped";
    vg->lv[0].id = LV0;
    vg->lv[0].nsegs = 1;
    vg->lv[0].seg[0].count = 4;
    vg->lv[0].seg[0].nstripes = 2;
    vg->lv[0].seg[0].stripe_size = 128;
    vg->lv[0].seg[0].st[0].pv = 0;
    vg->lv[0].seg[0].st[0].pe = 1;
    vg->lv[0].seg[0].st[1].pv = 1;
    vg->lv[0].seg[0].st[1].pe = 0;
    lv_linear(&vg->lv[1], "lin", LV1, 1, 2, 3);
}

static void test_striped_partitions(void **state)
{
    struct fx *f = fx_new(18 * MiB);
    struct lb_vg vg;

    (void)state;
    vg_two(f, &vg);
    write_pvs(f, &vg);
    fill(f, &vg, 0);
    fill(f, &vg, 1);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    assert_int_equal(f->set.count, 2);   /* the VG once, though both PVs carry it */
    assert_string_equal(f->set.lvs[0].name, "lvm/vg-striped");
    assert_int_equal(f->set.lvs[0].segs[0].nstripes, 2);
    assert_true(f->set.lvs[0].segs[0].stripe_size == 65536);
    check_lv(f, &f->set.lvs[0], 0);
    check_lv(f, &f->set.lvs[1], 1);
    fx_free(f);
}

/* An LV of three segments out of order on the PV, the middle one striped. */
static void test_multi_segment(void **state)
{
    struct fx *f = fx_new(18 * MiB);
    struct lb_vg vg;
    struct lb_lv *lv;

    (void)state;
    vg_two(f, &vg);
    vg.nlvs = 1;
    lv = &vg.lv[0];
    memset(lv, 0, sizeof(*lv));
    lv->name = "multi";
    lv->id = LV0;
    lv->nsegs = 3;
    lv->seg[0].count = 2;
    lv->seg[0].nstripes = 1;
    lv->seg[0].st[0].pe = 5;
    lv->seg[1].start = 2;
    lv->seg[1].count = 2;
    lv->seg[1].nstripes = 2;
    lv->seg[1].stripe_size = 8;
    lv->seg[1].st[0].pe = 0;
    lv->seg[1].st[1].pv = 1;
    lv->seg[1].st[1].pe = 6;
    lv->seg[2].start = 4;
    lv->seg[2].count = 1;
    lv->seg[2].nstripes = 1;
    lv->seg[2].st[0].pv = 1;
    lv->seg[2].st[0].pe = 0;
    write_pvs(f, &vg);
    fill(f, &vg, 0);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 1);
    assert_int_equal(f->set.lvs[0].nsegs, 3);
    assert_true(f->set.lvs[0].size == 5 * MiB);
    check_lv(f, &f->set.lvs[0], 0);
    fx_free(f);
}

/* The committed text wraps from the end of the metadata area back to its byte 512. */
static void test_wrapped_text(void **state)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;

    (void)state;
    vg_one(f, &vg);
    lb_write_pv(f->img, &vg, 0, NULL, lb_mda_size(&vg, 0) - 300);
    fill(f, &vg, 0);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 1);
    check_lv(f, &f->set.lvs[0], 0);
    assert_int_equal(f->t.c.nwarn, 0);
    fx_free(f);
}

/* The text with one edit: from replaced by to (each must occur). */
static char *edited(const struct lb_vg *vg, const char *from, const char *to)
{
    char *t = lb_text(vg), *at = strstr(t, from), *out;
    size_t n;

    assert_non_null(at);
    n = strlen(t) - strlen(from) + strlen(to) + 1;
    out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - t), t, to, at + strlen(from));
    free(t);
    return out;
}

/* A whole-disk VG with root (2 extents) and boot (1) whose text has one edit; scanned. */
static struct fx *hostile(const char *from, const char *to, int rc)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;
    char *text;

    vg_whole(&vg, f->size);
    vg.nlvs = 2;
    lv_linear(&vg.lv[0], "root", LV0, 0, 0, 2);
    lv_linear(&vg.lv[1], "boot", LV1, 0, 2, 1);
    text = from ? edited(&vg, from, to) : NULL;
    lb_write_pv(f->img, &vg, 0, text, 0);
    free(text);
    assert_int_equal(fx_scan(f), rc);
    return f;
}

static void test_unbalanced(void **state)
{
    struct fx *f;

    (void)state;
    f = hostile("}\n}\n# Generated", "}\n# Generated", 0);
    assert_int_equal(f->set.count, 0);
    assert_true(test_warned(&f->t, "lvm: metadata line "));
    assert_true(test_warned(&f->t, ": a section has no closing }"));
    fx_free(f);
    f = hostile("# Generated", "}\n# Generated", 0);
    assert_int_equal(f->set.count, 0);
    assert_true(test_warned(&f->t, ": } without a section"));
    fx_free(f);
    f = hostile("seqno = 3", "seqno = [1, 2", 0);
    assert_true(test_warned(&f->t, "lvm: metadata line 4: expected , or ] in an array"));
    fx_free(f);
    f = hostile("1700000000\t# test\n\n", "\"17\n", 0);
    assert_true(test_warned(&f->t, "unterminated string"));
    fx_free(f);
    f = hostile("seqno = 3", "seqno = 99999999999999999999", 0);
    assert_true(test_warned(&f->t, "line 3: number out of range"));
    fx_free(f);
    f = hostile("seqno = 3", "seqno 3", 0);
    assert_true(test_warned(&f->t, "expected = or { after a name"));
    fx_free(f);
    f = hostile("seqno = 3", "seqno = x", 0);
    assert_true(test_warned(&f->t, "expected a number or a string"));
    fx_free(f);
    f = hostile("seqno = 3", "seqno = 3x", 0);
    assert_true(test_warned(&f->t, "bad number"));
    fx_free(f);
    f = hostile("seqno = 3", "= 3", 0);
    assert_true(test_warned(&f->t, "expected a name"));
    fx_free(f);
}

/* segment_count 10^6: refused by lim.max_vol_items before anything is allocated for it;
 * so is a text of more values than the limit, and sections nested past max_depth. */
static void test_too_many_segments(void **state)
{
    struct fx *f;
    clock_t t0 = clock();

    (void)state;
    f = hostile("segment_count = 1\n", "segment_count = 1000000\n", PVB_ELIMIT);
    assert_msg_has(&f->t.c, "lvm: LV pvb-vg/root: 1000000 segments, more than 65536");
    fx_free(f);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    f = fx_new(8 * MiB);
    f->t.c.lim.max_vol_items = 40;
    {
        struct lb_vg vg;

        vg_one(f, &vg);
        write_pvs(f, &vg);
    }
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    assert_msg_has(&f->t.c, "more than 40 values");
    fx_free(f);
    f = hostile("seqno = 3", "a { b { c { d { e { f { g { h { } } } } } } } }", 0);
    fx_free(f);
    f = fx_new(8 * MiB);
    f->t.c.lim.max_depth = 4;
    {
        struct lb_vg vg;
        char *text;

        vg_whole(&vg, f->size);
        text = edited(&vg, "seqno = 3", "a { b { c { d { e { } } } } }");
        lb_write_pv(f->img, &vg, 0, text, 0);
        free(text);
    }
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    assert_msg_has(&f->t.c, "sections nested deeper than 4");
    fx_free(f);
}

/* Many PVs and an LV of as many stripes each on the last of them: quadratic lookups,
 * stopped by the scan budget, quickly. */
static void test_lookup_budget(void **state)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;
    size_t cap = 1 << 20, n;
    char *text = malloc(cap);
    unsigned k, npv = 3000;
    clock_t t0 = clock();

    (void)state;
    assert_non_null(text);
    vg_whole(&vg, f->size);
    n = (size_t)snprintf(text, cap, "vg {\nid = \"%s\"\nextent_size = 2048\nphysical_volumes {\n", VGID);
    for (k = 0; k < npv; k++)
        n += (size_t)snprintf(text + n, cap - n, "p%u {\nid = \"%s\"\npe_start = 2048\n}\n", k, PV0);
    n += (size_t)snprintf(text + n, cap - n, "}\nlogical_volumes {\nlv {\nid = \"%s\"\n"
                          "status = [\"VISIBLE\"]\nsegment_count = 1\ns {\nstart_extent = 0\n"
                          "extent_count = %u\ntype = \"striped\"\nstripe_count = %u\nstripe_size = 8\n"
                          "stripes = [", LV0, npv, npv);
    for (k = 0; k < npv; k++)
        n += (size_t)snprintf(text + n, cap - n, "\"p%u\", 0,\n", npv - 1);
    snprintf(text + n, cap - n, "]\n}\n}\n}\n}\n");
    assert_true(strlen(text) < lb_mda_size(&vg, 0) - 512);
    lb_write_pv(f->img, &vg, 0, text, 0);
    free(text);
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    assert_msg_has(&f->t.c, "(the scan budget)");
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    fx_free(f);
}

static void test_past_pv_end(void **state)
{
    struct fx *f;

    (void)state;
    f = hostile("\"pv0\", 2\n", "\"pv0\", 6\n", 0);   /* boot: extent 6 of 7, 1 long: fits */
    assert_int_equal(f->set.count, 2);
    fx_free(f);
    f = hostile("\"pv0\", 2\n", "\"pv0\", 7\n", 0);
    assert_int_equal(f->set.count, 1);
    assert_string_equal(f->set.lvs[0].name, "lvm/pvb--vg-root");
    assert_true(test_warned(&f->t, "lvm: LV pvb-vg/boot: segment 1: stripe 0 runs past the end of its PV (hd0, 8388608 bytes)"));
    fx_free(f);
    f = hostile("\"pv0\", 2\n", "\"pv0\", 18446744073709551\n", 0);
    assert_true(test_warned(&f->t, "runs past the end of its PV"));
    fx_free(f);
    f = hostile("extent_size = 2048", "extent_size = 36028797018963968", 0);
    assert_true(test_warned(&f->t, "VG pvb-vg: no valid id, extent_size or physical_volumes"));
    fx_free(f);
}

/* Metadata whose size would wrap past its own start in the circular buffer. */
static void test_wrap_past_area(void **state)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;
    uint8_t *h;

    (void)state;
    vg_one(f, &vg);
    write_pvs(f, &vg);
    h = f->img + lb_mda_offset(&vg, 0);
    pvb_put_le64(h + 48, lb_mda_size(&vg, 0) - 511);
    pvb_put_le32(h, lb_crc(PVB_LVM_INITIAL_CRC, h + 4, SECT - 4));
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 0);
    assert_true(test_warned(&f->t, "lvm: (hd0): metadata of 1043969 bytes at 512 wraps past its area of 1044480 bytes"));
    assert_true(test_warned(&f->t, "has no readable metadata"));
    /* at the area's end: outside it */
    pvb_put_le64(h + 40, lb_mda_size(&vg, 0));
    pvb_put_le32(h, lb_crc(PVB_LVM_INITIAL_CRC, h + 4, SECT - 4));
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "is outside its area"));
    /* an ignored copy: no metadata, no error */
    pvb_put_le64(h + 40, 512);
    pvb_put_le32(h + 60, 1);
    pvb_put_le32(h, lb_crc(PVB_LVM_INITIAL_CRC, h + 4, SECT - 4));
    f->t.warnings[0] = '\0';
    assert_int_equal(fx_scan(f), 0);
    assert_false(test_warned(&f->t, "wraps"));
    assert_true(test_warned(&f->t, "has no readable metadata"));
    fx_free(f);
}

/* A partition cloned with its PV label: the LVs on that PV name both copies. */
static void test_duplicate_pv(void **state)
{
    struct fx *f = fx_new(18 * MiB);
    struct lb_vg vg;

    (void)state;
    vg_two(f, &vg);
    vg.pv[1].id = PV0;
    write_pvs(f, &vg);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 0);
    assert_true(test_warned(&f->t, "lvm: LV vg/striped: PV pv0 (" PV0 ") is on both (hd0,msdos1) and (hd0,msdos2)"));
    assert_true(test_warned(&f->t, "lvm: LV vg/lin: PV pv1 (" PV0 ") is on both"));
    fx_free(f);
}

static void test_checksums(void **state)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;
    uint8_t *h;
    char *text;

    (void)state;
    vg_one(f, &vg);
    write_pvs(f, &vg);
    h = f->img + lb_mda_offset(&vg, 0);
    h[512 + 3] ^= 1;   /* one bit of the text */
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 0);
    text = lb_text(&vg);
    {
        char want[160];

        snprintf(want, sizeof(want), "lvm: (hd0): metadata checksum is 0x%08x, its header says 0x%08x",
                 (unsigned)lb_crc(PVB_LVM_INITIAL_CRC, h + 512, strlen(text) + 1),
                 (unsigned)lb_crc(PVB_LVM_INITIAL_CRC, text, strlen(text) + 1));
        assert_true(test_warned(&f->t, want));
    }
    free(text);
    h[512 + 3] ^= 1;
    h[100] ^= 1;       /* the area header */
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "lvm: (hd0): metadata area header checksum is wrong"));
    h[100] ^= 1;
    f->img[SECT + 200] ^= 1;   /* the label sector, past the PV header */
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "lvm: (hd0): label checksum is wrong"));
    f->img[SECT + 200] ^= 1;
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 1);
    fx_free(f);
}

/* An LV on a PV of another disk is skipped, naming the PV; the others are read. */
static void test_missing_pv(void **state)
{
    struct fx *f = fx_new(18 * MiB);
    struct lb_vg vg;

    (void)state;
    vg_two(f, &vg);
    vg.lv[1].seg[0].st[0].pv = 0;   /* lin on pv0, which stays */
    lb_write_pv(f->img, &vg, 0, NULL, 0);   /* pv1 is not written */
    fill(f, &vg, 1);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 1);
    assert_string_equal(f->set.lvs[0].name, "lvm/vg-lin");
    check_lv(f, &f->set.lvs[0], 1);
    assert_true(test_warned(&f->t, "lvm: LV vg/striped: PV pv1 (" PV1 ") is not on this disk; LV skipped"));
    fx_free(f);
}

/* Other segment types refused by name, hidden LVs skipped, odd names and fields. */
static void test_refused(void **state)
{
    static const char *const types[] = { "mirror", "raid1", "raid5", "thin", "thin-pool", "cache",
                                         "snapshot", "vdo" };
    struct fx *f;
    unsigned i;
    char want[128], to[64];

    (void)state;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        snprintf(to, sizeof(to), "type = \"%s\"", types[i]);
        f = hostile("type = \"striped\"", to, 0);
        assert_int_equal(f->set.count, 1);   /* boot is still read */
        assert_string_equal(f->set.lvs[0].name, "lvm/pvb--vg-boot");
        snprintf(want, sizeof(want), "lvm: LV pvb-vg/root: segment type \"%s\" is not read; LV skipped", types[i]);
        assert_true(test_warned(&f->t, want));
        fx_free(f);
    }
    f = hostile("\"READ\", \"WRITE\", \"VISIBLE\"]\nflags = []\ncreation_time = 1700000000\n"
                "creation_host = \"pvboot\"\nsegment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2",
                "\"READ\", \"WRITE\"]\nflags = []\ncreation_time = 1700000000\n"
                "creation_host = \"pvboot\"\nsegment_count = 1\n\nsegment1 {\nstart_extent = 0\nextent_count = 2", 0);
    assert_int_equal(f->set.count, 1);
    assert_int_equal(f->t.c.nwarn, 0);   /* hidden: silently */
    fx_free(f);
    f = hostile("\nroot {", "\nro)ot {", 0);
    assert_true(test_warned(&f->t, "VG pvb-vg: an LV name is not valid"));
    fx_free(f);
    f = hostile("start_extent = 0\nextent_count = 2", "start_extent = 1\nextent_count = 2", 0);
    assert_true(test_warned(&f->t, "LV pvb-vg/root: segment 1 covers extents 1+2, expected to start at 0"));
    fx_free(f);
    f = hostile("stripe_count = 1", "stripe_count = 2", 0);
    assert_true(test_warned(&f->t, "LV pvb-vg/root: segment 1: bad stripe_size"));
    fx_free(f);
    f = hostile("\"pv0\", 0\n", "\"pv0\", 0, \"pv0\", 1\n", 0);
    assert_true(test_warned(&f->t, "more stripes listed than stripe_count"));
    fx_free(f);
    f = hostile("\"pv0\", 0\n", "\"pv0\"\n", 0);
    assert_true(test_warned(&f->t, "stripes do not list 1 PV, extent pairs"));
    fx_free(f);
    f = hostile("\"pv0\", 0\n", "\"pv9\", 0\n", 0);
    assert_true(test_warned(&f->t, "a stripe is on \"pv9\", which is not a PV of the VG"));
    fx_free(f);
    f = hostile("segment_count = 1\n", "segment_count = 2\n", 0);
    assert_true(test_warned(&f->t, "LV pvb-vg/root: 1 segments, segment_count says 2"));
    fx_free(f);
    f = hostile("segment_count = 1\n", "segment_count = 0\n", 0);
    assert_true(test_warned(&f->t, "no valid id or segment_count"));
    fx_free(f);
    f = hostile("\ntype = \"striped\"", "\n", 0);
    assert_true(test_warned(&f->t, "segment 1 has no type"));
    fx_free(f);
    f = hostile("extent_count = 2\n", "\n", 0);
    assert_true(test_warned(&f->t, "lacks start_extent, extent_count or stripe_count"));
    fx_free(f);
    f = hostile("extent_count = 2\n\ntype = \"striped\"\nstripe_count = 1", "extent_count = 3\n\ntype = \"striped\"\nstripe_count = 2", 0);
    assert_true(test_warned(&f->t, "segment 1: 3 extents in 2 stripes"));
    fx_free(f);
    f = hostile("pe_start = 2048", "pe_start = -1", 0);
    assert_true(test_warned(&f->t, "VG pvb-vg: PV pv0 has no valid id or pe_start"));
    fx_free(f);
    f = hostile("pvb-vg {", "-vg {", 0);
    assert_true(test_warned(&f->t, "the metadata has no volume group"));
    fx_free(f);
    f = hostile("id = \"" VGID "\"", "id = \"VGid01-aaaa-bbbb-cccc-dddd-eeee-fffff!\"", 0);
    assert_true(test_warned(&f->t, "no valid id"));
    fx_free(f);
    f = hostile("logical_volumes {", "other {", 0);   /* no LVs: nothing, quietly */
    assert_int_equal(f->set.count, 0);
    assert_int_equal(f->t.c.nwarn, 0);
    fx_free(f);
}

/* Odd labels and PV headers: not a PV, or a corrupt one skipped with a warning. */
static void test_labels(void **state)
{
    struct fx *f = fx_new(8 * MiB);
    struct lb_vg vg;
    uint8_t *lab = f->img + SECT;

    (void)state;
    vg_one(f, &vg);
    write_pvs(f, &vg);
    pvb_put_le64(lab + 8, 2);   /* says another sector */
    pvb_put_le32(lab + 16, lb_crc(PVB_LVM_INITIAL_CRC, lab + 20, SECT - 20));
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "lvm: (hd0): bad label in sector 1"));
    pvb_put_le64(lab + 8, 1);
    memset(lab + 32 + 40, 0xff, SECT - 72);   /* no end to the area lists */
    pvb_put_le32(lab + 16, lb_crc(PVB_LVM_INITIAL_CRC, lab + 20, SECT - 20));
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "PV header area lists run past the label sector"));
    lb_write_pv(f->img, &vg, 0, NULL, 0);
    pvb_put_le64(lab + 32 + 72, 7864320);   /* the metadata area runs past the PV */
    pvb_put_le32(lab + 16, lb_crc(PVB_LVM_INITIAL_CRC, lab + 20, SECT - 20));
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "metadata area of 1044480 bytes at 7864320 is outside the PV"));
    pvb_put_le64(lab + 32 + 72, 8192);   /* inside, but no header there */
    pvb_put_le64(lab + 32 + 80, 65536);
    pvb_put_le32(lab + 16, lb_crc(PVB_LVM_INITIAL_CRC, lab + 20, SECT - 20));
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "no LVM2 metadata area header at 8192"));
    pvb_put_le64(lab + 32 + 72, 4096);   /* the header, but its size disagrees */
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "label checksum is wrong"));
    pvb_put_le32(lab + 16, lb_crc(PVB_LVM_INITIAL_CRC, lab + 20, SECT - 20));
    assert_int_equal(fx_scan(f), 0);
    assert_true(test_warned(&f->t, "metadata area header says 1044480 bytes at 4096, the PV header 65536 at 4096"));
    fx_free(f);
    f = fx_new(1000);   /* smaller than the label scan */
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->set.count, 0);
    fx_free(f);
}

/* Host faults while scanning are returned, never read as "no PV"; nothing leaks. */
static void test_faults(void **state)
{
    struct fx *f = fx_new(18 * MiB);
    struct lb_vg vg;
    unsigned n, reads;
    int rc;

    (void)state;
    vg_two(f, &vg);
    write_pvs(f, &vg);
    assert_int_equal(fx_scan(f), 0);
    reads = pvb_disk_mem_reads(f->d);
    assert_true(reads > 2);
    for (n = 1;; n++) {
        pvb_vol_free(&f->t.c, &f->set);
        pvb_part_free(&f->t.c, &f->tab);
        pvb_disk_close(f->d);
        assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
        assert_int_equal(pvb_part_scan(f->d, &f->tab), 0);
        pvb_disk_mem_fail_at(f->d, n);
        rc = pvb_vol_scan(f->d, &f->tab, &f->set);
        if (rc == 0)
            break;
        assert_int_equal(rc, PVB_EIO);
    }
    assert_int_equal(f->set.count, 2);
    pvb_disk_mem_fail_at(f->d, 0);
    for (n = 1;; n++) {
        pvb_vol_free(&f->t.c, &f->set);
        f->t.c.fail_alloc = n;
        f->t.c.nalloc = 0;
        rc = pvb_vol_scan(f->d, &f->tab, &f->set);
        f->t.c.fail_alloc = 0;
        if (rc == 0 && f->set.count == 2)
            break;
        if (rc != PVB_ENOMEM && rc != 0)
            fail_msg("allocation %u: %d %s", n, rc, f->t.c.msg);
        assert_true(n < 1000);
    }
    fx_free(f);
}

/* The mapped view on its own: segments that do not fit are refused. */
static void test_map_view(void **state)
{
    struct test_ctx t;
    uint8_t img[4096];
    struct pvb_disk *d, *v;
    uint64_t a[2] = { 0, 2048 };
    struct pvb_disk_seg s[2];
    uint8_t b[8];
    unsigned i;

    (void)state;
    test_ctx_init(&t);
    for (i = 0; i < sizeof(img); i++)
        img[i] = (uint8_t)i;
    assert_int_equal(pvb_disk_open_mem(&t.c, img, sizeof(img), &d), 0);
    memset(s, 0, sizeof(s));
    assert_int_equal(pvb_disk_open_map(d, s, 0, &v), PVB_ECORRUPT);
    assert_msg_has(&t.c, "map: no segments");
    s[0].len = 1024;
    s[0].nstripes = 2;
    s[0].stripe_size = 256;
    s[0].area = a;
    s[1].start = 1024;
    s[1].len = 100;
    s[1].nstripes = 1;
    s[1].area = a + 1;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), 0);
    assert_string_equal(pvb_disk_name(v), "map");
    assert_true(v->size == 1124);
    assert_int_equal(pvb_disk_pread(v, b, 8, 252), 0);   /* area 0 bytes 252..255, area 1 bytes 0..3 */
    assert_int_equal(b[0], 252);
    assert_int_equal(b[4], (uint8_t)2048);
    assert_int_equal(pvb_disk_pread(v, b, 4, 1022), 0);   /* the end of area 1's 2nd chunk, then seg 2 */
    assert_int_equal(b[0], (uint8_t)(2048 + 510));
    assert_int_equal(b[2], (uint8_t)2048);
    pvb_disk_close(v);
    s[1].start = 1000;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), PVB_ECORRUPT);
    assert_msg_has(&t.c, "map: segment 1 starts at byte 1000, not 1024");
    s[1].start = 1024;
    s[0].stripe_size = 300;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), PVB_ECORRUPT);
    assert_msg_has(&t.c, "do not split into 2 stripes of 300-byte chunks");
    s[0].stripe_size = 256;
    s[1].len = 3000;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), PVB_ERANGE);
    assert_msg_has(&t.c, "map: segment 1: 3000 bytes at 2048 are past the end of the disk");
    s[1].len = 0;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), PVB_ECORRUPT);
    assert_msg_has(&t.c, "map: segment 1 is empty");
    s[1].len = 100;
    t.c.fail_alloc = 2;
    t.c.nalloc = 0;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), PVB_ENOMEM);
    t.c.fail_alloc = 4;
    t.c.nalloc = 0;
    assert_int_equal(pvb_disk_open_map(d, s, 2, &v), PVB_ENOMEM);
    t.c.fail_alloc = 0;
    pvb_disk_close(d);
    assert_int_equal(t.c.mem_used, 0);
}

/* The parser on its own: comments, escapes, negative numbers, nested arrays refused. */
static void test_parser(void **state)
{
    static const char text[] = "# c\na = -5 # x\nb = \"q\\\"r\"\nc = [ ]\nd = [1, \"x\",]\ne {\n}\n";
    struct test_ctx t;
    struct pvb_lvm_tree tr;
    const struct pvb_lvm_node *root, *n;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(pvb_lvm_parse(&t.c, text, sizeof(text), &tr), 0);
    root = pvb_lvm_at(&tr, 1);
    n = pvb_lvm_get(&tr, root, "a", PVB_LVM_INT);
    assert_non_null(n);
    assert_true(n->num == -5);
    assert_int_equal(n->line, 2);
    n = pvb_lvm_get(&tr, root, "b", PVB_LVM_STR);
    assert_non_null(n);
    assert_int_equal(n->len, 4);
    assert_null(pvb_lvm_get(&tr, root, "b", PVB_LVM_INT));
    assert_null(pvb_lvm_get(&tr, root, "zz", PVB_LVM_INT));
    n = pvb_lvm_get(&tr, root, "c", PVB_LVM_ARRAY);
    assert_non_null(n);
    assert_int_equal(n->child, 0);
    n = pvb_lvm_get(&tr, root, "d", PVB_LVM_ARRAY);
    assert_non_null(n);
    assert_int_equal(pvb_lvm_at(&tr, n->child)->type, PVB_LVM_INT);
    assert_non_null(pvb_lvm_get(&tr, root, "e", PVB_LVM_SECTION));
    pvb_lvm_tree_free(&t.c, &tr);
    assert_int_equal(pvb_lvm_parse(&t.c, "a = [[1]]", 9, &tr), PVB_ECORRUPT);
    pvb_lvm_tree_free(&t.c, &tr);
    assert_int_equal(pvb_lvm_parse(&t.c, "a = [1", 6, &tr), PVB_ECORRUPT);
    assert_msg_has(&t.c.msg[0] ? &t.c : &t.c, "unterminated array");
    pvb_lvm_tree_free(&t.c, &tr);
    assert_int_equal(pvb_lvm_parse(&t.c, "a =", 3, &tr), PVB_ECORRUPT);
    assert_msg_has(&t.c, "a key without a value");
    pvb_lvm_tree_free(&t.c, &tr);
    assert_int_equal(pvb_lvm_parse(&t.c, "a", 1, &tr), PVB_ECORRUPT);
    assert_msg_has(&t.c, "a name without a value or section");
    pvb_lvm_tree_free(&t.c, &tr);
    assert_int_equal(pvb_lvm_parse(&t.c, "a = -", 5, &tr), PVB_ECORRUPT);
    pvb_lvm_tree_free(&t.c, &tr);
    assert_int_equal(t.c.mem_used, 0);
}

/* An ext filesystem on an LV: found by its names, mounted, searched, booted from. */
static void test_boot_on_lv(void **state)
{
    static const char cfg[] = "search --no-floppy --fs-uuid --set=root a0a1a2a3-a4a5-a6a7-a8a9-aaabacadae07\n"
                              "menuentry 'lv' { linux /vmlinuz root=/dev/mapper/vg-root; }\n";
    struct fx *f = fx_new(18 * MiB);
    struct lb_vg vg;
    struct eb e;
    struct pvb_boot *b;
    struct pvb_boot_opts o;
    struct pvb_cfg_env env;
    struct pvb_fs *fs;
    char dev[PVB_VOL_NAME_MAX];
    unsigned vol, n;
    uint32_t boot;
    size_t base;
    int rc;

    (void)state;
    vg_two(f, &vg);
    write_pvs(f, &vg);
    eb_new(&e, 0, 128, 2048, 32, EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT, 0);
    eb_sb(&e)[0x68 + 15] = 7;
    eb_file(&e, 2, "vmlinuz", "kernel-bytes", 12, EB_EXTENTS);
    boot = eb_mkdir(&e, 2, "boot", EB_EXTENTS);
    eb_file(&e, eb_mkdir(&e, boot, "grub", EB_EXTENTS), "grub.cfg", cfg, strlen(cfg), EB_EXTENTS);
    eb_finish(&e);
    assert_true(e.size <= lb_lv_size(&vg, 0));
    lb_lv_write(f->img, &vg, 0, e.img, e.size, 0);   /* across both stripes */
    eb_free(&e);
    assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
    assert_int_equal(pvb_boot_open(&f->t.c, f->d, -1, &b), 0);
    assert_int_equal(b->nvols, 4);
    assert_string_equal(b->vols[2].dev, "lvm/vg-striped");
    assert_non_null(b->vols[2].lv);
    assert_int_equal(pvb_boot_resolve(b, "(lvm/vg-striped)", &vol), 0);
    assert_int_equal(vol, 2);
    assert_int_equal(pvb_boot_resolve(b, "lvmid/" VGID "/" LV1, &vol), 0);
    assert_int_equal(vol, 3);
    assert_int_equal(pvb_boot_resolve(b, "(lvm/vg-nothere)", &vol), PVB_ENOTFOUND);
    assert_int_equal(pvb_boot_fs(b, "lvm/vg-striped", &fs), 0);
    assert_int_equal(pvb_boot_fs(b, "lvm/vg-lin", &fs), PVB_ENOTMINE);
    pvb_boot_env(b, &env);
    assert_int_equal(env.search(env.arg, &f->t.c, PVB_CFG_SEARCH_FILE, "/vmlinuz", dev, sizeof(dev)), 0);
    assert_string_equal(dev, "lvm/vg-striped");
    pvb_boot_free(b);
    pvb_boot_opts_init(&o);
    assert_int_equal(pvb_boot_decide(&f->t.c, f->d, &o, &b), 0);
    assert_int_equal(b->vol, 2);
    assert_string_equal(b->vols[b->kernel.vol].dev, "lvm/vg-striped");
    assert_string_equal(b->kernel.path, "/vmlinuz");
    pvb_boot_free(b);
    assert_int_equal(pvb_boot_open(&f->t.c, f->d, 0, &b), 0);   /* --offset: no volume managers */
    assert_int_equal(b->nvols, 1);
    pvb_boot_free(b);
    /* Every allocation and every read failing in turn: a fault, never another volume. */
    base = f->t.c.mem_used;   /* the disk */
    for (n = 1;; n++) {
        f->t.c.fail_alloc = n;
        f->t.c.nalloc = 0;
        rc = pvb_boot_decide(&f->t.c, f->d, &o, &b);
        f->t.c.fail_alloc = 0;
        if (rc == 0) {
            assert_string_equal(b->vols[b->kernel.vol].dev, "lvm/vg-striped");
            pvb_boot_free(b);
            break;
        }
        if (rc != PVB_ENOMEM)
            fail_msg("allocation %u: %d %s", n, rc, f->t.c.msg);
        assert_int_equal(f->t.c.mem_used, base);
    }
    for (n = 1;; n++) {
        pvb_disk_mem_fail_at(f->d, n);
        rc = pvb_boot_decide(&f->t.c, f->d, &o, &b);
        if (rc == 0) {
            assert_string_equal(b->vols[b->kernel.vol].dev, "lvm/vg-striped");
            pvb_boot_free(b);
            break;
        }
        if (rc != PVB_EIO)
            fail_msg("read %u: %d %s", n, rc, f->t.c.msg);
        assert_int_equal(f->t.c.mem_used, base);
    }
    pvb_disk_mem_fail_at(f->d, 0);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_whole_disk),
        cmocka_unit_test(test_striped_partitions),
        cmocka_unit_test(test_multi_segment),
        cmocka_unit_test(test_wrapped_text),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_too_many_segments),
        cmocka_unit_test(test_lookup_budget),
        cmocka_unit_test(test_past_pv_end),
        cmocka_unit_test(test_wrap_past_area),
        cmocka_unit_test(test_duplicate_pv),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_missing_pv),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_map_view),
        cmocka_unit_test(test_parser),
        cmocka_unit_test(test_boot_on_lv),
    };
    return cmocka_run_group_tests_name("lvm", tests, NULL, NULL);
}
