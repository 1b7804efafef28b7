/* SPDX-License-Identifier: GPL-2.0-only */
/* Seeds for fuzz_iso9660: plain, Rock Ridge and Joliet volumes built in memory, with CE and multi-extent files. */
#include <string.h>

#include "../../unit/isobuild.h"
#include "seeds.h"

/* Rock Ridge with an NM continued in a CE area, a symlink of flag components, a
 * file of two extents and a relocated directory (CL/RE). */
static void rr_seed(const char *dir)
{
    struct isob b;
    struct isob_dir root, moved, deep;
    uint8_t su[128];
    uint32_t ce, d1, d2;
    size_t n;

    isob_new(&b, 40);
    d1 = isob_data(&b, "0123456789abcdef", 16);
    d2 = isob_data(&b, "tail", 4);
    ce = isob_alloc(&b, 1);
    isob_dir_new(&b, &root, 1, NULL, su, isob_su_sp(su, 0) + isob_su_er(su + 7));
    isob_dir_new(&b, &moved, 1, &root, NULL, 0);
    isob_dir_new(&b, &deep, 1, &moved, NULL, 0);
    n = isob_su_px(su, 0100644);
    n += isob_su_nm(su + n, 1, "vmlinuz-");
    n += isob_su_ce(su + n, ce, 0, 16);
    isob_rec(&b, &root, "K", 1, d1, 2048, 0x80, su, n);
    isob_su_nm(b.img + (size_t)ce * 2048, 0, "6.1");
    isob_rec(&b, &root, "K", 1, d2, 4, 0, NULL, 0);
    n = isob_su_px(su, 0120777);
    n += isob_su_nm(su + n, 0, "link");
    n += isob_su_sl(su + n, 0, "8:|0:boot|4:|1:vml|0:inuz");
    isob_rec(&b, &root, "L", 1, 0, 0, 0, su, n);
    n = isob_su_nm(su, 0, "rr_moved");
    isob_subdir(&b, &root, "RR_MOVED", &moved, su, n);
    n = isob_su_nm(su, 0, "deep");
    n += isob_su_re(su + n);
    isob_subdir(&b, &moved, "DEEP", &deep, su, n);
    n = isob_su_nm(su, 0, "deep");
    n += isob_su_cl(su + n, deep.block);
    isob_rec(&b, &root, "DEEP", 4, d1, 0, 0, su, n);
    isob_desc(&b, 16, 1, 0, &root, "RR");
    isob_term(&b, 17);
    seed_put(dir, "fuzz_iso9660", "rr-ce-sl-multi", b.img, b.size);
    isob_free(&b);
}

void seeds_iso9660(const char *dir)
{
    static const char *const names[4] = { "plain", "rockridge", "joliet", "rr-joliet" };
    struct isob b;
    int i;

    for (i = 0; i < 4; i++) {
        isob_sample(&b, i & 1, i >> 1, 3000);
        seed_put(dir, "fuzz_iso9660", names[i], b.img, b.size);
        isob_free(&b);
    }
    rr_seed(dir);
}
