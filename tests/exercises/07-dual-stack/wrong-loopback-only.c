/* wrong: two sockets, one per family, on 127.0.0.1:7200 and [::1]:7200:
 * no collision, so no IPV6_V6ONLY needed, but the service is reachable
 * only on loopback, not on the machine's other addresses
 * fails: the listeners take every address of both families
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
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in6 v6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(7200),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	struct pollfd lsn[2] = {
		{ .fd = socket(AF_INET, SOCK_STREAM, 0), .events = POLLIN },
		{ .fd = socket(AF_INET6, SOCK_STREAM, 0), .events = POLLIN },
	};

	if (bind(lsn[0].fd, (struct sockaddr *)&v4, sizeof v4) < 0 ||
	    bind(lsn[1].fd, (struct sockaddr *)&v6, sizeof v6) < 0) {
		perror("bind");
		return 1;
	}
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
