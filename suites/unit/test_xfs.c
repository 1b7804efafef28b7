/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/fs/xfs: v4/v5 trees built in memory, and one named case per hostile input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/fs.h"
#include "testlib.h"
#include "util/bytes.h"
#include "util/mem.h"
#include "xfsbuild.h"

static struct test_ctx t;
static struct xb x;
static struct pvb_disk *disk;
static struct pvb_fs *fs;
static clock_t started;

static int setup(void **state)
{
    (void)state;
    test_ctx_init(&t);
    disk = NULL;
    fs = NULL;
    started = clock();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    xb_free(&x);
    assert_int_equal(t.c.mem_used, 0);                        /* nothing leaked */
    assert_true(t.c.mem_peak <= t.c.lim.max_mem);
    assert_true(clock() - started < CLOCKS_PER_SEC);          /* every case < 1 s */
    return 0;
}

static int mount(void)
{
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    fs = NULL;
    assert_int_equal(pvb_disk_open_mem(&t.c, x.img, x.size, &disk), 0);
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

struct names {
    char all[4096];
    int n;
};

static int collect(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct names *l = arg;

    (void)ino;
    strcat(l->all, name);
    strcat(l->all, type == PVB_FT_DIR ? "/ " : type == PVB_FT_LNK ? "@ " : " ");
    l->n++;
    return 0;
}

static const char *list(const char *path)
{
    static struct names l;

    memset(&l, 0, sizeof(l));
    assert_int_equal(pvb_fs_readdir(fs, path, collect, &l), 0);
    return l.all;
}

static void build_tree(int v5, int ftype)
{
    xb_free(&x);
    xb_sample(&x, v5, ftype);
}

static void check_tree(void)
{
    static const struct {
        const char *path;
        size_t size;
    } sizes[] = { { "/sf/n01", 6 }, { "/blk/n11", 6 }, { "/leaf/n39", 6 }, { "/leaf/n00", 3000 },
                  { "/ln", 6 }, { "/far", 6 } };
    char buf[4096];
    struct pvb_stat st;
    struct pvb_fs_info in;
    size_t got, i;

    assert_int_equal(mount(), 0);
    pvb_fs_info(fs, &in);
    assert_string_equal(in.label, "pvbtest");
    assert_int_equal(in.block_size, 1024);
    assert_int_equal(cat("/hello", buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(cat("/big", buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 3000);
    for (i = 0; i < got; i++)
        assert_int_equal(buf[i], 'a' + i % 26);
    assert_int_equal(cat("/holes", buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 4 * 1024 - 100);
    for (i = 0; i < got; i++)
        assert_int_equal(buf[i], i < 1024 ? 'A' : i < 3072 ? 0 : 'D');
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        assert_int_equal(cat(sizes[i].path, buf, sizeof(buf), &got), 0);
        assert_int_equal(got, sizes[i].size);
    }
    assert_int_equal(cat("/leaf/n40", buf, sizeof(buf), &got), PVB_ENOTFOUND);
    assert_int_equal(cat("/leaf", buf, sizeof(buf), &got), PVB_EISDIR);
    assert_int_equal(pvb_fs_readlink(fs, "/ln", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "leaf/n07");
    assert_int_equal(pvb_fs_readlink(fs, "/far", buf, 100), PVB_ELIMIT);
    assert_int_equal(pvb_fs_lstat(fs, "/far", &st), 0);
    assert_int_equal(st.size, 705);
    assert_int_equal(st.type, PVB_FT_LNK);
    assert_int_equal(pvb_fs_stat(fs, "/sf/..", &st), 0);
    assert_int_equal(st.ino, x.root);
    assert_int_equal(pvb_fs_stat(fs, "/hello", &st), 0);
    assert_int_equal(st.mode, 0100644);
    assert_int_equal(st.nlink, 1);
    assert_int_equal(st.mtime, 1700000000);
    assert_string_equal(list("/"), "hello big holes sf/ blk/ leaf/ ln@ far@ ");
    assert_string_equal(list("/sf"), "n00 n01 n02 ");
    assert_int_equal(strlen(list("/leaf")), 40 * 4);
    assert_string_equal(list("/blk") + 44, "n11 ");
}

static void test_v5_tree(void **state)
{
    (void)state;
    build_tree(1, 1);
    check_tree();
    assert_int_equal(t.c.nwarn, 0);
}

static void test_v4_tree(void **state)
{
    (void)state;
    build_tree(0, 1);
    check_tree();
    build_tree(0, 0);          /* no ftype byte: readdir asks the inodes */
    check_tree();
}

/* A file whose extents live in a BMBT of three leaves, read forwards and backwards. */
static void test_bmbt(void **state)
{
    struct xb_ext e[30];
    struct pvb_file *f;
    char buf[1024];
    uint64_t ino, first;
    const char *n[1] = { "f" };
    size_t got;
    int i;

    (void)state;
    xb_init(&x, 1, 10);
    first = xb_alloc(&x, 30);
    for (i = 0; i < 30; i++) {
        e[i].off = 2 * (uint64_t)i;        /* every other block a hole */
        e[i].blk = first + 29 - i;         /* reversed on disk */
        e[i].len = 1;
        e[i].unwritten = 0;
        memset(xb_block(&x, e[i].blk), 'a' + i % 26, 1024);
    }
    ino = xb_new_inode(&x, 0100644, 3, 60 * 1024);
    xb_set_bmbt(&x, ino, e, 30, 12);
    xb_root_short(&x, 1, n, &ino);
    xb_finish(&x);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_open(fs, "/f", &f), 0);
    for (i = 0; i < 60; i++) {
        assert_int_equal(pvb_file_read(f, buf, sizeof(buf), (uint64_t)i * 1024, &got), 0);
        assert_int_equal(got, 1024);
        assert_int_equal(buf[0], i % 2 ? 0 : 'a' + (i / 2) % 26);
        assert_int_equal(buf[1023], buf[0]);
    }
    for (i = 59; i >= 0; i -= 7) {
        assert_int_equal(pvb_file_read(f, buf, 10, (uint64_t)i * 1024 + 5, &got), 0);
        assert_int_equal(buf[0], i % 2 ? 0 : 'a' + (i / 2) % 26);
    }
    pvb_file_close(f);
}

/* ---- hostile inputs: each named case fails cleanly with its error ---------------- */

static void sb_case(uint32_t off, int width, uint64_t val, int fix_crc, int want, const char *msg)
{
    xb_init(&x, 1, 10);
    xb_finish(&x);
    if (width == 1)
        xb_sb(&x)[off] = (uint8_t)val;
    else if (width == 2)
        pvb_put_be16(xb_sb(&x) + off, (uint16_t)val);
    else
        pvb_put_be32(xb_sb(&x) + off, (uint32_t)val);
    if (fix_crc)
        xb_crc(xb_sb(&x), 512, 224);
    assert_int_equal(mount(), want);
    assert_msg_has(&t.c, msg);
    xb_free(&x);
}

static void test_superblock(void **state)
{
    (void)state;
    sb_case(88, 4, 0, 1, PVB_ECORRUPT, "AG count 0");                       /* agcount 0 */
    sb_case(120, 1, 30, 1, PVB_ECORRUPT, "block size");                      /* blocklog 30 */
    sb_case(123, 1, 3, 1, PVB_ECORRUPT, "inodes per block");                 /* inopblog */
    sb_case(124, 1, 9, 1, PVB_ECORRUPT, "AG block log");
    sb_case(84, 4, 1u << 20, 1, PVB_ECORRUPT, "AG");                         /* agblocks vs dblocks */
    sb_case(104, 2, 300, 1, PVB_ECORRUPT, "inode size");
    sb_case(102, 2, 8192, 1, PVB_ECORRUPT, "sector size");
    sb_case(192, 1, 9, 1, PVB_ECORRUPT, "directory block log");
    sb_case(100, 2, 0xb023, 1, PVB_EUNSUPPORTED, "version 3");
    sb_case(216, 4, 0xb, 0, PVB_ECHECKSUM, "superblock CRC");                /* bad CRC */
    sb_case(216, 4, 0x9 | 0x10, 1, PVB_EUNSUPPORTED, "needsrepair");
    sb_case(216, 4, 0x9 | 0x100, 1, PVB_EUNSUPPORTED, "metadir");
    sb_case(216, 4, 0x9 | 0x80000000u, 1, PVB_EUNSUPPORTED, "unknown incompatible");
    sb_case(126, 1, 1, 1, PVB_ECORRUPT, "mkfs did not finish");
    sb_case(0, 4, 0x58465343u, 1, PVB_ENOTMINE, "no known filesystem");       /* bad magic */
    sb_case(8, 4, 1, 1, PVB_ECORRUPT, "do not make");                        /* dblocks 2^32+ */
    sb_case(56, 4, 1, 1, PVB_ECORRUPT, "outside the filesystem");            /* rootino 2^32+ */
    xb_init(&x, 1, 10);
    x.root = xb_file(&x, "x", 1);                          /* the root is a file */
    xb_finish(&x);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "not a directory");
    xb_free(&x);
    xb_init(&x, 1, 10);                                    /* 3 AGs on a 2-AG disk */
    pvb_put_be64(xb_sb(&x) + 8, 192);
    x.agcount = 3;
    xb_finish(&x);
    pvb_put_be64(xb_sb(&x) + 8, 192);
    xb_crc(xb_sb(&x), 512, 224);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "exceed the volume");
}

static void test_superblock_v4(void **state)
{
    (void)state;
    xb_init(&x, 0, 9);
    xb_finish(&x);
    assert_int_equal(mount(), 0);
    pvb_put_be16(xb_sb(&x) + 100, 0xb024 | 0x200);         /* "shared" */
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    pvb_put_be16(xb_sb(&x) + 100, 0x9024);                 /* no dirv2 */
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "v1 directories");
    pvb_put_be16(xb_sb(&x) + 100, 0xb034);
    pvb_put_be32(xb_sb(&x) + 200, 0x100 | 0x8);            /* the CRC bit on v4 */
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "CRC on a v4");
    memset(xb_sb(&x) + 196, 0, 512 - 196);
    xb_sb(&x)[100] = 0x30;                                 /* no morebits: features2 ignored */
    pvb_put_be32(xb_sb(&x) + 200, 0xffffffffu);
    assert_int_equal(mount(), 0);
    xb_sb(&x)[0] = 0;
    assert_int_equal(mount(), PVB_ENOTMINE);
    {   /* a v1 inode keeps its link count in di_onlink */
        struct pvb_stat st;
        uint8_t *root = xb_inode(&x, x.root);

        xb_sb(&x)[0] = 0x58;
        root[4] = 1;
        pvb_put_be16(root + 6, 3);
        assert_int_equal(mount(), 0);
        assert_int_equal(pvb_fs_stat(fs, "/", &st), 0);
        assert_int_equal(st.nlink, 3);
        root[4] = 4;
        assert_int_equal(mount(), PVB_ECORRUPT);
    }
    x.size = 100;                                          /* smaller than a sector */
    assert_int_equal(mount(), PVB_ENOTMINE);
}

