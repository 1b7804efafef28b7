/* SPDX-License-Identifier: GPL-2.0-only */
/* vhdicat: a vhd's virtual disk on stdout as libvhdi reads it, the oracle for differencing disks.
 *
 * usage: vhdicat IMAGE [PARENT]
 * libvhdi (Joachim Metz) is an independent reader of the VHD format: with
 * PARENT it resolves a differencing disk against it. Prints "size N" on
 * stderr; exits 1 with libvhdi's message on any error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libvhdi.h>

static libvhdi_file_t *open_vhd(const char *path)
{
    libvhdi_error_t *err = NULL;
    libvhdi_file_t *f = NULL;

    if (libvhdi_file_initialize(&f, &err) != 1 ||
        libvhdi_file_open(f, path, LIBVHDI_OPEN_READ, &err) != 1) {
        libvhdi_error_fprint(err, stderr);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    static char buf[1 << 20];
    libvhdi_error_t *err = NULL;
    libvhdi_file_t *f, *p = NULL;
    size64_t size, off;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: vhdicat IMAGE [PARENT]\n");
        return 2;
    }
    f = open_vhd(argv[1]);
    if (argc == 3) {
        p = open_vhd(argv[2]);
        if (libvhdi_file_set_parent_file(f, p, &err) != 1) {
            libvhdi_error_fprint(err, stderr);
            return 1;
        }
    }
    if (libvhdi_file_get_media_size(f, &size, &err) != 1) {
        libvhdi_error_fprint(err, stderr);
        return 1;
    }
    fprintf(stderr, "size %llu\n", (unsigned long long)size);
    for (off = 0; off < size; off += sizeof(buf)) {
        size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);

        if (libvhdi_file_read_buffer_at_offset(f, buf, n, (off64_t)off, &err) != (ssize_t)n) {
            libvhdi_error_fprint(err, stderr);
            return 1;
        }
        if (fwrite(buf, 1, n, stdout) != n)
            return 1;
    }
    return 0;
}
