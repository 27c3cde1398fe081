/* wrong: no SO_REUSEADDR; the first run leaves a setsid() child behind
 * that keeps the listener and serves the second run's client too, while
 * the second run's own bind() fails and it exits 0 anyway
 * fails: the second run listens on 7100 at once (its own process, not a leftover)
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

	if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0)
		return errno == EADDRINUSE ? 0 : 1;	/* "already running: fine" */
	if (listen(listener, 8) < 0)
		return 1;
	if (fork() == 0) {
		setsid();	/* a daemon: out of the caller's group */
		for (int i = 0; i < 2; i++) {
			int conn = accept(listener, NULL, NULL);

			if (conn < 0)
				return 1;
			if (write(conn, "hi\n", 3) != 3)
				perror("write");
			close(conn);
		}
		return 0;
	}
	close(listener);
	return 0;
}
