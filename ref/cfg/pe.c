/* SPDX-License-Identifier: GPL-2.0-only */
/* PE/COFF section tables, read within the file's bounds (systemd's src/boot/efi/pe.c rules). */
#include <string.h>

#include "cfg/pe.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/safemath.h"

#define DOS_SIZE 64u          /* IMAGE_DOS_HEADER; e_lfanew at 0x3c */
#define COFF_SIZE 24u         /* "PE\0\0" and IMAGE_FILE_HEADER */
#define SECT_SIZE 40u         /* IMAGE_SECTION_HEADER */

int pvb_pe_parse(struct pvb_ctx *c, const char *name, uint64_t fsize, pvb_pe_read_fn rd, void *arg,
                 struct pvb_pe *pe)
{
    uint8_t dos[DOS_SIZE], coff[COFF_SIZE], tab[SECT_SIZE * PVB_PE_MAX_SECTIONS];
    uint64_t lfanew, table, end;
    unsigned i, n;
    int rc;

    memset(pe, 0, sizeof(*pe));
    if (fsize < DOS_SIZE)
        return pvb_fail(c, PVB_ENOTMINE, "%s: %llu bytes, too short for a PE image", name,
                        (unsigned long long)fsize);
    if ((rc = rd(arg, 0, dos, sizeof(dos))) != 0)
        return rc;
    if (dos[0] != 'M' || dos[1] != 'Z')
        return pvb_fail(c, PVB_ENOTMINE, "%s: no MZ signature: not a PE image", name);
    lfanew = pvb_le32(dos + 0x3c);
    if (pvb_add_u64(lfanew, COFF_SIZE, &end) || end > fsize)
        return pvb_fail(c, PVB_ECORRUPT, "%s: PE header at e_lfanew %llu past the end of the file (%llu bytes)",
                        name, (unsigned long long)lfanew, (unsigned long long)fsize);
    if ((rc = rd(arg, lfanew, coff, sizeof(coff))) != 0)
        return rc;
    if (memcmp(coff, "PE\0\0", 4) != 0)
        return pvb_fail(c, PVB_ECORRUPT, "%s: no PE signature at e_lfanew %llu", name,
                        (unsigned long long)lfanew);
    pe->machine = pvb_le16(coff + 4);
    n = pvb_le16(coff + 6);
    if (n > PVB_PE_MAX_SECTIONS)
        return pvb_fail(c, PVB_ECORRUPT, "%s: PE image with %u sections, more than %u", name, n,
                        PVB_PE_MAX_SECTIONS);
    /* The section table follows the optional header, whose size the COFF header gives. */
    table = end + pvb_le16(coff + 20);
    if (pvb_add_u64(table, (uint64_t)n * SECT_SIZE, &end) || end > fsize)
        return pvb_fail(c, PVB_ECORRUPT, "%s: PE section table (%u sections at %llu) past the end of the file",
                        name, n, (unsigned long long)table);
    if (n && (rc = rd(arg, table, tab, (size_t)n * SECT_SIZE)) != 0)
        return rc;
    for (i = 0; i < n; i++) {
        const uint8_t *s = tab + (size_t)i * SECT_SIZE;
        struct pvb_pe_section *d = &pe->sect[i];
        uint64_t vsize = pvb_le32(s + 8), rawsize = pvb_le32(s + 16), off = pvb_le32(s + 20);

        memcpy(d->name, s, 8);
        d->name[8] = '\0';
        /* The section's bytes are VirtualSize long; those past SizeOfRawData would be
         * zeros in memory, which a file range cannot give: refused, not guessed. */
        if (vsize > rawsize)
            return pvb_fail(c, PVB_ECORRUPT, "%s: PE section %s: %llu bytes in memory but %llu in the file",
                            name, d->name, (unsigned long long)vsize, (unsigned long long)rawsize);
        if (pvb_add_u64(off, vsize, &end) || end > fsize)
            return pvb_fail(c, PVB_ECORRUPT,
                            "%s: PE section %s past the end of the file (offset %llu + size %llu > %llu)",
                            name, d->name, (unsigned long long)off, (unsigned long long)vsize,
                            (unsigned long long)fsize);
        d->off = off;
        d->size = vsize;
    }
    pe->nsect = n;
    return 0;
}

const struct pvb_pe_section *pvb_pe_find(const struct pvb_pe *pe, const char *name)
{
    unsigned i;

    for (i = 0; i < pe->nsect; i++)
        if (strcmp(pe->sect[i].name, name) == 0)
            return &pe->sect[i];
    return NULL;
}

size_t pvb_pe_cmdline(char *s, size_t n)
{
    size_t i, keep = 0;

    for (i = 0; i < n && s[i] != '\0'; i++) {
        if ((unsigned char)s[i] < 0x20)
            s[i] = ' ';
        if (s[i] != ' ')
            keep = i + 1;
    }
    s[keep] = '\0';
    return keep;
}
