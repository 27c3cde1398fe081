/* Exercise 08 — eight TCP connections from 127.0.0.2, four to
 * 127.0.0.1:7300 and four to :7301, all open at once, with only four
 * ephemeral ports.  This starter binds (127.0.0.2, port 0) before each
 * connect(), and the fifth bind() fails.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex08 ex08.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 8

int main(void)
{
	struct sockaddr_in source = {	/* 127.0.0.2, port 0: any port */
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
		/* TODO: four ephemeral ports must carry eight connections */
		if (bind(conn[i], (struct sockaddr *)&source, sizeof source) < 0) {
			perror("bind 127.0.0.2:0");
			return 1;
		}
		server.sin_port = htons(7300 + i % 2);
		if (connect(conn[i], (struct sockaddr *)&server, sizeof server) < 0) {
			perror("connect");
			return 1;
		}
	}
	/* hold them all until the servers close them */
	for (int i = 0; i < CONNS; i++) {
		char c;

		while (read(conn[i], &c, 1) > 0)
			;
		close(conn[i]);
	}
	return 0;
}
