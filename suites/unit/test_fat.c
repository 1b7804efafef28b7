/* SPDX-License-Identifier: GPL-2.0-only */
/* The FAT driver on images built in memory: GRUB's reading rules, then one case per hostile field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fatbuild.h"
#include "fs/drivers.h"
#include "fs/fat.h"
#include "testlib.h"
#include "util/bytes.h"
#include "util/mem.h"

struct fix {
    struct test_ctx t;
    struct fb b;
    size_t vol_size;          /* bytes of the image the disk shows (0: all) */
    struct pvb_disk *d;
    struct pvb_fs *fs;
};

/* Each hostile case must fail cleanly and fast: the code, the message, under a second. */
#define EXPECT(x, call, code, needle) \
    do { \
        clock_t t0_ = clock(); \
        int rc_ = (call); \
        if (rc_ != (code)) \
            fail_msg("%s: got %s (%s), want %s", #call, pvb_errname(rc_), \
                     pvb_ctx_msg(&(x)->t.c), pvb_errname(code)); \
        assert_msg_has(&(x)->t.c, needle); \
        assert_true((double)(clock() - t0_) / CLOCKS_PER_SEC < 1.0); \
    } while (0)

static uint8_t data[300 * 1024];

static void fill(void)
{
    size_t i;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 131 + i / 511);
}

static struct fix *fix_new(unsigned bits, uint32_t tot, unsigned spc)
{
    struct fix *x = calloc(1, sizeof(*x));

    assert_non_null(x);
    test_ctx_init(&x->t);
    fb_new(&x->b, bits, tot, spc, 512);
    return x;
}

static void unmount(struct fix *x)
{
    pvb_fs_umount(x->fs);
    x->fs = NULL;
    pvb_disk_close(x->d);
    x->d = NULL;
}

static int mount(struct fix *x)
{
    int rc;

    unmount(x);
    rc = pvb_disk_open_mem(&x->t.c, x->b.img, x->vol_size ? x->vol_size : x->b.size, &x->d);
    return rc ? rc : pvb_fs_mount(x->d, &x->fs);
}

static void done(struct fix *x)
{
    unmount(x);
    assert_int_equal(x->t.c.mem_used, 0);
    fb_free(&x->b);
    free(x);
}

static uint32_t root_dir(struct fix *x)
{
    return x->b.bits == 32 ? x->b.root_cluster : 0;
}

/* The whole file at path: 0 and its bytes equal want[0..len), or the error. */
static int cat_is(struct fix *x, const char *path, const void *want, size_t len)
{
    char *buf;
    size_t n;
    int rc = pvb_fs_read_file(x->fs, path, 1 << 20, &buf, &n);

    if (rc)
        return rc;
    assert_int_equal(n, len);
    assert_memory_equal(buf, want, len);
    pvb_free(&x->t.c, buf);
    return 0;
}

static int cat(struct fix *x, const char *path)
{
    char *buf = NULL;
    size_t n;
    int rc = pvb_fs_read_file(x->fs, path, 1 << 20, &buf, &n);

    pvb_free(&x->t.c, buf);
    return rc;
}

/* The driver keeps a window of the FAT: a test that edits the image mounts again. */
static int recat(struct fix *x, const char *path)
{
    int rc = mount(x);

    return rc ? rc : cat(x, path);
}

struct names {
    char s[8192];
    unsigned n;
};

static int add_name(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct names *l = arg;

    (void)ino;
    if (l->s[0])
        strcat(l->s, " ");
    strcat(l->s, name);
    if (type == PVB_FT_DIR)
        strcat(l->s, "/");
    l->n++;
    return 0;
}

static const char *ls(struct fix *x, const char *path, int *rc)
{
    static struct names l;

    memset(&l, 0, sizeof(l));
    *rc = pvb_fs_readdir(x->fs, path, add_name, &l);
    return l.s;
}

static int stat_(struct fix *x, const char *path, struct pvb_stat *st)
{
    return pvb_fs_stat(x->fs, path, st);
}

/* ---- reading as GRUB reads -------------------------------------------------------- */

static void tree(struct fix *x)
{
    uint32_t root = root_dir(x), boot, grub;

    boot = fb_mkdir(&x->b, root, NULL, "BOOT       ");
    grub = fb_mkdir(&x->b, boot, NULL, "GRUB       ");
    fb_file(&x->b, boot, "vmlinuz-6.1.0-13-amd64", "VMLINU~1   ", data, 70000, 1);
    fb_file(&x->b, boot, "initrd.img-6.1.0-13-amd64", "INITRD~1IMG", data + 5, 50000, 3);
    fb_file(&x->b, grub, NULL, "GRUB    CFG", "set default=0\n", 14, 1);
    fb_file(&x->b, root, NULL, "README  TXT", "up\n", 3, 1);
    fb_file(&x->b, root, NULL, "EMPTY      ", "", 0, 1);
}

