/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/disk: bounds, raw files, memory disks with injected faults, views, probing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disk/disk.h"
#include "disk/format.h"
#include "testlib.h"

static char tmpl[64];

static int make_file(const void *buf, size_t n)
{
    int fd;

    strcpy(tmpl, "/tmp/pvb-test-disk.XXXXXX");
    fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    return fd;
}

static void test_mem_disk(void **state)
{
    uint8_t img[1024], buf[16];
    struct test_ctx t;
    struct pvb_disk *d;
    int i;

    (void)state;
    for (i = 0; i < 1024; i++)
        img[i] = (uint8_t)i;
    test_ctx_init(&t);
    assert_int_equal(pvb_disk_open_mem(&t.c, img, sizeof(img), &d), 0);
    assert_true(d->size == 1024);
    assert_int_equal(pvb_disk_pread(d, buf, 4, 1020), 0);
    assert_int_equal(buf[3], 0xff);
    assert_int_equal(pvb_disk_pread(d, buf, 0, 1024), 0);
    assert_int_equal(pvb_disk_pread(d, buf, 5, 1020), PVB_ERANGE);
    assert_msg_has(&t.c, "past the end");
    assert_int_equal(pvb_disk_pread(d, buf, 1, UINT64_MAX), PVB_ERANGE);
    assert_int_equal(pvb_disk_mem_reads(d), 1);
    /* The second read from now fails, once. */
    pvb_disk_mem_fail_at(d, 2);
    assert_int_equal(pvb_disk_pread(d, buf, 1, 0), 0);
    assert_int_equal(pvb_disk_pread(d, buf, 1, 0), PVB_EIO);
    assert_msg_has(&t.c, "injected");
    assert_int_equal(pvb_disk_pread(d, buf, 1, 0), 0);
    pvb_disk_mem_fail_at(d, 1);
    pvb_disk_mem_fail_at(d, 0);
    assert_int_equal(pvb_disk_pread(d, buf, 1, 0), 0);
    pvb_disk_close(d);
    pvb_disk_close(NULL);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_sub_view(void **state)
{
    uint8_t img[1024], buf[8];
    struct test_ctx t;
    struct pvb_disk *d, *s, *s2;
    int i;

    (void)state;
    for (i = 0; i < 1024; i++)
        img[i] = (uint8_t)(i / 4);
    test_ctx_init(&t);
    assert_int_equal(pvb_disk_open_mem(&t.c, img, sizeof(img), &d), 0);
    assert_int_equal(pvb_disk_open_sub(d, 512, 512, &s), 0);
    assert_true(s->size == 512);
    assert_int_equal(pvb_disk_pread(s, buf, 4, 0), 0);
    assert_int_equal(buf[0], 128);
    assert_int_equal(pvb_disk_pread(s, buf, 1, 512), PVB_ERANGE);
    /* A view of a view. */
    assert_int_equal(pvb_disk_open_sub(s, 4, 8, &s2), 0);
    assert_int_equal(pvb_disk_pread(s2, buf, 8, 0), 0);
    assert_int_equal(buf[0], 129);
    assert_int_equal(pvb_disk_pread(s2, buf, 8, 1), PVB_ERANGE);
    pvb_disk_close(s2);
    assert_int_equal(pvb_disk_open_sub(d, 512, 513, &s2), PVB_ERANGE);
    assert_int_equal(pvb_disk_open_sub(d, UINT64_MAX, 2, &s2), PVB_ERANGE);
    /* A failure of the disk below reaches the reader of the view. */
    pvb_disk_mem_fail_at(d, 1);
    assert_int_equal(pvb_disk_pread(s, buf, 1, 0), PVB_EIO);
    pvb_disk_close(s);
    pvb_disk_close(d);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_raw_file(void **state)
{
    uint8_t img[5000], buf[5000];
    struct test_ctx t;
    struct pvb_disk *d;
    int fd, i;

    (void)state;
    for (i = 0; i < 5000; i++)
        img[i] = (uint8_t)(i * 7);
    fd = make_file(img, sizeof(img));
    test_ctx_init(&t);
    assert_int_equal(pvb_disk_open_fd(&t.c, fd, 0, &d), 0);
    assert_true(d->size == 5000);
    assert_string_equal(d->ops->name, "raw");
    assert_int_equal(pvb_disk_pread(d, buf, 5000, 0), 0);
    assert_memory_equal(buf, img, 5000);
    assert_int_equal(pvb_disk_pread(d, buf, 100, 4950), PVB_ERANGE);
    /* The file shrinks under us: a clean I/O error, not garbage. */
    assert_int_equal(ftruncate(fd, 100), 0);
    assert_int_equal(pvb_disk_pread(d, buf, 200, 0), PVB_EIO);
    assert_msg_has(&t.c, "end of file");
    pvb_disk_close(d);
    /* Not owned: still open. */
    assert_int_equal(pread(fd, buf, 1, 0), 1);
    close(fd);
    /* A closed descriptor cannot be sized. */
    assert_int_equal(pvb_disk_open_fd(&t.c, fd, 0, &d), PVB_EIO);
    unlink(tmpl);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_raw_not_file(void **state)
{
    struct test_ctx t;
    struct pvb_disk *d;
    int fd;

    (void)state;
    test_ctx_init(&t);
    fd = open("/dev/null", O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(pvb_disk_open_fd(&t.c, fd, 1, &d), PVB_EINVAL);
    close(fd);
    fd = open("/tmp", O_RDONLY);
    assert_int_equal(pvb_disk_open_fd(&t.c, fd, 1, &d), PVB_EINVAL);
    close(fd);
}

static void test_open_path(void **state)
{
    uint8_t img[600] = { 1, 2, 3 };
    struct pvb_disk_opts o;
    struct test_ctx t;
    struct pvb_disk *d;
    const char *name;
    uint8_t b;
    int fd;

    (void)state;
    fd = make_file(img, sizeof(img));
    close(fd);
    test_ctx_init(&t);
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, NULL, &d), 0);
    assert_true(d->size == 600);
    assert_int_equal(pvb_disk_pread(d, &b, 1, 2), 0);
    assert_int_equal(b, 3);
    assert_int_equal(pvb_format_detect(&t.c, d, &name), 0);
    assert_string_equal(name, "raw");
    pvb_disk_close(d);
    memset(&o, 0, sizeof(o));
    o.format = "raw";
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, &o, &d), 0);
    pvb_disk_close(d);
    o.format = "auto";
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, &o, &d), 0);
    pvb_disk_close(d);
    o.format = "floppy";
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, &o, &d), PVB_EINVAL);
    assert_msg_has(&t.c, "unknown image format 'floppy'");
    unlink(tmpl);
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, NULL, &d), PVB_EIO);
    assert_msg_has(&t.c, "No such file");
    /* An empty image opens as an empty raw disk. */
    fd = make_file(img, 0);
    close(fd);
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, NULL, &d), 0);
    assert_true(d->size == 0);
    pvb_disk_close(d);
    unlink(tmpl);
    assert_int_equal(t.c.mem_used, 0);
}

