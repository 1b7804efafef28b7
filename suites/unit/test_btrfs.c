/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/fs/btrfs and ref/util/lzo: an mkfs.btrfs image poked per hostile case, LZO1X streams by hand. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/btrfs.h"
#include "fs/fs.h"
#include "extbuild.h"
#include "testlib.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/lzo.h"

/* The image every test starts from: mkfs.btrfs --rootdir --shrink, 4 KiB nodes, SINGLE
 * metadata, made once (no btrfs-progs: the btrfs tests are skipped). Room is left after
 * it for a superblock mirror at 64 MiB. */
#define MIRROR1 ((size_t)64 << 20)
static uint8_t *base;
static size_t base_len, img_len;
static size_t cur_len;              /* the size of the image mounted last */

static struct test_ctx t;
static uint8_t *img;
static struct pvb_disk *disk;
static struct pvb_fs *fs;

#define BIG_LEN 300000u
#define INL_LEN 60u

static void pattern(uint8_t *p, size_t n, unsigned seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + seed * 13 + (i >> 12));
}

static int write_file(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(buf, 1, n, f) == n;

    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int group_setup(void **state)
{
    char dir[] = "/tmp/pvb-btrfs-unit.XXXXXX", cmd[1024], path[512];
    uint8_t *big = malloc(BIG_LEN);
    FILE *f;
    long n;
    int i;

    (void)state;
    if (!big || !mkdtemp(dir))
        return -1;
    pattern(big, BIG_LEN, 1);
    snprintf(cmd, sizeof(cmd), "mkdir -p %s/t/d && echo hello > %s/t/small && ln -s small "
             "%s/t/link && printf '%%060d' 7 > %s/t/inline", dir, dir, dir, dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/t/big", dir);
    if (write_file(path, big, BIG_LEN) != 0)
        return -1;
    free(big);
    for (i = 0; i < 120; i++) {
        char body[32];

        snprintf(path, sizeof(path), "%s/t/d/entry-%d", dir, i);
        snprintf(body, sizeof(body), "file %d\n", i);
        if (write_file(path, body, strlen(body)) != 0)
            return -1;
    }
    snprintf(cmd, sizeof(cmd), "cd %s && truncate -s 128M i.img && mkfs.btrfs -q -f -n 4096 -m "
             "single --shrink -L unit -U 5eed0000-0000-4000-8000-0000000000b7 -r t i.img "
             ">/dev/null 2>&1", dir);
    if (system(cmd) == 0) {
        snprintf(path, sizeof(path), "%s/i.img", dir);
        f = fopen(path, "rb");
        if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
            base_len = (size_t)n;
            img_len = base_len > MIRROR1 + 65536 ? base_len : MIRROR1 + 65536;
            base = calloc(1, img_len);
            if (base && fread(base, 1, base_len, f) != base_len) {
                free(base);
                base = NULL;
            }
        }
        if (f)
            fclose(f);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    (void)system(cmd);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(base);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    test_ctx_init(&t);
    disk = NULL;
    fs = NULL;
    img = NULL;
    if (!base)
        return 0;
    img = malloc(img_len);
    if (!img)
        return -1;
    memcpy(img, base, img_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    free(img);
    assert_int_equal(t.c.mem_used, 0);
    return 0;
}

#define NEED_IMAGE() do { if (!base) skip(); } while (0)

/* Mount the image as it is now; the image's size: what mkfs made. */
static int mount_len(size_t len)
{
    pvb_fs_umount(fs);
    pvb_disk_close(disk);
    fs = NULL;
    disk = NULL;
    cur_len = len;
    assert_int_equal(pvb_disk_open_mem(&t.c, img, len, &disk), 0);
    return pvb_fs_mount(disk, &fs);
}

static int mount(void)
{
    return mount_len(base_len);
}

static struct pvb_btrfs *bfs(void)
{
    assert_non_null(fs);
    assert_string_equal(fs->ops->name, "btrfs");
    return fs->priv;   /* struct bt_fs starts with its struct pvb_btrfs */
}

static uint8_t *at_logical(uint64_t log)
{
    uint64_t phys;

    assert_int_equal(pvb_bt_map(bfs(), log, 1, 0, &phys), 0);
    assert_true(phys < cur_len);
    return img + phys;
}

static void node_fix(uint64_t log)
{
    uint8_t *n = at_logical(log);

    pvb_put_le32(n, pvb_crc32c(n + 32, bfs()->nodesize - 32));
}

static void sb_fix(size_t off)
{
    pvb_put_le32(img + off, pvb_crc32c(img + off + 32, 4096 - 32));
}

/* A leaf item of a tree, found through the driver's own search: its header and body. */
struct where {
    uint64_t node;        /* the leaf's logical address */
    uint8_t *hdr, *body;
};

static void find(const struct bt_root *r, uint64_t obj, unsigned type, uint64_t off,
                 struct where *w)
{
    struct bt_path p;
    struct bt_item it;
    struct bt_key k;
    uint8_t *leaf;

    k.obj = obj;
    k.type = type;
    k.off = off;
    pvb_bt_path_init(bfs(), &p, r);
    assert_int_equal(pvb_bt_search_ge(&p, &k, &it), 0);
    assert_true(it.key.obj == obj && it.key.type == type);
    w->node = p.lv[0].bytenr;
    leaf = at_logical(w->node);
    w->hdr = leaf + BT_HDR + BT_ITEM * p.lv[0].pos;
    w->body = leaf + BT_HDR + pvb_le32(w->hdr + 17);
    pvb_bt_path_free(&p);
}

static struct bt_root tree_root(void)
{
    struct bt_root r;

    r.id = 1;
    r.bytenr = bfs()->root;
    r.level = bfs()->root_level;
    return r;
}

static struct bt_root fs_tree(void)
{
    struct bt_root rt = tree_root(), r;
    struct where w;

    find(&rt, 5, BT_ROOT_ITEM, 0, &w);
    r.id = 5;
    r.bytenr = pvb_le64(w.body + 176);
    r.level = w.body[238];
    return r;
}

/* The object id of a name in the root directory. */
static uint64_t obj_of(const char *name)
{
    struct pvb_stat st;

    assert_int_equal(pvb_fs_lstat(fs, name, &st), 0);
    return st.ino & (((uint64_t)1 << 48) - 1);
}

/* Mount the image as it is now and find path's extent item at file offset 0. */
static void extent_of(const char *path, struct where *w)
{
    struct bt_root r;

    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, obj_of(path), BT_EXTENT_DATA, 0, w);
}

static int cat_cmp(const char *path, const uint8_t *want, size_t n)
{
    return test_fs_cat_cmp(fs, path, want, n);
}

static int cat_rc(const char *path)
{
    struct pvb_file *f;
    uint8_t buf[4096];
    size_t got;
    int rc = pvb_fs_open(fs, path, &f);

    if (rc)
        return rc;
    rc = pvb_file_read(f, buf, sizeof(buf), 0, &got);
    pvb_file_close(f);
    return rc;
}

/* After poking the leaf at node: mount, read path, and expect rc with msg in the message. */
static void expect_read(uint64_t node, const char *path, int rc, const char *msg)
{
    node_fix(node);
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_rc(path), rc);
    if (msg)
        assert_msg_has(&t.c, msg);
}

static int count_one(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    (void)name;
    (void)ino;
    (void)type;
    ++*(unsigned *)arg;
    return 0;
}

/* ---- reading a good image ------------------------------------------------------ */

static void test_read(void **state)
{
    uint8_t *big = malloc(BIG_LEN);
    struct pvb_fs_info info;
    struct pvb_stat st;
    char link[64], path[64];
    unsigned n = 0, i;
    uint64_t id;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    pattern(big, BIG_LEN, 1);
    assert_int_equal(cat_cmp("/big", big, BIG_LEN), 0);
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"hello\n", 6), 0);
    assert_int_equal(cat_cmp("/link", (const uint8_t *)"hello\n", 6), 0);
    assert_int_equal(pvb_fs_readlink(fs, "/link", link, sizeof(link)), 0);
    assert_string_equal(link, "small");
    assert_int_equal(pvb_fs_stat(fs, "/d", &st), 0);
    assert_int_equal(st.type, PVB_FT_DIR);
    assert_int_equal(pvb_fs_readdir(fs, "/d", count_one, &n), 0);
    assert_int_equal(n, 120);
    for (i = 0; i < 120; i += 7) {
        char want[32];

        snprintf(path, sizeof(path), "/d/entry-%u", i);
        snprintf(want, sizeof(want), "file %u\n", i);
        assert_int_equal(cat_cmp(path, (const uint8_t *)want, strlen(want)), 0);
    }
    assert_int_equal(pvb_fs_stat(fs, "/d/entry-120", &st), PVB_ENOTFOUND);
    pvb_fs_info(fs, &info);
    assert_string_equal(info.driver, "btrfs");
    assert_string_equal(info.label, "unit");
    assert_string_equal(info.uuid_str, "5eed0000-0000-4000-8000-0000000000b7");
    assert_int_equal(info.block_size, 4096);
    /* no "default" entry: the top level; its path is "/" */
    assert_int_equal(pvb_btrfs_default_subvol(fs, &id), 0);
    assert_int_equal(id, 5);
    assert_int_equal(pvb_btrfs_subvol_path(fs, id, path, sizeof(path)), 0);
    assert_string_equal(path, "/");
    assert_int_equal(pvb_btrfs_set_root_id(fs, 999), PVB_ENOTFOUND);
    assert_int_equal(pvb_btrfs_set_root_path(fs, "/d"), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "is not a subvolume");
    assert_int_equal(pvb_btrfs_set_root_id(fs, 5), 0);
    assert_int_equal(t.c.nwarn, 0);
    free(big);
}

