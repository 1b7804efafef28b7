/* SPDX-License-Identifier: GPL-2.0-only */
/* The physical floors: copying, reading and scanning the same bytes with nothing else done. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Exactly n bytes at off. */
static int pread_all(int fd, uint8_t *buf, size_t n, uint64_t off)
{
    while (n > 0) {
        ssize_t got = pread(fd, buf, n, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        buf += got;
        n -= (size_t)got;
        off += (uint64_t)got;
    }
    return 0;
}

/* Every range in order, BN_CHUNK at a time, each chunk handed to out (fd >= 0)
 * or dropped: the reads an extraction made, and nothing else. */
static int each_chunk(int in, int out, uint8_t *buf, const struct bn_ranges *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        uint64_t off = r->v[i].off, left = r->v[i].len;
        while (left > 0) {
            size_t n = left < BN_CHUNK ? (size_t)left : BN_CHUNK;
            if (pread_all(in, buf, n, off) != 0 || (out >= 0 && write_all(out, buf, n) != 0))
                return -1;
            off += n;
            left -= n;
        }
    }
    return 0;
}

int bn_floor_pread(int fd, uint8_t *buf, const struct bn_ranges *r)
{
    return each_chunk(fd, -1, buf, r);
}

uint64_t bn_ranges_bytes(const struct bn_ranges *r)
{
    uint64_t n = 0;
    size_t i;

    for (i = 0; i < r->n; i++)
        n += r->v[i].len;
    return n;
}

int bn_sink_drop(void *arg, const void *buf, size_t len)
{
    (void)arg;
    (void)buf;
    (void)len;
    return 0;
}

void bn_floor_memcpy(uint8_t *dst, const uint8_t *src, uint64_t len)
{
    while (len > 0) {
        size_t n = len < BN_CHUNK ? (size_t)len : BN_CHUNK;
        memcpy(dst, src, n);
        len -= n;
    }
}

/* The least a parser does: look at every byte once (here: count lines). */
size_t bn_floor_scan(const char *buf, size_t len)
{
    size_t i, lines = 0;

    for (i = 0; i < len; i++)
        lines += buf[i] == '\n';
    return lines;
}

/* The ranges file of --copy-floor: "OFFSET LENGTH" lines. */
static int read_ranges(const char *path, struct bn_ranges *r)
{
    FILE *f = fopen(path, "r");
    unsigned long long off, len;

    memset(r, 0, sizeof(*r));
    if (!f)
        return -1;
    while (fscanf(f, "%llu %llu", &off, &len) == 2) {
        if (r->n == r->cap) {
            size_t cap = r->cap ? 2 * r->cap : 64;
            struct bn_range *nv = realloc(r->v, cap * sizeof(*nv));
            if (!nv) {
                fclose(f);
                return -1;
            }
            r->v = nv;
            r->cap = cap;
        }
        r->v[r->n].off = off;
        r->v[r->n++].len = len;
    }
    /* A read that failed is not the end of the list. */
    if (ferror(f) || !feof(f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

/*
 * pvbench --copy-floor IMAGE RANGES OUT: the whole-process floor of an
 * extraction. A process like the implementation's (started the same way,
 * the same C library) copies the byte ranges the extraction reads (RANGES,
 * written by pvbench) from IMAGE into the new file OUT, a BN_CHUNK buffer
 * at a time, and exits.
 */
int bn_copy_floor_main(int argc, char **argv)
{
    struct bn_ranges r = { NULL, 0, 0 };
    uint8_t *buf = NULL;
    int in = -1, out = -1, rc = -1;

    if (argc != 4)
        return 2;
    if ((in = open(argv[1], O_RDONLY)) >= 0 && read_ranges(argv[2], &r) == 0 &&
        (out = open(argv[3], O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0 && (buf = malloc(BN_CHUNK)))
        rc = each_chunk(in, out, buf, &r);
    if (out >= 0 && close(out) != 0)
        rc = -1;
    if (in >= 0)
        close(in);
    free(buf);
    free(r.v);
    if (rc)
        perror("pvbench --copy-floor");
    return rc ? 1 : 0;
}
