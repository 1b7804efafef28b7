/* SPDX-License-Identifier: GPL-2.0-only */
/* Builds small guest disks (fuzz_boot, its seeds, the fault sweeps): two fixed filesystems made once, the caller's files, a partition layout. */
#include <stdlib.h>
#include <string.h>

#include "bootdisk.h"
#include "extbuild.h"
#include "imgbuild.h"
#include "xfsbuild.h"

#define SECT 512u
#define LEAD 64u                 /* sectors before the first partition */
#define DIR_BUDGET 600u          /* dirent bytes the caller's files may take in one directory */

static const char *const dir_path[] = {
    "/", "/boot", "/boot/grub", "/boot/grub2", "/boot/extlinux", "/boot/loader",
    "/boot/loader/entries", "/grub", "/etc",
};
#define NDIRS (sizeof(dir_path) / sizeof(dir_path[0]))

/* Built on first use and never changed after: the harness's one process-wide cache. */
static struct {
    int built;
    struct eb ext;               /* unfinished: files are added to copies of it */
    uint32_t dir_ino[NDIRS];
    struct xb xfs;
} base;

static void fill(uint8_t *buf, size_t n, unsigned seed)
{
    size_t i;

    for (i = 0; i < n; i++)
        buf[i] = (uint8_t)(i * 131u + seed);
}

static void build_ext(void)
{
    static uint8_t data[5000];
    struct eb *e = &base.ext;
    uint32_t *d = base.dir_ino, boot;

    eb_new(e, 0, 128, 160, 64, EB_IN_FILETYPE | EB_IN_EXTENTS | EB_IN_64BIT, 0);
    d[0] = 2;
    d[1] = boot = eb_mkdir(e, 2, "boot", EB_EXTENTS);
    d[2] = eb_mkdir(e, boot, "grub", EB_EXTENTS);
    d[3] = eb_mkdir(e, boot, "grub2", EB_EXTENTS);
    d[4] = eb_mkdir(e, boot, "extlinux", EB_EXTENTS);
    d[5] = eb_mkdir(e, boot, "loader", EB_EXTENTS);
    d[6] = eb_mkdir(e, d[5], "entries", EB_EXTENTS);
    d[7] = eb_mkdir(e, 2, "grub", EB_EXTENTS);
    d[8] = eb_mkdir(e, 2, "etc", EB_EXTENTS);
    fill(data, sizeof(data), 1);
    eb_file(e, boot, "vmlinuz-1", data, 2000, EB_EXTENTS);
    fill(data, sizeof(data), 2);
    eb_file(e, boot, "vmlinuz-2", data, 5000, EB_EXTENTS);
    fill(data, sizeof(data), 3);
    eb_file(e, boot, "initrd-1.img", data, 1001, EB_EXTENTS);   /* not a multiple of 4 */
    fill(data, sizeof(data), 4);
    eb_file(e, boot, "initrd-2.img", data, 300, EB_EXTENTS);
    eb_file(e, boot, "empty", data, 0, EB_EXTENTS);
    eb_symlink(e, 2, "vmlinuz", "boot/vmlinuz-1", EB_EXTENTS);
    eb_symlink(e, boot, "up", "../boot/vmlinuz-2", EB_EXTENTS);
    eb_symlink(e, boot, "abs", "/boot/vmlinuz-1", EB_EXTENTS);
    eb_symlink(e, boot, "loop", "loop", EB_EXTENTS);
    eb_symlink(e, boot, "ping", "pong", EB_EXTENTS);
    eb_symlink(e, boot, "pong", "ping", EB_EXTENTS);
    eb_symlink(e, boot, "dangling", "nowhere", EB_EXTENTS);
    eb_symlink(e, boot, "dirlink", "grub", EB_EXTENTS);
}

static void build_xfs(void)
{
    static const char *const bn[2] = { "vmlinuz-x", "initrd-x.img" };
    static const char *const rn[2] = { "boot", "vmlinuz" };
    static uint8_t data[3000];
    struct xb *x = &base.xfs;
    uint64_t bi[2], ri[2];

    xb_init(x, 1, 10);
    fill(data, sizeof(data), 5);
    bi[0] = xb_file(x, data, sizeof(data));
    fill(data, sizeof(data), 6);
    bi[1] = xb_file(x, data, 77);
    ri[0] = xb_dir_short(x, x->root, 2, bn, bi);
    ri[1] = xb_symlink(x, "boot/vmlinuz-x");
    xb_root_short(x, 2, rn, ri);
    xb_finish(x);
    memcpy(xb_sb(x) + 108, "xfsboot", 7);   /* sb_fname, then the superblock CRC again */
    xb_crc(x->img, SECT, 224);
}

static int find_dir(const char *path, size_t n)
{
    unsigned i;

    for (i = 0; i < NDIRS; i++)
        if (strlen(dir_path[i]) == n && memcmp(dir_path[i], path, n) == 0)
            return (int)i;
    return -1;
}

/* One caller's file into the ext copy, if its directory is known, its name fits
 * and the directory's budget allows; data truncated to the free blocks. */
