/* sockmix — a process socklab did not create, holding a mix of sockets for
 * the inspector's oracle tests.  Run it inside a network namespace with lo
 * up (loopback only; it sends nothing beyond two TCP handshakes on lo).
 *
 * It prints one line per socket it owns:  INODE PROTO STATE REUSEADDR
 * REUSEPORT BROADCAST  (the flags as it set them), then "ready", and waits
 * until its stdin closes.  Ports: BASE .. BASE+9 (argv[1], default 6000). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

static int base = 6000;

static void die(const char *what)
{
	fprintf(stderr, "sockmix: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void report(int fd, const char *proto, const char *state, int ra, int rp, int bc)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat");
	printf("%lu %s %s %d %d %d\n", (unsigned long)st.st_ino, proto, state, ra, rp, bc);
}

static struct sockaddr_in v4(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A socket with options set before bind(); listen when backlog >= 0. */
static int sock(int family, int type, const void *addr, socklen_t len,
		int ra, int rp, int bc, int v6only, int backlog)
{
	int fd = socket(family, type, 0);

	if (fd < 0)
		die("socket");
	if (ra && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &ra, sizeof ra) < 0)
		die("SO_REUSEADDR");
	if (rp && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &rp, sizeof rp) < 0)
		die("SO_REUSEPORT");
	if (bc && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &bc, sizeof bc) < 0)
		die("SO_BROADCAST");
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0)
		die("IPV6_V6ONLY");
	if (bind(fd, addr, len) < 0)
		die("bind");
	if (backlog >= 0 && listen(fd, backlog) < 0)
		die("listen");
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	int fd, lst, cli, srv, tw;
	char c;

	if (argc > 1)
		base = atoi(argv[1]);

	/* two UDP sockets sharing a port with SO_REUSEADDR */
	a = v4(base);
	fd = sock(AF_INET, SOCK_DGRAM, &a, sizeof a, 1, 0, 0, 0, -1);
	report(fd, "udp", "UNCONN", 1, 0, 0);
	fd = sock(AF_INET, SOCK_DGRAM, &a, sizeof a, 1, 0, 0, 0, -1);
	report(fd, "udp", "UNCONN", 1, 0, 0);

	/* a SO_REUSEPORT group */
	a = v4(base + 1);
	fd = sock(AF_INET, SOCK_DGRAM, &a, sizeof a, 0, 1, 0, 0, -1);
	report(fd, "udp", "UNCONN", 0, 1, 0);
	fd = sock(AF_INET, SOCK_DGRAM, &a, sizeof a, 0, 1, 0, 0, -1);
	report(fd, "udp", "UNCONN", 0, 1, 0);

	/* a broadcast-capable UDP socket */
	a = v4(base + 2);
	fd = sock(AF_INET, SOCK_DGRAM, &a, sizeof a, 0, 0, 1, 0, -1);
	report(fd, "udp", "UNCONN", 0, 0, 1);

	/* TCP: a listener, an established pair, and a TIME_WAIT */
	a = v4(base + 3);
	lst = sock(AF_INET, SOCK_STREAM, &a, sizeof a, 1, 0, 0, 0, 8);
	report(lst, "tcp", "LISTEN", 1, 0, 0);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect");
	report(cli, "tcp", "ESTAB", 0, 0, 0);
	srv = accept(lst, NULL, NULL);
	if (srv < 0)
		die("accept");
	report(srv, "tcp", "ESTAB", 1, 0, 0);	/* accepted sockets inherit SO_REUSEADDR */
	tw = socket(AF_INET, SOCK_STREAM, 0);
	if (tw < 0 || connect(tw, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect");
	fd = accept(lst, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(tw);		/* the side that closes first keeps TIME_WAIT */
	close(fd);

	/* TCP bound, neither listening nor connected (ss -B) */
	a = v4(base + 4);
	fd = sock(AF_INET, SOCK_STREAM, &a, sizeof a, 0, 0, 0, 0, -1);
	report(fd, "tcp", "BOUND", 0, 0, 0);

	/* IPv6: UDP on ::1, a dual-stack TCP listener on ::, a v6only UDP on :: */
	a6.sin6_addr = in6addr_loopback;
	a6.sin6_port = htons((uint16_t)(base + 5));
	fd = sock(AF_INET6, SOCK_DGRAM, &a6, sizeof a6, 0, 0, 0, 0, -1);
	report(fd, "udp", "UNCONN", 0, 0, 0);
	a6.sin6_addr = in6addr_any;
	a6.sin6_port = htons((uint16_t)(base + 6));
	fd = sock(AF_INET6, SOCK_STREAM, &a6, sizeof a6, 1, 0, 0, 0, 8);
	report(fd, "tcp", "LISTEN", 1, 0, 0);
	a6.sin6_port = htons((uint16_t)(base + 7));
	fd = sock(AF_INET6, SOCK_DGRAM, &a6, sizeof a6, 0, 0, 0, 1, -1);
	report(fd, "udp", "UNCONN", 0, 0, 0);

	printf("ready\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	return 0;
}
