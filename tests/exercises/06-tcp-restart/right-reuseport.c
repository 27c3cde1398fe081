/* right: SO_REUSEPORT on the listener before bind(), in every run, instead
 * of SO_REUSEADDR: the TIME-WAIT inherits it from the listener, and a
 * newcomer with SO_REUSEPORT may bind over a TIME-WAIT that has it too. */
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
	int conn, on = 1;

	setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
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
	close(conn);	/* the server closes first: its side goes to TIME-WAIT */
	close(listener);
	return 0;
}
