/* test_inspect_flags.c — inspect_flags() against the real kernel.
 *
 * A child holds UDP sockets with known options, bound on 127.0.0.1 inside
 * a network namespace this test creates (root only: nothing is bound on the
 * host, and no packet leaves it).  We find them with inspect_dump and
 * inspect_owners and read their options through pidfd_getfd
 * (SOCKLAB_FLAGS_READER=pidfd) and through the BPF socket iterators
 * (=bpf): TIME_WAIT sockets, another user's, another namespace's.  What
 * the kernel's getsockopt() says is the expected value throughout. */
#include <errno.h>
#include <fcntl.h>
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
static void hold_sockets(int ready, pid_t parent, uid_t uid)
{
	size_t i;
	char c = '!';

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "flagholder");
	/* a socket belongs to the uid that created it */
	if (uid && (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0))
		goto out;
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

static void start_holder_as(uid_t uid)
{
	pid_t parent = getpid();
	int p[2];
	char c = 0;

	assert_int_equal(pipe(p), 0);
	holder = fork();
	assert_true(holder >= 0);
	if (holder == 0) {
		close(p[0]);
		hold_sockets(p[1], parent, uid);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_int_equal(c, 'k');
}

static void start_holder(void)
{
	start_holder_as(0);
}

/* Which reader inspect_flags() may use: "pidfd", "bpf", "none". */
static void reader(const char *which)
{
	assert_int_equal(setenv("SOCKLAB_FLAGS_READER", which, 1), 0);
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
	reader("pidfd");
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
	reader("pidfd");
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
	reader("pidfd");
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
	reader("pidfd");
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

/* ---- the BPF reader (root) --------------------------------------------- */

static int get_int(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, SOL_SOCKET, opt, &v, &len), 0);
	return v != 0;
}

/* The TIME_WAIT row of 127.0.0.1:port in a fresh dump, or NULL. */
static struct inspect_sock *time_wait_row(struct inspect_snap *snap, uint16_t port)
{
	for (size_t i = 0; i < snap->n; i++)
		if (snap->v[i].proto == IPPROTO_TCP && snap->v[i].state == 6 /* TCP_TIME_WAIT */ &&
		    snap->v[i].lport == port)
			return &snap->v[i];
	return NULL;
}

/* A TIME_WAIT on 127.0.0.1:port left by a listener with these flags: the
 * server closes its accepted connection first.  *ra, *rp: that connection's
 * SO_REUSEADDR/SO_REUSEPORT as getsockopt reported them just before close
 * (the kernel copies them into the TIME_WAIT socket). */
static void make_time_wait(uint16_t port, int reuseaddr, int reuseport, int *ra, int *rp)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int l, c, conn;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(l >= 0 && c >= 0);
	assert_int_equal(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &reuseaddr, sizeof(int)), 0);
	assert_int_equal(setsockopt(l, SOL_SOCKET, SO_REUSEPORT, &reuseport, sizeof(int)), 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	conn = accept(l, NULL, NULL);
	assert_true(conn >= 0);
	*ra = get_int(conn, SO_REUSEADDR);
	*rp = get_int(conn, SO_REUSEPORT);
	assert_int_equal(close(conn), 0);	/* the active close: TIME_WAIT is here */
	usleep(20000);
	assert_int_equal(close(c), 0);
	assert_int_equal(close(l), 0);
}

/* TIME_WAIT rows have no owner: pidfd cannot read them, BPF can, and says
 * what the connection had.  broadcast stays unknown (no sk_flags). */
