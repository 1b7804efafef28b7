/* SPDX-License-Identifier: GPL-2.0-only */
/* The corpus's <image>.expect files: what the real bootloader boots from each image.
 *
 * The format is images/mkimage's (corpus branch): "key: value" lines, '#'
 * comments. Keys read here: case, group, image, format, entry-arg, error,
 * title, kernel, kernel-sha256, ramdisk-sha256, args, why, and for a boot
 * case guest-append and guest-cmdline (pvconform --boot). Informative keys
 * (table, boot-part, boot-fs, boot-offset, config, config-format, semantics,
 * oracle, entry, initrd, corrupt) are accepted and ignored. A format change of the
 * corpus is an edit of this file only.
 */
#include <stddef.h>
#include <string.h>

#include "expect.h"
#include "kv.h"
#include "util/mem.h"

#define EXPECT_MAX (64 * 1024)  /* an .expect is a few hundred bytes */

enum { F_STR, F_SHA, F_IGNORE, F_REPEAT };

struct field {
    const char *key;
    int kind;
    size_t off;   /* of the char * (F_STR) or char[65] (F_SHA) in struct cf_case */
};

static const struct field fields[] = {
    { "case", F_STR, offsetof(struct cf_case, name) },
    { "group", F_STR, offsetof(struct cf_case, group) },
    { "image", F_STR, offsetof(struct cf_case, image) },
    { "format", F_STR, offsetof(struct cf_case, format) },
    { "entry-arg", F_STR, offsetof(struct cf_case, entry_arg) },
    { "error", F_STR, offsetof(struct cf_case, error) },
    { "title", F_STR, offsetof(struct cf_case, title) },
    { "kernel", F_STR, offsetof(struct cf_case, kernel) },
    { "args", F_STR, offsetof(struct cf_case, args) },
    { "why", F_STR, offsetof(struct cf_case, why) },
    { "guest-append", F_STR, offsetof(struct cf_case, guest_append) },
    { "guest-cmdline", F_STR, offsetof(struct cf_case, guest_cmdline) },
    { "kernel-sha256", F_SHA, offsetof(struct cf_case, kernel_sha) },
    { "ramdisk-sha256", F_SHA, offsetof(struct cf_case, ramdisk_sha) },
    { "table", F_IGNORE, 0 }, { "boot-part", F_IGNORE, 0 }, { "boot-fs", F_IGNORE, 0 },
    { "boot-offset", F_IGNORE, 0 }, { "config", F_IGNORE, 0 }, { "config-format", F_IGNORE, 0 },
    { "semantics", F_IGNORE, 0 }, { "oracle", F_IGNORE, 0 }, { "entry", F_IGNORE, 0 },
    { "initrd", F_REPEAT, 0 }, { "corrupt", F_REPEAT, 0 }
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static int is_hex64(const char *s, size_t n)
{
    size_t i;

    if (n != 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Case names go into TAP lines, JSON and Markdown tables: keep them plain. */
static int is_plain_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("._+/-", *s)))
            return 0;
    return 1;
}

/* Store one line's value; seen[] catches a key given twice. */
static int set_field(struct pvb_ctx *c, struct cf_kv *r, const struct cf_kv_line *l,
                     struct cf_case *k, unsigned char *seen)
{
    size_t i;

    for (i = 0; i < NFIELDS && !cf_kv_is(l, fields[i].key); i++)
        ;
    if (i == NFIELDS) {
        pvb_warn(c, "%s:%u: unknown key \"%.*s\" ignored", r->path, r->line, (int)l->klen, l->key);
        return 0;
    }
    if (fields[i].kind == F_REPEAT)
        return 0;
    if (seen[i]++)
        return pvb_fail(c, PVB_ESYNTAX, "%s:%u: \"%s\" given twice", r->path, r->line,
                        fields[i].key);
    if (fields[i].kind == F_IGNORE)
        return 0;
    if (fields[i].kind == F_SHA) {
        char *dst = (char *)k + fields[i].off;
        if (l->vlen == 4 && memcmp(l->val, "none", 4) == 0 && strcmp(fields[i].key, "ramdisk-sha256") == 0) {
            strcpy(dst, "none");
            return 0;
        }
        if (!is_hex64(l->val, l->vlen))
            return pvb_fail(c, PVB_ESYNTAX, "%s:%u: %s: not 64 lowercase hex digits", r->path,
                            r->line, fields[i].key);
        memcpy(dst, l->val, 64);
        dst[64] = '\0';
        return 0;
    }
    *(char **)((char *)k + fields[i].off) = pvb_strndup(c, l->val, l->vlen);
    return *(char **)((char *)k + fields[i].off) ? 0 : c->err;
}