/* Point the root's only entry "e" at ino; return what looking it up gives. */
static int entry_to(uint64_t ino)
{
    const char *n[1] = { "e" };

    xb_root_short(&x, 1, n, &ino);
    xb_finish(&x);
    return mount() ? t.c.err : pvb_fs_lookup(fs, "/e/x", 1, &ino);
}

static void test_inode_numbers(void **state)
{
    (void)state;
    xb_init(&x, 1, 10);
    /* One AG of 100 blocks takes 7 bits (agblklog): block 110 is beyond its AG. */
    x.agblocks = 100;
    x.agcount = 1;
    assert_int_equal(entry_to((uint64_t)110 << 1), PVB_ECORRUPT);
    assert_msg_has(&t.c, "outside the filesystem");
    assert_int_equal(entry_to((uint64_t)5 << 8), PVB_ECORRUPT);            /* AG 5 of 1 */
    assert_int_equal(entry_to(UINT64_MAX), PVB_ECORRUPT);
    assert_int_equal(entry_to((uint64_t)20 << 1), PVB_ECORRUPT);           /* a data block */
    assert_msg_has(&t.c, "bad magic");
    assert_int_equal(entry_to(x.root + 3), PVB_ECORRUPT);                  /* never allocated */
    xb_free(&x);
}

