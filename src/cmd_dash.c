/* cmd_dash.c — socklab dash: the ncurses dashboard. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "runner/labbuild.h"
#include "runner/runner.h"
#include "proc/proc.h"
#include "runopts.h"
#include "trace/trace.h"
#include "tui/dash.h"

static const char help[] =
	N_("Without LAB the dashboard opens at the lab picker.  LAB is a lab number\n"
	"(4, 04), a slug (addr-in-use), the path of a lab executable, or a lab's\n"
	"C source (LAB.c): built with the lab runtime socklab carries, and built\n"
	"again by r, so a lab edited in another window runs as edited.\n"
	"Keys: space or n runs the next step, b goes back one, 1-9 (or a click on\n"
	"a step) go to before step N, r restarts the lab, tab cycles the panes,\n"
	"arrows/PgUp/PgDn scroll, / filters the socket table, h shows this host's\n"
	"sockets, p toggles predict mode, ? lists every key, q quits.  Going back\n"
	"restarts the lab in a fresh sandbox and replays the steps before without\n"
	"stopping: the same sockets, ports and deliveries come back.\n"
	"\n"
	"  --play     the playground in an empty sandbox: : types a line (server:\n"
	"             s = socket(udp)), Enter runs it, the panes show what it did\n"
	"             (socklab play is the same in the terminal; docs/playground.md).\n"
	"             In a lab, : runs the line in the lab's own sandbox\n"
	"  --trace -- CMD [ARGS...]\n"
	"             run CMD on this host and step through its socket calls: each\n"
	"             waits until space lets the kernel answer it (socklab trace)\n"
	"  --predict  predict mode, for a class: until a step has run, hide what\n"
	"             would answer it (its title, the lab's summary, receive\n"
	"             queues) and put its question to the room first\n"
	"Needs a terminal of at least 80x24.  NO_COLOR=1 draws without colour.\n"
	"\n");

static const char help_end[] =
	N_("\n"
	"Exit status: 0 after q, 2 bad input or no terminal, 128+N after signal N.\n");

enum { OPT_PREDICT = 256, OPT_PLAY, OPT_TRACE };

static const struct option options[] = {
	{ "predict", no_argument, NULL, OPT_PREDICT },
	{ "play", no_argument, NULL, OPT_PLAY },
	{ "trace", no_argument, NULL, OPT_TRACE },
	RUNOPTS_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int cmd_dash(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	const char *trace = getenv("SOCKLAB_DASH_TRACE");
	struct dash_opts d = { .trace = trace && *trace ? trace : NULL };
	struct cmd_lab lab = { NULL, NULL };
	size_t n = 0;
	struct runopts o;
	char why[256] = "";
	int ret;

	if ((ret = runopts_parse(a, &o)) != 0)
		return ret;
	CMD_FOR_OPTS(a, opt) {
		d.predict |= opt->opt == OPT_PREDICT;
		d.play |= opt->opt == OPT_PLAY;
		d.trace_cmd |= opt->opt == OPT_TRACE;
	}
	if (d.play && a->argc)
		return cmd_usage_error(self, "--play opens an empty sandbox: no LAB with it");
	if (d.trace_cmd && d.play)
		return cmd_usage_error(self, "--trace or --play, not both");
	if (d.trace_cmd && a->argc == 0)
		return cmd_usage_error(self, "--trace: which program? socklab dash --trace -- CMD [ARGS...]");
	if (!d.trace_cmd && a->argc > 1)
		return cmd_usage_error(self, "one lab at a time");
	if (d.trace_cmd)
		trace_lab_argv(a->argv);
	/* a lab's C source is built by cmd_lab_arg; r builds it again */
	if (!d.trace_cmd && a->argc == 1 && labbuild_is_source(a->argv[0]))
		d.source_path = a->argv[0];
	if (!d.trace_cmd && a->argc == 1 && (ret = cmd_lab_arg(self, a->argv[0], 0, &lab, 1, &n)) != 0)
		return ret;
	d.lab = lab.lab;
	d.exec_path = lab.path;
	d.host = o.host;
	d.port_base = o.port_base;
	d.timeout_ms = o.timeout_ms;
	ret = dash_run(&d, why, sizeof why);
	labbuild_cleanup();
	if (ret < 0) {
		if (errno == EINTR) {
			fprintf(stderr, _("socklab dash: stopped by %s; the lab was ended\n"),
				strsignal(proc_stop_signal()));
			return 128 + proc_stop_signal();
		}
		return cmd_usage_error(self, "%s", why);
	}
	return CMD_OK;
}

const struct cmd_entry cmd_dash_entry = {
	.name = "dash",
	.usage = "[LAB] [OPTIONS] | --trace -- CMD [ARGS...]",
	.summary = N_("the dashboard: step through a lab, watch its sockets live"),
	.help = help,
	.help_more = RUNOPTS_HELP,
	.help_end = help_end,
	.args = { .options = options, .max = CMD_ANY, .operand = N_("lab") },
	.exec = cmd_dash,
	.screen = 1,
};
