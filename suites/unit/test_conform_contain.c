/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for containment: what a run leaves behind (a daemon in a session of its own, a crowd of children) is dead once the run is over, under each mechanism this machine allows; each one it does not is skipped with the reason. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "conform/conform.h"
#include "conform/contain.h"
#include "conform/files.h"
#include "conform/proc.h"
#include "util/mem.h"

#define CROWD 20

/*
 * $1: a directory for pid files. A daemon the classic way (a double fork,
 * setsid, stdio closed) and a crowd of children, each in a session of its
 * own, each writing its pid as the host sees it: /proc/self/stat, opened by
 * the shell itself, is read through the host's /proc also inside a PID
 * namespace. Then it waits until all have written (up to a minute: under a
 * loaded make check 20 shells took more than the 10 s this once allowed) and
 * exits 0, leaving them running (they sleep for a time no other test uses).
 */
static const char leave_behind[] =
    "( setsid sh -c 'read p _ < /proc/self/stat; echo $p > \"$1/daemon.new\"; mv \"$1/daemon.new\" \"$1/daemon\";"
    "  exec sleep 617' sh \"$1\" < /dev/null > /dev/null 2>&1 & ); "
    "i=0; while [ $i -lt " "20" " ]; do"
    "  setsid sh -c 'read p _ < /proc/self/stat; echo $p >> \"$1/crowd\"; exec sleep 618' sh \"$1\" "
    "    < /dev/null > /dev/null 2>&1 &"
    "  i=$((i + 1)); done; "
    "i=0; while { [ ! -s \"$1/daemon\" ] || [ \"$(wc -l < \"$1/crowd\")\" -lt 20 ]; } && [ $i -lt 1200 ]; do"
    "  sleep 0.05; i=$((i + 1)); done; "
    "exit 0";

/* A test's context and the box it probes, ended by the teardown too: a
 * failed assertion must not leave a cgroup behind on the machine. */
struct fixture {
    struct test_ctx t;
    struct cf_contain box;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    test_ctx_init(&f->t);
    f->box.box_fd = -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cf_contain_end(&f->t.c, &f->box);  /* nothing left to do after a test that ended it */
    free(f);
    return 0;
}

/* Running, not a zombie waiting for its reaper (a killed orphan may be one for a while). */
static int alive(pid_t pid)
{
    char path[64], buf[512], *close_paren;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    close_paren = strrchr(buf, ')');
    return close_paren && close_paren[1] == ' ' && close_paren[2] != 'Z' && close_paren[2] != 'X';
}

/* The pids written to path, at most cap. */
static size_t read_pids(const char *path, pid_t *v, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    long p;

    if (!f)
        return 0;
    while (n < cap && fscanf(f, "%ld", &p) == 1)
        v[n++] = (pid_t)p;
    fclose(f);
    return n;
}

/* Run leave_behind under box (NULL: the session only). want_dead: everything
 * it left must be dead once the run is finished; else (the session only)
 * the daemon must have survived, and is killed here. */
static void run_and_count(struct test_ctx *t, struct cf_contain *box, int want_dead)
{
    char dir[] = "/tmp/pvb-contain.XXXXXX", path[128];
    char *argv[] = { "/bin/sh", "-c", (char *)leave_behind, "sh", dir, NULL };
    pid_t pids[CROWD + 1];
    struct cf_limits l;
    struct cf_proc p;
    size_t n, i, living = 0;

    assert_non_null(mkdtemp(dir));
    memset(&l, 0, sizeof(l));
    l.timeout = 30;
    l.capture = 1000;
    l.flood = 1 << 20;
    l.box = box;
    assert_int_equal(cf_proc_run(&t->c, &p, argv, NULL, dir, &l), 0);
    assert_true(p.finished);
    assert_true(p.have_exit);
    assert_true(WIFEXITED(p.ex.wstatus));
    assert_int_equal(WEXITSTATUS(p.ex.wstatus), 0);
    /* What the runner tells: a namespace's init or the cgroup saw them. */
    assert_int_equal(p.ex.left, box && box->have ? 1 : -1);
    assert_false(p.cg_stuck);
    snprintf(path, sizeof(path), "%s/daemon", dir);
    assert_int_equal(read_pids(path, pids, 1), 1);
    snprintf(path, sizeof(path), "%s/crowd", dir);
    n = read_pids(path, pids + 1, CROWD);
    assert_int_equal(n, CROWD);
    for (i = 0; i <= n; i++)
        living += alive(pids[i]);
    if (want_dead) {
        if (living)
            fail_msg("%zu of the %zu processes the program left are still running", living, n + 1);
    } else {
        /* The hole a session leaves: this is what the other mechanisms close. */
        assert_true(alive(pids[0]));
        for (i = 0; i <= n; i++)
            kill(pids[i], SIGKILL);
    }
    cf_proc_free(&t->c, &p);
    assert_int_equal(cf_remove_tree(&t->c, dir), 0);
}

