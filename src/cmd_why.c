/* cmd_why.c — socklab why ADDR:PORT: would this bind succeed here, next to
 * the sockets really on this machine?  If not, which sockets block it,
 * by which rule, and what is the smallest change that would make it work.
 * --try performs the bind for real and says whether the prediction held.
 *
 * The prediction is src/doctor/rules.c's; the sockets come from the
 * inspector (sock_diag, owners from /proc, flags via pidfd_getfd). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "args.h"
#include "cmd.h"
#include "doctor/errtab.h"
#include "doctor/rules.h"
#include "inspect/inspect.h"
#include "render/wrap.h"
#include "render/json.h"
#include "render/report.h"
#include "render/sockrow.h"

#define MAX_ADDRS 256
#define MAX_FIXES 8

struct why {
	struct rules_sock cand;
	int listen, try, json;
	const char *spec;		/* the address as typed */
	const char *netns;
	char netns_path[64];
	struct inspect_snap snap;	/* the sockets on the port */
	struct rules_sock *ex;		/* the same, for the model, oldest first */
	size_t *row;			/* ex[i] is snap.v[row[i]] */
	size_t n;
	struct in6_addr addrs[MAX_ADDRS];
	struct in_addr lo_nets[MAX_ADDRS], lo_masks[MAX_ADDRS];
	struct rules_host host;
	struct rules_result res;	/* the verdict, unknown flags counted as off */
	struct rules_outcomes out;	/* every verdict the unknown flags allow */
	int unknown;			/* more than one: socklab cannot tell which */
	const char *fixes[MAX_FIXES];
	char fix_text[MAX_FIXES][400];
	int nfixes;
	unsigned notes;			/* NOTE_*: what sharing the port does to delivery */
	int tried, tried_err, contradicted;
};

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
	{ NOTE_UDP_NEWEST, "SO_REUSEADDR sharing: unicast datagrams to the port go to one socket only, the "
			   "one bound last (lab 06; an undocumented detail of Linux, not a promise), unless "
			   "the other is on a more specific address (lab 10); broadcast and multicast reach "
			   "both" },
	{ NOTE_UDP_GROUP, "a SO_REUSEPORT group: the kernel splits datagrams by a hash of the sender's "
			  "address and port, so each peer sticks to one member, and a member joining or "
			  "leaving moves peers to another (lab 08)" },
	{ NOTE_TCP_GROUP, "SO_REUSEPORT listeners form a group: new connections are split among them by "
			  "a hash of the client's address and port (lab 08)" },
	{ NOTE_TCP_ONE_LISTENS, "SO_REUSEADDR lets TCP sockets bind one port, but only one of them may "
				"listen() (lab 15)" },
	{ NOTE_STORY, "if this is your own client sending from your server's port (the story, lab 07): "
		      "while they share it, the peer's replies land on the client, not the server (or "
		      "split by hash). The real fix is one socket for both directions (send from the "
		      "server's own socket), or a client socket that connect()s to its one peer: then "
		      "only that peer's datagrams reach it (labs 13 and 19, 19-one-socket-both-ways)" },
};

/* One item per line: a line is something to grep for, and the terminal
 * folds it. */
/* a sentence under its prefix, folded to the terminal (whole on a pipe) */
static void print_item(const char *prefix, const char *text)
{
	wrap_print(stdout, prefix, text, wrap_width());
}

static const char help[] =
	"ADDR:PORT is 127.0.0.1:5000, [::1]:5000, [::]:5000, or *:5000 / :5000 for\n"
	"0.0.0.0.  socklab reads the sockets on that port (in this network namespace,\n"
	"or the one given), predicts the bind with a model of the kernel's rules, and\n"
	"names each socket that blocks it and the smallest change that would work.\n"
	"\n"
	"  --udp, --tcp     the protocol (default udp)\n"
	"  --reuseaddr      the new socket sets SO_REUSEADDR\n"
	"  --reuseport      the new socket sets SO_REUSEPORT\n"
	"  --v6only         the new socket sets IPV6_V6ONLY\n"
	"  --uid U          the new socket belongs to uid U (default: yours)\n"
	"  --listen         TCP: it will listen() as well\n"
	"  --netns PATH     look in the network namespace at PATH\n"
	"  --netns-of PID   look in the network namespace of process PID\n"
	"  --try            bind for real (then close) and say if the prediction held\n"
	"  --json           one JSON object\n"
	"\n"
	"Where a socket's SO_REUSEADDR/SO_REUSEPORT cannot be read (a TIME_WAIT\n"
	"connection, another user's socket), the answer is \"unknown\" when they decide\n"
	"it, with the outcome for each.\n"
	"\n"
	"Exit status: 0 the bind would succeed; 1 it would fail, or it is unknown;\n"
	"with --try, 0 the kernel bound it, 1 the kernel refused it or contradicted the\n"
	"prediction; 2 bad input or the sockets cannot be read.\n";

