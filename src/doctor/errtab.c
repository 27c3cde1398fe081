/* errtab.c — the error-code table.  Windows codes are the WSA* values of
 * winsock2.h (WSABASEERR 10000 + the BSD number); Linux numbers come from
 * <errno.h> at build time, never written down by hand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errtab.h"

#define E(name, wcode, wname, meaning) { name, #name, wcode, wname, meaning }

const struct errtab_entry errtab_entries[] = {
	E(EADDRINUSE, 10048, "WSAEADDRINUSE",
	  "the local address and port are already bound by another socket, and reuse rules do not allow sharing"),
	E(EACCES, 10013, "WSAEACCES",
	  "permission denied: a privileged port, a broadcast without SO_BROADCAST, or (Windows) a port held exclusively"),
	E(EADDRNOTAVAIL, 10049, "WSAEADDRNOTAVAIL",
	  "the address is not one of this host's, or no ephemeral port is left for a connect"),
	E(EINVAL, 10022, "WSAEINVAL",
	  "invalid for this socket now: e.g. bind() on a socket that is already bound, explicitly or by its first send"),
	E(EAGAIN, 10035, "WSAEWOULDBLOCK",
	  "nothing to do without blocking: no datagram queued, or no ephemeral port free for an implicit bind"),
	E(ENETUNREACH, 10051, "WSAENETUNREACH", "no route to that network"),
	E(EHOSTUNREACH, 10065, "WSAEHOSTUNREACH", "no route to that host"),
	E(ECONNREFUSED, 10061, "WSAECONNREFUSED",
	  "nobody listens there (TCP), or an ICMP port-unreachable came back to a connected UDP socket"),
	E(ECONNRESET, 10054, "WSAECONNRESET", "the peer reset the connection"),
	E(EISCONN, 10056, "WSAEISCONN", "the socket is already connected"),
	E(ENOTCONN, 10057, "WSAENOTCONN", "the socket is not connected and no destination was given"),
	E(EDESTADDRREQ, 10039, "WSAEDESTADDRREQ", "a destination address is required"),
	E(EAFNOSUPPORT, 10047, "WSAEAFNOSUPPORT", "the address family does not match the socket"),
	E(EOPNOTSUPP, 10045, "WSAEOPNOTSUPP", "this operation is not supported on this kind of socket"),
	E(EPROTONOSUPPORT, 10043, "WSAEPROTONOSUPPORT", "protocol not supported"),
	E(ENOPROTOOPT, 10042, "WSAENOPROTOOPT", "unknown socket option at this level"),
	E(EMSGSIZE, 10040, "WSAEMSGSIZE", "the datagram is larger than the protocol allows"),
	E(ENOBUFS, 10055, "WSAENOBUFS", "the kernel ran out of buffer space"),
	E(ETIMEDOUT, 10060, "WSAETIMEDOUT", "the operation timed out"),
	E(EINPROGRESS, 10036, "WSAEINPROGRESS", "a non-blocking connect is under way"),
	E(EALREADY, 10037, "WSAEALREADY", "a previous non-blocking connect has not finished"),
	E(ECONNABORTED, 10053, "WSAECONNABORTED", "the connection was aborted locally"),
	E(ENETDOWN, 10050, "WSAENETDOWN", "the network interface is down"),
	E(EBADF, 10009, "WSAEBADF", "not an open file descriptor"),
	E(ENOTSOCK, 10038, "WSAENOTSOCK", "the descriptor is not a socket"),
	E(EMFILE, 10024, "WSAEMFILE", "this process has too many open descriptors"),
	E(EINTR, 10004, "WSAEINTR", "a signal interrupted the call"),
	E(EFAULT, 10014, "WSAEFAULT", "a bad pointer was passed"),
	E(EPERM, 0, NULL,
	  "operation not permitted: e.g. a network namespace or option that needs a capability"),
	E(EPIPE, 0, NULL, "the connection is closed for writing"),
	{ 0, NULL, 0, NULL, NULL }
};

const struct errtab_entry *errtab_by_errno(int err)
{
	for (const struct errtab_entry *e = errtab_entries; e->name; e++)
		if (e->linux_errno == err)
			return e;
	return NULL;
}

const struct errtab_entry *errtab_lookup(const char *key)
{
	char *end;
	long n;

	if (key == NULL || *key == '\0')
		return NULL;
	if (*key >= '0' && *key <= '9') {
		n = strtol(key, &end, 10);
		if (*end != '\0')
			return NULL;
		for (const struct errtab_entry *e = errtab_entries; e->name; e++)
			if (e->linux_errno == n || (e->win_code && e->win_code == n))
				return e;
		return NULL;
	}
	for (const struct errtab_entry *e = errtab_entries; e->name; e++)
		if (strcasecmp(e->name, key) == 0 ||
		    (e->win_name && strcasecmp(e->win_name, key) == 0))
			return e;
	/* EWOULDBLOCK is EAGAIN on Linux; WSAEWOULDBLOCK maps to it above */
	if (strcasecmp(key, "EWOULDBLOCK") == 0)
		return errtab_by_errno(EWOULDBLOCK);
	return NULL;
}