static void test_inode_core(void **state)
{
    uint64_t f;
    uint8_t *p;
    struct pvb_stat st;
    struct pvb_file *file;
    const char *n[1] = { "f" };

    (void)state;
    xb_init(&x, 1, 10);
    f = xb_file(&x, "data", 4);
    xb_root_short(&x, 1, n, &f);
    xb_finish(&x);
    p = xb_inode(&x, f);
    p[60] ^= 1;                                            /* size changed: CRC now wrong */
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), 0);       /* a warning by default */
    assert_true(test_warned(&t, "inode"));
    t.c.flags |= PVB_CTX_STRICT;
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECHECKSUM);
    t.c.flags = 0;
    p[60] ^= 1;
    p[90 + 1] = 1;                                         /* di_flags: realtime */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), 0);
    assert_int_equal(pvb_fs_open(fs, "/f", &file), PVB_EUNSUPPORTED);
    p[91] = 0;
    pvb_put_be64(p + 152, f + 1);                          /* claims another number */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    pvb_put_be64(p + 152, f);
    p[4] = 2;                                              /* v2 inode on v5 */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    p[4] = 3;
    p[5] = 1;                                              /* a local regular file */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    p[5] = 2;
    pvb_put_be16(p + 2, 0);                                /* a free inode in a directory */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "free inode");
    pvb_put_be16(p + 2, 0100644);
    p[82] = 60;                                            /* attr fork offset past the inode */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    p[82] = 0;
    pvb_put_be32(p + 76, 200);                             /* more extents than the fork holds */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    pvb_put_be32(p + 76, 1);
    pvb_put_be64(p + 120, (uint64_t)1 << 4);               /* nrext64 without the feature */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    pvb_put_be64(p + 120, 0);
    p[170] ^= 1;                                           /* another filesystem's uuid */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "another filesystem");
    p[170] ^= 1;
    pvb_put_be16(p + 2, 0020644);                          /* a character device */
    p[5] = 0;
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), 0);
    assert_int_equal(st.type, PVB_FT_CHR);
    assert_int_equal(pvb_fs_open(fs, "/f", &file), PVB_EINVAL);
    pvb_put_be16(p + 2, 0120777);                          /* local symlink longer than its fork */
    p[5] = 1;
    pvb_put_be64(p + 56, 400);
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_lstat(fs, "/f", &st), PVB_ECORRUPT);
    pvb_put_be16(p + 2, 0100644);
    p[5] = 2;
    pvb_put_be64(p + 56, (uint64_t)1 << 63);               /* negative size */
    xb_crc(p, 512, 100);
    assert_int_equal(pvb_fs_stat(fs, "/f", &st), PVB_ECORRUPT);
}

