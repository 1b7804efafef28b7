/* SPDX-License-Identifier: GPL-2.0-only */
/* Internals shared by the config engines: arena, string buffers, menu building. */
#ifndef PVB_CFG_CFGINT_H
#define PVB_CFG_CFGINT_H

#include <stdarg.h>
#include <stddef.h>

#include "cfg/cfg.h"
#include "util/budget.h"
#include "util/mem.h"

/* Bump allocator for parse trees: one pvb_alloc per 64 KiB, freed at once. */
struct arena_chunk;
struct arena {
    struct pvb_ctx *c;
    struct arena_chunk *head;
    size_t used, cap;
};

void pvb_arena_init(struct arena *a, struct pvb_ctx *c);
void *pvb_arena_alloc(struct arena *a, size_t n);   /* NULL with c->err set */
char *pvb_arena_strndup(struct arena *a, const char *s, size_t n);
void pvb_arena_free(struct arena *a);

/* A growing string accounted against the context; max caps its length. */
struct pvb_sb {
    struct pvb_ctx *c;
    char *p;
    size_t n, cap, max;
    int err;              /* sticky: first failure */
    const char *what;     /* names the limit in messages */
};

void pvb_sb_init(struct pvb_sb *b, struct pvb_ctx *c, size_t max, const char *what);
int pvb_sb_add(struct pvb_sb *b, const char *s, size_t n);
int pvb_sb_addc(struct pvb_sb *b, char ch);
int pvb_sb_adds(struct pvb_sb *b, const char *s);
/* The string (NUL-terminated, owned by the caller); "" when empty. NULL on error. */
char *pvb_sb_take(struct pvb_sb *b);
void pvb_sb_free(struct pvb_sb *b);

/* Resolved limits of one evaluation. */
struct pvb_cfg_lim {
    size_t max_line, max_var, max_config;
    unsigned max_entries, max_include, max_calls, max_depth;
};
void pvb_cfg_lim_resolve(struct pvb_ctx *c, const struct pvb_cfg_opts *o, struct pvb_cfg_lim *l);

/* The menu under construction. The menu owns it (m->mb), so an engine that loads
 * entries later keeps a pointer to it and adds to the same menu. */
struct pvb_mb {
    struct pvb_ctx *c;
    struct pvb_menu *m;
    unsigned cap, wcap;
    unsigned max_entries;
};

