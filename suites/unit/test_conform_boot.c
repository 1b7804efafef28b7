/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for pvconform's real boots: the guest's console, the qemu command, the boot judge and its verdicts. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "conform/boot.h"
#include "conform/expect.h"
#include "conform/impl.h"
#include "util/mem.h"

#define SHA_A "4b3f99530d988342b3e1166f63e41868fc32f9e897173044fc0792dddbedf4e1"
#define CMDLINE "root=/dev/xvda1 ro \"a b\" c=\\\"d\\\" console=ttyS0"

/* Parse a console given as a literal (sizeof - 1 keeps NUL bytes in it). */
#define CONSOLE(lit, con) cf_boot_console((lit), sizeof(lit) - 1, (con))

static void assert_console(const struct cf_console *con, enum cf_console_state st, const char *text)
{
    assert_int_equal(con->state, st);
    if (!text) {
        assert_null(con->text);
        return;
    }
    assert_non_null(con->text);
    assert_int_equal(con->len, strlen(text));
    assert_memory_equal(con->text, text, con->len);
}

static void test_console_marker(void **state)
{
    struct cf_console con;

    (void)state;
    CONSOLE("", &con);
    assert_console(&con, CF_CONSOLE_NOTHING, NULL);
    assert_false(cf_boot_console_done(&con));
    /* SeaBIOS leaves escape codes on the marker's line; the tty writes \r\n. */
    CONSOLE("Booting from ROM...\r\nc\033[?7l\033[2J\npvboot-realboot: cmdline=[" CMDLINE "]\r\n"
            "[    2.3] reboot: Power down\r\n", &con);
    assert_console(&con, CF_CONSOLE_CMDLINE, CMDLINE);
    assert_true(cf_boot_console_done(&con));
    /* NUL bytes before it, a ']' inside the command line, an empty one. */
    CONSOLE("\0\0x\0pvboot-realboot: cmdline=[a]b]\n", &con);
    assert_console(&con, CF_CONSOLE_CMDLINE, "a]b");
    CONSOLE("pvboot-realboot: cmdline=[]\r\r\n", &con);
    assert_console(&con, CF_CONSOLE_CMDLINE, "");
    /* Not there yet, cut short, garbled; only the first marker counts. */
    CONSOLE("pvboot-realboot: cmdl", &con);
    assert_console(&con, CF_CONSOLE_NOTHING, NULL);
    CONSOLE("pvboot-realboot: cmdline=[ro quiet", &con);
    assert_console(&con, CF_CONSOLE_PARTIAL, "ro quiet");
    assert_false(cf_boot_console_done(&con));
    CONSOLE("pvboot-realboot: cmdline=[ro [  1.0] random: crng init done\r\n", &con);
    assert_console(&con, CF_CONSOLE_GARBLED, "ro [  1.0] random: crng init done");
    assert_true(cf_boot_console_done(&con));
    CONSOLE("pvboot-realboot: cmdline=[\n", &con);
    assert_console(&con, CF_CONSOLE_GARBLED, "");
    CONSOLE("pvboot-realboot: cmdline=[one]\npvboot-realboot: cmdline=[two]\n", &con);
    assert_console(&con, CF_CONSOLE_CMDLINE, "one");
    /* The marker's prefix twice over, then the marker. */
    CONSOLE("pvboot-pvboot-realboot: cmdline=[x]\n", &con);
    assert_console(&con, CF_CONSOLE_CMDLINE, "x");
}

static void test_console_panic(void **state)
{
    struct cf_console con;

    (void)state;
    CONSOLE("[ 3.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n"
            "[ 3.1] CPU: 0 PID: 1\r\n", &con);
    assert_console(&con, CF_CONSOLE_PANIC, "VFS: Unable to mount root fs on unknown-block(0,0)");
    assert_true(cf_boot_console_done(&con));
    CONSOLE("Kernel panic - not syncing: No working init found", &con);
    assert_console(&con, CF_CONSOLE_PANIC, "No working init found");
    /* init printed its line, then died: the line counts. */
    CONSOLE("pvboot-realboot: cmdline=[ro]\nKernel panic - not syncing: Attempted to kill init!\n", &con);
    assert_console(&con, CF_CONSOLE_CMDLINE, "ro");
}

