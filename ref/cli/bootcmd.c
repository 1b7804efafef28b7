/* SPDX-License-Identifier: GPL-2.0-only */
/* pygrub's main flow: output files, --runas, the decision, the menu, the copy, the record. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/boot.h"
#include "cli/cli.h"
#include "cli/depriv.h"
#include "cli/output.h"
#include "cli/proc.h"
#include "cli/tempfile.h"
#include "cli/ui.h"
#include "util/budget.h"
#include "util/mem.h"
#include "util/pyint.h"

struct outputs {
    int out;                    /* the record: --output or stdout (the --runas child: a pipe) */
    int kfd, rfd;               /* the temp files (-1 with -n, or once closed) */
    char kpath[4096], rpath[4096];  /* "" when there is none, or no more */
};

/* The largest report a --runas child may send: the arguments, which the
 * library's limits keep far smaller, and one byte. */
#define REPORT_MAX ((size_t)4 << 20)

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = EIO;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The library's sink; it keeps why a write failed (EFBIG, ENOSPC, ...) for the message,
 * which the library's "cannot write the copy" does not say. */
struct sink {
    int fd;
    int err;
};

static int fd_sink(void *arg, const void *buf, size_t len)
{
    struct sink *s = arg;

    if (write_all(s->fd, buf, len) == 0)
        return 0;
    s->err = errno;
    return -1;
}

