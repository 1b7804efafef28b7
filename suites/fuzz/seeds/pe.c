/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_pe (UKIs and an add-on) and fuzz_sdboot (an ESP packed as loader.conf + files). */
#include <string.h>

#include "../../unit/pebuild.h"
#include "seeds.h"

static uint8_t img[3][2048];

static size_t uki(unsigned slot, const char *osrel, const char *cmdline, int with_linux)
{
    struct pe_sec s[5];
    unsigned n = 0;

    s[n].name = ".text", s[n].data = "stub", s[n++].len = 4;
    if (osrel)
        s[n].name = ".osrel", s[n].data = osrel, s[n++].len = strlen(osrel);
    if (cmdline)
        s[n].name = ".cmdline", s[n].data = cmdline, s[n++].len = strlen(cmdline) + 1;
    if (with_linux) {
        s[n].name = ".linux", s[n].data = "KERNEL", s[n++].len = 6;
        s[n].name = ".initrd", s[n].data = "INITRD", s[n++].len = 6;
    }
    return pebuild(img[slot], sizeof(img[slot]), 0x8664, s, n);
}

static size_t put(uint8_t *out, size_t at, const char *path, const void *data, size_t len)
{
    out[at++] = 0x01;
    memcpy(out + at, path, strlen(path));
    at += strlen(path);
    out[at++] = '\n';
    memcpy(out + at, data, len);
    return at + len;
}

void seeds_pe(const char *dir)
{
    static uint8_t esp[16384];
    static const char conf[] = "timeout 3\ndefault debian*\n";
    static const char t1[] = "title Arch\nsort-key arch\nversion 6.6\nlinux /vmlinuz\ninitrd /ird\n"
                             "options root=/dev/xvda2 rw\noptions quiet\n";
    static const char t2[] = "title UKI by path\nuki /EFI/Linux/debian.efi\noptions console=hvc0\n";
    size_t a = uki(0, "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12\"\nVERSION_ID=12\n", "root=/dev/xvda2 ro", 1);
    size_t b = uki(1, NULL, "debug\n", 0);
    size_t c = uki(2, "ID=fedora\nVERSION_ID=40\n", NULL, 0);
    size_t n = sizeof(conf) - 1;

    seed_put(dir, "fuzz_pe", "uki", img[0], a);
    seed_put(dir, "fuzz_pe", "addon", img[1], b);
    seed_put(dir, "fuzz_pe", "no-linux", img[2], c);
    memcpy(esp, conf, n);
    n = put(esp, n, "/loader/entries/arch+2-1.conf", t1, sizeof(t1) - 1);
    n = put(esp, n, "/loader/entries/by-path.conf", t2, sizeof(t2) - 1);
    n = put(esp, n, "/vmlinuz", "K", 1);
    n = put(esp, n, "/EFI/Linux/debian.efi", img[0], a);
    n = put(esp, n, "/EFI/Linux/debian.efi.extra.d/a.addon.efi", img[1], b);
    n = put(esp, n, "/EFI/Linux/fedora.efi", img[2], c);
    seed_put(dir, "fuzz_sdboot", "esp", esp, n);
}
