/* test_outcome.c — the one vocabulary for an outcome (lab/outcome.c):
 * the words every narrator (run, check, the dashboard, a lab alone) uses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

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

static void a_payload_is_one_escaped_line_cut_with_dots(void **state)
{
	char buf[16];

	(void)state;
	outcome_payload(buf, sizeof buf, "pong", 4);
	assert_string_equal(buf, "pong");
	outcome_payload(buf, sizeof buf, "a\"b\\\n\x01", 6);
	assert_string_equal(buf, "a\\\"b\\\\\\n\\x01");
	/* 20 bytes into 16: cut at a whole character, then "..." */
	outcome_payload(buf, sizeof buf, "0123456789abcdefghij", 20);
	assert_string_equal(buf, "0123456789ab...");
	/* an escape never cut in half */
	outcome_payload(buf, sizeof buf, "0123456789\x7f\x7f", 12);
	assert_string_equal(buf, "0123456789...");
	outcome_payload(buf, sizeof buf, "", 0);
	assert_string_equal(buf, "");
}

static void addresses_as_people_write_them(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(5001) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
	struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "/run/x" };
	char buf[64];

	(void)state;
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	outcome_address(buf, sizeof buf, &in, sizeof in);
	assert_string_equal(buf, "127.0.0.1:5001");
	in6.sin6_addr = in6addr_loopback;
	outcome_address(buf, sizeof buf, &in6, sizeof in6);
	assert_string_equal(buf, "[::1]:5000");
	outcome_address(buf, sizeof buf, &un, offsetof(struct sockaddr_un, sun_path) + 7);
	assert_string_equal(buf, "unix:/run/x");
	outcome_address(buf, sizeof buf, &un, offsetof(struct sockaddr_un, sun_path));
	assert_string_equal(buf, "unix:(unnamed)");
	outcome_address(buf, sizeof buf, &in, 0);	/* a stream socket's recvfrom */
	assert_string_equal(buf, "");
	outcome_address(buf, sizeof buf, &in, sizeof in - 1);	/* cut short: not read past */
	assert_string_equal(buf, "");
}

static void a_receive_says_what_it_got_and_from_whom(void **state)
{
	struct proto_event ev = { .kind = PROTO_CALL, .ret = 4 };
	char buf[96];

	(void)state;
	outcome_result(buf, sizeof buf, &ev, spell);
	assert_string_equal(buf, "4");	/* no delivery: as before */
	snprintf(ev.data, sizeof ev.data, "pong");
	snprintf(ev.from, sizeof ev.from, "127.0.0.1:5001");
	outcome_result(buf, sizeof buf, &ev, spell);
	assert_string_equal(buf, "4: \"pong\" from 127.0.0.1:5001");
	ev.ret = -1;
	ev.err = EAGAIN;
	outcome_delivery(buf, sizeof buf, &ev);
	assert_string_equal(buf, "");	/* a failed receive got nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_call_that_failed_when_success_was_expected),
		cmocka_unit_test(a_call_that_succeeded_when_an_error_was_expected),
		cmocka_unit_test(checks_claims_and_the_tally),
		cmocka_unit_test(a_payload_is_one_escaped_line_cut_with_dots),
		cmocka_unit_test(addresses_as_people_write_them),
		cmocka_unit_test(a_receive_says_what_it_got_and_from_whom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
