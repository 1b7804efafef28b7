/* SPDX-License-Identifier: GPL-2.0-only */
/* The scheduler: convert images an impl cannot read, then run every impl on every case, --jobs at a time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "files.h"
#include "impl.h"
#include "judge.h"
#include "proc.h"
#include "run.h"
#include "util/mem.h"

#define CONVERT_TIMEOUT 600.0
#define MAX_ARGS 80

#define NOWN 5

struct slot {
    int busy;
    size_t task;
    int stage;                       /* a real boot: 0 the impl runs, 1 qemu boots what it extracted */
    struct cf_proc p;
    struct cf_limits lim;
    char *dir, *outfile, *outdir;    /* a case run's files */
    char *target;                    /* a conversion's destination */
    char *own[NOWN];                 /* argv strings made for this run */
    char *argv[MAX_ARGS];
    struct cf_extracted x;           /* a real boot: what the impl extracted */
};

struct pool {
    struct cf_run *run;
    struct pvb_ctx *c;
    const struct cf_sched_opts *o;
    char *root;                      /* the run's temporary directory */
    char *root_error;                /* why it could not be made, or NULL */
    int any_user;                    /* an impl runs as a user of its own: directories are given to it */
    struct slot *slots;
    unsigned char *made;             /* slot j's directory exists */
    size_t *conv;                    /* case indices to convert */
    size_t nconv;
    const char *qemu;                /* qemu-img, or NULL when not found */
    pid_t *zombies;                  /* killed reapers not reaped yet */
    size_t nzombies, capzombies;
    struct cf_result *res;           /* the results of this pass, emitted in order */
    size_t nres, next_emit;
    void (*emit)(void *arg, const struct cf_run *run, size_t i);
    int (*start)(struct pool *, struct slot *, size_t);  /* 0 started, 1 done at once */
    int (*finish)(struct pool *, struct slot *);         /* 0 done, 2 the slot's next stage started */
    void (*poll)(struct pool *, struct slot *);          /* a running slot read output; may be NULL */
};

const char *cf_qemu_format(const char *format)
{
    static const char *const map[][2] = {
        { "raw", "raw" }, { "qcow", "qcow" }, { "qcow2", "qcow2" }, { "qcow2c", "qcow2" },
        { "vhd", "vpc" }, { "vpc", "vpc" }, { "vmdk", "vmdk" }, { "vdi", "vdi" }
    };
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], format) == 0)
            return map[i][1];
    return NULL;
}

static void slot_clear(struct pool *pl, struct slot *s)
{
    struct pvb_ctx *c = pl->c;
    size_t i;

    cf_proc_free(c, &s->p);
    for (i = 0; i < NOWN; i++)
        pvb_free(c, s->own[i]);
    cf_extracted_free(c, &s->x);
    pvb_free(c, s->dir);
    pvb_free(c, s->outfile);
    pvb_free(c, s->outdir);
    pvb_free(c, s->target);
    memset(s, 0, sizeof(*s));
}

/* ---- case runs ------------------------------------------------------------- */

static int skip(struct pvb_ctx *c, struct cf_result *r, const char *why)
{
    r->cls = r->cause = CF_SKIPPED;
    r->verdict = CF_SKIP;
    r->detail = cf_strdup(c, why);
    r->done = 1;
    return r->detail ? 1 : c->err;
}

/* The runner could not make the run (why; pvb_ctx_msg for its last error):
 * a result of its own that says nothing about the impl. Done at once. */
static int runner_error(struct pvb_ctx *c, struct cf_result *r, const char *why)
{
    pvb_free(c, r->detail);
    r->cls = r->cause = CF_RUNNER_ERROR;
    r->verdict = CF_ERROR;
    r->detail = cf_printf(c, "runner: %s", why);
    r->done = 1;
    return 1;
}

unsigned long cf_run_nproc(const struct cf_impl *im, unsigned jobs)
{
    if (!im->run_as || im->uid == 0 || im->uid == geteuid() || !im->nproc)
        return 0;
    return im->nproc * (jobs ? jobs : 1);
}

/* Give the run's --output file and --output-directory to the impl's user
 * (back to the runner's own when it has none: a slot's last run may have
 * been another impl's). The directory holding them stays the runner's, and
 * others may only pass through it: nothing the program leaves there can
 * stand in for a file the runner writes. */
