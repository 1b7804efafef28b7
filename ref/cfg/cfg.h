/* SPDX-License-Identifier: GPL-2.0-only */
/* Config engines: evaluate a bootloader config from a buffer into a menu and a chosen entry. */
#ifndef PVB_CFG_CFG_H
#define PVB_CFG_CFG_H

#include <stddef.h>
#include <stdint.h>

#include "util/ctx.h"

/*
 * Usage (the boot layer):
 *
 *     struct pvb_cfg_opts o;
 *     struct pvb_cfg_env env = { my_arg, my_read_file, my_stat, my_list_dir, my_search };
 *     struct pvb_menu *m;
 *     pvb_cfg_opts_init(&o);
 *     o.engine = &pvb_engine_grub2;
 *     o.path = "/boot/grub2/grub.cfg";     // where the config lives on its volume
 *     o.device = "hd0,msdos1";             // GRUB's name for that volume
 *     rc = pvb_cfg_eval(ctx, &o, &env, buf, len, &m);
 *     e = &m->entries[m->chosen];          // kernel, initrds, args, and devices
 *     ...  pvb_cfg_load(m, n) evaluates another entry (pygrub --entry=n)
 *     pvb_menu_free(m);
 *
 * The engine never touches a filesystem: every file outside the buffer
 * (grubenv, `source`, `configfile`, BLS entries, extlinux INCLUDE, the GRUB
 * legacy `default` file) is read through env, from a device named the way
 * GRUB names it ("hd0,msdos1", "hd0,gpt2"; "" = the config's own device).
 * The menu is built in a temporary and handed over only on success. The strings
 * in opts and env->arg must outlive the menu (pvb_cfg_load runs bodies later).
 */

struct pvb_cfg_opts;
struct pvb_cfg_env;
struct pvb_menu;
struct pvb_mb;        /* the menu under construction (ref/cfg/cfgint.h) */
struct pvb_cfg_lim;   /* one evaluation's resolved limits (ref/cfg/cfgint.h) */

/*
 * A config engine: one file of ref/cfg (grub2: the g2*.c files) and one line
 * in ref/cfg/engines.c. Its paths are where the boot layer looks for its
 * config on a volume; the table's order and each engine's paths give
 * pygrub's search order.
 */
struct pvb_cfg_engine {
    const char *name;               /* "grub2", "grub1", "extlinux", "lilo" */
    const char *const *paths;       /* on a volume, in pygrub's order; NULL-terminated */
    const char *const *names;       /* file names it reads (--isconfig); NULL-terminated */
    /* Fill b's menu from buf and choose its entry. */
    int (*eval)(struct pvb_mb *b, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                const struct pvb_cfg_lim *l, const char *buf, size_t len);
    /* Evaluate entry i's body later (GRUB 2 runs only the chosen one); NULL: eval did all. */
    int (*load)(struct pvb_menu *m, unsigned i);
    /* Free what eval left in m->priv; NULL: nothing. */
    void (*free)(struct pvb_menu *m);
};

/* Every engine, in pygrub's search order (GRUB 2, extlinux, GRUB legacy), then lilo and
 * systemd-boot; NULL-terminated. */
extern const struct pvb_cfg_engine *const pvb_cfg_engines[];

extern const struct pvb_cfg_engine pvb_engine_grub2;     /* grub.cfg: GRUB 2 script, with blscfg */
extern const struct pvb_cfg_engine pvb_engine_extlinux;  /* extlinux.conf, isolinux.cfg, syslinux.cfg */
extern const struct pvb_cfg_engine pvb_engine_grub1;     /* menu.lst, grub.conf: GRUB legacy 0.97 */
extern const struct pvb_cfg_engine pvb_engine_lilo;      /* lilo.conf */
extern const struct pvb_cfg_engine pvb_engine_sdboot;    /* systemd-boot: loader.conf, Type #1 entries, UKIs */

