/* SPDX-License-Identifier: GPL-2.0-only */
/* Hostile ext images, one named case per broken field, each with the exact error expected. */
#include <string.h>
#include <time.h>

#include "extfix.h"
#include "fs/ext.h"
#include "util/bytes.h"
#include "util/mem.h"

#define FT EB_IN_FILETYPE
#define EXT4 (EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT)

/* Each case must fail cleanly and fast: the code, the message, under a second. */
#define EXPECT(f, call, code, needle) \
    do { \
        clock_t t0_ = clock(); \
        int rc_ = (call); \
        if (rc_ != (code)) \
            fail_msg("%s: got %s (%s), want %s", #call, pvb_errname(rc_), \
                     pvb_ctx_msg(&(f)->t.c), pvb_errname(code)); \
        assert_msg_has(&(f)->t.c, needle); \
        assert_true((double)(clock() - t0_) / CLOCKS_PER_SEC < 1.0); \
    } while (0)

static struct extfix *ext2(void)
{
    return xf_new(0, 128, 256, 32, FT, 0);
}

static struct extfix *ext4(void)
{
    return xf_new(0, 256, 256, 32, EXT4, 0);
}

static uint8_t *sb(struct extfix *f) { return eb_sb(&f->e); }
static uint8_t *ino(struct extfix *f, uint32_t n) { return eb_inode(&f->e, n); }

static uint8_t *root_block(struct extfix *f)
{
    const uint8_t *in = ino(f, 2);

    if (pvb_le32(in + 0x20) & EXT_FL_EXTENTS)
        return eb_blockp(&f->e, pvb_le32(in + 0x28 + 20));
    return eb_blockp(&f->e, pvb_le32(in + 0x28));
}

static int cat(struct extfix *f, const char *path)
{
    size_t len;
    int rc;
    char *buf = xf_cat(f, path, &len, &rc);

    pvb_free(&f->t.c, buf);
    return rc;
}

static int lookup(struct extfix *f, const char *path)
{
    pvb_ino out;

    return pvb_fs_lookup(f->fs, path, 1, &out);
}

static int count_cb(void *arg, const char *name, pvb_ino n, enum pvb_ftype type)
{
    (void)name, (void)n, (void)type;
    ++*(int *)arg;
    return 0;
}

static int readdir(struct extfix *f, const char *path)
{
    int n = 0;

    return pvb_fs_readdir(f->fs, path, count_cb, &n);
}

static void done(struct extfix *f)
{
    assert_int_equal(xf_free(f), 0);
}

static void test_log_block_size(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le32(sb(f) + 0x18, 7);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "s_log_block_size 7: block size must be 1 KiB to 64 KiB");
    pvb_put_le32(sb(f) + 0x18, 0xFFFFFFFF);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "s_log_block_size 4294967295");
    done(f);
    /* Zero on a 4 KiB filesystem: 1 KiB blocks then contradict the rest. */
    f = xf_new(2, 256, 64, 32, EXT4, 0);
    pvb_put_le32(sb(f) + 0x18, 0);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "cluster size 2^12 differs from the block size 2^10");
    pvb_put_le32(sb(f) + 0x1C, 0);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "32768 blocks per group: must be 1 to 8192");
    done(f);
}

static void test_not_ext(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le16(sb(f) + 0x38, 0xEF54);
    EXPECT(f, xf_mount(f), PVB_ENOTMINE, "no known filesystem");
    pvb_put_le16(sb(f) + 0x38, 0xEF53);
    f->disk_size = 2047;
    EXPECT(f, xf_mount(f), PVB_ENOTMINE, "no known filesystem");
    done(f);
}

static void test_revision_and_features(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le32(sb(f) + 0x4C, 2);
    EXPECT(f, xf_mount(f), PVB_EUNSUPPORTED, "superblock revision 2");
    pvb_put_le32(sb(f) + 0x4C, 1);
    pvb_put_le32(sb(f) + 0x60, FT | 0x80000);
    EXPECT(f, xf_mount(f), PVB_EUNSUPPORTED, "unknown incompatible feature bit 0x80000");
    pvb_put_le32(sb(f) + 0x60, FT | 0x8);
    EXPECT(f, xf_mount(f), PVB_EUNSUPPORTED, "incompatible feature journal_dev (0x8)");
    pvb_put_le32(sb(f) + 0x60, FT | 0x1000);
    EXPECT(f, xf_mount(f), PVB_EUNSUPPORTED, "incompatible feature dirdata (0x1000)");
    /* Read-only drivers read these as they are. */
    pvb_put_le32(sb(f) + 0x60,
                 FT | 0x4 | 0x100 | 0x200 | 0x400 | 0x2000 | 0x4000 | 0x10000 | 0x20000);
    assert_int_equal(xf_mount(f), 0);
    assert_true(test_warned(&f->t, "journal needs recovery"));
    done(f);
}

