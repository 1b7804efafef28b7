/* SPDX-License-Identifier: GPL-2.0-only */
/* pvreiseredit: fill an mkreiserfs'd image with a directory tree (test and corpus tool, rootless). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../suites/unit/reiserbuild.h"

static void usage(void)
{
    fprintf(stderr, "usage: pvreiseredit [--notail] [--holes] [--leaf-max N] [--fanout N] "
            "[--dir-item-max N] [--spread N] [--time T] IMAGE SRCDIR\n"
            "  adds SRCDIR's files, directories and symlinks (sorted by name, modes kept,\n"
            "  owner root) to the empty ReiserFS that mkreiserfs made in IMAGE\n");
    exit(2);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int readall(const char *path, uint8_t **data, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    size_t got = 0;

    if (fd < 0 || fstat(fd, &st) != 0)
        return -1;
    *len = (size_t)st.st_size;
    *data = malloc(*len ? *len : 1);
    while (*data && got < *len) {
        ssize_t n = read(fd, *data + got, *len - got);

        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    return *data && got == *len ? 0 : -1;
}

/* Add src/rel (rel "" is the root) recursively; names in strcmp order. */
static int add_tree(struct rb *b, const char *src, const char *rel)
{
    char path[8192], sub[4096];
    struct dirent *d;
    char **names = NULL;
    size_t n = 0, i;
    DIR *dir;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/%s", src, rel);
    if (!(dir = opendir(path)))
        return fprintf(stderr, "pvreiseredit: %s: %s\n", path, strerror(errno)), -1;
    while ((d = readdir(dir)) != NULL) {
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strdup(d->d_name);
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof(*names), cmp);
    for (i = 0; i < n && rc == 0; i++) {
        struct stat st;
        char full[8200];

        snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", names[i]);
        snprintf(full, sizeof(full), "%s/%s", src, sub);
        if (lstat(full, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = rb_mkdir(b, sub, st.st_mode & 07777);
            if (rc == 0)
                rc = add_tree(b, src, sub);
        } else if (S_ISLNK(st.st_mode)) {
            char t[4096];
            ssize_t l = readlink(full, t, sizeof(t) - 1);

            if (l < 0) {
                rc = -1;
            } else {
                t[l] = '\0';
                rc = rb_symlink(b, sub, t);
            }
        } else if (S_ISREG(st.st_mode)) {
            uint8_t *data = NULL;
            size_t len = 0;

            rc = readall(full, &data, &len);
            if (rc == 0)
                rc = rb_file(b, sub, st.st_mode & 07777, data, len);
            free(data);
        } else {
            fprintf(stderr, "pvreiseredit: %s: skipped (not a file, directory or symlink)\n", full);
        }
        if (rc)
            fprintf(stderr, "pvreiseredit: %s: %s\n", sub, rb_error(b));
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Write back only the blocks that changed, so the image stays as sparse as it was. */
static int write_back(int fd, const uint8_t *img, const uint8_t *orig, size_t size)
{
    size_t off, step = 4096;

    for (off = 0; off < size; off += step) {
        size_t n = size - off < step ? size - off : step;

        if (memcmp(img + off, orig + off, n) != 0 && pwrite(fd, img + off, n, (off_t)off) != (ssize_t)n)
            return -1;
    }
    return fsync(fd);
}

int main(int argc, char **argv)
{
    struct rb_opts o;
    uint8_t *img, *orig;
    size_t size;
    struct rb *b;
    int i, fd, rc;

    memset(&o, 0, sizeof(o));
    o.time = 1136073600;   /* 2006-01-01, a SLES 10 year */
    for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--notail") == 0)
            o.notail = 1;
        else if (strcmp(argv[i], "--holes") == 0)
            o.holes = 1;
        else if (i + 1 < argc && strcmp(argv[i], "--leaf-max") == 0)
            o.leaf_max = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--fanout") == 0)
            o.fanout = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--dir-item-max") == 0)
            o.dir_item_max = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--spread") == 0)
            o.spread = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (i + 1 < argc && strcmp(argv[i], "--time") == 0)
            o.time = (uint32_t)strtoul(argv[++i], NULL, 0);
        else
            usage();
    }
    if (argc - i != 2 || (o.fanout && o.fanout < 3))
        usage();
    if ((fd = open(argv[i], O_RDWR)) < 0 || readall(argv[i], &img, &size) != 0 ||
        readall(argv[i], &orig, &size) != 0) {
        fprintf(stderr, "pvreiseredit: %s: %s\n", argv[i], strerror(errno));
        return 1;
    }
    if (!(b = rb_open(img, size, &o)))
        return 1;
    rc = add_tree(b, argv[i + 1], "");
    if (rc == 0 && (rc = rb_commit(b)) != 0)
        fprintf(stderr, "pvreiseredit: %s\n", rb_error(b));
    if (rc == 0 && write_back(fd, img, orig, size) != 0) {
        fprintf(stderr, "pvreiseredit: %s: %s\n", argv[i], strerror(errno));
        rc = -1;
    }
    rb_free(b);
    close(fd);
    free(img);
    free(orig);
    return rc ? 1 : 0;
}
