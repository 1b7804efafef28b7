/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the ext driver on images built in memory: every mapping and directory form. */
#include <stdlib.h>
#include <string.h>

#include "extfix.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"

#define FT EB_IN_FILETYPE
#define EXT4 (EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT)

static uint8_t *payload(size_t n, unsigned seed)
{
    uint8_t *p = malloc(n ? n : 1);
    size_t i;

    assert_non_null(p);
    for (i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 2654435761u >> 13) ^ (uint8_t)seed;
    return p;
}

static void assert_file(struct extfix *f, const char *path, const void *want, size_t n)
{
    size_t len;
    int rc;
    char *got = xf_cat(f, path, &len, &rc);

    if (rc)
        fail_msg("%s: %s", path, pvb_ctx_msg(&f->t.c));
    assert_int_equal(len, n);
    assert_memory_equal(got, want, n);
    pvb_free(&f->t.c, got);
}

static void assert_link(struct extfix *f, const char *path, const char *want)
{
    char buf[4096];

    if (pvb_fs_readlink(f->fs, path, buf, sizeof(buf)) != 0)
        fail_msg("%s: %s", path, pvb_ctx_msg(&f->t.c));
    assert_string_equal(buf, want);
}

struct names {
    char all[1024];
};

static int add_name(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct names *n = arg;

    (void)ino;
    strcat(n->all, name);
    strcat(n->all, type == PVB_FT_DIR ? "/ " : " ");
    return 0;
}

static const char *list(struct extfix *f, const char *path)
{
    static struct names n;

    n.all[0] = '\0';
    if (pvb_fs_readdir(f->fs, path, add_name, &n) != 0)
        fail_msg("readdir %s: %s", path, pvb_ctx_msg(&f->t.c));
    return n.all;
}

/* A tree on each mapping: ext2 block maps (1 KiB), ext4 extents (4 KiB, checksums). */
static void check_tree(unsigned log_bs, unsigned isize, uint32_t incompat, uint32_t ro,
                       enum eb_how how)
{
    struct extfix *f = xf_new(log_bs, isize, 1024, 64, incompat, ro);
    size_t big = 40 * (1024u << log_bs) + 123;   /* past the 12 direct blocks */
    uint8_t *a = payload(big, 1), *b = payload(7, 2);
    struct pvb_fs_info info;
    struct pvb_stat st;
    char slow[200];
    uint32_t boot, grub;