static int give(struct pvb_ctx *c, const struct slot *s, const struct cf_impl *im)
{
    const char *const paths[2] = { s->outdir, s->outfile };

    if (chmod(s->dir, 0711) != 0)
        return pvb_fail(c, PVB_EIO, "chmod %s: %s", s->dir, strerror(errno));
    return cf_give(c, paths, 2, im->run_as ? im->uid : geteuid(), im->run_as ? im->gid : getegid());
}

/* The run's directory, empty, holding an empty --output file (pygrub opens
 * it without O_CREAT) and the empty --output-directory: the slot's, emptied
 * of what its last run left (its programs are all dead by now), or with
 * --keep one per run named key, left behind. */
static int prepare_dir(struct pool *pl, struct slot *s, const char *key, const struct cf_impl *im)
{
    struct pvb_ctx *c = pl->c;
    size_t j = (size_t)(s - pl->slots);
    int rc;

    if (pl->root_error)
        return pvb_fail(c, PVB_EIO, "%s", pl->root_error);
    s->dir = pl->o->keep ? cf_printf(c, "%s/%s", pl->root, key) : cf_printf(c, "%s/slot%zu", pl->root, j);
    s->outfile = s->dir ? cf_printf(c, "%s/output", s->dir) : NULL;
    s->outdir = s->dir ? cf_printf(c, "%s/out", s->dir) : NULL;
    if (!s->dir || !s->outfile || !s->outdir)
        return c->err;
    if (pl->o->keep || !pl->made[j]) {
        /* Emptying a directory costs less than removing and making one per
         * run (rmdir on a journalled file system takes milliseconds). */
        if (mkdir(s->dir, 0700) != 0 || mkdir(s->outdir, 0700) != 0)
            return pvb_fail(c, PVB_EIO, "mkdir %s: %s", s->outdir, strerror(errno));
        pl->made[j] = 1;
    } else {
        if ((rc = cf_clear_dir(c, s->outdir)) != 0)
            return rc;
        if (unlink(s->outfile) != 0 && errno != ENOENT)
            return pvb_fail(c, PVB_EIO, "unlink %s: %s", s->outfile, strerror(errno));
    }
    if ((rc = cf_create_empty(c, s->outfile)) != 0)
        return rc;
    return pl->any_user ? give(c, s, im) : 0;
}

/* COMMAND -q --output-format=simple0 --output=F --output-directory=D [--entry=E]
 * [--args=A] IMAGE, as libxl runs pygrub (libxl_bootloader.c bootloader_arg;
 * --args= carries the domain's extra= and is appended to the entry's args). */
static int build_argv(struct pool *pl, struct slot *s, const struct cf_impl *im,
                      const struct cf_case *k, const char *image, const char *args)
{
    struct pvb_ctx *c = pl->c;
    size_t n = 0, i;

    for (i = 0; im->argv[i]; i++)
        if (n < MAX_ARGS - 8)
            s->argv[n++] = im->argv[i];
    s->own[0] = cf_printf(c, "--output=%s", s->outfile);
    s->own[1] = cf_printf(c, "--output-directory=%s", s->outdir);
    s->own[2] = k->entry_arg ? cf_printf(c, "--entry=%s", k->entry_arg) : NULL;
    s->own[3] = cf_strdup(c, image);
    s->own[4] = args ? cf_printf(c, "--args=%s", args) : NULL;
    if (!s->own[0] || !s->own[1] || (k->entry_arg && !s->own[2]) || !s->own[3] || (args && !s->own[4]))
        return c->err;
    s->argv[n++] = "-q";
    s->argv[n++] = "--output-format=simple0";
    s->argv[n++] = s->own[0];
    s->argv[n++] = s->own[1];
    if (s->own[2])
        s->argv[n++] = s->own[2];
    if (s->own[4])
        s->argv[n++] = s->own[4];
    s->argv[n++] = s->own[3];
    s->argv[n] = NULL;
    return 0;
}

/* Start impl iimpl on case icase for result r; args: --args= or NULL. The
 * run's directory is named key with --keep (unique per run), else its slot's. */
