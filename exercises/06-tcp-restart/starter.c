/* Exercise 06 — a TCP server on 127.0.0.1:7100: accept one connection,
 * write "hi\n", close it first, exit.  Run it twice in a row: the second
 * run's bind() fails while the first connection is in TIME-WAIT.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex06 ex06.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in service = {
		.sin_family = AF_INET,
		.sin_port = htons(7100),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	int conn;

	/* TODO: the next run must be able to bind while this one's connection waits */
	if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(listener, 8) < 0) {
		perror("listen");
		return 1;
	}
	conn = accept(listener, NULL, NULL);
	if (conn < 0) {
		perror("accept");
		return 1;
	}
	if (write(conn, "hi\n", 3) != 3)
		perror("write");
	close(conn);	/* the server closes first: its side goes to TIME-WAIT */
	close(listener);
	return 0;
}
