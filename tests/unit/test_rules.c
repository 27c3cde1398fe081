/* test_rules.c — the bind model on fixed cases, each one a fact the labs
 * (and the property test, tests/tools/bindprop) measured on the kernel. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <cmocka.h>

#include "doctor/rules.h"

static const struct rules_host host = { .unprivileged_port_start = 1024, .cap_net_bind_service = 1 };

static struct rules_sock sock(int proto, const char *addr, int ra, int rp, uint32_t uid, int state)
{
	struct rules_sock s;

	memset(&s, 0, sizeof s);
	s.proto = (uint8_t)proto;
	s.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(s.family, addr, &s.addr);
	s.port = 5000;
	s.reuseaddr = (int8_t)ra;
	s.reuseport = (int8_t)rp;
	s.uid = uid;
	s.state = (uint8_t)state;
	return s;
}

static int predict(const struct rules_sock *cand, int listen, const struct rules_sock *ex, size_t n)
{
	struct rules_result r;

	rules_predict(cand, listen, ex, n, &host, &r);
	return r.err;
}

/* lab 04: a plain bound UDP socket refuses a second bind */
static void udp_second_bind_without_options_is_in_use(void **state)
{
	struct rules_sock first = sock(IPPROTO_UDP, "127.0.0.1", 0, 0, 0, TCP_CLOSE);
	struct rules_sock cand = sock(IPPROTO_UDP, "127.0.0.1", 0, 0, 0, TCP_CLOSE);
	struct rules_result r;

	(void)state;
	rules_predict(&cand, 0, &first, 1, &host, &r);
	assert_int_equal(r.err, EADDRINUSE);
	assert_int_equal(r.nblockers, 1);
	assert_int_equal(r.blockers[0], 0);
}

/* labs 05 and 06: SO_REUSEADDR shares only when both set it */
static void udp_reuseaddr_shares_only_on_both_sides(void **state)
{
	struct rules_sock plain = sock(IPPROTO_UDP, "127.0.0.1", 0, 0, 0, TCP_CLOSE);
	struct rules_sock ra = sock(IPPROTO_UDP, "127.0.0.1", 1, 0, 0, TCP_CLOSE);

	(void)state;
	assert_int_equal(predict(&ra, 0, &plain, 1), EADDRINUSE);
	assert_int_equal(predict(&ra, 0, &ra, 1), 0);
}

/* labs 08 and 09: a reuseport group admits one uid; SO_REUSEADDR on both
 * shares whatever the uids */
static void udp_reuseport_needs_the_same_uid_reuseaddr_does_not(void **state)
{
	struct rules_sock svc = sock(IPPROTO_UDP, "0.0.0.0", 0, 1, 0, TCP_CLOSE);
	struct rules_sock other = sock(IPPROTO_UDP, "0.0.0.0", 0, 1, 65534, TCP_CLOSE);
	struct rules_sock same = sock(IPPROTO_UDP, "0.0.0.0", 0, 1, 0, TCP_CLOSE);
	struct rules_sock svc_ra = sock(IPPROTO_UDP, "0.0.0.0", 1, 0, 0, TCP_CLOSE);
	struct rules_sock intruder = sock(IPPROTO_UDP, "0.0.0.0", 1, 0, 65534, TCP_CLOSE);

	(void)state;
	assert_int_equal(predict(&other, 0, &svc, 1), EADDRINUSE);
	assert_int_equal(predict(&same, 0, &svc, 1), 0);
	assert_int_equal(predict(&intruder, 0, &svc_ra, 1), 0);
}

/* udp_lib_lport_inuse() of Debian's kernels: the newest socket on the port
 * that meets the candidate decides; a reuseport partner there answers
 * "free".  Some kernels ask every socket (udp_bind_all, doctor/udpwalk.h). */
