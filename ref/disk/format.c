/* SPDX-License-Identifier: GPL-2.0-only */
/* Format detection by scored bids over the head and tail of an image file. */
#include <string.h>
#include <sys/stat.h>

#include "disk/format.h"
#include "util/mem.h"

static int raw_probe(const uint8_t *head, size_t nhead, const uint8_t *tail, size_t ntail,
                     uint64_t file_size)
{
    (void)head; (void)nhead; (void)tail; (void)ntail; (void)file_size;
    return 1;
}

static int raw_open(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_chain *chain,
                    struct pvb_disk **out)
{
    (void)c; (void)chain;
    *out = file;
    return 0;
}

static const struct pvb_format raw_format = { .name = "raw", .probe = raw_probe, .open = raw_open };

/* Tried in this order; on equal bids the earlier one wins. */
static const struct pvb_format *const formats[] = {
    &raw_format,
    &pvb_format_qcow,
    &pvb_format_qcow2,
    &pvb_format_vhd,
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static int pick(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_format **best,
                const char *want)
{
    uint8_t head[PVB_PROBE_HEAD], tail[PVB_PROBE_TAIL];
    size_t nhead, ntail, i;
    int rc, best_bid = 0;

    /* qemu calls vhd "vpc"; its backing format names use that spelling. */
    if (want && strcmp(want, "vpc") == 0)
        want = "vhd";
    nhead = file->size < sizeof(head) ? (size_t)file->size : sizeof(head);
    ntail = file->size < sizeof(tail) ? (size_t)file->size : sizeof(tail);
    rc = pvb_disk_pread(file, head, nhead, 0);
    if (!rc)
        rc = pvb_disk_pread(file, tail, ntail, file->size - ntail);
    if (rc)
        return rc;
    *best = NULL;
    for (i = 0; i < NFORMATS; i++) {
        int bid;

        if (want && strcmp(want, formats[i]->name) != 0)
            continue;
        bid = formats[i]->probe(head, nhead, tail, ntail, file->size);
        if (want && bid == 0)
            return pvb_fail(c, PVB_ENOTMINE, "disk: the image is not in %s format", want);
        if (bid > best_bid) {
            *best = formats[i];
            best_bid = bid;
        }
    }
    if (!*best)
        return pvb_fail(c, PVB_EINVAL, "disk: unknown image format '%s'", want ? want : "");
    return 0;
}

static const char *wanted(const char *format)
{
    if (!format || strcmp(format, "auto") == 0)
        return NULL;
    return format;
}

int pvb_format_open_chain(struct pvb_ctx *c, struct pvb_disk *file, const char *format,
                          const struct pvb_chain *chain, struct pvb_disk **out)
{
    const struct pvb_format *f;
    int rc;

    rc = pick(c, file, &f, wanted(format));
    if (rc)
        return rc;
    return f->open(c, file, chain, out);
}

/* Backing files of the whole chain must sit in the top image's directory
 * (or the caller's backing_dir): the directory part of path, "." if none. */
static char *chain_dir(struct pvb_ctx *c, const char *path, const struct pvb_disk_opts *opts)
{
    const char *slash;

    if (opts->backing_dir)
        return pvb_strndup(c, opts->backing_dir, strlen(opts->backing_dir));
    if (!path)
        return NULL;
    slash = strrchr(path, '/');
    if (!slash)
        return pvb_strndup(c, ".", 1);
    if (slash == path)
        return pvb_strndup(c, "/", 1);
    return pvb_strndup(c, path, (size_t)(slash - path));
}

int pvb_format_open(struct pvb_ctx *c, struct pvb_disk *file, const char *path,
                    const struct pvb_disk_opts *opts, struct pvb_disk **out)
{
    static const struct pvb_disk_opts defaults;
    struct pvb_chain top;
    struct stat st;
    int rc;

    memset(&top, 0, sizeof(top));
    top.opts = opts ? opts : &defaults;
    top.path = path;
    if (path && stat(path, &st) == 0) {
        top.have_id = 1;
        top.dev = (uint64_t)st.st_dev;
        top.ino = (uint64_t)st.st_ino;
    }
    /* Only needed (and only allocated) when backing files may be followed. */
    if (top.opts->allow_backing && (path || top.opts->backing_dir)) {
        char *dir = chain_dir(c, path, top.opts);

        if (!dir)
            return c->err;
        top.dir = dir;
        rc = pvb_format_open_chain(c, file, top.opts->format, &top, out);
        pvb_free(c, dir);
        return rc;
    }
    return pvb_format_open_chain(c, file, top.opts->format, &top, out);
}

int pvb_format_detect(struct pvb_ctx *c, struct pvb_disk *file, const char **name)
{
    const struct pvb_format *f;
    int rc;

    rc = pick(c, file, &f, NULL);
    if (!rc)
        *name = f->name;
    return rc;
}
