/* SPDX-License-Identifier: GPL-2.0-only */
/* faultrun: run a pygrub-compatible command many times under injected faults and judge each run.
 *
 * usage: faultrun [-t SECS] [-L] [-e NAME=VALUE]... -R DIR REF COMMAND [ARGS...]
 *        faultrun [-t SECS] [-L] [-e NAME=VALUE]... DIR REF COMMAND [ARGS...] < RUNS
 *
 * COMMAND is run as libxl runs pygrub: its arguments must name DIR/o as the output
 * directory and DIR/out as the --output file (simple0). Before each run DIR/o is emptied,
 * DIR/out truncated and DIR/st (faultshim's state file) removed; the command's stdout and
 * stderr go to DIR/stdout and DIR/err; -e variables are added to its environment.
 *
 * -R runs it once without a fault: on success the result is kept in REF (kernel, ramdisk
 * when there is one, args, st) and faultrun exits 0; else it prints the command's stderr
 * and exits 1. -L quotes the last line of stderr in what happened (a Python traceback's).
 *
 * Otherwise each line of RUNS is "MODE [NAME=VALUE...]": one run with those variables
 * added, judged against REF (MODE is the fault's kind: fail, short, eintr, term, random or
 * host). One line
 * is printed per run, tab-separated: line number, class (same, clean, violation), whether
 * faultshim injected its fault (yes, no), the symptom, what happened, and the line itself:
 *   same       exit 0 with REF's kernel bytes, ramdisk bytes and args, nothing else in DIR/o,
 *              nothing on stderr or stdout
 *   clean      exit 1, one line on stderr, DIR/o empty; not after a short transfer or EINTR,
 *              which a correct program retries
 *   violation  anything else: a signal, a hang (killed after SECS, default 30), another
 *              exit status, exit 0 with another result, files left behind, no or several
 *              lines on stderr
 * A run line may also ask for host conditions, which faultrun applies itself:
 *   FAULTRUN_CLOSE=0,1,2     start the command with these descriptors closed
 *   FAULTRUN_FSIZE=BYTES     RLIMIT_FSIZE
 *   FAULTRUN_SIGNAL=SIG@MS   send SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGKILL or SIGUSR1 after
 *                            MS milliseconds; dying of it is clean when nothing is left
 *   FAULTRUN_RECORD=stdout   the command prints its record on stdout (no --output)
 * For a run that is not clean, the shim's stacks are kept as DIR/stacks/N.fired and
 * N.signal (its "at" lines) for the caller to symbolise.
 *
 * The judging lives here, in one place, and not in the shell: a sweep makes thousands of
 * runs, and a run's own cost (pvboot reading an image) is a few milliseconds.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conform/proc.h"

#define MAXENV 64
#define WHAT 1024

static const char *dir, *ref;
static char **cmd;
static const char *base_env[MAXENV];
static int nbase;
static unsigned timeout_s = 30;
static int last_line;           /* -L: quote stderr's last line, not its first */
static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
    (void)sig;
    alarmed = 1;
}

static void path(char *out, size_t cap, const char *a, const char *b)
{
    if ((size_t)snprintf(out, cap, "%s/%s", a, b) >= cap) {
        fprintf(stderr, "faultrun: path too long: %s/%s\n", a, b);
        exit(2);
    }
}

/* A whole file, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *p, size_t *len)
{
    FILE *f = fopen(p, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;

    if (!f)
        return NULL;
    for (;;) {
        size_t got;

        if (cap - n < 4096) {
            char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    char x[65536], y[65536];
    int same = fa && fb;

    while (same) {
        size_t na = fread(x, 1, sizeof(x), fa), nb = fread(y, 1, sizeof(y), fb);
        if (na != nb || memcmp(x, y, na) != 0)
            same = 0;
        if (na == 0 || na < sizeof(x))
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static long file_size(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int copy_file(const char *from, const char *to)
{
    size_t n;
    char *buf = slurp(from, &n);
    FILE *f;
    int ok;

    if (!buf)
        return -1;
    f = fopen(to, "wb");
    ok = f && fwrite(buf, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    free(buf);
    return ok ? 0 : -1;
}

/* rm -r of what is inside p (p itself stays unless top is 0). */
static void remove_tree(const char *p, int top)
{
    DIR *d = opendir(p);
    struct dirent *e;
    char sub[4096];

    if (d) {
        while ((e = readdir(d)) != NULL) {
            struct stat st;

            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            path(sub, sizeof(sub), p, e->d_name);
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(sub, 0);
            else
                unlink(sub);
        }
        closedir(d);
    }
    if (!top)
        rmdir(p);
}

