/* SPDX-License-Identifier: GPL-2.0-only */
/* pvcfg: evaluate a config case directory (or a config file) with libpvboot's engines.
 *
 * usage: pvcfg [--all] [--uuid=U] [--label=L] CASEDIR
 *          reads CASEDIR/expect for config:, format: and semantics:, evaluates
 *          CASEDIR/tree/<config> with every file under tree/ on one volume
 *          "hd0,msdos1" (fs UUID U, label L) and prints the result in the
 *          expect format (format, semantics, entry, title, kernel, initrd,
 *          args or error) followed by "menu N: ..." and "warning: ..." lines.
 *        pvcfg --check FILE          grub-script-check's verdict: exit 0 or 1
 *        pvcfg --file=FORMAT [--path=P] FILE
 *                                    evaluate one file, no tree
 *        pvcfg --bench=N --file=FORMAT FILE
 *                                    parse+evaluate N times, print MB/s and us/run
 *        pvcfg --help | --version
 * Exit status: 0 evaluated (whatever the result), 2 usage or a bad case.
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cfg/cfg.h"
#include "util/mem.h"
#include "util/version.h"

#define DEVICE "hd0,msdos1"

struct casefs {
    char tree[PATH_MAX];      /* realpath of CASEDIR/tree */
    const char *uuid, *label;
};

/* The usage: on stdout for --help (exit 0), on stderr for a usage error (exit 2). */
static int usage(FILE *f, int status)
{
    fprintf(f, "usage: pvcfg [--all] [--uuid=U] [--label=L] CASEDIR\n"
               "       pvcfg --check FILE\n"
               "       pvcfg [--bench=N] --file=grub2|grub1|extlinux|lilo|sdboot [--path=P] FILE\n"
               "       pvcfg --help | --version\n");
    return fflush(f) != 0 || ferror(f) ? 2 : status;
}

/* The host path of path under the tree, refusing anything that resolves outside it. */
static int host_path(const struct casefs *fs, const char *dev, const char *path, char *out)
{
    char joined[PATH_MAX * 2];
    size_t n = strlen(fs->tree);

    if (dev[0] && !pvb_cfg_dev_same(dev, DEVICE))
        return PVB_ENOTFOUND;
    snprintf(joined, sizeof(joined), "%s/%s", fs->tree, path);
    if (!realpath(joined, out))
        return PVB_ENOTFOUND;
    if (strncmp(out, fs->tree, n) != 0 || (out[n] != '/' && out[n] != '\0'))
        return PVB_ENOTFOUND;
    return 0;
}

static int read_file(void *arg, struct pvb_ctx *c, const char *dev, const char *path, size_t max,
                     char **buf, size_t *len)
{
    char hp[PATH_MAX];
    struct stat st;
    FILE *f;
    int rc = host_path(arg, dev, path, hp);

    if (rc)
        return pvb_fail(c, rc, "%s: not found", path);
    if (stat(hp, &st) != 0 || !S_ISREG(st.st_mode))
        return pvb_fail(c, PVB_ENOTFOUND, "%s: not a file", path);
    if ((unsigned long long)st.st_size > max)
        return pvb_fail(c, PVB_ELIMIT, "%s: larger than %zu bytes", path, max);
    *buf = pvb_alloc(c, (size_t)st.st_size + 1, "file");
    if (!*buf)
        return c->err;
    f = fopen(hp, "rb");
    *len = f ? fread(*buf, 1, (size_t)st.st_size, f) : 0;
    if (!f || ferror(f) || *len != (size_t)st.st_size) {
        if (f)
            fclose(f);
        pvb_free(c, *buf);
        *buf = NULL;
        return pvb_fail(c, PVB_EIO, "%s: cannot read it", hp);
    }
    fclose(f);
    (*buf)[*len] = '\0';
    return 0;
}

static int read_at(void *arg, struct pvb_ctx *c, const char *dev, const char *path, uint64_t off,
                   void *buf, size_t len)
{
    char hp[PATH_MAX];
    FILE *f;
    size_t got = 0;
    int rc = host_path(arg, dev, path, hp);

    if (rc)
        return pvb_fail(c, rc, "%s: not found", path);
    if (!(f = fopen(hp, "rb")))
        return pvb_fail(c, PVB_ENOTFOUND, "%s: not found", path);
    if (fseeko(f, (off_t)off, SEEK_SET) == 0)
        got = fread(buf, 1, len, f);
    fclose(f);
    if (got != len)
        return pvb_fail(c, PVB_ERANGE, "%s: bytes %llu+%zu past its end", path, (unsigned long long)off, len);
    return 0;
}