static void test_boot_argv(void **state)
{
    char *qemu[] = { "/usr/bin/qemu-system-x86_64", "-accel", "tcg", NULL };
    char *one[] = { "q", NULL }, *none[] = { NULL }, *v[40];
    struct cf_extracted x = { "/o/boot_kernel.1", "/o/boot_ramdisk.1", "ro console=ttyS0" };
    size_t n, i;
    char line[1024] = "";

    (void)state;
    n = cf_boot_argv(v, 40, qemu, &x);
    assert_int_equal(n, 20);
    assert_null(v[n]);
    for (i = 0; i < n; i++)
        snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", i ? " " : "", v[i]);
    assert_string_equal(line, "/usr/bin/qemu-system-x86_64 -accel tcg -nodefaults -no-user-config -display none "
                              "-serial stdio -monitor none -no-reboot -m 256 -kernel /o/boot_kernel.1 "
                              "-initrd /o/boot_ramdisk.1 -append ro console=ttyS0");
    assert_ptr_equal(v[n - 1], x.args);  /* one word, unchanged */
    /* No ramdisk, no args: neither option. */
    x.ramdisk = x.args = NULL;
    n = cf_boot_argv(v, 40, one, &x);
    assert_int_equal(n, 14);
    assert_string_equal(v[n - 2], "-kernel");
    /* No command, or too little room. */
    assert_int_equal(cf_boot_argv(v, 40, none, &x), 0);
    assert_int_equal(cf_boot_argv(v, 12, qemu, &x), 0);
}