/* The names in DIR/o, space-separated, except the two given. */
static void list_left(char *out, size_t cap, const char *skip1, const char *skip2)
{
    char o[4096];
    DIR *d;
    struct dirent *e;
    size_t n = 0;

    out[0] = '\0';
    path(o, sizeof(o), dir, "o");
    if (!(d = opendir(o)))
        return;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if ((skip1 && !strcmp(e->d_name, skip1)) || (skip2 && !strcmp(e->d_name, skip2)))
            continue;
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? " " : "", e->d_name);
        if (n >= cap) {
            out[cap - 1] = '\0';
            break;
        }
    }
    closedir(d);
}

/* Lines in a buffer (a last line without its newline counts); the first one (or with -L
 * the last one), cut. */
static int count_lines(const char *buf, size_t n, char *first, size_t cap)
{
    size_t i, len;
    int lines = 0;

    for (i = 0; i < n; i++)
        if (buf[i] == '\n')
            lines++;
    if (n && buf[n - 1] != '\n')
        lines++;
    if (last_line && n) {
        size_t end = buf[n - 1] == '\n' ? n - 1 : n, start = end;

        while (start > 0 && buf[start - 1] != '\n')
            start--;
        buf += start;
    }
    len = strcspn(buf, "\n");
    if (len >= cap)
        len = cap - 1;
    memcpy(first, buf, len);
    first[len] = '\0';
    for (i = 0; i < len; i++)
        if (first[i] == '\t' || (unsigned char)first[i] < ' ')
            first[i] = ' ';
    return lines;
}

/* The name faultrun prints: pvconform's, with the number when it has none. */
static const char *sig_name(int s)
{
    static char buf[32];
    const char *n = cf_signame(s);

    if (strcmp(n, "signal") != 0)
        return n;
    snprintf(buf, sizeof(buf), "signal %d", s);
    return buf;
}

/* NAME=VALUE into the environment (in the child, just before exec). */
static void set_var(const char *nv)
{
    char name[256];
    const char *eq = strchr(nv, '=');

    if (!eq || (size_t)(eq - nv) >= sizeof(name))
        return;
    memcpy(name, nv, (size_t)(eq - nv));
    name[eq - nv] = '\0';
    setenv(name, eq + 1, 1);
}

/* Host conditions a run line can ask for besides faultshim's faults: FAULTRUN_* words,
 * which faultrun applies itself and does not pass on. */
struct cond {
    char close_fd[3];           /* FAULTRUN_CLOSE=0,1,2: start with these closed */
    long long fsize;            /* FAULTRUN_FSIZE=BYTES: RLIMIT_FSIZE, or -1 */
    int send_sig, send_ms;      /* FAULTRUN_SIGNAL=TERM@MS: sent MS ms after the start */
    int record_on_stdout;       /* FAULTRUN_RECORD=stdout: the record is on stdout */
};

struct run {
    int timed_out, signaled, sig, code;
    struct cond c;
};

static int sig_number(const char *name)
{
    static const struct { const char *n; int s; } t[] = {
        { "TERM", SIGTERM }, { "INT", SIGINT }, { "HUP", SIGHUP }, { "PIPE", SIGPIPE },
        { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
    };
    size_t i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(name, t[i].n))
            return t[i].s;
    return 0;
}

