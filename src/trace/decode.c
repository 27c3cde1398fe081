/* decode.c — a traced socket call in the labs' words (trace.h):
 * "bind(fd 5 udp, 0.0.0.0:5000)", options and levels by name. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lab/outcome.h"
#include "trace.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* options by level and number: a table, as the labs spell them */
static const struct {
	int level, opt;
	const char *name;
} options[] = {
	{ SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR" }, { SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT" },
	{ SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST" }, { SOL_SOCKET, SO_RCVTIMEO, "SO_RCVTIMEO" },
	{ SOL_SOCKET, SO_SNDTIMEO, "SO_SNDTIMEO" }, { SOL_SOCKET, SO_BINDTODEVICE, "SO_BINDTODEVICE" },
	{ SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" }, { SOL_SOCKET, SO_LINGER, "SO_LINGER" },
	{ SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF" }, { SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF" },
	{ SOL_SOCKET, SO_ERROR, "SO_ERROR" }, { SOL_SOCKET, SO_TYPE, "SO_TYPE" },
	{ IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY" },
	{ IPPROTO_IP, IP_MULTICAST_ALL, "IP_MULTICAST_ALL" }, { IPPROTO_IP, IP_MULTICAST_IF, "IP_MULTICAST_IF" },
	{ IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL" }, { IPPROTO_IP, IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP" },
	{ IPPROTO_IP, IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP" },
	{ IPPROTO_IP, IP_DROP_MEMBERSHIP, "IP_DROP_MEMBERSHIP" },
	{ IPPROTO_IP, IP_FREEBIND, "IP_FREEBIND" }, { IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, "IP_BIND_ADDRESS_NO_PORT" },
	{ IPPROTO_IP, IP_TTL, "IP_TTL" }, { IPPROTO_IP, IP_TOS, "IP_TOS" },
	{ IPPROTO_IPV6, IPV6_JOIN_GROUP, "IPV6_JOIN_GROUP" },
	{ IPPROTO_IPV6, IPV6_MULTICAST_LOOP, "IPV6_MULTICAST_LOOP" },
	{ IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY" },
};

static const char *option_name(int level, int opt)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		if (options[i].level == level && options[i].opt == opt)
			return options[i].name;
	return NULL;
}

/* "udp", "tcp6", "unix", ... and raw numbers for the rest (never dropped) */
static void sock_kind(char *buf, size_t len, int family, int type)
{
	const char *t = (type & 0xf) == SOCK_DGRAM ? "udp" : (type & 0xf) == SOCK_STREAM ? "tcp" :
			(type & 0xf) == SOCK_RAW ? "raw" : NULL;

	if (family == AF_INET && t)
		snprintf(buf, len, "%s", t);
	else if (family == AF_INET6 && t)
		snprintf(buf, len, "%s6", t);
	else if (family == AF_UNIX)
		snprintf(buf, len, "unix %s", (type & 0xf) == SOCK_DGRAM ? "dgram" : "stream");
	else if (family == 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "family %d type %d", family, type & 0xf);
}

static void fd_part(char *buf, size_t len, const struct trace_call *c)
{
	char k[48];

	sock_kind(k, sizeof k, c->family, c->type);
	if (c->family)
		snprintf(buf, len, "fd %d %s", c->fd, k);
	else
		snprintf(buf, len, "fd %d", c->fd);
}

static void addr_part(char *buf, size_t len, const struct trace_call *c)
{
	if (c->addrlen == 0) {
		snprintf(buf, len, "NULL");
		return;
	}
	outcome_address(buf, len, &c->addr, c->addrlen);
	if (!buf[0]) {
		const struct sockaddr *sa = (const struct sockaddr *)&c->addr;

		if (sa->sa_family == AF_UNSPEC)
			snprintf(buf, len, "AF_UNSPEC");
		else
			snprintf(buf, len, "family %d", sa->sa_family);	/* shown raw, not dropped */
	}
}

void trace_describe(const struct trace_call *c, char *buf, size_t len)
{
	char fd[64], addr[96], kind[48];
	const char *on;

	fd_part(fd, sizeof fd, c);
	switch (c->kind) {
	case TRACE_SOCKET:
		sock_kind(kind, sizeof kind, (int)c->args[0], (int)c->args[1]);
		snprintf(buf, len, "socket(%s)", kind);
		break;
	case TRACE_SETSOCKOPT:
	case TRACE_GETSOCKOPT:
		on = option_name((int)c->args[1], (int)c->args[2]);
		if (!on)	/* an option socklab has no name for: level and number */
			snprintf(buf, len, "%ssockopt(%s, level %lu, option %lu)",
				 c->kind == TRACE_GETSOCKOPT ? "get" : "set", fd, c->args[1], c->args[2]);
		else if (c->kind == TRACE_GETSOCKOPT)
			snprintf(buf, len, "getsockopt(%s, %s)", fd, on);
		else if (c->optval_known)
			snprintf(buf, len, "setsockopt(%s, %s, %d)", fd, on, c->optval);
		else
			snprintf(buf, len, "setsockopt(%s, %s, %lu bytes)", fd, on, c->args[4]);
		break;
	case TRACE_BIND:
	case TRACE_CONNECT:
		addr_part(addr, sizeof addr, c);
		snprintf(buf, len, "%s(%s, %s)", c->kind == TRACE_BIND ? "bind" : "connect", fd, addr);
		break;
	case TRACE_LISTEN:
		snprintf(buf, len, "listen(%s, %lu)", fd, c->args[1]);
		break;
	case TRACE_ACCEPT:
		snprintf(buf, len, "accept(%s)", fd);
		break;
	case TRACE_SENDTO:
		addr_part(addr, sizeof addr, c);
		if (c->addrlen)
			snprintf(buf, len, "sendto(%s, %lu bytes, %s)", fd, c->args[2], addr);
		else
			snprintf(buf, len, "send(%s, %lu bytes)", fd, c->args[2]);
		break;
	case TRACE_SENDMSG:
		addr_part(addr, sizeof addr, c);
		snprintf(buf, len, "sendmsg(%s%s%s)", fd, c->addrlen ? ", to " : "", c->addrlen ? addr : "");
		break;
	case TRACE_SENDMMSG:
		snprintf(buf, len, "sendmmsg(%s, %lu messages)", fd, c->args[2]);
		break;
	case TRACE_RECVFROM:
		snprintf(buf, len, "recvfrom(%s)", fd);
		break;
	case TRACE_RECVMSG:
		snprintf(buf, len, "recvmsg(%s)", fd);
		break;
	case TRACE_SHUTDOWN:
		snprintf(buf, len, "shutdown(%s, %s)", fd, c->args[1] == SHUT_RD ? "SHUT_RD" :
			 c->args[1] == SHUT_WR ? "SHUT_WR" : "SHUT_RDWR");
		break;
	case TRACE_CLOSE:
		snprintf(buf, len, "close(%s)", fd);
		break;
	case TRACE_OTHER:
		snprintf(buf, len, "syscall %ld", c->nr);
		break;
	}
}
