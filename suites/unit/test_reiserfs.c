/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/fs/reiserfs: 3.5/3.6 trees built in memory, and one named case per hostile input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/fs.h"
#include "fs/reiserfs.h"
#include "reiserbuild.h"
#include "testlib.h"
#include "util/bytes.h"

#define IMG_SIZE ((size_t)8 << 20)

static struct test_ctx t;
static uint8_t *img;
static struct pvb_disk *disk;
static struct pvb_fs *fs;
static clock_t started;

static int setup(void **state)
{
    (void)state;
    test_ctx_init(&t);
    img = calloc(1, IMG_SIZE);
    disk = NULL;
    fs = NULL;
    started = clock();
    return img ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    free(img);
    assert_int_equal(t.c.mem_used, 0);                        /* nothing leaked */
    assert_true(clock() - started < 2 * CLOCKS_PER_SEC);
    return 0;
}

static int mount(void)
{
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    fs = NULL;
    assert_int_equal(pvb_disk_open_mem(&t.c, img, IMG_SIZE, &disk), 0);
    return pvb_fs_mount(disk, &fs);
}

static uint8_t *block(uint32_t n, unsigned bs)
{
    return img + (size_t)n * bs;
}

/* A pattern unique to a file and offset, so a misplaced block shows. */
static void pattern(uint8_t *p, size_t n, unsigned seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + seed * 13 + (i >> 12));
}

static int cat_cmp(const char *path, const uint8_t *want, size_t n)
{
    return test_fs_cat_cmp(fs, path, want, n);
}

