/* Exercise 01 — send "hello" to 127.0.0.1:6000 from local port 5000.
 * This starter sends it, but from a port the kernel picks.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex01 ex01.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in service = {
		.sin_family = AF_INET,
		.sin_port = htons(6000),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0) {
		perror("socket");
		return 1;
	}
	/* TODO: the service answers to port 5000 only */
	if (sendto(s, "hello", 5, 0, (struct sockaddr *)&service, sizeof service) < 0) {
		perror("sendto");
		return 1;
	}
	close(s);
	return 0;
}
