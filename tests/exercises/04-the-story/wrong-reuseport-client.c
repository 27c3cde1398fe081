/* wrong: "share the port with your own client using SO_REUSEPORT alone":
 * no other user can join, but while the client waits for its answer it is
 * a member of the server's group and takes a share of the server's
 * datagrams by flow hash
 * fails: are queued on the socket on 0.0.0.0:5000 and answered with "pong" */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(5000),
				   .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct sockaddr_in peer = any;
	struct timeval wait = { 1, 0 };
	int server = socket(AF_INET, SOCK_DGRAM, 0);
	int client = socket(AF_INET, SOCK_DGRAM, 0);
	int on = 1;
	char buf[512];

	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_port = htons(6000);
	setsockopt(server, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
	setsockopt(client, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
	if (bind(server, (struct sockaddr *)&any, sizeof any) < 0 ||
	    bind(client, (struct sockaddr *)&any, sizeof any) < 0) {
		perror("bind");
		return 1;
	}
	sendto(client, "hello", 5, 0, (struct sockaddr *)&peer, sizeof peer);
	/* the client waits for its answer, then goes */
	setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
	while (recv(client, buf, sizeof buf, 0) >= 0 && memcmp(buf, "welcome", 7) != 0)
		;
	close(client);
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0)
			return 1;
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			return 0;
		sendto(server, "pong", 4, 0, (struct sockaddr *)&from, len);
	}
}
