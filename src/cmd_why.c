/* cmd_why.c — socklab why ADDR:PORT: would this bind succeed here, next to
 * the sockets really on this machine?  If not, which sockets block it,
 * by which rule, and what is the smallest change that would make it work.
 * --try performs the bind for real and says whether the prediction held.
 *
 * Glue: the doctor reads the port and the host (doctor/probe.h), predicts
 * and searches for fixes (doctor/advise.h, over the model in rules.h);
 * this file keeps the options, the printing and the exit status. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "args.h"
#include "cmd.h"
#include "doctor/advise.h"
#include "doctor/probe.h"
#include "doctor/udpwalk.h"
#include "i18n.h"
#include "kver/kver.h"
#include "render/wrap.h"
#include "render/json.h"
#include "render/report.h"
#include "render/sockrow.h"

struct why {
	struct rules_sock cand;
	int listen, try, json;
	const char *spec;		/* the address as typed */
	const char *netns;
	char netns_path[64];
	struct probe_port port;		/* the sockets on the port */
	struct probe_host host;
	struct advise_case c;		/* cand, listen, port and host, for the doctor */
	struct rules_result res;	/* the verdict, unknown flags counted as off */
	struct rules_outcomes out;	/* every verdict the unknown flags allow */
	int unknown;			/* more than one: socklab cannot tell which */
	struct advise_fixes fix;	/* what would work, what sharing does */
	int tried_err, contradicted;	/* --try: the kernel's answer, and if it fits */
	int walk;			/* udpwalk_bind_all(): how this kernel walks a UDP port */
};

/* One item per line (under its heading, when there are any): a line is
 * something to grep for, and the terminal folds it (whole on a pipe). */
static void print_item(const char *prefix, const char *text)
{
	wrap_print(stdout, prefix, text, wrap_width());
}

static void print_items(const char *head, const char *const *v, size_t n)
{
	printf("%s", n ? head : "");
	for (size_t i = 0; i < n; i++)
		print_item("    - ", v[i]);
}

static const char help[] =
	N_("ADDR:PORT is 127.0.0.1:5000, [::1]:5000, [::]:5000, or *:5000 / :5000 for\n"
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
	"prediction; 2 bad input or the sockets cannot be read.\n");

enum {
	OPT_UDP = 256, OPT_TCP, OPT_REUSEADDR, OPT_REUSEPORT, OPT_V6ONLY, OPT_UID,
	OPT_LISTEN, OPT_TRY, OPT_JSON,
};

static const struct option options[] = {
	{ "udp", no_argument, NULL, OPT_UDP },
	{ "tcp", no_argument, NULL, OPT_TCP },
	{ "reuseaddr", no_argument, NULL, OPT_REUSEADDR },
	{ "reuseport", no_argument, NULL, OPT_REUSEPORT },
	{ "v6only", no_argument, NULL, OPT_V6ONLY },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "listen", no_argument, NULL, OPT_LISTEN },
	CMD_NETNS_LONGOPTS,
	{ "try", no_argument, NULL, OPT_TRY },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 }
};

/* ---- output ----------------------------------------------------------------- */

static const struct inspect_sock *row_of(const struct why *w, size_t i)
{
	return probe_port_row(&w->port, i);
}

static const char *owner(const struct why *w, size_t blocker, char *buf, size_t len)
{
	return advise_owner(&w->c, blocker, buf, len);
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
			snprintf(pred + strlen(pred), sizeof pred - strlen(pred), "%s%s", i ? _(" or ") : "",
				 w->out.v[i].err ? e : _("success"));
		}
		printf(_("  --try: CONTRADICTED: the kernel answered %s, but socklab predicted %s: the\n"
		       "  prediction was WRONG: the %s (please report it)\n"), err, pred,
		       w->tried_err ? _("kernel refused a bind the model let through") :
		       _("kernel allowed a bind the model refused"));
		return;
	}
	if (w->out.n > 1) {
		const struct rules_outcome *o = advise_outcome_of(&w->out, w->tried_err);

		if (o)
			printf(_("  --try: the kernel answered %s, one of the outcomes above: by the model, %s %s\n"),
			       err, advise_unknown_who(&w->c, &w->out, who, sizeof who),
			       advise_outcome_flags(&w->out, o));
		return;
	}
	if (w->res.order_dependent && w->tried_err != w->res.err) {
		printf(_("  --try: the kernel answered %s: it met the sockets in another order than socklab\n"
		       "  guessed (either answer was possible)\n"), err);
		return;
	}
	printf(_("  --try: the kernel answered %s: the prediction held\n"), err);
}

