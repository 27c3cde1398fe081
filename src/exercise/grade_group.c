/* grade_group.c — the exercises where several sockets share a port and
 * the kernel decides who gets a datagram: 03 multicast (each member gets
 * a copy) and 05 a SO_REUSEPORT group (each datagram goes to one member,
 * chosen by a hash of the sender's address and port). */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"
#include "i18n.h"
#include "proc/proc.h"

#define GROUP "239.1.2.3"	/* the criteria spell it out, for the translators */
#define GROUP_PORT 7000

/* Everything that arrives on s within ms, then until quiet ms pass with
 * nothing new: call got(text, arg) for each. */
static void collect(int s, int ms, int quiet, void (*got)(const char *, void *), void *arg)
{
	char buf[128];

	while (observe_recv(s, ms, buf, sizeof buf, NULL) >= 0) {
		got(buf, arg);
		ms = quiet;
	}
}

/* ---- 03: two processes, one multicast stream ------------------------------- */

#define STREAM 3

static void count_echo(const char *text, void *arg)
{
	int *echoes = arg;
	int i;

	if (sscanf(text, "m%d", &i) == 1 && i >= 1 && i <= STREAM)
		echoes[i - 1]++;
}

/* Where socket o joined GROUP, in words: "lo", another interface's name,
 * "no interface", or "unknown (why)"; *on_lo set when lo is one.  Returns
 * 1 joined somewhere, 0 nowhere, -1 unknown (the words are translated:
 * decide by this). */
static int joined_where(const struct observe_sock *o, char *buf, size_t len, int *on_lo)
{
	struct if_nameindex *ifs = if_nameindex();
	size_t at = 0;
	int unknown = 0, err = 0;

	*on_lo = 0;
	buf[0] = '\0';
	for (struct if_nameindex *i = ifs; i && i->if_index; i++) {
		int j = observe_joined(o, GROUP, i->if_index);

		if (j < 0) {
			unknown = 1;
			err = errno;
			continue;
		}
		if (!j)
			continue;
		*on_lo |= strcmp(i->if_name, "lo") == 0;
		if (at + 1 < len)
			snprintf(buf + at, len - at, "%s%s", at ? "+" : "", i->if_name);
		at = strlen(buf);
	}
	if (ifs)
		if_freenameindex(ifs);
	if (!at)
		snprintf(buf, len, unknown ? _("unknown (%s)") : _("no interface"), strerror(err));
	return at ? 1 : unknown ? -1 : 0;
}