/* os.makedirs(dir, 0o700), accepting a directory that exists. */
static int make_dirs(const char *dir)
{
    char p[4096];
    size_t i, n = strlen(dir);
    struct stat st;

    if (n == 0 || n >= sizeof(p))
        return -1;
    memcpy(p, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        p[i] = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return -1;
        p[i] = dir[i];
    }
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Whether path still names the file open on fd. */
static int same_file(int fd, const char *path)
{
    struct stat fs, ps;

    return fstat(fd, &fs) == 0 && stat(path, &ps) == 0 && fs.st_dev == ps.st_dev &&
           fs.st_ino == ps.st_ino;
}

/*
 * Remove one output and close it. The path is unlinked only while it still
 * names the file written (after a replaced directory it may name another
 * file); a file that moved away with its directory is emptied through its
 * descriptor instead. A closed descriptor means the path was checked before.
 */
static void drop_output(int *fd, char *path, enum pvb_proc_slot slot)
{
    pvb_proc_hold();
    if (path[0]) {
        if (*fd < 0 || same_file(*fd, path))
            unlink(path);
        else if (ftruncate(*fd, 0) != 0) {
            /* gone already, or nothing more to do */
        }
        path[0] = '\0';
    }
    pvb_proc_track(slot, NULL);
    pvb_proc_release();
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void remove_temps(struct outputs *f)
{
    drop_output(&f->kfd, f->kpath, PVB_PROC_KERNEL);
    drop_output(&f->rfd, f->rpath, PVB_PROC_RAMDISK);
}

static int open_outputs(const struct pvb_cli_opts *o, struct outputs *f)
{
    f->out = STDOUT_FILENO;
    f->kfd = f->rfd = -1;
    f->kpath[0] = f->rpath[0] = '\0';
    if (make_dirs(o->outdir) != 0) {
        fprintf(stderr, "pvboot: cannot create the output directory %s: %s\n", o->outdir,
                strerror(errno));
        return -1;
    }
    if (!o->not_really && o->mode == PVB_MODE_BOOT) {
        int e;
        /* A file exists only once a signal's handler knows to remove it. */
        pvb_proc_hold();
        f->kfd = pvb_mkstemp(o->outdir, "boot_kernel.", f->kpath, sizeof(f->kpath));
        if (f->kfd < 0)
            f->kpath[0] = '\0';
        else if (pvb_proc_track(PVB_PROC_KERNEL, f->kpath) != 0 ||
                 (f->rfd = pvb_mkstemp(o->outdir, "boot_ramdisk.", f->rpath, sizeof(f->rpath))) < 0)
            f->rpath[0] = '\0';
        else
            pvb_proc_track(PVB_PROC_RAMDISK, f->rpath);
        e = errno;
        pvb_proc_release();
        if (f->kfd < 0 || f->rfd < 0) {
            fprintf(stderr, "pvboot: cannot create files in %s: %s\n", o->outdir, strerror(e));
            remove_temps(f);
            return -1;
        }
    }
    /* pygrub opens --output with O_WRONLY only: it must exist, and is not truncated. A
     * FIFO blocks here until read; an interrupted open (EINTR: under an emulator, a signal
     * ignored still interrupts it) is tried again. */
    if (o->output) {
        while ((f->out = open(o->output, O_WRONLY)) < 0 && errno == EINTR)
            continue;
    }
    if (o->output && f->out < 0) {
        fprintf(stderr, "pvboot: cannot open the output file %s: %s\n", o->output,
                strerror(errno));
        remove_temps(f);
        return -1;
    }
    return 0;
}

/* One half of a GrubDiskPart: parentheses dropped, then the disk ("hd0": int(val[2:]);
 * "/dev/xvdb": the letter) or the partition ("msdos1", "gpt1" and "1": int). */
static int disk_part_num(const char *s, size_t n, int is_disk, long long *v)
{
    char buf[64];
    size_t i, k = 0;
    const char *p = buf;

    for (i = 0; i < n && k + 1 < sizeof(buf); i++)
        if (s[i] != '(' && s[i] != ')')
            buf[k++] = s[i];
    buf[k] = '\0';
    if (is_disk) {
        if (!strncmp(buf, "/dev/xvd", 8)) {
            if (!buf[8])
                return -1;
            *v = (long long)(unsigned char)buf[8] - 'a';
            return 0;
        }
        if (k < 2)
            return -1;
        p = buf + 2;
    } else {
        if (!strncmp(p, "msdos", 5))
            p += 5;
        if (!strncmp(p, "gpt", 3))
            p += 3;
    }
    return pvb_py_int(p, v);
}

/*
 * pygrub's -l "root:" (GrubConf.py GrubDiskPart.__repr__): the entry's own root
 * ("(hd0,0)" or "hd0,msdos1") as d<disk>p<part>, d<disk> without a partition, None
 * when the entry names none; extlinux entries have "" (ExtLinuxImage). A name pygrub
 * cannot read (it stops parsing the config there) is shown as the bootloader wrote it.
 */
static void root_repr(const struct pvb_menu *m, const struct pvb_cfg_entry *e, char *out,
                      size_t cap)
{
    const char *r = e->root, *comma;
    long long disk, part;

    if (m->engine == &pvb_engine_extlinux) {
        snprintf(out, cap, "%s", "");
        return;
    }
    if (!r) {
        snprintf(out, cap, "None");
        return;
    }
    comma = strchr(r, ',');
    if (!comma) {
        if (disk_part_num(r, strlen(r), 1, &disk) == 0) {
            snprintf(out, cap, "d%lld", disk);
            return;
        }
    } else if (!strchr(comma + 1, ',') && disk_part_num(r, (size_t)(comma - r), 1, &disk) == 0 &&
               disk_part_num(comma + 1, strlen(comma + 1), 0, &part) == 0) {
        snprintf(out, cap, "d%lldp%lld", disk, part);
        return;
    }
    snprintf(out, cap, "%s", r);
}

/* -l: pygrub's block per entry, for every entry (pygrub stops at one without initrd). */
static void list_entries(const struct pvb_boot *b)
{
    unsigned i;

    for (i = 0; b->menu && i < b->menu->count; i++) {
        const struct pvb_cfg_entry *e = &b->menu->entries[i];
        char root[80];

        root_repr(b->menu, e, root, sizeof(root));
        printf("title: %s\n", e->title ? e->title : "");
        printf("  root: %s\n", root);
        printf("  kernel: %s\n", e->kernel.path ? e->kernel.path : "None");
        printf("  args: %s\n", e->args && *e->args ? e->args : "None");
        printf("  initrd: %s\n", e->ninitrd ? e->initrd[0].path : "None");
        fflush(stdout);
    }
}

/* Boot what the menu chose: another entry (with its fallbacks, as GRUB), or one edited. */
static int take_choice(struct pvb_boot *b, const struct pvb_ui_choice *ch,
                       const struct pvb_boot_opts *bo)
{
    char *text;
    int rc;

    if (!ch->edited)
        return ch->entry == b->entry ? 0 : pvb_boot_choose(b, (unsigned)ch->entry, bo);
    if (!(text = pvb_ui_lines_join(&ch->lines)))
        return pvb_fail(b->ctx, PVB_ENOMEM, "menu: out of memory");
    rc = pvb_cfg_entry_edit(b->menu, (unsigned)ch->entry, "entered", text);
    free(text);
    return rc ? rc : pvb_boot_take(b, (unsigned)ch->entry, bo);
}

/*
 * The interactive menu. Without a terminal the default boots, as with -q; without
 * ncurses too, with a warning: a host missing a library must not stop a boot that
 * needs no menu to go on.
 */
static int interact(struct pvb_boot *b, const struct pvb_boot_opts *bo)
{
    struct pvb_ui_choice ch;
    struct pvb_ui_item *items;
    unsigned i, n = b->menu->count;
    int rc = 0;

    memset(&ch, 0, sizeof(ch));
    items = calloc(n ? n : 1, sizeof(*items));
    if (!items)
        return pvb_fail(b->ctx, PVB_ENOMEM, "menu: out of memory");
    for (i = 0; i < n && !rc; i++) {
        char *text = pvb_cfg_entry_text(b->menu, i);

        items[i].title = b->menu->entries[i].title ? b->menu->entries[i].title : "";
        if (!text) {
            /* An entry that does not load is listed without commands, as before. */
            if (pvb_err_fatal(b->ctx->err))
                rc = b->ctx->err;
            else
                pvb_ctx_clear(b->ctx);
            continue;
        }
        if (pvb_ui_lines_split(text, &items[i].lines) != 0)
            rc = pvb_fail(b->ctx, PVB_ENOMEM, "menu: out of memory");
        pvb_free(b->ctx, text);
    }
    if (!rc) {
        /* A human reading the menu is no hostile image: the backstop and the library's
         * clocks start again when the choice is made (the budgets restart too). */
        pvb_proc_pause_alarm();
        rc = pvb_ui_menu(b->ctx, items, (int)n, b->entry, b->menu->timeout, &ch);
        pvb_budget_start(b->ctx);
        pvb_proc_resume_alarm();
        if (rc == PVB_ENOLIB) {
            fprintf(stderr, "pvboot: warning: %s; booting the default entry\n", pvb_ctx_msg(b->ctx));
            pvb_ctx_clear(b->ctx);
            rc = 0;
        }
    }
    if (!rc && ch.entry >= 0)
        rc = take_choice(b, &ch, bo);
    pvb_ui_lines_free(&ch.lines);
    for (i = 0; i < n; i++)
        pvb_ui_lines_free(&items[i].lines);
    free(items);
    return rc;
}

/* The record libxl reads, with this process's own paths: a --runas child sends
 * only whether there is a ramdisk and the arguments, so it cannot name other files. */
static int emit(const struct pvb_cli_opts *o, struct outputs *f, int ramdisk, const char *args)
{
    struct sbuf s;
    int rc;

    sbuf_init(&s);
    rc = pvb_out_format(&s, o->format, o->not_really ? NULL : f->kpath,
                        o->not_really || !ramdisk ? NULL : f->rpath, args);
    if (rc != 0) {
        fprintf(stderr, "pvboot: output: simple format cannot represent delimiter-containing value\n");
    } else if (s.oom || write_all(f->out, s.p, s.len) != 0 ||
               (f->out != STDOUT_FILENO && close(f->out) != 0)) {
        fprintf(stderr, "pvboot: output: cannot write the result%s%s: %s\n",
                o->output ? " to " : "", o->output ? o->output : "",
                s.oom ? strerror(ENOMEM) : strerror(errno));
        rc = -1;
    }
    f->out = -1;
    sbuf_free(&s);
    return rc;
}

/* Before its path is printed: the file is still linked, and its path still names it.
 * Checked on the descriptor, so that a removed or replaced output directory does
 * not turn into a record of paths that do not exist or are other files. */
static int check_output(int fd, const char *path, const char *what)
{
    struct stat st;

    if (fstat(fd, &st) != 0) {
        fprintf(stderr, "pvboot: output: the %s file %s: %s\n", what, path, strerror(errno));
        return -1;
    }
    if (st.st_nlink == 0) {
        fprintf(stderr, "pvboot: output: the %s file %s was removed during the run\n", what, path);
        return -1;
    }
    if (!same_file(fd, path)) {
        fprintf(stderr, "pvboot: output: the %s file %s is no longer at that path "
                "(the output directory was moved or replaced during the run)\n", what, path);
        return -1;
    }
    return 0;
}

/*
 * close(), checked: a write error may only show here (NFS writes back at
 * close; a quota or ENOSPC found then). No fsync: the files are read once by
 * libxl from the page cache and removed; durability would cost a 1 GiB
 * flush, and close reports what the copy needs.
 */
static int close_output(int *fd, const char *path, const char *what)
{
    int rc = *fd >= 0 ? close(*fd) : 0;

    *fd = -1;
    if (rc != 0)
        fprintf(stderr, "pvboot: output: cannot write the %s file %s: %s\n", what, path,
                strerror(errno));
    return rc;
}

/*
 * Hand the results over: the ramdisk file removed when the entry has none
 * (as pygrub does), each file checked and closed, then the record written.
 * Any failure: a message, the files removed, 1. On success the fatal signals
 * stay blocked until pvboot exits: the files belong to the caller now, and a
 * late signal would only turn a delivered result into a failure.
 */
static int deliver(const struct pvb_cli_opts *o, struct outputs *f, int ramdisk, const char *args)
{
    if (!ramdisk)
        drop_output(&f->rfd, f->rpath, PVB_PROC_RAMDISK);
    if ((f->kfd >= 0 && check_output(f->kfd, f->kpath, "kernel") != 0) ||
        (f->rfd >= 0 && check_output(f->rfd, f->rpath, "ramdisk") != 0) ||
        close_output(&f->kfd, f->kpath, "kernel") != 0 ||
        close_output(&f->rfd, f->rpath, "ramdisk") != 0 || emit(o, f, ramdisk, args) != 0) {
        remove_temps(f);
        return 1;
    }
    pvb_proc_hold();
    pvb_proc_track(PVB_PROC_KERNEL, NULL);
    pvb_proc_track(PVB_PROC_RAMDISK, NULL);
    return 0;
}

/* A failed copy: the write error when there was one, else the library's message. */
static int extract_failed(struct pvb_ctx *c, const struct outputs *f, const struct sink *k,
                          const struct sink *r)
{
    if (k->err || r->err) {
        fprintf(stderr, "pvboot: output: cannot write the %s file %s: %s\n",
                k->err ? "kernel" : "ramdisk", k->err ? f->kpath : f->rpath,
                strerror(k->err ? k->err : r->err));
        return 1;
    }
    return pvb_cmd_fail(c);
}

/* Decide and extract; runs in the --runas child too. 0 with *bp the decision to
 * report (NULL with -l, which printed the list), or the exit status of a failure. */
static int run(const struct pvb_cli_opts *o, struct pvb_ctx *c, struct pvb_disk *d,
               struct outputs *f, struct pvb_boot **bp)
{
    struct pvb_boot_opts bo;
    struct pvb_boot *b = NULL;
    struct sink ks, rs;
    uint64_t kn, rn;
    int rc;

    *bp = NULL;
    pvb_boot_opts_init(&bo);
    bo.offset = o->offset;
    bo.entry = o->entry;
    bo.kernel = o->kernel;
    bo.ramdisk = o->ramdisk;
    bo.args = o->args;
    bo.load_all = o->mode == PVB_MODE_LIST;
    if (o->semantics)
        bo.semantics = strcmp(o->semantics, "upstream") == 0 ? PVB_CFG_SEM_UPSTREAM :
                       strcmp(o->semantics, "fedora") == 0 ? PVB_CFG_SEM_FEDORA :
                       strcmp(o->semantics, "suse") == 0 ? PVB_CFG_SEM_SUSE : PVB_CFG_SEM_AUTO;
    rc = pvb_boot_decide(c, d, &bo, &b);
    if (o->mode == PVB_MODE_LIST) {
        if (!rc)
            list_entries(b);
        pvb_boot_free(b);
        return 0;   /* pygrub -l exits 0 even when nothing was found */
    }
    if (!rc && o->interactive && b->menu)
        rc = interact(b, &bo);
    if (rc) {
        pvb_boot_free(b);
        return pvb_cmd_fail(c);
    }
    if (!o->not_really) {
        ks.fd = f->kfd;
        rs.fd = f->rfd;
        ks.err = rs.err = 0;
        rc = pvb_boot_extract(b, fd_sink, &ks, fd_sink, &rs, &kn, &rn);
        if (rc) {
            pvb_boot_free(b);
            return extract_failed(c, f, &ks, &rs);
        }
    }
    *bp = b;
    return 0;
}

/*
 * The --runas child's report to its parent, which checks the files and
 * writes the record (the child, chrooted, cannot see their paths): one byte,
 * 'R' with a ramdisk or '-' without, then the arguments. The child closes
 * its copies of the files first, checked, as a write error may show there.
 */
static int report(struct outputs *f, const struct pvb_boot *b)
{
    char has = b->ninitrds ? 'R' : '-';
    const char *args = b->args ? b->args : "";

    if (close_output(&f->kfd, f->kpath, "kernel") != 0 ||
        close_output(&f->rfd, f->rpath, "ramdisk") != 0)
        return 1;
    if (write_all(f->out, &has, 1) != 0 || write_all(f->out, args, strlen(args)) != 0 ||
        close(f->out) != 0) {
        fprintf(stderr, "pvboot: runas: cannot report to the parent: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

/* The parent's side: everything the child sends, up to REPORT_MAX (more is read and
 * dropped, so that the child never blocks on a full pipe). -1 when too long or unreadable. */
static int read_report(int fd, struct sbuf *s)
{
    char buf[4096];
    int over = 0;

    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        if (s->len + (size_t)n > REPORT_MAX)
            over = 1;
        else
            sbuf_add(s, buf, (size_t)n);
    }
    return over || s->oom ? -1 : 0;
}

/* --runas: the child decides and extracts; the parent waits, checks and reports. */
static int run_as(const struct pvb_cli_opts *o, struct pvb_ctx *c, struct pvb_disk *d,
                  struct outputs *f)
{
    struct pvb_depriv dp;
    struct pvb_boot *b;
    struct sbuf msg;
    char err[PVB_MSG_MAX];
    int pfd[2], rc, status, bad;

    if (pipe(pfd) != 0) {
        fprintf(stderr, "pvboot: runas: pipe: %s\n", strerror(errno));
        remove_temps(f);
        return 1;
    }
    rc = pvb_depriv_start(o->runas, o->outdir, &dp, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "pvboot: runas: %s\n", err);
        close(pfd[0]);
        close(pfd[1]);
        remove_temps(f);
        return 1;
    }
    if (rc == 0) {
        /* The child: the record is the parent's to write. */
        close(pfd[0]);
        if (f->out != STDOUT_FILENO)
            close(f->out);
        f->out = pfd[1];
        /* The child's CPU clock starts at 0: the run's clocks start again here, so its
         * deadline counts the child's own time. */
        pvb_budget_start(c);
        rc = run(o, c, d, f, &b);
        if (!rc && b)
            rc = report(f, b);
        else if (!rc && (fflush(stdout) != 0 || ferror(stdout)))
            rc = 1;   /* -l: the list did not reach stdout */
        pvb_boot_free(b);
        pvb_disk_close(d);
        _exit(rc);
    }
    close(pfd[1]);
    sbuf_init(&msg);
    bad = read_report(pfd[0], &msg);
    close(pfd[0]);
    status = pvb_depriv_wait(&dp, err, sizeof(err));
    if (status < 0) {
        fprintf(stderr, "pvboot: runas: %s\n", err);
        status = 1;
    } else if (status == 0 && o->mode == PVB_MODE_BOOT) {
        if (bad || msg.len == 0 || (msg.p[0] != 'R' && msg.p[0] != '-')) {
            fprintf(stderr, "pvboot: runas: the child's report is %s\n",
                    bad ? "unreadable or too long" : "malformed");
            status = 1;
        } else {
            status = deliver(o, f, msg.p[0] == 'R', msg.p + 1);
        }
    }
    sbuf_free(&msg);
    if (status != 0)
        remove_temps(f);
    return status;
}

int pvb_cmd_boot(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    struct pvb_disk *d = NULL;
    struct pvb_boot *b;
    struct outputs f;
    int rc;

    if (open_outputs(o, &f) != 0)
        return 1;
    if (pvb_cmd_open_disk(o, c, &d) != 0) {
        remove_temps(&f);
        return pvb_cmd_fail(c);
    }
    if (o->runas > 0) {
        rc = run_as(o, c, d, &f);
    } else {
        rc = run(o, c, d, &f, &b);
        if (!rc && b)
            rc = deliver(o, &f, b->ninitrds > 0, b->args);
        pvb_boot_free(b);
        if (rc != 0)
            remove_temps(&f);
    }
    pvb_disk_close(d);
    return rc;
}