static int start_impl(struct pool *pl, struct slot *s, const char *key, size_t iimpl, size_t icase,
                      struct cf_result *r, const char *args)
{
    struct pvb_ctx *c = pl->c;
    struct cf_run *run = pl->run;
    const struct cf_impl *im = &run->impls[iimpl];
    const struct cf_case *k = &run->cases[icase];
    const char *image = cf_impl_reads(im, k->format) || strcmp(k->format, "raw") == 0 ? k->image : k->raw;

    r->iimpl = iimpl;
    r->icase = icase;
    r->exit_code = -1;
    r->maxrss_kb = -1;
    r->cpu_ms = -1;
    r->left = -1;
    if (im->missing)
        return skip(c, r, im->missing);
    if (!image && k->raw_fault)
        return runner_error(c, r, k->raw_error ? k->raw_error : "qemu-img convert: out of memory");
    if (!image)
        return skip(c, r, k->raw_error ? k->raw_error : "no raw copy of the image");
    if (prepare_dir(pl, s, key, im) != 0 || build_argv(pl, s, im, k, image, args) != 0)
        return runner_error(c, r, pvb_ctx_msg(c));
    s->lim.timeout = im->timeout;
    s->lim.mem_mb = im->mem_mb;
    s->lim.fsize_mb = im->fsize_mb;
    s->lim.capture = pl->o->capture;
    s->lim.flood = pl->o->flood;
    s->lim.box = pl->o->contain;
    s->lim.run_as = im->run_as != NULL;
    s->lim.uid = im->uid;
    s->lim.gid = im->gid;
    s->lim.nproc = cf_run_nproc(im, pl->o->jobs);
    s->lim.readable = im->run_as ? image : NULL;
    if (cf_proc_start(c, &s->p, s->argv, im->env, s->dir, &s->lim) != 0)
        return runner_error(c, r, pvb_ctx_msg(c));
    return 0;
}

static int start_case(struct pool *pl, struct slot *s, size_t i)
{
    char key[32];

    snprintf(key, sizeof(key), "%zu", i);
    return start_impl(pl, s, key, i / pl->run->ncases, i % pl->run->ncases, &pl->run->results[i], NULL);
}

static int finish_case(struct pool *pl, struct slot *s)
{
    struct cf_run *run = pl->run;
    struct cf_result *r = &run->results[s->task];
    const struct cf_case *k = &run->cases[s->task % run->ncases];
    struct cf_outcome o;

    memset(&o, 0, sizeof(o));
    o.p = &s->p;
    o.outfile = s->outfile;
    o.outdir = s->outdir;
    o.lim = &s->lim;
    cf_judge(pl->c, k, &o, r);
    cf_judge_verdict(&run->impls[s->task / run->ncases], k, r);
    return 0;
}

/* ---- real boots: the impl with --args=, then qemu on what it extracted ------------- */

static int keep_zombie(struct pool *pl, struct slot *s);

static int start_boot(struct pool *pl, struct slot *s, size_t i)
{
    struct cf_run *run = pl->run;
    size_t icase = run->boot_cases[i % run->nboot];
    struct cf_result *r = &run->boots[i];
    char key[32];

    if (run->qemu->missing) {
        r->iimpl = i / run->nboot;
        r->icase = icase;
        r->exit_code = -1;
        r->maxrss_kb = r->cpu_ms = -1;
        r->left = -1;
        return skip(pl->c, r, run->qemu->missing);
    }
    snprintf(key, sizeof(key), "boot%zu", i);
    s->stage = 0;
    return start_impl(pl, s, key, i / run->nboot, icase, r, run->cases[icase].guest_append);
}