int grade_multicast_two_receivers(const char *exe, struct exercise_result *res)
{
	static const char *const name[2] = { "A", "B" };
	static char hint2[200];
	struct ip_mreqn lo = { .imr_ifindex = (int)if_nametoindex("lo") };
	struct sockaddr_in group = { .sin_family = AF_INET, .sin_port = htons(GROUP_PORT) };
	struct observe_socks held = { .n = 0 }, after = { .n = 0 };
	int echoes[STREAM] = { 0 }, sockets, ok = 1, looked = 0;
	int member[2] = { 0, 0 }, holds[2] = { 0, 0 }, got[2] = { 0, 0 }, unknown = 0, elsewhere = 0;
	struct grader_proc p[2];
	struct grader_run run[2];
	char seen[160] = "", where[200] = "";
	unsigned char ttl = 0;
	int s = observe_socket(SOCK_DGRAM, "127.0.0.1", 0);

	inet_pton(AF_INET, GROUP, &group.sin_addr);
	if (s < 0)
		return -1;
	/* the stream goes out on lo, and stays on this host */
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo);
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
	/* A first; B once A holds the port (or gave up), so B is the one
	 * that meets a bound port */
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p[0]) < 0) {
		close(s);
		return -1;
	}
	observe_wait_count(&p[0], IPPROTO_UDP, GROUP_PORT, -1, 1, 2000);
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p[1]) < 0) {
		close(s);
		return -1;
	}
	/* both bound and joined, or one of them gave up */
	sockets = observe_wait_count(&p[1], IPPROTO_UDP, GROUP_PORT, -1, 2, 2000);
	for (int i = 0; i < 100 && observe_igmp_users("lo", GROUP) < sockets &&
	     (grader_running(&p[0]) | grader_running(&p[1])); i++)
		usleep(10000);
	usleep(20000);	/* a join may follow its bind by a moment */
	/* both stopped: who holds which socket, joined where; then the stream,
	 * and which socket's queue each copy went to */
	if (grader_running(&p[0]) | grader_running(&p[1])) {
		observe_hold(1);
		looked = observe_sockets(p, 2, IPPROTO_UDP, GROUP_PORT, &held) == 0;
	}
	/* memberships, while the instances hold still */
	for (int i = 0; looked && i < held.n; i++) {
		const struct observe_sock *o = &held.v[i];
		char at[64];
		int on_lo, joined;

		if (o->prog < 0 || o->prog > 1)
			continue;
		holds[o->prog]++;
		joined = joined_where(o, at, sizeof at, &on_lo);
		member[o->prog] |= on_lo;
		unknown += joined < 0;
		elsewhere += !on_lo && joined > 0;
		if (strlen(where) + 1 < sizeof where)
			snprintf(where + strlen(where), sizeof where - strlen(where), "%s%s fd %d: %s",
				 *where ? "; " : "", name[o->prog], o->k.fd, at);
	}
	for (int i = 1; i <= STREAM; i++) {
		char text[8];

		snprintf(text, sizeof text, "m%d", i);
		sendto(s, text, strlen(text), 0, (struct sockaddr *)&group, sizeof group);
	}
	if (looked) {
		usleep(30000);
		observe_sockets(p, 2, IPPROTO_UDP, GROUP_PORT, &after);
		observe_hold(0);
	}
	collect(s, 300, 100, count_echo, echoes);
	sendto(s, "bye", 3, 0, (struct sockaddr *)&group, sizeof group);
	grader_wait(&p[0], &run[0]);
	grader_wait(&p[1], &run[1]);
	close(s);

	for (int i = 0; i < held.n; i++)
		for (int k = 0; held.v[i].prog >= 0 && held.v[i].prog <= 1 && k < after.n; k++)
			if (after.v[k].k.inode == held.v[i].k.inode &&
			    after.v[k].k.rqueue > held.v[i].k.rqueue)
				got[held.v[i].prog] = 1;
	observe_ran_ok(&run[0], _("instance A exits with status 0 within 5 s"), &res[0]);
	observe_ran_ok(&run[1], _("instance B exits with status 0 within 5 s"), &res[1]);
	res[2].criterion = _("each instance holds its own socket on port 7000, a member of 239.1.2.3 on lo");
	res[2].ok = member[0] && member[1];
	if (!looked)
		observe_say(&res[2], "both instances had ended before the grader looked");
	else if (!res[2].ok && unknown && !elsewhere && holds[0] && holds[1]) {
		res[2].ok = res[2].skip = 1;
		observe_say(&res[2], "unknown: the memberships could not be read: %.200s", where);
	} else
		observe_say(&res[2], "%s%s%.200s", holds[0] ? "" : _("A holds no socket on it; "),
			    holds[1] ? "" : _("B holds no socket on it; "), *where ? where : _("no socket"));
	snprintf(hint2, sizeof hint2, "%s",
		 elsewhere ? _("the join went to another interface: with imr_ifindex 0 (or "
			     "imr_interface INADDR_ANY) the kernel picks the default route's; name lo") :
		 !holds[1] || !holds[0] ? _("each instance binds its own socket: the newcomer sets "
					 "SO_REUSEADDR before its bind(), the holder by then") :
		 _("each socket joins with IP_ADD_MEMBERSHIP, interface lo"));
	res[2].hint = hint2;
	res[2].lab = 11;

	res[3].criterion = _("the stream reaches both instances' sockets (their receive queues, read "
			   "while they were stopped)");
	res[3].ok = looked && got[0] && got[1];
	observe_say(&res[3], looked ? "copies queued for: A %s, B %s" : "nothing to look at: the "
		    "instances had ended", got[0] ? _("yes") : _("no"), got[1] ? _("yes") : _("no"));
	res[3].hint = _("multicast gives every member socket its own copy; a socket that is not "
		      "bound to port 7000 or whose host has no membership on lo gets none");
	res[3].lab = 11;

	for (int i = 0; i < STREAM; i++) {
		size_t at = strlen(seen);

		ok &= echoes[i] == 2;
		snprintf(seen + at, sizeof seen - at, "%sm%d: %d", i ? ", " : "", i + 1, echoes[i]);
	}
	res[4].criterion = _("each datagram of the stream is echoed twice (both processes got it)");
	res[4].ok = ok;
	observe_say(&res[4], "echoes: %s", seen);
	res[4].hint = _("each instance echoes every datagram it receives, once, to its sender");
	res[4].lab = 11;
	return 5;
}

