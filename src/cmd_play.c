/* cmd_play.c — socklab play [FILE]: the playground.  Lines typed (or read
 * from FILE, or piped in) run in a fresh sandbox, one step each, through
 * the playground's engine (play/engine.c, a producer of the lab event
 * stream); after each, the kernel's answer, the socket table with what
 * changed, and what arrived where.
 *
 * The line editor is libedit's readline interface (Debian's libedit-dev):
 * BSD-licensed, so it leaves socklab's licence open (GNU readline would
 * make the binary GPL), with history and completion.  History is kept in
 * $XDG_STATE_HOME/socklab/play_history (~/.local/state/...). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <editline/readline.h>

#include "cmd.h"
#include "i18n.h"
#include "inspect/inspect.h"
#include "lab/outcome.h"
#include "lab/proto.h"
#include "play/play.h"
#include "proc/proc.h"
#include "render/glyphs.h"
#include "render/report.h"
#include "runner/runner.h"
#include "runner/steps.h"
#include "runopts.h"

#define MAX_LINES 1024

/* A variable: which role's descriptor it is. */
struct var {
	char name[PLAY_NAME], role[PLAY_NAME];
};

struct play_ctx {
	struct report rp;
	struct runner *r;
	FILE *script;			/* FILE's lines first */
	const char *script_name;
	long script_line, stdin_line;
	int interactive;		/* a terminal after the script: the line editor */
	int batch;
	int bad;			/* lines refused: exit 2 when not interactive */
	/* the session: each line typed that ran, and the kernel's errno */
	char *lines[MAX_LINES];
	int errs[MAX_LINES];
	unsigned char predicted[MAX_LINES];	/* typed as predict LINE */
	size_t n;
	/* undo: the run is ended and a new one replays lines[0..replay) */
	int undo;
	size_t replay, replayed;
	int quiet;			/* replaying: nothing shown */
	struct var vars[128];
	size_t nvars;
	struct steps_step cur;
	int predict;			/* the line in flight was a predict */
	struct inspect_snap snap, prev, gone;
	char hist[PATH_MAX];
	FILE *trace;			/* SOCKLAB_PLAY_TRACE: line to table, µs (bench) */
	long long sent_us;
};

static struct play_ctx *ctx;	/* for the completion callbacks */

/* ---- input ------------------------------------------------------------ */

static void history_path(struct play_ctx *c)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[PATH_MAX];

	c->hist[0] = '\0';
	if (state && *state)
		snprintf(dir, sizeof dir, "%s/socklab", state);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/state/socklab", home);
	else
		return;
	/* mkdir -p, quietly: no history is no error */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	if ((size_t)snprintf(c->hist, sizeof c->hist, "%s/play_history", dir) >= sizeof c->hist)
		c->hist[0] = '\0';
}

/* Tab completion: the language's words, then the session's roles and
 * variables (each once), gathered when a completion starts. */
static char *generate(const char *text, int state)
{
	static const char *cand[256];
	static size_t n, i;
	size_t len = strlen(text);

	if (state == 0) {
		const char *w;

		n = i = 0;
		for (int k = 0; (w = play_complete(text, k)) && n < 200; k++)
			cand[n++] = w;
		for (int pass = 0; pass < 2; pass++)
			for (size_t k = 0; k < ctx->nvars && n < 256; k++) {
				const char *name = pass ? ctx->vars[k].name : ctx->vars[k].role;
				int seen = 0;

				for (size_t j = 0; j < n; j++)
					seen |= strcmp(cand[j], name) == 0;
				if (!seen && strncmp(name, text, len) == 0)
					cand[n++] = name;
			}
	}
	return i < n ? strdup(cand[i++]) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;	/* no file names */
	rl_completion_append_character = '\0';	/* a ',' or ')' comes next, not a space */
	return rl_completion_matches(text, generate);
}

