/* errtab.c — the error-code table.  Windows codes are the WSA* values of
 * winsock2.h (WSABASEERR 10000 + the BSD number); Linux numbers come from
 * <errno.h> at build time, never written down by hand. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errtab.h"

/* Marks a message for the translators (po/extract.sh); the renderers
 * translate it where they print it (i18n_tr).  errtab/ includes nothing
 * of ours, so not i18n.h's. */
#define N_(s) s

#define E(code, wcode, wname, text) \
	{ .linux_errno = code, .name = #code, .win_code = wcode, .win_name = wname, .meaning = text }

/* The codes a socket lab meets most, with everything `explain` says. */
#define X(code, wcode, wname, ...) \
	{ .linux_errno = code, .name = #code, .win_code = wcode, .win_name = wname, __VA_ARGS__ }

const struct errtab_entry errtab_entries[] = {
	X(EADDRINUSE, 10048, "WSAEADDRINUSE",
	  .meaning = N_("the local address and port are already bound by another socket, and reuse rules do not allow sharing"),
	  .bind = N_("another socket holds this address and port, and the reuse rules do not let "
		     "this one share it; or, for port 0, no ephemeral port is left"),
	  .causes = {
		  N_("another process, or your own earlier run, holds the port "
		     "(see it with: socklab watch --port PORT --owners)"),	/* claim: addr-in-use */
		  N_("the socket that holds the port did not set SO_REUSEADDR (or SO_REUSEPORT): "
		     "the newcomer's option alone is not enough"),	/* claim: newcomer-alone-fails */
		  N_("SO_REUSEPORT on both, but the sockets belong to different users"),	/* claim: reuseport-same-uid */
		  N_("TCP: the previous server closed first and its connections linger in "
		     "TIME_WAIT on the port"),	/* claim: timewait-blocks-restart */
		  N_("bind() to port 0 with the ephemeral range (ip_local_port_range) used up"),	/* claim: ephemeral-exhaustion */
	  },
	  .fixes = {
		  N_("UDP: SO_REUSEADDR (or SO_REUSEPORT) on both sockets. The newcomer sets it "
		     "before its bind(); the holder may set it even after its own bind(), because "
		     "the kernel reads the holder's flag when the newcomer binds"),	/* claim: holder-flag-read-late */
		  N_("the story's real fix: no second socket at all; send from the server's own "
		     "socket, and every reply lands on it (lab 19)"),	/* claim: one-socket-both-ways */
		  N_("TCP servers: set SO_REUSEADDR on the listener at every start, so the next "
		     "restart binds beside TIME_WAIT: the old listener must have set it too"),	/* claim: timewait-inherits-flag */
		  N_("pick another port, or port 0 and let the kernel choose"),
		  N_("stop the process that holds the port, if it should not"),
	  },
	  /* Windows: from Microsoft's documentation ("Using SO_REUSEADDR and
	   * SO_EXCLUSIVEADDRUSE"; setsockopt, SO_REUSEADDR), not measured */
	  .windows = N_("Windows Server 2003 and later (so Windows 10 and 11), from Microsoft's "
		        "documentation ('Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE'), not measured "
		        "here: WSAEADDRINUSE (10048) when neither socket asked to share; when only "
		        "the newcomer set SO_REUSEADDR it answers WSAEACCES (10013) instead (see "
		        "'socklab explain 10013'). Microsoft says SO_REUSEADDR must be set before "
		        "the socket is bound, so on Windows the holder too sets it before its "
		        "bind()"),
	  .labs = { 4, 5, 6, 14, 18 }),
	X(EACCES, 10013, "WSAEACCES",
	  .meaning = N_("permission denied: a privileged port, a broadcast without SO_BROADCAST, or (Windows) a port whose holder did not consent or an excluded range"),
	  .bind = N_("the port is below net.ipv4.ip_unprivileged_port_start (1024) and the "
		     "process lacks CAP_NET_BIND_SERVICE"),	/* claim: privileged-port */
	  .connect = N_("UDP: connect() to a broadcast address without SO_BROADCAST"),
	  .sendto = N_("to a broadcast address without SO_BROADCAST set on the socket"),	/* claim: broadcast-needs-flag */
	  .causes = {
		  N_("a normal user binding a port below 1024"),	/* claim: privileged-port */
		  N_("sending to a subnet broadcast or 255.255.255.255 without SO_BROADCAST"),	/* claim: broadcast-needs-flag */
		  N_("Windows (2003 and later, from Microsoft's documentation): the port's holder "
		     "did not agree to share (no SO_REUSEADDR), or set SO_EXCLUSIVEADDRUSE"),
		  N_("Windows, on a port nobody holds: the port lies in an excluded port range "
		     "(reserved by Hyper-V, WSL 2, Docker or WinNAT)"),
	  },
	  .fixes = {
		  N_("use a port at or above ip_unprivileged_port_start, or give the program "
		     "CAP_NET_BIND_SERVICE"),	/* claim: privileged-port */
		  N_("setsockopt(SO_BROADCAST, 1) before sending to a broadcast address"),	/* claim: broadcast-needs-flag */
		  N_("Windows: running as Administrator does not help; see the excluded ranges "
		     "with 'netsh int ipv4 show excludedportrange protocol=udp' (protocol=tcp for "
		     "TCP) and pick a port outside them"),
		  N_("the story's real fix: send from the server's own socket, so no second "
		     "socket needs the port (lab 19)"),	/* claim: one-socket-both-ways */
	  },
	  /* Windows: from Microsoft's documentation ("Using SO_REUSEADDR and
	   * SO_EXCLUSIVEADDRUSE"; "Windows Sockets Error Codes"; netsh interface
	   * ipv4 show excludedportrange), not measured */
	  .windows = N_("Windows Server 2003 and later (so Windows 10 and 11), from Microsoft's "
		        "documentation, not measured here. bind() returns 10013 where Linux says "
		        "EADDRINUSE: the story's case, SO_REUSEADDR on the newcomer only while the "
		        "socket holding the port did not set it (the holder did not consent); a "
		        "holder with SO_EXCLUSIVEADDRUSE; or another account binding over a service "
		        "that did not opt in with SO_REUSEADDR. It is consent, not privilege: running "
		        "as Administrator does not help. On a port nobody holds, today's most common "
		        "cause is an excluded port range that Hyper-V, WSL 2, Docker or WinNAT "
		        "reserved: list them with 'netsh int ipv4 show excludedportrange "
		        "protocol=udp' (or protocol=tcp). Windows XP and earlier had no such check: "
		        "a SO_REUSEADDR newcomer could bind over any port that had not set "
		        "SO_EXCLUSIVEADDRUSE, which is history"),
	  .on_linux = N_("Linux answers EADDRINUSE (98) when the newcomer alone set SO_REUSEADDR "
		         "(labs 05 and 07). "	/* claim: newcomer-alone-fails */
		         "On Linux a bind() EACCES is the privileged-port rule: a port below "
		         "ip_unprivileged_port_start without CAP_NET_BIND_SERVICE (lab 17). "	/* claim: privileged-port */
		         "And a second user CAN bind over a UDP service that set SO_REUSEADDR, and "
		         "takes its unicast (lab 09): "	/* claim: reuseaddr-hijack-udp */
		         "SO_REUSEPORT's same-user rule is the guard, another user may not join a "
		         "SO_REUSEPORT group (labs 08 and 09)"),	/* claim: reuseport-same-uid */
	  .labs = { 5, 7, 9, 12, 17 }),
	X(EADDRNOTAVAIL, 10049, "WSAEADDRNOTAVAIL",
	  .meaning = N_("the address is not one of this host's, or no ephemeral port is left for a connect"),
	  .bind = N_("the address is not assigned to any interface in this network namespace"),	/* claim: foreign-addr */
	  .connect = N_("no local port is left for this destination (the ephemeral range is used up)"),	/* claim: ephemeral-exhaustion */
	  .causes = {
		  N_("binding an address this host does not have (a typo, an interface that is down "
		     "or not yet configured, another container's address)"),	/* claim: foreign-addr */
		  N_("many short connections to one destination exhausted ip_local_port_range"),	/* claim: ephemeral-exhaustion */
	  },
	  .fixes = {
		  N_("bind an address the host has (ip -br addr), or 0.0.0.0"),
		  N_("IP_FREEBIND to bind an address before it exists"),	/* claim: foreign-addr */
		  N_("or net.ipv4.ip_nonlocal_bind=1 for every socket: writing it needs privilege"),	/* claim: nonlocal-sysctl-privileged */
		  N_("clients that must bind before connect(): IP_BIND_ADDRESS_NO_PORT, so the port "
		     "is chosen per destination"),
		  N_("widen ip_local_port_range, or reuse connections"),
	  },
	  .labs = { 17, 18 }),
	X(EINVAL, 10022, "WSAEINVAL",
	  .meaning = N_("invalid for this socket now: e.g. bind() on a socket that is already bound, explicitly or by its first send"),
	  .bind = N_("the socket is already bound: by an earlier bind(), or implicitly by its "
		     "first sendto() or connect(); or the address length or family is wrong"),	/* claim: bind-after-implicit-einval */
	  .connect = N_("the address length or family is wrong"),
	  .sendto = N_("the address length or family is wrong, or the flags are"),
	  .causes = {
		  N_("binding after the first sendto(): that send already bound an ephemeral port"),	/* claim: bind-after-implicit-einval */
		  N_("binding one socket twice, hoping to listen on a second port"),	/* claim: second-bind-einval */
	  },
	  .fixes = {
		  N_("bind() before the first sendto() or connect()"),	/* claim: implicit-bind */
		  N_("UDP, too late already: connect(AF_UNSPEC) gives the implicitly bound port "
		     "back, and bind() then works"),	/* claim: unspec-frees-implicit */
		  N_("one socket per port: open another socket for another port"),
	  },
	  .labs = { 2, 3 }),
	X(EAGAIN, 10035, "WSAEWOULDBLOCK",
	  .meaning = N_("nothing to do without blocking: no datagram queued, or no ephemeral port free for an implicit bind"),
	  .sendto = N_("an unbound UDP socket's implicit bind found no free ephemeral port"),
	  .causes = {
		  N_("recv() on a non-blocking socket, or after SO_RCVTIMEO, with nothing queued: "
		     "the datagram went to another socket on the port, or nowhere"),	/* claim: last-bound-gets-unicast */
		  N_("the ephemeral port range is used up (sendto on an unbound UDP socket)"),	/* claim: ephemeral-exhaustion */
	  },
	  .fixes = {
		  N_("find out who got the datagram: with several SO_REUSEADDR sockets on one "
		     "address, unicast goes to one of them only, the one bound last"),	/* claim: last-bound-gets-unicast */
		  N_("widen ip_local_port_range, or close sockets that hold ports"),
	  },
	  .windows = N_("Windows calls it WSAEWOULDBLOCK (10035); recv timeouts there give "
		        "WSAETIMEDOUT (10060) instead (from Microsoft's 'Windows Sockets Error "
		        "Codes', not measured here)"),
	  .labs = { 6, 7, 18 }),
	X(ENETUNREACH, 10051, "WSAENETUNREACH",
	  .meaning = N_("no route to that network"),
	  .connect = N_("no route to the destination"),
	  .sendto = N_("no route to the destination (e.g. 255.255.255.255 from an unbound "
		       "socket with no default route)"),	/* claim: limited-broadcast-no-route */
	  .fixes = {
		  N_("check the routes (ip route get ADDR)"),
		  N_("for broadcast, send to the subnet's broadcast address on the interface "
		     "you mean"),	/* claim: broadcast-needs-flag */
		  N_("255.255.255.255 without a route: bind the sender to a local address of "
		     "the interface first, or set SO_BINDTODEVICE"),	/* claim: limited-broadcast-bound */
	  },
	  .labs = { 12 }),
	E(EHOSTUNREACH, 10065, "WSAEHOSTUNREACH", N_("no route to that host")),
	E(ECONNREFUSED, 10061, "WSAECONNREFUSED",
	  N_("nobody listens there (TCP), or an ICMP port-unreachable came back to a connected UDP socket")),	/* claim: connected-econnrefused */
	E(ECONNRESET, 10054, "WSAECONNRESET", N_("the peer reset the connection")),
	E(EISCONN, 10056, "WSAEISCONN", N_("the socket is already connected")),
	E(ENOTCONN, 10057, "WSAENOTCONN", N_("the socket is not connected and no destination was given")),
	E(EDESTADDRREQ, 10039, "WSAEDESTADDRREQ", N_("a destination address is required")),
	E(EAFNOSUPPORT, 10047, "WSAEAFNOSUPPORT", N_("the address family does not match the socket")),
	E(EOPNOTSUPP, 10045, "WSAEOPNOTSUPP", N_("this operation is not supported on this kind of socket")),
	E(EPROTONOSUPPORT, 10043, "WSAEPROTONOSUPPORT", N_("protocol not supported")),
	E(ENOPROTOOPT, 10042, "WSAENOPROTOOPT", N_("unknown socket option at this level")),
	E(EMSGSIZE, 10040, "WSAEMSGSIZE", N_("the datagram is larger than the protocol allows")),
	E(ENOBUFS, 10055, "WSAENOBUFS", N_("the kernel ran out of buffer space")),
	E(ETIMEDOUT, 10060, "WSAETIMEDOUT", N_("the operation timed out")),
	E(EINPROGRESS, 10036, "WSAEINPROGRESS", N_("a non-blocking connect is under way")),
	E(EALREADY, 10037, "WSAEALREADY", N_("a previous non-blocking connect has not finished")),
	E(ECONNABORTED, 10053, "WSAECONNABORTED", N_("the connection was aborted locally")),
	E(ENETDOWN, 10050, "WSAENETDOWN", N_("the network interface is down")),
	E(EBADF, 10009, "WSAEBADF", N_("not an open file descriptor")),
	E(ENOTSOCK, 10038, "WSAENOTSOCK", N_("the descriptor is not a socket")),
	E(EMFILE, 10024, "WSAEMFILE", N_("this process has too many open descriptors")),
	E(EINTR, 10004, "WSAEINTR", N_("a signal interrupted the call")),
	E(EFAULT, 10014, "WSAEFAULT", N_("a bad pointer was passed")),
	E(EPERM, 0, NULL,
	  N_("operation not permitted: e.g. a network namespace or option that needs a capability")),
	E(EPIPE, 0, NULL, N_("the connection is closed for writing")),
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
