/* SPDX-License-Identifier: GPL-2.0-only */
/* Config engines in-process: large generated configs per format, parse+evaluate next to a bare pass. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cfg/cfg.h"
#include "util/mem.h"

#define MAX_ENTRIES 9000u   /* under the engines' default cap of 10000 menu entries */

/*
 * Each format: a header, then entries as its generator writes them for real
 * guests, numbered, until the target size. Entry 1 is the default in every
 * one of them (set default="1", default 1, DEFAULT/default= by label), so a
 * test can check what the engine chose.
 */
struct gen {
    const char *format, *path, *header, *entry;
};

static const struct gen gens[BN_NCFG] = {
    { "grub2", "/boot/grub2/grub.cfg",
      "set default=\"1\"\n"
      "if [ x\"${feature_menuentry_id}\" = xy ]; then\n  menuentry_id_option=\"--id\"\n"
      "else\n  menuentry_id_option=\"\"\nfi\nexport menuentry_id_option\nset timeout=5\n",
      "menuentry 'CentOS Linux (3.10.0-%u.el7.x86_64) 7 (Core)' --class centos --class gnu-linux "
      "--class gnu --class os --unrestricted $menuentry_id_option "
      "'gnulinux-3.10.0-%u.el7.x86_64-advanced-d2b5f7a4-0c2b-4b32-9b5e-6b1d3c2f9a10' {\n"
      "\tload_video\n\tset gfxpayload=keep\n\tinsmod gzio\n\tinsmod part_msdos\n\tinsmod xfs\n"
      "\tset root='hd0,msdos1'\n"
      "\tlinux16 /vmlinuz-3.10.0-%u.el7.x86_64 root=/dev/mapper/centos-root ro crashkernel=auto "
      "rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet LANG=en_US.UTF-8\n"
      "\tinitrd16 /initramfs-3.10.0-%u.el7.x86_64.img\n}\n" },
    { "grub1", "/boot/grub/menu.lst",
      "default 1\ntimeout 5\nsplashimage=(hd0,0)/grub/splash.xpm.gz\nhiddenmenu\n",
      "title CentOS (2.6.32-%u.el6.x86_64)\n\troot (hd0,0)\n"
      "\tkernel /vmlinuz-2.6.32-%u.el6.x86_64 ro root=/dev/mapper/VolGroup-lv_root rd_NO_LUKS "
      "LANG=en_US.UTF-8 rd_NO_MD SYSFONT=latarcyrheb-sun16 crashkernel=auto "
      "rd_LVM_LV=VolGroup/lv_root KEYBOARDTYPE=pc KEYTABLE=us rd_NO_DM console=hvc0 rhgb quiet\n"
      "\tinitrd /initramfs-2.6.32-%u.el6.x86_64.img\n" },
    { "extlinux", "/boot/extlinux/extlinux.conf",
      "DEFAULT linux1\nPROMPT 0\nTIMEOUT 50\n",
      "LABEL linux%u\n  MENU LABEL Linux 5.15.%u\n  LINUX /boot/vmlinuz-5.15.%u\n"
      "  INITRD /boot/initramfs-5.15.%u\n  APPEND root=UUID=6b2b4f2e-8e0e-4a4c-9b8e-1d2f3a4b5c6d "
      "modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4\n" },
    { "lilo", "/etc/lilo.conf",
      "boot=/dev/xvda\nmap=/boot/map\nprompt\ntimeout=50\nlba32\ndefault=L1\n",
      "image=/boot/vmlinuz-5.15.%u\n  label=L%u\n  root=/dev/xvda1\n  initrd=/boot/initrd-5.15.%u.gz\n"
      "  read-only\n  append=\"console=hvc0 quiet\"\n" },
};

static const struct gen *find_gen(const char *format)
{
    unsigned i;

    for (i = 0; i < BN_NCFG; i++)
        if (strcmp(gens[i].format, format) == 0)
            return &gens[i];
    return NULL;
}