enum {
	OPT_UDP = 256, OPT_TCP, OPT_REUSEADDR, OPT_REUSEPORT, OPT_V6ONLY, OPT_UID,
	OPT_LISTEN, OPT_NETNS, OPT_NETNS_OF, OPT_TRY, OPT_JSON,
};

static const struct option options[] = {
	{ "udp", no_argument, NULL, OPT_UDP },
	{ "tcp", no_argument, NULL, OPT_TCP },
	{ "reuseaddr", no_argument, NULL, OPT_REUSEADDR },
	{ "reuseport", no_argument, NULL, OPT_REUSEPORT },
	{ "v6only", no_argument, NULL, OPT_V6ONLY },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "listen", no_argument, NULL, OPT_LISTEN },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "netns-of", required_argument, NULL, OPT_NETNS_OF },
	{ "try", no_argument, NULL, OPT_TRY },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 }
};

/* ---- what is there ------------------------------------------------------ */

static void to_rules(const struct inspect_sock *s, struct rules_sock *r)
{
	memset(r, 0, sizeof *r);
	r->family = s->family;
	r->proto = s->proto;
	r->state = s->state;
	r->v6only = s->v6only;
	r->addr = s->laddr;
	r->port = s->lport;
	r->reuseaddr = s->reuseaddr;
	r->reuseport = s->reuseport;
	r->uid = s->uid;
	r->ifindex = s->ifindex;
}

static struct inspect_snap *sort_snap;

/* The model wants the order the sockets were bound in; inode numbers
 * grow with creation (roughly: they are handed out per CPU in batches).
 * TIME_WAIT sockets have none: they are older than any live socket. */
static int by_inode(const void *a, const void *b)
{
	uint32_t x = sort_snap->v[*(const size_t *)a].inode;
	uint32_t y = sort_snap->v[*(const size_t *)b].inode;

	return x < y ? -1 : x > y;
}

static int collect(struct why *w)
{
	struct inspect_filter f = {
		.protos = w->cand.proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP,
		.port = w->cand.port,
	};
	int nl = inspect_open();
	size_t keep = 0;

	if (nl < 0)
		return -1;
	if (inspect_query(nl, &f, &w->snap) < 0) {
		int err = errno;

		close(nl);
		errno = err;
		return -1;
	}
	close(nl);
	/* the filter lets the peer port through too: only local ports count */
	for (size_t i = 0; i < w->snap.n; i++)
		if (w->snap.v[i].lport == w->cand.port)
			w->snap.v[keep++] = w->snap.v[i];
	w->snap.n = keep;
	inspect_owners(&w->snap, NULL, 0);
	inspect_flags(&w->snap);
	w->ex = calloc(w->snap.n + 1, sizeof *w->ex);
	w->row = calloc(w->snap.n + 1, sizeof *w->row);
	if (w->ex == NULL || w->row == NULL)
		return -1;
	for (size_t i = 0; i < w->snap.n; i++)
		w->row[i] = i;
	sort_snap = &w->snap;
	qsort(w->row, w->snap.n, sizeof *w->row, by_inode);
	for (size_t i = 0; i < w->snap.n; i++)
		to_rules(&w->snap.v[w->row[i]], &w->ex[i]);
	w->n = w->snap.n;
	return 0;
}

/* A sysctl of this network namespace (/proc/sys/NAME), or of the proc
 * root SOCKLAB_PROC_ROOT names, as the inspector reads /proc (tests). */