static void check_tree(struct fix *x, const char *version)
{
    struct pvb_fs_info in;
    int rc;

    assert_int_equal(mount(x), 0);
    pvb_fs_info(x->fs, &in);
    assert_string_equal(in.driver, "fat");
    assert_string_equal(in.version, version);
    assert_string_equal(in.uuid_str, "1234-ABCD");
    assert_int_equal(in.block_size, x->b.csize);
    assert_int_equal(cat_is(x, "/boot/vmlinuz-6.1.0-13-amd64", data, 70000), 0);
    assert_int_equal(cat_is(x, "/BOOT/Vmlinuz-6.1.0-13-AMD64", data, 70000), 0);
    assert_int_equal(cat_is(x, "/boot/initrd.img-6.1.0-13-amd64", data + 5, 50000), 0);
    assert_int_equal(cat_is(x, "/boot/grub/grub.cfg", "set default=0\n", 14), 0);
    assert_int_equal(cat_is(x, "/boot/grub/../../README.TXT", "up\n", 3), 0);
    assert_int_equal(cat_is(x, "/empty", "", 0), 0);
    /* GRUB finds the long name only, not the 8.3 alias it hides. */
    assert_int_equal(cat(x, "/boot/vmlinu~1"), PVB_ENOTFOUND);
    assert_string_equal(ls(x, "/", &rc), "boot/ readme.txt empty");
    assert_int_equal(rc, 0);
    assert_string_equal(ls(x, "/boot", &rc),
                        "grub/ vmlinuz-6.1.0-13-amd64 initrd.img-6.1.0-13-amd64");
    assert_int_equal(cat(x, "/boot"), PVB_EISDIR);
    assert_int_equal(cat(x, "/readme.txt/x"), PVB_ENOTDIR);
    assert_int_equal(pvb_fs_readdir(x->fs, "/readme.txt", add_name, NULL), PVB_ENOTDIR);
}

static void test_fat12(void **state)
{
    struct fix *x = fix_new(12, 2048, 1);

    (void)state;
    tree(x);
    check_tree(x, "fat12");
    done(x);
}

static void test_fat16(void **state)
{
    struct fix *x = fix_new(16, 16384, 2);

    (void)state;
    tree(x);
    check_tree(x, "fat16");
    done(x);
}

static void test_fat32(void **state)
{
    struct fix *x = fix_new(32, 16384, 1);
    uint8_t e[32];

    (void)state;
    tree(x);
    fb_short(e, "MY LABEL   ", FAT_ATTR_VOLUME_ID | FAT_ATTR_ARCHIVE, 0, 0);
    fb_raw(&x->b, x->b.root_cluster, e);
    check_tree(x, "fat32");
    {
        struct pvb_fs_info in;
        pvb_fs_info(x->fs, &in);
        assert_string_equal(in.label, "MY LABEL");   /* the root entry's, case kept */
    }
    done(x);
}

/* The type by GRUB's rule: FAT32 when BPB_FATSz16 is 0, else FAT12 up to 4085 clusters. */
static void test_type_rule(void **state)
{
    struct { unsigned bits; uint32_t clusters; const char *version; } c[] = {
        { 12, 4085, "fat12" },   /* the spec says FAT16 at 4085; GRUB says FAT12 */
        { 16, 4086, "fat16" },
        { 32, 3000, "fat32" },   /* the spec says FAT12 below 4085 clusters */
    };
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        struct fix *x = fix_new(c[i].bits, 4000, 1);
        struct pvb_fs_info in;
        uint32_t tot = 4000;

        while (x->b.clusters != c[i].clusters) {   /* the size that makes that many */
            tot += x->b.clusters < c[i].clusters ? 1 : -1;
            fb_free(&x->b);
            fb_new(&x->b, c[i].bits, tot, 1, 512);
        }
        fb_file(&x->b, root_dir(x), NULL, "A          ", data, 5000, 2);
        assert_int_equal(mount(x), 0);
        pvb_fs_info(x->fs, &in);
        assert_string_equal(in.version, c[i].version);
        assert_int_equal(cat_is(x, "/a", data, 5000), 0);
        done(x);
    }
}

static void units(uint16_t u[13], const char *ascii)
{
    size_t n = strlen(ascii), k;

    for (k = 0; k < 13; k++)
        u[k] = k < n ? (uint16_t)(unsigned char)ascii[k] : k == n ? 0 : 0xFFFF;
}

