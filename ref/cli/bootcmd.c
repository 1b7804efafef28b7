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
#include "cli/tempfile.h"
#include "cli/ui.h"
#include "util/mem.h"

struct outputs {
    int out;                    /* the record: --output or stdout */
    int kfd, rfd;               /* the temp files (-1 with -n) */
    char kpath[4096], rpath[4096];
};

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fd_sink(void *arg, const void *buf, size_t len)
{
    return write_all(*(int *)arg, buf, len);
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

static void remove_temps(struct outputs *f)
{
    if (f->kpath[0])
        unlink(f->kpath);
    if (f->rpath[0])
        unlink(f->rpath);
    f->kpath[0] = f->rpath[0] = '\0';
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
        f->kfd = pvb_mkstemp(o->outdir, "boot_kernel.", f->kpath, sizeof(f->kpath));
        if (f->kfd < 0)
            f->kpath[0] = '\0';
        else if ((f->rfd = pvb_mkstemp(o->outdir, "boot_ramdisk.", f->rpath, sizeof(f->rpath))) < 0)
            f->rpath[0] = '\0';
        if (f->kfd < 0 || f->rfd < 0) {
            fprintf(stderr, "pvboot: cannot create files in %s: %s\n", o->outdir, strerror(errno));
            remove_temps(f);
            return -1;
        }
    }
    /* pygrub opens --output with O_WRONLY only: it must exist, and is not truncated. */
    if (o->output && (f->out = open(o->output, O_WRONLY)) < 0) {
        fprintf(stderr, "pvboot: cannot open the output file %s: %s\n", o->output,
                strerror(errno));
        remove_temps(f);
        return -1;
    }
    return 0;
}

/* pygrub's GrubDiskPart repr for "root:" in -l: hd0,msdos1 -> d0p1. */
static void root_repr(const char *dev, char *out, size_t cap)
{
    const char *p;
    unsigned long disk, part;
    char *end;

    if (!dev || strncmp(dev, "hd", 2) != 0) {
        snprintf(out, cap, "None");
        return;
    }
    disk = strtoul(dev + 2, &end, 10);
    if (*end != ',') {
        snprintf(out, cap, "d%lu", disk);
        return;
    }
    p = end + 1;
    while (*p && (*p < '0' || *p > '9'))
        p++;
    part = strtoul(p, NULL, 10);
    snprintf(out, cap, "d%lup%lu", disk, part);
}

/* -l: pygrub's block per entry, for every entry (pygrub stops at one without initrd). */
static void list_entries(const struct pvb_boot *b)
{
    unsigned i;

    for (i = 0; b->menu && i < b->menu->count; i++) {
        const struct pvb_cfg_entry *e = &b->menu->entries[i];
        char root[32];

        root_repr(e->kernel.dev, root, sizeof(root));
        printf("title: %s\n", e->title ? e->title : "");
        printf("  root: %s\n", root);
        printf("  kernel: %s\n", e->kernel.path ? e->kernel.path : "None");
        printf("  args: %s\n", e->args && *e->args ? e->args : "None");
        printf("  initrd: %s\n", e->ninitrd ? e->initrd[0].path : "None");
        fflush(stdout);
    }
}

/* The interactive menu; without a terminal the default boots, as with -q. */
static int interact(struct pvb_boot *b, const struct pvb_cli_opts *o, const struct pvb_boot_opts *bo)
{
    struct pvb_ui_item *items;
    unsigned i, n = b->menu->count;
    int sel, rc = 0;

    items = calloc(n, sizeof(*items));
    if (!items)
        return 0;
    for (i = 0; i < n; i++) {
        items[i].title = b->menu->entries[i].title ? b->menu->entries[i].title : "";
        pvb_cfg_load(b->menu, i);
        if (b->menu->entries[i].args)
            items[i].args = strdup(b->menu->entries[i].args);
    }
    sel = pvb_ui_menu(items, (int)n, b->entry, b->menu->timeout);
    if (sel >= 0 && sel != b->entry)
        rc = pvb_boot_choose(b, (unsigned)sel, bo);
    if (!rc && sel >= 0 && sel == b->entry) {
        const char *edited = items[sel].args ? items[sel].args : "";
        const char *orig = b->menu->entries[sel].args ? b->menu->entries[sel].args : "";
        if (strcmp(edited, orig) != 0) {
            /* Edited arguments replace the entry's; --args still follows. */
            size_t n1 = strlen(edited), n2 = o->args ? strlen(o->args) : 0;
            char *s = pvb_alloc(b->ctx, n1 + n2 + 2, "args");
            if (s) {
                memcpy(s, edited, n1 + 1);
                if (n2) {
                    s[n1] = ' ';
                    memcpy(s + n1 + 1, o->args, n2 + 1);
                }
                pvb_free(b->ctx, b->args);
                b->args = s;
            }
        }
    }
    for (i = 0; i < n; i++)
        free(items[i].args);
    free(items);
    return rc;
}

