/* SPDX-License-Identifier: GPL-2.0-only */
/* Option parsing with the rules of Python's getopt.gnu_getopt, which pygrub uses:
 * long options may be abbreviated to a unique prefix, take "--o=v" or "--o v",
 * short options cluster, operands may come anywhere unless POSIXLY_CORRECT is
 * set, and "--" ends the options. Messages and statuses are pygrub's.
 * --version is pvboot's and is matched only when written out in full, so that
 * every abbreviation pygrub refuses ("--v", "--ver") is still refused. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/opts.h"
#include "util/pyint.h"
#include "util/version.h"

enum { NOARG, REQARG };

struct longopt {
    const char *name;
    int arg;
    int id;
};

enum {
    O_QUIET = 1, O_INTERACTIVE, O_LIST, O_NOTREALLY, O_HELP, O_OUTPUT, O_OUTFMT, O_OUTDIR,
    O_OFFSET, O_RUNAS, O_ENTRY, O_KERNEL, O_RAMDISK, O_ARGS, O_ISCONFIG, O_DEBUG,
    /* pvboot's own */
    O_INSPECT, O_JSON, O_LS, O_CAT, O_PARTITION, O_FORMAT, O_ALLOW_BACKING, O_BACKING_DIR,
    O_SEMANTICS, O_STRICT, O_VERSION
};

static const struct longopt longopts[] = {
    { "quiet", NOARG, O_QUIET }, { "interactive", NOARG, O_INTERACTIVE },
    { "list-entries", NOARG, O_LIST }, { "not-really", NOARG, O_NOTREALLY },
    { "help", NOARG, O_HELP }, { "output", REQARG, O_OUTPUT },
    { "output-format", REQARG, O_OUTFMT }, { "output-directory", REQARG, O_OUTDIR },
    { "offset", REQARG, O_OFFSET }, { "runas", REQARG, O_RUNAS }, { "entry", REQARG, O_ENTRY },
    { "kernel", REQARG, O_KERNEL }, { "ramdisk", REQARG, O_RAMDISK }, { "args", REQARG, O_ARGS },
    { "isconfig", NOARG, O_ISCONFIG }, { "debug", NOARG, O_DEBUG },
    { "inspect", NOARG, O_INSPECT }, { "json", NOARG, O_JSON }, { "ls", REQARG, O_LS },
    { "cat", REQARG, O_CAT }, { "partition", REQARG, O_PARTITION },
    { "format", REQARG, O_FORMAT }, { "allow-backing", NOARG, O_ALLOW_BACKING },
    { "backing-dir", REQARG, O_BACKING_DIR }, { "semantics", REQARG, O_SEMANTICS },
    { "strict", NOARG, O_STRICT },
};

#define NLONG (sizeof(longopts) / sizeof(longopts[0]))

void pvb_cli_usage(const char *argv0)
{
    fprintf(stderr, "Usage: %s [-q|--quiet] [-i|--interactive] [-l|--list-entries] "
                    "[-n|--not-really] [--output=] [--kernel=] [--ramdisk=] [--args=] [--entry=] "
                    "[--output-directory=] [--output-format=sxp|simple|simple0] [--runas=] "
                    "[--offset=] <image>\n", argv0);
    fprintf(stderr, "pvboot also takes: [--inspect [--json]] [--ls=PATH|--cat=PATH] "
                    "[--partition=N|lvm/VG-LV] [--format=raw|qcow|qcow2|vpc] [--allow-backing] "
                    "[--backing-dir=DIR] [--semantics=auto|upstream|fedora|suse] [--strict] "
                    "[--isconfig] [--debug] [--version]\n");
}

