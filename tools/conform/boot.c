/* SPDX-License-Identifier: GPL-2.0-only */
/* Real boots: the qemu command that boots what an implementation extracted, and what the guest's console says.
 *
 * The boot cases' initramfs (images/realboot/init) prints one line with the
 * kernel's /proc/cmdline between CF_BOOT_MARKER and "]" and powers off. The
 * guest runs under qemu with TCG, its only device a serial port on qemu's
 * stdout; the harness appended console=ttyS0 through the implementation's
 * --args=, so the line arrives there only if the implementation passed it on.
 * A guest is "booted" when the line holds exactly the expected command line,
 * "booted-wrong-args" when it holds another, "did-not-boot" otherwise.
 */
#include <string.h>
#include <sys/wait.h>

#include "boot.h"
#include "impl.h"
#include "util/mem.h"

/* The first occurrence of the NUL-terminated s in b[0..n), any bytes in b. */
static const char *find(const char *b, size_t n, const char *s)
{
    size_t m = strlen(s), i = 0;
    const char *p;

    while (n >= m && i <= n - m) {
        if (!(p = memchr(b + i, s[0], n - m + 1 - i)))
            return NULL;
        if (memcmp(p, s, m) == 0)
            return p;
        i = (size_t)(p - b) + 1;
    }
    return NULL;
}

/* The rest of the line at p (buffer end e): its length without the '\n'
 * and the '\r's before it; *ended tells whether the '\n' was there. */
static size_t line_len(const char *p, const char *e, int *ended)
{
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);

    *ended = nl != NULL;
    while (n > 0 && p[n - 1] == '\r')
        n--;
    return n;
}

void cf_boot_console(const char *buf, size_t len, struct cf_console *out)
{
    const char *e = buf + len, *m = find(buf, len, CF_BOOT_MARKER), *p;
    int ended;

    memset(out, 0, sizeof(*out));
    if (m) {
        m += strlen(CF_BOOT_MARKER);
        out->text = m;
        out->len = line_len(m, e, &ended);
        if (!ended)
            out->state = CF_CONSOLE_PARTIAL;
        else if (out->len > 0 && m[out->len - 1] == ']')
            out->state = CF_CONSOLE_CMDLINE, out->len--;
        else
            out->state = CF_CONSOLE_GARBLED;
        return;
    }
    if ((p = find(buf, len, CF_BOOT_PANIC)) != NULL) {
        p += strlen(CF_BOOT_PANIC);
        out->state = CF_CONSOLE_PANIC;
        out->text = p;
        out->len = line_len(p, e, &ended);
    }
}

int cf_boot_console_done(const struct cf_console *con)
{
    return con->state == CF_CONSOLE_CMDLINE || con->state == CF_CONSOLE_GARBLED ||
           con->state == CF_CONSOLE_PANIC;
}

size_t cf_boot_argv(char **v, size_t cap, char *const qemu[], const struct cf_extracted *x)
{
    /* No default devices (no VGA or NIC option ROMs to load), no config
     * files, one serial port on stdout, no monitor; -no-reboot makes the
     * guest's power-off, reboot or triple fault end qemu. */
    static const char *const machine[] = {
        "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
        "-monitor", "none", "-no-reboot", "-m", CF_BOOT_MEM
    };
    const size_t nm = sizeof(machine) / sizeof(machine[0]);
    size_t n = 0, i;

    for (i = 0; qemu[i]; i++)
        if (n < cap)
            v[n++] = qemu[i];
    if (n == 0 || n + nm + 7 > cap)
        return 0;
    for (i = 0; i < nm; i++)
        v[n++] = (char *)machine[i];
    v[n++] = "-kernel";
    v[n++] = x->kernel;
    if (x->ramdisk) {
        v[n++] = "-initrd";
        v[n++] = x->ramdisk;
    }
    if (x->args) {
        v[n++] = "-append";
        v[n++] = x->args;
    }
    v[n] = NULL;
    return n;
}

/* Why the guest printed no command line, when no panic says so. */
static char *silent_why(struct pvb_ctx *c, const struct cf_proc *q, double timeout, const char *qerr,
                        const char *last)
{
    if (q->flooded)
        return cf_printf(c, "the console wrote more than %u bytes: killed", CF_BOOT_CONSOLE);
    if (q->timed_out)
        return cf_printf(c, "no command line from the guest within %g s%s%s", timeout,
                         last ? "; its console's last line: " : "", last ? last : "");
    if (q->have_exit && WIFEXITED(q->ex.wstatus) && WEXITSTATUS(q->ex.wstatus) != 0)
        return cf_printf(c, "qemu exit %d: %s", WEXITSTATUS(q->ex.wstatus), qerr ? qerr : "(no message)");
    if (q->have_exit && WIFSIGNALED(q->ex.wstatus))
        return cf_printf(c, "qemu killed by signal %d", WTERMSIG(q->ex.wstatus));
    return cf_printf(c, "the guest stopped without printing its command line%s%s",
                     last ? "; its console's last line: " : "", last ? last : "");
}

