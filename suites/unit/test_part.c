/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/part: MBR, logical chains, GPT and hostile tables built in memory. */
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "imgbuild.h"
#include "part/part.h"
#include "testlib.h"
#include "util/bytes.h"

#define MiB (1024 * 1024)

struct fixture {
    struct test_ctx t;
    uint8_t *img;
    size_t size;
    struct pvb_disk *d;
    struct pvb_part_table tab;
};

static struct fixture *fx_new(size_t size)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    test_ctx_init(&f->t);
    f->img = ib_new(size);
    f->size = size;
    return f;
}

static int fx_scan(struct fixture *f)
{
    pvb_disk_close(f->d);
    pvb_part_free(&f->t.c, &f->tab);
    assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
    return pvb_part_scan(f->d, &f->tab);
}

static void fx_free(struct fixture *f)
{
    pvb_part_free(&f->t.c, &f->tab);
    pvb_disk_close(f->d);
    assert_int_equal(f->t.c.mem_used, 0);  /* nothing leaked */
    free(f->img);
    free(f);
}

static void assert_whole_disk(struct fixture *f)
{
    assert_int_equal(f->tab.scheme, PVB_PART_NONE);
    assert_int_equal(f->tab.count, 1);
    assert_true(f->tab.vols[0].offset == 0);
    assert_true(f->tab.vols[0].size == f->size);
    assert_int_equal(f->tab.vols[0].index, 0);
}

static void test_no_table(void **state)
{
    struct fixture *f = fx_new(4096);

    (void)state;
    assert_int_equal(fx_scan(f), 0);
    assert_whole_disk(f);
    fx_free(f);
    f = fx_new(100);   /* smaller than a sector */
    assert_int_equal(fx_scan(f), 0);
    assert_whole_disk(f);
    fx_free(f);
}

static void test_bad_boot_flag(void **state)
{
    struct fixture *f = fx_new(MiB);

    (void)state;
    ib_mbr_entry(f->img, 0, 0, 0x80, 0x83, 2048, 100);
    ib_mbr_entry(f->img, 0, 1, 0x12, 0x83, 4096, 100);  /* a FAT boot sector, say */
    assert_int_equal(fx_scan(f), 0);
    assert_whole_disk(f);
    fx_free(f);
}

static void test_primaries(void **state)
{
    struct fixture *f = fx_new(4 * MiB);
    const struct pvb_volume *v;
    char name[16];

    (void)state;
    ib_mbr_entry(f->img, 0, 0, 0x00, 0x83, 2048, 2048);
    ib_mbr_entry(f->img, 0, 2, 0x80, 0x8e, 4096, 4096);
    ib_mbr_entry(f->img, 0, 3, 0x00, 0x82, 0, 100);        /* start 0 */
    pvb_put_le32(f->img + 440, 0xcafef00du);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.scheme, PVB_PART_MBR);
    assert_string_equal(pvb_part_scheme_name(f->tab.scheme), "msdos");
    assert_int_equal(f->tab.disk_id, 0xcafef00du);
    assert_int_equal(f->tab.count, 2);
    v = &f->tab.vols[0];
    assert_int_equal(v->index, 1);
    assert_true(v->offset == 2048 * 512 && v->size == 2048 * 512);
    assert_int_equal(v->mbr_type, 0x83);
    assert_false(v->bootable);
    assert_false(v->logical);
    v = &f->tab.vols[1];
    assert_int_equal(v->index, 3);   /* numbered by slot: slot 1 is empty */
    assert_true(v->bootable);
    pvb_volume_name(&f->tab, v, name);
    assert_string_equal(name, "msdos3");
    assert_true(test_warned(&f->t, "msdos4: empty"));
    fx_free(f);
}

