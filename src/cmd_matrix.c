/* cmd_matrix.c — socklab matrix: this kernel's bind table, measured.
 *
 * In a sandbox, for each protocol and pair of addresses, a first socket in
 * each state (none, bound, listening, connected, TIME_WAIT) with each mix
 * of SO_REUSEADDR/SO_REUSEPORT, then a second socket with each mix, of the
 * same uid or another, binds the same port.  Every cell is what the kernel
 * answered; the bind doctor's prediction stands beside it, and a cell
 * where they differ is flagged (exit 1). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "cmd.h"
#include "doctor/advise.h"
#include "doctor/scenario.h"
#include "doctor/udpwalk.h"
#include "i18n.h"
#include "kver/kver.h"
#include "render/json.h"
#include "sandbox/sandbox.h"

#define FIRST_PORT 20000

static const char help[] =
	N_("Each table is one protocol and one pair of addresses (the first socket's,\n"
	"then the second's).  A row is the first socket: its state and options\n"
	"(ra SO_REUSEADDR, rp SO_REUSEPORT); a column the second socket's options,\n"
	"with the same uid or another (root only).  A cell is the kernel's answer to\n"
	"the second bind(): ok, INUSE (EADDRINUSE), ...; a cell where the doctor\n"
	"predicted otherwise reads KERNEL!model and is counted.\n"
	"\n"
	"  --udp, --tcp     one protocol only (default both)\n"
	"  --json           one JSON object per cell, one per line\n"
	"\n"
	"Exit status: 0 every prediction held, 1 some did not, 2 bad input or no\n"
	"sandbox could be made.\n");

enum { OPT_UDP = 256, OPT_TCP, OPT_JSON };

static const struct option options[] = {
	{ "udp", no_argument, NULL, OPT_UDP },
	{ "tcp", no_argument, NULL, OPT_TCP },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 }
};

/* the address pairs: family, address index (scenario.h), v6only */
static const struct pair {
	const char *name;
	struct scenario_spec first, second;
} pairs[] = {
	{ "127.0.0.1 then 127.0.0.1", { AF_INET, 0, 1, 0, 0, 0, 0 }, { AF_INET, 0, 1, 0, 0, 0, 0 } },
	{ "0.0.0.0 then 127.0.0.1", { AF_INET, 0, 0, 0, 0, 0, 0 }, { AF_INET, 0, 1, 0, 0, 0, 0 } },
	{ "127.0.0.1 then 0.0.0.0", { AF_INET, 0, 1, 0, 0, 0, 0 }, { AF_INET, 0, 0, 0, 0, 0, 0 } },
	{ "[::] dual-stack then 0.0.0.0", { AF_INET6, 0, 0, 0, 0, 0, 0 }, { AF_INET, 0, 0, 0, 0, 0, 0 } },
	{ "[::] IPV6_V6ONLY then 0.0.0.0", { AF_INET6, 1, 0, 0, 0, 0, 0 }, { AF_INET, 0, 0, 0, 0, 0, 0 } },
	{ "[::1] then [::1]", { AF_INET6, 0, 1, 0, 0, 0, 0 }, { AF_INET6, 0, 1, 0, 0, 0, 0 } },
};

static const char *const flag_names[4] = { "-", "ra", "rp", "ra+rp" };

static const char *short_err(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case EADDRINUSE:
		return "INUSE";
	case EACCES:
		return "ACCES";
	case EADDRNOTAVAIL:
		return "NOTAVAIL";
	case EINVAL:
		return "INVAL";
	default:
		return strerrorname_np(err) ? strerrorname_np(err) : "?";
	}
}

struct matrix {
	int json, other_uid;
	long cells, disagree, port;
};

static void cell_json(const struct scenario *sc, const char *table, int got,
		      const struct rules_result *res)
{
	char text[512];

	scenario_describe(text, sizeof text, sc);
	printf("{\"table\":");
	json_string(stdout, table);
	printf(",\"scenario\":");
	json_string(stdout, text);
	printf(",\"kernel\":\"%s\",\"model\":\"%s\",\"agree\":%s,\"linux\":", short_err(got),
	       short_err(res->err), got == res->err ? "true" : "false");
	json_string(stdout, kver_release());
	printf("}\n");
}

