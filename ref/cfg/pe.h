/* SPDX-License-Identifier: GPL-2.0-only */
/* PE/COFF images as systemd-boot and systemd-stub find their sections: a bounded reader. */
#ifndef PVB_CFG_PE_H
#define PVB_CFG_PE_H

#include <stddef.h>
#include <stdint.h>

#include "util/ctx.h"

/* systemd's PE reader refuses an image with more sections than this. */
#define PVB_PE_MAX_SECTIONS 96
#define PVB_PE_MACHINE_X64 0x8664u

struct pvb_pe_section {
    char name[9];             /* the 8-byte name, NUL-terminated ("/4" long names stay so) */
    uint64_t off;             /* PointerToRawData */
    uint64_t size;            /* VirtualSize: the section's bytes, all inside the file */
};

struct pvb_pe {
    uint16_t machine;         /* COFF Machine: 0x8664 x86-64 */
    unsigned nsect;
    struct pvb_pe_section sect[PVB_PE_MAX_SECTIONS];
};

/* Exactly len bytes at off into buf (0), or a code. */
typedef int (*pvb_pe_read_fn)(void *arg, uint64_t off, void *buf, size_t len);

/*
 * The headers of the file called name (for messages), fsize bytes long: the DOS
 * header's "MZ" and e_lfanew, "PE\0\0", the COFF header, the section table.
 * Every offset and size is checked against fsize: PVB_ECORRUPT names what is
 * wrong ("NAME: PE section .initrd past the end of the file ..."); PVB_ENOTMINE when
 * the file is no PE image at all; read errors are passed on.
 */
int pvb_pe_parse(struct pvb_ctx *c, const char *name, uint64_t fsize, pvb_pe_read_fn rd, void *arg,
                 struct pvb_pe *pe);

/* The first section called name (as systemd's pe_find_section), or NULL. */
const struct pvb_pe_section *pvb_pe_find(const struct pvb_pe *pe, const char *name);

/*
 * A .cmdline section's bytes as systemd-stub takes them, in place: up to the
 * first NUL, every control character (below 0x20) a space, trailing spaces
 * dropped. Returns the new length; s[len] is set to NUL (s holds n + 1 bytes).
 */
size_t pvb_pe_cmdline(char *s, size_t n);

#endif
