/* wrong: bind() fails during TIME-WAIT, so set SO_REUSEADDR and retry:
 * the TIME-WAIT inherited the first run's listener's flag (off), and no
 * flag set now on the newcomer can share with it
 * fails: the second run listens on 7100 at once
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall */
#include <arpa/inet.h>
#include <errno.h>
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
	int conn, on = 1;

	if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0) {
		if (errno != EADDRINUSE) {
			perror("bind");
			return 1;
		}
		/* "address in use: that's what SO_REUSEADDR is for" */
		setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0) {
			perror("bind again, with SO_REUSEADDR");
			return 1;
		}
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
	close(conn);
	close(listener);
	return 0;
}