char *bn_gencfg(struct pvb_ctx *c, const char *format, size_t target, size_t *len, unsigned *entries)
{
    const struct gen *g = find_gen(format);
    size_t cap = target + 4096, n;
    char *buf, one[2048];
    unsigned i;

    if (!g) {
        pvb_fail(c, PVB_EINVAL, "no generator for %s", format);
        return NULL;
    }
    buf = pvb_alloc(c, cap, "generated config");
    if (!buf)
        return NULL;
    n = (size_t)snprintf(buf, cap, "%s", g->header);
    for (i = 0; i < MAX_ENTRIES; i++) {
        /* Every format string uses its number 4 times at most. */
        size_t k = (size_t)snprintf(one, sizeof(one), g->entry, i, i, i, i);
        if (n + k >= target && i >= 2)
            break;
        if (n + k >= cap)
            break;
        memcpy(buf + n, one, k + 1);
        n += k;
    }
    *len = n;
    *entries = i;
    return buf;
}

struct cfgrun {
    struct pvb_ctx c;
    struct pvb_cfg_opts o;
    const char *buf;
    size_t len;
    volatile size_t sink;
};

static int eval_once(void *arg)
{
    struct cfgrun *r = arg;
    struct pvb_menu *m = NULL;
    int rc = pvb_cfg_eval(&r->c, &r->o, NULL, r->buf, r->len, &m);

    pvb_menu_free(m);
    return rc;
}

static int scan_once(void *arg)
{
    struct cfgrun *r = arg;

    r->sink = bn_floor_scan(r->buf, r->len);
    return 0;
}

/* One format: reps batches of the engine and of the bare pass, alternately. */
static int measure(struct bn_bench *b, const struct gen *g, struct bn_cfgfig *out)
{
    struct cfgrun r;
    struct bn_batch e, s;
    char *buf;
    unsigned rep;
    int rc;

    memset(&r, 0, sizeof(r));
    bn_ctx_init(&r.c);
    buf = bn_gencfg(b->c, g->format, b->o->config_bytes, &r.len, &out->entries);
    if (!buf)
        return b->c->err;
    r.buf = buf;
    pvb_cfg_opts_init(&r.o);
    r.o.engine = pvb_cfg_engine_find(g->format);
    r.o.path = g->path;
    out->format = g->format;
    out->bytes = r.len;
    out->t = pvb_calloc(b->c, 2 * (size_t)b->o->reps + 1, sizeof(double), "config samples");
    if (!out->t) {
        pvb_free(b->c, buf);
        return b->c->err;
    }
    out->floor = out->t + b->o->reps;
    e.fn = eval_once;
    s.fn = scan_once;
    e.arg = s.arg = &r;
    rc = bn_batch_calibrate(&e, b->o->min_batch);
    if (!rc)
        rc = bn_batch_calibrate(&s, b->o->min_batch);
    for (rep = 0; rep < b->o->reps && rc == 0; rep++) {
        rc = bn_batch_time(rep % 2 ? &s : &e, rep % 2 ? &out->floor[rep] : &out->t[rep]);
        if (!rc)
            rc = bn_batch_time(rep % 2 ? &e : &s, rep % 2 ? &out->t[rep] : &out->floor[rep]);
    }
    out->rc = rc;
    pvb_free(b->c, buf);
    return 0;
}

int bn_cfg_run(struct bn_bench *b)
{
    unsigned i;
    int rc = 0;

    for (i = 0; i < BN_NCFG && rc == 0 && !*b->stop; i++) {
        rc = measure(b, &gens[i], &b->cfg[i]);
        b->ncfg = i + 1;
        if (!b->o->quiet)
            fprintf(stderr, "config %s: %zu bytes, %u entries\n", gens[i].format, b->cfg[i].bytes,
                    b->cfg[i].entries);
    }
    return rc;
}