static void test_sizes(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le16(sb(f) + 0x58, 100);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "inode size 100: must be a power of two from 128");
    pvb_put_le16(sb(f) + 0x58, 2048);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "inode size 2048");
    pvb_put_le16(sb(f) + 0x58, 384);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "inode size 384");
    pvb_put_le16(sb(f) + 0x58, 128);
    pvb_put_le32(sb(f) + 0x60, FT | 0x80);   /* 64bit with a 32-byte descriptor size */
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "group descriptor size 0");
    done(f);
}

static void test_groups(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le32(sb(f) + 0x20, 0);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "0 blocks per group: must be 1 to 8192");
    pvb_put_le32(sb(f) + 0x20, 8193);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "8193 blocks per group");
    pvb_put_le32(sb(f) + 0x20, 8192);
    pvb_put_le32(sb(f) + 0x28, 0);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "0 inodes per group: must be 8 to 8192");
    pvb_put_le32(sb(f) + 0x28, 32);
    pvb_put_le32(sb(f) + 0x00, 31);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "1 groups of 32 inodes do not make s_inodes_count 31");
    pvb_put_le32(sb(f) + 0x00, 32);
    pvb_put_le32(sb(f) + 0x20, 100);         /* 3 groups now claim 96 inodes */
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "3 groups of 32 inodes");
    pvb_put_le32(sb(f) + 0x20, 8192);
    pvb_put_le32(sb(f) + 0x14, 0);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "first data block 0 with 1024-byte blocks and 256 "
           "blocks: must be 1");
    pvb_put_le32(sb(f) + 0x14, 1);
    pvb_put_le32(sb(f) + 0x04, 1);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "first data block 1 with 1024-byte blocks and 1 blocks");
    pvb_put_le32(sb(f) + 0x04, 256);
    pvb_put_le32(sb(f) + 0x64, 0x200);       /* bigalloc: 16 KiB clusters, 8192 per group */
    pvb_put_le32(sb(f) + 0x1C, 4);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT,
           "8192 blocks and 8192 clusters per group are inconsistent");
    pvb_put_le32(sb(f) + 0x24, 512);
    pvb_put_le32(sb(f) + 0x14, 0);
    assert_int_equal(xf_mount(f), 0);
    done(f);
}

static void test_gdt_past_end(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    f->disk_size = 2048 + 512;   /* the superblock is there, block 2 (the descriptors) is not */
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "group descriptor block 0 at block 2 is past the end of "
           "the volume (2 blocks)");
    f->disk_size = 0;
    pvb_put_le32(sb(f) + 0x60, FT | 0x10);   /* meta_bg */
    pvb_put_le32(sb(f) + 0x104, 5);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT,
           "first meta group 5 is past the 1 group descriptor blocks");
    pvb_put_le32(sb(f) + 0x104, 0);
    assert_int_equal(xf_mount(f), 0);        /* meta group 0 starts at the same place */
    pvb_put_le32(eb_gd(&f->e) + 8, 300000);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "group 0: inode table at block 300000 is outside the "
           "filesystem");
    done(f);
}

static void test_inode_numbers(void **state)
{
    struct extfix *f = ext2();
    struct pvb_stat st;

    (void)state;
    eb_file(&f->e, 2, "a", "x", 1, EB_BLOCKMAP);
    eb_link(&f->e, 2, "past", 40, 1);
    eb_link(&f->e, 2, "journal", 8, 1);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, f->fs->ops->stat(f->fs->priv, 0, &st), PVB_ECORRUPT,
           "inode 0 is out of range (1..32)");
    EXPECT(f, f->fs->ops->stat(f->fs->priv, 33, &st), PVB_ECORRUPT, "inode 33 is out of range");
    EXPECT(f, lookup(f, "/past"), PVB_ECORRUPT,
           "entry 'past' names inode 40, past s_inodes_count 32");
    EXPECT(f, readdir(f, "/"), PVB_ECORRUPT, "names inode 40, past s_inodes_count 32");
    assert_int_equal(lookup(f, "/a"), 0);     /* only the entry used is judged */
    EXPECT(f, lookup(f, "/journal"), PVB_ECORRUPT, "entry 'journal' names reserved inode 8");
    done(f);
}