static const size_t sizes[] = { 0, 1, 100, 3000, 4095, 4096, 4097, 8192, 12289, 20000, 70000 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* A tree with every item kind; returns the builder (committed). */
static void build(unsigned bs, int v35, unsigned hash, const struct rb_opts *o, unsigned nmany)
{
    struct rb *b = rb_format(img, IMG_SIZE, bs, v35, hash, o);
    uint8_t *data = malloc(70000);
    char name[64];
    unsigned i;

    assert_non_null(b);
    assert_int_equal(rb_mkdir(b, "boot", 0755), 0);
    assert_int_equal(rb_mkdir(b, "boot/grub", 0700), 0);
    assert_int_equal(rb_mkdir(b, "a", 0755), 0);
    assert_int_equal(rb_mkdir(b, "a/b", 0755), 0);
    assert_int_equal(rb_mkdir(b, "many", 0755), 0);
    for (i = 0; i < NSIZES; i++) {
        pattern(data, sizes[i], i);
        snprintf(name, sizeof(name), "boot/s%zu", sizes[i]);
        assert_int_equal(rb_file(b, name, 0644, data, sizes[i]), 0);
    }
    assert_int_equal(rb_file(b, "a/b/deep", 04711, "deep\n", 5), 0);
    assert_int_equal(rb_symlink(b, "boot/vmlinuz", "s70000"), 0);
    assert_int_equal(rb_symlink(b, "abs", "/a/b/deep"), 0);
    assert_int_equal(rb_symlink(b, "up", "../boot/s100"), 0);
    assert_int_equal(rb_symlink(b, "a/up", "../boot/s100"), 0);
    assert_int_equal(rb_symlink(b, "loop1", "loop2"), 0);
    assert_int_equal(rb_symlink(b, "loop2", "loop1"), 0);
    for (i = 0; i < nmany; i++) {
        snprintf(name, sizeof(name), "many/%.*sname-%u", (int)(i % 17), "yyyyyyyyyyyyyyyyy", i);
        assert_int_equal(rb_file(b, name, 0600, name, strlen(name)), 0);
    }
    assert_int_equal(rb_commit(b), 0);
    rb_free(b);
    free(data);
}

static void check_tree(unsigned nmany)
{
    uint8_t *data = malloc(70000);
    struct pvb_stat st;
    char name[64], buf[64];
    unsigned i;

    for (i = 0; i < NSIZES; i++) {
        pattern(data, sizes[i], i);
        snprintf(name, sizeof(name), "/boot/s%zu", sizes[i]);
        if (cat_cmp(name, data, sizes[i]) != 0)
            fail_msg("%s: %s", name, t.c.msg);
    }
    pattern(data, 70000, NSIZES - 1);
    assert_int_equal(cat_cmp("/boot/vmlinuz", data, 70000), 0);
    assert_int_equal(cat_cmp("/abs", (const uint8_t *)"deep\n", 5), 0);
    pattern(data, 100, 2);
    assert_int_equal(cat_cmp("/a/up", data, 100), 0);
    assert_int_equal(cat_cmp("/a/b/../../up", data, 100), 0);
    assert_int_equal(cat_cmp("/loop1", data, 1), PVB_ELOOP);
    assert_int_equal(cat_cmp("/nothing", data, 1), PVB_ENOTFOUND);
    assert_int_equal(cat_cmp("/boot/s1/x", data, 1), PVB_ENOTDIR);
    assert_int_equal(pvb_fs_stat(fs, "/a/b/deep", &st), 0);
    assert_int_equal(st.mode, 0104711);
    assert_int_equal(st.size, 5);
    assert_int_equal(st.nlink, 1);
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(st.nlink, 3);
    assert_int_equal(pvb_fs_readlink(fs, "/boot/vmlinuz", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "s70000");
    for (i = 0; i < nmany; i++) {
        snprintf(name, sizeof(name), "/many/%.*sname-%u", (int)(i % 17), "yyyyyyyyyyyyyyyyy", i);
        if (cat_cmp(name, (const uint8_t *)name + 1, strlen(name) - 1) != 0)
            fail_msg("%s: %s", name, t.c.msg);
    }
    free(data);
}

struct names {
    unsigned n, dirs, links;
};

static int count(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct names *l = arg;

    (void)name;
    (void)ino;
    l->n++;
    l->dirs += type == PVB_FT_DIR;
    l->links += type == PVB_FT_LNK;
    return 0;
}

static void check_lists(unsigned nmany)
{
    struct names l;

    memset(&l, 0, sizeof(l));
    assert_int_equal(pvb_fs_readdir(fs, "/", count, &l), 0);
    assert_int_equal(l.n, 3 + 4);        /* boot a many; abs up loop1 loop2 */
    assert_int_equal(l.dirs, 3);
    assert_int_equal(l.links, 4);
    memset(&l, 0, sizeof(l));
    assert_int_equal(pvb_fs_readdir(fs, "/many", count, &l), 0);
    assert_int_equal(l.n, nmany);
    memset(&l, 0, sizeof(l));
    assert_int_equal(pvb_fs_readdir(fs, "/boot", count, &l), 0);
    assert_int_equal(l.n, NSIZES + 2);
}

static void tree_case(unsigned bs, int v35, unsigned hash, const struct rb_opts *o, unsigned nmany)
{
    struct pvb_fs_info in;

    build(bs, v35, hash, o, nmany);
    assert_int_equal(mount(), 0);
    pvb_fs_info(fs, &in);
    assert_string_equal(in.driver, "reiserfs");
    assert_string_equal(in.version, v35 ? "reiserfs 3.5" : "reiserfs 3.6");
    assert_int_equal(in.block_size, bs);
    check_tree(nmany);
    check_lists(nmany);
}

static void test_v36_r5(void **state)
{
    (void)state;
    tree_case(4096, 0, RS_HASH_R5, NULL, 300);
}

static void test_v36_tea_notail(void **state)
{
    struct rb_opts o = { .notail = 1, .spread = 2 };

    (void)state;
    tree_case(4096, 0, RS_HASH_TEA, &o, 300);
}

static void test_v35_rupasov(void **state)
{
    (void)state;
    tree_case(4096, 1, RS_HASH_RUPASOV, NULL, 300);
}

static void test_v35_1k_holes(void **state)
{
    struct rb_opts o = { .holes = 1 };

    (void)state;
    tree_case(1024, 1, RS_HASH_R5, &o, 200);
}

/* Small leaves and a fanout of 3: internal nodes over internal nodes, many items per file. */
static void test_deep_tree(void **state)
{
    struct rb_opts o = { .leaf_max = 400, .fanout = 3, .dir_item_max = 200 };
    unsigned char sb[4];

    (void)state;
    build(1024, 0, RS_HASH_TEA, &o, 60);
    memcpy(sb, img + 65536 + 68, 2);
    assert_true(pvb_le16(sb) >= 5);      /* 4 levels at least */
    assert_int_equal(mount(), 0);
    check_tree(60);
    check_lists(60);
}

/* Known hash values: reiserfsck --check accepts names these hashes place (suites/reiserfs). */
static void test_hashes(void **state)
{
    (void)state;
    assert_int_equal(pvb_reiserfs_name_offset(RS_HASH_R5, (const uint8_t *)".", 1), 1);
    assert_int_equal(pvb_reiserfs_name_offset(RS_HASH_TEA, (const uint8_t *)"..", 2), 2);
    assert_int_equal(pvb_reiserfs_hash(9, (const uint8_t *)"x", 1), 0);
    /* r5 stops at a NUL; tea and rupasov see the length */
    assert_int_equal(pvb_reiserfs_hash(RS_HASH_R5, (const uint8_t *)"ab\0c", 4),
                     pvb_reiserfs_hash(RS_HASH_R5, (const uint8_t *)"ab", 2));
    assert_int_not_equal(pvb_reiserfs_hash(RS_HASH_TEA, (const uint8_t *)"ab\0c", 4),
                         pvb_reiserfs_hash(RS_HASH_TEA, (const uint8_t *)"ab", 2));
    /* bytes above 0x7f are signed chars to the kernel */
    assert_int_not_equal(pvb_reiserfs_hash(RS_HASH_R5, (const uint8_t *)"\xe9t\xe9", 3),
                         pvb_reiserfs_hash(RS_HASH_R5, (const uint8_t *)"iti", 3));
}

/* ---- hostile inputs ------------------------------------------------------------------ */

static uint32_t sb32(unsigned off)
{
    return pvb_le32(img + 65536 + off);
}

/* One leaf: the root, boot (object [2 3]) with s100, a/b/deep and abs -> /a/b/deep. */
static void small_tree(unsigned bs, int v35)
{
    struct rb *b = rb_format(img, IMG_SIZE, bs, v35, RS_HASH_R5, NULL);
    uint8_t data[100];

    assert_non_null(b);
    pattern(data, 100, 2);
    assert_int_equal(rb_mkdir(b, "boot", 0755), 0);
    assert_int_equal(rb_mkdir(b, "a", 0755), 0);
    assert_int_equal(rb_mkdir(b, "a/b", 0755), 0);
    assert_int_equal(rb_file(b, "boot/s100", 0644, data, 100), 0);
    assert_int_equal(rb_file(b, "a/b/deep", 0644, "deep\n", 5), 0);
    assert_int_equal(rb_symlink(b, "abs", "/a/b/deep"), 0);
    assert_int_equal(rb_commit(b), 0);
    assert_int_equal(rb_levels(b), 1);
    rb_free(b);
}

/* A tree of height 3 (root internal over leaves) with small leaves. */
static uint32_t two_level(void)
{
    struct rb_opts o = { .leaf_max = 300 };

    build(4096, 0, RS_HASH_R5, &o, 20);
    assert_int_equal(pvb_le16(img + 65536 + 68), 3);
    return sb32(8);
}

static void expect_mount(int rc, const char *msg)
{
    assert_int_equal(mount(), rc);
    assert_msg_has(&t.c, msg);
}

static void test_superblock(void **state)
{
    uint8_t save[204];

    (void)state;
    small_tree(4096, 0);
    memcpy(save, img + 65536, sizeof(save));
    img[65536 + 52] = 'X';
    assert_int_equal(mount(), PVB_ENOTMINE);
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le16(img + 65536 + 44, 1000);
    expect_mount(PVB_ECORRUPT, "block size 1000");
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le16(img + 65536 + 68, 9);
    expect_mount(PVB_ECORRUPT, "tree height 9");
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le32(img + 65536 + 8, 5000);
    expect_mount(PVB_ECORRUPT, "root block 5000 outside");
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le32(img + 65536, 10);
    expect_mount(PVB_ECORRUPT, "leave no room past the superblock");
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le16(img + 65536 + 72, 0);
    expect_mount(PVB_ECORRUPT, "version 0 does not go with magic ReIsEr2Fs");
    memcpy(img + 65536, save, sizeof(save));
    memcpy(img + 65536 + 52, "ReIsEr3Fs", 9);
    assert_int_equal(mount(), 0);                       /* relocated, same device */
    pvb_put_le32(img + 65536 + 16, 0x801);
    expect_mount(PVB_EUNSUPPORTED, "journal is on another device (0x801)");
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le32(img + 65536 + 64, 7);                  /* unknown hash: names by scan */
    assert_int_equal(mount(), 0);
    assert_true(test_warned(&t, "hash function code 7"));
    assert_int_equal(cat_cmp("/abs", (const uint8_t *)"deep\n", 5), 0);
    memcpy(img + 65536, save, sizeof(save));
    pvb_put_le32(img + 65536 + 8, sb32(8) + 1);         /* the root points at a free block */
    expect_mount(PVB_ECORRUPT, "has level 0, expected 1");
}

static void test_level_40(void **state)
{
    (void)state;
    small_tree(4096, 0);
    pvb_put_le16(block(sb32(8), 4096), 40);
    expect_mount(PVB_ECORRUPT, "has level 40, expected 1 (1..5)");
}

/* A leaf's child pointer aimed at the root: its own ancestor. */
static void test_cycle(void **state)
{
    uint32_t root;
    uint8_t *r;
    unsigned nr;

    (void)state;
    root = two_level();
    r = block(root, 4096);
    nr = pvb_le16(r + 2);
    assert_true(nr >= 2);
    pvb_put_le32(r + 24 + 16 * nr + 8 * nr, root);      /* the last child */
    assert_int_equal(mount(), 0);                         /* the root dir is in child 0 */
    assert_int_equal(pvb_fs_readdir(fs, "/many", count, &(struct names){ 0, 0, 0 }), PVB_ELOOP);
    assert_msg_has(&t.c, "is its own ancestor");
}

static void test_child_keys_outside(void **state)
{
    uint32_t root;
    uint8_t *r;

    (void)state;
    root = two_level();
    r = block(root, 4096);
    /* children 0 and 1 swapped: child 0's keys are above the first delimiting key */
    {
        uint8_t tmp[8];

        memcpy(tmp, r + 24 + 16 * pvb_le16(r + 2), 8);
        memcpy(r + 24 + 16 * pvb_le16(r + 2), r + 24 + 16 * pvb_le16(r + 2) + 8, 8);
        memcpy(r + 24 + 16 * pvb_le16(r + 2) + 8, tmp, 8);
    }
    expect_mount(PVB_ECORRUPT, "outside the range its parent gives it");
}

static void test_internal_checks(void **state)
{
    uint32_t root;
    uint8_t *r, save[4096];

    (void)state;
    root = two_level();
    r = block(root, 4096);
    memcpy(save, r, 4096);
    memcpy(r + 24, r + 40, 16);                          /* key 0 = key 1 */
    expect_mount(PVB_ECORRUPT, "internal keys out of order");
    memcpy(r, save, 4096);
    pvb_put_le16(r + 2, 500);
    expect_mount(PVB_ECORRUPT, "internal node key count out of range (500, 169)");
    memcpy(r, save, 4096);
    pvb_put_le16(r + 4, 7);
    expect_mount(PVB_ECORRUPT, "internal node free space does not add up");
    memcpy(r, save, 4096);
    pvb_put_le32(r + 24 + 16 * pvb_le16(r + 2), 100000);
    expect_mount(PVB_ECORRUPT, "node 100000 at level 1 is outside the filesystem");
}

static void test_leaf_checks(void **state)
{
    uint8_t *l, save[4096];
    uint32_t root;

    (void)state;
    small_tree(4096, 0);
    root = sb32(8);
    l = block(root, 4096);
    memcpy(save, l, 4096);
    /* item header past the block: item 0 at 4090 with its 44 bytes */
    pvb_put_le16(l + 24 + 20, 4090);
    expect_mount(PVB_ECORRUPT, "item 0 (44 bytes at 4090) is outside the block");
    memcpy(l, save, 4096);
    /* more items than the block can hold */
    pvb_put_le16(l + 2, 200);
    expect_mount(PVB_ECORRUPT, "leaf item count out of range (200, 162)");
    memcpy(l, save, 4096);
    /* key disorder: item 1 ([1 2] directory) given the stat data's key */
    memcpy(l + 24 + 24, l + 24, 16);
    expect_mount(PVB_ECORRUPT, "item keys out of order at items (0, 1)");
    memcpy(l, save, 4096);
    pvb_put_le16(l + 4, 99);
    expect_mount(PVB_ECORRUPT, "leaf free space does not add up");
    memcpy(l, save, 4096);
    pvb_put_le16(l + 24 + 22, 7);
    expect_mount(PVB_ECORRUPT, "key format 7");
    memcpy(l, save, 4096);
    pvb_put_le32(l + 24 + 24 + 12, 0x12345);              /* a 3.5 key of no known type */
    expect_mount(PVB_ECORRUPT, "item 1 has key format 0 and no known type");
}

/* Find item i of the leaf holding key (dir, obj): the tree here is one leaf. */
static uint8_t *item_head(uint8_t *leaf, uint32_t dir, uint32_t obj, unsigned type_v1_or_v2)
{
    unsigned i, nr = pvb_le16(leaf + 2);

    for (i = 0; i < nr; i++) {
        uint8_t *ih = leaf + 24 + 24 * i;
        uint64_t ot = pvb_le64(ih + 8);
        unsigned ver = pvb_le16(ih + 22);
        unsigned type = ver ? (unsigned)(ot >> 60) : (uint32_t)(ot >> 32) == 500 ? 3 :
                        (uint32_t)(ot >> 32) == 0 ? 0 : (uint32_t)(ot >> 32) == 0xffffffffu ? 2 : 1;

        if (pvb_le32(ih) == dir && pvb_le32(ih + 4) == obj && type == type_v1_or_v2)
            return ih;
    }
    fail_msg("no item [%u %u] type %u", (unsigned)dir, (unsigned)obj, type_v1_or_v2);
    return NULL;
}

static void test_dir_entries(void **state)
{
    uint8_t *l, *ih, *body;
    uint8_t save[4096];

    (void)state;
    small_tree(4096, 0);
    l = block(sb32(8), 4096);
    memcpy(save, l, 4096);
    ih = item_head(l, 1, 2, 3);                           /* the root's directory item */
    body = l + pvb_le16(ih + 20);
    pvb_put_le16(body + 16 + 12, 3000);                   /* entry 1's name far past its item */
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/abs", (const uint8_t *)"deep\n", 5), PVB_ECORRUPT);
    assert_msg_has(&t.c, "entry 1's name at 3000 is outside its item");
    memcpy(l, save, 4096);
    pvb_put_le16(ih + 16, 900);                           /* entry count past the item */
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/abs", (const uint8_t *)"deep\n", 5), PVB_ECORRUPT);
    assert_msg_has(&t.c, "claims 900 entries");
    memcpy(l, save, 4096);
    pvb_put_le32(body + 16 * 2, 1);                       /* entry 2's offset below entry 1's */
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/abs", (const uint8_t *)"deep\n", 5), PVB_ECORRUPT);
    assert_msg_has(&t.c, "entry 2's offset 1 is out of order");
    memcpy(l, save, 4096);
    pvb_put_le16(body + 16 * 3 + 14, 0);                  /* entry 3 not visible */
    assert_int_equal(mount(), 0);
    {
        struct names n = { 0, 0, 0 };

        assert_int_equal(pvb_fs_readdir(fs, "/", count, &n), 0);
        assert_int_equal(n.n, 2);                         /* of a, abs, boot */
    }
}

static void test_stat_data(void **state)
{
    uint8_t *l, *ih;
    struct pvb_stat st;

    (void)state;
    small_tree(4096, 1);                                  /* 3.5: 32-byte stat data */
    l = block(sb32(8), 4096);
    ih = item_head(l, 2, 3, 0);                           /* boot's stat data */
    pvb_put_le16(ih + 22, 1);                             /* claims v2: needs 44 bytes */
    if (mount() != 0)
        fail_msg("%s", t.c.msg);
    assert_int_equal(pvb_fs_stat(fs, "/boot", &st), PVB_ECORRUPT);
    assert_msg_has(&t.c, "object [2 3]: stat data v2 of 32 bytes, want 44");
    pvb_put_le16(ih + 22, 0);
    {   /* the root's entry for boot now names [2 77], which has no stat data */
        uint8_t *d = item_head(l, 1, 2, 3), *body = l + pvb_le16(d + 20);
        unsigned i;

        for (i = 0; i < pvb_le16(d + 16); i++)
            if (pvb_le32(body + 16 * i + 8) == 3)
                pvb_put_le32(body + 16 * i + 8, 77);
    }
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/boot", &st), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "has no stat data");
    {   /* a listing leaves the entry out, as GRUB does, and says so */
        struct names n = { 0, 0, 0 };

        assert_int_equal(pvb_fs_readdir(fs, "/", count, &n), 0);
        assert_int_equal(n.n, 2);                         /* a and abs */
        assert_true(test_warned(&t, "reiserfs: entry 'boot' skipped: object [2 77] has no "
                                "stat data"));
    }
}

/* readlink by inode number checks what the path walk would have: stat data, then type. */
static void test_readlink_ino(void **state)
{
    struct pvb_stat st;
    char buf[64], want[64];

    (void)state;
    small_tree(4096, 0);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_readlink_ino(fs, (pvb_ino)2 << 32 | 77, buf, sizeof(buf)),
                     PVB_ENOTFOUND);
    assert_msg_has(&t.c, "reiserfs: object [2 77] has no stat data");
    assert_int_equal(pvb_fs_stat(fs, "/a", &st), 0);
    assert_int_equal(pvb_fs_readlink_ino(fs, st.ino, buf, sizeof(buf)), PVB_EINVAL);
    snprintf(want, sizeof(want), "reiserfs: object [%u %u] is not a symlink",
             (unsigned)(st.ino >> 32), (unsigned)st.ino);
    assert_msg_has(&t.c, want);
    assert_int_equal(pvb_fs_lstat(fs, "/abs", &st), 0);
    assert_int_equal(pvb_fs_readlink_ino(fs, st.ino, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "/a/b/deep");
}

/* The root's stat data is what mount checks first: missing, or not a directory's. */
static void test_root_stat(void **state)
{
    uint8_t *l, *ih, save[4096];

    (void)state;
    small_tree(4096, 0);
    l = block(sb32(8), 4096);
    memcpy(save, l, 4096);
    ih = item_head(l, 1, 2, 0);
    pvb_put_le32(ih + 4, 1);                              /* [1 1]: still in key order */
    expect_mount(PVB_ECORRUPT, "reiserfs: the root directory [1 2] has no stat data");
    memcpy(l, save, 4096);
    pvb_put_le16(l + pvb_le16(ih + 20), 0100644);
    expect_mount(PVB_ECORRUPT, "reiserfs: the root [1 2] is not a directory (mode 0100644)");
}

/* Names that no path can hold (empty, or with a '/') are left out of a listing with a
 * warning, and no lookup finds them. */
static void test_unusable_names(void **state)
{
    uint8_t *l, *ih, *body;
    uint32_t abs_off = 0, boot_off = 0;
    unsigned i;
    char want[96];
    struct names n = { 0, 0, 0 };

    (void)state;
    small_tree(4096, 0);
    l = block(sb32(8), 4096);
    ih = item_head(l, 1, 2, 3);
    body = l + pvb_le16(ih + 20);
    for (i = 0; i < pvb_le16(ih + 16); i++) {
        uint8_t *name = body + pvb_le16(body + 16 * i + 12);

        if (memcmp(name, "abs", 4) == 0) {                /* 3.6 pads names with NULs */
            name[1] = '/';
            abs_off = pvb_le32(body + 16 * i);
        } else if (memcmp(name, "boot", 5) == 0) {
            name[0] = '\0';
            boot_off = pvb_le32(body + 16 * i);
        }
    }
    assert_true(abs_off != 0 && boot_off != 0);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_readdir(fs, "/", count, &n), 0);
    assert_int_equal(n.n, 1);                             /* a */
    snprintf(want, sizeof(want), "reiserfs: entry at offset %u of 3 bytes skipped: not a name "
             "that a path can hold", (unsigned)abs_off);
    assert_true(test_warned(&t, want));
    snprintf(want, sizeof(want), "reiserfs: entry at offset %u of 0 bytes skipped",
             (unsigned)boot_off);
    assert_true(test_warned(&t, want));
    assert_int_equal(cat_cmp("/abs", (const uint8_t *)"deep\n", 5), PVB_ENOTFOUND);
    assert_int_equal(cat_cmp("/boot/s100", (const uint8_t *)"", 0), PVB_ENOTFOUND);
}

/*
 * A directory whose items end the tree: a scan runs off the tree's last leaf. An empty
 * one lists nothing and finds nothing; without its directory item (the one "." and ".."
 * live in) it is still an empty directory, not an error, as the scan simply finds no
 * item of it.
 */
static void test_last_directory(void **state)
{
    struct rb *b = rb_format(img, IMG_SIZE, 4096, 0, RS_HASH_R5, NULL);
    struct names n = { 0, 0, 0 };
    struct pvb_stat st;
    uint8_t *l, *ih;
    unsigned nr, len;
    uint32_t dir, obj;

    (void)state;
    assert_non_null(b);
    assert_int_equal(rb_mkdir(b, "a", 0755), 0);
    assert_int_equal(rb_mkdir(b, "a/b", 0755), 0);
    assert_int_equal(rb_commit(b), 0);
    assert_int_equal(rb_levels(b), 1);
    rb_free(b);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a/b", &st), 0);
    dir = (uint32_t)(st.ino >> 32);
    obj = (uint32_t)st.ino;
    l = block(sb32(8), 4096);
    nr = pvb_le16(l + 2);
    ih = item_head(l, dir, obj, 3);
    assert_ptr_equal(ih, l + 24 + 24 * (nr - 1));        /* the tree's last item */
    assert_int_equal(pvb_fs_readdir(fs, "/a/b", count, &n), 0);
    assert_int_equal(n.n, 0);
    assert_int_equal(pvb_fs_stat(fs, "/a/b/x", &st), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "reiserfs: /a/b/x: 'x' not found");
    /* drop the directory item: the leaf keeps its items packed and its free space right */
    len = pvb_le16(ih + 18);
    memset(l + pvb_le16(ih + 20), 0, len);
    memset(ih, 0, 24);
    pvb_put_le16(l + 2, nr - 1);
    pvb_put_le16(l + 4, pvb_le16(l + 4) + 24 + len);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_stat(fs, "/a/b", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(pvb_fs_readdir(fs, "/a/b", count, &n), 0);
    assert_int_equal(n.n, 0);
    assert_int_equal(pvb_fs_stat(fs, "/a/b/x", &st), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "reiserfs: /a/b/x: 'x' not found");
}

/*
 * Stat data larger than the items: the bytes past the last item are a hole and read as
 * zeros, whether the next item is another object's (s100) or there is none (deep, the
 * tree's last object), read in order from 0 or first at an offset past the items.
 */
static void test_trailing_hole(void **state)
{
    uint8_t *l, *ih, *want = calloc(1, 10000), buf[100], zero[100];
    struct pvb_stat st;
    struct pvb_file *f;
    size_t got;

    (void)state;
    small_tree(4096, 0);
    assert_int_equal(mount(), 0);
    l = block(sb32(8), 4096);
    assert_int_equal(pvb_fs_stat(fs, "/boot/s100", &st), 0);
    ih = item_head(l, (uint32_t)(st.ino >> 32), (uint32_t)st.ino, 0);
    pvb_put_le64(l + pvb_le16(ih + 20) + 8, 10000);
    assert_int_equal(pvb_fs_stat(fs, "/a/b/deep", &st), 0);
    ih = item_head(l, (uint32_t)(st.ino >> 32), (uint32_t)st.ino, 2);
    assert_ptr_equal(ih, l + 24 + 24 * (pvb_le16(l + 2) - 1));   /* the tree's last item */
    ih = item_head(l, (uint32_t)(st.ino >> 32), (uint32_t)st.ino, 0);
    pvb_put_le64(l + pvb_le16(ih + 20) + 8, 6000);
    assert_int_equal(mount(), 0);
    pattern(want, 100, 2);
    assert_int_equal(cat_cmp("/boot/s100", want, 10000), 0);
    memset(want, 0, 10000);
    memcpy(want, "deep\n", 5);
    assert_int_equal(cat_cmp("/a/b/deep", want, 6000), 0);
    memset(zero, 0, sizeof(zero));
    assert_int_equal(pvb_fs_open(fs, "/boot/s100", &f), 0);
    assert_int_equal(pvb_file_read(f, buf, sizeof(buf), 5000, &got), 0);
    assert_int_equal(got, sizeof(buf));
    assert_memory_equal(buf, zero, sizeof(buf));
    pvb_file_close(f);
    free(want);
}

static void test_bodies(void **state)
{
    uint8_t *l, *ih;
    uint8_t buf[80000];
    size_t got;
    struct pvb_file *f;

    (void)state;
    build(4096, 0, RS_HASH_R5, &(struct rb_opts){ .notail = 1 }, 0);
    assert_int_equal(mount(), 0);
    /* an indirect item's pointer outside the filesystem */
    assert_int_equal(pvb_fs_open(fs, "/boot/s70000", &f), 0);
    l = block(sb32(8), 4096);
    (void)l;
    pvb_file_close(f);
    {
        struct pvb_stat st;
        uint32_t obj;

        assert_int_equal(pvb_fs_stat(fs, "/boot/s70000", &st), 0);
        obj = (uint32_t)st.ino;
        ih = NULL;
        /* the tree may be one leaf or more: find the leaf by search through the root */
        if (pvb_le16(block(sb32(8), 4096)) == 1)
            ih = item_head(block(sb32(8), 4096), 3, obj, 1);
        if (ih) {
            uint8_t *body = block(sb32(8), 4096) + pvb_le16(ih + 20);

            pvb_put_le32(body + 4, 999999);
            assert_int_equal(mount(), 0);
            assert_int_equal(pvb_fs_open(fs, "/boot/s70000", &f), 0);
            assert_int_equal(pvb_file_read(f, buf, sizeof(buf), 0, &got), PVB_ECORRUPT);
            assert_msg_has(&t.c, "block 999999 at file offset 4096 is outside the filesystem");
            pvb_file_close(f);
            /* each pointer inside, but the run they make ends past the last block: only the
             * first block of a run is checked against the size before the run is read */
            pvb_put_le32(body, sb32(0) - 1);
            pvb_put_le32(body + 4, sb32(0));
            assert_int_equal(mount(), 0);
            assert_int_equal(pvb_fs_open(fs, "/boot/s70000", &f), 0);
            assert_int_equal(pvb_file_read(f, buf, sizeof(buf), 0, &got), PVB_ECORRUPT);
            snprintf((char *)buf, 64, "blocks from %u run past the filesystem",
                     (unsigned)sb32(0) - 1);
            assert_msg_has(&t.c, (char *)buf);
            pvb_file_close(f);
            /* an indirect item whose bytes would start at 1, not on a block boundary */
            pvb_put_le64(ih + 8, (uint64_t)1 << 60 | 2);
            assert_int_equal(mount(), 0);
            assert_int_equal(pvb_fs_open(fs, "/boot/s70000", &f), 0);
            assert_int_equal(pvb_file_read(f, buf, sizeof(buf), 0, &got), PVB_ECORRUPT);
            assert_msg_has(&t.c, "indirect item at offset 2 (72 bytes) overlaps the one before "
                           "or is misaligned");
            pvb_file_close(f);
        }
    }
    assert_non_null(ih);                                  /* the cases above ran */
}

/* Reads at odd offsets and backwards: the cursor must search again, holes read as zeros. */
static void test_random_reads(void **state)
{
    struct rb_opts o = { .holes = 1, .leaf_max = 200 };
    struct rb *b;
    uint8_t *data = calloc(1, 200000), buf[9000];
    struct pvb_file *f;
    size_t got;
    uint64_t offs[] = { 199990, 0, 4096, 100000, 4095, 65536, 8192 * 3 + 17, 150000, 1 };
    unsigned i;

    (void)state;
    pattern(data, 200000, 5);
    memset(data + 40960, 0, 4096 * 5);                    /* five holes */
    b = rb_format(img, IMG_SIZE, 4096, 0, RS_HASH_R5, &o);
    assert_non_null(b);
    assert_int_equal(rb_file(b, "f", 0644, data, 200000), 0);
    assert_int_equal(rb_commit(b), 0);
    rb_free(b);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_open(fs, "/f", &f), 0);
    for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        assert_int_equal(pvb_file_read(f, buf, sizeof(buf), offs[i], &got), 0);
        assert_int_equal(got, offs[i] + sizeof(buf) > 200000 ? 200000 - offs[i] : sizeof(buf));
        assert_memory_equal(buf, data + offs[i], got);
    }
    pvb_file_close(f);
    free(data);
}