    memset(slow, 's', sizeof(slow) - 1);
    slow[sizeof(slow) - 1] = '\0';
    slow[0] = '/';
    boot = eb_mkdir(&f->e, 2, "boot", how);
    grub = eb_mkdir(&f->e, boot, "grub", how);
    eb_file(&f->e, boot, "vmlinuz-1", a, big, how);
    eb_file(&f->e, grub, "grub.cfg", b, 7, how);
    eb_file(&f->e, boot, "empty", NULL, 0, how);
    eb_symlink(&f->e, boot, "vmlinuz", "vmlinuz-1", how);
    eb_symlink(&f->e, grub, "menu.lst", "../grub/./grub.cfg", how);
    eb_symlink(&f->e, 2, "slow", slow, how);
    eb_symlink(&f->e, 2, "k", "/boot/vmlinuz", how);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(f->t.c.nwarn, 0);
    pvb_fs_info(f->fs, &info);
    assert_string_equal(info.label, "pvbtest");
    assert_int_equal(info.block_size, 1024u << log_bs);
    assert_int_equal(info.uuid[0], 0xA0);
    /* Without filetype the entries carry no type (Linux ext2 treats it as unknown). */
    assert_string_equal(list(f, "/"), incompat & FT ? "boot/ slow k " : "boot slow k ");
    assert_string_equal(list(f, "/boot"), incompat & FT ? "grub/ vmlinuz-1 empty vmlinuz "
                                                        : "grub vmlinuz-1 empty vmlinuz ");
    assert_file(f, "/boot/vmlinuz-1", a, big);
    assert_file(f, "/k", a, big);                      /* two symlink hops */
    assert_file(f, "/boot/grub/menu.lst", b, 7);
    assert_file(f, "/boot/empty", "", 0);
    assert_link(f, "/slow", slow);                     /* a slow symlink: its own block */
    assert_link(f, "/boot/vmlinuz", "vmlinuz-1");
    assert_int_equal(pvb_fs_stat(f->fs, "/boot/grub", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(st.mode, 040755);
    assert_int_equal(st.nlink, 2);
    assert_int_equal(pvb_fs_lstat(f->fs, "/k", &st), 0);
    assert_int_equal(st.type, PVB_FT_LNK);
    assert_true(st.size == 13);
    assert_int_equal(pvb_fs_stat(f->fs, "/boot/nope", &st), PVB_ENOTFOUND);
    assert_int_equal(pvb_fs_stat(f->fs, "/boot/vmlinuz-1/x", &st), PVB_ENOTDIR);
    assert_int_equal(f->t.c.nwarn, 0);                 /* every checksum verified */
    free(a);
    free(b);
    assert_int_equal(xf_free(f), 0);
}

static void test_ext2_blockmap(void **state)
{
    (void)state;
    check_tree(0, 128, FT, 0, EB_BLOCKMAP);
    check_tree(2, 256, FT, 0, EB_BLOCKMAP);
    check_tree(0, 128, 0, 0, EB_BLOCKMAP);             /* no filetype: revision-0 style entries */
}

static void test_ext4_extents(void **state)
{
    (void)state;
    check_tree(2, 256, EXT4, EB_RO_METADATA_CSUM, EB_EXTENTS);
    check_tree(0, 256, EXT4, EB_RO_METADATA_CSUM, EB_EXTENTS);
    check_tree(2, 256, EB_IN_FILETYPE | EB_IN_EXTENTS, 0, EB_EXTENTS);   /* 32-byte descriptors */
}

static void test_inline(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 64, EXT4 | EB_IN_INLINE_DATA, EB_RO_METADATA_CSUM);
    uint8_t *a = payload(100, 3);
    char target[90];
    uint32_t d;

    (void)state;
    memset(target, 't', sizeof(target) - 1);
    target[sizeof(target) - 1] = '\0';
    d = eb_mkdir(&f->e, 2, "d", EB_INLINE);
    eb_file(&f->e, d, "short", a, 20, EB_INLINE);
    eb_file(&f->e, d, "long", a, 100, EB_INLINE);       /* 60 in i_block, 40 in system.data */
    eb_symlink(&f->e, 2, "l", target, EB_INLINE);
    eb_symlink(&f->e, 2, "tolong", "d/long", EB_BLOCKMAP);
    assert_int_equal(xf_mount(f), 0);
    assert_string_equal(list(f, "/d"), "short long ");
    assert_file(f, "/d/short", a, 20);
    assert_file(f, "/d/long", a, 100);
    assert_file(f, "/tolong", a, 100);
    assert_file(f, "/d/../d/./short", a, 20);
    assert_link(f, "/l", target);
    assert_int_equal(f->t.c.nwarn, 0);
    free(a);
    assert_int_equal(xf_free(f), 0);
}

/* Holes read as zeros at every level of a block map, and in an extent file. */
static void check_sparse(enum eb_how how, const uint32_t *lblk, size_t n, uint64_t size)
{
    struct extfix *f = xf_new(0, 128, 1024, 32, FT | (how == EB_EXTENTS ? EB_IN_EXTENTS : 0), 0);
    struct pvb_file *file;
    uint8_t buf[1024];
    size_t got, i, k;

    eb_sparse(&f->e, 2, "sparse", size, lblk, n, how);
    assert_int_equal(xf_mount(f), 0);
    f->t.c.lim.max_file_size = size;
    assert_int_equal(pvb_fs_open(f->fs, "/sparse", &file), 0);
    assert_true(file->st.size == size);
    for (i = 0; i < n; i++) {
        assert_int_equal(pvb_file_read(file, buf, 1024, (uint64_t)lblk[i] * 1024, &got), 0);
        assert_int_equal(got, 1024);
        for (k = 0; k < 1024; k++)
            assert_int_equal(buf[k], eb_pattern(lblk[i], k));
        /* The block before each is a hole. */
        assert_int_equal(pvb_file_read(file, buf, 1024, ((uint64_t)lblk[i] - 1) * 1024, &got), 0);
        for (k = 0; k < 1024; k++)
            assert_int_equal(buf[k], 0);
    }
    assert_int_equal(pvb_file_read(file, buf, 10, size - 10, &got), 0);
    assert_int_equal(got, 10);
    pvb_file_close(file);
    assert_int_equal(xf_free(f), 0);
}

static void test_sparse(void **state)
{
    /* 1 KiB blocks: 12 direct, 256 single, 65536 double, then triple indirect. */
    static const uint32_t bm[] = { 3, 12 + 5, 12 + 256 + 300, 12 + 256 + 65536 + 7,
                                   12 + 256 + 65536 + 70000 };
    static const uint32_t ex[] = { 1, 700, 100000, 3000000 };

    (void)state;
    check_sparse(EB_BLOCKMAP, bm, 5, (uint64_t)(12 + 256 + 65536 + 70001) * 1024 + 5);
    check_sparse(EB_EXTENTS, ex, 4, (uint64_t)3000001 * 1024);
}

/* A deep tree: each block its own extent; every block reads back, each node is read once. */
static void test_extent_tree(void **state)
{
    struct extfix *f = xf_new(0, 256, 1024, 32, EXT4, EB_RO_METADATA_CSUM);
    uint32_t nodes[64];
    unsigned nnodes, reads;
    struct pvb_file *file;
    uint8_t buf[1024];
    size_t got, k;
    uint32_t i;

    (void)state;
    eb_tree(&f->e, 2, "deep", 100, 3, 3, nodes, &nnodes);   /* 34 leaves, 12 + 4 index nodes */
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(pvb_fs_open(f->fs, "/deep", &file), 0);
    reads = pvb_disk_mem_reads(f->d);
    for (i = 0; i < 100; i++) {
        assert_int_equal(pvb_file_read(file, buf, 1024, (uint64_t)i * 1024, &got), 0);
        for (k = 0; k < 1024; k++)
            if (buf[k] != eb_pattern(i, k))
                fail_msg("block %u byte %zu", (unsigned)i, k);
    }
    /* 100 data reads plus each tree node once, not a walk from the root per block. */
    assert_int_equal(pvb_disk_mem_reads(f->d) - reads, 100 + nnodes);
    pvb_file_close(file);
    assert_int_equal(f->t.c.nwarn, 0);
    assert_int_equal(xf_free(f), 0);
}

/* Streaming: a contiguous file costs one disk read per call, memory stays flat. */
static void test_streaming(void **state)
{
    struct extfix *f;
    struct pvb_file *file;
    uint8_t *a = payload(600 * 1024, 9), buf[8192];
    size_t got, peak;
    unsigned reads, i;
    enum eb_how how;

    (void)state;
    for (how = EB_BLOCKMAP; how <= EB_EXTENTS; how++) {
        f = xf_new(0, 128, 1024, 32, how == EB_EXTENTS ? EXT4 : FT, 0);
        eb_file(&f->e, 2, "big", a, 600 * 1024, how);
        assert_int_equal(xf_mount(f), 0);
        assert_int_equal(pvb_fs_open(f->fs, "/big", &file), 0);
        peak = f->t.c.mem_used;
        reads = pvb_disk_mem_reads(f->d);
        for (i = 0; i < 75; i++) {
            assert_int_equal(pvb_file_read(file, buf, sizeof(buf), (uint64_t)i * sizeof(buf),
                                           &got), 0);
            assert_memory_equal(buf, a + (size_t)i * sizeof(buf), sizeof(buf));
        }
        /* A block map adds its single and double indirect blocks (and a read where a
         * run crosses one); extents need nothing past the inode. */
        assert_true(pvb_disk_mem_reads(f->d) - reads <= (how == EB_EXTENTS ? 75u : 75u + 8u));
        assert_true(f->t.c.mem_used - peak <= 4 * 1024);   /* three cached tree blocks */
        pvb_file_close(file);
        assert_int_equal(xf_free(f), 0);
    }
    free(a);
}

static void test_huge_sparse_read(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 32, EXT4, 0);
    static const uint32_t one[] = { 5 };
    struct pvb_file *file;
    uint8_t buf[4096];
    size_t got;

