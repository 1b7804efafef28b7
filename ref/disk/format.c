/* Format detection by scored bids over the head and tail of an image file. */
#include <string.h>

#include "disk/format.h"

static int raw_probe(const uint8_t *head, size_t nhead, const uint8_t *tail, size_t ntail,
                     uint64_t file_size)
{
    (void)head; (void)nhead; (void)tail; (void)ntail; (void)file_size;
    return 1;
}

static int raw_open(struct pvb_ctx *c, struct pvb_disk *file, const char *path,
                    const struct pvb_disk_opts *opts, struct pvb_disk **out)
{
    (void)c; (void)path; (void)opts;
    *out = file;
    return 0;
}

static const struct pvb_format raw_format = { "raw", raw_probe, raw_open };

/* Tried in this order; on equal bids the earlier one wins. */
static const struct pvb_format *const formats[] = {
    &raw_format,
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static int pick(struct pvb_ctx *c, struct pvb_disk *file, const struct pvb_format **best,
                int *best_bid, const char *want)
{
    uint8_t head[PVB_PROBE_HEAD], tail[PVB_PROBE_TAIL];
    size_t nhead, ntail, i;
    int rc;

    nhead = file->size < sizeof(head) ? (size_t)file->size : sizeof(head);
    ntail = file->size < sizeof(tail) ? (size_t)file->size : sizeof(tail);
    rc = pvb_disk_pread(file, head, nhead, 0);
    if (!rc)
        rc = pvb_disk_pread(file, tail, ntail, file->size - ntail);
    if (rc)
        return rc;
    *best = NULL;
    *best_bid = 0;
    for (i = 0; i < NFORMATS; i++) {
        int bid;

        if (want && strcmp(want, formats[i]->name) != 0)
            continue;
        bid = formats[i]->probe(head, nhead, tail, ntail, file->size);
        if (want && bid == 0)
            return pvb_fail(c, PVB_ENOTMINE, "disk: the image is not in %s format", want);
        if (bid > *best_bid) {
            *best = formats[i];
            *best_bid = bid;
        }
    }
    if (!*best)
        return pvb_fail(c, PVB_EINVAL, "disk: unknown image format '%s'", want ? want : "");
    return 0;
}

static const char *wanted(const struct pvb_disk_opts *opts)
{
    if (!opts || !opts->format || strcmp(opts->format, "auto") == 0)
        return NULL;
    return opts->format;
}

int pvb_format_open(struct pvb_ctx *c, struct pvb_disk *file, const char *path,
                    const struct pvb_disk_opts *opts, struct pvb_disk **out)
{
    const struct pvb_format *f;
    int bid, rc;

    rc = pick(c, file, &f, &bid, wanted(opts));
    if (rc)
        return rc;
    return f->open(c, file, path, opts, out);
}

int pvb_format_detect(struct pvb_ctx *c, struct pvb_disk *file, const char **name)
{
    const struct pvb_format *f;
    int bid, rc;

    rc = pick(c, file, &f, &bid, NULL);
    if (!rc)
        *name = f->name;
    return rc;
}
