/* grade_udp.c — the unicast UDP exercises: 01 send from a fixed port, 02
 * two sockets on one port, 04 the story done safely (one socket for both
 * directions).  Every criterion is decided from the kernel: what arrived
 * at the grader's sockets and from which port (recvfrom's address), which
 * sockets the program holds at the same time and with which flags
 * (sock_diag, pidfd_getfd; observe_sockets), and which socket's queue a
 * datagram went to while the program is stopped (observe_hold).  The
 * program's printout is only ever quoted, never believed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"
#include "i18n.h"
#include "proc/proc.h"

/* Send text from s to 127.0.0.1:port. */
static void send_to(int s, const char *text, uint16_t port)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	sendto(s, text, strlen(text), 0, (struct sockaddr *)&to, sizeof to);
}

/* "127.0.0.1:5000 (fd 4: SO_REUSEADDR on, SO_REUSEPORT off)" */
static void describe(char *buf, size_t len, const struct observe_sock *o)
{
	char addr[64];

	inspect_format_sock(addr, sizeof addr, &o->k, 0);
	snprintf(buf, len, "%s (fd %d: SO_REUSEADDR %s, SO_REUSEPORT %s)", addr, o->k.fd,
		 observe_flag(o->k.reuseaddr), observe_flag(o->k.reuseport));
}

/* The program's sockets in socks, described one after another into buf. */
static void describe_owned(char *buf, size_t len, const struct observe_socks *socks)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < socks->n && at + 1 < len; i++) {
		if (socks->v[i].prog < 0)
			continue;
		if (at)
			at += (size_t)snprintf(buf + at, len - at, "; ");
		if (at < len)
			describe(buf + at, len - at, &socks->v[i]);
		at = strlen(buf);
	}
}

/* ---- 01: send from a fixed port ------------------------------------------- */

int grade_fixed_source_port(const char *exe, struct exercise_result *res)
{
	static char hint[200];
	struct grader_run run;
	char buf[64], words[120];
	unsigned port = 0, other_port = 0;
	int s = observe_socket(SOCK_DGRAM, "127.0.0.1", 6000), more = 0, from5000 = 0;
	ssize_t n = -1, m, other_len = 0;

	if (s < 0 || grader_exec(exe, GRADER_TIMEOUT_MS, &run) < 0)
		goto fail;
	observe_ran_ok(&run, _("the program exits with status 0 within 5 s"), &res[0]);
	observe_words(&run, words, sizeof words);
	/* every datagram that came: the kernel's queue, with each sender's port */
	while ((m = observe_recv(s, 0, buf, sizeof buf, &port)) >= 0) {
		if (n < 0 && m == 5 && memcmp(buf, "hello", 5) == 0) {
			n = m;
			from5000 = port == 5000;
			other_port = port;
		} else {
			if (!more++)
				other_len = m;
			if (n < 0 && !other_port)
				other_port = port;
		}
	}
	close(s);
	res[1].criterion = _("a datagram \"hello\" arrives at 127.0.0.1:6000");
	res[1].ok = n == 5;
	if (n < 0 && more)
		observe_say(&res[1], P_("%d datagram arrived, none of them the 5 bytes \"hello\" (the "
					"first: %zd bytes)%s%.100s",
					"%d datagrams arrived, none of them the 5 bytes \"hello\" (the "
					"first: %zd bytes)%s%.100s", more), more, other_len,
			    *words ? _("; it said: ") : "", words);
	else if (n < 0)
		observe_say(&res[1], "nothing arrived%s%.160s", *words ? _("; it said: ") : "", words);
	else
		observe_say(&res[1], "\"hello\" arrived");
	res[1].hint = _("sendto() \"hello\" (5 bytes: strlen, not sizeof, which counts the NUL) to "
		      "127.0.0.1:6000");
	res[2].criterion = _("it comes from port 5000");
	res[2].ok = n >= 0 && from5000;
	if (n >= 0)
		observe_say(&res[2], "it came from 127.0.0.1:%u%s%.150s", other_port,
			    *words ? _("; it said: ") : "", words);
	else if (more)
		observe_say(&res[2], "no \"hello\" to look at (the datagram that came was from "
			    "127.0.0.1:%u)", other_port);
	else
		observe_say(&res[2], "no datagram to look at");
	snprintf(hint, sizeof hint, "%s",
		 n >= 0 && !from5000 && strstr(words, "nvalid argument") ?
		 _("the socket had a port already when bind() ran (EINVAL): its first sendto() "
		 "or connect() bound it to an ephemeral port, so bind() before them") :
		 _("bind() the socket that sends to port 5000 before its first sendto() (or "
		 "connect()), and check what bind() returns: the first send binds a port the "
		 "kernel picks"));
	res[2].hint = hint;
	res[2].lab = 2;
	return 3;
fail:
	if (s >= 0)
		close(s);
	return -1;
}

