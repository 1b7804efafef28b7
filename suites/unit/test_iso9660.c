/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/fs/iso9660: volumes built in memory, GRUB's name rules, and one named case per hostile input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/fs.h"
#include "isobuild.h"
#include "part/part.h"
#include "testlib.h"
#include "util/bytes.h"
#include "util/mem.h"

#define BLK 2048u

static struct test_ctx t;
static struct isob b;
static struct pvb_disk *disk;
static struct pvb_fs *fs;
static clock_t started;

static int setup(void **state)
{
    (void)state;
    test_ctx_init(&t);
    disk = NULL;
    fs = NULL;
    memset(&b, 0, sizeof(b));
    started = clock();
    return 0;
}

static void unmount(void)
{
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    fs = NULL;
    disk = NULL;
}

static int teardown(void **state)
{
    (void)state;
    unmount();
    isob_free(&b);
    assert_int_equal(t.c.mem_used, 0);                        /* nothing leaked */
    assert_true(clock() - started < 2 * CLOCKS_PER_SEC);
    return 0;
}

static int mount(void)
{
    unmount();
    assert_int_equal(pvb_disk_open_mem(&t.c, b.img, b.size, &disk), 0);
    return pvb_fs_mount(disk, &fs);
}

static int cat(const char *path, char *buf, size_t cap, size_t *got)
{
    struct pvb_file *f;
    int rc = pvb_fs_open(fs, path, &f);

    if (rc)
        return rc;
    rc = pvb_file_read(f, buf, cap, 0, got);
    pvb_file_close(f);
    return rc;
}

static uint8_t *at(uint32_t blk) { return b.img + (size_t)blk * BLK; }

/* Names a readdir of path gives, joined with ' '. */
struct names { char s[1024]; };

static int add_name(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct names *n = arg;

    (void)ino;
    snprintf(n->s + strlen(n->s), sizeof(n->s) - strlen(n->s), "%s%s%s", n->s[0] ? " " : "",
             name, type == PVB_FT_DIR ? "/" : type == PVB_FT_LNK ? "@" : "");
    return 0;
}

static const char *ls(const char *path)
{
    static struct names n;

    n.s[0] = '\0';
    assert_int_equal(pvb_fs_readdir(fs, path, add_name, &n), 0);
    return n.s;
}

static void check_kernel(const char *path, size_t len)
{
    char *buf = malloc(len + 10);
    size_t got, i;

    assert_int_equal(cat(path, buf, len + 10, &got), 0);
    assert_int_equal(got, len);
    for (i = 0; i < len; i++)
        if ((uint8_t)buf[i] != isob_kernel_byte(i))
            fail_msg("%s: byte %zu", path, i);
    free(buf);
}

/* ---- GRUB's names ------------------------------------------------------------ */