static int sysctl_int(const char *name, int dflt)
{
	const char *root = secure_getenv("SOCKLAB_PROC_ROOT");
	char path[4096];
	FILE *f;
	int v = dflt;

	snprintf(path, sizeof path, "%s/sys/%s", root && *root ? root : "/proc", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

/* CAP_NET_BIND_SERVICE in our effective set (root without it binds no
 * port below ip_unprivileged_port_start either). */
static int has_bind_cap(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (f == NULL)
		return geteuid() == 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 10) & 1;		/* CAP_NET_BIND_SERVICE is 10 */
}

/* This namespace's addresses, privileged ports, and whether the uid
 * may bind below them (root in this user namespace). */
static void host_of(struct why *w)
{
	struct ifaddrs *ifa, *i;
	size_t n = 0;

	w->host.unprivileged_port_start = sysctl_int("net/ipv4/ip_unprivileged_port_start", 1024);
	w->host.cap_net_bind_service = w->cand.uid == geteuid() ? has_bind_cap() : w->cand.uid == 0;
	/* __inet6_bind(): a v4-mapped address follows the IPv4 sysctl, a real
	 * IPv6 address ipv6_can_nonlocal_bind(), the IPv6 one */
	w->host.freebind = sysctl_int(w->cand.family == AF_INET6 && !IN6_IS_ADDR_V4MAPPED(&w->cand.addr) ?
				      "net/ipv6/ip_nonlocal_bind" : "net/ipv4/ip_nonlocal_bind", 0) == 1;
	if (getifaddrs(&ifa) < 0)
		return;		/* no list: the model does not judge addresses */
	for (i = ifa; i && n < MAX_ADDRS; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET && (i->ifa_flags & IFF_LOOPBACK) &&
		    i->ifa_netmask && w->host.nlo < MAX_ADDRS) {
			/* a loopback prefix is local as a whole */
			w->lo_nets[w->host.nlo] = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			w->lo_masks[w->host.nlo++] = ((struct sockaddr_in *)i->ifa_netmask)->sin_addr;
		}
		if (i->ifa_addr->sa_family == AF_INET) {
			memset(&w->addrs[n], 0, sizeof w->addrs[n]);
			w->addrs[n].s6_addr[10] = w->addrs[n].s6_addr[11] = 0xff;
			memcpy(w->addrs[n].s6_addr + 12,
			       &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			n++;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			w->addrs[n++] = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		}
	}
	freeifaddrs(ifa);
	w->host.addrs = w->addrs;
	w->host.naddrs = n;
	w->host.lo_nets = w->host.nlo ? w->lo_nets : NULL;
	w->host.lo_masks = w->lo_masks;
	/* a namespace whose lo never came up has no IPv4 local table: the
	 * kernel then binds any IPv4 address (measured) */
	w->host.v4_unconfigured = 1;
	for (size_t k = 0; k < n; k++)
		if (IN6_IS_ADDR_V4MAPPED(&w->addrs[k]))
			w->host.v4_unconfigured = 0;
}

/* ---- what would work ------------------------------------------------------ */

/* Does cand bind next to ex?  2 whatever the unknown flags, 1 only with
 * some (*set: the uniform assignments that let it, as rules_outcomes()),
 * 0 never. */
static int works(const struct why *w, const struct rules_sock *cand, const struct rules_sock *ex,
		 unsigned *set)
{
	struct rules_outcomes o;

	*set = 0;
	if (rules_outcomes(cand, w->listen, ex, w->n, &w->host, &o) < 0)
		return 0;
	for (size_t i = 0; i < o.n; i++)
		if (o.v[i].err == 0) {
			*set = o.v[i].uniform;
			return o.n == 1 ? 2 : 1;
		}
	return 0;
}

static const struct inspect_sock *row_of(const struct why *w, size_t i)
{
	return &w->snap.v[w->row[i]];
}

static const char *owner(const struct why *w, size_t blocker, char *buf, size_t len)
{
	const struct inspect_sock *s = row_of(w, blocker);

	if (s->pid)
		snprintf(buf, len, "pid %d (%s)", s->pid, s->comm);
	else if (s->state == TCP_TIME_WAIT)
		snprintf(buf, len, "a TIME_WAIT connection (the kernel's, no process)");
	else
		snprintf(buf, len, "a socket of uid %u whose process socklab may not see", s->uid);
	return buf;
}

/* The sockets whose unknown flags decide: "the TIME_WAIT connection
 * 127.0.0.1:5000 -> 127.0.0.1:41234", "the 3 TIME_WAIT connections" */
static const char *unknown_who(const struct why *w, char *buf, size_t len)
{
	size_t tw = 0;

	for (size_t k = 0; k < w->out.nunknown && k < RULES_MAX_UNKNOWN; k++)
		tw += row_of(w, w->out.unknown[k])->state == TCP_TIME_WAIT;
	if (w->out.nunknown == 1) {
		const struct inspect_sock *s = row_of(w, w->out.unknown[0]);
		char l[64], r[64];

		inspect_format_sock(l, sizeof l, s, 0);
		inspect_format_sock(r, sizeof r, s, 1);
		if (s->state == TCP_TIME_WAIT)
			snprintf(buf, len, "the TIME_WAIT connection %s -> %s", l, r);
		else if (s->pid)
			snprintf(buf, len, "the socket of pid %d (%s) on %s", s->pid, s->comm, l);
		else
			snprintf(buf, len, "the socket of uid %u on %s", s->uid, l);
	} else if (tw == w->out.nunknown) {
		snprintf(buf, len, "the %zu TIME_WAIT connections", w->out.nunknown);
	} else {
		snprintf(buf, len, "the %zu sockets whose flags socklab cannot read", w->out.nunknown);
	}
	return buf;
}

/* "if it has SO_REUSEADDR", "if they all have SO_REUSEADDR", "with some mix of their flags" */
static void condition(const struct why *w, unsigned set, int mixed, char *buf, size_t len)
{
	int plural = w->out.nunknown > 1;

	if (set)
		snprintf(buf, len, "if %s %s%s", plural ? "they all" : "it", rules_flags_phrase(set, plural),
			 mixed ? " (or with some mix of their flags)" : "");
	else
		snprintf(buf, len, "with some mix of their flags");
}

static void add_fix(struct why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_fix(struct why *w, const char *fmt, ...)
{
	va_list ap;

	if (w->nfixes == MAX_FIXES)
		return;
	va_start(ap, fmt);
	vsnprintf(w->fix_text[w->nfixes], sizeof w->fix_text[0], fmt, ap);
	va_end(ap);
	w->fixes[w->nfixes] = w->fix_text[w->nfixes];
	w->nfixes++;
}

/* ", enough if it has SO_REUSEADDR (socklab cannot read its flags)" for a
 * fix that works only with some of the unknown flags */
static void if_text(const struct why *w, int r, unsigned set, char *buf, size_t len)
{
	char who[200];

	buf[0] = '\0';
	if (r == 1)
		snprintf(buf, len, ", if %s %s (socklab cannot read %s flags)", unknown_who(w, who, sizeof who),
			 rules_flags_phrase(set, w->out.nunknown > 1), w->out.nunknown > 1 ? "their" : "its");
}

/* A TCP restart that TIME_WAIT connections block (lab 14): the old
 * connections keep the flags their listener had when it accepted them. */
static void time_wait_fixes(struct why *w, const struct rules_result *fail)
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
			add_fix(w, "set SO_REUSEADDR on this socket%s: a TIME_WAIT connection keeps the "
				   "SO_REUSEADDR its listener had when it accepted it, and %s (lab 14)",
				cond, r_ra == 2 ? "these have it, so that is enough" :
				"then setting it on the new listener is enough");
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
			add_fix(w, "set SO_REUSEADDR on the new listener and on the old one (in the program "
				   "that left these connections, before its bind): they keep its flag, so %s",
				r_ra == 1 ? "then a restart binds at once, whatever it had" :
				"the next restart binds at once; these ones lack it");
	}
	free(ex);
	if (!w->cand.reuseport) {
		c = w->cand;
		c.reuseport = 1;
		r_rp = works(w, &c, w->ex, &set);
		if_text(w, r_rp, set, cond, sizeof cond);
		if (r_rp)
			add_fix(w, "set SO_REUSEPORT on this socket%s: TIME_WAIT connections share a port with "
				   "it whatever the uid, but on a listener it also lets any process of your uid "
				   "listen beside it and take a share of the connections (lab 08)", cond);
	}
	add_fix(w, "wait: Linux keeps a TIME_WAIT connection 60 s; the last of these ends in %u s",
		(unsigned)((last_ms + 999) / 1000));
}

