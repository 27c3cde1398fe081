/* test_inspect_filter.c — inspect_query(): what the kernel is asked (pure
 * tests of filter.c) and what it answers (live, inside a network namespace
 * of our own: as root, or in a user namespace where allowed; skipped
 * otherwise).  The live tests use the kernel as the oracle: a filtered
 * query must return exactly the rows of an unfiltered dump that the filter
 * lets through, and the sockets we made must be among them. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <cmocka.h>

#include "inspect/inspect.h"
#include "inspect/diag_priv.h"

/* Kernel states, literal: the ABI the tests rely on. */
enum {
	ST_ESTAB = 1, ST_TIME_WAIT = 6, ST_CLOSE = 7, ST_LISTEN = 10,
	ST_BOUND = 13,
};

static struct inet_diag_bc_op op_at(const unsigned char *bc, int off)
{
	struct inet_diag_bc_op op;

	memcpy(&op, bc + off, sizeof(op));
	return op;
}

/* --- a model of the kernel's bytecode audit and interpreter
 * (net/ipv4/inet_diag.c: inet_diag_bc_audit, inet_diag_bc_run), reduced to
 * the ops diag_bc_port uses; offsets instead of pointers. --- */

static int model_valid_cc(const unsigned char *bc, int len, int cc)
{
	int pos = 0;

	while (len >= 0) {
		struct inet_diag_bc_op op;

		if (cc > len)
			return 0;
		if (cc == len)
			return 1;
		if (len < 4)
			return 0;
		op = op_at(bc, pos);
		if (op.yes < 4 || op.yes & 3)
			return 0;
		len -= op.yes;
		pos += op.yes;
	}
	return 0;
}

static int model_audit(const unsigned char *bc, int total)
{
	int len = total, pos = 0;

	if (len < 4)
		return -1;
	while (len > 0) {
		int min_len = 4;
		struct inet_diag_bc_op op;

		if (len < 4)
			return -1;
		op = op_at(bc, pos);
		switch (op.code) {
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_D_EQ:
			min_len += 4;	/* the port rides in the next op */
			if (len < min_len)
				return -1;
			break;
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
			break;
		default:
			return -1;
		}
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min_len || op.no > len + 4 || op.no & 3)
				return -1;
			if (op.no < len && !model_valid_cc(bc, total, len - op.no))
				return -1;
		}
		if (op.yes < min_len || op.yes > len + 4 || op.yes & 3)
			return -1;
		pos += op.yes;
		len -= op.yes;
	}
	return len == 0 ? 0 : -1;
}

/* 1: the kernel would report a socket with these ports. */
static int model_run(const unsigned char *bc, int len, uint16_t sport, uint16_t dport)
{
	int pos = 0;

	while (len > 0) {
		struct inet_diag_bc_op op = op_at(bc, pos);
		int yes = 1;

		switch (op.code) {
		case INET_DIAG_BC_NOP:
			break;
		case INET_DIAG_BC_JMP:
			yes = 0;
			break;
		case INET_DIAG_BC_S_EQ:
			yes = sport == op_at(bc, pos + 4).no;
			break;
		case INET_DIAG_BC_D_EQ:
			yes = dport == op_at(bc, pos + 4).no;
			break;
		default:
			fail_msg("unexpected op %u", op.code);
		}
		len -= yes ? op.yes : op.no;
		pos += yes ? op.yes : op.no;
	}
	return len == 0;
}

/* --- pure tests --- */

