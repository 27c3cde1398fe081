/* Lab 23 — The multi-homed UDP server: the reply from the wrong address.
 *
 * What it shows: a UDP server on 0.0.0.0 of a host with two addresses
 * answers with sendto(), and the kernel chooses the reply's source
 * address by the route back to the client, not by the address the
 * request was sent to.  srv has 10.0.0.1 on lan and 10.0.1.1 on lan2; the
 * client on lan asks 10.0.1.1 (reached through srv's eth0: Linux accepts
 * any of its addresses on any interface) and the answer comes from
 * 10.0.0.1.  A client socket connect()ed to 10.0.1.1 (lab 13) never sees
 * it: it takes datagrams from its peer only.  The client keeps a second,
 * unconnected socket on the same port to catch what its connected one
 * refuses, so the lab can read where the answer came from.  Two fixes:
 *
 *   IP_PKTINFO: recvmsg() tells the server the address the request was
 *   sent to (ipi_addr), and sendmsg() with an IP_PKTINFO of that address
 *   (ipi_spec_dst) makes it the reply's source.
 *
 *   A socket per address: bound to 10.0.1.1, the server's socket sends
 *   from 10.0.1.1, whatever the route.
 *
 *   cli 10.0.0.2 ── lan ── eth0 10.0.0.1  srv  eth1 10.0.1.1 ── lan2
 *
 * Watch the wire (socklab run 23 --wire): "srv 10.0.0.1:5000 → cli", then
 * the replies from 10.0.1.1. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(23, "multihomed-server", "The multi-homed UDP server",
    "a server on 0.0.0.0 replies from the wrong address; IP_PKTINFO fixes it; so does a socket per address");

/* recvmsg() with the IP_PKTINFO of the request: its sender in *from, the
 * address it was sent to in *to.  The call's result. */
static ssize_t recv_pktinfo(int fd, struct sockaddr_in *from, struct in_addr *to)
{
	char data[64];
	struct iovec iov = { data, sizeof data };
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_name = from, .msg_namelen = sizeof *from,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof u.buf,
	};
	ssize_t n = recvmsg(fd, &msg, 0);

	to->s_addr = htonl(INADDR_ANY);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			*to = ((struct in_pktinfo *)CMSG_DATA(c))->ipi_addr;
	return n;
}

/* sendmsg() of "pong" to `to`, from source address `src` (IP_PKTINFO's
 * ipi_spec_dst: the source the kernel puts on the reply) */
static ssize_t send_from(int fd, const struct sockaddr_in *to, struct in_addr src)
{
	struct iovec iov = { "pong", 4 };
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_name = (void *)to, .msg_namelen = sizeof *to,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof u.buf,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	struct in_pktinfo pi = { .ipi_spec_dst = src };

	memset(u.buf, 0, sizeof u.buf);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof pi);
	memcpy(CMSG_DATA(c), &pi, sizeof pi);
	return sendmsg(fd, &msg, 0);
}