/* The engine called name, or NULL. */
const struct pvb_cfg_engine *pvb_cfg_engine_find(const char *name);
/* The engine that reads a file of this name (its last component), or NULL. */
const struct pvb_cfg_engine *pvb_cfg_engine_for_file(const char *path);

/* How GRUB 2 resolves `default` (grub-core/normal/menu.c). */
enum pvb_cfg_semantics {
    PVB_CFG_SEM_AUTO = 0,   /* fedora when the config runs blscfg, else upstream */
    PVB_CFG_SEM_UPSTREAM,   /* number (C-style base) first, then title or id */
    PVB_CFG_SEM_FEDORA,     /* id, then title, then a wholly numeric string */
    PVB_CFG_SEM_SUSE        /* upstream's default rule; SUSE's btrfs subvolume rules, named so */
};

/*
 * The btrfs rules of SUSE's GRUB (openSUSE's grub2 package, grub2-btrfs-01..06
 * patches, carried by Fedora's grub2 too): the variable btrfs_relative_path
 * (first byte '1' or 'y') makes paths on a btrfs volume resolve inside
 * $btrfs_subvol, $btrfs_subvolid or the default subvolume, and the command
 * btrfs-mount-subvol mounts a subvolume at a directory. They apply under every
 * semantics but upstream, whose GRUB has neither (doc/btrfs-boot.md); auto
 * reports "suse" when a config used them.
 */

/* "upstream", "fedora", "suse" ("auto" for AUTO): --semantics's words. */
const char *pvb_cfg_semantics_name(enum pvb_cfg_semantics sem);

enum pvb_cfg_search {
    PVB_CFG_SEARCH_UUID,    /* search --fs-uuid / search.fs_uuid */
    PVB_CFG_SEARCH_LABEL,   /* search --label / search.fs_label */
    PVB_CFG_SEARCH_FILE     /* search --file / search.file */
};

/* Called once per directory entry name; non-zero stops the listing and is returned. */
typedef int (*pvb_cfg_name_fn)(void *arg, const char *name, int is_dir);

/* What the stat callback says of a path (symlinks followed). */
struct pvb_cfg_stat {
    int is_file;              /* a regular file */
    int is_dir;               /* a directory */
    uint64_t size;            /* bytes, for a regular file */
};

/*
 * Everything outside the config buffer. Any callback may be NULL (then no
 * file, directory or volume exists). Each returns 0 or a PVB_E* code, and
 * the engines keep the rule of util/err.h: a fatal code (pvb_err_fatal:
 * an I/O error, no memory, a limit) ends the evaluation with that error;
 * any other (PVB_ENOTFOUND, a corrupt filesystem, ...) is the guest's, met
 * as the bootloader meets it (a failed command, a warning).
 */
struct pvb_cfg_env {
    void *arg;
    /* A whole file into *buf (pvb_alloc'ed from c, NUL-terminated, freed by
     * the engine with pvb_free). More than max bytes: PVB_ELIMIT. */
    int (*read_file)(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                     size_t max, char **buf, size_t *len);
    /* Whether path exists, its type and size (GRUB's [ -e -f -d -s ]). */
    int (*stat)(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                struct pvb_cfg_stat *st);
    /* Each name in the directory to fn. */
    int (*list_dir)(void *arg, struct pvb_ctx *c, const char *dev, const char *path,
                    pvb_cfg_name_fn fn, void *fn_arg);
    /* The first volume (in GRUB's order) matching key, as a device name of
     * at most cap-1 bytes; PVB_ENOTFOUND when none does. For a file search
     * key is an absolute path. */
    int (*search)(void *arg, struct pvb_ctx *c, enum pvb_cfg_search kind, const char *key,
                  char *dev, size_t cap);
    /* Exactly len bytes of a file from offset off into buf (a UKI's headers and small
     * sections, without reading the whole image); past the end: PVB_ERANGE. */
    int (*read_at)(void *arg, struct pvb_ctx *c, const char *dev, const char *path, uint64_t off,
                   void *buf, size_t len);
    /* The first partition (in table order) whose GPT type is guid (lower case), or whose
     * MBR type is mbr_type when that is not 0, as a device name of at most cap-1 bytes;
     * PVB_ENOTFOUND when none is (systemd-boot's XBOOTLDR partition). */
    int (*find_type)(void *arg, struct pvb_ctx *c, const char *guid, unsigned mbr_type, char *dev,
                     size_t cap);
    /* btrfs: the path from the top-level subvolume of subvolume id on dev (0: the
     * default subvolume) into buf, "" for the top level itself; PVB_EINVAL when
     * dev holds no btrfs, PVB_ENOTFOUND when there is no such subvolume. */
    int (*btrfs_subvol)(void *arg, struct pvb_ctx *c, const char *dev, uint64_t id, char *buf,
                        size_t cap);
};