/* Every allocation failing in turn: a clean PVB_ELIMIT and nothing leaked. */
static void test_alloc_limit(void **state)
{
    uint8_t img[1024] = { 0 };
    struct test_ctx t;
    struct pvb_disk *d, *s;
    size_t lim;
    int fd, rc;

    (void)state;
    fd = make_file(img, sizeof(img));
    test_ctx_init(&t);
    for (lim = 0; lim < 400; lim += 8) {
        t.c.lim.max_mem = lim;
        rc = pvb_disk_open_mem(&t.c, img, sizeof(img), &d);
        assert_true(rc == 0 || rc == PVB_ELIMIT);
        if (rc == 0) {
            rc = pvb_disk_open_sub(d, 0, 10, &s);
            assert_true(rc == 0 || rc == PVB_ELIMIT);
            if (rc == 0)
                pvb_disk_close(s);
            pvb_disk_close(d);
        }
        rc = pvb_disk_open_fd(&t.c, fd, 0, &d);
        assert_true(rc == 0 || rc == PVB_ELIMIT);
        if (rc == 0)
            pvb_disk_close(d);
        assert_int_equal(t.c.mem_used, 0);
    }
    /* Opening by path fails cleanly too, and closes the file. */
    t.c.lim.max_mem = 0;
    assert_int_equal(pvb_disk_open_path(&t.c, tmpl, NULL, &d), PVB_ELIMIT);
    close(fd);
    unlink(tmpl);
}

/* The host refuses the read itself: PVB_EIO with the system's reason. */
static void test_raw_read_error(void **state)
{
    uint8_t img[600] = { 0 }, b;
    struct test_ctx t;
    struct pvb_disk *d;
    int fd;

    (void)state;
    fd = make_file(img, sizeof(img));
    close(fd);
    fd = open(tmpl, O_WRONLY);
    assert_true(fd >= 0);
    test_ctx_init(&t);
    assert_int_equal(pvb_disk_open_fd(&t.c, fd, 1, &d), 0);
    assert_int_equal(pvb_disk_pread(d, &b, 1, 0), PVB_EIO);
    assert_msg_has(&t.c, "Bad file descriptor");
    /* Probing needs a read too. */
    assert_int_equal(pvb_format_open(&t.c, d, tmpl, NULL, &d), PVB_EIO);
    pvb_disk_close(d);
    /* A directory is neither an image file nor a device. */
    assert_int_equal(pvb_disk_open_path(&t.c, "/tmp", NULL, &d), PVB_EINVAL);
    unlink(tmpl);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mem_disk),
        cmocka_unit_test(test_sub_view),
        cmocka_unit_test(test_raw_file),
        cmocka_unit_test(test_raw_not_file),
        cmocka_unit_test(test_open_path),
        cmocka_unit_test(test_alloc_limit),
        cmocka_unit_test(test_raw_read_error),
    };
    return cmocka_run_group_tests_name("disk", tests, NULL, NULL);
}