int main(void)
{
	struct sockaddr_in any = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in far = any, from;
	struct timeval wait = { 1, 0 };
	struct in_addr to;
	socklen_t len;
	char buf[32], ip[INET_ADDRSTRLEN];
	struct sockaddr_in mine = any;
	int on = 1, srv = -1, one = -1, cli = -1, other = -1;

	inet_pton(AF_INET, "10.0.1.1", &far.sin_addr);
	mine.sin_port = htons(LAB_PORT + 1);	/* the client's port */
	if (!lab_sandboxed() || !lab_hosts_supported()) {
		SKIP("%s", !lab_sandboxed() ?
		     "this lab builds a network of hosts: only in a sandbox, never on this "
		     "host's stack" :
		     "this system cannot make hosts: ip(8) could not make a bridge and a veth "
		     "pair (a kernel without them, or busybox's ip)");
		return lab_end();
	}

	STEP("Build it: srv on lan (10.0.0.1) and lan2 (10.0.1.1); cli on lan, "
	     "routing 10.0.1.0/24 via srv", "one server, two addresses, a client that can reach both");
	EXPECT_OK(lab_host("srv", "lan", "10.0.0.1/24"));
	EXPECT_OK(lab_host("srv", "lan2", "10.0.1.1/24"));
	EXPECT_OK(lab_host("cli", "lan", "10.0.0.2/24"));
	EXPECT_OK(lab_host_cmd("cli", "ip route add 10.0.1.0/24 via 10.0.0.1"));
	if (!AS_EXPECTED())
		return lab_end();

	ROLE_ON("srv", "server") {
		STEP("The server binds 0.0.0.0:%d", "every address of srv, both interfaces", LAB_PORT);
		srv = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(bind(srv, (struct sockaddr *)&any, sizeof any));
	}
	ROLE_ON("cli", "client") {
		STEP("The client binds two sockets to 0.0.0.0:%d, connect()s one to 10.0.1.1:%d "
		     "and sends \"ping\" from it",
		     "a connected socket takes datagrams from that address only (lab 13); the "
		     "other takes the rest", LAB_PORT + 1, LAB_PORT);
		cli = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		other = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(cli, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(setsockopt(other, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(setsockopt(cli, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(setsockopt(other, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(cli, (struct sockaddr *)&mine, sizeof mine));
		EXPECT_OK(bind(other, (struct sockaddr *)&mine, sizeof mine));
		EXPECT_OK(connect(cli, (struct sockaddr *)&far, sizeof far));
		EXPECT_OK(send(cli, "ping", 4, 0));
	}
	ROLE_ON("srv", "server") {
		ASK("The server answers with sendto() to the address the ping came from.  "
		    "Which source address does the answer carry?");
		STEP("The server reads the ping and answers with sendto()",
		     "the kernel picks the source by the route back to 10.0.0.2: eth0's address");
		len = sizeof from;
		EXPECT_OK(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		EXPECT_OK(sendto(srv, "pong", 4, 0, (struct sockaddr *)&from, len));
	}
	ROLE_ON("cli", "client") {
		STEP("The client reads: the answer is on its other socket, from 10.0.0.1",
		     "not from 10.0.1.1: the connected socket refuses it");
		CLAIM("multihomed-wrong-source");
		len = sizeof from;
		EXPECT_OK(recvfrom(other, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		EXPECT_TRUE(from.sin_addr.s_addr == inet_addr("10.0.0.1"));
		EXPECT_ERR(EAGAIN, recv(cli, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("srv", "server") {
		STEP("The server sets IP_PKTINFO", "recvmsg() will say where each request was sent");
		EXPECT_OK(setsockopt(srv, IPPROTO_IP, IP_PKTINFO, &on, sizeof on));
	}
	ROLE_ON("cli", "client") {
		STEP("The client sends \"ping\" again", "the same socket, the same question");
		EXPECT_OK(send(cli, "ping", 4, 0));
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads it with recvmsg(), and answers with sendto() as before",
		     "the option only tells; a plain send still takes the route's address");
		CLAIM("pktinfo-needs-sendmsg");
		EXPECT_OK(recv_pktinfo(srv, &from, &to));
		EXPECT_TRUE(to.s_addr == far.sin_addr.s_addr);
		EXPECT_OK(sendto(srv, "pong", 4, 0, (struct sockaddr *)&from, sizeof from));
	}
	ROLE_ON("cli", "client") {
		STEP("The client reads: on the other socket again, from 10.0.0.1",
		     "the option changed nothing of the answer");
		CLAIM("pktinfo-needs-sendmsg");
		len = sizeof from;
		EXPECT_OK(recvfrom(other, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		EXPECT_TRUE(from.sin_addr.s_addr == inet_addr("10.0.0.1"));
		EXPECT_ERR(EAGAIN, recv(cli, buf, sizeof buf, MSG_DONTWAIT));
		EXPECT_OK(send(cli, "ping", 4, 0));	/* and asks once more */
	}
	ROLE_ON("srv", "server") {
		STEP("The server reads it with recvmsg() and answers with sendmsg() from that address",
		     "IP_PKTINFO's ipi_spec_dst is the reply's source");
		CLAIM("pktinfo-right-source");
		EXPECT_OK(recv_pktinfo(srv, &from, &to));
		EXPECT_TRUE(to.s_addr == far.sin_addr.s_addr);
		NOTE("the ping was sent to %s", inet_ntop(AF_INET, &to, ip, sizeof ip));
		EXPECT_OK(send_from(srv, &from, to));
	}
	ROLE_ON("cli", "client") {
		STEP("The client reads the answer on its connected socket",
		     "from 10.0.1.1: its connected peer");
		CLAIM("pktinfo-right-source");
		EXPECT_OK(recv(cli, buf, sizeof buf, 0));
		EXPECT_ERR(EAGAIN, recv(other, buf, sizeof buf, MSG_DONTWAIT));
	}

	ROLE_ON("srv", "server") {
		STEP("The other fix: the server closes its 0.0.0.0 socket and binds one to 10.0.1.1:%d",
		     "a socket per address (10.0.0.1's would be the same): each knows its own",
		     LAB_PORT);
		EXPECT_OK(close(srv));
		one = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(one, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(bind(one, (struct sockaddr *)&far, sizeof far));
	}
	ROLE_ON("cli", "client") {
		STEP("The client sends \"ping\" once more", "to 10.0.1.1, as before");
		EXPECT_OK(send(cli, "ping", 4, 0));
	}
	ROLE_ON("srv", "server") {
		STEP("The bound socket reads it and answers with plain sendto()",
		     "a socket bound to 10.0.1.1 sends from 10.0.1.1");
		CLAIM("bound-socket-right-source");
		len = sizeof from;
		EXPECT_OK(recvfrom(one, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
		EXPECT_OK(sendto(one, "pong", 4, 0, (struct sockaddr *)&from, len));
	}
	ROLE_ON("cli", "client") {
		STEP("The client reads the answer on its connected socket",
		     "no option, no cmsg: the bound address is the source");
		CLAIM("bound-socket-right-source");
		EXPECT_OK(recv(cli, buf, sizeof buf, 0));
		EXPECT_ERR(EAGAIN, recv(other, buf, sizeof buf, MSG_DONTWAIT));
	}
	return lab_end();
}