/* The next line to run, malloc'd; NULL at the end of input. */
static char *next_input(struct play_ctx *c)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (c->script) {
		n = getline(&line, &cap, c->script);
		if (n >= 0) {
			c->script_line++;
			line[strcspn(line, "\r\n")] = '\0';
			return line;
		}
		free(line);
		line = NULL;
		fclose(c->script);
		c->script = NULL;
		if (c->batch)
			return NULL;
	}
	if (c->interactive) {
		fflush(stdout);
		line = readline("play> ");
		if (line && *line)
			add_history(line);
		return line;
	}
	if (c->batch && c->script_name)
		return NULL;
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	c->stdin_line++;
	line[strcspn(line, "\r\n")] = '\0';	/* a script saved on Windows too */
	return line;
}

/* ---- the session -------------------------------------------------------- */

static void say_bad(struct play_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_bad(struct play_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (c->script)
		fprintf(stderr, _("socklab play: %s:%ld: %s\n"), c->script_name, c->script_line, msg);
	else if (!c->interactive)
		fprintf(stderr, _("socklab play: stdin:%ld: %s\n"), c->stdin_line, msg);
	else
		fprintf(stderr, _("socklab play: %s\n"), msg);
	c->bad++;
}

static const struct var *var_of(const struct play_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nvars; i++)
		if (strcmp(c->vars[i].name, name) == 0)
			return &c->vars[i];
	return NULL;
}

/* The variables c's line uses belong to its role: one line on stderr if not. */
static int vars_ok(struct play_ctx *c, const struct play_cmd *cmd)
{
	for (int i = 0; i < cmd->nargs; i++) {
		const struct var *v;

		if (cmd->args[i].kind != PLAY_ARG_VAR)
			continue;
		v = var_of(c, cmd->args[i].text);
		if (v == NULL) {
			say_bad(c, _("no socket called '%s' yet (%s = socket(udp) makes one)"),
				cmd->args[i].text, cmd->args[i].text);
			return 0;
		}
		if (strcmp(v->role, cmd->role) != 0) {
			say_bad(c, _("'%s' is %s's socket, not %s's: write '%s: %s'"), v->name, v->role,
				cmd->role, v->role, cmd->text);
			return 0;
		}
	}
	return 1;
}

static void send_line(struct play_ctx *c, const char *verb, long n, const char *text)
{
	char esc[PROTO_LINE_MAX], line[PROTO_LINE_MAX + 32];
	int len;

	proto_escape(esc, sizeof esc, text);
	len = snprintf(line, sizeof line, "%s %ld %s\n", verb, n, esc);
	c->sent_us = proc_now_us();
	/* a failed write: the engine is gone, and the runner finds out */
	if (write(c->r->gate, line, (size_t)len) != len)
		return;
}

static void help(void)
{
	printf(_("A line is [ROLE [as uid N]:] [VAR =] CALL(ARGS).  Roles are processes,\n"
	       "made at their first line; a variable is a descriptor of its role.\n"
	       "Calls:\n"));
	for (int i = 0; i < PLAY_NCALLS; i++)
		printf("  %s\n", play_calls[i].help);
	printf("Options:");
	for (size_t i = 0; i < play_noptions; i++)
		printf(" %s", play_options[i].name);
	printf(_("\nAddresses: 127.0.0.1:5000, [::1]:5000, *:5000 (any), 0.0.0.0:0.\n"
	       "Also: predict LINE (the bind doctor's model first, then the kernel),\n"
	       "undo (the last line, by a replay in a fresh sandbox), save FILE.c (a lab),\n"
	       "save FILE.play (this script), help, quit.  # starts a comment.\n"));
}