static void udp_first_reuseport_partner_in_the_chain_decides(void **state)
{
	struct rules_sock ex[2] = {
		sock(IPPROTO_UDP, "127.0.0.1", 0, 0, 65534, TCP_CLOSE),	/* older: would refuse */
		sock(IPPROTO_UDP, "127.0.0.2", 0, 1, 0, TCP_CLOSE),	/* newer: a partner */
	};
	struct rules_sock cand = sock(IPPROTO_UDP, "0.0.0.0", 1, 1, 0, TCP_CLOSE);
	struct rules_sock swapped[2] = { ex[1], ex[0] };
	struct rules_host all = host;
	struct rules_result r;

	(void)state;
	all.udp_bind_all = 1;
	rules_predict(&cand, 0, ex, 2, &host, &r);
	assert_int_equal(r.err, 0);
	/* the other way round the refusing socket is met first */
	rules_predict(&cand, 0, swapped, 2, &host, &r);
	assert_int_equal(r.err, EADDRINUSE);
	/* a kernel that asks both, in either order: the refuser refuses */
	rules_predict(&cand, 0, ex, 2, &all, &r);
	assert_int_equal(r.err, EADDRINUSE);
	assert_false(r.order_dependent);
	assert_int_equal(r.nblockers, 1);
	assert_int_equal(r.blockers[0], 0);
	rules_predict(&cand, 0, swapped, 2, &all, &r);
	assert_int_equal(r.err, EADDRINUSE);
}

/* a busy port (more than 10 sockets): a specific candidate is checked
 * against its own address first, then, if that said free, the wildcard
 * (udp_lib_lport_inuse2()) — measured with 11 partners and one refuser */
static void udp_busy_port_checks_own_address_then_wildcard(void **state)
{
	struct rules_sock ex[12];
	struct rules_sock cand = sock(IPPROTO_UDP, "127.0.0.1", 0, 1, 0, TCP_CLOSE);

	(void)state;
	ex[0] = sock(IPPROTO_UDP, "0.0.0.0", 1, 0, 0, TCP_CLOSE);
	for (int i = 1; i < 12; i++)
		ex[i] = sock(IPPROTO_UDP, "127.0.0.1", 1, 1, 0, TCP_CLOSE);
	assert_int_equal(predict(&cand, 0, ex, 12), EADDRINUSE);
	cand.reuseaddr = 1;
	assert_int_equal(predict(&cand, 0, ex, 12), 0);
}

/* an IPv6-only socket cannot bind a v4-mapped address; a link-local one
 * needs an interface */
static void v6only_mapped_and_link_local_are_invalid(void **state)
{
	struct rules_sock mapped = sock(IPPROTO_UDP, "::ffff:127.0.0.1", 0, 0, 0, TCP_CLOSE);
	struct rules_sock ll = sock(IPPROTO_UDP, "fe80::1", 0, 0, 0, TCP_CLOSE);

	(void)state;
	mapped.v6only = 1;
	assert_int_equal(predict(&mapped, 0, NULL, 0), EINVAL);
	assert_int_equal(predict(&ll, 0, NULL, 0), EINVAL);
}

/* lab 10: wildcard and specific overlap */
static void wildcard_and_specific_overlap(void **state)
{
	struct rules_sock any = sock(IPPROTO_UDP, "0.0.0.0", 0, 0, 0, TCP_CLOSE);
	struct rules_sock one = sock(IPPROTO_UDP, "127.0.0.1", 0, 0, 0, TCP_CLOSE);
	struct rules_sock two = sock(IPPROTO_UDP, "127.0.0.2", 0, 0, 0, TCP_CLOSE);

	(void)state;
	assert_int_equal(predict(&one, 0, &any, 1), EADDRINUSE);
	assert_int_equal(predict(&any, 0, &one, 1), EADDRINUSE);
	assert_int_equal(predict(&two, 0, &one, 1), 0);
}

/* lab 15: SO_REUSEADDR on both does not share a listener's port */
static void tcp_reuseaddr_does_not_share_a_listener(void **state)
{
	struct rules_sock lst = sock(IPPROTO_TCP, "127.0.0.1", 1, 0, 0, TCP_LISTEN);
	struct rules_sock bound = sock(IPPROTO_TCP, "127.0.0.1", 1, 0, 0, TCP_CLOSE);
	struct rules_sock cand = sock(IPPROTO_TCP, "127.0.0.1", 1, 0, 0, TCP_CLOSE);
	struct rules_sock rp_lst = sock(IPPROTO_TCP, "127.0.0.1", 0, 1, 0, TCP_LISTEN);
	struct rules_sock rp_cand = sock(IPPROTO_TCP, "127.0.0.1", 0, 1, 0, TCP_CLOSE);

	(void)state;
	assert_int_equal(predict(&cand, 0, &lst, 1), EADDRINUSE);
	assert_int_equal(predict(&cand, 0, &bound, 1), 0);
	assert_int_equal(predict(&rp_cand, 1, &rp_lst, 1), 0);
}