static int stat_path(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                     struct pvb_cfg_stat *out)
{
    char hp[PATH_MAX];
    struct stat st;
    int rc = host_path(arg, dev, path, hp);

    if (rc)
        return pvb_fail(c, rc, "%s: not found", path);
    if (stat(hp, &st) != 0)
        return pvb_fail(c, PVB_ENOTFOUND, "%s: not found", path);
    out->is_file = S_ISREG(st.st_mode);
    out->is_dir = S_ISDIR(st.st_mode);
    out->size = (uint64_t)st.st_size;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                    pvb_cfg_name_fn fn, void *fn_arg)
{
    char hp[PATH_MAX], sub[PATH_MAX * 2];
    char *names[4096];
    struct dirent *d;
    struct stat st;
    size_t n = 0, i;
    DIR *dir;
    int rc = host_path(arg, dev, path, hp);

    if (rc || !(dir = opendir(hp)))
        return pvb_fail(c, PVB_ENOTFOUND, "%s: no such directory", path);
    while ((d = readdir(dir)) != NULL && n < 4096)
        if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && (names[n] = strdup(d->d_name)))
            n++;
    closedir(dir);
    qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", hp, names[i]);
        if (!rc)
            rc = fn(fn_arg, names[i], stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
        free(names[i]);
    }
    return rc;
}

static int search(void *arg, struct pvb_ctx *c, enum pvb_cfg_search kind, const char *key,
                  char *dev, size_t cap)
{
    struct casefs *fs = arg;
    char hp[PATH_MAX];
    int hit;

    (void)c;
    if (kind == PVB_CFG_SEARCH_UUID)
        hit = strcasecmp(key, fs->uuid) == 0;   /* search.c compares UUIDs ignoring case */
    else if (kind == PVB_CFG_SEARCH_LABEL)
        hit = strcmp(key, fs->label) == 0;
    else
        hit = host_path(fs, "", key, hp) == 0;
    if (!hit)
        return PVB_ENOTFOUND;
    snprintf(dev, cap, "%s", DEVICE);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n;

    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len + 65536 + 1 > cap) {
            char *nb;
            cap = cap ? 2 * cap : 131072;
            nb = realloc(buf, cap);
            if (!nb)
                break;
            buf = nb;
        }
        n = fread(buf + *len, 1, cap - *len - 1, f);
        if (n == 0)
            break;
        *len += n;
    }
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

static void print_warning(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;   /* the menu's warnings are printed with the result */
}

static const char *error_class(int rc, const struct pvb_menu *m)
{
    switch (rc) {
    case PVB_ESYNTAX: return "syntax";
    case PVB_ELIMIT: return "limit";
    case PVB_ENOBOOT:
        return m && m->chosen >= 0 && m->entries[m->chosen].unbootable ? "unbootable" : "no-entry";
    default: return "other";
    }
}

static void print_result(int rc, struct pvb_ctx *c, struct pvb_menu *m)
{
    unsigned i, j;

    if (m) {
        printf("format: %s\n", m->engine->name);
        if (m->engine == &pvb_engine_grub2)
            printf("semantics: %s\n", pvb_cfg_semantics_name(m->semantics));
    }
    if (rc) {
        printf("error: %s\n", error_class(rc, m));
        printf("message: %s\n", pvb_ctx_msg(c));
    }
    if (m && !rc && m->chosen >= 0) {
        const struct pvb_cfg_entry *e = &m->entries[m->chosen];
        printf("entry: %d\ntitle: %s\nkernel: %s\n", m->chosen, e->title, e->kernel.path);
        for (j = 0; j < e->ninitrd; j++)
            printf("initrd: %s\n", e->initrd[j].path);
        printf("args: %s\n", e->args ? e->args : "");
        if (e->kernel.dev && e->kernel.dev[0])
            printf("kernel-device: %s\n", e->kernel.dev);
        if (e->kernel.slice)
            printf("kernel-range: %llu+%llu\n", (unsigned long long)e->kernel.off,
                   (unsigned long long)e->kernel.len);
        for (j = 0; j < e->ninitrd; j++)
            if (e->initrd[j].slice)
                printf("initrd-range: %s %llu+%llu\n", e->initrd[j].path,
                       (unsigned long long)e->initrd[j].off, (unsigned long long)e->initrd[j].len);
        for (j = 0; j < e->ninitrd; j++)
            if (e->initrd[j].dev[0])
                printf("initrd-device: %s %s\n", e->initrd[j].dev, e->initrd[j].path);
    }
    if (!m)
        return;
    if (m->why)
        printf("chosen-because: %s\n", m->why);
    printf("timeout: %d\n", m->timeout);
    if (m->chosen >= 0)
        printf("chosen: %d\n", m->chosen);
    for (i = 0; i < m->nfallback; i++)
        printf("fallback: %d\n", m->fallback[i]);
    for (i = 0; i < m->count; i++) {
        const struct pvb_cfg_entry *e = &m->entries[i];
        printf("menu %u: %s%s%s [id %s] (%s:%u)", i, e->submenu, e->submenu[0] ? ">" : "",
               e->title, e->id, e->file, e->line);
        if (e->loaded && e->kernel.path)
            printf(" kernel %s", e->kernel.path);
        if (e->loaded && e->unbootable)
            printf(" unbootable: %s", e->unbootable);
        printf("\n");
    }
    for (i = 0; i < m->nwarnings; i++)
        printf("warning: %s:%u: %s\n", m->warnings[i].file, m->warnings[i].line, m->warnings[i].msg);
}

