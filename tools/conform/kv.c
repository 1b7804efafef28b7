/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading the small "key: value" text files pvconform takes: .expect and impl files. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kv.h"
#include "util/mem.h"

static int is_key_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
}

int cf_kv_next(struct pvb_ctx *c, struct cf_kv *r, struct cf_kv_line *out)
{
    while (r->pos < r->len) {
        const char *s = r->buf + r->pos, *nl = memchr(s, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - s) : r->len - r->pos, k = 0;

        r->pos += n + (nl != NULL);
        r->line++;
        if (memchr(s, '\0', n))
            return pvb_fail(c, PVB_ESYNTAX, "%s:%u: NUL byte in line", r->path, r->line);
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == n || s[k] == '#')
            continue;
        k = 0;
        while (k < n && is_key_char(s[k]))
            k++;
        if (k == 0 || k == n || s[k] != ':' || (k + 1 < n && s[k + 1] != ' '))
            return pvb_fail(c, PVB_ESYNTAX, "%s:%u: not a \"key: value\" line", r->path, r->line);
        out->key = s;
        out->klen = k;
        out->val = s + (k + 2 <= n ? k + 2 : n);
        out->vlen = n - (size_t)(out->val - s);
        return 1;
    }
    return 0;
}

int cf_kv_is(const struct cf_kv_line *l, const char *k)
{
    return strlen(k) == l->klen && memcmp(l->key, k, l->klen) == 0;
}

int cf_read_file(struct pvb_ctx *c, const char *path, size_t max, char **buf, size_t *len)
{
    struct stat st;
    size_t got = 0;
    char *p = NULL;
    int fd, rc = 0;

    fd = open(path, O_RDONLY | O_NONBLOCK);  /* a FIFO must not hang the reader */
    if (fd < 0)
        return pvb_fail(c, errno == ENOENT ? PVB_ENOTFOUND : PVB_EIO, "%s: %s", path,
                        strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = pvb_fail(c, PVB_EINVAL, "%s: not a regular file", path);
        goto cleanup;
    }
    if ((uint64_t)st.st_size > max) {
        rc = pvb_fail(c, PVB_ELIMIT, "%s: %lld bytes, more than %zu", path,
                      (long long)st.st_size, max);
        goto cleanup;
    }
    p = pvb_alloc(c, (size_t)st.st_size + 1, path);
    if (!p) {
        rc = c->err;
        goto cleanup;
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, p + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = pvb_fail(c, PVB_EIO, "%s: %s", path, n ? strerror(errno) : "shrank while read");
            goto cleanup;
        }
        got += (size_t)n;
    }
    p[got] = '\0';
    *buf = p;
    *len = got;
    p = NULL;
cleanup:
    pvb_free(c, p);
    close(fd);
    return rc;
}
