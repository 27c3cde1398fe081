/* wrong: IP_BIND_ADDRESS_NO_PORT, but each connection is closed before
 * the next is opened: eight connections, never eight at once (a proxy
 * that holds its back-end connections would still run out)
 * fails: eight connections from the program are open at the same time
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
	int on = 1;

	for (int i = 0; i < CONNS; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
		if (bind(s, (struct sockaddr *)&source, sizeof source) < 0) {
			perror("bind 127.0.0.2:0");
			return 1;
		}
		server.sin_port = htons(7300 + i % 2);
		if (connect(s, (struct sockaddr *)&server, sizeof server) < 0) {
			perror("connect");
			return 1;
		}
		close(s);	/* done with it */
	}
	return 0;
}