struct expect {
    char config[PATH_MAX];
    char format[32];
    char semantics[32];
};

static const char *const keys[] = {
    "why", "config", "format", "semantics", "oracle", "title", "entry", "kernel", "initrd",
    "args", "error", "corpus", NULL
};

/* Reads the inputs out of an expect file; an unknown key is a bad case. */
static int read_expect(const char *dir, struct expect *x)
{
    char path[PATH_MAX], line[8192];
    FILE *f;
    int lineno = 0, bad = 0;

    memset(x, 0, sizeof(*x));
    snprintf(path, sizeof(path), "%s/expect", dir);
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "pvcfg: %s: cannot open\n", path);
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':'), *v;
        unsigned i;
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0])
            continue;
        if (!colon) {
            fprintf(stderr, "pvcfg: %s:%d: not 'key: value'\n", path, lineno);
            bad = 1;
            continue;
        }
        *colon = '\0';
        v = colon + 1;
        if (*v == ' ')
            v++;
        for (i = 0; keys[i] && strcmp(keys[i], line); i++)
            ;
        if (!keys[i]) {
            fprintf(stderr, "pvcfg: %s:%d: unknown key '%s'\n", path, lineno, line);
            bad = 1;
        } else if (!strcmp(line, "config")) {
            snprintf(x->config, sizeof(x->config), "%s", v);
        } else if (!strcmp(line, "format")) {
            snprintf(x->format, sizeof(x->format), "%s", v);
        } else if (!strcmp(line, "semantics")) {
            snprintf(x->semantics, sizeof(x->semantics), "%s", v);
        }
    }
    fclose(f);
    if (!x->config[0] || !x->format[0]) {
        fprintf(stderr, "pvcfg: %s: needs config: and format:\n", path);
        bad = 1;
    }
    return bad ? -1 : 0;
}

