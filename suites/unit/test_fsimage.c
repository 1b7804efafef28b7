/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/compat/fsimage: the plugin ops under a stand-in libxenfsimage loader. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/fsimage/plugin.h"
#include "extbuild.h"
#include "testlib.h"
#include "util/bytes.h"
#include "xfsbuild.h"

/* The loader's side of the ABI, as libxenfsimage's fsimage_plugin.c keeps it. */
struct fsi {
    uint64_t off;
    void *data;
};

struct fsi_file {
    struct fsi *fsi;
    void *data;
};

static int alloc_fails;   /* fsip_file_alloc() returns NULL, as on malloc failure */

void fsip_fs_set_data(struct fsi *fsi, void *data) { fsi->data = data; }
void *fsip_fs_data(struct fsi *fsi) { return fsi->data; }
uint64_t fsip_fs_offset(struct fsi *fsi) { return fsi->off; }
struct fsi *fsip_fs(struct fsi_file *file) { return file->fsi; }
void *fsip_file_data(struct fsi_file *file) { return file->data; }
void fsip_file_free(struct fsi_file *file) { free(file); }

struct fsi_file *fsip_file_alloc(struct fsi *fsi, void *data)
{
    struct fsi_file *f;

    if (alloc_fails)
        return NULL;
    f = calloc(1, sizeof(*f));
    if (f) {
        f->fsi = fsi;
        f->data = data;
    }
    return f;
}

static const struct fsi_plugin_ops *ext, *xfs;
static char image[64];   /* a temporary image file */
static struct fsi fsi;

static int setup(void **state)
{
    const char *name;
    int fd;

    (void)state;
    ext = pvb_fsimage_init(FSI_PLUGIN_VERSION, "ext", &name);
    xfs = pvb_fsimage_init(FSI_PLUGIN_VERSION, "xfs", &name);
    strcpy(image, "/tmp/pvb-fsimage.XXXXXX");
    fd = mkstemp(image);
    assert_true(fd >= 0);
    close(fd);
    memset(&fsi, 0, sizeof(fsi));
    alloc_fails = 0;
    unsetenv("PVBOOT_FSIMAGE_DEBUG");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(image);
    return 0;
}

/* The image file holds buf at byte off (a hole before it). */
static void put_image(const void *buf, size_t len, uint64_t off)
{
    int fd = open(image, O_WRONLY | O_TRUNC);

    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, buf, len, (off_t)off), (ssize_t)len);
    close(fd);
    fsi.off = off;
}

/* errno of a call that must fail with -1 or NULL. */
static int mount_errno(const struct fsi_plugin_ops *ops, const char *path)
{
    errno = 0;
    assert_int_equal(ops->mount(&fsi, path, ""), -1);
    assert_null(fsi.data);
    return errno;
}

static int open_errno(const struct fsi_plugin_ops *ops, const char *path)
{
    errno = 0;
    assert_null(ops->open(&fsi, path));
    return errno;
}

/* A whole file read through open/pread/close. */
static void assert_file(const struct fsi_plugin_ops *ops, const char *path, const void *want,
                        size_t n)
{
    char buf[8192];
    struct fsi_file *f = ops->open(&fsi, path);

    if (!f)
        fail_msg("open %s: %s", path, strerror(errno));
    assert_true(n < sizeof(buf));
    assert_int_equal(ops->pread(f, buf, sizeof(buf), 0), (ssize_t)n);
    assert_memory_equal(buf, want, n);
    assert_int_equal(ops->close(f), 0);
}

static void test_init(void **state)
{
    const char *name = NULL;
    const struct fsi_plugin_ops *ops;

    (void)state;
    assert_null(pvb_fsimage_init(0, "ext", &name));              /* no such loader */
    assert_null(pvb_fsimage_init(FSI_PLUGIN_VERSION, "zfs", &name));   /* no pvboot driver */
    ops = pvb_fsimage_init(FSI_PLUGIN_VERSION, "btrfs", &name);
    assert_non_null(ops);
    assert_string_equal(name, "pvboot-btrfs");
    ops = pvb_fsimage_init(FSI_PLUGIN_VERSION, "fat", &name);
    assert_non_null(ops);
    assert_string_equal(name, "pvboot-fat");
    ops = pvb_fsimage_init(FSI_PLUGIN_VERSION, "ext", &name);
    assert_non_null(ops);
    assert_string_equal(name, "pvboot-ext");
    assert_int_equal(ops->version, 1);
    /* A newer loader keeps version 1 tables (it refuses only newer ones). */
    ops = pvb_fsimage_init(2, "xfs", &name);
    assert_non_null(ops);
    assert_string_equal(name, "pvboot-xfs");
    assert_int_equal(ops->version, 1);
    assert_true(ops->mount && ops->umount && ops->open && ops->read && ops->pread && ops->close);
}

