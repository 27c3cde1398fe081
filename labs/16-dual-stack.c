/* Lab 16 — Dual stack: [::] and 0.0.0.0 on one port.
 *
 * What it shows: an IPv6 socket bound to [::]:5000 is, by default on
 * Linux, a dual-stack socket: it also takes IPv4 on port 5000, seeing each
 * IPv4 peer as a v4-mapped address (::ffff:127.0.0.1).  So it holds the
 * IPv4 port too: 0.0.0.0:5000 then fails with EADDRINUSE, and in the other
 * order, [::] fails while 0.0.0.0 holds the port.  With IPV6_V6ONLY=1 the
 * IPv6 socket gives the IPv4 half up: both bind, and each gets its own
 * family's datagrams.
 *
 * The default comes from net.ipv6.bindv6only (per network namespace, 0 in
 * a fresh one): this lab expects 0 and says so if it is not.  TCP behaves
 * the same way (verified on 6.18); UDP keeps the lab short.
 *
 * Watch the table: the dual-stack socket shows as *:5000 (as ss prints it)
 * and a v6only one as [::]:5000 with the v6only flag; at the end two rows
 * share port 5000, one per family. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(16, "dual-stack", "Dual stack",
    "[::] with and without IPV6_V6ONLY vs 0.0.0.0 on the same port");

int main(void)
{
	struct sockaddr_in any4 = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in6 any6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(LAB_PORT),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct sockaddr_in to4 = any4;
	struct sockaddr_in6 to6 = any6, from6;
	struct timeval wait = { 1, 0 };
	socklen_t len = sizeof(int);
	char buf[64], text[INET6_ADDRSTRLEN] = "?";
	int v6only = -1, on = 1;
	int dual = EXPECT_OK(socket(AF_INET6, SOCK_DGRAM, 0));
	int v4 = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int send4 = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int send6 = EXPECT_OK(socket(AF_INET6, SOCK_DGRAM, 0));

	to4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* 127.0.0.1:LAB_PORT */
	to6.sin6_addr = in6addr_loopback;		/* [::1]:LAB_PORT */
	EXPECT_OK(setsockopt(dual, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_OK(setsockopt(v4, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));

	STEP("Read net.ipv6.bindv6only, the default for IPV6_V6ONLY",
	     "0 (the default) makes every [::] socket dual-stack unless it says otherwise");
	EXPECT_OK(lab_read_sysctl("net.ipv6.bindv6only", buf, sizeof buf));
	EXPECT_TRUE(strcmp(buf, "0") == 0);
	if (!AS_EXPECTED())
		NOTE("net.ipv6.bindv6only is %s here: [::] sockets are IPv6-only by default, "
		     "and the dual-stack steps below will not hold", buf);

	STEP("An IPv6 socket binds [::]:%d without touching IPV6_V6ONLY",
	     "it inherits bindv6only=0: one socket for both families", LAB_PORT);
	EXPECT_OK(getsockopt(dual, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len));
	EXPECT_TRUE(v6only == 0);
	EXPECT_OK(bind(dual, (struct sockaddr *)&any6, sizeof any6));

	STEP("An IPv4 socket binds 0.0.0.0:%d",
	     "the dual-stack socket already holds IPv4 port %d as well", LAB_PORT, LAB_PORT);
	CLAIM("v6only-dual-stack");
	EXPECT_ERR(EADDRINUSE, bind(v4, (struct sockaddr *)&any4, sizeof any4));

	STEP("Send an IPv4 datagram to 127.0.0.1:%d",
	     "the only socket on IPv4 port %d is the IPv6 one", LAB_PORT, LAB_PORT);
	EXPECT_OK(sendto(send4, "over v4", 7, 0, (struct sockaddr *)&to4, sizeof to4));
	len = sizeof from6;
	if (EXPECT_OK(recvfrom(dual, buf, sizeof buf, 0, (struct sockaddr *)&from6, &len)) >= 0) {
		inet_ntop(AF_INET6, &from6.sin6_addr, text, sizeof text);
		EXPECT_TRUE(IN6_IS_ADDR_V4MAPPED(&from6.sin6_addr));
		NOTE("the [::] socket got it from [%s]:%d", text, ntohs(from6.sin6_port));
	}

	STEP("The other order: close [::], bind 0.0.0.0:%d, then [::] again",
	     "the conflict is symmetric: now the IPv4 socket holds what [::] wants", LAB_PORT);
	EXPECT_OK(close(dual));
	EXPECT_OK(bind(v4, (struct sockaddr *)&any4, sizeof any4));
	dual = EXPECT_OK(socket(AF_INET6, SOCK_DGRAM, 0));
	EXPECT_OK(setsockopt(dual, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	EXPECT_ERR(EADDRINUSE, bind(dual, (struct sockaddr *)&any6, sizeof any6));

	STEP("The IPv6 socket sets IPV6_V6ONLY=1 and binds [::]:%d",
	     "IPv6-only: it no longer claims the IPv4 half of the port", LAB_PORT);
	CLAIM("v6only-dual-stack");
	EXPECT_OK(setsockopt(dual, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on));
	EXPECT_OK(bind(dual, (struct sockaddr *)&any6, sizeof any6));

	STEP("Send one datagram to 127.0.0.1:%d and one to [::1]:%d",
	     "two sockets on one port number, one per family: each gets its own",
	     LAB_PORT, LAB_PORT);
	EXPECT_OK(sendto(send4, "over v4", 7, 0, (struct sockaddr *)&to4, sizeof to4));
	EXPECT_OK(sendto(send6, "over v6", 7, 0, (struct sockaddr *)&to6, sizeof to6));
	EXPECT_OK(recv(v4, buf, sizeof buf, 0));
	len = sizeof from6;
	EXPECT_OK(recvfrom(dual, buf, sizeof buf, 0, (struct sockaddr *)&from6, &len));
	EXPECT_TRUE(IN6_ARE_ADDR_EQUAL(&from6.sin6_addr, &in6addr_loopback));
	EXPECT_ERR(EAGAIN, recv(v4, buf, sizeof buf, MSG_DONTWAIT));
	EXPECT_ERR(EAGAIN, recv(dual, buf, sizeof buf, MSG_DONTWAIT));
	if (AS_EXPECTED())
		NOTE("the IPv4 datagram went to 0.0.0.0:%d, the IPv6 one to [::]:%d, "
		     "one each", LAB_PORT, LAB_PORT);

	return lab_end();
}
