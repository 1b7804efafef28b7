/* SPDX-License-Identifier: GPL-2.0-only */
/* An entry as the menu's editor shows it, as commands, and the edited commands back into the entry. */
#include <stdio.h>
#include <string.h>

#include "cfg/cfgint.h"

/*
 * pygrub's editor shows an entry's lines as its config wrote them. An entry
 * here is evaluated (GRUB 2 variables expanded, BLS files read), so the
 * editor shows what loads it, as GRUB commands: the entry's own root line
 * when it has one (GRUB legacy "root (hd0,0)", GRUB 2 "set root='hd0,msdos1'"),
 * the kernel line ("kernel" for GRUB legacy, extlinux and lilo entries,
 * "linux" for GRUB 2's) with the arguments, and the initrd line. Unchanged
 * lines read back as the same entry.
 */

#define DEV_MAX 128

static int legacy(const struct pvb_menu *m)
{
    return m->engine == &pvb_engine_grub1;
}

/* A device name without parentheses, in GRUB 2's numbering: GRUB legacy counts
 * partitions from 0, so in its entries "hd0,0" is "hd0,msdos1"; a named scheme
 * ("msdos1", "gpt2") means the same in both. */
static void grub2_dev(const struct pvb_menu *m, const char *s, size_t n, char *out, size_t cap)
{
    unsigned disk, part;
    char kind[3], tail;
    char buf[DEV_MAX];

    if (n && s[0] == '(') {
        s++;
        n--;
    }
    if (n && s[n - 1] == ')')
        n--;
    snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
    if (legacy(m) && sscanf(buf, "%2[hf]d%u,%u%c", kind, &disk, &part, &tail) == 3 && part < 1000) {
        snprintf(out, cap, "%cd%u,msdos%u", kind[0], disk, part + 1);
        return;
    }
    snprintf(out, cap, "%s", buf);
}

/* The device the entry's root line names, or the config's. */
static void root_dev(const struct pvb_menu *m, const struct pvb_cfg_entry *e, char *out, size_t cap)
{
    if (e->root)
        grub2_dev(m, e->root, strcspn(e->root, " \t"), out, cap);
    else
        snprintf(out, cap, "%s", m->device);
}

/* A file as a word: bare when it is on root, else with its device. */
static int add_file(struct pvb_sb *sb, const struct pvb_menu *m, const struct pvb_cfg_file *f,
                    const char *root)
{
    const char *dev = f->dev && f->dev[0] ? f->dev : m->device;

    if (!pvb_cfg_dev_same(dev, root)) {
        pvb_sb_addc(sb, '(');
        pvb_sb_adds(sb, dev);
        pvb_sb_addc(sb, ')');
    }
    return pvb_sb_adds(sb, f->path);
}

char *pvb_cfg_entry_text(struct pvb_menu *m, unsigned i)
{
    const struct pvb_cfg_entry *e;
    char root[DEV_MAX];
    struct pvb_sb sb;
    unsigned k;

    if (i >= m->count) {
        pvb_fail(m->ctx, PVB_EINVAL, "config: no entry %u", i);
        return NULL;
    }
    if (pvb_cfg_load(m, i) != 0)
        return NULL;
    e = &m->entries[i];
    root_dev(m, e, root, sizeof(root));
    pvb_sb_init(&sb, m->ctx, (size_t)1 << 20, "entry text");
    if (e->root) {
        pvb_sb_adds(&sb, legacy(m) ? "root " : "set root='");
        pvb_sb_adds(&sb, e->root);
        pvb_sb_adds(&sb, legacy(m) ? "\n" : "'\n");
    }
    if (e->unbootable) {
        pvb_sb_adds(&sb, "# ");
        pvb_sb_adds(&sb, e->unbootable);
        pvb_sb_addc(&sb, '\n');
    }
    if (e->kernel.path) {
        pvb_sb_adds(&sb, m->engine == &pvb_engine_grub2 ? "linux " : "kernel ");
        add_file(&sb, m, &e->kernel, root);
        if (e->args && e->args[0]) {
            pvb_sb_addc(&sb, ' ');
            pvb_sb_adds(&sb, e->args);
        }
        pvb_sb_addc(&sb, '\n');
    }
    if (e->ninitrd) {
        pvb_sb_adds(&sb, "initrd");
        for (k = 0; k < e->ninitrd; k++) {
            pvb_sb_addc(&sb, ' ');
            add_file(&sb, m, &e->initrd[k], root);
        }
        pvb_sb_addc(&sb, '\n');
    }
    return pvb_sb_take(&sb);
}