static void test_extent_header(void **state)
{
    struct extfix *f = ext4();
    uint8_t *h;
    uint32_t n, nodes[8];
    unsigned nn;

    (void)state;
    n = eb_file(&f->e, 2, "f", "abc", 3, EB_EXTENTS);
    eb_tree(&f->e, 2, "t", 4, 1, 2, nodes, &nn);
    h = ino(f, n) + 0x28;
    pvb_put_le16(h + 2, 5);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/f"), PVB_ECORRUPT, "5 entries, max 4, room for 4");
    pvb_put_le16(h + 2, 1);
    pvb_put_le16(h + 4, 5);
    EXPECT(f, cat(f, "/f"), PVB_ECORRUPT, "1 entries, max 5, room for 4");
    pvb_put_le16(h + 4, 4);
    pvb_put_le16(h + 6, 6);
    EXPECT(f, cat(f, "/f"), PVB_ECORRUPT, "extent tree depth 6 is more than 5");
    pvb_put_le16(h + 6, 0);
    pvb_put_le16(h, 0xF30B);
    EXPECT(f, cat(f, "/f"), PVB_ECORRUPT, "bad magic 0xf30b");
    pvb_put_le16(h, 0xF30A);
    assert_int_equal(cat(f, "/f"), 0);
    /* The same checks on a node in its own block. */
    h = eb_blockp(&f->e, nodes[0]);
    pvb_put_le16(h + 4, 85);
    EXPECT(f, cat(f, "/t"), PVB_ECORRUPT, "2 entries, max 85, room for 84");
    pvb_put_le16(h + 4, 84);
    pvb_put_le16(h + 6, 1);
    EXPECT(f, cat(f, "/t"), PVB_ECORRUPT, "has depth 1, expected 0");
    pvb_put_le16(h + 6, 0);
    assert_int_equal(cat(f, "/t"), 0);
    done(f);
}

static void test_extent_ancestor(void **state)
{
    struct extfix *f = ext4();
    uint32_t nodes[8];
    unsigned nn;
    uint8_t *top;

    (void)state;
    eb_tree(&f->e, 2, "t", 4, 2, 2, nodes, &nn);   /* root -> 1 index node -> 2 leaves */
    assert_int_equal(nn, 3);
    top = eb_blockp(&f->e, nodes[2]);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(cat(f, "/t"), 0);
    pvb_put_le32(top + 12 + 4, nodes[2]);            /* the index node's child is itself */
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/t"), PVB_ECORRUPT, "points back to its ancestor");
    pvb_put_le32(top + 12 + 4, nodes[0]);
    pvb_put_le32(top + 24 + 4, nodes[2] + 100);      /* past the data: zeros, not a node */
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/t"), PVB_ECORRUPT, "bad magic 0x0000");
    done(f);
}

static void test_extent_order(void **state)
{
    struct extfix *f = ext4();
    uint8_t *h, data[3 * 1024] = { 1 };
    uint32_t n;

    (void)state;
    n = eb_file(&f->e, 2, "f", data, sizeof(data), EB_EXTENTS);
    h = ino(f, n) + 0x28;
    /* Split the one extent in two, then break their order. */
    pvb_put_le16(h + 2, 2);
    pvb_put_le16(h + 12 + 4, 1);
    pvb_put_le32(h + 24, 1);
    pvb_put_le16(h + 24 + 4, 2);
    pvb_put_le32(h + 24 + 8, pvb_le32(h + 12 + 8) + 1);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(cat(f, "/f"), 0);
    pvb_put_le32(h + 24, 0);
    EXPECT(f, cat(f, "/f"), PVB_ECORRUPT, "entry 1 (logical block 0, 2 blocks) is out of order");
    pvb_put_le32(h + 24, 1);
    pvb_put_le16(h + 24 + 4, 0);
    EXPECT(f, cat(f, "/f"), PVB_ECORRUPT, "entry 1 (logical block 1, 0 blocks)");
    done(f);
}

