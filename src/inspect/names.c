/* names.c — protocol, state and address text as ss(8) prints them. */
#include "inspect.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>

/* Kernel states past TCP_CLOSING that glibc's enum does not name. */
#define STATE_NEW_SYN_RECV	12

static const char *const tcp_states[] = {
	[TCP_ESTABLISHED]	= "ESTAB",
	[TCP_SYN_SENT]		= "SYN-SENT",
	[TCP_SYN_RECV]		= "SYN-RECV",
	[TCP_FIN_WAIT1]		= "FIN-WAIT-1",
	[TCP_FIN_WAIT2]		= "FIN-WAIT-2",
	[TCP_TIME_WAIT]		= "TIME-WAIT",
	[TCP_CLOSE]		= "CLOSE",
	[TCP_CLOSE_WAIT]	= "CLOSE-WAIT",
	[TCP_LAST_ACK]		= "LAST-ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
	[STATE_NEW_SYN_RECV]	= "SYN-RECV",	/* request socks, as ss shows them */
	[INSPECT_STATE_BOUND_INACTIVE]	= "BOUND",
};

/* UDP borrows TCP_ESTABLISHED/TCP_CLOSE for connected/unconnected. */
static const char *const udp_states[] = {
	[TCP_ESTABLISHED]	= "ESTAB",
	[TCP_CLOSE]		= "UNCONN",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *inspect_proto_name(uint8_t proto)
{
	if (proto == IPPROTO_TCP)
		return "TCP";
	if (proto == IPPROTO_UDP)
		return "UDP";
	return "?";
}

const char *inspect_state_name(uint8_t proto, uint8_t state)
{
	const char *const *tab = proto == IPPROTO_UDP ? udp_states : tcp_states;
	size_t n = proto == IPPROTO_UDP ? NELEM(udp_states) : NELEM(tcp_states);

	if (state < n && tab[state])
		return tab[state];
	return "UNKNOWN";
}

/* Numeric like ss -n: a zero port is "*", IPv6 goes in brackets.  ss
 * prints the IPv6 wildcard of a dual-stack socket as "*" (it takes IPv4
 * too) and of a v6only one as "[::]"; the IPv4 wildcard stays "0.0.0.0". */
static void format(char *buf, size_t len, uint8_t family,
		   const struct in6_addr *addr, uint16_t port, int v6only)
{
	char host[INET6_ADDRSTRLEN + 2] = "?";
	char serv[8] = "*";

	if (!len)
		return;
	if (port)
		snprintf(serv, sizeof(serv), "%u", port);
	if (family == AF_INET) {
		inet_ntop(AF_INET, addr, host, sizeof(host));
	} else if (family == AF_INET6) {
		if (IN6_IS_ADDR_UNSPECIFIED(addr) && !v6only) {
			strcpy(host, "*");
		} else {
			host[0] = '[';
			if (inet_ntop(AF_INET6, addr, host + 1, INET6_ADDRSTRLEN))
				strcat(host, "]");
			else
				strcpy(host, "?");
		}
	}
	snprintf(buf, len, "%s:%s", host, serv);
}

void inspect_format_addr(char *buf, size_t len, uint8_t family,
			 const struct in6_addr *addr, uint16_t port)
{
	format(buf, len, family, addr, port, 0);
}

void inspect_format_sock(char *buf, size_t len, const struct inspect_sock *s, int peer)
{
	if (peer)
		format(buf, len, s->family, &s->raddr, s->rport, s->v6only);
	else
		format(buf, len, s->family, &s->laddr, s->lport, s->v6only);
}

const char *inspect_uid_text(const struct inspect_sock *s, char *buf, size_t len)
{
	if (s->uid == INSPECT_UID_UNKNOWN)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%u", s->uid);
	return buf;
}

/* --state names, as ss prints them (and the few aliases people type). */
static const struct {
	const char *name;
	int state;
} state_names[] = {
	{ "established", TCP_ESTABLISHED }, { "estab", TCP_ESTABLISHED },
	{ "syn-sent", TCP_SYN_SENT }, { "syn-recv", TCP_SYN_RECV },
	{ "fin-wait-1", TCP_FIN_WAIT1 }, { "fin-wait-2", TCP_FIN_WAIT2 },
	{ "time-wait", TCP_TIME_WAIT }, { "close", TCP_CLOSE }, { "unconn", TCP_CLOSE },
	{ "close-wait", TCP_CLOSE_WAIT }, { "last-ack", TCP_LAST_ACK },
	{ "listen", TCP_LISTEN }, { "closing", TCP_CLOSING },
	{ "bound", INSPECT_STATE_BOUND_INACTIVE },
};

int inspect_state_by_name(const char *name)
{
	for (size_t i = 0; i < NELEM(state_names); i++)
		if (strcasecmp(name, state_names[i].name) == 0)
			return state_names[i].state;
	return -1;
}

const char *inspect_state_name_at(size_t i)
{
	return i < NELEM(state_names) ? state_names[i].name : NULL;
}