/* A NO_HOLES gap: /big's first extent cut to 4 KiB, no item after it for the file: the
 * rest up to i_size reads as zeros (btrfs's implicit holes, fs/btrfs/file-item.c). */
static void test_noholes_gap(void **state)
{
    uint8_t *want = malloc(BIG_LEN);
    struct where w;

    (void)state;
    NEED_IMAGE();
    assert_non_null(want);
    pattern(want, BIG_LEN, 1);
    memset(want + 4096, 0, BIG_LEN - 4096);
    extent_of("/big", &w);
    pvb_put_le64(w.body + 45, 4096);   /* num_bytes */
    node_fix(w.node);
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/big", want, BIG_LEN), 0);
    free(want);
}

/* Extent items whose shape no kernel writes: a regular extent in an inline item's 27
 * bytes; an extent starting at byte 1 that runs past 2^64 (the byte before it a gap). */
static void test_extent_items(void **state)
{
    struct where w;

    (void)state;
    NEED_IMAGE();
    extent_of("/small", &w);
    w.body[20] = 1;   /* regular, in 21 + 6 bytes */
    expect_read(w.node, "/small", PVB_ECORRUPT, "extent item at 0 of 27 bytes");
    memcpy(img, base, img_len);
    extent_of("/big", &w);
    pvb_put_le64(w.hdr + 9, 1);            /* key offset 1: still after the inode's items */
    pvb_put_le64(w.body + 21, 0);          /* a hole, so no disk bound applies */
    pvb_put_le64(w.body + 45, UINT64_MAX);
    expect_read(w.node, "/big", PVB_ECORRUPT, "extent at 1 of 18446744073709551615 bytes runs "
                "past 2^64");
}

/* The node cache: a node accepted is read once per mount (a change to the disk under
 * a mount is not seen); one accepted with a bad checksum is warned about once. */
static void test_node_cache(void **state)
{
    struct where w;
    unsigned n;

    (void)state;
    NEED_IMAGE();
    extent_of("/small", &w);
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"hello\n", 6), 0);
    w.body[21] = 'j';   /* the inline data; the checksum is not fixed */
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"hello\n", 6), 0);
    assert_int_equal(t.c.nwarn, 0);
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"jello\n", 6), 0);
    assert_true(t.c.nwarn >= 1);
    assert_true(test_warned(&t, "crc32c"));
    n = t.c.nwarn;
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"jello\n", 6), 0);
    assert_int_equal(t.c.nwarn, n);
}

/* A small image of a tree holding /small, made by mkfs.btrfs with metadata profile
 * prof; malloc()ed, its size in *len; NULL without btrfs-progs. */
