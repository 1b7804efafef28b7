/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/boot's hostile edges: device names, search, kernel paths, initrd and volume limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "extbuild.h"
#include "imgbuild.h"
#include "testlib.h"

#define SECT 512u
#define LEAD 64u             /* sectors before the first partition */
#define KLEN 2000u           /* /boot/vmlinuz's size */
#define ILEN 1001u           /* /boot/initrd.img's size: not a multiple of 4 */

/*
 * An ext4 filesystem with label and UUID a0a1...aeXX (XX = uuid_last):
 * /boot/vmlinuz, /boot/initrd.img, /boot/dir/, /boot/loop -> loop,
 * /boot/a -> b -> a, /boot/abs -> /boot/vmlinuz, /boot/<marker> (a file), and
 * /boot/grub/grub.cfg holding cfg unless it is NULL.
 */
static void ext_vol(struct eb *e, const char *label, uint8_t uuid_last, const char *marker,
                    const char *cfg)
{
    static uint8_t data[KLEN];
    uint32_t boot;
    size_t i;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + uuid_last);
    eb_new(e, 0, 128, 256, 32, EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT, 0);
    memset(eb_sb(e) + 0x78, 0, 16);
    memcpy(eb_sb(e) + 0x78, label, strlen(label));
    eb_sb(e)[0x68 + 15] = uuid_last;
    boot = eb_mkdir(e, 2, "boot", EB_EXTENTS);
    eb_file(e, boot, "vmlinuz", data, KLEN, EB_EXTENTS);
    eb_file(e, boot, "initrd.img", data, ILEN, EB_EXTENTS);
    eb_file(e, boot, marker, "m", 1, EB_EXTENTS);
    eb_mkdir(e, boot, "dir", EB_EXTENTS);
    eb_symlink(e, boot, "loop", "loop", EB_EXTENTS);
    eb_symlink(e, boot, "a", "b", EB_EXTENTS);
    eb_symlink(e, boot, "b", "a", EB_EXTENTS);
    eb_symlink(e, boot, "abs", "/boot/vmlinuz", EB_EXTENTS);
    if (cfg)
        eb_file(e, eb_mkdir(e, boot, "grub", EB_EXTENTS), "grub.cfg", cfg, strlen(cfg), EB_EXTENTS);
    eb_finish(e);
}

struct disk {
    struct test_ctx t;
    uint8_t *img;
    size_t size;
    struct pvb_disk *d;
    struct pvb_boot *b;
};

/* n filesystems as msdos primaries 1..n (n 0: the first one alone, no table). */
static struct disk *disk_new(struct eb *vols, unsigned n)
{
    struct disk *k = calloc(1, sizeof(*k));
    size_t at = LEAD;
    unsigned i;

    assert_non_null(k);
    test_ctx_init(&k->t);
    k->size = n ? LEAD * SECT : 0;
    for (i = 0; i < (n ? n : 1); i++)
        k->size += vols[i].size;
    k->img = ib_new(k->size);
    if (!n)
        memcpy(k->img, vols[0].img, vols[0].size);
    for (i = 0; i < n; i++) {
        ib_mbr_entry(k->img, 0, (int)i, 0, 0x83, (uint32_t)at, (uint32_t)(vols[i].size / SECT));
        memcpy(k->img + at * SECT, vols[i].img, vols[i].size);
        at += vols[i].size / SECT;
    }
    for (i = 0; i < (n ? n : 1); i++)
        eb_free(&vols[i]);
    return k;
}

/* One filesystem holding cfg, as msdos1 (or the whole disk when whole). */
static struct disk *disk_one(const char *cfg, int whole)
{
    struct eb e;

    ext_vol(&e, "one", 1, "only-one", cfg);
    return disk_new(&e, whole ? 0 : 1);
}

static int decide_opts(struct disk *k, const struct pvb_boot_opts *o)
{
    if (!k->d)
        assert_int_equal(pvb_disk_open_mem(&k->t.c, k->img, k->size, &k->d), 0);
    return pvb_boot_decide(&k->t.c, k->d, o, &k->b);
}

static int decide(struct disk *k)
{
    struct pvb_boot_opts o;

    pvb_boot_opts_init(&o);
    return decide_opts(k, &o);
}

static void disk_free(struct disk *k)
{
    pvb_boot_free(k->b);
    pvb_disk_close(k->d);
    assert_int_equal(k->t.c.mem_used, 0);
    free(k->img);
    free(k);
}

static int count(void *arg, const void *buf, size_t len)
{
    (void)buf;
    *(uint64_t *)arg += len;
    return 0;
}

