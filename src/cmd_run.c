/* cmd_run.c — socklab run: one lab in the terminal, step by step, with
 * the kernel's socket table after every step. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "inspect/inspect.h"
#include "lab/claim.h"
#include "runner/registry.h"
#include "runner/runner.h"
#include "lab/runtime.h"
#include "runner/steps.h"
#include "proc/proc.h"
#include "render/report.h"
#include "wire/wire.h"
#include "runopts.h"
#include "termguard.h"

struct run_ctx {
	struct report rp;
	struct steps_step cur;
	int have_step;
	int step_mode;
	int host;
	long port_base;
	char *source;		/* lab source: embedded copy, or read from disk */
	int source_owned;
	struct inspect_snap snap, prev, gone;	/* after this step, the last, and what went */
	struct claim_fold claims;	/* claim.h decides what the run proved */
	int wire;			/* --wire: what crossed the links, a step at a time */
	struct wire_pcap *pcap;		/* --pcap FILE */
	unsigned long frames;		/* written to it */
};

/* The claims that ev settled (or the run's end did), shown with the step
 * they belong to: the one whose body is printed next. */
static void add_claims(struct run_ctx *c, const struct claim_result *res, int n)
{
	for (int i = 0; i < n; i++) {
		struct proto_event ev;

		steps_claim_event(&ev, &res[i]);
		steps_add(&c->cur, &ev);
		c->have_step = 1;
	}
}

static const char *role_label(const void *ctx, int pid)
{
	return runner_role_of(ctx, pid);
}

static void show_table(struct runner *r, struct run_ctx *c, const char *caption)
{
	const struct report_labels roles = { .label = role_label, .ctx = r };
	struct inspect_snap tmp;

	if (runner_table(r, NULL, &c->snap) < 0) {
		fprintf(c->rp.out, _("  (cannot read the socket table: %s)\n"), strerror(errno));
		return;
	}
	if (inspect_diff(&c->prev, &c->snap, &c->gone) < 0)
		c->gone.n = 0;
	report_table(&c->rp, &c->snap, &c->gone, &roles, caption);
	/* this step's table is the next step's "before" */
	tmp = c->prev;
	c->prev = c->snap;
	c->snap = tmp;
}

static void on_event(struct runner *r, const struct proto_event *ev)
{
	struct run_ctx *c = r->ctx;
	struct claim_result done[CLAIM_MAX_OPEN];

	add_claims(c, done, claim_fold_feed(&c->claims, ev, done, CLAIM_MAX_OPEN));
	switch (ev->kind) {
	case PROTO_LAB:
		/* a lab executable may be a student's edit of a shipped lab:
		 * its own file first; a linked lab's embedded copy first */
		if (r->exec_path && (c->source = registry_read_source(ev->file)) != NULL)
			c->source_owned = 1;
		else if ((c->source = (char *)registry_source(ev->file)) == NULL &&
			 (c->source = registry_read_source(ev->file)) != NULL)
			c->source_owned = 1;
		report_lab(&c->rp, ev, ev->text, c->host);
		break;
	default:
		if (proto_is_outcome(ev->kind)) {
			steps_add(&c->cur, ev);
			c->have_step = 1;
		}
		break;
	}
}

/* Wait until stdin has something to read, or a stop signal came: -1.
 * proc_wait() cannot miss one that arrives just before the wait (with
 * fgets alone, SIGINT between two steps was lost and socklab waited for
 * an Enter that never came). */
static int await_input(void)
{
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

		if (proc_wait(&p, 1, -1) >= 0 || errno != EINTR)
			return 0;
		if (proc_stop_signal())
			return -1;
	}
}

/* On a terminal, --step reads single keys: the terminal is out of
 * canonical mode (and echo) only while a prompt waits, and back before
 * anything else runs.  The signals socklab catches come back through
 * prompt(); ^Z hands the shell its modes while stopped (on_tstp); for
 * the rest (SIGKILL, ^\ SIGQUIT) the termguard watcher restores the
 * modes saved here. */
static struct termios saved_tty, key_tty;
static int have_tty;
static volatile sig_atomic_t keys_active;	/* a prompt waits in key mode */

/* ^Z at a prompt: the shell gets its modes back while we are stopped,
 * and key mode returns when we are continued in the foreground. */
static void on_tstp(int sig)
{
	int saved = errno;
	sigset_t s;

	if (keys_active)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);		/* stopped here until SIGCONT */
	signal(sig, on_tstp);
	errno = saved;
}

static void on_cont(int sig)
{
	int saved = errno;

	(void)sig;
	if (keys_active && tcgetpgrp(STDIN_FILENO) == getpgrp())
		tcsetattr(STDIN_FILENO, TCSANOW, &key_tty);
	errno = saved;
}

static void keys_on(void)
{
	key_tty = saved_tty;
	key_tty.c_lflag &= ~(tcflag_t)(ICANON | ECHO);	/* ISIG stays: ^C is a signal */
	key_tty.c_cc[VMIN] = 1;
	key_tty.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &key_tty);
	keys_active = 1;
}