    (void)state;
    eb_sparse(&f->e, 2, "huge", (uint64_t)1 << 40, one, 1, EB_EXTENTS);
    assert_int_equal(xf_mount(f), 0);
    f->t.c.lim.max_file_size = (uint64_t)1 << 41;
    assert_int_equal(pvb_fs_open(f->fs, "/huge", &file), 0);
    /* The end of a 1 TiB file of holes: found without walking 2^28 blocks. */
    assert_int_equal(pvb_file_read(file, buf, sizeof(buf), ((uint64_t)1 << 40) - 100, &got), 0);
    assert_int_equal(got, 100);
    assert_int_equal(buf[0], 0);
    assert_int_equal(pvb_file_read(file, buf, sizeof(buf), 5 * 4096, &got), 0);
    assert_int_equal(buf[1], eb_pattern(5, 1));
    pvb_file_close(file);
    assert_int_equal(xf_free(f), 0);
}

static void test_unwritten_extent(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 32, EXT4, 0);
    uint8_t *a = payload(3 * 4096, 4), *in, zero[4096] = { 0 };
    uint32_t ino;
    size_t len;
    int rc;
    char *got;

    (void)state;
    ino = eb_file(&f->e, 2, "u", a, 3 * 4096, EB_EXTENTS);
    in = eb_inode(&f->e, ino);
    pvb_put_le16(in + 0x28 + 12 + 4, 32768 + 3);   /* ee_len > 32768: unwritten */
    assert_int_equal(xf_mount(f), 0);
    got = xf_cat(f, "/u", &len, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(len, 3 * 4096);
    assert_memory_equal(got, zero, 4096);
    assert_memory_equal(got + 8192, zero, 4096);
    pvb_free(&f->t.c, got);
    pvb_put_le16(in + 0x28 + 12 + 4, 32768);       /* exactly 32768: 32768 written blocks */
    assert_int_equal(xf_mount(f), 0);
    assert_null(xf_cat(f, "/u", &len, &rc));
    assert_int_equal(rc, PVB_ECORRUPT);
    assert_msg_has(&f->t.c, "data block 7 (+32768) is outside the filesystem");
    pvb_put_le16(in + 0x28 + 12 + 4, 3);
    assert_int_equal(xf_mount(f), 0);
    assert_file(f, "/u", a, 3 * 4096);
    free(a);
    assert_int_equal(xf_free(f), 0);
}

