/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal to ref/vol: LVM2's text metadata as a tree (lvm_meta.c), read by lvm.c. */
#ifndef PVB_VOL_LVM_H
#define PVB_VOL_LVM_H

#include <stddef.h>
#include <stdint.h>

#include "util/ctx.h"

/*
 * lvm2's config syntax (lib/config, libdm/libdm-config.c), as lvm2 writes a VG
 * (lib/format_text/export.c): `name { ... }` sections, `key = value` where a
 * value is an integer, a "string" (\" and \\ escaped) or an array [v, v, ...]
 * of those; `#` starts a comment. Node 0 is the root section; children and
 * siblings are indices + 1 (0: none). Keys and strings point into the text.
 */
enum pvb_lvm_type { PVB_LVM_SECTION, PVB_LVM_INT, PVB_LVM_STR, PVB_LVM_ARRAY };

struct pvb_lvm_node {
    const char *key;          /* NULL for array items and the root */
    size_t keylen;
    const char *str;          /* PVB_LVM_STR: the bytes between the quotes, escapes kept */
    size_t len;
    int64_t num;              /* PVB_LVM_INT */
    unsigned type;
    unsigned child;           /* sections and arrays: first child */
    unsigned next;
    unsigned line;
};

struct pvb_lvm_tree {
    struct pvb_lvm_node *n;
    unsigned count, cap;
};

/* Parse len bytes of text (it ends at the first NUL, as lvm2 writes one). At
 * most lim.max_vol_items nodes (PVB_ELIMIT) and lim.max_depth nesting; a syntax
 * error is PVB_ECORRUPT naming the line. Free with pvb_lvm_tree_free() always. */
int pvb_lvm_parse(struct pvb_ctx *c, const char *text, size_t len, struct pvb_lvm_tree *t);
void pvb_lvm_tree_free(struct pvb_ctx *c, struct pvb_lvm_tree *t);

/* Child of section i named key, of the given type, or NULL. */
const struct pvb_lvm_node *pvb_lvm_get(const struct pvb_lvm_tree *t, const struct pvb_lvm_node *sec,
                                       const char *key, unsigned type);
/* Node at index+1 v, or NULL for 0. */
const struct pvb_lvm_node *pvb_lvm_at(const struct pvb_lvm_tree *t, unsigned v);

/* lvm2's checksum (lib/misc/crc.c calc_crc): reflected CRC-32 from INITIAL_CRC,
 * no final inversion. */
#define PVB_LVM_INITIAL_CRC 0xf597a6cfu

#endif
