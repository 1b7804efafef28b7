/* SPDX-License-Identifier: GPL-2.0-only */
/* Fuzz target: pvconform's readers (.expect files, impl files, simple0 records, a guest's console) over any bytes. */
#include <stdlib.h>
#include <string.h>

#include "conform/boot.h"
#include "conform/expect.h"
#include "conform/impl.h"
#include "conform/judge.h"
#include "fuzz.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct cf_console con;
    struct cf_record rec;
    struct cf_case k;
    struct cf_impl im;
    struct pvb_ctx c;
    char *why;
    int i;

    fuzz_ctx_init(&c);
    if (cf_expect_parse(&c, "/c/g/x.expect", text, size, &k) == 0) {
        if (!k.name || !k.group || !k.image || !k.format || strlen(k.kernel_sha) % 64 ||
            !k.guest_append != !k.guest_cmdline)
            abort();  /* a parsed case has what the runner needs */
        cf_case_free(&c, &k);
    }
    if (cf_impl_parse(&c, "impl", text, size, &im) == 0) {
        if (!im.argv || !im.argv[0] || !(im.timeout > 0))
            abort();
        cf_impl_free(&c, &im);
    }
    if (cf_judge_record(&c, text, size, "/out", &rec, &why) != 0 && why)
        abort();  /* no reason when it could not make one */
    for (i = 0; !why && i < 3; i++)
        if (rec.v[i] && (rec.v[i] < text || rec.v[i] + rec.n[i] > text + size))
            abort();  /* items lie inside the record */
    pvb_free(&c, why);
    cf_boot_console(text, size, &con);
    if ((con.state == CF_CONSOLE_NOTHING) != !con.text ||
        (con.text && (con.text < text || con.len > size || con.text + con.len > text + size)))
        abort();  /* what the console said lies inside it */
    if (con.state == CF_CONSOLE_CMDLINE && (memchr(con.text, '\n', con.len) || con.text[con.len] != ']'))
        abort();  /* one line, and its closing ']' is there */
    if (c.mem_used != 0)
        abort();  /* a leak */
    return 0;
}