static void test_info_and_features(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 32, EXT4 | EB_IN_INLINE_DATA, EB_RO_METADATA_CSUM);
    struct pvb_fs_info info;

    (void)state;
    assert_int_equal(xf_mount(f), 0);
    pvb_fs_info(f->fs, &info);
    assert_string_equal(info.version, "ext4");
    assert_string_equal(info.features, "filetype extent 64bit inline_data metadata_csum");
    assert_int_equal(xf_free(f), 0);
    f = xf_new(0, 128, 64, 32, FT, 0);
    pvb_put_le32(eb_sb(&f->e) + 0x5C, 0x4);   /* has_journal */
    assert_int_equal(xf_mount(f), 0);
    pvb_fs_info(f->fs, &info);
    assert_string_equal(info.version, "ext3");
    assert_int_equal(xf_free(f), 0);
    f = xf_new(0, 128, 64, 32, FT, 0);
    assert_int_equal(xf_mount(f), 0);
    pvb_fs_info(f->fs, &info);
    assert_string_equal(info.version, "ext2");
    assert_int_equal(xf_free(f), 0);
}

/* metadata_csum with 128-byte inodes and with i_extra_isize 0: only the low 16 bits. */
static void test_short_inode_csum(void **state)
{
    struct extfix *f = xf_new(0, 128, 256, 32, EXT4, EB_RO_METADATA_CSUM);
    uint32_t a;

    (void)state;
    eb_file(&f->e, 2, "a", "abc", 3, EB_EXTENTS);
    assert_int_equal(xf_mount(f), 0);
    assert_file(f, "/a", "abc", 3);
    assert_int_equal(f->t.c.nwarn, 0);
    assert_int_equal(xf_free(f), 0);
    f = xf_new(0, 256, 256, 32, EXT4, EB_RO_METADATA_CSUM);
    a = eb_file(&f->e, 2, "a", "abc", 3, EB_EXTENTS);
    pvb_put_le16(eb_inode(&f->e, a) + 0x80, 0);
    assert_int_equal(xf_mount(f), 0);
    assert_file(f, "/a", "abc", 3);
    assert_int_equal(f->t.c.nwarn, 0);
    assert_int_equal(xf_free(f), 0);
}

/* The checksum seed kept in the superblock survives a UUID change (csum_seed). */
static void test_csum_seed(void **state)
{
    struct extfix *f = xf_new(0, 256, 256, 32, EXT4 | 0x2000, EB_RO_METADATA_CSUM);
    uint8_t *sb = eb_sb(&f->e);

    (void)state;
    eb_file(&f->e, 2, "a", "abc", 3, EB_EXTENTS);
    pvb_put_le32(sb + 0x270, pvb_crc32c_update(~0u, sb + 0x68, 16));
    eb_finish(&f->e);
    sb[0x68] ^= 0xFF;                                    /* a new UUID */
    pvb_put_le32(sb + 0x3FC, pvb_crc32c_update(~0u, sb, 0x3FC));
    assert_int_equal(xf_mount_raw(f), 0);
    assert_file(f, "/a", "abc", 3);
    assert_int_equal(f->t.c.nwarn, 0);
    assert_int_equal(xf_free(f), 0);
}

