/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the fs layer's path walk and file reads, over a fake in-memory driver. */
#include <string.h>

#include "fs/fs.h"
#include "testlib.h"
#include "util/mem.h"

/* The fake tree: inode = index + 1, the root is inode 1 and its own parent. */
struct fnode {
    const char *name;
    pvb_ino parent;
    enum pvb_ftype type;
    const char *data;   /* file contents or symlink target */
};

static const struct fnode tree[] = {
    /* 1 */ { "", 1, PVB_FT_DIR, NULL },
    /* 2 */ { "boot", 1, PVB_FT_DIR, NULL },
    /* 3 */ { "grub", 2, PVB_FT_DIR, NULL },
    /* 4 */ { "grub.conf", 3, PVB_FT_REG, "default=0\n" },
    /* 5 */ { "menu.lst", 3, PVB_FT_LNK, "./grub.conf" },
    /* 6 */ { "vmlinuz-1", 2, PVB_FT_REG, "KERNEL" },
    /* 7 */ { "vmlinuz", 1, PVB_FT_LNK, "/boot/vmlinuz-1" },
    /* 8 */ { "b", 1, PVB_FT_LNK, "boot" },
    /* 9 */ { "loop1", 1, PVB_FT_LNK, "loop2" },
    /* 10 */ { "loop2", 1, PVB_FT_LNK, "/loop1" },
    /* 11 */ { "self", 1, PVB_FT_LNK, "self" },
    /* 12 */ { "dangling", 1, PVB_FT_LNK, "/nowhere" },
    /* 13 */ { "empty", 1, PVB_FT_LNK, "" },
    /* 14 */ { "c1", 1, PVB_FT_LNK, "c2" },
    /* 15 */ { "c2", 1, PVB_FT_LNK, "c3" },
    /* 16 */ { "c3", 1, PVB_FT_LNK, "c4" },
    /* 17 */ { "c4", 1, PVB_FT_LNK, "c5" },
    /* 18 */ { "c5", 1, PVB_FT_LNK, "c6" },
    /* 19 */ { "c6", 1, PVB_FT_LNK, "c7" },
    /* 20 */ { "c7", 1, PVB_FT_LNK, "c8" },
    /* 21 */ { "c8", 1, PVB_FT_LNK, "boot/vmlinuz-1" },   /* 8 hops from c1 */
    /* 22 */ { "c0", 1, PVB_FT_LNK, "c1" },               /* 9 hops */
    /* 23 */ { "up", 3, PVB_FT_LNK, "../../boot/./grub/" },
    /* 24 */ { "dev", 1, PVB_FT_CHR, "" },
    /* 25 */ { "big", 1, PVB_FT_REG, "0123456789abcdef" },
};
#define NNODES (sizeof(tree) / sizeof(tree[0]))

static pvb_ino f_root(void *fs)
{
    (void)fs;
    return 1;
}

static int f_lookup(void *fs, pvb_ino dir, const char *name, size_t len, pvb_ino *out)
{
    size_t i;

    (void)fs;
    for (i = 1; i < NNODES; i++)
        if (tree[i].parent == dir && strlen(tree[i].name) == len &&
            memcmp(tree[i].name, name, len) == 0) {
            *out = i + 1;
            return 0;
        }
    return PVB_ENOTFOUND;
}

static int f_stat(void *fs, pvb_ino ino, struct pvb_stat *st)
{
    const struct fnode *n = &tree[ino - 1];

    (void)fs;
    memset(st, 0, sizeof(*st));
    st->ino = ino;
    st->type = n->type;
    st->size = n->data ? strlen(n->data) : 0;
    return 0;
}

static int f_readlink(void *fs, pvb_ino ino, char *buf, size_t cap, size_t *len)
{
    const char *t = tree[ino - 1].data;

    (void)fs;
    if (strlen(t) > cap)
        return PVB_ELIMIT;
    memcpy(buf, t, strlen(t));
    *len = strlen(t);
    return 0;
}

