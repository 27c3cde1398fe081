/* Lab 24 — SO_BINDTODEVICE, and the most specific socket, on real interfaces.
 *
 * What it shows: srv has two interfaces, eth0 (10.0.0.1, lan, alice's
 * side) and eth1 (10.0.1.1, lan2, bob's side).  On one port it has a
 * wildcard socket and a wildcard socket tied to eth1 with SO_BINDTODEVICE
 * (both SO_REUSEADDR: a socket of every device and one of eth1 overlap,
 * so without it the second bind fails with EADDRINUSE).
 *
 *   - A datagram that arrives on eth1 goes to the eth1 socket: a device
 *     match beats a socket of every device.
 *   - "Arrives on" is the point: alice, routing 10.0.1.0/24 via srv, sends
 *     to 10.0.1.1, eth1's address, but the datagram arrives on eth0; the
 *     eth1 socket does not get it.  SO_BINDTODEVICE is about the
 *     interface, not the address.
 *   - A broadcast that arrives on eth1 goes to every socket that matches
 *     it, the eth1 one and the one of every device: what a DHCP server
 *     needs (an address-bound socket misses it, lab 22).
 *   - A socket bound to the exact address 10.0.1.1 beats the device-tied
 *     wildcard: the exact address is looked up first (lab 10).
 *   - Sockets tied to two different devices never conflict: they share a
 *     port with no option at all, each getting its own interface's
 *     datagrams.
 *
 *   alice 10.0.0.2 ── lan ── eth0 10.0.0.1  srv  eth1 10.0.1.1 ── lan2 ── bob 10.0.1.2
 *
 * A unicast datagram is delivered to one socket: when the expected one
 * has it, the other's EAGAIN is not a race.  Watch the table: the FLAGS
 * column says "dev eth1" for the tied socket. */
#include <net/if.h>
#include <sys/time.h>

#include "lab/lab.h"

LAB(24, "bindtodevice", "SO_BINDTODEVICE and most-specific-wins on real interfaces",
    "a device match beats a wildcard; the device is where it arrived; an exact address beats a device");

/* A UDP socket on addr:port, with SO_REUSEADDR when reuse, tied to
 * device dev when dev is not NULL; reads wait up to a second. */
static int server_socket(const char *addr, int port, int reuse, const char *dev)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval wait = { 1, 0 };
	int on = 1, fd = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	inet_pton(AF_INET, addr, &sin.sin_addr);
	EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	if (reuse)
		EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	if (dev)
		EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev)));
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* One datagram "text" to addr:port from a fresh socket */
static void send_to(const char *addr, int port, const char *text)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	inet_pton(AF_INET, addr, &sin.sin_addr);
	EXPECT_OK(sendto(fd, text, strlen(text), 0, (struct sockaddr *)&sin, sizeof sin));
	close(fd);
}

