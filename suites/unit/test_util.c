/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for ref/util: errors, context, allocation limits, decoders, CRCs, SHA-256. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/bytes.h"
#include "util/crc.h"
#include "util/mem.h"
#include "util/sha256.h"

static void test_strerror(void **state)
{
    int e;

    (void)state;
    assert_string_equal(pvb_strerror(PVB_OK), "success");
    assert_string_equal(pvb_strerror(PVB_ECORRUPT), "corrupt structure");
    assert_string_equal(pvb_errname(PVB_ELOOP), "PVB_ELOOP");
    assert_string_equal(pvb_strerror(1), "unknown error");
    assert_string_equal(pvb_strerror(-PVB_ERR_COUNT), "unknown error");
    assert_string_equal(pvb_errname(-1000), "PVB_E?");
    for (e = 0; e > -PVB_ERR_COUNT; e--) {
        assert_non_null(pvb_strerror(e));
        assert_string_not_equal(pvb_strerror(e), "unknown error");
        assert_int_equal(strncmp(pvb_errname(e), "PVB_", 4), 0);
    }
}

static void test_ctx_messages(void **state)
{
    struct test_ctx t;

    (void)state;
    test_ctx_init(&t);
    assert_string_equal(pvb_ctx_msg(&t.c), "success");
    assert_int_equal(pvb_fail(&t.c, PVB_ECORRUPT, "gpt: entry %d: %s", 3, "bad"), PVB_ECORRUPT);
    assert_int_equal(t.c.err, PVB_ECORRUPT);
    assert_string_equal(pvb_ctx_msg(&t.c), "gpt: entry 3: bad");
    pvb_ctx_prefix(&t.c, "volume %u: ", 2u);
    assert_string_equal(t.c.msg, "volume 2: gpt: entry 3: bad");
    assert_int_equal(t.c.err, PVB_ECORRUPT);
    pvb_ctx_clear(&t.c);
    assert_int_equal(t.c.err, 0);
    assert_string_equal(t.c.msg, "");
    /* A prefix on an error without text uses the code's description. */
    t.c.err = PVB_EIO;
    pvb_ctx_prefix(&t.c, "x: ");
    assert_string_equal(t.c.msg, "x: I/O error");
    pvb_warn(&t.c, "careful %d", 7);
    assert_true(test_warned(&t, "careful 7"));
    assert_int_equal(t.c.nwarn, 1);
    /* Without a sink warnings are only counted. */
    t.c.warn = NULL;
    pvb_warn(&t.c, "unseen");
    assert_int_equal(t.c.nwarn, 2);
    assert_false(test_warned(&t, "unseen"));
    /* Messages are truncated, never overflowed. */
    {
        char big[2000];
        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        pvb_fail(&t.c, PVB_EINVAL, "%s", big);
        assert_int_equal(strlen(t.c.msg), PVB_MSG_MAX - 1);
        pvb_ctx_prefix(&t.c, "p: ");
        assert_int_equal(strlen(t.c.msg), PVB_MSG_MAX - 1);
        pvb_fail(&t.c, PVB_EINVAL, NULL);
        assert_string_equal(t.c.msg, "");
    }
}