/* The impl is done: boot what it extracted (returns 2), or say why there is nothing. */
static int boot_extracted(struct pool *pl, struct slot *s, const struct cf_case *k, struct cf_result *r)
{
    struct pvb_ctx *c = pl->c;
    struct cf_case want = *k;
    struct cf_result ext;
    struct cf_outcome o;
    int rc;

    memset(&o, 0, sizeof(o));
    memset(&ext, 0, sizeof(ext));
    o.p = &s->p;
    o.outfile = s->outfile;
    o.outdir = s->outdir;
    o.lim = &s->lim;
    o.x = &s->x;
    /* With --args= appended, the args it should give are the guest's command line. */
    want.args = k->guest_cmdline;
    cf_judge(c, &want, &o, &ext);
    if (s->x.kernel) {
        pvb_free(c, ext.detail);
        pvb_free(c, ext.stderr_tail);
        if ((rc = keep_zombie(pl, s)) != 0)
            return rc;
        cf_proc_free(c, &s->p);
        if (!cf_boot_argv(s->argv, MAX_ARGS, pl->run->qemu->argv, &s->x)) {
            runner_error(c, r, "qemu: its command has too many words");
            return 0;
        }
        memset(&s->lim, 0, sizeof(s->lim));
        s->lim.timeout = pl->run->qemu->timeout;
        s->lim.capture = CF_BOOT_CONSOLE;
        s->lim.flood = 2 * (uint64_t)CF_BOOT_CONSOLE;
        s->lim.box = pl->o->contain;
        s->stage = 1;
        if (cf_proc_start(c, &s->p, s->argv, NULL, s->dir, &s->lim) != 0) {
            runner_error(c, r, pvb_ctx_msg(c));
            return 0;
        }
        return 2;
    }
    rc = cf_boot_nothing(c, &ext, r);
    pvb_free(c, ext.detail);
    pvb_free(c, ext.stderr_tail);
    return rc;
}

static int finish_boot(struct pool *pl, struct slot *s)
{
    struct cf_run *run = pl->run;
    struct cf_result *r = &run->boots[s->task];
    const struct cf_case *k = &run->cases[r->icase];
    int rc;

    rc = s->stage == 0 ? boot_extracted(pl, s, k, r)
                       : cf_boot_judge(pl->c, k, &s->p, run->qemu->timeout, r);
    if (rc == 0)
        cf_boot_verdict(&run->impls[r->iimpl], k, r);
    return rc;
}

/* qemu is running: stop it once its console has said enough (a panicked
 * kernel would otherwise wait for the time limit). */
static void poll_boot(struct pool *pl, struct slot *s)
{
    struct cf_console con;

    (void)pl;
    if (s->stage != 1)
        return;
    cf_boot_console(s->p.out.buf, s->p.out.len, &con);
    if (cf_boot_console_done(&con))
        cf_proc_kill(&s->p);
}

/* ---- conversions to raw -------------------------------------------------------- */

/* A case that runs and some available impl cannot read its format. */
static int needs_raw(const struct cf_run *run, const struct cf_sched_opts *o, const struct cf_case *k)
{
    size_t i;

    if (strcmp(k->format, "raw") == 0 || (!o->cases && !(o->boot && k->guest_cmdline)))
        return 0;
    for (i = 0; i < run->nimpls; i++)
        if (!run->impls[i].missing && !cf_impl_reads(&run->impls[i], k->format))
            return 1;
    return 0;
}

/* A cached copy is good when it is newer than the image (images/mkimage
 * rewrites an image whenever its case changes). */
static int cache_fresh(const char *image, const char *raw)
{
    struct stat a, b;

    return stat(image, &a) == 0 && stat(raw, &b) == 0 && S_ISREG(b.st_mode) &&
           b.st_mtime >= a.st_mtime;
}

/* A conversion the runner could not make (why): the case's raw-only runs
 * are runner errors. Done at once. */
static int convert_fault(struct pvb_ctx *c, struct cf_case *k, const char *why)
{
    char *nl;

    pvb_free(c, k->raw_error);
    k->raw_fault = 1;
    if (!(k->raw_error = cf_printf(c, "qemu-img convert %s to raw: %s", k->format, why)))
        return c->err;
    while ((nl = strchr(k->raw_error, '\n')) != NULL)
        *nl = ' ';
    return 1;
}