/* A wait status as waitpid reports it: exit code, or death by signal when sig. */
static int wstatus(int code, int sig)
{
    pid_t pid = fork();
    int st = 0;

    assert_true(pid >= 0);
    if (pid == 0) {
        if (sig) {
            signal(sig, SIG_DFL);  /* not cmocka's handler */
            raise(sig);
        }
        _exit(code);
    }
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

/* A finished qemu whose console said out (NUL-terminated) and stderr err. */
static void qemu_proc(struct cf_proc *q, const char *out, const char *err, int st)
{
    memset(q, 0, sizeof(*q));
    q->out.buf = (char *)out;
    q->out.len = strlen(out);
    memcpy(q->out.tail, out, strlen(out) < CF_TAIL ? strlen(out) + 1 : 1);
    q->out.tlen = strlen(out) < CF_TAIL ? strlen(out) : 0;
    snprintf(q->err.tail, sizeof(q->err.tail), "%s", err);
    q->err.tlen = strlen(q->err.tail);
    q->have_exit = 1;
    q->ex.wstatus = st;
    q->wall = 3.25;
    q->finished = 1;
}

static enum cf_class judge(struct test_ctx *t, const struct cf_proc *q, struct cf_result *r)
{
    struct cf_case k;

    memset(&k, 0, sizeof(k));
    k.name = "boot/x";
    k.guest_cmdline = CMDLINE;
    pvb_free(&t->c, r->detail);
    pvb_free(&t->c, r->stderr_tail);
    memset(r, 0, sizeof(*r));
    assert_int_equal(cf_boot_judge(&t->c, &k, q, 60, r), 0);
    assert_true(r->done);
    assert_non_null(r->detail);
    return r->cls;
}

static void test_boot_judge(void **state)
{
    struct test_ctx t;
    struct cf_result r;
    struct cf_proc q;

    (void)state;
    test_ctx_init(&t);
    memset(&r, 0, sizeof(r));
    qemu_proc(&q, "x\r\npvboot-realboot: cmdline=[" CMDLINE "]\r\n", "", wstatus(0, 0));
    assert_int_equal(judge(&t, &q, &r), CF_PASS);
    assert_string_equal(r.detail, "up in 3.2 s");
    assert_true(r.seconds == 3.25);
    assert_string_equal(cf_boot_class_name(r.cls), "booted");
    /* Killed once the line was seen: still booted. */
    q.have_exit = 0;
    assert_int_equal(judge(&t, &q, &r), CF_PASS);
    assert_int_equal(r.exit_code, -1);
    qemu_proc(&q, "pvboot-realboot: cmdline=[root=/dev/xvda1 ro\t$v]\r\n", "", wstatus(0, 0));
    assert_int_equal(judge(&t, &q, &r), CF_BOOT_WRONG_ARGS);
    assert_string_equal(r.detail, "guest reported 'root=/dev/xvda1 ro?$v' (want '" CMDLINE "')");
    qemu_proc(&q, "pvboot-realboot: cmdline=[" CMDLINE "\n", "", wstatus(0, 0));
    assert_int_equal(judge(&t, &q, &r), CF_BOOT_WRONG_ARGS);
    assert_true(strstr(r.detail, "does not end in ']'") != NULL);
    qemu_proc(&q, "pvboot-realboot: cmdline=[" CMDLINE, "", wstatus(0, 0));
    assert_int_equal(judge(&t, &q, &r), CF_BOOT_WRONG_ARGS);
    assert_true(strstr(r.detail, "cut short") != NULL);
    qemu_proc(&q, "Kernel panic - not syncing: No working init found.\r\n", "", wstatus(0, 9));
    assert_int_equal(judge(&t, &q, &r), CF_NOT_BOOTED);
    assert_string_equal(r.detail, "kernel panic: No working init found.");
    assert_int_equal(cf_class_parse("did-not-boot", 12), CF_NOT_BOOTED);
    pvb_free(&t.c, r.detail);
    pvb_free(&t.c, r.stderr_tail);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_boot_judge_silent(void **state)
{
    struct test_ctx t;
    struct cf_result r;
    struct cf_proc q;

    (void)state;
    test_ctx_init(&t);
    memset(&r, 0, sizeof(r));
    qemu_proc(&q, "", "qemu: linux kernel too old to load a ram disk\n", wstatus(1, 0));
    assert_int_equal(judge(&t, &q, &r), CF_NOT_BOOTED);
    assert_string_equal(r.detail, "qemu exit 1: qemu: linux kernel too old to load a ram disk");
    assert_int_equal(r.exit_code, 1);
    assert_string_equal(r.stderr_tail, "qemu: linux kernel too old to load a ram disk");
    qemu_proc(&q, "Booting from ROM...\r\n", "", wstatus(0, 0));
    q.timed_out = 1;
    q.have_exit = 0;
    assert_int_equal(judge(&t, &q, &r), CF_NOT_BOOTED);
    assert_string_equal(r.detail, "no command line from the guest within 60 s; its console's last line: Booting from ROM...");
    qemu_proc(&q, "", "", wstatus(0, 0));
    assert_int_equal(judge(&t, &q, &r), CF_NOT_BOOTED);
    assert_string_equal(r.detail, "the guest stopped without printing its command line");
    qemu_proc(&q, "", "", wstatus(0, 15));
    assert_int_equal(judge(&t, &q, &r), CF_NOT_BOOTED);
    assert_string_equal(r.detail, "qemu killed by signal 15");
    qemu_proc(&q, "aaaa", "", wstatus(0, 9));
    q.flooded = 1;
    assert_int_equal(judge(&t, &q, &r), CF_NOT_BOOTED);
    assert_true(strstr(r.detail, "the console wrote more than") != NULL);
    /* qemu itself could not run: not the implementation's fault. */
    qemu_proc(&q, "", "", wstatus(127, 0));
    q.ex.setup_errno = 2;
    q.ex.setup_stage = CF_SETUP_EXEC;
    assert_int_equal(judge(&t, &q, &r), CF_SKIPPED);
    assert_true(strstr(r.detail, "cannot execute qemu") != NULL);
    /* The runner failed to set qemu up (here: its cgroup): not the guest's
     * fault, nor the implementation's. */
    qemu_proc(&q, "", "", wstatus(126, 0));
    q.ex.setup_errno = 13;
    q.ex.setup_stage = CF_SETUP_RUNNER;
    strcpy(q.ex.setup_what, "cgroup.procs");
    assert_int_equal(judge(&t, &q, &r), CF_RUNNER_ERROR);
    assert_string_equal(r.detail, "runner: before qemu ran: cgroup.procs: Permission denied");
    pvb_free(&t.c, r.detail);
    pvb_free(&t.c, r.stderr_tail);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_boot_nothing(void **state)
{
    struct test_ctx t;
    struct cf_result ext, r;

    (void)state;
    test_ctx_init(&t);
    memset(&ext, 0, sizeof(ext));
    memset(&r, 0, sizeof(r));
    ext.cls = ext.cause = CF_NO_BOOT;
    ext.exit_code = 1;
    ext.detail = (char *)"exit 1: RuntimeError: Unable to find partition containing kernel";
    ext.stderr_tail = pvb_strndup(&t.c, "RuntimeError", 12);
    assert_int_equal(cf_boot_nothing(&t.c, &ext, &r), 0);
    assert_int_equal(r.cls, CF_NOT_BOOTED);
    assert_int_equal(r.cause, CF_NO_BOOT);
    assert_int_equal(r.exit_code, 1);
    assert_null(ext.stderr_tail);
    assert_string_equal(r.stderr_tail, "RuntimeError");
    assert_string_equal(r.detail, "nothing to boot: no-boot: exit 1: RuntimeError: Unable to find partition containing kernel");
    pvb_free(&t.c, r.detail);
    pvb_free(&t.c, r.stderr_tail);
    ext.cls = CF_SKIPPED;
    ext.detail = NULL;
    assert_int_equal(cf_boot_nothing(&t.c, &ext, &r), 0);
    assert_int_equal(r.cls, CF_SKIPPED);
    assert_string_equal(r.detail, "nothing to boot: skipped: (no detail)");
    pvb_free(&t.c, r.detail);
    /* The runner could not judge the impl's run: no boot to speak of either. */
    ext.cls = ext.cause = CF_RUNNER_ERROR;
    ext.detail = (char *)"runner: --output file: Input/output error";
    assert_int_equal(cf_boot_nothing(&t.c, &ext, &r), 0);
    assert_int_equal(r.cls, CF_RUNNER_ERROR);
    pvb_free(&t.c, r.detail);
    assert_int_equal(t.c.mem_used, 0);
}

static const char impl_text[] =
    "name: peer\ncommand: /bin/true\n"
    "diverge: boot/xfs5 no-boot,did-not-boot XFS v5\n"
    "diverge: boot/vars booted-wrong-args variables\n"
    "diverge: boot/old no-boot fixed long ago for boots\n";

static enum cf_verdict verdict(const struct cf_impl *im, const char *name, enum cf_class cls, int boot)
{
    struct cf_case k;
    struct cf_result r;

    memset(&k, 0, sizeof(k));
    memset(&r, 0, sizeof(r));
    k.name = (char *)name;
    r.cls = cls;
    if (boot)
        cf_boot_verdict(im, &k, &r);
    else
        cf_judge_verdict(im, &k, &r);
    return r.verdict;
}

static void test_boot_verdicts(void **state)
{
    struct test_ctx t;
    struct cf_impl im;

    (void)state;
    test_ctx_init(&t);
    assert_int_equal(cf_impl_parse(&t.c, "f", impl_text, strlen(impl_text), &im), 0);
    assert_int_equal(im.div[0].classes, (1u << CF_NO_BOOT) | (1u << CF_NOT_BOOTED));
    assert_int_equal(verdict(&im, "boot/xfs5", CF_NOT_BOOTED, 1), CF_KNOWN);
    assert_int_equal(verdict(&im, "boot/xfs5", CF_PASS, 1), CF_FIXED);
    assert_int_equal(verdict(&im, "boot/xfs5", CF_BOOT_WRONG_ARGS, 1), CF_FAIL);
    assert_int_equal(verdict(&im, "boot/vars", CF_BOOT_WRONG_ARGS, 1), CF_KNOWN);
    assert_int_equal(verdict(&im, "boot/other", CF_NOT_BOOTED, 1), CF_FAIL);
    assert_int_equal(verdict(&im, "boot/other", CF_SKIPPED, 1), CF_SKIP);
    /* A runner error is no failure of the impl, whatever its divergences list. */
    assert_int_equal(verdict(&im, "boot/xfs5", CF_RUNNER_ERROR, 1), CF_ERROR);
    assert_int_equal(verdict(&im, "boot/xfs5", CF_RUNNER_ERROR, 0), CF_ERROR);
    /* A boot divergence says nothing of the case run, and the other way round. */
    assert_int_equal(verdict(&im, "boot/vars", CF_PASS, 0), CF_OK);
    assert_int_equal(verdict(&im, "boot/old", CF_PASS, 1), CF_OK);
    assert_int_equal(verdict(&im, "boot/old", CF_PASS, 0), CF_FIXED);
    cf_impl_free(&t.c, &im);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_expect_guest(void **state)
{
    static const char head[] = "case: boot/a\nimage: a.raw\nformat: raw\nkernel-sha256: " SHA_A
                               "\nramdisk-sha256: none\nargs: ro\n";
    struct test_ctx t;
    struct cf_case k;
    char text[512];

    (void)state;
    test_ctx_init(&t);
    snprintf(text, sizeof(text), "%sguest-append: console=ttyS0\nguest-cmdline: ro console=ttyS0\n", head);
    assert_int_equal(cf_expect_parse(&t.c, "x.expect", text, strlen(text), &k), 0);
    assert_string_equal(k.guest_append, "console=ttyS0");
    assert_string_equal(k.guest_cmdline, "ro console=ttyS0");
    cf_case_free(&t.c, &k);
    assert_null(k.guest_cmdline);
    snprintf(text, sizeof(text), "%sguest-cmdline: ro console=ttyS0\n", head);
    assert_int_equal(cf_expect_parse(&t.c, "x.expect", text, strlen(text), &k), PVB_ESYNTAX);
    assert_msg_has(&t.c, "guest-append and guest-cmdline go together");
    snprintf(text, sizeof(text), "case: h/x\nimage: x.raw\nformat: raw\nerror: loop\n"
                                 "guest-append: a\nguest-cmdline: a\n");
    assert_int_equal(cf_expect_parse(&t.c, "x.expect", text, strlen(text), &k), PVB_ESYNTAX);
    snprintf(text, sizeof(text), "%sguest-append: a\nguest-append: b\nguest-cmdline: a\n", head);
    assert_int_equal(cf_expect_parse(&t.c, "x.expect", text, strlen(text), &k), PVB_ESYNTAX);
    assert_int_equal(t.c.mem_used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_console_marker),
        cmocka_unit_test(test_console_panic),
        cmocka_unit_test(test_boot_argv),
        cmocka_unit_test(test_boot_judge),
        cmocka_unit_test(test_boot_judge_silent),
        cmocka_unit_test(test_boot_nothing),
        cmocka_unit_test(test_boot_verdicts),
        cmocka_unit_test(test_expect_guest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
