/* SPDX-License-Identifier: GPL-2.0-only */
/* pvdump: print what libpvboot reads from an image, layer by layer, for tests and debugging.
 *
 * usage: pvdump [--format=FMT] [--allow-backing] [--backing-dir=DIR]
 *               [--part=N | --offset=BYTES] COMMAND IMAGE [PATH]
 *   disk         the image format, virtual size and backing chain:
 *                "format F", "size BYTES", "backing F" per link of the chain
 *   raw          the whole virtual disk on stdout (for comparing with qemu-img convert)
 *   parts        the partition table and its volumes, one line each
 *   info         the filesystem of the volume: driver, version, label, UUID, features;
 *                btrfs: "default subvolume ID PATH" too
 *   files        every file under PATH (default /), sorted, one line each:
 *                path <TAB> type <TAB> mode <TAB> size <TAB> sha256 | symlink target | -
 *   cat PATH     a file's bytes on stdout
 *        pvdump --help | --version
 * The volume is --part (GRUB's number, e.g. 5 for msdos5), a filesystem at
 * --offset, or by default the first volume that mounts. Warnings go to
 * stderr as "warning: ..."; errors end with exit 1, usage errors with exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "disk/disk.h"
#include "fs/btrfs.h"
#include "fs/fs.h"
#include "part/part.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/version.h"

#define MAX_DEPTH 256

static void print_warning(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "warning: %s\n", msg);
}

/* The usage: on stdout for --help (exit 0), on stderr for a usage error (exit 2). */
static int usage(FILE *f, int status)
{
    fprintf(f, "usage: pvdump [--format=FMT] [--allow-backing] [--backing-dir=DIR] "
               "[--part=N | --offset=BYTES] disk|raw|parts|info|files|cat IMAGE [PATH]\n"
               "       pvdump --help | --version\n");
    return fflush(f) != 0 || ferror(f) ? 2 : status;
}

static int dump_disk(struct pvb_disk *d)
{
    const struct pvb_disk *b;

    printf("format %s\nsize %llu\n", pvb_disk_name(d), (unsigned long long)d->size);
    for (b = pvb_disk_backing(d); b; b = pvb_disk_backing(b))
        printf("backing %s %llu\n", pvb_disk_name(b), (unsigned long long)b->size);
    return 0;
}

/* The virtual disk as one stream, read in 1 MiB pieces. */
static int dump_raw(struct pvb_disk *d)
{
    static uint8_t buf[1 << 20];
    uint64_t off;
    int rc;

    for (off = 0; off < d->size; off += sizeof(buf)) {
        size_t n = d->size - off < sizeof(buf) ? (size_t)(d->size - off) : sizeof(buf);

        rc = pvb_disk_pread(d, buf, n, off);
        if (rc)
            return rc;
        if (fwrite(buf, 1, n, stdout) != n)
            return pvb_fail(d->ctx, PVB_EIO, "raw: write failed");
    }
    return fflush(stdout) == 0 ? 0 : pvb_fail(d->ctx, PVB_EIO, "raw: write failed");
}

static int dump_parts(struct pvb_disk *d)
{
    struct pvb_part_table t;
    unsigned i;
    int rc;

    rc = pvb_part_scan(d, &t);
    if (rc)
        return rc;
    printf("scheme %s sector-size %u backup %d\n", pvb_part_scheme_name(t.scheme),
           t.sector_size, (t.flags & PVB_PART_GPT_BACKUP) != 0);
    for (i = 0; i < t.count; i++) {
        const struct pvb_volume *v = &t.vols[i];
        char name[16], guid[37];

        pvb_volume_name(&t, v, name);
        printf("volume %s index %u start %llu sectors %llu bootable %d logical %d",
               name[0] ? name : "disk", v->index,
               (unsigned long long)(v->offset / t.sector_size),
               (unsigned long long)(v->size / t.sector_size), v->bootable, v->logical);
        if (t.scheme == PVB_PART_GPT) {
            pvb_guid_str(v->type_guid, guid);
            printf(" type %s name \"%s\"", guid, v->name);
        } else {
            printf(" type 0x%02x", v->mbr_type);
        }
        printf("\n");
    }
    pvb_part_free(d->ctx, &t);
    return 0;
}