static void test_past_end(void **state)
{
    struct fixture *f = fx_new(MiB);

    (void)state;
    ib_mbr_entry(f->img, 0, 0, 0, 0x83, 2048, 10);          /* starts at the end */
    ib_mbr_entry(f->img, 0, 1, 0, 0x83, 100, 2000);         /* ends past it */
    ib_mbr_entry(f->img, 0, 2, 0, 0x83, 0xffffffffu, 0xffffffffu);
    ib_mbr_entry(f->img, 0, 3, 0, 0x83, 1, 2047);           /* fits exactly */
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 1);
    assert_int_equal(f->tab.vols[0].index, 4);
    assert_true(test_warned(&f->t, "msdos1: 5120 bytes at 1048576 go past the end"));
    assert_true(test_warned(&f->t, "msdos2:"));
    assert_true(test_warned(&f->t, "msdos3:"));
    fx_free(f);
}

static void test_no_usable_entry(void **state)
{
    struct fixture *f = fx_new(MiB);

    (void)state;
    ib_mbr_entry(f->img, 0, 0, 0, 0x83, 5000, 10);
    assert_int_equal(fx_scan(f), 0);
    assert_whole_disk(f);
    assert_true(test_warned(&f->t, "no usable partition entry"));
    fx_free(f);
}

/* Extended at sector 2048; EBRs 2048 sectors apart, each with one logical
 * of 1000 sectors starting 1 sector after it. */
static void make_chain(uint8_t *img, unsigned n, uint8_t ext_type)
{
    unsigned i;

    ib_mbr_entry(img, 0, 0, 0, 0x83, 63, 1000);
    ib_mbr_entry(img, 0, 1, 0, ext_type, 2048, n * 2048);
    for (i = 0; i < n; i++) {
        uint64_t ebr = (uint64_t)(2048 + i * 2048) * 512;

        ib_mbr_entry(img, ebr, 0, 0, 0x83, 1, 1000);
        if (i + 1 < n)
            ib_mbr_entry(img, ebr, 1, 0, 0x05, (i + 1) * 2048, 2048);
    }
}

static void test_logicals(void **state)
{
    struct fixture *f = fx_new(8 * MiB);
    unsigned i;

    (void)state;
    make_chain(f->img, 5, 0x0f);
    ib_mbr_entry(f->img, 0, 2, 0, 0x83, 14000, 100);   /* a primary after the extended */
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 7);
    assert_int_equal(f->tab.vols[0].index, 1);
    assert_int_equal(f->tab.vols[1].index, 3);         /* primaries first */
    for (i = 0; i < 5; i++) {
        const struct pvb_volume *v = &f->tab.vols[2 + i];
        assert_int_equal(v->index, 5 + i);
        assert_true(v->logical);
        assert_true(v->offset == ((uint64_t)2048 + i * 2048 + 1) * 512);
        assert_true(v->size == 1000 * 512);
    }
    fx_free(f);
}

static void test_logical_loop(void **state)
{
    struct fixture *f = fx_new(8 * MiB);

    (void)state;
    make_chain(f->img, 3, 0x05);
    /* The third EBR points back at the second. */
    ib_mbr_entry(f->img, (uint64_t)(2048 + 2 * 2048) * 512, 1, 0, 0x05, 2048, 2048);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 4);                 /* 1 primary + 3 logicals, no repeats */
    assert_int_equal(f->tab.vols[3].index, 7);
    assert_true(test_warned(&f->t, "loops back to sector 4096"));
    fx_free(f);
    /* An EBR that points at itself. */
    f = fx_new(8 * MiB);
    make_chain(f->img, 1, 0x85);
    ib_mbr_entry(f->img, 2048 * 512, 1, 0, 0x05, 0, 2048);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    assert_true(test_warned(&f->t, "loops back"));
    fx_free(f);
}

