/* test_play.c — the playground's line language (src/play/parse.c): what
 * a line means, and one clear reason for each line it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "play/play.h"

static void a_line_names_its_role_variable_call_and_arguments(void **state)
{
	struct play_cmd c;
	char why[256];
	const struct sockaddr_in *in;

	(void)state;
	assert_int_equal(play_parse("client: bind(c, 127.0.0.1:5000)   # a comment", &c, why, sizeof why), 1);
	assert_string_equal(c.role, "client");
	assert_int_equal(c.call, PLAY_BIND);
	assert_int_equal(c.nargs, 2);
	assert_int_equal(c.args[0].kind, PLAY_ARG_VAR);
	in = (const struct sockaddr_in *)&c.args[1].addr;
	assert_int_equal(in->sin_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 5000);
	assert_int_equal(in->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_string_equal(c.text, "bind(c, 127.0.0.1:5000)");

	assert_int_equal(play_parse("s = socket(udp6)", &c, why, sizeof why), 1);
	assert_string_equal(c.role, "main");	/* no role: main */
	assert_string_equal(c.var, "s");

	assert_int_equal(play_parse("x as uid 65534: t = socket(tcp)", &c, why, sizeof why), 1);
	assert_int_equal(c.uid, 65534);
	assert_string_equal(c.role, "x");
}

static void strings_keep_their_bytes_and_hashes(void **state)
{
	struct play_cmd c;
	char why[256];

	(void)state;
	assert_int_equal(play_parse("p: sendto(p, \"a#b\\x00\\n\", [::1]:5000) # c", &c, why, sizeof why), 1);
	assert_int_equal(c.args[1].num, 5);
	assert_memory_equal(c.args[1].text, "a#b\0\n", 5);
	assert_string_equal(c.text, "sendto(p, \"a#b\\x00\\n\", [::1]:5000)");
	assert_int_equal(c.args[2].addr.ss_family, AF_INET6);
}

static void blank_and_comment_lines_are_nothing(void **state)
{
	struct play_cmd c;
	char why[64];

	(void)state;
	assert_int_equal(play_parse("", &c, why, sizeof why), 0);
	assert_int_equal(play_parse("   # only a comment", &c, why, sizeof why), 0);
}

static void each_refusal_says_why(void **state)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{ "nope(s)", "unknown call 'nope'" },
		{ "bind(s, 127.0.0.1:70000)", "the port is a number from 0 to 65535" },
		{ "bind(s, 127.0.0.1)", "needs a port" },
		{ "bind(s)", "bind takes 2 arguments" },
		{ "setsockopt(s, SO_WHAT, 1)", "unknown option 'SO_WHAT'" },
		{ "socket(sctp)", "is not udp, tcp, udp6 or tcp6" },
		{ "x = bind(s, 127.0.0.1:1)", "gives no descriptor to keep in 'x'" },
		{ "send(s, \"open)", "without its closing" },
		{ "ip(\"link add a; reboot\")", "no shell characters" },
		{ "bind(s, 1.2.3.4:5) bind(s, 1.2.3.4:5)", "one call a line" },
		{ "a as uid x: socket(udp)", "'as uid N'" },
	};
	struct play_cmd c;
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		assert_int_equal(play_parse(bad[i].line, &c, why, sizeof why), -1);
		if (!strstr(why, bad[i].why))
			fail_msg("%s: '%s' does not say '%s'", bad[i].line, why, bad[i].why);
		assert_null(strchr(why, '\n'));	/* one line */
	}
}

static void completion_offers_the_words_that_fit(void **state)
{
	(void)state;
	assert_string_equal(play_complete("SO_REUSEA", 0), "SO_REUSEADDR");
	assert_null(play_complete("SO_REUSEA", 1));
	assert_string_equal(play_complete("so_reusep", 0), "SO_REUSEPORT");	/* any case */
	assert_string_equal(play_complete("setso", 0), "setsockopt");
	assert_string_equal(play_complete("udp", 0), "udp");
	assert_string_equal(play_complete("udp", 1), "udp6");
	assert_null(play_complete("zzz", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_line_names_its_role_variable_call_and_arguments),
		cmocka_unit_test(strings_keep_their_bytes_and_hashes),
		cmocka_unit_test(blank_and_comment_lines_are_nothing),
		cmocka_unit_test(each_refusal_says_why),
		cmocka_unit_test(completion_offers_the_words_that_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