static void test_names_grub(void **state)
{
    struct fix *x = fix_new(16, 16384, 1);
    const uint32_t root = 0;
    uint16_t u[13];
    uint8_t e[32], sum;
    char big[63 * 13 + 1], want[2048];
    pvb_ino ino;
    int rc;

    (void)state;
    fb_file(&x->b, root, "a name of thirty-one characters", "ANAMEO~1   ", "1", 1, 1);
    fb_file(&x->b, root, "grüße-ö.cfg", "GRE-~1  CFG", "2", 1, 1);
    fb_file(&x->b, root, "日本語.txt", "~1      TXT", "3", 1, 1);
    fb_file(&x->b, root, "emoji-😀", "EMOJI-~1   ", "4", 1, 1);
    fb_file(&x->b, root, "Ärger.txt", "RGER~1  TXT", "5", 1, 1);
    sum = fb_checksum((const uint8_t *)"SURR~1     ");
    units(u, "xyz");
    u[0] = 0xD800;            /* a high surrogate before 'y' */
    u[2] = 0xDC00;            /* a low one alone */
    fb_lfn(e, 0x41, sum, u);
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "SURR~1     ", "6", 1, 1);
    memset(big, 'n', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    fb_file(&x->b, root, big, "NNNNNN~1   ", "7", 1, 1);   /* 63 slots, GRUB's most */
    assert_int_equal(mount(x), 0);
    snprintf(want, sizeof(want), "a name of thirty-one characters grüße-ö.cfg 日本語.txt "
             "emoji-😀 Ärger.txt ?y? %s", big);
    assert_string_equal(ls(x, "/", &rc), want);
    assert_int_equal(rc, 0);
    assert_int_equal(cat_is(x, "/A NAME OF Thirty-one characters", "1", 1), 0);
    assert_int_equal(cat_is(x, "/grüße-ö.cfg", "2", 1), 0);
    assert_int_equal(cat_is(x, "/GRüßE-Ö.CFG", "2", 1), PVB_ENOTFOUND);   /* ö, Ö differ */
    assert_int_equal(cat_is(x, "/GRüßE-ö.CFG", "2", 1), 0);               /* ASCII folds */
    assert_int_equal(cat_is(x, "/日本語.TXT", "3", 1), 0);
    assert_int_equal(cat_is(x, "/EMOJI-😀", "4", 1), 0);
    assert_int_equal(cat_is(x, "/ärger.txt", "5", 1), PVB_ENOTFOUND);
    assert_int_equal(cat_is(x, "/ÄRGER.TXT", "5", 1), 0);
    assert_int_equal(cat_is(x, "/?Y?", "6", 1), 0);
    /* 819 bytes: longer than the fs layer's 255-byte names, but the driver finds it. */
    assert_int_equal(x->fs->ops->lookup(x->fs->priv, FAT_ROOT_INO, big, strlen(big), &ino), 0);
    done(x);
}