static void test_long_chain(void **state)
{
    unsigned n = 10000, i;
    struct fixture *f = fx_new((size_t)(2048 + n * 2) * 512 + 512);

    (void)state;
    ib_mbr_entry(f->img, 0, 0, 0, 0x05, 2048, n * 2);
    for (i = 0; i < n; i++) {
        uint64_t ebr = (uint64_t)(2048 + 2 * i) * 512;
        ib_mbr_entry(f->img, ebr, 0, 0, 0x83, 1, 1);
        if (i + 1 < n)
            ib_mbr_entry(f->img, ebr, 1, 0, 0x05, 2 * (i + 1), 2);
    }
    /* More logicals than our limit: the limit ends the scan (stopping there could hide
     * the volume that boots); a tighter one too. */
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    assert_msg_has(&f->t.c, "longer than 4096");
    f->t.c.lim.max_parts = 10;
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    f->t.c.lim.max_parts = (unsigned)n + 1;
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, n);
    assert_int_equal(f->tab.vols[9].index, 14);
    fx_free(f);
}

static void test_broken_chain(void **state)
{
    struct fixture *f = fx_new(8 * MiB);

    (void)state;
    make_chain(f->img, 3, 0x05);
    f->img[(2048 + 2048) * 512 + 510] = 0;   /* second EBR loses its signature */
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    assert_true(test_warned(&f->t, "has no signature"));
    fx_free(f);

    f = fx_new(8 * MiB);
    make_chain(f->img, 2, 0x05);
    ib_mbr_entry(f->img, 2048 * 512, 1, 0, 0x05, 0xfffff000u, 2048);  /* next EBR past the end */
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    assert_true(test_warned(&f->t, "past the end of the disk; chain stopped"));
    fx_free(f);

    f = fx_new(MiB);
    ib_mbr_entry(f->img, 0, 0, 0, 0x83, 63, 100);
    ib_mbr_entry(f->img, 0, 1, 0, 0x05, 0, 100);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 1);
    assert_true(test_warned(&f->t, "starts at sector 0"));
    fx_free(f);

    /* An empty logical slot does not take a number; the next one is 5. */
    f = fx_new(8 * MiB);
    make_chain(f->img, 2, 0x05);
    ib_mbr_entry(f->img, 2048 * 512, 0, 0, 0x00, 0, 0);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    assert_int_equal(f->tab.vols[1].index, 5);
    assert_true(f->tab.vols[1].offset == (4096 + 1) * 512);
    fx_free(f);
}

static const struct ib_gpt_part gparts[] = {
    { 34, 2047, 0x01, 0, "bios" },
    { 0, 0, 0, 0, NULL },
    { 2048, 4095, 0x02, 4, "boot" },
    { 4096, 8191, 0x03, 0, "root \xc3" },
};

static void test_gpt(void **state)
{
    struct fixture *f = fx_new(8 * MiB);
    const struct pvb_volume *v;
    char s[40];

    (void)state;
    ib_gpt(f->img, f->size, 512, gparts, 4, 128, 128);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.scheme, PVB_PART_GPT);
    assert_int_equal(f->tab.sector_size, 512);
    assert_int_equal(f->tab.flags, 0);
    assert_int_equal(f->tab.count, 3);
    assert_int_equal(f->tab.vols[0].index, 1);
    v = &f->tab.vols[1];
    assert_int_equal(v->index, 3);     /* slot 2: the empty slot keeps its number */
    assert_true(v->offset == 2048 * 512 && v->size == 2048 * 512);
    assert_true(v->bootable);
    assert_string_equal(v->name, "boot");
    pvb_volume_name(&f->tab, v, s);
    assert_string_equal(s, "gpt3");
    pvb_guid_str(v->type_guid, s);
    assert_string_equal(s, "13121110-1514-1716-1819-1A1B1C1D1E02");
    pvb_guid_str(f->tab.disk_guid, s);
    assert_string_equal(s, "D3D2D1D0-D5D4-D7D6-D8D9-DADBDCDDDEDF");
    assert_false(f->tab.vols[2].bootable);
    assert_int_equal(f->tab.vols[2].index, 4);
    fx_free(f);
}

