/* SPDX-License-Identifier: GPL-2.0-only */
/* pvlvmbuild: write LVM2 PVs and LVs holding given filesystem images into a disk image, rootless. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../suites/unit/lvmbuild.h"

/*
 * usage: pvlvmbuild IMAGE [--vg NAME] [--extent SECTORS] [--absent]
 *                   --pv OFFSET:SIZE [--pv ...] --lv NAME:LAYOUT:FSIMAGE [--lv ...]
 *
 * Each --pv is a PV at that byte offset of IMAGE (the whole disk, or a partition
 * the caller made); --absent adds one more PV to the metadata that is not on the
 * image. LAYOUT places the LV's extents, taken in order from each PV's free ones:
 *   linear      on the first PV          linearN   on PV N (0-based)
 *   striped     over every PV (not the absent one), 64 KiB stripes
 *   multi       three segments: linear on the last PV, striped over all, linear on the first
 *   onabsent    linear on the absent PV (no data written)
 * The LV is the FSIMAGE's size rounded up to whole extents (and stripes), filled with it.
 * Ids are fixed: the VG's, each PV's and each LV's follow their index. Prints one line
 * per LV: its name, the byte of the image where it starts when it is one linear segment
 * (else "striped"), and its lvmid/VGUUID/LVUUID name.
 */

static char ids[2 * LB_MAX + 1][40];

static void die(const char *m)
{
    fprintf(stderr, "pvlvmbuild: %s\n", m);
    exit(1);
}

static const char *make_id(unsigned k, char kind)
{
    snprintf(ids[k], sizeof(ids[k]), "%c%c%04u-0000-4000-8000-0000-0000-%06u", kind, kind == 'V' ? 'g' : 'v', k, k);
    return ids[k];
}

static uint64_t num(const char *s)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s || (*end && *end != ':'))
        die("bad number");
    return v;
}

