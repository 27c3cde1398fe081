/* Reference solution to exercise 08 (for instructors):
 * IP_BIND_ADDRESS_NO_PORT before bind(): the source address is fixed now,
 * the port chosen by connect(), which may share it between the two
 * servers. */
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
	int conn[CONNS], on = 1;

	for (int i = 0; i < CONNS; i++) {
		conn[i] = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(conn[i], IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
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
