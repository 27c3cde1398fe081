/* test_inspect_replay.c — SOCKLAB_DIAG_REPLAY / SOCKLAB_DIAG_RECORD.
 *
 * Parses real dumps recorded in tests/data/diag (no root needed), checks
 * that damaged replay files fail cleanly with EBADMSG, builds replay files
 * by hand from the format docs/inspect.md documents, and, where a network
 * namespace of our own can be made, records a live query and replays it.
 *
 * The fixtures are made by this program too:
 *   sudo SOCKLAB_DIAG_FIXTURES=tests/data/diag build/tests/test_inspect_replay
 * records them in a fresh network namespace (see record_fixtures()). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "inspect/inspect.h"
#include "inspect/diag_priv.h"

enum {
	ST_ESTAB = 1, ST_TIME_WAIT = 6, ST_CLOSE = 7, ST_LISTEN = 10,
	ST_BOUND = 13,
};

/* ------------------------------------------------------------------ */
/* shared helpers                                                       */

static const char *data_dir(void)
{
	const char *d = getenv("SOCKLAB_DIAG_DATA");

	return d && *d ? d : "tests/data/diag";
}

static void data_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", data_dir(), name);
}

static char tmpdir[PATH_MAX / 4];	/* leaves room for a file name */

static int tmp_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/socklab-replay-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	unsetenv("SOCKLAB_DIAG_REPLAY");
	unsetenv("SOCKLAB_DIAG_RECORD");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* The whole file in memory. */
static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	struct stat st;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	assert_int_equal(*len, (size_t)st.st_size);
	fclose(f);
	return buf;
}

