/* advise.c — the fixes that would work and what sharing would do, each
 * checked with the model (moved here from cmd_why.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "advise.h"
#include "i18n.h"

/* One search for fixes: the case, and where its answers go. */
struct run {
	struct rules_sock cand;
	int listen;
	const struct probe_port *port;
	const struct rules_sock *ex;	/* port->ex, oldest first */
	size_t n;
	const struct rules_host *host;
	const struct rules_result *res;
	const struct rules_outcomes *out;
	struct advise_fixes *fx;
	unsigned notes;			/* NOTE_*: what sharing the port does to delivery */
};

static struct run run_of(const struct advise_case *c, const struct rules_result *res,
			 const struct rules_outcomes *out, struct advise_fixes *fx)
{
	return (struct run){ .cand = *c->cand, .listen = c->listen, .port = c->port, .ex = c->port->ex,
			     .n = c->port->n, .host = c->host, .res = res, .out = out, .fx = fx };
}

/* What sharing a port does to delivery, said once each. */
enum {
	NOTE_UDP_NEWEST = 1,	/* SO_REUSEADDR sharing: the newest takes unicast */
	NOTE_UDP_GROUP = 2,	/* a reuseport group: split by flow hash */
	NOTE_TCP_GROUP = 4,	/* listeners in a reuseport group */
	NOTE_TCP_ONE_LISTENS = 8,	/* SO_REUSEADDR-bound TCP: one may listen */
	NOTE_STORY = 16,	/* your own client on your server's port */
};

static const struct {
	unsigned note;
	const char *text;
} note_texts[] = {
	{ NOTE_UDP_NEWEST, N_("SO_REUSEADDR sharing: unicast datagrams to the port go to one socket only, the "
			   "one bound last (lab 06; an undocumented detail of Linux, not a promise), unless "
			   "the other is on a more specific address (lab 10); broadcast and multicast reach "
			   "both") },
	{ NOTE_UDP_GROUP, N_("a SO_REUSEPORT group: the kernel splits datagrams by a hash of the sender's "
			  "address and port, so each peer sticks to one member, and a member joining or "
			  "leaving moves peers to another (lab 08)") },
	{ NOTE_TCP_GROUP, N_("SO_REUSEPORT listeners form a group: new connections are split among them by "
			  "a hash of the client's address and port (lab 08)") },
	{ NOTE_TCP_ONE_LISTENS, N_("SO_REUSEADDR lets TCP sockets bind one port, but only one of them may "
				"listen() (lab 15)") },
	{ NOTE_STORY, N_("if this is your own client sending from your server's port (the story, lab 07): "
		      "while they share it, the peer's replies land on the client, not the server (or "
		      "split by hash). The real fix is one socket for both directions (send from the "
		      "server's own socket), or a client socket that connect()s to its one peer: then "
		      "only that peer's datagrams reach it (labs 13 and 19, 19-one-socket-both-ways)") },
};

/* ---- what would work ------------------------------------------------------ */

/* Does cand bind next to ex?  2 whatever the unknown flags, 1 only with
 * some (*set: the uniform assignments that let it, as rules_outcomes()),
 * 0 never. */
static int works(const struct run *w, const struct rules_sock *cand, const struct rules_sock *ex,
		 unsigned *set)
{
	struct rules_outcomes o;

	*set = 0;
	if (rules_outcomes(cand, w->listen, ex, w->n, w->host, &o) < 0)
		return 0;
	for (size_t i = 0; i < o.n; i++)
		if (o.v[i].err == 0) {
			*set = o.v[i].uniform;
			return o.n == 1 ? 2 : 1;
		}
	return 0;
}

static const struct inspect_sock *row_of(const struct run *w, size_t i)
{
	return probe_port_row(w->port, i);
}

static const char *owner(const struct run *w, size_t blocker, char *buf, size_t len)
{
	const struct inspect_sock *s = row_of(w, blocker);

	if (s->pid)
		snprintf(buf, len, _("pid %d (%s)"), s->pid, s->comm);
	else if (s->state == TCP_TIME_WAIT)
		snprintf(buf, len, _("a TIME_WAIT connection (the kernel's, no process)"));
	else
		snprintf(buf, len, _("a socket of uid %u whose process socklab may not see"), s->uid);
	return buf;
}