/* The first word of s (at most cap - 1 bytes) and where the rest starts. */
static const char *word(const char *s, char *out, size_t cap, const char *seps)
{
    size_t n;

    s += strspn(s, " \t");
    n = strcspn(s, seps);
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
    s += n;
    return s + strspn(s, " \t");
}

/* A file word: "(dev)/path" or "/path" on root. */
static int set_file(struct pvb_mb *b, struct pvb_cfg_file *f, const char *spec, const char *root)
{
    const char *d, *path;
    char dev[DEV_MAX];
    size_t dl;

    pvb_cfg_split_dev(spec, &d, &dl, &path);
    if (spec[0] == '(')
        grub2_dev(b->m, d, dl, dev, sizeof(dev));
    else
        snprintf(dev, sizeof(dev), "%s", root);
    return pvb_mb_set_file(b, f, dev, path);
}

/* One command of the edited lines, as set_file and the engines read them. */
static int edit_cmd(struct pvb_mb *b, struct pvb_cfg_entry *e, const char *line, unsigned lineno,
                    char *root, size_t rcap)
{
    char cmd[32], w[4096];
    const char *rest = word(line, cmd, sizeof(cmd), " \t");
    struct pvb_cfg_file f = { NULL, NULL, 0, 0, 0 };
    unsigned k;
    int rc = 0;

    if (!strcmp(cmd, "root") || !strcmp(cmd, "rootnoverify") ||
        (!strcmp(cmd, "set") && !strncmp(rest, "root=", 5))) {
        size_t n;
        if (cmd[0] == 's')
            rest += 5;
        n = strcspn(rest, cmd[0] == 's' ? "" : " \t");
        while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
            n--;
        if (cmd[0] == 's' && n >= 2 && (rest[0] == '\'' || rest[0] == '"') && rest[n - 1] == rest[0]) {
            rest++;     /* GrubConf.py grub2_handle_set: one pair of quotes */
            n -= 2;
        }
        grub2_dev(b->m, rest, n, root, rcap);
        return pvb_mb_set_strn(b, &e->root, rest, n);
    }
    if (!strcmp(cmd, "kernel") || !strcmp(cmd, "linux") || !strcmp(cmd, "linux16") ||
        !strcmp(cmd, "linuxefi")) {
        size_t n;
        rest = word(rest, w, sizeof(w), " \t");
        if (!w[0])
            return 0;
        /* A new kernel drops the initrds loaded before it (GRUB 2's loader). */
        for (k = 0; k < e->ninitrd; k++) {
            pvb_free(b->c, e->initrd[k].dev);
            pvb_free(b->c, e->initrd[k].path);
        }
        e->ninitrd = 0;
        n = strlen(rest);
        while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
            n--;
        if ((rc = set_file(b, &e->kernel, w, root)) == 0)
            rc = pvb_mb_set_strn(b, &e->args, rest, n);
        return rc;
    }
    if (!strcmp(cmd, "initrd") || !strcmp(cmd, "initrd16") || !strcmp(cmd, "initrdefi")) {
        for (;;) {
            rest = word(rest, w, sizeof(w), " \t");
            if (!w[0] || (rc = set_file(b, &f, w, root)) != 0 ||
                (rc = pvb_mb_add_initrd(b, e, f.dev, f.path)) != 0)
                break;
        }
        pvb_free(b->c, f.dev);
        pvb_free(b->c, f.path);
        return rc;
    }
    /* pygrub's set_from_line: "Unknown image directive", and the line is kept. */
    pvb_mb_warn(b, "menu editor", lineno, "command '%s' does nothing here: ignored", cmd);
    return 0;
}

