/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the ReiserFS driver over any bytes: mount, walk every directory, stat, readlink, read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk/disk.h"
#include "fs/fs.h"
#include "fuzz.h"

#define MAX_DEPTH 6
#define MAX_VISITS 2000          /* entries visited per input, over all directories */
#define READ_CAP (256u << 10)    /* bytes read per file */

struct walk {
    struct pvb_fs *fs;
    unsigned visits;
    int depth;
    char path[4096];   /* the directory being listed */
};

static void visit_file(struct pvb_fs *fs, pvb_ino ino)
{
    static uint8_t buf[65536];
    struct pvb_file *f;
    uint64_t off = 0;
    size_t got;

    if (pvb_fs_open_ino(fs, ino, &f) != 0)
        return;
    while (off < READ_CAP && pvb_file_read(f, buf, sizeof(buf), off, &got) == 0 && got > 0)
        off += got;
    /* a read backwards from the middle, to move the cursor the other way */
    (void)pvb_file_read(f, buf, 100, off / 2, &got);
    pvb_file_close(f);
}

static int walk_dir(struct walk *w);

static int entry(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct walk *w = arg;
    struct pvb_stat st;
    char target[1100];
    size_t n, len = strlen(w->path);

    (void)type;
    if (++w->visits > MAX_VISITS)
        return 1;
    if (w->fs->ops->stat(w->fs->priv, ino, &st) != 0)
        return 0;
    if (st.type == PVB_FT_REG)
        visit_file(w->fs, ino);
    else if (st.type == PVB_FT_LNK)
        (void)w->fs->ops->readlink(w->fs->priv, ino, target, sizeof(target), &n);
    else if (st.type == PVB_FT_DIR && w->depth < MAX_DEPTH) {
        snprintf(w->path + len, sizeof(w->path) - len, "/%s", name);
        (void)walk_dir(w);
        w->path[len] = '\0';
    }
    return 0;
}

static int walk_dir(struct walk *w)
{
    int rc;

    w->depth++;
    rc = pvb_fs_readdir(w->fs, w->path[0] ? w->path : "/", entry, w);
    w->depth--;
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pvb_disk *d;
    struct pvb_fs *fs;
    struct pvb_ctx c;
    struct pvb_stat st;
    struct walk w;
    char buf[64];

    fuzz_ctx_init(&c);
    if (pvb_disk_open_mem(&c, data, size, &d))
        return 0;
    if (pvb_fs_mount_as(d, "reiserfs", &fs) == 0) {
        struct pvb_fs_info in;

        pvb_fs_info(fs, &in);
        memset(&w, 0, sizeof(w));
        w.fs = fs;
        (void)walk_dir(&w);
        (void)pvb_fs_stat(fs, "/boot/grub/grub.cfg", &st);
        (void)pvb_fs_readlink(fs, "/vmlinuz", buf, sizeof(buf));
        pvb_fs_umount(fs);
    }
    pvb_disk_close(d);
    if (c.mem_used != 0)
        abort();  /* a leak */
    return 0;
}