static void spill(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* One query replayed from path (the way a caller does it: inspect_open,
 * inspect_query, close).  Returns what inspect_query returned. */
static int replay(const char *path, const struct inspect_filter *f,
		  struct inspect_snap *out)
{
	int nl, ret, saved;

	assert_int_equal(setenv("SOCKLAB_DIAG_REPLAY", path, 1), 0);
	nl = inspect_open();
	assert_true(nl >= 0);
	ret = inspect_query(nl, f, out);
	saved = errno;
	close(nl);
	unsetenv("SOCKLAB_DIAG_REPLAY");
	errno = saved;
	return ret;
}

static void sorted(const struct inspect_snap *s)
{
	size_t i;

	for (i = 1; i < s->n; i++) {
		const struct inspect_sock *a = &s->v[i - 1], *b = &s->v[i];
		int c;

		if (a->proto != b->proto) {
			assert_true(a->proto < b->proto);
			continue;
		}
		if (a->lport != b->lport) {
			assert_true(a->lport < b->lport);
			continue;
		}
		if (a->family != b->family) {
			assert_true(a->family < b->family);
			continue;
		}
		c = memcmp(&a->laddr, &b->laddr, sizeof(a->laddr));
		assert_true(c <= 0);
		if (c < 0)
			continue;
		assert_true(a->rport <= b->rport);
	}
}

/* ------------------------------------------------------------------ */
/* the recorded fixtures                                                */

struct want {
	uint8_t proto, family, state;
	uint16_t lport, rport;
	const char *laddr;
	int v6only;		/* -1: not checked */
};

#define T IPPROTO_TCP
#define U IPPROTO_UDP
#define V4 AF_INET
#define V6 AF_INET6

/* mix.bin, in the order inspect_query sorts rows (see record_fixtures) */
static const struct want mix[] = {
	{ T, V4, ST_LISTEN, 6000, 0, "127.0.0.1", 0 },
	{ T, V4, ST_ESTAB, 6000, 6100, "127.0.0.1", 0 },	/* accepted */
	{ T, V6, ST_LISTEN, 6001, 0, "::", 1 },			/* v6only */
	{ T, V6, ST_ESTAB, 6001, 6102, "::1", -1 },		/* accepted */
	{ T, V6, ST_LISTEN, 6002, 0, "::", 0 },			/* dual-stack */
	{ T, V4, ST_BOUND, 6003, 0, "127.0.0.1", 0 },		/* bound-inactive */
	{ T, V4, ST_ESTAB, 6100, 6000, "127.0.0.1", 0 },	/* client */
	{ T, V4, ST_TIME_WAIT, 6101, 6000, "127.0.0.1", 0 },	/* closed first */
	{ T, V6, ST_ESTAB, 6102, 6001, "::1", -1 },		/* client */
	{ U, V4, ST_CLOSE, 5000, 0, "127.0.0.1", 0 },
	{ U, V6, ST_CLOSE, 5000, 0, "::1", 1 },			/* kernel sets v6only */
	{ U, V4, ST_CLOSE, 5001, 0, "0.0.0.0", 0 },
	{ U, V6, ST_CLOSE, 5002, 0, "::", 0 },			/* dual-stack */
	{ U, V6, ST_CLOSE, 5003, 0, "::", 1 },			/* IPV6_V6ONLY */
	{ U, V4, ST_ESTAB, 5004, 5000, "127.0.0.1", 0 },	/* connected UDP */
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static void rows_are(const struct inspect_snap *s, const struct want *w, size_t n)
{
	size_t i;

	assert_int_equal(s->n, n);
	sorted(s);
	for (i = 0; i < n; i++) {
		const struct inspect_sock *r = &s->v[i];
		struct in6_addr a = IN6ADDR_ANY_INIT;

		assert_int_equal(r->proto, w[i].proto);
		assert_int_equal(r->family, w[i].family);
		assert_int_equal(r->state, w[i].state);
		assert_int_equal(r->lport, w[i].lport);
		assert_int_equal(r->rport, w[i].rport);
		assert_int_equal(inet_pton(w[i].family, w[i].laddr, &a), 1);
		assert_memory_equal(&r->laddr, &a, sizeof(a));
		if (w[i].v6only >= 0)
			assert_int_equal(r->v6only, w[i].v6only);
		/* what the collector does not learn from sock_diag */
		assert_int_equal(r->pid, 0);
		assert_int_equal(r->fd, -1);
		assert_string_equal(r->comm, "");
		assert_int_equal(r->reuseaddr, -1);
		assert_int_equal(r->reuseport, -1);
		assert_int_equal(r->broadcast, -1);
		assert_int_equal(r->mark, 0);
		assert_int_equal(r->ifindex, 0);
		if (r->state == ST_TIME_WAIT) {
			assert_int_equal(r->timer, 3);
			assert_true(r->expires_ms > 0 && r->expires_ms <= 60000);
			assert_int_equal(r->inode, 0);
		} else {
			assert_int_not_equal(r->inode, 0);
		}
		if (r->state == ST_LISTEN || r->proto == IPPROTO_UDP)
			assert_int_equal(r->timer, 0);
	}
}

static void replay_mix(void **state)
{
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX];
	struct stat st;
	int nl;

	(void)state;
	data_path(path, sizeof(path), "mix.bin");
	assert_int_equal(replay(path, NULL, &snap), 0);
	rows_are(&snap, mix, NMIX);
	assert_string_equal(inspect_state_name(snap.v[5].proto, snap.v[5].state), "BOUND");
	assert_string_equal(inspect_state_name(snap.v[7].proto, snap.v[7].state), "TIME-WAIT");
	assert_string_equal(inspect_state_name(snap.v[9].proto, snap.v[9].state), "UNCONN");

	/* inspect_dump is the unfiltered query */
	assert_int_equal(setenv("SOCKLAB_DIAG_REPLAY", path, 1), 0);
	nl = inspect_open();
	assert_true(nl >= 0);
	assert_int_equal(fstat(nl, &st), 0);
	assert_true(S_ISREG(st.st_mode));	/* the file, not a socket */
	assert_int_equal(inspect_dump(nl, &snap), 0);
	rows_are(&snap, mix, NMIX);
	/* a file of one dump answers every query the same */
	assert_int_equal(inspect_dump(nl, &snap), 0);
	rows_are(&snap, mix, NMIX);
	close(nl);

	/* a descriptor that is not the file: the file from its start */
	assert_int_equal(inspect_dump(-1, &snap), 0);
	rows_are(&snap, mix, NMIX);
	unsetenv("SOCKLAB_DIAG_REPLAY");
	inspect_free(&snap);
}

/* port6000.bin: the kernel filtered on port 6000 */
static void replay_port(void **state)
{
	static const struct want w[] = {
		{ T, V4, ST_LISTEN, 6000, 0, "127.0.0.1", 0 },
		{ T, V4, ST_ESTAB, 6000, 6100, "127.0.0.1", 0 },
		{ T, V4, ST_ESTAB, 6100, 6000, "127.0.0.1", 0 },
		{ T, V4, ST_TIME_WAIT, 6101, 6000, "127.0.0.1", 0 },
	};
	struct inspect_filter f = { .port = 6000 };
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX];

	(void)state;
	data_path(path, sizeof(path), "port6000.bin");
	assert_int_equal(replay(path, &f, &snap), 0);
	rows_are(&snap, w, sizeof(w) / sizeof(w[0]));

	/* the file answers that question only */
	errno = 0;
	assert_int_equal(replay(path, NULL, &snap), -1);
	assert_int_equal(errno, ENOMSG);
	assert_null(snap.v);
	f.port = 6001;
	errno = 0;
	assert_int_equal(replay(path, &f, &snap), -1);
	assert_int_equal(errno, ENOMSG);
	f.port = 6000;
	f.protos = INSPECT_UDP;
	errno = 0;
	assert_int_equal(replay(path, &f, &snap), -1);
	assert_int_equal(errno, ENOMSG);
	inspect_free(&snap);
}

