/* test_steps.c — where a step's source starts and ends (runner/steps.c):
 * the block before the first step starts after LAB(...), not inside a
 * header comment that happens to hold ");". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "runner/steps.h"

static const char lab[] =
	"/* Lab 4 — the error the story starts from.\n"	/* 1 */
	" * bind() fails with EADDRINUSE (98); the port keeps one socket.\n" /* 2 */
	" */\n"						/* 3 */
	"#include \"lab/lab.h\"\n"			/* 4 */
	"LAB(4, \"addr-in-use\", \"title\",\n"		/* 5 */
	"    \"summary\");\n"				/* 6 */
	"int main(void)\n"				/* 7 */
	"{\n"						/* 8 */
	"\tint a = socket(AF_INET, SOCK_DGRAM, 0);\n"	/* 9 */
	"\tSTEP(\"The first socket binds\",\n"		/* 10 */
	"\t     \"why\");\n"				/* 11 */
	"\tEXPECT_OK(bind(a, x, n));\n";		/* 12 */

static void before_the_first_step_starts_after_lab(void **state)
{
	(void)state;
	assert_int_equal(steps_body_start(lab, 0), 7);
	/* without a LAB() line: from the top */
	assert_int_equal(steps_body_start("int main(void)\n{\n", 0), 1);
}

static void a_step_starts_after_its_step_statement(void **state)
{
	(void)state;
	assert_int_equal(steps_body_start(lab, 10), 12);
	assert_int_equal(steps_statement_end(lab, 9), 10);
	assert_int_equal(steps_statement_end(lab, 12), 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(before_the_first_step_starts_after_lab),
		cmocka_unit_test(a_step_starts_after_its_step_statement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