static void bc_layout(void **state)
{
	const struct inet_diag_bc_op want[] = {
		{ INET_DIAG_BC_S_EQ, 8, 12 },	/* sport == P ? -> JMP : -> D_EQ */
		{ 0, 0, 5000 },
		{ INET_DIAG_BC_JMP, 4, 12 },	/* always 8 + 12 = 20: accept */
		{ INET_DIAG_BC_D_EQ, 8, 12 },	/* 12 + 8 = 20 accept, 24 reject */
		{ 0, 0, 5000 },
	};
	unsigned char bc[64];
	uint16_t p;

	(void)state;
	memset(bc, 0xee, sizeof(bc));
	assert_int_equal(sizeof(want), DIAG_BC_PORT_LEN);
	assert_int_equal(diag_bc_port(bc, sizeof(bc), 5000), DIAG_BC_PORT_LEN);
	assert_memory_equal(bc, want, sizeof(want));
	assert_int_equal(bc[DIAG_BC_PORT_LEN], 0xee);	/* nothing past the end */

	/* the raw bytes, as the kernel reads them: code, yes, no (host order) */
	assert_int_equal(bc[0], INET_DIAG_BC_S_EQ);
	assert_int_equal(bc[1], 8);
	memcpy(&p, bc + 2, 2);
	assert_int_equal(p, 12);
	assert_int_equal(bc[4], 0);
	assert_int_equal(bc[5], 0);
	memcpy(&p, bc + 6, 2);
	assert_int_equal(p, 5000);	/* host byte order, not network */
	assert_int_equal(bc[8], INET_DIAG_BC_JMP);
	assert_int_equal(bc[9], 4);
	memcpy(&p, bc + 10, 2);
	assert_int_equal(p, 12);
	assert_int_equal(bc[12], INET_DIAG_BC_D_EQ);
	assert_int_equal(bc[13], 8);
	memcpy(&p, bc + 14, 2);
	assert_int_equal(p, 12);
	memcpy(&p, bc + 18, 2);
	assert_int_equal(p, 5000);

	/* unaligned buffers are fine */
	assert_int_equal(diag_bc_port(bc + 1, DIAG_BC_PORT_LEN, 65535), DIAG_BC_PORT_LEN);
	memcpy(&p, bc + 1 + 6, 2);
	assert_int_equal(p, 65535);
}

