/* test_advise.c — the doctor's advice on fixed ports: which fixes it
 * offers (each one the model says works), the sharing notes, the words for
 * unknown flags, and whether a kernel answer contradicts the verdict.
 * The verdicts are rules.c's (test_rules.c); the real kernel holds both in
 * tests/cli/why.bats. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <cmocka.h>

#include "doctor/advise.h"

static const struct rules_host host = { .unprivileged_port_start = 1024, .cap_net_bind_service = 1 };

/* A row as the inspector reads it: ra/rp 1, 0, or -1 (unreadable). */
static struct inspect_sock row(int proto, const char *addr, int ra, int rp, int state, int pid,
			       uint32_t inode)
{
	struct inspect_sock s;

	memset(&s, 0, sizeof s);
	s.proto = (uint8_t)proto;
	s.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(s.family, addr, &s.laddr);
	s.lport = 5000;
	s.reuseaddr = (int8_t)ra;
	s.reuseport = (int8_t)rp;
	s.state = (uint8_t)state;
	s.pid = pid;
	s.fd = pid ? 3 : -1;
	if (pid)
		strcpy(s.comm, "server");
	s.inode = inode;
	return s;
}

static struct rules_sock cand_of(int proto, const char *addr, int ra, int rp)
{
	struct rules_sock c;

	memset(&c, 0, sizeof c);
	c.proto = (uint8_t)proto;
	c.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(c.family, addr, &c.addr);
	c.port = 5000;
	c.reuseaddr = (int8_t)ra;
	c.reuseport = (int8_t)rp;
	c.state = TCP_CLOSE;
	return c;
}

/* One port, advised: the rows given, the verdicts and the fixes. */
struct seen {
	struct rules_sock cand;
	struct probe_port port;
	struct advise_case c;
	struct rules_result res;
	struct rules_outcomes out;
	struct advise_fixes fx;
	int unknown;
};

static void advise(struct seen *s, struct rules_sock cand, const struct inspect_sock *rows, size_t n)
{
	memset(s, 0, sizeof *s);
	s->cand = cand;
	s->port.snap.v = calloc(n + 1, sizeof *rows);
	assert_non_null(s->port.snap.v);
	memcpy(s->port.snap.v, rows, n * sizeof *rows);
	s->port.snap.n = s->port.snap.cap = n;
	assert_int_equal(probe_port_index(&s->port), 0);
	s->c = (struct advise_case){ &s->cand, 0, &s->port, &host };
	s->unknown = advise_predict(&s->c, &s->res, &s->out);
	assert_true(s->unknown >= 0);
	advise_fixes(&s->c, &s->res, &s->out, &s->fx);
}

/* lab 04: a plain socket held by a process: this side alone cannot share,
 * both sides can (and then delivery is the notes' business) */
static void udp_plain_blocker_both_sides_then_another_port(void **state)
{
	struct inspect_sock r = row(IPPROTO_UDP, "127.0.0.1", 0, 0, TCP_CLOSE, 4242, 100);
	struct seen s;

	(void)state;
	advise(&s, cand_of(IPPROTO_UDP, "127.0.0.1", 0, 0), &r, 1);
	assert_int_equal(s.res.err, EADDRINUSE);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(s.fx.n, 3);
	assert_string_equal(s.fx.fixes[0], "set SO_REUSEADDR on both: the other socket is pid 4242 (server), "
				      "which has it off");
	assert_string_equal(s.fx.fixes[1], "set SO_REUSEPORT on both (same uid): the other socket is "
				      "pid 4242 (server)");
	assert_string_equal(s.fx.fixes[2], "bind another port, or port 0 and let the kernel choose");
	/* SO_REUSEADDR sharing, a reuseport group, the story: in that order */
	assert_int_equal(s.fx.nnotes, 3);
	assert_non_null(strstr(s.fx.notes[0], "the one bound last (lab 06"));
	assert_non_null(strstr(s.fx.notes[1], "a SO_REUSEPORT group"));
	assert_non_null(strstr(s.fx.notes[2], "(the story, lab 07)"));
	probe_port_free(&s.port);
}

/* lab 05: the other side has SO_REUSEADDR: setting it here is the
 * smallest change, and "on both" is not offered */