static void table(struct matrix *m, int proto, const struct pair *p)
{
	static const int tcp_states[] = { -1, SCENARIO_BOUND, SCENARIO_LISTEN, SCENARIO_CONNECTED,
					   SCENARIO_TIMEWAIT };
	static const int udp_states[] = { -1, SCENARIO_BOUND, SCENARIO_CONNECTED };
	const int *states = proto == IPPROTO_TCP ? tcp_states : udp_states;
	int nstates = proto == IPPROTO_TCP ? 5 : 3, uids = m->other_uid ? 2 : 1;
	char title[96];

	snprintf(title, sizeof title, "%s: %s", proto == IPPROTO_TCP ? "tcp" : "udp", p->name);
	if (!m->json) {
		printf("\n%s\n", title);
		if (uids > 1)
			printf("  %-18s %-47s %s\n", "", "second socket, same uid", "second socket, other uid");
		printf("  %-18s", "first socket");
		for (int u = 0; u < uids; u++)
			for (int f = 0; f < 4; f++)
				printf(" %-11s", flag_names[f]);
		putchar('\n');
	}
	for (int si = 0; si < nstates; si++) {
		for (int ff = 0; ff < (states[si] < 0 ? 1 : 4); ff++) {
			char row[40];

			if (states[si] < 0)
				snprintf(row, sizeof row, "(none)");
			else
				snprintf(row, sizeof row, "%s %s", scenario_state_names[states[si]],
					 flag_names[ff]);
			if (!m->json)
				printf("  %-18s", row);
			for (int u = 0; u < uids; u++) {
				for (int sf = 0; sf < 4; sf++) {
					struct scenario sc = { .proto = proto };
					struct rules_result res;
					int got;
					char cell[32];

					if (states[si] >= 0) {
						sc.n = 1;
						sc.s[0] = p->first;
						sc.s[0].state = states[si];
						sc.s[0].reuseaddr = ff & 1;
						sc.s[0].reuseport = (ff >> 1) & 1;
					}
					sc.cand = p->second;
					sc.cand.reuseaddr = sf & 1;
					sc.cand.reuseport = (sf >> 1) & 1;
					sc.cand.other_uid = u;
					scenario_run(&sc, (int)(FIRST_PORT + m->port++), &got, &res);
					m->cells++;
					if (got != res.err)
						m->disagree++;
					if (m->json) {
						cell_json(&sc, title, got, &res);
						continue;
					}
					if (got == res.err)
						snprintf(cell, sizeof cell, "%s", short_err(got));
					else
						snprintf(cell, sizeof cell, "%s!%s", short_err(got),
							 short_err(res.err));
					printf(" %-11s", cell);
				}
			}
			if (!m->json)
				putchar('\n');
		}
	}
}

static int cmd_matrix(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	struct matrix m = { 0 };
	int udp = 1, tcp = 1, chosen = 0;
	const char *what = NULL;

	CMD_FOR_OPTS(a, o) {
		if (o->opt == OPT_UDP || o->opt == OPT_TCP) {
			if (chosen++)
				return cmd_usage_error(self, "--udp and --tcp: one protocol, or neither for both");
			udp = o->opt == OPT_UDP;
			tcp = o->opt == OPT_TCP;
		} else if (o->opt == OPT_JSON) {
			m.json = 1;
		}
	}
	/* every bind happens in a namespace of our own: nothing touches the host */
	if (sandbox_enter(&what) < 0) {
		const char *advice = sandbox_advice(errno, 0);

		return cmd_usage_error(self, "cannot make a sandbox (%s: %s)%s%s", what, strerror(errno),
				       advice ? "; " : "", advice ? advice : "");
	}
	if (scenario_setup(&m.other_uid) < 0) {
		fprintf(stderr, _("socklab matrix: cannot set up the helpers: %s\n"), strerror(errno));
		return CMD_USAGE;
	}
	if (!m.json)
		printf("socklab matrix: the second bind() on one port, measured on this kernel (Linux %s); "
		       "KERNEL!model marks a wrong prediction%s\n", kver_release(),
		       m.other_uid ? "" : " (one uid only: run as root for the other-uid columns)");
	for (int proto = 0; proto < 2; proto++) {
		if ((proto == 0 && !udp) || (proto == 1 && !tcp))
			continue;
		for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
			table(&m, proto ? IPPROTO_TCP : IPPROTO_UDP, &pairs[i]);
	}
	if (!m.json) {
		char text[900];
		size_t n;
		const struct kver_change *c = kver_changes(&n);

		/* the kernel modelled, and for UDP what socklab knows differs
		 * between kernels; the summary stays the last line */
		advise_kernel_text(udp ? IPPROTO_UDP : IPPROTO_TCP, udp ? udpwalk_bind_all() : -1,
				   kver_release(), text, sizeof text);
		printf("\nthe kernel modelled: %s\n", text);
		for (size_t i = 0; udp && i < n; i++)
			printf("known to differ between kernels, not measured here: %s: %s\n", c[i].name,
			       kver_note(c[i].id, kver_release(), text, sizeof text));
		printf("\n%ld cells, %ld disagreement%s between the kernel and the doctor\n", m.cells,
		       m.disagree, m.disagree == 1 ? "" : "s");
	}
	return m.disagree ? CMD_FAILED : CMD_OK;
}

const struct cmd_entry cmd_matrix_entry = {
	.name = "matrix",
	.usage = "[--udp|--tcp] [--json]",
	.summary = N_("this kernel's bind outcomes, measured in a sandbox, beside the model's"),
	.help = help,
	.args = { .options = options },
	.exec = cmd_matrix,
};
