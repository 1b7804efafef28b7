/* SPDX-License-Identifier: GPL-2.0-only */
/* pvb_fs_identify: each signature of a volume pvboot does not read, placed in memory. */
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "testlib.h"
#include "util/bytes.h"

#define VOL (512 * 1024)

static uint8_t *img;

static int setup(void **state)
{
    (void)state;
    img = calloc(1, VOL);
    return img ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(img);
    return 0;
}

/* Identify img[0..len): the return code and the description. */
static int ident(size_t len, char *out, size_t cap, unsigned fail_read)
{
    struct test_ctx t;
    struct pvb_disk *d;
    int rc;

    test_ctx_init(&t);
    assert_int_equal(pvb_disk_open_mem(&t.c, img, len, &d), 0);
    if (fail_read)
        pvb_disk_mem_fail_at(d, fail_read);
    rc = pvb_fs_identify(d, out, cap);
    pvb_disk_close(d);
    assert_int_equal(t.c.mem_used, 0);
    return rc;
}

static int last_rc;   /* name()'s pvb_fs_identify result */

static const char *name(size_t len)
{
    static char out[128];
    int rc = ident(len, out, sizeof(out), 0);

    assert_true(rc == 0 || rc == PVB_FS_ID_UNREAD || rc == PVB_FS_ID_VOLMGR);
    assert_int_equal(rc != 0, out[0] != '\0');
    last_rc = rc;
    return out;
}

static void test_lvm2(void **state)
{
    (void)state;
    memcpy(img + 512, "LABELONE", 8);
    assert_string_equal(name(VOL), "");                  /* no type: not LVM2 */
    memcpy(img + 512 + 24, "LVM2 001", 8);
    assert_string_equal(name(VOL), "an LVM2 physical volume (label in sector 1)");
    assert_int_equal(last_rc, PVB_FS_ID_VOLMGR);   /* ref/vol reads its logical volumes */
    memset(img, 0, 2048);
    memcpy(img + 3 * 512, "LABELONE\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0LVM2 001", 32);
    assert_string_equal(name(VOL), "an LVM2 physical volume (label in sector 3)");
    memset(img, 0, 2048);
    memcpy(img + 4 * 512, "LABELONE\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0LVM2 001", 32);
    assert_string_equal(name(VOL), "");                  /* sector 4: past LVM2's scan */
}

static void test_swap(void **state)
{
    (void)state;
    memcpy(img + 4096 - 10, "SWAPSPACE2", 10);
    assert_string_equal(name(VOL), "a Linux swap area (SWAPSPACE2, 4096-byte pages)");
    memset(img + 4096 - 10, 0, 10);
    memcpy(img + 65536 - 10, "SWAP-SPACE", 10);
    assert_string_equal(name(VOL), "a Linux swap area (SWAP-SPACE, 65536-byte pages)");
    assert_string_equal(name(65535), "");                /* the page is not all there */
    memset(img + 65536 - 10, 0, 10);
    memcpy(img + 4096 - 10, "S1SUSPEND", 9);
    assert_string_equal(name(VOL), "a Linux swap area holding a hibernation image (S1SUSPEND, 4096-byte pages)");
}

static void test_ufs(void **state)
{
    (void)state;
    pvb_put_le32(img + 8192 + 1372, 0x00011954);
    assert_string_equal(name(VOL), "a UFS1 filesystem (superblock at 8 KiB)");
    memset(img + 8192 + 1372, 0, 4);
    pvb_put_be32(img + 65536 + 1372, 0x19540119);        /* big-endian (SPARC) */
    assert_string_equal(name(VOL), "a UFS2 filesystem (superblock at 64 KiB)");
    memset(img + 65536 + 1372, 0, 4);
    pvb_put_le32(img + 8192 + 1372, 0x00DECADE);
    assert_string_equal(name(VOL), "a multi-terabyte UFS filesystem (superblock at 8 KiB)");
}

static void test_zfs(void **state)
{
    (void)state;
    pvb_put_le64(img + 128 * 1024 + 5 * 1024, 0x00bab10c);
    assert_string_equal(name(VOL), "a ZFS pool device (uberblock at 133 KiB of label 0)");
    assert_string_equal(name(200 * 1024), "");           /* too small for a label */
    memset(img + 128 * 1024 + 5 * 1024, 0, 8);
    pvb_put_be64(img + 255 * 1024, 0x00bab10c);
    assert_string_equal(name(VOL), "a ZFS pool device (uberblock at 255 KiB of label 0)");
    pvb_put_be64(img + 255 * 1024 + 8, 0);
}

static void test_vtoc(void **state)
{
    (void)state;
    pvb_put_le16(img + 512 + 508, 0xDABE);
    assert_string_equal(name(VOL), "");                  /* no sane VTOC */
    pvb_put_le32(img + 512 + 12, 0x600DDEEE);
    pvb_put_le16(img + 512 + 30, 8);
    assert_string_equal(name(VOL), "a Solaris VTOC of 8 slices (sector 1)");
}

static void test_nothing_and_faults(void **state)
{
    char out[128];
    unsigned n;
    int rc;

    (void)state;
    assert_string_equal(name(VOL), "");
    assert_string_equal(name(100), "");
    assert_string_equal(name(0), "");
    pvb_put_le64(img + 200 * 1024, 0x00bab10c);          /* ZFS, found by the last read */
    for (n = 1; (rc = ident(VOL, out, sizeof(out), n)) != 1; n++)
        assert_int_equal(rc, PVB_EIO);                   /* a failed read is never "nothing" */
    assert_true(n > 8);
}

/* pvb_fs_mount names what it found when no driver mounts. */
static void test_mount_message(void **state)
{
    struct test_ctx t;
    struct pvb_disk *d;
    struct pvb_fs *fs;

    (void)state;
    test_ctx_init(&t);
    memcpy(img + 4096 - 10, "SWAPSPACE2", 10);
    assert_int_equal(pvb_disk_open_mem(&t.c, img, VOL, &d), 0);
    assert_int_equal(pvb_fs_mount(d, &fs), PVB_ENOTMINE);
    assert_string_equal(t.c.msg, "fs: a Linux swap area (SWAPSPACE2, 4096-byte pages), which "
                        "pvboot does not read");
    pvb_disk_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lvm2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ufs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zfs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vtoc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_and_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mount_message, setup, teardown),
    };
    return cmocka_run_group_tests_name("identify", tests, NULL, NULL);
}
