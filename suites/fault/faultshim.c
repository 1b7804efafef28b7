/* SPDX-License-Identifier: GPL-2.0-only */
/* faultshim: an LD_PRELOAD library that counts a program's host calls and fails exactly one.
 *
 * Environment:
 *   FAULTSHIM_STATE=FILE    required: the counts and events of the run go there (below)
 *   FAULTSHIM_FAIL=FN:N[:MODE]
 *                           make the N-th counted call of FN (1-based) fail; without it the
 *                           shim only counts. FN is one of the classes below; MODE is
 *                           fail (the default: -1 or NULL with FAULTSHIM_ERRNO or the
 *                           class's errno), short (read, pread, write: transfer half the
 *                           bytes asked for, at least one) or eintr (read, pread, write,
 *                           open: -1 with EINTR, nothing done) or term (any: SIGTERM is
 *                           raised just before the call, which then goes on)
 *   FAULTSHIM_ERRNO=N       the errno of a failed call (default: EIO for read, pread, write;
 *                           EMFILE for open; ENOMEM for malloc; ENOSPC for mkstemp; EAGAIN
 *                           for fork)
 *   FAULTSHIM_CALLER=S[:S]  count only calls made directly from a loaded object whose path
 *                           contains one of the strings S (a libfsimage plugin inside
 *                           Python: faulting the interpreter itself tells nothing)
 *   FAULTSHIM_FIU_SEED=N    with libfiu's preload libraries loaded before the shim: seed
 *                           libfiu's random failures, and random() (its errno and length
 *                           choices), so that a run can be replayed
 *
 * Classes: read (read), pread (pread, pread64), write (write), open (open, open64, openat,
 * openat64), malloc (malloc, calloc, realloc; free is interposed only to recognise the
 * bootstrap buffer), mkstemp (every exclusive create: open* with O_CREAT|O_EXCL, which is
 * how pvboot makes its temp files, plus mkstemp, mkstemp64, mkostemp and mkdtemp; such an
 * open counts in both classes), fork (fork).
 *
 * Only calls made after main starts are counted (the shim wraps __libc_start_main): the
 * dynamic loader's and libc's start-up calls are the same in every run and no fault of
 * the program's. Calls the shim makes itself, and calls made while it records an event,
 * are never counted. Calls libc makes inside another function (stdio's writes, fopen's
 * open) go to libc's internal entry points and are not seen at all.
 *
 * The state file is text, shared by the processes of one run (a fork child keeps counting
 * in it, and an exec'ed program under the same environment goes on from it): fixed-width
 * counters, then event lines:
 *   count FN NNNNNNNNNNNN
 *   fired FN N MODE pid=P            the fault was injected, followed by its call stack
 *   at OBJECT 0xOFFSET SYMBOL        one frame: OFFSET from the object's load address,
 *                                    SYMBOL the nearest dynamic symbol or "-" (addr2line
 *                                    names the program's static functions)
 *   signal S pid=P                   the process died of a signal (SIGSEGV, SIGBUS, SIGFPE,
 *                                    SIGILL, SIGABRT, SIGXFSZ, SIGPIPE when not ignored),
 *                                    then its stack
 * The processes of one run share it without locks: the targets are single-threaded and a
 * parent waits for its child. Linux/glibc only (LD_PRELOAD, RTLD_NEXT, dladdr, backtrace),
 * native builds only, as the oracles.
 */
#undef _FILE_OFFSET_BITS    /* define open and pread themselves, not aliases of open64 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum fn { F_READ, F_PREAD, F_WRITE, F_OPEN, F_MALLOC, F_MKSTEMP, F_FORK, NFN };
static const char *const fn_name[NFN] = {
    "read", "pread", "write", "open", "malloc", "mkstemp", "fork"
};
static const int fn_errno[NFN] = { EIO, EIO, EIO, EMFILE, ENOMEM, ENOSPC, EAGAIN };

enum mode { M_FAIL, M_SHORT, M_EINTR, M_TERM };
static const char *const mode_name[] = { "fail", "short", "eintr", "term" };

/* The state file: a header of fixed-width counter lines, then events, padded with '\n'. */
#define DIGITS 12
#define STATE_SIZE 65536
#define LINE_LEN (6 + 8 + 1 + DIGITS + 1)   /* "count " name padded to 8, ' ', digits, '\n' */
#define LOG_START (NFN * LINE_LEN + 5 + DIGITS + 1)     /* after the "used NNN..." line */