static int is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The longopt whose name is s (up to '=' or its end) or a unique prefix of it. */
static const struct longopt *find_long(const char *s, size_t n, int *ambiguous)
{
    const struct longopt *hit = NULL;
    size_t i;

    *ambiguous = 0;
    for (i = 0; i < NLONG; i++)
        if (strlen(longopts[i].name) == n && strncmp(longopts[i].name, s, n) == 0)
            return &longopts[i];
    for (i = 0; i < NLONG; i++)
        if (strncmp(longopts[i].name, s, n) == 0) {
            if (hit)
                *ambiguous = 1;
            hit = &longopts[i];
        }
    return *ambiguous ? NULL : hit;
}

/* Apply one option; returns PVB_OPTS_CONTINUE or an exit status. */
static int apply(struct pvb_cli_opts *o, int id, const char *a, const char *argv0)
{
    long long v;

    switch (id) {
    case O_QUIET: o->interactive = 0; break;
    case O_INTERACTIVE: o->interactive = 1; break;
    case O_LIST: o->mode = PVB_MODE_LIST; break;
    case O_NOTREALLY: o->not_really = 1; break;
    case O_HELP:
        pvb_cli_usage(argv0);
        return 0;
    case O_VERSION:
        printf("pvboot %s\n", pvb_version());
        return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
    case O_OUTPUT: o->output = strcmp(a, "-") == 0 ? NULL : a; break;
    case O_RUNAS:
        if (pvb_py_int(a, &v) != 0 || v < 0 || v > 0x7fffffffLL) {
            printf("runas value must be an integer user id\n");
            pvb_cli_usage(argv0);
            return 1;
        }
        o->runas = (long)v;
        break;
    case O_KERNEL: o->kernel = a; break;
    case O_RAMDISK: o->ramdisk = a; break;
    case O_ARGS: o->args = a; break;
    case O_OFFSET:
        if (pvb_py_int(a, &v) != 0) {
            printf("offset value must be an integer\n");
            pvb_cli_usage(argv0);
            return 1;
        }
        o->offset = v;
        break;
    case O_ENTRY:
        o->entry = a;
        o->interactive = 0;   /* an entry to boot implies non-interactive */
        break;
    case O_ISCONFIG: o->mode = PVB_MODE_ISCONFIG; break;
    case O_DEBUG: o->debug = 1; break;
    case O_OUTFMT:
        if (pvb_outfmt_parse(a, &o->format) != 0) {
            printf("unknown output format %s\n", a);
            pvb_cli_usage(argv0);
            return 1;
        }
        break;
    case O_OUTDIR:
        if (!is_dir(a)) {
            printf("%s is not an existing directory\n", a);
            return 1;
        }
        o->outdir = a;
        break;
    case O_INSPECT: o->mode = PVB_MODE_INSPECT; o->interactive = 0; break;
    case O_JSON: o->json = 1; o->mode = PVB_MODE_INSPECT; o->interactive = 0; break;
    case O_LS: o->mode = PVB_MODE_LS; o->path = a; o->interactive = 0; break;
    case O_CAT: o->mode = PVB_MODE_CAT; o->path = a; o->interactive = 0; break;
    case O_PARTITION:
        if (strncmp(a, "lvm/", 4) == 0 || strncmp(a, "lvmid/", 6) == 0 ||
            strncmp(a, "(lvm/", 5) == 0 || strncmp(a, "(lvmid/", 7) == 0) {
            o->device = a;   /* a logical volume by its GRUB name */
            o->partition = -1;
            break;
        }
        if (pvb_py_int(a, &v) != 0 || v < 0 || v > 100000) {
            fprintf(stderr, "pvboot: --partition: not a partition number: %s\n", a);
            return 1;
        }
        o->partition = (long)v;
        o->device = NULL;
        break;
    case O_FORMAT: o->image_format = a; break;
    case O_ALLOW_BACKING: o->allow_backing = 1; break;
    case O_BACKING_DIR: o->backing_dir = a; break;
    case O_SEMANTICS:
        if (strcmp(a, "auto") && strcmp(a, "upstream") && strcmp(a, "fedora") && strcmp(a, "suse")) {
            fprintf(stderr, "pvboot: --semantics must be auto, upstream, fedora or suse\n");
            return 1;
        }
        o->semantics = a;
        break;
    case O_STRICT: o->strict = 1; break;
    }
    return PVB_OPTS_CONTINUE;
}