/* Take the FAULTRUN_* words out of extra into c; nonzero when one is malformed. */
static int take_conditions(char **extra, int *nextra, struct cond *c)
{
    int i, j = 0, bad = 0;

    memset(c, 0, sizeof(*c));
    c->fsize = -1;
    for (i = 0; i < *nextra; i++) {
        char *v = strchr(extra[i], '=');

        if (strncmp(extra[i], "FAULTRUN_", 9) != 0 || !v) {
            extra[j++] = extra[i];
            continue;
        }
        v++;
        if (!strncmp(extra[i], "FAULTRUN_CLOSE=", 15)) {
            for (; *v; v++)
                if (*v >= '0' && *v <= '2')
                    c->close_fd[*v - '0'] = 1;
        } else if (!strncmp(extra[i], "FAULTRUN_FSIZE=", 15)) {
            c->fsize = strtoll(v, NULL, 10);
        } else if (!strncmp(extra[i], "FAULTRUN_SIGNAL=", 16)) {
            char name[16];
            const char *at = strchr(v, '@');

            if (!at || (size_t)(at - v) >= sizeof(name)) {
                bad = 1;
                continue;
            }
            memcpy(name, v, (size_t)(at - v));
            name[at - v] = '\0';
            c->send_sig = sig_number(name);
            c->send_ms = atoi(at + 1);
            bad |= !c->send_sig;
        } else if (!strcmp(extra[i], "FAULTRUN_RECORD=stdout")) {
            c->record_on_stdout = 1;
        } else {
            bad = 1;
        }
    }
    *nextra = j;
    return bad;
}