/* lab 14: the TIME_WAIT socket carries the old listener's SO_REUSEADDR */
static void tcp_time_wait_needs_reuseaddr_on_the_old_side_too(void **state)
{
	struct rules_sock tw_off = sock(IPPROTO_TCP, "127.0.0.1", 0, 0, 0, TCP_TIME_WAIT);
	struct rules_sock tw_on = sock(IPPROTO_TCP, "127.0.0.1", 1, 0, 0, TCP_TIME_WAIT);
	struct rules_sock cand = sock(IPPROTO_TCP, "127.0.0.1", 1, 0, 0, TCP_CLOSE);

	(void)state;
	assert_int_equal(predict(&cand, 1, &tw_off, 1), EADDRINUSE);
	assert_int_equal(predict(&cand, 1, &tw_on, 1), 0);
}

/* lab 16: [::] without IPV6_V6ONLY holds 0.0.0.0 too; with it, not */
static void dual_stack_wildcard_holds_ipv4_unless_v6only(void **state)
{
	struct rules_sock dual = sock(IPPROTO_UDP, "::", 0, 0, 0, TCP_CLOSE);
	struct rules_sock v6only = dual;
	struct rules_sock v4 = sock(IPPROTO_UDP, "0.0.0.0", 0, 0, 0, TCP_CLOSE);

	(void)state;
	v6only.v6only = 1;
	assert_int_equal(predict(&v4, 0, &dual, 1), EADDRINUSE);
	assert_int_equal(predict(&v4, 0, &v6only, 1), 0);
	assert_int_equal(predict(&dual, 0, &v4, 1), EADDRINUSE);
}

/* lab 17: a port below ip_unprivileged_port_start without the capability;
 * an address the host does not have */
static void privileged_port_and_foreign_address(void **state)
{
	struct rules_host user = host;
	struct in6_addr lo4 = { .s6_addr = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, 127,0,0,1 } };
	struct rules_sock low = sock(IPPROTO_UDP, "127.0.0.1", 0, 0, 65534, TCP_CLOSE);
	struct rules_sock foreign = sock(IPPROTO_UDP, "192.0.2.1", 0, 0, 0, TCP_CLOSE);
	struct rules_result r;

	(void)state;
	low.port = 1023;
	user.cap_net_bind_service = 0;
	rules_predict(&low, 0, NULL, 0, &user, &r);
	assert_int_equal(r.err, EACCES);
	user.cap_net_bind_service = 1;
	user.addrs = &lo4;
	user.naddrs = 1;
	rules_predict(&foreign, 0, NULL, 0, &user, &r);
	assert_int_equal(r.err, EADDRNOTAVAIL);
	user.freebind = 1;
	rules_predict(&foreign, 0, NULL, 0, &user, &r);
	assert_int_equal(r.err, 0);
}

/* unknown flags (no owner to ask) count as off, and the answer says so */
static void unknown_flags_make_the_answer_uncertain(void **state)
{
	struct rules_sock tw = sock(IPPROTO_TCP, "127.0.0.1", -1, -1, 0, TCP_TIME_WAIT);
	struct rules_sock cand = sock(IPPROTO_TCP, "127.0.0.1", 1, 0, 0, TCP_CLOSE);
	struct rules_result r;

	(void)state;
	rules_predict(&cand, 0, &tw, 1, &host, &r);
	assert_int_equal(r.err, EADDRINUSE);
	assert_int_equal(r.uncertain, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(udp_second_bind_without_options_is_in_use),
		cmocka_unit_test(udp_reuseaddr_shares_only_on_both_sides),
		cmocka_unit_test(udp_reuseport_needs_the_same_uid_reuseaddr_does_not),
		cmocka_unit_test(udp_first_reuseport_partner_in_the_chain_decides),
		cmocka_unit_test(udp_busy_port_checks_own_address_then_wildcard),
		cmocka_unit_test(v6only_mapped_and_link_local_are_invalid),
		cmocka_unit_test(wildcard_and_specific_overlap),
		cmocka_unit_test(tcp_reuseaddr_does_not_share_a_listener),
		cmocka_unit_test(tcp_time_wait_needs_reuseaddr_on_the_old_side_too),
		cmocka_unit_test(dual_stack_wildcard_holds_ipv4_unless_v6only),
		cmocka_unit_test(privileged_port_and_foreign_address),
		cmocka_unit_test(unknown_flags_make_the_answer_uncertain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