int main(void)
{
	char buf[32];
	int any = -1, tied = -1, exact = -1, x0 = -1, x1 = -1;

	if (!lab_sandboxed() || !lab_hosts_supported()) {
		SKIP("%s", !lab_sandboxed() ?
		     "this lab builds a network of hosts: only in a sandbox, never on this "
		     "host's stack" :
		     "this system cannot make hosts: ip(8) could not make a bridge and a veth "
		     "pair (a kernel without them, or busybox's ip)");
		return lab_end();
	}

	STEP("Build it: srv on lan (eth0 10.0.0.1) and lan2 (eth1 10.0.1.1), alice on lan, "
	     "bob on lan2", "two interfaces, a client behind each");
	EXPECT_OK(lab_host("srv", "lan", "10.0.0.1/24"));
	EXPECT_OK(lab_host("srv", "lan2", "10.0.1.1/24"));
	EXPECT_OK(lab_host("alice", "lan", "10.0.0.2/24"));
	EXPECT_OK(lab_host("bob", "lan2", "10.0.1.2/24"));
	EXPECT_OK(lab_host_cmd("alice", "ip route add 10.0.1.0/24 via 10.0.0.1"));
	if (!AS_EXPECTED())
		return lab_end();

	ROLE_ON("srv", "server") {
		STEP("The server binds 0.0.0.0:%d, and a second socket 0.0.0.0:%d tied to eth1; "
		     "a third, tied to eth0, without SO_REUSEADDR",
		     "a socket of every device overlaps one of eth1: reuse on both, or EADDRINUSE",
		     LAB_PORT, LAB_PORT);
		CLAIM("device-overlaps-wildcard");
		any = EXPECT_OK(server_socket("0.0.0.0", LAB_PORT, 1, NULL));
		tied = EXPECT_OK(server_socket("0.0.0.0", LAB_PORT, 1, "eth1"));
		EXPECT_ERR(EADDRINUSE, server_socket("0.0.0.0", LAB_PORT, 0, "eth0"));
	}
	ROLE_ON("bob", "bob") {
		ASK("bob's datagram arrives on eth1.  Which socket gets it: 0.0.0.0, or 0.0.0.0 "
		    "tied to eth1?");
		STEP("bob sends \"b1\" to 10.0.1.1:%d", "it arrives on srv's eth1", LAB_PORT);
		send_to("10.0.1.1", LAB_PORT, "b1");
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads: the eth1 socket has it, the other nothing",
		     "a socket tied to the arrival device beats one of every device");
		CLAIM("device-beats-wildcard");
		EXPECT_OK(recv(tied, buf, sizeof buf, 0));
		EXPECT_ERR(EAGAIN, recv(any, buf, sizeof buf, MSG_DONTWAIT));
	}
	ROLE_ON("alice", "alice") {
		ASK("alice sends to 10.0.1.1, eth1's address, through eth0.  Which socket now?");
		STEP("alice sends \"a1\" to 10.0.1.1:%d", "it is eth1's address, but it arrives on eth0",
		     LAB_PORT);
		send_to("10.0.1.1", LAB_PORT, "a1");
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads: the socket of every device has it, the eth1 one nothing",
		     "SO_BINDTODEVICE matches the interface it arrived on, not the address's");
		CLAIM("device-is-arrival");
		EXPECT_OK(recv(any, buf, sizeof buf, 0));
		EXPECT_ERR(EAGAIN, recv(tied, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("bob", "bob") {
		struct sockaddr_in all = { .sin_family = AF_INET, .sin_port = htons(LAB_PORT) };
		int bc, on = 1;

		STEP("bob broadcasts \"bb\" to 10.0.1.255:%d", "a DHCP-like request: to every host of lan2",
		     LAB_PORT);
		inet_pton(AF_INET, "10.0.1.255", &all.sin_addr);
		bc = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(bc, SOL_SOCKET, SO_BROADCAST, &on, sizeof on));
		EXPECT_OK(sendto(bc, "bb", 2, 0, (struct sockaddr *)&all, sizeof all));
		close(bc);
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads: both sockets have the broadcast",
		     "a broadcast goes to every socket that matches it, like multicast; "
		     "the eth1 one among them");
		CLAIM("device-gets-broadcast");
		EXPECT_OK(recv(tied, buf, sizeof buf, 0));
		EXPECT_OK(recv(any, buf, sizeof buf, 0));
	}

	ROLE_ON("srv", "server") {
		STEP("The server binds a fourth socket to 10.0.1.1:%d, the exact address",
		     "SO_REUSEADDR on all of them: they overlap", LAB_PORT);
		exact = EXPECT_OK(server_socket("10.0.1.1", LAB_PORT, 1, NULL));
	}
	ROLE_ON("bob", "bob") {
		ASK("bob's next datagram arrives on eth1, to 10.0.1.1.  The eth1 socket, or the "
		    "10.0.1.1 one?");
		STEP("bob sends \"b2\" to 10.0.1.1:%d", "the device matches one, the address the other",
		     LAB_PORT);
		send_to("10.0.1.1", LAB_PORT, "b2");
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads: the 10.0.1.1 socket has it",
		     "the exact address is looked up first; the eth1 wildcard only after");
		CLAIM("address-beats-device");
		EXPECT_OK(recv(exact, buf, sizeof buf, 0));
		EXPECT_ERR(EAGAIN, recv(tied, buf, sizeof buf, MSG_DONTWAIT));
		EXPECT_ERR(EAGAIN, recv(any, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("srv", "server") {
		STEP("On port %d, two sockets 0.0.0.0 tied to eth0 and to eth1, no option at all",
		     "two devices never overlap: no reuse needed", LAB_PORT + 1);
		CLAIM("two-devices-share");
		x0 = EXPECT_OK(server_socket("0.0.0.0", LAB_PORT + 1, 0, "eth0"));
		x1 = EXPECT_OK(server_socket("0.0.0.0", LAB_PORT + 1, 0, "eth1"));
	}
	ROLE_ON("alice", "alice") {
		STEP("alice sends \"a2\" to 10.0.0.1:%d", "in on eth0", LAB_PORT + 1);
		send_to("10.0.0.1", LAB_PORT + 1, "a2");
	}
	ROLE_ON("bob", "bob") {
		STEP("bob sends \"b3\" to 10.0.1.1:%d", "in on eth1", LAB_PORT + 1);
		send_to("10.0.1.1", LAB_PORT + 1, "b3");
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads each: eth0's socket has alice's, eth1's bob's",
		     "one port, two interfaces, two sockets");
		CLAIM("two-devices-share");
		EXPECT_OK(recv(x0, buf, sizeof buf, 0));
		EXPECT_TRUE(memcmp(buf, "a2", 2) == 0);
		EXPECT_OK(recv(x1, buf, sizeof buf, 0));
		EXPECT_TRUE(memcmp(buf, "b3", 2) == 0);
	}
	return lab_end();
}