/* series.bin: two dumps, the second after UDP 127.0.0.1:5000 closed.
 * Queries on one descriptor play them in turn, then start over. */
static void replay_series(void **state)
{
	struct inspect_snap snap = { 0 };
	struct want second[NMIX - 1];
	char path[PATH_MAX];
	size_t i, j = 0;
	int nl;

	(void)state;
	for (i = 0; i < NMIX; i++)
		if (!(mix[i].proto == U && mix[i].family == V4 && mix[i].lport == 5000))
			second[j++] = mix[i];
	data_path(path, sizeof(path), "series.bin");
	assert_int_equal(setenv("SOCKLAB_DIAG_REPLAY", path, 1), 0);
	nl = inspect_open();
	assert_true(nl >= 0);
	assert_int_equal(inspect_dump(nl, &snap), 0);
	rows_are(&snap, mix, NMIX);
	assert_int_equal(inspect_dump(nl, &snap), 0);
	rows_are(&snap, second, NMIX - 1);
	assert_int_equal(inspect_dump(nl, &snap), 0);
	rows_are(&snap, mix, NMIX);
	close(nl);
	unsetenv("SOCKLAB_DIAG_REPLAY");
	inspect_free(&snap);
}

static void replay_missing(void **state)
{
	(void)state;
	assert_int_equal(setenv("SOCKLAB_DIAG_REPLAY", "/nonexistent/socklab.bin", 1), 0);
	errno = 0;
	assert_int_equal(inspect_open(), -1);
	assert_int_equal(errno, ENOENT);
	unsetenv("SOCKLAB_DIAG_REPLAY");
}

/* Every proper prefix of a recording is a truncated file. */
static void replay_truncated(void **state)
{
	static const char *const names[] = { "mix.bin", "port6000.bin" };
	static const struct inspect_filter port = { .port = 6000 };
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX], cut[PATH_MAX];
	unsigned char *buf;
	size_t len, i, k;

	(void)state;
	tmp_path(cut, sizeof(cut), "cut.bin");
	for (k = 0; k < 2; k++) {
		data_path(path, sizeof(path), names[k]);
		buf = slurp(path, &len);
		assert_true(len > 100);
		for (i = 0; i < len; i++) {
			spill(cut, buf, i);
			errno = 0;
			assert_int_equal(replay(cut, k ? &port : NULL, &snap), -1);
			assert_int_equal(errno, EBADMSG);
			assert_null(snap.v);
			assert_int_equal(snap.n, 0);
		}
		free(buf);
	}
}

