/* runopts.h — the options every lab-running command shares (run, check,
 * later dash): where the lab runs, its ports, how long it may be silent;
 * and how a failed run is told to the user. */
#ifndef SOCKLAB_RUNOPTS_H
#define SOCKLAB_RUNOPTS_H

#include <getopt.h>

#include "cmd.h"
#include "runner/runner.h"

enum { RUNOPT_HOST = 512, RUNOPT_PORT_BASE, RUNOPT_TIMEOUT };

/* For a command's struct option table. */
#define RUNOPTS_LONGOPTS                                                      \
	{ "host", no_argument, NULL, RUNOPT_HOST },                           \
	{ "port-base", required_argument, NULL, RUNOPT_PORT_BASE },           \
	{ "timeout", required_argument, NULL, RUNOPT_TIMEOUT }

#define RUNOPTS_HELP                                                          \
	N_("  --host           use this host's real stack (loopback only) instead of a\n" \
	"                   fresh network namespace; ports start at --port-base\n" \
	"  --port-base N    the lab's first port, LAB_PORT (default 5000; with --host\n" \
	"                   choose a free range, e.g. 45000)\n"                 \
	"  --timeout MS     a lab silent this long is stopped (default 10000; a\n"  \
	"                   Python lab's 30000: its interpreter's start-up)\n")

struct runopts {
	int host;
	long port_base;
	long timeout_ms;
};

/* The options above from the command line a, into *o (the defaults for
 * those not given); the command's own it leaves alone.  0, or CMD_USAGE
 * after printing one line (a bad value). */
int runopts_parse(const struct cmd_args *a, struct runopts *o);

void runopts_apply(const struct runopts *o, struct runner *r);

/* After runner_run() failed with err: print one line and choose the exit
 * status (128+signal, CMD_USAGE when the lab could not start — no
 * sandbox, not a lab — else CMD_FAILED). */
int runopts_failure(const struct cmd_entry *self, const struct runner *r, int err);

#endif
