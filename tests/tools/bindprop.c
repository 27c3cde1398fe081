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
 * "N scenarios, M mismatches, R scenarios/s (...; udp walk: W)", W being
 * how this kernel walks a UDP port (doctor/udpwalk.h), which the model
 * followed.  Exit 1 on a mismatch, 2 on
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
#include "doctor/scenario.h"
#include "doctor/udpwalk.h"
#include "sandbox/sandbox.h"

#define FIRST_PORT 10000	/* scenario i uses FIRST_PORT + i: TIME_WAIT lingers */

static int have_other_uid;
static unsigned long long rng;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static void random_spec(struct scenario_spec *sp, int proto, int existing)
{
	sp->family = pick(2) ? AF_INET6 : AF_INET;
	sp->addr = (int)pick(3);
	sp->v6only = sp->family == AF_INET6 && sp->addr != 2 ? (int)pick(2) : 0;
	sp->reuseaddr = (int)pick(2);
	sp->reuseport = (int)pick(2);
	sp->other_uid = have_other_uid ? (int)pick(2) : 0;
	sp->state = SCENARIO_BOUND;
	if (existing)
		sp->state = proto == IPPROTO_UDP ? (pick(3) ? SCENARIO_BOUND : SCENARIO_CONNECTED) : (int)pick(4);
}

static void make_scenario(struct scenario *sc, unsigned long long seed)
{
	rng = seed * 2654435761ULL + 1;
	memset(sc, 0, sizeof *sc);
	sc->proto = pick(2) ? IPPROTO_TCP : IPPROTO_UDP;
	sc->n = (int)pick(SCENARIO_MAX_EXISTING + 1);
	for (int i = 0; i < sc->n; i++)
		random_spec(&sc->s[i], sc->proto, 1);
	random_spec(&sc->cand, sc->proto, 0);
	sc->listen = sc->proto == IPPROTO_TCP && pick(2);
}

/* One scenario: 0 agreed, 1 a mismatch (printed). */
static int run_one(unsigned long long seed, int port, int quiet)
{
	struct scenario sc;
	struct rules_result res;
	int got;
	char text[512];

	make_scenario(&sc, seed);
	scenario_run(&sc, port, &got, &res);
	if (got == res.err)
		return 0;
	if (!quiet) {
		scenario_describe(text, sizeof text, &sc);
		printf("mismatch: bindprop --seed %llu --count 1   # %s: kernel %s, model %s (%s)\n",
		       seed, text, got ? strerrorname_np(got) : "ok",
		       res.err ? strerrorname_np(res.err) : "ok", res.why);
	}
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	long count = 2000, bad = 0;
	int quiet = 0;
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
	if (scenario_setup(&have_other_uid) < 0) {
		fprintf(stderr, "bindprop: helpers: %s\n", strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++)
		bad += run_one(seed + (unsigned long long)i, FIRST_PORT + (int)(i % 50000), quiet);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%ld scenarios, %ld mismatches, %.0f scenarios/s (seeds %llu..%llu; %s; udp walk: %s)\n",
	       count, bad, secs > 0 ? (double)count / secs : 0.0, seed,
	       seed + (unsigned long long)count - 1,
	       have_other_uid ? "two uids" : "one uid: no SO_REUSEPORT uid cases",
	       (const char *[]){ "unknown", "first-partner", "every" }[udpwalk_bind_all() + 1]);
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: bindprop [--seed S] [--count N (1..50000)] [--quiet]\n");
	return 2;
}
