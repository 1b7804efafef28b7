/* SPDX-License-Identifier: GPL-2.0-only */
/* The fs layer: mounting by probe, the shared path walk, and bounded file reads. */
#include <stdio.h>
#include <string.h>

#include "fs/drivers.h"
#include "fs/fs.h"
#include "util/budget.h"
#include "util/mem.h"

#define MAX_NAME 255  /* ext and XFS both cap a name at 255 bytes */

static int mount_with(struct pvb_disk *vol, const struct pvb_fs_ops *ops, struct pvb_fs **out)
{
    struct pvb_ctx *c = vol->ctx;
    struct pvb_fs *fs;
    void *priv = NULL;
    int rc;

    fs = pvb_zalloc(c, sizeof(*fs), "fs");
    if (!fs)
        return c->err;
    rc = ops->mount(vol, &priv);
    if (rc) {
        pvb_free(c, fs);
        return rc;
    }
    fs->ops = ops;
    fs->ctx = c;
    fs->vol = vol;
    fs->priv = priv;
    *out = fs;
    return 0;
}

int pvb_fs_mount(struct pvb_disk *vol, struct pvb_fs **out)
{
    char what[128];
    unsigned i;
    int rc;

    /* Only "not mine" moves on to the next driver (GRUB grub_fs_probe). */
    for (i = 0; pvb_fs_drivers[i]; i++) {
        rc = mount_with(vol, pvb_fs_drivers[i], out);
        if (rc != PVB_ENOTMINE)
            return rc;
    }
    rc = pvb_fs_identify(vol, what, sizeof(what));
    if (rc < 0)
        return rc;
    if (rc == PVB_FS_ID_VOLMGR)
        return pvb_fail(vol->ctx, PVB_ENOTMINE,
                        "fs: %s, not a filesystem: its logical volumes are volumes of their own", what);
    if (rc)
        return pvb_fail(vol->ctx, PVB_ENOTMINE, "fs: %s, which pvboot does not read", what);
    return pvb_fail(vol->ctx, PVB_ENOTMINE, "fs: no known filesystem");
}

int pvb_fs_mount_as(struct pvb_disk *vol, const char *driver, struct pvb_fs **out)
{
    unsigned i;

    for (i = 0; pvb_fs_drivers[i]; i++)
        if (strcmp(pvb_fs_drivers[i]->name, driver) == 0)
            return mount_with(vol, pvb_fs_drivers[i], out);
    return pvb_fail(vol->ctx, PVB_EINVAL, "fs: no driver named '%s'", driver);
}

void pvb_fs_umount(struct pvb_fs *fs)
{
    if (!fs)
        return;
    fs->ops->umount(fs->priv);
    pvb_free(fs->ctx, fs);
}

void pvb_fs_info(struct pvb_fs *fs, struct pvb_fs_info *out)
{
    memset(out, 0, sizeof(*out));
    fs->ops->info(fs->priv, out);
    out->driver = fs->ops->name;
    if (!out->uuid_str[0])
        pvb_fs_uuid_str(out->uuid, out->uuid_str);
}

void pvb_fs_uuid_str(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
             u[13], u[14], u[15]);
}

/* Working memory of one walk, sized from the limits. */
struct walk {
    char *path;      /* what is left to resolve */
    char *tmp;       /* a symlink's target joined with the rest */
    pvb_ino *stack;  /* directories from the root to the current one */
    unsigned depth, maxdepth;
};

static int walk_init(struct pvb_ctx *c, struct walk *w)
{
    size_t max = c->lim.max_path;

    memset(w, 0, sizeof(*w));
    /* Every pushed directory consumed at least "x/" of the path. */
    w->maxdepth = (unsigned)(max / 2 + 2);
    w->path = pvb_alloc(c, max + 1, "path");
    w->tmp = pvb_alloc(c, max + 1, "path");
    w->stack = pvb_calloc(c, w->maxdepth, sizeof(*w->stack), "path");
    return w->path && w->tmp && w->stack ? 0 : c->err;
}