struct pvb_cfg_opts {
    const struct pvb_cfg_engine *engine;   /* pvb_cfg_opts_init: GRUB 2 */
    enum pvb_cfg_semantics semantics;
    const char *path;         /* the config on its device, e.g. "/boot/grub2/grub.cfg" */
    const char *device;       /* its GRUB device name; NULL: "hd0,msdos1" */
    unsigned flags;           /* PVB_CFG_* below */
    /* Limits specific to configs; 0 takes the default. Size, nesting,
     * steps and memory come from the context's pvb_limits. */
    size_t max_line;          /* bytes in one line (64 KiB) */
    size_t max_var;           /* bytes in one variable or expanded word (64 KiB) */
    unsigned max_entries;     /* menu entries, all submenus together (10000) */
    unsigned max_include;     /* source/configfile/INCLUDE nesting (16) */
    unsigned max_calls;       /* function call nesting (GRUB has none: 64) */
};

#define PVB_CFG_LOAD_ALL 0x1u  /* evaluate every entry's body, not only the chosen one */
/* The config was found inside the default subvolume of a btrfs volume, where SUSE's
 * grub-install points its core image: opts.path is inside that subvolume and
 * btrfs_relative_path="yes" is set before the config runs, as its load.cfg does. */
#define PVB_CFG_BTRFS_RELATIVE 0x2u

void pvb_cfg_opts_init(struct pvb_cfg_opts *o);

/* A file an entry loads: a path on a device ("" = the config's device); with slice set,
 * only the bytes [off, off + len) of that file (a section of a unified kernel image). */
struct pvb_cfg_file {
    char *dev;
    char *path;
    int slice;
    uint64_t off, len;
};

struct pvb_cfg_entry {
    char *title;
    char *id;                 /* GRUB 2 --id (default: title); BLS: file name; others: label */
    char *submenu;            /* titles of the enclosing submenus joined by '>', "" at top */
    unsigned depth;           /* 0 at top level */
    char *classes;            /* --class values separated by spaces */
    char *file;               /* where the entry was defined, and its line */
    unsigned line;
    int loaded;               /* kernel/initrd/args below are known */
    struct pvb_cfg_file kernel;   /* path NULL: the entry loads no Linux kernel */
    struct pvb_cfg_file *initrd;  /* in load order */
    unsigned ninitrd;
    char *args;               /* kernel command line, without BOOT_IMAGE= */
    char *unbootable;         /* why a PV guest cannot boot it (hypervisor, chainloader), or NULL */
    char *root;               /* the device the entry's own `root` (GRUB legacy, as written:
                               * "(hd0,0)") or last `set root=` (GRUB 2: "hd0,msdos1") names,
                               * or NULL: what pygrub's -l shows as root, and the editor */
    unsigned flags;           /* PVB_CFG_ENTRY_* */
};

#define PVB_CFG_ENTRY_BLS 0x1u   /* made by blscfg from a Boot Loader Specification file */

struct pvb_cfg_warning {
    char *file;
    unsigned line;
    char *msg;
};

