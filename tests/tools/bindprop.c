/* bindprop — the bind doctor's model (src/doctor/rules.c) against the
 * kernel, on seeded random scenarios, in a network namespace of its own.
 *
 * A scenario: a protocol, up to three sockets already on one port (each
 * with a family, an address, SO_REUSEADDR/SO_REUSEPORT, an owner uid and,
 * for TCP, a state: bound, listening, connected, TIME_WAIT; for UDP bound
 * or connected), and a candidate socket that binds the port (and, for
 * TCP, maybe listens).  The kernel's answer must equal the prediction.
 *
 *   bindprop [--seed S] [--count N] [--quiet]
 *
 * Prints every mismatch as a command line that replays it, then
 * "N scenarios, M mismatches, R scenarios/s".  Exit 1 on a mismatch, 2 on
 * bad usage or when no namespace can be made.  Loopback only: the one
 * address ever connected to is the helper listener on 127.0.0.1/::1. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "doctor/rules.h"
#include "sandbox/sandbox.h"

#define HELPER_PORT 9000
#define FIRST_PORT 10000	/* scenario i uses FIRST_PORT + i: TIME_WAIT lingers */
#define MAX_EXISTING 3

enum { ST_BOUND, ST_LISTEN, ST_CONNECTED, ST_TIMEWAIT };
static const char *const state_names[] = { "bound", "listen", "connected", "timewait" };

struct spec {
	int family, v6only, addr, reuseaddr, reuseport, other_uid, state;
};

struct scenario {
	int proto;
	int n;
	struct spec s[MAX_EXISTING];
	struct spec cand;
	int listen;
};

static const char *const v4_addrs[] = { "0.0.0.0", "127.0.0.1", "127.0.0.2" };
static const char *const v6_addrs[] = { "::", "::1", "::ffff:127.0.0.1" };
static int have_other_uid;
static unsigned long long rng;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static void random_spec(struct spec *sp, int proto, int existing)
{
	sp->family = pick(2) ? AF_INET6 : AF_INET;
	sp->addr = (int)pick(3);
	sp->v6only = sp->family == AF_INET6 && sp->addr != 2 ? (int)pick(2) : 0;
	sp->reuseaddr = (int)pick(2);
	sp->reuseport = (int)pick(2);
	sp->other_uid = have_other_uid ? (int)pick(2) : 0;
	sp->state = ST_BOUND;
	if (existing)
		sp->state = proto == IPPROTO_UDP ? (pick(3) ? ST_BOUND : ST_CONNECTED) : (int)pick(4);
}

static void make_scenario(struct scenario *sc, unsigned long long seed)
{
	rng = seed * 2654435761ULL + 1;
	memset(sc, 0, sizeof *sc);
	sc->proto = pick(2) ? IPPROTO_TCP : IPPROTO_UDP;
	sc->n = (int)pick(MAX_EXISTING + 1);
	for (int i = 0; i < sc->n; i++)
		random_spec(&sc->s[i], sc->proto, 1);
	random_spec(&sc->cand, sc->proto, 0);
	sc->listen = sc->proto == IPPROTO_TCP && pick(2);
}

static void describe(char *buf, size_t len, const struct scenario *sc)
{
	size_t n = (size_t)snprintf(buf, len, "%s", sc->proto == IPPROTO_TCP ? "tcp" : "udp");

	for (int i = 0; i <= sc->n && n < len; i++) {
		const struct spec *sp = i < sc->n ? &sc->s[i] : &sc->cand;

		n += (size_t)snprintf(buf + n, len - n, " %s[%s]%s%s%s%s %s",
				      i < sc->n ? "" : "| candidate ",
				      sp->family == AF_INET ? v4_addrs[sp->addr] : v6_addrs[sp->addr],
				      sp->v6only ? " v6only" : "", sp->reuseaddr ? " ra" : "",
				      sp->reuseport ? " rp" : "", sp->other_uid ? " uid65534" : "",
				      i < sc->n ? state_names[sp->state] : sc->listen ? "listen" : "bind");
	}
}

static socklen_t sockaddr_of(struct sockaddr_storage *ss, int family, const char *addr, int port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

	a->sin6_family = AF_INET6;
	a->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, addr, &a->sin6_addr);
	return sizeof *a;
}