static void test_blocks_past_fs(void **state)
{
    struct extfix *f = ext4();
    uint8_t *h, data[20 * 1024] = { 0 };
    uint32_t n, m;

    (void)state;
    n = eb_file(&f->e, 2, "e", "abc", 3, EB_EXTENTS);
    h = ino(f, n) + 0x28;
    pvb_put_le32(h + 12 + 8, 256);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/e"), PVB_ECORRUPT, "inode 11: data block 256 (+1) is outside the "
           "filesystem (256 blocks)");
    pvb_put_le16(h + 12 + 6, 1);   /* ee_start_hi */
    EXPECT(f, cat(f, "/e"), PVB_ECORRUPT, "data block 4294967552");
    done(f);
    f = ext2();
    n = eb_file(&f->e, 2, "b", data, sizeof(data), EB_BLOCKMAP);
    m = eb_file(&f->e, 2, "c", "abc", 3, EB_BLOCKMAP);
    pvb_put_le32(ino(f, n) + 0x28 + 4 * 12, 999);     /* the single indirect block */
    pvb_put_le32(ino(f, m) + 0x28, 1);                /* the superblock */
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/b"), PVB_ECORRUPT, "indirect block 999 (+1) is outside the filesystem");
    EXPECT(f, cat(f, "/c"), PVB_ECORRUPT, "data block 1 (+1) is outside the filesystem");
    done(f);
}

static void test_dirents(void **state)
{
    struct extfix *f = ext2();
    uint8_t *d;

    (void)state;
    eb_file(&f->e, 2, "a", "x", 1, EB_BLOCKMAP);
    d = root_block(f);
    pvb_put_le16(d + 4, 0);                 /* "." */
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, lookup(f, "/a"), PVB_ECORRUPT, "directory inode 2: block 0 offset 0: rec_len 0 is "
           "not a multiple of 4 of at least 12");
    EXPECT(f, readdir(f, "/"), PVB_ECORRUPT, "rec_len 0");
    pvb_put_le16(d + 4, 14);
    EXPECT(f, lookup(f, "/a"), PVB_ECORRUPT, "rec_len 14 is not a multiple of 4");
    pvb_put_le16(d + 4, 2048);
    EXPECT(f, lookup(f, "/a"), PVB_ECORRUPT, "rec_len 2048 runs past the end (1024 bytes left)");
    pvb_put_le16(d + 4, 1020);
    EXPECT(f, lookup(f, "/a"), PVB_ECORRUPT, "offset 1020: 4 bytes left: too few for an entry");
    pvb_put_le16(d + 4, 12);
    d[6] = 200;
    EXPECT(f, lookup(f, "/a"), PVB_ECORRUPT, "name_len 200 does not fit rec_len 12");
    d[6] = 1;
    assert_int_equal(lookup(f, "/a"), 0);
    done(f);
}

static void test_symlink_loop(void **state)
{
    struct extfix *f = ext2();
    char buf[64];

    (void)state;
    eb_symlink(&f->e, 2, "a", "b", EB_BLOCKMAP);
    eb_symlink(&f->e, 2, "b", "/a", EB_BLOCKMAP);
    eb_symlink(&f->e, 2, "self", "./self", EB_BLOCKMAP);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, lookup(f, "/a"), PVB_ELOOP, "more than 8 symlinks");
    EXPECT(f, lookup(f, "/self/x"), PVB_ELOOP, "more than 8 symlinks");
    EXPECT(f, cat(f, "/b"), PVB_ELOOP, "more than 8 symlinks");
    assert_int_equal(pvb_fs_readlink(f->fs, "/b", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "/a");
    done(f);
}

static void test_huge_size(void **state)
{
    struct extfix *f = ext4();
    struct pvb_stat st;
    uint32_t n;

    (void)state;
    n = eb_file(&f->e, 2, "f", "abc", 3, EB_EXTENTS);
    pvb_put_le32(ino(f, n) + 0x6C, 0x80000000u);      /* i_size_high: 2^63 + 3 */
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, pvb_fs_stat(f->fs, "/f", &st), PVB_ECORRUPT, "size 9223372036854775811 is negative");
    pvb_put_le32(ino(f, n) + 0x6C, 0x7FFFFFFFu);      /* 2^63 - 2^32 + 3: legal, but too big */
    EXPECT(f, cat(f, "/f"), PVB_ELIMIT, "exceeds the file size limit");
    done(f);
}

