/* grade_group.c — the exercises where several sockets share a port and
 * the kernel decides who gets a datagram: 03 multicast (each member gets
 * a copy) and 05 a SO_REUSEPORT group (each datagram goes to one member,
 * chosen by a hash of the sender's address and port). */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"

#define GROUP "239.1.2.3"
#define GROUP_PORT 7000

/* Everything that arrives on s within ms, then until quiet ms pass with
 * nothing new: call got(text, arg) for each. */
static void collect(int s, int ms, int quiet, void (*got)(const char *, void *), void *arg)
{
	char buf[128];

	while (observe_recv(s, ms, buf, sizeof buf, NULL) >= 0) {
		got(buf, arg);
		ms = quiet;
	}
}

/* ---- 03: two processes, one multicast stream ------------------------------- */

#define STREAM 3

static void count_echo(const char *text, void *arg)
{
	int *echoes = arg;
	int i;

	if (sscanf(text, "m%d", &i) == 1 && i >= 1 && i <= STREAM)
		echoes[i - 1]++;
}

int grade_multicast_two_receivers(const char *exe, struct exercise_result *res)
{
	struct ip_mreqn lo = { .imr_ifindex = (int)if_nametoindex("lo") };
	struct sockaddr_in group = { .sin_family = AF_INET, .sin_port = htons(GROUP_PORT) };
	int echoes[STREAM] = { 0 }, sockets, members, ok = 1;
	struct grader_proc p[2];
	struct grader_run run[2];
	char seen[160] = "";
	unsigned char ttl = 0;
	int s = observe_socket(SOCK_DGRAM, "127.0.0.1", 0);

	inet_pton(AF_INET, GROUP, &group.sin_addr);
	if (s < 0)
		return -1;
	/* the stream goes out on lo, and stays on this host */
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo);
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
	/* A first; B once A holds the port (or gave up), so B is the one
	 * that meets a bound port */
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p[0]) < 0) {
		close(s);
		return -1;
	}
	observe_wait_count(&p[0], IPPROTO_UDP, GROUP_PORT, -1, 1, 2000);
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p[1]) < 0) {
		close(s);
		return -1;
	}
	/* both bound and joined, or one of them gave up */
	sockets = observe_wait_count(&p[1], IPPROTO_UDP, GROUP_PORT, -1, 2, 2000);
	/* each socket's join, while any instance still runs (the starter's B
	 * is gone at once; A may not have joined yet) */
	for (int i = 0; i < 100 && observe_igmp_users("lo", GROUP) < sockets &&
	     (grader_running(&p[0]) | grader_running(&p[1])); i++)
		usleep(10000);
	sockets = observe_count(IPPROTO_UDP, GROUP_PORT, -1);
	members = observe_igmp_users("lo", GROUP);
	for (int i = 1; i <= STREAM; i++) {
		char text[8];

		snprintf(text, sizeof text, "m%d", i);
		sendto(s, text, strlen(text), 0, (struct sockaddr *)&group, sizeof group);
		collect(s, 300, 100, count_echo, echoes);
	}
	sendto(s, "bye", 3, 0, (struct sockaddr *)&group, sizeof group);
	grader_wait(&p[0], &run[0]);
	grader_wait(&p[1], &run[1]);
	close(s);

	observe_ran_ok(&run[0], RAN_OK("instance A"), &res[0]);
	observe_ran_ok(&run[1], RAN_OK("instance B"), &res[1]);
	res[2].criterion = "both instances hold a socket on port 7000 and joined " GROUP " on lo";
	res[2].ok = sockets >= 2 && members >= 2;
	observe_say(&res[2], "%d socket%s on port 7000; %d member%s of " GROUP " on lo", sockets,
		    sockets == 1 ? "" : "s", members, members == 1 ? "" : "s");
	res[2].hint = "both sockets set SO_REUSEADDR before bind(); each joins with "
		      "IP_ADD_MEMBERSHIP, interface lo";
	res[2].lab = 11;
	for (int i = 0; i < STREAM; i++) {
		size_t at = strlen(seen);

		ok &= echoes[i] == 2;
		snprintf(seen + at, sizeof seen - at, "%sm%d: %d", i ? ", " : "", i + 1, echoes[i]);
	}
	res[3].criterion = "each datagram of the stream is echoed twice (both processes got it)";
	res[3].ok = ok;
	observe_say(&res[3], "echoes: %s", seen);
	res[3].hint = "multicast gives every member socket its own copy: two members, two echoes";
	res[3].lab = 11;
	return 4;
}

