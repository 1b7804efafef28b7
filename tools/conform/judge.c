/* SPDX-License-Identifier: GPL-2.0-only */
/* Judging one run: parse the simple0 record, hash what was extracted, classify.
 *
 * Order of the questions: did it end by itself (timeout, output flood), did
 * it die of a signal (over-memory when the signal or the evidence says so,
 * else crash), did it exit non-zero (over-memory or no-boot), and when it
 * exited 0, is the record libxl would read usable and does it name the
 * expected kernel bytes, ramdisk bytes and args. For a hostile case only a
 * clean non-zero exit is good; everything else is unsafe, with its cause.
 *
 * A question the runner cannot answer (its memory, descriptors or I/O
 * failed; the run failed before the program ran) makes the result a
 * runner error, never a pass and never a fault of the program: only what
 * the program can cause itself (a missing file, one that is not regular,
 * a path through a symlink) counts against it.
 */
#define _XOPEN_SOURCE 700  /* realpath() is XSI */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "impl.h"
#include "judge.h"
#include "util/mem.h"
#include "util/sha256.h"

#define OUTPUT_MAX (1024 * 1024)  /* a simple0 record is a few hundred bytes */
#define SHOW_MAX 240              /* bytes of a value shown in a detail line */

/* What runtimes print when an allocation fails under RLIMIT_AS: Python,
 * glibc strerror(ENOMEM), mawk/gawk, C++, bash, pvb_alloc's ENOMEM message. */
static const char *const oom_markers[] = {
    "MemoryError", "Cannot allocate memory", "out of memory", "Out of memory",
    "std::bad_alloc", "memory exhausted", "cannot allocate"
};

/* A value fit for one line of TAP, JSON or Markdown: control bytes become '?'. */
char *cf_show(struct pvb_ctx *c, const char *s, size_t n)
{
    char *d;
    size_t i;

    if (n > SHOW_MAX)
        n = SHOW_MAX;
    d = pvb_strndup(c, s, n);
    for (i = 0; d && i < n; i++)
        if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
            d[i] = '?';
    return d;
}

/* cf_show(), with the run's output directory written as OUTDIR: a run gives the
 * same text whichever job slot and temporary directory it had. */
static char *tidy(struct pvb_ctx *c, const char *s, size_t n, const char *outdir)
{
    char *shown = cf_show(c, s, n), *at, *t;

    if (!shown || !(at = strstr(shown, outdir)))
        return shown;
    t = cf_printf(c, "%.*sOUTDIR%s", (int)(at - shown), shown, at + strlen(outdir));
    pvb_free(c, shown);
    return t;
}

/* The last non-empty line of what the program wrote to stderr. */
char *cf_last_line(struct pvb_ctx *c, const struct cf_capture *k)
{
    const char *s = k->tail;
    size_t end = k->tlen, start;

    while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' '))
        end--;
    if (end == 0)
        return NULL;
    start = end;
    while (start > 0 && s[start - 1] != '\n')
        start--;
    return cf_show(c, s + start, end - start);
}

static int has_oom_marker(const struct cf_capture *k)
{
    size_t i;

    for (i = 0; i < sizeof(oom_markers) / sizeof(oom_markers[0]); i++)
        if (strstr(k->buf, oom_markers[i]) || strstr(k->tail, oom_markers[i]))
            return 1;
    return 0;
}

/* RLIMIT_AS leaves no trace but a failed allocation: a peak RSS of half the
 * limit, or an out-of-memory message, says that is what ended the run. */
static int memory_evidence(const struct cf_outcome *o)
{
    const struct cf_proc *p = o->p;

    return (o->lim->mem_mb && p->ex.maxrss_kb >= (long)(o->lim->mem_mb * 1024 / 2)) ||
           has_oom_marker(&p->err);
}

/* errno values of opening or resolving a path the program chose that are
 * its own doing: the path leads to no readable regular file. Any other
 * failure (memory, descriptors, I/O) is the runner's. */
