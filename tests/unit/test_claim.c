/* test_claim.c — the one decider of claim outcomes (src/lab/claim.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lab/claim.h"
#include "lab/outcome.h"

static struct claim_fold fold;
static struct claim_result res[CLAIM_MAX_OPEN];

static int feed_ev(struct proto_event ev)
{
	return claim_fold_feed(&fold, &ev, res, CLAIM_MAX_OPEN);
}

static int step(long n)
{
	return feed_ev((struct proto_event){ .kind = PROTO_STEP, .step = n, .line = 10 * n });
}

static int claim(long stepno, long line, const char *id)
{
	struct proto_event ev = { .kind = PROTO_CLAIM, .step = stepno, .line = line };

	snprintf(ev.id, sizeof ev.id, "%s", id);
	return feed_ev(ev);
}

static int call(int ok, long line)
{
	return feed_ev((struct proto_event){ .kind = PROTO_CALL, .ok = ok, .line = line });
}

static int check(int ok)
{
	return feed_ev((struct proto_event){ .kind = PROTO_CHECK, .ok = ok, .line = 99 });
}

static int end(void)
{
	return feed_ev((struct proto_event){ .kind = PROTO_END });
}

static int setup(void **state)
{
	(void)state;
	claim_fold_init(&fold);
	return 0;
}

static void proven_when_every_expectation_of_its_step_held(void **state)
{
	(void)state;
	step(1);
	assert_int_equal(claim(1, 11, "a"), 0);	/* not before its step ends */
	call(1, 12);
	check(1);
	assert_int_equal(step(2), 1);
	assert_string_equal(res[0].id, "a");
	assert_int_equal(res[0].step, 1);
	assert_int_equal(res[0].line, 11);
	assert_int_equal(res[0].outcome, CLAIM_PROVEN);
	assert_string_equal(res[0].why, "");
	assert_string_equal(outcome_claim(res[0].outcome == CLAIM_PROVEN,
					  res[0].outcome == CLAIM_SKIPPED), "proven");
}

static void failed_when_one_expectation_failed_whoever_made_it(void **state)
{
	(void)state;
	step(3);
	claim(3, 31, "b");
	call(1, 32);
	call(0, 33);	/* another role's call: still this step's */
	assert_int_equal(end(), 1);
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
	assert_non_null(strstr(res[0].why, "line 33"));
}

static void failed_when_the_step_checks_nothing(void **state)
{
	(void)state;
	step(1);
	claim(1, 11, "c");
	feed_ev((struct proto_event){ .kind = PROTO_NOTE });
	assert_int_equal(step(2), 1);
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
	assert_non_null(strstr(res[0].why, "no expectation"));
}

static void expectations_of_the_next_step_do_not_count(void **state)
{
	(void)state;
	step(1);
	claim(1, 11, "d");
	assert_int_equal(step(2), 1);	/* settled here, with nothing checked */
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
	call(1, 21);
	assert_int_equal(end(), 0);
}

static void a_lab_error_in_the_step_fails_it(void **state)
{
	(void)state;
	step(1);
	claim(1, 11, "e");
	call(1, 12);
	feed_ev((struct proto_event){ .kind = PROTO_ERROR, .text = "role died" });
	assert_int_equal(end(), 1);
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
}

static void skipped_step_and_unreached_claims_are_skipped_with_the_reason(void **state)
{
	(void)state;
	step(1);
	claim(1, 11, "f");
	call(1, 12);
	feed_ev((struct proto_event){ .kind = PROTO_SKIP, .text = "no second user id" });
	/* the runtime names the claims it never reached: settled at once */
	assert_int_equal(claim(0, 40, "g"), 1);
	assert_int_equal(res[0].outcome, CLAIM_SKIPPED);
	assert_int_equal(res[0].step, 0);
	assert_string_equal(res[0].why, "no second user id");
	assert_int_equal(end(), 1);
	assert_string_equal(res[0].id, "f");
	assert_int_equal(res[0].outcome, CLAIM_SKIPPED);
	assert_string_equal(res[0].why, "no second user id");
}

/* Lab 17 with --host as a user: one role skips its step, the other role's
 * later steps still run, and their claims are decided by what they did. */
static void a_skipped_step_leaves_the_next_steps_claims_to_their_expectations(void **state)
{
	(void)state;
	step(4);
	feed_ev((struct proto_event){ .kind = PROTO_SKIP, .text = "no CAP_NET_BIND_SERVICE" });
	assert_int_equal(step(5), 0);	/* step 4 claimed nothing */
	claim(5, 51, "k");
	call(1, 52);
	assert_int_equal(step(6), 1);
	assert_string_equal(res[0].id, "k");
	assert_int_equal(res[0].outcome, CLAIM_PROVEN);
	claim(6, 61, "l");
	call(0, 62);
	assert_int_equal(end(), 1);
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
}

static void unreached_without_a_skip_fails(void **state)
{
	(void)state;
	step(1);
	call(1, 12);
	assert_int_equal(claim(0, 40, "h"), 1);
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
}

static void a_run_that_ends_early_fails_the_open_claims(void **state)
{
	(void)state;
	step(1);
	claim(1, 11, "i");
	claim(1, 12, "j");
	call(1, 13);
	assert_int_equal(claim_fold_finish(&fold, "the lab hung", res, CLAIM_MAX_OPEN), 2);
	assert_int_equal(res[0].outcome, CLAIM_FAILED);
	assert_int_equal(res[1].outcome, CLAIM_FAILED);
	assert_string_equal(res[1].id, "j");
	assert_string_equal(res[1].why, "the lab hung");
	assert_int_equal(claim_fold_finish(&fold, NULL, res, CLAIM_MAX_OPEN), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(proven_when_every_expectation_of_its_step_held, setup),
		cmocka_unit_test_setup(failed_when_one_expectation_failed_whoever_made_it, setup),
		cmocka_unit_test_setup(failed_when_the_step_checks_nothing, setup),
		cmocka_unit_test_setup(expectations_of_the_next_step_do_not_count, setup),
		cmocka_unit_test_setup(a_lab_error_in_the_step_fails_it, setup),
		cmocka_unit_test_setup(skipped_step_and_unreached_claims_are_skipped_with_the_reason, setup),
		cmocka_unit_test_setup(a_skipped_step_leaves_the_next_steps_claims_to_their_expectations, setup),
		cmocka_unit_test_setup(unreached_without_a_skip_fails, setup),
		cmocka_unit_test_setup(a_run_that_ends_early_fails_the_open_claims, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