static uint8_t *mkfs_small(const char *prof, size_t *len)
{
    char dir[] = "/tmp/pvb-btrfs-dup.XXXXXX", cmd[1024], path[512];
    uint8_t *b = NULL;
    FILE *f;
    long n;

    if (!mkdtemp(dir))
        return NULL;
    snprintf(cmd, sizeof(cmd), "cd %s && mkdir t && echo hello > t/small && truncate -s 128M i.img && "
             "mkfs.btrfs -q -f -n 4096 -m %s -r t i.img >/dev/null 2>&1", dir, prof);
    if (system(cmd) == 0) {
        snprintf(path, sizeof(path), "%s/i.img", dir);
        f = fopen(path, "rb");
        if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (b = malloc((size_t)n)) != NULL && fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        }
        if (b)
            *len = (size_t)n;
        if (f)
            fclose(f);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    (void)system(cmd);
    return b;
}

/* DUP metadata: a node whose first copy is damaged is read from the second, without a
 * word; with both damaged, the first is taken as it is (GRUB checks no checksum). */
static void test_dup_copies(void **state)
{
    uint64_t phys[2];
    struct bt_root r;
    size_t len = 0;
    uint8_t *dup;
    unsigned c;

    (void)state;
    NEED_IMAGE();
    if (!(dup = mkfs_small("dup", &len)))
        skip();
    free(img);
    img = dup;
    assert_int_equal(mount_len(len), 0);
    r = fs_tree();
    for (c = 0; c < 2; c++) {
        assert_int_equal(pvb_bt_map(bfs(), r.bytenr, 4096, c, &phys[c]), 0);
        assert_true(phys[c] < len);
    }
    assert_true(phys[0] != phys[1]);
    assert_int_equal(pvb_bt_node_check(bfs(), img + phys[1], r.bytenr, r.level), 0);
    img[phys[0] + 4095] ^= 0x55;   /* copy 0: its checksum no longer matches */
    assert_int_equal(mount_len(len), 0);
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"hello\n", 6), 0);
    assert_int_equal(t.c.nwarn, 0);
    img[phys[1] + 4095] ^= 0x55;   /* and copy 1 */
    assert_int_equal(mount_len(len), 0);
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"hello\n", 6), 0);
    assert_true(test_warned(&t, "no copy of 2 passes its checks"));
    assert_true(test_warned(&t, "crc32c"));
}

/* The subvolume calls: ids that no subvolume can have, paths, and a filesystem that is not btrfs. */
static void test_subvol_calls(void **state)
{
    uint8_t *e2;
    struct pvb_disk *d2 = NULL;
    struct pvb_fs *f2 = NULL;
    struct eb e;
    uint64_t id;
    char buf[64];

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_btrfs_set_root_id(fs, 3), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "btrfs: 3 is not a subvolume id");
    assert_int_equal(pvb_btrfs_set_root_id(fs, UINT64_MAX), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "is not a subvolume id");
    assert_int_equal(pvb_btrfs_set_root_path(fs, "/missing"), PVB_ENOTFOUND);
    assert_int_equal(pvb_btrfs_set_root_path(fs, "/"), 0);
    assert_int_equal(cat_cmp("/small", (const uint8_t *)"hello\n", 6), 0);
    /* an ext2 volume */
    eb_new(&e, 0, 128, 256, 32, EB_IN_FILETYPE, 0);
    eb_finish(&e);
    e2 = e.img;
    assert_int_equal(pvb_disk_open_mem(&t.c, e2, e.size, &d2), 0);
    assert_int_equal(pvb_fs_mount(d2, &f2), 0);
    assert_int_equal(pvb_btrfs_default_subvol(f2, &id), PVB_EINVAL);
    assert_msg_has(&t.c, "ext: not a btrfs filesystem");
    assert_int_equal(pvb_btrfs_set_root_id(f2, 5), PVB_EINVAL);
    assert_int_equal(pvb_btrfs_set_root_path(f2, "/"), PVB_EINVAL);
    assert_int_equal(pvb_btrfs_subvol_path(f2, 5, buf, sizeof(buf)), PVB_EINVAL);
    assert_msg_has(&t.c, "not a btrfs filesystem");
    pvb_fs_umount(f2);
    pvb_disk_close(d2);
    eb_free(&e);
}

/* ---- superblocks ------------------------------------------------------------------ */

static void test_sb_bad_csum(void **state)
{
    (void)state;
    NEED_IMAGE();
    img[65536 + 0x12b] ^= 1;   /* the label, checksum not fixed; no mirror in 22 MiB */
    assert_int_equal(mount(), PVB_ECHECKSUM);
    assert_msg_has(&t.c, "btrfs: superblock at 64 KiB: bad crc32c, and no valid mirror");
}

static void test_sb_mirror(void **state)
{
    struct pvb_fs_info info;

    (void)state;
    NEED_IMAGE();
    /* a mirror at 64 MiB with a newer generation and another label wins; then the primary
     * going bad leaves the mirror */
    memcpy(img + MIRROR1, img + 65536, 4096);
    pvb_put_le64(img + MIRROR1 + 0x30, MIRROR1);
    memcpy(img + MIRROR1 + 0x12b, "mirror", 7);
    sb_fix(MIRROR1);
    assert_int_equal(mount_len(img_len), 0);
    pvb_fs_info(fs, &info);
    assert_string_equal(info.label, "unit");     /* the same generation: the first found */
    pvb_put_le64(img + MIRROR1 + 0x48, pvb_le64(img + MIRROR1 + 0x48) + 1);
    sb_fix(MIRROR1);
    assert_int_equal(mount_len(img_len), 0);
    pvb_fs_info(fs, &info);
    assert_string_equal(info.label, "mirror");   /* a newer generation */
    img[65536 + 0x12b] ^= 1;
    assert_int_equal(mount_len(img_len), 0);
    pvb_fs_info(fs, &info);
    assert_string_equal(info.label, "mirror");
    assert_true(test_warned(&t, "using the mirror at 67108864"));
    /* a mirror that names another place is no mirror */
    pvb_put_le64(img + MIRROR1 + 0x30, 65536);
    sb_fix(MIRROR1);
    assert_int_equal(mount_len(img_len), PVB_ECHECKSUM);
}