/* The volume to read, through the boot layer as pvboot --ls/--cat: by GRUB's number,
 * a filesystem at an offset, or the first that mounts. */
static int open_volume(struct pvb_disk *d, long part, long long offset, struct pvb_boot **b,
                       struct pvb_fs **fs)
{
    char dev[32];
    int rc = pvb_boot_open(d->ctx, d, offset, b);

    if (rc)
        return rc;
    snprintf(dev, sizeof(dev), "hd0,%ld", part);
    return pvb_boot_fs(*b, part >= 0 ? dev : NULL, fs);
}

struct entry {
    char *path;
    pvb_ino ino;
};

struct listing {
    struct pvb_fs *fs;
    struct entry *v;
    size_t n, cap;
    const char *dir;
    int err;
};

static int collect(void *arg, const char *name, pvb_ino ino, enum pvb_ftype type)
{
    struct listing *l = arg;
    size_t need = strlen(l->dir) + strlen(name) + 2;

    (void)type;
    if (l->n == l->cap) {
        struct entry *nv;
        l->cap = l->cap ? 2 * l->cap : 64;
        nv = realloc(l->v, l->cap * sizeof(*nv));
        if (!nv)
            return l->err = PVB_ENOMEM;
        l->v = nv;
    }
    l->v[l->n].path = malloc(need);
    if (!l->v[l->n].path)
        return l->err = PVB_ENOMEM;
    snprintf(l->v[l->n].path, need, "%s%s%s", l->dir, strcmp(l->dir, "/") ? "/" : "", name);
    l->v[l->n].ino = ino;
    l->n++;
    return 0;
}

static int to_sha(void *arg, const void *buf, size_t len)
{
    pvb_sha256_update(arg, buf, len);
    return 0;
}

