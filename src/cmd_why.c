/* cmd_why.c — socklab why ADDR:PORT: would this bind succeed here, next to
 * the sockets really on this machine?  If not, which sockets block it,
 * by which rule, and what is the smallest change that would make it work.
 * --try performs the bind for real and says whether the prediction held.
 *
 * The prediction is src/doctor/rules.c's; the sockets come from the
 * inspector (sock_diag, owners from /proc, flags via pidfd_getfd). */
#include <errno.h>
#include <getopt.h>
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
#include "render/json.h"
#include "render/report.h"
#include "render/table.h"

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
	int depends;			/* the answer turns on flags sock_diag cannot see */
	int alt_err;			/* ... and is this with them on */
	struct rules_host host;
	struct rules_result res;
	const char *fixes[MAX_FIXES];
	char fix_text[MAX_FIXES][200];
	int nfixes;
	int tried, tried_err;
};

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
	"Exit status: 0 the bind would succeed, 1 it would fail (with --try: what the\n"
	"kernel did), 2 bad input or the sockets cannot be read.\n";

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

static int read_int(const char *path, int dflt)
{
	FILE *f = fopen(path, "r");
	int v = dflt;

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

	w->host.unprivileged_port_start =
		read_int("/proc/sys/net/ipv4/ip_unprivileged_port_start", 1024);
	w->host.cap_net_bind_service = w->cand.uid == geteuid() ? has_bind_cap() : w->cand.uid == 0;
	w->host.freebind = read_int("/proc/sys/net/ipv4/ip_nonlocal_bind", 0) == 1;
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

static int works(const struct why *w, const struct rules_sock *cand, const struct rules_sock *ex)
{
	struct rules_result r;

	rules_predict(cand, w->listen, ex, w->n, &w->host, &r);
	return r.err == 0;
}

static const char *owner(const struct why *w, size_t blocker, char *buf, size_t len)
{
	const struct inspect_sock *s = &w->snap.v[w->row[blocker]];

	if (s->pid)
		snprintf(buf, len, "pid %d (%s)", s->pid, s->comm);
	else if (s->state == TCP_TIME_WAIT)
		snprintf(buf, len, "a TIME_WAIT connection (the kernel's, no process)");
	else
		snprintf(buf, len, "a socket of uid %u whose process socklab may not see", s->uid);
	return buf;
}

static void add_fix(struct why *w, const char *fmt, const char *who)
{
	if (w->nfixes == MAX_FIXES)
		return;
	snprintf(w->fix_text[w->nfixes], sizeof w->fix_text[0], fmt, who);
	w->fixes[w->nfixes] = w->fix_text[w->nfixes];
	w->nfixes++;
}

/* One change at a time, checked with the model: only the ones it says work. */
static void find_fixes(struct why *w)
{
	struct rules_sock c = w->cand, *ex;
	char who[160];

	if (w->res.err != EADDRINUSE || w->res.nblockers == 0)
		return;
	owner(w, w->res.blockers[0], who, sizeof who);
	if (w->res.nblockers_all > 1) {
		char more[48];

		snprintf(more, sizeof more, " (and %zu more)", w->res.nblockers_all - 1);
		strncat(who, more, sizeof who - strlen(who) - 1);
	}
	c.reuseaddr = 1;
	if (!w->cand.reuseaddr && works(w, &c, w->ex))
		add_fix(w, "set SO_REUSEADDR on this socket: then it shares with %s", who);
	c = w->cand;
	c.reuseport = 1;
	if (!w->cand.reuseport && works(w, &c, w->ex))
		add_fix(w, "set SO_REUSEPORT on this socket: then it joins %s in a reuseport group", who);
	if (w->nfixes)
		goto last;	/* a change on this side alone is the smallest */
	/* "on both" asks a program to change: not for a socket no process
	 * holds (TIME_WAIT, or one we cannot see) */
	for (size_t i = 0; i < w->res.nblockers; i++)
		if (w->snap.v[w->row[w->res.blockers[i]]].pid == 0)
			goto last;
	ex = malloc((w->n + 1) * sizeof *ex);
	if (ex == NULL)
		return;
	for (int opt = 0; opt < 2; opt++) {
		memcpy(ex, w->ex, w->n * sizeof *ex);
		c = w->cand;
		for (size_t i = 0; i < w->res.nblockers; i++) {
			if (opt == 0)
				ex[w->res.blockers[i]].reuseaddr = 1;
			else
				ex[w->res.blockers[i]].reuseport = 1;
		}
		if (opt == 0)
			c.reuseaddr = 1;
		else
			c.reuseport = 1;
		if (works(w, &c, ex))
			add_fix(w, opt == 0 ?
				"set SO_REUSEADDR on both: the other socket is %s, which has it off" :
				"set SO_REUSEPORT on both (same uid): the other socket is %s", who);
	}
	free(ex);
	if (w->cand.family == AF_INET6 && !w->cand.v6only) {
		c = w->cand;
		c.v6only = 1;
		if (works(w, &c, w->ex))
			add_fix(w, "set IPV6_V6ONLY: then it does not claim the IPv4 side, where %s is", who);
	}
last:
	add_fix(w, "bind another port, or port 0 and let the kernel choose%s", "");
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

static void print_text(const struct why *w)
{
	char what[256], err[96], flags[96], local[96], who[160];

	cand_text(what, sizeof what, w);
	report_errno_text(err, sizeof err, w->res.err);
	printf("bind(%s) would %s%s%s\n", what, w->res.err ? "FAIL: " : "succeed",
	       w->res.err ? err : "",
	       w->depends || w->res.order_dependent || w->res.truncated ? " (uncertain: see below)" : "");
	printf("  rule: %s\n", w->res.why);
	if (w->res.nblockers) {
		printf("  blocked by:\n");
		for (size_t k = 0; k < w->res.nblockers; k++) {
			const struct inspect_sock *s = &w->snap.v[w->row[w->res.blockers[k]]];

			inspect_format_sock(local, sizeof local, s, 0);
			table_flags_text(flags, sizeof flags, s);
			printf("    %s %-9s %-22s %s, uid %u", inspect_proto_name(s->proto),
			       inspect_state_name(s->proto, s->state), local,
			       owner(w, w->res.blockers[k], who, sizeof who), s->uid);
			if (s->pid)
				printf(", fd %d", s->fd);
			printf(", flags %s\n", flags);
		}
	}
	if (w->depends)
		printf("  uncertain: it depends on flags the kernel does not report here (a TIME_WAIT\n"
		       "  connection keeps its program's SO_REUSEADDR; an owner we may not look into):\n"
		       "  with them on, the bind would %s\n", w->res.err ? "succeed" : "fail");
	else if (w->res.truncated)
		printf("  uncertain: more sockets on this port than the model looks at\n");
	if (w->res.order_dependent)
		printf("  uncertain: UDP meets the sockets on the port in the order they were bound,\n"
		       "  which socklab can only guess (by inode): a SO_REUSEPORT partner met first\n"
		       "  lets the bind through, a refusing socket met first stops it\n");
	if (w->nfixes) {
		printf("  would work instead:\n");
		for (int i = 0; i < w->nfixes; i++)
			printf("    - %s\n", w->fixes[i]);
	}
	if (w->tried) {
		report_errno_text(err, sizeof err, w->tried_err);
		printf("  --try: the kernel answered %s: the prediction %s\n", err,
		       w->tried_err == w->res.err ? "held" :
		       w->depends && w->tried_err == w->alt_err ? "held, with the unknown flags on" :
		       "was WRONG (please report it)");
	}
}

static void print_json(const struct why *w)
{
	char what[256], local[96], flags[96];

	cand_text(what, sizeof what, w);
	printf("{\"bind\":");
	json_string(stdout, what);
	printf(",\"predicted\":");
	json_string(stdout, w->res.err ? strerrorname_np(w->res.err) : "ok");
	printf(",\"errno\":%d,\"uncertain\":%s,\"rule\":", w->res.err,
	       w->depends || w->res.order_dependent || w->res.truncated ? "true" : "false");
	json_string(stdout, w->res.why);
	printf(",\"blockers\":[");
	for (size_t k = 0; k < w->res.nblockers; k++) {
		const struct inspect_sock *s = &w->snap.v[w->row[w->res.blockers[k]]];

		inspect_format_sock(local, sizeof local, s, 0);
		table_flags_text(flags, sizeof flags, s);
		printf("%s{\"proto\":\"%s\",\"state\":", k ? "," : "",
		       s->proto == IPPROTO_TCP ? "tcp" : "udp");
		json_string(stdout, inspect_state_name(s->proto, s->state));
		printf(",\"local\":");
		json_string(stdout, local);
		printf(",\"pid\":%d,\"fd\":%d,\"uid\":%u,\"command\":", s->pid, s->fd, s->uid);
		json_string(stdout, s->comm);
		printf(",\"flags\":");
		json_string(stdout, flags);
		printf("}");
	}
	printf("],\"fixes\":[");
	for (int i = 0; i < w->nfixes; i++) {
		printf("%s", i ? "," : "");
		json_string(stdout, w->fixes[i]);
	}
	printf("]");
	if (w->tried)
		printf(",\"tried\":\"%s\",\"held\":%s",
		       w->tried_err ? strerrorname_np(w->tried_err) : "ok",
		       w->tried_err == w->res.err || (w->depends && w->tried_err == w->alt_err) ?
		       "true" : "false");
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
	if (w.res.uncertain) {
		/* flags sock_diag cannot report (TIME_WAIT, unreadable owners):
		 * the answer with them on too */
		struct rules_sock *on = malloc((w.n + 1) * sizeof *on);
		struct rules_result r;

		if (on) {
			memcpy(on, w.ex, w.n * sizeof *on);
			for (size_t i = 0; i < w.n; i++) {
				if (on[i].reuseaddr < 0)
					on[i].reuseaddr = 1;
				if (on[i].reuseport < 0)
					on[i].reuseport = 1;
			}
			rules_predict(&w.cand, w.listen, on, w.n, &w.host, &r);
			w.depends = r.err != w.res.err;
			w.alt_err = r.err;
			free(on);
		}
	}
	find_fixes(&w);
	if (w.try) {
		w.tried = 1;
		w.tried_err = try_bind(&w);
	}
	if (w.json)
		print_json(&w);
	else
		print_text(&w);
	status = (w.tried ? w.tried_err : w.res.err) ? CMD_FAILED : CMD_OK;
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
};