static void print_blockers(const struct why *w, const struct rules_result *res, const char *indent)
{
	const struct sockrow_opts cells = { .form = SOCKROW_LONG };
	char flags[96], local[96], who[160], net[8], state[16];

	if (!res->nblockers)
		return;
	printf(_("%sblocked by:\n"), indent);
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
			printf(_(", uid %u, fd %d"), s->uid, s->fd);
		printf(_(", flags %s\n"), flags);
	}
}

static void print_text(const struct why *w)
{
	char what[256], err[96], cond[400];

	advise_bind_text(&w->c, what, sizeof what);
	report_errno_text(err, sizeof err, w->res.err);
	if (w->out.n > 1) {
		printf(_("bind(%s): UNKNOWN: it depends on flags socklab cannot read\n"), what);
		advise_unknown_text(&w->c, &w->out, cond, sizeof cond);
		print_item(_("  unknown: "), cond);
		for (size_t i = 0; i < w->out.n; i++) {
			const struct rules_outcome *o = &w->out.v[i];

			advise_condition(&w->out, o->uniform, o->mixed, cond, sizeof cond);
			report_errno_text(err, sizeof err, o->err);
			printf(_("  %s: it would %s%s\n"), cond, o->err ? _("FAIL: ") : _("succeed"), o->err ? err : "");
			print_item(_("    rule: "), i18n_tr(o->res.why));
			print_blockers(w, &o->res, "    ");
		}
		if (!w->out.exhaustive)
			printf(_("  (socklab tried each flag alike on all of them, not every mix)\n"));
	} else {
		printf(_("bind(%s)%s %s%s\n"), what,
		       w->res.order_dependent ? _(": UNKNOWN: the model's guess is that it would") : _(" would"),
		       w->res.err ? _("FAIL: ") : _("succeed"), w->res.err ? err : "");
		print_item(_("  rule: "), i18n_tr(w->res.why));
		print_blockers(w, &w->res, "  ");
	}
	if (w->res.truncated)
		printf(_("  uncertain: more sockets on this port than the model looks at\n"));
	if (w->res.order_dependent)
		printf(_("  unknown: UDP meets the sockets on the port in the order they were bound, which\n"
		       "  socklab can only guess (by inode): a SO_REUSEPORT partner met first lets the\n"
		       "  bind through, a refusing socket met first stops it with EADDRINUSE\n"));
	/* how this kernel walks a UDP port matters with two sockets or more */
	advise_kernel_text(w->port.n >= 2 ? w->cand.proto : IPPROTO_TCP, w->walk, kver_release(),
			   cond, sizeof cond);
	print_item(_("  kernel: "), cond);
	print_items(_("  would work instead:\n"), w->fix.fixes, w->fix.n);
	print_items(_("  if it shares the port:\n"), w->fix.notes, w->fix.nnotes);
	if (w->try)
		print_tried(w);
}

