/* Lab 25 — Ephemeral ports on the wire.
 *
 * What it shows: a TCP connect() without bind() gets its source port from
 * the client host's ip_local_port_range, and the SYN on the wire carries
 * it.  Each host has its own range; here alice's and carol's are narrowed
 * to one port, 40000, so that both pick it, as two hosts at home may.
 * Behind a NAT router the server sees the router's address, and alice's
 * port while it is free; carol's connection from the same port is
 * rewritten to another.
 *
 * And TIME-WAIT belongs to the host that closed first: bob, the server,
 * closes first, so bob cannot bind his port again without SO_REUSEADDR
 * (with it he can: his listener had it, and its TIME-WAIT sockets carry
 * it, lab 14), while alice's port is free at once.
 *
 *   alice 10.0.0.2 ─┐                     ┌─ bob 10.1.0.2 (the server)
 *   carol 10.0.0.3 ─┼─ lan ── r ── wan ───┘
 *                   10.0.0.1    10.1.0.1 (masquerade)
 *
 * Watch the wire (socklab run 25 --wire): the handshake twice, before and
 * after r; the FIN from bob first.  Watch the table: bob's TIME-WAIT row,
 * on host bob. */
#include <stdio.h>

#include "lab/lab.h"

LAB(25, "ephemeral-wire", "Ephemeral ports on the wire",
    "connect's source port from the client's range; behind a NAT the server sees the router's; TIME-WAIT on the closer's host");

/* Port of a socket's local (peer == 0) or peer address, and its address
 * in *addr; -1 when the call fails */
static int port_of(int fd, int peer, struct in_addr *addr)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int ret = peer ? getpeername(fd, (struct sockaddr *)&sin, &len)
		       : getsockname(fd, (struct sockaddr *)&sin, &len);

	if (ret < 0)
		return -1;
	if (addr)
		*addr = sin.sin_addr;
	return ntohs(sin.sin_port);
}