static void test_mem_limits(void **state)
{
    struct test_ctx t;
    char *a, *b, *s;

    (void)state;
    test_ctx_init(&t);
    t.c.lim.max_alloc = 1000;
    t.c.lim.max_mem = 1500;
    a = pvb_alloc(&t.c, 800, "a");
    assert_non_null(a);
    assert_int_equal(t.c.mem_used, 800);
    assert_null(pvb_alloc(&t.c, 1001, "too big"));
    assert_int_equal(t.c.err, PVB_ELIMIT);
    assert_msg_has(&t.c, "too big");
    assert_null(pvb_alloc(&t.c, 800, "over budget"));
    assert_int_equal(t.c.err, PVB_ELIMIT);
    assert_msg_has(&t.c, "memory limit");
    /* realloc counts the old block as freed. */
    a = pvb_realloc(&t.c, a, 1000, "grow");
    assert_non_null(a);
    assert_int_equal(t.c.mem_used, 1000);
    assert_null(pvb_realloc(&t.c, a, 1001, "grow more"));
    assert_int_equal(t.c.mem_used, 1000);
    b = pvb_zalloc(&t.c, 500, "b");
    assert_non_null(b);
    assert_int_equal(b[0] | b[499], 0);
    assert_int_equal(t.c.mem_peak, 1500);
    pvb_free(&t.c, a);
    pvb_free(&t.c, b);
    pvb_free(&t.c, NULL);
    assert_int_equal(t.c.mem_used, 0);
    assert_null(pvb_calloc(&t.c, (size_t)-1 / 2, 4, "overflow"));
    assert_int_equal(t.c.err, PVB_ELIMIT);
    assert_msg_has(&t.c, "overflows");
    a = pvb_calloc(&t.c, 10, 10, "c");
    assert_non_null(a);
    pvb_free(&t.c, a);
    a = pvb_realloc(&t.c, NULL, 10, "fresh");
    assert_non_null(a);
    pvb_free(&t.c, a);
    s = pvb_strndup(&t.c, "hello world", 5);
    assert_string_equal(s, "hello");
    pvb_free(&t.c, s);
    assert_null(pvb_strndup(&t.c, "x", (size_t)-1));
    assert_int_equal(t.c.mem_used, 0);
    /* The host allocator's failure is PVB_ENOMEM (allowed by limits). */
    t.c.lim.max_alloc = (size_t)-1;
    t.c.lim.max_mem = (size_t)-1;
    assert_null(pvb_alloc(&t.c, (size_t)-1 - 64, "huge"));
    assert_int_equal(t.c.err, PVB_ENOMEM);
    a = pvb_alloc(&t.c, 16, "small");
    assert_null(pvb_realloc(&t.c, a, (size_t)-1 - 64, "huge realloc"));
    assert_int_equal(t.c.err, PVB_ENOMEM);
    pvb_free(&t.c, a);
    assert_int_equal(t.c.mem_used, 0);
}

/* pvb_grow: doubling from 8, at least n, nothing changed on failure. */
static void test_grow(void **state)
{
    struct test_ctx t;
    unsigned cap = 0;
    int *p = NULL, *q;

    (void)state;
    test_ctx_init(&t);
    p = pvb_grow(&t.c, p, &cap, 1, sizeof(*p), "ints");
    assert_non_null(p);
    assert_int_equal(cap, 8);
    assert_ptr_equal(pvb_grow(&t.c, p, &cap, 8, sizeof(*p), "ints"), p);   /* room: as it is */
    p = pvb_grow(&t.c, p, &cap, 9, sizeof(*p), "ints");
    assert_int_equal(cap, 16);
    p = pvb_grow(&t.c, p, &cap, 100, sizeof(*p), "ints");
    assert_int_equal(cap, 100);
    p[99] = 7;
    q = pvb_grow(&t.c, p, &cap, 101, (size_t)-1 / 4, "huge");   /* overflows */
    assert_null(q);
    assert_int_equal(t.c.err, PVB_ELIMIT);
    assert_int_equal(cap, 100);
    t.c.lim.max_mem = 1000;
    assert_null(pvb_grow(&t.c, p, &cap, 1000, sizeof(*p), "ints"));
    assert_int_equal(cap, 100);
    assert_int_equal(p[99], 7);
    pvb_free(&t.c, p);
    assert_int_equal(t.c.mem_used, 0);
}

static void test_decoders(void **state)
{
    static const uint8_t b[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xf8 };
    uint8_t o[8];

    (void)state;
    assert_int_equal(pvb_le16(b), 0x0201);
    assert_int_equal(pvb_be16(b), 0x0102);
    assert_int_equal(pvb_le32(b), 0x04030201u);
    assert_int_equal(pvb_be32(b + 4), 0x050607f8u);
    assert_true(pvb_le64(b) == 0xf807060504030201ull);
    assert_true(pvb_be64(b) == 0x01020304050607f8ull);
    pvb_put_le16(o, 0xabcd);
    assert_int_equal(pvb_le16(o), 0xabcd);
    pvb_put_be16(o, 0xabcd);
    assert_int_equal(o[0], 0xab);
    pvb_put_le32(o, 0xdeadbeefu);
    assert_int_equal(pvb_le32(o), 0xdeadbeefu);
    pvb_put_be32(o, 0xdeadbeefu);
    assert_int_equal(o[0], 0xde);
    pvb_put_le64(o, 0x1122334455667788ull);
    assert_true(pvb_le64(o) == 0x1122334455667788ull);
    pvb_put_be64(o, 0x1122334455667788ull);
    assert_true(pvb_be64(o) == 0x1122334455667788ull);
    assert_int_equal(o[0], 0x11);
}

