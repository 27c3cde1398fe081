/* test_inspect_flags.c — inspect_flags() against the real kernel.
 *
 * A child holds UDP sockets with known options, bound on 127.0.0.1 inside
 * a network namespace this test creates (root only: nothing is bound on the
 * host, and no packet is sent).  We find them with inspect_dump and
 * inspect_owners and read their options through pidfd_getfd. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "inspect/inspect.h"

static const struct combo {
	uint16_t port;
	int reuseaddr, reuseport, broadcast;
} combos[] = {
	{ 5001, 1, 0, 0 },
	{ 5002, 0, 1, 0 },
	{ 5003, 0, 0, 1 },
	{ 5004, 0, 0, 0 },
	{ 5005, 1, 1, 1 },
};
#define NCOMBO (sizeof(combos) / sizeof(combos[0]))

static int in_netns;		/* the group setup made us a private netns */
static pid_t holder = -1;	/* the child holding the sockets */

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

/* A fresh network namespace with only lo up, for this whole process (and
 * the children it forks).  Without the rights the live tests skip. */
static int group_setup(void **state)
{
	(void)state;
	if (geteuid() == 0 && unshare(CLONE_NEWNET) == 0 && lo_up() == 0)
		in_netns = 1;
	return 0;
}

static void set_unknown(struct inspect_sock *s)
{
	s->reuseaddr = s->reuseport = s->broadcast = -1;
}

/* The child: one socket per combo, then wait to be killed.  Reports
 * readiness ('k') or failure ('!') on the pipe. */
static void hold_sockets(int ready, pid_t parent)
{
	size_t i;
	char c = '!';

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "flagholder");
	for (i = 0; i < NCOMBO; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(combos[i].port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		if (s < 0 ||
		    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &combos[i].reuseaddr, sizeof(int)) < 0 ||
		    setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &combos[i].reuseport, sizeof(int)) < 0 ||
		    setsockopt(s, SOL_SOCKET, SO_BROADCAST, &combos[i].broadcast, sizeof(int)) < 0 ||
		    bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
			goto out;
	}
	c = 'k';
out:
	if (write(ready, &c, 1) != 1 || c != 'k')
		_exit(1);
	for (;;)
		pause();
}

static void start_holder(void)
{
	pid_t parent = getpid();
	int p[2];
	char c = 0;

	assert_int_equal(pipe(p), 0);
	holder = fork();
	assert_true(holder >= 0);
	if (holder == 0) {
		close(p[0]);
		hold_sockets(p[1], parent);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_int_equal(c, 'k');
}

/* Kill the holder by its pid and reap it; also after a failed assert. */
static int stop_holder(void **state)
{
	(void)state;
	if (holder > 0) {
		kill(holder, SIGKILL);
		waitpid(holder, NULL, 0);
		holder = -1;
	}
	return 0;
}

static const struct combo *combo_of(uint16_t port)
{
	size_t i;

	for (i = 0; i < NCOMBO; i++)
		if (combos[i].port == port)
			return &combos[i];
	return NULL;
}

static void flags_of_child(void **state)
{
	struct inspect_snap snap = { 0 };
	pid_t gone;
	size_t i;
	int nl, fd0;

	(void)state;
	if (!in_netns)
		skip();
	start_holder();
	nl = inspect_open();
	assert_true(nl >= 0);
	assert_int_equal(inspect_dump(nl, &snap), 0);
	close(nl);
	assert_int_equal(snap.n, NCOMBO);	/* our netns holds nothing else */
	for (i = 0; i < snap.n; i++)
		set_unknown(&snap.v[i]);
	assert_int_equal(inspect_owners(&snap, &holder, 1), 0);
	for (i = 0; i < snap.n; i++) {
		assert_int_equal(snap.v[i].pid, holder);
		assert_true(snap.v[i].fd >= 0);
		assert_string_equal(snap.v[i].comm, "flagholder");
	}

	assert_int_equal(inspect_flags(&snap), NCOMBO);
	for (i = 0; i < snap.n; i++) {
		const struct inspect_sock *s = &snap.v[i];
		const struct combo *c = combo_of(s->lport);

		assert_non_null(c);
		assert_int_equal(s->proto, IPPROTO_UDP);
		assert_int_equal(s->reuseaddr, c->reuseaddr);
		assert_int_equal(s->reuseport, c->reuseport);
		assert_int_equal(s->broadcast, c->broadcast);
	}

	/* The owner's descriptor number now names another socket (as after
	 * close and reuse): that row is not read. */
	for (i = 0; i < snap.n; i++)
		set_unknown(&snap.v[i]);
	fd0 = snap.v[0].fd;
	snap.v[0].fd = snap.v[1].fd;
	errno = 0;
	assert_int_equal(inspect_flags(&snap), NCOMBO - 1);
	assert_int_equal(errno, ESTALE);
	assert_int_equal(snap.v[0].reuseaddr, -1);
	assert_int_equal(snap.v[0].reuseport, -1);
	assert_int_equal(snap.v[0].broadcast, -1);
	assert_int_not_equal(snap.v[1].reuseaddr, -1);

	/* A descriptor number the owner does not have. */
	set_unknown(&snap.v[0]);
	snap.v[0].fd = 1000;
	errno = 0;
	assert_int_equal(inspect_flags(&snap), NCOMBO - 1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(snap.v[0].reuseaddr, -1);
	snap.v[0].fd = fd0;

	/* The owner is gone. */
	gone = holder;
	stop_holder(NULL);
	for (i = 0; i < snap.n; i++) {
		set_unknown(&snap.v[i]);
		assert_int_equal(snap.v[i].pid, gone);
	}
	errno = 0;
	assert_int_equal(inspect_flags(&snap), 0);
	assert_int_equal(errno, ESRCH);
	for (i = 0; i < snap.n; i++) {
		assert_int_equal(snap.v[i].reuseaddr, -1);
		assert_int_equal(snap.v[i].reuseport, -1);
		assert_int_equal(snap.v[i].broadcast, -1);
	}
	inspect_free(&snap);
}

/* A socket of our own (never bound), as a one-row snapshot. */
static int own_socket(struct inspect_snap *snap, int reuseaddr)
{
	struct stat st;
	int s;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &reuseaddr, sizeof(int)), 0);
	assert_int_equal(fstat(s, &st), 0);
	snap->v = calloc(1, sizeof(*snap->v));
	assert_non_null(snap->v);
	snap->n = snap->cap = 1;
	snap->v[0].inode = (uint32_t)st.st_ino;
	snap->v[0].pid = getpid();
	snap->v[0].fd = s;
	set_unknown(&snap->v[0]);
	return s;
}

