/* Exercise 02 — two UDP sockets on 127.0.0.1:5000; "one" from the first,
 * "two" from the second, both to 127.0.0.1:6000; then both stay open
 * until a datagram arrives on either.  With this starter the second
 * bind() fails.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex02 ex02.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(5000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in service = port;
	int first = socket(AF_INET, SOCK_DGRAM, 0);
	int second = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd both[2] = { { .fd = first, .events = POLLIN },
				  { .fd = second, .events = POLLIN } };

	service.sin_port = htons(6000);
	if (first < 0 || second < 0) {
		perror("socket");
		return 1;
	}
	/* TODO: both sockets must be able to hold port 5000 */
	if (bind(first, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind first");
		return 1;
	}
	if (bind(second, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind second");
		return 1;
	}
	sendto(first, "one", 3, 0, (struct sockaddr *)&service, sizeof service);
	sendto(second, "two", 3, 0, (struct sockaddr *)&service, sizeof service);
	/* both stay open until something arrives on either */
	if (poll(both, 2, 4000) < 0) {
		perror("poll");
		return 1;
	}
	close(first);
	close(second);
	return 0;
}