/* Whether f names the same file as o ("" is the config's device). */
static int same_file(const struct pvb_menu *m, const struct pvb_cfg_file *f, const struct pvb_cfg_file *o)
{
    const char *a = f->dev && f->dev[0] ? f->dev : m->device, *b = o->dev && o->dev[0] ? o->dev : m->device;

    return f->path && o->path && strcmp(f->path, o->path) == 0 && pvb_cfg_dev_same(a, b);
}

/* A unified kernel image's kernel and initrd are byte ranges of one file: an edited
 * entry that still names that file keeps them (the kernel the kernel's range, each
 * initrd the next initrd range of its file), or it would load the whole image. */
static void keep_slices(const struct pvb_menu *m, struct pvb_cfg_entry *e, const struct pvb_cfg_file *ok,
                        const struct pvb_cfg_file *oi, unsigned on)
{
    unsigned k, j, next = 0;

    if (ok->slice && same_file(m, &e->kernel, ok)) {
        e->kernel.slice = 1;
        e->kernel.off = ok->off;
        e->kernel.len = ok->len;
    }
    for (k = 0; k < e->ninitrd; k++)
        for (j = next; j < on; j++)
            if (oi[j].slice && same_file(m, &e->initrd[k], &oi[j])) {
                e->initrd[k].slice = 1;
                e->initrd[k].off = oi[j].off;
                e->initrd[k].len = oi[j].len;
                next = j + 1;
                break;
            }
}

static void free_files(struct pvb_ctx *c, struct pvb_cfg_file *k, struct pvb_cfg_file *v, unsigned n)
{
    unsigned j;

    pvb_free(c, k->dev);
    pvb_free(c, k->path);
    for (j = 0; j < n; j++) {
        pvb_free(c, v[j].dev);
        pvb_free(c, v[j].path);
    }
    pvb_free(c, v);
}

int pvb_cfg_entry_edit(struct pvb_menu *m, unsigned i, const char *title, const char *text)
{
    struct pvb_cfg_file ok, *oi;
    unsigned on;
    struct pvb_mb *b = m->mb;
    struct pvb_cfg_entry *e;
    char root[DEV_MAX];
    unsigned lineno = 0;
    int rc = 0;

    if (i > m->count)
        return pvb_fail(m->ctx, PVB_EINVAL, "config: no entry %u", i);
    if (i == m->count) {
        if (!(e = pvb_mb_add(b)))
            return m->ctx->err;
        if ((rc = pvb_mb_set_str(b, &e->title, title ? title : "entered")) != 0 ||
            (rc = pvb_mb_set_str(b, &e->id, e->title)) != 0 ||
            (rc = pvb_mb_set_str(b, &e->submenu, "")) != 0 ||
            (rc = pvb_mb_set_str(b, &e->classes, "")) != 0 ||
            (rc = pvb_mb_set_str(b, &e->file, "menu editor")) != 0)
            return rc;
    }
    e = &m->entries[i];
    /* The files it loaded, kept aside for their UKI ranges. */
    ok = e->kernel;
    oi = e->initrd;
    on = e->ninitrd;
    memset(&e->kernel, 0, sizeof(e->kernel));
    e->initrd = NULL;
    e->ninitrd = 0;
    pvb_cfg_entry_clear(m->ctx, e);
    e->loaded = 1;
    snprintf(root, sizeof(root), "%s", m->device);
    while (*text && !rc) {
        size_t n = strcspn(text, "\n");
        char line[8192];

        lineno++;
        snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), text);
        text += n + (text[n] == '\n');
        if (line[strspn(line, " \t")] == '\0' || line[strspn(line, " \t")] == '#')
            continue;
        rc = edit_cmd(b, e, line, lineno, root, sizeof(root));
    }
    if (!rc)
        keep_slices(m, e, &ok, oi, on);
    free_files(m->ctx, &ok, oi, on);
    /* As the engines judge it: a hypervisor is no kernel a PV guest boots. */
    if (!rc && e->kernel.path && pvb_cfg_is_hypervisor(e->kernel.path))
        rc = pvb_mb_set_str(b, &e->unbootable, "the kernel is a hypervisor; a PV guest boots Linux directly");
    return rc;
}
