/* grade_hosts.c — the exercises on hosts: the grader builds a small
 * network in its sandbox (sandbox/net.c: hosts are network namespaces,
 * a switch a bridge), runs the program on a host, and decides from the
 * kernel of each host (sock_diag, memberships) and from the wire (a
 * packet socket on the switch's side: what each host really sent).
 *
 *   09 multicast receivers on two hosts: src 10.0.0.1 sends the stream,
 *      the program runs on h1 10.0.0.11 and h2 10.0.0.12, all on lan.
 *   10 a P2P node behind a NAT router: the program on alice 10.0.0.2,
 *      r 10.0.0.1 | 10.1.0.1 masquerades, the tracker 10.1.0.2 and a
 *      peer 10.1.0.3 on wan.
 *
 * The grader steps into a host (setns) to start a program there (a fork
 * inherits the namespace), to open a socket there, or to read its kernel
 * tables, and back out to its own. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"
#include "i18n.h"
#include "proc/proc.h"
#include "sandbox/sandbox.h"
#include "wire/wire.h"

#define GROUP "239.1.2.3"	/* the criteria spell it out, for the translators */
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

/* Switch sw and hosts v[0..n) on it, each with its address/24 on eth0
 * (a host made already, pid set, gets eth1 there instead). */
static int build(const char *sw, struct host *v, int n)
{
	char cidr[32];

	if (home < 0 && (home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	sandbox_links_without_ipv6();
	if (sandbox_switch(sw) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		int again = v[i].pid > 0;

		snprintf(cidr, sizeof cidr, "%s/24", v[i].addr);
		if ((!again && (v[i].pid = sandbox_host_new()) < 0) ||
		    sandbox_plug(v[i].name, v[i].pid, again, sw, cidr) < 0)
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
		snprintf(where, len, "%s", unknown ? _("unknown") : _("no interface"));
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
	if (build("lan", v, 3) < 0)
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

	observe_ran_ok(&run[1], _("the program on h1 exits with status 0 within 5 s"), &res[0]);
	observe_ran_ok(&run[2], _("the program on h2 exits with status 0 within 5 s"), &res[1]);

	res[2].criterion = _("on each host the program holds a socket on port 7000, a member of "
			     "239.1.2.3 on eth0");
	res[2].ok = member[1] && member[2];
	if (!looked)
		observe_say(&res[2], "both programs had ended before the grader looked");
	else if (!res[2].ok && unknown && holds[1] && holds[2]) {
		res[2].ok = res[2].skip = 1;
		observe_say(&res[2], "unknown: the memberships could not be read: %.200s", where_all);
	} else
		observe_say(&res[2], "%s%s%.200s", holds[1] ? "" : _("h1: no socket on it; "),
			    holds[2] ? "" : _("h2: no socket on it; "), *where_all ? where_all : _("no socket"));
	snprintf(hint_where, sizeof hint_where, "%s", lo ?
		 _("the join went to lo: the stream comes in on eth0, the host's link; join there "
		 "(imr_ifindex = if_nametoindex(\"eth0\"))") :
		 _("bind port 7000 on 0.0.0.0 and join 239.1.2.3 with IP_ADD_MEMBERSHIP on eth0"));
	res[2].hint = hint_where;
	res[2].lab = 21;

	res[3].criterion = _("each host told the link it joined: an IGMP membership report for "
			     "239.1.2.3 from 10.0.0.11 and from 10.0.0.12 on the wire");
	res[3].ok = w.reported[1] && w.reported[2];
	observe_say(&res[3], "reports seen: h1 %s, h2 %s (%d frames on lan)",
		    w.reported[1] ? _("yes") : _("no"), w.reported[2] ? _("yes") : _("no"), w.frames);
	res[3].hint = _("a join on eth0 makes the host report it on eth0; a join elsewhere tells "
		      "another link, or none");
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
		res[4].criterion = _("each datagram of the stream is echoed once from each host: the "
				   "wire carried m1..m3 from 10.0.0.11:7000 and from 10.0.0.12:7000");
		res[4].ok = ok;
		observe_say(&res[4], "echoes on the wire: %s", seen);
		res[4].hint = !(w.reported[1] && w.reported[2]) ?
			      _("a host that did not join on eth0 is not sent the stream: join there "
			      "first (criterion above)") :
			      _("joined, and still nothing? A socket bound to the host's own address "
			      "does not take what is sent to the group (lab 22 shows it for a "
			      "broadcast): bind 0.0.0.0:7000, and echo each datagram once to "
			      "recvfrom()'s address");
		res[4].lab = w.reported[1] && w.reported[2] ? 22 : 21;
	}
	return 5;
}

/* ---- 10: a P2P node behind a NAT router keeps one port ----------------- */

#define NODE_PORT 6881
#define TRACKER_PORT 6969

/* One datagram on s within ms: its text in buf, its sender in *from. */
static ssize_t recv_from(int s, int ms, char *buf, size_t len, struct sockaddr_in *from)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	socklen_t flen = sizeof *from;
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	n = recvfrom(s, buf, len - 1, MSG_DONTWAIT, (struct sockaddr *)from, &flen);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* A UDP socket of the grader on host h, bound to its address:port */
static int socket_on(const struct host *h, uint16_t port)
{
	int s, err;

	if (enter(h) < 0)
		return -1;
	s = observe_socket(SOCK_DGRAM, h->addr, port);
	err = errno;
	leave();
	errno = err;
	return s;
}

/* The UDP source ports of what alice sent, as her port of lan received
 * it (before the router): every one of them into ports[], at most max */
static int sent_ports(int fd, const char *alice, unsigned *ports, int max)
{
	static struct wire_frame f[128];
	int port = (int)if_nametoindex("alice-eth0"), n = 0;
	struct in_addr a;
	size_t got;

	inet_pton(AF_INET, alice, &a);
	while ((got = wire_read(fd, f, sizeof f / sizeof f[0], NULL)) > 0) {
		for (size_t k = 0; k < got; k++) {
			struct wire_pkt p;

			if (f[k].ifindex != port || wire_decode(&f[k], &p) < 0 ||
			    p.kind != WIRE_UDP || memcmp(&p.src, &a, 4) != 0)
				continue;
			if (n < max)
				ports[n++] = p.sport;
		}
		if (got < sizeof f / sizeof f[0])
			break;
	}
	return n;
}

int grade_p2p_one_port(const char *exe, struct exercise_result *res)
{
	static struct host lan[2] = { { "alice", "10.0.0.2", 0 }, { "r", "10.0.0.1", 0 } };
	static struct host wan[3] = {
		{ "r", "10.1.0.1", 0 }, { "tracker", "10.1.0.2", 0 }, { "peer", "10.1.0.3", 0 },
	};
	static char words[4][160];
	struct sockaddr_in from, seen_tracker = { 0 }, seen_peer = { 0 };
	struct observe_socks held = { .n = 0 };
	struct grader_proc p;
	struct grader_run run;
	unsigned ports[64];
	char buf[128];
	int ts = -1, ps = -1, wire, looked = 0, nsock = 0, bound = 0, thanked = 0, nports, from_node;
	int idx[OBSERVE_MAX_SOCKS];

	if (build("lan", lan, 2) < 0)
		return -1;
	wan[0].pid = lan[1].pid;	/* r: its second interface, on wan */
	if (build("wan", wan, 3) < 0 ||
	    sandbox_sh_at(lan[0].pid, "ip route add default via 10.0.0.1") < 0)
		return -1;
	if (sandbox_nat(lan[1].pid, "eth1") < 0) {
		/* the machine's, not the student's: "Package not installed" */
		errno = errno == ENOENT ? ENOPKG : errno;
		return -1;
	}
	if ((wire = wire_open()) < 0 || (ts = socket_on(&wan[1], TRACKER_PORT)) < 0 ||
	    (ps = socket_on(&wan[2], NODE_PORT)) < 0)
		return -1;
	if (start_on(&lan[0], exe, &p) < 0)
		return -1;

	/* the announce: where did the tracker see it come from? */
	if (recv_from(ts, 3000, buf, sizeof buf, &from) >= 0 && strcmp(buf, "announce") == 0) {
		seen_tracker = from;
		/* the node waits for the answer: its sockets, held still */
		if (grader_running(&p)) {
			observe_hold(1);
			looked = sockets_on(&lan[0], &p, 1, IPPROTO_UDP, 0, &held) == 0;
			observe_hold(0);
		}
		snprintf(buf, sizeof buf, "peer 10.1.0.3 %d", NODE_PORT);
		sendto(ts, buf, strlen(buf), 0, (struct sockaddr *)&from, sizeof from);
	}
	nsock = looked ? observe_owned(&held, idx, OBSERVE_MAX_SOCKS) : 0;
	for (int i = 0; i < nsock; i++)
		bound += held.v[idx[i]].k.lport == NODE_PORT;
	/* the node's hello to the peer; the peer's welcome; the node's thanks */
	if (recv_from(ps, 2000, buf, sizeof buf, &from) >= 0 && strcmp(buf, "hello") == 0) {
		seen_peer = from;
		sendto(ps, "welcome", 7, 0, (struct sockaddr *)&from, sizeof from);
		while (recv_from(ps, 2000, buf, sizeof buf, &from) >= 0)
			if (strcmp(buf, "thanks") == 0) {
				thanked = 1;
				break;
			}
	}
	grader_wait(&p, &run);
	close(ts);
	close(ps);
	nports = sent_ports(wire, lan[0].addr, ports, 64);
	close(wire);
	for (int i = 0; i < 2; i++)
		sandbox_host_end(lan[i].pid);
	for (int i = 1; i < 3; i++)
		sandbox_host_end(wan[i].pid);

	observe_ran_ok(&run, _("the program exits with status 0 within 5 s"), &res[0]);

	res[1].criterion = _("the program holds one UDP socket, bound to port 6881 (while it "
			   "waits for the tracker)");
	res[1].ok = looked && nsock == 1 && bound == 1;
	if (!looked)
		observe_say(&res[1], "the program had %s before the tracker heard from it",
			    grader_running(&p) ? _("not announced") : _("ended"));
	else {
		size_t at = 0;

		words[0][0] = '\0';
		for (int i = 0; i < nsock && at + 1 < sizeof words[0]; i++) {
			char a[64];

			inspect_format_addr(a, sizeof a, held.v[idx[i]].k.family, &held.v[idx[i]].k.laddr,
					    held.v[idx[i]].k.lport);
			snprintf(words[0] + at, sizeof words[0] - at, "%s%s", i ? ", " : "", a);
			at = strlen(words[0]);
		}
		observe_say(&res[1], P_("%d UDP socket: %s", "%d UDP sockets: %s", nsock), nsock,
			    nsock ? words[0] : _("none"));
	}
	res[1].hint = _("one socket both ways: the node's own socket on 6881 sends too; a second "
		      "socket sharing the port (SO_REUSEADDR) splits what comes back (labs 07, 19)");
	res[1].lab = 19;

	res[2].criterion = _("the tracker saw the announce come from port 6881 (the router's "
			   "10.1.0.1:6881)");
	res[2].ok = seen_tracker.sin_port == htons(NODE_PORT);
	if (seen_tracker.sin_family)
		observe_say(&res[2], "the tracker saw %s:%d", inet_ntoa(seen_tracker.sin_addr),
			    ntohs(seen_tracker.sin_port));
	else
		observe_say(&res[2], "no announce reached the tracker within 3 s");
	res[2].hint = _("a peer answers the source port it saw, and tells others that port: send "
		      "from the socket bound to 6881, not from one of its own (lab 20)");
	res[2].lab = 20;

	res[3].criterion = _("the peer got hello from the address and port the tracker saw");
	res[3].ok = seen_peer.sin_family && seen_tracker.sin_family &&
		    seen_peer.sin_port == seen_tracker.sin_port &&
		    seen_peer.sin_addr.s_addr == seen_tracker.sin_addr.s_addr;
	if (seen_peer.sin_family) {
		snprintf(words[1], sizeof words[1], "%s", inet_ntoa(seen_tracker.sin_addr));
		observe_say(&res[3], "the peer saw %s:%d, the tracker %s:%d",
			    inet_ntoa(seen_peer.sin_addr), ntohs(seen_peer.sin_port), words[1],
			    ntohs(seen_tracker.sin_port));
	} else
		observe_say(&res[3], "no hello reached the peer within 2 s");
	res[3].hint = _("read the tracker's answer \"peer ADDR PORT\" and send hello there, from "
		      "the same socket");
	res[3].lab = 20;

	res[4].criterion = _("the peer's welcome reached the program: it answered thanks");
	res[4].ok = thanked;
	observe_say(&res[4], "%s", thanked ? _("thanks came back") :
		    seen_peer.sin_family ? _("no thanks within 2 s of the welcome") : _("no hello, no welcome"));
	res[4].hint = _("the welcome comes back to the port the hello left from: read it on that "
		      "socket and answer \"thanks\"");
	res[4].lab = 20;

	from_node = 1;
	words[2][0] = '\0';
	for (int i = 0; i < nports; i++) {
		size_t at = strlen(words[2]);

		from_node &= ports[i] == NODE_PORT;
		if (at + 8 < sizeof words[2])
			snprintf(words[2] + at, sizeof words[2] - at, "%s%u", i ? ", " : "", ports[i]);
	}
	res[5].criterion = _("every datagram the program sent left alice from port 6881 (the wire "
			   "on alice's link)");
	res[5].ok = nports > 0 && from_node;
	if (nports)
		observe_say(&res[5], P_("%d datagram, from port %s", "%d datagrams, from ports %s",
					nports), nports, words[2]);
	else
		observe_say(&res[5], "no datagram from alice on the wire");
	res[5].hint = _("one socket, bound before the first send: every datagram then leaves from "
		      "its port");
	res[5].lab = 20;
	return 6;
}