static uint64_t one_file(int v5, const struct xb_ext *e, unsigned n, uint64_t size)
{
    const char *nm[1] = { "f" };
    uint64_t ino;

    xb_free(&x);
    xb_init(&x, v5, 10);
    ino = xb_new_inode(&x, 0100644, 2, size);
    xb_set_extents(&x, ino, e, n);
    xb_root_short(&x, 1, nm, &ino);
    xb_finish(&x);
    assert_int_equal(mount(), 0);
    return ino;
}

static void test_extents(void **state)
{
    struct xb_ext e[2] = { { 0, 20, 1, 0 }, { 1, 127, 2, 0 } };   /* past the end of AG 1 */
    char buf[4096];
    size_t got;

    (void)state;
    one_file(1, e, 2, 3072);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);   /* extent past the fs */
    assert_msg_has(&t.c, "outside its AG");
    e[1].blk = 20;
    e[1].len = 1;
    e[1].off = 0;                                          /* overlaps the first */
    one_file(1, e, 2, 2048);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    e[1].off = 1;
    e[1].len = 0;                                          /* empty */
    one_file(0, e, 2, 2048);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    e[0].off = ((uint64_t)1 << 54) - 1;
    e[0].len = 2;                                          /* past the largest file offset */
    one_file(0, e, 1, 2048);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
}

