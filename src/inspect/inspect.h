/* inspect.h — kernel socket state as plain structs.
 *
 * The collector asks the kernel, the way ss(8) does, through a
 * NETLINK_SOCK_DIAG socket (inet_diag: TCP and UDP, IPv4 and IPv6).  A
 * netlink socket belongs to the network namespace it was created in, so to
 * inspect a lab's sandbox the socket must be opened inside it (the sandbox
 * hands one back to the runner).  Owners (pid, fd) come from /proc.
 *
 * Renderers draw a struct inspect_snap; nothing here prints. */
#ifndef SOCKLAB_INSPECT_H
#define SOCKLAB_INSPECT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

struct nlmsghdr;

struct inspect_sock {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t state;		/* kernel TCP_* state; UDP: TCP_CLOSE (unconnected) or TCP_ESTABLISHED (connected) */
	uint8_t v6only;		/* AF_INET6: IPV6_V6ONLY as sock_diag reports it; else 0 */
	uint16_t lport, rport;	/* host byte order */
	struct in6_addr laddr, raddr;	/* AF_INET: address in the first 4 bytes */
	uint32_t rqueue, wqueue;	/* bytes (recv-Q, send-Q as ss shows them) */
	uint32_t uid;
	uint32_t inode;		/* 0 for TIME_WAIT */
	int pid;		/* owner, 0 when unknown */
	int fd;			/* owner's descriptor, -1 when unknown */
};

struct inspect_snap {
	struct inspect_sock *v;
	size_t n, cap;
};

/* A NETLINK_SOCK_DIAG socket in the caller's network namespace; -1 and errno. */
int inspect_open(void);

/* Dump every TCP and UDP socket, IPv4 and IPv6, all states, into *out
 * (which is emptied first).  Rows are sorted (proto, lport, family,
 * laddr, rport, raddr, inode) so two snapshots compare row by row.
 * Returns 0, or -1 with errno. */
int inspect_dump(int nl, struct inspect_snap *out);

/* Parse one SOCK_DIAG_BY_FAMILY reply message and append its socket.
 * proto is the protocol the request asked for (inet_diag_msg does not
 * carry it).  Returns 0, or -1 with errno = EBADMSG on a malformed message. */
int inspect_parse_msg(const struct nlmsghdr *nlh, uint8_t proto, struct inspect_snap *out);

/* Fill pid/fd of the rows whose inode is open in one of pids[0..n).
 * Reads /proc/PID/fd only for the given pids.  Returns 0, or -1 with errno. */
int inspect_owners(struct inspect_snap *snap, const pid_t *pids, size_t n);

void inspect_free(struct inspect_snap *snap);

/* "UDP", "TCP"; kernel state name as ss prints it ("UNCONN", "LISTEN", "ESTAB", "TIME-WAIT", ...). */
const char *inspect_proto_name(uint8_t proto);
const char *inspect_state_name(uint8_t proto, uint8_t state);

/* "127.0.0.1:5000", "[::1]:5000", "*:5000", "0.0.0.0:*"-style as ss prints them.
 * The IPv6 wildcard comes out as "*", as ss shows a dual-stack socket. */
void inspect_format_addr(char *buf, size_t len, uint8_t family,
			 const struct in6_addr *addr, uint16_t port);

/* The row's local (peer == 0) or peer address exactly as ss prints it: like
 * inspect_format_addr, but a v6only socket's wildcard is "[::]". */
void inspect_format_sock(char *buf, size_t len, const struct inspect_sock *s, int peer);

#endif