/* One change at a time, checked with the model: only the ones it says
 * work (whatever the unknown flags, or said on which condition). */
static void find_fixes(struct why *w)
{
	const struct rules_result *fail = &w->res;
	struct rules_sock c = w->cand, *ex;
	char who[160], cond[400];
	unsigned set;
	int r, tw_only = 1;

	if (fail->err != EADDRINUSE)
		for (size_t i = 0; i < w->out.n; i++)
			if (w->out.v[i].err == EADDRINUSE)
				fail = &w->out.v[i].res;
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

		snprintf(more, sizeof more, " (and %zu more)", fail->nblockers_all - 1);
		strncat(who, more, sizeof who - strlen(who) - 1);
	}
	c.reuseaddr = 1;
	if (!w->cand.reuseaddr && (r = works(w, &c, w->ex, &set))) {
		if_text(w, r, set, cond, sizeof cond);
		add_fix(w, "set SO_REUSEADDR on this socket: then it shares with %s%s", who, cond);
		if (w->cand.proto == IPPROTO_UDP)
			w->notes |= NOTE_UDP_NEWEST | NOTE_STORY;
	}
	c = w->cand;
	c.reuseport = 1;
	if (!w->cand.reuseport && (r = works(w, &c, w->ex, &set))) {
		if_text(w, r, set, cond, sizeof cond);
		add_fix(w, "set SO_REUSEPORT on this socket: then it joins %s in a reuseport group%s", who, cond);
		w->notes |= w->cand.proto == IPPROTO_UDP ? NOTE_UDP_GROUP | NOTE_STORY : NOTE_TCP_GROUP;
	}
	if (w->nfixes)
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
			add_fix(w, "set SO_REUSEADDR on both: the other socket is %s, %s%s", who,
				known_off ? "which has it off" : "whose flag socklab cannot read", cond);
		else
			add_fix(w, "set SO_REUSEPORT on both (same uid): the other socket is %s%s", who, cond);
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
			add_fix(w, "set IPV6_V6ONLY: then it does not claim the IPv4 side, where %s is%s", who, cond);
		}
	}