static void test_bmbt_hostile(void **state)
{
    struct xb_ext e[4] = { { 0, 30, 1, 0 }, { 1, 31, 1, 0 }, { 2, 32, 1, 0 }, { 3, 33, 1, 0 } };
    uint64_t ino, leaf;
    uint8_t *f, *b;
    char buf[4096];
    size_t got;
    const char *n[1] = { "f" };

    (void)state;
    xb_init(&x, 1, 10);
    ino = xb_new_inode(&x, 0100644, 3, 4096);
    xb_set_bmbt(&x, ino, e, 4, 2);
    xb_root_short(&x, 1, n, &ino);
    xb_finish(&x);
    f = xb_fork(&x, ino);
    leaf = pvb_be64(f + 4 + 8 * ((xb_forksize(&x) - 4) / 16));
    b = xb_block(&x, leaf);
    assert_int_equal(mount(), 0);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), 0);
    /* BMBT level 40 */
    pvb_put_be16(f, 40);
    xb_crc(xb_inode(&x, ino), 512, 100);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ELIMIT);
    assert_msg_has(&t.c, "BMBT root level 40");
    /* BMBT cycle: the root says level 2, its child says level 1 and points at itself. */
    pvb_put_be16(f, 2);
    xb_crc(xb_inode(&x, ino), 512, 100);
    pvb_put_be16(b + 4, 1);
    pvb_put_be16(b + 6, 1);
    pvb_put_be64(b + 72, 0);
    pvb_put_be64(b + 72 + 8 * ((1024 - 72) / 16), leaf);
    xb_crc(b, 1024, 64);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ELOOP);
    assert_msg_has(&t.c, "BMBT cycle");
    /* a leaf with the wrong level, magic, record count, owner */
    pvb_put_be16(f, 1);
    xb_crc(xb_inode(&x, ino), 512, 100);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    pvb_put_be16(b + 4, 0);
    pvb_put_be16(b + 6, 0);
    xb_crc(b, 1024, 64);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    pvb_put_be16(b + 6, 2);
    xb_encode_rec(b + 72, &e[0]);
    pvb_put_be64(b + 56, ino + 1);
    xb_crc(b, 1024, 64);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    assert_msg_has(&t.c, "belongs to inode");
    /* root keys out of order, root record count over the fork */
    pvb_put_be64(b + 56, ino);
    xb_crc(b, 1024, 64);
    pvb_put_be64(f + 4, 5);
    xb_crc(xb_inode(&x, ino), 512, 100);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    assert_msg_has(&t.c, "out of order");
    pvb_put_be16(f + 2, 500);
    xb_crc(xb_inode(&x, ino), 512, 100);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
    /* a child pointer outside the filesystem */
    pvb_put_be16(f + 2, 2);
    pvb_put_be64(f + 4, 0);
    pvb_put_be64(f + 4 + 8 * ((xb_forksize(&x) - 4) / 16), (uint64_t)9 << 6);
    xb_crc(xb_inode(&x, ino), 512, 100);
    assert_int_equal(cat("/f", buf, sizeof(buf), &got), PVB_ECORRUPT);
}