static int bad_option(const char *argv0)
{
    pvb_cli_usage(argv0);
    return 1;
}

struct parsed {
    int id;
    const char *val;
};

static int has_version(const struct parsed *list, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (list[i].id == O_VERSION)
            return 1;
    return 0;
}

/*
 * First pass: syntax only, as getopt.gnu_getopt does before pygrub looks at
 * any value. pygrub's short options are "qilnh::", which Python reads as -h
 * taking a required argument (Python's getopt has no optional arguments).
 */
static int scan(int argc, char **argv, struct parsed *list, int *n, const char **image)
{
    int posix = getenv("POSIXLY_CORRECT") != NULL, only_operands = 0, i;

    *n = 0;
    *image = NULL;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (only_operands || a[0] != '-' || a[1] == '\0') {
            if (!*image)
                *image = a;   /* pygrub uses args[0] and ignores the rest */
            if (posix)
                only_operands = 1;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const struct longopt *lo;
            int amb;

            if (strcmp(name, "version") == 0) {
                list[(*n)++].id = O_VERSION;   /* val stays NULL (calloc) */
                continue;
            }
            lo = find_long(name, len, &amb);
            if (!lo || (lo->arg == NOARG && eq))
                return -1;
            list[*n].id = lo->id;
            list[*n].val = NULL;
            if (lo->arg == REQARG) {
                if (eq)
                    list[*n].val = eq + 1;
                else if (i + 1 < argc)
                    list[*n].val = argv[++i];
                else
                    return -1;
            }
            (*n)++;
            continue;
        }
        for (a++; *a; a++) {
            int id = *a == 'q' ? O_QUIET : *a == 'i' ? O_INTERACTIVE : *a == 'l' ? O_LIST :
                     *a == 'n' ? O_NOTREALLY : *a == 'h' ? O_HELP : 0;
            if (!id)
                return -1;
            list[*n].id = id;
            list[*n].val = NULL;
            if (id == O_HELP) {
                if (a[1])
                    list[*n].val = a + 1;
                else if (i + 1 < argc)
                    list[*n].val = argv[++i];
                else
                    return -1;
                (*n)++;
                break;
            }
            (*n)++;
        }
    }
    return 0;
}

int pvb_cli_parse(int argc, char **argv, struct pvb_cli_opts *o)
{
    const char *argv0 = argc > 0 ? argv[0] : "pvboot";
    struct parsed *list;
    int n = 0, i, rc = PVB_OPTS_CONTINUE;

    memset(o, 0, sizeof(*o));
    o->interactive = 1;
    o->format = PVB_OUT_SXP;
    o->outdir = "/var/run/xen/pygrub/";
    o->offset = -1;
    o->runas = -1;
    o->partition = -1;
    /* A short cluster ("-qqqq") yields one option per letter: count bytes. */
    {
        size_t cap = 1;
        for (i = 1; i < argc; i++)
            cap += strlen(argv[i]);
        list = calloc(cap, sizeof(*list));
    }
    if (!list) {
        fprintf(stderr, "pvboot: out of memory\n");
        return 1;
    }
    /* pygrub needs an image even for --help; --version, pvboot's, does not. */
    if (scan(argc, argv, list, &n, &o->image) != 0 || (!o->image && !has_version(list, n))) {
        free(list);
        return bad_option(argv0);
    }
    for (i = 0; i < n && rc == PVB_OPTS_CONTINUE; i++)
        rc = apply(o, list[i].id, list[i].val, argv0);
    free(list);
    if (rc != PVB_OPTS_CONTINUE)
        return rc;
    /* pygrub tests the uid for truth: --runas=0 does not count. */
    if (o->interactive && o->runas > 0) {
        fprintf(stderr, "In order to use --runas, you must also set --entry or -q\n");
        return 1;
    }
    return PVB_OPTS_CONTINUE;
}
