/* SPDX-License-Identifier: GPL-2.0-only */
/* Whether a program would run under a binfmt_misc emulator (qemu-i386 where the kernel has no
 * IA32 emulation: ci/enable-i386 registers it). Such a run times the emulator, not the build,
 * and its address-space limit leaves qemu no room: the benchmark must not quote it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"
#define HEAD_MAX 128   /* binfmt_misc's own limit on offset + magic length */

static int hexbytes(const char *s, unsigned char *out, size_t max)
{
    size_t n = 0;
    unsigned v;

    while (s[0] && s[0] != '\n' && n < max) {
        if (sscanf(s, "%2x", &v) != 1)
            return -1;
        out[n++] = (unsigned char)v;
        s += 2;
    }
    return (int)n;
}

/* One entry of BINFMT_DIR: does it claim a file starting with head? Its interpreter into interp. */
static int claims(const char *entry, const unsigned char *head, size_t nhead, char *interp, size_t ninterp)
{
    unsigned char magic[HEAD_MAX], mask[HEAD_MAX];
    char line[512];
    int enabled = 0, nmagic = -1, nmask = -1;
    unsigned long offset = 0;
    FILE *f = fopen(entry, "r");
    int i;

    if (!f)
        return 0;
    interp[0] = '\0';
    while (fgets(line, sizeof(line), f)) {
        if (strcmp(line, "enabled\n") == 0)
            enabled = 1;
        else if (strncmp(line, "interpreter ", 12) == 0)
            snprintf(interp, ninterp, "%.*s", (int)strcspn(line + 12, "\n"), line + 12);
        else if (strncmp(line, "offset ", 7) == 0)
            offset = strtoul(line + 7, NULL, 10);
        else if (strncmp(line, "magic ", 6) == 0)
            nmagic = hexbytes(line + 6, magic, sizeof(magic));
        else if (strncmp(line, "mask ", 5) == 0)
            nmask = hexbytes(line + 5, mask, sizeof(mask));
    }
    fclose(f);
    /* An extension entry ("extension .exe") has no magic: not ours to judge. */
    if (!enabled || nmagic <= 0 || offset > nhead || (size_t)nmagic > nhead - offset)
        return 0;
    for (i = 0; i < nmagic; i++) {
        unsigned char m = i < nmask ? mask[i] : 0xff;
        if ((head[offset + (size_t)i] & m) != (magic[i] & m))
            return 0;
    }
    return 1;
}

int bn_emulated(const char *path, char *why, size_t n)
{
    unsigned char head[HEAD_MAX];
    char entry[512], interp[256];
    struct dirent *e;
    size_t nhead;
    FILE *f = fopen(path, "rb");
    const char *dir;
    DIR *d;
    int found = 0;

    if (!f)
        return 0;
    nhead = fread(head, 1, sizeof(head), f);
    fclose(f);
    /* The suites point it at entries of their own (suites/bench/smoke.test). */
    if (!(dir = getenv("PVBENCH_BINFMT_DIR")))
        dir = BINFMT_DIR;
    if (!(d = opendir(dir)))
        return 0;   /* no binfmt_misc: the kernel runs it or refuses it */
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "status") || !strcmp(e->d_name, "register"))
            continue;
        snprintf(entry, sizeof(entry), "%s/%s", dir, e->d_name);
        if (claims(entry, head, nhead, interp, sizeof(interp))) {
            snprintf(why, n, "%s runs under %s (binfmt_misc entry %s): the times would be the emulator's",
                     path, interp[0] ? interp : "an emulator", e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}
