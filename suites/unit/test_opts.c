/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the pvboot command line: pygrub's getopt.gnu_getopt rules and exit statuses.
 * Statuses and orderings were observed with Debian 12's pygrub 4.17 (see suites/cli for the
 * side-by-side check against it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "testlib.h"

static struct pvb_cli_opts o;

static int parse(const char *line)
{
    static char buf[512];
    char *argv[32];
    int argc = 0;
    char *t;

    snprintf(buf, sizeof(buf), "pvboot %s", line);
    for (t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
        argv[argc++] = t;
    argv[argc] = NULL;
    fflush(stdout);
    return pvb_cli_parse(argc, argv, &o);
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse("img"), PVB_OPTS_CONTINUE);
    assert_string_equal(o.image, "img");
    assert_true(o.interactive);
    assert_int_equal(o.mode, PVB_MODE_BOOT);
    assert_int_equal(o.format, PVB_OUT_SXP);
    assert_string_equal(o.outdir, "/var/run/xen/pygrub/");
    assert_null(o.output);
    assert_true(o.offset == -1 && o.runas == -1 && o.partition == -1);
}

static void test_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(parse(""), 1);                      /* no image */
    assert_int_equal(parse("--out=x img"), 1);           /* ambiguous prefix */
    assert_int_equal(parse("--in img"), 1);              /* interactive or inspect */
    assert_int_equal(parse("--quiet=x img"), 1);         /* no argument allowed */
    assert_int_equal(parse("--bogus img"), 1);
    assert_int_equal(parse("-x img"), 1);
    assert_int_equal(parse("img --output"), 1);          /* missing argument */
    assert_int_equal(parse("-h"), 1);                    /* -h needs an argument in Python */
    assert_int_equal(parse("-h img"), 1);                /* ...so it eats the image */
    assert_int_equal(parse("-hx img"), 0);               /* help: exit 0 */
    assert_int_equal(parse("--help"), 1);                /* no image: usage, 1 */
    assert_int_equal(parse("--help img"), 0);
    assert_int_equal(parse("--runas=x --bogus img"), 1); /* syntax before values */
    assert_int_equal(parse("--runas=x img"), 1);
    assert_int_equal(parse("--offset=0x10 img"), 1);
    assert_int_equal(parse("--output-format=json img"), 1);
    assert_int_equal(parse("--output-directory=/nonexistent/dir img"), 1);
    assert_int_equal(parse("--semantics=magic img"), 1);
    assert_int_equal(parse("--partition=x img"), 1);
}

static void test_runas(void **state)
{
    (void)state;
    assert_int_equal(parse("--runas=5 img"), 1);         /* interactive needs no runas */
    assert_int_equal(parse("-q --runas=5 img"), PVB_OPTS_CONTINUE);
    assert_int_equal(o.runas, 5);
    assert_int_equal(parse("--runas=0 img"), PVB_OPTS_CONTINUE);   /* 0 is false in Python */
    assert_int_equal(parse("--runas 7 --entry=1 img"), PVB_OPTS_CONTINUE);
    assert_int_equal(o.runas, 7);
    assert_false(o.interactive);
}

static void test_values(void **state)
{
    (void)state;
    assert_int_equal(parse("img --output=- --ent 2 -qln"), PVB_OPTS_CONTINUE);
    assert_null(o.output);
    assert_string_equal(o.entry, "2");
    assert_false(o.interactive);
    assert_int_equal(o.mode, PVB_MODE_LIST);
    assert_true(o.not_really);
    assert_int_equal(parse("--output out --k=/vmlinuz --ramdisk=/r --args=a=b img"),
                     PVB_OPTS_CONTINUE);
    assert_string_equal(o.output, "out");
    assert_string_equal(o.kernel, "/vmlinuz");
    assert_string_equal(o.ramdisk, "/r");
    assert_string_equal(o.args, "a=b");
    assert_int_equal(parse("--offset=1_048_576 --output-format=simple0 --output-directory=/tmp img"),
                     PVB_OPTS_CONTINUE);
    assert_true(o.offset == 1048576);
    assert_int_equal(o.format, PVB_OUT_SIMPLE0);
    assert_string_equal(o.outdir, "/tmp");
    assert_int_equal(parse("--offset=-5 img"), PVB_OPTS_CONTINUE);
    assert_true(o.offset == -5);
    assert_int_equal(parse("--offset=1__0 img"), 1);
    assert_int_equal(parse("-- -q"), PVB_OPTS_CONTINUE);
    assert_string_equal(o.image, "-q");
    assert_true(o.interactive);
    assert_int_equal(parse("a b c"), PVB_OPTS_CONTINUE);
    assert_string_equal(o.image, "a");
    assert_int_equal(parse("-q -i img"), PVB_OPTS_CONTINUE);
    assert_true(o.interactive);
    assert_int_equal(parse("--isconfig grub.cfg"), PVB_OPTS_CONTINUE);
    assert_int_equal(o.mode, PVB_MODE_ISCONFIG);
}

static void test_pvboot_options(void **state)
{
    (void)state;
    assert_int_equal(parse("--inspect --json img"), PVB_OPTS_CONTINUE);
    assert_int_equal(o.mode, PVB_MODE_INSPECT);
    assert_true(o.json);
    assert_false(o.interactive);
    assert_int_equal(parse("--cat=/boot/grub/grub.cfg --partition=5 img"), PVB_OPTS_CONTINUE);
    assert_int_equal(o.mode, PVB_MODE_CAT);
    assert_string_equal(o.path, "/boot/grub/grub.cfg");
    assert_int_equal(o.partition, 5);
    assert_null(o.device);
    /* a logical volume by either of GRUB's names; the last --partition wins */
    assert_int_equal(parse("--ls=/ --partition=5 --partition=lvm/vg-root img"), PVB_OPTS_CONTINUE);
    assert_string_equal(o.device, "lvm/vg-root");
    assert_int_equal(o.partition, -1);
    assert_int_equal(parse("--ls=/ --partition=(lvmid/a/b) --partition=2 img"), PVB_OPTS_CONTINUE);
    assert_null(o.device);
    assert_int_equal(o.partition, 2);
    assert_int_equal(parse("--ls=/ --partition=(lvmid/a/b) img"), PVB_OPTS_CONTINUE);
    assert_string_equal(o.device, "(lvmid/a/b)");
    assert_int_equal(parse("--ls=/ --format=qcow2 --allow-backing --backing-dir=/x "
                           "--semantics=fedora --strict img"), PVB_OPTS_CONTINUE);
    assert_int_equal(o.mode, PVB_MODE_LS);
    assert_string_equal(o.image_format, "qcow2");
    assert_true(o.allow_backing && o.strict);
    assert_string_equal(o.backing_dir, "/x");
    assert_string_equal(o.semantics, "fedora");
    assert_int_equal(parse("--semantics=suse img"), PVB_OPTS_CONTINUE);
    assert_string_equal(o.semantics, "suse");
}

static void test_posixly_correct(void **state)
{
    (void)state;
    setenv("POSIXLY_CORRECT", "1", 1);
    assert_int_equal(parse("img -q"), PVB_OPTS_CONTINUE);
    assert_true(o.interactive);                          /* -q was an operand */
    unsetenv("POSIXLY_CORRECT");
    assert_int_equal(parse("img -q"), PVB_OPTS_CONTINUE);
    assert_false(o.interactive);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_runas),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_pvboot_options),
        cmocka_unit_test(test_posixly_correct),
    };
    return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
