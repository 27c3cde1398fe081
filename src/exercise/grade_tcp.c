/* grade_tcp.c — the TCP exercises: 06 restart a server while its last
 * connection is in TIME-WAIT, 07 one server for IPv4 and IPv6 clients, 08
 * more connections than ephemeral ports (IP_BIND_ADDRESS_NO_PORT).  The
 * grader is the client (or the servers); every criterion is decided by
 * what sock_diag shows, with owners and flags (observe_tcp.h): which
 * process holds a listener in which run, which families and addresses it
 * takes, which source ports the kernel gave.  What the program prints is
 * only quoted. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "graders.h"
#include "i18n.h"
#include "observe_tcp.h"

/* Fetch from ip:port while p runs (observe_fetch), retrying a refused
 * connect for up to ms (a server may still be on its way to listen()).
 * reset: the client's end is reset once it has read EOF, so the server's
 * end is gone instead of in TIME-WAIT and the same program can bind the
 * port again at once (exercise 07 runs it twice).  What the fetch gave. */
static int fetch_retry(struct grader_proc *p, const char *ip, uint16_t port, char *buf, size_t len,
		       int ms, int reset)
{
	int n = -1;

	for (int i = 0; i < ms / 10; i++) {
		n = observe_fetch(ip, port, buf, len, reset);
		if (n >= 0 || errno != ECONNREFUSED || !grader_running(p))
			break;
		usleep(10000);
	}
	return n;
}

/* res: the client at what got "hi". */
static void got_hi(struct exercise_result *res, int n, int err, const char *buf)
{
	res->ok = n >= 2 && strncmp(buf, "hi", 2) == 0;
	if (n < 0)
		observe_say(res, "connect/read: %s", strerror(err));
	else
		observe_say(res, "it read \"%.40s\"%s", buf, n ? "" : _(" (nothing, then EOF)"));
}

