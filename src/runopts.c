/* runopts.c — options and failure reports shared by lab-running commands. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "lab/runtime.h"
#include "proc/proc.h"
#include "runopts.h"
#include "sandbox/sandbox.h"

void runopts_init(struct runopts *o)
{
	o->host = 0;
	o->port_base = LAB_DEFAULT_PORT_BASE;
	o->timeout_ms = 10000;
}

int runopts_handle(const struct cmd_entry *self, struct runopts *o,
		   int opt, char **argv)
{
	switch (opt) {
	case RUNOPT_HOST:
		o->host = 1;
		return 1;
	case RUNOPT_PORT_BASE:
		/* a lab uses a few ports upward from the base */
		if (args_int(optarg, 1, 65535 - 99, &o->port_base) < 0)
			return cmd_usage_error(self, "--port-base wants a port 1..65436, got '%s'", optarg);
		return 1;
	case RUNOPT_TIMEOUT:
		if (args_int(optarg, 100, 600000, &o->timeout_ms) < 0)
			return cmd_usage_error(self, "--timeout wants milliseconds 100..600000, got '%s'", optarg);
		return 1;
	case ':':
		return cmd_usage_error(self, "option '%s' needs a value", argv[optind - 1]);
	case '?':
		return cmd_usage_error(self, "unknown option '%s' (see 'socklab %s --help')",
				       argv[optind - 1], self->name);
	default:
		return 0;
	}
}

void runopts_apply(const struct runopts *o, struct runner *r)
{
	r->host = o->host;
	r->port_base = (int)o->port_base;
	r->timeout_ms = (int)o->timeout_ms;
}

int runopts_failure(const struct cmd_entry *self, const struct runner *r, int err)
{
	const char *advice;

	fflush(stdout);
	if (proc_stop_signal()) {
		fprintf(stderr, "socklab %s: stopped by %s; the lab was ended\n",
			self->name, strsignal(proc_stop_signal()));
		return 128 + proc_stop_signal();
	}
	if (r->ended || err == ETIMEDOUT || err == EPROTO) {
		/* the lab ran and misbehaved: a failed expectation, in effect */
		fprintf(stderr, "socklab %s: %s\n", self->name, r->why);
		return CMD_FAILED;
	}
	advice = sandbox_advice(err, 1);
	fprintf(stderr, "socklab %s: %s%s%s\n", self->name, r->why,
		advice ? "; " : "", advice ? advice : "");
	return CMD_USAGE;
}