/* The sockets whose unknown flags decide: "the TIME_WAIT connection
 * 127.0.0.1:5000 -> 127.0.0.1:41234", "the 3 TIME_WAIT connections" */
static const char *unknown_who(const struct run *w, char *buf, size_t len)
{
	size_t tw = 0;

	for (size_t k = 0; k < w->out->nunknown && k < RULES_MAX_UNKNOWN; k++)
		tw += row_of(w, w->out->unknown[k])->state == TCP_TIME_WAIT;
	if (w->out->nunknown == 1) {
		const struct inspect_sock *s = row_of(w, w->out->unknown[0]);
		char l[64], r[64];

		inspect_format_sock(l, sizeof l, s, 0);
		inspect_format_sock(r, sizeof r, s, 1);
		if (s->state == TCP_TIME_WAIT)
			snprintf(buf, len, _("the TIME_WAIT connection %s -> %s"), l, r);
		else if (s->pid)
			snprintf(buf, len, _("the socket of pid %d (%s) on %s"), s->pid, s->comm, l);
		else
			snprintf(buf, len, _("the socket of uid %u on %s"), s->uid, l);
	} else if (tw == w->out->nunknown) {
		snprintf(buf, len, _("the %zu TIME_WAIT connections"), w->out->nunknown);
	} else {
		snprintf(buf, len, _("the %zu sockets whose flags socklab cannot read"), w->out->nunknown);
	}
	return buf;
}