/* Probe for mech alone; 0 (with the reason printed) when this machine does not allow it. */
static int have(struct test_ctx *t, struct cf_contain *box, unsigned mech)
{
    assert_int_equal(cf_contain_probe(&t->c, box, mech, "pvb-test"), 0);
    assert_int_equal(box->want, mech);
    assert_int_equal(box->have & ~mech, 0);
    if (box->have == mech) {
        assert_string_equal(box->why, "");
        return 1;
    }
    assert_true(box->why[0] != '\0');
    print_message("# SKIP: %s\n", box->why);
    return 0;
}

static void test_probe(void **state)
{
    struct fixture *f = *state;
    struct cf_contain *box = &f->box, dflt;
    struct pvb_ctx *c = &f->t.c;
    char line[CF_CONTAIN_WHY + 256], *path = NULL, *under = NULL;
    struct stat st;
    unsigned dflt_have;

    /* Asking for nothing: the session only, and no reason needed. */
    assert_int_equal(cf_contain_probe(c, box, 0, "pvb-test"), 0);
    assert_int_equal(box->have, 0);
    assert_string_equal(box->why, "");
    assert_int_equal(box->box_fd, -1);
    cf_contain_describe(box, line, sizeof(line));
    assert_string_equal(line, "own session");
    assert_int_equal(cf_contain_end(c, box), 0);
    /* Everything: what is missing says why, and the box goes at the end. */
    assert_int_equal(cf_contain_probe(c, box, CF_CONTAIN_ALL, "pvb-test"), 0);
    cf_contain_describe(box, line, sizeof(line));
    print_message("# in effect here: %s%s%s\n", line, box->why[0] ? "; not: " : "", box->why);
    if (!(box->have & CF_CONTAIN_CGROUP))
        assert_non_null(strstr(box->why, "cgroup: "));
    if (!(box->have & CF_CONTAIN_PIDNS))
        assert_non_null(strstr(box->why, "pid namespace: "));
    if (box->have & CF_CONTAIN_CGROUP) {
        /* The default takes the cgroup alone where there is one. */
        assert_int_equal(cf_contain_probe(c, &dflt, CF_CONTAIN_AUTO, "pvb-test2"), 0);
        dflt_have = dflt.have;
        assert_int_equal(cf_contain_end(c, &dflt), 0);
        assert_int_equal(dflt_have, CF_CONTAIN_CGROUP);
        /* Named by the runner's own cgroup, which stays from run to run. */
        under = cf_printf(c, "; a cgroup v2 of its own under %.*s (killed by ",
                          (int)(strrchr(box->box, '/') - box->box), box->box);
        path = cf_printf(c, "%s", box->box);
        assert_non_null(under);
        assert_non_null(path);
        assert_non_null(strstr(line, under));
        assert_int_equal(stat(path, &st), 0);
    }
    assert_int_equal(cf_contain_end(c, box), 0);
    if (path)
        assert_int_equal(stat(path, &st), -1);  /* the box is gone */
    pvb_free(c, path);
    pvb_free(c, under);
    assert_int_equal(c->mem_used, 0);
}

/* The control: without a cgroup or namespace, a daemon outlives its run.
 * Without it the other tests could pass by checking nothing. */
