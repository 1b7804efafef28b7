/* SPDX-License-Identifier: GPL-2.0-only */
/* --isconfig: evaluate a config file from dom0 and print pygrub's three lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot/boot.h"
#include "cfg/cfg.h"
#include "cli/cli.h"
#include "util/mem.h"

static int read_host_file(struct pvb_ctx *c, const char *path, char **buf, size_t *len)
{
    size_t cap = c->lim.max_config, n = 0;
    ssize_t r;
    char *b;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return pvb_fail(c, PVB_ENOTFOUND, "isconfig: %s: %s", path, strerror(errno));
    b = pvb_alloc(c, cap + 1, "config");
    if (!b) {
        close(fd);
        return c->err;
    }
    while (n < cap && (r = read(fd, b + n, cap - n)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            pvb_free(c, b);
            return pvb_fail(c, PVB_EIO, "isconfig: %s: %s", path, strerror(errno));
        }
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

int pvb_cmd_isconfig(const struct pvb_cli_opts *o, struct pvb_ctx *c)
{
    struct pvb_cfg_opts co;
    struct pvb_cfg_env env;
    struct pvb_menu *m = NULL;
    struct pvb_cfg_entry *e;
    char *buf = NULL;
    size_t len = 0;
    unsigned i;
    int rc, sel;

    rc = read_host_file(c, o->image, &buf, &len);
    if (rc)
        return pvb_cmd_fail(c);
    pvb_cfg_opts_init(&co);
    /* pygrub parses every --isconfig file as GRUB 2; pvboot picks the engine by the file's
     * name, as the bootloader that owns that name would read it. */
    co.engine = pvb_cfg_engine_for_file(o->image);
    if (!co.engine)
        co.engine = &pvb_engine_grub2;
    co.path = o->image;
    memset(&env, 0, sizeof(env));   /* no disk: grubenv, BLS entries and the like do not exist */
    rc = pvb_cfg_eval(c, &co, &env, buf, len, &m);
    pvb_free(c, buf);
    if ((rc && rc != PVB_ENOBOOT) || !m || m->count == 0) {
        pvb_menu_free(m);
        if (!rc)
            pvb_fail(c, PVB_ENOBOOT, "isconfig: %s: no menu entries", o->image);
        return pvb_cmd_fail(c);
    }
    sel = m->chosen >= 0 ? m->chosen : 0;
    if (o->entry)
        sel = pvb_boot_entry_index(m, o->entry, sel);
    rc = pvb_cfg_load(m, (unsigned)sel);
    if (rc) {
        pvb_menu_free(m);
        return pvb_cmd_fail(c);
    }
    e = &m->entries[sel];
    printf("  kernel: %s\n", e->kernel.path ? e->kernel.path : "None");
    if (e->ninitrd) {
        printf("  initrd: ");
        for (i = 0; i < e->ninitrd; i++)
            printf("%s%s", i ? " " : "", e->initrd[i].path);
        printf("\n");
    }
    printf("  args: %s%s%s\n", e->args ? e->args : "", o->args && *o->args ? " " : "",
           o->args ? o->args : "");
    pvb_menu_free(m);
    return 0;
}