int main(int argc, char **argv)
{
    static struct lb_vg vg;
    static uint64_t next[LB_MAX];   /* each PV's first free extent */
    const char *fsimg[LB_MAX];
    uint64_t ext, img_size;
    unsigned npresent = 0, i, k;
    int fd, a, absent = 0;
    struct stat st;
    uint8_t *img;

    if (argc < 2)
        die("usage: pvlvmbuild IMAGE [--vg NAME] [--extent SECTORS] [--absent] --pv OFF:SIZE... --lv NAME:LAYOUT:FS...");
    vg.name = "vg";
    vg.id = make_id(0, 'V');
    vg.extent = 2048;
    for (a = 2; a < argc; a++) {
        if (!strcmp(argv[a], "--vg") && a + 1 < argc) {
            vg.name = argv[++a];
        } else if (!strcmp(argv[a], "--extent") && a + 1 < argc) {
            vg.extent = num(argv[++a]);
        } else if (!strcmp(argv[a], "--absent")) {
            absent = 1;
        } else if (!strcmp(argv[a], "--pv") && a + 1 < argc) {
            const char *c = strchr(argv[++a], ':');

            if (!c || vg.npvs == LB_MAX)
                die("--pv OFFSET:SIZE");
            vg.pv[vg.npvs].offset = num(argv[a]);
            vg.pv[vg.npvs].size = num(c + 1);
            vg.pv[vg.npvs].id = make_id(1 + vg.npvs, 'P');
            vg.npvs++;
        } else if (!strcmp(argv[a], "--lv") && a + 1 < argc) {
            char *s = argv[++a], *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

            if (!c2 || vg.nlvs == LB_MAX)
                die("--lv NAME:LAYOUT:FSIMAGE");
            *c1 = *c2 = '\0';
            vg.lv[vg.nlvs].name = s;
            vg.lv[vg.nlvs].id = make_id(1 + LB_MAX + vg.nlvs, 'L');
            vg.lv[vg.nlvs].seg[0].type = c1 + 1;   /* the layout, for now */
            fsimg[vg.nlvs++] = c2 + 1;
        } else {
            die("unknown argument");
        }
    }
    if (vg.npvs == 0)
        die("no --pv");
    npresent = vg.npvs;
    if (absent) {
        if (vg.npvs == LB_MAX)
            die("too many PVs");
        vg.pv[vg.npvs].id = make_id(1 + vg.npvs, 'P');
        vg.pv[vg.npvs].offset = 0;
        vg.pv[vg.npvs].size = 64 << 20;
        vg.pv[vg.npvs].absent = 1;
        vg.npvs++;
    }
    ext = vg.extent * 512;
    for (i = 0; i < vg.nlvs; i++) {
        struct lb_lv *lv = &vg.lv[i];
        const char *layout = lv->seg[0].type;
        uint64_t n, per;

        if (stat(fsimg[i], &st) != 0)
            die("cannot stat a filesystem image");
        n = ((uint64_t)st.st_size + ext - 1) / ext;
        memset(lv->seg, 0, sizeof(lv->seg));
        if (!strcmp(layout, "striped") || !strcmp(layout, "multi")) {
            int multi = !strcmp(layout, "multi");
            uint64_t m = multi ? (n > 2 ? (n - 2 + npresent - 1) / npresent : 1) : (n + npresent - 1) / npresent;
            unsigned s;

            /* striped: m extents on each PV; multi: 1 extent on the last PV, then
             * m on each PV striped, then the rest (at least 1) on the first PV */
            lv->nsegs = multi ? 3 : 1;
            for (s = 0; s < lv->nsegs; s++) {
                struct lb_seg *g = &lv->seg[s];
                unsigned pv = s == 0 ? npresent - 1 : 0;

                g->start = s == 0 ? 0 : lv->seg[s - 1].start + lv->seg[s - 1].count;
                if (!multi || s == 1) {
                    g->count = m * npresent;
                    g->nstripes = npresent;
                    g->stripe_size = 128;
                    per = m;
                    for (k = 0; k < npresent; k++) {
                        g->st[k].pv = k;
                        g->st[k].pe = next[k];
                        next[k] += per;
                    }
                    continue;
                }
                g->count = s == 0 ? 1 : (n > 1 + m * npresent ? n - 1 - m * npresent : 1);
                g->nstripes = 1;
                g->st[0].pv = pv;
                g->st[0].pe = next[pv];
                next[pv] += g->count;
            }
        } else {
            unsigned pv = 0;

            if (!strcmp(layout, "onabsent")) {
                if (!absent)
                    die("onabsent needs --absent");
                pv = vg.npvs - 1;
            } else if (!strncmp(layout, "linear", 6)) {
                pv = layout[6] ? (unsigned)num(layout + 6) : 0;
            } else {
                die("unknown layout");
            }
            if (pv >= vg.npvs)
                die("no such PV");
            lv->nsegs = 1;
            lv->seg[0].count = n;
            lv->seg[0].nstripes = 1;
            lv->seg[0].st[0].pv = pv;
            lv->seg[0].st[0].pe = next[pv];
            next[pv] += n;
        }
    }
    for (k = 0; k < vg.npvs; k++)
        if (next[k] * ext + 2048 * 512 > vg.pv[k].size)
            die("the LVs do not fit on a PV");
    fd = open(argv[1], O_RDWR);
    if (fd < 0 || fstat(fd, &st) != 0)
        die("cannot open the image");
    img_size = (uint64_t)st.st_size;
    for (k = 0; k < npresent; k++)
        if (vg.pv[k].offset + vg.pv[k].size > img_size)
            die("a PV is past the end of the image");
    img = mmap(NULL, (size_t)img_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (img == MAP_FAILED)
        die("cannot map the image");
    for (k = 0; k < npresent; k++)
        lb_write_pv(img, &vg, k, NULL, 0);
    for (i = 0; i < vg.nlvs; i++) {
        int ffd;
        uint8_t *data;

        if (vg.lv[i].seg[0].st[0].pv >= npresent)
            continue;
        ffd = open(fsimg[i], O_RDONLY);
        if (ffd < 0 || fstat(ffd, &st) != 0)
            die("cannot open a filesystem image");
        if (st.st_size == 0) {
            close(ffd);
            continue;
        }
        data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, ffd, 0);
        if (data == MAP_FAILED)
            die("cannot map a filesystem image");
        lb_lv_write(img, &vg, i, data, (size_t)st.st_size, 0);
        munmap(data, (size_t)st.st_size);
        close(ffd);
    }
    if (munmap(img, (size_t)img_size) != 0 || fsync(fd) != 0 || close(fd) != 0)
        die("cannot write the image");
    for (i = 0; i < vg.nlvs; i++) {
        const struct lb_lv *lv = &vg.lv[i];
        const struct lb_stripe *s0 = &lv->seg[0].st[0];

        if (lv->nsegs == 1 && lv->seg[0].nstripes == 1)
            printf("%s %llu lvmid/%s/%s\n", lv->name,
                   (unsigned long long)(vg.pv[s0->pv].offset + 2048 * 512 + s0->pe * ext), vg.id, lv->id);
        else
            printf("%s striped lvmid/%s/%s\n", lv->name, vg.id, lv->id);
    }
    return 0;
}