static int run_case(const char *dir, unsigned flags, const char *uuid, const char *label)
{
    struct casefs fs;
    struct pvb_cfg_env env = { .arg = &fs, .read_file = read_file, .stat = stat_path,
                              .list_dir = list_dir, .search = search, .read_at = read_at };
    struct pvb_cfg_opts o;
    struct pvb_menu *m = NULL;
    struct expect x;
    struct pvb_ctx c;
    char path[PATH_MAX * 2], *buf = NULL;
    size_t len;
    int rc;

    if (read_expect(dir, &x))
        return 2;
    snprintf(path, sizeof(path), "%s/tree", dir);
    if (!realpath(path, fs.tree)) {
        fprintf(stderr, "pvcfg: %s: no tree\n", path);
        return 2;
    }
    fs.uuid = uuid;
    fs.label = label;
    pvb_ctx_init(&c);
    c.warn = print_warning;
    pvb_cfg_opts_init(&o);
    o.engine = pvb_cfg_engine_find(x.format);
    o.semantics = !strcmp(x.semantics, "fedora") ? PVB_CFG_SEM_FEDORA :
                  !strcmp(x.semantics, "suse") ? PVB_CFG_SEM_SUSE :
                  !strcmp(x.semantics, "upstream") ? PVB_CFG_SEM_UPSTREAM : PVB_CFG_SEM_AUTO;
    o.path = x.config;
    o.device = DEVICE;
    o.flags = flags;
    if (!o.engine) {
        fprintf(stderr, "pvcfg: unknown format %s\n", x.format);
        return 2;
    }
    rc = read_file(&fs, &c, "", x.config, c.lim.max_config, &buf, &len);
    if (rc == PVB_ELIMIT) {
        printf("format: %s\nerror: limit\nmessage: %s\n", x.format, pvb_ctx_msg(&c));
        return 0;
    }
    if (rc) {
        fprintf(stderr, "pvcfg: %s: %s\n", x.config, pvb_ctx_msg(&c));
        return 2;
    }
    rc = pvb_cfg_eval(&c, &o, &env, buf, len, &m);
    print_result(rc, &c, m);
    pvb_menu_free(m);
    pvb_free(&c, buf);
    if (c.mem_used) {
        fprintf(stderr, "pvcfg: %zu bytes leaked\n", c.mem_used);
        return 3;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;

    /* CPU time of this process: the machine is shared, wall time would measure the neighbours. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_file(const char *file, const char *format, const char *path, long bench)
{
    struct pvb_cfg_opts o;
    struct pvb_menu *m = NULL;
    struct pvb_ctx c;
    size_t len;
    char *buf = slurp(file, &len);
    long i;
    int rc = 0;
    double t0;

    if (!buf) {
        fprintf(stderr, "pvcfg: %s: cannot read\n", file);
        return 2;
    }
    pvb_ctx_init(&c);
    pvb_cfg_opts_init(&o);
    o.engine = pvb_cfg_engine_find(format);
    if (path)
        o.path = path;
    if (!o.engine) {
        free(buf);
        return usage(stderr, 2);
    }
    if (bench > 0) {
        /* The best of five batches: the machine is shared, the best batch is the least disturbed. */
        double best = 0;
        int batch;
        for (batch = 0; batch < 5; batch++) {
            t0 = now();
            for (i = 0; i < bench; i++) {
                rc = pvb_cfg_eval(&c, &o, NULL, buf, len, &m);
                pvb_menu_free(m);
            }
            t0 = now() - t0;
            if (batch == 0 || t0 < best)
                best = t0;
        }
        printf("%s: %zu bytes, best of 5 x %ld runs: %.1f us/run, %.1f MB/s (last rc %d)\n", file, len,
               bench, best / (double)bench * 1e6, (double)len * (double)bench / best / 1e6, rc);
        free(buf);
        return 0;
    }
    rc = pvb_cfg_eval(&c, &o, NULL, buf, len, &m);
    print_result(rc, &c, m);
    pvb_menu_free(m);
    free(buf);
    return 0;
}

static int run_check(const char *file)
{
    struct pvb_ctx c;
    size_t len;
    char *buf = slurp(file, &len), msg[200];
    unsigned line = 0;
    int rc;

    if (!buf) {
        fprintf(stderr, "pvcfg: %s: cannot read\n", file);
        return 2;
    }
    pvb_ctx_init(&c);
    rc = pvb_cfg_grub2_check(&c, buf, len, &line, msg, sizeof(msg));
    free(buf);
    if (rc == PVB_ESYNTAX) {
        printf("syntax error at line %u: %s\n", line, msg);
        return 1;
    }
    if (rc == 1) {
        printf("no commands\n");
        return 1;
    }
    if (rc) {
        printf("error: %s\n", pvb_ctx_msg(&c));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *uuid = "11111111-2222-3333-4444-555555555555", *label = "pvboot";
    const char *format = NULL, *path = NULL;
    unsigned flags = 0;
    long bench = 0;
    int i;

    for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--help"))
            return usage(stdout, 0);
        if (!strcmp(argv[i], "--version")) {
            printf("pvcfg %s\n", pvb_version());
            return fflush(stdout) != 0 || ferror(stdout) ? 2 : 0;
        }
        if (!strcmp(argv[i], "--all"))
            flags |= PVB_CFG_LOAD_ALL;
        else if (!strncmp(argv[i], "--uuid=", 7))
            uuid = argv[i] + 7;
        else if (!strncmp(argv[i], "--label=", 8))
            label = argv[i] + 8;
        else if (!strcmp(argv[i], "--check") && i + 2 == argc)
            return run_check(argv[i + 1]);
        else if (!strncmp(argv[i], "--file=", 7))
            format = argv[i] + 7;
        else if (!strncmp(argv[i], "--path=", 7))
            path = argv[i] + 7;
        else if (!strncmp(argv[i], "--bench=", 8))
            bench = strtol(argv[i] + 8, NULL, 10);
        else
            return usage(stderr, 2);
    }
    if (i + 1 != argc)
        return usage(stderr, 2);
    if (format)
        return run_file(argv[i], format, path, bench);
    return run_case(argv[i], flags, uuid, label);
}
