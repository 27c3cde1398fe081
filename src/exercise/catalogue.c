/* catalogue.c — the exercises: number, slug, title, grader (grade_*.c),
 * and their embedded task texts and starters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "graders.h"
#include "i18n.h"
#include "runner/registry.h"

extern const struct registry_source exercise_files[];

/* POINTS(...): a criterion's points each, in the order check prints them
 * (the first: it compiles; the last: nothing left the machine).  The
 * points are the exercise's spec, shown by `exercise show` and summed by
 * check and grade; partial credit is their sum over the criteria met. */
#define POINTS(...) .points = (const unsigned char[]){ __VA_ARGS__ }, \
	.criteria = sizeof((unsigned char[]){ __VA_ARGS__ })

static const struct exercise exercises[] = {
	{ 1, "fixed-source-port", N_("Send from a fixed port"), grade_fixed_source_port,
	  POINTS(1, 1, 2, 5, 1) },
	{ 2, "two-sockets-one-port", N_("Two sockets, one UDP port"), grade_two_sockets_one_port,
	  POINTS(1, 1, 2, 2, 3, 1) },
	{ 3, "multicast-two-receivers", N_("Two processes, one multicast stream"),
	  grade_multicast_two_receivers, POINTS(1, 1, 1, 3, 2, 1, 1) },
	{ 4, "the-story", N_("The story's server and client on one port"), grade_the_story,
	  POINTS(1, 1, 2, 3, 2, 1) },
	{ 5, "reuseport-spread", N_("Spread datagrams over a SO_REUSEPORT group"), grade_reuseport_spread,
	  POINTS(1, 1, 2, 1, 2, 2, 1) },
	{ 6, "tcp-restart", N_("Restart a TCP server during TIME-WAIT"), grade_tcp_restart,
	  POINTS(1, 1, 1, 2, 1, 1, 1, 1, 1) },
	{ 7, "dual-stack", N_("One server for IPv4 and IPv6 clients"), grade_dual_stack,
	  POINTS(1, 1, 1, 1, 2, 1, 2, 1) },
	{ 8, "no-port-exhaustion", N_("Many connections from few ports: IP_BIND_ADDRESS_NO_PORT"),
	  grade_no_port_exhaustion, POINTS(1, 1, 2, 2, 2, 1, 1) },
	{ 9, "multicast-hosts", N_("A multicast receiver on two hosts"), grade_multicast_hosts,
	  POINTS(1, 1, 1, 2, 2, 2, 1) },
	{ 10, "p2p-one-port", N_("A P2P node behind a NAT router keeps one port"), grade_p2p_one_port,
	  POINTS(1, 1, 2, 2, 1, 1, 1, 1) },
};

size_t exercise_count(void)
{
	return sizeof exercises / sizeof exercises[0];
}

const struct exercise *exercise_at(size_t i)
{
	return i < exercise_count() ? &exercises[i] : NULL;
}

const struct exercise *exercise_find(const char *key)
{
	char *end;
	long n = strtol(key, &end, 10);

	for (size_t i = 0; i < exercise_count(); i++) {
		const struct exercise *e = &exercises[i];
		char full[80];

		snprintf(full, sizeof full, "%02d-%s", e->number, e->slug);
		if ((end != key && *end == '\0' && n == e->number) || strcmp(key, e->slug) == 0 ||
		    strcmp(key, full) == 0)
			return e;
	}
	return NULL;
}

int exercise_points(const struct exercise *e, int i)
{
	return i >= 0 && i < e->criteria ? e->points[i] : 0;
}

int exercise_max_points(const struct exercise *e)
{
	int sum = 0;

	for (int i = 0; i < e->criteria; i++)
		sum += e->points[i];
	return sum;
}

const char *exercise_file(const struct exercise *e, const char *name)
{
	char path[160];

	snprintf(path, sizeof path, "exercises/%02d-%s/%s", e->number, e->slug, name);
	for (const struct registry_source *f = exercise_files; f->file; f++)
		if (strcmp(f->file, path) == 0)
			return f->text;
	return NULL;
}