static void test_plain_names(void **state)
{
    struct pvb_fs_info in;
    struct pvb_stat st;
    char buf[64];
    size_t got;

    (void)state;
    isob_sample(&b, 0, 0, 5000);
    assert_int_equal(mount(), 0);
    pvb_fs_info(fs, &in);
    assert_string_equal(in.driver, "iso9660");
    assert_string_equal(in.label, "SAMPLE");
    /* ";1" cut, lowercased, one trailing '.' dropped (grub_iso9660_iterate_dir) */
    assert_string_equal(ls("/"), "boot/ readme");
    assert_string_equal(ls("/boot"), "grub/ vmlinuz");
    /* matched without case */
    check_kernel("/boot/vmlinuz", 5000);
    check_kernel("/BOOT/VMLINUZ", 5000);
    check_kernel("/Boot/vmLinuz", 5000);
    assert_int_equal(cat("/boot/grub/grub.cfg", buf, sizeof(buf), &got), 0);
    assert_int_equal(cat("/README", buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 6);
    assert_int_equal(pvb_fs_stat(fs, "/README.", &st), PVB_ENOTFOUND);
    assert_int_equal(pvb_fs_stat(fs, "/README;1", &st), PVB_ENOTFOUND);
    assert_int_equal(pvb_fs_stat(fs, "/boot", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(st.mode, 040555);
    assert_int_equal(pvb_fs_stat(fs, "/boot/vmlinuz", &st), 0);
    assert_int_equal(st.mode, 0100444);
    assert_int_equal(st.mtime, 1686389035);   /* 2023-06-10 09:23:55 GMT */
}

static void test_rockridge(void **state)
{
    struct pvb_stat st;
    char link[64];

    (void)state;
    isob_sample(&b, 1, 0, 3000);
    assert_int_equal(mount(), 0);
    /* Rock Ridge names as stored, matched exactly */
    assert_string_equal(ls("/"), "boot/ Mixed README.");
    assert_string_equal(ls("/boot"), "grub/ vmlinuz vmlinuz-link@");
    assert_int_equal(pvb_fs_stat(fs, "/mixed", &st), PVB_ENOTFOUND);
    assert_int_equal(pvb_fs_stat(fs, "/Mixed", &st), 0);
    assert_int_equal(st.mode, 0100644);
    assert_int_equal(st.uid, 1000);
    assert_int_equal(st.gid, 100);
    assert_int_equal(pvb_fs_stat(fs, "/README.", &st), 0);
    assert_int_equal(pvb_fs_readlink(fs, "/boot/vmlinuz-link", link, sizeof(link)), 0);
    assert_string_equal(link, "vmlinuz");
    check_kernel("/boot/vmlinuz-link", 3000);
    assert_int_equal(pvb_fs_lstat(fs, "/boot/vmlinuz-link", &st), 0);
    assert_int_equal(st.type, PVB_FT_LNK);
    assert_int_equal(st.size, 7);
}

static void test_joliet(void **state)
{
    struct pvb_fs_info in;
    struct pvb_stat st;

    (void)state;
    /* No Rock Ridge: GRUB takes the Joliet SVD, names as stored and exact. */
    isob_sample(&b, 0, 1, 100);
    assert_int_equal(mount(), 0);
    pvb_fs_info(fs, &in);
    assert_string_equal(in.label, "Sample");
    assert_string_equal(in.version, "iso9660+joliet");
    assert_string_equal(ls("/"), "boot/ README.");
    assert_int_equal(pvb_fs_stat(fs, "/BOOT", &st), PVB_ENOTFOUND);
    check_kernel("/boot/vmlinuz", 100);
    isob_free(&b);
    /* Rock Ridge on the primary descriptor: the Joliet SVD is not taken. */
    isob_sample(&b, 1, 1, 100);
    assert_int_equal(mount(), 0);
    pvb_fs_info(fs, &in);
    assert_string_equal(in.version, "iso9660+rr");
    assert_string_equal(ls("/"), "boot/ Mixed README.");
}

static void test_joliet_utf8(void **state)
{
    struct isob_dir root;
    uint8_t name[64];
    char buf[8];
    size_t got;
    uint32_t d;

    (void)state;
    isob_new(&b, 40);
    d = isob_data(&b, "x", 1);
    isob_dir_new(&b, &root, 1, NULL, NULL, 0);
    /* "é;1", "€", a surrogate pair (U+1F600) and a lone surrogate */
    pvb_put_be16(name, 0xe9); pvb_put_be16(name + 2, ';'); pvb_put_be16(name + 4, '1');
    isob_rec(&b, &root, name, 6, d, 1, 0, NULL, 0);
    pvb_put_be16(name, 0x20ac);
    isob_rec(&b, &root, name, 2, d, 1, 0, NULL, 0);
    pvb_put_be16(name, 0xd83d); pvb_put_be16(name + 2, 0xde00);
    isob_rec(&b, &root, name, 4, d, 1, 0, NULL, 0);
    pvb_put_be16(name, 0xd83d); pvb_put_be16(name + 2, 'a');
    isob_rec(&b, &root, name, 4, d, 1, 0, NULL, 0);
    isob_desc(&b, 16, 1, 0, &root, "P");
    isob_desc(&b, 17, 2, 1, &root, "J");
    isob_term(&b, 18);
    assert_int_equal(mount(), 0);
    assert_string_equal(ls("/"), "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ?a");
    assert_int_equal(cat("/\xc3\xa9", buf, sizeof(buf), &got), 0);
}

/* An SL with a root, parent, current and CONTINUE components. */
static void test_symlink_components(void **state)
{
    struct isob_dir root;
    uint8_t su[256];
    size_t n;
    char link[128];
    static const struct { const char *comps, *want; } cases[] = {
        { "8:|0:boot|0:vmlinuz", "/boot/vmlinuz" },
        { "4:|0:a", "../a" },
        { "2:|0:b", "./b" },
        { "1:ab|0:cd|0:e", "abcd/e" },
        { "8:", "/" },
        { "6:|0:x", "x" },   /* two flags at once: written as nothing, as GRUB does */
    };
    unsigned i;
    char name[8];

    (void)state;
    isob_new(&b, 40);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        n = isob_su_px(su, 0120777);
        snprintf(name, sizeof(name), "l%u", i);
        n += isob_su_nm(su + n, 0, name);
        n += isob_su_sl(su + n, 0, cases[i].comps);
        isob_rec(&b, &root, "L", 1, 0, 0, 0, su, n);
    }
    /* a link split over two SL entries */
    n = isob_su_px(su, 0120777);
    n += isob_su_nm(su + n, 0, "split");
    n += isob_su_sl(su + n, 1, "0:usr");
    n += isob_su_sl(su + n, 0, "0:lib");
    isob_rec(&b, &root, "S", 1, 0, 0, 0, su, n);
    isob_desc(&b, 16, 1, 0, &root, "SL");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(name, sizeof(name), "/l%u", i);
        assert_int_equal(pvb_fs_readlink(fs, name, link, sizeof(link)), 0);
        assert_string_equal(link, cases[i].want);
    }
    assert_int_equal(pvb_fs_readlink(fs, "/split", link, sizeof(link)), 0);
    assert_string_equal(link, "usr/lib");
}

/* NM across two entries, with the second in a continuation area; PX types. */
static void test_nm_continuation(void **state)
{
    struct isob_dir root;
    uint8_t su[256];
    uint32_t ce, d;
    size_t n;
    char buf[8];
    size_t got;
    struct pvb_stat st;

    (void)state;
    isob_new(&b, 40);
    d = isob_data(&b, "data", 4);
    ce = isob_alloc(&b, 1);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    n = isob_su_px(su, 0100600);
    n += isob_su_nm(su + n, 1, "vmlinuz-");
    n += isob_su_ce(su + n, ce, 100, 64);
    isob_rec(&b, &root, "K", 1, d, 4, 0, su, n);
    n = isob_su_nm(at(ce) + 100, 0, "6.1.0");
    isob_su_px(at(ce) + 100 + n, 0020644);   /* a char device: GRUB reads it as a file */
    n = isob_su_px(su, 0040755);
    n += isob_su_nm(su + n, 0, "notadir");   /* PX says directory, the flags do not */
    isob_rec(&b, &root, "D", 1, root.block, BLK, 0, su, n);
    isob_desc(&b, 16, 1, 0, &root, "NM");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    assert_string_equal(ls("/"), "vmlinuz-6.1.0 notadir/");
    assert_int_equal(cat("/vmlinuz-6.1.0", buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 4);
    assert_int_equal(pvb_fs_stat(fs, "/vmlinuz-6.1.0", &st), 0);
    assert_int_equal(st.type, PVB_FT_REG);
    assert_int_equal(st.mode, 0100644);
}

/* A file of three extents (ECMA-119 6.5.1), the later records in the next block. */
static void test_multi_extent(void **state)
{
    struct isob_dir root;
    uint8_t *k = malloc(3 * 4096);
    char *buf = malloc(3 * 4096);
    uint32_t e[3];
    size_t got, i;
    struct pvb_file *f;
    struct pvb_stat st;

    (void)state;
    isob_new(&b, 60);
    for (i = 0; i < 3 * 4096; i++)
        k[i] = isob_kernel_byte(i);
    e[2] = isob_data(&b, k + 8192, 1000);   /* out of order on disk */
    e[0] = isob_data(&b, k, 4096);
    e[1] = isob_data(&b, k + 4096, 4096);
    isob_dir_new(&b, &root, 2, NULL, NULL, 0);
    while (root.pos < BLK - 200)           /* push the later records into block 2 */
        isob_rec(&b, &root, "PAD.;1", 6, e[0], 1, 0, NULL, 0);
    isob_rec(&b, &root, "BIG.;1", 6, e[0], 4096, 0x80, NULL, 0);
    isob_rec(&b, &root, "BIG.;1", 6, e[1], 4096, 0x80, NULL, 0);
    root.pos = BLK;                        /* the rest of block 1 is zeros: skipped */
    isob_rec(&b, &root, "BIG.;1", 6, e[2], 1000, 0, NULL, 0);
    isob_rec(&b, &root, "AFTER.;1", 8, e[0], 3, 0, NULL, 0);
    isob_desc(&b, 16, 1, 0, &root, "ME");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/big", &st), 0);
    assert_int_equal(st.size, 9192);
    assert_int_equal(cat("/big", buf, 3 * 4096, &got), 0);
    assert_int_equal(got, 9192);
    assert_memory_equal(buf, k, 9192);
    /* reads across extent ends and backwards */
    assert_int_equal(pvb_fs_open(fs, "/big", &f), 0);
    assert_int_equal(pvb_file_read(f, buf, 100, 8150, &got), 0);
    assert_memory_equal(buf, k + 8150, 100);
    assert_int_equal(pvb_file_read(f, buf, 5000, 10, &got), 0);
    assert_memory_equal(buf, k + 10, 5000);
    pvb_file_close(f);
    assert_int_equal(pvb_fs_stat(fs, "/after", &st), 0);
    assert_int_equal(st.size, 3);
    assert_true(strstr(ls("/"), "big after") != NULL);
    /* the last record claiming more extents */
    at(root.block + 1)[25] = 0x80;
    at(root.block + 1)[0] = 40;   /* and no record after it */
    memset(at(root.block + 1) + 40, 0, BLK - 40);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/big", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "last record says more extents follow");
    free(k);
    free(buf);
}

/* Rock Ridge deep directory relocation: CL in the placeholder, RE in rr_moved. */
static void test_relocation(void **state)
{
    struct isob_dir root, moved, deep;
    uint8_t su[128];
    uint32_t d;
    size_t n, ph;
    char buf[8];
    size_t got;

    (void)state;
    isob_new(&b, 40);
    d = isob_data(&b, "deep", 4);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    isob_dir_new(&b, &moved, 1, &root, NULL, 0);
    isob_dir_new(&b, &deep, 1, &moved, NULL, 0);
    n = isob_su_nm(su, 0, "file");
    isob_rec(&b, &deep, "FILE", 4, d, 4, 0, su, n);
    n = isob_su_nm(su, 0, "rr_moved");
    isob_subdir(&b, &root, "RR_MOVED", &moved, su, n);
    n = isob_su_nm(su, 0, "deep");
    n += isob_su_re(su + n);
    isob_subdir(&b, &moved, "DEEP", &deep, su, n);
    n = isob_su_nm(su, 0, "deep");
    n += isob_su_cl(su + n, deep.block);
    ph = isob_rec(&b, &root, "DEEP", 4, d, 0, 0, su, n);
    isob_desc(&b, 16, 1, 0, &root, "RE");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    assert_string_equal(ls("/"), "rr_moved/ deep/");
    assert_string_equal(ls("/rr_moved"), "");
    assert_int_equal(cat("/deep/file", buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 4);
    /* a CL naming a block that does not start a directory: the CL entry's block */
    pvb_put_le32(b.img + ph + 33 + 4 + 1 + isob_su_nm(su, 0, "deep") + 4, d);
    assert_int_equal(mount(), 0);
    assert_int_equal(cat("/deep/file", buf, sizeof(buf), &got), PVB_ECORRUPT);
    assert_msg_has(&t.c, "directory record at");
    /* a CL naming a directory's block whose first record is not "." */
    pvb_put_le32(b.img + ph + 33 + 4 + 1 + isob_su_nm(su, 0, "deep") + 4, root.block);
    at(root.block)[33] = 'X';
    assert_int_equal(mount(), 0);
    assert_int_equal(cat("/deep/file", buf, sizeof(buf), &got), PVB_ECORRUPT);
    assert_msg_has(&t.c, "does not start a directory");
}

/* ---- hostile inputs ----------------------------------------------------------- */

static void sample_rr(void)
{
    isob_sample(&b, 1, 0, 3000);
}

static uint32_t root_block(void)
{
    return pvb_le32(at(16) + 156 + 2);
}

static void test_record_lengths(void **state)
{
    struct pvb_stat st;
    uint8_t *r;

    (void)state;
    sample_rr();
    r = at(root_block());
    r += r[0];
    r += r[0];            /* the first real entry, /boot */
    r[0] = 20;
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/boot", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "length 20 is too short");
    /* a zero length ends the block's records (ECMA-119 6.8.1.1): /boot is gone */
    r[0] = 0;
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/boot", &st), PVB_ENOTFOUND);
    assert_string_equal(ls("/"), "");
}

static void test_record_past_block(void **state)
{
    struct isob_dir root;
    struct pvb_stat st;

    (void)state;
    isob_new(&b, 40);
    isob_dir_new(&b, &root, 1, NULL, NULL, 0);
    root.pos = BLK - 40;
    isob_rec(&b, &root, "A", 1, root.block, 0, 0, NULL, 0);
    at(root.block)[BLK - 40] = 60;   /* 20 bytes past its block */
    /* the records before lead here: ".." gets the length */
    at(root.block)[34] = (uint8_t)0;  /* ".." ends the block's records ... */
    isob_desc(&b, 16, 1, 0, &root, "X");
    isob_term(&b, 17);
    /* ... so make ".." long enough to reach the record (lengths are one byte: pad) */
    {
        uint8_t *p = at(root.block);
        size_t pos = 34;
        while (pos + 255 < BLK - 40) {
            p[pos] = 255;
            p[pos + 32] = 1;
            p[pos + 33] = 1;   /* "..": skipped by name */
            pos += 255;
        }
        p[pos] = (uint8_t)(BLK - 40 - pos);
        p[pos + 32] = 1;
        p[pos + 33] = 1;
    }
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "length 60 runs past its block");
    at(root.block)[BLK - 40 + 32] = 40;   /* name longer than the record */
    at(root.block)[BLK - 40] = 40;
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "name of 40 bytes in a record of 40");
}

static void test_ce_hostile(void **state)
{
    struct isob_dir root;
    uint8_t su[128];
    uint32_t ce;
    size_t n, i;
    struct pvb_stat st;
    size_t ra;

    (void)state;
    /* a CE pointing at itself */
    isob_new(&b, 80);
    ce = isob_alloc(&b, 1);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    n = isob_su_ce(su, ce, 0, 28);
    ra = isob_rec(&b, &root, "A", 1, 0, 0, 0, su, n);
    isob_su_ce(at(ce), ce, 0, 28);
    isob_desc(&b, 16, 1, 0, &root, "CE");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ELOOP);
    assert_msg_has(&t.c, "continuation areas form a loop");
    /* a chain of 40 distinct areas */
    for (i = 0; i < 40; i++)
        isob_su_ce(at(ce) + 40 * i, ce, (uint32_t)(40 * (i + 1)), 28);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "more than 32 continuation areas");
    /* an area that does not fit its block */
    isob_su_ce(at(ce), ce, 2040, 28);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "does not fit block");
    /* past the volume */
    isob_su_ce(at(ce), 1000000, 0, 28);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ERANGE);
    assert_msg_has(&t.c, "continuation area");
    /* two CEs in one area */
    isob_su_ce(at(ce), ce, 100, 28);
    isob_su_ce(at(ce) + 28, ce, 200, 28);
    pvb_put_le32(b.img + ra + 34 + 20, 56);   /* the record's CE: a 56-byte area */
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "more than one CE entry");
    /* a short CE entry */
    isob_su_ce(at(ce), ce, 100, 28);
    at(ce)[2] = 20;
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "CE entry of 20 bytes");
}

