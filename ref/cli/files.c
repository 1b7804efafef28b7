/* SPDX-License-Identifier: GPL-2.0-only */
/* --ls and --cat: read any directory or file from the guest's image, like grub-fstest. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/boot.h"
#include "cli/cli.h"

/* Each line is "name\0columns": sorted by name, printed from the columns. */
struct listing {
    struct pvb_fs *fs;
    char **lines;
    size_t n, cap;
};

static int add_line(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct listing *l = arg;
    struct pvb_stat st;
    char buf[600];
    size_t nlen = strlen(name);
    char **nl;

    int rc = pvb_fs_stat_ino(l->fs, ino, &st);

    if (pvb_err_fatal(rc))
        return rc;
    if (rc) {   /* a bad inode: listed with what its directory entry says */
        pvb_ctx_clear(l->fs->ctx);
        st.size = 0;
        st.type = type;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        nl = realloc(l->lines, l->cap * sizeof(*nl));
        if (!nl)
            return PVB_ENOMEM;
        l->lines = nl;
    }
    snprintf(buf, sizeof(buf), "%-8s %12llu %s%s", pvb_ftype_name(st.type),
             (unsigned long long)st.size, name, st.type == PVB_FT_DIR ? "/" : "");
    l->lines[l->n] = malloc(nlen + 1 + strlen(buf) + 1);
    if (!l->lines[l->n])
        return PVB_ENOMEM;
    memcpy(l->lines[l->n], name, nlen + 1);
    strcpy(l->lines[l->n] + nlen + 1, buf);
    l->n++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_ls(struct pvb_fs *fs, const char *path)
{
    struct listing l;
    size_t i;
    int rc;

    memset(&l, 0, sizeof(l));
    l.fs = fs;
    rc = pvb_fs_readdir(fs, path, add_line, &l);
    if (rc == PVB_ENOMEM)
        pvb_fail(fs->ctx, rc, "ls: out of memory");
    if (!rc) {
        qsort(l.lines, l.n, sizeof(*l.lines), by_name);
        for (i = 0; i < l.n; i++)
            printf("%s\n", l.lines[i] + strlen(l.lines[i]) + 1);
    }
    for (i = 0; i < l.n; i++)
        free(l.lines[i]);
    free(l.lines);
    return rc;
}

static int to_stdout(void *arg, const void *buf, size_t len)
{
    (void)arg;
    return fwrite(buf, 1, len, stdout) == len ? 0 : -1;
}

static int do_cat(struct pvb_fs *fs, const char *path)
{
    uint64_t n;

    return pvb_fs_stream(fs, path, to_stdout, NULL, &n);
}

int pvb_cmd_files(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    struct pvb_disk *d = NULL;
    struct pvb_boot *b = NULL;
    struct pvb_fs *fs;
    char dev[32];
    int rc;

    rc = pvb_cmd_open_disk(o, c, &d);
    if (!rc)
        rc = pvb_boot_open(c, d, o->offset, &b);
    if (!rc) {
        if (o->partition >= 0)
            snprintf(dev, sizeof(dev), "hd0,%ld", o->partition);
        rc = pvb_boot_fs(b, o->device ? o->device : o->partition >= 0 ? dev : NULL, &fs);
    }
    if (!rc)
        rc = o->mode == PVB_MODE_LS ? do_ls(fs, o->path) : do_cat(fs, o->path);
    if (fflush(stdout) != 0 && !rc)
        rc = pvb_fail(c, PVB_EIO, "write: %s", strerror(errno));
    pvb_boot_free(b);
    pvb_disk_close(d);
    return rc ? pvb_cmd_fail(c) : 0;
}