static void save(struct play_ctx *c, const char *path)
{
	size_t len = strlen(path);
	FILE *f;
	int ret = 0;

	if (len > 5 && strcmp(path + len - 5, ".play") == 0) {
		if ((f = fopen(path, "w")) == NULL) {
			say_bad(c, _("save: %s: %s"), path, strerror(errno));
			return;
		}
		fprintf(f, "# a socklab playground session: socklab play %s\n", path);
		for (size_t i = 0; i < c->n; i++)
			fprintf(f, "%s%s\n", c->predicted[i] ? "predict " : "", c->lines[i]);
	} else if (len > 2 && strcmp(path + len - 2, ".c") == 0) {
		char name[64];
		const char *base = strrchr(path, '/');

		base = base ? base + 1 : path;
		snprintf(name, sizeof name, "%.*s", (int)(strlen(base) - 2), base);
		for (char *p = name; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
				*p = '-';
		if ((f = fopen(path, "w")) == NULL) {
			say_bad(c, _("save: %s: %s"), path, strerror(errno));
			return;
		}
		ret = play_save_c(f, name, (const char *const *)c->lines, c->errs, c->n);
	} else {
		say_bad(c, _("save: '%s': a lab (FILE.c) or a script (FILE.play)"), path);
		return;
	}
	if (fclose(f) != 0 || ret < 0)
		say_bad(c, _("save: %s: %s"), path, strerror(errno));
	else
		printf(P_("saved %zu line to %s\n", "saved %zu lines to %s\n", c->n), c->n, path);
}

static const char *role_label(const void *p, int pid)
{
	return runner_role_of(p, pid);
}

/* The engine ends the session (its end event, then it exits). */
static void end_session(struct play_ctx *c)
{
	if (c->r->gate >= 0 && write(c->r->gate, "end\n", 4) != 4)
		return;	/* gone already */
}

/* Read lines until one goes to the engine (0), or the session ends (-1:
 * "end" was sent). */
static int next_line(struct play_ctx *c)
{
	char *in;

	if (c->replayed < c->replay) {
		/* undo: the lines before the undone one, again, silently */
		send_line(c, c->predicted[c->replayed] ? "predict" : "do", (long)c->replayed + 1,
			  c->lines[c->replayed]);
		c->replayed++;
		return 0;
	}
	if (c->quiet) {
		const struct report_labels roles = { .label = role_label, .ctx = c->r };

		c->quiet = 0;
		printf(P_("undone: the sandbox was made again and %zu line replayed\n",
			  "undone: the sandbox was made again and %zu lines replayed\n", c->replay),
		       c->replay);
		report_table(&c->rp, &c->prev, NULL, &roles, _("sockets now"));
	}
	while ((in = next_input(c)) != NULL) {
		struct play_cmd cmd;
		char why[256], *p = in + strspn(in, " \t");
		int predict = 0, k;

		if (!c->interactive && *p && *p != '#') {
			/* a transcript: the line (control characters escaped), then its answer */
			fputs("> ", stdout);
			for (const unsigned char *q = (const unsigned char *)p; *q; q++)
				if (*q < ' ' || *q == 0x7f)
					printf("\\x%02x", *q);
				else
					putchar(*q);
			putchar('\n');
		}
		if (strcmp(p, "quit") == 0 || strcmp(p, "exit") == 0) {
			free(in);
			break;
		}
		if (strcmp(p, "help") == 0) {
			help();
			free(in);
			continue;
		}
		if (strcmp(p, "save") == 0 || strcmp(p, "predict") == 0 ||
		    (strncmp(p, "predict ", 8) == 0 && !p[8 + strspn(p + 8, " \t")])) {
			say_bad(c, "%s", p[0] == 's' ? _("save takes a file: save FILE.c (a lab) or "
				"save FILE.play (the script)") : _("predict takes a line: predict client: "
				"bind(c, 127.0.0.1:5000)"));
			free(in);
			continue;
		}
		if (strncmp(p, "save ", 5) == 0) {
			save(c, p + 5 + strspn(p + 5, " "));
			free(in);
			continue;
		}
		if (strcmp(p, "undo") == 0) {
			free(in);
			if (c->n == 0) {
				say_bad(c, _("undo: nothing to undo"));
				continue;
			}
			free(c->lines[--c->n]);
			c->undo = 1;
			end_session(c);
			return -1;
		}
		if (strncmp(p, "predict ", 8) == 0) {
			predict = 1;
			p += 8 + strspn(p + 8, " ");
		}
		k = play_parse(p, &cmd, why, sizeof why);
		if (k == 0) {
			free(in);
			continue;
		}
		if (k < 0 || !vars_ok(c, &cmd)) {
			if (k < 0)
				say_bad(c, "%s", why);
			free(in);
			continue;
		}
		if (c->n == MAX_LINES) {
			say_bad(c, _("at most %d lines a session"), MAX_LINES);
			free(in);
			continue;
		}
		c->predicted[c->n] = (unsigned char)predict;
		c->lines[c->n++] = strdup(p);
		c->predict = predict;
		send_line(c, predict ? "predict" : "do", (long)c->n, p);
		free(in);
		return 0;
	}
	end_session(c);
	return -1;
}

/* ---- the events ----------------------------------------------------------- */

static void show(struct runner *r, struct play_ctx *c)
{
	const struct report_labels roles = { .label = role_label, .ctx = r };
	struct inspect_snap tmp;
	int changed = 0;

	report_step_body(&c->rp, &c->cur, NULL);
	if (runner_table(r, NULL, &c->snap) < 0) {
		printf(_("  (cannot read the socket table: %s)\n"), strerror(errno));
		return;
	}
	if (inspect_diff(&c->prev, &c->snap, &c->gone) < 0)
		c->gone.n = 0;
	for (size_t i = 0; i < c->snap.n; i++)
		changed |= c->snap.v[i].mark != 0;
	if (changed || c->gone.n)
		report_table(&c->rp, &c->snap, &c->gone, &roles, "sockets");
	else
		printf(_("  (the socket table did not change)\n"));
	tmp = c->prev;
	c->prev = c->snap;
	c->snap = tmp;
	fflush(stdout);
	if (c->trace) {
		fprintf(c->trace, "line %zu line_to_table_us %lld\n", c->n, proc_now_us() - c->sent_us);
		fflush(c->trace);
	}
}

static void on_event(struct runner *r, const struct proto_event *ev)
{
	struct play_ctx *c = r->ctx;

	c->r = r;
	if (ev->kind == PROTO_LAB) {
		if (!c->quiet)
			printf(_("socklab play: %s (only lo; 'help' lists the calls, 'quit' ends)\n"),
			       ev->sandbox ? _("a fresh network namespace") : _("this host's loopback"));
		next_line(c);
		return;
	}
	if (!proto_is_outcome(ev->kind))
		return;
	steps_add(&c->cur, ev);
	if (ev->kind != PROTO_CALL && ev->kind != PROTO_ERROR)
		return;
	/* the line's last event: what it came to */
	if (c->n && ev->kind == PROTO_CALL && c->replayed >= c->replay) {
		c->errs[c->n - 1] = ev->ret < 0 ? (int)ev->err : 0;
		if (ev->ret >= 0) {
			struct play_cmd cmd;
			char why[8];

			if (play_parse(c->lines[c->n - 1], &cmd, why, sizeof why) > 0 && cmd.var[0] &&
			    play_calls[cmd.call].makes_fd) {
				struct var *v = (struct var *)var_of(c, cmd.var);

				if (!v && c->nvars < sizeof c->vars / sizeof c->vars[0])
					v = &c->vars[c->nvars++];
				if (v) {
					snprintf(v->name, sizeof v->name, "%s", cmd.var);
					snprintf(v->role, sizeof v->role, "%s", cmd.role);
				}
			}
		}
	}
	if (ev->kind == PROTO_ERROR && c->n && c->replayed >= c->replay) {
		/* it never ran (a role that could not be made): not in the
		 * session, and a refusal like the parser's */
		free(c->lines[--c->n]);
		say_bad(c, "%s", ev->text);
	}
	if (!c->quiet)
		show(r, c);
	else {
		/* keep "before" current through the replay */
		runner_table(r, NULL, &c->prev);
	}
	next_line(c);
}

static int on_pause(struct runner *r, const struct proto_event *ev)
{
	struct play_ctx *c = r->ctx;

	if (ev->kind == PROTO_STEP) {
		memset(&c->cur, 0, sizeof c->cur);
		c->cur.step = *ev;
	}
	return 0;
}

static const char help_text[] =
	N_("Runs socket calls one line at a time in a fresh sandbox (only lo), as a lab\n"
	"would, and shows after each what the kernel answered, the socket table with\n"
	"what changed, and what arrived where.  A line:\n"
	"    server: s = socket(udp)\n"
	"    server: setsockopt(s, SO_REUSEADDR, 1)\n"
	"    server: bind(s, 127.0.0.1:5000)\n"
	"'help' inside lists every call.  FILE's lines run first; then, on a terminal,\n"
	"the line editor (history, tab completion), or the lines piped in.\n"
	"\n"
	"  --batch    exit after FILE (or after the piped lines)\n"
	"\n"
	"History: $XDG_STATE_HOME/socklab/play_history.  docs/playground.md has more.\n"
	"\n"
	"Exit status: 0, 2 when a line was refused (outside the line editor) or no\n"
	"sandbox could be made.\n");

enum { OPT_BATCH = 256 };

static const struct option options[] = {
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ NULL, 0, NULL, 0 }
};