last:
	add_fix(w, "bind another port, or port 0 and let the kernel choose");
}

/* A bind that succeeds beside live sockets on an overlapping address
 * shares the port with them: what that does to delivery. */
static void sharing_notes(struct why *w)
{
	int ok = 0;

	for (size_t i = 0; i < w->out.n; i++)
		ok |= w->out.v[i].err == 0;
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
		} else if (b->state == TCP_LISTEN || b->state == TCP_CLOSE || b->state == 13) {
			if (rp && (w->listen || b->state == TCP_LISTEN))
				w->notes |= NOTE_TCP_GROUP;
			else if (ra && b->state != TCP_LISTEN)
				w->notes |= NOTE_TCP_ONE_LISTENS;
		}
	}
}

/* ---- --try ------------------------------------------------------------------ */

/* The real bind, as the candidate says (its uid: the socket's owner is
 * the fsuid at socket()).  0 or the errno. */
static int try_bind(const struct why *w)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int on = 1, fd, err = 0;
	uid_t me = geteuid();

	memset(&ss, 0, sizeof ss);
	if (w->cand.family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(w->cand.port);
		memcpy(&a->sin_addr, &w->cand.addr, 4);
		len = sizeof *a;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(w->cand.port);
		a->sin6_addr = w->cand.addr;
		len = sizeof *a;
	}
	/* as that uid from socket() to listen(): it owns the socket, and
	 * loses root's capabilities for bind() */
	if (w->cand.uid != me && setresuid((uid_t)-1, w->cand.uid, (uid_t)-1) < 0)
		return errno;
	fd = socket(w->cand.family, w->cand.proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	if (w->cand.reuseaddr)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (w->cand.reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
	if (w->cand.family == AF_INET6) {
		int v6 = w->cand.v6only;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof v6);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (w->listen && w->cand.proto == IPPROTO_TCP && listen(fd, 1) < 0))
		err = errno;
	close(fd);
out:
	if (w->cand.uid != me && setresuid((uid_t)-1, me, (uid_t)-1) < 0)
		abort();	/* cannot happen: we were this uid a moment ago */
	return err;
}

/* ---- output ----------------------------------------------------------------- */

static void cand_text(char *buf, size_t len, const struct why *w)
{
	char a[96];

	inspect_format_addr(a, sizeof a, w->cand.family, &w->cand.addr, w->cand.port);
	if (w->cand.family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&w->cand.addr))
		snprintf(a, sizeof a, "[::]:%u", w->cand.port);
	if (w->cand.family == AF_INET && w->cand.addr.s6_addr32[0] == 0)
		snprintf(a, sizeof a, "0.0.0.0:%u", w->cand.port);
	snprintf(buf, len, "%s %s%s%s%s%s as uid %u", w->cand.proto == IPPROTO_TCP ? "tcp" : "udp", a,
		 w->cand.reuseaddr ? " SO_REUSEADDR" : "", w->cand.reuseport ? " SO_REUSEPORT" : "",
		 w->cand.v6only ? " IPV6_V6ONLY" : "", w->listen ? " +listen" : "", w->cand.uid);
}

/* Does the kernel's answer fit what was said?  With unknown flags, any
 * outcome given fits; the order UDP meets sockets in may give either. */
static void judge(struct why *w)
{
	int fits = 0;

	for (size_t i = 0; i < w->out.n; i++)
		fits |= w->out.v[i].err == w->tried_err;
	if (w->res.order_dependent && (w->tried_err == 0 || w->tried_err == EADDRINUSE))
		fits = 1;
	w->contradicted = !fits;
}