/* Damage that keeps the framing readable but breaks a field. */
static void replay_corrupt(void **state)
{
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX], bad[PATH_MAX];
	unsigned char *buf, *copy;
	size_t len;
	uint32_t big = DIAG_BUF + 1;
	unsigned seed = 12345, n, k;
	int ok = 0;

	(void)state;
	data_path(path, sizeof(path), "mix.bin");
	tmp_path(bad, sizeof(bad), "bad.bin");
	buf = slurp(path, &len);
	copy = malloc(len);
	assert_non_null(copy);

#define DAMAGED(what) do {						\
		spill(bad, copy, len);					\
		errno = 0;						\
		assert_int_equal(replay(bad, NULL, &snap), -1);		\
		assert_int_equal(errno, EBADMSG);			\
		assert_null(snap.v);					\
		memcpy(copy, buf, len);					\
	} while (0)

	memcpy(copy, buf, len);
	copy[0] = 'X';			/* magic */
	DAMAGED();
	copy[4] = 2;			/* version */
	DAMAGED();
	copy[5] = 0x80;			/* unknown flag */
	DAMAGED();
	copy[5] ^= 1;			/* other byte order */
	DAMAGED();
	copy[18] = 1;			/* reserved */
	DAMAGED();
	memcpy(copy + 20, &big, 4);	/* first chunk too long (le on le hosts) */
	DAMAGED();
	memset(copy + 20, 0, 4);	/* reply ends before NLMSG_DONE */
	DAMAGED();
	copy[12] ^= 0x55;		/* the recorded seq: no reply matches,
					 * so the dump never ends */
	DAMAGED();

	/* random damage: anything may come out, but nothing may crash,
	 * leak or read out of bounds (run under SAN=1) */
	for (n = 0; n < 3000; n++) {
		int ret;

		memcpy(copy, buf, len);
		for (k = 0; k < 1 + n % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] ^= (unsigned char)(1u << (seed >> 28 & 7));
		}
		spill(bad, copy, len);
		errno = 0;
		ret = replay(bad, NULL, &snap);
		if (ret == 0) {
			ok++;
			sorted(&snap);
		} else {
			assert_int_equal(ret, -1);
			assert_int_not_equal(errno, 0);
			assert_null(snap.v);
		}
	}
	assert_true(ok > 0);	/* most flips land in harmless fields */
#undef DAMAGED
	inspect_free(&snap);
	free(copy);
	free(buf);
}

/* ------------------------------------------------------------------ */
/* replay files written by hand, from the documented format            */

static FILE *hand;

static void put_le(unsigned char *p, uint32_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void hand_request(uint8_t family, uint8_t proto, uint32_t states,
			 uint32_t seq, uint16_t port)
{
	unsigned char h[20] = { 'S', 'L', 'D', 'R', 1, 0 };
	const uint16_t one = 1;

	if (*(const unsigned char *)&one == 0)
		h[5] = 1;	/* big-endian host */
	h[6] = family;
	h[7] = proto;
	put_le(h + 8, states, 4);
	put_le(h + 12, seq, 4);
	put_le(h + 16, port, 2);
	assert_int_equal(fwrite(h, 1, sizeof(h), hand), sizeof(h));
}

static void hand_chunk(const void *buf, uint32_t len)
{
	unsigned char l[4];

	put_le(l, len, 4);
	assert_int_equal(fwrite(l, 1, 4, hand), 4);
	assert_int_equal(fwrite(buf, 1, len, hand), len);
}

static void hand_end(void)
{
	static const unsigned char zero[4];

	assert_int_equal(fwrite(zero, 1, 4, hand), 4);
}

static _Alignas(struct nlmsghdr) unsigned char nlbuf[4096];
static size_t nllen;

static struct nlmsghdr *nl_add(uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nlbuf + nllen);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	return nlh;
}