static int place(struct eb *e, unsigned *budget, const struct bootdisk_file *f)
{
    char name[BD_MAX_NAME + 1];
    const char *slash;
    size_t nl, need, room;
    int k;

    if (f->plen < 2 || f->path[0] != '/')
        return 0;
    for (slash = f->path + f->plen - 1; *slash != '/'; slash--)
        ;
    nl = f->plen - (size_t)(slash + 1 - f->path);
    k = find_dir(f->path, slash == f->path ? 1 : (size_t)(slash - f->path));
    need = (8 + nl + 3) & ~(size_t)3;
    if (k < 0 || nl == 0 || nl > BD_MAX_NAME || memchr(slash + 1, '\0', nl) ||
        budget[k] + need > DIR_BUDGET || e->next_ino > e->inodes)
        return 0;
    memcpy(name, slash + 1, nl);
    name[nl] = '\0';
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return 0;
    budget[k] += (unsigned)need;
    room = (size_t)(e->blocks - e->next_block) * e->bs;
    eb_file(e, base.dir_ino[k], name, f->data, f->len < room ? f->len : room, EB_EXTENTS);
    return 1;
}

/* A copy of the base ext filesystem with the caller's files, finished. */
static void ext_with(const struct bootdisk_file *files, unsigned n, struct eb *e, unsigned *placed)
{
    unsigned budget[NDIRS] = { 0 }, i;

    *e = base.ext;
    e->img = malloc(e->size);
    e->used = malloc(e->blocks);
    if (!e->img || !e->used)
        abort();
    memcpy(e->img, base.ext.img, e->size);
    memcpy(e->used, base.ext.used, e->blocks);
    *placed = 0;
    for (i = 0; i < n && *placed < BD_MAX_FILES; i++)
        *placed += (unsigned)place(e, budget, &files[i]);
    eb_finish(e);
}

static void put(struct bootdisk *d, uint32_t sect, const uint8_t *img, size_t len)
{
    memcpy(d->img + (size_t)sect * SECT, img, len);
}

void bootdisk_build(enum bootdisk_layout layout, int swap, const struct bootdisk_file *files,
                    unsigned n, struct bootdisk *d)
{
    struct ib_gpt_part gp[2] = { { 0, 0, 1, 0, "a" }, { 0, 0, 2, 4, "b" } };
    const uint8_t *img[2];
    uint32_t ns[2], total;
    struct eb e;

    if (!base.built) {
        build_ext();
        build_xfs();
        base.built = 1;
    }
    ext_with(files, n, &e, &d->placed);
    img[swap != 0] = e.img;
    ns[swap != 0] = (uint32_t)(e.size / SECT);
    img[swap == 0] = base.xfs.img;
    ns[swap == 0] = (uint32_t)(base.xfs.size / SECT);
    if (layout == BD_NONE || layout == BD_MSDOS1) {   /* the ext filesystem alone */
        img[0] = e.img;
        ns[0] = (uint32_t)(e.size / SECT);
        ns[1] = 0;
    }
    total = layout == BD_NONE ? ns[0] : LEAD + ns[0] + ns[1] + (layout >= BD_LOGICAL ? LEAD : 0);
    d->size = (size_t)total * SECT;
    d->img = ib_new(d->size);
    switch (layout) {
    case BD_NONE:
        put(d, 0, img[0], (size_t)ns[0] * SECT);
        break;
    case BD_MSDOS1:
    case BD_MSDOS2:
    default:
        ib_mbr_entry(d->img, 0, 0, 0x80, 0x83, LEAD, ns[0]);
        if (ns[1])
            ib_mbr_entry(d->img, 0, 1, 0, 0x83, LEAD + ns[0], ns[1]);
        put(d, LEAD, img[0], (size_t)ns[0] * SECT);
        put(d, LEAD + ns[0], img[1], (size_t)ns[1] * SECT);
        break;
    case BD_LOGICAL:
        /* msdos1: 8 unformatted sectors; the extended partition: an EBR 32 sectors
         * before each logical; EBR links are relative to the extended start. */
        ib_mbr_entry(d->img, 0, 0, 0, 0x83, 32, 8);
        ib_mbr_entry(d->img, 0, 1, 0, 0x05, LEAD, 64 + ns[0] + ns[1]);
        ib_mbr_entry(d->img, (uint64_t)LEAD * SECT, 0, 0, 0x83, 32, ns[0]);
        ib_mbr_entry(d->img, (uint64_t)LEAD * SECT, 1, 0, 0x05, 32 + ns[0], 32 + ns[1]);
        ib_mbr_entry(d->img, (uint64_t)(LEAD + 32 + ns[0]) * SECT, 0, 0, 0x83, 32, ns[1]);
        put(d, LEAD + 32, img[0], (size_t)ns[0] * SECT);
        put(d, LEAD + 64 + ns[0], img[1], (size_t)ns[1] * SECT);
        break;
    case BD_GPT:
        gp[0].first = LEAD;
        gp[0].last = LEAD + ns[0] - 1;
        gp[1].first = LEAD + ns[0];
        gp[1].last = LEAD + ns[0] + ns[1] - 1;
        ib_gpt(d->img, d->size, SECT, gp, 2, 4, 128);
        put(d, LEAD, img[0], (size_t)ns[0] * SECT);
        put(d, LEAD + ns[0], img[1], (size_t)ns[1] * SECT);
        break;
    }
    d->ext_offset = (uint64_t)SECT * (layout == BD_NONE ? 0 :
                                      layout == BD_LOGICAL ? LEAD + 32 + (swap ? 32 + ns[0] : 0) :
                                      LEAD + (swap && ns[1] ? ns[0] : 0));
    eb_free(&e);
}