/* A finished qemu's console against the expected command line. */
static enum cf_class console_class(struct pvb_ctx *c, const struct cf_case *k, const struct cf_console *con,
                                   struct cf_result *r)
{
    char *got = con->text ? cf_show(c, con->text, con->len) : NULL, *want;

    switch (con->state) {
    case CF_CONSOLE_CMDLINE:
        if (con->len == strlen(k->guest_cmdline) && memcmp(con->text, k->guest_cmdline, con->len) == 0) {
            r->detail = cf_printf(c, "up in %.1f s", r->seconds);
            pvb_free(c, got);
            return CF_PASS;
        }
        want = cf_show(c, k->guest_cmdline, strlen(k->guest_cmdline));
        r->detail = cf_printf(c, "guest reported '%s' (want '%s')", got ? got : "", want ? want : "");
        pvb_free(c, want);
        break;
    case CF_CONSOLE_GARBLED:
        r->detail = cf_printf(c, "guest's command line line does not end in ']': '%s'", got ? got : "");
        break;
    case CF_CONSOLE_PARTIAL:
        r->detail = cf_printf(c, "guest's command line line cut short: '%s'", got ? got : "");
        break;
    default:
        pvb_free(c, got);
        return CF_NOT_BOOTED;
    }
    pvb_free(c, got);
    return CF_BOOT_WRONG_ARGS;
}

/* The detail could not be made: the runner ran out of memory, and that is all the result says. */
static int done(struct cf_result *r)
{
    if (!r->detail)
        r->cls = r->cause = CF_RUNNER_ERROR;
    return 0;
}

int cf_boot_judge(struct pvb_ctx *c, const struct cf_case *k, const struct cf_proc *q,
                  double timeout, struct cf_result *r)
{
    struct cf_console con;
    char *last = NULL, *msg;

    r->exit_code = q->have_exit && WIFEXITED(q->ex.wstatus) ? WEXITSTATUS(q->ex.wstatus) : -1;
    r->sig = 0;
    r->seconds = q->wall;
    r->maxrss_kb = q->have_exit ? q->ex.maxrss_kb : -1;
    r->cpu_ms = q->have_exit ? q->ex.cpu_ms : -1;
    r->left = q->have_exit ? q->ex.left : -1;
    r->stderr_tail = cf_last_line(c, &q->err);
    r->done = 1;
    if (q->have_exit && q->ex.setup_errno && q->ex.setup_stage == CF_SETUP_RUNNER) {
        r->cls = r->cause = CF_RUNNER_ERROR;
        r->detail = cf_printf(c, "runner: before qemu ran: %s: %s", q->ex.setup_what, strerror(q->ex.setup_errno));
        return 0;
    }
    if (q->have_exit && q->ex.setup_errno) {
        r->cls = r->cause = CF_SKIPPED;
        r->detail = cf_printf(c, "cannot execute qemu: %s", strerror(q->ex.setup_errno));
        return done(r);
    }
    cf_boot_console(q->out.buf, q->out.len, &con);
    r->cls = r->cause = console_class(c, k, &con, r);
    if (r->cls != CF_NOT_BOOTED || r->detail)
        return done(r);
    if (con.state == CF_CONSOLE_PANIC) {
        msg = cf_show(c, con.text, con.len);
        r->detail = msg ? cf_printf(c, "kernel panic: %s", msg) : NULL;
        pvb_free(c, msg);
    } else {
        last = cf_last_line(c, &q->out);
        r->detail = silent_why(c, q, timeout, r->stderr_tail, last);
        pvb_free(c, last);
    }
    return done(r);
}

int cf_boot_nothing(struct pvb_ctx *c, struct cf_result *ext, struct cf_result *r)
{
    r->exit_code = ext->exit_code;
    r->sig = ext->sig;
    r->seconds = 0;
    r->maxrss_kb = r->cpu_ms = -1;
    r->left = ext->left;
    r->stderr_tail = ext->stderr_tail;
    ext->stderr_tail = NULL;
    r->done = 1;
    r->cause = ext->cause;
    /* The impl's run could not be made or judged: neither can the boot. */
    r->cls = ext->cls == CF_SKIPPED || ext->cls == CF_RUNNER_ERROR ? ext->cls : CF_NOT_BOOTED;
    r->detail = cf_printf(c, "nothing to boot: %s: %s", cf_class_name(ext->cls),
                          ext->detail ? ext->detail : "(no detail)");
    return done(r);
}

void cf_boot_verdict(const struct cf_impl *im, const struct cf_case *k, struct cf_result *r)
{
    int good = r->cls == CF_PASS;

    r->div = NULL;
    if (r->cls == CF_SKIPPED || r->cls == CF_RUNNER_ERROR) {
        r->verdict = r->cls == CF_SKIPPED ? CF_SKIP : CF_ERROR;
        return;
    }
    /* Booting where a boot divergence is listed: the list is stale. */
    r->div = cf_impl_diverge(im, k->name, good ? CF_BOOT_CLASSES : 1u << r->cls);
    r->verdict = good ? (r->div ? CF_FIXED : CF_OK) : (r->div ? CF_KNOWN : CF_FAIL);
}

const char *cf_boot_class_name(enum cf_class k)
{
    return k == CF_PASS ? "booted" : cf_class_name(k);
}