static int program_made(int e)
{
    return e == ENOENT || e == ENOTDIR || e == ELOOP || e == ENAMETOOLONG || e == EACCES || e == EPERM ||
           e == ENXIO || e == ENODEV || e == EISDIR || e == EAGAIN || e == EOPNOTSUPP;
}

/* A file in the output directory that reached RLIMIT_FSIZE: the program was
 * stopped writing it (SIGXFSZ, or EFBIG where the signal is ignored, as
 * Python does). 1 yes, 0 no, or a PVB_E* error of the runner (which says). */
static int fsize_evidence(struct pvb_ctx *c, const struct cf_outcome *o)
{
    unsigned long long cap = (unsigned long long)o->lim->fsize_mb << 20;
    struct dirent *e;
    struct stat st;
    DIR *d;
    int hit = 0, rc = 0;

    if (!cap)
        return 0;
    if (stat(o->outfile, &st) == 0 && (unsigned long long)st.st_size >= cap)
        return 1;
    if (!(d = opendir(o->outdir)))
        return program_made(errno) ? 0 : pvb_fail(c, PVB_EIO, "output directory: %s", strerror(errno));
    while (!hit && rc == 0) {
        errno = 0;
        if (!(e = readdir(d))) {
            if (errno)
                rc = pvb_fail(c, PVB_EIO, "output directory: %s", strerror(errno));
            break;
        }
        /* Never opened: the program may have left a FIFO or a device there. */
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (!program_made(errno))
                rc = pvb_fail(c, PVB_EIO, "output directory: %s: %s", e->d_name, strerror(errno));
            continue;
        }
        hit = S_ISREG(st.st_mode) && (unsigned long long)st.st_size >= cap;
    }
    closedir(d);
    if (rc)
        return rc;
    return hit || strstr(o->p->err.tail, "File too large") || strstr(o->p->err.tail, "File size limit");
}

/* exec failures that say the machine is short of something, not that the
 * program cannot run: the runner's. */
static int exec_fault(int e)
{
    return e == ENOMEM || e == EAGAIN || e == ENFILE || e == EMFILE || e == EIO || e == E2BIG;
}

/* The runner's own fault: c's message into r->detail. */
static enum cf_class runner_fault(struct pvb_ctx *c, struct cf_result *r)
{
    pvb_free(c, r->detail);
    r->detail = cf_printf(c, "runner: %s", pvb_ctx_msg(c));
    return CF_RUNNER_ERROR;
}

/* How the process ended. CF_PASS here means "exited 0: judge the output". */
static enum cf_class end_class(struct pvb_ctx *c, const struct cf_outcome *o, struct cf_result *r)
{
    const struct cf_proc *p = o->p;
    double cpu = (double)p->ex.cpu_ms / 1000;
    int sig, fs;

