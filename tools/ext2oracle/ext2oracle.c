/* SPDX-License-Identifier: GPL-2.0-only */
/* ext2oracle: the host's libext2fs as the oracle of ref/fs/ext*.c (lists files, crafts others).
 *
 * usage: ext2oracle files IMAGE [OFFSET]
 *          every file of the filesystem at byte OFFSET of IMAGE, in the format of
 *          `pvdump files`: path <TAB> type <TAB> mode <TAB> size <TAB> sha256 | target | -,
 *          sorted by path (strcmp), "." and ".." left out
 *        ext2oracle frag IMAGE SRC NAME [OFFSET]
 *          write the host file SRC as /NAME with one extent per block (a free block is
 *          left between any two), every 61st block a hole and every 53rd allocated
 *          but unwritten, so the extent tree gets deep (mke2fs -d allocates contiguously)
 * Everything here goes through libext2fs; nothing of libpvboot but its SHA-256.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>   /* dev_t and mode_t, which ext2fs.h uses without including */

#include <ext2fs/ext2fs.h>

#include "util/sha256.h"

#define MAX_DEPTH 256

struct entry {
    char *path;
    ext2_ino_t ino;
};

struct listing {
    ext2_filsys fs;
    struct entry *v;
    size_t n, cap;
    const char *dir;
    int failed;
};

static void die(const char *what, errcode_t err)
#if defined(__GNUC__)
    __attribute__((noreturn))
#endif
    ;

static void die(const char *what, errcode_t err)
{
    fprintf(stderr, "ext2oracle: %s: %s\n", what, error_message(err));
    exit(1);
}

static int collect(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
                   int blocksize, char *buf, void *priv)
{
    struct listing *l = priv;
    int len = ext2fs_dirent_name_len(de);
    size_t need = strlen(l->dir) + (size_t)len + 2;

    (void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
    if ((len == 1 && de->name[0] == '.') || (len == 2 && de->name[0] == '.' && de->name[1] == '.'))
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        if (!l->v)
            die("listing", ENOMEM);
    }
    l->v[l->n].path = malloc(need);
    if (!l->v[l->n].path)
        die("listing", ENOMEM);
    snprintf(l->v[l->n].path, need, "%s%s%.*s", l->dir, strcmp(l->dir, "/") ? "/" : "", len,
             de->name);
    l->v[l->n].ino = de->inode;
    l->n++;
    return 0;
}

/* Every path under dir, depth first; sorted later. */
static void walk(struct listing *l, ext2_ino_t dino, const char *dir, int depth)
{
    size_t first = l->n, end, i;
    struct ext2_inode in;
    errcode_t err;

    if (depth > MAX_DEPTH)
        die(dir, EXT2_ET_DIR_CORRUPTED);
    l->dir = dir;
    err = ext2fs_dir_iterate2(l->fs, dino, 0, NULL, collect, l);
    if (err)
        die(dir, err);
    end = l->n;
    for (i = first; i < end; i++) {
        err = ext2fs_read_inode(l->fs, l->v[i].ino, &in);
        if (err)
            die(l->v[i].path, err);
        if (LINUX_S_ISDIR(in.i_mode)) {
            char *sub = strdup(l->v[i].path);
            if (!sub)
                die("walk", ENOMEM);
            walk(l, l->v[i].ino, sub, depth + 1);
            free(sub);
        }
    }
}

static const char *type_name(unsigned mode)
{
    if (LINUX_S_ISREG(mode)) return "file";
    if (LINUX_S_ISDIR(mode)) return "dir";
    if (LINUX_S_ISLNK(mode)) return "symlink";
    if (LINUX_S_ISCHR(mode)) return "chardev";
    if (LINUX_S_ISBLK(mode)) return "blockdev";
    if (LINUX_S_ISFIFO(mode)) return "fifo";
    if (LINUX_S_ISSOCK(mode)) return "socket";
    return "unknown";
}

/*
 * SHA-256 of the file's i_size bytes. The clamp matters: libext2fs 1.47.0
 * ext2fs_file_read returns the whole 60-byte inline area of an inline file
 * shorter than that (debugfs cat prints the NULs too); the kernel reads i_size.
 */