int main(void)
{
	struct sockaddr_in srv = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
	};
	struct sockaddr_in mine = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct in_addr seen = { 0 }, router;
	char range[64], buf[8];
	int lo = 0, hi = 0, eport, on = 1;
	int lsn = -1, conn_a = -1, conn_c = -1, fd_a = -1, fd_c = -1, again = -1;

	eport = 40000;	/* every process knows it: the range set below */

	inet_pton(AF_INET, "10.1.0.2", &srv.sin_addr);
	inet_pton(AF_INET, "10.1.0.1", &router);
	if (!lab_sandboxed() || !lab_hosts_supported()) {
		SKIP("%s", !lab_sandboxed() ?
		     "this lab builds a network of hosts: only in a sandbox, never on this "
		     "host's stack" :
		     "this system cannot make hosts: ip(8) could not make a bridge and a veth "
		     "pair (a kernel without them, or busybox's ip)");
		return lab_end();
	}

	STEP("Build the network: alice and carol behind r, bob on wan; both clients' "
	     "ip_local_port_range 40000-40000", "a server somewhere, two clients at home");
	EXPECT_OK(lab_host("alice", "lan", "10.0.0.2/24"));
	EXPECT_OK(lab_host("carol", "lan", "10.0.0.3/24"));
	EXPECT_OK(lab_host("r", "lan", "10.0.0.1/24"));
	EXPECT_OK(lab_host("r", "wan", "10.1.0.1/24"));
	EXPECT_OK(lab_host("bob", "wan", "10.1.0.2/24"));
	EXPECT_OK(lab_host_cmd("alice", "ip route add default via 10.0.0.1"));
	EXPECT_OK(lab_host_cmd("carol", "ip route add default via 10.0.0.1"));
	/* each host's own range, one port wide: both will pick 40000 */
	EXPECT_OK(lab_host_sysctl("alice", "net.ipv4.ip_local_port_range", "40000 40000"));
	EXPECT_OK(lab_host_sysctl("carol", "net.ipv4.ip_local_port_range", "40000 40000"));
	if (lab_host_cmd("r", "nft list tables") < 0) {
		SKIP("%s: the router cannot masquerade", errno == ENOENT ?
		     "nft(8) is not installed (Debian: nftables)" : "nftables does not work here "
		     "(nft list tables failed: a kernel without nf_tables?)");
		return lab_end();
	}
	EXPECT_OK(lab_nat("r", "eth1"));
	if (!AS_EXPECTED())
		return lab_end();

	ROLE_ON("bob", "server") {
		STEP("bob sets SO_REUSEADDR and listens on 10.1.0.2:%d",
		     "a TCP server, as servers are written: its connections inherit the flag",
		     LAB_PORT);
		lsn = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(lsn, (struct sockaddr *)&srv, sizeof srv));
		EXPECT_OK(listen(lsn, 4));
	}
	ROLE_ON("alice", "alice") {
		ASK("alice connects without bind().  Which source port does her SYN carry?");
		STEP("alice connect()s to bob, 10.1.0.2:%d, with no bind()",
		     "connect() binds the socket to a port of alice's ip_local_port_range", LAB_PORT);
		CLAIM("connect-port-from-range");
		fd_a = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(connect(fd_a, (struct sockaddr *)&srv, sizeof srv));
		/* alice's own range: a role reads its host's /proc/sys/net */
		EXPECT_OK(lab_read_sysctl("net.ipv4.ip_local_port_range", range, sizeof range));
		EXPECT_TRUE(sscanf(range, "%d %d", &lo, &hi) == 2);
		eport = EXPECT_OK(port_of(fd_a, 0, NULL));
		EXPECT_TRUE(eport >= lo && eport <= hi);	/* 40000 */
		NOTE("alice's source port is %d, in her range %d-%d", eport, lo, hi);
	}
	ROLE_ON("bob", "server") {
		STEP("bob accepts and asks who it is", "getpeername(): the address the SYN came from");
		CLAIM("nat-server-sees-router");
		conn_a = EXPECT_OK(accept(lsn, NULL, NULL));
		EXPECT_TRUE(port_of(conn_a, 1, &seen) == 40000);	/* r kept alice's port */
		EXPECT_TRUE(seen.s_addr == router.s_addr);
		NOTE("bob sees %s:%d", inet_ntoa(seen), port_of(conn_a, 1, NULL));
	}

	ROLE_ON("carol", "carol") {
		STEP("carol connect()s to bob too, with no bind()",
		     "her host's range is the same one port: her SYN leaves from 40000 as well");
		CLAIM("connect-port-from-range");
		fd_c = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(connect(fd_c, (struct sockaddr *)&srv, sizeof srv));
		EXPECT_TRUE(port_of(fd_c, 0, NULL) == 40000);
	}
	ROLE_ON("bob", "server") {
		ASK("Both clients' SYNs left their hosts from the same port.  Which ports does "
		    "bob see?");
		STEP("bob accepts carol", "10.1.0.1 and alice's port to 10.1.0.2:%d is taken",
		     LAB_PORT);
		CLAIM("nat-rewrites-tcp-port");
		conn_c = EXPECT_OK(accept(lsn, NULL, NULL));
		EXPECT_OK(port_of(conn_c, 1, &seen));
		EXPECT_TRUE(seen.s_addr == router.s_addr);
		EXPECT_TRUE(port_of(conn_c, 1, NULL) != port_of(conn_a, 1, NULL));
		NOTE("bob sees alice as 10.1.0.1:%d, carol as 10.1.0.1:%d",
		     port_of(conn_a, 1, NULL), port_of(conn_c, 1, NULL));
	}

	ROLE_ON("bob", "server") {
		STEP("bob closes both connections first, and his listener",
		     "the side that closes first keeps TIME-WAIT (lab 14): here, the server");
		EXPECT_OK(close(conn_a));
		EXPECT_OK(close(conn_c));
		EXPECT_OK(close(lsn));
	}
	ROLE_ON("alice", "alice") {
		STEP("alice reads the end and closes", "her close is the second: no TIME-WAIT for her");
		EXPECT_TRUE(EXPECT_OK(recv(fd_a, buf, sizeof buf, 0)) == 0);
		EXPECT_OK(close(fd_a));
	}
	ROLE_ON("carol", "carol") {
		STEP("carol too", "the same, from the other home");
		EXPECT_TRUE(EXPECT_OK(recv(fd_c, buf, sizeof buf, 0)) == 0);
		EXPECT_OK(close(fd_c));
	}
	ROLE_ON("bob", "server") {
		STEP("bob binds 10.1.0.2:%d again, without SO_REUSEADDR, then with it",
		     "the TIME-WAIT sockets of the connections hold the port on bob's host",
		     LAB_PORT);
		CLAIM("timewait-on-closer-host");
		lsn = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_ERR(EADDRINUSE, bind(lsn, (struct sockaddr *)&srv, sizeof srv));
		EXPECT_OK(setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(lsn, (struct sockaddr *)&srv, sizeof srv));
	}
	ROLE_ON("alice", "alice") {
		STEP("alice binds her port %d again, without SO_REUSEADDR",
		     "nothing of the connection is left on alice's host", eport);
		CLAIM("timewait-on-closer-host");
		again = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		mine.sin_port = htons((uint16_t)eport);
		EXPECT_OK(bind(again, (struct sockaddr *)&mine, sizeof mine));
	}
	return lab_end();
}