static void test_sb_fields(void **state)
{
    (void)state;
    NEED_IMAGE();
    pvb_put_le16(img + 65536 + 0xc4, 2);
    sb_fix(65536);
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "btrfs: checksum type 2 (sha256): only crc32c is read");
    memcpy(img, base, base_len);
    img[65536 + 0xc6] = 200;   /* root level */
    sb_fix(65536);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "root level 200");
    memcpy(img, base, base_len);
    pvb_put_le32(img + 65536 + 0x94, 3000);   /* node size */
    sb_fix(65536);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "node size 3000");
    memcpy(img, base, base_len);
    img[65536 + 0xbd] |= 0x10;   /* incompat 0x1000: zoned */
    sb_fix(65536);
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "(zoned)");
    memcpy(img, base, base_len);
    pvb_put_le64(img + 65536 + 0x88, 2);   /* two devices */
    sb_fix(65536);
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "only single-device");
    memcpy(img, base, base_len);
    pvb_put_le64(img + 65536 + 0x50, 0);   /* the root tree at logical 0, level 1: a path */
    img[65536 + 0xc6] = 1;                 /* slot holding address 0 was "loaded" (fuzz_btrfs) */
    sb_fix(65536);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "logical address 0 is in no chunk");
    memcpy(img, base, base_len);
    memcpy(img + 65536 + 0x40, "_BHRfS_X", 8);
    assert_int_equal(mount(), PVB_ENOTMINE);
}

/* ---- the chunk map ---------------------------------------------------------------- */

static void test_chunk_overlap(void **state)
{
    uint8_t *sb;
    uint32_t n;

    (void)state;
    NEED_IMAGE();
    sb = img + 65536;
    n = pvb_le32(sb + 0xa0);
    /* the first bootstrap chunk again, 4 KiB further on */
    memcpy(sb + 0x32b + n, sb + 0x32b, n);
    pvb_put_le64(sb + 0x32b + n + 9, pvb_le64(sb + 0x32b + 9) + 4096);
    pvb_put_le32(sb + 0xa0, 2 * n);
    sb_fix(65536);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "overlaps the chunk at");
}

static void test_chunk_loop(void **state)
{
    uint64_t fsroot;

    (void)state;
    NEED_IMAGE();
    /* The chunk tree's root placed in a chunk that only the chunk tree maps. */
    assert_int_equal(mount(), 0);
    fsroot = fs_tree().bytenr;
    pvb_put_le64(img + 65536 + 0x58, fsroot);
    sb_fix(65536);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "is outside the superblock's system chunks");
}

static void test_chunk_raid(void **state)
{
    uint8_t *ch;

    (void)state;
    NEED_IMAGE();
    ch = img + 65536 + 0x32b + 17;
    pvb_put_le64(ch + 24, pvb_le64(ch + 24) | BT_BG_RAID1);
    sb_fix(65536);
    assert_int_equal(mount(), PVB_EUNSUPPORTED);
    assert_msg_has(&t.c, "is RAID1, which spans devices: only SINGLE and DUP are read");
    memcpy(img, base, base_len);
    pvb_put_le64(ch + 24, pvb_le64(ch + 24) | BT_BG_DUP);   /* DUP with one stripe */
    sb_fix(65536);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "has 1 stripes, not 2");
}

/* ---- tree nodes ----------------------------------------------------------------- */

static void test_node_level(void **state)
{
    struct bt_root r;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    at_logical(r.bytenr)[0x64] = 200;
    node_fix(r.bytenr);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "level is not the one its parent implies (200, ");
}

static void test_key_order(void **state)
{
    struct bt_root r;
    struct where w;
    uint8_t tmp[BT_KEY];

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, 256, BT_INODE_ITEM, 0, &w);
    /* the root directory's inode item and the item after it swap keys */
    memcpy(tmp, w.hdr, BT_KEY);
    memcpy(w.hdr, w.hdr + BT_ITEM, BT_KEY);
    memcpy(w.hdr + BT_ITEM, tmp, BT_KEY);
    node_fix(w.node);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "keys out of order at items");
}

static void test_node_checks(void **state)
{
    struct bt_root r;
    uint8_t *n;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    n = at_logical(r.bytenr);
#define FIX() pvb_put_le32(n, pvb_crc32c(n + 32, 4096 - 32))
    /* a bad checksum: a warning, an error with PVB_CTX_STRICT */
    n[0x50] ^= 1;
    assert_int_equal(mount(), 0);
    assert_true(test_warned(&t, "crc32c"));
    t.c.flags |= PVB_CTX_STRICT;
    assert_int_equal(mount(), PVB_ECHECKSUM);
    t.c.flags = 0;
    n[0x50] ^= 1;
    /* another filesystem's node */
    n[0x20] ^= 1;
    FIX();
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "fsid is not the filesystem's");
    n[0x20] ^= 1;
    /* a node that names another address */
    pvb_put_le64(n + 0x30, r.bytenr + 4096);
    FIX();
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "header names another address");
    pvb_put_le64(n + 0x30, r.bytenr);
    /* more items than a node holds */
    pvb_put_le32(n + 0x60, 4096);
    FIX();
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "item count out of range");
#undef FIX
}

static void test_item_bounds(void **state)
{
    struct bt_root r;
    struct where w;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, 256, BT_INODE_ITEM, 0, &w);
    pvb_put_le32(w.hdr + 21, 5000);   /* its size past the leaf */
    node_fix(w.node);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "is outside the leaf or not packed");
}

/* ---- extents ------------------------------------------------------------------------- */

static void test_compressed_4g(void **state)
{
    struct bt_root r;
    struct where w;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, obj_of("/big"), BT_EXTENT_DATA, 0, &w);
    w.body[16] = 1;                                   /* zlib */
    pvb_put_le64(w.body + 8, (uint64_t)4 << 30);      /* ram_bytes */
    expect_read(w.node, "/big", PVB_ECORRUPT, "claims 4294967296 bytes");
    assert_msg_has(&t.c, "btrfs compresses at most 131072");
    assert_int_equal(t.c.used[PVB_BUDGET_INFLATE], 0);
}

/* After poking the leaf at node: 4 KiB of /big at off read as zeros. */
static void expect_zeros(uint64_t node, uint64_t off)
{
    uint8_t buf[4096], zero[4096];
    struct pvb_file *f;
    size_t got;

    memset(zero, 0, sizeof(zero));
    node_fix(node);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_open(fs, "/big", &f), 0);
    assert_int_equal(pvb_file_read(f, buf, sizeof(buf), off, &got), 0);
    pvb_file_close(f);
    assert_memory_equal(buf, zero, sizeof(buf));
}

