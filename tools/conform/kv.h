/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading the small "key: value" text files pvconform takes: .expect and impl files. */
#ifndef PVB_CONFORM_KV_H
#define PVB_CONFORM_KV_H

#include <stddef.h>

#include "util/ctx.h"

/* A cursor over a NUL-terminated buffer of lines. */
struct cf_kv {
    const char *path;   /* for messages */
    const char *buf;
    size_t len, pos;
    unsigned line;      /* of the last line returned */
};

/* One line: key and value point into the buffer (not NUL-terminated). */
struct cf_kv_line {
    const char *key, *val;
    size_t klen, vlen;
};

/*
 * The next "key: value" line, skipping blank lines and '#' comments. The key
 * is [a-z0-9-]+ followed by ':' and one space (or the end of the line); the
 * value is the rest of the line exactly, so "args: " is an empty value and
 * trailing blanks are kept. Returns 1 with *out set, 0 at the end, or
 * PVB_ESYNTAX with "PATH:LINE: why" in the context.
 */
int cf_kv_next(struct pvb_ctx *c, struct cf_kv *r, struct cf_kv_line *out);

/* 1 when the line's key is k. */
int cf_kv_is(const struct cf_kv_line *l, const char *k);

/* A whole file of at most max bytes, NUL-terminated, in memory from the context. */
int cf_read_file(struct pvb_ctx *c, const char *path, size_t max, char **buf, size_t *len);

#endif
