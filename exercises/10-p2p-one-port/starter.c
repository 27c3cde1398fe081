/* Exercise 10 — a P2P node behind a NAT router: it listens on UDP port
 * 6881, announces itself to the tracker 10.1.0.2:6969, says hello to the
 * peer the tracker names, and thanks it for its welcome.  This starter is
 * the story's design: a server socket on 6881 and a client socket of its
 * own for what it sends.  It runs to the end, and nobody learns port 6881.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex10 ex10.c */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One datagram into buf (NUL-terminated), retrying after EINTR */
static ssize_t get(int s, char *buf, size_t len, struct sockaddr_in *from)
{
	socklen_t flen = sizeof *from;
	ssize_t n;

	do
		n = recvfrom(s, buf, len - 1, 0, (struct sockaddr *)from, &flen);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

int main(void)
{
	struct sockaddr_in me = {
		.sin_family = AF_INET,
		.sin_port = htons(6881),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct sockaddr_in tracker = { .sin_family = AF_INET, .sin_port = htons(6969) };
	struct sockaddr_in peer = { .sin_family = AF_INET }, from;
	char buf[128], addr[32];
	int port;
	int server = socket(AF_INET, SOCK_DGRAM, 0);
	int client = socket(AF_INET, SOCK_DGRAM, 0);	/* TODO: is it needed? */

	inet_pton(AF_INET, "10.1.0.2", &tracker.sin_addr);
	if (bind(server, (struct sockaddr *)&me, sizeof me) < 0) {
		perror("bind");
		return 1;
	}
	sendto(client, "announce", 8, 0, (struct sockaddr *)&tracker, sizeof tracker);
	if (get(client, buf, sizeof buf, &from) < 0 ||
	    sscanf(buf, "peer %31s %d", addr, &port) != 2 ||
	    inet_pton(AF_INET, addr, &peer.sin_addr) != 1) {
		fprintf(stderr, "no peer from the tracker\n");
		return 1;
	}
	peer.sin_port = htons((unsigned short)port);
	sendto(client, "hello", 5, 0, (struct sockaddr *)&peer, sizeof peer);
	if (get(client, buf, sizeof buf, &from) < 0 || strcmp(buf, "welcome") != 0) {
		fprintf(stderr, "no welcome\n");
		return 1;
	}
	sendto(client, "thanks", 6, 0, (struct sockaddr *)&from, sizeof from);
	close(client);
	close(server);
	return 0;
}