static char *state;             /* the shared mapping, or NULL: do nothing */
static int started;             /* main has begun */
static int busy;                /* inside the shim's own work: pass calls through */
static int fail_fn = -1;
static uint64_t fail_at;
static int fail_mode;
static int fail_errno;
static char caller_filter[1024];
static unsigned long fiu_seed;  /* FAULTSHIM_FIU_SEED given: random() is ours (below) */

/* The real functions, from the next object in the lookup order. */
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_pread64)(int, void *, size_t, off64_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_mkstemp)(char *);
static int (*real_mkstemp64)(char *);
static int (*real_mkostemp)(char *, int);
static char *(*real_mkdtemp)(char *);
static pid_t (*real_fork)(void);
static long (*real_random)(void);
static void (*real_srandom)(unsigned);
static int (*real_start_main)(int (*)(int, char **, char **), int, char **,
                              void (*)(void), void (*)(void), void (*)(void), void *);

/* dlsym may allocate (its error buffer) before real_malloc is known: such early blocks
 * come from here and are never given back. */
static char boot_buf[65536];
static size_t boot_used;
static int resolving;

static void *boot_alloc(size_t n)
{
    void *p;

    n = (n + 15) & ~(size_t)15;
    if (n > sizeof(boot_buf) - boot_used)
        return NULL;
    p = boot_buf + boot_used;
    boot_used += n;
    return p;
}

static int is_boot(const void *p)
{
    return (const char *)p >= boot_buf && (const char *)p < boot_buf + sizeof(boot_buf);
}

#define RESOLVE(var, name) (*(void **)(&(var)) = dlsym(RTLD_NEXT, name))

static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = 1;
    RESOLVE(real_calloc, "calloc");
    RESOLVE(real_realloc, "realloc");
    RESOLVE(real_free, "free");
    RESOLVE(real_read, "read");
    RESOLVE(real_pread, "pread");
    RESOLVE(real_pread64, "pread64");
    RESOLVE(real_write, "write");
    RESOLVE(real_open, "open");
    RESOLVE(real_open64, "open64");
    RESOLVE(real_openat, "openat");
    RESOLVE(real_openat64, "openat64");
    RESOLVE(real_mkstemp, "mkstemp");
    RESOLVE(real_mkstemp64, "mkstemp64");
    RESOLVE(real_mkostemp, "mkostemp");
    RESOLVE(real_mkdtemp, "mkdtemp");
    RESOLVE(real_fork, "fork");
    RESOLVE(real_random, "random");
    RESOLVE(real_srandom, "srandom");
    RESOLVE(real_start_main, "__libc_start_main");
    RESOLVE(real_malloc, "malloc");    /* last: its being set means all are */
    resolving = 0;
}

/* ---- the state file ---------------------------------------------------------- */

static uint64_t get_num(const char *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < DIGITS; i++)
        v = v * 10 + (uint64_t)(p[i] - '0');
    return v;
}