static int emit(const struct pvb_cli_opts *o, struct outputs *f, const struct pvb_boot *b)
{
    struct sbuf s;
    int rc;

    sbuf_init(&s);
    rc = pvb_out_format(&s, o->format, o->not_really ? NULL : f->kpath,
                        o->not_really || !b->ninitrds ? NULL : f->rpath, b->args);
    if (rc != 0) {
        fprintf(stderr, "pvboot: output: simple format cannot represent delimiter-containing value\n");
    } else if (s.oom || write_all(f->out, s.p, s.len) != 0) {
        fprintf(stderr, "pvboot: output: cannot write the result\n");
        rc = -1;
    }
    sbuf_free(&s);
    return rc;
}

/* Decide, extract and report; runs in the --runas child too. */
static int run(const struct pvb_cli_opts *o, struct pvb_ctx *c, struct pvb_disk *d,
               struct outputs *f)
{
    struct pvb_boot_opts bo;
    struct pvb_boot *b = NULL;
    uint64_t ks, rs;
    int rc;

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
                       PVB_CFG_SEM_AUTO;
    rc = pvb_boot_decide(c, d, &bo, &b);
    if (o->mode == PVB_MODE_LIST) {
        if (!rc)
            list_entries(b);
        pvb_boot_free(b);
        return 0;   /* pygrub -l exits 0 even when nothing was found */
    }
    if (!rc && o->interactive && b->menu)
        rc = interact(b, o, &bo);
    if (!rc && !o->not_really) {
        rc = pvb_boot_extract(b, fd_sink, &f->kfd, fd_sink, &f->rfd, &ks, &rs);
        if (!rc && !b->ninitrds && f->rpath[0]) {
            unlink(f->rpath);   /* pygrub removes the ramdisk file when there is none */
            f->rpath[0] = '\0';
        }
    }
    if (rc) {
        pvb_boot_free(b);
        return pvb_cmd_fail(c);
    }
    rc = emit(o, f, b) == 0 ? 0 : 1;
    pvb_boot_free(b);
    return rc;
}

/* After a --runas child: drop what it did not fill, as pygrub's parent does. */
static void tidy_after_child(struct outputs *f, int status)
{
    struct stat st;

    if (f->kpath[0] && (status != 0 || (stat(f->kpath, &st) == 0 && st.st_size == 0)))
        unlink(f->kpath);
    if (f->rpath[0] && (status != 0 || (stat(f->rpath, &st) == 0 && st.st_size == 0)))
        unlink(f->rpath);
}

int pvb_cmd_boot(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    struct pvb_disk *d = NULL;
    struct outputs f;
    char err[PVB_MSG_MAX];
    int rc, status;

    if (open_outputs(o, &f) != 0)
        return 1;
    if (pvb_cmd_open_disk(o, c, &d) != 0) {
        remove_temps(&f);
        return pvb_cmd_fail(c);
    }
    if (o->runas > 0) {
        rc = pvb_depriv(o->runas, o->outdir, &status, err, sizeof(err));
        if (rc < 0) {
            fprintf(stderr, "pvboot: runas: %s\n", err);
            remove_temps(&f);
            pvb_disk_close(d);
            return 1;
        }
        if (rc == 1) {
            tidy_after_child(&f, status);
            pvb_disk_close(d);
            return status;
        }
        /* The child: it cannot unlink in its empty root; the parent tidies. */
        rc = run(o, c, d, &f);
        pvb_disk_close(d);
        _exit(rc);
    }
    rc = run(o, c, d, &f);
    if (rc != 0)
        remove_temps(&f);
    pvb_disk_close(d);
    if (f.kfd >= 0)
        close(f.kfd);
    if (f.rfd >= 0)
        close(f.rfd);
    return rc;
}
