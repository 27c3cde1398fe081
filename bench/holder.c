/* holder.c — hold many loopback sockets open, for bench/inspect.sh.
 *
 *   holder [-u FIRST:COUNT] [-t FIRST:COUNT] [-b PORT_BASE] [-w WIDTH]
 *          [-p PORT [-e]]
 *
 * Socket number i (UDP or TCP alike) is bound to
 *     127.0.0.2 + i / WIDTH   port  PORT_BASE + i % WIDTH
 * so every socket of a benchmark has an address:port of its own, chosen
 * explicitly (never port 0, never the ephemeral range when the caller
 * keeps PORT_BASE + WIDTH below it).  -u binds COUNT UDP sockets numbered
 * FIRST.., -t opens COUNT TCP listeners numbered FIRST.. (each number
 * space starts at 0 and is the caller's to keep apart).  -p PORT adds two
 * UDP sockets on 127.0.0.2:PORT and 127.0.0.3:PORT, the only two of the
 * run on that port, after all the others (-e: before them).
 *
 * Only 127.0.0.0/8 is ever bound, and nothing is sent.  The soft limit on
 * descriptors is raised to the hard one; if the sockets asked for do not
 * fit, the holder says so and exits 1 before binding anything.
 *
 * When every socket is bound it writes "ready COUNT" and a newline to
 * stdout, then sleeps until stdin reaches end of file, or SIGTERM, or its
 * parent dies (PR_SET_PDEATHSIG).  Any failure: one line on stderr, exit 1,
 * and "ready" is never written. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define FIRST_ADDR 0x7f000002u	/* 127.0.0.2 */

static unsigned port_base = 10000, width = 20000;

static void die(const char *what)
{
	fprintf(stderr, "holder: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: holder [-u FIRST:COUNT] [-t FIRST:COUNT] "
		"[-b PORT_BASE] [-w WIDTH] [-p PORT [-e]]\n");
	exit(2);
}

static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || *s == '-')
		usage();
	return v;
}

static void range(const char *s, unsigned long *first, unsigned long *count)
{
	char buf[64], *colon;

	if (strlen(s) >= sizeof buf)
		usage();
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (!colon)
		usage();
	*colon = '\0';
	*first = number(buf, 1000000);
	*count = number(colon + 1, 1000000);
}

/* Bind one socket of type type to host-order address addr, port port. */
static void bind_one(int type, uint32_t addr, unsigned port)
{
	struct sockaddr_in a;
	char what[96];
	int fd;

	/* loopback only, whatever the arguments */
	if ((addr >> 24) != 127 || port == 0 || port > 65535) {
		errno = EINVAL;
		snprintf(what, sizeof what, "refusing %u.%u.%u.%u:%u",
			 addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255,
			 addr & 255, port);
		die(what);
	}
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(addr);
	a.sin_port = htons((uint16_t)port);
	snprintf(what, sizeof what, "%s %u.%u.%u.%u:%u",
		 type == SOCK_DGRAM ? "udp" : "tcp", addr >> 24,
		 (addr >> 16) & 255, (addr >> 8) & 255, addr & 255, port);
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die(what);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die(what);
	if (type == SOCK_STREAM && listen(fd, 1) < 0)
		die(what);
}

static void bind_range(int type, unsigned long first, unsigned long count)
{
	for (unsigned long i = first; i < first + count; i++)
		bind_one(type, FIRST_ADDR + (uint32_t)(i / width),
			 port_base + (unsigned)(i % width));
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long ufirst = 0, ucount = 0, tfirst = 0, tcount = 0;
	unsigned long total;
	unsigned special = 0;
	int early = 0, c;
	struct rlimit rl;
	struct sigaction sa;
	char buf[64];
	pid_t parent = getppid();

	while ((c = getopt(argc, argv, "u:t:b:w:p:e")) != -1) {
		switch (c) {
		case 'u': range(optarg, &ufirst, &ucount); break;
		case 't': range(optarg, &tfirst, &tcount); break;
		case 'b': port_base = (unsigned)number(optarg, 65535); break;
		case 'w': width = (unsigned)number(optarg, 65535); break;
		case 'p': special = (unsigned)number(optarg, 65535); break;
		case 'e': early = 1; break;
		default: usage();
		}
	}
	if (optind != argc || width == 0 || port_base == 0 ||
	    port_base + width - 1 > 65535 || (special && special >= port_base))
		usage();
	total = ucount + tcount + (special ? 2 : 0);

	/* die with the script that started us, even on SIGKILL */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
		die("prctl(PR_SET_PDEATHSIG)");
	if (getppid() != parent)
		return 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit(RLIMIT_NOFILE)");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit(RLIMIT_NOFILE)");
	if (rl.rlim_cur != RLIM_INFINITY && total + 16 > rl.rlim_cur) {
		fprintf(stderr, "holder: %lu sockets do not fit under the "
			"descriptor limit %llu\n", total,
			(unsigned long long)rl.rlim_cur);
		return 1;
	}

	if (special && early) {
		bind_one(SOCK_DGRAM, FIRST_ADDR, special);
		bind_one(SOCK_DGRAM, FIRST_ADDR + 1, special);
	}
	bind_range(SOCK_DGRAM, ufirst, ucount);
	bind_range(SOCK_STREAM, tfirst, tcount);
	if (special && !early) {
		bind_one(SOCK_DGRAM, FIRST_ADDR, special);
		bind_one(SOCK_DGRAM, FIRST_ADDR + 1, special);
	}

	printf("ready %lu\n", total);
	if (fflush(stdout) == EOF)
		die("write ready");
	fclose(stdout);

	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);

		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			die("read stdin");
	}
}
