/* wrong: two sockets, one per family, the IPv6 one bound first without
 * IPV6_V6ONLY; the IPv4 bind() fails (EADDRINUSE), unchecked, and
 * listen() gives that socket a random port of its own.  Both clients are
 * served, by the dual-stack socket: the second listener is a stray
 * fails: every listening socket of the program is on port 7200
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in v4 = {
		.sin_family = AF_INET,
		.sin_port = htons(7200),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in6 v6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(7200),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct pollfd lsn[2] = {
		{ .fd = socket(AF_INET6, SOCK_STREAM, 0), .events = POLLIN },
		{ .fd = socket(AF_INET, SOCK_STREAM, 0), .events = POLLIN },
	};
	int off = 0;

	setsockopt(lsn[0].fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	bind(lsn[0].fd, (struct sockaddr *)&v6, sizeof v6);
	bind(lsn[1].fd, (struct sockaddr *)&v4, sizeof v4);
	listen(lsn[0].fd, 8);
	listen(lsn[1].fd, 8);
	for (int served = 0; served < 2;) {
		if (poll(lsn, 2, -1) < 0) {
			perror("poll");
			return 1;
		}
		for (int i = 0; i < 2; i++) {
			int conn;

			if (!(lsn[i].revents & POLLIN) || (conn = accept(lsn[i].fd, NULL, NULL)) < 0)
				continue;
			if (write(conn, "hi\n", 3) != 3)
				perror("write");
			close(conn);
			served++;
		}
	}
	close(lsn[0].fd);
	close(lsn[1].fd);
	return 0;
}