static int hash_file(struct pvb_fs *fs, pvb_ino ino, char hex[65])
{
    struct pvb_sha256 s;
    struct pvb_file *f;
    uint8_t d[32];
    uint64_t n;
    int rc;

    rc = pvb_fs_open_ino(fs, ino, &f);
    if (rc)
        return rc;
    pvb_sha256_init(&s);
    rc = pvb_file_stream(f, to_sha, &s, &n);
    pvb_file_close(f);
    pvb_sha256_final(&s, d);
    pvb_sha256_hex(d, hex);
    return rc;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Collect every path under dir (depth-first), then print them sorted. */
static int walk(struct listing *l, const char *dir, int depth)
{
    size_t first = l->n, i, end;
    int rc;

    if (depth > MAX_DEPTH)
        return pvb_fail(l->fs->ctx, PVB_ELIMIT, "files: deeper than %d directories", MAX_DEPTH);
    l->dir = dir;
    rc = pvb_fs_readdir(l->fs, dir, collect, l);
    if (rc)
        return l->err ? l->err : rc;
    end = l->n;
    for (i = first; i < end; i++) {
        struct pvb_stat st;
        rc = pvb_fs_stat_ino(l->fs, l->v[i].ino, &st);
        if (rc)
            return rc;
        if (st.type == PVB_FT_DIR) {
            char *sub = strdup(l->v[i].path);
            if (!sub)
                return PVB_ENOMEM;
            rc = walk(l, sub, depth + 1);
            free(sub);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int dump_files(struct pvb_fs *fs, const char *top)
{
    struct listing l;
    size_t i;
    int rc;

    memset(&l, 0, sizeof(l));
    l.fs = fs;
    rc = walk(&l, top, 0);
    qsort(l.v, l.n, sizeof(*l.v), cmp_entry);
    for (i = 0; !rc && i < l.n; i++) {
        struct pvb_stat st;
        char extra[4097] = "-";

        rc = pvb_fs_stat_ino(fs, l.v[i].ino, &st);
        if (!rc && st.type == PVB_FT_REG)
            rc = hash_file(fs, l.v[i].ino, extra);
        if (!rc && st.type == PVB_FT_LNK)
            rc = pvb_fs_readlink_ino(fs, l.v[i].ino, extra, sizeof(extra));
        if (!rc)
            printf("%s\t%s\t%04o\t%llu\t%s\n", l.v[i].path, pvb_ftype_name(st.type),
                   (unsigned)(st.mode & 07777), (unsigned long long)st.size, extra);
        else
            pvb_ctx_prefix(fs->ctx, "%s: ", l.v[i].path);
    }
    for (i = 0; i < l.n; i++)
        free(l.v[i].path);
    free(l.v);
    return rc;
}

static int dump_info(struct pvb_fs *fs)
{
    struct pvb_fs_info in;

    pvb_fs_info(fs, &in);
    printf("driver %s\nversion %s\nlabel %s\nblock-size %u\nuuid %s\nfeatures %s\n", in.driver,
           in.version, in.label, in.block_size, in.uuid_str, in.features);
    if (strcmp(in.driver, "btrfs") == 0) {
        char path[4096];
        uint64_t id;
        int rc = pvb_btrfs_default_subvol(fs, &id);

        if (!rc)
            rc = pvb_btrfs_subvol_path(fs, id, path, sizeof(path));
        if (rc)
            return rc;
        printf("default subvolume %llu %s\n", (unsigned long long)id, path);
    }
    return 0;
}

static int to_stdout(void *arg, const void *buf, size_t len)
{
    (void)arg;
    return fwrite(buf, 1, len, stdout) == len ? 0 : -1;
}

static int dump_cat(struct pvb_fs *fs, const char *path)
{
    uint64_t n;

    return pvb_fs_stream(fs, path, to_stdout, NULL, &n);
}

int main(int argc, char **argv)
{
    struct pvb_disk_opts opts;
    struct pvb_disk *d;
    struct pvb_boot *b = NULL;
    struct pvb_fs *fs = NULL;
    struct pvb_ctx c;
    const char *cmd, *image, *path;
    long part = -1;
    long long offset = -1;
    int i = 1, rc;

    memset(&opts, 0, sizeof(opts));
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--version") == 0) {
            printf("pvdump %s\n", pvb_version());
            return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
        }
        if (strncmp(argv[i], "--format=", 9) == 0)
            opts.format = argv[i] + 9;
        else if (strcmp(argv[i], "--allow-backing") == 0)
            opts.allow_backing = 1;
        else if (strncmp(argv[i], "--backing-dir=", 14) == 0)
            opts.backing_dir = argv[i] + 14;
        else if (strncmp(argv[i], "--part=", 7) == 0)
            part = strtol(argv[i] + 7, NULL, 10);
        else if (strncmp(argv[i], "--offset=", 9) == 0)
            offset = strtoll(argv[i] + 9, NULL, 10);
        else
            return usage(stderr, 2);
    }
    if (argc - i < 2 || argc - i > 3)
        return usage(stderr, 2);
    cmd = argv[i];
    image = argv[i + 1];
    path = argc - i == 3 ? argv[i + 2] : NULL;
    if (strcmp(cmd, "cat") == 0 && !path)
        return usage(stderr, 2);
    pvb_ctx_init(&c);
    c.warn = print_warning;
    rc = pvb_disk_open_path(&c, image, &opts, &d);
    if (rc)
        goto out;
    if (strcmp(cmd, "disk") == 0) {
        rc = dump_disk(d);
    } else if (strcmp(cmd, "raw") == 0) {
        rc = dump_raw(d);
    } else if (strcmp(cmd, "parts") == 0) {
        rc = dump_parts(d);
    } else if (strcmp(cmd, "info") == 0 || strcmp(cmd, "files") == 0 || strcmp(cmd, "cat") == 0) {
        rc = open_volume(d, part, offset, &b, &fs);
        if (!rc && cmd[0] == 'i')
            rc = dump_info(fs);
        else if (!rc && cmd[0] == 'f')
            rc = dump_files(fs, path ? path : "/");
        else if (!rc)
            rc = dump_cat(fs, path);
        pvb_boot_free(b);
    } else {
        pvb_disk_close(d);
        return usage(stderr, 2);
    }
    pvb_disk_close(d);
out:
    if (rc < 0)
        fprintf(stderr, "pvdump: %s\n", pvb_ctx_msg(&c));
    return rc == 0 ? 0 : 1;
}