/* Long-name sequences GRUB drops (grub_fat_iterate_dir_next), so the 8.3 name shows. */
static void test_names_broken(void **state)
{
    struct fix *x = fix_new(16, 16384, 1);
    const uint32_t root = 0;
    uint16_t u[13];
    uint8_t e[32], sum;
    int rc;

    (void)state;
    /* a wrong checksum */
    sum = fb_checksum((const uint8_t *)"BADSUM  TXT");
    units(u, "bad-sum.txt");
    fb_lfn(e, 0x41, (uint8_t)(sum + 1), u);
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "BADSUM  TXT", "1", 1, 1);
    /* parts out of order: 2 (last) then 2 again */
    sum = fb_checksum((const uint8_t *)"ORDER   TXT");
    units(u, "order-part-tw");
    fb_lfn(e, 0x42, sum, u);
    fb_raw(&x->b, root, e);
    fb_lfn(e, 0x02, sum, u);
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "ORDER   TXT", "2", 1, 1);
    /* a part without its first (0x40) entry */
    sum = fb_checksum((const uint8_t *)"NOFIRST TXT");
    units(u, "no-first.txt");
    fb_lfn(e, 0x01, sum, u);
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "NOFIRST TXT", "3", 1, 1);
    /* a deleted file (long and short entries 0xE5), then a file without a long name */
    sum = fb_checksum((const uint8_t *)"DELETED TXT");
    units(u, "deleted-file");
    fb_lfn(e, 0x41, sum, u);
    e[0] = 0xE5;
    fb_raw(&x->b, root, e);
    fb_short(e, "DELETED TXT", 0x20, 0, 0);
    e[0] = 0xE5;
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "AFTER   TXT", "4", 1, 1);
    /* GRUB keeps a finished sequence across a deleted entry: the next short entry with
     * the same 8.3 name takes it (Linux would not: its short entry must follow). */
    sum = fb_checksum((const uint8_t *)"KEPT    TXT");
    units(u, "kept-long.txt");
    fb_lfn(e, 0x41, sum, u);
    fb_raw(&x->b, root, e);
    fb_short(e, "KEPT    TXT", 0x20, 0, 0);
    e[0] = 0xE5;
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "KEPT    TXT", "5", 1, 1);
    /* 0x05 stands for a first byte 0xE5; GRUB checksums the name after restoring it */
    sum = fb_checksum((const uint8_t *)"\x05KANJI  TXT");
    units(u, "kanji.txt");
    fb_lfn(e, 0x41, sum, u);
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "\x05KANJI  TXT", "6", 1, 1);
    /* an empty long name: GRUB's name is "", which no path names */
    sum = fb_checksum((const uint8_t *)"EMPTYLFN   ");
    units(u, "");
    fb_lfn(e, 0x41, sum, u);
    fb_raw(&x->b, root, e);
    fb_file(&x->b, root, NULL, "EMPTYLFN   ", "7", 1, 1);
    /* names differing only in case: the first in directory order wins */
    fb_file(&x->b, root, "Case-A.txt", "CASE-A~1TXT", "8", 1, 1);
    fb_file(&x->b, root, "case-a.txt", "CASE-A~2TXT", "9", 1, 1);
    /* attributes GRUB does not know: skipped */
    fb_short(e, "ODDATTR    ", 0x40, 0, 0);
    fb_raw(&x->b, root, e);
    assert_int_equal(mount(x), 0);
    assert_string_equal(ls(x, "/", &rc), "badsum.txt order.txt nofirst.txt after.txt "
                        "kept-long.txt \xe5kanji.txt Case-A.txt case-a.txt");
    assert_int_equal(rc, 0);
    assert_int_equal(cat_is(x, "/bad-sum.txt", "1", 1), PVB_ENOTFOUND);
    assert_int_equal(cat_is(x, "/badsum.txt", "1", 1), 0);
    assert_int_equal(cat_is(x, "/ORDER.TXT", "2", 1), 0);
    assert_int_equal(cat_is(x, "/nofirst.txt", "3", 1), 0);
    assert_int_equal(cat_is(x, "/after.txt", "4", 1), 0);
    assert_int_equal(cat_is(x, "/deleted", "", 0), PVB_ENOTFOUND);
    assert_int_equal(cat_is(x, "/kept-long.txt", "5", 1), 0);
    assert_int_equal(cat_is(x, "/\xe5KANJI.TXT", "6", 1), 0);
    assert_int_equal(cat_is(x, "/emptylfn", "7", 1), PVB_ENOTFOUND);
    assert_int_equal(cat_is(x, "/CASE-A.TXT", "8", 1), 0);
    assert_int_equal(cat_is(x, "/case-a.txt", "8", 1), 0);
    assert_int_equal(cat_is(x, "/oddattr", "", 0), PVB_ENOTFOUND);
    done(x);
}