static void add_fix(struct run *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_fix(struct run *w, const char *fmt, ...)
{
	va_list ap;

	if (w->fx->n == ADVISE_MAX_FIXES)
		return;
	va_start(ap, fmt);
	vsnprintf(w->fx->text[w->fx->n], sizeof w->fx->text[0], fmt, ap);
	va_end(ap);
	w->fx->fixes[w->fx->n] = w->fx->text[w->fx->n];
	w->fx->n++;
}

/* ", enough if it has SO_REUSEADDR (socklab cannot read its flags)" for a
 * fix that works only with some of the unknown flags */
static void if_text(const struct run *w, int r, unsigned set, char *buf, size_t len)
{
	char who[200];

	buf[0] = '\0';
	if (r == 1)
		snprintf(buf, len, _(", if %s %s (socklab cannot read %s flags)"), unknown_who(w, who, sizeof who),
			 i18n_tr(rules_flags_phrase(set, w->out->nunknown > 1)), w->out->nunknown > 1 ? _("their") : _("its"));
}

/* A TCP restart that TIME_WAIT connections block (lab 14): the old
 * connections keep the flags their listener had when it accepted them. */
static void time_wait_fixes(struct run *w, const struct rules_result *fail)
{
	struct rules_sock c = w->cand, *ex;
	uint32_t last_ms = 0;
	unsigned set;
	int r_ra = 0, r_rp = 0, r_both;
	char cond[400];

	for (size_t i = 0; i < fail->nblockers; i++)
		if (row_of(w, fail->blockers[i])->expires_ms > last_ms)
			last_ms = row_of(w, fail->blockers[i])->expires_ms;
	c.reuseaddr = 1;
	r_ra = works(w, &c, w->ex, &set);
	if (!w->cand.reuseaddr) {
		if_text(w, r_ra, set, cond, sizeof cond);
		if (r_ra)
			add_fix(w, _("set SO_REUSEADDR on this socket%s: a TIME_WAIT connection keeps the "
				   "SO_REUSEADDR its listener had when it accepted it, and %s (lab 14)"),
				cond, r_ra == 2 ? _("these have it, so that is enough") :
				_("then setting it on the new listener is enough"));
	}
	/* the old listener's side: with SO_REUSEADDR there too, its TIME_WAIT
	 * connections would have had it */
	ex = malloc((w->n + 1) * sizeof *ex);
	if (ex && r_ra != 2) {
		memcpy(ex, w->ex, w->n * sizeof *ex);
		for (size_t i = 0; i < fail->nblockers; i++)
			ex[fail->blockers[i]].reuseaddr = 1;
		c = w->cand;
		c.reuseaddr = 1;
		r_both = works(w, &c, ex, &set);
		if (r_both == 2)
			add_fix(w, _("set SO_REUSEADDR on the new listener and on the old one (in the program "
				   "that left these connections, before its bind): they keep its flag, so %s"),
				r_ra == 1 ? _("then a restart binds at once, whatever it had") :
				_("the next restart binds at once; these ones lack it"));
	}
	free(ex);
	if (!w->cand.reuseport) {
		c = w->cand;
		c.reuseport = 1;
		r_rp = works(w, &c, w->ex, &set);
		if_text(w, r_rp, set, cond, sizeof cond);
		if (r_rp)
			add_fix(w, _("set SO_REUSEPORT on this socket%s: TIME_WAIT connections share a port with "
				   "it whatever the uid, but on a listener it also lets any process of your uid "
				   "listen beside it and take a share of the connections (lab 08)"), cond);
	}
	add_fix(w, _("wait: Linux keeps a TIME_WAIT connection 60 s; the last of these ends in %u s"),
		(unsigned)((last_ms + 999) / 1000));
}

/* One change at a time, checked with the model: only the ones it says
 * work (whatever the unknown flags, or said on which condition). */
static void find_fixes(struct run *w)
{
	const struct rules_result *fail = w->res;
	struct rules_sock c = w->cand, *ex;
	char who[160], cond[400];
	unsigned set;
	int r, tw_only = 1;

	if (fail->err != EADDRINUSE)
		for (size_t i = 0; i < w->out->n; i++)
			if (w->out->v[i].err == EADDRINUSE)
				fail = &w->out->v[i].res;
	if (fail->err != EADDRINUSE || fail->nblockers == 0)
		return;
	for (size_t i = 0; i < fail->nblockers; i++)
		tw_only &= row_of(w, fail->blockers[i])->state == TCP_TIME_WAIT;
	if (w->cand.proto == IPPROTO_TCP && tw_only) {
		time_wait_fixes(w, fail);
		goto last;
	}
	owner(w, fail->blockers[0], who, sizeof who);
	if (fail->nblockers_all > 1) {
		char more[48];

		snprintf(more, sizeof more, _(" (and %zu more)"), fail->nblockers_all - 1);
		strncat(who, more, sizeof who - strlen(who) - 1);
	}
	c.reuseaddr = 1;
	if (!w->cand.reuseaddr && (r = works(w, &c, w->ex, &set))) {
		if_text(w, r, set, cond, sizeof cond);
		add_fix(w, _("set SO_REUSEADDR on this socket: then it shares with %s%s"), who, cond);
		if (w->cand.proto == IPPROTO_UDP)
			w->notes |= NOTE_UDP_NEWEST | NOTE_STORY;
	}
	c = w->cand;
	c.reuseport = 1;
	if (!w->cand.reuseport && (r = works(w, &c, w->ex, &set))) {
		if_text(w, r, set, cond, sizeof cond);
		add_fix(w, _("set SO_REUSEPORT on this socket: then it joins %s in a reuseport group%s"), who, cond);
		w->notes |= w->cand.proto == IPPROTO_UDP ? NOTE_UDP_GROUP | NOTE_STORY : NOTE_TCP_GROUP;
	}
	if (w->fx->n)
		goto last;	/* a change on this side alone is the smallest */
	/* "on both" asks a program to change: not for a socket no process
	 * holds (one we cannot see) */
	for (size_t i = 0; i < fail->nblockers; i++)
		if (row_of(w, fail->blockers[i])->pid == 0)
			goto last;
	ex = malloc((w->n + 1) * sizeof *ex);
	if (ex == NULL)
		return;
	for (int opt = 0; opt < 2; opt++) {
		int known_off = 1;

		memcpy(ex, w->ex, w->n * sizeof *ex);
		c = w->cand;
		for (size_t i = 0; i < fail->nblockers; i++) {
			struct rules_sock *b = &ex[fail->blockers[i]];

			known_off &= (opt == 0 ? b->reuseaddr : b->reuseport) == 0;
			if (opt == 0)
				b->reuseaddr = 1;
			else
				b->reuseport = 1;
		}
		if (opt == 0)
			c.reuseaddr = 1;
		else
			c.reuseport = 1;
		if (!(r = works(w, &c, ex, &set)))
			continue;
		if_text(w, r, set, cond, sizeof cond);
		if (opt == 0)
			add_fix(w, _("set SO_REUSEADDR on both: the other socket is %s, %s%s"), who,
				known_off ? _("which has it off") : _("whose flag socklab cannot read"), cond);
		else
			add_fix(w, _("set SO_REUSEPORT on both (same uid): the other socket is %s%s"), who, cond);
		if (w->cand.proto == IPPROTO_UDP)
			w->notes |= (opt == 0 ? NOTE_UDP_NEWEST : NOTE_UDP_GROUP) | NOTE_STORY;
		else
			w->notes |= opt == 0 ? NOTE_TCP_ONE_LISTENS : NOTE_TCP_GROUP;
	}
	free(ex);
	if (w->cand.family == AF_INET6 && !w->cand.v6only) {
		c = w->cand;
		c.v6only = 1;
		if ((r = works(w, &c, w->ex, &set))) {
			if_text(w, r, set, cond, sizeof cond);
			add_fix(w, _("set IPV6_V6ONLY: then it does not claim the IPv4 side, where %s is%s"), who, cond);
		}
	}
last:
	add_fix(w, _("bind another port, or port 0 and let the kernel choose"));
}

/* A bind that succeeds beside live sockets on an overlapping address
 * shares the port with them: what that does to delivery. */
static void sharing_notes(struct run *w)
{
	int ok = 0;

	for (size_t i = 0; i < w->out->n; i++)
		ok |= w->out->v[i].err == 0;
	if (!ok || w->cand.port == 0)
		return;
	for (size_t i = 0; i < w->n; i++) {
		const struct rules_sock *b = &w->ex[i];
		int rp = w->cand.reuseport && b->reuseport != 0 && w->cand.uid == b->uid;
		int ra = w->cand.reuseaddr && b->reuseaddr != 0;

		if (b->proto != w->cand.proto || b->port != w->cand.port || b->state == TCP_TIME_WAIT ||
		    !rules_addr_overlap(&w->cand, b) ||
		    (b->ifindex && w->cand.ifindex && b->ifindex != w->cand.ifindex))
			continue;
		if (w->cand.proto == IPPROTO_UDP) {
			if (b->state == TCP_ESTABLISHED)
				continue;	/* a connected socket takes its peer's only */
			if (rp)
				w->notes |= NOTE_UDP_GROUP | NOTE_STORY;
			else if (ra)
				w->notes |= NOTE_UDP_NEWEST | NOTE_STORY;
		} else if (b->state == TCP_LISTEN || b->state == TCP_CLOSE ||
			   b->state == INSPECT_STATE_BOUND_INACTIVE) {
			if (rp && (w->listen || b->state == TCP_LISTEN))
				w->notes |= NOTE_TCP_GROUP;
			else if (ra && b->state != TCP_LISTEN)
				w->notes |= NOTE_TCP_ONE_LISTENS;
		}
	}
}

/* ---- the verdict, and what would work --------------------------------------- */

int advise_predict(const struct advise_case *c, struct rules_result *res,
		   struct rules_outcomes *out)
{
	rules_predict(c->cand, c->listen, c->port->ex, c->port->n, c->host, res);
	/* flags socklab cannot read (TIME_WAIT, unreadable owners): every
	 * answer they allow */
	if (rules_outcomes(c->cand, c->listen, c->port->ex, c->port->n, c->host, out) < 0) {
		errno = ENOMEM;
		return -1;
	}
	return out->n > 1 || res->order_dependent;
}

void advise_fixes(const struct advise_case *c, const struct rules_result *res,
		  const struct rules_outcomes *out, struct advise_fixes *fx)
{
	struct run r = run_of(c, res, out, fx);

	memset(fx, 0, sizeof *fx);
	find_fixes(&r);
	sharing_notes(&r);
	for (size_t i = 0; i < sizeof note_texts / sizeof note_texts[0]; i++)
		if (r.notes & note_texts[i].note)
			fx->notes[fx->nnotes++] = i18n_tr(note_texts[i].text);
}

/* Does the kernel's answer fit what was said?  With unknown flags, any
 * outcome given fits; the order UDP meets sockets in may give either. */
int advise_contradicted(const struct rules_result *res, const struct rules_outcomes *out, int err)
{
	int fits = 0;

	for (size_t i = 0; i < out->n; i++)
		fits |= out->v[i].err == err;
	if (res->order_dependent && (err == 0 || err == EADDRINUSE))
		fits = 1;
	return !fits;
}

const struct rules_outcome *advise_outcome_of(const struct rules_outcomes *out, int err)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].err == err)
			return &out->v[i];
	return NULL;
}

