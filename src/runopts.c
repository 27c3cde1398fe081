/* runopts.c — options and failure reports shared by lab-running commands. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lab/runtime.h"
#include "proc/proc.h"
#include "runopts.h"
#include "sandbox/sandbox.h"

int runopts_parse(const struct cmd_args *a, struct runopts *ro)
{
	ro->host = 0;
	ro->port_base = LAB_DEFAULT_PORT_BASE;
	ro->timeout_ms = 0;	/* the runner's default: 10 s, a Python lab 30 s */
	CMD_FOR_OPTS(a, o) {
		/* a lab uses a few ports upward from the base */
		if (o->opt == RUNOPT_PORT_BASE &&
		    cmd_opt_long(a, o, 1, 65535 - 99, "a port 1..65436", &ro->port_base))
			return CMD_USAGE;
		if (o->opt == RUNOPT_TIMEOUT &&
		    cmd_opt_long(a, o, 100, 600000, "milliseconds 100..600000", &ro->timeout_ms))
			return CMD_USAGE;
		ro->host |= o->opt == RUNOPT_HOST;
	}
	return 0;
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