static void test_prealloc_hole(void **state)
{
    struct bt_root r;
    struct where w;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, obj_of("/big"), BT_EXTENT_DATA, 0, &w);
    w.body[20] = 2;   /* prealloc: zeros */
    expect_zeros(w.node, 8192);
    w.body[20] = 1;
    pvb_put_le64(w.body + 21, 0);   /* disk_bytenr 0: a hole */
    expect_zeros(w.node, 100000);
    /* an extent using bytes past its disk extent */
    pvb_put_le64(w.body + 21, 1 << 20);
    pvb_put_le64(w.body + 37, (uint64_t)1 << 40);
    expect_read(w.node, "/big", PVB_ECORRUPT, "uses bytes");
}

/* A literal-only LZO1X stream of n bytes of src; its length. */
static size_t lzo_literals(uint8_t *out, const uint8_t *src, size_t n)
{
    size_t k = 0, rest;

    if (n <= 238) {
        out[k++] = (uint8_t)(17 + n);
    } else {
        out[k++] = 0;                  /* 0000LLLL, L = 0: 18 + 255 * zeros + last */
        for (rest = n - 18; rest > 255; rest -= 255)
            out[k++] = 0;
        out[k++] = (uint8_t)rest;
    }
    memcpy(out + k, src, n);
    k += n;
    out[k++] = 0x11;
    out[k++] = 0;
    out[k++] = 0;
    return k;
}

/* The inline file's extent rewritten as btrfs LZO: 48 bytes in one segment of 60. */
static void test_lzo_inline(void **state)
{
    uint8_t want[48];
    struct bt_root r;
    struct where w, ino;
    uint64_t obj;
    size_t s;

    (void)state;
    NEED_IMAGE();
    pattern(want, sizeof(want), 5);
    assert_int_equal(mount(), 0);
    r = fs_tree();
    obj = obj_of("/inline");
    find(&r, obj, BT_EXTENT_DATA, 0, &w);
    assert_int_equal(pvb_le32(w.hdr + 21), 21 + INL_LEN);
    w.body[16] = 2;
    pvb_put_le64(w.body + 8, sizeof(want));
    s = lzo_literals(w.body + 21 + 8, want, sizeof(want));
    assert_int_equal(s + 8, INL_LEN);
    pvb_put_le32(w.body + 21, INL_LEN);
    pvb_put_le32(w.body + 25, (uint32_t)s);
    find(&r, obj, BT_INODE_ITEM, 0, &ino);
    pvb_put_le64(ino.body + 16, sizeof(want));
    node_fix(w.node);
    node_fix(ino.node);
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/inline", want, sizeof(want)), 0);
    /* a segment running past the extent */
    pvb_put_le32(w.body + 25, 100);
    expect_read(w.node, "/inline", PVB_ECORRUPT, "runs past the extent's 60");
    /* a bad stream inside */
    pvb_put_le32(w.body + 25, (uint32_t)s);
    memcpy(w.body + 21 + 8, "\x12x\x28\x14\x00", 5);   /* 'x', then 2 bytes from 6 back */
    expect_read(w.node, "/inline", PVB_ECORRUPT, "a match before the start of the output");
}

/* The big file's first extent replaced by a compressed one of n bytes written at its
 * disk place; the file shrunk to want_len. */
static void compress_big(const uint8_t *data, size_t n, unsigned comp, size_t ram)
{
    struct bt_root r = fs_tree();
    struct where w, ino;
    uint64_t obj = obj_of("/big");

    find(&r, obj, BT_EXTENT_DATA, 0, &w);
    memcpy(at_logical(pvb_le64(w.body + 21)), data, n);
    w.body[16] = (uint8_t)comp;
    pvb_put_le64(w.body + 8, ram);
    pvb_put_le64(w.body + 29, 8192);   /* disk_num_bytes */
    pvb_put_le64(w.body + 37, 0);
    pvb_put_le64(w.body + 45, ram);
    find(&r, obj, BT_INODE_ITEM, 0, &ino);
    pvb_put_le64(ino.body + 16, ram);
    node_fix(w.node);
    node_fix(ino.node);
}

/* Two LZO segments, the first ending 2 bytes before a 4 KiB boundary: the second's header
 * starts on the next page (fs/btrfs/lzo.c never lets a header cross one). */
static void test_lzo_pages(void **state)
{
    static uint8_t buf[8192], want[4066 + 100];
    size_t s1, s2;

    (void)state;
    NEED_IMAGE();
    pattern(want, sizeof(want), 9);
    memset(buf, 0xee, sizeof(buf));
    s1 = lzo_literals(buf + 8, want, 4066);
    assert_int_equal(8 + s1, 4094);
    pvb_put_le32(buf + 4, (uint32_t)s1);
    s2 = lzo_literals(buf + 4096 + 4, want + 4066, 100);
    pvb_put_le32(buf + 4096, (uint32_t)s2);
    pvb_put_le32(buf, (uint32_t)(4096 + 4 + s2));
    assert_int_equal(mount(), 0);
    compress_big(buf, sizeof(buf), 2, sizeof(want));
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/big", want, sizeof(want)), 0);
    assert_int_equal(t.c.used[PVB_BUDGET_INFLATE], sizeof(want));
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

/* zlib: one stored deflate block in a zlib stream; then the stream cut short. */
static void test_zlib_extent(void **state)
{
    static uint8_t buf[8192], want[4096];
    size_t n = 0;

    (void)state;
    NEED_IMAGE();
    pattern(want, sizeof(want), 3);
    buf[n++] = 0x78;
    buf[n++] = 0x01;
    buf[n++] = 0x01;                   /* final, stored */
    pvb_put_le16(buf + n, 4096);
    pvb_put_le16(buf + n + 2, (uint16_t)~4096u);
    n += 4;
    memcpy(buf + n, want, 4096);
    n += 4096;
    pvb_put_be32(buf + n, adler32(want, 4096));
    n += 4;
    assert_int_equal(mount(), 0);
    compress_big(buf, n, 1, sizeof(want));
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/big", want, sizeof(want)), 0);
    /* the stream stops after 100 bytes (the rest of the disk extent zeros): GRUB's
     * "premature end" */
    memset(buf + 7 + 100, 0, sizeof(buf) - 107);
    pvb_put_le16(buf + 3, 100);
    pvb_put_le16(buf + 5, (uint16_t)~100u);
    pvb_put_be32(buf + 107, adler32(want, 100));
    assert_int_equal(mount(), 0);
    compress_big(buf, sizeof(buf), 1, sizeof(want));
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_rc("/big"), PVB_ECORRUPT);
    assert_msg_has(&t.c, "zlib extent at 0 decompresses to 100 bytes, 4096 needed");
}