/* GRUB's device names on a disk of two msdos primaries: what resolves and how the rest fail. */
static void test_device_names(void **state)
{
    static const struct {
        const char *dev;
        int rc;
        const char *msg;
    } cases[] = {
        { "hd0,msdos1", 0, NULL },
        { "(hd0,2)", 0, NULL },                                   /* scheme optional */
        { "(hd1,msdos1)", PVB_ENOTFOUND, "(hd1,msdos1) is on another disk" },
        { "hd18446744073709551616,msdos1", PVB_ENOTFOUND, "another disk" },
        { "(hd0,msdos3)", PVB_ENOTFOUND, "no partition (hd0,msdos3)" },
        { "(hd0,0)", PVB_ENOTFOUND, "no partition (hd0,0)" },     /* GRUB 2 counts from 1 */
        { "(hd0,msdos99999999999999999999999)", PVB_ENOTFOUND, "no partition" },
        { "(hd0,gpt1)", PVB_ENOTFOUND, "the disk's table is msdos" },
        { "(hd0)", PVB_ENOTFOUND, "(hd0) is partitioned" },
        { "(fd0)", PVB_ENOTFOUND, "no device (fd0)" },
        { "()", PVB_ENOTFOUND, "no device ()" },
        { "(hd0,msdos1", PVB_ENOTFOUND, "no device ((hd0,msdos1)" },
        { "(lvm/vg-root)", PVB_ENOTFOUND, "(lvm/vg-root): no such logical volume on this disk" },
        { "(lvmid/Abc-123/Def-456)", PVB_ENOTFOUND, "no such logical volume" },
        { "(lvm)", PVB_EUNSUPPORTED, "(lvm) is a volume manager" },
        { "(md/0)", PVB_EUNSUPPORTED, "(md/0) is a volume manager" },
        { "(mduuid/0123abcd)", PVB_EUNSUPPORTED, "volume manager" },
        { "(cryptouuid/0123abcd)", PVB_EUNSUPPORTED, "encrypted" },
        { "(hd0,msdos1,bsd1)", PVB_EUNSUPPORTED, "(hd0,msdos1,bsd1): nested or unknown partition" },
        { "(hd0,msdos1x)", PVB_EUNSUPPORTED, "nested or unknown partition" },
        { "(hd0,msdos1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)",
          PVB_ENOTFOUND, "too long" },
    };
    struct eb v[2];
    struct disk *k;
    struct pvb_fs *fs;
    unsigned i;

    (void)state;
    ext_vol(&v[0], "a", 1, "only-a", NULL);
    ext_vol(&v[1], "b", 2, "only-b", NULL);
    k = disk_new(v, 2);
    assert_int_equal(pvb_disk_open_mem(&k->t.c, k->img, k->size, &k->d), 0);
    assert_int_equal(pvb_boot_open(&k->t.c, k->d, -1, &k->b), 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = pvb_boot_fs(k->b, cases[i].dev, &fs);
        if (rc != cases[i].rc)
            fail_msg("%s: %s, want %s (%s)", cases[i].dev, pvb_errname(rc), pvb_errname(cases[i].rc),
                     k->t.c.msg);
        if (cases[i].msg)
            assert_msg_has(&k->t.c, cases[i].msg);
    }
    disk_free(k);
}

/* (hd0) is the whole disk: a table with one partition does not make it that partition. */
static void test_hd0_is_whole_disk(void **state)
{
    static const char cfg[] = "menuentry 'w' { linux (hd0)/boot/vmlinuz; }\n";
    struct disk *k;

    (void)state;
    k = disk_one(cfg, 0);
    assert_int_equal(decide(k), PVB_ENOBOOT);
    assert_msg_has(&k->t.c, "entry 0 'w': boot: (hd0) is partitioned");
    disk_free(k);
    k = disk_one(cfg, 1);   /* no table: (hd0) holds the filesystem */
    assert_int_equal(decide(k), 0);
    assert_int_equal(k->b->kernel.vol, 0);
    assert_string_equal(k->b->vols[0].dev, "hd0");
    disk_free(k);
}