static void bpf_time_wait(void **state)
{
	static const int fl[][2] = { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 } };
	int ra[4], rp[4];
	struct inspect_snap snap = { 0 };
	int nl, tries;
	size_t i;

	(void)state;
	if (!inspect_bpf_built())
		skip();	/* built without the BPF reader (BPF=0) */
	if (!in_netns)
		skip();
	for (i = 0; i < 4; i++)
		make_time_wait((uint16_t)(5101 + i), fl[i][0], fl[i][1], &ra[i], &rp[i]);
	nl = inspect_open();
	assert_true(nl >= 0);
	/* the last FIN's ACK is on loopback: at most a moment */
	for (tries = 0; tries < 100; tries++) {
		assert_int_equal(inspect_dump(nl, &snap), 0);
		for (i = 0; i < 4 && time_wait_row(&snap, (uint16_t)(5101 + i)); i++)
			;
		if (i == 4)
			break;
		usleep(10000);
	}
	close(nl);
	for (i = 0; i < 4; i++) {
		struct inspect_sock *t = time_wait_row(&snap, (uint16_t)(5101 + i));

		assert_non_null(t);
		assert_int_equal(t->inode, 0);
		assert_true(t->cookie != 0);	/* sock_diag gives TIME_WAIT a cookie too */
		assert_int_equal(t->reuseaddr, -1);
	}

	reader("pidfd");
	assert_int_equal(inspect_flags(&snap), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(time_wait_row(&snap, (uint16_t)(5101 + i))->reuseaddr, -1);

	reader("bpf");
	assert_int_equal(inspect_flags(&snap), (int)snap.n);
	for (i = 0; i < 4; i++) {
		const struct inspect_sock *t = time_wait_row(&snap, (uint16_t)(5101 + i));

		/* the kernel's answer, and the listener's flags it came from */
		assert_int_equal(ra[i], fl[i][0]);
		assert_int_equal(rp[i], fl[i][1]);
		assert_int_equal(t->reuseaddr, ra[i]);
		assert_int_equal(t->reuseport, rp[i]);
		assert_int_equal(t->broadcast, -1);
	}

	/* none: the dump's -1 stays */
	for (i = 0; i < snap.n; i++)
		set_unknown(&snap.v[i]);
	reader("none");
	assert_int_equal(inspect_flags(&snap), 0);
	assert_int_equal(snap.v[0].reuseaddr, -1);
	inspect_free(&snap);
}

/* Another user's sockets, read as root by BPF alone (no descriptor is
 * borrowed: SOCKLAB_FLAGS_READER=bpf), agree with what pidfd_getfd +
 * getsockopt read from the owner, and with what it set. */
static void bpf_other_user(void **state)
{
	struct inspect_snap snap = { 0 }, byfd = { 0 };
	struct inspect_filter udp = { .protos = INSPECT_UDP };
	size_t i;
	int nl;

	(void)state;
	if (!inspect_bpf_built())
		skip();	/* built without the BPF reader (BPF=0) */
	if (!in_netns)
		skip();
	start_holder_as(65534);
	nl = inspect_open();
	assert_true(nl >= 0);
	/* (bpf_time_wait's TIME_WAIT rows are still there) */
	assert_int_equal(inspect_query(nl, &udp, &snap), 0);
	close(nl);
	assert_int_equal(snap.n, NCOMBO);
	reader("bpf");
	assert_int_equal(inspect_flags(&snap), NCOMBO);	/* no owners looked up */
	for (i = 0; i < snap.n; i++) {
		const struct inspect_sock *s = &snap.v[i];
		const struct combo *c = combo_of(s->lport);

		assert_non_null(c);
		assert_int_equal(s->uid, 65534);
		assert_int_equal(s->pid, 0);
		assert_int_equal(s->reuseaddr, c->reuseaddr);
		assert_int_equal(s->reuseport, c->reuseport);
		assert_int_equal(s->broadcast, c->broadcast);
	}
	/* the same rows through the owner's descriptors */
	byfd.v = malloc(snap.n * sizeof(*byfd.v));
	assert_non_null(byfd.v);
	memcpy(byfd.v, snap.v, snap.n * sizeof(*byfd.v));
	byfd.n = byfd.cap = snap.n;
	assert_int_equal(inspect_owners(&byfd, &holder, 1), 0);
	for (i = 0; i < byfd.n; i++)
		set_unknown(&byfd.v[i]);
	reader("pidfd");
	assert_int_equal(inspect_flags(&byfd), NCOMBO);
	for (i = 0; i < snap.n; i++) {
		assert_int_equal(byfd.v[i].reuseaddr, snap.v[i].reuseaddr);
		assert_int_equal(byfd.v[i].reuseport, snap.v[i].reuseport);
		assert_int_equal(byfd.v[i].broadcast, snap.v[i].broadcast);
	}
	inspect_free(&byfd);
	inspect_free(&snap);
}

/* An iterator walks the namespace of its creator: a dump taken through a
 * netlink socket of another namespace is read there by inspect_flags_at,
 * and not found by inspect_flags (ours). */