static void nl_done(struct nlmsghdr *nlh)
{
	nllen += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void nl_sock(uint32_t seq, uint8_t family, uint16_t sport, uint32_t inode)
{
	struct nlmsghdr *nlh = nl_add(SOCK_DIAG_BY_FAMILY, seq);
	struct inet_diag_msg *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

	r->idiag_family = family;
	r->idiag_state = ST_CLOSE;
	r->id.idiag_sport = htons(sport);
	r->id.idiag_src[0] = htonl(INADDR_LOOPBACK);
	r->idiag_inode = inode;
	nl_done(nlh);
}

static void nl_status(uint16_t type, uint32_t seq, int status)
{
	struct nlmsghdr *nlh = nl_add(type, seq);

	if (type == NLMSG_ERROR) {
		struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

		e->error = status;
	} else {
		int *st = mnl_nlmsg_put_extra_header(nlh, sizeof(*st));

		*st = status;
	}
	nl_done(nlh);
}

static void nl_flush(void)
{
	hand_chunk(nlbuf, (uint32_t)nllen);
	nllen = 0;
}

static const struct inspect_filter udp4 = {
	.protos = INSPECT_UDP, .families = INSPECT_V4,
};

static void hand_open(const char *path)
{
	hand = fopen(path, "wb");
	assert_non_null(hand);
	nllen = 0;
}

static void hand_close(void)
{
	assert_int_equal(fclose(hand), 0);
	hand = NULL;
}

/* A reply in several chunks; messages of another sequence are not ours. */
static void hand_chunks(void **state)
{
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX];

	(void)state;
	tmp_path(path, sizeof(path), "chunks.bin");
	hand_open(path);
	hand_request(AF_INET, IPPROTO_UDP, ~0U, 77, 0);
	nl_sock(77, AF_INET, 5001, 11);
	nl_sock(78, AF_INET, 5002, 12);		/* a stale dump's */
	nl_flush();
	nl_sock(77, AF_INET, 5000, 10);
	nl_sock(77, AF_INET6, 5003, 13);	/* not the family asked */
	nl_flush();
	nl_status(NLMSG_DONE, 77, 0);
	nl_flush();
	hand_end();
	hand_close();

	assert_int_equal(replay(path, &udp4, &snap), 0);
	assert_int_equal(snap.n, 2);
	assert_int_equal(snap.v[0].lport, 5000);	/* sorted */
	assert_int_equal(snap.v[0].inode, 10);
	assert_int_equal(snap.v[1].lport, 5001);
	inspect_free(&snap);
}

/* A kernel that refuses the bound-inactive bit gets the classic states. */
static void hand_fallback(void **state)
{
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX];

	(void)state;
	tmp_path(path, sizeof(path), "fallback.bin");
	hand_open(path);
	hand_request(AF_INET, IPPROTO_UDP, ~0U, 5, 0);
	nl_status(NLMSG_ERROR, 5, -EINVAL);
	nl_flush();
	hand_end();
	hand_request(AF_INET, IPPROTO_UDP, DIAG_STATES_CLASSIC, 6, 0);
	nl_sock(6, AF_INET, 5000, 10);
	nl_status(NLMSG_DONE, 6, 0);
	nl_flush();
	hand_end();
	hand_close();
	assert_int_equal(replay(path, &udp4, &snap), 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(snap.v[0].lport, 5000);

	/* refused twice: the kernel's error */
	hand_open(path);
	hand_request(AF_INET, IPPROTO_UDP, ~0U, 5, 0);
	nl_status(NLMSG_ERROR, 5, -EINVAL);
	nl_flush();
	hand_end();
	hand_request(AF_INET, IPPROTO_UDP, DIAG_STATES_CLASSIC, 6, 0);
	nl_status(NLMSG_DONE, 6, -EINVAL);
	nl_flush();
	hand_end();
	hand_close();
	errno = 0;
	assert_int_equal(replay(path, &udp4, &snap), -1);
	assert_int_equal(errno, EINVAL);
	assert_null(snap.v);
}