struct pvb_menu {
    const struct pvb_cfg_engine *engine;
    enum pvb_cfg_semantics semantics;   /* as resolved from AUTO */
    struct pvb_cfg_entry *entries;      /* flattened, in pygrub --entry order */
    unsigned count;
    int chosen;                         /* index into entries, or -1 */
    int fallback_from;                  /* the entry chosen first when a fallback replaced it, or -1 */
    char *why;                          /* how chosen was chosen */
    char *default_value;                /* `default` as the bootloader saw it, or NULL */
    int *fallback;                      /* fallback entries (indices), in order */
    unsigned nfallback;
    int timeout;                        /* seconds; -1 = wait forever / unset */
    char device[128];                   /* the config's GRUB device name (opts.device) */
    struct pvb_cfg_warning *warnings;
    unsigned nwarnings;
    void *priv;                         /* the engine's state for pvb_cfg_load */
    struct pvb_mb *mb;                  /* its builder, for entries loaded later */
    struct pvb_ctx *ctx;
};

/*
 * Evaluate the config in buf[0..len) as the bootloader would and choose the
 * entry it boots. Fails with PVB_ESYNTAX (a line GRUB legacy/extlinux/lilo
 * cannot read, or a GRUB 2 config whose syntax errors leave nothing to
 * boot), PVB_ELIMIT (naming the limit), PVB_ENOBOOT (no entry at all, or the
 * chosen one cannot boot a PV guest: m->chosen is kept and m is still
 * returned, so callers can list it), PVB_ENOMEM.
 */
int pvb_cfg_eval(struct pvb_ctx *c, const struct pvb_cfg_opts *o, const struct pvb_cfg_env *env,
                 const char *buf, size_t len, struct pvb_menu **out);

/* Evaluate entry i's body (GRUB 2 loads lazily) so its kernel/initrd/args are known. */
int pvb_cfg_load(struct pvb_menu *m, unsigned i);

void pvb_menu_free(struct pvb_menu *m);

/*
 * The interactive menu's editor (pygrub's 'e', 'a' and 'c'). pvb_cfg_entry_text:
 * entry i (loaded first) as the commands that load it, one per line: its own root
 * line ("root (hd0,0)" in GRUB legacy, "set root='hd0,msdos1'" in GRUB 2) when it
 * has one, "kernel FILE ARGS" ("linux" for GRUB 2), "initrd FILE..."; a file is
 * "(DEV)/path" when it is not on root. Accounted to the menu's context; NULL on error.
 * pvb_cfg_entry_edit: those lines, edited, become entry i's kernel, initrds and args
 * (linux16/linuxefi and initrd16/initrdefi too; other commands are ignored with a
 * warning; devices in the config's numbering), or, with i == count, a new entry
 * titled title. An entry whose kernel is a hypervisor is unbootable, as evaluated.
 */
char *pvb_cfg_entry_text(struct pvb_menu *m, unsigned i);
int pvb_cfg_entry_edit(struct pvb_menu *m, unsigned i, const char *title, const char *text);

/* grub-script-check's verdict on a GRUB 2 config: 0 it parses, PVB_ESYNTAX
 * (first bad line in *line, reason in msg), or 1: it parses but holds no command. */
int pvb_cfg_grub2_check(struct pvb_ctx *c, const char *buf, size_t len, unsigned *line,
                        char *msg, size_t msgcap);

/* 1 when two GRUB device names denote the same volume: "hd0,1" = "(hd0,msdos1)". */
int pvb_cfg_dev_same(const char *a, const char *b);

/* GRUB's kernel command line rule (grub-core/lib/cmdline.c) without BOOT_IMAGE:
 * \ ' " escaped with a backslash, an argument holding a space wrapped in
 * double quotes, arguments joined by single spaces. */
char *pvb_cfg_cmdline(struct pvb_ctx *c, char *const *argv, unsigned argc);

#endif
