/* wrong: SO_LINGER with a zero timeout, so close() resets the connection
 * and leaves no TIME-WAIT: the restart works, by throwing away the
 * protection TIME-WAIT gives (and data still in flight)
 * fails: its connection is in TIME-WAIT on port 7100 when the second run starts
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
	struct linger abort_close = { .l_onoff = 1, .l_linger = 0 };
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	int conn;

	if (bind(listener, (struct sockaddr *)&service, sizeof service) < 0) {
		perror("bind");
		return 1;
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
	usleep(100000);	/* let "hi" arrive before the reset */
	setsockopt(conn, SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
	close(conn);
	close(listener);
	return 0;
}