static void put_num(char *p, uint64_t v)
{
    int i;

    for (i = DIGITS - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static char *counter(int fn)
{
    return state + fn * LINE_LEN + 15;
}

static char *used_field(void)
{
    return state + NFN * LINE_LEN + 5;
}

/* Append text to the event log; what does not fit is dropped. */
static void log_str(const char *s)
{
    uint64_t used = get_num(used_field());
    size_t n = strlen(s);

    if (used < LOG_START || used + n >= STATE_SIZE)
        return;
    memcpy(state + used, s, n);
    put_num(used_field(), used + n);
}

static void log_num(uint64_t v, int hex)
{
    char buf[24];
    int i = (int)sizeof(buf) - 1;

    buf[i] = '\0';
    do {
        buf[--i] = "0123456789abcdef"[v % (hex ? 16 : 10)];
        v /= hex ? 16 : 10;
    } while (v && i > 2);
    if (hex) {
        buf[--i] = 'x';
        buf[--i] = '0';
    }
    log_str(buf + i);
}

/* The call stack outside the shim, as object and offset lines for addr2line. Each
 * frame is a return address, so the call is the byte before it. */
static void log_stack(void)
{
    void *frames[40];
    Dl_info self, di;
    int i, n = backtrace(frames, 40);

    if (!dladdr(&state, &self))   /* any object of the shim gives its base */
        self.dli_fbase = NULL;
    for (i = 0; i < n; i++) {
        if (!dladdr(frames[i], &di) || !di.dli_fname) {
            log_str("at ? ");
            log_num((uint64_t)(uintptr_t)frames[i], 1);
            log_str("\n");
            continue;
        }
        if (di.dli_fbase == self.dli_fbase)
            continue;
        log_str("at ");
        log_str(di.dli_fname[0] ? di.dli_fname : "?");
        log_str(" ");
        log_num((uint64_t)((uintptr_t)frames[i] - (uintptr_t)di.dli_fbase - 1), 1);
        log_str(" ");
        log_str(di.dli_sname ? di.dli_sname : "-");
        log_str("\n");
    }
}

static void on_fatal(int sig)
{
    busy = 1;
    log_str("signal ");
    log_num((uint64_t)sig, 0);
    log_str(" pid=");
    log_num((uint64_t)getpid(), 0);
    log_str("\n");
    log_stack();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int grow(int fd)
{
    struct sigaction ign, old;
    int rc;

    memset(&ign, 0, sizeof(ign));
    ign.sa_handler = SIG_IGN;
    sigaction(SIGXFSZ, &ign, &old);
    rc = ftruncate(fd, STATE_SIZE);
    sigaction(SIGXFSZ, &old, NULL);
    return rc;
}

static void setup_state(const char *path)
{
    struct stat st;
    int fd, i;
    char *p;

    fd = real_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    /* Under a small RLIMIT_FSIZE, growing the file would raise SIGXFSZ before main: the
     * caller can make it full-sized beforehand (faultrun does); else the shim gives up. */
    if (fstat(fd, &st) != 0 || (st.st_size < STATE_SIZE && grow(fd) != 0)) {
        close(fd);
        return;
    }
    p = mmap(NULL, STATE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return;
    /* A fresh file is laid out; one already laid out (an exec'ed program) is carried on. */
    if (memcmp(p, "count ", 6) != 0) {
        memset(p, '\n', STATE_SIZE);
        for (i = 0; i < NFN; i++) {
            char *l = p + i * LINE_LEN;
            memcpy(l, "count ", 6);
            memset(l + 6, ' ', 9);
            memcpy(l + 6, fn_name[i], strlen(fn_name[i]));
            put_num(l + 15, 0);
        }
        memcpy(p + NFN * LINE_LEN, "used ", 5);
        put_num(p + NFN * LINE_LEN + 5, LOG_START);
    }
    state = p;
}

static void parse_fail(const char *v)
{
    const char *colon = strchr(v, ':');
    char *end;
    int i;

    if (!colon)
        return;
    for (i = 0; i < NFN; i++)
        if ((size_t)(colon - v) == strlen(fn_name[i]) && !strncmp(v, fn_name[i], strlen(fn_name[i])))
            break;
    if (i == NFN)
        return;
    fail_at = strtoull(colon + 1, &end, 10);
    fail_mode = M_FAIL;
    if (*end == ':') {
        if (!strcmp(end + 1, "short"))
            fail_mode = M_SHORT;
        else if (!strcmp(end + 1, "eintr"))
            fail_mode = M_EINTR;
        else if (!strcmp(end + 1, "term"))
            fail_mode = M_TERM;
        else if (strcmp(end + 1, "fail") != 0)
            return;
    } else if (*end) {
        return;
    }
    fail_fn = i;
}

__attribute__((constructor)) static void init(void)
{
    const char *v;
    void *warm[2];

    resolve();
    busy = 1;
    v = getenv("FAULTSHIM_STATE");
    if (v && *v)
        setup_state(v);
    if ((v = getenv("FAULTSHIM_FAIL")) != NULL)
        parse_fail(v);
    fail_errno = fail_fn >= 0 ? fn_errno[fail_fn] : 0;
    if ((v = getenv("FAULTSHIM_ERRNO")) != NULL && atoi(v) > 0)
        fail_errno = atoi(v);
    if ((v = getenv("FAULTSHIM_CALLER")) != NULL && strlen(v) < sizeof(caller_filter))
        strcpy(caller_filter, v);
    /* Behind libfiu's preload libraries: libfiu 1.1 seeds its random failures from the
     * clock (no FIU_PRNG_SEED), so a run it fails could not be replayed without this. */
    if ((v = getenv("FAULTSHIM_FIU_SEED")) != NULL) {
        void (*seed)(unsigned);

        fiu_seed = strtoul(v, NULL, 10) * 2654435761ul + 1;
        *(void **)(&seed) = dlsym(RTLD_DEFAULT, "fiu_set_prng_seed");
        if (seed)
            seed((unsigned)strtoul(v, NULL, 10));
    }
    /* backtrace() loads its unwinder on first use: do that now, not inside a fault. */
    if (state)
        backtrace(warm, 2);
    busy = 0;
}

/* Does the call come from an object the filter names? */
static int caller_wanted(const void *ret)
{
    Dl_info di;
    const char *s = caller_filter;

    if (!caller_filter[0])
        return 1;
    if (!dladdr(ret, &di) || !di.dli_fname)
        return 0;
    while (*s) {
        size_t n = strcspn(s, ":");
        const char *f;

        for (f = di.dli_fname; *f; f++)
            if (n && !strncmp(f, s, n))
                return 1;
        s += n + (s[n] == ':');
    }
    return 0;
}

/* Count one call of class fn; nonzero when this is the call to fault. */
static int tick(int fn, const void *ret)
{
    char *c;
    int i, hit;

    if (!state || !started || busy)
        return 0;
    busy = 1;
    hit = 0;
    if (caller_wanted(ret)) {
        /* Increment the decimal counter in place. */
        c = counter(fn);
        for (i = DIGITS - 1; i >= 0 && c[i] == '9'; i--)
            c[i] = '0';
        if (i >= 0)
            c[i]++;
        if (fn == fail_fn && get_num(c) == fail_at) {
            hit = 1;
            log_str("fired ");
            log_str(fn_name[fn]);
            log_str(" ");
            log_num(fail_at, 0);
            log_str(" ");
            log_str(mode_name[fail_mode]);
            log_str(" pid=");
            log_num((uint64_t)getpid(), 0);
            log_str("\n");
            log_stack();
        }
    }
    busy = 0;
    if (hit && fail_mode == M_TERM) {
        /* The host's SIGTERM arrives just before this call; if it does not kill, the
         * call goes on as if nothing had happened. */
        raise(SIGTERM);
        return 0;
    }
    return hit;
}

#define CALLER __builtin_return_address(0)

/* A faulted transfer: nonzero when handled, with the result in *res. */
static int io_fault(int fn, const void *ret, size_t *len, ssize_t *res)
{
    if (!tick(fn, ret))
        return 0;
    if (fail_mode == M_SHORT) {
        if (*len > 1) {
            *len /= 2;  /* the caller transfers the shortened length */
        } else {
            busy = 1;   /* one byte cannot be shortened: the call goes through */
            log_str("unshortened\n");
            busy = 0;
        }
        return 0;
    }
    errno = fail_mode == M_EINTR ? EINTR : fail_errno;
    *res = -1;
    return 1;
}

/* ---- the interposed functions --------------------------------------------------- */

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init_fn)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end);

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init_fn)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end)
{
    static char altstack[65536];
    stack_t ss;
    struct sigaction sa;
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXFSZ, SIGPIPE };
    size_t i;

    resolve();
    if (state) {
        /* Crashes record their stack, even a stack overflow's. */
        ss.ss_sp = altstack;
        ss.ss_size = sizeof(altstack);
        ss.ss_flags = 0;
        sigaltstack(&ss, NULL);
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_fatal;
        sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
        /* Only where the default would kill: an inherited SIG_IGN stays as it is. */
        for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
            struct sigaction old;

            if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
                sigaction(fatal[i], &sa, NULL);
        }
    }
    started = 1;
    return real_start_main(main, argc, argv, init_fn, fini, rtld_fini, stack_end);
}