/* A directory whose block is its parent's: it lists itself as a child. */
static void test_dir_own_parent(void **state)
{
    struct extfix *f = ext2();
    uint32_t a;

    (void)state;
    a = eb_mkdir(&f->e, 2, "a", EB_BLOCKMAP);
    memcpy(ino(f, a) + 0x28, ino(f, 2) + 0x28, 4);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(readdir(f, "/"), 0);
    EXPECT(f, readdir(f, "/a"), PVB_ECORRUPT, "directory inode 11: entry 'a' links to the "
           "directory itself");
    EXPECT(f, lookup(f, "/a/a/a"), PVB_ECORRUPT, "links to the directory itself");
    done(f);
}

static void test_bad_inodes(void **state)
{
    struct extfix *f = ext2();
    struct pvb_stat st;
    uint32_t a, b, c, l, z;

    (void)state;
    a = eb_file(&f->e, 2, "a", "x", 1, EB_BLOCKMAP);
    b = eb_file(&f->e, 2, "b", "x", 1, EB_BLOCKMAP);
    c = eb_file(&f->e, 2, "c", "x", 1, EB_BLOCKMAP);
    l = eb_symlink(&f->e, 2, "l", "target", EB_BLOCKMAP);
    z = eb_symlink(&f->e, 2, "z", "tar\001get", EB_BLOCKMAP);
    pvb_put_le16(ino(f, a) + 0x1A, 0);
    pvb_put_le16(ino(f, b), 0170644);
    pvb_put_le32(ino(f, c) + 0x20, 0x800);   /* encrypted */
    pvb_put_le32(ino(f, l) + 0x04, 70);      /* a fast symlink cannot hold 70 bytes */
    ino(f, z)[0x28 + 3] = 0;
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, pvb_fs_stat(f->fs, "/a", &st), PVB_ECORRUPT, "inode 11 is not in use (no links)");
    EXPECT(f, pvb_fs_stat(f->fs, "/b", &st), PVB_ECORRUPT,
           "inode 12: bad file type in mode 0170644");
    EXPECT(f, cat(f, "/c"), PVB_EUNSUPPORTED, "inode 13 is encrypted");
    EXPECT(f, lookup(f, "/l"), PVB_ECORRUPT, "inode 14: fast symlink of 70 bytes");
    EXPECT(f, lookup(f, "/z"), PVB_ECORRUPT, "inode 15: symlink target holds a NUL byte");
    pvb_put_le32(ino(f, c) + 0x20, 0x4);     /* e2compr's flag: data only with the feature */
    assert_int_equal(cat(f, "/c"), 0);
    pvb_put_le32(sb(f) + 0x60, FT | 0x1);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/c"), PVB_EUNSUPPORTED, "inode 13 is compressed (e2compr)");
    pvb_put_le16(ino(f, 2), 0100644);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "the root inode is not a directory");
    done(f);
    f = ext4();
    a = eb_file(&f->e, 2, "a", "x", 1, EB_EXTENTS);
    pvb_put_le16(ino(f, a) + 0x80, 3);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, pvb_fs_stat(f->fs, "/a", &st), PVB_ECORRUPT, "i_extra_isize 3 does not fit");
    pvb_put_le16(ino(f, a) + 0x80, 32);
    pvb_put_le32(ino(f, a) + 0x20, 0x10000000);
    EXPECT(f, pvb_fs_stat(f->fs, "/a", &st), PVB_ECORRUPT, "inline data without the inline_data");
    done(f);
}

static void test_inline_corrupt(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 32, EXT4 | EB_IN_INLINE_DATA, 0);
    uint8_t data[80] = { 7 };
    uint32_t a;

    (void)state;
    a = eb_file(&f->e, 2, "a", data, sizeof(data), EB_INLINE);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(cat(f, "/a"), 0);
    pvb_put_le32(ino(f, a) + 0x04, 81);
    EXPECT(f, cat(f, "/a"), PVB_ECORRUPT, "81 bytes of inline data, only 80 stored");
    pvb_put_le32(ino(f, a) + 0x04, 80);
    pvb_put_le16(ino(f, a) + 164 + 2, 250);  /* value offset past the inode */
    EXPECT(f, cat(f, "/a"), PVB_ECORRUPT,
           "inline data value of 20 bytes at 250 is outside the inode");
    done(f);
}