/* zstd: one frame of one raw block. */
static void test_zstd_extent(void **state)
{
    static uint8_t buf[8192], want[4096];
    size_t n = 0;

    (void)state;
    NEED_IMAGE();
    pattern(want, sizeof(want), 4);
    pvb_put_le32(buf, 0xfd2fb528u);
    n = 4;
    buf[n++] = 0x60;                   /* single segment, 2-byte content size */
    pvb_put_le16(buf + n, 4096 - 256);
    n += 2;
    buf[n++] = 0x01;                   /* last block, raw, 4096 bytes */
    buf[n++] = 0x80;
    buf[n++] = 0x00;
    memcpy(buf + n, want, 4096);
    n += 4096;
    assert_int_equal(mount(), 0);
    compress_big(buf, n, 3, sizeof(want));
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_cmp("/big", want, sizeof(want)), 0);
    buf[4] = 0xff;                     /* a reserved bit in the frame header */
    assert_int_equal(mount(), 0);
    compress_big(buf, n, 3, sizeof(want));
    assert_int_equal(mount(), 0);
    assert_int_equal(cat_rc("/big"), PVB_ECORRUPT);
    assert_msg_has(&t.c, "zstd: corrupt data");
}

/* ---- directories ------------------------------------------------------------------- */

static void test_dir_items(void **state)
{
    struct bt_root r;
    struct where w;
    unsigned n = 0;
    uint8_t *name;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, 256, BT_DIR_ITEM, pvb_btrfs_name_hash("small", 5), &w);
    assert_int_equal(pvb_le64(w.hdr + 9), pvb_btrfs_name_hash("small", 5));
    /* a name that no longer hashes to its key: not found, and skipped in listings */
    name = w.body + 30;
    assert_memory_equal(name, "small", 5);
    name[0] = 'S';
    expect_read(w.node, "/small", PVB_ENOTFOUND, NULL);
    assert_int_equal(pvb_fs_readdir(fs, "/", count_one, &n), 0);
    assert_true(test_warned(&t, "its name does not hash to its key"));
    /* a name longer than its item */
    name[0] = 's';
    pvb_put_le16(w.body + 27, 300);
    expect_read(w.node, "/small", PVB_ECORRUPT, "do not fit");
    /* an entry pointing at a key of another type */
    pvb_put_le16(w.body + 27, 5);
    w.body[8] = 7;
    expect_read(w.node, "/small", PVB_ECORRUPT, "points at a key of type 7");
    /* an entry into a subvolume that does not exist */
    w.body[8] = BT_ROOT_ITEM;
    pvb_put_le64(w.body, 300);
    expect_read(w.node, "/small", PVB_ENOTFOUND, NULL);
}

/* Superblock fields, one poke at a time: mount's exact error. */
struct sb_case {
    size_t off;
    unsigned width;
    uint64_t val;
    int rc;
    const char *msg;
};

static void test_sb_cases(void **state)
{
    static const struct sb_case cases[] = {
        { 0x90, 4, 1000, PVB_ECORRUPT, "sector size 1000" },
        { 0xbc, 8, 0x2000, PVB_EUNSUPPORTED, "(extent tree v2)" },
        { 0xa0, 4, 3000, PVB_ECORRUPT, "system chunk array of 3000 bytes" },
        { 0xa0, 4, 10, PVB_ECORRUPT, "too few for a chunk" },
        { 0xa0, 4, 0, PVB_ECORRUPT, "the superblock holds no system chunk" },
        { 0x32b + 8, 1, 1, PVB_ECORRUPT, "is not a chunk item" },
        { 0x32b + 17 + 44, 2, 100, PVB_ECORRUPT, "runs past its end" },
        { 0x32b + 17 + 44, 2, 0, PVB_ECORRUPT, "0 stripes in" },
        { 0x32b + 17, 8, 0, PVB_ECORRUPT, "empty, unaligned or past 2^64" },
        { 0x32b + 17 + 48 + 8, 8, (uint64_t)-4096, PVB_ECORRUPT, "runs past 2^64" },
        { 0x32b + 17 + 48, 8, 9, PVB_EUNSUPPORTED, "is on device 9" },
        { 0x30, 8, 4096, PVB_ECHECKSUM, "it names another place, and no valid mirror" },
    };
    unsigned i;

    (void)state;
    NEED_IMAGE();
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t *f = img + 65536 + cases[i].off;

        memcpy(img, base, base_len);
        if (cases[i].width == 1)
            *f = (uint8_t)cases[i].val;
        else if (cases[i].width == 2)
            pvb_put_le16(f, (uint16_t)cases[i].val);
        else if (cases[i].width == 4)
            pvb_put_le32(f, (uint32_t)cases[i].val);
        else
            pvb_put_le64(f, cases[i].val);
        sb_fix(65536);
        assert_int_equal(mount(), cases[i].rc);
        assert_msg_has(&t.c, cases[i].msg);
    }
    /* a filesystem larger than its volume: read, with a warning */
    memcpy(img, base, base_len);
    pvb_put_le64(img + 65536 + 0x70, (uint64_t)1 << 40);
    sb_fix(65536);
    assert_int_equal(mount(), 0);
    assert_true(test_warned(&t, "is larger than its volume"));
}

/* A parent's key pointer that is not its child's first key; an empty child. */
static void test_child_keys(void **state)
{
    struct bt_root r;
    uint8_t *n, *c;
    uint64_t child;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    if (r.level == 0)
        skip();
    n = at_logical(r.bytenr);
    child = pvb_le64(n + BT_HDR + 17);
    c = at_logical(child);
    memset(n + BT_HDR, 0, 17);   /* key pointer 0: (0 0 0), still in order */
    node_fix(r.bytenr);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "is not its parent's (0 0 0)");
    memcpy(img, base, base_len);
    pvb_put_le32(c + 0x60, 0);
    pvb_put_le32(c, pvb_crc32c(c + 32, 4096 - 32));
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "an empty leaf below the root");
}

