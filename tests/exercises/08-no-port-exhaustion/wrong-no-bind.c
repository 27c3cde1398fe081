/* wrong: no bind() at all: connect() picks address and port, and eight
 * connections fit, but they come from 127.0.0.1, not the proxy's
 * address 127.0.0.2
 * fails: every connection comes from 127.0.0.2
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 8

int main(void)
{
	struct sockaddr_in server = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int conn[CONNS];

	for (int i = 0; i < CONNS; i++) {
		conn[i] = socket(AF_INET, SOCK_STREAM, 0);
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
