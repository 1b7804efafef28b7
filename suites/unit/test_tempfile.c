/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for pygrub-style output file names (expectations from Python's posixpath). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/tempfile.h"
#include "testlib.h"

static void check_abs(const char *in, const char *want)
{
    char out[4096];

    assert_int_equal(pvb_abspath(in, out, sizeof(out)), 0);
    assert_string_equal(out, want);
}

static void test_abspath(void **state)
{
    char cwd[4096], want[4200], out[8];

    (void)state;
    /* os.path.abspath results, checked with CPython 3.11. */
    check_abs("/var/run/xen/pygrub//boot_kernel.x", "/var/run/xen/pygrub/boot_kernel.x");
    check_abs("/tmp/x/./y/../z", "/tmp/x/z");
    check_abs("/..", "/");
    check_abs("/", "/");
    check_abs("//a//b", "//a/b");        /* exactly two leading slashes stay */
    check_abs("///a", "/a");
    check_abs("/a/b/../../..", "/");
    check_abs("/a/", "/a");
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    snprintf(want, sizeof(want), "%s/rel/f", strcmp(cwd, "/") ? cwd : "");
    check_abs("rel/./f", want);
    assert_int_equal(pvb_abspath("/abcdefgh", out, sizeof(out)), -1);
}

static void test_mkstemp(void **state)
{
    char dir[] = "/tmp/pvb-mkstemp.XXXXXX", path[4096], path2[4096], slashed[64];
    struct stat st;
    const char *name;
    int fd, fd2, i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(slashed, sizeof(slashed), "%s/", dir);
    fd = pvb_mkstemp(slashed, "boot_kernel.", path, sizeof(path));
    assert_true(fd >= 0);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
    name = path + strlen(dir);
    assert_int_equal(strncmp(name, "/boot_kernel.", 13), 0);   /* "//" collapsed */
    assert_int_equal(strlen(name + 13), 8);
    for (i = 0; i < 8; i++)
        assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz0123456789_", name[13 + i]));
    fd2 = pvb_mkstemp(dir, "boot_kernel.", path2, sizeof(path2));
    assert_true(fd2 >= 0);
    assert_string_not_equal(path, path2);
    close(fd);
    close(fd2);
    unlink(path);
    unlink(path2);
    rmdir(dir);
    errno = 0;
    assert_int_equal(pvb_mkstemp("/nonexistent/dir", "x.", path, sizeof(path)), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(pvb_mkstemp("/tmp", "x.", path, 10), -1);
    assert_int_equal(errno, ENAMETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abspath),
        cmocka_unit_test(test_mkstemp),
    };
    return cmocka_run_group_tests_name("tempfile", tests, NULL, NULL);
}
