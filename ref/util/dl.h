/* SPDX-License-Identifier: GPL-2.0-only */
/* Optional host libraries, dlopen()ed when first needed, and the ELF notes that name them. */
#ifndef PVB_UTIL_DL_H
#define PVB_UTIL_DL_H

#include <stddef.h>
#include <stdint.h>

#include "util/ctx.h"

/*
 * pvboot links no library but libc: zlib and libzstd are needed only for a
 * compressed qcow/qcow2 cluster, ncurses only for the interactive menu, and
 * loading them at start-up cost a third of a small guest's run. Each is
 * opened where it is needed, by whoever owns the object that needs it (the
 * decompressor of one image, the menu), and closed with it; a second
 * dlopen() of a loaded library only counts a reference. Nothing here keeps
 * state of its own.
 */

/* One function of the library: its name and the offset of the function
 * pointer that receives it in the caller's table. */
struct pvb_dl_sym {
    const char *name;
    size_t off;
};

struct pvb_dl_lib {
    const char *what;              /* what needs it, for messages: "a zstd-compressed cluster" */
    const char *const *sonames;    /* tried in order; NULL-terminated */
    const char *package;           /* where to get it: "Debian: libzstd1" */
    const struct pvb_dl_sym *syms;
    size_t nsyms;
};

/*
 * Load the first of lib's sonames that loads (c->dl_name instead, when a test
 * set it) and fill the function pointers of table. *handle is for
 * pvb_dl_close(). A library that is not there, or lacks a function, is
 * PVB_ENOLIB with a message naming the library and the package: a fault of
 * the host, not a fact about the guest (util/err.h).
 */
int pvb_dl_open(struct pvb_ctx *c, const struct pvb_dl_lib *lib, void *table, void **handle);
void pvb_dl_close(void *handle);

/*
 * PVB_DL_NOTE(id, json): the freedesktop.org "ELF dlopen metadata" note
 * (https://uapi-group.org/specifications/specs/elf_dlopen_metadata/), as
 * systemd writes it: section .note.dlopen, owner "FDO", type 0x407c0c0a, the
 * JSON array as the descriptor. Packagers read it to find the optional
 * dependencies (readelf -n, systemd-analyze dlopen-metadata). Only compilers
 * that place a variable in a named section have it.
 */
#define PVB_DL_NOTE_TYPE 0x407c0c0au
#if defined(__GNUC__) && defined(__ELF__)
#define PVB_DL_NOTE(id, json)                                                    \
    __attribute__((used, section(".note.dlopen"), aligned(4)))                   \
    static const struct {                                                        \
        uint32_t namesz, descsz, type;                                           \
        char name[4];                                                            \
        char desc[(sizeof(json) + 3) & ~(size_t)3];                              \
    } pvb_dl_note_##id = { 4, sizeof(json), PVB_DL_NOTE_TYPE, "FDO", json }
#else
#define PVB_DL_NOTE(id, json) struct pvb_dl_note_##id##_unused
#endif

#endif
