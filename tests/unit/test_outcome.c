/* test_outcome.c — the one vocabulary for an outcome (lab/outcome.c):
 * the words every narrator (run, check, the dashboard, a lab alone) uses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lab/outcome.h"

/* as socklab's errtab would, with a mark to show it was used */
static void spell(char *buf, size_t len, int err)
{
	if (err == 0)
		snprintf(buf, len, "success");
	else
		snprintf(buf, len, "E%d!", err);
}

static void a_call_that_failed_when_success_was_expected(void **state)
{
	struct proto_event ev = { .kind = PROTO_CALL, .ret = -1, .err = EADDRINUSE, .want = 0 };
	char buf[128];

	(void)state;
	outcome_result(buf, sizeof buf, &ev, spell);
	assert_string_equal(buf, "-1 E98!");
	outcome_mismatch(buf, sizeof buf, &ev, spell);
	assert_string_equal(buf, "expected success; the kernel answered E98!");
}

static void a_call_that_succeeded_when_an_error_was_expected(void **state)
{
	/* a return of 3 is success, whatever the number */
	struct proto_event ev = { .kind = PROTO_CALL, .ret = 3, .want = EACCES };
	char buf[128];

	(void)state;
	outcome_result(buf, sizeof buf, &ev, spell);
	assert_string_equal(buf, "3");
	outcome_mismatch(buf, sizeof buf, &ev, spell);
	assert_string_equal(buf, "expected E13!; the kernel answered success");
}

static void checks_claims_and_the_tally(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(outcome_check(1), "holds");
	assert_string_equal(outcome_check(0), "does NOT hold");
	assert_string_equal(outcome_claim(1, 0), "proven");
	assert_string_equal(outcome_claim(0, 0), "NOT proven");
	assert_string_equal(outcome_claim(0, 1), "skipped");
	outcome_total(buf, sizeof buf, 3, 1);
	assert_string_equal(buf, "3 of 4 expectations met");
	/* a lab alone prints these; they must be ASCII */
	for (const char *p = OUTCOME_PASS_ASCII OUTCOME_FAIL_ASCII; *p; p++)
		assert_true((unsigned char)*p < 0x80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_call_that_failed_when_success_was_expected),
		cmocka_unit_test(a_call_that_succeeded_when_an_error_was_expected),
		cmocka_unit_test(checks_claims_and_the_tally),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
