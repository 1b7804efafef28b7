/* SPDX-License-Identifier: GPL-2.0-only */
/* Writing values safely into JSON, Markdown and SVG, and counting results. */
#include <errno.h>
#include <string.h>

#include "text.h"
#include "util/mem.h"

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n, i;
    unsigned long cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] < 0xc2 || s[0] > 0xf4)
        return 0;
    n = s[0] <= 0xdf ? 2 : s[0] <= 0xef ? 3 : 4;
    cp = s[0] & (0x7f >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

void cf_json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    fputc('"', f);
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0) {
            fputs("\\ufffd", f);
            p++;
        } else if (*p == '"' || *p == '\\') {
            fprintf(f, "\\%c", *p++);
        } else if (*p < 0x20 || *p == 0x7f) {
            fprintf(f, "\\u%04x", *p++);
        } else {
            fwrite(p, 1, n, f);
            p += n;
        }
    }
    fputc('"', f);
}

void cf_json_str_or_null(FILE *f, const char *s)
{
    if (s)
        cf_json_str(f, s);
    else
        fputs("null", f);
}

void cf_md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '`' || *s == '<' || *s == '*' || *s == '_' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
            fputc(*s, f);
    }
}

void cf_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20)
                fputc(*s, f);
        }
    }
}

int cf_close_checked(struct pvb_ctx *c, FILE *f, const char *path)
{
    int e = 0, earlier = ferror(f);

    if (fflush(f) != 0)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e)
        return pvb_fail(c, PVB_EIO, "%s: write failed: %s", path, strerror(e));
    /* A write that failed before (its errno long gone) left the file short. */
    if (earlier)
        return pvb_fail(c, PVB_EIO, "%s: write failed: the file is incomplete", path);
    return 0;
}

static void tally(const struct cf_run *run, const struct cf_result *res, size_t n, const char *group,
                  struct cf_tally *t)
{
    size_t i;

    memset(t, 0, sizeof(*t));
    for (i = 0; i < n; i++) {
        const struct cf_result *r = &res[i];
        if (!r->done || (group && strcmp(run->cases[r->icase].group, group) != 0))
            continue;
        t->cls[r->cls]++;
        t->verdict[r->verdict]++;
        t->total++;
    }
}

void cf_tally(const struct cf_run *run, size_t iimpl, const char *group, struct cf_tally *t)
{
    tally(run, run->nresults ? run->results + iimpl * run->ncases : NULL, run->nresults ? run->ncases : 0,
          group, t);
}

void cf_tally_boots(const struct cf_run *run, size_t iimpl, const char *group, struct cf_tally *t)
{
    tally(run, run->nboots ? run->boots + iimpl * run->nboot : NULL, run->nboots ? run->nboot : 0, group, t);
}

unsigned cf_passed(const struct cf_tally *t)
{
    return t->verdict[CF_OK] + t->verdict[CF_FIXED];
}

unsigned cf_failed(const struct cf_tally *t)
{
    return t->verdict[CF_FAIL] + t->verdict[CF_KNOWN];
}

int cf_groups(const struct cf_run *run, const char ***names, size_t *n)
{
    const char **v = pvb_calloc(run->c, run->ncases ? run->ncases : 1, sizeof(*v), "groups");
    size_t i, j, m = 0;

    if (!v)
        return run->c->err;
    for (i = 0; i < run->ncases; i++) {
        for (j = 0; j < m && strcmp(v[j], run->cases[i].group) != 0; j++)
            ;
        if (j == m)
            v[m++] = run->cases[i].group;
    }
    *names = v;
    *n = m;
    return 0;
}
