/* SPDX-License-Identifier: GPL-2.0-only */
/* A growable byte string for building the command's output. */
#ifndef PVB_CLI_SBUF_H
#define PVB_CLI_SBUF_H

#include <stddef.h>

struct sbuf {
    char *p;       /* NUL-terminated when not NULL */
    size_t len;
    size_t cap;
    int oom;       /* an append failed; the contents are incomplete */
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_add(struct sbuf *b, const void *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