static void hash_file(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *in, char hex[65])
{
    static char buf[1 << 20];
    __u64 left = EXT2_I_SIZE(in);
    struct pvb_sha256 s;
    ext2_file_t f;
    unsigned int got;
    uint8_t d[32];
    errcode_t err;

    err = ext2fs_file_open2(fs, ino, in, 0, &f);
    if (err)
        die("file open", err);
    pvb_sha256_init(&s);
    do {
        err = ext2fs_file_read(f, buf, sizeof(buf), &got);
        if (err)
            die("file read", err);
        if (got > left)
            got = (unsigned)left;
        pvb_sha256_update(&s, buf, got);
        left -= got;
    } while (got > 0);
    ext2fs_file_close(f);
    pvb_sha256_final(&s, d);
    pvb_sha256_hex(d, hex);
}

/* A symlink's target: in i_block (fast), in inline data, or in its data block. */
static void link_target(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *in, char *out,
                        size_t cap)
{
    size_t n = EXT2_I_SIZE(in);
    unsigned int got;
    ext2_file_t f;
    errcode_t err;

    if (n >= cap)
        die("symlink target too long", EXT2_ET_INVALID_ARGUMENT);
    if (ext2fs_is_fast_symlink(in)) {
        memcpy(out, in->i_block, n);
    } else if (in->i_flags & EXT4_INLINE_DATA_FL) {
        err = ext2fs_inline_data_get(fs, ino, in, out, &n);
        if (err)
            die("inline symlink", err);
    } else {
        err = ext2fs_file_open2(fs, ino, in, 0, &f);
        if (!err)
            err = ext2fs_file_read(f, out, (unsigned)n, &got);
        if (err)
            die("symlink", err);
        ext2fs_file_close(f);
        n = got;
    }
    out[n] = '\0';
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static ext2_filsys open_fs(const char *image, const char *offset, int flags)
{
    char opts[64];
    ext2_filsys fs;
    errcode_t err;

    snprintf(opts, sizeof(opts), "offset=%s", offset ? offset : "0");
    err = ext2fs_open2(image, opts, flags | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &fs);
    if (err)
        die(image, err);
    return fs;
}

static int cmd_files(const char *image, const char *offset)
{
    struct listing l;
    struct ext2_inode in;
    char extra[4097];
    size_t i;
    errcode_t err;

    memset(&l, 0, sizeof(l));
    l.fs = open_fs(image, offset, 0);
    walk(&l, EXT2_ROOT_INO, "/", 0);
    qsort(l.v, l.n, sizeof(*l.v), cmp_entry);
    for (i = 0; i < l.n; i++) {
        err = ext2fs_read_inode(l.fs, l.v[i].ino, &in);
        if (err)
            die(l.v[i].path, err);
        strcpy(extra, "-");
        if (LINUX_S_ISREG(in.i_mode))
            hash_file(l.fs, l.v[i].ino, &in, extra);
        else if (LINUX_S_ISLNK(in.i_mode))
            link_target(l.fs, l.v[i].ino, &in, extra, sizeof(extra));
        printf("%s\t%s\t%04o\t%llu\t%s\n", l.v[i].path, type_name(in.i_mode),
               (unsigned)(in.i_mode & 07777), (unsigned long long)EXT2_I_SIZE(&in), extra);
        free(l.v[i].path);
    }
    free(l.v);
    ext2fs_close_free(&l.fs);
    return 0;
}

/* Map every block of src to its own extent; returns the data blocks allocated. */
static blk64_t place_blocks(ext2_filsys fs, ext2_extent_handle_t h, FILE *src, blk64_t nblocks)
{
    char *buf = calloc(1, fs->blocksize);
    blk64_t i, blk, goal = fs->super->s_first_data_block, used = 0;
    errcode_t err;

    if (!buf)
        die("frag", ENOMEM);
    for (i = 0; i < nblocks; i++) {
        int unwritten = i % 53 == 20;

        memset(buf, 0, fs->blocksize);
        if (fread(buf, 1, fs->blocksize, src) == 0 && ferror(src))
            die("frag: reading the source", EXT2_ET_SHORT_READ);
        if (i % 61 == 30)
            continue;   /* a hole */
        err = ext2fs_new_block2(fs, goal, NULL, &blk);
        if (err)
            die("frag: allocating", err);
        ext2fs_block_alloc_stats2(fs, blk, +1);
        goal = blk + 2;   /* leave a gap so no two blocks merge into one extent */
        if (!unwritten && (err = io_channel_write_blk64(fs->io, blk, 1, buf)) != 0)
            die("frag: writing", err);
        err = ext2fs_extent_set_bmap(h, i, blk, unwritten ? EXT2_EXTENT_SET_BMAP_UNINIT : 0);
        if (err)
            die("frag: mapping", err);
        used++;
    }
    free(buf);
    return used;
}

static int cmd_frag(const char *image, const char *srcpath, const char *name, const char *offset)
{
    ext2_filsys fs = open_fs(image, offset, EXT2_FLAG_RW);
    struct ext2_inode_large in;
    ext2_extent_handle_t h;
    ext2_ino_t ino;
    FILE *src;
    long size;
    blk64_t used;
    errcode_t err;

    src = fopen(srcpath, "rb");
    if (!src || fseek(src, 0, SEEK_END) != 0 || (size = ftell(src)) < 0 || fseek(src, 0, SEEK_SET))
        die(srcpath, EXT2_ET_SHORT_READ);
    if ((err = ext2fs_read_bitmaps(fs)) != 0 ||
        (err = ext2fs_new_inode(fs, EXT2_ROOT_INO, LINUX_S_IFREG | 0644, NULL, &ino)) != 0)
        die("frag: new inode", err);
    ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
    memset(&in, 0, sizeof(in));
    in.i_mode = LINUX_S_IFREG | 0644;
    in.i_links_count = 1;
    in.i_flags = EXT4_EXTENTS_FL;
    in.i_extra_isize = sizeof(in) - EXT2_GOOD_OLD_INODE_SIZE;
    if ((err = ext2fs_write_new_inode(fs, ino, (struct ext2_inode *)&in)) != 0 ||
        (err = ext2fs_extent_open(fs, ino, &h)) != 0)
        die("frag: extent tree", err);
    used = place_blocks(fs, h, src, ((blk64_t)size + fs->blocksize - 1) / fs->blocksize);
    ext2fs_extent_free(h);
    fclose(src);
    /* set_bmap wrote the tree and counted its blocks; add the data and the size. */
    if ((err = ext2fs_read_inode(fs, ino, (struct ext2_inode *)&in)) != 0 ||
        (err = ext2fs_iblk_add_blocks(fs, (struct ext2_inode *)&in, used)) != 0 ||
        (err = ext2fs_inode_size_set(fs, (struct ext2_inode *)&in, (ext2_off64_t)size)) != 0 ||
        (err = ext2fs_write_inode(fs, ino, (struct ext2_inode *)&in)) != 0)
        die("frag: inode", err);
    err = ext2fs_link(fs, EXT2_ROOT_INO, name, ino, EXT2_FT_REG_FILE);
    if (err == EXT2_ET_DIR_NO_SPACE && (err = ext2fs_expand_dir(fs, EXT2_ROOT_INO)) == 0)
        err = ext2fs_link(fs, EXT2_ROOT_INO, name, ino, EXT2_FT_REG_FILE);
    if (err)
        die("frag: link", err);
    err = ext2fs_close_free(&fs);
    if (err)
        die("frag: close", err);
    return 0;
}

int main(int argc, char **argv)
{
    add_error_table(&et_ext2_error_table);
    if (argc >= 3 && argc <= 4 && strcmp(argv[1], "files") == 0)
        return cmd_files(argv[2], argc == 4 ? argv[3] : NULL);
    if (argc >= 5 && argc <= 6 && strcmp(argv[1], "frag") == 0)
        return cmd_frag(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
    fprintf(stderr, "usage: ext2oracle files IMAGE [OFFSET]\n"
                    "       ext2oracle frag IMAGE SRC NAME [OFFSET]\n");
    return 2;
}
