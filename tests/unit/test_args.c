/* test_args.c — strict parsing of command-line numbers, ports and ranges. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "args.h"

#define UNTOUCHED 4242	/* outputs must keep this when parsing fails */

static void port_ok(const char *s, int want)
{
	int port = UNTOUCHED;

	errno = 0;
	if (args_port(s, &port) != 0)
		fail_msg("args_port(\"%s\") failed: errno %d", s, errno);
	assert_int_equal(port, want);
}

static void port_bad(const char *s, int want_errno)
{
	int port = UNTOUCHED;

	errno = 0;
	if (args_port(s, &port) != -1 || errno != want_errno)
		fail_msg("args_port(\"%s\") should fail with errno %d, got errno %d",
			 s ? s : "(null)", want_errno, errno);
	assert_int_equal(port, UNTOUCHED);
}

static void int_bad(const char *s, long lo, long hi, int want_errno)
{
	long v = UNTOUCHED;

	errno = 0;
	if (args_int(s, lo, hi, &v) != -1 || errno != want_errno)
		fail_msg("args_int(\"%s\", %ld, %ld) should fail with errno %d, got errno %d",
			 s ? s : "(null)", lo, hi, want_errno, errno);
	assert_int_equal(v, UNTOUCHED);
}

static void range_ok(const char *s, long lo, long hi, long want_first, long want_last)
{
	long first = UNTOUCHED, last = UNTOUCHED;

	errno = 0;
	if (args_range(s, lo, hi, &first, &last) != 0)
		fail_msg("args_range(\"%s\", %ld, %ld) failed: errno %d", s, lo, hi, errno);
	assert_int_equal(first, want_first);
	assert_int_equal(last, want_last);
}

static void range_bad(const char *s, long lo, long hi, int want_errno)
{
	long first, last;

	errno = 0;
	if (args_range(s, lo, hi, &first, &last) != -1 || errno != want_errno)
		fail_msg("args_range(\"%s\", %ld, %ld) should fail with errno %d, got errno %d",
			 s ? s : "(null)", lo, hi, want_errno, errno);
}

static void int_accepts_plain_decimal_within_inclusive_bounds(void **state)
{
	long v = UNTOUCHED;

	(void)state;
	assert_int_equal(args_int("5", 1, 10, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(args_int("1", 1, 10, &v), 0);	/* lo itself */
	assert_int_equal(v, 1);
	assert_int_equal(args_int("10", 1, 10, &v), 0);	/* hi itself */
	assert_int_equal(v, 10);
	assert_int_equal(args_int("0", 0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(args_int("007", 0, 10, &v), 0);	/* leading zeros are decimal */
	assert_int_equal(v, 7);
	assert_int_equal(args_int("9223372036854775807", 0, LONG_MAX, &v), 0);
	assert_int_equal(v, LONG_MAX);
}

static void int_refuses_out_of_bounds_with_erange(void **state)
{
	(void)state;
	int_bad("0", 1, 10, ERANGE);
	int_bad("11", 1, 10, ERANGE);
	int_bad("9223372036854775808", 0, LONG_MAX, ERANGE);	/* > LONG_MAX */
	int_bad("99999999999999999999", 0, LONG_MAX, ERANGE);
}

static void int_refuses_anything_but_digits_with_einval(void **state)
{
	(void)state;
	int_bad(NULL, 0, 10, EINVAL);
	int_bad("", 0, 10, EINVAL);
	int_bad("-", 0, 10, EINVAL);
	int_bad("+3", 0, 10, EINVAL);
	int_bad(" 1", 0, 10, EINVAL);
	int_bad("1 ", 0, 10, EINVAL);
	int_bad("12x", 0, 100, EINVAL);
	int_bad("x12", 0, 100, EINVAL);
	int_bad("0x1", 0, 100, EINVAL);
	int_bad("1.0", 0, 100, EINVAL);
	int_bad("1\n", 0, 100, EINVAL);
	int_bad("1e2", 0, 1000, EINVAL);
	/* an unusable string is EINVAL even when also out of range */
	int_bad("99999999999999999999x", 0, 10, EINVAL);
}

static void port_accepts_1_through_65535(void **state)
{
	(void)state;
	port_ok("1", 1);
	port_ok("80", 80);
	port_ok("5000", 5000);
	port_ok("65535", 65535);
	port_ok("00443", 443);
}

static void port_refuses_0_and_65536_and_overflow_with_erange(void **state)
{
	(void)state;
	port_bad("0", ERANGE);
	port_bad("65536", ERANGE);
	port_bad("100000", ERANGE);
	port_bad("99999999999999999999", ERANGE);
}

static void port_refuses_signs_spaces_and_garbage_with_einval(void **state)
{
	(void)state;
	port_bad("-1", EINVAL);
	port_bad("abc", EINVAL);
	port_bad("", EINVAL);
	port_bad(" 1", EINVAL);
	port_bad("+3", EINVAL);
	port_bad("12x", EINVAL);
	port_bad("80 ", EINVAL);
	port_bad(NULL, EINVAL);
}

static void range_accepts_pair_and_single_number(void **state)
{
	(void)state;
	range_ok("1-7", 1, 7, 1, 7);
	range_ok("7", 1, 7, 7, 7);	/* a single N is N-N */
	range_ok("3-3", 1, 7, 3, 3);
	range_ok("02-05", 1, 7, 2, 5);
	range_ok("0-999", 0, 999, 0, 999);
}

static void range_refuses_reversed_pair_with_einval(void **state)
{
	(void)state;
	range_bad("7-1", 1, 7, EINVAL);
	range_bad("2-1", 0, 999, EINVAL);
}

static void range_refuses_malformed_with_einval(void **state)
{
	(void)state;
	range_bad("1-", 1, 7, EINVAL);
	range_bad("-3", 1, 7, EINVAL);
	range_bad("-", 1, 7, EINVAL);
	range_bad("1--2", 1, 7, EINVAL);
	range_bad("1-2-3", 1, 7, EINVAL);
	range_bad("a-b", 1, 7, EINVAL);
	range_bad("1-b", 1, 7, EINVAL);
	range_bad("a-2", 1, 7, EINVAL);
	range_bad("1 -2", 1, 7, EINVAL);
	range_bad("1- 2", 1, 7, EINVAL);
	range_bad("+1-2", 1, 7, EINVAL);
	range_bad("", 1, 7, EINVAL);
	range_bad(NULL, 1, 7, EINVAL);
	range_bad("x", 1, 7, EINVAL);
}

static void range_refuses_out_of_bounds_with_erange(void **state)
{
	(void)state;
	range_bad("0-3", 1, 7, ERANGE);
	range_bad("1-8", 1, 7, ERANGE);
	range_bad("8", 1, 7, ERANGE);
	range_bad("0", 1, 7, ERANGE);
	range_bad("8-9", 1, 7, ERANGE);
	range_bad("1-99999999999999999999", 1, 7, ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(int_accepts_plain_decimal_within_inclusive_bounds),
		cmocka_unit_test(int_refuses_out_of_bounds_with_erange),
		cmocka_unit_test(int_refuses_anything_but_digits_with_einval),
		cmocka_unit_test(port_accepts_1_through_65535),
		cmocka_unit_test(port_refuses_0_and_65536_and_overflow_with_erange),
		cmocka_unit_test(port_refuses_signs_spaces_and_garbage_with_einval),
		cmocka_unit_test(range_accepts_pair_and_single_number),
		cmocka_unit_test(range_refuses_reversed_pair_with_einval),
		cmocka_unit_test(range_refuses_malformed_with_einval),
		cmocka_unit_test(range_refuses_out_of_bounds_with_erange),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