static int start_convert(struct pool *pl, struct slot *s, size_t t)
{
    struct pvb_ctx *c = pl->c;
    struct cf_case *k = &pl->run->cases[pl->conv[t]];
    const char *fmt = cf_qemu_format(k->format);
    char *slash;
    size_t n = 0;
    int rc;

    s->target = cf_printf(c, "%s/%s.raw", pl->o->cache, k->name);
    s->own[0] = cf_printf(c, "%s/%s.raw.tmp%ld", pl->o->cache, k->name, (long)getpid());
    if (!s->target || !s->own[0])
        return convert_fault(c, k, pvb_ctx_msg(c));
    slash = strrchr(s->own[0], '/');
    *slash = '\0';
    rc = cf_mkdir_p(c, s->own[0], 0755);
    *slash = '/';
    if (rc)
        return convert_fault(c, k, pvb_ctx_msg(c));
    s->argv[n++] = (char *)pl->qemu;
    s->argv[n++] = "convert";
    if (fmt) {
        s->argv[n++] = "-f";
        s->argv[n++] = (char *)fmt;
    }
    s->argv[n++] = "-O";
    s->argv[n++] = "raw";
    s->argv[n++] = k->image;
    s->argv[n++] = s->own[0];
    s->argv[n] = NULL;
    s->lim.timeout = CONVERT_TIMEOUT;
    s->lim.capture = 4096;
    s->lim.flood = 1 << 20;
    s->lim.box = pl->o->contain;
    if (cf_proc_start(c, &s->p, s->argv, NULL, NULL, &s->lim) != 0)
        return convert_fault(c, k, pvb_ctx_msg(c));
    return 0;
}

/* qemu-img made the raw copy; or it refused the image (a hostile one may be
 * beyond it too: the case is skipped for raw-only impls, with its message);
 * or the runner failed around it. */
static int finish_convert(struct pool *pl, struct slot *s)
{
    struct pvb_ctx *c = pl->c;
    struct cf_case *k = &pl->run->cases[pl->conv[s->task]];
    const struct cf_proc *p = &s->p;
    char why[256];

    if (p->have_exit && p->ex.setup_errno && p->ex.setup_stage == CF_SETUP_RUNNER) {
        snprintf(why, sizeof(why), "before it ran: %s: %s", p->ex.setup_what, strerror(p->ex.setup_errno));
        unlink(s->own[0]);
        return convert_fault(c, k, why) < 0 ? c->err : 0;
    }
    if (p->have_exit && !p->ex.setup_errno && WIFEXITED(p->ex.wstatus) && WEXITSTATUS(p->ex.wstatus) == 0) {
        if (rename(s->own[0], s->target) != 0) {
            snprintf(why, sizeof(why), "rename to %s: %s", s->target, strerror(errno));
            unlink(s->own[0]);
            return convert_fault(c, k, why) < 0 ? c->err : 0;
        }
        k->raw = s->target;
        s->target = NULL;
        return 0;
    }
    unlink(s->own[0]);
    k->raw_error = cf_printf(c, "qemu-img convert %s failed: %s", k->format,
                             p->timed_out ? "timed out" : p->err.tlen ? p->err.tail : "no message");
    if (k->raw_error) {
        char *nl;
        while ((nl = strchr(k->raw_error, '\n')) != NULL)
            *nl = ' ';
    }
    return k->raw_error ? 0 : c->err;
}

/* Which cases need a conversion that is not cached; NULL qemu: none possible. */
static int plan_conversions(struct pool *pl)
{
    struct pvb_ctx *c = pl->c;
    struct cf_run *run = pl->run;
    size_t i;

    pl->conv = pvb_calloc(c, run->ncases ? run->ncases : 1, sizeof(*pl->conv), "conversions");
    if (!pl->conv)
        return c->err;
    for (i = 0; i < run->ncases; i++) {
        struct cf_case *k = &run->cases[i];
        char *raw;
        if (!needs_raw(run, pl->o, k))
            continue;
        if (!pl->qemu) {
            k->raw_error = cf_strdup(c, "qemu-img not found: cannot convert to raw");
            if (!k->raw_error)
                return c->err;
            continue;
        }
        if (!(raw = cf_printf(c, "%s/%s.raw", pl->o->cache, k->name)))
            return c->err;
        if (cache_fresh(k->image, raw)) {
            k->raw = raw;
        } else {
            pl->conv[pl->nconv++] = i;
            pvb_free(c, raw);
        }
    }
    return 0;
}

/* ---- the pool ------------------------------------------------------------------ */

static void emit_ready(struct pool *pl)
{
    while (pl->next_emit < pl->nres && pl->res[pl->next_emit].done) {
        if (pl->emit)
            pl->emit(pl->o->emit_arg, pl->run, pl->next_emit);
        pl->next_emit++;
    }
}

static void abort_all(struct pool *pl)
{
    unsigned j;

    for (j = 0; j < pl->o->jobs; j++)
        if (pl->slots[j].busy)
            slot_clear(pl, &pl->slots[j]);
}