void advise_bind_text(const struct advise_case *c, char *buf, size_t len)
{
	const struct rules_sock *b = c->cand;
	char a[96];

	inspect_format_addr(a, sizeof a, b->family, &b->addr, b->port);
	if (b->family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&b->addr))
		snprintf(a, sizeof a, "[::]:%u", b->port);
	if (b->family == AF_INET && b->addr.s6_addr32[0] == 0)
		snprintf(a, sizeof a, "0.0.0.0:%u", b->port);
	snprintf(buf, len, _("%s %s%s%s%s%s as uid %u"), b->proto == IPPROTO_TCP ? "tcp" : "udp", a,
		 b->reuseaddr ? " SO_REUSEADDR" : "", b->reuseport ? " SO_REUSEPORT" : "",
		 b->v6only ? " IPV6_V6ONLY" : "", c->listen ? " +listen" : "", b->uid);
}

const char *advise_owner(const struct advise_case *c, size_t i, char *buf, size_t len)
{
	struct run r = run_of(c, NULL, NULL, NULL);

	return owner(&r, i, buf, len);
}

const char *advise_unknown_who(const struct advise_case *c, const struct rules_outcomes *out,
			       char *buf, size_t len)
{
	struct run r = run_of(c, NULL, out, NULL);

	return unknown_who(&r, buf, len);
}