/* Extent items the driver refuses, each with its error. */
static void test_extent_cases(void **state)
{
    struct bt_root r;
    struct where w;
    uint64_t obj;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    obj = obj_of("/small");
    find(&r, obj, BT_EXTENT_DATA, 0, &w);
    w.body[17] = 1;
    expect_read(w.node, "/small", PVB_EUNSUPPORTED, "encryption 1");
    w.body[17] = 0;
    w.body[16] = 5;
    expect_read(w.node, "/small", PVB_EUNSUPPORTED, "compression 5");
    w.body[16] = 0;
    pvb_put_le64(w.body + 8, 99);
    expect_read(w.node, "/small", PVB_ECORRUPT, "holds 6 bytes, claims 99");
    pvb_put_le64(w.body + 8, 6);
    w.body[20] = 3;
    expect_read(w.node, "/small", PVB_ECORRUPT, "has type 3");
    w.body[20] = 0;
    /* inline lzo: under 4 bytes; a total larger than the data */
    w.body[16] = 2;
    pvb_put_le32(w.body + 21, 1000);
    expect_read(w.node, "/small", PVB_ECORRUPT, "lzo extent says 1000 bytes, holds 6");
    /* the big file's extent at an address past 2^64 */
    obj = obj_of("/big");
    find(&r, obj, BT_EXTENT_DATA, 0, &w);
    pvb_put_le64(w.body + 21, (uint64_t)-4096);
    pvb_put_le64(w.body + 29, (uint64_t)1 << 40);
    pvb_put_le64(w.body + 37, 8192);
    expect_read(w.node, "/big", PVB_ECORRUPT, "address past 2^64");
    /* its bytes running past the end of the data chunk */
    {
        const struct bt_chunk *ch = bfs()->chunks;
        unsigned i;

        for (i = 0; i < bfs()->nchunks; i++)
            if (ch[i].type & BT_BG_DATA)
                break;
        assert_true(i < bfs()->nchunks);
        pvb_put_le64(w.body + 21, ch[i].logical + ch[i].length - 2048);
        pvb_put_le64(w.body + 37, 0);
        expect_read(w.node, "/big", PVB_ECORRUPT, "run past the end of their chunk");
    }
}

/* Inode items, root items and the default subvolume entry. */
static void test_inode_cases(void **state)
{
    struct bt_root r, rt;
    struct where w;
    struct pvb_stat st;
    char buf[8];
    size_t len;
    uint64_t id;
    pvb_ino small;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    rt = tree_root();
    assert_int_equal(pvb_fs_lstat(fs, "/small", &st), 0);
    small = st.ino;
    assert_int_equal(fs->ops->stat(fs->priv, small + 100000, &st), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "has no inode item");
    assert_int_equal(fs->ops->stat(fs->priv, (pvb_ino)7 << 48 | 256, &st), PVB_EINVAL);
    assert_int_equal(fs->ops->readlink(fs->priv, small, buf, sizeof(buf), &len), PVB_EINVAL);
    assert_int_equal(pvb_fs_lstat(fs, "/link", &st), 0);
    assert_int_equal(fs->ops->readlink(fs->priv, st.ino, buf, 2, &len), PVB_ELIMIT);
    assert_int_equal(pvb_btrfs_subvol_path(fs, 5, buf, 1), PVB_EINVAL);
    assert_int_equal(pvb_btrfs_subvol_path(fs, 999, buf, sizeof(buf)), PVB_ENOTFOUND);
    assert_msg_has(&t.c, "no usable back reference");
    /* the root directory as a regular file */
    find(&r, 256, BT_INODE_ITEM, 0, &w);
    pvb_put_le32(w.body + 52, 0100644);
    node_fix(w.node);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "the root directory is not a directory");
    memcpy(img, base, base_len);
    /* the top level's root item at level 9 */
    assert_int_equal(mount(), 0);
    find(&rt, 5, BT_ROOT_ITEM, 0, &w);
    w.body[238] = 9;
    node_fix(w.node);
    assert_int_equal(mount(), PVB_ECORRUPT);
    assert_msg_has(&t.c, "level 9");
    memcpy(img, base, base_len);
    /* "default" in the root tree's directory pointing at an inode, not a root */
    assert_int_equal(mount(), 0);
    find(&rt, 6, BT_DIR_ITEM, pvb_btrfs_name_hash("default", 7), &w);
    assert_int_equal(pvb_btrfs_default_subvol(fs, &id), 0);
    assert_int_equal(id, 5);
    w.body[8] = BT_INODE_ITEM;
    node_fix(w.node);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_btrfs_default_subvol(fs, &id), PVB_ECORRUPT);
    assert_msg_has(&t.c, "the default subvolume entry points at a key of type 1");
    /* no "default" entry: the top level */
    memcpy(w.body + 30, "Default", 7);
    node_fix(w.node);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_btrfs_default_subvol(fs, &id), 0);
    assert_int_equal(id, 5);
}

/* Names a path cannot hold are skipped in listings. */
static void test_dir_names(void **state)
{
    struct bt_root r;
    struct where w;
    unsigned n = 0;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(mount(), 0);
    r = fs_tree();
    find(&r, 256, BT_DIR_ITEM, pvb_btrfs_name_hash("small", 5), &w);
    w.body[32] = '/';
    node_fix(w.node);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_readdir(fs, "/", count_one, &n), 0);
    assert_true(test_warned(&t, "not a name a path can hold"));
    /* a dir item whose second entry is cut short */
    memcpy(img, base, base_len);
    assert_int_equal(mount(), 0);
    find(&r, 256, BT_DIR_ITEM, pvb_btrfs_name_hash("small", 5), &w);
    pvb_put_le16(w.body + 27, 1);   /* "s", leaving 4 bytes: not a dir item */
    node_fix(w.node);
    assert_int_equal(mount(), 0);
    assert_int_equal(pvb_fs_readdir(fs, "/", count_one, &n), PVB_ECORRUPT);
    assert_msg_has(&t.c, "cut short");
}

static void test_faults(void **state)
{
    unsigned i;
    int rc = 0;

    (void)state;
    NEED_IMAGE();
    assert_int_equal(pvb_disk_open_mem(&t.c, img, base_len, &disk), 0);
    /* every allocation failing in turn: a clean PVB_ENOMEM, never a crash or a leak */
    for (i = 1; i < 200; i++) {
        t.c.fail_alloc = i;
        t.c.nalloc = 0;
        rc = pvb_fs_mount(disk, &fs);
        if (!rc)
            rc = cat_rc("/big");
        pvb_fs_umount(fs);
        fs = NULL;
        if (rc == 0)
            break;
        assert_int_equal(rc, PVB_ENOMEM);
    }
    t.c.fail_alloc = 0;
    assert_int_equal(rc, 0);
    assert_true(i > 5);
}

