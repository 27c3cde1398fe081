/* wrong: eight explicit source ports, 50000 to 50007, one a socket: no
 * port runs out, but the program picks ports outside the ephemeral range,
 * where they may collide with any service; the kernel never chooses
 * fails: every source port is one of ip_local_port_range
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
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	struct sockaddr_in server = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int conn[CONNS];

	for (int i = 0; i < CONNS; i++) {
		conn[i] = socket(AF_INET, SOCK_STREAM, 0);
		source.sin_port = htons(50000 + i);
		if (bind(conn[i], (struct sockaddr *)&source, sizeof source) < 0) {
			perror("bind 127.0.0.2");
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
