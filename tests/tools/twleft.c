/* twleft — leave TIME_WAIT sockets behind listeners with and without
 * SO_REUSEADDR, for the inspector's TIME_WAIT tests.  Run it inside a
 * network namespace with lo up (loopback only: one handshake per port).
 *
 * On 127.0.0.1:BASE a listener with SO_REUSEADDR, on BASE+1 one without,
 * on BASE+2 one with SO_REUSEPORT; each accepts one connection and closes
 * it first, so the TIME_WAIT is on the listener's port.  Before that close
 * it prints what the kernel says of the accepted connection, whose flags
 * the TIME_WAIT keeps:  PORT REUSEADDR REUSEPORT.  Then it exits; the
 * TIME_WAITs stay for 60 s (or until the namespace goes). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static void die(const char *what)
{
	fprintf(stderr, "twleft: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int flag(int fd, int opt)
{
	int v;
	socklen_t len = sizeof v;

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		die("getsockopt");
	return v != 0;
}

static void leave(int port, int reuseaddr, int reuseport)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int lst, cli, conn;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lst = socket(AF_INET, SOCK_STREAM, 0);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (lst < 0 || cli < 0)
		die("socket");
	if (setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &reuseaddr, sizeof reuseaddr) < 0 ||
	    setsockopt(lst, SOL_SOCKET, SO_REUSEPORT, &reuseport, sizeof reuseport) < 0)
		die("setsockopt");
	if (bind(lst, (struct sockaddr *)&a, sizeof a) < 0 || listen(lst, 1) < 0)
		die("bind/listen");
	if (connect(cli, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect");
	conn = accept(lst, NULL, NULL);
	if (conn < 0)
		die("accept");
	printf("%d %d %d\n", port, flag(conn, SO_REUSEADDR), flag(conn, SO_REUSEPORT));
	close(conn);		/* the active close: the TIME_WAIT is the server's */
	usleep(20000);		/* the FIN is acknowledged before the client's */
	close(cli);
	close(lst);
}

int main(int argc, char **argv)
{
	int base = argc > 1 ? atoi(argv[1]) : 6300;

	if (base < 1 || base > 65533) {
		fprintf(stderr, "twleft: BASE 1..65533\n");
		return 2;
	}
	leave(base, 1, 0);
	leave(base + 1, 0, 0);
	leave(base + 2, 0, 1);
	usleep(50000);		/* the last ACKs, on lo */
	return 0;
}