/* One run of the command with the base environment and extra variables added. */
static void run_once(char **extra, int nextra, struct run *r)
{
    char o[4096], p[4096];
    pid_t pid;
    int status, i;
    struct sigaction sa;

    path(o, sizeof(o), dir, "o");
    mkdir(o, 0700);
    remove_tree(o, 1);
    path(p, sizeof(p), dir, "out");
    close(open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    path(p, sizeof(p), dir, "st");
    unlink(p);

    memset(r, 0, sizeof(*r));
    /* faultshim's state file, made full-sized here: under a small RLIMIT_FSIZE the shim
     * could not grow it itself. */
    for (i = 0; i < nbase + nextra; i++) {
        const char *v = i < nbase ? base_env[i] : extra[i - nbase];

        if (!strncmp(v, "FAULTSHIM_STATE=", 16)) {
            int fd = open(v + 16, O_RDWR | O_CREAT | O_TRUNC, 0600);

            if (fd >= 0) {
                if (ftruncate(fd, 65536) != 0)
                    perror("faultrun: ftruncate");
                close(fd);
            }
        }
    }
    if (take_conditions(extra, &nextra, &r->c)) {
        fprintf(stderr, "faultrun: a FAULTRUN_ word it does not know\n");
        exit(2);
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        perror("faultrun: fork");
        exit(2);
    }
    if (pid == 0) {
        struct rlimit rl;
        int fd;

        setpgid(0, 0);  /* the whole process group goes on a timeout (a --runas child too) */
        rl.rlim_cur = rl.rlim_max = 0;
        setrlimit(RLIMIT_CORE, &rl);
        path(p, sizeof(p), dir, "stdout");
        if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
            dup2(fd, 1), close(fd);
        path(p, sizeof(p), dir, "err");
        if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
            dup2(fd, 2), close(fd);
        fd = open("/dev/null", O_RDONLY);
        if (fd >= 0)
            dup2(fd, 0), close(fd);
        if (r->c.fsize >= 0) {
            rl.rlim_cur = rl.rlim_max = (rlim_t)r->c.fsize;
            setrlimit(RLIMIT_FSIZE, &rl);
        }
        for (i = 0; i < 3; i++)
            if (r->c.close_fd[i])
                close(i);
        for (i = 0; i < nbase; i++)
            set_var(base_env[i]);
        for (i = 0; i < nextra; i++)
            set_var(extra[i]);
        execvp(cmd[0], cmd);
        fprintf(stderr, "faultrun: %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);  /* no SA_RESTART: waitpid returns on the alarm */
    alarmed = 0;
    if (r->c.send_sig) {
        struct timespec ts;

        ts.tv_sec = r->c.send_ms / 1000;
        ts.tv_nsec = (long)(r->c.send_ms % 1000) * 1000000L;
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        kill(pid, r->c.send_sig);  /* an exited child is a zombie still: harmless */
    }
    alarm(timeout_s);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("faultrun: waitpid");
            exit(2);
        }
        if (alarmed && !r->timed_out) {
            r->timed_out = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
    }
    alarm(0);
    if (r->timed_out) {
        kill(-pid, SIGKILL);    /* anything the command left running */
    } else if (WIFSIGNALED(status)) {
        r->signaled = 1;
        r->sig = WTERMSIG(status);
    } else {
        r->code = WEXITSTATUS(status);
    }
}

/* The value of "key value" in a simple0 record, or NULL. */
static const char *field(const char *rec, size_t n, const char *key)
{
    size_t off = 0, klen = strlen(key);

    while (off < n && rec[off]) {
        const char *f = rec + off;
        if (!strncmp(f, key, klen) && f[klen] == ' ')
            return f + klen + 1;
        off += strlen(f) + 1;
    }
    return NULL;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s ? s + 1 : p;
}

static void describe(char *out, size_t cap, const char *p)
{
    long n = p ? file_size(p) : -1;

    if (n < 0)
        snprintf(out, cap, "none");
    else
        snprintf(out, cap, "%ld bytes", n);
}

/* Judge the run; class and symptom in *cls and kind, the story in what. */
static void judge(const struct run *r, const char *mode, const char **cls, char *kind,
                  char *what)
{
    char p[4096], left[400], first[200], a[WHAT / 2], b[64], c[64];
    char *err, *rec, *out;
    size_t nerr = 0, nrec = 0, nout = 0;
    int lines;

    /* The signal the run asked for: from faultrun, or from the shim's "term" mode. */
    int sent = r->c.send_sig ? r->c.send_sig : !strcmp(mode, "term") ? SIGTERM : 0;

    *cls = "violation";
    kind[0] = what[0] = '\0';
    path(p, sizeof(p), dir, "err");
    err = slurp(p, &nerr);
    lines = err ? count_lines(err, nerr, first, sizeof(first)) : 0;
    if (!err)
        first[0] = '\0';
    if (r->c.close_fd[2] && lines == 0 && !r->signaled && !r->timed_out && r->code == 1) {
        lines = 1;  /* with stderr closed, the message has nowhere to go */
        snprintf(first, sizeof(first), "(stderr closed)");
    }
    list_left(left, sizeof(left), NULL, NULL);

    if (r->timed_out) {
        snprintf(kind, 64, "hang");
        snprintf(what, WHAT, "hung: killed after %us", timeout_s);
    } else if (r->signaled && r->sig == sent && !left[0]) {
        /* Dying of the signal sent is what the signal asks for, when nothing is left. */
        *cls = "clean";
        snprintf(what, WHAT, "killed by the %s sent", sig_name(r->sig));
    } else if (sent && !r->signaled && r->code == 128 + sent && !left[0]) {
        /* Or exiting 128+signal after removing its files, as a shell reports a death by
         * that signal (pvboot's handler does this). */
        *cls = "clean";
        snprintf(what, WHAT, "exited %d for the %s sent, nothing left", r->code, sig_name(sent));
    } else if (r->signaled) {
        snprintf(kind, 64, "%s%s", sig_name(r->sig), r->sig == sent ? " (sent)" : "");
        snprintf(what, WHAT, "killed by %s%s%s", sig_name(r->sig), left[0] ? ", leaving " : "",
                 left);
    } else if (r->code == 0) {
        const char *k, *rd, *args;
        char refk[4096], refr[4096], refa[4096];
        char *want_args;
        int has_ref_rd;

        path(p, sizeof(p), dir, r->c.record_on_stdout ? "stdout" : "out");
        rec = slurp(p, &nrec);
        path(p, sizeof(p), dir, "stdout");
        out = r->c.record_on_stdout ? NULL : slurp(p, &nout);
        path(refk, sizeof(refk), ref, "kernel");
        path(refr, sizeof(refr), ref, "ramdisk");
        path(refa, sizeof(refa), ref, "args");
        want_args = slurp(refa, NULL);
        has_ref_rd = file_size(refr) >= 0;
        k = rec ? field(rec, nrec, "kernel") : NULL;
        rd = rec ? field(rec, nrec, "ramdisk") : NULL;
        args = rec ? field(rec, nrec, "args") : NULL;
        list_left(left, sizeof(left), k ? base_name(k) : NULL, rd ? base_name(rd) : NULL);
        if (!k) {
            snprintf(kind, 64, "exit 0 without a record");
            snprintf(what, WHAT, "exit 0 without a record (%zu bytes where it goes)", nrec);
        } else if (!same_bytes(k, refk)) {
            describe(b, sizeof(b), k);
            describe(c, sizeof(c), refk);
            snprintf(kind, 64, "exit 0, another kernel");
            snprintf(what, WHAT, "exit 0 with another kernel: %s, want %s", b, c);
        } else if (has_ref_rd && (!rd || !same_bytes(rd, refr))) {
            describe(b, sizeof(b), rd);
            describe(c, sizeof(c), refr);
            snprintf(kind, 64, "exit 0, another ramdisk");
            snprintf(what, WHAT, "exit 0 with another ramdisk: %s, want %s", b, c);
        } else if (!has_ref_rd && rd) {
            snprintf(kind, 64, "exit 0, a ramdisk too many");
            snprintf(what, WHAT, "exit 0 with a ramdisk the unfaulted run does not have");
        } else if (strcmp(args ? args : "", want_args ? want_args : "") != 0) {
            snprintf(a, sizeof(a), "%s", args ? args : "(none)");
            snprintf(kind, 64, "exit 0, other args");
            snprintf(what, WHAT, "exit 0 with other args: '%s'", a);
        } else if (left[0]) {
            snprintf(kind, 64, "exit 0, a stray file");
            snprintf(what, WHAT, "exit 0 leaving %s in the output directory", left);
        } else if (lines) {
            snprintf(kind, 64, "exit 0 with a message");
            snprintf(what, WHAT, "exit 0 with %d line(s) on stderr: %s", lines, first);
        } else if (nout) {
            snprintf(kind, 64, "exit 0, output on stdout");
            snprintf(what, WHAT, "exit 0 with %zu bytes on stdout besides --output", nout);
        } else {
            *cls = "same";
        }
        free(rec);
        free(out);
        free(want_args);
    } else if (r->code == 1) {
        if (left[0]) {
            snprintf(kind, 64, "exit 1, files left behind");
            snprintf(what, WHAT, "exit 1 leaving %s in the output directory: %s", left, first);
        } else if (lines != 1) {
            snprintf(kind, 64, "exit 1 with %s", lines ? "several lines" : "no message");
            snprintf(what, WHAT, "exit 1 with %d lines on stderr: %s", lines, first);
        } else if (!strcmp(mode, "short") || !strcmp(mode, "eintr")) {
            snprintf(kind, 64, "gave up after %s", mode);
            snprintf(what, WHAT, "gave up after a retryable %s transfer: %s", mode, first);
        } else {
            *cls = "clean";
            snprintf(what, WHAT, "%s", first);
        }
    } else {
        snprintf(kind, 64, "exit status %d", r->code);
        snprintf(what, WHAT, "exit status %d: %s", r->code, first);
    }
    free(err);
}

/* Keep the frames of the shim's "fired" and "signal" events as DIR/stacks/N.KIND. */
static int keep_stacks(int lineno, int *fired)
{
    char p[4096], q[4096], name[64];
    char *st, *line, *save = NULL;
    FILE *f = NULL;

    *fired = 0;
    path(p, sizeof(p), dir, "st");
    if (!(st = slurp(p, NULL)))
        return 0;
    path(q, sizeof(q), dir, "stacks");
    mkdir(q, 0755);
    for (line = strtok_r(st, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(line, "fired ", 6) || !strncmp(line, "signal ", 7)) {
            if (f)
                fclose(f);
            if (line[0] == 'f')
                *fired = 1;
            snprintf(name, sizeof(name), "%d.%s", lineno, line[0] == 'f' ? "fired" : "signal");
            path(p, sizeof(p), q, name);
            f = fopen(p, "w");
            if (f)
                fprintf(f, "%s\n", line);
        } else if (f && !strncmp(line, "at ", 3)) {
            fprintf(f, "%s\n", line);
        } else if (f) {
            fclose(f);
            f = NULL;
        }
    }
    if (f)
        fclose(f);
    free(st);
    return 0;
}

static int fired_only(void)
{
    char p[4096];
    char *st;
    int fired;

    path(p, sizeof(p), dir, "st");
    if (!(st = slurp(p, NULL)))
        return 0;
    fired = strstr(st, "\nfired ") != NULL;
    free(st);
    return fired;
}

static int keep_ref(void)
{
    char p[4096], q[4096], *rec;
    const char *k, *rd, *args;
    size_t n;
    FILE *f;

    path(p, sizeof(p), dir, "out");
    rec = slurp(p, &n);
    k = rec ? field(rec, n, "kernel") : NULL;
    rd = rec ? field(rec, n, "ramdisk") : NULL;
    args = rec ? field(rec, n, "args") : NULL;
    mkdir(ref, 0755);
    path(q, sizeof(q), ref, "kernel");
    if (!k || copy_file(k, q) != 0) {
        fprintf(stderr, "faultrun: no kernel in the record\n");
        free(rec);
        return -1;
    }
    path(q, sizeof(q), ref, "ramdisk");
    unlink(q);
    if (rd && copy_file(rd, q) != 0) {
        free(rec);
        return -1;
    }
    path(q, sizeof(q), ref, "args");
    f = fopen(q, "w");
    if (!f || fputs(args ? args : "", f) < 0 || fclose(f) != 0) {
        free(rec);
        return -1;
    }
    path(p, sizeof(p), dir, "st");
    path(q, sizeof(q), ref, "st");
    unlink(q);
    if (file_size(p) >= 0)
        copy_file(p, q);
    free(rec);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: faultrun [-t SECS] [-L] [-e NAME=VALUE]... [-R] DIR REF COMMAND [ARGS...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int i = 1, make_ref = 0, lineno = 0;
    char line[8192];

    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            timeout_s = (unsigned)strtoul(argv[i + 1], NULL, 10);
            i += 2;
        } else if (!strcmp(argv[i], "-e") && i + 1 < argc && nbase < MAXENV) {
            base_env[nbase++] = argv[i + 1];
            i += 2;
        } else if (!strcmp(argv[i], "-L")) {
            last_line = 1;
            i++;
        } else if (!strcmp(argv[i], "-R")) {
            make_ref = 1;
            i++;
        } else {
            usage();
        }
    }
    if (argc - i < 3)
        usage();
    dir = argv[i];
    ref = argv[i + 1];
    cmd = argv + i + 2;
    mkdir(dir, 0755);

    if (make_ref) {
        struct run r;
        char p[4096], *err;

        run_once(NULL, 0, &r);
        if (r.timed_out || r.signaled || r.code != 0) {
            path(p, sizeof(p), dir, "err");
            err = slurp(p, NULL);
            fprintf(stderr, "faultrun: the unfaulted run %s %d: %s", r.timed_out ? "hung" :
                    r.signaled ? "died of signal" : "exited", r.signaled ? r.sig : r.code,
                    err ? err : "");
            free(err);
            return 1;
        }
        return keep_ref() == 0 ? 0 : 1;
    }

    while (fgets(line, sizeof(line), stdin)) {
        char *extra[MAXENV], *save = NULL, *mode, *tok, orig[sizeof(line)];
        char kind[64], what[WHAT];
        const char *cls;
        int nextra = 0, fired;
        struct run r;

        lineno++;
        line[strcspn(line, "\n")] = '\0';
        memcpy(orig, line, strlen(line) + 1);
        if (!(mode = strtok_r(line, " ", &save)))
            continue;
        while ((tok = strtok_r(NULL, " ", &save)) != NULL && nextra < MAXENV)
            extra[nextra++] = tok;
        run_once(extra, nextra, &r);
        judge(&r, mode, &cls, kind, what);
        if (strcmp(cls, "clean") != 0)
            keep_stacks(lineno, &fired);
        else
            fired = fired_only();
        /* "-" for an empty field: a shell reading tab-separated fields merges empty ones. */
        printf("%d\t%s\t%s\t%s\t%s\t%s\n", lineno, cls, fired ? "yes" : "no",
               kind[0] ? kind : "-", what[0] ? what : "-", orig);
        fflush(stdout);
    }
    return 0;
}
