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
#include "runner/registry.h"

extern const struct registry_source exercise_files[];

static const struct exercise exercises[] = {
	{ 1, "fixed-source-port", "Send from a fixed port", grade_fixed_source_port },
	{ 2, "two-sockets-one-port", "Two sockets, one UDP port", grade_two_sockets_one_port },
	{ 3, "multicast-two-receivers", "Two processes, one multicast stream",
	  grade_multicast_two_receivers },
	{ 4, "the-story", "The story's server and client on one port", grade_the_story },
	{ 5, "reuseport-spread", "Spread datagrams over a SO_REUSEPORT group", grade_reuseport_spread },
	{ 6, "tcp-restart", "Restart a TCP server during TIME-WAIT", grade_tcp_restart },
	{ 7, "dual-stack", "One server for IPv4 and IPv6 clients", grade_dual_stack },
	{ 8, "no-port-exhaustion", "Many connections from few ports: IP_BIND_ADDRESS_NO_PORT",
	  grade_no_port_exhaustion },
	{ 9, "multicast-hosts", "A multicast receiver on two hosts", grade_multicast_hosts },
	{ 10, "p2p-one-port", "A P2P node behind a NAT router keeps one port", grade_p2p_one_port },
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

const char *exercise_file(const struct exercise *e, const char *name)
{
	char path[160];

	snprintf(path, sizeof path, "exercises/%02d-%s/%s", e->number, e->slug, name);
	for (const struct registry_source *f = exercise_files; f->file; f++)
		if (strcmp(f->file, path) == 0)
			return f->text;
	return NULL;
}
