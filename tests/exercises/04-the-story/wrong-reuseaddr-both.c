/* wrong: the story's own fix, SO_REUSEADDR on the server and the client:
 * it works, and any user can now bind 127.0.0.1:5000 over the service
 * fails: no socket of the program on port 5000 sets SO_REUSEADDR */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(5000),
				   .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct sockaddr_in here = any, peer = any;
	int server = socket(AF_INET, SOCK_DGRAM, 0);
	int client = socket(AF_INET, SOCK_DGRAM, 0);
	int on = 1;

	here.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_port = htons(6000);
	setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(server, (struct sockaddr *)&any, sizeof any) < 0) {
		perror("server bind");
		return 1;
	}
	setsockopt(client, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(client, (struct sockaddr *)&here, sizeof here) < 0) {
		perror("client bind");
		return 1;
	}
	sendto(client, "hello", 5, 0, (struct sockaddr *)&peer, sizeof peer);
	close(client);
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0)
			return 1;
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			return 0;
		sendto(server, "pong", 4, 0, (struct sockaddr *)&from, len);
	}
}
