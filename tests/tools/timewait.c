/* timewait — TIME_WAIT states as a restarted TCP server leaves them, and a
 * plain bind to test them with: the kernel's side of tests/cli/why.bats.
 * Run it in a network namespace with lo up (it connects to itself only).
 *
 *   timewait make ADDR PORT FLAGS [N]
 *       a listener on ADDR:PORT with FLAGS accepts N connections (default
 *       1) from loopback, and the server closes each first, then the
 *       client, then the listener: N TIME_WAIT sockets on PORT, each with
 *       the SO_REUSEADDR/SO_REUSEPORT its accepted socket inherited from
 *       the listener.  Waits until /proc/net/tcp{,6} shows them; prints
 *       "timewait PORT N" and exits 0, or 1 when they did not appear.
 *   timewait bind ADDR PORT FLAGS [listen]
 *       socket(), FLAGS, bind() (and listen()), close(): prints "ok" or
 *       the errno's name (EADDRINUSE) of the call that failed; exit 0.
 *
 * ADDR is 127.0.0.1, 0.0.0.0, ::1 or :: (IPv6 sockets are dual-stack);
 * FLAGS is "-", "ra", "rp" or "ra+rp" (set before bind).  Exit 2 on bad
 * usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static int family, port, ra, rp;
static struct sockaddr_storage addr;
static socklen_t addrlen;

static int usage(void)
{
	fprintf(stderr, "usage: timewait make ADDR PORT -|ra|rp|ra+rp [N]\n"
			"       timewait bind ADDR PORT -|ra|rp|ra+rp [listen]\n");
	return 2;
}

static int parse(const char *a, const char *p, const char *f)
{
	char *end;
	long v = strtol(p, &end, 10);

	if (*end || v < 1 || v > 65535)
		return -1;
	port = (int)v;
	memset(&addr, 0, sizeof addr);
	if (strchr(a, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&addr;

		family = AF_INET6;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, a, &s6->sin6_addr) != 1)
			return -1;
		addrlen = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&addr;

		family = AF_INET;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, a, &s4->sin_addr) != 1)
			return -1;
		addrlen = sizeof *s4;
	}
	if (strcmp(f, "-") == 0)
		ra = rp = 0;
	else if (strcmp(f, "ra") == 0)
		ra = 1, rp = 0;
	else if (strcmp(f, "rp") == 0)
		ra = 0, rp = 1;
	else if (strcmp(f, "ra+rp") == 0)
		ra = rp = 1;
	else
		return -1;
	return 0;
}

/* socket() with the flags set, bound; -1 and errno from the call that failed */
static int bound(int type)
{
	int fd = socket(family, type, 0), off = 0, err;

	if (fd < 0)
		return -1;
	if ((ra && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &ra, sizeof ra) < 0) ||
	    (rp && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &rp, sizeof rp) < 0) ||
	    (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0) ||
	    bind(fd, (struct sockaddr *)&addr, addrlen) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* TIME_WAIT rows (state 06) with local port PORT in /proc/net/tcp and tcp6 */
static int count_tw(void)
{
	const char *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	int n = 0;

	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		char line[512], local[64];
		unsigned st;

		if (!f)
			continue;
		while (fgets(line, sizeof line, f)) {
			char *colon;

			if (sscanf(line, " %*d: %63s %*s %x", local, &st) != 2)
				continue;
			colon = strrchr(local, ':');
			if (colon && strtol(colon + 1, NULL, 16) == port && st == 6)
				n++;
		}
		fclose(f);
	}
	return n;
}

static int make(int n)
{
	struct sockaddr_storage to = addr;
	int l = bound(SOCK_STREAM);

	if (l < 0 || listen(l, n) < 0) {
		perror("timewait: listener");
		return 1;
	}
	/* a wildcard listener: connect to loopback of its family */
	if (family == AF_INET && ((struct sockaddr_in *)&to)->sin_addr.s_addr == 0)
		((struct sockaddr_in *)&to)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&to)->sin6_addr))
		((struct sockaddr_in6 *)&to)->sin6_addr = in6addr_loopback;
	for (int i = 0; i < n; i++) {
		int c = socket(family, SOCK_STREAM, 0), s;
		char b;

		if (c < 0 || connect(c, (struct sockaddr *)&to, addrlen) < 0 ||
		    (s = accept(l, NULL, NULL)) < 0) {
			perror("timewait: connection");
			return 1;
		}
		/* the server closes first: the TIME_WAIT stays on its side,
		 * on PORT; the client reads the FIN, then closes */
		close(s);
		if (read(c, &b, 1) != 0) {
			fprintf(stderr, "timewait: expected EOF\n");
			return 1;
		}
		close(c);
	}
	close(l);
	for (int t = 0; t < 200; t++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (count_tw() >= n) {
			printf("timewait %d %d\n", port, n);
			return 0;
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "timewait: no TIME_WAIT on port %d\n", port);
	return 1;
}

static int try_bind(int do_listen)
{
	int fd = bound(SOCK_STREAM);

	if (fd >= 0 && do_listen && listen(fd, 1) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		fd = -1;
	}
	if (fd < 0) {
		const char *name = strerrorname_np(errno);

		printf("%s\n", name ? name : "error");
		return 0;
	}
	close(fd);
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 6 || parse(argv[2], argv[3], argv[4]) < 0)
		return usage();
	if (strcmp(argv[1], "make") == 0) {
		long n = argc == 6 ? strtol(argv[5], NULL, 10) : 1;

		if (n < 1 || n > 64)
			return usage();
		return make((int)n);
	}
	if (strcmp(argv[1], "bind") == 0) {
		if (argc == 6 && strcmp(argv[5], "listen") != 0)
			return usage();
		return try_bind(argc == 6);
	}
	return usage();
}