/* Other xattrs may come before system.data; without it an inline file is i_block only. */
static void test_inline_xattrs(void **state)
{
    struct extfix *f = xf_new(2, 256, 64, 32, EXT4 | EB_IN_INLINE_DATA, 0);
    uint8_t data[80], *x;
    uint32_t a, b;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i + 1);
    a = eb_file(&f->e, 2, "a", data, sizeof(data), EB_INLINE);
    b = eb_file(&f->e, 2, "b", data, 30, EB_INLINE);
    /* A "user.x" entry first; value offsets stay relative to the first entry. */
    x = eb_inode(&f->e, a) + 164;
    memmove(x + 20, x, 20);                              /* system.data: the second entry */
    memset(x, 0, 20);
    x[0] = 1;                                            /* name_len */
    x[1] = 1;                                            /* index 1: "user." */
    pvb_put_le16(x + 2, 48);                             /* 4 bytes of value at x + 48 */
    pvb_put_le32(x + 8, 4);
    x[16] = 'x';
    memset(eb_inode(&f->e, b) + 160, 0, 96);             /* no xattrs at all */
    assert_int_equal(xf_mount(f), 0);
    assert_file(f, "/a", data, sizeof(data));
    assert_file(f, "/b", data, 30);
    x[20 + 1] = 2;                                       /* system.data becomes trusted.data */
    assert_int_equal(xf_mount(f), 0);
    {
        size_t len;
        int rc;
        assert_null(xf_cat(f, "/a", &len, &rc));
        assert_int_equal(rc, PVB_ECORRUPT);
        assert_msg_has(&f->t.c, "80 bytes of inline data, only 60 stored");
    }
    assert_int_equal(xf_free(f), 0);
}

/* A fast symlink may own an xattr block; i_blocks then counts it (huge_file: in fs blocks). */
static void test_fast_symlink_blocks(void **state)
{
    struct extfix *f = xf_new(0, 256, 256, 32, EXT4, 0x8);   /* huge_file */
    uint32_t a, b, c;
    uint8_t *in;

    (void)state;
    a = eb_symlink(&f->e, 2, "a", "target-a", EB_EXTENTS);
    b = eb_symlink(&f->e, 2, "b", "target-b", EB_EXTENTS);
    c = eb_symlink(&f->e, 2, "c", "target-c", EB_EXTENTS);
    in = eb_inode(&f->e, a);
    pvb_put_le32(in + 0x68, 200);                        /* i_file_acl */
    pvb_put_le32(in + 0x1C, 2);                          /* one 1 KiB block in sectors */
    in = eb_inode(&f->e, b);
    pvb_put_le32(in + 0x68, 200);
    pvb_put_le32(in + 0x1C, 1);                          /* one fs block */
    pvb_put_le32(in + 0x20, 0x40000);                    /* EXT4_HUGE_FILE_FL */
    in = eb_inode(&f->e, c);
    pvb_put_le32(in + 0x1C, 2);                          /* blocks: an EA inode decides by size */
    pvb_put_le32(in + 0x20, 0x200000);
    assert_int_equal(xf_mount(f), 0);
    assert_link(f, "/a", "target-a");
    assert_link(f, "/b", "target-b");
    assert_link(f, "/c", "target-c");
    assert_int_equal(xf_free(f), 0);
}