static void test_gpt_4k(void **state)
{
    struct fixture *f = fx_new(16 * MiB);
    struct ib_gpt_part p[1] = { { 256, 511, 0x07, 0, "x" } };

    (void)state;
    ib_gpt(f->img, f->size, 4096, p, 1, 128, 128);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.sector_size, 4096);
    assert_int_equal(f->tab.count, 1);
    assert_true(f->tab.vols[0].offset == 256 * 4096);
    assert_true(f->tab.vols[0].size == 256 * 4096);
    fx_free(f);
}

static void test_gpt_sector_hint(void **state)
{
    struct fixture *f = fx_new(16 * MiB);
    struct ib_gpt_part p[1] = { { 256, 511, 0x07, 0, "x" } };
    struct pvb_part_table tab;
    struct pvb_disk *d;

    (void)state;
    ib_gpt(f->img, f->size, 4096, p, 1, 128, 128);
    assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &d), 0);
    d->sector_size = 4096;
    assert_int_equal(pvb_part_scan(d, &tab), 0);
    assert_int_equal(tab.count, 1);
    pvb_part_free(&f->t.c, &tab);
    d->sector_size = 512;       /* wrong: nothing at LBA 1 or the last LBA */
    assert_int_equal(pvb_part_scan(d, &tab), PVB_ECORRUPT);
    d->sector_size = 1000;
    assert_int_equal(pvb_part_scan(d, &tab), PVB_EUNSUPPORTED);
    pvb_disk_close(d);
    fx_free(f);
}

static void corrupt_primary(uint8_t *img, size_t size, const char *how)
{
    uint8_t *h = img + 512;

    (void)size;
    if (strcmp(how, "header crc") == 0) {
        h[16] ^= 1;
    } else if (strcmp(how, "array crc") == 0) {
        img[2 * 512 + 40] ^= 1;       /* an entry's last LBA */
    } else if (strcmp(how, "count 2^32-1") == 0) {
        pvb_put_le32(h + 80, 0xffffffffu);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "entry size 0") == 0) {
        pvb_put_le32(h + 84, 0);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "entry size 17") == 0) {
        pvb_put_le32(h + 84, 17);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "header size") == 0) {
        pvb_put_le32(h + 12, 600);
    } else if (strcmp(how, "my lba") == 0) {
        pvb_put_le64(h + 24, 5);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "usable") == 0) {
        pvb_put_le64(h + 48, 1u << 30);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "array over header") == 0) {
        pvb_put_le64(h + 72, 1);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "array past end") == 0) {
        pvb_put_le64(h + 72, size / 512 - 2);
        ib_gpt_fix_header_crc(img, 512, 1);
    } else if (strcmp(how, "signature") == 0) {
        h[0] = 'X';
    }
}

