/* SPDX-License-Identifier: GPL-2.0-only */
/* Runs a fuzz target over files, for compilers without libFuzzer (gcc, the 32-bit build).
 *
 * usage: fuzz_X [FILE|DIR]...
 * Without arguments it replays $PVB_SEEDS/<name>/ and suites/fuzz/crashes/<name>/,
 * where <name> is the program's own name. Prints one TAP line per input set;
 * a crash is the failure (run it under ASan to see memory errors).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../fuzz.h"

static int run_file(const char *path, unsigned *count)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!f) {
        fprintf(stderr, "replay: %s: cannot open\n", path);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *nb;
            cap = cap ? 2 * cap : 65536;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    (*count)++;
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's files in name order, so runs are repeatable. */
static int run_path(const char *path, unsigned *count, int must_exist)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (stat(path, &st) != 0)
        return must_exist ? -1 : 0;
    if (!S_ISDIR(st.st_mode))
        return run_file(path, count);
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char **nn;
        if (e->d_name[0] == '.')
            continue;
        nn = realloc(names, (n + 1) * sizeof(*names));
        if (!nn)
            break;
        names = nn;
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (!names[n])
            break;
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp);
    for (i = 0; i < n; i++) {
        if (run_file(names[i], count) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    const char *seeds = getenv("PVB_SEEDS");
    unsigned count = 0;
    char path[4096];
    int i, rc = 0;

    if (argc > 1) {
        for (i = 1; i < argc; i++)
            if (run_path(argv[i], &count, 1) != 0)
                rc = 1;
    } else {
        if (seeds) {
            snprintf(path, sizeof(path), "%s/%s", seeds, name);
            if (run_path(path, &count, 0) != 0)
                rc = 1;
        }
        snprintf(path, sizeof(path), "suites/fuzz/crashes/%s", name);
        if (run_path(path, &count, 0) != 0)
            rc = 1;
    }
    printf("1..1\n%s 1 - %s replayed %u inputs without a crash\n", rc || count == 0 ? "not ok" : "ok",
           name, count);
    return rc || count == 0;
}