static void bpf_other_netns(void **state)
{
	struct inspect_snap snap = { 0 };
	pid_t parent = getpid();
	int self, theirs, nl, p[2];
	size_t i;
	char path[64], c = 0;

	(void)state;
	if (!inspect_bpf_built())
		skip();	/* built without the BPF reader (BPF=0) */
	if (!in_netns)
		skip();
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(self >= 0);
	assert_int_equal(pipe(p), 0);
	holder = fork();
	assert_true(holder >= 0);
	if (holder == 0) {
		/* a namespace of its own, then the usual sockets */
		close(p[0]);
		if (unshare(CLONE_NEWNET) < 0 || lo_up() < 0)
			_exit(1);
		hold_sockets(p[1], parent, 0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_int_equal(c, 'k');
	/* a netlink socket of the child's namespace, as the runner gets one */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)holder);
	theirs = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(theirs >= 0);
	assert_int_equal(setns(theirs, CLONE_NEWNET), 0);
	nl = inspect_open();
	assert_int_equal(setns(self, CLONE_NEWNET), 0);
	close(theirs);
	assert_true(nl >= 0);
	assert_int_equal(inspect_dump(nl, &snap), 0);
	assert_int_equal(snap.n, NCOMBO);
	reader("bpf");
	assert_int_equal(inspect_flags(&snap), 0);	/* not in our namespace */
	assert_int_equal(inspect_flags_at(nl, &snap), NCOMBO);
	for (i = 0; i < snap.n; i++) {
		const struct combo *c = combo_of(snap.v[i].lport);

		assert_non_null(c);
		assert_int_equal(snap.v[i].reuseaddr, c->reuseaddr);
		assert_int_equal(snap.v[i].reuseport, c->reuseport);
		assert_int_equal(snap.v[i].broadcast, c->broadcast);
	}
	/* and we are back in ours: its netlink dump does not see them */
	{
		struct inspect_snap ours = { 0 };
		int nl2 = inspect_open();

		assert_true(nl2 >= 0);
		assert_int_equal(inspect_dump(nl2, &ours), 0);
		for (i = 0; i < ours.n; i++)
			assert_true(ours.v[i].lport < 5001 || ours.v[i].lport > 5005 ||
				    ours.v[i].proto != IPPROTO_UDP);
		close(nl2);
		inspect_free(&ours);
	}
	close(nl);
	close(self);
	inspect_free(&snap);
}

/* ---- inheritance (inspect_diff) ---------------------------------------- */

/* A TIME_WAIT row and the ESTAB row it was, by hand. */
static struct inspect_sock hand_row(uint8_t state, uint32_t inode, uint64_t cookie, int8_t ra)
{
	struct inspect_sock s;

	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.proto = IPPROTO_TCP;
	s.state = state;
	s.lport = 5000;
	s.rport = 40000;
	s.inode = inode;
	s.cookie = cookie;
	s.reuseaddr = ra;
	s.reuseport = ra < 0 ? -1 : 0;
	s.broadcast = ra < 0 ? -1 : 0;
	s.pid = inode ? 42 : 0;
	s.fd = inode ? 4 : -1;
	return s;
}

/* One diff of {was} against {now}; returns now's row. */
static struct inspect_sock diff_one(struct inspect_sock was, struct inspect_sock now)
{
	struct inspect_snap prev = { &was, 1, 1 }, cur = { &now, 1, 1 }, gone = { 0 };

	assert_int_equal(inspect_diff(&prev, &cur, &gone), 0);
	inspect_free(&gone);
	return now;
}

static void inherit_rules(void **state)
{
	struct inspect_sock t;

	(void)state;
	/* the ESTAB row's flags were read: the TIME_WAIT inherits them, marked */
	t = diff_one(hand_row(1, 77, 9, 1), hand_row(6, 0, 9, -1));
	assert_int_equal(t.reuseaddr, 1);
	assert_int_equal(t.reuseport, 0);
	assert_int_equal(t.broadcast, -1);	/* not carried: TIME_WAIT has none */
	assert_int_equal(t.inherited, 1);
	t = diff_one(hand_row(1, 77, 9, 0), hand_row(6, 0, 9, -1));
	assert_int_equal(t.reuseaddr, 0);
	assert_int_equal(t.inherited, 1);
	/* and on from one TIME_WAIT row to the next snapshot's */
	{
		struct inspect_sock was = hand_row(6, 0, 9, 1);

		was.inherited = 1;
		t = diff_one(was, hand_row(6, 0, 9, -1));
		assert_int_equal(t.reuseaddr, 1);
		assert_int_equal(t.inherited, 1);
	}
	/* another socket (cookie), other ends, unknown before: nothing */
	t = diff_one(hand_row(1, 77, 8, 1), hand_row(6, 0, 9, -1));
	assert_int_equal(t.reuseaddr, -1);
	assert_int_equal(t.inherited, 0);
	{
		struct inspect_sock was = hand_row(1, 77, 9, 1);

		was.rport = 40001;
		t = diff_one(was, hand_row(6, 0, 9, -1));
		assert_int_equal(t.reuseaddr, -1);
	}
	t = diff_one(hand_row(1, 77, 9, -1), hand_row(6, 0, 9, -1));
	assert_int_equal(t.reuseaddr, -1);
	t = diff_one(hand_row(1, 77, 0, 1), hand_row(6, 0, 0, -1));	/* no cookie */
	assert_int_equal(t.reuseaddr, -1);
	/* a row with a file may still be given options: never inherited */
	t = diff_one(hand_row(1, 77, 9, 1), hand_row(1, 77, 9, -1));
	assert_int_equal(t.reuseaddr, -1);
	assert_int_equal(t.inherited, 0);
	/* a row read now is not touched */
	t = diff_one(hand_row(1, 77, 9, 1), hand_row(6, 0, 9, 0));
	assert_int_equal(t.reuseaddr, 0);
	assert_int_equal(t.inherited, 0);
}