static void test_directories(void **state)
{
    const char *n[3] = { "a", "b", "c" };
    uint64_t i3[3], d, ino;
    uint8_t *b, *f;
    size_t hdr;

    (void)state;
    xb_init(&x, 1, 10);
    i3[0] = i3[1] = i3[2] = xb_file(&x, "x", 1);
    d = xb_dir_short(&x, x.root, 3, n, i3);
    xb_root_short(&x, 1, n, &d);
    xb_finish(&x);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_lookup(fs, "/a/c", 1, &ino), 0);
    /* shortform count larger than the fork */
    f = xb_fork(&x, d);
    f[0] = 40;
    xb_crc(xb_inode(&x, d), 512, 100);
    assert_int_equal(pvb_fs_lookup(fs, "/a/zz", 1, &ino), PVB_ECORRUPT);
    assert_msg_has(&t.c, "runs past the fork");
    /* 8-byte inode numbers (i8count != 0), parent included; only 56 bits count */
    memset(f, 0, xb_forksize(&x));
    f[0] = 1;
    f[1] = 1;
    pvb_put_be64(f + 2, (uint64_t)0xff << 56 | x.root);
    f[10] = 1;
    f[13] = 'q';
    f[14] = 1;
    pvb_put_be64(f + 15, i3[0]);
    pvb_put_be64(xb_inode(&x, d) + 56, 23);
    xb_crc(xb_inode(&x, d), 512, 100);
    assert_int_equal(pvb_fs_lookup(fs, "/a/q", 1, &ino), 0);
    assert_int_equal(ino, i3[0]);
    assert_string_equal(list("/a"), "q ");
    pvb_put_be64(xb_inode(&x, d) + 56, 8);                 /* 8-byte parent past the end */
    xb_crc(xb_inode(&x, d), 512, 100);
    assert_int_equal(pvb_fs_lookup(fs, "/a/q", 1, &ino), PVB_ECORRUPT);
    pvb_put_be64(xb_inode(&x, d) + 56, 2);                 /* shorter than its header */
    xb_crc(xb_inode(&x, d), 512, 100);
    assert_int_equal(pvb_fs_lookup(fs, "/a/zz", 1, &ino), PVB_ECORRUPT);
    xb_free(&x);

    xb_init(&x, 1, 10);
    i3[0] = i3[1] = i3[2] = xb_file(&x, "x", 1);
    d = xb_dir_block(&x, x.root, 3, n, i3);
    xb_root_short(&x, 1, n, &d);
    xb_finish(&x);
    b = xb_block(&x, pvb_be64(xb_fork(&x, d) + 8) >> 21);
    hdr = 64;
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_lookup(fs, "/a/b", 1, &ino), 0);
    /* data entry tag pointing outside the block */
    pvb_put_be16(b + hdr + 14, 0xfff0);
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/b", 1, &ino), PVB_ECORRUPT);
    assert_msg_has(&t.c, "tag does not point at it");
    pvb_put_be16(b + hdr + 14, (uint16_t)hdr);
    b[hdr + 8] = 200;                                      /* name runs past the block end */
    pvb_put_be32(b + 1024 - 8, 120);                       /* and the tail claims 120 leaves */
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/b", 1, &ino), PVB_ECORRUPT);
    pvb_put_be32(b + 1024 - 8, 5);
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/b", 1, &ino), PVB_ECORRUPT);
    b[hdr + 8] = 1;
    /* dir block with bad magic */
    pvb_put_be32(b, 0x58443242u);
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/b", 1, &ino), PVB_ECORRUPT);
    assert_msg_has(&t.c, "magic");
    pvb_put_be32(b, 0x58444233u);
    pvb_put_be64(b + 40, d + 1);                           /* another inode's block */
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/b", 1, &ino), PVB_ECORRUPT);
    pvb_put_be64(b + 40, d);
    b[100] ^= 1;                                           /* block CRC: warn, strict fails */
    assert_int_equal(pvb_fs_lookup(fs, "/a/c", 1, &ino), 0);
    t.c.flags |= PVB_CTX_STRICT;
    assert_int_equal(pvb_fs_lookup(fs, "/a/c", 1, &ino), PVB_ECHECKSUM);
    t.c.flags = 0;
    b[100] ^= 1;
    pvb_put_be16(b + 1024 - 8 - 5 * 8 - 4, 0xffff);        /* unused span with a bad length */
    pvb_put_be16(b + 1024 - 8 - 5 * 8 - 2, 3);
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/zz", 1, &ino), PVB_ECORRUPT);
    b[hdr + 16 + 8] = 0;                                   /* ".." with an empty name */
    xb_crc(b, 1024, 4);
    assert_int_equal(pvb_fs_lookup(fs, "/a/zz", 1, &ino), PVB_ECORRUPT);
    assert_msg_has(&t.c, "running past the block");
    b[hdr + 16 + 8] = 2;
    xb_crc(b, 1024, 4);
    pvb_put_be64(xb_inode(&x, d) + 56, 1000);              /* not whole directory blocks */
    xb_crc(xb_inode(&x, d), 512, 100);
    assert_int_equal(pvb_fs_lookup(fs, "/a/zz", 1, &ino), PVB_ECORRUPT);
    assert_int_equal(pvb_fs_lookup(fs, "/hello/x", 1, &ino), PVB_ENOTFOUND);
    xb_free(&x);

    /* A leaf-form directory whose middle data block was freed (a hole) is listed. */
    {
        const char *six[6] = { "a", "b", "c", "d", "e", "f" };
        uint64_t i6[6];
        struct xb_ext e[3];
        uint8_t *fk;

        xb_init(&x, 0, 10);
        i6[0] = i6[1] = i6[2] = i6[3] = i6[4] = i6[5] = xb_file(&x, "x", 1);
        d = xb_dir_data(&x, x.root, 3, 6, six, i6);
        fk = xb_fork(&x, d);
        memset(e, 0, sizeof(e));
        e[0].blk = pvb_be64(fk + 8) >> 21;
        e[1].off = 2;
        e[1].blk = e[0].blk + 2;
        e[2].off = ((uint64_t)32 << 30) >> 10;
        e[2].blk = e[0].blk + 3;
        e[0].len = e[1].len = e[2].len = 1;
        xb_set_extents(&x, d, e, 3);
        xb_root_short(&x, 1, six, &d);
        xb_finish(&x);
        assert_int_equal(mount(), 0);
        assert_string_equal(list("/a"), "a b e f ");       /* c and d were in block 1 */
    }
}