static void test_limits(void **state)
{
    uint8_t want[100];

    (void)state;
    build(4096, 0, RS_HASH_TEA, &(struct rb_opts){ .leaf_max = 300 }, 100);
    assert_int_equal(mount(), 0);
    pattern(want, 100, 2);
    t.c.lim.max_scan = t.c.used[PVB_BUDGET_SCAN] + 3;
    assert_int_equal(cat_cmp("/boot/s100", want, 100), PVB_ELIMIT);
    assert_msg_has(&t.c, "scan");
    t.c.lim.max_scan = UINT64_MAX;
    t.c.lim.max_symlinks = 0;
    assert_int_equal(cat_cmp("/up", want, 100), PVB_ELOOP);
    t.c.lim.max_symlinks = 8;
    assert_int_equal(cat_cmp("/up", want, 100), 0);
    {
        char small[4];

        assert_int_equal(pvb_fs_readlink(fs, "/abs", small, sizeof(small)), PVB_ELIMIT);
    }
}

/* Every read of a mount, a lookup and a file read failing in turn: a clean PVB_EIO. */
static void test_read_faults(void **state)
{
    uint8_t *want = malloc(70000);
    unsigned i, reads;

    (void)state;
    build(4096, 0, RS_HASH_R5, &(struct rb_opts){ .leaf_max = 500 }, 40);
    pattern(want, 70000, NSIZES - 1);
    assert_int_equal(mount(), 0);
    reads = pvb_disk_mem_reads(disk);
    assert_int_equal(cat_cmp("/boot/vmlinuz", want, 70000), 0);
    reads = pvb_disk_mem_reads(disk) - reads;
    for (i = 1; i <= reads + 1; i++) {
        assert_int_equal(mount(), 0);
        pvb_disk_mem_fail_at(disk, i);
        int rc = cat_cmp("/boot/vmlinuz", want, 70000);
        assert_int_equal(rc, i <= reads ? PVB_EIO : 0);
        pvb_disk_mem_fail_at(disk, 0);
    }
    for (i = 1; i <= 3; i++) {
        pvb_fs_umount(fs);
        fs = NULL;
        pvb_disk_close(disk);
        assert_int_equal(pvb_disk_open_mem(&t.c, img, IMG_SIZE, &disk), 0);
        pvb_disk_mem_fail_at(disk, i);
        int rc = pvb_fs_mount(disk, &fs);
        assert_true(rc == PVB_EIO || (rc == 0 && i > 2));
    }
    free(want);
}