/* Errors the kernel could never send are malformed, not errnos. */
static void hand_bad_errors(void **state)
{
	static const int bogus[] = { INT_MIN, 1, -4096, INT_MAX };
	struct inspect_snap snap = { 0 };
	char path[PATH_MAX];
	size_t i, t;

	(void)state;
	tmp_path(path, sizeof(path), "errors.bin");
	for (t = 0; t < 2; t++) {
		for (i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
			hand_open(path);
			hand_request(AF_INET, IPPROTO_UDP, ~0U, 9, 0);
			nl_status(t ? NLMSG_DONE : NLMSG_ERROR, 9, bogus[i]);
			nl_flush();
			hand_end();
			hand_close();
			errno = 0;
			assert_int_equal(replay(path, &udp4, &snap), -1);
			assert_int_equal(errno, EBADMSG);
		}
	}
	/* a zero-length file and a header only */
	hand_open(path);
	hand_close();
	errno = 0;
	assert_int_equal(replay(path, &udp4, &snap), -1);
	assert_int_equal(errno, EBADMSG);
	hand_open(path);
	hand_request(AF_INET, IPPROTO_UDP, ~0U, 9, 0);
	hand_close();
	errno = 0;
	assert_int_equal(replay(path, &udp4, &snap), -1);
	assert_int_equal(errno, EBADMSG);
}

/* ------------------------------------------------------------------ */
/* live: record, then replay (root, or user namespaces)                 */

static int sock_at(int family, int type, const char *addr, uint16_t port, int v6only)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		len = sizeof(*a);
		if (v6only >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
					      &v6only, sizeof(v6only)) < 0)
			goto fail;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int connect_to(int fd, int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		len = sizeof(*a);
	}
	return connect(fd, (struct sockaddr *)&ss, len);
}