static void print_tried(const struct why *w)
{
	char err[96], pred[200], who[200];

	report_errno_text(err, sizeof err, w->tried_err);
	if (w->contradicted) {
		pred[0] = '\0';
		for (size_t i = 0; i < w->out.n; i++) {
			char e[96];

			report_errno_text(e, sizeof e, w->out.v[i].err);
			snprintf(pred + strlen(pred), sizeof pred - strlen(pred), "%s%s", i ? " or " : "",
				 w->out.v[i].err ? e : "success");
		}
		printf("  --try: CONTRADICTED: the kernel answered %s, but socklab predicted %s: the\n"
		       "  prediction was WRONG: the %s (please report it)\n", err, pred,
		       w->tried_err ? "kernel refused a bind the model let through" :
		       "kernel allowed a bind the model refused");
		return;
	}
	if (w->out.n > 1) {
		for (size_t i = 0; i < w->out.n; i++) {
			const struct rules_outcome *o = &w->out.v[i];

			if (o->err != w->tried_err)
				continue;
			printf("  --try: the kernel answered %s, one of the outcomes above: by the model, %s %s\n",
			       err, unknown_who(w, who, sizeof who),
			       o->uniform ? rules_flags_phrase(o->uniform, w->out.nunknown > 1) :
			       "have some mix of flags");
		}
		return;
	}
	if (w->res.order_dependent && w->tried_err != w->res.err) {
		printf("  --try: the kernel answered %s: it met the sockets in another order than socklab\n"
		       "  guessed (either answer was possible)\n", err);
		return;
	}
	printf("  --try: the kernel answered %s: the prediction held\n", err);
}

static void print_blockers(const struct why *w, const struct rules_result *res, const char *indent)
{
	const struct sockrow_opts cells = { .form = SOCKROW_LONG };
	char flags[96], local[96], who[160], net[8], state[16];

	if (!res->nblockers)
		return;
	printf("%sblocked by:\n", indent);
	for (size_t k = 0; k < res->nblockers; k++) {
		const struct inspect_sock *s = row_of(w, res->blockers[k]);

		sockrow_cell(net, sizeof net, SOCKROW_NET, s, 0, &cells);
		sockrow_cell(state, sizeof state, SOCKROW_STATE, s, 0, &cells);
		sockrow_cell(local, sizeof local, SOCKROW_LOCAL, s, 0, &cells);
		sockrow_cell(flags, sizeof flags, SOCKROW_FLAGS, s, 0, &cells);
		/* owner() names the uid when there is no process; a TIME_WAIT
		 * row's uid is the kernel's 0, nobody's */
		printf("%s  %s %-9s %-22s %s", indent, net, state, local,
		       owner(w, res->blockers[k], who, sizeof who));
		if (s->pid)
			printf(", uid %u, fd %d", s->uid, s->fd);
		printf(", flags %s\n", flags);
	}
}

/* Why socklab cannot read the flags that decide */
static const char *unknown_reason(const struct why *w)
{
	size_t tw = 0, owned = 0;

	for (size_t k = 0; k < w->out.nunknown && k < RULES_MAX_UNKNOWN; k++) {
		tw += row_of(w, w->out.unknown[k])->state == TCP_TIME_WAIT;
		owned += row_of(w, w->out.unknown[k])->pid != 0;
	}
	if (tw)
		return "a TIME_WAIT connection keeps the flags its socket had (a server's connection: "
		       "its listener's, when it accepted it), but sock_diag does not report them and "
		       "no process holds it to ask";
	if (owned)
		return "socklab may not borrow the owner's descriptor to ask (pidfd_getfd needs "
		       "ptrace rights over it: your own processes, or root)";
	return "no process socklab can see holds the socket (another user's, or one whose "
	       "process socklab may not look into)";
}

static void print_text(const struct why *w)
{
	char what[256], err[96], who[200], cond[400];

	cand_text(what, sizeof what, w);
	report_errno_text(err, sizeof err, w->res.err);
	if (w->out.n > 1) {
		printf("bind(%s): UNKNOWN: it depends on flags socklab cannot read\n", what);
		snprintf(cond, sizeof cond, "the SO_REUSEADDR/SO_REUSEPORT of %s: %s",
			 unknown_who(w, who, sizeof who), unknown_reason(w));
		print_item("  unknown: ", cond);
		for (size_t i = 0; i < w->out.n; i++) {
			const struct rules_outcome *o = &w->out.v[i];

			condition(w, o->uniform, o->mixed, cond, sizeof cond);
			report_errno_text(err, sizeof err, o->err);
			printf("  %s: it would %s%s\n", cond, o->err ? "FAIL: " : "succeed", o->err ? err : "");
			print_item("    rule: ", o->res.why);
			print_blockers(w, &o->res, "    ");
		}
		if (!w->out.exhaustive)
			printf("  (socklab tried each flag alike on all of them, not every mix)\n");
	} else {
		printf("bind(%s)%s %s%s\n", what,
		       w->res.order_dependent ? ": UNKNOWN: the model's guess is that it would" : " would",
		       w->res.err ? "FAIL: " : "succeed", w->res.err ? err : "");
		print_item("  rule: ", w->res.why);
		print_blockers(w, &w->res, "  ");
	}
	if (w->res.truncated)
		printf("  uncertain: more sockets on this port than the model looks at\n");
	if (w->res.order_dependent)
		printf("  unknown: UDP meets the sockets on the port in the order they were bound, which\n"
		       "  socklab can only guess (by inode): a SO_REUSEPORT partner met first lets the\n"
		       "  bind through, a refusing socket met first stops it with EADDRINUSE\n");
	if (w->nfixes) {
		printf("  would work instead:\n");
		for (int i = 0; i < w->nfixes; i++) {
			print_item("    - ", w->fixes[i]);
		}
	}
	if (w->notes) {
		printf("  if it shares the port:\n");
		for (size_t i = 0; i < sizeof note_texts / sizeof note_texts[0]; i++)
			if (w->notes & note_texts[i].note) {
				print_item("    - ", note_texts[i].text);
			}
	}
	if (w->tried)
		print_tried(w);
}