/* Keep a finished run's killed reaper to reap later: waiting for it to be
 * scheduled and die would delay the next run on a busy machine. */
static int keep_zombie(struct pool *pl, struct slot *s)
{
    if (!s->p.zombie)
        return 0;
    if (pl->nzombies == pl->capzombies) {
        size_t n = pl->capzombies ? 2 * pl->capzombies : 16;
        pid_t *v = pvb_realloc(pl->c, pl->zombies, n * sizeof(*v), "zombies");
        if (!v)
            return pl->c->err;
        pl->zombies = v;
        pl->capzombies = n;
    }
    pl->zombies[pl->nzombies++] = s->p.pid;
    s->p.zombie = 0;
    return 0;
}

static void reap_zombies(struct pool *pl, int block)
{
    size_t i = 0;

    while (i < pl->nzombies) {
        if (cf_proc_reap(pl->zombies[i], block))
            pl->zombies[i] = pl->zombies[--pl->nzombies];
        else
            i++;
    }
}

/* Wait for output, an exit or a deadline; 1 when a stop signal came. */
static int wait_any(struct pool *pl, fd_set *set, int *n)
{
    double now = cf_now(), wake = -1;
    struct timespec ts;
    int maxfd = -1;
    unsigned j;

    FD_ZERO(set);
    for (j = 0; j < pl->o->jobs; j++) {
        double w;
        if (!pl->slots[j].busy)
            continue;
        cf_proc_fdset(&pl->slots[j].p, set, &maxfd);
        w = cf_proc_wake(&pl->slots[j].p, now);
        if (w >= 0 && (wake < 0 || w < wake))
            wake = w;
    }
    if (maxfd >= FD_SETSIZE)
        return pvb_fail(pl->c, PVB_ELIMIT, "descriptor %d past FD_SETSIZE", maxfd);
    if (wake >= 0) {
        ts.tv_sec = (time_t)wake;
        ts.tv_nsec = (long)((wake - (double)ts.tv_sec) * 1e9) + 1000;
        if (ts.tv_nsec >= 1000000000L)
            ts.tv_nsec = 999999999L;
    }
    /* pselect opens the stop signals only while waiting, so one that arrives
     * while a result is judged is not lost (POSIX pselect rationale). */
    *n = pselect(maxfd + 1, set, NULL, NULL, wake >= 0 ? &ts : NULL, &pl->o->waitmask);
    if (*n < 0 && errno == EINTR)
        return 1;
    if (*n < 0)
        return pvb_fail(pl->c, PVB_EIO, "pselect: %s", strerror(errno));
    return 0;
}

static int pool_run(struct pool *pl, size_t ntasks, int *interrupted)
{
    size_t next = 0, running = 0;
    unsigned j;
    int rc = 0;

    while (rc == 0 && (next < ntasks || running > 0)) {
        fd_set set;
        int n = 0;
        for (j = 0; j < pl->o->jobs && next < ntasks && rc == 0; j++) {
            struct slot *s = &pl->slots[j];
            if (s->busy)
                continue;
            s->task = next;
            rc = pl->start(pl, s, next++);
            if (rc == 0) {
                s->busy = 1;
                running++;
            } else {
                slot_clear(pl, s);
                rc = rc == 1 ? 0 : rc;
                emit_ready(pl);
            }
        }
        if (rc || running == 0)
            continue;
        reap_zombies(pl, 0);
        if ((rc = wait_any(pl, &set, &n)) != 0)
            break;
        for (j = 0; j < pl->o->jobs && rc == 0; j++) {
            struct slot *s = &pl->slots[j];
            if (!s->busy)
                continue;
            if (!cf_proc_step(&s->p, n > 0 ? &set : NULL, cf_now())) {
                if (pl->poll)
                    pl->poll(pl, s);
                continue;
            }
            rc = pl->finish(pl, s);
            if (rc == 2) {
                rc = 0;  /* the slot runs its next stage */
                continue;
            }
            if (rc == 0)
                rc = keep_zombie(pl, s);
            slot_clear(pl, s);
            running--;
            emit_ready(pl);
        }
    }
    if (rc == 1) {
        *interrupted = 1;
        rc = pvb_fail(pl->c, PVB_EIO, "interrupted");
    }
    if (rc)
        abort_all(pl);
    return rc;
}