static void walk_free(struct pvb_ctx *c, struct walk *w)
{
    pvb_free(c, w->path);
    pvb_free(c, w->tmp);
    pvb_free(c, w->stack);
}

/* Replace the path left with target + rest, where rest is what followed the symlink. */
static int splice_link(struct pvb_fs *fs, struct walk *w, pvb_ino link, const char *rest)
{
    struct pvb_ctx *c = fs->ctx;
    size_t n, nrest = strlen(rest);
    int rc;

    rc = fs->ops->readlink(fs->priv, link, w->tmp, c->lim.max_path, &n);
    if (rc)
        return rc;
    if (n == 0)
        return pvb_fail(c, PVB_ENOTFOUND, "%s: empty symlink (inode %llu)", fs->ops->name,
                        (unsigned long long)link);
    if (n + nrest > c->lim.max_path)
        return pvb_fail(c, PVB_ELIMIT, "%s: path longer than %zu bytes after a symlink",
                        fs->ops->name, c->lim.max_path);
    memcpy(w->tmp + n, rest, nrest + 1);
    memcpy(w->path, w->tmp, n + nrest + 1);
    if (w->path[0] == '/')
        w->depth = 1;
    return 0;
}

int pvb_fs_lookup(struct pvb_fs *fs, const char *path, int follow_last, pvb_ino *out)
{
    struct pvb_ctx *c = fs->ctx;
    unsigned hops = 0;
    struct walk w;
    size_t pos = 0;
    int rc;

    if (strlen(path) > c->lim.max_path)
        return pvb_fail(c, PVB_ELIMIT, "%s: path longer than %zu bytes", fs->ops->name,
                        c->lim.max_path);
    rc = walk_init(c, &w);
    if (rc)
        goto out;
    strcpy(w.path, path);
    w.stack[0] = fs->ops->root(fs->priv);
    w.depth = 1;
    for (;;) {
        const char *name;
        size_t n, next;
        int last, dir_wanted;
        struct pvb_stat st;
        pvb_ino child;

        while (w.path[pos] == '/')
            pos++;
        if (w.path[pos] == '\0') {
            *out = w.stack[w.depth - 1];
            break;
        }
        name = w.path + pos;
        n = strcspn(name, "/");
        next = pos + n;
        while (w.path[next] == '/')
            next++;
        last = w.path[next] == '\0';
        dir_wanted = !last || name[n] == '/';   /* "a/b/" wants b to be a directory */
        if (n == 1 && name[0] == '.') {
            pos = next;
            continue;
        }
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            if (w.depth > 1)
                w.depth--;
            pos = next;
            continue;
        }
        if (n > MAX_NAME) {
            rc = pvb_fail(c, PVB_ENOTFOUND, "%s: name of %zu bytes in %s is too long",
                          fs->ops->name, n, path);
            break;
        }
        /* Each name looked up is charged (and the driver charges each entry it scans), so
         * a path of many "d/.." through a huge directory ends with the scan budget. */
        rc = pvb_charge(c, PVB_BUDGET_SCAN, 1);
        if (!rc)
            rc = fs->ops->lookup(fs->priv, w.stack[w.depth - 1], name, n, &child);
        if (rc == PVB_ENOTFOUND)
            rc = pvb_fail(c, rc, "%s: %s: '%.*s' not found", fs->ops->name, path, (int)n, name);
        if (!rc)
            rc = fs->ops->stat(fs->priv, child, &st);
        if (rc)
            break;
        if (st.type == PVB_FT_LNK && (follow_last || dir_wanted)) {
            if (++hops > c->lim.max_symlinks) {
                rc = pvb_fail(c, PVB_ELOOP, "%s: %s: more than %u symlinks", fs->ops->name,
                              path, c->lim.max_symlinks);
                break;
            }
            rc = splice_link(fs, &w, child, name + n);
            if (rc)
                break;
            pos = 0;
            continue;
        }
        if (last && !dir_wanted) {
            *out = child;
            break;
        }
        if (st.type != PVB_FT_DIR) {
            rc = pvb_fail(c, PVB_ENOTDIR, "%s: %s: '%.*s' is not a directory", fs->ops->name,
                          path, (int)n, name);
            break;
        }
        if (w.depth >= w.maxdepth) {
            rc = pvb_fail(c, PVB_ELIMIT, "%s: %s: too deep", fs->ops->name, path);
            break;
        }
        w.stack[w.depth++] = child;
        pos = next;
    }
