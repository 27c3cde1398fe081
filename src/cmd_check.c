/* cmd_check.c — socklab check: run labs unattended and verify every
 * expectation against the kernel; TAP for course and CI tooling. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "cmd.h"
#include "errtab/errtab.h"
#include "i18n.h"
#include "lab/claim.h"
#include "lab/outcome.h"
#include "runner/registry.h"
#include "lab/runtime.h"
#include "runner/pylabs.h"
#include "runner/runner.h"
#include "proc/proc.h"
#include "render/glyphs.h"
#include "render/report.h"
#include "runopts.h"

#define MAX_TARGETS 64

struct check_ctx {
	int tap;
	int color;
	int times;		/* --times: each lab's wall time and set-up */
	long long t_start, t_lab, t_hosts;	/* us: the run began, the lab
						 * announced itself, its last host */
	long tests;		/* TAP test number */
	long failed;
	long skipped;
	char name[80];		/* "04 addr-in-use" */
	long step;
	int lab_pass, lab_fail, lab_skip;
	int lab_claims, lab_proven, lab_unproven;
	char skip_why[160];
	struct claim_fold claims;	/* claim.h decides what the run proved */
};

static void verdict(struct check_ctx *c, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void verdict(struct check_ctx *c, int ok, const char *fmt, ...)
{
	va_list ap;

	c->tests++;
	if (ok)
		c->lab_pass++;
	else
		c->lab_fail++, c->failed++;
	if (c->tap)
		printf("%s %ld - %s: ", ok ? "ok" : "not ok", c->tests, c->name);
	else if (!ok)
		printf("    %s%s%s ", c->color ? "\033[31m" : "", glyph(GLYPH_FAIL),
		       c->color ? "\033[0m" : "");
	else
		return;		/* the summary line counts passes */
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* One TAP point per claim, as claim.h decided it. */
static void claim_points(struct check_ctx *c, const struct claim_result *res, int n)
{
	for (int i = 0; i < n; i++) {
		const struct claim_result *cr = &res[i];
		char where[32];

		if (cr->step)
			snprintf(where, sizeof where, "step %ld", cr->step);
		else
			snprintf(where, sizeof where, "line %ld, not reached", cr->line);
		c->lab_claims++;
		if (cr->outcome == CLAIM_SKIPPED) {
			c->tests++;
			c->skipped++;
			if (c->tap)
				printf("ok %ld - %s: claim %s (%s) # SKIP %s\n", c->tests, c->name,
				       cr->id, where, cr->why[0] ? cr->why : "skipped");
			continue;
		}
		if (cr->outcome == CLAIM_PROVEN) {
			c->lab_proven++;
			c->lab_pass--;	/* verdict() counts it; it is no expectation */
			verdict(c, 1, "claim %s (%s)", cr->id, where);
		} else {
			c->lab_fail--;
			c->lab_unproven++;
			verdict(c, 0, "claim %s (%s): %s: %s", cr->id, where, outcome_claim(0, 0), cr->why);
		}
	}
}

static void on_event(struct runner *r, const struct proto_event *ev)
{
	struct check_ctx *cx = r->ctx;

	if (ev->kind == PROTO_LAB)
		cx->t_lab = proc_now_us();
	else if (ev->kind == PROTO_HOST)
		cx->t_hosts = proc_now_us();
	struct check_ctx *c = r->ctx;
	char said[224];
	struct claim_result done[CLAIM_MAX_OPEN];

	claim_points(c, done, claim_fold_feed(&c->claims, ev, done, CLAIM_MAX_OPEN));

	switch (ev->kind) {
	case PROTO_LAB:
		snprintf(c->name, sizeof c->name, "%02ld %s", ev->num, ev->slug);
		break;
	case PROTO_STEP:
		c->step = ev->step;
		break;
	case PROTO_CALL:
		if (ev->ok) {
			outcome_result(said, sizeof said, ev, report_errno_text);
			verdict(c, 1, "step %ld line %ld: %s = %s", c->step, ev->line, ev->expr, said);
		} else {
			outcome_mismatch(said, sizeof said, ev, report_errno_text);
			verdict(c, 0, "step %ld line %ld: %s: %s", c->step, ev->line, ev->expr, said);
		}
		break;
	case PROTO_CHECK:
		verdict(c, (int)ev->ok, "step %ld line %ld: %s %s", c->step, ev->line, ev->expr,
			outcome_check(ev->ok));
		break;
	case PROTO_SKIP:
		/* TAP: a test that could not run here, and why */
		c->tests++;
		c->skipped++;
		c->lab_skip++;
		snprintf(c->skip_why, sizeof c->skip_why, "%.159s", ev->text);
		if (c->tap)
			printf("ok %ld - %s: step %ld line %ld # SKIP %s\n", c->tests, c->name,
			       c->step, ev->line, ev->text);
		break;
	case PROTO_ERROR:
		if (ev->line)
			verdict(c, 0, "%s at line %ld: %s", OUTCOME_LAB_ERROR, ev->line, ev->text);
		else
			verdict(c, 0, "%s: %s", OUTCOME_LAB_ERROR, ev->text);
		break;
	default:
		break;
	}
}

/* 0 after the lab ran (whatever it found), else the exit status. */
static int check_one(struct check_ctx *c, const struct cmd_lab *t, const struct runopts *o)
{
	struct runner r = { .on_event = on_event, .ctx = c };
	int bad;

	r.lab = t->lab;
	r.exec_path = t->path;
	runopts_apply(o, &r);
	c->lab_pass = c->lab_fail = c->lab_skip = 0;
	c->lab_claims = c->lab_proven = c->lab_unproven = 0;
	c->step = 0;
	c->t_start = proc_now_us();
	c->t_lab = c->t_hosts = 0;
	claim_fold_init(&c->claims);
	if (t->lab)
		snprintf(c->name, sizeof c->name, "%02d %s", t->lab->number, t->lab->slug);
	else
		snprintf(c->name, sizeof c->name, "%s", t->path);
	fflush(stdout);
	/* a Python twin where there is no python3 (a minimal system, the
	 * kernels' VMs): skipped, and why, not a lab that cannot start */
	if (pylabs_is_python(t->lab) && !pylabs_available(c->skip_why, sizeof c->skip_why)) {
		c->tests++;
		c->skipped++;
		c->lab_skip++;
		if (c->tap) {
			printf("ok %ld - %s # SKIP %s\n", c->tests, c->name, c->skip_why);
			return 0;
		}
		goto summary;
	}
	if (runner_run(&r) < 0) {
		int err = errno;

		/* a lab that ran and misbehaved is a failed test; a signal, or a
		 * lab that could not start (no sandbox, not a lab), ends it all */
		if (proc_stop_signal() || (!r.ended && err != ETIMEDOUT && err != EPROTO))
			return runopts_failure(&cmd_check_entry, &r, err);
		verdict(c, 0, "%s", r.why);
		{
			struct claim_result done[CLAIM_MAX_OPEN];

			claim_points(c, done, claim_fold_finish(&c->claims, r.why, done,
								CLAIM_MAX_OPEN));
		}
	} else if (r.exit_status != 0 && c->lab_fail == 0) {
		verdict(c, 0, "the lab exited with status %d", r.exit_status);
	}
	if (c->tap)
		return 0;
summary:
	bad = c->lab_fail || c->lab_unproven;
	if (c->lab_skip && c->lab_pass + c->lab_fail == 0 && !c->lab_proven && !c->lab_unproven) {
		/* nothing ran at all (its claims were skipped with it) */
		printf(_("%s%s%s %-24s skipped: %s\n"), c->color ? "\033[33m" : "", glyph(GLYPH_SKIP),
		       c->color ? "\033[0m" : "", c->name, c->skip_why);
		return 0;
	}
	if (c->lab_skip)
		printf(_("%s%s%s %-24s %d/%d expectations met"), c->color ? (bad ? "\033[31m" : "\033[33m") : "",
		       glyph(bad ? GLYPH_FAIL : GLYPH_SKIP), c->color ? "\033[0m" : "",
		       c->name, c->lab_pass, c->lab_pass + c->lab_fail);
	else
		printf(_("%s%s%s %-24s %d/%d expectations met"), c->color ? (bad ? "\033[31m" : "\033[32m") : "",
		       glyph(bad ? GLYPH_FAIL : GLYPH_PASS), c->color ? "\033[0m" : "",
		       c->name, c->lab_pass, c->lab_pass + c->lab_fail);
	if (c->lab_claims)
		printf(_(", %d/%d claims proven"), c->lab_proven, c->lab_claims);
	if (c->lab_skip)
		printf(_("; the rest skipped: %s"), c->skip_why);
	if (c->times) {
		long long end = proc_now_us();

		/* set-up: the sandbox until the lab's first event; its network
		 * (lab_host) until the last host was up */
		printf("  %.2f s (sandbox %.3f s", (double)(end - c->t_start) / 1e6,
		       c->t_lab ? (double)(c->t_lab - c->t_start) / 1e6 : 0.0);
		if (c->t_hosts && c->t_lab)
			printf(", hosts %.3f s", (double)(c->t_hosts - c->t_lab) / 1e6);
		putchar(')');
	}
	putchar('\n');
	return 0;
}

static const char help[] =
	N_("LAB is a number (4), a range (1-7), a slug (addr-in-use) or the path of a\n"
	"lab executable; with none, every lab runs.  Each lab runs in its own fresh\n"
	"network namespace, without pauses.  With --host, the labs share the host's\n"
	"stack: each gets 4 ports of its own, the first lab from --port-base, the\n"
	"second 4 above it, and so on (at most 25 labs, 100 ports; a Python twin\n"
	"shares its lab number's).\n"
	"\n"
	"  --tap            Test Anything Protocol: one line per expectation\n"
	"  -j, --jobs N     run N labs at once (default: twice the processors, at\n"
	"                   most 8; with --host, 1); the output stays in lab order\n"
	"  --times          after each lab its wall time, and its set-up: the\n"
	"                   sandbox, and the network of its hosts (lab_host)\n");

static const char help_end[] =
	N_("\n"
	"Exit status: 0 every expectation met, 1 some were not, 2 bad input or no\n"
	"sandbox could be made.\n");

enum { OPT_TAP = 256, OPT_TIMES };

static const char shortopts[] = "j:";

static const struct option options[] = {
	{ "tap", no_argument, NULL, OPT_TAP },
	{ "jobs", required_argument, NULL, 'j' },
	{ "times", no_argument, NULL, OPT_TIMES },
	RUNOPTS_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* One lab's counts, written by its worker where the parent reads them
 * (shared memory: the worker is a forked process) */
struct check_result {
	long tests, failed, skipped;
	int ret;		/* check_one's: 0, or an exit status (no sandbox) */
	int done;		/* 1: the worker got that far */
};

struct check_run {
	struct check_ctx proto;		/* tap, color, times */
	const struct cmd_lab *targets;
	const struct runopts *opts;	/* the run's */
	const size_t *slot;		/* each lab's ports, with --host */
	struct check_result *res;	/* shared, one a lab */
	long tests, failed, skipped;	/* so far, in lab order */
	int ret;			/* the first worker's failure, 0 none */
};

static int check_task(size_t i, void *ctx)
{
	struct check_run *run = ctx;
	struct check_ctx c = run->proto;
	struct runopts lab_o = *run->opts;
	int ret;

	if (lab_o.host)
		lab_o.port_base = run->opts->port_base + (long)run->slot[i] * LAB_PORTS;
	ret = check_one(&c, &run->targets[i], &lab_o);
	if (ret == 0 && proc_stop_signal())
		ret = CMD_FAILED;	/* told to stop: the parent knows why */
	run->res[i] = (struct check_result){ c.tests, c.failed, c.skipped, ret, 1 };
	return ret;
}

/* A lab's output, in lab order: its TAP points numbered on from the labs
 * before it */
static int check_told(size_t i, const char *out, size_t outlen, const char *err, size_t errlen,
		      int status, void *ctx)
{
	struct check_run *run = ctx;
	const struct check_result *r = &run->res[i];

	fwrite(err, 1, errlen, stderr);
	if (r->done && r->ret != 0) {
		run->ret = r->ret;	/* no sandbox, a signal: it said why, all stop */
		return -1;
	}
	if (!r->done) {
		/* its worker died (killed, out of memory): what it printed, and
		 * the lab counted as a failure, not the run cut short */
		const struct cmd_lab *t = &run->targets[i];
		char name[80];

		if (t->lab)
			snprintf(name, sizeof name, "%02d %s", t->lab->number, t->lab->slug);
		else
			snprintf(name, sizeof name, "%s", t->path);
		if (!run->proto.tap)
			fwrite(out, 1, outlen, stdout);	/* TAP: its points unnumbered */
		run->tests++;
		run->failed++;
		if (run->proto.tap)
			printf("not ok %ld - %s: its check died (%s %d)\n", run->tests, name,
			       WIFSIGNALED(status) ? "signal" : "exit status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		else
			printf("%s %-24s its check died (%s %d)\n", glyph(GLYPH_FAIL), name,
			       WIFSIGNALED(status) ? "signal" : "exit status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		fflush(stdout);
		return 0;
	}
	for (const char *p = out; p < out + outlen;) {
		const char *nl = memchr(p, '\n', (size_t)(out + outlen - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(out + outlen - p);
		int head = strncmp(p, "ok ", 3) == 0 ? 3 : strncmp(p, "not ok ", 7) == 0 ? 7 : 0;
		char *end;
		long num = head ? strtol(p + head, &end, 10) : 0;

		if (run->proto.tap && head && end > p + head)
			printf("%.*s%ld%.*s", head, p, run->tests + num, (int)(p + len - end), end);
		else
			fwrite(p, 1, len, stdout);
		p += len;
	}
	fflush(stdout);
	run->tests += r->tests;
	run->failed += r->failed;
	run->skipped += r->skipped;
	return 0;
}

static int cmd_check(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	struct check_run run;
	struct cmd_lab targets[MAX_TARGETS];
	size_t ntargets = 0, slot[MAX_TARGETS], nslots;
	struct runopts o;
	long jobs = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	memset(&run, 0, sizeof run);
	if ((ret = runopts_parse(a, &o)) != 0)
		return ret;
	CMD_FOR_OPTS(a, opt) {
		run.proto.tap |= opt->opt == OPT_TAP;
		run.proto.times |= opt->opt == OPT_TIMES;
		if (opt->opt == 'j' && cmd_opt_long(a, opt, 1, MAX_TARGETS, "1..64 labs", &jobs))
			return CMD_USAGE;
	}
	for (int i = 0; i < a->argc; i++)
		if ((ret = cmd_lab_arg(self, a->argv[i], 1, targets, MAX_TARGETS, &ntargets)) != 0)
			return ret;
	if (a->argc == 0)
		for (size_t i = 0; i < registry_count() && ntargets < MAX_TARGETS; i++)
			targets[ntargets++] = (struct cmd_lab){ registry_at(i), NULL };

	/* on the host, what one lab leaves (TIME-WAIT) must not be in the
	 * next one's way: each lab its own ports, within the run's 100; a
	 * Python twin (pylabs.h: UDP, nothing left behind) shares the ports
	 * of its lab number */
	nslots = 0;
	for (size_t i = 0; i < ntargets; i++) {
		slot[i] = nslots;
		for (size_t k = 0; k < i; k++)
			if (targets[k].lab && targets[i].lab &&
			    targets[k].lab->number == targets[i].lab->number) {
				slot[i] = slot[k];
				break;
			}
		if (slot[i] == nslots)
			nslots++;
	}
	if (o.host && nslots > 100 / LAB_PORTS)
		return cmd_usage_error(self, "with --host, at most %d labs in one run (%d ports each)",
				       100 / LAB_PORTS, LAB_PORTS);
	/* each lab in its own sandbox: they run side by side (most of a
	 * lab's time is waiting for what must not arrive); on the host's
	 * stack one at a time, a lab and its twin share ports */
	if (o.host && jobs > 1)
		return cmd_usage_error(self, "-j with --host: the labs of a host run share its "
				       "loopback ports, one at a time");
	if (jobs == 0)
		jobs = o.host ? 1 : cpus > 0 ? (cpus * 2 < 8 ? cpus * 2 : 8) : 2;
	run.proto.color = !run.proto.tap && cmd_use_color(STDOUT_FILENO);
	run.targets = targets;
	run.opts = &o;
	run.slot = slot;
	run.res = mmap(NULL, sizeof *run.res * (ntargets ? ntargets : 1), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (run.res == MAP_FAILED) {
		fprintf(stderr, _("socklab check: %s\n"), strerror(errno));
		return CMD_USAGE;
	}
	proc_catch_stop();
	if (proc_jobs(ntargets, (int)jobs, check_task, check_told, &run) < 0 && run.ret == 0) {
		struct runner idle = { 0 };

		munmap(run.res, sizeof *run.res * (ntargets ? ntargets : 1));
		return runopts_failure(self, &idle, proc_stop_signal() ? EINTR : errno);
	}
	munmap(run.res, sizeof *run.res * (ntargets ? ntargets : 1));
	if (run.ret)
		return run.ret;
	if (run.proto.tap)
		printf("1..%ld\n", run.tests);
	else
		printf(_("%ld passed, %ld failed%s\n"), run.tests - run.failed - run.skipped, run.failed,
		       run.skipped ? (run.skipped == 1 ? _(", 1 skipped") : _(", some skipped")) : "");
	fflush(stdout);
	return run.failed ? CMD_FAILED : CMD_OK;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[LAB|N-M ...] [--tap] [-j N] [--times]",
	.summary = N_("run labs unattended and verify every expectation against the kernel"),
	.help = help,
	.help_more = RUNOPTS_HELP,
	.help_end = help_end,
	.args = { .options = options, .shortopts = shortopts, .max = CMD_ANY },
	.exec = cmd_check,
};