/* Needs no privilege: we may always borrow our own descriptors. */
static void flags_of_self(void **state)
{
	struct inspect_snap snap;
	int s;

	(void)state;
	s = own_socket(&snap, 1);
	assert_int_equal(inspect_flags(&snap), 1);
	assert_int_equal(snap.v[0].reuseaddr, 1);
	assert_int_equal(snap.v[0].reuseport, 0);
	assert_int_equal(snap.v[0].broadcast, 0);
	/* Our descriptor is still ours and unchanged. */
	assert_int_equal(fcntl(s, F_GETFD), FD_CLOEXEC);
	inspect_free(&snap);
	close(s);
}

/* No owner, no look: pid 0 (unknown) or fd -1 rows stay -1. */
static void flags_without_owner(void **state)
{
	struct inspect_snap snap;
	int s;

	(void)state;
	s = own_socket(&snap, 1);
	snap.v[0].pid = 0;
	assert_int_equal(inspect_flags(&snap), 0);
	assert_int_equal(snap.v[0].reuseaddr, -1);
	assert_int_equal(snap.v[0].reuseport, -1);
	assert_int_equal(snap.v[0].broadcast, -1);
	snap.v[0].pid = getpid();
	snap.v[0].fd = -1;
	assert_int_equal(inspect_flags(&snap), 0);
	assert_int_equal(snap.v[0].reuseaddr, -1);
	inspect_free(&snap);
	close(s);

	snap.v = NULL;
	snap.n = 0;
	assert_int_equal(inspect_flags(&snap), 0);
	assert_int_equal(inspect_flags(NULL), 0);
}

/* Without ptrace rights over the owner the row stays unknown (EPERM): a
 * child turned nobody asks about a socket of ours (root's). */
static void flags_not_permitted(void **state)
{
	struct inspect_snap snap;
	int s, status;
	pid_t child;

	(void)state;
	if (geteuid() != 0)
		skip();
	s = own_socket(&snap, 1);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		errno = 0;
		if (inspect_flags(&snap) != 0)
			_exit(11);
		if (errno != EPERM)
			_exit(12);
		if (snap.v[0].reuseaddr != -1)
			_exit(13);
		_exit(0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	inspect_free(&snap);
	close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_of_self),
		cmocka_unit_test(flags_without_owner),
		cmocka_unit_test(flags_not_permitted),
		cmocka_unit_test_teardown(flags_of_child, stop_holder),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