/* A device the guest's bootloader cannot see fails its entry, naming it; the fallback boots. */
static void test_device_in_config(void **state)
{
    struct disk *k;

    (void)state;
    k = disk_one("menuentry 'lv' { linux (lvm/rhel-root)/boot/vmlinuz; }\n", 0);
    assert_int_equal(decide(k), PVB_ENOBOOT);
    assert_msg_has(&k->t.c, "(hd0,msdos1): boot: entry 0 'lv': boot: device (lvm/rhel-root)");
    disk_free(k);
    k = disk_one("set fallback=1\nmenuentry 'x' { linux (hd1,msdos1)/boot/vmlinuz; }\n"
                 "menuentry 'y' { linux ($root)/boot/vmlinuz; }\n", 0);
    assert_int_equal(decide(k), 0);
    assert_int_equal(k->b->entry, 1);
    assert_int_equal(k->b->fallback_from, 0);   /* the fact, whatever the words */
    assert_true(test_warned(&k->t, "entry 0 'x': boot: device (hd1,msdos1) is on another disk"));
    assert_true(test_warned(&k->t, "trying fallback entry 1"));
    assert_int_equal(pvb_boot_choose(k->b, 1, NULL), 0);
    assert_int_equal(k->b->fallback_from, -1);
    disk_free(k);
}

/* Two volumes with different kernels' bytes; the config on msdos1 sets root, then searches. */
static int searched_vol(const char *label_a, const char *label_b, const char *script)
{
    char cfg[1024];
    struct eb v[2];
    struct disk *k;
    int vol;

    snprintf(cfg, sizeof(cfg), "set root=(hd0,msdos2)\n%s\nmenuentry 'x' { linux /boot/vmlinuz; }\n", script);
    ext_vol(&v[0], label_a, 1, "only-a", cfg);
    ext_vol(&v[1], label_b, 2, "only-b", NULL);
    k = disk_new(v, 2);
    assert_int_equal(decide(k), 0);
    vol = k->b->kernel.vol;
    disk_free(k);
    return vol;
}

/* GRUB's search: no match leaves the variable as it was, several matches take the
 * first volume in disk order, UUIDs compare without case, and without --set it
 * only prints what it found (search.c sets a variable only when given one). */
static void test_search(void **state)
{
    (void)state;
    assert_int_equal(searched_vol("a", "b", "search --no-floppy --label --set=root nomatch"), 1);
    assert_int_equal(searched_vol("a", "b", "search --fs-uuid --set=root 00000000-0000-0000-0000-000000000000"), 1);
    assert_int_equal(searched_vol("a", "b", "search --file --set=root /boot/nothing"), 1);
    assert_int_equal(searched_vol("same", "same", "search --label --set=root same"), 0);
    assert_int_equal(searched_vol("a", "b", "search --file --set /boot/vmlinuz"), 0);   /* on both */
    assert_int_equal(searched_vol("a", "b", "search --file /boot/only-a"), 1);           /* no --set */
    assert_int_equal(searched_vol("a", "b", "set root=(hd0,msdos1)\nsearch -f -s /boot/only-b"), 1);
    assert_int_equal(searched_vol("a", "b", "set root=(hd0,msdos1)\nsearch -l -s b"), 1);
    assert_int_equal(searched_vol("a", "b", "set root=(hd0,msdos1)\n"
                                  "search --fs-uuid --set=root A0A1A2A3-A4A5-A6A7-A8A9-AAABACADAE02"), 1);
    assert_int_equal(searched_vol("a", "b", "set root=(hd0,msdos1)\n"
                                  "search.fs_uuid a0a1a2a3-a4a5-a6a7-a8a9-aaabacadae02 root"), 1);
    /* --file names a regular file: a directory does not match */
    assert_int_equal(searched_vol("a", "b", "search --file --set=root /boot/dir"), 1);
}

/* Kernel paths that are not a loadable file: each a clean error naming the path. */
static void test_kernel_paths(void **state)
{
    static const struct {
        const char *path;
        const char *msg;       /* NULL: it boots */
    } cases[] = {
        { "/boot/dir", "/boot/dir is not a regular file" },
        { "/boot/loop", "loop" },
        { "/boot/a", "/boot/a" },
        { "/boot/missing", "missing" },
        { "/boot/vmlinuz/x", "vmlinuz" },
        { "/boot/abs", NULL },
        { "/../boot/./vmlinuz", NULL },   /* GRUB: .. of the root is the root */
        { "/boot//vmlinuz", NULL },
    };
    char cfg[256];
    struct disk *k;
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(cfg, sizeof(cfg), "menuentry 'k' { linux %s; }\n", cases[i].path);
        k = disk_one(cfg, 0);
        if (cases[i].msg) {
            assert_int_equal(decide(k), PVB_ENOBOOT);
            assert_msg_has(&k->t.c, "entry 0 'k': ");
            assert_msg_has(&k->t.c, cases[i].msg);
        } else {
            assert_int_equal(decide(k), 0);
        }
        disk_free(k);
    }
}