static void udp_reuseaddr_on_the_other_side_is_enough_here(void **state)
{
	struct inspect_sock r = row(IPPROTO_UDP, "0.0.0.0", 1, 0, TCP_CLOSE, 4242, 100);
	struct seen s;

	(void)state;
	advise(&s, cand_of(IPPROTO_UDP, "127.0.0.1", 0, 0), &r, 1);
	assert_int_equal(s.fx.n, 2);
	assert_string_equal(s.fx.fixes[0], "set SO_REUSEADDR on this socket: then it shares with pid 4242 "
				      "(server)");
	assert_string_equal(s.fx.fixes[1], "bind another port, or port 0 and let the kernel choose");
	probe_port_free(&s.port);
}

/* a socket no process socklab sees holds: no program to change on its side */
static void no_owner_no_fix_on_both(void **state)
{
	struct inspect_sock r = row(IPPROTO_UDP, "127.0.0.1", 0, 0, TCP_CLOSE, 0, 100);
	char who[160];
	struct seen s;

	(void)state;
	r.uid = 1000;
	advise(&s, cand_of(IPPROTO_UDP, "127.0.0.1", 0, 0), &r, 1);
	assert_int_equal(s.fx.n, 1);
	assert_string_equal(s.fx.fixes[0], "bind another port, or port 0 and let the kernel choose");
	assert_string_equal(advise_owner(&s.c, 0, who, sizeof who),
			    "a socket of uid 1000 whose process socklab may not see");
	probe_port_free(&s.port);
}

/* lab 14: a restart next to TIME_WAIT connections whose flags nobody can
 * read: unknown, an outcome for each, and the wait names the last one */
static void tcp_time_wait_is_unknown_and_says_how_long_to_wait(void **state)
{
	struct inspect_sock r = row(IPPROTO_TCP, "127.0.0.1", -1, -1, TCP_TIME_WAIT, 0, 0);
	char buf[400];
	struct seen s;

	(void)state;
	inet_pton(AF_INET, "127.0.0.1", &r.raddr);
	r.rport = 41234;
	r.expires_ms = 30500;
	/* without SO_REUSEADDR here it fails whatever theirs: the fixes */
	advise(&s, cand_of(IPPROTO_TCP, "127.0.0.1", 0, 0), &r, 1);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(s.res.err, EADDRINUSE);
	assert_int_equal(s.fx.n, 5);
	assert_non_null(strstr(s.fx.fixes[0], "set SO_REUSEADDR on this socket, if the TIME_WAIT connection "
				"127.0.0.1:5000 -> 127.0.0.1:41234 has SO_REUSEADDR (socklab cannot read its "
				"flags): "));
	assert_non_null(strstr(s.fx.fixes[1], "set SO_REUSEADDR on the new listener and on the old one"));
	assert_non_null(strstr(s.fx.fixes[2], "set SO_REUSEPORT on this socket, if the TIME_WAIT"));
	assert_string_equal(s.fx.fixes[s.fx.n - 2], "wait: Linux keeps a TIME_WAIT connection 60 s; the "
						  "last of these ends in 31 s");
	assert_string_equal(s.fx.fixes[s.fx.n - 1], "bind another port, or port 0 and let the kernel choose");
	assert_int_equal(s.fx.nnotes, 0);
	probe_port_free(&s.port);
	/* with it, their flag decides: unknown, an outcome for each */
	advise(&s, cand_of(IPPROTO_TCP, "127.0.0.1", 1, 0), &r, 1);
	assert_int_equal(s.unknown, 1);
	assert_int_equal(s.out.n, 2);
	assert_non_null(advise_outcome_of(&s.out, 0));
	assert_non_null(advise_outcome_of(&s.out, EADDRINUSE));
	assert_null(advise_outcome_of(&s.out, EACCES));
	assert_string_equal(advise_outcome_flags(&s.out, advise_outcome_of(&s.out, 0)), "has SO_REUSEADDR");
	assert_string_equal(advise_unknown_who(&s.c, &s.out, buf, sizeof buf),
			    "the TIME_WAIT connection 127.0.0.1:5000 -> 127.0.0.1:41234");
	advise_unknown_text(&s.c, &s.out, buf, sizeof buf);
	assert_non_null(strstr(buf, "the SO_REUSEADDR/SO_REUSEPORT of the TIME_WAIT connection"));
	assert_non_null(strstr(buf, "sock_diag does not report them"));
	assert_string_equal(advise_owner(&s.c, 0, buf, sizeof buf),
			    "a TIME_WAIT connection (the kernel's, no process)");
	probe_port_free(&s.port);
}