static void test_sl_overflow(void **state)
{
    struct isob_dir root;
    uint8_t su[128];
    size_t n;
    char link[64];
    struct pvb_stat st;

    (void)state;
    isob_new(&b, 40);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    n = isob_su_px(su, 0120777);
    n += isob_su_nm(su + n, 0, "bad");
    n += isob_su_sl(su + n, 0, "0:abcdef");
    su[n - 7] = 200;   /* the component claims 200 bytes */
    isob_rec(&b, &root, "B", 1, 0, 0, 0, su, n);
    n = isob_su_px(su, 0120777);
    n += isob_su_nm(su + n, 0, "half");
    n += isob_su_sl(su + n, 0, "0:ab");
    su[2 + n - 9] += 1;   /* the SL entry ends one byte into a component header */
    su[n] = 0;
    isob_rec(&b, &root, "H", 1, 0, 0, 0, su, n + 1);
    n = isob_su_px(su, 0100644);
    n += isob_su_nm(su + n, 0, "ok");
    isob_rec(&b, &root, "O", 1, 0, 0, 0, su, n);
    isob_desc(&b, 16, 1, 0, &root, "SL");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    /* the listing and other lookups are not hurt; the link itself is corrupt */
    assert_string_equal(ls("/"), "bad@ half@ ok");
    assert_int_equal(pvb_fs_stat(fs, "/ok", &st), 0);
    assert_int_equal(pvb_fs_readlink(fs, "/bad", link, sizeof(link)), PVB_ECORRUPT);
    assert_msg_has(&t.c, "an SL component runs past its entry");
    assert_int_equal(pvb_fs_readlink(fs, "/half", link, sizeof(link)), PVB_ECORRUPT);
    assert_msg_has(&t.c, "an SL component header runs past its entry");
    /* an inode number that is no record (block 0 is zeros) */
    assert_int_equal(pvb_fs_stat_ino(fs, 0, &st), PVB_ECORRUPT);
}

