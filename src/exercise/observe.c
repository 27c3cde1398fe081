/* observe.c — what the graders share: the kernel's view of the sandbox
 * (sock_diag, /proc/net/igmp), the grader's own sockets, and the
 * wording of "did it run". */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"
#include "inspect/inspect.h"

void observe_say(struct exercise_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->observed, sizeof res->observed, fmt, ap);
	va_end(ap);
}

void observe_ran_ok(const struct grader_run *r, const char *criterion, struct exercise_result *res)
{
	res->criterion = criterion;
	res->ok = r->exited && r->status == 0;
	if (r->timed_out)
		observe_say(res, "still running after %d s: killed", GRADER_TIMEOUT_MS / 1000);
	else if (!r->exited)
		observe_say(res, "killed by signal %d (%s)", r->signal, strsignal(r->signal));
	else
		observe_say(res, "exit status %d%s%.120s", r->status,
			    r->output_len ? "; it said: " : "", r->output);
	/* its words on one line */
	for (char *p = res->observed; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	for (size_t n = strlen(res->observed); n && res->observed[n - 1] == ' '; n--)
		res->observed[n - 1] = '\0';
	res->hint = r->exited && !r->timed_out ? "it stopped with an error: read what it said" :
		    "it must finish by itself: no endless loop, no crash";
}

int observe_count(uint8_t proto, uint16_t port, int state)
{
	struct inspect_filter f = { .protos = proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP,
				    .port = port };
	static int nl = -1;	/* one, for the grading: the waits poll every 10 ms */
	struct inspect_snap snap = { 0 };
	int n = 0;

	if (nl < 0 && (nl = inspect_open()) < 0)
		return -1;
	if (state >= 0)
		f.states = 1U << state;
	if (inspect_query(nl, &f, &snap) < 0) {
		int err = errno;

		close(nl);	/* the next count starts on a fresh socket */
		nl = -1;
		errno = err;
		return -1;
	}
	for (size_t i = 0; i < snap.n; i++)
		n += snap.v[i].lport == port;	/* the filter also lets peer ports through */
	inspect_free(&snap);
	return n;
}

struct count_arg {
	uint8_t proto;
	uint16_t port;
	int state, want, last;
};

static int count_reached(void *arg)
{
	struct count_arg *c = arg;

	c->last = observe_count(c->proto, c->port, c->state);
	return c->last >= c->want;
}

int observe_wait_count(struct grader_proc *p, uint8_t proto, uint16_t port, int state,
		       int want, int ms)
{
	struct count_arg c = { proto, port, state, want, 0 };

	grader_wait_for(p, count_reached, &c, ms);
	return c.last;
}

int observe_igmp_users(const char *ifname, const char *group)
{
	struct inspect_groups g = { 0 };
	struct in_addr want;
	int users = 0;

	if (inet_pton(AF_INET, group, &want) != 1 || inspect_igmp(0, &g) < 0)
		return -1;
	for (size_t i = 0; i < g.n; i++)
		if (g.v[i].family == AF_INET && strcmp(g.v[i].ifname, ifname) == 0 &&
		    memcmp(&g.v[i].group, &want, sizeof want) == 0)
			users += (int)g.v[i].users;
	inspect_groups_free(&g);
	return users;
}

/* ip:port into *ss; its length, or 0 when ip is no literal. */
static socklen_t sockaddr_of(const char *ip, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, ip, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		return sizeof *in;
	}
	if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof *in6;
	}
	errno = EINVAL;
	return 0;
}

int observe_socket(int type, const char *ip, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(ip, port, &ss);
	int s, on = 1;

	if (len == 0)
		return -1;
	s = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	/* the grader's listeners may follow one another on a port */
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (ss.ss_family == AF_INET6)
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&ss, len) < 0 ||
	    (type == SOCK_STREAM && listen(s, 64) < 0)) {
		int err = errno;

		close(s);
		errno = err;
		return -1;
	}
	return s;
}

int observe_fetch(const char *ip, uint16_t port, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t alen = sockaddr_of(ip, port, &ss);
	struct timeval tv = { 2, 0 };
	size_t got = 0;
	int s, err;

	if (alen == 0)
		return -1;
	if ((s = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(s, (struct sockaddr *)&ss, alen) < 0)
		goto fail;
	while (got + 1 < len) {
		ssize_t n = read(s, buf + got, len - 1 - got);

		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(s);	/* after the server's close: its side keeps the TIME-WAIT */
	return (int)got;
fail:
	err = errno;
	close(s);
	errno = err;
	return -1;
}

ssize_t observe_recv(int s, int ms, char *buf, size_t len, unsigned *port)
{
	struct sockaddr_storage from;
	socklen_t flen = sizeof from;
	struct pollfd p = { .fd = s, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	n = recvfrom(s, buf, len - 1, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (port)
		*port = from.ss_family == AF_INET6 ?
			ntohs(((const struct sockaddr_in6 *)&from)->sin6_port) :
			ntohs(((const struct sockaddr_in *)&from)->sin_port);
	return n;
}