/* lab 08: joining a reuseport group succeeds; no fixes, the group's note */
static void udp_joining_a_reuseport_group_notes_the_hash(void **state)
{
	struct inspect_sock r = row(IPPROTO_UDP, "0.0.0.0", 0, 1, TCP_CLOSE, 4242, 100);
	struct seen s;

	(void)state;
	advise(&s, cand_of(IPPROTO_UDP, "0.0.0.0", 0, 1), &r, 1);
	assert_int_equal(s.res.err, 0);
	assert_int_equal(s.fx.n, 0);
	assert_int_equal(s.fx.nnotes, 2);
	assert_non_null(strstr(s.fx.notes[0], "a SO_REUSEPORT group"));
	assert_non_null(strstr(s.fx.notes[1], "(the story, lab 07)"));
	probe_port_free(&s.port);
}

/* a kernel answer other than every outcome given contradicts the model */
static void kernel_answer_against_the_verdict(void **state)
{
	struct inspect_sock r = row(IPPROTO_UDP, "127.0.0.1", 0, 0, TCP_CLOSE, 4242, 100);
	struct seen s;

	(void)state;
	advise(&s, cand_of(IPPROTO_UDP, "127.0.0.1", 0, 0), &r, 1);
	assert_int_equal(advise_contradicted(&s.res, &s.out, EADDRINUSE), 0);
	assert_int_equal(advise_contradicted(&s.res, &s.out, 0), 1);
	s.res.order_dependent = 1;	/* either answer was possible */
	assert_int_equal(advise_contradicted(&s.res, &s.out, 0), 0);
	assert_int_equal(advise_contradicted(&s.res, &s.out, EACCES), 1);
	probe_port_free(&s.port);
}

/* the model's order is the creation order: by inode, TIME_WAIT first */
static void the_port_is_indexed_oldest_first(void **state)
{
	struct inspect_sock rows[3] = {
		row(IPPROTO_TCP, "127.0.0.1", 0, 0, TCP_LISTEN, 1, 300),
		row(IPPROTO_TCP, "127.0.0.1", -1, -1, TCP_TIME_WAIT, 0, 0),
		row(IPPROTO_TCP, "0.0.0.0", 1, 0, TCP_CLOSE, 2, 200),
	};
	struct seen s;

	(void)state;
	advise(&s, cand_of(IPPROTO_TCP, "127.0.0.1", 0, 0), rows, 3);
	assert_int_equal(s.port.n, 3);
	assert_int_equal(s.port.ex[0].state, TCP_TIME_WAIT);
	assert_int_equal(s.port.ex[0].reuseaddr, -1);
	assert_int_equal(s.port.ex[1].state, TCP_CLOSE);
	assert_int_equal(s.port.ex[1].reuseaddr, 1);
	assert_int_equal(s.port.ex[2].state, TCP_LISTEN);
	assert_int_equal(probe_port_row(&s.port, 2)->inode, 300);
	assert_int_equal(probe_port_row(&s.port, 1)->pid, 2);
	probe_port_free(&s.port);
}

/* the bind asked for, in the verdict's words */
static void the_bind_in_words(void **state)
{
	struct rules_sock c = cand_of(IPPROTO_UDP, "0.0.0.0", 1, 0);
	struct advise_case ac = { &c, 0, NULL, &host };
	char buf[256];

	(void)state;
	c.uid = 1000;
	advise_bind_text(&ac, buf, sizeof buf);
	assert_string_equal(buf, "udp 0.0.0.0:5000 SO_REUSEADDR as uid 1000");
	c = cand_of(IPPROTO_TCP, "::", 0, 0);
	c.v6only = 1;
	c.port = 80;
	ac.listen = 1;
	advise_bind_text(&ac, buf, sizeof buf);
	assert_string_equal(buf, "tcp [::]:80 IPV6_V6ONLY +listen as uid 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(udp_plain_blocker_both_sides_then_another_port),
		cmocka_unit_test(udp_reuseaddr_on_the_other_side_is_enough_here),
		cmocka_unit_test(no_owner_no_fix_on_both),
		cmocka_unit_test(tcp_time_wait_is_unknown_and_says_how_long_to_wait),
		cmocka_unit_test(udp_joining_a_reuseport_group_notes_the_hash),
		cmocka_unit_test(kernel_answer_against_the_verdict),
		cmocka_unit_test(the_port_is_indexed_oldest_first),
		cmocka_unit_test(the_bind_in_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