static void test_nm_overflow(void **state)
{
    struct isob_dir root;
    uint8_t su[256];
    uint32_t ce;
    size_t n;
    char name[121];
    struct pvb_stat st;

    (void)state;
    memset(name, 'n', 120);
    name[120] = '\0';
    isob_new(&b, 40);
    ce = isob_alloc(&b, 1);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    /* 3 x 120 bytes of NM: longer than any name a path can hold */
    n = isob_su_nm(su, 1, name);
    n += isob_su_ce(su + n, ce, 0, 300);
    isob_rec(&b, &root, "L", 1, 0, 0, 0, su, n);
    isob_su_nm(at(ce) + isob_su_nm(at(ce), 1, name), 0, name);
    n = isob_su_nm(su, 0, "short");
    isob_rec(&b, &root, "S", 1, 0, 0, 0, su, n);
    isob_desc(&b, 16, 1, 0, &root, "NM");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    assert_string_equal(ls("/"), "short");
    assert_true(test_warned(&t, "Rock Ridge name longer than 255 bytes; skipped"));
    assert_int_equal(pvb_fs_stat(fs, "/short", &st), 0);
    assert_int_equal(pvb_fs_stat(fs, "/l", &st), PVB_ENOTFOUND);
}

static void test_descriptors(void **state)
{
    struct pvb_stat st;
    uint32_t rb;

    (void)state;
    sample_rr();
    pvb_put_le16(at(16) + 128, 512);
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "logical block size 512 (only 2048 is read)");
    isob_free(&b);
    sample_rr();
    pvb_put_le32(at(16) + 80, 16);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "volume space size 16 blocks does not hold the descriptor");
    pvb_put_le32(at(16) + 80, 25);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "lies outside the volume space of 25 blocks");
    /* larger than the image: a warning (a truncated image still reads what it holds) */
    pvb_put_le32(at(16) + 80, 100000);
    assert_int_equal(mount(), 0);
    assert_true(test_warned(&t, "the image is truncated"));
    assert_int_equal(pvb_fs_stat(fs, "/boot/vmlinuz", &st), 0);
    /* the root record outside the image */
    rb = root_block();
    pvb_put_le32(at(16) + 156 + 2, 90000);
    assert_int_equal(mount(), PVB_ERANGE);   /* inside the (too large) volume space, past the image */
    assert_msg_has(&t.c, "root directory");
    pvb_put_le32(at(16) + 156 + 2, rb);
    at(16)[156 + 32] = 3;
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "root directory record is malformed");
    at(16)[156 + 32] = 1;
    /* no terminator: the next block is not a descriptor */
    memset(at(17), 0, 8);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "block 17 has no CD001 signature");
    /* 64 descriptors and no terminator */
    isob_free(&b);
    {
        struct isob_dir root;
        unsigned i;

        isob_new(&b, 120);
        b.next = 90;
        isob_dir_new(&b, &root, 1, NULL, NULL, 0);
        isob_desc(&b, 16, 1, 0, &root, "MANY");
        for (i = 17; i < 16 + 64 + 1; i++) {
            at(i)[0] = 0;   /* boot records */
            memcpy(at(i) + 1, "CD001", 5);
        }
    }
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "no descriptor set terminator in the first 64");
    isob_free(&b);
    /* a terminator but no primary */
    sample_rr();
    at(16)[0] = 0;
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "has no primary volume descriptor");
    /* not ISO 9660 at all, and too small */
    memset(at(16), 0, BLK);
    assert_int_equal(mount(), PVB_ENOTMINE);
    unmount();
    assert_int_equal(pvb_disk_open_mem(&t.c, b.img, 16 * BLK, &disk), 0);
    assert_int_equal(pvb_fs_mount(disk, &fs), PVB_ENOTMINE);
    /* the driver's own answer when asked by name (the probe above stops before it) */
    assert_int_equal(pvb_fs_mount_as(disk, "iso9660", &fs), PVB_ENOTMINE);
    assert_msg_has(&t.c, "iso9660: volume too small");
    /* a primary descriptor, then the image ends where its terminator should be (the root
     * directory in the system area, so that nothing the descriptor names is past the end) */
    isob_free(&b);
    {
        struct isob_dir root;

        isob_new(&b, 40);
        b.next = 2;
        isob_dir_new(&b, &root, 1, NULL, NULL, 0);
        isob_desc(&b, 16, 1, 0, &root, "SHORT");
    }
    unmount();
    assert_int_equal(pvb_disk_open_mem(&t.c, b.img, 17 * BLK, &disk), 0);
    assert_int_equal(pvb_fs_mount(disk, &fs), PVB_ECORRUPT);
    assert_msg_has(&t.c, "iso9660: descriptor set runs past the end of the volume at block 17");
}