static void print_json(const struct why *w)
{
	const struct sockrow_opts cells = { .form = SOCKROW_LONG };
	char what[256], local[96], flags[96], cond[400], state[16];

	advise_bind_text(&w->c, what, sizeof what);
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

		advise_condition(&w->out, o->uniform, o->mixed, cond, sizeof cond);
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
	for (size_t i = 0; i < w->fix.n; i++) {
		printf("%s", i ? "," : "");
		json_string(stdout, w->fix.fixes[i]);
	}
	printf("],\"notes\":[");
	for (size_t i = 0; i < w->fix.nnotes; i++) {
		printf("%s", i ? "," : "");
		json_string(stdout, w->fix.notes[i]);
	}
	printf("],\"linux\":");
	json_string(stdout, kver_release());
	if (w->cand.proto == IPPROTO_UDP)
		printf(",\"udp_walk\":\"%s\"",
		       w->walk == 1 ? "every" : w->walk == 0 ? "first-partner" : "unknown");
	else
		printf(",\"udp_walk\":null");
	if (w->try)
		printf(",\"tried\":\"%s\",\"held\":%s",
		       w->tried_err ? strerrorname_np(w->tried_err) : "ok",
		       w->contradicted ? "false" : "true");
	printf("}\n");
}

/* ---- the command -------------------------------------------------------------- */

static int cmd_why(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	static struct why w;
	int ret;
	int family, port, status, proto_set = 0;
	long v;

	memset(&w, 0, sizeof w);
	w.cand.proto = IPPROTO_UDP;
	w.cand.uid = (uint32_t)geteuid();
	w.cand.state = TCP_CLOSE;
	if ((ret = cmd_netns_parse(a, &w.netns, w.netns_path, sizeof w.netns_path)) != 0)
		return ret;
	CMD_FOR_OPTS(a, o) {
		switch (o->opt) {
		case OPT_UDP:
		case OPT_TCP:
			if (proto_set)
				return cmd_usage_error(self, "--udp and --tcp: one protocol at a time");
			proto_set = 1;
			w.cand.proto = o->opt == OPT_TCP ? IPPROTO_TCP : IPPROTO_UDP;
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
			if (cmd_opt_long(a, o, 0, 4294967294L, "a user id", &v))
				return CMD_USAGE;
			w.cand.uid = (uint32_t)v;
			break;
		case OPT_LISTEN:
			w.listen = 1;
			break;
		case OPT_TRY:
			w.try = 1;
			break;
		case OPT_JSON:
			w.json = 1;
			break;
		}
	}
	if (w.listen && w.cand.proto != IPPROTO_TCP)
		return cmd_usage_error(self, "--listen is for TCP: add --tcp");
	if (a->argc == 0)
		return cmd_usage_error(self, "which address? e.g. 'socklab why 127.0.0.1:5000'");
	w.spec = a->argv[0];
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
	if (probe_read_port(&w.cand, &w.port) < 0) {
		fprintf(stderr, _("socklab why: cannot read the sockets: %s\n"), strerror(errno));
		probe_port_free(&w.port);
		return CMD_USAGE;
	}
	probe_read_host(&w.cand, &w.host);
	/* measured by probe_read_host, in this namespace (UDP only) */
	w.walk = w.cand.proto == IPPROTO_UDP ? udpwalk_bind_all() : -1;
	w.c = (struct advise_case){ &w.cand, w.listen, &w.port, &w.host.host };
	if ((w.unknown = advise_predict(&w.c, &w.res, &w.out)) < 0) {
		fprintf(stderr, _("socklab why: %s\n"), strerror(ENOMEM));
		probe_port_free(&w.port);
		return CMD_USAGE;
	}
	advise_fixes(&w.c, &w.res, &w.out, &w.fix);
	if (w.try) {
		w.tried_err = probe_bind(&w.cand, w.listen);
		w.contradicted = advise_contradicted(&w.res, &w.out, w.tried_err);
	}
	if (w.json)
		print_json(&w);
	else
		print_text(&w);
	if (w.try)
		status = w.tried_err || w.contradicted ? CMD_FAILED : CMD_OK;
	else
		status = w.unknown || w.res.err ? CMD_FAILED : CMD_OK;
	probe_port_free(&w.port);
	return status;
}

const struct cmd_entry cmd_why_entry = {
	.name = "why",
	.usage = "ADDR:PORT [--udp|--tcp] [--reuseaddr] [--reuseport] [--try]",
	.summary = N_("would this bind succeed here? who blocks it, and what would work"),
	.help = help,
	.args = { .options = options, .max = 1, .operand = N_("address") },
	.exec = cmd_why,
};