/* A new empty menu of engine e, with its builder; NULL with c->err on failure. */
struct pvb_mb *pvb_mb_new(struct pvb_ctx *c, const struct pvb_cfg_engine *e, unsigned max_entries);
/* A new zeroed entry at the end; NULL on failure (limit named in c). */
struct pvb_cfg_entry *pvb_mb_add(struct pvb_mb *b);
/* A warning with its source position; never fails (warnings are dropped past a cap). */
void pvb_mb_warn(struct pvb_mb *b, const char *file, unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void pvb_mb_vwarn(struct pvb_mb *b, const char *file, unsigned line, const char *fmt, va_list ap);
int pvb_mb_set_str(struct pvb_mb *b, char **dst, const char *s);
int pvb_mb_set_strn(struct pvb_mb *b, char **dst, const char *s, size_t n);
int pvb_mb_set_file(struct pvb_mb *b, struct pvb_cfg_file *f, const char *dev, const char *path);
int pvb_mb_add_initrd(struct pvb_mb *b, struct pvb_cfg_entry *e, const char *dev, const char *path);
int pvb_mb_why(struct pvb_mb *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pvb_cfg_entry_clear(struct pvb_ctx *c, struct pvb_cfg_entry *e);
/* Everything an entry owns, and zero it. */
void pvb_cfg_entry_free(struct pvb_ctx *c, struct pvb_cfg_entry *e);
/* GRUB legacy and syslinux: when the chosen entry loads nothing, the first fallback
 * entry that loads a kernel is chosen instead (why says so). */
int pvb_mb_fallback(struct pvb_mb *b);

/* GRUB's get_entry_number (normal/menu.c): the index of the item that spec
 * names among n items, -1 for none. Upstream: a C-style number first, else
 * title or id up to the first single '>'. Fedora: id (first token), title,
 * then a wholly numeric string. Numbers are unsigned long on i386-xen. */
int pvb_cfg_default_match(enum pvb_cfg_semantics sem, const char *spec, const char *const *titles,
                      const char *const *ids, unsigned n);
/* What follows spec's first single '>' (GRUB sets it as `default` in the submenu), or NULL. */
const char *pvb_cfg_default_rest(const char *spec);
/* grub_strtoul(s, &end, 0) on a 32-bit long: 0 ok, -1 no digits, -2 overflow. */
int pvb_cfg_strtoul(const char *s, unsigned long *v, const char **end);

/* The next line of [*pp, end) into ln (max+1 bytes), tabs, CRs and NULs as blanks, for the
 * line-oriented formats (extlinux, lilo); *pp moves past its newline. Too long: PVB_ELIMIT. */
int pvb_cfg_line(struct pvb_ctx *c, const char **pp, const char *end, char *ln, size_t max,
             const char *file, unsigned line);

/* env->read_file (PVB_ENOTFOUND when there is none), its bytes charged to the run's config
 * read budget. Codes as env's: fatal ones (pvb_err_fatal) must end the evaluation. */
int pvb_cfg_read(struct pvb_ctx *c, const struct pvb_cfg_env *env, const char *dev, const char *path,
             size_t max, char **buf, size_t *len);

/* Split a "(dev)path" into dev (parens removed; "" if none) and path. */
void pvb_cfg_split_dev(const char *s, const char **dev, size_t *devlen, const char **path);

/* A kernel path that names a hypervisor rather than a Linux kernel (xen.gz, xen-4.x.gz). */
int pvb_cfg_is_hypervisor(const char *path);

/* grubenv (grub-core/lib/envblk.c): calls fn for every name=value, unescaped. */
typedef int (*cfg_env_fn)(void *arg, const char *name, const char *value);
int pvb_cfg_grubenv_parse(struct pvb_ctx *c, const char *buf, size_t len, size_t max_var,
                          cfg_env_fn fn, void *arg);

/* BLS (Fedora blscfg). */
struct bls_entry {
    char *id;          /* file name without .conf */
    char **keys, **vals;
    unsigned n, cap;
};
int pvb_cfg_bls_parse(struct pvb_ctx *c, const char *id, const char *buf, size_t len,
                      struct bls_entry *e);
void pvb_cfg_bls_entry_free(struct pvb_ctx *c, struct bls_entry *e);
/* The first value of key, or NULL; with *last (start -1) iterates repeats. */
const char *pvb_cfg_bls_get(const struct bls_entry *e, const char *key, int *last);
/* rpm's version comparison as blscfg has it: 1 a newer, -1 b newer, 0 same. */
int pvb_cfg_vercmp(const char *a, const char *b);
/* Sort newest first: RHEL 9 (name-version-release of the id) or RHEL 8 (version, then id).
 * Returns how many are kept; RHEL 9 drops duplicates, moved past that count. */
unsigned pvb_cfg_bls_sort(struct bls_entry **v, unsigned n, int rhel8);
/* blscfg's expand_val: $NAME -> value + " ", unset vanishes. get returns NULL if unset.
 * NULL (with c->err PVB_ENOTFOUND) when nothing at all was appended. */
typedef const char *(*cfg_get_fn)(void *arg, const char *name);
char *pvb_cfg_bls_expand(struct pvb_ctx *c, const char *val, cfg_get_fn get, void *arg,
                         size_t max);

/* systemd-boot (sdboot.c). The UAPI Version Format comparison (systemd's
 * strverscmp_improved): 1 a newer, -1 b newer, 0 same; NULL and "" are oldest. */
int pvb_cfg_uapi_vercmp(const char *a, const char *b);
/* systemd-boot's efi_fnmatch: '*', '?', "[...]" with ranges, '\' quoting. */
int pvb_cfg_sd_fnmatch(const char *pattern, const char *s);
#endif