static void bc_errors(void **state)
{
	unsigned char bc[DIAG_BC_PORT_LEN];

	(void)state;
	errno = 0;
	assert_int_equal(diag_bc_port(bc, sizeof(bc), 0), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(diag_bc_port(bc, sizeof(bc) - 1, 5000), -1);
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_int_equal(diag_bc_port(NULL, 0, 5000), -1);
	assert_int_equal(errno, ENOSPC);
}

static void bc_semantics(void **state)
{
	static const uint16_t ports[] = { 1, 53, 5000, 65535 };
	unsigned char bc[DIAG_BC_PORT_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		uint16_t p = ports[i], other = (uint16_t)(p == 1 ? 2 : p - 1);
		int len = diag_bc_port(bc, sizeof(bc), p);

		assert_int_equal(model_audit(bc, len), 0);
		assert_int_equal(model_run(bc, len, p, 0), 1);		/* listener, unconnected */
		assert_int_equal(model_run(bc, len, other, p), 1);	/* client: peer port only */
		assert_int_equal(model_run(bc, len, p, other), 1);	/* accepted side */
		assert_int_equal(model_run(bc, len, p, p), 1);
		assert_int_equal(model_run(bc, len, other, other), 0);
		assert_int_equal(model_run(bc, len, 0, 0), 0);
		assert_int_equal(model_run(bc, len, (uint16_t)(p ^ 0x100), 0), 0);
	}
	/* the model audit is not a rubber stamp: a `no` that lands inside
	 * an op's data is refused */
	diag_bc_port(bc, sizeof(bc), 5000);
	bc[2] = 4;	/* S_EQ no -> offset 4, the port op */
	assert_int_equal(model_audit(bc, DIAG_BC_PORT_LEN), -1);
}

static void filter_reqs(void **state)
{
	struct diag_req r[DIAG_MAX_REQS];
	struct inspect_filter f = { 0 };

	(void)state;
	assert_int_equal(diag_filter_reqs(NULL, r), 4);
	assert_int_equal(r[0].family, AF_INET);
	assert_int_equal(r[0].proto, IPPROTO_TCP);
	assert_int_equal(r[1].family, AF_INET);
	assert_int_equal(r[1].proto, IPPROTO_UDP);
	assert_int_equal(r[2].family, AF_INET6);
	assert_int_equal(r[2].proto, IPPROTO_TCP);
	assert_int_equal(r[3].family, AF_INET6);
	assert_int_equal(r[3].proto, IPPROTO_UDP);

	assert_int_equal(diag_filter_reqs(&f, r), 4);	/* 0 = both */

	f.protos = INSPECT_UDP;
	assert_int_equal(diag_filter_reqs(&f, r), 2);
	assert_int_equal(r[0].family, AF_INET);
	assert_int_equal(r[0].proto, IPPROTO_UDP);
	assert_int_equal(r[1].family, AF_INET6);
	assert_int_equal(r[1].proto, IPPROTO_UDP);

	f.families = INSPECT_V6;
	assert_int_equal(diag_filter_reqs(&f, r), 1);
	assert_int_equal(r[0].family, AF_INET6);
	assert_int_equal(r[0].proto, IPPROTO_UDP);

	f.protos = INSPECT_TCP | INSPECT_UDP;
	f.families = INSPECT_V4;
	assert_int_equal(diag_filter_reqs(&f, r), 2);
	assert_int_equal(r[0].proto, IPPROTO_TCP);
	assert_int_equal(r[1].proto, IPPROTO_UDP);

	f.protos = 4;
	errno = 0;
	assert_int_equal(diag_filter_reqs(&f, r), -1);
	assert_int_equal(errno, EINVAL);
	f.protos = 0;
	f.families = 0x80;
	errno = 0;
	assert_int_equal(diag_filter_reqs(&f, r), -1);
	assert_int_equal(errno, EINVAL);
}

static void filter_states(void **state)
{
	struct inspect_filter f = { 0 };

	(void)state;
	assert_int_equal(diag_filter_states(NULL), ~0U);
	assert_int_equal(diag_filter_states(&f), ~0U);
	f.states = 1U << ST_LISTEN;
	assert_int_equal(diag_filter_states(&f), 1U << ST_LISTEN);
	f.states = 1U << ST_BOUND;
	assert_int_equal(diag_filter_states(&f), 1U << ST_BOUND);
}

/* A bad filter is refused before anything is sent or read. */
static void query_bad_filter(void **state)
{
	struct inspect_filter f = { .protos = 0x10 };
	struct inspect_snap snap = { 0 };

	(void)state;
	errno = 0;
	assert_int_equal(inspect_query(-1, &f, &snap), -1);
	assert_int_equal(errno, EINVAL);
	assert_null(snap.v);
	assert_int_equal(snap.n, 0);
}

/* --- live, in a network namespace of our own --- */

static int have_v6;

/* A fresh network namespace with lo up, or skip. */
static void enter_netns(void)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct ifreq ifr;
	int s;

	if (unshare(CLONE_NEWNET) < 0 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		skip();		/* neither root nor user namespaces */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	assert_int_equal(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	assert_int_equal(ioctl(s, SIOCSIFFLAGS, &ifr), 0);
	close(s);
	/* IPv6 may be disabled on this machine: test it where it exists */
	have_v6 = 0;
	s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		have_v6 = bind(s, (struct sockaddr *)&a6, sizeof(a6)) == 0;
		close(s);
	}
}

static socklen_t sa_of(struct sockaddr_storage *ss, int family, const char *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		assert_int_equal(inet_pton(AF_INET, addr, &a->sin_addr), 1);
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		assert_int_equal(inet_pton(AF_INET6, addr, &a->sin6_addr), 1);
		return sizeof(*a);
	}
}