/* A fresh network namespace with lo up; -1 when none can be made. */
static int netns(void)
{
	struct ifreq ifr;
	int s, ret;

	if (unshare(CLONE_NEWNET) < 0 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		return -1;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ret = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (ret == 0)
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return ret;
}

static void nap(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Sockets for mix.bin: see the table mix[].  fds[] gets them (closed by
 * the caller); returns how many, or -1. */
static int make_mix(int *fds, int max)
{
	int n = 0, l4, l6, c, a;

#define ADD(x) do { if ((fds[n] = (x)) < 0 || ++n >= max) return -1; } while (0)
	ADD(sock_at(AF_INET, SOCK_DGRAM, "127.0.0.1", 5000, -1));
	ADD(sock_at(AF_INET, SOCK_DGRAM, "0.0.0.0", 5001, -1));
	ADD(sock_at(AF_INET6, SOCK_DGRAM, "::1", 5000, -1));
	ADD(sock_at(AF_INET6, SOCK_DGRAM, "::", 5002, 0));
	ADD(sock_at(AF_INET6, SOCK_DGRAM, "::", 5003, 1));
	ADD(sock_at(AF_INET, SOCK_DGRAM, "127.0.0.1", 5004, -1));
	if (connect_to(fds[n - 1], AF_INET, "127.0.0.1", 5000) < 0)
		return -1;

	ADD(l4 = sock_at(AF_INET, SOCK_STREAM, "127.0.0.1", 6000, -1));
	ADD(l6 = sock_at(AF_INET6, SOCK_STREAM, "::", 6001, 1));
	ADD(sock_at(AF_INET6, SOCK_STREAM, "::", 6002, 0));
	if (listen(l4, 8) < 0 || listen(l6, 8) < 0 || listen(fds[n - 1], 8) < 0)
		return -1;
	ADD(sock_at(AF_INET, SOCK_STREAM, "127.0.0.1", 6003, -1));	/* bound only */

	ADD(c = sock_at(AF_INET, SOCK_STREAM, "127.0.0.1", 6100, -1));
	if (connect_to(c, AF_INET, "127.0.0.1", 6000) < 0)
		return -1;
	ADD(accept4(l4, NULL, NULL, SOCK_CLOEXEC));
	ADD(c = sock_at(AF_INET6, SOCK_STREAM, "::1", 6102, -1));
	if (connect_to(c, AF_INET6, "::1", 6001) < 0)
		return -1;
	ADD(accept4(l6, NULL, NULL, SOCK_CLOEXEC));

	/* TIME_WAIT: the client closes first */
	c = sock_at(AF_INET, SOCK_STREAM, "127.0.0.1", 6101, -1);
	if (c < 0 || connect_to(c, AF_INET, "127.0.0.1", 6000) < 0)
		return -1;
	a = accept4(l4, NULL, NULL, SOCK_CLOEXEC);
	if (a < 0)
		return -1;
	close(c);
	nap(20);
	close(a);
#undef ADD
	return n;
}

/* Wait until the TIME_WAIT socket is there and its peer is gone. */
static int settle(int nl)
{
	struct inspect_snap s = { 0 };
	int tries, ret = -1;
	size_t i, tw, other;

	for (tries = 0; tries < 200 && ret < 0; tries++) {
		if (inspect_query(nl, NULL, &s) < 0)
			break;
		tw = other = 0;
		for (i = 0; i < s.n; i++) {
			if (s.v[i].proto != IPPROTO_TCP)
				continue;
			if (s.v[i].state == ST_TIME_WAIT)
				tw++;
			else if (s.v[i].lport == 6101 || s.v[i].rport == 6101)
				other++;
		}
		if (tw == 1 && other == 0)
			ret = 0;
		else
			nap(10);
	}
	inspect_free(&s);
	return ret;
}

static int record_to(const char *path, int nl, const struct inspect_filter *f)
{
	struct inspect_snap s = { 0 };
	int ret;

	if (setenv("SOCKLAB_DIAG_RECORD", path, 1) < 0)
		return -1;
	ret = inspect_query(nl, f, &s);
	unsetenv("SOCKLAB_DIAG_RECORD");
	inspect_free(&s);
	return ret;
}

/* SOCKLAB_DIAG_FIXTURES=DIR: (re)make the recorded dumps in DIR. */
static int record_fixtures(const char *dir)
{
	static const struct inspect_filter port = { .port = 6000 };
	char mixp[PATH_MAX], portp[PATH_MAX], seriesp[PATH_MAX];
	int fds[32], n, nl, i;

	snprintf(mixp, sizeof(mixp), "%s/mix.bin", dir);
	snprintf(portp, sizeof(portp), "%s/port6000.bin", dir);
	snprintf(seriesp, sizeof(seriesp), "%s/series.bin", dir);
	unlink(mixp);		/* recording appends */
	unlink(portp);
	unlink(seriesp);
	unsetenv("SOCKLAB_DIAG_REPLAY");
	if (netns() < 0) {
		perror("network namespace");
		return 1;
	}
	nl = inspect_open();
	n = make_mix(fds, 32);
	if (nl < 0 || n < 0 || settle(nl) < 0) {
		perror("sockets");
		return 1;
	}
	if (record_to(mixp, nl, NULL) < 0 || record_to(portp, nl, &port) < 0 ||
	    record_to(seriesp, nl, NULL) < 0) {
		perror("record");
		return 1;
	}
	close(fds[0]);		/* UDP 127.0.0.1:5000 */
	fds[0] = -1;
	if (record_to(seriesp, nl, NULL) < 0) {
		perror("record");
		return 1;
	}
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	close(nl);
	return 0;
}

static void same_rows(const struct inspect_snap *a, const struct inspect_snap *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct inspect_sock *x = &a->v[i], *y = &b->v[i];

		assert_int_equal(x->proto, y->proto);
		assert_int_equal(x->family, y->family);
		assert_int_equal(x->state, y->state);
		assert_int_equal(x->v6only, y->v6only);
		assert_int_equal(x->lport, y->lport);
		assert_int_equal(x->rport, y->rport);
		assert_memory_equal(&x->laddr, &y->laddr, sizeof(x->laddr));
		assert_memory_equal(&x->raddr, &y->raddr, sizeof(x->raddr));
		assert_int_equal(x->rqueue, y->rqueue);
		assert_int_equal(x->wqueue, y->wqueue);
		assert_int_equal(x->uid, y->uid);
		assert_int_equal(x->inode, y->inode);
		assert_int_equal(x->ifindex, y->ifindex);
		assert_int_equal(x->timer, y->timer);
		assert_int_equal(x->expires_ms, y->expires_ms);
	}
}

/* What a live query saw is exactly what its recording replays; a second
 * query appends a second dump. */
static void live_record_replay(void **state)
{
	static const struct inspect_filter port = { .port = 6000 };
	struct inspect_snap live1 = { 0 }, live2 = { 0 }, again = { 0 };
	char rec[PATH_MAX];
	int fds[32], n, nl, i;

	(void)state;
	if (netns() < 0)
		skip();
	nl = inspect_open();
	assert_true(nl >= 0);
	n = make_mix(fds, 32);
	assert_true(n > 0);
	assert_int_equal(settle(nl), 0);

	tmp_path(rec, sizeof(rec), "live.bin");
	assert_int_equal(setenv("SOCKLAB_DIAG_RECORD", rec, 1), 0);
	assert_int_equal(inspect_query(nl, NULL, &live1), 0);
	assert_int_equal(inspect_query(nl, &port, &live2), 0);
	unsetenv("SOCKLAB_DIAG_RECORD");
	assert_int_equal(live1.n, NMIX);
	assert_int_equal(live2.n, 4);
	rows_are(&live1, mix, NMIX);

	assert_int_equal(setenv("SOCKLAB_DIAG_REPLAY", rec, 1), 0);
	close(nl);
	nl = inspect_open();
	assert_true(nl >= 0);
	assert_int_equal(inspect_query(nl, NULL, &again), 0);
	same_rows(&live1, &again);
	assert_int_equal(inspect_query(nl, &port, &again), 0);
	same_rows(&live2, &again);
	/* a failed query (wrong question) starts the file over */
	assert_int_equal(inspect_query(nl, &port, &again), -1);
	assert_int_equal(errno, ENOMSG);
	assert_int_equal(inspect_query(nl, NULL, &again), 0);
	same_rows(&live1, &again);
	unsetenv("SOCKLAB_DIAG_REPLAY");

	/* recording cannot open its file: the query fails, says why */
	tmp_path(rec, sizeof(rec), "no/such/dir.bin");
	close(nl);
	nl = inspect_open();
	assert_true(nl >= 0);
	assert_int_equal(setenv("SOCKLAB_DIAG_RECORD", rec, 1), 0);
	errno = 0;
	assert_int_equal(inspect_query(nl, NULL, &again), -1);
	assert_int_equal(errno, ENOENT);
	unsetenv("SOCKLAB_DIAG_RECORD");

	for (i = 0; i < n; i++)
		close(fds[i]);
	close(nl);
	inspect_free(&live1);
	inspect_free(&live2);
	inspect_free(&again);
}

int main(void)
{
	const char *fixtures = getenv("SOCKLAB_DIAG_FIXTURES");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_mix),
		cmocka_unit_test(replay_port),
		cmocka_unit_test(replay_series),
		cmocka_unit_test(replay_missing),
		cmocka_unit_test_setup_teardown(replay_truncated, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(replay_corrupt, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(hand_chunks, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(hand_fallback, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(hand_bad_errors, tmp_setup, tmp_teardown),
		/* last: it leaves this process in a network namespace */
		cmocka_unit_test_setup_teardown(live_record_replay, tmp_setup, tmp_teardown),
	};

	if (fixtures && *fixtures)
		return record_fixtures(fixtures);
	unsetenv("SOCKLAB_DIAG_REPLAY");
	unsetenv("SOCKLAB_DIAG_RECORD");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