out:
    walk_free(c, &w);
    return rc;
}

static int stat_path(struct pvb_fs *fs, const char *path, int follow, struct pvb_stat *st)
{
    pvb_ino ino;
    int rc = pvb_fs_lookup(fs, path, follow, &ino);

    return rc ? rc : fs->ops->stat(fs->priv, ino, st);
}

int pvb_fs_stat(struct pvb_fs *fs, const char *path, struct pvb_stat *st)
{
    return stat_path(fs, path, 1, st);
}

int pvb_fs_lstat(struct pvb_fs *fs, const char *path, struct pvb_stat *st)
{
    return stat_path(fs, path, 0, st);
}

int pvb_fs_stat_ino(struct pvb_fs *fs, pvb_ino ino, struct pvb_stat *st)
{
    return fs->ops->stat(fs->priv, ino, st);
}

int pvb_fs_readlink_ino(struct pvb_fs *fs, pvb_ino ino, char *buf, size_t cap)
{
    size_t n;
    int rc;

    if (cap == 0)
        return pvb_fail(fs->ctx, PVB_EINVAL, "readlink: no room");
    rc = fs->ops->readlink(fs->priv, ino, buf, cap - 1, &n);
    if (rc)
        return rc;
    buf[n] = '\0';
    return 0;
}

int pvb_fs_readlink(struct pvb_fs *fs, const char *path, char *buf, size_t cap)
{
    struct pvb_stat st;
    int rc;

    rc = stat_path(fs, path, 0, &st);
    if (rc)
        return rc;
    if (st.type != PVB_FT_LNK)
        return pvb_fail(fs->ctx, PVB_EINVAL, "%s: %s is not a symlink", fs->ops->name, path);
    return pvb_fs_readlink_ino(fs, st.ino, buf, cap);
}

int pvb_fs_readdir(struct pvb_fs *fs, const char *path, pvb_dirent_fn fn, void *arg)
{
    struct pvb_stat st;
    int rc = stat_path(fs, path, 1, &st);

    if (rc)
        return rc;
    if (st.type != PVB_FT_DIR)
        return pvb_fail(fs->ctx, PVB_ENOTDIR, "%s: %s is not a directory", fs->ops->name, path);
    return fs->ops->readdir(fs->priv, st.ino, fn, arg);
}

int pvb_fs_open_ino(struct pvb_fs *fs, pvb_ino ino, struct pvb_file **out)
{
    struct pvb_ctx *c = fs->ctx;
    struct pvb_file *f;
    int rc;

    f = pvb_zalloc(c, sizeof(*f), "file");
    if (!f)
        return c->err;
    f->fs = fs;
    rc = fs->ops->stat(fs->priv, ino, &f->st);
    if (!rc && f->st.type == PVB_FT_DIR)
        rc = pvb_fail(c, PVB_EISDIR, "%s: inode %llu is a directory", fs->ops->name,
                      (unsigned long long)ino);
    else if (!rc && f->st.type != PVB_FT_REG)
        rc = pvb_fail(c, PVB_EINVAL, "%s: inode %llu is not a regular file", fs->ops->name,
                      (unsigned long long)ino);
    else if (!rc && f->st.size > c->lim.max_file_size)
        rc = pvb_fail(c, PVB_ELIMIT, "%s: inode %llu: %llu bytes exceeds the file size limit %llu",
                      fs->ops->name, (unsigned long long)ino, (unsigned long long)f->st.size,
                      (unsigned long long)c->lim.max_file_size);
    if (!rc)
        rc = fs->ops->open(fs->priv, ino, &f->priv);
    if (rc) {
        pvb_free(c, f);
        return rc;
    }
    *out = f;
    return 0;
}