ssize_t read(int fd, void *buf, size_t len)
{
    ssize_t res;

    resolve();
    if (io_fault(F_READ, CALLER, &len, &res))
        return res;
    return real_read(fd, buf, len);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
    ssize_t res;

    resolve();
    if (io_fault(F_PREAD, CALLER, &len, &res))
        return res;
    return real_pread(fd, buf, len, off);
}

ssize_t pread64(int fd, void *buf, size_t len, off64_t off)
{
    ssize_t res;

    resolve();
    if (io_fault(F_PREAD, CALLER, &len, &res))
        return res;
    return real_pread64(fd, buf, len, off);
}

ssize_t write(int fd, const void *buf, size_t len)
{
    ssize_t res;

    resolve();
    if (io_fault(F_WRITE, CALLER, &len, &res))
        return res;
    return real_write(fd, buf, len);
}

/* open's class, and mkstemp's for an exclusive create; nonzero: fail with errno set. */
static int open_fault(int flags, const void *ret)
{
    int hit = tick(F_OPEN, ret);

    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) && tick(F_MKSTEMP, ret))
        hit = 1;
    if (hit)
        errno = fail_mode == M_EINTR ? EINTR : fail_errno;
    return hit;
}

/* The mode argument exists only with O_CREAT or O_TMPFILE (which contains O_DIRECTORY's
 * bit, so it is tested whole, as glibc's __OPEN_NEEDS_MODE does). */
