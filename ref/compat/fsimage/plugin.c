/* SPDX-License-Identifier: GPL-2.0-only */
/* libpvboot's filesystem drivers behind the libxenfsimage plugin ABI (fsi.h), errors as errno. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/fsimage/plugin.h"
#include "fs/fs.h"
#include "util/mem.h"

/* One mounted image. Everything it allocates is accounted in its own
 * context, so libpvboot's limits hold per image as they do in pvboot. */
struct mount {
    struct pvb_ctx ctx;
    struct pvb_disk *disk;  /* the image file, raw */
    struct pvb_disk *vol;   /* from the loader's offset to the end of the file */
    struct pvb_fs *fs;
    int debug;              /* PVBOOT_FSIMAGE_DEBUG: failures and warnings on stderr */
};

struct file {
    struct mount *m;
    struct pvb_file *f;
    uint64_t pos;           /* where read() goes on */
};

/*
 * mount(2) and open(2) meanings, so pygrub's IOError says what went wrong.
 * Whatever errno a mount fails with, the loader tries the next plugin.
 */
int pvb_fsimage_errno(int err)
{
    switch (err) {
    case PVB_ENOTMINE: return EINVAL;       /* mount(2): not this filesystem's superblock */
    case PVB_EUNSUPPORTED: return ENOTSUP;  /* as libfsimage says when no plugin mounts */
    case PVB_ENOTFOUND: return ENOENT;
    case PVB_ELOOP: return ELOOP;
    case PVB_ENOTDIR: return ENOTDIR;
    case PVB_EISDIR: return EISDIR;
    /* Most often a file over lim.max_file_size: open(2)'s EOVERFLOW, "too large to
     * be opened". Not EFBIG, which is what a write past the caller's RLIMIT_FSIZE
     * gives: a guest's oversized file and dom0's own limit must stay apart. */
    case PVB_ELIMIT: return EOVERFLOW;
    case PVB_ENOMEM: return ENOMEM;
    case PVB_EINVAL: return EINVAL;         /* a device, FIFO or socket opened as a file */
    default: return EIO;                    /* corrupt, bad checksum, read past the image */
    }
}

static int debug_wanted(void)
{
    const char *v = getenv("PVBOOT_FSIMAGE_DEBUG");

    return v && *v && strcmp(v, "0") != 0;
}

static void print_warning(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "pvboot-fsimage: warning: %s\n", msg);
}

/* Report err (with the context's message when debugging) and set errno. */
static int fail(struct mount *m, int err)
{
    if (m->debug)
        fprintf(stderr, "pvboot-fsimage: %s\n", pvb_ctx_msg(&m->ctx));
    errno = pvb_fsimage_errno(err);
    return -1;
}

static void unmount(struct mount *m)
{
    pvb_fs_umount(m->fs);
    pvb_disk_close(m->vol);
    pvb_disk_close(m->disk);
    free(m);
}

/* The image read as raw bytes, as pygrub reads the partition table that gave
 * the offset; the volume runs from there to the end of the file. */
static int open_volume(struct mount *m, const char *path, uint64_t off)
{
    struct pvb_ctx *c = &m->ctx;
    int fd, rc;

    if (!path)
        return pvb_fail(c, PVB_EINVAL, "mount: no image path");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pvb_fail(c, PVB_EIO, "%s: %s", path, strerror(errno));
    rc = pvb_disk_open_fd(c, fd, 1, &m->disk);
    if (rc) {
        close(fd);
        return rc;
    }
    if (off > m->disk->size)
        return pvb_fail(c, PVB_ERANGE, "%s: offset %llu is past the end of the image (%llu bytes)",
                        path, (unsigned long long)off, (unsigned long long)m->disk->size);
    return pvb_disk_open_sub(m->disk, off, m->disk->size - off, &m->vol);
}

static int mount_as(struct fsi *fsi, const char *path, const char *driver)
{
    struct mount *m = calloc(1, sizeof(*m));
    int rc, e;

    if (!m) {
        errno = ENOMEM;
        return -1;
    }
    pvb_ctx_init(&m->ctx);
    /* A mount lives as long as pygrub wants it, its menu's wait included: pygrub
     * bounds its own time; the per-run budgets still bound the work. */
    m->ctx.lim.max_seconds = 0;
    m->debug = debug_wanted();
    if (m->debug)
        m->ctx.warn = print_warning;
    rc = open_volume(m, path, fsip_fs_offset(fsi));
    if (!rc)
        rc = pvb_fs_mount_as(m->vol, driver, &m->fs);
    if (rc) {
        fail(m, rc);
        e = errno;
        unmount(m);
        errno = e;
        return -1;
    }
    fsip_fs_set_data(fsi, m);
    return 0;
}

/* The options are ignored: pygrub passes only the zfs plugin's zfs-bootfs=. */
static int mount_ext(struct fsi *fsi, const char *path, const char *options)
{
    (void)options;
    return mount_as(fsi, path, "ext");
}

static int mount_xfs(struct fsi *fsi, const char *path, const char *options)
{
    (void)options;
    return mount_as(fsi, path, "xfs");
}

static int mount_iso9660(struct fsi *fsi, const char *path, const char *options)
{
    (void)options;
    return mount_as(fsi, path, "iso9660");
}