static int f_readdir(void *fs, pvb_ino dir, pvb_dirent_fn fn, void *arg)
{
    size_t i;
    int rc;

    (void)fs;
    for (i = 1; i < NNODES; i++)
        if (tree[i].parent == dir && (rc = fn(arg, tree[i].name, i + 1, tree[i].type)) != 0)
            return rc;
    return 0;
}

static int f_open(void *fs, pvb_ino ino, void **file)
{
    (void)fs;
    *file = (void *)&tree[ino - 1];
    return 0;
}

static int f_pread(void *file, void *buf, size_t len, uint64_t off)
{
    const struct fnode *n = file;

    assert_true(off + len <= strlen(n->data));   /* the fs layer clamps */
    memcpy(buf, n->data + off, len);
    return 0;
}

static void f_close(void *file)
{
    (void)file;
}

static const struct pvb_fs_ops fake_ops = {
    "fake", NULL, NULL, NULL, f_root, f_lookup, f_stat, f_readlink, f_readdir,
    f_open, f_pread, f_close
};

static struct test_ctx t;
static struct pvb_fs fs;

static int setup(void **state)
{
    (void)state;
    test_ctx_init(&t);
    memset(&fs, 0, sizeof(fs));
    fs.ops = &fake_ops;
    fs.ctx = &t.c;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(t.c.mem_used, 0);
    return 0;
}

static pvb_ino look(const char *path, int follow)
{
    pvb_ino ino = 0;
    int rc = pvb_fs_lookup(&fs, path, follow, &ino);

    if (rc)
        return (pvb_ino)0 - (pvb_ino)(-rc);   /* errors as huge numbers, for assert_int_equal */
    return ino;
}

#define ERR(e) ((pvb_ino)0 - (pvb_ino)(-(e)))

static void test_plain_paths(void **state)
{
    (void)state;
    assert_int_equal(look("/", 1), 1);
    assert_int_equal(look("", 1), 1);
    assert_int_equal(look("///", 1), 1);
    assert_int_equal(look("/boot/grub/grub.conf", 1), 4);
    assert_int_equal(look("boot//grub/grub.conf", 1), 4);      /* relative = from the root */
    assert_int_equal(look("/boot/grub/../grub/./grub.conf", 1), 4);
    assert_int_equal(look("/..", 1), 1);                       /* the root is its own parent */
    assert_int_equal(look("/../../boot/./", 1), 2);
    assert_int_equal(look("/boot/", 1), 2);
}

static void test_symlinks(void **state)
{
    (void)state;
    assert_int_equal(look("/boot/grub/menu.lst", 1), 4);       /* relative, same dir */
    assert_int_equal(look("/boot/grub/menu.lst", 0), 5);       /* lstat */
    assert_int_equal(look("/vmlinuz", 1), 6);                  /* absolute */
    assert_int_equal(look("/b/grub/grub.conf", 1), 4);         /* a symlink to a directory */
    assert_int_equal(look("/b", 0), 8);
    assert_int_equal(look("/b/", 0), 2);                       /* a trailing slash follows it */
    assert_int_equal(look("/b/..", 1), 1);                     /* .. of the target, not of the link */
    assert_int_equal(look("/boot/grub/up/menu.lst", 1), 4);
    assert_int_equal(look("/c1", 1), 6);                       /* 8 hops: allowed */
    assert_int_equal(look("/c0", 1), ERR(PVB_ELOOP));          /* 9 hops */
    assert_msg_has(&t.c, "more than 8 symlinks");
    assert_int_equal(look("/c0", 0), 22);
    assert_int_equal(look("/loop1", 1), ERR(PVB_ELOOP));
    assert_int_equal(look("/self/x", 0), ERR(PVB_ELOOP));
    assert_int_equal(look("/dangling", 1), ERR(PVB_ENOTFOUND));
    assert_msg_has(&t.c, "'nowhere' not found");
    assert_int_equal(look("/empty", 1), ERR(PVB_ENOTFOUND));
    assert_msg_has(&t.c, "empty symlink");
    t.c.lim.max_symlinks = 1;
    assert_int_equal(look("/boot/grub/menu.lst", 1), 4);
    assert_int_equal(look("/c7", 1), ERR(PVB_ELOOP));
    t.c.lim.max_symlinks = 8;
}

