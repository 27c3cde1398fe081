/* produce.c — the tracer as a producer of lab events (trace.h:
 * trace_lab): run under the runner, in host mode, by the dashboard's
 * --trace.  Each socket call of the program is a step the program waits
 * at; the consumer's go lets the kernel answer it.  A refused bind is
 * followed by the bind doctor's diagnosis, as notes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab/proto.h"
#include "trace.h"

static char *const *targv;
static struct {
	int ctl, gate;
	long steps;
	pid_t roles[64];
	int nroles;
} pr = { .ctl = -1, .gate = -1 };

void trace_lab_argv(char *const argv[])
{
	targv = argv;
}

static void emit(struct proto_event *ev)
{
	char line[PROTO_LINE_MAX];
	size_t n = proto_encode(line, sizeof line, ev);

	if (n && write(pr.ctl, line, n) < 0)
		_exit(1);	/* the consumer is gone: so is the trace */
}

/* The consumer's "go" after a step or the end; exits when it never comes. */
static void wait_go(void)
{
	char c;

	while (read(pr.gate, &c, 1) == 1)
		if (c == '\n')
			return;
	_exit(0);
}

static void on_entry(const struct trace_call *c, void *ctx)
{
	struct proto_event ev = { .kind = PROTO_STEP, .pid = c->tgid };
	int known = 0;

	(void)ctx;
	for (int i = 0; i < pr.nroles; i++)
		known |= pr.roles[i] == c->tgid;
	if (!known && pr.nroles < 64) {
		/* a process of the program: a role, named by its command */
		struct proto_event r = { .kind = PROTO_ROLE, .pid = c->tgid };

		snprintf(r.name, sizeof r.name, "%s", c->comm);
		emit(&r);
		pr.roles[pr.nroles++] = c->tgid;
	}
	ev.step = ++pr.steps;
	ev.line = pr.steps;
	snprintf(ev.role, sizeof ev.role, "%s", c->comm);
	trace_describe(c, ev.title, sizeof ev.title);
	emit(&ev);
	wait_go();
}

/* A refused bind: the doctor's lines as notes after its call, while the
 * program waits (host mode: the doctor reads the same namespace). */
static void diagnose(const struct trace_call *c)
{
	char text[2048];

	if (!trace_diagnose(c, text, sizeof text))
		return;
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		struct proto_event ev = { .kind = PROTO_NOTE, .pid = c->tgid, .line = pr.steps };

		snprintf(ev.role, sizeof ev.role, "%s", c->comm);
		snprintf(ev.text, sizeof ev.text, "%s", l);
		emit(&ev);
	}
}

static void on_exit_call(const struct trace_call *c, void *ctx)
{
	struct proto_event ev = { .kind = PROTO_CALL, .pid = c->tgid, .line = pr.steps };

	(void)ctx;
	ev.ret = c->ret < 0 ? -1 : c->ret;
	ev.err = c->ret < 0 ? -c->ret : 0;
	ev.want = ev.err;	/* no expectation: what the kernel answered */
	ev.ok = 1;
	ev.observe = 1;
	snprintf(ev.role, sizeof ev.role, "%s", c->comm);
	trace_describe(c, ev.expr, sizeof ev.expr);
	emit(&ev);
	if (c->kind == TRACE_BIND && (c->ret == -EADDRINUSE || c->ret == -EACCES))
		diagnose(c);
}

static int produce_main(void)
{
	const char *c = getenv("SOCKLAB_CONTROL_FD"), *g = getenv("SOCKLAB_GATE_FD");
	char why[256];
	int ret;

	pr.ctl = c ? atoi(c) : -1;
	pr.gate = g ? atoi(g) : -1;
	if (pr.ctl < 0 || pr.gate < 0 || !targv)
		return 2;
	ret = trace_run_stepped(targv, on_entry, on_exit_call, NULL, why, sizeof why);
	if (ret < 0) {
		struct proto_event ev = { .kind = PROTO_ERROR, .pid = getpid() };

		snprintf(ev.text, sizeof ev.text, "%s", why);
		emit(&ev);
	}
	{
		struct proto_event ev = { .kind = PROTO_END };

		emit(&ev);
		wait_go();
	}
	return ret < 0 ? 2 : ret;
}

const struct lab_info trace_lab = {
	0, "trace", "Trace", "a program's socket calls, each a step", "(trace)", produce_main,
};
