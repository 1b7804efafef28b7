/* SPDX-License-Identifier: GPL-2.0-only */
/* The filesystem fuzz targets' walk: every directory, file and link a driver shows, bounded per input. */
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "fs/fs.h"
#include "../fuzz.h"
#include "../fuzzfs.h"

#define MAX_DEPTH 12
#define MAX_VISITS 3000
#define READ_CAP (256u << 10)    /* bytes read from the start of each file, plus its tail */
#define TOTAL_CAP (8u << 20)     /* bytes read per input, so every input stays fast */

struct walk {
    struct pvb_fs *fs;
    unsigned flags;
    pvb_ino stack[MAX_DEPTH];
    unsigned depth, visits;
    size_t total;
    char path[1024], upper[1024];
    uint8_t buf[65536];
};

static void visit(struct walk *w, pvb_ino ino);

static void read_file(struct walk *w, pvb_ino ino)
{
    struct pvb_file *f;
    uint64_t off = 0;
    size_t got;

    if (pvb_fs_open_ino(w->fs, ino, &f) != 0)
        return;
    while (off < READ_CAP && w->total < TOTAL_CAP &&
           pvb_file_read(f, w->buf, sizeof(w->buf), off, &got) == 0 && got > 0) {
        off += got;
        w->total += got;
    }
    if (f->st.size > sizeof(w->buf))   /* the far end: a walk down the whole map */
        (void)pvb_file_read(f, w->buf, sizeof(w->buf), f->st.size - sizeof(w->buf), &got);
    pvb_file_close(f);
}

static int each(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct walk *w = arg;
    size_t n = strlen(w->path), m = strlen(name), i;
    struct pvb_stat st;

    (void)type;
    if (++w->visits > MAX_VISITS)
        return 1;
    if (n + 1 + m >= sizeof(w->path))
        return 0;
    w->path[n] = '/';
    memcpy(w->path + n + 1, name, m + 1);
    (void)pvb_fs_stat(w->fs, w->path, &st);   /* the shared path walk, symlinks followed */
    if (w->flags & FUZZ_FS_UPPER) {
        for (i = 0; w->path[i]; i++)
            w->upper[i] = w->path[i] >= 'a' && w->path[i] <= 'z' ? (char)(w->path[i] - 32) : w->path[i];
        w->upper[i] = '\0';
        (void)pvb_fs_stat(w->fs, w->upper, &st);
    }
    visit(w, ino);
    w->path[n] = '\0';
    return 0;
}

static void visit(struct walk *w, pvb_ino ino)
{
    struct pvb_stat st;
    char link[256];
    unsigned i;
    size_t n;

    if (w->fs->ops->stat(w->fs->priv, ino, &st) != 0)
        return;
    if (st.type == PVB_FT_REG) {
        read_file(w, ino);
    } else if (st.type == PVB_FT_LNK) {
        (void)w->fs->ops->readlink(w->fs->priv, ino, link, sizeof(link), &n);
    } else if (st.type == PVB_FT_DIR && w->depth < MAX_DEPTH) {
        for (i = 0; i < w->depth; i++)
            if (w->stack[i] == ino)
                return;   /* a directory cycle */
        w->stack[w->depth++] = ino;
        (void)w->fs->ops->readdir(w->fs->priv, ino, each, w);
        w->depth--;
    }
}

int fuzz_fs_walk(const uint8_t *data, size_t size, const char *driver, unsigned flags,
                 const char *const *paths)
{
    static struct walk w;   /* 66 KiB: kept off the stack */
    struct pvb_fs_info info;
    struct pvb_stat st;
    struct pvb_disk *d;
    struct pvb_ctx c;
    char link[256];

    fuzz_ctx_init(&c);
    if (pvb_disk_open_mem(&c, data, size, &d))
        return 0;
    memset(&w, 0, sizeof(w));
    w.flags = flags;
    if (pvb_fs_mount_as(d, driver, &w.fs) == 0) {
        pvb_fs_info(w.fs, &info);
        visit(&w, w.fs->ops->root(w.fs->priv));
        for (; paths && *paths; paths++) {
            (void)pvb_fs_stat(w.fs, *paths, &st);
            (void)pvb_fs_readlink(w.fs, *paths, link, sizeof(link));
        }
        pvb_fs_umount(w.fs);
    }
    pvb_disk_close(d);
    if (c.mem_used != 0)
        abort();   /* a leak */
    return 0;
}
