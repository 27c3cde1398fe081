/* right: the other safe design (lab 13): a client socket connected to its
 * peer shares port 5000 through SO_REUSEPORT alone (same user only; no
 * SO_REUSEADDR), so it takes only that peer's answer and the server gets
 * everyone else's datagrams */
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
	struct sockaddr_in here = any, peer = any;
	struct timeval wait = { 2, 0 };
	int server = socket(AF_INET, SOCK_DGRAM, 0);
	int client = socket(AF_INET, SOCK_DGRAM, 0);
	int on = 1;
	char buf[512];

	here.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_port = htons(6000);
	if (setsockopt(server, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
	    setsockopt(client, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
	    bind(server, (struct sockaddr *)&any, sizeof any) < 0 ||
	    bind(client, (struct sockaddr *)&here, sizeof here) < 0 ||
	    connect(client, (struct sockaddr *)&peer, sizeof peer) < 0) {
		perror("server/client");
		return 1;
	}
	send(client, "hello", 5, 0);
	setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
	if (recv(client, buf, sizeof buf, 0) < 0)	/* the peer's answer, to the client */
		perror("recv welcome");
	close(client);
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			return 0;
		sendto(server, "pong", 4, 0, (struct sockaddr *)&from, len);
	}
}