static void keys_off(void)
{
	keys_active = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/* One key at the prompt: 0 run the step, 1 quit, 2 stop pausing (^D or
 * end of input), -1 a signal.  Keys that mean nothing are ignored. */
static int read_key(void)
{
	for (;;) {
		unsigned char k;
		ssize_t n;

		if (await_input() < 0)
			return -1;
		n = read(STDIN_FILENO, &k, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || k == 4)	/* ^D is a byte here, not end of file */
			return proc_stop_signal() ? -1 : 2;
		if (k == 'q' || k == 'Q')
			return 1;
		if (k == '\n' || k == '\r' || k == ' ' || k == 'n')
			return 0;
	}
}

/* Wait for Enter before a step; "q" quits (on a terminal at once, as a
 * key; otherwise as a line).  EOF: stop pausing. */
static int prompt(struct run_ctx *c, const struct proto_event *ev)
{
	char line[64];
	int k;

	if (have_tty) {
		fprintf(c->rp.out, _("  %s-- Enter runs step %ld, q quits --%s "),
			c->rp.color ? "\033[2m" : "", ev->step, c->rp.color ? "\033[0m" : "");
		fflush(c->rp.out);
		keys_on();
		k = read_key();
		keys_off();
		fputc('\n', c->rp.out);	/* echo was off: the key's own line */
		fflush(c->rp.out);
		if (k == 2)
			c->step_mode = 0;
		return k == 0 || k == 2 ? 0 : -1;
	}
	if (await_input() < 0)
		return -1;	/* a signal: socklab ends */
	if (fgets(line, sizeof line, stdin) == NULL) {
		if (proc_stop_signal())
			return -1;
		c->step_mode = 0;
		return 0;
	}
	return line[0] == 'q' ? -1 : 0;
}

/* The frames since the last pause: into the pcap, and (--wire) said. */
static void show_wire(struct runner *r, struct run_ctx *c, long step)
{
	static struct wire_frame f[256];
	static struct wire_pkt p[256];
	char caption[128], unseen[160];
	size_t n = 0, got;

	if (r->wire < 0) {
		if (c->wire) {
			snprintf(unseen, sizeof unseen, _("not captured: %s"),
				 r->host ? _("on the host's stack socklab captures nothing") :
					   strerror(r->wire_err));
			snprintf(caption, sizeof caption, _("on the wire during step %ld"), step);
			report_wire(&c->rp, NULL, 0, caption, unseen);
		}
		return;
	}
	/* every frame waiting; beyond 256 a step's are counted, not said */
	while ((got = wire_read(r->wire, f, sizeof f / sizeof f[0], NULL)) > 0) {
		for (size_t i = 0; i < got; i++) {
			if (!runner_wire_keep(r, f[i].ifindex))
				continue;	/* a switch's copy of a port's frame */
			wire_pcap_write(c->pcap, &f[i]);
			c->frames++;
			if (n < sizeof p / sizeof p[0]) {
				wire_decode(&f[i], &p[n]);
				runner_wire_name(r, &p[n++]);
			}
		}
		if (got < sizeof f / sizeof f[0])
			break;
	}
	if (!c->wire || (step == 0 && n == 0))
		return;	/* (before the first step: only when something crossed) */
	if (step)
		snprintf(caption, sizeof caption, _("on the wire during step %ld"), step);
	else
		snprintf(caption, sizeof caption, "%s", _("on the wire before the first step"));
	report_wire(&c->rp, p, n, caption, NULL);
}

static int on_pause(struct runner *r, const struct proto_event *ev)
{
	struct run_ctx *c = r->ctx;
	char caption[128];

	if (c->have_step) {
		report_step_body(&c->rp, &c->cur, c->source);
		if (c->cur.step.step)
			snprintf(caption, sizeof caption, _("sockets after step %ld"), c->cur.step.step);
		else
			snprintf(caption, sizeof caption, "%s", _("sockets before the first step"));
		show_table(r, c, caption);
		show_wire(r, c, c->cur.step.step);
	} else {
		show_wire(r, c, 0);
	}
	if (ev->kind == PROTO_END) {
		report_end(&c->rp, ev);
		fflush(c->rp.out);
		return 0;
	}
	memset(&c->cur, 0, sizeof c->cur);
	c->cur.step = *ev;
	c->cur.last_line = 0;
	c->have_step = 1;
	report_step_head(&c->rp, &c->cur);
	fflush(c->rp.out);
	if (c->step_mode)
		return prompt(c, ev);
	return 0;
}

static const char help[] =
	N_("LAB is a lab number (4, 04), a slug (addr-in-use), or the path of a lab\n"
	"executable (./build/labs/04-addr-in-use).\n"
	"\n"
	"  --step           pause before each step: Enter runs it, q quits (on a\n"
	"                   terminal q needs no Enter; else one answer a line)\n"
	"  --markdown       write the run as a Markdown handout (not with --step)\n"
	"  --wire           after each step, what crossed the sandbox's links (lo,\n"
	"                   veths): a line a packet, captured in the sandbox only\n"
	"  --pcap FILE      write those frames to FILE, a pcap file that tcpdump and\n"
	"                   Wireshark read\n");

static const char help_end[] =
	N_("\n"
	"Exit status: 0 every expectation met, 1 some were not, 2 bad input or no\n"
	"sandbox could be made.\n");

enum { OPT_STEP = 256, OPT_MARKDOWN, OPT_WIRE, OPT_PCAP };

static const struct option options[] = {
	{ "step", no_argument, NULL, OPT_STEP },
	{ "markdown", no_argument, NULL, OPT_MARKDOWN },
	{ "wire", no_argument, NULL, OPT_WIRE },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	RUNOPTS_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int cmd_run(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	struct run_ctx c = { .rp = { .out = stdout, .style = REPORT_TEXT } };
	struct runner r = { .on_event = on_event, .on_pause = on_pause, .ctx = &c };
	struct cmd_lab lab;
	size_t n = 0;
	struct runopts o;
	const char *pcap = NULL;
	char why[256];
	int ret;

	if ((ret = runopts_parse(a, &o)) != 0)
		return ret;
	CMD_FOR_OPTS(a, opt) {
		if (opt->opt == OPT_STEP)
			c.step_mode = 1;
		else if (opt->opt == OPT_MARKDOWN)
			c.rp.style = REPORT_MARKDOWN;
		else if (opt->opt == OPT_WIRE)
			c.wire = 1;
		else if (opt->opt == OPT_PCAP)
			pcap = opt->arg;
	}
	if (pcap && o.host)
		return cmd_usage_error(self, "--pcap and --host: socklab captures the sandbox's links "
				       "only, never the host's");
	/* the prompts would land in the handout */
	if (c.step_mode)	/* no read-ahead: a poll on stdin must see every line */
		setvbuf(stdin, NULL, _IONBF, 0);
	if (c.step_mode && c.rp.style == REPORT_MARKDOWN)
		return cmd_usage_error(self, "--step and --markdown: a handout does not pause, drop --step");
	if (a->argc == 0)
		return cmd_usage_error(self, "which lab? (see 'socklab list')");
	if ((ret = cmd_lab_arg(self, a->argv[0], 0, &lab, 1, &n)) != 0)
		return ret;
	r.lab = lab.lab;
	r.exec_path = lab.path;
	r.want_wire = c.wire || pcap;
	if (pcap && (c.pcap = wire_pcap_open(pcap, why, sizeof why)) == NULL)
		return cmd_usage_error(self, "--pcap %s: %s", pcap, why);
	c.rp.color = c.rp.style == REPORT_TEXT && cmd_use_color(STDOUT_FILENO);
	c.host = o.host;
	c.port_base = o.port_base;
	runopts_apply(&o, &r);

	proc_catch_stop();
	/* single keys at the prompts; the watcher must start before the
	 * runner makes us a subreaper (termguard.h) */
	if (c.step_mode && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tty) == 0) {
		struct sigaction sa;

		have_tty = 1;
		termguard_start(&saved_tty, NULL, 0);
		memset(&sa, 0, sizeof sa);
		sa.sa_flags = SA_RESTART;
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
		sa.sa_handler = on_cont;
		sigaction(SIGCONT, &sa, NULL);
	}
	claim_fold_init(&c.claims);
	ret = runner_run(&r);
	if (have_tty) {
		keys_off();
		termguard_stop();
	}
	if (ret < 0 && c.have_step && !r.ended) {
		struct claim_result done[CLAIM_MAX_OPEN];

		add_claims(&c, done, claim_fold_finish(&c.claims, r.why, done, CLAIM_MAX_OPEN));
		report_step_body(&c.rp, &c.cur, c.source);	/* what it did before it died */
	}
	fflush(stdout);
	if (c.pcap) {
		wire_pcap_close(c.pcap);
		if (r.wire_err && !r.host)
			fprintf(stderr, _("socklab run: --pcap %s: nothing captured: %s\n"), pcap,
				strerror(r.wire_err));
	}
	inspect_free(&c.snap);
	inspect_free(&c.prev);
	inspect_free(&c.gone);
	if (c.source_owned)
		free(c.source);
	if (ret < 0) {
		if (errno == ECANCELED && !proc_stop_signal())	/* q at a --step prompt */
			return CMD_OK;
		return runopts_failure(self, &r, errno);
	}
	return r.exit_status == 0 ? CMD_OK : CMD_FAILED;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "LAB [--step] [--markdown] [--host]",
	.summary = N_("run one lab: narration, code, outcome, socket table after each step"),
	.help = help,
	.help_more = RUNOPTS_HELP,
	.help_end = help_end,
	.args = { .options = options, .max = 1, .operand = N_("lab") },
	.exec = cmd_run,
};