/* ---- 05: spread datagrams over a SO_REUSEPORT group ------------------------ */

#define WORKERS 4
#define QUERIES 64
#define SPREAD_PORT 7000

struct spread {
	int label[QUERIES];		/* K of the answer "wK qN" to query N, -1 none */
	int got_by[QUERIES];		/* index of the socket whose queue took query N, -1 unknown */
	int unknown;			/* answers not of the form "wK qN" */
	int wrong_client;		/* "wK qN" arrived at another client than N's */
};

/* The receive queue of each socket in socks, now (sock_diag), by inode;
 * 0 ok, -1 the kernel could not be asked. */
static int queues_now(int nl, const struct observe_socks *socks, int *own, int nown, long *rq)
{
	struct inspect_filter f = { .protos = INSPECT_UDP, .port = SPREAD_PORT };
	struct inspect_snap snap = { 0 };

	if (inspect_query(nl, &f, &snap) < 0)
		return -1;
	for (int k = 0; k < nown; k++) {
		rq[k] = 0;
		for (size_t i = 0; i < snap.n; i++)
			if (snap.v[i].inode == socks->v[own[k]].k.inode)
				rq[k] = snap.v[i].rqueue;
	}
	inspect_free(&snap);
	return 0;
}

/* Send query q from c and find, the program stopped, the socket whose
 * queue grew: its index in own[], or -1. */
static int delivered_to(int nl, int c, int q, const struct sockaddr_in *svc,
			const struct observe_socks *socks, int *own, int nown, long *rq)
{
	long now[OBSERVE_MAX_SOCKS];
	char text[16];

	snprintf(text, sizeof text, "q%d", q);
	sendto(c, text, strlen(text), 0, (const struct sockaddr *)svc, sizeof *svc);
	for (int tries = 0; tries < 100; tries++) {
		if (queues_now(nl, socks, own, nown, now) < 0)
			return -1;
		for (int k = 0; k < nown; k++)
			if (now[k] > rq[k]) {
				memcpy(rq, now, sizeof now[0] * (size_t)nown);
				return k;
			}
		usleep(1000);
	}
	return -1;
}