/* Past what a map can address (2^32 blocks, or the triple-indirect end): holes. */
static void test_map_ends(void **state)
{
    static const uint32_t one[] = { 3 };
    struct extfix *f;
    struct pvb_file *file;
    uint8_t buf[16];
    size_t got;
    enum eb_how how;

    (void)state;
    for (how = EB_BLOCKMAP; how <= EB_EXTENTS; how++) {
        f = xf_new(0, 128, 64, 32, how == EB_EXTENTS ? EXT4 : FT, 0);
        eb_sparse(&f->e, 2, "s", (uint64_t)1 << 43, one, 1, how);   /* 2^33 blocks */
        assert_int_equal(xf_mount(f), 0);
        f->t.c.lim.max_file_size = (uint64_t)1 << 43;
        assert_int_equal(pvb_fs_open(f->fs, "/s", &file), 0);
        assert_int_equal(pvb_file_read(file, buf, sizeof(buf), ((uint64_t)1 << 42) + 5, &got), 0);
        assert_int_equal(got, sizeof(buf));
        assert_int_equal(buf[0] | buf[15], 0);
        assert_int_equal(pvb_file_read(file, buf, sizeof(buf), (uint64_t)1 << 36, &got), 0);
        assert_int_equal(buf[0] | buf[15], 0);               /* past 12 + 256 + 256^2 + 256^3 */
        assert_int_equal(pvb_file_read(file, buf, sizeof(buf), 3 * 1024, &got), 0);
        assert_int_equal(buf[1], eb_pattern(3, 1));
        pvb_file_close(file);
        assert_int_equal(xf_free(f), 0);
    }
}

/* An index whose first key is past block 0 leaves a hole before it. */
static void test_index_hole(void **state)
{
    struct extfix *f = xf_new(0, 256, 256, 32, EXT4, 0);
    uint32_t nodes[4], n, k;
    unsigned nn;
    uint8_t *leaf, buf[1024];
    struct pvb_file *file;
    size_t got;

    (void)state;
    n = eb_tree(&f->e, 2, "t", 4, 1, 4, nodes, &nn);
    leaf = eb_blockp(&f->e, nodes[0]);
    for (k = 0; k < 4; k++)
        pvb_put_le32(leaf + 12 + 12 * k, k + 2);
    pvb_put_le32(eb_inode(&f->e, n) + 0x28 + 12, 2);
    pvb_put_le32(eb_inode(&f->e, n) + 0x04, 6 * 1024);
    assert_int_equal(xf_mount(f), 0);
    assert_int_equal(pvb_fs_open(f->fs, "/t", &file), 0);
    assert_int_equal(pvb_file_read(file, buf, 1024, 1024, &got), 0);
    assert_int_equal(buf[0] | buf[1023], 0);
    assert_int_equal(pvb_file_read(file, buf, 1024, 5 * 1024, &got), 0);
    assert_int_equal(buf[7], eb_pattern(3, 7));
    pvb_file_close(file);
    assert_int_equal(xf_free(f), 0);
}

/* A hole in a directory holds no entries (Linux ext4_readdir skips it). */
static void test_dir_hole(void **state)
{
    struct extfix *f = xf_new(0, 128, 256, 32, FT, 0);
    uint32_t d, b;
    uint8_t *blk, *in;

    (void)state;
    d = eb_mkdir(&f->e, 2, "d", EB_BLOCKMAP);
    eb_file(&f->e, d, "first", "1", 1, EB_BLOCKMAP);
    b = eb_alloc(&f->e, 1);
    blk = eb_blockp(&f->e, b);
    pvb_put_le32(blk, eb_file(&f->e, 2, "tmp", "3", 1, EB_BLOCKMAP));
    pvb_put_le16(blk + 4, 1024);
    blk[6] = 5;
    blk[7] = 1;
    memcpy(blk + 8, "third", 5);
    in = eb_inode(&f->e, d);
    pvb_put_le32(in + 0x28 + 8, b);                      /* blocks 0 and 2; 1 is a hole */
    pvb_put_le32(in + 0x04, 3 * 1024);
    assert_int_equal(xf_mount(f), 0);
    assert_string_equal(list(f, "/d"), "first third ");
    assert_file(f, "/d/third", "3", 1);
    assert_int_equal(xf_free(f), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext2_blockmap),
        cmocka_unit_test(test_ext4_extents),
        cmocka_unit_test(test_inline),
        cmocka_unit_test(test_sparse),
        cmocka_unit_test(test_extent_tree),
        cmocka_unit_test(test_streaming),
        cmocka_unit_test(test_huge_sparse_read),
        cmocka_unit_test(test_unwritten_extent),
        cmocka_unit_test(test_info_and_features),
        cmocka_unit_test(test_short_inode_csum),
        cmocka_unit_test(test_csum_seed),
        cmocka_unit_test(test_inline_xattrs),
        cmocka_unit_test(test_fast_symlink_blocks),
        cmocka_unit_test(test_map_ends),
        cmocka_unit_test(test_index_hole),
        cmocka_unit_test(test_dir_hole),
    };
    return cmocka_run_group_tests_name("ext", tests, NULL, NULL);
}