#define MODE_ARG(flags, mode) do { \
        if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) { \
            va_list ap; \
            va_start(ap, flags); \
            mode = va_arg(ap, int); \
            va_end(ap); \
        } \
    } while (0)

int open(const char *path, int flags, ...)
{
    int mode = 0;

    MODE_ARG(flags, mode);
    resolve();
    if (open_fault(flags, CALLER))
        return -1;
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    int mode = 0;

    MODE_ARG(flags, mode);
    resolve();
    if (open_fault(flags, CALLER))
        return -1;
    return real_open64(path, flags, mode);
}

int openat(int dfd, const char *path, int flags, ...)
{
    int mode = 0;

    MODE_ARG(flags, mode);
    resolve();
    if (open_fault(flags, CALLER))
        return -1;
    return real_openat(dfd, path, flags, mode);
}

int openat64(int dfd, const char *path, int flags, ...)
{
    int mode = 0;

    MODE_ARG(flags, mode);
    resolve();
    if (open_fault(flags, CALLER))
        return -1;
    return real_openat64(dfd, path, flags, mode);
}

void *malloc(size_t n)
{
    if (!real_malloc) {
        resolve();
        if (!real_malloc)
            return boot_alloc(n);
    }
    if (tick(F_MALLOC, CALLER)) {
        errno = fail_errno;
        return NULL;
    }
    return real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    if (!real_malloc) {
        resolve();
        if (!real_malloc) {
            /* The bootstrap buffer is static, so already zero. */
            if (size && n > (size_t)-1 / size)
                return NULL;
            return boot_alloc(n * size);
        }
    }
    if (tick(F_MALLOC, CALLER)) {
        errno = fail_errno;
        return NULL;
    }
    return real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    if (!real_malloc || is_boot(p)) {
        void *q;

        resolve();
        if (!real_malloc)
            return NULL;    /* nothing reallocates during dlsym */
        /* A bootstrap block moves to the real heap; its old size is unknown, but the
         * buffer is zero past it, so copying n bytes (bounded by the buffer) is safe. */
        q = real_malloc(n);
        if (q) {
            size_t avail = (size_t)(boot_buf + sizeof(boot_buf) - (char *)p);
            memcpy(q, p, n < avail ? n : avail);
        }
        return q;
    }
    if (tick(F_MALLOC, CALLER)) {
        errno = fail_errno;
        return NULL;
    }
    return real_realloc(p, n);
}

void free(void *p)
{
    if (!p || is_boot(p))
        return;
    if (!real_free)
        resolve();
    if (real_free)
        real_free(p);
}

int mkstemp(char *tmpl)
{
    resolve();
    if (tick(F_MKSTEMP, CALLER)) {
        errno = fail_errno;
        return -1;
    }
    return real_mkstemp(tmpl);
}

int mkstemp64(char *tmpl)
{
    resolve();
    if (tick(F_MKSTEMP, CALLER)) {
        errno = fail_errno;
        return -1;
    }
    return real_mkstemp64(tmpl);
}

int mkostemp(char *tmpl, int flags)
{
    resolve();
    if (tick(F_MKSTEMP, CALLER)) {
        errno = fail_errno;
        return -1;
    }
    return real_mkostemp(tmpl, flags);
}

char *mkdtemp(char *tmpl)
{
    resolve();
    if (tick(F_MKSTEMP, CALLER)) {
        errno = fail_errno;
        return NULL;
    }
    return real_mkdtemp(tmpl);
}

pid_t fork(void)
{
    resolve();
    if (tick(F_FORK, CALLER)) {
        errno = fail_errno;
        return -1;
    }
    return real_fork();
}

/* libfiu's POSIX wrappers pick a failed call's errno and a short transfer's length with
 * random(), seeded from the clock in their constructor: with FAULTSHIM_FIU_SEED those come
 * from a generator of the seed instead (the program under test calls neither). */
long random(void)
{
    resolve();
    if (!fiu_seed)
        return real_random();
    fiu_seed ^= fiu_seed << 13;
    fiu_seed ^= fiu_seed >> 7;
    fiu_seed ^= fiu_seed << 17;
    return (long)(fiu_seed >> 1 & 0x7fffffff);
}

void srandom(unsigned s)
{
    resolve();
    if (!fiu_seed)
        real_srandom(s);
}
