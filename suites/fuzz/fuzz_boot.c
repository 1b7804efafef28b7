/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: the boot decision (volumes, config search, device names, search, paths, extraction) over a built disk. */
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"
#include "../unit/bootdisk.h"
#include "cfgfuzz.h"
#include "fuzz.h"

/*
 * Input: LAYOUT FLAGS REST. LAYOUT % 6 picks a bootdisk.h layout, or (5) REST is
 * the raw disk itself. Otherwise REST is CONFIG ("\x01" PATH "\n" DATA)* as
 * cfgfuzz.h reads it: CONFIG becomes the config file FLAGS & 7 names, each
 * further file is placed at its PATH (grubenv, BLS entries, sourced files).
 * FLAGS: 0x08 XFS before ext, 0x10 evaluate every entry, 0x20 --entry=1,
 * 0x40 Fedora semantics, 0x80 --offset of the ext filesystem.
 * So random configs meet real volumes and files from the first execution.
 */
static const char *const config_path[8] = {
    "/boot/grub/grub.cfg", "/boot/grub2/grub.cfg", "/grub/grub.cfg",
    "/boot/extlinux/extlinux.conf", "/boot/grub/menu.lst", "/boot/grub/grub.conf",
    "/grub/menu.lst", "/etc/lilo.conf",
};

#define RAW BD_NLAYOUTS
#define SINK_CAP (4u << 20)   /* bytes one sink takes before it refuses */
#define CHOICES 4             /* entries booted through pvb_boot_choose per input */

static int sink(void *arg, const void *buf, size_t len)
{
    uint64_t *n = arg;

    (void)buf;
    if (len > SINK_CAP - *n)
        return 1;
    *n += len;
    return 0;
}

static void check_rc(int rc)
{
    if (rc > 0 || rc <= -PVB_ERR_COUNT)
        abort();   /* every error is one of the PVB_E* codes */
}

/* What a successful decision promises its callers (the pvboot command relies on it). */
static void check_boot(const struct pvb_boot *b)
{
    unsigned i;

    if (!b->kernel.path || b->kernel.vol < 0 || (unsigned)b->kernel.vol >= b->nvols || !b->args ||
        !b->why || (b->ninitrds && !b->initrds))
        abort();
    if (b->menu && (b->entry < 0 || (unsigned)b->entry >= b->menu->count))
        abort();
    for (i = 0; i < b->ninitrds; i++)
        if (!b->initrds[i].path || b->initrds[i].vol < 0 || (unsigned)b->initrds[i].vol >= b->nvols)
            abort();
}

static void extract(struct pvb_boot *b)
{
    uint64_t kn = 0, rn = 0, ks, rs;

    check_rc(pvb_boot_extract(b, sink, &kn, sink, &rn, &ks, &rs));
    if (ks != kn || rs != rn)
        abort();   /* the sizes reported are what the sinks were given */
}

static void run(const uint8_t *img, size_t size, unsigned flags, uint64_t ext_offset)
{
    struct pvb_boot_opts o;
    struct pvb_boot *b = NULL;
    struct pvb_disk *d;
    struct pvb_ctx c;
    unsigned i;
    int rc;

    fuzz_ctx_init(&c);
    c.lim.max_steps = 20000;   /* keep one input fast */
    if (pvb_disk_open_mem(&c, img, size, &d))
        return;
    pvb_boot_opts_init(&o);
    o.load_all = (flags & 0x10) != 0;
    o.entry = flags & 0x20 ? "1" : NULL;
    o.semantics = flags & 0x40 ? PVB_CFG_SEM_FEDORA : PVB_CFG_SEM_AUTO;
    o.offset = flags & 0x80 ? (long long)ext_offset : -1;
    rc = pvb_boot_decide(&c, d, &o, &b);
    check_rc(rc);
    if (rc == 0) {
        check_boot(b);
        extract(b);
        for (i = 0; b->menu && i < b->menu->count && i < CHOICES; i++) {
            rc = pvb_boot_choose(b, i, &o);
            check_rc(rc);
            if (rc == 0) {
                check_boot(b);
                extract(b);
            }
        }
        pvb_boot_free(b);
    } else if (b || !c.msg[0]) {
        abort();   /* a failure hands back nothing, and says why */
    }
    pvb_disk_close(d);
    if (c.mem_used != 0)
        abort();   /* a leak */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootdisk_file files[BD_MAX_FILES + 1];
    struct cfgfuzz f;
    struct bootdisk disk;
    unsigned layout, flags, i, n = 0;

    if (size < 2)
        return 0;
    layout = data[0] % (BD_NLAYOUTS + 1);
    flags = data[1];
    if (layout == RAW) {
        run(data + 2, size - 2, flags & 0x7fu, 0);
        return 0;
    }
    cfgfuzz_split(&f, data + 2, size - 2);
    files[n].path = config_path[flags & 7];
    files[n].plen = strlen(files[n].path);
    files[n].data = f.config;
    files[n++].len = f.config_len;
    for (i = 0; i < f.fs.n && n < BD_MAX_FILES + 1; i++, n++) {
        files[n].path = f.fs.path[i];
        files[n].plen = f.fs.plen[i];
        files[n].data = f.fs.data[i];
        files[n].len = f.fs.dlen[i];
    }
    bootdisk_build((enum bootdisk_layout)layout, (flags & 0x08) != 0, files, n, &disk);
    run(disk.img, disk.size, flags, disk.ext_offset);
    free(disk.img);
    return 0;
}