static void test_symlinks(void **state)
{
    const char *n[4] = { "l1", "l2", "far", "big" };
    uint64_t i4[4];
    char buf[2048], far[900];
    uint8_t *b;
    size_t got;

    (void)state;
    xb_init(&x, 1, 10);
    i4[0] = xb_symlink(&x, "l2");
    i4[1] = xb_symlink(&x, "/l1");
    memset(far, 'z', sizeof(far) - 1);
    far[sizeof(far) - 1] = '\0';
    i4[2] = xb_symlink(&x, far);
    i4[3] = xb_file(&x, "x", 1);
    xb_root_short(&x, 4, n, i4);
    xb_finish(&x);
    assert_int_equal(mount(), 0);
    /* symlink loop */
    assert_int_equal(cat("/l1", buf, sizeof(buf), &got), PVB_ELOOP);
    assert_int_equal(pvb_fs_readlink(fs, "/far", buf, sizeof(buf)), 0);
    assert_int_equal(strlen(buf), sizeof(far) - 1);
    b = xb_block(&x, pvb_be64(xb_fork(&x, i4[2]) + 8) >> 21);
    b[0] = 'Y';                                            /* v5 remote header magic */
    xb_crc(b, 1024, 12);
    assert_int_equal(pvb_fs_readlink(fs, "/far", buf, sizeof(buf)), PVB_ECORRUPT);
    b[0] = 0x58;
    xb_crc(b, 1024, 12);
    xb_fork(&x, i4[2])[0] |= 0x80;                         /* an unwritten remote block */
    xb_crc(xb_inode(&x, i4[2]), 512, 100);
    assert_int_equal(pvb_fs_readlink(fs, "/far", buf, sizeof(buf)), PVB_ECORRUPT);
    assert_msg_has(&t.c, "hole");
    xb_fork(&x, i4[2])[0] &= 0x7f;
    pvb_put_be64(xb_inode(&x, i4[2]) + 56, 2000);          /* over XFS_SYMLINK_MAXLEN */
    xb_crc(xb_inode(&x, i4[2]), 512, 100);
    assert_int_equal(pvb_fs_readlink(fs, "/far", buf, sizeof(buf)), PVB_ECORRUPT);
    pvb_put_be64(xb_inode(&x, i4[2]) + 56, 900);           /* more than the extent holds */
    xb_crc(xb_inode(&x, i4[2]), 512, 100);
    assert_int_equal(pvb_fs_readlink(fs, "/far", buf, sizeof(buf)), PVB_ECORRUPT);
    assert_int_equal(fs->ops->readlink(fs->priv, i4[3], buf, 10, &got), PVB_EINVAL);
}