static int sock_at(int family, int type, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sa_of(&ss, family, addr, port);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static int listener(int family, const char *addr, uint16_t port)
{
	int fd = sock_at(family, SOCK_STREAM, addr, port);

	assert_int_equal(listen(fd, 8), 0);
	return fd;
}

/* An unbound socket connected to addr:port (the kernel picks the port). */
static int client(int family, int type, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sa_of(&ss, family, addr, port);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static int accepted(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static void close_all(int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static uint8_t proto_bit(const struct inspect_sock *s)
{
	return s->proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP;
}

static uint8_t family_bit(const struct inspect_sock *s)
{
	return s->family == AF_INET ? INSPECT_V4 : INSPECT_V6;
}

/* The filter's meaning, applied by hand to an unfiltered dump. */
static int lets_through(const struct inspect_filter *f, const struct inspect_sock *s)
{
	if (f->protos && !(f->protos & proto_bit(s)))
		return 0;
	if (f->families && !(f->families & family_bit(s)))
		return 0;
	if (f->states && !(f->states & (1U << s->state)))
		return 0;
	if (f->port && s->lport != f->port && s->rport != f->port)
		return 0;
	return 1;
}

static void same_sock(const struct inspect_sock *a, const struct inspect_sock *b)
{
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->lport, b->lport);
	assert_int_equal(a->rport, b->rport);
	assert_memory_equal(&a->laddr, &b->laddr, sizeof(a->laddr));
	assert_memory_equal(&a->raddr, &b->raddr, sizeof(a->raddr));
	assert_int_equal(a->inode, b->inode);
}

/* inspect_query(f) == the unfiltered dump, filtered by hand.  Returns the
 * query's rows in *got (caller frees). */
static void query_is_oracle(int nl, const struct inspect_filter *f,
			    struct inspect_snap *got)
{
	struct inspect_snap all = { 0 };
	size_t i, j = 0;

	assert_int_equal(inspect_query(nl, NULL, &all), 0);
	assert_int_equal(inspect_query(nl, f, got), 0);
	for (i = 0; i < all.n; i++) {
		if (!lets_through(f, &all.v[i]))
			continue;
		assert_true(j < got->n);
		same_sock(&all.v[i], &got->v[j]);
		j++;
	}
	assert_int_equal(j, got->n);
	inspect_free(&all);
}

static size_t count(const struct inspect_snap *s, uint8_t proto, uint8_t family,
		    uint8_t state, int lport, int rport)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++) {
		const struct inspect_sock *r = &s->v[i];

		if (r->proto == proto && r->family == family && r->state == state &&
		    (lport < 0 || r->lport == lport) && (rport < 0 || r->rport == rport))
			n++;
	}
	return n;
}

#define P 5000		/* the port filtered for */
#define Q 6000		/* a port that must not match */

static void live_port_filter(void **state)
{
	struct inspect_filter f = { .port = P };
	struct inspect_snap got = { 0 };
	int fd[16], n = 0, nl, bound_inactive;
	size_t i;

	(void)state;
	enter_netns();
	nl = inspect_open();
	assert_true(nl >= 0);

	fd[n++] = sock_at(AF_INET, SOCK_DGRAM, "127.0.0.1", P);		/* yes */
	fd[n++] = sock_at(AF_INET, SOCK_DGRAM, "127.0.0.1", Q);		/* no */
	fd[n++] = client(AF_INET, SOCK_DGRAM, "127.0.0.1", P);		/* yes: peer */
	if (have_v6)
		fd[n++] = sock_at(AF_INET6, SOCK_DGRAM, "::1", P);	/* yes */
	fd[n] = listener(AF_INET, "127.0.0.1", P);			/* yes */
	fd[n + 1] = client(AF_INET, SOCK_STREAM, "127.0.0.1", P);	/* yes: peer */
	fd[n + 2] = accepted(fd[n]);					/* yes */
	n += 3;
	fd[n] = listener(AF_INET, "127.0.0.1", Q);			/* no */
	fd[n + 1] = client(AF_INET, SOCK_STREAM, "127.0.0.1", Q);	/* no */
	fd[n + 2] = accepted(fd[n]);					/* no */
	n += 3;
	fd[n++] = sock_at(AF_INET, SOCK_STREAM, "127.0.0.2", P);	/* yes: bound */
	fd[n++] = sock_at(AF_INET, SOCK_STREAM, "127.0.0.1", Q + 1);	/* no: bound */

	/* bound-inactive sockets are listed by 6.7+ kernels only */
	assert_int_equal(inspect_query(nl, NULL, &got), 0);
	bound_inactive = count(&got, IPPROTO_TCP, AF_INET, ST_BOUND, Q + 1, 0) == 1;
	inspect_free(&got);

	query_is_oracle(nl, &f, &got);
	for (i = 0; i < got.n; i++)
		assert_true(got.v[i].lport == P || got.v[i].rport == P);
	assert_int_equal(count(&got, IPPROTO_UDP, AF_INET, ST_CLOSE, P, 0), 1);
	assert_int_equal(count(&got, IPPROTO_UDP, AF_INET, ST_ESTAB, -1, P), 1);
	assert_int_equal(count(&got, IPPROTO_UDP, AF_INET6, ST_CLOSE, P, 0), (size_t)have_v6);
	assert_int_equal(count(&got, IPPROTO_TCP, AF_INET, ST_LISTEN, P, 0), 1);
	assert_int_equal(count(&got, IPPROTO_TCP, AF_INET, ST_ESTAB, P, -1), 1);
	assert_int_equal(count(&got, IPPROTO_TCP, AF_INET, ST_ESTAB, -1, P), 1);
	assert_int_equal(count(&got, IPPROTO_TCP, AF_INET, ST_BOUND, P, 0), (size_t)bound_inactive);
	assert_int_equal(got.n, 5 + (size_t)have_v6 + (size_t)bound_inactive);
	/* the client whose only link to P is its peer port */
	for (i = 0; i < got.n; i++)
		if (got.v[i].proto == IPPROTO_TCP && got.v[i].rport == P)
			assert_int_not_equal(got.v[i].lport, P);
	inspect_free(&got);

	/* a port nobody uses: nothing, not an error */
	f.port = 4999;
	assert_int_equal(inspect_query(nl, &f, &got), 0);
	assert_int_equal(got.n, 0);
	inspect_free(&got);

	close_all(fd, (size_t)n);
	close(nl);
}

static void live_other_filters(void **state)
{
	const struct inspect_filter filters[] = {
		{ .protos = INSPECT_TCP },
		{ .protos = INSPECT_UDP },
		{ .families = INSPECT_V4 },
		{ .families = INSPECT_V6 },
		{ .states = 1U << ST_LISTEN },
		{ .states = 1U << ST_BOUND },
		{ .states = (1U << ST_ESTAB) | (1U << ST_LISTEN) },
		{ .protos = INSPECT_UDP, .states = 1U << ST_ESTAB },
		{ .protos = INSPECT_TCP, .families = INSPECT_V6, .port = Q },
		{ .families = INSPECT_V4, .states = 1U << ST_CLOSE, .port = P },
	};
	struct inspect_snap got = { 0 };
	int fd[16], n = 0, nl;
	size_t i;

	(void)state;
	enter_netns();
	nl = inspect_open();
	assert_true(nl >= 0);
	fd[n++] = sock_at(AF_INET, SOCK_DGRAM, "127.0.0.1", P);
	fd[n++] = client(AF_INET, SOCK_DGRAM, "127.0.0.1", P);
	fd[n] = listener(AF_INET, "127.0.0.1", P);
	fd[n + 1] = client(AF_INET, SOCK_STREAM, "127.0.0.1", P);
	fd[n + 2] = accepted(fd[n]);
	n += 3;
	fd[n++] = sock_at(AF_INET, SOCK_STREAM, "127.0.0.1", Q + 1);
	if (have_v6) {
		fd[n++] = sock_at(AF_INET6, SOCK_DGRAM, "::", Q);
		fd[n] = listener(AF_INET6, "::1", Q);
		fd[n + 1] = client(AF_INET6, SOCK_STREAM, "::1", Q);
		fd[n + 2] = accepted(fd[n]);
		n += 3;
	}

	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		query_is_oracle(nl, &filters[i], &got);
		inspect_free(&got);
	}

	/* the explicit answers for a few of them */
	query_is_oracle(nl, &filters[4], &got);		/* listeners */
	assert_int_equal(got.n, 1 + (size_t)have_v6);
	inspect_free(&got);
	query_is_oracle(nl, &filters[7], &got);		/* connected UDP */
	assert_int_equal(got.n, 1);
	assert_int_equal(got.v[0].rport, P);
	inspect_free(&got);
	query_is_oracle(nl, &filters[8], &got);		/* TCP6 on Q */
	assert_int_equal(got.n, have_v6 ? 3 : 0);
	inspect_free(&got);

	close_all(fd, (size_t)n);
	close(nl);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The side that closes first keeps TIME_WAIT: the client, here. */
static void live_time_wait(void **state)
{
	struct inspect_filter f = { .port = 7000, .states = 1U << ST_TIME_WAIT };
	struct inspect_snap got = { 0 };
	const struct inspect_sock *tw = NULL;
	int l, c, a, nl, tries;
	size_t i;

	(void)state;
	enter_netns();
	nl = inspect_open();
	assert_true(nl >= 0);
	l = listener(AF_INET, "127.0.0.1", 7000);
	c = client(AF_INET, SOCK_STREAM, "127.0.0.1", 7000);
	a = accepted(l);
	close(c);
	sleep_ms(10);
	close(a);
	for (tries = 0; tries < 200 && !tw; tries++) {
		inspect_free(&got);
		assert_int_equal(inspect_query(nl, NULL, &got), 0);
		for (i = 0; i < got.n; i++)
			if (got.v[i].proto == IPPROTO_TCP && got.v[i].state == ST_TIME_WAIT)
				tw = &got.v[i];
		if (!tw)
			sleep_ms(10);
	}
	assert_non_null(tw);
	assert_int_equal(tw->family, AF_INET);
	assert_int_equal(tw->rport, 7000);
	assert_int_not_equal(tw->lport, 7000);
	assert_int_equal(tw->timer, 3);
	assert_true(tw->expires_ms > 0);
	assert_true(tw->expires_ms <= 60000);
	assert_int_equal(tw->inode, 0);		/* no file behind it */
	assert_int_equal(tw->pid, 0);
	assert_int_equal(tw->fd, -1);
	assert_string_equal(inspect_state_name(tw->proto, tw->state), "TIME-WAIT");
	inspect_free(&got);

	/* the bytecode applies to TIME_WAIT sockets too (peer port 7000) */
	query_is_oracle(nl, &f, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.v[0].state, ST_TIME_WAIT);
	assert_int_equal(got.v[0].timer, 3);
	inspect_free(&got);

	close(l);
	close(nl);
}

/* ifindex from idiag_if, and the fields sock_diag does not fill start out
 * as "unknown" on every row. */
static void live_fields(void **state)
{
	struct inspect_snap got = { 0 };
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned lo;
	int u, t, nl, found = 0;
	size_t i;

	(void)state;
	enter_netns();
	nl = inspect_open();
	assert_true(nl >= 0);
	lo = if_nametoindex("lo");
	assert_int_not_equal(lo, 0);
	len = sa_of(&ss, AF_INET, "127.0.0.1", 8000);
	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(u >= 0);
	assert_int_equal(setsockopt(u, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3), 0);
	assert_int_equal(bind(u, (struct sockaddr *)&ss, len), 0);
	t = listener(AF_INET, "127.0.0.1", 8002);

	assert_int_equal(inspect_query(nl, NULL, &got), 0);
	assert_true(got.n >= 2);
	for (i = 0; i < got.n; i++) {
		const struct inspect_sock *s = &got.v[i];

		if (s->proto == IPPROTO_UDP && s->lport == 8000) {
			assert_int_equal(s->ifindex, lo);
			found++;
		} else {
			assert_int_equal(s->ifindex, 0);
		}
		if (s->proto == IPPROTO_TCP && s->lport == 8002) {
			assert_int_equal(s->state, ST_LISTEN);
			assert_int_equal(s->timer, 0);
			assert_int_equal(s->expires_ms, 0);
			found++;
		}
		assert_string_equal(s->comm, "");
		assert_int_equal(s->reuseaddr, -1);
		assert_int_equal(s->reuseport, -1);
		assert_int_equal(s->broadcast, -1);
		assert_int_equal(s->mark, 0);
		assert_int_equal(s->pid, 0);
		assert_int_equal(s->fd, -1);
	}
	assert_int_equal(found, 2);
	inspect_free(&got);
	close(u);
	close(t);
	close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bc_layout),
		cmocka_unit_test(bc_errors),
		cmocka_unit_test(bc_semantics),
		cmocka_unit_test(filter_reqs),
		cmocka_unit_test(filter_states),
		cmocka_unit_test(query_bad_filter),
		cmocka_unit_test(live_port_filter),
		cmocka_unit_test(live_other_filters),
		cmocka_unit_test(live_time_wait),
		cmocka_unit_test(live_fields),
	};

	/* the live tests must not replay or record */
	unsetenv("SOCKLAB_DIAG_REPLAY");
	unsetenv("SOCKLAB_DIAG_RECORD");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