static void test_gpt_backup(void **state)
{
    static const char *const hows[][2] = {
        { "header crc", "header CRC mismatch" },
        { "array crc", "entry array CRC mismatch" },
        { "count 2^32-1", "outside the disk" },
        { "entry size 0", "entry size 0" },
        { "entry size 17", "entry size 17" },
        { "header size", "header size 600" },
        { "my lba", "header says it is at LBA 5" },
        { "usable", "usable LBAs" },
        { "array over header", "over the header" },
        { "array past end", "outside the disk" },
        { "signature", "no signature" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(hows) / sizeof(hows[0]); i++) {
        struct fixture *f = fx_new(8 * MiB);

        ib_gpt(f->img, f->size, 512, gparts, 4, 128, 128);
        corrupt_primary(f->img, f->size, hows[i][0]);
        assert_int_equal(fx_scan(f), 0);
        assert_int_equal(f->tab.flags, PVB_PART_GPT_BACKUP);
        assert_int_equal(f->tab.count, 3);
        if (!test_warned(&f->t, hows[i][1]))
            fail_msg("%s: warnings \"%s\" lack \"%s\"", hows[i][0], f->t.warnings, hows[i][1]);
        assert_true(test_warned(&f->t, "using the backup at LBA 16383"));
        fx_free(f);
    }
}

static void test_gpt_both_bad(void **state)
{
    struct fixture *f = fx_new(8 * MiB);

    (void)state;
    ib_gpt(f->img, f->size, 512, gparts, 4, 128, 128);
    f->img[512 + 16] ^= 1;
    f->img[f->size - 512 + 16] ^= 1;
    assert_int_equal(fx_scan(f), PVB_ECORRUPT);
    assert_msg_has(&f->t.c, "gpt: no valid header (primary: header CRC mismatch; backup: header CRC mismatch)");
    assert_int_equal(f->tab.count, 0);
    fx_free(f);
    /* A protective MBR with no GPT at all. */
    f = fx_new(MiB);
    ib_mbr_entry(f->img, 0, 2, 0, 0xee, 1, 2047);
    assert_int_equal(fx_scan(f), PVB_ECORRUPT);
    assert_msg_has(&f->t.c, "primary: no signature; backup: no signature");
    fx_free(f);
    /* Too small to hold one. */
    f = fx_new(1024);
    ib_mbr_entry(f->img, 0, 0, 0, 0xee, 1, 1);
    assert_int_equal(fx_scan(f), PVB_ECORRUPT);
    assert_msg_has(&f->t.c, "disk too small");
    fx_free(f);
}

static void test_gpt_bad_entries(void **state)
{
    struct fixture *f = fx_new(8 * MiB);
    struct ib_gpt_part p[] = {
        { 2048, 4095, 1, 0, "a" },
        { 3000, 5000, 2, 0, "overlaps a" },
        { 5000, 4000, 3, 0, "backwards" },
        { 6000, 99999999, 4, 0, "past the end" },
        { 10, 20, 5, 0, "before first usable" },
    };

    (void)state;
    ib_gpt(f->img, f->size, 512, p, 5, 128, 128);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    assert_true(test_warned(&f->t, "gpt: partitions 1 and 2 overlap"));
    assert_true(test_warned(&f->t, "gpt3: LBAs 5000..4000"));
    assert_true(test_warned(&f->t, "gpt4:"));
    assert_true(test_warned(&f->t, "gpt5:"));
    fx_free(f);
}

static void test_gpt_big_entries(void **state)
{
    struct fixture *f = fx_new(8 * MiB);
    struct ib_gpt_part p[] = { { 4096, 5000, 1, 0, "a" }, { 6000, 8000, 2, 0, "b" } };

    (void)state;
    /* 256-byte entries, 4096 of them: allowed sizes, array of 1 MiB. */
    ib_gpt(f->img, f->size, 512, p, 2, 4096, 256);
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(f->tab.count, 2);
    /* One more than max_parts: a valid header past our limit ends the scan (no backup). */
    f->t.c.lim.max_parts = 4095;
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    assert_msg_has(&f->t.c, "lists 4096 entries; the limit is 4095");
    /* The entry array not fitting in our memory limit is our limit too, not a bad header. */
    f->t.c.lim.max_parts = 4096;
    f->t.c.lim.max_alloc = 512 * 1024;
    assert_int_equal(fx_scan(f), PVB_ELIMIT);
    assert_msg_has(&f->t.c, "gpt entries");
    fx_free(f);
}

/* Every read failing in turn: a clean error or a result, never a crash or leak. */
static void test_io_failures(void **state)
{
    struct fixture *f = fx_new(8 * MiB);
    unsigned n;

    (void)state;
    make_chain(f->img, 3, 0x05);
    for (n = 1; n < 10; n++) {
        int rc;
        pvb_disk_close(f->d);
        pvb_part_free(&f->t.c, &f->tab);
        assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
        pvb_disk_mem_fail_at(f->d, n);
        rc = pvb_part_scan(f->d, &f->tab);
        /* MBR, three EBRs, and the look for a hybrid ISO's CD001 at 0x8001. */
        if (n <= 5)
            assert_int_equal(rc, PVB_EIO);
        else
            assert_int_equal(rc, 0);
        assert_true(rc != 0 || f->tab.count == 4);
        if (rc)
            assert_int_equal(f->tab.count, 0);
    }
    memset(f->img, 0, f->size);
    ib_gpt(f->img, f->size, 512, gparts, 4, 128, 128);
    for (n = 1; n < 8; n++) {
        int rc;
        pvb_disk_close(f->d);
        pvb_part_free(&f->t.c, &f->tab);
        assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
        pvb_disk_mem_fail_at(f->d, n);
        rc = pvb_part_scan(f->d, &f->tab);
        assert_true(rc == 0 || rc == PVB_EIO);
        if (n <= 3)
            assert_int_equal(rc, PVB_EIO);
    }
    fx_free(f);
}

static void test_memory_limit(void **state)
{
    struct fixture *f = fx_new(8 * MiB);
    size_t lim;

    (void)state;
    ib_gpt(f->img, f->size, 512, gparts, 4, 128, 128);
    assert_int_equal(pvb_disk_open_mem(&f->t.c, f->img, f->size, &f->d), 0);
    /* With every budget below what the scan needs, it fails cleanly. */
    for (lim = f->t.c.mem_used; lim < f->t.c.mem_used + 20000; lim += 1000) {
        int rc;
        f->t.c.lim.max_mem = lim;
        rc = pvb_part_scan(f->d, &f->tab);
        assert_true(rc == 0 || rc == PVB_ELIMIT || rc == PVB_ECORRUPT);
        pvb_part_free(&f->t.c, &f->tab);
    }
    f->t.c.lim.max_mem = (size_t)128 << 20;
    memset(f->img, 0, f->size);
    make_chain(f->img, 6, 0x05);
    f->t.c.lim.max_mem = f->t.c.mem_used + 100;
    assert_int_equal(pvb_part_scan(f->d, &f->tab), PVB_ELIMIT);
    fx_free(f);
}

static void test_part_open(void **state)
{
    struct fixture *f = fx_new(4 * MiB);
    struct pvb_disk *v;
    uint8_t b;

    (void)state;
    ib_mbr_entry(f->img, 0, 0, 0, 0x83, 2048, 2048);
    f->img[2048 * 512 + 7] = 0x5a;
    assert_int_equal(fx_scan(f), 0);
    assert_int_equal(pvb_part_open(f->d, &f->tab.vols[0], &v), 0);
    assert_int_equal(pvb_disk_pread(v, &b, 1, 7), 0);
    assert_int_equal(b, 0x5a);
    assert_int_equal(pvb_disk_pread(v, &b, 1, 2048 * 512), PVB_ERANGE);
    pvb_disk_close(v);
    assert_string_equal(pvb_part_scheme_name(PVB_PART_NONE), "none");
    assert_string_equal(pvb_part_scheme_name(PVB_PART_GPT), "gpt");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_table),
        cmocka_unit_test(test_bad_boot_flag),
        cmocka_unit_test(test_primaries),
        cmocka_unit_test(test_past_end),
        cmocka_unit_test(test_no_usable_entry),
        cmocka_unit_test(test_logicals),
        cmocka_unit_test(test_logical_loop),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_broken_chain),
        cmocka_unit_test(test_gpt),
        cmocka_unit_test(test_gpt_4k),
        cmocka_unit_test(test_gpt_sector_hint),
        cmocka_unit_test(test_gpt_backup),
        cmocka_unit_test(test_gpt_both_bad),
        cmocka_unit_test(test_gpt_bad_entries),
        cmocka_unit_test(test_gpt_big_entries),
        cmocka_unit_test(test_io_failures),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_part_open),
    };
    return cmocka_run_group_tests_name("part", tests, NULL, NULL);
}