/* ---- 05: spread datagrams over a SO_REUSEPORT group ------------------------ */

#define WORKERS 4
#define QUERIES 64
#define SPREAD_PORT 7000

struct spread {
	int answered[QUERIES];
	int per_worker[WORKERS];
	int unknown;
};

static void count_answer(const char *text, void *arg)
{
	struct spread *sp = arg;
	int w, q;

	if (sscanf(text, "w%d q%d", &w, &q) == 2 && w >= 0 && w < WORKERS && q >= 0 &&
	    q < QUERIES && !sp->answered[q]) {
		sp->answered[q] = 1;
		sp->per_worker[w]++;
	} else {
		sp->unknown++;
	}
}

int grade_reuseport_spread(const char *exe, struct exercise_result *res)
{
	struct sockaddr_in svc = { .sin_family = AF_INET, .sin_port = htons(SPREAD_PORT),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct spread sp;
	struct grader_proc p;
	struct grader_run run;
	int client[QUERIES], sockets, answered = 0, busy = 0, ret = -1;
	char who[96] = "";

	memset(&sp, 0, sizeof sp);
	for (int i = 0; i < QUERIES; i++)
		client[i] = -1;
	/* 64 clients: 64 source ports, 64 different hashes */
	for (int i = 0; i < QUERIES; i++)
		if ((client[i] = observe_socket(SOCK_DGRAM, "127.0.0.1", 0)) < 0)
			goto out;
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		goto out;
	sockets = observe_wait_count(&p, IPPROTO_UDP, SPREAD_PORT, -1, WORKERS, 2000);
	if (grader_running(&p)) {
		usleep(50000);	/* the last bind() may be a moment ahead of its loop */
		for (int i = 0; i < QUERIES; i++) {
			char q[16];

			snprintf(q, sizeof q, "q%d", i);
			sendto(client[i], q, strlen(q), 0, (struct sockaddr *)&svc, sizeof svc);
		}
		for (int i = 0; i < QUERIES; i++)
			collect(client[i], i ? 50 : 1000, 0, count_answer, &sp);
		sendto(client[0], "bye", 3, 0, (struct sockaddr *)&svc, sizeof svc);
	}
	grader_wait(&p, &run);

	observe_ran_ok(&run, RAN_OK("the program"), &res[0]);
	res[1].criterion = "four sockets share 127.0.0.1:7000";
	res[1].ok = sockets == WORKERS;
	observe_say(&res[1], "%d socket%s on port 7000", sockets, sockets == 1 ? "" : "s");
	res[1].hint = "four sockets, each with SO_REUSEPORT set before bind()";
	res[1].lab = 8;
	for (int w = 0; w < WORKERS; w++) {
		size_t at = strlen(who);

		answered += sp.per_worker[w];
		busy += sp.per_worker[w] > 0;
		snprintf(who + at, sizeof who - at, "%sw%d %d", w ? ", " : "", w, sp.per_worker[w]);
	}
	res[2].criterion = "all 64 queries are answered";
	res[2].ok = answered == QUERIES;
	observe_say(&res[2], "%d answered%s", answered,
		    sp.unknown ? " (and some answers not of the form \"wK qN\")" : "");
	res[2].hint = "each worker answers \"wK qN\" (K its number, 0-3) to the sender of \"qN\"";
	res[3].criterion = "the kernel spread them: every worker answered some";
	res[3].ok = busy == WORKERS;
	observe_say(&res[3], "%s", who);
	res[3].hint = "SO_REUSEADDR lets them share the port, but only the last socket bound "
		      "receives unicast; SO_REUSEPORT makes a group that the kernel balances";
	res[3].lab = 8;
	ret = 4;
out:
	for (int i = 0; i < QUERIES; i++)
		if (client[i] >= 0)
			close(client[i]);
	return ret;
}