/* ---- the LZO1X decoder ------------------------------------------------------------- */

static int lzo(const uint8_t *in, size_t n, size_t cap, uint8_t *out, size_t *got)
{
    return pvb_lzo1x_decompress(in, n, out, cap, got);
}

static void test_lzo_streams(void **state)
{
    static const uint8_t abc[] = { 20, 'a', 'b', 'c', 0x11, 0, 0 };
    static const uint8_t run[] = { 18, 'a', 0x28, 0, 0, 0x11, 0, 0 };
    static const uint8_t far[] = { 18, 'a', 0x28, 0x14, 0, 0x11, 0, 0 };
    static const uint8_t m2[] = { 20, 'a', 'b', 'c', 0x04, 0, 0x11, 0, 0 };
    static const uint8_t m1far[] = { 22, 'a', 'b', 'c', 'd', 'e', 0x00, 0, 0x11, 0, 0 };
    static const uint8_t m3[] = { 21, 'a', 'b', 'c', 'd', 0x4c, 0, 0x11, 0, 0 };
    static const uint8_t m4[] = { 21, 'a', 'b', 'c', 'd', 0xac, 0, 0x11, 0, 0 };
    static const uint8_t m4far[] = { 18, 'a', 0x19, 0, 0, 0x11, 0, 0 };
    static const uint8_t end[] = { 0x11, 0, 0 };
    static const uint8_t trail[] = { 0x11, 0, 0, 0 };
    static const uint8_t zeros[] = { 18, 'a', 0x20, 0, 0, 0 };
    uint8_t out[512], lit[300], in[400];
    size_t got, n;

    (void)state;
    assert_int_equal(lzo(abc, sizeof(abc), sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 3);
    assert_memory_equal(out, "abc", 3);
    /* an overlapping match: a run */
    assert_int_equal(lzo(run, sizeof(run), sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 11);
    assert_memory_equal(out, "aaaaaaaaaaa", 11);
    assert_int_equal(lzo(run, sizeof(run), 5, out, &got), PVB_LZO_OUTPUT_OVERRUN);
    assert_int_equal(lzo(far, sizeof(far), sizeof(out), out, &got), PVB_LZO_LOOKBEHIND);
    /* 0000DDSS after 1..3 literals: 2 bytes at distance 2 */
    assert_int_equal(lzo(m2, sizeof(m2), sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 5);
    assert_memory_equal(out, "abcbc", 5);
    /* after 4 or more literals the same instruction reaches 2049 bytes back */
    assert_int_equal(lzo(m1far, sizeof(m1far), sizeof(out), out, &got), PVB_LZO_LOOKBEHIND);
    assert_int_equal(lzo(m3, sizeof(m3), sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 7);
    assert_memory_equal(out, "abcdabc", 7);
    assert_int_equal(lzo(m4, sizeof(m4), sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 10);
    assert_memory_equal(out, "abcdabcdab", 10);
    assert_int_equal(lzo(m4far, sizeof(m4far), sizeof(out), out, &got), PVB_LZO_LOOKBEHIND);
    /* the end marker alone; bytes after it; none at all; cut short */
    assert_int_equal(lzo(end, sizeof(end), sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 0);
    assert_int_equal(lzo(trail, sizeof(trail), sizeof(out), out, &got), PVB_LZO_INPUT_NOT_CONSUMED);
    assert_int_equal(lzo(abc, 0, sizeof(out), out, &got), PVB_LZO_INPUT_OVERRUN);
    for (n = 1; n < sizeof(abc); n++)
        assert_int_equal(lzo(abc, n, sizeof(out), out, &got), PVB_LZO_INPUT_OVERRUN);
    /* a length of zero bytes that never ends */
    assert_int_equal(lzo(zeros, sizeof(zeros), sizeof(out), out, &got), PVB_LZO_INPUT_OVERRUN);
    /* a long literal run with a zero byte in its length: 18 + 255 + 2 */
    pattern(lit, sizeof(lit), 2);
    n = lzo_literals(in, lit, 275);
    assert_int_equal(n, 1 + 1 + 1 + 275 + 3);
    assert_int_equal(lzo(in, n, sizeof(out), out, &got), PVB_LZO_OK);
    assert_int_equal(got, 275);
    assert_memory_equal(out, lit, 275);
    assert_int_equal(lzo(in, n, 274, out, &got), PVB_LZO_OUTPUT_OVERRUN);
    assert_string_equal(pvb_lzo_strerror(PVB_LZO_LOOKBEHIND), "a match before the start of the output");
}

/* Round trips through liblzo2's compressors, when the host has the library. */
typedef int (*lzo_compress_fn)(const uint8_t *, unsigned long, uint8_t *, unsigned long *, void *);

static void test_lzo_liblzo2(void **state)
{
    static uint8_t src[70000], comp[80000], out[70000], wrk[1 << 20];
    static const char *const fns[] = { "lzo1x_1_compress", "lzo1x_999_compress" };
    static const size_t sizes[] = { 1, 3, 4, 17, 100, 2049, 4096, 16385, 49153, 70000 };
    void *h = dlopen("liblzo2.so.2", RTLD_NOW);
    unsigned f, s, k;

    (void)state;
    if (!h)
        skip();
    for (k = 0; k < sizeof(src); k++)   /* text-like: matches at every distance */
        src[k] = (uint8_t)("abcdefgh"[(k * k / 7) % 8] + (k % 1000 == 0));
    for (f = 0; f < 2; f++) {
        lzo_compress_fn c = (lzo_compress_fn)(uintptr_t)dlsym(h, fns[f]);

        assert_non_null(c);
        for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            unsigned long clen = sizeof(comp);
            size_t got;

            assert_int_equal(c(src, sizes[s], comp, &clen, wrk), 0);
            assert_int_equal(pvb_lzo1x_decompress(comp, clen, out, sizeof(out), &got), 0);
            assert_int_equal(got, sizes[s]);
            assert_memory_equal(out, src, got);
        }
    }
    dlclose(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sb_bad_csum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sb_mirror, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sb_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunk_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunk_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunk_raid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_level, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compressed_4g, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prealloc_hole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_noholes_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subvol_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extent_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dup_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lzo_inline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lzo_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zlib_extent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_extent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sb_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extent_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inode_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dir_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lzo_streams, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lzo_liblzo2, setup, teardown),
    };
    return cmocka_run_group_tests_name("btrfs", tests, group_setup, group_teardown);
}
