/* wrong: when 7100 is taken, listen on 7101 instead: the server runs,
 * but no client knows 7101
 * fails: the second run listens on 7100 at once
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall */
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

	if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0) {
		service.sin_port = htons(7101);
		if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0) {
			perror("bind 7101");
			return 1;
		}
	}
	if (listen(listener, 8) < 0) {
		perror("listen");
		return 1;
	}
	/* serve whoever comes, but give up after a while */
	struct timeval tv = { 1, 0 };
	setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	conn = accept(listener, NULL, NULL);
	if (conn >= 0) {
		if (write(conn, "hi\n", 3) != 3)
			perror("write");
		close(conn);
	}
	close(listener);
	return 0;
}