/* readlink by inode number: only a Rock Ridge symlink has a target, and it must fit. */
static void test_readlink_ino(void **state)
{
    struct pvb_stat st;
    char buf[64], want[80];

    (void)state;
    sample_rr();
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/boot", &st), 0);
    assert_int_equal(pvb_fs_readlink_ino(fs, st.ino, buf, sizeof(buf)), PVB_EINVAL);
    snprintf(want, sizeof(want), "iso9660: inode %llu is not a symlink",
             (unsigned long long)st.ino);
    assert_msg_has(&t.c, want);
    assert_int_equal(pvb_fs_lstat(fs, "/boot/vmlinuz-link", &st), 0);
    assert_int_equal(pvb_fs_readlink_ino(fs, st.ino, buf, 4), PVB_ELIMIT);  /* "vmlinuz" */
    snprintf(want, sizeof(want), "iso9660: symlink %llu: target of 7 bytes is longer than 3",
             (unsigned long long)st.ino);
    assert_msg_has(&t.c, want);
    assert_int_equal(pvb_fs_readlink_ino(fs, st.ino, buf, 8), 0);
    assert_string_equal(buf, "vmlinuz");
}

static void test_unsupported(void **state)
{
    struct pvb_stat st;
    uint8_t *r;
    char buf[8];
    size_t got;

    (void)state;
    isob_sample(&b, 0, 0, 100);
    r = at(root_block());
    r += r[0];
    r += r[0];
    r += r[0];   /* /boot, then /readme */
    r[26] = 1;
    r[27] = 2;
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/readme", &st), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "interleaved file (unit size 1, gap 2) is not read");
    r[26] = r[27] = 0;
    r[1] = 1;
    assert_int_equal(cat("/readme", buf, sizeof(buf), &got), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "extended attribute record of 1 blocks");
    r[1] = 0;
    pvb_put_le32(r + 10, 0xfffffff0u);
    assert_int_equal(cat("/readme", buf, sizeof(buf), &got), PVB_ERANGE);
    assert_msg_has(&t.c, "lie past the end of the volume");
}