/* ---- 02: two sockets, one UDP port ----------------------------------------- */

struct two_seen {
	int s;
	int seen[2];
	unsigned port[2];
};

static int two_arrived(void *arg)
{
	static const char *const want[2] = { "one", "two" };
	struct two_seen *t = arg;
	char buf[64];
	unsigned from;

	while (observe_recv(t->s, 0, buf, sizeof buf, &from) >= 0)
		for (int i = 0; i < 2; i++)
			if (!t->seen[i] && strcmp(buf, want[i]) == 0)
				t->seen[i] = 1, t->port[i] = from;
	return t->seen[0] && t->seen[1];
}

int grade_two_sockets_one_port(const char *exe, struct exercise_result *res)
{
	static const char *const want[2] = { "one", "two" };
	static char hint[2][200], hint2[240];
	struct two_seen t = { .s = observe_socket(SOCK_DGRAM, "127.0.0.1", 6000) };
	struct observe_socks socks = { .n = 0 };
	struct grader_proc p;
	struct grader_run run;
	char words[120], seen[200];
	int looked = 0, owned = 0, idx[OBSERVE_MAX_SOCKS], sharing = 0;

	if (t.s < 0 || grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		goto fail;
	grader_wait_for(&p, two_arrived, &t, 2000);
	/* both have arrived (or it gave up): which sockets hold port 5000 now,
	 * the program stopped while the kernel is asked */
	if (grader_running(&p)) {
		observe_hold(1);
		looked = observe_sockets(&p, 1, IPPROTO_UDP, 5000, &socks) == 0;
		observe_hold(0);
		send_to(t.s, "bye", 5000);
	}
	grader_wait(&p, &run);
	two_arrived(&t);
	close(t.s);

	observe_ran_ok(&run, _("the program exits with status 0 within 5 s"), &res[0]);
	observe_words(&run, words, sizeof words);
	for (int i = 0; i < 2; i++) {
		struct exercise_result *r = &res[1 + i];

		r->criterion = i ? _("\"two\" arrives at 127.0.0.1:6000 from port 5000") :
				   _("\"one\" arrives at 127.0.0.1:6000 from port 5000");
		r->ok = t.seen[i] && t.port[i] == 5000;
		if (!t.seen[i])
			observe_say(r, "\"%s\" never arrived%s%.160s", want[i], *words ? _("; it said: ") : "",
				    words);
		else
			observe_say(r, "\"%s\" came from port %u%s%.150s", want[i], t.port[i],
				    *words && t.port[i] != 5000 ? _("; it said: ") : "",
				    t.port[i] != 5000 ? words : "");
		snprintf(hint[i], sizeof hint[i],
			 _("%s socket must hold 127.0.0.1:5000 when it sends: bind() it there before "
			 "its first sendto(), and check what bind() returns"), i ? _("the second") : _("the first"));
		r->hint = hint[i];
		r->lab = i ? 6 : 4;
	}
	res[3].criterion = _("two sockets of the program hold port 5000 at the same time");
	if (looked) {
		owned = observe_owned(&socks, idx, OBSERVE_MAX_SOCKS);
		for (int i = 0; i < owned; i++)
			sharing += socks.v[idx[i]].k.reuseaddr == 1 || socks.v[idx[i]].k.reuseport == 1;
		describe_owned(seen, sizeof seen, &socks);
		res[3].ok = owned >= 2;
		observe_say(&res[3], P_("when \"one\" and \"two\" had arrived: %d socket of the program "
					"on port 5000%s%.200s",
					"when \"one\" and \"two\" had arrived: %d sockets of the program "
					"on port 5000%s%.200s", owned), owned, owned ? ": " : "", seen);
	} else {
		observe_say(&res[3], "the program had ended before the grader looked: it must keep "
			    "both sockets open until a datagram arrives");
	}
	snprintf(hint2, sizeof hint2, "%s",
		 owned == 1 && !sharing ?
		 _("open a second socket and bind it to 127.0.0.1:5000 too: it must set SO_REUSEADDR "
		 "before its bind(), and the first must have it set by then (the kernel reads the "
		 "holder's flag when the newcomer binds)") :
		 _("the newcomer sets SO_REUSEADDR (or SO_REUSEPORT) before its bind(); the holder "
		 "may set it after its own bind, but before the newcomer binds"));
	res[3].hint = hint2;
	res[3].lab = 6;
	return 4;
fail:
	if (t.s >= 0)
		close(t.s);
	return -1;
}

/* ---- 04: the story, done safely: one socket for both directions ------------ */

#define PINGS 16	/* from 127.0.0.1:6001..6016: sixteen flows, sixteen hashes */
#define PING_PORT 6001

struct story {
	int peer, other[PINGS];
	char hello[64];
	unsigned hport;
	ssize_t hn;
};

static int hello_arrived(void *arg)
{
	struct story *st = arg;

	if (st->hn < 0)
		st->hn = observe_recv(st->peer, 0, st->hello, sizeof st->hello, &st->hport);
	return st->hn >= 0;
}

/* The queued bytes of each program socket on 5000, into q[], and their
 * sum; -1 when the kernel could not be asked. */
static long queued(struct grader_proc *p, struct observe_socks *socks)
{
	long sum = 0;

	if (observe_sockets(p, 1, IPPROTO_UDP, 5000, socks) < 0)
		return -1;
	for (int i = 0; i < socks->n; i++)
		if (socks->v[i].prog >= 0)
			sum += socks->v[i].k.rqueue;
	return sum;
}

/* The row in socks that is the same socket as inode; NULL none. */
static const struct observe_sock *same(const struct observe_socks *socks, uint32_t inode)
{
	for (int i = 0; i < socks->n; i++)
		if (socks->v[i].k.inode == inode)
			return &socks->v[i];
	return NULL;
}

/* Wait (at most 200 ms) until the datagrams just sent have reached the
 * program's queues: two looks 5 ms apart that agree.  rqueue counts the
 * kernel's memory for a datagram, not its bytes, so datagrams are not
 * counted from it, only whether a queue grew. */
static void settle(struct grader_proc *p, struct observe_socks *socks, int looked)
{
	long last = -1;

	for (int i = 0; looked && i < 40; i++) {
		long now = queued(p, socks);

		if (now < 0 || (now == last && now > 0))
			return;
		last = now;
		usleep(5000);
	}
}

int grade_the_story(const char *exe, struct exercise_result *res)
{
	static char hint1[260], hint2[200];
	struct story st = { .peer = observe_socket(SOCK_DGRAM, "127.0.0.1", 6000), .hn = -1 };
	struct observe_socks held = { .n = 0 }, after = { .n = 0 }, drained = { .n = 0 };
	const struct observe_sock *server = NULL;
	int looked = 0, early = 0, pongs = 0, wrong_port = 0, astray = 0, kept = 0, ret = -1;
	char words[120], seen[200], astray_at[64] = "";
	struct grader_proc p;
	struct grader_run run;
	long before = 0;

	for (int i = 0; i < PINGS; i++)
		st.other[i] = -1;
	if (st.peer < 0)
		goto out;
	for (int i = 0; i < PINGS; i++)
		if ((st.other[i] = observe_socket(SOCK_DGRAM, "127.0.0.1", PING_PORT + i)) < 0)
			goto out;
	if (grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		goto out;
	/* the request, while the program runs (the starter never sends it) */
	grader_wait_for(&p, hello_arrived, &st, 1500);
	if (grader_running(&p)) {
		char buf[64];

		observe_hold(1);
		looked = (before = queued(&p, &held)) >= 0;
		/* a "pong" already there was sent before any ping */
		for (int i = 0; i < PINGS; i++)
			while (observe_recv(st.other[i], 0, buf, sizeof buf, NULL) >= 0)
				early += strcmp(buf, "pong") == 0;
		for (int i = 0; i < PINGS; i++)
			send_to(st.other[i], "ping", 5000);
		/* which socket each ping was queued on, the program still stopped */
		settle(&p, &after, looked);
		/* the peer's answer to the request, where the program expects it */
		send_to(st.peer, "welcome", 5000);
		observe_hold(0);
		/* one deadline for all the pongs (see exercise 05's) */
		long until = proc_now_ms() + 3000;

		for (int i = 0; i < PINGS; i++) {
			unsigned from = 0;
			long left = until - proc_now_ms();

			if (observe_recv(st.other[i], left > 0 ? (int)left : 0, buf, sizeof buf, &from) >= 0 &&
			    strcmp(buf, "pong") == 0) {
				pongs++;
				wrong_port += from != 5000;
			}
		}
		/* the queues it read: is a ping still waiting? */
		usleep(20000);
		queued(&p, &drained);
		send_to(st.peer, "bye", 5000);
	}
	grader_wait(&p, &run);
	if (!looked)
		hello_arrived(&st);	/* it ended first: what it sent before */

	/* where the pings went: the sockets of the program whose queue grew
	 * while it was stopped.  One, unconnected, on 0.0.0.0:5000: the
	 * server.  Any other took datagrams meant for the server. */
	for (int i = 0; i < after.n; i++) {
		const struct observe_sock *o = &after.v[i], *was = same(&held, o->k.inode);
		long grew = (long)o->k.rqueue - (was ? (long)was->k.rqueue : 0);
		static const struct in6_addr any;
		size_t at = strlen(astray_at);

		if (o->prog < 0 || grew <= 0)
			continue;
		if (!server && o->k.family == AF_INET && !memcmp(&o->k.laddr, &any, 4) &&
		    o->k.rport == 0) {
			server = o;
			continue;
		}
		astray++;
		if (at + 1 < sizeof astray_at) {
			snprintf(astray_at + at, sizeof astray_at - at, _("%sfd %d on "), at ? ", " : "",
				 o->k.fd);
			at = strlen(astray_at);
			inspect_format_sock(astray_at + at, sizeof astray_at - at, &o->k, 0);
		}
	}
	/* and the server's queue after it went on: every ping read */
	for (int i = 0; server && i < drained.n; i++)
		if (drained.v[i].k.inode == server->k.inode && drained.v[i].k.rqueue > 0)
			kept = 1;
	observe_ran_ok(&run, _("the program exits with status 0 within 5 s"), &res[0]);
	observe_words(&run, words, sizeof words);

	res[1].criterion = _("the request \"hello\" arrives at 127.0.0.1:6000 from port 5000");
	res[1].ok = st.hn == 5 && strcmp(st.hello, "hello") == 0 && st.hport == 5000;
	if (st.hn < 0)
		observe_say(&res[1], "nothing arrived%s%.180s", *words ? _("; it said: ") : "", words);
	else
		observe_say(&res[1], "\"%.40s\" came from port %u", st.hello, st.hport);
	if (server && server->k.reuseaddr == 0 && st.hn < 0)
		snprintf(hint1, sizeof hint1,
			 _("the kernel shows the server's socket holding 0.0.0.0:5000 with SO_REUSEADDR "
			 "off, so a second socket's bind of port 5000 fails however it is set; do not set "
			 "it on the server (docs/security.md): send \"hello\" from the server's socket"));
	else
		snprintf(hint1, sizeof hint1,
			 _("send \"hello\" from the server's own socket (bound to 0.0.0.0:5000): one socket "
			 "for both directions needs no option (lab 13, docs/security.md)"));
	res[1].hint = hint1;
	res[1].lab = 7;

	res[2].criterion = _("pings from 16 other peers (127.0.0.1:6001-6016) are queued on the "
			   "socket on 0.0.0.0:5000 and answered with \"pong\" from port 5000");
	res[2].ok = looked && server && !early && !astray && !kept && pongs == PINGS && !wrong_port;
	if (!looked)
		observe_say(&res[2], "the program had ended before the pings%s%.150s",
			    *words ? _("; it said: ") : "", words);
	else if (early)
		observe_say(&res[2], "%d \"pong\" came before any ping was sent: unasked", early);
	else if (astray)
		observe_say(&res[2], "the kernel queued pings on %s%s: they never reached the "
			    "server%s", astray_at, server ? _(" too") : "",
			    server ? "" : _(" (no socket on 0.0.0.0:5000 got one)"));
	else if (!server)
		observe_say(&res[2], "no ping was queued on a socket of the program on 0.0.0.0:5000");
	else if (kept)
		observe_say(&res[2], P_("%d pong came, but the pings stayed in the server's queue: it "
					"never read them",
					"%d pongs came, but the pings stayed in the server's queue: it "
					"never read them", pongs), pongs);
	else
		observe_say(&res[2], "%d of %d pings answered with \"pong\"%s", pongs, PINGS,
			    wrong_port ? _(", some from another port") : "");
	res[2].hint = astray ? _("a second socket on port 5000 takes datagrams meant for the server "
			       "(the more specific bind, or its share of a SO_REUSEPORT group): use "
			       "one socket, or connect() the client to its peer (lab 13)") :
		      _("the server socket reads every datagram with recvfrom() and answers \"pong\" "
		      "to the address it gave, until \"bye\"");
	res[2].lab = 13;

	res[3].criterion = _("no socket of the program on port 5000 sets SO_REUSEADDR (on a UDP "
			   "service it lets any user bind the port and take its datagrams)");
	if (!looked || !held.n) {
		/* nothing to read: not a pass, not a failure */
		res[3].ok = res[3].skip = 1;
		observe_say(&res[3], "unknown: the program held no socket on port 5000 when the "
			    "grader looked");
	} else {
		int on = 0, unknown = 0, unowned = 0;

		/* the grader holds nothing on 5000: a socket there whose owner
		 * was not found is the program's too, flags unknown */
		for (int i = 0; i < held.n; i++) {
			unowned += held.v[i].prog < 0;
			on += held.v[i].prog >= 0 && held.v[i].k.reuseaddr == 1;
			unknown += held.v[i].prog < 0 || held.v[i].k.reuseaddr < 0;
		}
		describe_owned(seen, sizeof seen, &held);
		res[3].ok = !on;
		if (!on && unknown) {
			res[3].skip = 1;
			observe_say(&res[3], P_("unknown: %d socket on port 5000 could not be read (%s)%s%.140s",
						"unknown: %d sockets on port 5000 could not be read (%s)%s%.140s",
						unknown), unknown,
				    unowned ? _("no process of the sandbox has it open") :
				    strerror(held.err ? held.err : EPERM), *seen ? ": " : "", seen);
		} else {
			observe_say(&res[3], "%.240s", seen);
		}
	}
	snprintf(hint2, sizeof hint2, "%s",
		 _("SO_REUSEADDR on both sides was the story's fix, and it opens the port to anyone "
		 "(lab 09, docs/security.md): send from the server's own socket instead"));
	res[3].hint = hint2;
	res[3].lab = 9;
	ret = 4;
out:
	if (st.peer >= 0)
		close(st.peer);
	for (int i = 0; i < PINGS; i++)
		if (st.other[i] >= 0)
			close(st.other[i]);
	return ret;
}