static void test_errors(void **state)
{
    char name[300];

    (void)state;
    assert_int_equal(look("/nope", 1), ERR(PVB_ENOTFOUND));
    assert_msg_has(&t.c, "fake: /nope: 'nope' not found");
    assert_int_equal(look("/boot/grub/grub.conf/x", 1), ERR(PVB_ENOTDIR));
    assert_msg_has(&t.c, "'grub.conf' is not a directory");
    assert_int_equal(look("/boot/grub/grub.conf/", 1), ERR(PVB_ENOTDIR));
    assert_int_equal(look("/dev/x", 1), ERR(PVB_ENOTDIR));
    memset(name, 'a', 256);
    name[256] = '\0';
    assert_int_equal(look(name, 1), ERR(PVB_ENOTFOUND));
    assert_msg_has(&t.c, "too long");
    t.c.lim.max_path = 20;
    assert_int_equal(look("/boot/grub/grub.conf/too/long", 1), ERR(PVB_ELIMIT));
    assert_int_equal(look("/boot/grub/up/menu.lst", 1), ERR(PVB_ELIMIT));   /* grows past 20 */
    t.c.lim.max_path = 4096;
    t.c.lim.max_mem = 100;
    assert_int_equal(look("/boot", 1), ERR(PVB_ELIMIT));
    t.c.lim.max_mem = (size_t)128 << 20;
}

static void test_deep_path(void **state)
{
    static char path[4100];
    size_t i;

    (void)state;
    /* "b/" repeated: the symlink b -> boot makes the path 2 bytes longer. */
    for (i = 0; i + 2 <= 4096; i += 2)
        memcpy(path + i, "b/", 2);
    path[4096] = '\0';
    assert_int_equal(look(path, 1), ERR(PVB_ELIMIT));
    assert_msg_has(&t.c, "after a symlink");
    path[4000] = '\0';
    assert_int_equal(look(path, 1), ERR(PVB_ENOTFOUND));   /* /boot/b does not exist */
    path[4000] = 'b';
    for (i = 0; i + 2 <= 4096; i += 2)
        memcpy(path + i, "./", 2);
    assert_int_equal(look(path, 1), 1);
    path[4095] = 'x';
    path[4096] = 'x';
    path[4097] = '\0';
    assert_int_equal(look(path, 1), ERR(PVB_ELIMIT));       /* 4097 bytes */
}

static int count_entries(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    int *n = arg;

    (void)name;
    (void)ino;
    (void)type;
    return ++*n == 100 ? 7 : 0;
}

