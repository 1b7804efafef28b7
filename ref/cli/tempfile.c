/* SPDX-License-Identifier: GPL-2.0-only */
/* mkstemp with Python's names: libxl and administrators see the files pygrub would make. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/tempfile.h"

int pvb_abspath(const char *path, char *out, size_t cap)
{
    char joined[8192];
    size_t comp[2048], ncomp = 0, o = 0, i = 0;
    int lead;

    if (path[0] == '/') {
        if (strlen(path) >= sizeof(joined))
            return -1;
        strcpy(joined, path);
    } else {
        char cwd[4096];
        if (!getcwd(cwd, sizeof(cwd)) ||
            (size_t)snprintf(joined, sizeof(joined), "%s/%s", cwd, path) >= sizeof(joined))
            return -1;
    }
    /* posixpath.normpath keeps exactly two leading slashes, folds more to one. */
    lead = joined[0] == '/' && joined[1] == '/' && joined[2] != '/' ? 2 : 1;
    if (cap < (size_t)lead + 1)
        return -1;
    memset(out, '/', (size_t)lead);
    o = (size_t)lead;
    while (joined[i]) {
        size_t start, n;

        while (joined[i] == '/')
            i++;
        start = i;
        while (joined[i] && joined[i] != '/')
            i++;
        n = i - start;
        if (n == 0 || (n == 1 && joined[start] == '.'))
            continue;
        if (n == 2 && joined[start] == '.' && joined[start + 1] == '.') {
            if (ncomp)
                o = comp[--ncomp];
            continue;
        }
        if (ncomp == sizeof(comp) / sizeof(comp[0]))
            return -1;
        comp[ncomp++] = o;
        if (o + (o > (size_t)lead) + n + 1 > cap)
            return -1;
        if (o > (size_t)lead)
            out[o++] = '/';
        memcpy(out + o, joined + start, n);
        o += n;
    }
    out[o] = '\0';
    return 0;
}

/* 8 characters from Python's tempfile alphabet. The names need not be
 * unpredictable (O_EXCL makes the creation safe), only unlikely to collide. */
static void random_name(char name[9], uint64_t *state)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    int i;

    for (i = 0; i < 8; i++) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        name[i] = alphabet[*state % (sizeof(alphabet) - 1)];
    }
    name[8] = '\0';
}

static uint64_t seed(void)
{
    uint64_t s = (uint64_t)time(NULL) * 6364136223846793005ull ^ (uint64_t)getpid() << 20;
    int fd = open("/dev/urandom", O_RDONLY);

    if (fd >= 0) {
        uint64_t r;
        if (read(fd, &r, sizeof(r)) == (ssize_t)sizeof(r))
            s ^= r;
        close(fd);
    }
    return s ? s : 0x9e3779b97f4a7c15ull;
}

int pvb_mkstemp(const char *dir, const char *prefix, char *out, size_t cap)
{
    char path[8192], name[9];
    uint64_t state = seed();
    int tries, fd;

    for (tries = 0; tries < 100; tries++) {
        random_name(name, &state);
        if ((size_t)snprintf(path, sizeof(path), "%s/%s%s", dir, prefix, name) >= sizeof(path) ||
            pvb_abspath(path, out, cap) != 0) {
            errno = ENAMETOOLONG;
            return -1;
        }
        fd = open(out, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}
