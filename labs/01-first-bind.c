/* Lab 01 — First bind.
 *
 * What it shows: bind() gives a socket its local address and port.  Ask
 * for a port and you get exactly that port; ask for port 0 and the kernel
 * picks a free one from net.ipv4.ip_local_port_range.  getsockname() tells
 * you what you got.
 *
 * Watch the table: after step 1 one UDP row on 127.0.0.1:5000; after
 * step 2 a second row on a port the kernel chose. */
#include <stdio.h>

#include "lab/lab.h"

LAB(1, "first-bind", "First bind", "Bind a port, bind port 0, and ask getsockname what you got");

int main(void)
{
	struct sockaddr_in want = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in any_port = want;
	struct sockaddr_in got = { 0 };
	socklen_t len;
	int lo = 0, hi = 0, port;
	int fixed = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int chosen = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	FILE *range;

	STEP("Bind 127.0.0.1:%d",
	     "bind() names the local end of the socket: this address, this port", LAB_PORT);
	EXPECT_OK(bind(fixed, (struct sockaddr *)&want, sizeof want));
	len = sizeof got;
	EXPECT_OK(getsockname(fixed, (struct sockaddr *)&got, &len));
	EXPECT_TRUE(ntohs(got.sin_port) == LAB_PORT);

	STEP("Bind port 0 and let the kernel choose",
	     "port 0 means any free port: the kernel takes one from ip_local_port_range");
	any_port.sin_port = htons(0);
	EXPECT_OK(bind(chosen, (struct sockaddr *)&any_port, sizeof any_port));
	len = sizeof got;
	EXPECT_OK(getsockname(chosen, (struct sockaddr *)&got, &len));
	port = ntohs(got.sin_port);

	/* the range is per network namespace: this reads the sandbox's */
	range = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (range) {
		if (fscanf(range, "%d %d", &lo, &hi) != 2)
			lo = hi = 0;
		fclose(range);
	}
	NOTE("the kernel chose port %d; ip_local_port_range is %d-%d", port, lo, hi);
	EXPECT_TRUE(port >= lo && port <= hi);

	/* exit closes both sockets: the table above is the state at the end */
	return lab_end();
}