static void test_limits_and_io(void **state)
{
    char buf[4096];
    size_t got;
    unsigned i;

    (void)state;
    build_tree(1, 1);
    assert_int_equal(mount(), 0);
    t.c.lim.max_entries = 10;
    assert_int_equal(cat("/leaf/n39", buf, sizeof(buf), &got), PVB_ELIMIT);
    t.c.lim.max_entries = 1000000;
    t.c.lim.max_file_size = 2048;                          /* /leaf is 3 KiB */
    assert_int_equal(cat("/leaf/n39", buf, sizeof(buf), &got), PVB_ELIMIT);
    t.c.lim.max_file_size = (uint64_t)1 << 30;
    t.c.lim.max_depth = 1;
    assert_int_equal(cat("/big", buf, sizeof(buf), &got), 0);   /* extents: no tree */
    t.c.lim.max_depth = 64;
    t.c.lim.max_mem = t.c.mem_used + 1000;
    assert_int_equal(cat("/leaf/n39", buf, sizeof(buf), &got), PVB_ELIMIT);
    t.c.lim.max_mem = (size_t)128 << 20;
    /* every read of the walk failing in turn fails cleanly */
    for (i = 1; i < 12; i++) {
        pvb_disk_mem_fail_at(disk, i);
        (void)cat("/leaf/n39", buf, sizeof(buf), &got);
    }
    pvb_disk_mem_fail_at(disk, 0);
    assert_int_equal(cat("/leaf/n39", buf, sizeof(buf), &got), 0);
    for (i = 1; i <= 3; i++) {       /* superblock, its sector, the root inode */
        pvb_fs_umount(fs);
        fs = NULL;
        pvb_disk_mem_fail_at(disk, i);
        assert_int_equal(pvb_fs_mount(disk, &fs), PVB_EIO);
        fs = NULL;
        pvb_disk_mem_fail_at(disk, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v5_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v4_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bmbt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_superblock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_superblock_v4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inode_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inode_core, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bmbt_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits_and_io, setup, teardown),
    };
    return cmocka_run_group_tests_name("xfs", tests, NULL, NULL);
}