static void print_json(const struct why *w)
{
	const struct sockrow_opts cells = { .form = SOCKROW_LONG };
	char what[256], local[96], flags[96], cond[400], state[16];

	cand_text(what, sizeof what, w);
	printf("{\"bind\":");
	json_string(stdout, what);
	printf(",\"predicted\":");
	json_string(stdout, w->unknown ? "unknown" : w->res.err ? strerrorname_np(w->res.err) : "ok");
	printf(",\"errno\":%d,\"uncertain\":%s,\"rule\":", w->unknown ? -1 : w->res.err,
	       w->unknown || w->res.truncated ? "true" : "false");
	json_string(stdout, w->res.why);
	printf(",\"outcomes\":[");
	for (size_t i = 0; i < w->out.n; i++) {
		const struct rules_outcome *o = &w->out.v[i];

		condition(w, o->uniform, o->mixed, cond, sizeof cond);
		printf("%s{\"predicted\":", i ? "," : "");
		json_string(stdout, o->err ? strerrorname_np(o->err) : "ok");
		printf(",\"if\":");
		json_string(stdout, w->out.n > 1 ? cond : "");
		printf(",\"rule\":");
		json_string(stdout, o->res.why);
		/* the same condition for programs: the flags every unknown
		 * socket has ("-", "ra", "rp", "ra+rp"), and whether a mix does */
		printf(",\"assignments\":[");
		for (unsigned c = 0, k = 0; c < 4; c++)
			if (w->out.nunknown && (o->uniform & (1u << c)))
				printf("%s\"%s\"", k++ ? "," : "", (const char *[]){ "-", "ra", "rp", "ra+rp" }[c]);
		printf("],\"mixed\":%s}", o->mixed ? "true" : "false");
	}
	if (w->res.order_dependent)
		printf("%s{\"predicted\":\"%s\",\"if\":\"the kernel meets the sockets in another order\",\"rule\":\"\",\"assignments\":[],\"mixed\":false}",
		       w->out.n ? "," : "", w->res.err ? "ok" : "EADDRINUSE");
	printf("],\"blockers\":[");
	for (size_t k = 0; k < w->res.nblockers; k++) {
		const struct inspect_sock *s = row_of(w, w->res.blockers[k]);

		sockrow_cell(local, sizeof local, SOCKROW_LOCAL, s, 0, &cells);
		sockrow_cell(flags, sizeof flags, SOCKROW_FLAGS, s, 0, &cells);
		sockrow_cell(state, sizeof state, SOCKROW_STATE, s, 0, &cells);
		printf("%s{\"proto\":\"%s\",\"state\":", k ? "," : "", sockrow_net_id(s));
		json_string(stdout, state);
		printf(",\"local\":");
		json_string(stdout, local);
		printf(",\"pid\":%d,\"fd\":%d,\"uid\":%u,\"command\":", s->pid, s->fd, s->uid);
		json_string(stdout, s->comm);
		printf(",\"flags\":");
		json_string(stdout, flags);
		printf(",\"reuseaddr\":%s,\"reuseport\":%s}",
		       s->reuseaddr < 0 ? "null" : s->reuseaddr ? "true" : "false",
		       s->reuseport < 0 ? "null" : s->reuseport ? "true" : "false");
	}
	printf("],\"fixes\":[");
	for (int i = 0; i < w->nfixes; i++) {
		printf("%s", i ? "," : "");
		json_string(stdout, w->fixes[i]);
	}
	printf("],\"notes\":[");
	for (size_t i = 0, n = 0; i < sizeof note_texts / sizeof note_texts[0]; i++)
		if (w->notes & note_texts[i].note) {
			printf("%s", n++ ? "," : "");
			json_string(stdout, note_texts[i].text);
		}
	printf("]");
	if (w->tried)
		printf(",\"tried\":\"%s\",\"held\":%s",
		       w->tried_err ? strerrorname_np(w->tried_err) : "ok",
		       w->contradicted ? "false" : "true");
	printf("}\n");
}