/* A socket as the spec says, owned by its uid; bound to port.  -1 and
 * errno when the kernel refuses (then it is not part of the scenario). */
static int open_bound(const struct spec *sp, int proto, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, sp->family,
				    sp->family == AF_INET ? v4_addrs[sp->addr] : v6_addrs[sp->addr], port);
	int fd, err;

	/* the socket's owner is the fsuid at socket(): that is what the
	 * SO_REUSEPORT uid rule compares */
	if (sp->other_uid && setresuid(-1, 65534, -1) < 0)
		return -1;
	fd = socket(sp->family, proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM, 0);
	err = errno;
	if (sp->other_uid && setresuid(-1, 0, -1) < 0)
		abort();
	if (fd < 0) {
		errno = err;
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &sp->reuseaddr, sizeof sp->reuseaddr);
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &sp->reuseport, sizeof sp->reuseport);
	if (sp->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &sp->v6only, sizeof sp->v6only);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Bring an existing socket to its state; fills *rs as the inspector
 * would report it.  Returns the fd (or, for TIME_WAIT, -2: only the
 * kernel holds it now), -1 when the kernel refused on the way. */
static int realize(const struct spec *sp, int proto, int port, int helper4, int helper_port,
		   struct rules_sock *rs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = open_bound(sp, proto, port);

	if (fd < 0)
		return -1;
	if (sp->state == ST_LISTEN && listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	if (sp->state == ST_CONNECTED || sp->state == ST_TIMEWAIT) {
		/* to the helper, in the socket's own family (v4-mapped: v4) */
		int v4 = sp->family == AF_INET || sp->addr == 2 || (sp->addr == 0 && !sp->v6only && 0);
		socklen_t tl = sockaddr_of(&ss, sp->family,
					   sp->family == AF_INET ? "127.0.0.1" : v4 ? "::ffff:127.0.0.1" : "::1",
					   helper_port);

		if (sp->family == AF_INET6 && sp->addr == 1)
			tl = sockaddr_of(&ss, AF_INET6, "::1", helper_port);
		if (connect(fd, (struct sockaddr *)&ss, tl) < 0) {
			close(fd);
			return -1;
		}
		if (proto == IPPROTO_TCP) {
			int c = accept(helper4, NULL, NULL);

			if (c >= 0 && sp->state == ST_TIMEWAIT) {
				/* we close first: TIME_WAIT stays on our side */
				len = sizeof ss;
				getsockname(fd, (struct sockaddr *)&ss, &len);
				close(fd);
				fd = -2;
				usleep(0);
				close(c);
			} else if (c >= 0) {
				close(c);	/* the peer goes; ours stays ESTABLISHED-ish (CLOSE_WAIT) */
			}
		}
	}
	memset(rs, 0, sizeof *rs);
	if (fd >= 0) {
		len = sizeof ss;
		getsockname(fd, (struct sockaddr *)&ss, &len);
	}
	rs->family = (uint8_t)sp->family;
	rs->proto = (uint8_t)proto;
	/* as sock_diag reports it: bind() to ::1 made it IPv6-only */
	rs->v6only = (uint8_t)(sp->v6only || (sp->family == AF_INET6 && sp->addr == 1));
	rs->port = (uint16_t)port;
	if (sp->family == AF_INET)
		memcpy(&rs->addr, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		rs->addr = ((struct sockaddr_in6 *)&ss)->sin6_addr;
	rs->reuseaddr = (int8_t)sp->reuseaddr;
	rs->reuseport = (int8_t)sp->reuseport;
	rs->uid = sp->other_uid ? 65534 : 0;
	rs->state = sp->state == ST_LISTEN ? TCP_LISTEN : sp->state == ST_TIMEWAIT ? TCP_TIME_WAIT :
		    sp->state == ST_CONNECTED ? TCP_ESTABLISHED : TCP_CLOSE;
	return fd;
}

/* One scenario: 0 agreed, 1 a mismatch (printed).  Existing socket i
 * connects to helper i (its own port): two connections on one 4-tuple
 * would let the second recycle the first's TIME_WAIT (tcp_tw_reuse). */
static int run_one(unsigned long long seed, int port, const int *helpers, int quiet)
{
	struct scenario sc;
	struct rules_sock ex[MAX_EXISTING], cand = { 0 };
	struct rules_host host = { .unprivileged_port_start = 1024, .cap_net_bind_service = 1 };
	struct rules_result res;
	int fds[MAX_EXISTING], n = 0, got = 0, fd;
	char text[512];

	make_scenario(&sc, seed);
	for (int i = 0; i < sc.n; i++) {
		int f = realize(&sc.s[i], sc.proto, port, helpers[i], HELPER_PORT + i, &ex[n]);

		if (f == -1)
			continue;	/* refused: not on the port, not in the scenario */
		fds[n++] = f;
	}
	cand.family = (uint8_t)sc.cand.family;
	cand.proto = (uint8_t)sc.proto;
	cand.v6only = (uint8_t)sc.cand.v6only;
	cand.port = (uint16_t)port;
	if (sc.cand.family == AF_INET)
		inet_pton(AF_INET, v4_addrs[sc.cand.addr], &cand.addr);
	else
		inet_pton(AF_INET6, v6_addrs[sc.cand.addr], &cand.addr);
	cand.reuseaddr = (int8_t)sc.cand.reuseaddr;
	cand.reuseport = (int8_t)sc.cand.reuseport;
	cand.uid = sc.cand.other_uid ? 65534 : 0;
	cand.state = TCP_CLOSE;
	rules_predict(&cand, sc.listen, ex, (size_t)n, &host, &res);

	fd = open_bound(&sc.cand, sc.proto, port);
	if (fd < 0)
		got = errno;
	else if (sc.listen && listen(fd, 8) < 0)
		got = errno;
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (got == res.err)
		return 0;
	if (!quiet) {
		describe(text, sizeof text, &sc);
		printf("mismatch: bindprop --seed %llu --count 1   # %s: kernel %s, model %s (%s)\n",
		       seed, text, got ? strerrorname_np(got) : "ok",
		       res.err ? strerrorname_np(res.err) : "ok", res.why);
	}
	return 1;
}

static int helper_listener(int family, int hport)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, family, family == AF_INET6 ? "::" : "0.0.0.0", hport);
	int fd = socket(family, SOCK_STREAM, 0), off = 0;

	if (fd < 0)
		return -1;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	long count = 2000, bad = 0;
	int quiet = 0, helpers[MAX_EXISTING];
	const char *what = NULL;
	struct timespec t0, t1;
	double secs;

	for (int i = 1; i < argc; i++) {
		char *end;

		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			seed = strtoull(argv[++i], &end, 10);
			if (*end) goto usage;
		} else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			count = strtol(argv[++i], &end, 10);
			if (*end || count < 1 || count > 50000) goto usage;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = 1;
		} else {
			goto usage;
		}
	}
	if (sandbox_enter(&what) < 0) {
		fprintf(stderr, "bindprop: %s: %s\n", what, strerror(errno));
		return 2;
	}
	have_other_uid = geteuid() == 0 && setresuid(-1, 65534, -1) == 0 && setresuid(-1, 0, -1) == 0;
	/* dual-stack helpers, TCP and UDP, one per existing socket */
	for (int i = 0; i < MAX_EXISTING; i++) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6,
					  .sin6_port = htons((uint16_t)(HELPER_PORT + i)),
					  .sin6_addr = IN6ADDR_ANY_INIT };
		int u = socket(AF_INET6, SOCK_DGRAM, 0);

		helpers[i] = helper_listener(AF_INET6, HELPER_PORT + i);
		if (helpers[i] < 0 || u < 0 || bind(u, (struct sockaddr *)&a, sizeof a) < 0) {
			fprintf(stderr, "bindprop: helper on port %d: %s\n", HELPER_PORT + i, strerror(errno));
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++)
		bad += run_one(seed + (unsigned long long)i, FIRST_PORT + (int)(i % 50000), helpers, quiet);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%ld scenarios, %ld mismatches, %.0f scenarios/s (seeds %llu..%llu; %s)\n", count, bad,
	       secs > 0 ? (double)count / secs : 0.0, seed, seed + (unsigned long long)count - 1,
	       have_other_uid ? "two uids" : "one uid: no SO_REUSEPORT uid cases");
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: bindprop [--seed S] [--count N (1..50000)] [--quiet]\n");
	return 2;
}