static void test_session_only_leaks(void **state)
{
    struct test_ctx t;

    (void)state;
    test_ctx_init(&t);
    run_and_count(&t, NULL, 0);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_cgroup(void **state)
{
    struct fixture *f = *state;

    if (!have(&f->t, &f->box, CF_CONTAIN_CGROUP))
        skip();
    run_and_count(&f->t, &f->box, 1);
    /* Kernels before 5.14 have no cgroup.kill: the runner walks cgroup.procs. */
    f->box.kill_file = 0;
    run_and_count(&f->t, &f->box, 1);
    assert_int_equal(cf_contain_end(&f->t.c, &f->box), 0);
    assert_int_equal(f->t.c.mem_used, 0);
}

static void test_pid_namespace(void **state)
{
    struct fixture *f = *state;
    struct cf_limits l;
    struct cf_proc p;
    char *argv[] = { "/bin/sh", "-c", "echo $$; kill -SEGV $$", NULL };

    if (!have(&f->t, &f->box, CF_CONTAIN_PIDNS))
        skip();
    run_and_count(&f->t, &f->box, 1);
    /* The program is not the namespace's init (pid 1 ignores the signals
     * it sends itself): a crash is a crash. */
    memset(&l, 0, sizeof(l));
    l.timeout = 10;
    l.capture = 100;
    l.box = &f->box;
    assert_int_equal(cf_proc_run(&f->t.c, &p, argv, NULL, NULL, &l), 0);
    assert_string_equal(p.out.buf, "2\n");
    assert_true(p.have_exit);
    assert_true(WIFSIGNALED(p.ex.wstatus));
    assert_int_equal(WTERMSIG(p.ex.wstatus), SIGSEGV);
    assert_int_equal(p.ex.left, 0);
    cf_proc_free(&f->t.c, &p);
    assert_int_equal(cf_contain_end(&f->t.c, &f->box), 0);
    assert_int_equal(f->t.c.mem_used, 0);
}

static void test_both(void **state)
{
    struct fixture *f = *state;

    if (!have(&f->t, &f->box, CF_CONTAIN_ALL))
        skip();
    run_and_count(&f->t, &f->box, 1);
    assert_int_equal(cf_contain_end(&f->t.c, &f->box), 0);
    assert_int_equal(f->t.c.mem_used, 0);
}

/* A setup step of the runner that fails is reported as the runner's, with
 * the step: here a directory that is not there, and an image it cannot read. */
static void test_setup_failures(void **state)
{
    struct test_ctx t;
    struct cf_limits l;
    struct cf_proc p;
    char *argv[] = { "/bin/true", NULL };

    (void)state;
    test_ctx_init(&t);
    memset(&l, 0, sizeof(l));
    l.timeout = 10;
    l.capture = 100;
    assert_int_equal(cf_proc_run(&t.c, &p, argv, NULL, "/nonexistent/pvb-dir", &l), 0);
    assert_true(p.have_exit);
    assert_int_equal(p.ex.setup_errno, ENOENT);
    assert_int_equal(p.ex.setup_stage, CF_SETUP_RUNNER);
    assert_string_equal(p.ex.setup_what, "chdir to its directory");
    cf_proc_free(&t.c, &p);
    l.readable = "/nonexistent/pvb-image";
    assert_int_equal(cf_proc_run(&t.c, &p, argv, NULL, NULL, &l), 0);
    assert_int_equal(p.ex.setup_stage, CF_SETUP_RUNNER);
    assert_string_equal(p.ex.setup_what, "read access to the image");
    cf_proc_free(&t.c, &p);
    /* exec itself: the program cannot run here, which is no fault of the runner's. */
    argv[0] = "/nonexistent/pvb-program";
    l.readable = NULL;
    assert_int_equal(cf_proc_run(&t.c, &p, argv, NULL, NULL, &l), 0);
    assert_int_equal(p.ex.setup_errno, ENOENT);
    assert_int_equal(p.ex.setup_stage, CF_SETUP_EXEC);
    cf_proc_free(&t.c, &p);
    assert_int_equal(t.c.mem_used, 0);
}

/* Another user, and RLIMIT_NPROC for it: root only. */
static void test_run_as(void **state)
{
    struct test_ctx t;
    struct cf_limits l;
    struct cf_proc p;
    char *argv[] = { "/bin/sh", "-c", "id -u; id -g; id -G; awk '/^Max processes/ { print $3 }' /proc/self/limits",
                     NULL };

    (void)state;
    if (geteuid() != 0) {
        print_message("# SKIP: running a program as another user needs root\n");
        skip();
    }
    test_ctx_init(&t);
    memset(&l, 0, sizeof(l));
    l.timeout = 10;
    l.capture = 200;
    l.run_as = 1;
    l.uid = 3999998;
    l.gid = 3999997;
    l.nproc = 7;
    assert_int_equal(cf_proc_run(&t.c, &p, argv, NULL, "/", &l), 0);
    assert_true(p.have_exit);
    assert_int_equal(p.ex.setup_errno, 0);
    assert_string_equal(p.out.buf, "3999998\n3999997\n3999997\n7\n");
    cf_proc_free(&t.c, &p);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_probe, setup, teardown),
        cmocka_unit_test(test_session_only_leaks),
        cmocka_unit_test_setup_teardown(test_cgroup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pid_namespace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_both, setup, teardown),
        cmocka_unit_test(test_setup_failures),
        cmocka_unit_test(test_run_as),
    };
    signal(SIGPIPE, SIG_IGN);  /* as pvconform does */
    return cmocka_run_group_tests_name("conform_contain", tests, NULL, NULL);
}