static void test_limits(void **state)
{
    struct extfix *f = ext2();
    uint8_t data[4096] = { 0 };
    uint32_t d, i;
    int n = 0;

    (void)state;
    eb_file(&f->e, 2, "a", data, sizeof(data), EB_BLOCKMAP);
    eb_file(&f->e, 2, "b", "x", 1, EB_BLOCKMAP);
    /* A directory of ten blocks that are all the same block. */
    d = eb_mkdir(&f->e, 2, "d", EB_BLOCKMAP);
    for (i = 1; i < 10; i++)
        memcpy(ino(f, d) + 0x28 + 4 * i, ino(f, d) + 0x28, 4);
    pvb_put_le32(ino(f, d) + 0x04, 10 * 1024);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(readdir(f, "/d"), 0);
    f->t.c.lim.max_entries = 20;             /* 1280 bytes: the second block is too many */
    EXPECT(f, readdir(f, "/d"), PVB_ELIMIT, "directory inode 13: more than 1280 bytes scanned");
    f->t.c.lim.max_entries = 3;              /* ".", "..", "a", then "b" */
    EXPECT(f, readdir(f, "/"), PVB_ELIMIT, "directory inode 2: more than 3 entries");
    f->t.c.lim.max_entries = 1000;
    f->t.c.lim.max_alloc = 512;              /* less than a block */
    EXPECT(f, f->fs->ops->readdir(f->fs->priv, 2, count_cb, &n), PVB_ELIMIT,
           "ext directory block: 1024 bytes exceeds the allocation limit 512");
    f->t.c.lim.max_alloc = (size_t)32 << 20;
    f->t.c.lim.max_mem = 100;
    EXPECT(f, xf_mount(f), PVB_ELIMIT, "exceeds the memory limit");
    done(f);
}

/* A read failing anywhere is an I/O error, never a crash or a leak. */
static void test_io_errors(void **state)
{
    struct extfix *f = ext4();
    uint8_t data[8192] = { 3 };
    unsigned n;
    int rc;

    (void)state;
    eb_file(&f->e, 2, "a", data, sizeof(data), EB_EXTENTS);
    for (n = 1; n < 40; n++) {
        rc = xf_mount(f);
        if (rc == 0) {
            pvb_disk_mem_fail_at(f->d, n);
            rc = cat(f, "/a");
        }
        assert_true(rc == 0 || rc == PVB_EIO);
    }
    done(f);
}

static void test_checksums(void **state)
{
    struct extfix *f = xf_new(0, 256, 256, 32, EXT4, EB_RO_METADATA_CSUM);
    uint32_t a, nodes[4];
    unsigned nn;

    (void)state;
    a = eb_file(&f->e, 2, "a", "abc", 3, EB_EXTENTS);
    eb_tree(&f->e, 2, "t", 2, 1, 2, nodes, &nn);
    eb_finish(&f->e);
    sb(f)[0x78] = 'X';                         /* the label, under the superblock crc */
    assert_int_equal(xf_mount_raw(f), 0);
    assert_true(test_warned(&f->t, "ext: superblock 0: checksum"));
    f->t.c.flags = PVB_CTX_STRICT;
    EXPECT(f, xf_mount_raw(f), PVB_ECHECKSUM, "superblock 0: checksum");
    eb_finish(&f->e);
    eb_gd(&f->e)[0x0C] ^= 1;                   /* a free count */
    EXPECT(f, xf_mount_raw(f), PVB_ECHECKSUM, "group descriptor 0: checksum");
    eb_finish(&f->e);
    ino(f, a)[0x10] ^= 1;                      /* mtime */
    assert_int_equal(xf_mount_raw(f), 0);
    EXPECT(f, cat(f, "/a"), PVB_ECHECKSUM, "inode 11: checksum");
    eb_finish(&f->e);
    eb_blockp(&f->e, nodes[0])[100] ^= 1;      /* an unused slot, under the node crc */
    assert_int_equal(xf_mount_raw(f), 0);
    EXPECT(f, cat(f, "/t"), PVB_ECHECKSUM, "extent block");
    eb_finish(&f->e);
    root_block(f)[500] ^= 1;                   /* free space in the root directory */
    assert_int_equal(xf_mount_raw(f), 0);
    EXPECT(f, lookup(f, "/a"), PVB_ECHECKSUM, "directory block 0: checksum");
    f->t.c.flags = 0;
    f->t.warnings[0] = '\0';
    assert_int_equal(lookup(f, "/a"), 0);      /* not strict: a warning, then read on */
    assert_int_equal(lookup(f, "/t"), 0);
    assert_true(test_warned(&f->t, "further directory block checksum errors not reported"));
    pvb_put_le32(sb(f) + 0x175 - 1, 0);
    sb(f)[0x175] = 2;
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "unknown checksum type 2");
    done(f);
}

