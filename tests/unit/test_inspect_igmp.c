/* test_inspect_igmp.c — multicast memberships from /proc/net/igmp{,6}.
 *
 * Recorded text under tests/data/proc (see its README) checks the parser;
 * a live test joins groups on lo inside network namespaces this test
 * creates (root only) and reads them back.  Joining sends nothing from
 * us, and nothing leaves those namespaces. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "inspect/inspect.h"

static char data_root[PATH_MAX];	/* tests/data/proc, found from __FILE__ */
static int in_netns;
static pid_t member = -1;		/* a child in a netns of its own */

static int lo_up(void)
{
	struct ifreq ifr;
	int s, ret = -1;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) == 0)
			ret = 0;
	}
	close(s);
	return ret;
}

static int group_setup(void **state)
{
	const char *slash;

	(void)state;
	/* __FILE__ is tests/unit/test_inspect_igmp.c as make passes it. */
	slash = strrchr(__FILE__, '/');
	snprintf(data_root, sizeof(data_root), "%.*s/../data/proc",
		 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (geteuid() == 0 && unshare(CLONE_NEWNET) == 0 && lo_up() == 0)
		in_netns = 1;
	return 0;
}

static int use_data(void **state)
{
	(void)state;
	return setenv("SOCKLAB_PROC_ROOT", data_root, 1);
}

static int use_proc(void **state)
{
	(void)state;
	return unsetenv("SOCKLAB_PROC_ROOT");
}

/* The i-th group is (ifname, family, group, users). */
static void group_is(const struct inspect_groups *g, size_t i, const char *ifname,
		     uint8_t family, const char *group, unsigned users)
{
	struct in6_addr want = IN6ADDR_ANY_INIT;

	assert_true(i < g->n);
	assert_int_equal(inet_pton(family, group, &want), 1);
	assert_string_equal(g->v[i].ifname, ifname);
	assert_int_equal(g->v[i].family, family);
	assert_memory_equal(&g->v[i].group, &want, sizeof(want));
	assert_int_equal(g->v[i].users, users);
}

/* Where (ifname, family, group) is in g, or -1. */
static long find(const struct inspect_groups *g, const char *ifname,
		 uint8_t family, const char *group)
{
	struct in6_addr want = IN6ADDR_ANY_INIT;
	size_t i;

	assert_int_equal(inet_pton(family, group, &want), 1);
	for (i = 0; i < g->n; i++)
		if (g->v[i].family == family && !strcmp(g->v[i].ifname, ifname) &&
		    !memcmp(&g->v[i].group, &want, sizeof(want)))
			return (long)i;
	return -1;
}

/* Our namespace as recorded: lo and a veth pair whose names overflow
 * igmp's ten-character column. */
static void igmp_recorded_own(void **state)
{
	struct inspect_groups g = { 0 };

	(void)state;
	assert_int_equal(inspect_igmp(0, &g), 0);
	assert_int_equal(g.n, 15);
	group_is(&g, 0, "lo", AF_INET, "239.1.2.3", 2);
	group_is(&g, 1, "lo", AF_INET, "224.0.0.1", 1);
	group_is(&g, 2, "veth-socklab1", AF_INET, "224.0.0.1", 1);
	group_is(&g, 3, "veth-socklab0", AF_INET, "239.255.0.1", 1);
	group_is(&g, 4, "veth-socklab0", AF_INET, "224.0.0.1", 1);
	group_is(&g, 5, "lo", AF_INET6, "ff15::1234", 1);
	group_is(&g, 6, "lo", AF_INET6, "ff02::1", 1);
	group_is(&g, 7, "lo", AF_INET6, "ff01::1", 1);
	group_is(&g, 8, "veth-socklab1", AF_INET6, "ff02::1:ffb3:377", 1);
	group_is(&g, 11, "veth-socklab0", AF_INET6, "ff15::abcd:1", 1);
	group_is(&g, 12, "veth-socklab0", AF_INET6, "ff02::1:fffb:3d18", 1);
	group_is(&g, 14, "veth-socklab0", AF_INET6, "ff01::1", 1);
	inspect_groups_free(&g);
	assert_null(g.v);
	assert_int_equal(g.n, 0);
	inspect_groups_free(&g);	/* idempotent */
	inspect_groups_free(NULL);
}

/* PID's namespace: PID/net; the result replaces what out held. */
static void igmp_recorded_pid(void **state)
{
	struct inspect_groups g = { 0 };

	(void)state;
	assert_int_equal(inspect_igmp(0, &g), 0);
	assert_int_equal(inspect_igmp(4242, &g), 0);
	assert_int_equal(g.n, 5);
	group_is(&g, 0, "lo", AF_INET, "224.0.0.251", 1);
	group_is(&g, 1, "lo", AF_INET, "239.4.5.6", 1);
	group_is(&g, 2, "lo", AF_INET, "224.0.0.1", 1);
	group_is(&g, 3, "lo", AF_INET6, "ff02::1", 1);
	group_is(&g, 4, "lo", AF_INET6, "ff01::1", 1);

	/* No igmp6 (IPv6 disabled): IPv4 only.  A running timer, a V2
	 * querier and three users read like any other line. */
	assert_int_equal(inspect_igmp(4300, &g), 0);
	assert_int_equal(g.n, 3);
	group_is(&g, 0, "lo", AF_INET, "224.0.0.1", 1);
	group_is(&g, 1, "eth1", AF_INET, "239.0.0.10", 3);
	group_is(&g, 2, "eth1", AF_INET, "224.0.0.1", 1);

	/* Nothing joined anywhere. */
	assert_int_equal(inspect_igmp(4305, &g), 0);
	assert_int_equal(g.n, 0);
	inspect_groups_free(&g);
}

static void igmp_recorded_errors(void **state)
{
	static const pid_t malformed[] = { 4301, 4302, 4303, 4304 };
	struct inspect_groups g = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		assert_int_equal(inspect_igmp(4242, &g), 0);
		errno = 0;
		assert_int_equal(inspect_igmp(malformed[i], &g), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(g.n, 0);	/* emptied on failure */
		assert_null(g.v);
	}
	errno = 0;
	assert_int_equal(inspect_igmp(4399, &g), -1);	/* gone */
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(inspect_igmp(-1, &g), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(inspect_igmp(0, NULL), -1);
	assert_int_equal(errno, EINVAL);
}

static int join4(const char *group, int ifindex)
{
	struct ip_mreqn m = { .imr_ifindex = ifindex };
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (inet_pton(AF_INET, group, &m.imr_multiaddr) != 1 ||
	    setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

static int join6(const char *group, int ifindex)
{
	struct ipv6_mreq m = { .ipv6mr_interface = (unsigned)ifindex };
	int s;

	s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (inet_pton(AF_INET6, group, &m.ipv6mr_multiaddr) != 1 ||
	    setsockopt(s, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m, sizeof(m)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* The child: a network namespace of its own, 239.4.5.6 joined on its lo. */
static void be_member(int ready, pid_t parent)
{
	char c = '!';

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	if (unshare(CLONE_NEWNET) == 0 && lo_up() == 0 &&
	    join4("239.4.5.6", (int)if_nametoindex("lo")) >= 0)
		c = 'k';
	if (write(ready, &c, 1) != 1 || c != 'k')
		_exit(1);
	for (;;)
		pause();
}

static int stop_member(void **state)
{
	(void)state;
	unsetenv("SOCKLAB_PROC_ROOT");
	if (member > 0) {
		kill(member, SIGKILL);
		waitpid(member, NULL, 0);
		member = -1;
	}
	return 0;
}

static void igmp_live(void **state)
{
	struct inspect_groups g = { 0 };
	pid_t parent = getpid();
	int lo, a, b, s6, p[2];
	long i;
	char c = 0;

	(void)state;
	if (!in_netns)
		skip();
	lo = (int)if_nametoindex("lo");
	assert_true(lo > 0);
	a = join4("239.1.2.3", lo);
	assert_true(a >= 0);
	b = join4("239.1.2.3", lo);
	assert_true(b >= 0);
	s6 = join6("ff15::1234", lo);
	assert_true(s6 >= 0);

	assert_int_equal(inspect_igmp(0, &g), 0);
	i = find(&g, "lo", AF_INET, "239.1.2.3");
	assert_true(i >= 0);
	assert_int_equal(g.v[i].users, 2);
	assert_true(find(&g, "lo", AF_INET, "224.0.0.1") >= 0);
	i = find(&g, "lo", AF_INET6, "ff15::1234");
	assert_true(i >= 0);
	assert_int_equal(g.v[i].users, 1);

	/* Our own pid names the same namespace. */
	assert_int_equal(inspect_igmp(parent, &g), 0);
	assert_true(find(&g, "lo", AF_INET, "239.1.2.3") >= 0);
	assert_true(find(&g, "lo", AF_INET6, "ff15::1234") >= 0);

	/* Another process's namespace is its own. */
	assert_int_equal(pipe(p), 0);
	member = fork();
	assert_true(member >= 0);
	if (member == 0) {
		close(p[0]);
		be_member(p[1], parent);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_int_equal(c, 'k');
	assert_int_equal(inspect_igmp(member, &g), 0);
	assert_true(find(&g, "lo", AF_INET, "239.4.5.6") >= 0);
	assert_true(find(&g, "lo", AF_INET, "239.1.2.3") < 0);
	assert_true(find(&g, "lo", AF_INET6, "ff15::1234") < 0);
	assert_int_equal(inspect_igmp(0, &g), 0);
	assert_true(find(&g, "lo", AF_INET, "239.4.5.6") < 0);
	stop_member(NULL);

	/* Leaving: one user, then none. */
	close(a);
	assert_int_equal(inspect_igmp(0, &g), 0);
	i = find(&g, "lo", AF_INET, "239.1.2.3");
	assert_true(i >= 0);
	assert_int_equal(g.v[i].users, 1);
	close(b);
	close(s6);
	assert_int_equal(inspect_igmp(0, &g), 0);
	assert_true(find(&g, "lo", AF_INET, "239.1.2.3") < 0);
	assert_true(find(&g, "lo", AF_INET6, "ff15::1234") < 0);
	inspect_groups_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(igmp_recorded_own, use_data, use_proc),
		cmocka_unit_test_setup_teardown(igmp_recorded_pid, use_data, use_proc),
		cmocka_unit_test_setup_teardown(igmp_recorded_errors, use_data, use_proc),
		cmocka_unit_test_setup_teardown(igmp_live, use_proc, stop_member),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
