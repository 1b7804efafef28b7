/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btrfspin.so: an LD_PRELOAD library that pins what mkfs.btrfs --rootdir takes from the
 * host, for images/mkimage's btrfs volumes, so one tree gives one image:
 *
 *  - UUIDs: -U sets the filesystem's only; the chunk tree's and the device's come from
 *    libuuid. The n-th UUID a process asks for is a hash of $PVB_BTRFSPIN (the case's
 *    filesystem UUID) and n, with the version 4 and variant bits of a random UUID.
 *  - Inode numbers: btrfs-progs 6.2 (mkfs/rootdir.c) numbers each inode with the source
 *    file's st_ino, which the host's filesystem chooses. stat, lstat and fstat here
 *    answer 257, 258, ... in the order files are first seen (mkfs's directory walk,
 *    over a tree mkimage writes in a fixed order); 256 is the subvolume's root.
 *
 * Nothing but the corpus builder loads it. More files than MAX_FILES abort the run
 * rather than give an image that depends on the host.
 */
/* The functions are defined under the names mkfs.btrfs imports (stat, lstat, fstat,
 * fstat64): no large-file renaming of them here. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef unsigned char pin_uuid_t[16];

void uuid_generate(pin_uuid_t out);
void uuid_generate_random(pin_uuid_t out);
void uuid_generate_time(pin_uuid_t out);
int uuid_generate_time_safe(pin_uuid_t out);

static unsigned long calls;

/* FNV-1a 64 over the seed, then splitmix64 per 8 bytes: no quality claim, only a fixed
 * and distinct answer per call. */
static void pin(pin_uuid_t out)
{
    const char *seed = getenv("PVB_BTRFSPIN");
    uint64_t h = 0xcbf29ce484222325u, z;
    unsigned i, k;

    for (; seed && *seed; seed++)
        h = (h ^ (unsigned char)*seed) * 0x100000001b3u;
    h ^= (uint64_t)++calls * 0x9e3779b97f4a7c15u;
    for (k = 0; k < 2; k++) {
        z = (h += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        z ^= z >> 31;
        for (i = 0; i < 8; i++)
            out[k * 8 + i] = (unsigned char)(z >> (8 * i));
    }
    out[6] = (unsigned char)((out[6] & 0x0f) | 0x40);
    out[8] = (unsigned char)((out[8] & 0x3f) | 0x80);
}

void uuid_generate(pin_uuid_t out) { pin(out); }
void uuid_generate_random(pin_uuid_t out) { pin(out); }
void uuid_generate_time(pin_uuid_t out) { pin(out); }
int uuid_generate_time_safe(pin_uuid_t out) { pin(out); return 0; }

#define MAX_FILES 65536u
#define FIRST_INO 257u

static struct {
    uint64_t dev, ino;
} seen[MAX_FILES];
static unsigned nseen;

/* The same file always gets the same number; a new one the next. */
static uint64_t number(uint64_t dev, uint64_t ino)
{
    unsigned i;

    for (i = 0; i < nseen; i++)
        if (seen[i].dev == dev && seen[i].ino == ino)
            break;
    if (i == nseen) {
        if (nseen == MAX_FILES)
            abort();
        seen[nseen].dev = dev;
        seen[nseen].ino = ino;
        nseen++;
    }
    return FIRST_INO + i;
}

static void renumber(struct stat *st)
{
    st->st_ino = (ino_t)number((uint64_t)st->st_dev, (uint64_t)st->st_ino);
}

typedef int (*path_stat_fn)(const char *, struct stat *);
typedef int (*fd_stat_fn)(int, struct stat *);
typedef int (*fd_stat64_fn)(int, struct stat64 *);

/* The next definition of name (libc's), stored through an object pointer as POSIX's
 * dlsym allows. */
#define NEXT(var, name) \
    do { \
        if (!(var) && !(*(void **)(&(var)) = dlsym(RTLD_NEXT, name))) \
            abort(); \
    } while (0)

static path_stat_fn real_stat, real_lstat;
static fd_stat_fn real_fstat;
static fd_stat64_fn real_fstat64;

int stat(const char *path, struct stat *st)
{
    int rc;

    NEXT(real_stat, "stat");
    rc = real_stat(path, st);

    if (rc == 0)
        renumber(st);
    return rc;
}

int lstat(const char *path, struct stat *st)
{
    int rc;

    NEXT(real_lstat, "lstat");
    rc = real_lstat(path, st);

    if (rc == 0)
        renumber(st);
    return rc;
}

int fstat(int fd, struct stat *st)
{
    int rc;

    NEXT(real_fstat, "fstat");
    rc = real_fstat(fd, st);

    if (rc == 0)
        renumber(st);
    return rc;
}

int fstat64(int fd, struct stat64 *st)
{
    int rc;

    NEXT(real_fstat64, "fstat64");
    rc = real_fstat64(fd, st);

    if (rc == 0)
        st->st_ino = (ino64_t)number((uint64_t)st->st_dev, (uint64_t)st->st_ino);
    return rc;
}