static void test_stat(void **state)
{
    struct fix *x = fix_new(16, 16384, 1);
    struct pvb_stat st;
    uint64_t ro;
    uint8_t *e;
    char buf[8];

    (void)state;
    fb_mkdir(&x->b, 0, NULL, "DIR        ");
    fb_file(&x->b, 0, NULL, "FILE       ", data, 1000, 1);
    ro = fb_add(&x->b, 0, NULL, "RO         ", FAT_ATTR_READ_ONLY, 0, 0);
    e = x->b.img + ro;
    pvb_put_le16(e + DE_WDATE, 0);   /* month 0: no time */
    assert_int_equal(mount(x), 0);
    assert_int_equal(stat_(x, "/", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(st.mode, 040755);
    assert_int_equal(stat_(x, "/dir", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(st.size, 0);
    assert_int_equal(stat_(x, "/file", &st), 0);
    assert_int_equal(st.type, PVB_FT_REG);
    assert_int_equal(st.mode, 0100755);
    assert_int_equal(st.size, 1000);
    assert_int_equal(st.mtime, 1731587696);   /* 2024-11-14 12:34:56, read as UTC */
    assert_int_equal(stat_(x, "/ro", &st), 0);
    assert_int_equal(st.mode, 0100555);
    assert_int_equal(st.mtime, 0);
    assert_int_equal(pvb_fs_readlink(x->fs, "/file", buf, sizeof(buf)), PVB_EINVAL);
    assert_int_equal(x->fs->ops->readlink(x->fs->priv, st.ino, buf, sizeof(buf), NULL),
                     PVB_EINVAL);
    assert_int_equal(x->fs->ops->stat(x->fs->priv, 33, &st), PVB_EINVAL);
    assert_int_equal(x->fs->ops->stat(x->fs->priv, x->b.root_off + 32 * 5, &st), PVB_ECORRUPT);
    done(x);
}

/* ---- cluster chains --------------------------------------------------------------- */

static void test_fragments(void **state)
{
    struct fix *x = fix_new(32, 16384, 1);
    uint32_t c[40], i;
    struct pvb_file *f;
    uint8_t buf[3000];
    size_t got;

    (void)state;
    fb_file(&x->b, x->b.root_cluster, NULL, "STRIDE     ", data, 60000, 3);
    /* 40 clusters chained backwards, the data laid out in chain order */
    for (i = 0; i < 40; i++)
        c[i] = x->b.next + 39 - i;
    fb_alloc(&x->b, 40, 1);
    fb_chain(&x->b, c, 40);
    for (i = 0; i < 40; i++)
        memcpy(fb_cluster(&x->b, c[i]), data + 512 * i, 512);
    fb_add(&x->b, x->b.root_cluster, NULL, "BACKWARD   ", 0x20, c[0], 40 * 512 - 100);
    /* FAT32's top four bits are reserved: ignored */
    fb_file(&x->b, x->b.root_cluster, NULL, "TOPBITS    ", data, 2000, 1);
    fb_set(&x->b, x->b.next - 4, (x->b.next - 3) | 0xF0000000u);
    assert_int_equal(mount(x), 0);
    assert_int_equal(cat_is(x, "/stride", data, 60000), 0);
    assert_int_equal(cat_is(x, "/backward", data, 40 * 512 - 100), 0);
    assert_int_equal(cat_is(x, "/topbits", data, 2000), 0);
    /* reads at any offset, backwards too */
    assert_int_equal(pvb_fs_open(x->fs, "/backward", &f), 0);
    for (i = 0; i < 60; i++) {
        uint64_t off = (uint64_t)((i * 7919) % 20000);
        size_t len = 1 + (i * 37) % sizeof(buf);

        assert_int_equal(pvb_file_read(f, buf, len, off, &got), 0);
        assert_true(got <= len);
        assert_memory_equal(buf, data + off, got);
    }
    pvb_file_close(f);
    done(x);
}

static uint32_t nth(struct fix *x, uint32_t first, unsigned n)
{
    while (n--)
        first = fb_get(&x->b, first);
    return first;
}

static void test_chain_hostile(void **state)
{
    struct fix *x = fix_new(16, 16384, 1);
    uint32_t a, b, d;
    uint64_t e;
    char msg[200];
    int rc;

    (void)state;
    a = fb_file(&x->b, 0, NULL, "A          ", data, 10 * 512, 1);
    b = fb_file(&x->b, 0, NULL, "B          ", data, 3 * 512, 1);
    d = fb_mkdir(&x->b, 0, NULL, "D          ");
    for (rc = 0; rc < 20; rc++) {   /* a second cluster */
        snprintf(msg, sizeof(msg), "%-11c", 'A' + rc);
        fb_add(&x->b, d, NULL, msg, 0x20, 0, 0);
    }
    e = fb_add(&x->b, 0, NULL, "E          ", 0x20, 0, 5);
    assert_int_equal(mount(x), 0);
    assert_int_equal(cat_is(x, "/a", data, 10 * 512), 0);
    /* a loop: cluster 4 of 10 back to the first */
    fb_set(&x->b, nth(x, a, 3), a);
    EXPECT(x, recat(x, "/a"), PVB_ELOOP, "cluster chain from 2 loops");
    /* a cluster that links to itself */
    fb_set(&x->b, nth(x, a, 0), a);
    EXPECT(x, recat(x, "/a"), PVB_ELOOP, "loops (cluster 2 again after 1 links)");
    fb_set(&x->b, a, a + 1);
    fb_set(&x->b, nth(x, a, 3), a + 4);
    assert_int_equal(recat(x, "/a"), 0);
    /* a link past the volume's clusters, and to a free cluster */
    fb_set(&x->b, b + 1, x->b.clusters + 2);
    snprintf(msg, sizeof(msg), "cluster chain from %u: cluster %u links to 0x%x, not one of "
             "clusters 2 to %u", b, b + 1, x->b.clusters + 2, x->b.clusters + 1);
    EXPECT(x, recat(x, "/b"), PVB_ECORRUPT, msg);
    fb_set(&x->b, b + 1, 0);
    EXPECT(x, recat(x, "/b"), PVB_ECORRUPT, "links to 0x0");
    fb_set(&x->b, b + 1, 0xFFF7);   /* a bad-cluster mark */
    EXPECT(x, recat(x, "/b"), PVB_ECORRUPT, "links to 0xfff7");
    /* the chain ends before the size */
    fb_set(&x->b, b + 1, 0xFFFF);
    EXPECT(x, recat(x, "/b"), PVB_ECORRUPT, "its cluster chain ends after 2 clusters, short of its 1536 bytes");
    fb_set(&x->b, b + 1, b + 2);
    /* a first cluster past the volume, or none for a file with bytes */
    pvb_put_le16(x->b.img + x->b.root_off + 32 + DE_CLUS_LO, 0xFFF0);
    EXPECT(x, recat(x, "/b"), PVB_ECORRUPT, "first cluster 65520 is not one of clusters 2 to");
    pvb_put_le16(x->b.img + x->b.root_off + 32 + DE_CLUS_LO, (uint16_t)b);
    pvb_put_le16(x->b.img + x->b.root_off + 32 + DE_CLUS_HI, 1);   /* GRUB joins the halves */
    EXPECT(x, recat(x, "/b"), PVB_ECORRUPT, "first cluster 65548");
    pvb_put_le16(x->b.img + x->b.root_off + 32 + DE_CLUS_HI, 0);
    EXPECT(x, recat(x, "/e"), PVB_ECORRUPT, "5 bytes and no cluster");
    (void)e;
    /* a directory chain looping, and a directory's first cluster past the volume */
    fb_set(&x->b, d, d);
    EXPECT(x, (mount(x), ls(x, "/d", &rc), rc), PVB_ELOOP, "cluster chain from");
    fb_set(&x->b, d, 0xFFFF);
    pvb_put_le16(x->b.img + x->b.root_off + 64 + DE_CLUS_LO, 0xFFFE);
    EXPECT(x, (mount(x), ls(x, "/d", &rc), rc), PVB_ECORRUPT, "directory");
    /* a directory of cluster 0 is the root, as GRUB reads it */
    pvb_put_le16(x->b.img + x->b.root_off + 64 + DE_CLUS_LO, 0);
    assert_int_equal(mount(x), 0);
    assert_int_equal(cat_is(x, "/d/d/d/b", data, 3 * 512), 0);
    done(x);
}

/* A FAT32 root directory whose chain loops: no label (a warning), lookups fail. */
static void test_root_loop(void **state)
{
    struct fix *x = fix_new(32, 16384, 1);

    (void)state;
    char name[12];
    int i;

    for (i = 0; i < 17; i++) {   /* more than the first 512-byte cluster holds */
        snprintf(name, sizeof(name), "%-11c", 'A' + i);
        fb_file(&x->b, x->b.root_cluster, NULL, name, "a", 1, 1);
    }
    fb_set(&x->b, x->b.root_cluster, x->b.root_cluster);
    assert_int_equal(mount(x), 0);
    assert_true(test_warned(&x->t, "fat: no label: fat: directory at cluster 2: cluster chain from 2 loops"));
    assert_int_equal(cat_is(x, "/a", "a", 1), 0);   /* found before the loop is seen */
    EXPECT(x, cat(x, "/nope"), PVB_ELOOP, "cluster chain from 2 loops");
    done(x);
}

/* ---- the boot sector -------------------------------------------------------------- */

static void bs16(struct fix *x, unsigned off, unsigned v)
{
    pvb_put_le16(fb_bs(&x->b) + off, (uint16_t)v);
}

static void test_boot_sector(void **state)
{
    struct fix *x = fix_new(16, 16384, 1);
    uint8_t *s = fb_bs(&x->b), save[512];
    struct pvb_fs *fs;

    (void)state;
    fb_file(&x->b, 0, NULL, "A          ", data, 1000, 1);
    memcpy(save, s, 512);
#define RESTORE() memcpy(s, save, 512)
    bs16(x, 11, 0);
    EXPECT(x, mount(x), PVB_ECORRUPT, "fat: boot sector: 0 bytes per sector: must be a power of two from 512 to 4096");
    bs16(x, 11, 3);
    EXPECT(x, mount(x), PVB_ECORRUPT, "3 bytes per sector");
    bs16(x, 11, 8192);
    EXPECT(x, mount(x), PVB_ECORRUPT, "8192 bytes per sector");
    RESTORE();
    s[13] = 0;
    EXPECT(x, mount(x), PVB_ECORRUPT, "0 sectors per cluster: must be a power of two");
    s[13] = 3;
    EXPECT(x, mount(x), PVB_ECORRUPT, "3 sectors per cluster");
    RESTORE();
    bs16(x, 14, 0);
    EXPECT(x, mount(x), PVB_ECORRUPT, "no reserved sectors");
    RESTORE();
    s[16] = 0;
    EXPECT(x, mount(x), PVB_ECORRUPT, "no FATs");
    RESTORE();
    bs16(x, 22, 0);                  /* FAT32 by GRUB's rule, with FAT16's root entries */
    EXPECT(x, mount(x), PVB_ECORRUPT, "FAT32 with 512 root entries");
    RESTORE();
    bs16(x, 19, 0);
    EXPECT(x, mount(x), PVB_ECORRUPT, "0 sectors in the volume");
    RESTORE();
    bs16(x, 19, 100);
    EXPECT(x, mount(x), PVB_ECORRUPT, "100 sectors hold no data area after");
    RESTORE();
    bs16(x, 22, 1);
    EXPECT(x, mount(x), PVB_ECORRUPT, "a FAT of 1 sectors holds 256 entries, fewer than the");
    RESTORE();
    s[21] = 0xF9;
    EXPECT(x, mount(x), PVB_ECORRUPT, "FAT entry 0 is 0xfff8: the media byte 0xf9 needs 0xfff9");
    s[21] = 0xF0;   /* bit 3 is not compared (GRUB: superfloppies) */
    assert_int_equal(mount(x), 0);
    RESTORE();
    /* regions past the end of the volume */
    x->vol_size = (size_t)x->b.root_off + 100;
    EXPECT(x, mount(x), PVB_ECORRUPT, "the root directory (bytes 66048 to 82432) lies past the end of the volume (66148 bytes)");
    x->vol_size = (size_t)x->b.fat_off + 100;
    EXPECT(x, mount(x), PVB_ECORRUPT, "FAT 0 (bytes 512 to 33280) lies past the end of the volume");
    x->vol_size = (size_t)x->b.data_off + 4096;
    assert_int_equal(mount(x), 0);
    assert_true(test_warned(&x->t, "is larger than its volume"));
    x->vol_size = 0;
    /* without the signature, the same fields say "not mine", so other drivers are tried */
    s[38] = 0;
    bs16(x, 11, 0);
    EXPECT(x, mount(x), PVB_ENOTMINE, "no known filesystem");
    assert_int_equal(pvb_fs_mount_as(x->d, "fat", &fs), PVB_ENOTMINE);
    assert_msg_has(&x->t.c, "fat: not a FAT boot sector (0 bytes per sector");
    RESTORE();
    s[38] = 0;
    memset(s + 54, ' ', 8);
    assert_int_equal(mount(x), 0);   /* no signature, but GRUB would mount it */
    RESTORE();
    memset(s, 0, 512);
    EXPECT(x, mount(x), PVB_ENOTMINE, "no known filesystem");
    RESTORE();
    x->vol_size = 300;
    EXPECT(x, mount(x), PVB_ENOTMINE, "no known filesystem");
    EXPECT(x, pvb_fs_mount_as(x->d, "fat", &fs), PVB_ENOTMINE, "too small for a boot sector");
    x->vol_size = 0;
#undef RESTORE
    done(x);
}

static void test_boot_sector32(void **state)
{
    struct fix *x = fix_new(32, 16384, 1);
    uint8_t *s = fb_bs(&x->b), save[512];

    (void)state;
    fb_file(&x->b, x->b.root_cluster, NULL, "A          ", data, 2000, 1);
    memcpy(save, s, 512);
    pvb_put_le32(s + 36, 0);
    EXPECT(x, mount(x), PVB_ECORRUPT, "fat: boot sector: FAT size 0");
    memcpy(s, save, 512);
    bs16(x, 17, 16);
    EXPECT(x, mount(x), PVB_ECORRUPT, "FAT32 with 16 root entries and version 0x0000");
    memcpy(s, save, 512);
    bs16(x, 42, 1);
    EXPECT(x, mount(x), PVB_ECORRUPT, "version 0x0001: both must be 0");
    memcpy(s, save, 512);
    pvb_put_le32(s + 44, 1);
    EXPECT(x, mount(x), PVB_ECORRUPT, "root directory cluster 1 is not one of clusters 2 to");
    pvb_put_le32(s + 44, 0x0FFFFFF0);
    EXPECT(x, mount(x), PVB_ECORRUPT, "root directory cluster 268435440");
    memcpy(s, save, 512);
    bs16(x, 40, 0x82);                 /* mirroring off, FAT 2 of 2 */
    EXPECT(x, mount(x), PVB_ECORRUPT, "active FAT 2 of 2");
    bs16(x, 40, 0x81);                 /* FAT 1: break FAT 0's chain, FAT 1 still reads */
    pvb_put_le32(x->b.img + x->b.fat_off + 4 * 3, 0);
    assert_int_equal(mount(x), 0);
    assert_int_equal(cat_is(x, "/a", data, 2000), 0);
    bs16(x, 40, 0x01);                 /* mirroring on: FAT 0, whatever bits 0-3 say */
    assert_int_equal(mount(x), 0);
    EXPECT(x, cat(x, "/a"), PVB_ECORRUPT, "links to 0x0");
    memcpy(s, save, 512);
    x->vol_size = (size_t)x->b.data_off + 100;
    EXPECT(x, mount(x), PVB_ECORRUPT, "the root directory (cluster 2) lies past the end");
    x->vol_size = 0;
    done(x);
}

/* ---- limits, faults --------------------------------------------------------------- */

static void test_limits(void **state)
{
    struct fix *x = fix_new(16, 16384, 1);
    char name[24];   /* "F%-7dTXT": 11 characters, as i < 40 */
    uint32_t d;
    int i, rc;

    (void)state;
    d = fb_mkdir(&x->b, 0, NULL, "D          ");
    for (i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "F%-7dTXT", i);
        fb_file(&x->b, d, NULL, name, "x", 1, 1);
    }
    fb_file(&x->b, 0, NULL, "BIG        ", data, sizeof(data), 1);
    assert_int_equal(mount(x), 0);
    ls(x, "/d", &rc);
    assert_int_equal(rc, 0);
    x->t.c.lim.max_entries = 20;
    EXPECT(x, (ls(x, "/d", &rc), rc), PVB_ELIMIT, "more than 20 entries");
    x->t.c.lim.max_entries = 1000000;
    x->t.c.lim.max_file_size = 1000;
    EXPECT(x, cat(x, "/big"), PVB_ELIMIT, "exceeds the file size limit");
    x->t.c.lim.max_file_size = (uint64_t)1 << 30;
    x->t.c.used[PVB_BUDGET_SCAN] = x->t.c.lim.max_scan - 100;   /* each cluster step is charged */
    EXPECT(x, cat_is(x, "/big", data, sizeof(data)), PVB_ELIMIT, "scan");
    x->t.c.used[PVB_BUDGET_SCAN] = 0;
    x->t.c.lim.max_alloc = 1000;
    EXPECT(x, x->fs->ops->readdir(x->fs->priv, FAT_ROOT_INO, add_name, &(struct names){ "", 0 }),
           PVB_ELIMIT, "fat directory walk");
    x->t.c.lim.max_alloc = (size_t)32 << 20;
    done(x);
}

static int work(struct fix *x)
{
    int rc = mount(x), r2;

    if (rc) {
        unmount(x);
        return rc;
    }
    rc = cat_is(x, "/boot/vmlinuz-6.1.0-13-amd64", data, 70000);
    if (!rc)
        ls(x, "/boot", &rc);
    if (!rc)
        rc = cat_is(x, "/boot/grub/grub.cfg", "set default=0\n", 14);
    r2 = rc;
    unmount(x);
    return r2;
}

/* Every read failing in turn is a clean PVB_EIO, holding no memory. */
static void test_read_faults(void **state)
{
    unsigned bits[] = { 12, 32 }, k, n;

    (void)state;
    for (k = 0; k < 2; k++) {
        struct fix *x = fix_new(bits[k], bits[k] == 12 ? 2048 : 16384, 1);
        unsigned reads;

        tree(x);
        assert_int_equal(work(x), 0);
        assert_int_equal(mount(x), 0);
        reads = pvb_disk_mem_reads(x->d);
        unmount(x);
        for (n = 1;; n++) {
            int rc;

            assert_int_equal(pvb_disk_open_mem(&x->t.c, x->b.img, x->b.size, &x->d), 0);
            pvb_disk_mem_fail_at(x->d, n);
            rc = pvb_fs_mount(x->d, &x->fs);
            if (!rc) {
                rc = cat_is(x, "/boot/vmlinuz-6.1.0-13-amd64", data, 70000);
                if (!rc)
                    ls(x, "/boot", &rc);
                if (!rc)
                    rc = cat_is(x, "/boot/grub/grub.cfg", "set default=0\n", 14);
            }
            reads = pvb_disk_mem_reads(x->d);
            unmount(x);
            assert_int_equal(x->t.c.mem_used, 0);
            if (rc == 0 && n > reads)
                break;
            if (rc != PVB_EIO)
                fail_msg("read %u failed: %s (%s)", n, pvb_errname(rc), pvb_ctx_msg(&x->t.c));
        }
        assert_true(n > 10);
        done(x);
    }
}

/* Every allocation failing in turn is a clean PVB_ENOMEM, holding no memory. */
static void test_alloc_faults(void **state)
{
    struct fix *x = fix_new(32, 16384, 1);
    unsigned long n;
    int rc;

    (void)state;
    tree(x);
    for (n = 1;; n++) {
        x->t.c.nalloc = 0;
        x->t.c.fail_alloc = n;
        rc = work(x);
        x->t.c.fail_alloc = 0;
        assert_int_equal(x->t.c.mem_used, 0);
        if (rc == 0)
            break;
        if (rc != PVB_ENOMEM)
            fail_msg("allocation %lu failed: %s (%s)", n, pvb_errname(rc), pvb_ctx_msg(&x->t.c));
    }
    assert_true(n > 5);
    done(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fat12),
        cmocka_unit_test(test_fat16),
        cmocka_unit_test(test_fat32),
        cmocka_unit_test(test_type_rule),
        cmocka_unit_test(test_names_grub),
        cmocka_unit_test(test_names_broken),
        cmocka_unit_test(test_stat),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_chain_hostile),
        cmocka_unit_test(test_root_loop),
        cmocka_unit_test(test_boot_sector),
        cmocka_unit_test(test_boot_sector32),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_read_faults),
        cmocka_unit_test(test_alloc_faults),
    };

    fill();
    return cmocka_run_group_tests_name("fat", tests, NULL, NULL);
}
