/* Exercise 04 — the story's program on UDP port 5000, done safely.  This
 * starter is the story's first attempt: a second socket for the client,
 * SO_REUSEADDR on the client only.  The client's bind() fails, and the
 * server goes on without ever sending the request.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex04 ex04.c */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in any = {	/* the server: 0.0.0.0:5000 */
		.sin_family = AF_INET,
		.sin_port = htons(5000),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in here = any, peer = any;	/* the client: 127.0.0.1:5000 */
	int server = socket(AF_INET, SOCK_DGRAM, 0);
	int client = socket(AF_INET, SOCK_DGRAM, 0);
	int on = 1;

	here.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_port = htons(6000);

	if (server < 0 || client < 0) {
		perror("socket");
		return 1;
	}
	if (bind(server, (struct sockaddr *)&any, sizeof any) < 0) {
		perror("server bind");
		return 1;
	}
	/* TODO: send the request from port 5000.  "Address reuse", on the client: */
	setsockopt(client, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(client, (struct sockaddr *)&here, sizeof here) < 0)
		perror("client bind");	/* the story's error; the server carries on */
	else
		sendto(client, "hello", 5, 0, (struct sockaddr *)&peer, sizeof peer);
	close(client);

	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			break;
		sendto(server, "pong", 4, 0, (struct sockaddr *)&from, len);
	}
	close(server);
	return 0;
}
