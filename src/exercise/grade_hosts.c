/* grade_hosts.c — the exercises on hosts: the grader builds a small
 * network in its sandbox (sandbox/net.c: hosts are network namespaces,
 * a switch a bridge), runs the program on a host, and decides from the
 * kernel of each host (sock_diag, memberships) and from the wire (a
 * packet socket on the switch's side: what each host really sent).
 *
 *   09 multicast receivers on two hosts: src 10.0.0.1 sends the stream,
 *      the program runs on h1 10.0.0.11 and h2 10.0.0.12, all on lan.
 *
 * The grader steps into a host (setns) to start a program there (a fork
 * inherits the namespace), to open a socket there, or to read its kernel
 * tables, and back out to its own. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"
#include "proc/proc.h"
#include "sandbox/sandbox.h"
#include "wire/wire.h"

#define GROUP "239.1.2.3"
#define GROUP_PORT 7000
#define STREAM 3

struct host {
	const char *name, *addr;	/* "h1", "10.0.0.11" */
	pid_t pid;			/* its keeper */
};

static int home = -1;		/* the grader's own namespace */

static int enter(const struct host *h)
{
	return sandbox_join_host(h->pid);
}

static void leave(void)
{
	if (setns(home, CLONE_NEWNET) < 0) {
		/* cannot happen for root of this namespace; the grading's
		 * next sock_diag read would say so */
	}
}

