/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for --runas privilege separation: what the child can still do, and the
 * exit status the parent reports. Needs root; skipped with the reason otherwise. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

#include "cli/depriv.h"
#include "testlib.h"

#define NOBODY 65534

static char outdir[] = "/tmp/pvb-depriv.XXXXXX";

/* The child's verdict as its exit status: 0 = every check held. */
static int child_checks(void)
{
    struct rlimit rl;
    DIR *d;
    struct dirent *e;
    int entries = 0;

    if (getuid() != NOBODY || geteuid() != NOBODY || getgid() != NOBODY)
        return 10;
    if (setuid(0) == 0)
        return 11;
    if (getrlimit(RLIMIT_NPROC, &rl) != 0 || rl.rlim_max != 0)
        return 12;
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_max != (rlim_t)128 << 20)
        return 13;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_max != (rlim_t)256 << 20)
        return 14;
    if (getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_max != 0)
        return 15;
    /* The chroot: an empty directory, not even readable by the new uid. */
    if (access("/etc/passwd", F_OK) == 0 || access("/tmp", F_OK) == 0)
        return 16;
    d = opendir("/");
    if (d) {
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                entries++;
        closedir(d);
    }
    if (entries)
        return 17;
    if (fork() >= 0)   /* RLIMIT_NPROC 0 */
        return 18;
#ifdef __linux__
    {
        int sig = 0;
        /* Killed with its parent; and nothing it could exec gains privileges. */
        if (prctl(PR_GET_PDEATHSIG, (unsigned long)&sig, 0ul, 0ul, 0ul) != 0 || sig != SIGKILL)
            return 19;
#ifdef PR_GET_NO_NEW_PRIVS
        if (prctl(PR_GET_NO_NEW_PRIVS, 0ul, 0ul, 0ul, 0ul) != 1)
            return 20;
#endif
    }
#endif
    return 0;
}

/* Fork a deprivileged child: 0 in the child; 1 in the parent with *status the child's. */
static int depriv(long uid, const char *dir, int *status, char *err, size_t errlen)
{
    struct pvb_depriv dp;
    int rc = pvb_depriv_start(uid, dir, &dp, err, errlen);

    if (rc != 1)
        return rc;
    *status = pvb_depriv_wait(&dp, err, errlen);
    return *status < 0 ? -1 : 1;
}

static void test_child_is_deprivileged(void **state)
{
    char err[256];
    int status = -1, rc;

    (void)state;
    if (geteuid() != 0)
        skip();
    rc = depriv(NOBODY, outdir, &status, err, sizeof(err));
    if (rc == 0)
        _exit(child_checks());
    assert_int_equal(rc, 1);
    assert_int_equal(status, 0);
    assert_int_equal(rmdir(outdir), 0);   /* the chroot directory was removed */
    assert_non_null(mkdtemp(strcpy(outdir, "/tmp/pvb-depriv.XXXXXX")));
}

static void test_status_passes_through(void **state)
{
    char err[256];
    int status = -1, rc;

    (void)state;
    if (geteuid() != 0)
        skip();
    rc = depriv(NOBODY, outdir, &status, err, sizeof(err));
    if (rc == 0)
        _exit(1);   /* a failing child must not become success (pygrub's bug) */
    assert_int_equal(status, 1);
    rc = depriv(NOBODY, outdir, &status, err, sizeof(err));
    if (rc == 0)
        abort();    /* killed by a signal: reported as 1 */
    assert_int_equal(status, 1);
}

static void test_limits_from_environment(void **state)
{
    char err[256];
    int status = -1, rc;

    (void)state;
    if (geteuid() != 0)
        skip();
    setenv("PYGRUB_MAX_FILE_SIZE_MB", "3", 1);
    setenv("PYGRUB_MAX_RAM_USAGE_MB", "300", 1);
    rc = depriv(NOBODY, outdir, &status, err, sizeof(err));
    if (rc == 0) {
        struct rlimit f, a;
        getrlimit(RLIMIT_FSIZE, &f);
        getrlimit(RLIMIT_AS, &a);
        _exit(f.rlim_max == (rlim_t)3 << 20 && a.rlim_max == (rlim_t)300 << 20 ? 0 : 1);
    }
    unsetenv("PYGRUB_MAX_FILE_SIZE_MB");
    unsetenv("PYGRUB_MAX_RAM_USAGE_MB");
    assert_int_equal(status, 0);
}

static void test_bad_outdir(void **state)
{
    char err[256];
    int status;

    (void)state;
    assert_int_equal(depriv(NOBODY, "/nonexistent/dir", &status, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot create a directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_is_deprivileged),
        cmocka_unit_test(test_status_passes_through),
        cmocka_unit_test(test_limits_from_environment),
        cmocka_unit_test(test_bad_outdir),
    };
    int rc;

    if (!mkdtemp(outdir))
        return 1;
    if (geteuid() != 0)
        printf("# runas tests need root: skipped\n");
    rc = cmocka_run_group_tests_name("depriv", tests, NULL, NULL);
    rmdir(outdir);
    return rc;
}