/* ---- the command -------------------------------------------------------------- */

static int cmd_why(int argc, char **argv)
{
	const struct cmd_entry *self = &cmd_why_entry;
	static struct why w;
	int ret;
	int opt, family, port, status, proto_set = 0;
	long v;

	memset(&w, 0, sizeof w);
	w.cand.proto = IPPROTO_UDP;
	w.cand.uid = (uint32_t)geteuid();
	w.cand.state = TCP_CLOSE;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_UDP:
		case OPT_TCP:
			if (proto_set)
				return cmd_usage_error(self, "--udp and --tcp: one protocol at a time");
			proto_set = 1;
			w.cand.proto = opt == OPT_TCP ? IPPROTO_TCP : IPPROTO_UDP;
			break;
		case OPT_REUSEADDR:
			w.cand.reuseaddr = 1;
			break;
		case OPT_REUSEPORT:
			w.cand.reuseport = 1;
			break;
		case OPT_V6ONLY:
			w.cand.v6only = 1;
			break;
		case OPT_UID:
			if (args_int(optarg, 0, 4294967294L, &v) < 0)
				return cmd_usage_error(self, "--uid wants a user id, got '%s'", optarg);
			w.cand.uid = (uint32_t)v;
			break;
		case OPT_LISTEN:
			w.listen = 1;
			break;
		case OPT_NETNS:
		case OPT_NETNS_OF:
			if (cmd_netns_option(self, opt == OPT_NETNS_OF, optarg, &w.netns, w.netns_path,
					     sizeof w.netns_path))
				return CMD_USAGE;
			break;
		case OPT_TRY:
			w.try = 1;
			break;
		case OPT_JSON:
			w.json = 1;
			break;
		case ':':
			return cmd_usage_error(self, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(self, "unknown option '%s' (see 'socklab why --help')",
					       argv[optind - 1]);
		}
	}
	if (w.listen && w.cand.proto != IPPROTO_TCP)
		return cmd_usage_error(self, "--listen is for TCP: add --tcp");
	if (optind >= argc)
		return cmd_usage_error(self, "which address? e.g. 'socklab why 127.0.0.1:5000'");
	if (optind + 1 < argc)
		return cmd_usage_error(self, "one address at a time, got '%s' too", argv[optind + 1]);
	w.spec = argv[optind];
	if (args_sockaddr(w.spec, &family, &w.cand.addr, &port) < 0)
		return cmd_usage_error(self, "'%s' is not ADDR:PORT (127.0.0.1:5000, [::1]:5000, "
				       "*:5000) with a port 1..65535", w.spec);
	if (w.cand.v6only && family != AF_INET6)
		return cmd_usage_error(self, "--v6only is for an IPv6 address");
	if (w.cand.uid != geteuid() && geteuid() != 0 && w.try)
		return cmd_usage_error(self, "--try as another uid needs root");
	w.cand.family = (uint8_t)family;
	w.cand.port = (uint16_t)port;
	if (w.netns && (ret = cmd_netns_join(self, w.netns_path)) != 0)
		return ret;
	if (collect(&w) < 0) {
		fprintf(stderr, "socklab why: cannot read the sockets: %s\n", strerror(errno));
		inspect_free(&w.snap);
		return CMD_USAGE;
	}
	host_of(&w);
	rules_predict(&w.cand, w.listen, w.ex, w.n, &w.host, &w.res);
	/* flags socklab cannot read (TIME_WAIT, unreadable owners): every
	 * answer they allow */
	if (rules_outcomes(&w.cand, w.listen, w.ex, w.n, &w.host, &w.out) < 0) {
		fprintf(stderr, "socklab why: %s\n", strerror(ENOMEM));
		inspect_free(&w.snap);
		return CMD_USAGE;
	}
	w.unknown = w.out.n > 1 || w.res.order_dependent;
	find_fixes(&w);
	sharing_notes(&w);
	if (w.try) {
		w.tried = 1;
		w.tried_err = try_bind(&w);
		judge(&w);
	}
	if (w.json)
		print_json(&w);
	else
		print_text(&w);
	if (w.tried)
		status = w.tried_err || w.contradicted ? CMD_FAILED : CMD_OK;
	else
		status = w.unknown || w.res.err ? CMD_FAILED : CMD_OK;
	inspect_free(&w.snap);
	free(w.ex);
	free(w.row);
	return status;
}

const struct cmd_entry cmd_why_entry = {
	.name = "why",
	.usage = "ADDR:PORT [--udp|--tcp] [--reuseaddr] [--reuseport] [--try]",
	.summary = "would this bind succeed here? who blocks it, and what would work",
	.help = help,
	.exec = cmd_why,
	.options = options,
};