    if (p->timed_out) {
        r->detail = cf_printf(c, "still running after %g s: killed", o->lim->timeout);
        return CF_TIMEOUT;
    }
    if (p->flooded) {
        r->detail = cf_printf(c, "wrote more than %llu bytes to stdout and stderr: killed",
                              (unsigned long long)p->flood);
        return CF_OVER_MEMORY;
    }
    /* A program run as another user cannot signal the reaper: then
     * something else killed it (the OOM killer, an administrator). */
    if (!p->have_exit && o->lim->run_as) {
        pvb_fail(c, PVB_EIO, "its reaper died before the program ended, killed from outside the run");
        return runner_fault(c, r);
    }
    if (!p->have_exit) {
        r->detail = cf_strdup(c, "the runner's reaper died before the program ended "
                                 "(did it signal its own process group?)");
        return CF_CRASH;
    }
    if (p->ex.setup_errno && (p->ex.setup_stage == CF_SETUP_RUNNER || exec_fault(p->ex.setup_errno))) {
        pvb_fail(c, PVB_EIO, "before the program ran: %s: %s", p->ex.setup_what, strerror(p->ex.setup_errno));
        return runner_fault(c, r);
    }
    if (p->ex.setup_errno) {
        r->detail = cf_printf(c, "cannot execute: %s", strerror(p->ex.setup_errno));
        return CF_SKIPPED;
    }
    if (WIFSIGNALED(p->ex.wstatus)) {
        r->sig = sig = WTERMSIG(p->ex.wstatus);
        if (sig == SIGXCPU || (sig == SIGKILL && o->lim->timeout > 0 && cpu >= o->lim->timeout)) {
            r->detail = cf_printf(c, "%s after %.1f s of CPU: the CPU limit", cf_signame(sig), cpu);
            return CF_TIMEOUT;
        }
        if (sig != SIGXFSZ && (fs = fsize_evidence(c, o)) < 0)
            return runner_fault(c, r);
        if (sig == SIGXFSZ || fs) {
            r->detail = cf_printf(c, "%s: a file reached the %lu MiB file-size limit", cf_signame(sig),
                                  o->lim->fsize_mb);
            return CF_OVER_MEMORY;
        }
        if (memory_evidence(o)) {
            r->detail = cf_printf(c, "%s with a peak of %ld KiB under a %lu MiB address-space limit",
                                  cf_signame(sig), p->ex.maxrss_kb, o->lim->mem_mb);
            return CF_OVER_MEMORY;
        }
        r->detail = cf_printf(c, "killed by %s (%d)", cf_signame(sig), sig);
        return CF_CRASH;
    }
    r->exit_code = WEXITSTATUS(p->ex.wstatus);
    if ((fs = fsize_evidence(c, o)) < 0)
        return runner_fault(c, r);
    if (fs) {
        r->detail = cf_printf(c, "exit %d: a file reached the %lu MiB file-size limit", r->exit_code,
                              o->lim->fsize_mb);
        return CF_OVER_MEMORY;
    }
    if (r->exit_code == 0)
        return CF_PASS;
    if (memory_evidence(o)) {
        r->detail = cf_printf(c, "exit %d, out of memory (peak %ld KiB, limit %lu MiB)", r->exit_code,
                              p->ex.maxrss_kb, o->lim->mem_mb);
        return CF_OVER_MEMORY;
    }
    r->detail = cf_printf(c, "exit %d: %s", r->exit_code, r->stderr_tail ? r->stderr_tail : "(no message)");
    return CF_NO_BOOT;
}

static const char *const item_names[3] = { "kernel", "ramdisk", "args" };

/* *why = m: 0, or the allocator's error when m could not be made. */
static int say(struct pvb_ctx *c, char **why, char *m)
{
    *why = m;
    return m ? 0 : c->err ? c->err : PVB_ENOMEM;
}

int cf_judge_record(struct pvb_ctx *c, const char *buf, size_t len, const char *outdir,
                    struct cf_record *rec, char **why)
{
    const char *p = buf, *end = buf + len;

    memset(rec, 0, sizeof(*rec));
    *why = NULL;
    while (p < end) {
        const char *z = memchr(p, '\0', (size_t)(end - p));
        size_t n = z ? (size_t)(z - p) : (size_t)(end - p), i, w = 0;

        if (n > CF_ITEM_MAX)
            return say(c, why, cf_printf(c, "an item of %zu bytes, longer than libxl's %d-byte buffer", n,
                                         CF_ITEM_MAX));
        for (i = 0; n && i < 3; i++) {
            w = strlen(item_names[i]);
            if (n > w && memcmp(p, item_names[i], w) == 0 && p[w] == ' ')
                break;
        }
        if (n && i == 3) {
            char *s = tidy(c, p, n, outdir), *m = s ? cf_printf(c, "unexpected item \"%s\"", s) : NULL;
            pvb_free(c, s);
            return say(c, why, m);
        }
        if (n && rec->v[i])
            return say(c, why, cf_printf(c, "%s given twice", item_names[i]));
        if (n) {
            rec->v[i] = p + w + 1;
            rec->n[i] = n - w - 1;
        }
        p += n + 1;
    }
    if (!rec->v[0])
        return say(c, why, cf_strdup(c, "no kernel item"));
    return 0;
}