/* "if it has SO_REUSEADDR", "if they all have SO_REUSEADDR", "with some mix of their flags" */
void advise_condition(const struct rules_outcomes *out, unsigned set, int mixed, char *buf,
		      size_t len)
{
	int plural = out->nunknown > 1;

	if (set)
		snprintf(buf, len, _("if %s %s%s"), plural ? _("they all") : _("it"), i18n_tr(rules_flags_phrase(set, plural)),
			 mixed ? _(" (or with some mix of their flags)") : "");
	else
		snprintf(buf, len, _("with some mix of their flags"));
}

/* Why socklab cannot read the flags that decide */
static const char *unknown_reason(const struct run *w)
{
	size_t tw = 0, owned = 0;

	for (size_t k = 0; k < w->out->nunknown && k < RULES_MAX_UNKNOWN; k++) {
		tw += row_of(w, w->out->unknown[k])->state == TCP_TIME_WAIT;
		owned += row_of(w, w->out->unknown[k])->pid != 0;
	}
	if (tw)
		return _("a TIME_WAIT connection keeps the flags its socket had (a server's connection: "
		       "its listener's, when it accepted it), but sock_diag does not report them and "
		       "no process holds it to ask");
	if (owned)
		return _("socklab may not borrow the owner's descriptor to ask (pidfd_getfd needs "
		       "ptrace rights over it: your own processes, or root)");
	return _("no process socklab can see holds the socket (another user's, or one whose "
	       "process socklab may not look into)");
}


void advise_unknown_text(const struct advise_case *c, const struct rules_outcomes *out,
			 char *buf, size_t len)
{
	struct run r = run_of(c, NULL, out, NULL);
	char who[200];

	snprintf(buf, len, _("the SO_REUSEADDR/SO_REUSEPORT of %s: %s"), unknown_who(&r, who, sizeof who),
		 unknown_reason(&r));
}

const char *advise_outcome_flags(const struct rules_outcomes *out, const struct rules_outcome *o)
{
	return o->uniform ? i18n_tr(rules_flags_phrase(o->uniform, out->nunknown > 1)) : _("have some mix of flags");
}

void advise_kernel_text(int proto, int walk, const char *release, char *buf, size_t len)
{
	if (proto != IPPROTO_UDP)
		snprintf(buf, len, _("Linux %s"), release);
	else if (walk == 1)
		snprintf(buf, len, _("Linux %s; a UDP bind here asks every socket on the port (measured "
			 "now; every Debian kernel checked, 6.1 to 7.3, stops at the first SO_REUSEPORT "
			 "partner instead)"), release);
	else if (walk == 0)
		snprintf(buf, len, _("Linux %s; a UDP bind here stops at the first socket it would "
			 "share with by SO_REUSEPORT, so the order the sockets were bound in can decide "
			 "(measured now)"), release);
	else
		snprintf(buf, len, _("Linux %s; whether a UDP bind here stops at the first SO_REUSEPORT "
			 "partner could not be measured (no loopback): socklab assumes it does, as every "
			 "Debian kernel checked"), release);
}