static void test_limits(void **state)
{
    struct isob_dir dirs[40];
    struct pvb_stat st;
    char path[256];
    unsigned i;
    size_t n = 0;

    (void)state;
    isob_new(&b, 80);
    isob_dir_new(&b, &dirs[0], 1, NULL, NULL, 0);
    for (i = 1; i < 40; i++) {
        isob_dir_new(&b, &dirs[i], 1, &dirs[i - 1], NULL, 0);
        isob_subdir(&b, &dirs[i - 1], "D", &dirs[i], NULL, 0);
    }
    isob_desc(&b, 16, 1, 0, &dirs[0], "DEEP");
    isob_term(&b, 17);
    assert_int_equal(mount(), 0);
    for (i = 0; i < 39; i++)
        n += (size_t)snprintf(path + n, sizeof(path) - n, "/d");
    assert_int_equal(pvb_fs_stat(fs, path, &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    /* a path deeper than the limits allow */
    t.c.lim.max_path = 40;
    assert_int_equal(pvb_fs_stat(fs, path, &st), PVB_ELIMIT);
    assert_msg_has(&t.c, "path longer than 40 bytes");
    t.c.lim.max_path = 4096;
    /* the scan budget: every record scanned is charged */
    t.c.lim.max_scan = t.c.used[PVB_BUDGET_SCAN] + 20;
    assert_int_equal(pvb_fs_stat(fs, path, &st), PVB_ELIMIT);
    assert_msg_has(&t.c, "scan");
}

/* Every read failing in turn: PVB_EIO or success, never "not found", and no leak. */
static void test_read_faults(void **state)
{
    unsigned n, eio = 0;

    (void)state;
    isob_sample(&b, 1, 1, 5000);
    for (n = 1; n < 60; n++) {
        int rc;
        size_t got;
        char buf[8192];

        unmount();
        assert_int_equal(pvb_disk_open_mem(&t.c, b.img, b.size, &disk), 0);
        pvb_disk_mem_fail_at(disk, n);
        rc = pvb_fs_mount(disk, &fs);
        if (!rc) {
            rc = cat("/boot/vmlinuz-link", buf, sizeof(buf), &got);
            if (!rc)
                rc = pvb_fs_readdir(fs, "/boot", add_name, &(struct names){ "" });
        }
        assert_true(rc == 0 || rc == PVB_EIO);
        eio += rc == PVB_EIO;
        if (rc == 0)
            break;
    }
    assert_true(eio > 5);
    assert_true(n < 60);
}

/* Every allocation failing in turn: PVB_ENOMEM or success, and no leak. */
static void test_alloc_faults(void **state)
{
    unsigned long n;
    unsigned nomem = 0;

    (void)state;
    isob_sample(&b, 1, 0, 5000);
    assert_int_equal(pvb_disk_open_mem(&t.c, b.img, b.size, &disk), 0);
    for (n = 1; n < 200; n++) {
        int rc;
        size_t got;
        char buf[8192];
        char link[32];

        t.c.nalloc = 0;
        t.c.fail_alloc = n;
        rc = pvb_fs_mount(disk, &fs);
        if (!rc) {
            rc = cat("/boot/vmlinuz-link", buf, sizeof(buf), &got);
            if (!rc)
                rc = pvb_fs_readlink(fs, "/boot/vmlinuz-link", link, sizeof(link));
            if (!rc)
                rc = pvb_fs_readdir(fs, "/boot", add_name, &(struct names){ "" });
            pvb_fs_umount(fs);
            fs = NULL;
        }
        t.c.fail_alloc = 0;
        assert_true(rc == 0 || rc == PVB_ENOMEM);
        nomem += rc == PVB_ENOMEM;
        if (rc == 0)
            break;
    }
    assert_true(nomem > 5);
    assert_true(n < 200);
}

/* A hybrid: an MBR at byte 0 and CD001 at 0x8001; an EFI partition after the ISO. */
static void test_hybrid(void **state)
{
    struct pvb_part_table tab;
    uint8_t *m;
    char name[16];

    (void)state;
    isob_sample(&b, 1, 0, 100);
    m = b.img;
    m[446 + 4] = 0x17;                    /* partition 1: the ISO, from sector 0 */
    pvb_put_le32(m + 446 + 8, 0);
    pvb_put_le32(m + 446 + 12, 64);
    m[446 + 16 + 4] = 0xef;               /* partition 2: an EFI system partition */
    pvb_put_le32(m + 446 + 16 + 8, 64);
    pvb_put_le32(m + 446 + 16 + 12, 32);
    m[510] = 0x55;
    m[511] = 0xaa;
    assert_int_equal(pvb_disk_open_mem(&t.c, b.img, b.size, &disk), 0);
    assert_int_equal(pvb_part_scan(disk, &tab), 0);
    assert_int_equal(tab.scheme, PVB_PART_MBR);
    assert_true(tab.flags & PVB_PART_ISOHYBRID);
    assert_int_equal(tab.count, 2);
    assert_int_equal(tab.vols[0].offset, 0);
    assert_int_equal(tab.vols[0].size, b.size);
    pvb_volume_name(&tab, &tab.vols[0], name);
    assert_string_equal(name, "");        /* (hd0) */
    pvb_volume_name(&tab, &tab.vols[1], name);
    assert_string_equal(name, "msdos2");
    pvb_part_free(&t.c, &tab);
    /* without CD001 it is a plain MBR disk */
    memset(at(16) + 1, 'X', 5);
    assert_int_equal(pvb_part_scan(disk, &tab), 0);
    assert_false(tab.flags & PVB_PART_ISOHYBRID);
    assert_int_equal(tab.count, 1);
    pvb_part_free(&t.c, &tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rockridge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joliet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joliet_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_components, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nm_continuation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_extent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_lengths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_past_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ce_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sl_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nm_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descriptors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readlink_ino, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsupported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hybrid, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