static int cmd_play(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	static struct play_ctx c;
	int ret = 0;

	memset(&c, 0, sizeof c);
	c.rp = (struct report){ .out = stdout, .style = REPORT_TEXT };
	ctx = &c;
	CMD_FOR_OPTS(a, opt)
		c.batch |= opt->opt == OPT_BATCH;
	if (a->argc == 1) {
		c.script_name = a->argv[0];
		if ((c.script = fopen(a->argv[0], "re")) == NULL)
			return cmd_usage_error(self, "%s: %s", a->argv[0], strerror(errno));
	}
	c.interactive = !c.batch && isatty(STDIN_FILENO);
	{
		const char *t = getenv("SOCKLAB_PLAY_TRACE");

		if (t && *t && (c.trace = fopen(t, "we")) == NULL)
			return cmd_usage_error(self, "SOCKLAB_PLAY_TRACE=%s: %s", t, strerror(errno));
	}
	c.rp.color = cmd_use_color(STDOUT_FILENO);
	if (c.interactive) {
		history_path(&c);
		if (c.hist[0])
			read_history(c.hist);
		rl_attempted_completion_function = complete;
		rl_basic_word_break_characters = " \t(,:=";
	}
	proc_catch_stop();
	inspect_flags_prepare();	/* its first load is slow: not on a line */
	do {
		struct runner r = {
			.lab = &play_lab,
			.port_base = 5000,
			.timeout_ms = INT_MAX,	/* the engine waits for the user */
			.on_event = on_event,
			.on_pause = on_pause,
			.ctx = &c,
		};

		c.undo = 0;
		c.replayed = 0;
		c.replay = c.n;
		c.quiet = c.n > 0;
		inspect_free(&c.prev);	/* a new sandbox: nothing before it */
		if (runner_run(&r) < 0) {
			ret = runopts_failure(self, &r, errno);
			break;
		}
	} while (c.undo && !proc_stop_signal());
	if (c.interactive && c.hist[0]) {
		write_history(c.hist);
		history_truncate_file(c.hist, 1000);
	}
	if (c.script)
		fclose(c.script);
	if (c.trace)
		fclose(c.trace);
	for (size_t i = 0; i < c.n; i++)
		free(c.lines[i]);
	inspect_free(&c.snap);
	inspect_free(&c.prev);
	inspect_free(&c.gone);
	if (proc_stop_signal() && ret == 0)
		return 128 + proc_stop_signal();
	if (ret == 0 && c.bad && !c.interactive)
		ret = CMD_USAGE;
	return ret;
}

const struct cmd_entry cmd_play_entry = {
	.name = "play",
	.usage = "[FILE] [--batch]",
	.summary = N_("the playground: your own socket calls, a line at a time"),
	.help = help_text,
	.args = { .options = options, .max = 1, .operand = N_("script") },
	.exec = cmd_play,
};