static void test_group_flags(void **state)
{
    struct extfix *f = xf_new(0, 256, 256, 32, EXT4, EB_RO_METADATA_CSUM);

    (void)state;
    pvb_put_le16(eb_gd(&f->e) + 0x12, 1);   /* INODE_UNINIT: the table was never written */
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "inode 2: group 0 has no initialised inode table");
    done(f);
    f = ext2();
    pvb_put_le32(sb(f) + 0x64, 0x10);        /* uninit_bg with a zero crc16 */
    assert_int_equal(xf_mount(f), 0);
    assert_true(test_warned(&f->t, "group descriptor 0: checksum 0x0"));
    done(f);
}

static void test_state_warnings(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le16(sb(f) + 0x3A, 2);
    pvb_put_le32(sb(f) + 0x04, 300);
    pvb_put_le32(sb(f) + 0x4C, 0);           /* revision 0, with the filetype bit */
    assert_int_equal(xf_mount(f), 0);
    assert_true(test_warned(&f->t, "marked as having errors"));
    assert_true(test_warned(&f->t,
                            "the filesystem (300 blocks) is larger than its volume (256 blocks)"));
    assert_true(test_warned(&f->t, "feature flags set on a revision 0 filesystem"));
    done(f);
}

static void test_more_fields(void **state)
{
    struct extfix *f = ext4();
    uint32_t a, nodes[8], t;
    unsigned nn;
    char buf[8];
    size_t n;
    int cnt = 0;

    (void)state;
    a = eb_file(&f->e, 2, "a", "x", 1, EB_EXTENTS);
    t = eb_tree(&f->e, 2, "t", 4, 2, 2, nodes, &nn);
    eb_symlink(&f->e, 2, "l", "a-long-enough-target", EB_EXTENTS);
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, f->fs->ops->readlink(f->fs->priv, a, buf, sizeof(buf), &n), PVB_EINVAL,
           "inode 11 is not a symlink");
    EXPECT(f, pvb_fs_readlink(f->fs, "/l", buf, sizeof(buf)), PVB_ELIMIT,
           "symlink target of 20 bytes is longer than 7");
    EXPECT(f, f->fs->ops->readdir(f->fs->priv, a, count_cb, &cnt), PVB_ENOTDIR,
           "inode 11 is not a directory");
    pvb_put_le32(sb(f) + 0x60, EXT4 | EB_IN_INLINE_DATA);
    assert_int_equal(xf_mount(f), 0);
    pvb_put_le32(ino(f, a) + 0x20, 0x10080000);          /* inline data and extents */
    EXPECT(f, cat(f, "/a"), PVB_ECORRUPT, "inode 11: both inline data and extents");
    pvb_put_le16(eb_blockp(&f->e, nodes[2]) + 2, 0);     /* an index node with no entries */
    assert_int_equal(xf_mount(f), 0);
    EXPECT(f, cat(f, "/t"), PVB_ECORRUPT, "extent index node at block");
    pvb_put_le16(eb_blockp(&f->e, nodes[2]) + 2, 2);
    pvb_put_le32(ino(f, t) + 0x28 + 12 + 4, 99999);      /* the root's child */
    EXPECT(f, cat(f, "/t"), PVB_ECORRUPT, "extent tree block 99999 (+1) is outside the filesystem");
    done(f);
}