/* Every accounted allocation of a mount and a read failing in turn: PVB_ENOMEM, no leak. */
static void test_alloc_faults(void **state)
{
    uint8_t *want = malloc(70000);
    unsigned long i;
    int rc = -1;

    (void)state;
    build(4096, 0, RS_HASH_R5, &(struct rb_opts){ .leaf_max = 500 }, 40);
    pattern(want, 70000, NSIZES - 1);
    assert_int_equal(pvb_disk_open_mem(&t.c, img, IMG_SIZE, &disk), 0);
    for (i = 1; rc != 0 && i < 200; i++) {
        t.c.fail_alloc = i;
        t.c.nalloc = 0;
        rc = pvb_fs_mount(disk, &fs);
        if (!rc)
            rc = cat_cmp("/boot/vmlinuz", want, 70000);
        assert_true(rc == 0 || rc == PVB_ENOMEM);
        pvb_fs_umount(fs);
        fs = NULL;
    }
    t.c.fail_alloc = 0;
    assert_int_equal(rc, 0);
    assert_true(i > 3);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v36_r5, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v36_tea_notail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v35_rupasov, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v35_1k_holes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_superblock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_40, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_keys_outside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_internal_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leaf_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stat_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readlink_ino, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_stat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unusable_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_hole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_faults, setup, teardown),
    };
    return cmocka_run_group_tests_name("reiserfs", tests, NULL, NULL);
}
