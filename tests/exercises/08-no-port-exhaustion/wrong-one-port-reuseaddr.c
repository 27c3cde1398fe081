/* wrong: one explicit port for all eight, 127.0.0.2:40000 with
 * SO_REUSEADDR, "so they can share it": a four-tuple must stay unique, so
 * the second connection to the same server from that port is refused
 * (EADDRNOTAVAIL), and the port is picked by hand, not by the kernel
 * fails: four connections reach each server at once
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 8

int main(void)
{
	struct sockaddr_in source = {
		.sin_family = AF_INET,
		.sin_port = htons(40000),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	struct sockaddr_in server = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int conn[CONNS], on = 1;

	for (int i = 0; i < CONNS; i++) {
		conn[i] = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(conn[i], SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (bind(conn[i], (struct sockaddr *)&source, sizeof source) < 0) {
			perror("bind 127.0.0.2:40000");
			return 1;
		}
		server.sin_port = htons(7300 + i % 2);
		if (connect(conn[i], (struct sockaddr *)&server, sizeof server) < 0) {
			perror("connect");
			return 1;
		}
	}
	for (int i = 0; i < CONNS; i++) {
		char c;

		while (read(conn[i], &c, 1) > 0)
			;
		close(conn[i]);
	}
	return 0;
}