/* Append printf text to res->observed. */
static void say_more(struct exercise_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say_more(struct exercise_result *res, const char *fmt, ...)
{
	size_t at = strlen(res->observed);
	va_list ap;

	if (at + 1 >= sizeof res->observed)
		return;
	va_start(ap, fmt);
	vsnprintf(res->observed + at, sizeof res->observed - at, fmt, ap);
	va_end(ap);
}

/* "127.0.0.1:7100 (pid 3)" of a row, in buf.  (Not its command: the
 * grader runs every program as /proc/self/fd/3, so comm says "3".) */
static const char *row_text(char *buf, size_t len, const struct inspect_sock *s)
{
	char addr[INET6_ADDRSTRLEN + 16];

	inspect_format_sock(addr, sizeof addr, s, 0);
	if (s->pid > 0)
		snprintf(buf, len, _("%s (pid %d)"), addr, s->pid);
	else
		snprintf(buf, len, _("%s (owner unknown)"), addr);
	return buf;
}

/* ---- who listens on a port, in which run --------------------------------- */

/* What a look at the listeners of port found, for the run whose group is
 * run (0: none; every listener is another's). */
struct listening {
	uint16_t port;
	pid_t run;
	int found;			/* a listener of the run's */
	struct inspect_sock mine;	/* that one, with its flags */
	int others;			/* listeners of anyone else */
	struct inspect_sock other;	/* the first of them */
	int elsewhere;			/* the run listens on another port */
	struct inspect_sock away;	/* the first of those */
	int owners_err, flags_err;
};

static int listening_look(void *arg)
{
	struct listening *l = arg;
	struct inspect_filter f = { .states = 1U << TCP_LISTEN };	/* the sandbox has few */
	struct observe_tcp_view v;

	l->found = l->others = 0;	/* elsewhere stays: the run may be gone at the last look */
	if (observe_tcp_look(&f, &v) == 0) {
		l->owners_err = v.owners_err;
		l->flags_err = v.flags_err;
		for (size_t i = 0; i < v.snap.n; i++) {
			const struct inspect_sock *s = &v.snap.v[i];
			pid_t g = s->pid > 0 ? observe_tcp_pgrp(&v, s->pid) : -1;

			if (s->lport != l->port) {
				if (l->run > 0 && g == l->run && !l->elsewhere++)
					l->away = *s;
				continue;
			}
			if (l->run > 0 && g == l->run) {
				l->mine = *s;
				l->found = 1;
			} else if (l->others++ == 0) {
				l->other = *s;
			}
		}
	} else {
		l->owners_err = errno;
	}
	observe_tcp_free(&v);
	return l->found;
}

/* ---- 06: restart a TCP server during TIME-WAIT ----------------------------- */

#define RESTART_PORT 7100

/* res (the second run listens, and did not): why, from what the kernel
 * held: the first run's listener's flags, which its connection, now in
 * TIME-WAIT, inherited. */
static void restart_why(struct exercise_result *res, const struct listening *first, int tw)
{
	const struct inspect_sock *l = &first->mine;

	res->hint = _("set SO_REUSEADDR on the listening socket before bind(), in every run: the "
		    "TIME-WAIT a run leaves carries its listener's flag, and the next run's "
		    "bind() shares the port only when both have it");
	if (!tw) {
		observe_say(res, "no listener on 7100 within 2 s");
		return;
	}
	if (!first->found) {
		observe_say(res, "no listener on 7100 within 2 s (the first run's listener was "
			    "not seen: its flags are unknown)");
		return;
	}
	if (l->reuseaddr < 0) {
		observe_say(res, "no listener on 7100 within 2 s; the first run's listener's flags "
			    "are unknown (%s): if SO_REUSEADDR was off, its TIME-WAIT has it off and "
			    "no second socket shares; if on, the second lacked it at bind()",
			    strerror(first->flags_err ? first->flags_err : EPERM));
		return;
	}
	if (l->reuseaddr == 0 && l->reuseport == 0) {
		observe_say(res, "no listener on 7100 within 2 s: the first run's listener had "
			    "SO_REUSEADDR off (kernel), so its TIME-WAIT inherited off, and no flag of "
			    "the second run alone shares the port");
		res->hint = _("a TIME-WAIT carries the flag of the listener it came from: set "
			    "SO_REUSEADDR before bind() in every run, the first one too (set only "
			    "after a failed bind(), it is too late)");
		return;
	}
	observe_say(res, "no listener on 7100 within 2 s: the first run's listener had "
		    "SO_REUSEADDR %s, SO_REUSEPORT %s (kernel), and so its TIME-WAIT: the second "
		    "run's socket lacked %s when it called bind()",
		    observe_flag(l->reuseaddr), observe_flag(l->reuseport),
		    l->reuseaddr > 0 ? "SO_REUSEADDR" : "SO_REUSEPORT");
	res->hint = _("the kernel decides at bind(): set the flag before bind(), not after");
}

int grade_tcp_restart(const char *exe, struct exercise_result *res)
{
	struct grader_proc p;
	struct grader_run run[2];
	struct listening on[2], left = { .port = RESTART_PORT };
	char buf[2][64] = { "", "" }, row[128];
	int n[2], err[2], tw = 0;

	for (int r = 0; r < 2; r++) {
		if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
			return -1;
		/* the run's own listener, while it waits in accept() */
		on[r] = (struct listening){ .port = RESTART_PORT, .run = p.pid };
		grader_wait_for(&p, listening_look, &on[r], 2000);
		n[r] = fetch_retry(&p, "127.0.0.1", RESTART_PORT, buf[r], sizeof buf[r], 500, 0);
		err[r] = errno;
		grader_wait(&p, &run[r]);
		if (r)
			break;
		/* the server closed first, so its side of the connection waits */
		for (int i = 0; i < 50 &&
		     (tw = observe_count(IPPROTO_TCP, RESTART_PORT, TCP_TIME_WAIT)) < 1; i++)
			usleep(10000);
		/* the first run is gone, killed with its group: what listens now
		 * left that group (setsid) */
		listening_look(&left);
	}
	observe_ran_ok(&run[0], _("the first run exits with status 0 within 5 s"), &res[0]);
	res[1].criterion = _("the first run's client reads \"hi\"");
	got_hi(&res[1], n[0], err[0], buf[0]);
	res[1].hint = _("accept(), write \"hi\\n\", close() the connection, then exit");
	res[2].criterion = _("its connection is in TIME-WAIT on port 7100 when the second run starts");
	res[2].ok = tw >= 1;
	observe_say(&res[2], P_("%d TIME-WAIT socket on port 7100", "%d TIME-WAIT sockets on port 7100",
				tw), tw);
	res[2].hint = _("the server closes first (that side keeps TIME-WAIT), with a normal close(): "
		      "no SO_LINGER reset; the grader closes only after reading EOF");
	res[2].lab = 14;

	res[3].criterion = _("nothing of the first run listens on 7100 once it has exited");
	res[3].ok = left.others == 0;
	if (left.others == 0)
		observe_say(&res[3], "no listener on 7100");
	else
		observe_say(&res[3], "%s still listens%s", row_text(row, sizeof row, &left.other),
			    left.other.pid > 0 ? _(": a process that left the first run's group "
			    "(setsid), so it was not stopped with it") : "");
	if (left.others && left.other.pid <= 0 && left.owners_err)
		say_more(&res[3], _(" (owners unreadable: %s)"), strerror(left.owners_err));
	res[3].hint = _("a restart is a new process: leave no child behind that keeps the listener "
		      "(it would serve the next run's clients while the next run's bind() fails)");

	res[4].criterion = _("the second run listens on 7100 at once (its own process, not a leftover)");
	res[4].ok = on[1].found && on[1].others == 0;
	res[4].lab = 14;
	if (on[1].found) {
		observe_say(&res[4], "%s listens, SO_REUSEADDR %s, SO_REUSEPORT %s",
			    row_text(row, sizeof row, &on[1].mine), observe_flag(on[1].mine.reuseaddr),
			    observe_flag(on[1].mine.reuseport));
		if (on[1].others)
			say_more(&res[4], _("; and so does %s, not of the second run"),
				 row_text(row, sizeof row, &on[1].other));
		res[4].hint = _("one listener, the second run's own");
	} else if (on[1].others && on[1].other.pid > 0) {
		observe_say(&res[4], "the second run holds no listener; %s listens there instead: %s",
			    row_text(row, sizeof row, &on[1].other),
			    left.others && on[1].other.inode == left.other.inode ?
			    _("the first run's leftover, not a process of the second run") :
			    _("not a process of the second run's group"));
		res[4].hint = _("the second run must bind 7100 itself: set SO_REUSEADDR before bind()");
	} else if (on[1].others) {
		/* a listener whose owner could not be read: the grader cannot
		 * say whose it is */
		res[4].skip = res[4].ok = 1;
		observe_say(&res[4], "%s listens, owner unknown (%s)",
			    row_text(row, sizeof row, &on[1].other), on[1].owners_err ?
			    strerror(on[1].owners_err) : _("no process of the grading holds it"));
	} else {
		restart_why(&res[4], &on[0], tw);
		if (on[1].elsewhere)
			say_more(&res[4], _("; it listens on %s instead"),
				 row_text(row, sizeof row, &on[1].away));
	}
	res[5].criterion = _("the second run's client reads \"hi\"");
	got_hi(&res[5], n[1], err[1], buf[1]);
	res[5].hint = _("the second run serves its client as the first did");
	res[5].lab = 14;
	observe_ran_ok(&run[1], _("the second run exits with status 0 within 5 s"), &res[6]);
	res[6].lab = 14;
	return 7;
}

/* ---- 07: one server for IPv4 and IPv6 clients ------------------------------ */

#define DUAL_PORT 7200
#define DUAL_SEEN 8	/* listeners remembered */

/* Every listener seen in the sandbox during a run (the program is alone
 * there), by inode. */
struct dual_seen {
	struct inspect_sock v[DUAL_SEEN];
	int n;
};

static void dual_look(struct dual_seen *d)
{
	struct inspect_filter f = { .states = 1U << TCP_LISTEN };
	struct observe_tcp_view v;

	if (observe_tcp_look(&f, &v) == 0)
		for (size_t i = 0; i < v.snap.n; i++) {
			int k;

			for (k = 0; k < d->n && d->v[k].inode != v.snap.v[i].inode; k++)
				;
			if (k == d->n && d->n < DUAL_SEEN)
				d->v[d->n++] = v.snap.v[i];
		}
	observe_tcp_free(&v);
}

/* The listeners seen, as ss shows them, with IPV6_V6ONLY. */
static void dual_list(struct exercise_result *res, const struct dual_seen *d)
{
	if (d->n == 0)
		say_more(res, _("no listener"));
	for (int i = 0; i < d->n; i++) {
		char addr[INET6_ADDRSTRLEN + 16];

		inspect_format_sock(addr, sizeof addr, &d->v[i], 0);
		say_more(res, "%s%s%s", i ? ", " : "", addr,
			 d->v[i].family == AF_INET6 ? d->v[i].v6only ? " (IPV6_V6ONLY 1)" :
			 " (IPV6_V6ONLY 0)" : "");
	}
}

/* net.ipv6.bindv6only of the sandbox: the default of IPV6_V6ONLY.  0 or
 * -1 with errno. */
static int set_bindv6only(int on)
{
	int fd = open("/proc/sys/net/ipv6/bindv6only", O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/* One run: both clients, and the listeners seen.  -1 when it could not
 * start. */
struct dual_run {
	char b4[64], b6[64];
	int n4, n6, e4, e6;
	struct dual_seen seen;
	struct grader_run run;
};

static int dual_run(const char *exe, int timeout_ms, struct dual_run *d)
{
	struct grader_proc p;
	struct listening l = { .port = DUAL_PORT };

	memset(d, 0, sizeof *d);
	if (grader_start(exe, timeout_ms, &p) < 0)
		return -1;
	l.run = p.pid;
	grader_wait_for(&p, listening_look, &l, 2000);
	/* before each client: a second listener may come a moment later */
	dual_look(&d->seen);
	d->n4 = fetch_retry(&p, "127.0.0.1", DUAL_PORT, d->b4, sizeof d->b4, 500, 1);
	d->e4 = errno;
	dual_look(&d->seen);
	d->n6 = fetch_retry(&p, "::1", DUAL_PORT, d->b6, sizeof d->b6, 500, 1);
	d->e6 = errno;
	grader_wait(&p, &d->run);
	return 0;
}

static int hi(int n, const char *buf)
{
	return n >= 2 && strncmp(buf, "hi", 2) == 0;
}

int grade_dual_stack(const char *exe, struct exercise_result *res)
{
	struct dual_run a, b;
	int any4 = 0, any6 = 0, stray = 0, v6err = 0;

	/* the Linux default first, said explicitly: the sandbox is new */
	if (set_bindv6only(0) < 0)
		v6err = errno;
	if (dual_run(exe, GRADER_TIMEOUT_MS, &a) < 0)
		return -1;
	observe_ran_ok(&a.run, _("the program exits with status 0 within 5 s"), &res[0]);
	res[1].criterion = _("an IPv4 client (127.0.0.1:7200) reads \"hi\"");
	got_hi(&res[1], a.n4, a.e4, a.b4);
	res[1].hint = _("an AF_INET6 socket on [::]:7200 with IPV6_V6ONLY 0 takes IPv4 too "
		      "(as ::ffff:127.0.0.1)");
	res[1].lab = 16;
	res[2].criterion = _("an IPv6 client ([::1]:7200) reads \"hi\"");
	got_hi(&res[2], a.n6, a.e6, a.b6);
	res[2].hint = _("0.0.0.0:7200 and a dual-stack [::]:7200 collide (EADDRINUSE): use one "
		      "dual-stack socket, or set IPV6_V6ONLY on the IPv6 one");
	res[2].lab = 16;
	for (int i = 0; i < 3; i++)
		if (!res[i].ok && i) {
			say_more(&res[i], _("; listening: "));
			dual_list(&res[i], &a.seen);
		}

	/* what the kernel held: the wildcards of both families on 7200 */
	for (int i = 0; i < a.seen.n; i++) {
		const struct inspect_sock *s = &a.seen.v[i];
		int wild = IN6_IS_ADDR_UNSPECIFIED(&s->laddr);

		if (s->lport != DUAL_PORT) {
			stray++;
			continue;
		}
		any4 |= wild && (s->family == AF_INET || !s->v6only);
		any6 |= wild && s->family == AF_INET6;
	}
	res[3].criterion = _("the listeners take every address of both families (0.0.0.0 and [::], "
			   "or one dual-stack [::])");
	res[3].ok = any4 && any6;
	observe_say(&res[3], "listening: ");
	dual_list(&res[3], &a.seen);
	res[3].hint = _("a service is for every address of the machine, not only loopback: bind "
		      "the wildcards, 0.0.0.0 and [::]");
	res[3].lab = 16;
	res[4].criterion = _("every listening socket of the program is on port 7200");
	res[4].ok = a.seen.n > 0 && stray == 0;
	observe_say(&res[4], "listening: ");
	dual_list(&res[4], &a.seen);
	res[4].hint = _("check every bind(): listen() on a socket whose bind() failed gives it a "
		      "random port of its own");
	res[4].lab = 16;
	if (a.seen.n == 0) {	/* nothing to judge: the clients' criteria say why */
		res[3].skip = res[4].skip = 1;
		observe_say(&res[3], "nothing listened");
		observe_say(&res[4], "nothing listened");
	}

	res[5].criterion = _("with net.ipv6.bindv6only = 1 too (the default of some systems), both "
			   "clients read \"hi\" and it exits 0");
	res[5].hint = _("say IPV6_V6ONLY explicitly on every AF_INET6 listener: its default is the "
		      "sysctl net.ipv6.bindv6only, which is not 0 everywhere");
	res[5].lab = 16;
	if (v6err || set_bindv6only(1) < 0) {
		res[5].skip = res[5].ok = 1;
		observe_say(&res[5], "net.ipv6.bindv6only cannot be set here (%s)",
			    strerror(v6err ? v6err : errno));
		return 6;
	}
	if (!res[0].ok || !res[1].ok || !res[2].ok) {
		res[5].skip = 1;	/* and not ok: the program failed already */
		observe_say(&res[5], "not run: it must serve both clients with bindv6only = 0 first");
		return 6;
	}
	/* a correct program is done in a moment; one that waits for a client
	 * that was refused is worth 3 more seconds at most */
	if (dual_run(exe, 3000, &b) < 0)
		return -1;
	res[5].ok = hi(b.n4, b.b4) && hi(b.n6, b.b6) && b.run.exited && b.run.status == 0;
	observe_say(&res[5], "IPv4: %s; IPv6: %s; ", hi(b.n4, b.b4) ? "\"hi\"" :
		    b.n4 < 0 ? strerror(b.e4) : "no \"hi\"", hi(b.n6, b.b6) ? "\"hi\"" :
		    b.n6 < 0 ? strerror(b.e6) : "no \"hi\"");
	if (b.run.timed_out)
		say_more(&res[5], _("still running after 3 s; "));
	else if (!b.run.exited || b.run.status)
		say_more(&res[5], _("exit status %d; "), b.run.status);
	say_more(&res[5], _("listening: "));
	dual_list(&res[5], &b.seen);
	return 6;
}

/* ---- 08: more connections than ephemeral ports ----------------------------- */

#define SERVERS 2
#define PER_SERVER 4
#define EXHAUST_PORT 7300
#define CONN_MAX (SERVERS * PER_SERVER * 2)

/* How many of the accepted connections are still open at the program's
 * end: ESTABLISHED here, as TCP_INFO reports it (once the program closes
 * its end, or exits, ours is CLOSE-WAIT). */
static int exhaust_open(const int *conn, int n)
{
	int open = 0;

	for (int i = 0; i < n; i++) {
		struct tcp_info ti;
		socklen_t len = sizeof ti;

		if (getsockopt(conn[i], IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
		    ti.tcpi_state == TCP_ESTABLISHED)
			open++;
	}
	return open;
}

/* The sandbox's ip_local_port_range, as the kernel reads it back. */
static int port_range(unsigned *lo, unsigned *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	int ok;

	if (f == NULL)
		return -1;
	ok = fscanf(f, "%u %u", lo, hi) == 2;
	fclose(f);
	return ok ? 0 : -1;
}

int grade_no_port_exhaustion(const char *exe, struct exercise_result *res)
{
	int lsn[SERVERS] = { -1, -1 }, conn[CONN_MAX], nconn = 0;
	int per[SERVERS] = { 0, 0 }, from_two = 0, ret = -1, fd, open_now;
	unsigned ports[CONN_MAX], distinct = 0, lo = 0, hi = 0, outside = 0, first_out = 0;
	char other[INET6_ADDRSTRLEN] = "";
	struct grader_proc p;
	struct grader_run run;

	/* four ephemeral ports in this sandbox, as in lab 18 */
	if ((fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	if (write(fd, "40000 40003", 11) != 11) {
		close(fd);
		return -1;
	}
	close(fd);
	if (port_range(&lo, &hi) < 0)
		return -1;
	for (int i = 0; i < SERVERS; i++)
		if ((lsn[i] = observe_socket(SOCK_STREAM, "127.0.0.1", EXHAUST_PORT + i)) < 0)
			goto out;
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		goto out;
	/* hold every connection until all are there: they must coexist */
	for (;;) {
		struct pollfd pf[SERVERS] = { { lsn[0], POLLIN, 0 }, { lsn[1], POLLIN, 0 } };
		int running = grader_running(&p);

		poll(pf, SERVERS, running ? 20 : 0);
		for (int i = 0; i < SERVERS; i++) {
			struct sockaddr_in peer;
			socklen_t len = sizeof peer;
			int c;

			while (nconn < CONN_MAX &&
			       (c = accept4(lsn[i], (struct sockaddr *)&peer, &len, SOCK_CLOEXEC)) >= 0) {
				unsigned port = ntohs(peer.sin_port);
				int seen = 0;

				conn[nconn] = c;
				ports[nconn++] = port;
				per[i]++;
				if (peer.sin_addr.s_addr == htonl(0x7f000002))
					from_two++;
				else if (!other[0])
					inet_ntop(AF_INET, &peer.sin_addr, other, sizeof other);
				if (port < lo || port > hi) {
					if (!outside++)
						first_out = port;
				}
				for (int k = 0; k < nconn - 1; k++)
					seen |= ports[k] == port;
				distinct += !seen;
				len = sizeof peer;
			}
		}
		if (!running || nconn >= SERVERS * PER_SERVER)
			break;
	}
	/* all there (or the program gave up): which are still open at the
	 * program's end, before we let them go */
	open_now = exhaust_open(conn, nconn);
	for (int i = 0; i < nconn; i++)
		close(conn[i]);
	grader_wait(&p, &run);

	observe_ran_ok(&run, _("the program exits with status 0 within 5 s"), &res[0]);
	res[1].criterion = _("four connections reach each server at once (8 over 4 ephemeral ports)");
	res[1].ok = per[0] == PER_SERVER && per[1] == PER_SERVER;
	observe_say(&res[1], P_("%d on :7300, %d on :7301, from %u source port",
				"%d on :7300, %d on :7301, from %u source ports", distinct),
		    per[0], per[1], distinct);
	res[1].hint = _("bind(127.0.0.2, port 0) picks a port before connect() knows the destination, "
		      "so four binds use up four ports; with IP_BIND_ADDRESS_NO_PORT set, connect() "
		      "picks, and may reuse a port toward another server");
	res[1].lab = 18;

	res[2].criterion = _("eight connections from the program are open at the same time");
	res[2].ok = open_now >= SERVERS * PER_SERVER;
	observe_say(&res[2], "%d of the %d connections still open at the program's end when the "
		    "last one came (TCP_INFO: ESTABLISHED; the others CLOSE-WAIT: it closed them, or exited)",
		    open_now, nconn);
	res[2].hint = _("keep each connection open until the server closes it (read() returns 0): "
		      "a proxy holds its back-end connections, and then it runs out");

	res[3].criterion = _("every connection comes from 127.0.0.2");
	res[3].ok = nconn > 0 && from_two == nconn;
	if (other[0])
		observe_say(&res[3], "%d of %d from 127.0.0.2; one from %s", from_two, nconn, other);
	else
		observe_say(&res[3], "%d of %d from 127.0.0.2", from_two, nconn);
	res[3].hint = _("bind() each socket to 127.0.0.2, port 0, before connect()");

	res[4].criterion = _("every source port is one of ip_local_port_range");
	res[4].ok = nconn > 0 && outside == 0;
	if (outside)
		observe_say(&res[4], "%u of %d from ports outside %u-%u (the first: %u)", outside,
			    nconn, lo, hi, first_out);
	else {
		char conns[64];

		snprintf(conns, sizeof conns, P_("%d connection", "%d connections", nconn), nconn);
		observe_say(&res[4], P_("%s from %u distinct port, all in %u-%u",
					"%s from %u distinct ports, all in %u-%u", distinct),
			    conns, distinct, lo, hi);
	}
	res[4].hint = _("let the kernel choose the port (port 0, IP_BIND_ADDRESS_NO_PORT): a port "
		      "picked by hand may be another program's, and outside the range nobody "
		      "keeps them apart");
	res[4].lab = 18;
	ret = 5;
out:
	for (int i = 0; i < SERVERS; i++)
		if (lsn[i] >= 0)
			close(lsn[i]);
	return ret;
}