int grade_reuseport_spread(const char *exe, struct exercise_result *res)
{
	static char hint2[200];
	struct sockaddr_in svc = { .sin_family = AF_INET, .sin_port = htons(SPREAD_PORT),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct observe_socks socks = { .n = 0 };
	struct spread sp;
	struct grader_proc p;
	struct grader_run run;
	int client[QUERIES], own[OBSERVE_MAX_SOCKS], nown = 0, looked = 0, answered = 0, ret = -1;
	int per_sock[OBSERVE_MAX_SOCKS] = { 0 }, busy = 0, shared = 0, unknown_flags = 0;
	int nl = -1, consistent = 1;
	char who[160] = "", fds[160] = "";

	memset(&sp, 0, sizeof sp);
	for (int i = 0; i < QUERIES; i++) {
		client[i] = -1;
		sp.label[i] = sp.got_by[i] = -1;
	}
	/* 64 clients: 64 source ports, 64 different hashes */
	for (int i = 0; i < QUERIES; i++)
		if ((client[i] = observe_socket(SOCK_DGRAM, "127.0.0.1", 0)) < 0)
			goto out;
	if ((nl = inspect_open()) < 0)
		goto out;
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		goto out;
	observe_wait_count(&p, IPPROTO_UDP, SPREAD_PORT, -1, WORKERS, 2000);
	if (grader_running(&p)) {
		long rq[OBSERVE_MAX_SOCKS];

		usleep(50000);	/* the last bind() may be a moment ahead of its loop */
		/* stopped: the kernel alone decides which socket queues each
		 * query, and nobody reads it before the grader has looked */
		observe_hold(1);
		looked = observe_sockets(&p, 1, IPPROTO_UDP, SPREAD_PORT, &socks) == 0;
		nown = observe_owned(&socks, own, OBSERVE_MAX_SOCKS);
		if (looked && queues_now(nl, &socks, own, nown, rq) == 0)
			for (int i = 0; i < QUERIES; i++)
				sp.got_by[i] = delivered_to(nl, client[i], i, &svc, &socks, own, nown, rq);
		else
			for (int i = 0; i < QUERIES; i++) {
				char q[16];

				snprintf(q, sizeof q, "q%d", i);
				sendto(client[i], q, strlen(q), 0, (struct sockaddr *)&svc, sizeof svc);
			}
		observe_hold(0);
		/* one deadline for all the answers, not one per client: resumed,
		 * four workers share the CPUs with the grader, and on a loaded
		 * machine one may not run for a while after the others */
		long until = proc_now_ms() + 3000;

		for (int i = 0; i < QUERIES; i++) {
			char buf[128];
			int w, q;
			long left = until - proc_now_ms();

			for (int ms = left > 0 ? (int)left : 0;
			     observe_recv(client[i], ms, buf, sizeof buf, NULL) >= 0; ms = 0) {
				if (sscanf(buf, "w%d q%d", &w, &q) != 2 || w < 0 || w >= WORKERS)
					sp.unknown++;
				else if (q != i)
					sp.wrong_client++;
				else if (sp.label[i] < 0)
					sp.label[i] = w;
			}
		}
		sendto(client[0], "bye", 3, 0, (struct sockaddr *)&svc, sizeof svc);
	}
	grader_wait(&p, &run);

	observe_ran_ok(&run, _("the program exits with status 0 within 5 s"), &res[0]);
	/* the program's sockets on the port, with their flags */
	for (int k = 0; k < nown; k++) {
		const struct inspect_sock *s = &socks.v[own[k]].k;
		size_t at = strlen(fds);

		shared += s->reuseport == 1;
		unknown_flags += s->reuseport < 0;
		if (at + 1 < sizeof fds)
			snprintf(fds + at, sizeof fds - at, _("%sfd %d: SO_REUSEPORT %s, SO_REUSEADDR %s"),
				 k ? "; " : "", s->fd, observe_flag(s->reuseport), observe_flag(s->reuseaddr));
	}
	res[1].criterion = _("four sockets of the program share 127.0.0.1:7000, each with SO_REUSEPORT");
	res[1].ok = nown == WORKERS && shared == WORKERS;
	if (!looked)
		observe_say(&res[1], "the program had ended before the grader looked");
	else if (nown == WORKERS && unknown_flags && shared + unknown_flags == WORKERS) {
		res[1].ok = res[1].skip = 1;
		observe_say(&res[1], "unknown: 4 sockets, flags unreadable (%s)",
			    strerror(socks.err ? socks.err : EPERM));
	} else
		observe_say(&res[1], P_("%d socket of the program on port 7000%s%.210s",
					"%d sockets of the program on port 7000%s%.210s", nown),
			    nown, nown ? ": " : "", fds);
	res[1].hint = _("four sockets, each with SO_REUSEPORT set before its bind(): with SO_REUSEADDR "
		      "they share the port, but only one of them receives unicast");
	res[1].lab = 8;

	for (int i = 0; i < QUERIES; i++)
		answered += sp.label[i] >= 0;
	res[2].criterion = _("all 64 queries are answered");
	res[2].ok = answered == QUERIES;
	observe_say(&res[2], "%d answered%s%s", answered,
		    sp.unknown ? _(" (and some answers not of the form \"wK qN\")") : "",
		    sp.wrong_client ? _(" (and some sent to another client than the query's)") : "");
	res[2].hint = _("each worker answers \"wK qN\" (K its number, 0-3) to the sender of \"qN\"");

	for (int i = 0; i < QUERIES; i++)
		if (sp.got_by[i] >= 0)
			per_sock[sp.got_by[i]]++;
	for (int k = 0; k < nown; k++) {
		size_t at = strlen(who);

		busy += per_sock[k] > 0;
		if (at + 1 < sizeof who)
			snprintf(who + at, sizeof who - at, _("%sfd %d %d"), k ? ", " : "",
				 socks.v[own[k]].k.fd, per_sock[k]);
	}
	res[3].criterion = _("the kernel spread them: each of the four sockets' receive queues took "
			   "some (read while the program was stopped)");
	res[3].ok = looked && nown == WORKERS && busy == WORKERS;
	if (looked)
		observe_say(&res[3], "queries queued per socket: %s", *who ? who : "none");
	else
		observe_say(&res[3], "the program had ended before the grader looked");
	res[3].hint = _("SO_REUSEADDR lets them share the port, but only one socket receives unicast "
		      "(lab 06); SO_REUSEPORT makes a group that the kernel spreads by flow hash");
	res[3].lab = 8;

	/* K must name the socket: one K per socket, another for each socket */
	for (int i = 0; i < QUERIES && consistent; i++)
		for (int j = 0; j < QUERIES && consistent; j++) {
			if (sp.label[i] < 0 || sp.label[j] < 0 || sp.got_by[i] < 0 || sp.got_by[j] < 0)
				continue;
			if ((sp.got_by[i] == sp.got_by[j]) != (sp.label[i] == sp.label[j])) {
				consistent = 0;
				if (sp.got_by[i] == sp.got_by[j])
					snprintf(hint2, sizeof hint2, _("q%d and q%d reached the same socket "
						 "(fd %d), but were answered as w%d and w%d"), i, j,
						 socks.v[own[sp.got_by[i]]].k.fd, sp.label[i], sp.label[j]);
				else
					snprintf(hint2, sizeof hint2, _("q%d reached fd %d and q%d fd %d, but "
						 "both were answered as w%d"), i, socks.v[own[sp.got_by[i]]].k.fd,
						 j, socks.v[own[sp.got_by[j]]].k.fd, sp.label[i]);
			}
		}
	res[4].criterion = _("each answer's K names the socket that received the query");
	res[4].ok = looked && consistent && answered > 0;
	if (!looked || !answered)
		observe_say(&res[4], "no answer to compare with the kernel's deliveries");
	else if (consistent)
		observe_say(&res[4], "every socket's queries were answered under one K of its own");
	else
		observe_say(&res[4], "%s", hint2);
	res[4].hint = _("worker K answers the queries its own socket received, with its own K");
	res[4].lab = 8;
	ret = 5;
out:
	if (nl >= 0)
		close(nl);
	for (int i = 0; i < QUERIES; i++)
		if (client[i] >= 0)
			close(client[i]);
	return ret;
}