/* The image next to the .expect: dir(path)/image. */
static int place_image(struct pvb_ctx *c, const char *path, struct cf_case *k)
{
    const char *slash = strrchr(path, '/');
    char *full;

    if (k->image[0] == '/' || !slash)
        return 0;
    full = cf_printf(c, "%.*s/%s", (int)(slash - path), path, k->image);
    if (!full)
        return c->err;
    pvb_free(c, k->image);
    k->image = full;
    return 0;
}

static int check_case(struct pvb_ctx *c, const char *path, struct cf_case *k)
{
    const char *miss = !k->name ? "case" : !k->image ? "image" : !k->format ? "format" : NULL;

    if (miss)
        return pvb_fail(c, PVB_ESYNTAX, "%s: no \"%s\" line", path, miss);
    if (!is_plain_name(k->name))
        return pvb_fail(c, PVB_ESYNTAX, "%s: case name \"%s\" has characters outside [A-Za-z0-9._+/-]",
                        path, k->name);
    if (!k->guest_append != !k->guest_cmdline)
        return pvb_fail(c, PVB_ESYNTAX, "%s: guest-append and guest-cmdline go together", path);
    if (k->error) {
        if (k->kernel_sha[0] || k->args || k->guest_cmdline)
            return pvb_fail(c, PVB_ESYNTAX, "%s: both an error and a kernel expected", path);
        return 0;
    }
    miss = !k->kernel_sha[0] ? "kernel-sha256" : !k->ramdisk_sha[0] ? "ramdisk-sha256"
         : !k->args ? "args" : NULL;
    if (miss)
        return pvb_fail(c, PVB_ESYNTAX, "%s: no \"%s\" line (nor \"error\")", path, miss);
    if (strcmp(k->ramdisk_sha, "none") == 0)
        k->ramdisk_sha[0] = '\0';
    return 0;
}

int cf_expect_parse(struct pvb_ctx *c, const char *path, const char *text, size_t len,
                    struct cf_case *k)
{
    unsigned char seen[NFIELDS];
    struct cf_kv r;
    struct cf_kv_line l;
    int rc;

    memset(k, 0, sizeof(*k));
    memset(seen, 0, sizeof(seen));
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.buf = text;
    r.len = len;
    while ((rc = cf_kv_next(c, &r, &l)) == 1)
        if ((rc = set_field(c, &r, &l, k, seen)) != 0)
            break;
    if (rc == 0)
        rc = check_case(c, path, k);
    if (rc == 0 && !k->group) {
        const char *slash = strchr(k->name, '/');
        k->group = slash ? pvb_strndup(c, k->name, (size_t)(slash - k->name)) : cf_strdup(c, "-");
        rc = k->group ? 0 : c->err;
    }
    if (rc == 0 && !(k->expect = cf_strdup(c, path)))
        rc = c->err;
    if (rc == 0)
        rc = place_image(c, path, k);
    if (rc)
        cf_case_free(c, k);
    return rc;
}

int cf_expect_load(struct pvb_ctx *c, const char *path, struct cf_case *k)
{
    char *text;
    size_t len;
    int rc;

    rc = cf_read_file(c, path, EXPECT_MAX, &text, &len);
    if (rc)
        return rc;
    rc = cf_expect_parse(c, path, text, len, k);
    pvb_free(c, text);
    return rc;
}

void cf_case_free(struct pvb_ctx *c, struct cf_case *k)
{
    char **s[] = { &k->name, &k->group, &k->expect, &k->image, &k->format, &k->entry_arg,
                   &k->error, &k->title, &k->kernel, &k->args, &k->why, &k->raw, &k->raw_error,
                   &k->guest_append, &k->guest_cmdline };
    size_t i;

    for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        pvb_free(c, *s[i]);
        *s[i] = NULL;
    }
}