static void test_errno(void **state)
{
    static const int want[][2] = {
        { PVB_ENOTMINE, EINVAL }, { PVB_ECORRUPT, EIO }, { PVB_ECHECKSUM, EIO },
        { PVB_ERANGE, EIO }, { PVB_EIO, EIO }, { PVB_EUNSUPPORTED, ENOTSUP },
        { PVB_ENOTFOUND, ENOENT }, { PVB_ELOOP, ELOOP }, { PVB_ENOTDIR, ENOTDIR },
        { PVB_EISDIR, EISDIR }, { PVB_ELIMIT, EOVERFLOW }, { PVB_ENOMEM, ENOMEM },
        { PVB_EINVAL, EINVAL },
    };
    size_t i;
    int e;

    (void)state;
    for (e = 0; e > -PVB_ERR_COUNT - 2; e--)
        assert_true(pvb_fsimage_errno(e) > 0);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(pvb_fsimage_errno(want[i][0]), want[i][1]);
}

/* xb_sample(): /hello, /big (3000 bytes a..z), /sf a directory, /ln -> leaf/n07
 * (= /hello), /far a remote symlink to "//.../hello". */
static void check_xfs_sample(int v5, int ftype, uint64_t off)
{
    char big[3000], buf[4000];
    struct fsi_file *f;
    struct xb x;
    size_t i;

    for (i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    xb_sample(&x, v5, ftype);
    put_image(x.img, x.size, off);
    xb_free(&x);
    assert_int_equal(mount_errno(ext, image), EINVAL);           /* not ext: next plugin */
    assert_int_equal(xfs->mount(&fsi, image, NULL), 0);
    assert_file(xfs, "/hello", "hello\n", 6);
    assert_file(xfs, "/ln", "hello\n", 6);
    assert_file(xfs, "/far", "hello\n", 6);
    assert_file(xfs, "/big", big, sizeof(big));
    f = xfs->open(&fsi, "big");                                 /* relative: from the root */
    assert_non_null(f);
    assert_int_equal(xfs->pread(f, buf, 10, 2990), 10);
    assert_memory_equal(buf, big + 2990, 10);
    assert_int_equal(xfs->pread(f, buf, 100, 2995), 5);         /* short at the end */
    assert_int_equal(xfs->pread(f, buf, 100, 3000), 0);
    assert_int_equal(xfs->pread(f, buf, 100, UINT64_MAX), 0);
    assert_int_equal(xfs->pread(f, buf, 0, 0), 0);
    /* A count past SSIZE_MAX is cut to what the return value can hold; the file
     * size cuts it further, so only 3000 bytes are written. */
    assert_int_equal(xfs->pread(f, buf, SIZE_MAX, 0), 3000);
    assert_int_equal(xfs->close(f), 0);
    assert_int_equal(open_errno(xfs, "/sf"), EISDIR);
    assert_int_equal(open_errno(xfs, "/"), EISDIR);
    assert_int_equal(open_errno(xfs, "/nope"), ENOENT);
    assert_int_equal(open_errno(xfs, "/hello/x"), ENOTDIR);
    assert_int_equal(open_errno(xfs, NULL), EINVAL);
    assert_int_equal(xfs->umount(&fsi), 0);
    assert_null(fsi.data);
}

static void test_xfs(void **state)
{
    (void)state;
    check_xfs_sample(1, 1, 0);
    check_xfs_sample(1, 1, (uint64_t)1 << 20);   /* in a partition 1 MiB in */
    check_xfs_sample(0, 1, 32256);               /* v4 with ftype, at sector 63 */
    check_xfs_sample(0, 0, 0);
}

/* read() goes on where the last one ended, pread() leaves that alone. */
static void test_read_position(void **state)
{
    char big[3000], buf[7], one;
    struct fsi_file *f;
    struct xb x;
    size_t i, at = 0;
    ssize_t n;

    (void)state;
    for (i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    xb_sample(&x, 1, 1);
    put_image(x.img, x.size, 0);
    xb_free(&x);
    assert_int_equal(xfs->mount(&fsi, image, ""), 0);
    f = xfs->open(&fsi, "/big");
    assert_non_null(f);
    while ((n = xfs->read(f, buf, sizeof(buf))) > 0) {
        assert_true(at + (size_t)n <= sizeof(big));
        assert_memory_equal(buf, big + at, (size_t)n);
        assert_int_equal(xfs->pread(f, &one, 1, 0), 1);          /* no effect on read() */
        at += (size_t)n;
    }
    assert_int_equal(n, 0);
    assert_int_equal(at, sizeof(big));
    assert_int_equal(xfs->read(f, buf, sizeof(buf)), 0);
    assert_int_equal(xfs->close(f), 0);
    assert_int_equal(xfs->umount(&fsi), 0);
}

/* A file whose extent lies outside the AGs opens (extents are checked as they
 * are read) but cannot be read: pread and read fail with EIO; it still closes. */
static void test_read_error(void **state)
{
    static const char *const names[1] = { "bad" };
    struct fsi_file *f;
    struct xb_ext e = { 0, 0, 1, 0 };
    uint64_t ino;
    char buf[16];
    struct xb x;

    (void)state;
    xb_init(&x, 1, 10);
    ino = xb_file(&x, "0123456789", 10);
    e.blk = (uint64_t)5 << 6;   /* AG 5 of 2 (sb_agblklog 6) */
    xb_set_extents(&x, ino, &e, 1);
    xb_root_short(&x, 1, names, &ino);
    xb_finish(&x);
    put_image(x.img, x.size, 0);
    xb_free(&x);
    assert_int_equal(xfs->mount(&fsi, image, ""), 0);
    f = xfs->open(&fsi, "/bad");
    assert_non_null(f);
    errno = 0;
    assert_int_equal(xfs->pread(f, buf, sizeof(buf), 0), -1);
    assert_int_equal(errno, EIO);
    errno = 0;
    assert_int_equal(xfs->read(f, buf, sizeof(buf)), -1);
    assert_int_equal(errno, EIO);
    assert_int_equal(xfs->close(f), 0);
    assert_int_equal(xfs->umount(&fsi), 0);
}

/* An ext4 tree: a kernel, a symlink loop, a 2 GiB sparse file (over the 1 GiB
 * file size limit), two plugins' views of it. */
static void test_ext(void **state)
{
    static const uint32_t one[1] = { 0 };
    uint32_t incompat = EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT;
    char kernel[5000];
    uint32_t boot;
    struct eb e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(kernel); i++)
        kernel[i] = (char)(i * 7);
    eb_new(&e, 2, 256, 64, 32, incompat, EB_RO_METADATA_CSUM);
    boot = eb_mkdir(&e, 2, "boot", EB_EXTENTS);
    eb_file(&e, boot, "vmlinuz-1", kernel, sizeof(kernel), EB_EXTENTS);
    eb_symlink(&e, boot, "vmlinuz", "vmlinuz-1", EB_EXTENTS);
    eb_symlink(&e, 2, "loop", "/loop", EB_EXTENTS);
    eb_sparse(&e, 2, "huge", (uint64_t)2 << 30, one, 1, EB_EXTENTS);
    eb_finish(&e);
    put_image(e.img, e.size, 4096);
    eb_free(&e);
    assert_int_equal(mount_errno(xfs, image), EINVAL);
    assert_int_equal(ext->mount(&fsi, image, "zfs-bootfs=rpool/ROOT"), 0);  /* ignored */
    assert_file(ext, "/boot/vmlinuz", kernel, sizeof(kernel));
    assert_int_equal(open_errno(ext, "/loop"), ELOOP);
    assert_int_equal(open_errno(ext, "/huge"), EOVERFLOW);
    assert_int_equal(open_errno(ext, "/boot"), EISDIR);
    alloc_fails = 1;   /* the loader's handle: the file is closed again, nothing leaks */
    assert_int_equal(open_errno(ext, "/boot/vmlinuz-1"), ENOMEM);
    alloc_fails = 0;
    assert_int_equal(ext->umount(&fsi), 0);
}

/* Images nothing can read: every mount fails, with the errno of the reason. */
static void test_mount_errors(void **state)
{
    struct eb e;
    uint8_t *sb;

    (void)state;
    eb_new(&e, 2, 256, 64, 32, EB_IN_FILETYPE | EB_IN_EXTENTS, 0);
    eb_finish(&e);
    put_image(e.img, e.size, 0);
    assert_int_equal(ext->mount(&fsi, image, ""), 0);           /* the good one */
    assert_int_equal(ext->umount(&fsi), 0);
    fsi.off = e.size + 1;                                       /* offset past the end */
    assert_int_equal(mount_errno(ext, image), EIO);
    fsi.off = e.size;                                  /* an empty volume: no superblock */
    assert_int_equal(mount_errno(ext, image), EINVAL);
    fsi.off = 0;
    assert_int_equal(mount_errno(ext, "/nonexistent/image"), EIO);
    assert_int_equal(mount_errno(ext, NULL), EINVAL);
    assert_int_equal(mount_errno(ext, "/tmp"), EINVAL);          /* not a file or device */
    sb = eb_sb(&e);
    pvb_put_le32(sb + 0x60, pvb_le32(sb + 0x60) | 0x80000000u); /* unknown incompat bit */
    put_image(e.img, e.size, 0);
    assert_int_equal(mount_errno(ext, image), ENOTSUP);
    pvb_put_le32(sb + 0x60, pvb_le32(sb + 0x60) & ~0x80000000u);
    pvb_put_le32(sb + 0x18, 40);                                /* s_log_block_size */
    put_image(e.img, e.size, 0);
    assert_int_equal(mount_errno(ext, image), EIO);
    eb_free(&e);
}

/* Read stderr written while fn runs. */
static void capture_stderr(void (*fn)(void), char *out, size_t cap)
{
    char path[] = "/tmp/pvb-fsimage-err.XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    ssize_t n;

    assert_true(fd >= 0 && saved >= 0);
    fflush(stderr);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    n = pread(fd, out, cap - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

static void foreign_and_missing(void)
{
    errno = 0;
    assert_int_equal(ext->mount(&fsi, image, ""), -1);
    assert_int_equal(xfs->mount(&fsi, image, ""), 0);
    assert_null(xfs->open(&fsi, "/boot/grub/grub.cfg"));
    assert_int_equal(xfs->umount(&fsi), 0);
}

static void open_with_bad_crc(void)
{
    struct fsi_file *f;

    assert_int_equal(xfs->mount(&fsi, image, ""), 0);
    f = xfs->open(&fsi, "/hi");
    assert_non_null(f);               /* a CRC mismatch is a warning, as in pvboot */
    assert_int_equal(xfs->close(f), 0);
    assert_int_equal(xfs->umount(&fsi), 0);
}

/* PVBOOT_FSIMAGE_DEBUG: libpvboot's message for each failure and warning, on stderr. */
static void test_debug(void **state)
{
    static const char *const names[1] = { "hi" };
    char out[2048];
    uint64_t ino;
    struct xb x;

    (void)state;
    xb_init(&x, 1, 10);
    ino = xb_file(&x, "hi\n", 3);
    xb_root_short(&x, 1, names, &ino);
    xb_finish(&x);
    xb_inode(&x, ino)[100] ^= 0xff;   /* di_crc */
    put_image(x.img, x.size, 0);
    xb_free(&x);
    capture_stderr(open_with_bad_crc, out, sizeof(out));
    assert_string_equal(out, "");
    setenv("PVBOOT_FSIMAGE_DEBUG", "yes", 1);
    capture_stderr(open_with_bad_crc, out, sizeof(out));
    if (strncmp(out, "pvboot-fsimage: warning: xfs: ", 30) != 0 || !strstr(out, "CRC"))
        fail_msg("stderr: %s", out);
    unsetenv("PVBOOT_FSIMAGE_DEBUG");

    xb_sample(&x, 1, 1);
    put_image(x.img, x.size, 0);
    xb_free(&x);
    capture_stderr(foreign_and_missing, out, sizeof(out));
    assert_string_equal(out, "");                                /* quiet by default */
    setenv("PVBOOT_FSIMAGE_DEBUG", "0", 1);
    capture_stderr(foreign_and_missing, out, sizeof(out));
    assert_string_equal(out, "");
    setenv("PVBOOT_FSIMAGE_DEBUG", "1", 1);
    capture_stderr(foreign_and_missing, out, sizeof(out));
    if (strncmp(out, "pvboot-fsimage: ext: ", 21) != 0 ||
        !strstr(out, "\npvboot-fsimage: xfs: /boot/grub/grub.cfg: 'boot' not found\n"))
        fail_msg("stderr: %s", out);
    unsetenv("PVBOOT_FSIMAGE_DEBUG");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errno, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xfs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ext, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mount_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_debug, setup, teardown),
    };
    return cmocka_run_group_tests_name("fsimage", tests, NULL, NULL);
}
