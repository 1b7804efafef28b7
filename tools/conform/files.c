/* SPDX-License-Identifier: GPL-2.0-only */
/* Directory helpers for the runner: create a path, remove a tree the program under test wrote. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conform.h"
#include "files.h"
#include "util/mem.h"

#define MAX_DEPTH 64

int cf_mkdir_p(struct pvb_ctx *c, const char *path, unsigned mode)
{
    char *p = cf_strdup(c, path), *s;
    struct stat st;
    int rc = 0;

    if (!p)
        return c->err;
    for (s = p + 1; rc == 0; s++) {
        int last = *s == '\0';
        if (*s != '/' && !last)
            continue;
        *s = '\0';
        /* What exists must be a directory: a file there is no place to write in. */
        if (mkdir(p, (mode_t)mode) != 0 && (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)))
            rc = pvb_fail(c, PVB_EIO, "mkdir %s: %s", p, strerror(errno == EEXIST ? ENOTDIR : errno));
        if (last)
            break;
        *s = '/';
    }
    pvb_free(c, p);
    return rc;
}

static int remove_in(struct pvb_ctx *c, const char *path, unsigned depth);

/* Remove every entry of the directory path. */
static int remove_entries(struct pvb_ctx *c, const char *path, unsigned depth)
{
    struct dirent *e;
    DIR *d;
    int rc = 0;

    chmod(path, 0700);
    if (!(d = opendir(path)))
        return pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char *sub;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!(sub = cf_printf(c, "%s/%s", path, e->d_name)))
            rc = c->err;
        else
            rc = remove_in(c, sub, depth + 1);
        pvb_free(c, sub);
    }
    closedir(d);
    return rc;
}

static int remove_in(struct pvb_ctx *c, const char *path, unsigned depth)
{
    struct stat st;
    int rc;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0)
            return pvb_fail(c, PVB_EIO, "unlink %s: %s", path, strerror(errno));
        return 0;
    }
    if (depth > MAX_DEPTH)
        return pvb_fail(c, PVB_ELIMIT, "%s: nested more than %d deep", path, MAX_DEPTH);
    rc = remove_entries(c, path, depth);
    if (rc == 0 && rmdir(path) != 0)
        rc = pvb_fail(c, PVB_EIO, "rmdir %s: %s", path, strerror(errno));
    return rc;
}

int cf_remove_tree(struct pvb_ctx *c, const char *path)
{
    return remove_in(c, path, 0);
}

int cf_clear_dir(struct pvb_ctx *c, const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (remove_in(c, path, 0) != 0)
            return c->err;
        if (mkdir(path, 0700) != 0)
            return pvb_fail(c, PVB_EIO, "mkdir %s: %s", path, strerror(errno));
        return 0;
    }
    return remove_entries(c, path, 0);
}

int cf_create_empty(struct pvb_ctx *c, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

    if (fd < 0)
        return pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    close(fd);
    return 0;
}

int cf_give(struct pvb_ctx *c, const char *const *paths, size_t n, uid_t uid, gid_t gid)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (lchown(paths[i], uid, gid) != 0)
            return pvb_fail(c, PVB_EIO, "chown %s to %lu: %s", paths[i], (unsigned long)uid, strerror(errno));
    return 0;
}
