/* grade_tcp.c — the TCP exercises: 06 restart a server while its last
 * connection is in TIME-WAIT, 07 one server for IPv4 and IPv6 clients, 08
 * more connections than ephemeral ports (IP_BIND_ADDRESS_NO_PORT).  The
 * grader is the client (or the servers) and asks sock_diag what states
 * the kernel holds. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "graders.h"

/* Fetch from ip:port while p runs, retrying a refused connect for up to
 * 2 s (a server may still be on its way to listen()).  What fetch gave. */
static int fetch_retry(struct grader_proc *p, const char *ip, uint16_t port, char *buf, size_t len)
{
	int n = -1;

	for (int i = 0; i < 200; i++) {
		n = observe_fetch(ip, port, buf, len);
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
		observe_say(res, "it read \"%.40s\"%s", buf, n ? "" : " (nothing, then EOF)");
}

/* ---- 06: restart a TCP server during TIME-WAIT ----------------------------- */

#define RESTART_PORT 7100

int grade_tcp_restart(const char *exe, struct exercise_result *res)
{
	struct grader_proc p;
	struct grader_run run[2];
	char buf[2][64] = { "", "" };
	int n[2], err[2], tw = 0;

	for (int r = 0; r < 2; r++) {
		if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
			return -1;
		observe_wait_count(&p, IPPROTO_TCP, RESTART_PORT, TCP_LISTEN, 1, 2000);
		n[r] = fetch_retry(&p, "127.0.0.1", RESTART_PORT, buf[r], sizeof buf[r]);
		err[r] = errno;
		grader_wait(&p, &run[r]);
		/* the server closed first, so its side of the connection waits */
		for (int i = 0; r == 0 && i < 50 &&
		     (tw = observe_count(IPPROTO_TCP, RESTART_PORT, TCP_TIME_WAIT)) < 1; i++)
			usleep(10000);
	}
	observe_ran_ok(&run[0], RAN_OK("the first run"), &res[0]);
	res[1].criterion = "the first run's client reads \"hi\"";
	got_hi(&res[1], n[0], err[0], buf[0]);
	res[1].hint = "accept(), write \"hi\\n\", close() the connection, then exit";
	res[2].criterion = "its connection is in TIME-WAIT on port 7100 when the second run starts";
	res[2].ok = tw >= 1;
	observe_say(&res[2], "%d TIME-WAIT socket%s on port 7100", tw, tw == 1 ? "" : "s");
	res[2].hint = "the server closes first (that side keeps TIME-WAIT); the grader closes "
		      "only after reading EOF";
	res[2].lab = 14;
	res[3].criterion = "the second run listens on 7100 at once and its client reads \"hi\"";
	got_hi(&res[3], n[1], err[1], buf[1]);
	res[3].hint = "set SO_REUSEADDR on the listening socket before bind(): it lets bind() "
		      "succeed while old connections on the port are in TIME-WAIT";
	res[3].lab = 14;
	observe_ran_ok(&run[1], RAN_OK("the second run"), &res[4]);
	res[4].lab = 14;
	return 5;
}

/* ---- 07: one server for IPv4 and IPv6 clients ------------------------------ */

#define DUAL_PORT 7200

int grade_dual_stack(const char *exe, struct exercise_result *res)
{
	struct grader_proc p;
	struct grader_run run;
	char b4[64] = "", b6[64] = "";
	int n4, n6, e4, e6;

	if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		return -1;
	observe_wait_count(&p, IPPROTO_TCP, DUAL_PORT, TCP_LISTEN, 1, 2000);
	n4 = fetch_retry(&p, "127.0.0.1", DUAL_PORT, b4, sizeof b4);
	e4 = errno;
	n6 = fetch_retry(&p, "::1", DUAL_PORT, b6, sizeof b6);
	e6 = errno;
	grader_wait(&p, &run);

	observe_ran_ok(&run, RAN_OK("the program"), &res[0]);
	res[1].criterion = "an IPv4 client (127.0.0.1:7200) reads \"hi\"";
	got_hi(&res[1], n4, e4, b4);
	res[1].hint = "an AF_INET6 socket on [::]:7200 with IPV6_V6ONLY 0 takes IPv4 too "
		      "(as ::ffff:127.0.0.1)";
	res[1].lab = 16;
	res[2].criterion = "an IPv6 client ([::1]:7200) reads \"hi\"";
	got_hi(&res[2], n6, e6, b6);
	res[2].hint = "0.0.0.0:7200 and a dual-stack [::]:7200 collide (EADDRINUSE): use one "
		      "dual-stack socket, or set IPV6_V6ONLY on the IPv6 one";
	res[2].lab = 16;
	return 3;
}

/* ---- 08: more connections than ephemeral ports ----------------------------- */

#define SERVERS 2
#define PER_SERVER 4
#define EXHAUST_PORT 7300

int grade_no_port_exhaustion(const char *exe, struct exercise_result *res)
{
	int lsn[SERVERS] = { -1, -1 }, conn[SERVERS * PER_SERVER * 2], nconn = 0;
	int per[SERVERS] = { 0, 0 }, from_two = 0, ret = -1, fd;
	unsigned ports[SERVERS * PER_SERVER * 2], distinct = 0;
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

			while (nconn < (int)(sizeof conn / sizeof conn[0]) &&
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
				for (int k = 0; k < nconn - 1; k++)
					seen |= ports[k] == port;
				distinct += !seen;
				len = sizeof peer;
			}
		}
		if (!running || nconn >= SERVERS * PER_SERVER)
			break;
	}
	/* all there (or the program gave up): let them go */
	for (int i = 0; i < nconn; i++)
		close(conn[i]);
	grader_wait(&p, &run);

	observe_ran_ok(&run, RAN_OK("the program"), &res[0]);
	res[1].criterion = "four connections reach each server at once (8 over 4 ephemeral ports)";
	res[1].ok = per[0] == PER_SERVER && per[1] == PER_SERVER;
	observe_say(&res[1], "%d on :7300, %d on :7301, from %u source port%s", per[0], per[1],
		    distinct, distinct == 1 ? "" : "s");
	res[1].hint = "bind(127.0.0.2, port 0) picks a port before connect() knows the destination, "
		      "so four binds use up four ports; with IP_BIND_ADDRESS_NO_PORT set, connect() "
		      "picks, and may reuse a port toward another server";
	res[1].lab = 18;
	res[2].criterion = "every connection comes from 127.0.0.2";
	res[2].ok = nconn > 0 && from_two == nconn;
	if (other[0])
		observe_say(&res[2], "%d of %d from 127.0.0.2; one from %s", from_two, nconn, other);
	else
		observe_say(&res[2], "%d of %d from 127.0.0.2", from_two, nconn);
	res[2].hint = "bind() each socket to 127.0.0.2, port 0, before connect()";
	ret = 3;
out:
	for (int i = 0; i < SERVERS; i++)
		if (lsn[i] >= 0)
			close(lsn[i]);
	return ret;
}
