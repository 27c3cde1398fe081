/* cmd_check.c — socklab check: run labs unattended and verify every
 * expectation against the kernel; TAP for course and CI tooling. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "errtab/errtab.h"
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
	if (c->lab_skip && c->lab_pass + c->lab_fail == 0 && !c->lab_claims) {
		/* nothing ran at all */
		printf("%s%s%s %-24s skipped: %s\n", c->color ? "\033[33m" : "", glyph(GLYPH_SKIP),
		       c->color ? "\033[0m" : "", c->name, c->skip_why);
		return 0;
	}
	if (c->lab_skip)
		printf("%s%s%s %-24s %d/%d expectations met", c->color ? (bad ? "\033[31m" : "\033[33m") : "",
		       glyph(bad ? GLYPH_FAIL : GLYPH_SKIP), c->color ? "\033[0m" : "",
		       c->name, c->lab_pass, c->lab_pass + c->lab_fail);
	else
		printf("%s%s%s %-24s %d/%d expectations met", c->color ? (bad ? "\033[31m" : "\033[32m") : "",
		       glyph(bad ? GLYPH_FAIL : GLYPH_PASS), c->color ? "\033[0m" : "",
		       c->name, c->lab_pass, c->lab_pass + c->lab_fail);
	if (c->lab_claims)
		printf(", %d/%d claims proven", c->lab_proven, c->lab_claims);
	if (c->lab_skip)
		printf("; the rest skipped: %s", c->skip_why);
	putchar('\n');
	return 0;
}

static const char help[] =
	"LAB is a number (4), a range (1-7), a slug (addr-in-use) or the path of a\n"
	"lab executable; with none, every lab runs.  Each lab runs in its own fresh\n"
	"network namespace, without pauses.  With --host, the labs share the host's\n"
	"stack: each gets 5 ports of its own, the first lab from --port-base, the\n"
	"second 5 above it, and so on (at most 20 labs, 100 ports; a Python twin\n"
	"shares its lab number's).\n"
	"\n"
	"  --tap            Test Anything Protocol: one line per expectation\n"
	RUNOPTS_HELP
	"\n"
	"Exit status: 0 every expectation met, 1 some were not, 2 bad input or no\n"
	"sandbox could be made.\n";

enum { OPT_TAP = 256 };

static const struct option options[] = {
	{ "tap", no_argument, NULL, OPT_TAP },
	RUNOPTS_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int cmd_check(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	struct check_ctx c = { 0 };
	struct cmd_lab targets[MAX_TARGETS];
	size_t ntargets = 0, slot[MAX_TARGETS], nslots;
	struct runopts o;
	int ret;

	if ((ret = runopts_parse(a, &o)) != 0)
		return ret;
	CMD_FOR_OPTS(a, opt)
		c.tap |= opt->opt == OPT_TAP;
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
	c.color = !c.tap && cmd_use_color(STDOUT_FILENO);
	proc_catch_stop();
	for (size_t i = 0; i < ntargets; i++) {
		struct runopts lab_o = o;

		if (o.host)
			lab_o.port_base = o.port_base + (long)slot[i] * LAB_PORTS;
		if ((ret = check_one(&c, &targets[i], &lab_o)) != 0)
			return ret;
		if (proc_stop_signal()) {	/* arrived after a lab had finished */
			struct runner idle = { 0 };

			return runopts_failure(self, &idle, EINTR);
		}
	}
	if (c.tap)
		printf("1..%ld\n", c.tests);
	else
		printf("%ld passed, %ld failed%s\n", c.tests - c.failed - c.skipped, c.failed,
		       c.skipped ? (c.skipped == 1 ? ", 1 skipped" : ", some skipped") : "");
	fflush(stdout);
	return c.failed ? CMD_FAILED : CMD_OK;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[LAB|N-M ...] [--tap]",
	.summary = "run labs unattended and verify every expectation against the kernel",
	.help = help,
	.args = { .options = options, .max = CMD_ANY },
	.exec = cmd_check,
};