/* qemu-img in PATH (it lives in /usr/bin on Debian). */
static char *find_qemu(struct pvb_ctx *c)
{
    struct cf_impl probe;
    char *path = NULL;

    if (cf_impl_adhoc(c, "qemu-img=qemu-img", &probe) != 0)
        return NULL;
    if (cf_impl_locate(c, &probe) == 0 && !probe.missing)
        path = cf_strdup(c, probe.argv[0]);
    cf_impl_free(c, &probe);
    return path;
}

int cf_run_all(struct cf_run *run, const struct cf_sched_opts *o, int *interrupted)
{
    struct pvb_ctx *c = run->c;
    struct pool pl;
    char *qemu = NULL;
    size_t i;
    int rc;

    *interrupted = 0;
    memset(&pl, 0, sizeof(pl));
    pl.run = run;
    pl.c = c;
    pl.o = o;
    run->nresults = o->cases ? run->nimpls * run->ncases : 0;
    run->nboots = o->boot ? run->nimpls * run->nboot : 0;
    if (run->nboots && !run->qemu) {
        rc = pvb_fail(c, PVB_EINVAL, "real boots without a qemu");
        goto cleanup;
    }
    run->results = pvb_calloc(c, run->nresults ? run->nresults : 1, sizeof(*run->results), "results");
    run->boots = pvb_calloc(c, run->nboots ? run->nboots : 1, sizeof(*run->boots), "boots");
    pl.slots = pvb_calloc(c, o->jobs, sizeof(*pl.slots), "job slots");
    pl.made = pvb_calloc(c, o->jobs, 1, "job slots");
    pl.root = cf_printf(c, "%s/pvconform.XXXXXX", o->tmpdir);
    if (!run->results || !run->boots || !pl.slots || !pl.made || !pl.root) {
        rc = c->err;
        goto cleanup;
    }
    /* Without its directory no run can be made: every one is a runner
     * error, reported as such, rather than no report at all. */
    if (!mkdtemp(pl.root) && !(pl.root_error = cf_printf(c, "mkdtemp %s: %s", pl.root, strerror(errno)))) {
        rc = c->err;
        goto cleanup;
    }
    for (i = 0; i < run->nimpls; i++)
        pl.any_user |= run->impls[i].run_as != NULL;
    /* Other users pass through it to their run's directory, and list nothing. */
    if (!pl.root_error && pl.any_user && chmod(pl.root, 0711) != 0 &&
        !(pl.root_error = cf_printf(c, "chmod %s: %s", pl.root, strerror(errno)))) {
        rc = c->err;
        goto cleanup;
    }
    pl.qemu = qemu = find_qemu(c);
    rc = plan_conversions(&pl);
    if (rc == 0 && pl.nconv) {
        pl.start = start_convert;  /* conversions emit nothing: no pl.res */
        pl.finish = finish_convert;
        rc = pool_run(&pl, pl.nconv, interrupted);
    }
    if (rc == 0 && run->nresults) {
        pl.start = start_case;
        pl.finish = finish_case;
        pl.res = run->results;
        pl.nres = run->nresults;
        pl.emit = o->emit;
        pl.next_emit = 0;
        rc = pool_run(&pl, run->nresults, interrupted);
    }
    if (rc == 0 && run->nboots) {
        pl.start = start_boot;
        pl.finish = finish_boot;
        pl.poll = poll_boot;
        pl.res = run->boots;
        pl.nres = run->nboots;
        pl.emit = o->emit_boot;
        pl.next_emit = 0;
        rc = pool_run(&pl, run->nboots, interrupted);
    }
    reap_zombies(&pl, 1);
    if (!o->keep && !pl.root_error && cf_remove_tree(c, pl.root) != 0)
        pvb_warn(c, "temporary directory left behind: %s", pvb_ctx_msg(c));
cleanup:
    pvb_free(c, pl.zombies);
    pvb_free(c, qemu);
    pvb_free(c, pl.conv);
    pvb_free(c, pl.slots);
    pvb_free(c, pl.made);
    pvb_free(c, pl.root);
    pvb_free(c, pl.root_error);
    return rc;
}
