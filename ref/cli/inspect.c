/* SPDX-License-Identifier: GPL-2.0-only */
/* --inspect and --json: every layer's view of the image, the decision, and where stock
 * pygrub would go another way. */
#include <stdio.h>
#include <string.h>

#include "boot/boot.h"
#include "cli/cli.h"
#include "util/mem.h"

/* A report is built once as JSON-shaped calls, printed as text or JSON. */
struct rep {
    int json;
    int first;   /* no comma before the next member */
};

static void jstr(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void key(struct rep *r, const char *k)
{
    if (!r->first)
        putchar(',');
    r->first = 0;
    if (k) {
        jstr(k);
        putchar(':');
    }
}

static void kstr(struct rep *r, const char *k, const char *v)
{
    key(r, k);
    if (v)
        jstr(v);
    else
        printf("null");
}

static void knum(struct rep *r, const char *k, long long v)
{
    key(r, k);
    printf("%lld", v);
}

static void open_(struct rep *r, const char *k, char ch)
{
    key(r, k);
    putchar(ch);
    r->first = 1;
}

static void close_(struct rep *r, char ch)
{
    putchar(ch);
    r->first = 0;
}

/* What pygrub (every Xen up to 4.22) does differently, from pygrub-facts.md. */
static unsigned pygrub_notes(const struct pvb_boot *b, const char **notes, char bufs[][300],
                             unsigned max)
{
    const struct pvb_boot_volume *v;
    struct pvb_fs_info in;
    unsigned n = 0;

    if (b->vol < 0)
        return 0;
    v = &b->vols[b->vol];
    if (v->vol.logical && n < max)
        notes[n++] = "pygrub scans primary partitions only: it never finds this logical volume";
    if (v->lv && n < max)
        notes[n++] = "pygrub reads no LVM: it never finds this config on an LVM logical volume";
    if (v->fs) {
        pvb_fs_info(v->fs, &in);
        if (!strcmp(in.driver, "xfs") && in.version_major >= 5 && n < max)
            notes[n++] = "pygrub <= 4.22 cannot read XFS v5 (libfsimage reads v4 only): "
                         "this guest will not boot with it";
        else if (!strcmp(in.driver, "xfs") && (in.flags & PVB_FSI_FTYPE) && n < max)
            notes[n++] = "pygrub's libfsimage fails every lookup on XFS v4 with ftype=1";
    }
    if (!b->menu)
        return n;
    if (b->engine == &pvb_engine_lilo && n < max)
        notes[n++] = "pygrub does not read lilo.conf";
    if (b->entry >= 0 && (b->menu->entries[b->entry].flags & PVB_CFG_ENTRY_BLS) && n < max)
        notes[n++] = "pygrub does not run blscfg: it finds no BLS entries, so no kernel";
    else if (b->engine == &pvb_engine_grub2 && b->entry > 0 && b->menu->default_value && n < max) {
        const char *dv = b->menu->default_value;
        if (strspn(dv, "0123456789") != strlen(dv) || !*dv) {
            snprintf(bufs[n], 300, "pygrub evaluates nothing: default=\"%s\" becomes entry 0 ('%s'), "
                     "not entry %d", dv, b->menu->entries[0].title ? b->menu->entries[0].title : "",
                     b->entry);
            notes[n] = bufs[n];
            n++;
        }
    }
    if (b->ninitrds > 1 && n < max)
        notes[n++] = "pygrub reads several initrds as one path with spaces in it";
    if ((b->fallback_from >= 0 || b->menu->fallback_from >= 0) && n < max)
        notes[n++] = "pygrub has no fallback: the default entry's missing file fails the boot";
    return n;
}

static void volume(struct rep *r, const struct pvb_boot_volume *v)
{
    struct pvb_fs_info in;
    char guid[37];

    open_(r, NULL, '{');
    kstr(r, "device", v->dev);
    knum(r, "offset", (long long)v->vol.offset);
    knum(r, "size", (long long)v->vol.size);
    knum(r, "index", v->vol.index);
    key(r, "bootable");
    printf(v->vol.bootable ? "true" : "false");
    key(r, "logical");
    printf(v->vol.logical ? "true" : "false");
    if (v->lv) {
        kstr(r, "volume_manager", v->lv->scheme);
        kstr(r, "id_device", v->lv->id_name);
    } else if (v->vol.mbr_type)
        knum(r, "mbr_type", v->vol.mbr_type);
    else if (v->vol.index) {
        pvb_guid_str(v->vol.type_guid, guid);
        kstr(r, "gpt_type", guid);
        kstr(r, "gpt_name", v->vol.name);
    }
    if (v->fs) {
        pvb_fs_info(v->fs, &in);
        open_(r, "fs", '{');
        kstr(r, "driver", in.driver);
        kstr(r, "version", in.version);
        knum(r, "version_major", in.version_major);
        kstr(r, "label", in.label);
        kstr(r, "uuid", in.uuid_str);
        knum(r, "block_size", in.block_size);
        kstr(r, "features", in.features);
        close_(r, '}');
    } else {
        kstr(r, "fs", NULL);
        kstr(r, "fs_error", v->mount_rc == 1 ? "not examined" : v->mount_msg);
    }
    kstr(r, "config", v->config[0] ? v->config : NULL);
    if (v->config[0] && v->config_rc)
        kstr(r, "config_error", v->config_msg);
    close_(r, '}');
}

/* A file's size on its volume (a UKI section's: its length), or -1 when it cannot be
 * read (the report says so). */
static long long file_size(struct pvb_boot *b, const struct pvb_boot_file *f)
{
    struct pvb_fs *fs;
    struct pvb_stat st;
    unsigned vol = (unsigned)f->vol;
    const char *path = f->path;

    if (f->slice)
        return f->len > (uint64_t)0x7fffffffffffffffLL ? -1 : (long long)f->len;
    if (pvb_boot_fs(b, b->vols[vol].dev, &fs) != 0 || pvb_fs_stat(fs, path, &st) != 0 ||
        st.size > (uint64_t)0x7fffffffffffffffLL)
        return -1;
    return (long long)st.size;
}

/* A UKI section: where in the file it starts. */
static void print_slice(const struct pvb_boot_file *f)
{
    if (f->slice)
        printf(" section at byte %llu", (unsigned long long)f->off);
}

static void ksize(struct rep *r, const char *k, long long size)
{
    if (size < 0)
        kstr(r, k, NULL);   /* null: unreadable */
    else
        knum(r, k, size);
}

static void files(struct rep *r, struct pvb_boot *b)
{
    unsigned i;

    open_(r, "boot", '{');
    knum(r, "entry", b->entry);
    kstr(r, "title", b->menu && b->entry >= 0 ? b->menu->entries[b->entry].title : NULL);
    kstr(r, "why", b->why);
    knum(r, "fallback_from", b->fallback_from);
    kstr(r, "kernel_device", b->vols[b->kernel.vol].dev);
    kstr(r, "kernel", b->kernel.path);
    ksize(r, "kernel_size", file_size(b, &b->kernel));
    open_(r, "initrds", '[');
    for (i = 0; i < b->ninitrds; i++) {
        open_(r, NULL, '{');
        kstr(r, "device", b->vols[b->initrds[i].vol].dev);
        kstr(r, "path", b->initrds[i].path);
        ksize(r, "size", file_size(b, &b->initrds[i]));
        close_(r, '}');
    }
    close_(r, ']');
    kstr(r, "args", b->args);
    close_(r, '}');
}

static void menu(struct rep *r, const struct pvb_menu *m)
{
    unsigned i, k;

    open_(r, "menu", '{');
    kstr(r, "format", m->engine->name);
    kstr(r, "semantics", pvb_cfg_semantics_name(m->semantics));
    kstr(r, "default_value", m->default_value);
    knum(r, "default", m->chosen);
    knum(r, "fallback_from", m->fallback_from);
    kstr(r, "why", m->why);
    knum(r, "timeout", m->timeout);
    open_(r, "fallback", '[');
    for (i = 0; i < m->nfallback; i++)
        knum(r, NULL, m->fallback[i]);
    close_(r, ']');
    open_(r, "entries", '[');
    for (i = 0; i < m->count; i++) {
        const struct pvb_cfg_entry *e = &m->entries[i];
        open_(r, NULL, '{');
        knum(r, "index", i);
        kstr(r, "title", e->title);
        kstr(r, "id", e->id);
        kstr(r, "submenu", e->submenu);
        kstr(r, "source", e->file);
        knum(r, "line", e->line);
        key(r, "bls");
        printf(e->flags & PVB_CFG_ENTRY_BLS ? "true" : "false");
        if (e->loaded) {
            kstr(r, "kernel", e->kernel.path);
            open_(r, "initrds", '[');
            for (k = 0; k < e->ninitrd; k++)
                kstr(r, NULL, e->initrd[k].path);
            close_(r, ']');
            kstr(r, "args", e->args);
        }
        if (e->unbootable)
            kstr(r, "unbootable", e->unbootable);
        close_(r, '}');
    }
    close_(r, ']');
    open_(r, "warnings", '[');
    for (i = 0; i < m->nwarnings; i++) {
        open_(r, NULL, '{');
        kstr(r, "file", m->warnings[i].file);
        knum(r, "line", m->warnings[i].line);
        kstr(r, "message", m->warnings[i].msg);
        close_(r, '}');
    }
    close_(r, ']');
    close_(r, '}');
}

static void json_report(const struct pvb_cli_opts *o, struct pvb_disk *d, struct pvb_boot *b,
                        struct pvb_boot *vols_only, const char *error)
{
    struct rep r = { 1, 1 };
    const struct pvb_boot *vb = b ? b : vols_only;
    const char *notes[8];
    char bufs[8][300];
    unsigned i, n;

    open_(&r, NULL, '{');
    open_(&r, "image", '{');
    kstr(&r, "path", o->image);
    kstr(&r, "format", pvb_disk_name(d));
    knum(&r, "size", (long long)d->size);
    close_(&r, '}');
    if (vb) {
        open_(&r, "table", '{');
        kstr(&r, "scheme", pvb_part_scheme_name(vb->parts.scheme));
        knum(&r, "sector_size", vb->parts.sector_size);
        key(&r, "gpt_backup_used");
        printf(vb->parts.flags & PVB_PART_GPT_BACKUP ? "true" : "false");
        open_(&r, "volumes", '[');
        for (i = 0; i < vb->nvols; i++)
            volume(&r, &vb->vols[i]);
        close_(&r, ']');
        close_(&r, '}');
    }
    if (b && b->menu) {
        kstr(&r, "config_device", b->vols[b->vol].dev);
        kstr(&r, "config", b->vols[b->vol].config);
        menu(&r, b->menu);
    }
    if (b)
        files(&r, b);
    open_(&r, "pygrub_differs", '[');
    n = b ? pygrub_notes(b, notes, bufs, 8) : 0;
    for (i = 0; i < n; i++)
        kstr(&r, NULL, notes[i]);
    close_(&r, ']');
    kstr(&r, "error", error);
    close_(&r, '}');
    putchar('\n');
}

static void print_size(long long size)
{
    if (size < 0)
        printf(", unreadable\n");
    else
        printf(", %lld bytes\n", size);
}

static void text_report(const struct pvb_cli_opts *o, struct pvb_disk *d, struct pvb_boot *b,
                        struct pvb_boot *vols_only, const char *error)
{
    const struct pvb_boot *vb = b ? b : vols_only;
    const char *notes[8];
    char bufs[8][300];
    unsigned i, k, n;

    printf("image:      %s (%s, %llu bytes)\n", o->image, pvb_disk_name(d), (unsigned long long)d->size);
    if (vb) {
        printf("partitions: %s, %u-byte sectors%s\n", pvb_part_scheme_name(vb->parts.scheme),
               vb->parts.sector_size,
               vb->parts.flags & PVB_PART_GPT_BACKUP ? " (primary GPT bad: backup used)" : "");
        for (i = 0; i < vb->nvols; i++) {
            const struct pvb_boot_volume *v = &vb->vols[i];
            struct pvb_fs_info in;

            if (v->lv)
                printf("  (%s) %llu bytes, %s logical volume (%s): ", v->dev,
                       (unsigned long long)v->vol.size, v->lv->scheme, v->lv->id_name);
            else
                printf("  (%s) %llu bytes at %llu%s%s: ", v->dev, (unsigned long long)v->vol.size,
                       (unsigned long long)v->vol.offset, v->vol.bootable ? ", bootable" : "",
                       v->vol.logical ? ", logical" : "");
            if (v->fs) {
                pvb_fs_info(v->fs, &in);
                printf("%s", in.version);
                if (in.label[0])
                    printf(", label '%s'", in.label);
                printf(", %s\n", in.features);
            } else {
                printf("%s\n", v->mount_rc == 1 ? "not examined" : v->mount_msg);
            }
            if (v->config[0])
                printf("      config %s%s%s\n", v->config, v->config_rc ? ": " : "",
                       v->config_rc ? v->config_msg : "");
        }
    }
    if (b && b->menu) {
        const struct pvb_menu *m = b->menu;
        printf("config:     (%s)%s, %s, %s semantics\n", b->vols[b->vol].dev, b->vols[b->vol].config,
               m->engine->name,
               m->semantics == PVB_CFG_SEM_FEDORA ? "Fedora" :
               m->semantics == PVB_CFG_SEM_SUSE ? "SUSE" : "upstream");
        for (i = 0; i < m->nwarnings; i++)
            printf("  warning %s:%u: %s\n", m->warnings[i].file, m->warnings[i].line,
                   m->warnings[i].msg);
        printf("menu:       default %d%s%s%s\n", m->chosen,
               m->default_value ? " (default=\"" : "", m->default_value ? m->default_value : "",
               m->default_value ? "\")" : "");
        if (m->why)
            printf("            %s\n", m->why);
        for (i = 0; i < m->count; i++) {
            const struct pvb_cfg_entry *e = &m->entries[i];
            printf("  %c %2u  %s%s%s\n", (int)i == b->entry ? '*' : ' ', i,
                   e->submenu && *e->submenu ? e->submenu : "", e->submenu && *e->submenu ? ">" : "",
                   e->title ? e->title : "");
        }
    }
    if (b) {
        printf("boot:       entry %d: %s\n", b->entry, b->why ? b->why : "");
        printf("  kernel (%s)%s", b->vols[b->kernel.vol].dev, b->kernel.path);
        print_slice(&b->kernel);
        print_size(file_size(b, &b->kernel));
        for (k = 0; k < b->ninitrds; k++) {
            printf("  initrd (%s)%s", b->vols[b->initrds[k].vol].dev, b->initrds[k].path);
            print_slice(&b->initrds[k]);
            print_size(file_size(b, &b->initrds[k]));
        }
        printf("  args   %s\n", b->args ? b->args : "");
        n = pygrub_notes(b, notes, bufs, 8);
        for (i = 0; i < n; i++)
            printf("pygrub:     %s\n", notes[i]);
    }
    if (error)
        printf("error:      %s\n", error);
}

int pvb_cmd_inspect(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    struct pvb_boot_opts bo;
    struct pvb_disk *d = NULL;
    struct pvb_boot *b = NULL, *vols = NULL;
    char error[PVB_MSG_MAX];
    int rc;

    if (pvb_cmd_open_disk(o, c, &d) != 0)
        return pvb_cmd_fail(c);
    pvb_boot_opts_init(&bo);
    bo.offset = o->offset;
    bo.entry = o->entry;
    bo.load_all = 1;
    rc = pvb_boot_decide(c, d, &bo, &b);
    error[0] = '\0';
    if (!rc) {
        /* The decision stops at the first volume that boots; show the others too. */
        struct pvb_fs *fs;
        unsigned i;
        for (i = 0; i < b->nvols; i++)
            pvb_boot_fs(b, b->vols[i].dev, &fs);
    }
    if (rc) {
        snprintf(error, sizeof(error), "%s", pvb_ctx_msg(c));
        /* Without a decision, still show what each volume holds. */
        if (pvb_boot_open(c, d, o->offset, &vols) == 0) {
            struct pvb_fs *fs;
            unsigned i;
            for (i = 0; i < vols->nvols; i++)
                pvb_boot_fs(vols, vols->vols[i].dev, &fs);   /* records each mount's result */
        }
    }
    if (o->json)
        json_report(o, d, b, vols, rc ? error : NULL);
    else
        text_report(o, d, b, vols, rc ? error : NULL);
    pvb_boot_free(b);
    pvb_boot_free(vols);
    pvb_disk_close(d);
    return rc ? 1 : 0;
}
