/* Reference solution to exercise 04 (for instructors): one socket for
 * both directions.  The server's socket sends the request itself, so it
 * leaves from port 5000 and the answers come back to it; no second socket
 * shares the port, so no reuse option is needed, and no other user can
 * bind over the service (docs/security.md). */
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
	struct sockaddr_in peer = any;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_port = htons(6000);
	if (s < 0 || bind(s, (struct sockaddr *)&any, sizeof any) < 0) {
		perror("bind");
		return 1;
	}
	/* the request, from the socket that will receive the answer */
	if (sendto(s, "hello", 5, 0, (struct sockaddr *)&peer, sizeof peer) < 0) {
		perror("sendto");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			break;
		sendto(s, "pong", 4, 0, (struct sockaddr *)&from, len);
	}
	close(s);
	return 0;
}
