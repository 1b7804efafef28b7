/* SPDX-License-Identifier: GPL-2.0-only */
/* The backing-file policy: same directory only, regular files only, depth capped, loops refused. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk/backing.h"
#include "util/mem.h"

void pvb_backing_show(const char *name, size_t len, char *out, size_t cap)
{
    size_t i, n = len < cap - 1 ? len : cap - 1;

    for (i = 0; i < n; i++)
        out[i] = name[i] >= 0x20 && name[i] < 0x7f ? name[i] : '?';
    out[n] = '\0';
}

/* The full name to open: absolute as given, else relative to the chain's directory. */
static char *full_name(struct pvb_ctx *c, const char *dir, const char *name, size_t len)
{
    size_t dl = strlen(dir), n;
    char *s;

    if (name[0] == '/')
        return pvb_strndup(c, name, len);
    n = dl + 1 + len;
    s = pvb_alloc(c, n + 1, "backing file name");
    if (!s)
        return NULL;
    memcpy(s, dir, dl);
    s[dl] = '/';
    memcpy(s + dl + 1, name, len);
    s[n] = '\0';
    return s;
}

/* Open base inside the directory dfd: only a regular file, never through a
 * symlink; looked at before opening, as opening a device or FIFO can have
 * effects of its own. */
static int open_file(struct pvb_ctx *c, const char *what, int dfd, const char *base,
                     const char *shown, int *fd)
{
    struct stat st;
    int e;

    *fd = -1;
    if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0)
        e = errno;
    else if (S_ISLNK(st.st_mode))
        e = ELOOP;
    else if (!S_ISREG(st.st_mode))
        return pvb_fail(c, PVB_EUNSUPPORTED, "%s: backing file '%s' is not a regular file; "
                        "refusing to open it", what, shown);
    else if ((*fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)) >= 0)
        return 0;
    else
        e = errno;
    if (e == ELOOP)
        return pvb_fail(c, PVB_EUNSUPPORTED,
                        "%s: backing file '%s' is a symbolic link; refusing to follow it", what,
                        shown);
    return pvb_fail(c, e == ENOENT ? PVB_ENOTFOUND : PVB_EIO, "%s: backing file '%s': %s", what,
                    shown, strerror(e));
}

/* Open full's directory and check it is the chain's directory (by identity,
 * so symlinked or relative spellings of the same directory agree); then open
 * the last component there. */
static int open_inside(struct pvb_ctx *c, const char *what, const char *dir, char *full,
                       const char *shown, int *fd)
{
    char *slash = strrchr(full, '/'), *base = slash + 1;
    struct stat want, got;
    int dfd, rc;

    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return pvb_fail(c, PVB_ECORRUPT, "%s: backing file '%s' is not a file name", what, shown);
    *slash = '\0';
    dfd = open(slash == full ? "/" : full, O_RDONLY | O_DIRECTORY);
    *slash = '/';
    if (dfd < 0)
        return pvb_fail(c, PVB_ENOTFOUND, "%s: backing file '%s': directory: %s", what, shown,
                        strerror(errno));
    if (stat(dir, &want) != 0 || fstat(dfd, &got) != 0 || want.st_dev != got.st_dev ||
        want.st_ino != got.st_ino) {
        close(dfd);
        return pvb_fail(c, PVB_EUNSUPPORTED,
                        "%s: backing file '%s' is not in %s; refusing to open it", what, shown,
                        dir);
    }
    rc = open_file(c, what, dfd, base, shown, fd);
    close(dfd);
    return rc;
}

/* A regular file not already in the chain. */
static int check_file(struct pvb_ctx *c, const struct pvb_chain *chain, const char *what,
                      int fd, const char *shown, struct pvb_chain *node)
{
    const struct pvb_chain *n;
    struct stat st;

    if (fstat(fd, &st) != 0)
        return pvb_fail(c, PVB_EIO, "%s: backing file '%s': %s", what, shown, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return pvb_fail(c, PVB_EUNSUPPORTED,
                        "%s: backing file '%s' is not a regular file; refusing to open it", what,
                        shown);
    for (n = chain; n; n = n->child)
        if (n->have_id && n->dev == (uint64_t)st.st_dev && n->ino == (uint64_t)st.st_ino)
            return pvb_fail(c, PVB_ELOOP, "%s: backing chain loop: '%s' is already open as %s",
                            what, shown, n->path ? n->path : "the top image");
    node->have_id = 1;
    node->dev = (uint64_t)st.st_dev;
    node->ino = (uint64_t)st.st_ino;
    return 0;
}

static int refuse(struct pvb_ctx *c, const struct pvb_chain *chain, const char *what,
                  const char *name, size_t len, const char *shown)
{
    unsigned max = PVB_BACKING_MAX_DEPTH;

    if (c->lim.max_depth < max)
        max = c->lim.max_depth;
    if (!chain->opts->allow_backing)
        return pvb_fail(c, PVB_EUNSUPPORTED,
                        "%s: the image names a backing file '%s'; backing files are not "
                        "followed without --allow-backing", what, shown);
    if (!chain->dir)
        return pvb_fail(c, PVB_EINVAL, "%s: backing file '%s': no directory to look in "
                        "(give a backing directory)", what, shown);
    if (len == 0 || len > 4095 || memchr(name, '\0', len))
        return pvb_fail(c, PVB_ECORRUPT, "%s: backing file name '%s' is empty, too long or "
                        "holds a NUL byte", what, shown);
    if (chain->depth >= max)
        return pvb_fail(c, PVB_ELIMIT, "%s: backing chain deeper than %u images at '%s'", what,
                        max, shown);
    return 0;
}

int pvb_backing_open(struct pvb_ctx *c, const struct pvb_chain *chain, const char *what,
                     const char *name, size_t len, const char *fmt, struct pvb_disk **out)
{
    struct pvb_disk *file = NULL;
    struct pvb_chain node;
    char shown[160], *full;
    int fd = -1, rc;

    pvb_backing_show(name, len, shown, sizeof(shown));
    rc = refuse(c, chain, what, name, len, shown);
    if (rc)
        return rc;
    full = full_name(c, chain->dir, name, len);
    if (!full)
        return c->err;
    memset(&node, 0, sizeof(node));
    rc = open_inside(c, what, chain->dir, full, shown, &fd);
    if (!rc)
        rc = check_file(c, chain, what, fd, shown, &node);
    if (!rc)
        rc = pvb_disk_open_fd(c, fd, 1, &file);
    if (rc) {
        if (fd >= 0)
            close(fd);
        pvb_free(c, full);
        return rc;
    }
    node.opts = chain->opts;
    node.path = full;
    node.dir = chain->dir;
    node.depth = chain->depth + 1;
    node.child = chain;
    rc = pvb_format_open_chain(c, file, fmt, &node, out);
    if (rc) {
        pvb_disk_close(file);
        /* Name the innermost file only, so a deep chain keeps the cause. */
        if (!strstr(c->msg, "backing file '") && !strstr(c->msg, "backing chain"))
            pvb_ctx_prefix(c, "%s: backing file '%s': ", what, shown);
    }
    pvb_free(c, full);
    return rc;
}