static void test_more_super(void **state)
{
    struct extfix *f = ext2();

    (void)state;
    pvb_put_le32(sb(f) + 0x54, 10);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "first inode 10 is reserved");
    pvb_put_le32(sb(f) + 0x54, 11);
    pvb_put_le32(sb(f) + 0x64, 0x200);                   /* bigalloc with clusters < blocks */
    pvb_put_le32(sb(f) + 0x18, 2);
    pvb_put_le32(sb(f) + 0x1C, 1);
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "s_log_cluster_size 1 with s_log_block_size 2");
    pvb_put_le32(sb(f) + 0x64, 0);
    pvb_put_le32(sb(f) + 0x18, 0);
    pvb_put_le32(sb(f) + 0x1C, 0);
    pvb_put_le32(sb(f) + 0x60, FT | 0x10);               /* meta_bg from descriptor block 1 */
    pvb_put_le32(sb(f) + 0x104, 1);
    assert_int_equal(xf_mount(f), 0);
    done(f);
    /* 64 KiB blocks, 2^31 - 1 groups of 2^19 blocks and two inodes: 2^66 bytes. */
    f = ext2();
    pvb_put_le32(sb(f) + 0x18, 6);
    pvb_put_le32(sb(f) + 0x1C, 6);
    pvb_put_le16(sb(f) + 0x58, 32768);
    pvb_put_le32(sb(f) + 0x60, FT | 0x80);
    pvb_put_le16(sb(f) + 0xFE, 64);
    pvb_put_le32(sb(f) + 0x14, 0);
    pvb_put_le32(sb(f) + 0x20, 1u << 19);
    pvb_put_le32(sb(f) + 0x28, 2);
    pvb_put_le32(sb(f) + 0x00, 0xFFFFFFFEu);
    pvb_put_le64(sb(f) + 0x04, 0);
    pvb_put_le32(sb(f) + 0x04, 0xFFF80000u);             /* (2^31 - 1) << 19, low half */
    pvb_put_le32(sb(f) + 0x150, 0x3FFFF);                /* and high half */
    EXPECT(f, xf_mount(f), PVB_ECORRUPT, "blocks is more than 2^64 bytes");
    done(f);
}

/* Every allocation failing in turn: a clean PVB_ELIMIT, never a crash or a leak. */
static void test_memory_sweep(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 32, EXT4 | EB_IN_INLINE_DATA, 0);
    uint32_t nodes[8];
    unsigned nn;
    size_t cap;
    int rc, ok = 0;

    (void)state;
    eb_tree(&f->e, 2, "t", 4, 2, 2, nodes, &nn);
    eb_file(&f->e, eb_mkdir(&f->e, 2, "d", EB_INLINE), "i", "inline", 6, EB_INLINE);
    eb_symlink(&f->e, 2, "l", "t", EB_EXTENTS);
    for (cap = 0; cap < 60000; cap += cap < 2000 ? 16 : 1024) {
        f->t.c.lim.max_mem = (size_t)128 << 20;
        rc = xf_mount(f);
        f->t.c.lim.max_mem = f->t.c.mem_used + cap;
        if (rc == 0)
            rc = cat(f, "/l");
        if (rc == 0)
            rc = cat(f, "/d/i");
        if (rc == 0)
            ok++;
        else if (rc != PVB_ELIMIT)
            fail_msg("cap %zu: %s", cap, pvb_ctx_msg(&f->t.c));
    }
    assert_true(ok > 0);
    done(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_block_size),
        cmocka_unit_test(test_not_ext),
        cmocka_unit_test(test_revision_and_features),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_gdt_past_end),
        cmocka_unit_test(test_inode_numbers),
        cmocka_unit_test(test_extent_header),
        cmocka_unit_test(test_extent_ancestor),
        cmocka_unit_test(test_extent_order),
        cmocka_unit_test(test_blocks_past_fs),
        cmocka_unit_test(test_dirents),
        cmocka_unit_test(test_symlink_loop),
        cmocka_unit_test(test_huge_size),
        cmocka_unit_test(test_dir_own_parent),
        cmocka_unit_test(test_bad_inodes),
        cmocka_unit_test(test_inline_corrupt),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_checksums),
        cmocka_unit_test(test_group_flags),
        cmocka_unit_test(test_state_warnings),
        cmocka_unit_test(test_more_fields),
        cmocka_unit_test(test_more_super),
        cmocka_unit_test(test_memory_sweep),
    };
    return cmocka_run_group_tests_name("ext_hostile", tests, NULL, NULL);
}