/* A symlink loop in an initrd fails the entry like one in the kernel. */
static void test_initrd_loop(void **state)
{
    struct disk *k;

    (void)state;
    k = disk_one("menuentry 'i' { linux /boot/vmlinuz; initrd /boot/initrd.img /boot/a; }\n", 0);
    assert_int_equal(decide(k), PVB_ENOBOOT);
    assert_msg_has(&k->t.c, "entry 0 'i': ");
    assert_msg_has(&k->t.c, "/boot/a");
    disk_free(k);
}

/* n initrds on one line: GRUB concatenates them, each after the first 4-byte aligned;
 * the ramdisk they make is held to max_file_size like any one file. */
static void test_initrds_at_limit(void **state)
{
    enum { N = 200 };
    const uint64_t want = (uint64_t)N * ILEN + (N - 1) * 3;
    static char cfg[64 + N * 18];
    uint64_t kn, rn, ks, rs;
    struct disk *k;
    size_t n;
    unsigned i;

    (void)state;
    n = (size_t)sprintf(cfg, "menuentry 'n' { linux /boot/vmlinuz; initrd");
    for (i = 0; i < N; i++)
        n += (size_t)sprintf(cfg + n, " /boot/initrd.img");
    sprintf(cfg + n, "; }\n");
    k = disk_one(cfg, 0);
    assert_int_equal(decide(k), 0);
    assert_int_equal(k->b->ninitrds, N);
    kn = rn = 0;
    k->t.c.lim.max_file_size = want;   /* exactly at the limit */
    assert_int_equal(pvb_boot_extract(k->b, count, &kn, count, &rn, &ks, &rs), 0);
    assert_int_equal(ks, KLEN);
    assert_int_equal(rs, want);
    assert_int_equal(rn, want);
    kn = rn = 0;
    k->t.c.lim.max_file_size = want - 1;
    assert_int_equal(pvb_boot_extract(k->b, count, &kn, count, &rn, &ks, &rs), PVB_ELIMIT);
    assert_msg_has(&k->t.c, "initrd 200 (/boot/initrd.img): the ramdisk passes");
    disk_free(k);
}

/* More partitions than max_parts: the scan stops with PVB_ELIMIT before any volume is tried. */
static void test_volume_limit(void **state)
{
    struct pvb_boot_opts o;
    struct eb v[3];
    struct disk *k;

    (void)state;
    ext_vol(&v[0], "a", 1, "only-a", NULL);
    ext_vol(&v[1], "b", 2, "only-b", NULL);
    ext_vol(&v[2], "c", 3, "only-c", "menuentry 'c' { linux /boot/vmlinuz; }\n");
    k = disk_new(v, 3);
    k->t.c.lim.max_parts = 2;
    pvb_boot_opts_init(&o);
    assert_int_equal(decide_opts(k, &o), PVB_ELIMIT);
    assert_msg_has(&k->t.c, "more than 2 partitions");
    assert_null(k->b);
    k->t.c.lim.max_parts = 3;
    assert_int_equal(decide_opts(k, &o), 0);
    assert_string_equal(k->b->vols[k->b->vol].dev, "hd0,msdos3");
    disk_free(k);
}

/* An entry chosen later that fails leaves the earlier choice as it was. */
static void test_failed_choice_keeps_boot(void **state)
{
    uint64_t kn = 0, rn = 0, ks, rs;
    struct disk *k;

    (void)state;
    k = disk_one("menuentry 'ok' { linux /boot/vmlinuz; initrd /boot/initrd.img; }\n"
                 "menuentry 'bad' { linux /boot/abs; initrd /boot/missing.img; }\n", 0);
    assert_int_equal(decide(k), 0);
    assert_int_equal(pvb_boot_choose(k->b, 1, NULL), PVB_ENOBOOT);
    assert_msg_has(&k->t.c, "entry 1 'bad'");
    assert_msg_has(&k->t.c, "missing.img");
    assert_int_equal(k->b->entry, 0);
    assert_string_equal(k->b->kernel.path, "/boot/vmlinuz");
    assert_int_equal(k->b->ninitrds, 1);
    assert_int_equal(pvb_boot_choose(k->b, 7, NULL), PVB_EINVAL);
    assert_msg_has(&k->t.c, "no entry 7");
    assert_int_equal(pvb_boot_extract(k->b, count, &kn, count, &rn, &ks, &rs), 0);
    assert_int_equal(ks, KLEN);
    assert_int_equal(rs, ILEN);
    disk_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_names),
        cmocka_unit_test(test_hd0_is_whole_disk),
        cmocka_unit_test(test_device_in_config),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_kernel_paths),
        cmocka_unit_test(test_initrd_loop),
        cmocka_unit_test(test_initrds_at_limit),
        cmocka_unit_test(test_volume_limit),
        cmocka_unit_test(test_failed_choice_keeps_boot),
    };

    return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
