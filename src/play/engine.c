/* engine.c — the playground's producer: a lab whose steps are the lines a
 * user types.  It runs where a lab runs (the runner's child, in the
 * sandbox), reads lines on its gate between steps, and answers each with
 * the events of docs/protocol.md, so every consumer of a lab (run's
 * report, the dashboard's model) reads a session unchanged.
 *
 *   consumer ── "do 3 server%3A bind(s, 127.0.0.1:5000)" ──▶ engine
 *   engine ── step (waits for go) ── call observe=1 ── note ──▶ consumer
 *
 * Roles are processes forked at their first line; each keeps its own
 * descriptors (struct play_vars) and makes its calls when the engine hands
 * it a line over a socketpair. */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "doctor/probe.h"
#include "doctor/rules.h"
#include "errtab/errtab.h"
#include "lab/lab.h"
#include "lab/proto.h"
#include "play.h"

#define PLAY_MAX_ROLES 8

/* What the engine asks a role: make a call, or describe a socket (for
 * predict: what the model needs of the candidate). */
enum { OP_EXEC, OP_DESCRIBE };
struct request {
	int op;
	struct play_cmd cmd;
};
struct reply {
	struct play_result res;
	struct rules_sock sock;		/* OP_DESCRIBE */
	int bound;			/* ... it has a port already */
	int freebind;			/* ... IP_FREEBIND is set on it */
};

static struct {
	int ctl, gate;
	long step;
	char buf[2 * PROTO_LINE_MAX];	/* what the gate gave beyond a line */
	size_t have;
	struct {
		char name[PLAY_NAME];
		pid_t pid;
		int sock;
	} roles[PLAY_MAX_ROLES];
	int nroles;
} en = { .ctl = -1, .gate = -1 };

static void emit(struct proto_event *ev)
{
	char line[PROTO_LINE_MAX];
	size_t n = proto_encode(line, sizeof line, ev);

	if (n && write(en.ctl, line, n) < 0)
		_exit(1);	/* the consumer is gone */
}

/* One line from the gate, without its '\n'; 0 at EOF. */
static int gate_line(char *out, size_t size)
{
	for (;;) {
		char *nl = memchr(en.buf, '\n', en.have);
		ssize_t got;

		if (nl) {
			size_t len = (size_t)(nl - en.buf);

			snprintf(out, size, "%.*s", (int)len, en.buf);
			memmove(en.buf, nl + 1, en.have - len - 1);
			en.have -= len + 1;
			return 1;
		}
		if (en.have == sizeof en.buf)
			en.have = 0;	/* a line too long: dropped */
		got = read(en.gate, en.buf + en.have, sizeof en.buf - en.have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		en.have += (size_t)got;
	}
}

/* After a step or end event: the consumer's go.  0 when it never comes. */
static int wait_go(void)
{
	char line[64];

	return gate_line(line, sizeof line) && strcmp(line, "go") == 0;
}

/* ---- roles ----------------------------------------------------------- */

static void role_main(int sock, int uid)
{
	struct play_vars vars = { .n = 0 };
	struct request rq;
	struct reply rp;
	int err = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (uid >= 0) {
		/* in a user namespace the groups may not be ours to drop */
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			err = errno;
		else if (setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
			 setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
			err = errno;
	}
	if (send(sock, &err, sizeof err, 0) < 0 || err)
		_exit(1);
	while (recv(sock, &rq, sizeof rq, 0) == (ssize_t)sizeof rq) {
		memset(&rp, 0, sizeof rp);
		if (rq.op == OP_EXEC) {
			play_exec(&rq.cmd, &vars, &rp.res);
		} else {
			/* the candidate of a bind, as rules.h wants it */
			int fd = -1, v = 0, dom = 0, proto = 0;
			socklen_t len = sizeof v;

			for (int i = 0; i < vars.n; i++)
				if (strcmp(vars.v[i].name, rq.cmd.args[0].text) == 0)
					fd = vars.v[i].fd;
			len = sizeof dom;
			rp.res.ret = fd < 0 ? -1 : getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len);
			len = sizeof proto;
			if (rp.res.ret == 0)
				rp.res.ret = getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len);
			rp.sock.family = (uint8_t)dom;
			rp.sock.proto = (uint8_t)proto;
			rp.sock.state = TCP_CLOSE;
			len = sizeof v;
			rp.sock.reuseaddr = getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len) == 0 ? v != 0 : -1;
			len = sizeof v;
			rp.sock.reuseport = getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &v, &len) == 0 ? v != 0 : -1;
			len = sizeof v;
			if (dom == AF_INET6 && getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len) == 0)
				rp.sock.v6only = v != 0;
			rp.sock.uid = (uint32_t)geteuid();
			len = sizeof v;
			rp.freebind = getsockopt(fd, IPPROTO_IP, IP_FREEBIND, &v, &len) == 0 && v;
			{
				struct sockaddr_storage ss;
				socklen_t sl = sizeof ss;

				rp.bound = getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
					   ((ss.ss_family == AF_INET &&
					     ((struct sockaddr_in *)&ss)->sin_port) ||
					    (ss.ss_family == AF_INET6 &&
					     ((struct sockaddr_in6 *)&ss)->sin6_port));
			}
		}
		if (send(sock, &rp, sizeof rp, 0) < 0)
			break;
	}
	_exit(0);
}