static void test_api(void **state)
{
    struct pvb_file *f;
    struct pvb_stat st;
    char buf[64], *data;
    size_t got, len;
    int n = 0;

    (void)state;
    assert_int_equal(pvb_fs_stat(&fs, "/boot/grub/menu.lst", &st), 0);
    assert_int_equal(st.type, PVB_FT_REG);
    assert_int_equal(pvb_fs_lstat(&fs, "/boot/grub/menu.lst", &st), 0);
    assert_int_equal(st.type, PVB_FT_LNK);
    assert_int_equal(pvb_fs_readlink(&fs, "/boot/grub/menu.lst", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "./grub.conf");
    assert_int_equal(pvb_fs_readlink(&fs, "/boot/grub/menu.lst", buf, 5), PVB_ELIMIT);
    assert_int_equal(pvb_fs_readlink(&fs, "/boot/grub/menu.lst", buf, 0), PVB_EINVAL);
    assert_int_equal(pvb_fs_readlink(&fs, "/boot", buf, sizeof(buf)), PVB_EINVAL);
    assert_int_equal(pvb_fs_readlink(&fs, "/nope", buf, sizeof(buf)), PVB_ENOTFOUND);
    assert_int_equal(pvb_fs_readdir(&fs, "/boot/grub", count_entries, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(pvb_fs_readdir(&fs, "/vmlinuz", count_entries, &n), PVB_ENOTDIR);
    assert_int_equal(pvb_fs_readdir(&fs, "/nope", count_entries, &n), PVB_ENOTFOUND);
    n = 97;
    assert_int_equal(pvb_fs_readdir(&fs, "/", count_entries, &n), 7);   /* stopped */

    assert_int_equal(pvb_fs_open(&fs, "/vmlinuz", &f), 0);
    assert_true(f->st.size == 6);
    assert_int_equal(pvb_file_read(f, buf, sizeof(buf), 2, &got), 0);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "RNEL", 4);
    assert_int_equal(pvb_file_read(f, buf, 10, 6, &got), 0);
    assert_int_equal(got, 0);
    assert_int_equal(pvb_file_read(f, buf, 10, UINT64_MAX, &got), 0);
    assert_int_equal(got, 0);
    pvb_file_close(f);
    pvb_file_close(NULL);
    assert_int_equal(pvb_fs_open(&fs, "/boot", &f), PVB_EISDIR);
    assert_msg_has(&t.c, "/boot: fake: inode 2 is a directory");
    assert_int_equal(pvb_fs_open(&fs, "/dev", &f), PVB_EINVAL);
    assert_int_equal(pvb_fs_open(&fs, "/nope", &f), PVB_ENOTFOUND);
    t.c.lim.max_file_size = 15;
    assert_int_equal(pvb_fs_open(&fs, "/big", &f), PVB_ELIMIT);
    assert_msg_has(&t.c, "16 bytes exceeds the file size limit 15");
    t.c.lim.max_file_size = 1 << 30;

    assert_int_equal(pvb_fs_read_file(&fs, "/boot/grub/menu.lst", 100, &data, &len), 0);
    assert_int_equal(len, 10);
    assert_string_equal(data, "default=0\n");
    pvb_free(&t.c, data);
    assert_int_equal(pvb_fs_read_file(&fs, "/big", 15, &data, &len), PVB_ELIMIT);
    assert_int_equal(pvb_fs_read_file(&fs, "/nope", 15, &data, &len), PVB_ENOTFOUND);
    t.c.lim.max_mem = t.c.mem_used + 14000;   /* enough for the walk, not the buffer */
    t.c.lim.max_alloc = 16;
    assert_int_equal(pvb_fs_read_file(&fs, "/big", 100, &data, &len), PVB_ELIMIT);
    t.c.lim.max_alloc = (size_t)32 << 20;
    t.c.lim.max_mem = (size_t)128 << 20;

    assert_int_equal(pvb_mode_type(0100644), PVB_FT_REG);
    assert_int_equal(pvb_mode_type(040755), PVB_FT_DIR);
    assert_int_equal(pvb_mode_type(0120777), PVB_FT_LNK);
    assert_int_equal(pvb_mode_type(020000), PVB_FT_CHR);
    assert_int_equal(pvb_mode_type(060000), PVB_FT_BLK);
    assert_int_equal(pvb_mode_type(010000), PVB_FT_FIFO);
    assert_int_equal(pvb_mode_type(0140000), PVB_FT_SOCK);
    assert_int_equal(pvb_mode_type(0170000), PVB_FT_UNKNOWN);
    assert_string_equal(pvb_ftype_name(PVB_FT_LNK), "symlink");
    assert_string_equal(pvb_ftype_name((enum pvb_ftype)99), "unknown");
}

static void test_mount(void **state)
{
    uint8_t img[4096] = { 0 };
    struct pvb_disk *d;
    struct pvb_fs *m;

    (void)state;
    assert_int_equal(pvb_disk_open_mem(&t.c, img, sizeof(img), &d), 0);
    assert_int_equal(pvb_fs_mount(d, &m), PVB_ENOTMINE);
    assert_msg_has(&t.c, "no known filesystem");
    assert_int_equal(pvb_fs_mount_as(d, "nosuchfs", &m), PVB_EINVAL);
    pvb_fs_umount(NULL);
    pvb_disk_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mount, setup, teardown),
    };
    return cmocka_run_group_tests_name("fs", tests, NULL, NULL);
}