/* *why = m: 1 (the program's fault, m says which), or the allocator's error
 * when m could not be made. */
static int blame(struct pvb_ctx *c, char **why, char *m)
{
    *why = m;
    return m ? 1 : c->err ? c->err : PVB_ENOMEM;
}

/* The --output file: 0 read into *buf, 1 when the program left none usable
 * (*why), or an error of the runner. */
static int read_output(struct pvb_ctx *c, const char *path, char **buf, size_t *len, char **why)
{
    /* O_NONBLOCK: a FIFO the program put there must not hang the runner. */
    int fd = open(path, O_RDONLY | O_NONBLOCK), rc = 0;
    struct stat st;
    size_t got = 0;
    ssize_t n;

    if (fd < 0)
        return program_made(errno) ? blame(c, why, cf_printf(c, "exit 0 and no usable output: %s", strerror(errno)))
                                   : pvb_fail(c, PVB_EIO, "--output file: %s", strerror(errno));
    if (fstat(fd, &st) != 0)
        rc = pvb_fail(c, PVB_EIO, "--output file: %s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = blame(c, why, cf_strdup(c, "exit 0 and no usable output: --output is not a regular file"));
    else if (st.st_size > OUTPUT_MAX)
        rc = blame(c, why, cf_printf(c, "exit 0 and no usable output: %lld bytes of --output, more than %d",
                                     (long long)st.st_size, OUTPUT_MAX));
    else if (!(*buf = pvb_alloc(c, (size_t)st.st_size + 1, "--output file")))
        rc = c->err;
    while (rc == 0 && got < (size_t)st.st_size) {
        n = read(fd, *buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        /* The program and everything it started are dead: a file that
         * shrinks or fails now is the runner's trouble. */
        if (n <= 0)
            rc = pvb_fail(c, PVB_EIO, "--output file: %s", n ? strerror(errno) : "shrank while read");
        else
            got += (size_t)n;
    }
    close(fd);
    if (rc == 0)
        (*buf)[got] = '\0';
    *len = got;
    return rc;
}

/* A file the record names: inside the output directory, regular, hashed;
 * its real path into *keep when keep is not NULL. 0 when it is, 1 when the
 * program named no usable file (*why says why), or an error of the runner. */
static int check_file(struct pvb_ctx *c, const struct cf_outcome *o, const char *dir_real,
                      const char *what, const char *v, size_t n, char hex[65],
                      unsigned long long *size, char **keep, char **why)
{
    char *path = NULL, *shown = NULL, *real = NULL;
    size_t dn = strlen(dir_real);
    int rc = 0;

    if (n == 0)
        return blame(c, why, cf_printf(c, "%s path is empty", what));
    if (!(path = pvb_strndup(c, v, n)) || !(shown = tidy(c, v, n, o->outdir)))
        rc = c->err;
    else if (!(real = realpath(path, NULL)))
        rc = program_made(errno) ? blame(c, why, cf_printf(c, "%s %s: %s", what, shown, strerror(errno)))
                                 : pvb_fail(c, PVB_EIO, "%s %s: %s", what, shown, strerror(errno));
    else if (strncmp(real, dir_real, dn) != 0 || real[dn] != '/')
        rc = blame(c, why, cf_printf(c, "%s %s is outside the output directory", what, shown));
    else if ((rc = cf_hash_file(c, real, hex, size)) == PVB_EINVAL || rc == PVB_ENOTFOUND)
        rc = blame(c, why, cf_printf(c, "%s %s: %s", what, shown, pvb_ctx_msg(c)));
    else if (rc)
        pvb_ctx_prefix(c, "%s %s: ", what, shown);
    else if (keep && !(*keep = cf_strdup(c, real)))
        rc = c->err;
    free(real);
    pvb_free(c, path);
    pvb_free(c, shown);
    return rc;
}

/* The exit-0 record's bytes and args against the case: pass or wrong-*. */
static enum cf_class compare(struct pvb_ctx *c, const struct cf_case *k, const struct cf_record *rec,
                             const char *kh, unsigned long long ks, const char *rh, unsigned long long rs,
                             struct cf_result *r)
{
    const char *got_args = rec->v[2] ? rec->v[2] : "";
    size_t an = rec->v[2] ? rec->n[2] : 0;
    char *g, *w;

    if (strcmp(kh, k->kernel_sha) != 0) {
        r->detail = cf_printf(c, "kernel of %llu bytes, sha256 %.12s (want %.12s)", ks, kh, k->kernel_sha);
        return CF_WRONG_KERNEL;
    }
    if (strcmp(rh, k->ramdisk_sha) != 0) {
        r->detail = !rh[0] ? cf_printf(c, "no ramdisk (want sha256 %.12s)", k->ramdisk_sha)
                  : !k->ramdisk_sha[0] ? cf_printf(c, "a ramdisk of %llu bytes (want none)", rs)
                  : cf_printf(c, "ramdisk of %llu bytes, sha256 %.12s (want %.12s)", rs, rh, k->ramdisk_sha);
        return CF_WRONG_RAMDISK;
    }
    if (an == strlen(k->args) && memcmp(got_args, k->args, an) == 0)
        return CF_PASS;
    g = cf_show(c, got_args, an);
    w = cf_show(c, k->args, strlen(k->args));
    r->detail = g && w ? cf_printf(c, "args '%s' (want '%s')", g, w) : NULL;
    pvb_free(c, g);
    pvb_free(c, w);
    return CF_WRONG_ARGS;
}

/* Exit 0: is the record usable, and does it name the expected bytes and args? */
static enum cf_class output_class(struct pvb_ctx *c, const struct cf_case *k,
                                  const struct cf_outcome *o, struct cf_result *r)
{
    char *buf = NULL, *dir_real = NULL, kh[65] = "", rh[65] = "";
    unsigned long long ks = 0, rs = 0;
    enum cf_class cls = CF_BAD_OUTPUT;
    struct cf_record rec;
    size_t len = 0;
    int rc;

    rc = read_output(c, o->outfile, &buf, &len, &r->detail);
    if (rc == 0 && len == 0)
        rc = blame(c, &r->detail, cf_strdup(c, "exit 0 with empty output (pygrub's --runas bug returns this)"));
    if (rc == 0 && (rc = cf_judge_record(c, buf, len, o->outdir, &rec, &r->detail)) == 0 && r->detail)
        rc = 1;
    if (rc == 0 && !(dir_real = realpath(o->outdir, NULL)))
        rc = program_made(errno) ? blame(c, &r->detail, cf_printf(c, "output directory: %s", strerror(errno)))
                                 : pvb_fail(c, PVB_EIO, "output directory: %s", strerror(errno));
    if (rc == 0)
        rc = check_file(c, o, dir_real, "kernel", rec.v[0], rec.n[0], kh, &ks, o->x ? &o->x->kernel : NULL,
                        &r->detail);
    if (rc == 0 && rec.v[1])
        rc = check_file(c, o, dir_real, "ramdisk", rec.v[1], rec.n[1], rh, &rs, o->x ? &o->x->ramdisk : NULL,
                        &r->detail);
    if (rc == 0 && o->x && rec.v[2] && !(o->x->args = pvb_strndup(c, rec.v[2], rec.n[2])))
        rc = c->err;
    if (rc != 0 && o->x)
        cf_extracted_free(c, o->x);
    if (rc < 0)
        cls = runner_fault(c, r);
    else if (rc == 0)
        cls = compare(c, k, &rec, kh, ks, rh, rs, r);
    free(dir_real);
    pvb_free(c, buf);
    return cls;
}

int cf_judge(struct pvb_ctx *c, const struct cf_case *k, const struct cf_outcome *o,
             struct cf_result *r)
{
    const struct cf_proc *p = o->p;
    enum cf_class cls;

    r->exit_code = -1;
    r->sig = 0;
    r->seconds = p->wall;
    r->maxrss_kb = p->have_exit ? p->ex.maxrss_kb : -1;
    r->cpu_ms = p->have_exit ? p->ex.cpu_ms : -1;
    r->left = p->have_exit ? p->ex.left : -1;
    r->stderr_tail = cf_last_line(c, &p->err);
    cls = end_class(c, o, r);
    if (cls == CF_PASS)
        cls = k->error ? CF_BOOTED : output_class(c, k, o, r);
    if (cls == CF_BOOTED)
        r->detail = cf_printf(c, "exit 0 where the bootloader fails (%s)", k->error);
    /* A failure whose reason could not be written down: the runner ran out
     * of memory judging it, and that is all the result can say. */
    if (cls != CF_PASS && !r->detail)
        cls = CF_RUNNER_ERROR;
    r->cls = r->cause = cls;
    if (k->error && cls != CF_SKIPPED && cls != CF_RUNNER_ERROR)
        r->cls = cls == CF_NO_BOOT ? CF_CLEAN_FAIL : CF_UNSAFE;
    r->done = 1;
    return 0;
}

void cf_extracted_free(struct pvb_ctx *c, struct cf_extracted *x)
{
    pvb_free(c, x->kernel);
    pvb_free(c, x->ramdisk);
    pvb_free(c, x->args);
    x->kernel = x->ramdisk = x->args = NULL;
}

void cf_judge_verdict(const struct cf_impl *im, const struct cf_case *k, struct cf_result *r)
{
    int good = r->cls == CF_PASS || r->cls == CF_CLEAN_FAIL;

    r->div = NULL;
    if (r->cls == CF_SKIPPED || r->cls == CF_RUNNER_ERROR) {
        r->verdict = r->cls == CF_SKIPPED ? CF_SKIP : CF_ERROR;
        return;
    }
    /* Passing where a divergence is listed that such a case can show (a
     * hostile case only "unsafe", a bootable one anything else): stale. */
    r->div = cf_impl_diverge(im, k->name, !good ? 1u << r->cls
                             : k->error ? 1u << CF_UNSAFE
                             : CF_FAILURE_CLASSES & ~(1u << CF_UNSAFE) & ~CF_BOOT_CLASSES);
    r->verdict = good ? (r->div ? CF_FIXED : CF_OK) : (r->div ? CF_KNOWN : CF_FAIL);
}

int cf_hash_file(struct pvb_ctx *c, const char *path, char hex[65], unsigned long long *size)
{
    static const size_t bufsize = 1 << 16;
    struct pvb_sha256 s;
    struct stat st;
    uint8_t d[32];
    char *buf;
    ssize_t n;
    int fd, rc = 0;

    fd = open(path, O_RDONLY | O_NONBLOCK);  /* a FIFO planted by the program must not block us */
    if (fd < 0)
        return pvb_fail(c, program_made(errno) ? PVB_ENOTFOUND : PVB_EIO, "%s", strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = pvb_fail(c, PVB_EIO, "%s", strerror(errno));
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return pvb_fail(c, PVB_EINVAL, "not a regular file");
    }
    if (!(buf = pvb_alloc(c, bufsize, "hash buffer"))) {
        close(fd);
        return c->err;
    }
    pvb_sha256_init(&s);
    *size = 0;
    while ((n = read(fd, buf, bufsize)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pvb_fail(c, PVB_EIO, "%s", strerror(errno));
            break;
        }
        pvb_sha256_update(&s, buf, (size_t)n);
        *size += (unsigned long long)n;
    }
    pvb_sha256_final(&s, d);
    pvb_sha256_hex(d, hex);
    pvb_free(c, buf);
    close(fd);
    return rc;
}