/* The kernel's side of it: the TIME_WAIT keeps its connection's cookie
 * and flags.  Read the ESTAB row by pidfd, close, and the TIME_WAIT row
 * (unreadable by pidfd) inherits what getsockopt said; BPF, reading the
 * TIME_WAIT itself, agrees. */
static void inherit_from_kernel(void **state)
{
	static const int fl[][2] = { { 1, 0 }, { 0, 0 }, { 0, 1 } };
	struct inspect_filter f = { .protos = INSPECT_TCP };

	(void)state;
	if (!in_netns)
		skip();
	for (size_t k = 0; k < 3; k++) {
		uint16_t port = (uint16_t)(5201 + k);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct inspect_snap before = { 0 }, after = { 0 }, gone = { 0 };
		struct inspect_sock *tw = NULL;
		int l, c, conn, nl, ra, rp;
		pid_t self = getpid();

		l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_int_equal(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &fl[k][0], sizeof(int)), 0);
		assert_int_equal(setsockopt(l, SOL_SOCKET, SO_REUSEPORT, &fl[k][1], sizeof(int)), 0);
		assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
		assert_int_equal(listen(l, 1), 0);
		assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
		conn = accept(l, NULL, NULL);
		assert_true(conn >= 0);
		ra = get_int(conn, SO_REUSEADDR);
		rp = get_int(conn, SO_REUSEPORT);

		nl = inspect_open();
		assert_true(nl >= 0);
		f.port = port;
		assert_int_equal(inspect_query(nl, &f, &before), 0);
		assert_int_equal(inspect_owners(&before, &self, 1), 0);
		reader("pidfd");
		assert_true(inspect_flags(&before) >= 2);

		assert_int_equal(close(conn), 0);
		usleep(20000);
		assert_int_equal(close(c), 0);
		assert_int_equal(close(l), 0);
		for (int tries = 0; tries < 100 && !tw; tries++) {
			usleep(10000);
			assert_int_equal(inspect_query(nl, &f, &after), 0);
			tw = time_wait_row(&after, port);
		}
		assert_non_null(tw);
		assert_int_equal(inspect_flags(&after), 0);	/* pidfd: no owner */
		assert_int_equal(tw->reuseaddr, -1);
		assert_int_equal(inspect_diff(&before, &after, &gone), 0);
		assert_int_equal(tw->inherited, 1);
		assert_int_equal(tw->reuseaddr, ra);
		assert_int_equal(tw->reuseport, rp);
		/* what the TIME_WAIT socket itself holds (BPF, if built) */
		if (inspect_bpf_built()) {
			tw->reuseaddr = tw->reuseport = -1;
			tw->inherited = 0;
			reader("bpf");
			assert_int_equal(inspect_flags(&after), (int)after.n);
			assert_int_equal(tw->reuseaddr, ra);
			assert_int_equal(tw->reuseport, rp);
		}
		close(nl);
		inspect_free(&before);
		inspect_free(&after);
		inspect_free(&gone);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_of_self),
		cmocka_unit_test(flags_without_owner),
		cmocka_unit_test(flags_not_permitted),
		cmocka_unit_test_teardown(flags_of_child, stop_holder),
		cmocka_unit_test(bpf_time_wait),
		cmocka_unit_test_teardown(bpf_other_user, stop_holder),
		cmocka_unit_test_teardown(bpf_other_netns, stop_holder),
		cmocka_unit_test(inherit_rules),
		cmocka_unit_test(inherit_from_kernel),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
