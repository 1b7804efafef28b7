/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for util/safemath.h; test_safemath_portable.c reruns them on the fallback. */
#include <string.h>

#include "testlib.h"
#include "util/safemath.h"

static void test_add_sub(void **state)
{
    uint64_t r;
    size_t z;

    (void)state;
    assert_int_equal(pvb_add_u64(1, 2, &r), 0);
    assert_true(r == 3);
    assert_int_equal(pvb_add_u64(UINT64_MAX, 0, &r), 0);
    assert_int_equal(pvb_add_u64(UINT64_MAX, 1, &r), 1);
    assert_int_equal(pvb_add_u64(UINT64_MAX / 2 + 1, UINT64_MAX / 2 + 1, &r), 1);
    assert_int_equal(pvb_sub_u64(5, 3, &r), 0);
    assert_true(r == 2);
    assert_int_equal(pvb_sub_u64(3, 5, &r), 1);
    assert_int_equal(pvb_add_sz((size_t)-1, 1, &z), 1);
    assert_int_equal(pvb_add_sz(40, 2, &z), 0);
    assert_true(z == 42);
}

static void test_mul(void **state)
{
    uint64_t r;
    size_t z;

    (void)state;
    assert_int_equal(pvb_mul_u64(0, UINT64_MAX, &r), 0);
    assert_true(r == 0);
    assert_int_equal(pvb_mul_u64(UINT64_MAX, 1, &r), 0);
    assert_int_equal(pvb_mul_u64((uint64_t)1 << 32, (uint64_t)1 << 32, &r), 1);
    assert_int_equal(pvb_mul_u64((uint64_t)1 << 31, (uint64_t)1 << 32, &r), 0);
    assert_true(r == (uint64_t)1 << 63);
    assert_int_equal(pvb_mul_u64(3, UINT64_MAX / 3 + 1, &r), 1);
    assert_int_equal(pvb_mul_sz((size_t)-1, 2, &z), 1);
    assert_int_equal(pvb_mul_sz(6, 7, &z), 0);
    assert_true(z == 42);
}

static void test_span(void **state)
{
    size_t z;

    (void)state;
    assert_true(pvb_span_ok(0, 10, 10));
    assert_true(pvb_span_ok(10, 0, 10));
    assert_false(pvb_span_ok(11, 0, 10));
    assert_false(pvb_span_ok(5, 6, 10));
    assert_false(pvb_span_ok(UINT64_MAX, 2, UINT64_MAX));
    assert_false(pvb_span_ok(2, UINT64_MAX, UINT64_MAX));
    assert_int_equal(pvb_u64_to_sz(123, &z), 0);
    assert_true(z == 123);
    assert_int_equal(pvb_u64_to_sz(UINT64_MAX, &z), sizeof(size_t) < 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul),
        cmocka_unit_test(test_span),
    };
#ifdef PVB_HAVE_OVERFLOW_BUILTINS
    return cmocka_run_group_tests_name("safemath (builtins)", tests, NULL, NULL);
#else
    return cmocka_run_group_tests_name("safemath (portable)", tests, NULL, NULL);
#endif
}
