/* SPDX-License-Identifier: GPL-2.0-only */
/* PE images in memory: a DOS stub header, "PE\0\0", COFF, an empty optional header, sections. */
#include <string.h>

#include "pebuild.h"
#include "util/bytes.h"

size_t pebuild(uint8_t *buf, size_t cap, uint16_t machine, const struct pe_sec *s, unsigned n)
{
    size_t off = PEB_TABLE + (size_t)n * 40, i;

    off = (off + 15) & ~(size_t)15;
    for (i = 0; i < n; i++)
        off += (s[i].len + 15) & ~(size_t)15;
    if (off > cap)
        return 0;
    memset(buf, 0, off);
    buf[0] = 'M';
    buf[1] = 'Z';
    pvb_put_le32(buf + PEB_LFANEW, 64);
    memcpy(buf + 64, "PE\0\0", 4);
    pvb_put_le16(buf + 64 + 4, machine);
    pvb_put_le16(buf + PEB_NSECT, (uint16_t)n);
    pvb_put_le16(buf + 64 + 20, 240);
    pvb_put_le16(buf + 64 + 24, 0x20b);   /* PE32+ */
    off = (PEB_TABLE + (size_t)n * 40 + 15) & ~(size_t)15;
    for (i = 0; i < n; i++) {
        uint8_t *e = buf + PEB_TABLE + i * 40;
        size_t raw = (s[i].len + 15) & ~(size_t)15;
        size_t k = strlen(s[i].name);
        memcpy(e, s[i].name, k < 8 ? k : 8);
        pvb_put_le32(e + 8, (uint32_t)s[i].len);
        pvb_put_le32(e + 12, (uint32_t)off);
        pvb_put_le32(e + 16, (uint32_t)raw);
        pvb_put_le32(e + 20, (uint32_t)off);
        if (s[i].len)
            memcpy(buf + off, s[i].data, s[i].len);
        off += raw;
    }
    return off;
}
