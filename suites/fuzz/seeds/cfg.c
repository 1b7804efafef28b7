/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for the config fuzz targets: every case under suites/configs packed as cfgfuzz.h describes. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../cfgfuzz.h"
#include "seeds.h"

#define MAX_SEED (1 << 20)

struct pack {
    uint8_t *buf;
    size_t len;
    int bls;                  /* collect only the BLS entries (loader/entries), by file name */
};

static size_t slurp(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return 0;
    n = fread(out, 1, cap, f);
    fclose(f);
    return n;
}

static void put(struct pack *p, const void *b, size_t n)
{
    if (p->len + n <= MAX_SEED) {
        memcpy(p->buf + p->len, b, n);
        p->len += n;
    }
}

static void add_file(struct pack *p, const char *host, const char *rel)
{
    static uint8_t data[MAX_SEED];
    size_t n = slurp(host, data, sizeof(data));
    const char *name = rel;

    if (p->bls) {
        const char *e = strstr(rel, "loader/entries/");
        size_t l = strlen(rel);
        if (!e || l < 5 || strcmp(rel + l - 5, ".conf") != 0)
            return;
        name = e + 15;
    }
    put(p, "\x01", 1);
    if (!p->bls)
        put(p, "/", 1);
    put(p, name, strlen(name));
    put(p, "\n", 1);
    put(p, data, n);
}

/* Every regular file (symlinks followed) under dir, in name order. */
static void walk(struct pack *p, const char *dir, const char *rel, int depth)
{
    struct dirent **names;
    int i, n;

    if (depth > 16 || (n = scandir(dir, &names, NULL, alphasort)) < 0)
        return;
    for (i = 0; i < n; i++) {
        char host[4096], sub[4096];
        struct stat st;
        if (names[i]->d_name[0] != '.' || (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))) {
            snprintf(host, sizeof(host), "%s/%s", dir, names[i]->d_name);
            snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", names[i]->d_name);
            if (stat(host, &st) == 0 && S_ISDIR(st.st_mode))
                walk(p, host, sub, depth + 1);
            else if (S_ISREG(st.st_mode))
                add_file(p, host, sub);
        }
        free(names[i]);
    }
    free(names);
}

static void expect_value(const char *expect, const char *key, char *out, size_t cap)
{
    FILE *f = fopen(expect, "r");
    char line[4096];
    size_t k = strlen(key);

    out[0] = '\0';
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, key, k) && line[k] == ':') {
            line[strcspn(line, "\n")] = '\0';
            snprintf(out, cap, "%s", line + k + 2);
        }
    if (f)
        fclose(f);
}

static void one_case(const char *out, const char *dir, const char *name)
{
    static uint8_t buf[MAX_SEED];
    char expect[4096], tree[4096], config[4096], format[64], host[8300], seed[512];
    struct pack p = { buf, 0, 0 };
    const char *target;
    size_t i;

    snprintf(expect, sizeof(expect), "%s/expect", dir);
    snprintf(tree, sizeof(tree), "%s/tree", dir);
    expect_value(expect, "config", config, sizeof(config));
    expect_value(expect, "format", format, sizeof(format));
    snprintf(seed, sizeof(seed), "%s", name);
    for (i = 0; seed[i]; i++)
        if (seed[i] == '/')
            seed[i] = '_';
    target = !strcmp(format, "grub2") ? "fuzz_grub2" : !strcmp(format, "grub1") ? "fuzz_grub1" :
             !strcmp(format, "extlinux") ? "fuzz_extlinux" : !strcmp(format, "sdboot") ? "fuzz_sdboot" :
             NULL;
    if (target) {
        snprintf(host, sizeof(host), "%s%s", tree, config);
        p.len = slurp(host, buf, sizeof(buf) / 2);
        walk(&p, tree, "", 0);
        seed_put(out, target, seed, buf, p.len);
    }
    p.len = 0;
    p.bls = 1;
    walk(&p, tree, "", 0);
    if (p.len)
        seed_put(out, "fuzz_bls", seed, buf, p.len);
    /* Every grubenv as it is. */
    for (i = 0; i < 2; i++) {
        static const char *const where[] = { "boot/grub/grubenv", "boot/grub2/grubenv" };
        snprintf(host, sizeof(host), "%s/%s", tree, where[i]);
        p.len = slurp(host, buf, sizeof(buf));
        if (p.len)
            seed_put(out, "fuzz_grubenv", seed, buf, p.len);
    }
}

static void find_cases(const char *out, const char *dir, const char *rel, int depth)
{
    struct dirent **names;
    char expect[4096];
    struct stat st;
    int i, n;

    snprintf(expect, sizeof(expect), "%s/expect", dir);
    if (stat(expect, &st) == 0) {
        one_case(out, dir, rel);
        return;
    }
    if (depth > 6 || (n = scandir(dir, &names, NULL, alphasort)) < 0)
        return;
    for (i = 0; i < n; i++) {
        char sub[4096], subrel[4096];
        if (names[i]->d_name[0] != '.') {
            snprintf(sub, sizeof(sub), "%s/%s", dir, names[i]->d_name);
            snprintf(subrel, sizeof(subrel), "%s%s%s", rel, rel[0] ? "/" : "", names[i]->d_name);
            if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                find_cases(out, sub, subrel, depth + 1);
        }
        free(names[i]);
    }
    free(names);
}

void seeds_cfg(const char *dir)
{
    static const uint8_t grubenv[] = "# GRUB Environment Block\nsaved_entry=b\nnext_entry=1\nkernelopts=ro \\\\x\n";

    /* The cases are read from the source tree (mkseeds runs at the top of it). */
    find_cases(dir, "suites/configs", "", 0);
    seed_put(dir, "fuzz_grubenv", "minimal", grubenv, sizeof(grubenv) - 1);
}