/* The switch "lan" and hosts v[0..n) on it, each with its address/24. */
static int build(struct host *v, int n)
{
	char cidr[32];

	if (home < 0 && (home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	sandbox_links_without_ipv6();
	if (sandbox_switch("lan") < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		snprintf(cidr, sizeof cidr, "%s/24", v[i].addr);
		if ((v[i].pid = sandbox_host_new()) < 0 ||
		    sandbox_plug(v[i].name, v[i].pid, 0, "lan", cidr) < 0)
			return -1;
	}
	return 0;
}

/* The program's sockets on port of proto on host h, with their owners
 * (procs[0..nprocs)): observe_sockets() in h's namespace. */
static int sockets_on(const struct host *h, struct grader_proc *procs, int nprocs,
		      uint8_t proto, uint16_t port, struct observe_socks *out)
{
	int ret, err;

	if (enter(h) < 0)
		return -1;
	ret = observe_sockets(procs, nprocs, proto, port, out);
	err = errno;
	leave();
	errno = err;
	return ret;
}

/* Start exe on host h. */
static int start_on(const struct host *h, const char *exe, struct grader_proc *p)
{
	int ret, err;

	if (enter(h) < 0)
		return -1;
	ret = grader_start(exe, GRADER_TIMEOUT_MS, p);
	err = errno;
	leave();
	errno = err;
	return ret;
}

/* Wait (up to ms, while p runs) until p holds a socket on port of
 * proto on h; 1 when it does. */
static int wait_socket(const struct host *h, struct grader_proc *p, uint8_t proto, uint16_t port,
		       int ms)
{
	long until = proc_now_ms() + ms;
	struct observe_socks s;
	int idx[1];

	for (;;) {
		if (sockets_on(h, p, 1, proto, port, &s) == 0 && observe_owned(&s, idx, 1) > 0)
			return 1;
		if (!grader_running(p) || proc_now_ms() >= until)
			return 0;
		usleep(10000);
	}
}

/* Users of GROUP on h's eth0 (/proc/net/igmp there) */
static int members_on(const struct host *h)
{
	int n;

	if (enter(h) < 0)
		return -1;
	n = observe_igmp_users("eth0", GROUP);
	leave();
	return n;
}

/* Where the program's socket on h joined GROUP: 1 on eth0, 0 not (its
 * interfaces named in where), -1 unknown */
static int joined_eth0(const struct host *h, const struct observe_sock *o, char *where, size_t len)
{
	struct if_nameindex *ifs;
	size_t at = 0;
	int on_eth0 = 0, unknown = 0;

	where[0] = '\0';
	if (enter(h) < 0)
		return -1;
	ifs = if_nameindex();
	for (struct if_nameindex *i = ifs; i && i->if_index; i++) {
		int j = observe_joined(o, GROUP, i->if_index);

		unknown |= j < 0;
		if (j <= 0)
			continue;
		on_eth0 |= strcmp(i->if_name, "eth0") == 0;
		if (at + 1 < len)
			snprintf(where + at, len - at, "%s%s", at ? "+" : "", i->if_name);
		at = strlen(where);
	}
	if (ifs)
		if_freenameindex(ifs);
	leave();
	if (!at)
		snprintf(where, len, "%s", unknown ? "unknown" : "no interface");
	return on_eth0 ? 1 : unknown && !at ? -1 : 0;
}

/* A UDP socket of the grader on host h, bound to its address, sending
 * multicast out of its eth0 with TTL 1 */
static int sender_on(const struct host *h)
{
	struct ip_mreqn dev = { .imr_ifindex = 0 };
	int s, err;

	if (enter(h) < 0)
		return -1;
	dev.imr_ifindex = (int)if_nametoindex("eth0");
	s = observe_socket(SOCK_DGRAM, h->addr, 0);
	if (s >= 0)
		setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &dev, sizeof dev);
	err = errno;
	leave();
	errno = err;
	return s;
}

/* ---- 09: multicast receivers on two hosts ------------------------------ */

/* What the wire carried: the membership reports and the echoes of each
 * receiving host (index 1 and 2 of v; 0 is the sender) */
struct seen {
	int reported[3];		/* an IGMP report for GROUP from v[i] */
	int echoes[3][STREAM];		/* m1..m3 echoed from v[i]:GROUP_PORT to v[0] */
	int frames;
};

static void read_wire(int fd, const struct host *v, struct seen *w)
{
	static struct wire_frame f[128];
	struct in_addr addr[3], group;
	int lan = (int)if_nametoindex("lan");
	size_t got;

	inet_pton(AF_INET, GROUP, &group);
	for (int i = 0; i < 3; i++)
		inet_pton(AF_INET, v[i].addr, &addr[i]);
	while ((got = wire_read(fd, f, sizeof f / sizeof f[0], NULL)) > 0) {
		for (size_t k = 0; k < got; k++) {
			struct wire_pkt p;

			if (f[k].ifindex == lan || wire_decode(&f[k], &p) < 0)
				continue;	/* the switch's own copy: a port's is kept */
			w->frames++;
			for (int i = 1; i < 3; i++) {
				if (memcmp(&p.src, &addr[i], 4) != 0)
					continue;
				if (p.kind == WIRE_IGMP && (p.type == 0x16 || p.type == 0x22) &&
				    memcmp(&p.group, &group, 4) == 0)
					w->reported[i] = 1;
				if (p.kind == WIRE_UDP && p.sport == GROUP_PORT &&
				    memcmp(&p.dst, &addr[0], 4) == 0 && p.ndata == 2 && p.data[0] == 'm' &&
				    p.data[1] >= '1' && p.data[1] < '1' + STREAM)
					w->echoes[i][p.data[1] - '1']++;
			}
		}
		if (got < sizeof f / sizeof f[0])
			break;
	}
}

int grade_multicast_hosts(const char *exe, struct exercise_result *res)
{
	static struct host v[3] = {
		{ "src", "10.0.0.1", 0 }, { "h1", "10.0.0.11", 0 }, { "h2", "10.0.0.12", 0 },
	};
	static char where_all[200], hint_where[200];
	struct sockaddr_in group = { .sin_family = AF_INET, .sin_port = htons(GROUP_PORT) };
	struct observe_socks held[3];
	struct grader_proc p[3];
	struct grader_run run[3];
	struct seen w;
	char buf[64];
	int s, wire, looked = 0, member[3] = { 0, 0, 0 }, holds[3] = { 0, 0, 0 }, lo = 0;
	int unknown = 0;

	memset(&w, 0, sizeof w);
	memset(held, 0, sizeof held);
	where_all[0] = '\0';
	inet_pton(AF_INET, GROUP, &group.sin_addr);
	if (build(v, 3) < 0)
		return -1;
	/* the wire: every port of lan, from before the programs start (their
	 * joins' reports) */
	if ((wire = wire_open()) < 0 || (s = sender_on(&v[0])) < 0)
		return -1;
	/* h1's program, then h2's, each once it holds its socket */
	for (int i = 1; i < 3; i++) {
		if (start_on(&v[i], exe, &p[i]) < 0) {
			close(s);
			return -1;
		}
		wait_socket(&v[i], &p[i], IPPROTO_UDP, GROUP_PORT, 2000);
	}
	/* and each joined (or gave up) */
	for (int t = 0; t < 100 && (members_on(&v[1]) < 1 || members_on(&v[2]) < 1) &&
	     (grader_running(&p[1]) | grader_running(&p[2])); t++)
		usleep(10000);
	usleep(20000);
	/* stopped: which socket each holds, joined where */
	if (grader_running(&p[1]) | grader_running(&p[2])) {
		observe_hold(1);
		looked = 1;
		for (int i = 1; i < 3; i++)
			sockets_on(&v[i], &p[i], 1, IPPROTO_UDP, GROUP_PORT, &held[i]);
		for (int i = 1; i < 3; i++)
			for (int k = 0; k < held[i].n; k++) {
				const struct observe_sock *o = &held[i].v[k];
				char at[64];
				int j;

				if (o->prog != 0)
					continue;
				holds[i]++;
				j = joined_eth0(&v[i], o, at, sizeof at);
				member[i] |= j == 1;
				unknown += j < 0;
				lo |= strstr(at, "lo") != NULL;
				snprintf(where_all + strlen(where_all), sizeof where_all - strlen(where_all),
					 "%s%s: %s", *where_all ? "; " : "", v[i].name, at);
			}
		observe_hold(0);
	}
	for (int i = 1; i <= STREAM; i++) {
		snprintf(buf, sizeof buf, "m%d", i);
		sendto(s, buf, strlen(buf), 0, (struct sockaddr *)&group, sizeof group);
	}
	/* the echoes come back to s; their count is the wire's to say */
	while (observe_recv(s, 300, buf, sizeof buf, NULL) >= 0)
		;
	sendto(s, "bye", 3, 0, (struct sockaddr *)&group, sizeof group);
	for (int i = 1; i < 3; i++)
		grader_wait(&p[i], &run[i]);
	close(s);
	read_wire(wire, v, &w);
	close(wire);
	for (int i = 0; i < 3; i++)
		sandbox_host_end(v[i].pid);

	observe_ran_ok(&run[1], RAN_OK("the program on h1"), &res[0]);
	observe_ran_ok(&run[2], RAN_OK("the program on h2"), &res[1]);

	res[2].criterion = "on each host the program holds a socket on port 7000, a member of "
			   GROUP " on eth0";
	res[2].ok = member[1] && member[2];
	if (!looked)
		observe_say(&res[2], "both programs had ended before the grader looked");
	else if (!res[2].ok && unknown && holds[1] && holds[2]) {
		res[2].ok = res[2].skip = 1;
		observe_say(&res[2], "unknown: the memberships could not be read: %.200s", where_all);
	} else
		observe_say(&res[2], "%s%s%.200s", holds[1] ? "" : "h1: no socket on it; ",
			    holds[2] ? "" : "h2: no socket on it; ", *where_all ? where_all : "no socket");
	snprintf(hint_where, sizeof hint_where, "%s", lo ?
		 "the join went to lo: the stream comes in on eth0, the host's link; join there "
		 "(imr_ifindex = if_nametoindex(\"eth0\"))" :
		 "bind port 7000 on 0.0.0.0 and join " GROUP " with IP_ADD_MEMBERSHIP on eth0");
	res[2].hint = hint_where;
	res[2].lab = 21;

	res[3].criterion = "each host told the link it joined: an IGMP membership report for "
			   GROUP " from 10.0.0.11 and from 10.0.0.12 on the wire";
	res[3].ok = w.reported[1] && w.reported[2];
	observe_say(&res[3], "reports seen: h1 %s, h2 %s (%d frames on lan)",
		    w.reported[1] ? "yes" : "no", w.reported[2] ? "yes" : "no", w.frames);
	res[3].hint = "a join on eth0 makes the host report it on eth0; a join elsewhere tells "
		      "another link, or none";
	res[3].lab = 21;

	{
		char seen[160] = "";
		int ok = 1;

		for (int i = 1; i < 3; i++)
			for (int m = 0; m < STREAM; m++) {
				size_t at = strlen(seen);

				ok &= w.echoes[i][m] == 1;
				snprintf(seen + at, sizeof seen - at, "%s%s m%d: %d", at ? ", " : "",
					 v[i].name, m + 1, w.echoes[i][m]);
			}
		res[4].criterion = "each datagram of the stream is echoed once from each host: the "
				   "wire carried m1..m3 from 10.0.0.11:7000 and from 10.0.0.12:7000";
		res[4].ok = ok;
		observe_say(&res[4], "echoes on the wire: %s", seen);
		res[4].hint = "a socket bound to a unicast address never gets a datagram sent to "
			      "the group (lab 22): bind 0.0.0.0:7000, echo each datagram once to "
			      "recvfrom()'s address";
		res[4].lab = 22;
	}
	return 5;
}