int pvb_fs_open(struct pvb_fs *fs, const char *path, struct pvb_file **out)
{
    pvb_ino ino;
    int rc = pvb_fs_lookup(fs, path, 1, &ino);

    if (rc)
        return rc;
    rc = pvb_fs_open_ino(fs, ino, out);
    if (rc == PVB_EISDIR || rc == PVB_EINVAL || rc == PVB_ELIMIT)
        pvb_ctx_prefix(fs->ctx, "%s: ", path);
    return rc;
}

int pvb_file_read(struct pvb_file *f, void *buf, size_t len, uint64_t off, size_t *got)
{
    *got = 0;
    if (off >= f->st.size || len == 0)
        return 0;
    if (len > f->st.size - off)
        len = (size_t)(f->st.size - off);
    {
        int rc = f->fs->ops->pread(f->priv, buf, len, off);
        if (rc)
            return rc;
    }
    *got = len;
    return 0;
}

void pvb_file_close(struct pvb_file *f)
{
    if (!f)
        return;
    f->fs->ops->close(f->priv);
    pvb_free(f->fs->ctx, f);
}

#define STREAM_CHUNK ((size_t)1 << 20)

int pvb_file_stream(struct pvb_file *f, pvb_sink_fn sink, void *arg, uint64_t *size)
{
    struct pvb_ctx *c = f->fs->ctx;
    uint8_t *buf;
    uint64_t off = 0;
    size_t got;
    int rc;

    *size = 0;
    buf = pvb_alloc(c, STREAM_CHUNK, "copy buffer");
    if (!buf)
        return c->err;
    for (;;) {
        rc = pvb_file_read(f, buf, STREAM_CHUNK, off, &got);
        if (rc || got == 0)
            break;
        if (sink(arg, buf, got) != 0) {
            rc = pvb_fail(c, PVB_EIO, "%s: cannot write the copy of inode %llu", f->fs->ops->name,
                          (unsigned long long)f->st.ino);
            break;
        }
        off += got;
    }
    pvb_free(c, buf);
    *size = off;
    return rc;
}

int pvb_fs_stream(struct pvb_fs *fs, const char *path, pvb_sink_fn sink, void *arg, uint64_t *size)
{
    struct pvb_file *f;
    int rc;

    *size = 0;
    rc = pvb_fs_open(fs, path, &f);
    if (rc)
        return rc;
    rc = pvb_file_stream(f, sink, arg, size);
    pvb_file_close(f);
    return rc;
}

int pvb_fs_read_file(struct pvb_fs *fs, const char *path, size_t max, char **buf, size_t *len)
{
    struct pvb_ctx *c = fs->ctx;
    struct pvb_file *f;
    size_t n = 0;
    char *b;
    int rc;

    rc = pvb_fs_open(fs, path, &f);
    if (rc)
        return rc;
    if (f->st.size > max) {
        rc = pvb_fail(c, PVB_ELIMIT, "%s: %s: %llu bytes exceeds the limit of %zu", fs->ops->name,
                      path, (unsigned long long)f->st.size, max);
        goto out;
    }
    b = pvb_alloc(c, (size_t)f->st.size + 1, path);
    if (!b) {
        rc = c->err;
        goto out;
    }
    rc = pvb_file_read(f, b, (size_t)f->st.size, 0, &n);
    if (rc) {
        pvb_free(c, b);
        goto out;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
out:
    pvb_file_close(f);
    return rc;
}

enum pvb_ftype pvb_mode_type(uint32_t mode)
{
    switch (mode & 0170000) {
    case 0100000: return PVB_FT_REG;
    case 0040000: return PVB_FT_DIR;
    case 0120000: return PVB_FT_LNK;
    case 0020000: return PVB_FT_CHR;
    case 0060000: return PVB_FT_BLK;
    case 0010000: return PVB_FT_FIFO;
    case 0140000: return PVB_FT_SOCK;
    default: return PVB_FT_UNKNOWN;
    }
}

const char *pvb_ftype_name(enum pvb_ftype t)
{
    static const char *const names[] = { "unknown", "file", "dir", "symlink", "chardev",
                                         "blockdev", "fifo", "socket" };

    return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
}
