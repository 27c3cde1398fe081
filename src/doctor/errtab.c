/* errtab.c — the error-code table.  Windows codes are the WSA* values of
 * winsock2.h (WSABASEERR 10000 + the BSD number); Linux numbers come from
 * <errno.h> at build time, never written down by hand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errtab.h"

#define E(code, wcode, wname, text) \
	{ .linux_errno = code, .name = #code, .win_code = wcode, .win_name = wname, .meaning = text }

/* The codes a socket lab meets most, with everything `explain` says. */
#define X(code, wcode, wname, ...) \
	{ .linux_errno = code, .name = #code, .win_code = wcode, .win_name = wname, __VA_ARGS__ }

const struct errtab_entry errtab_entries[] = {
	X(EADDRINUSE, 10048, "WSAEADDRINUSE",
	  .meaning = "the local address and port are already bound by another socket, and reuse rules do not allow sharing",
	  .bind = "another socket holds this address and port, and the reuse rules do not let "
		  "this one share it; or, for port 0, no ephemeral port is left",
	  .causes = {
		  "another process, or your own earlier run, holds the port "
		  "(see it with: socklab watch --port PORT --owners)",
		  "only one of the two sockets set SO_REUSEADDR: both must, before bind()",
		  "SO_REUSEPORT on both, but the sockets belong to different users",
		  "TCP: the previous server's connections linger in TIME_WAIT on the port",
		  "bind() to port 0 with the ephemeral range (ip_local_port_range) used up",
	  },
	  .fixes = {
		  "set SO_REUSEADDR (UDP: or SO_REUSEPORT) on every socket that shares "
		  "the port, before bind()",
		  "TCP servers: set SO_REUSEADDR on the listener, always, so a restart "
		  "survives TIME_WAIT (it must have been set on the old one too)",
		  "pick another port, or port 0 and let the kernel choose",
		  "stop the process that holds the port, if it should not",
	  },
	  .windows = "Windows answers WSAEADDRINUSE (10048) when neither socket asked to "
		     "share; when only the newcomer set SO_REUSEADDR it answers WSAEACCES "
		     "(10013) instead (see 'socklab explain 10013')",
	  .labs = { 4, 5, 14, 18 }),
	X(EACCES, 10013, "WSAEACCES",
	  .meaning = "permission denied: a privileged port, a broadcast without SO_BROADCAST, or (Windows) a port held exclusively",
	  .bind = "the port is below net.ipv4.ip_unprivileged_port_start (1024) and the "
		  "process lacks CAP_NET_BIND_SERVICE",
	  .connect = "UDP: connect() to a broadcast address without SO_BROADCAST",
	  .sendto = "to a broadcast address without SO_BROADCAST set on the socket",
	  .causes = {
		  "a normal user binding a port below 1024",
		  "sending to a subnet broadcast or 255.255.255.255 without SO_BROADCAST",
		  "Windows: the port's holder did not agree to share (no SO_REUSEADDR), "
		  "or set SO_EXCLUSIVEADDRUSE",
	  },
	  .fixes = {
		  "use a port at or above ip_unprivileged_port_start, or give the program "
		  "CAP_NET_BIND_SERVICE",
		  "setsockopt(SO_BROADCAST, 1) before sending to a broadcast address",
		  "share a port only between sockets that all set SO_REUSEADDR (the story's fix)",
	  },
	  .windows = "Windows returns 10013 from bind() where Linux says EADDRINUSE: the "
		     "story's case, SO_REUSEADDR on the newcomer only while the socket holding "
		     "the port did not set it (one-sided reuse is refused, not just 'in use'); "
		     "a holder with SO_EXCLUSIVEADDRUSE; or a holder of another account that did "
		     "not set SO_REUSEADDR itself (enhanced socket security, Windows Server "
		     "2003 and later)",
	  .on_linux = "Linux answers EADDRINUSE (98) for every one of those port conflicts "
		      "(labs 05 and 07). On Linux a bind() EACCES only means a privileged port; "
		      "and a second user CAN bind over a UDP service that set SO_REUSEADDR "
		      "(lab 09): SO_REUSEPORT's same-user rule is the guard",
	  .labs = { 5, 7, 9, 12, 17 }),
	X(EADDRNOTAVAIL, 10049, "WSAEADDRNOTAVAIL",
	  .meaning = "the address is not one of this host's, or no ephemeral port is left for a connect",
	  .bind = "the address is not assigned to any interface in this network namespace",
	  .connect = "no local port is left for this destination (the ephemeral range is used up)",
	  .causes = {
		  "binding an address this host does not have (a typo, an interface that is down "
		  "or not yet configured, another container's address)",
		  "many short connections to one destination exhausted ip_local_port_range",
	  },
	  .fixes = {
		  "bind an address the host has (ip -br addr), or 0.0.0.0",
		  "IP_FREEBIND (or net.ipv4.ip_nonlocal_bind=1) to bind an address before it exists",
		  "clients that must bind before connect(): IP_BIND_ADDRESS_NO_PORT, so the port "
		  "is chosen per destination",
		  "widen ip_local_port_range, or reuse connections",
	  },
	  .labs = { 17, 18 }),
	X(EINVAL, 10022, "WSAEINVAL",
	  .meaning = "invalid for this socket now: e.g. bind() on a socket that is already bound, explicitly or by its first send",
	  .bind = "the socket is already bound: by an earlier bind(), or implicitly by its "
		  "first sendto() or connect(); or the address length or family is wrong",
	  .connect = "the address length or family is wrong",
	  .sendto = "the address length or family is wrong, or the flags are",
	  .causes = {
		  "binding after the first sendto(): that send already bound an ephemeral port",
		  "binding one socket twice, hoping to listen on a second port",
	  },
	  .fixes = {
		  "bind() before the first sendto() or connect()",
		  "one socket per port: open another socket for another port",
	  },
	  .labs = { 2, 3 }),
	X(EAGAIN, 10035, "WSAEWOULDBLOCK",
	  .meaning = "nothing to do without blocking: no datagram queued, or no ephemeral port free for an implicit bind",
	  .sendto = "an unbound UDP socket's implicit bind found no free ephemeral port",
	  .causes = {
		  "recv() on a non-blocking socket, or after SO_RCVTIMEO, with nothing queued: "
		  "the datagram went to another socket on the port, or nowhere",
		  "the ephemeral port range is used up (sendto on an unbound UDP socket)",
	  },
	  .fixes = {
		  "find out who got the datagram: with several sockets on one port, unicast "
		  "goes to one of them only",
		  "widen ip_local_port_range, or close sockets that hold ports",
	  },
	  .windows = "Windows calls it WSAEWOULDBLOCK (10035); recv timeouts there give "
		     "WSAETIMEDOUT (10060) instead",
	  .labs = { 6, 7, 18 }),
	X(ENETUNREACH, 10051, "WSAENETUNREACH",
	  .meaning = "no route to that network",
	  .connect = "no route to the destination",
	  .sendto = "no route to the destination (e.g. 255.255.255.255 with no default route)",
	  .fixes = { "check the routes (ip route get ADDR); for broadcast, send to the "
		     "subnet's broadcast address on the interface you mean" },
	  .labs = { 12 }),
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
	{ .name = NULL }
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