static int mount_fat(struct fsi *fsi, const char *path, const char *options)
{
    (void)options;
    return mount_as(fsi, path, "fat");
}

static int mount_reiserfs(struct fsi *fsi, const char *path, const char *options)
{
    (void)options;
    return mount_as(fsi, path, "reiserfs");
}

static int mount_btrfs(struct fsi *fsi, const char *path, const char *options)
{
    (void)options;
    return mount_as(fsi, path, "btrfs");
}

/* The loader's callers close their files first (pygrub's file objects hold
 * a reference to their filesystem). */
static int umount_fs(struct fsi *fsi)
{
    unmount(fsip_fs_data(fsi));
    fsip_fs_set_data(fsi, NULL);
    return 0;
}

/* A regular file, symlinks followed from the root (libpvboot's path walk,
 * as GRUB's fshelp); directories and devices are refused. */
static struct fsi_file *open_file(struct fsi *fsi, const char *path)
{
    struct mount *m = fsip_fs_data(fsi);
    struct fsi_file *ff;
    struct file *f;
    int rc;

    if (!path) {
        fail(m, pvb_fail(&m->ctx, PVB_EINVAL, "open: no path"));
        return NULL;
    }
    f = pvb_zalloc(&m->ctx, sizeof(*f), "file");
    if (!f) {
        fail(m, m->ctx.err);
        return NULL;
    }
    f->m = m;
    rc = pvb_fs_open(m->fs, path, &f->f);
    if (rc) {
        pvb_free(&m->ctx, f);
        fail(m, rc);
        return NULL;
    }
    ff = fsip_file_alloc(fsi, f);
    if (!ff) {
        pvb_file_close(f->f);
        pvb_free(&m->ctx, f);
        errno = ENOMEM;
    }
    return ff;
}

static ssize_t pread_file(struct fsi_file *ff, void *buf, size_t len, uint64_t off)
{
    struct file *f = fsip_file_data(ff);
    size_t got;
    int rc;

    if (len > SSIZE_MAX)
        len = SSIZE_MAX;   /* the count must fit the return value */
    rc = pvb_file_read(f->f, buf, len, off, &got);
    if (rc)
        return fail(f->m, rc);
    return (ssize_t)got;
}

static ssize_t read_file(struct fsi_file *ff, void *buf, size_t len)
{
    struct file *f = fsip_file_data(ff);
    ssize_t n = pread_file(ff, buf, len, f->pos);

    if (n > 0)
        f->pos += (uint64_t)n;   /* stays within the file size */
    return n;
}

static int close_file(struct fsi_file *ff)
{
    struct file *f = fsip_file_data(ff);

    pvb_file_close(f->f);
    pvb_free(&f->m->ctx, f);
    fsip_file_free(ff);
    return 0;
}

static const struct fsi_plugin_ops ext_ops = {
    .version = FSI_PLUGIN_VERSION, .mount = mount_ext, .umount = umount_fs, .open = open_file,
    .read = read_file, .pread = pread_file, .close = close_file,
};

static const struct fsi_plugin_ops xfs_ops = {
    .version = FSI_PLUGIN_VERSION, .mount = mount_xfs, .umount = umount_fs, .open = open_file,
    .read = read_file, .pread = pread_file, .close = close_file,
};

static const struct fsi_plugin_ops iso9660_ops = {
    .version = FSI_PLUGIN_VERSION, .mount = mount_iso9660, .umount = umount_fs,
    .open = open_file, .read = read_file, .pread = pread_file, .close = close_file,
};

static const struct fsi_plugin_ops fat_ops = {
    .version = FSI_PLUGIN_VERSION, .mount = mount_fat, .umount = umount_fs, .open = open_file,
    .read = read_file, .pread = pread_file, .close = close_file,
};

static const struct fsi_plugin_ops reiserfs_ops = {
    .version = FSI_PLUGIN_VERSION, .mount = mount_reiserfs, .umount = umount_fs,
    .open = open_file, .read = read_file, .pread = pread_file, .close = close_file,
};

static const struct fsi_plugin_ops btrfs_ops = {
    .version = FSI_PLUGIN_VERSION, .mount = mount_btrfs, .umount = umount_fs,
    .open = open_file, .read = read_file, .pread = pread_file, .close = close_file,
};

const struct fsi_plugin_ops *pvb_fsimage_init(int version, const char *driver,
                                              const char **name)
{
    if (version < FSI_PLUGIN_VERSION)
        return NULL;
    if (strcmp(driver, "ext") == 0) {
        *name = "pvboot-ext";
        return &ext_ops;
    }
    if (strcmp(driver, "xfs") == 0) {
        *name = "pvboot-xfs";
        return &xfs_ops;
    }
    if (strcmp(driver, "iso9660") == 0) {
        *name = "pvboot-iso9660";
        return &iso9660_ops;
    }
    if (strcmp(driver, "fat") == 0) {
        *name = "pvboot-fat";
        return &fat_ops;
    }
    if (strcmp(driver, "reiserfs") == 0) {
        *name = "pvboot-reiserfs";
        return &reiserfs_ops;
    }
    if (strcmp(driver, "btrfs") == 0) {
        *name = "pvboot-btrfs";
        return &btrfs_ops;
    }
    return NULL;
}