/* The role's index, made now if it is new.  -1 with why filled. */
static int role(const struct play_cmd *c, long line, char *why, size_t len)
{
	int sv[2], err = 0;
	pid_t pid;

	for (int i = 0; i < en.nroles; i++)
		if (strcmp(en.roles[i].name, c->role) == 0) {
			if (c->uid >= 0)
				snprintf(why, len, "role %s exists already: 'as uid' goes on its first line",
					 c->role);
			return c->uid >= 0 ? -1 : i;
		}
	if (en.nroles == PLAY_MAX_ROLES) {
		snprintf(why, len, "at most %d roles", PLAY_MAX_ROLES);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(why, len, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* the events and the gate are the engine's; other roles' pipes too */
		close(en.ctl);
		close(en.gate);
		for (int i = 0; i < en.nroles; i++)
			close(en.roles[i].sock);
		close(sv[0]);
		role_main(sv[1], c->uid);
	}
	close(sv[1]);
	if (recv(sv[0], &err, sizeof err, 0) != (ssize_t)sizeof err || err) {
		int other = lab_other_uid();
		char hint[96] = "";

		/* an unprivileged sandbox maps one uid besides ours, if any */
		if (other >= 0 && other != c->uid)
			snprintf(hint, sizeof hint, " (this sandbox has uid %d: 'as uid %d')", other, other);
		else if (other < 0)
			snprintf(hint, sizeof hint, " (this sandbox has no second uid; as root it has)");
		snprintf(why, len, "role %s cannot become uid %d here: %s%s", c->role, c->uid,
			 strerror(err ? err : EPROTO), hint);
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	snprintf(en.roles[en.nroles].name, sizeof en.roles[0].name, "%s", c->role);
	en.roles[en.nroles].pid = pid;
	en.roles[en.nroles].sock = sv[0];
	{
		struct proto_event ev = { .kind = PROTO_ROLE, .pid = pid, .line = line };

		snprintf(ev.name, sizeof ev.name, "%s", c->role);
		emit(&ev);
	}
	return en.nroles++;
}

static int ask(int r, int op, const struct play_cmd *c, struct reply *rp)
{
	struct request rq;

	memset(&rq, 0, sizeof rq);	/* padding too: the bytes go to a socket */
	rq.op = op;
	rq.cmd = *c;

	if (send(en.roles[r].sock, &rq, sizeof rq, 0) != (ssize_t)sizeof rq ||
	    recv(en.roles[r].sock, rp, sizeof *rp, 0) != (ssize_t)sizeof *rp) {
		memset(rp, 0, sizeof *rp);
		rp->res.ret = -1;
		rp->res.err = EPIPE;
		snprintf(rp->res.note, sizeof rp->res.note, "role %s is gone", en.roles[r].name);
		return -1;
	}
	return 0;
}

/* ---- predict: the bind doctor's model before the kernel -------------- */

/* The model's answer for c (a bind) into *err, said as a note.  -1 when
 * it cannot judge (not a bind, no such socket). */
static int model(int r, const struct play_cmd *c, long line, int *err)
{
	struct proto_event ev = { .kind = PROTO_NOTE, .pid = en.roles[r].pid, .line = line };
	struct probe_port port = { 0 };
	struct probe_host host;
	struct rules_outcomes out;
	struct reply rp;
	const struct errtab_entry *e;

	snprintf(ev.role, sizeof ev.role, "%s", c->role);
	if (c->call != PLAY_BIND) {
		snprintf(ev.text, sizeof ev.text, "predict: the model knows bind() only; running it");
		emit(&ev);
		return -1;
	}
	if (ask(r, OP_DESCRIBE, c, &rp) < 0 || rp.res.ret < 0) {
		snprintf(ev.text, sizeof ev.text, "predict: no socket '%s' to ask the model about",
			 c->args[0].text);
		emit(&ev);
		return -1;
	}
	if (rp.bound) {
		/* rules.h models a socket's first bind, not a second one */
		snprintf(ev.text, sizeof ev.text, "predict: %s has a port already; the model judges "
			 "only a first bind, so it does not say", c->args[0].text);
		emit(&ev);
		return -1;
	}
	if (c->args[1].addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&c->args[1].addr;

		memcpy(&rp.sock.addr, &in->sin_addr, 4);
		rp.sock.port = ntohs(in->sin_port);
	} else {
		const struct sockaddr_in6 *in6 = (const void *)&c->args[1].addr;

		rp.sock.addr = in6->sin6_addr;
		rp.sock.port = ntohs(in6->sin6_port);
	}
	if (probe_read_port(&rp.sock, &port) < 0) {
		snprintf(ev.text, sizeof ev.text, "predict: the sockets on the port could not be read: %s",
			 strerror(errno));
		emit(&ev);
		probe_port_free(&port);
		return -1;
	}
	probe_read_host(&rp.sock, &host);
	host.host.freebind |= rp.freebind;	/* the socket's own IP_FREEBIND */
	rules_outcomes(&rp.sock, 0, port.ex, port.n, &host.host, &out);
	probe_port_free(&port);
	if (out.n != 1) {
		snprintf(ev.text, sizeof ev.text, "the model: it depends on reuse flags socklab cannot "
			 "read here (unknown), so it does not say");
		emit(&ev);
		return -1;
	}
	*err = out.v[0].err;
	e = errtab_by_errno(*err);
	snprintf(ev.text, sizeof ev.text, "the model predicts %s: %s", *err ? (e ? e->name : "an error") :
		 "success", out.v[0].res.why ? out.v[0].res.why : "");
	emit(&ev);
	return 0;
}

/* ---- one line ---------------------------------------------------------- */

static void error_event(long line, const char *role_name, const char *text)
{
	struct proto_event ev = { .kind = PROTO_ERROR, .pid = getpid(), .line = line };

	snprintf(ev.role, sizeof ev.role, "%s", role_name);
	snprintf(ev.text, sizeof ev.text, "%s", text);
	emit(&ev);
}

static void run_line(long line, const char *text, int predict)
{
	struct proto_event ev = { .kind = PROTO_STEP, .pid = getpid(), .line = line };
	struct play_cmd c;
	struct reply rp;
	char why[256];
	int r = -1, parsed, want = 0, judged = -1;

	parsed = play_parse(text, &c, why, sizeof why);
	if (parsed == 0)
		return;
	ev.step = ++en.step;
	snprintf(ev.role, sizeof ev.role, "%s", parsed > 0 ? c.role : "main");
	snprintf(ev.title, sizeof ev.title, "%.255s", parsed > 0 ? c.text : text);
	emit(&ev);
	if (!wait_go())
		_exit(0);
	if (parsed < 0) {
		error_event(line, "", why);
		return;
	}
	if (c.call != PLAY_SYSCTL && c.call != PLAY_IP && (r = role(&c, line, why, sizeof why)) < 0) {
		error_event(line, c.role, why);
		return;
	}
	if (predict && r >= 0)
		judged = model(r, &c, line, &want);
	memset(&rp, 0, sizeof rp);
	if (c.call == PLAY_SYSCTL)
		play_sysctl(&c, &rp.res);
	else if (c.call == PLAY_IP)
		play_ip(&c, &rp.res);
	else
		ask(r, OP_EXEC, &c, &rp);
	/* what the call said besides its result (an address, a value):
	 * before the call event, which ends the line for the consumer */
	if (rp.res.note[0]) {
		memset(&ev, 0, sizeof ev);
		ev.kind = PROTO_NOTE;
		ev.pid = r >= 0 ? en.roles[r].pid : getpid();
		ev.line = line;
		snprintf(ev.role, sizeof ev.role, "%s", c.role);
		snprintf(ev.text, sizeof ev.text, "%s", rp.res.note);
		emit(&ev);
	}
	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_CALL;
	ev.pid = r >= 0 ? en.roles[r].pid : getpid();
	ev.line = line;
	ev.ret = rp.res.ret;
	ev.err = rp.res.ret < 0 ? rp.res.err : 0;
	if (judged == 0) {
		/* predict: the model's answer is the expectation, held to the kernel */
		ev.want = want;
		ev.ok = ev.err == want;
	} else {
		/* no expectation: what happened is what counts */
		ev.want = ev.err;
		ev.ok = 1;
		ev.observe = 1;
	}
	snprintf(ev.role, sizeof ev.role, "%s", c.role);
	snprintf(ev.expr, sizeof ev.expr, "%s", c.text);
	snprintf(ev.data, sizeof ev.data, "%s", rp.res.data);
	snprintf(ev.from, sizeof ev.from, "%s", c.call == PLAY_RECV || c.call == PLAY_RECVFROM ?
		 rp.res.from : "");
	emit(&ev);
}

static int engine_main(void)
{
	char line[PROTO_LINE_MAX], text[PLAY_LINE + 64];
	const char *c = getenv("SOCKLAB_CONTROL_FD"), *g = getenv("SOCKLAB_GATE_FD");

	en.ctl = c ? atoi(c) : -1;
	en.gate = g ? atoi(g) : -1;
	if (en.ctl < 0 || en.gate < 0)
		return 2;
	while (gate_line(line, sizeof line)) {
		char *sp;
		long n;
		int predict = strncmp(line, "predict ", 8) == 0;

		if (strcmp(line, "end") == 0)
			break;
		if (strncmp(line, "do ", 3) != 0 && !predict)
			continue;
		n = strtol(line + (predict ? 8 : 3), &sp, 10);
		if (*sp != ' ' || proto_unescape(sp + 1, text, sizeof text) < 0)
			continue;
		run_line(n, text, predict);
	}
	{
		struct proto_event ev = { .kind = PROTO_END };

		emit(&ev);
		wait_go();
	}
	for (int i = 0; i < en.nroles; i++) {
		close(en.roles[i].sock);	/* the role's recv ends: it exits */
		waitpid(en.roles[i].pid, NULL, 0);
	}
	return 0;
}

const struct lab_info play_lab = {
	0, "play", "Playground", "your own calls, one line at a time, against the real kernel",
	"(playground)", engine_main,
};