static void test_cursor(void **state)
{
    static const uint8_t b[16] = { 1, 2, 0, 3, 0, 0, 0, 0, 4, 5, 0, 0, 0, 9, 0, 0 };
    struct pvb_cur c;
    uint8_t out[4];

    (void)state;
    pvb_cur_init(&c, b, sizeof(b));
    assert_int_equal(pvb_cur_u8(&c), 1);
    assert_int_equal(pvb_cur_le16(&c), 2);
    assert_int_equal(pvb_cur_be16(&c), 0x0300);
    assert_int_equal(pvb_cur_be32(&c), 4);
    assert_int_equal(pvb_cur_left(&c), 7);
    assert_int_equal(pvb_cur_le32(&c), 5);
    assert_false(c.bad);
    assert_true(pvb_cur_le64(&c) == 0);     /* only three bytes left */
    assert_true(c.bad);
    assert_null(pvb_cur_take(&c, 0));        /* stays bad */
    pvb_cur_init(&c, b, sizeof(b));
    pvb_cur_seek(&c, 8);
    assert_true(pvb_cur_be64(&c) == 0x0405000000090000ull);
    pvb_cur_seek(&c, 17);
    assert_true(c.bad);
    pvb_cur_init(&c, b, 3);
    pvb_cur_skip(&c, 1);
    pvb_cur_copy(&c, out, 2);
    assert_int_equal(out[0], 2);
    pvb_cur_copy(&c, out, 4);
    assert_int_equal(out[0] | out[3], 0);
    assert_true(c.bad);
    assert_int_equal(pvb_cur_le16(&c), 0);
    assert_int_equal(pvb_cur_be32(&c), 0);
    assert_true(pvb_cur_le64(&c) == 0 && pvb_cur_be64(&c) == 0 && pvb_cur_u8(&c) == 0);
}

static void test_crc(void **state)
{
    static const char check[] = "123456789";
    uint8_t zeros[32] = { 0 };
    uint32_t r;

    (void)state;
    /* Catalogue check values: CRC-32/ISO-HDLC and CRC-32/ISCSI. */
    assert_int_equal(pvb_crc32(check, 9), 0xcbf43926u);
    assert_int_equal(pvb_crc32c(check, 9), 0xe3069283u);
    assert_int_equal(pvb_crc32("", 0), 0);
    /* RFC 3720 B.4: 32 bytes of zeros. */
    assert_int_equal(pvb_crc32c(zeros, 32), 0x8a9136aau);
    /* Chained updates equal one pass. */
    r = pvb_crc32c_update(0xffffffffu, check, 4);
    r = pvb_crc32c_update(r, check + 4, 5);
    assert_int_equal(~r, 0xe3069283u);
    r = pvb_crc32_update(0xffffffffu, check, 2);
    r = pvb_crc32_update(r, check + 2, 7);
    assert_int_equal(~r, 0xcbf43926u);
}

static void sha_hex(const void *buf, size_t n, size_t step, char out[65])
{
    struct pvb_sha256 s;
    uint8_t d[32];
    size_t off;

    pvb_sha256_init(&s);
    for (off = 0; off < n; off += step)
        pvb_sha256_update(&s, (const uint8_t *)buf + off, n - off < step ? n - off : step);
    pvb_sha256_final(&s, d);
    pvb_sha256_hex(d, out);
}

static void test_sha256(void **state)
{
    static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];
    size_t step;
    char *mil;

    (void)state;
    /* FIPS 180-4 examples and NIST CAVS vectors. */
    sha_hex("", 0, 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex("abc", 3, 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (step = 1; step <= 64; step += 7) {
        sha_hex(two, strlen(two), step, hex);
        assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    mil = malloc(1000000);
    assert_non_null(mil);
    memset(mil, 'a', 1000000);
    sha_hex(mil, 1000000, 4096, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    sha_hex(mil, 55, 55, hex);   /* padding fits the last block exactly */
    assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    sha_hex(mil, 56, 56, hex);   /* padding needs one more block */
    assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    free(mil);
}

static void test_limits_default(void **state)
{
    struct pvb_limits l;

    (void)state;
    pvb_limits_default(&l);
    assert_int_equal(l.max_symlinks, 8);
    assert_int_equal(l.max_config, 1 << 20);
    assert_true(l.max_alloc <= l.max_mem);
    assert_true(l.max_parts >= 128);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_ctx_messages),
        cmocka_unit_test(test_mem_limits),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_decoders),
        cmocka_unit_test(test_cursor),
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_limits_default),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
