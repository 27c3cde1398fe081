/* dash.c — the dashboard's controller: runs a lab through the runner and,
 * while the lab waits at a step, waits in one ppoll() on the keyboard and
 * a refresh timer (the control pipe is quiet then: the lab is blocked on
 * its gate).  Idle costs nothing but one socket dump a second.
 *
 *   open lab ─▶ runner_run ─▶ on_event: model_event
 *                            on_pause: dump the table, draw, wait for a key
 *                                      space: "go" ─▶ the lab runs the step
 *                                      r / q / another lab: cancel the run */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>

#include "dash.h"
#include "i18n.h"
#include "inspect/inspect.h"
#include "keys.h"
#include "lab/proto.h"
#include "play/play.h"
#include "trace/trace.h"
#include "runner/labbuild.h"
#include "runner/registry.h"
#include "runner/runner.h"
#include "proc/proc.h"
#include "sandbox/sandbox.h"
#include "screen.h"
#include "wire/wire.h"

/* Between steps the lab is blocked, so nothing new can appear in its
 * sandbox: only timers run (TIME-WAIT, retransmits) and they count down on
 * screen from the last dump.  A tick a second redraws them; the kernel is
 * asked again only for the protocols the table has, and TCP less often:
 * any TCP dump walks the kernel's whole connection hash (~7 ms here), which
 * every namespace shares. */
#define TICK_MS 1000
#define TCP_EVERY 3		/* ticks between dumps when TCP is in the table */
#define HOST_EVERY 2		/* the host view: owners cost a /proc walk */

enum action {
	ACT_NONE, ACT_NEXT, ACT_RESTART, ACT_OPEN, ACT_QUIT, ACT_SIGNAL,
	ACT_LAB,	/* the paused lab died: let the runner see */
};

struct dash {
	const struct dash_opts *o;
	struct model m;
	struct screen_view v;
	struct runner *r;		/* while a lab runs */
	const struct lab_info *open;	/* ACT_OPEN: this one */
	enum action action;
	int dirty;
	int host_nl;			/* NETLINK_SOCK_DIAG on the host, for h */
	long key_ms;			/* when the step's key arrived (trace) */
	unsigned long ticks;
	int paused;			/* the lab waits at a STEP: space runs it */
	int stepping;			/* a step runs: keys come through on_input */
	int typeahead;			/* spaces pressed while it ran: steps to go */
	int goal;			/* going back or jumping: run this many steps
					 * without stopping (the sandbox is fresh each
					 * run, so the replay is the same); -1 none */
	long goal_ms;			/* when the jump began (the trace's figure) */
	int goal_back;			/* ... by a restart */
	int rebuild;			/* r on a lab given as a .c: build it first */
	/* the playground (dash --play): the session's lines are its source */
	char play_src[16384];
	size_t play_len;
	long play_lines;
	int play_hist;			/* Up/Down in the prompt: lines back */
	/* the playground beside a lab (: in a lab): its engine in the lab's
	 * sandbox, and what its pipe gave beyond a line */
	struct play_side side;
	char side_buf[2 * PROTO_LINE_MAX];
	size_t side_have;
	long side_lines;
	/* a lab executable (socklab dash ./build/labs/04-...): what it said
	 * about itself, and its source read from disk */
	struct lab_info exec_info;
	struct proto_event exec_ev;
	char *exec_source;
	FILE *trace;
};

/* ---- collectors: the kernel into the model -------------------------- */

/* after_step: everything.  Else only what can still change: the
 * protocols in the table (none: nothing to ask), TCP every TCP_EVERY
 * ticks.  Returns 1 when the table was read again. */
static int collect_lab(struct dash *d, int after_step)
{
	struct inspect_snap s = { 0 };
	struct inspect_filter f = { 0 };

	if (d->r == NULL)
		return 0;
	if (!after_step && !d->o->host) {
		for (size_t i = 0; i < d->m.snap.n; i++)
			f.protos |= d->m.snap.v[i].proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP;
		if ((f.protos & INSPECT_TCP) && d->ticks % TCP_EVERY != 0)
			return 0;
		if (f.protos == 0)
			return 0;	/* the sandbox is empty and stays so */
		if (f.protos == (INSPECT_TCP | INSPECT_UDP))
			f.protos = 0;	/* both */
	}
	if (runner_table(d->r, f.protos ? &f : NULL, &s) < 0) {
		snprintf(d->v.status, sizeof d->v.status, _(" cannot read the socket table: %s"),
			 strerror(errno));
		inspect_free(&s);
		return 0;
	}
	d->m.snap_ms = proc_now_ms();
	if (after_step)
		model_step_table(&d->m, &s);
	else
		model_refresh_table(&d->m, &s);
	inspect_free(&s);
	return 1;
}

/* What crossed the sandbox's links during the step just run: into the
 * model, for the wire pane (w).  A switch's own copies are left out, the
 * hosts named (runner/runner.h). */
static void collect_wire(struct dash *d)
{
	static struct wire_frame f[64];
	struct wire_pkt p;
	size_t got;

	if (d->r == NULL)
		return;
	d->m.wire_err = d->r->wire < 0 ? (d->r->wire_err ? d->r->wire_err : EPERM) : 0;
	if (d->r->wire < 0)
		return;
	while ((got = wire_read(d->r->wire, f, sizeof f / sizeof f[0], NULL)) > 0) {
		for (size_t i = 0; i < got; i++) {
			if (!runner_wire_keep(d->r, f[i].ifindex))
				continue;
			wire_decode(&f[i], &p);
			runner_wire_name(d->r, &p);
			model_wire_add(&d->m, &p);
		}
		if (got < sizeof f / sizeof f[0])
			break;
	}
}

static int has_timers(const struct inspect_snap *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].timer)
			return 1;
	return 0;
}

static void collect_host(struct dash *d)
{
	if (d->host_nl < 0 && (d->host_nl = inspect_open()) < 0) {
		snprintf(d->v.status, sizeof d->v.status, _(" host view: cannot open NETLINK_SOCK_DIAG: %s"),
			 strerror(errno));
		d->v.host = 0;
		return;
	}
	if (inspect_dump(d->host_nl, &d->m.host) < 0) {
		snprintf(d->v.status, sizeof d->v.status, _(" host view: %s"), strerror(errno));
		return;
	}
	d->m.host_ms = proc_now_ms();
	inspect_owners(&d->m.host, NULL, 0);
	inspect_flags(&d->m.host);
}

/* ---- keys ----------------------------------------------------------- */

/* In the picker the source pane previews the selected lab. */
static void preview(struct dash *d)
{
	const struct model_row *row = model_row(&d->m, d->v.tree_sel);

	if (d->m.lab)
		return;
	if (row)
		model_open(&d->m, NULL, registry_source(row->lab->file));
	d->v.scroll[SCREEN_SOURCE] = 0;
}

static void move_by(struct dash *d, int delta)
{
	enum screen_pane p = d->v.focus;

	if (p == SCREEN_TREE) {
		d->v.tree_sel += delta;
		if (d->v.tree_sel < 0)
			d->v.tree_sel = 0;
		if (d->v.tree_sel >= d->m.nrows)
			d->v.tree_sel = d->m.nrows - 1;
		preview(d);
		return;
	}
	d->v.scroll[p] += delta;
	if (d->v.scroll[p] < 0)
		d->v.scroll[p] = 0;	/* the pane clamps the far end when it draws */
}

/* KEYS_OPEN when the selected row is a lab's: d->open is that lab. */
static int open_selected(struct dash *d)
{
	const struct model_row *row = model_row(&d->m, d->v.tree_sel);

	if (row == NULL || row->step >= 0)
		return KEYS_NONE;
	d->open = row->lab;
	return KEYS_OPEN;
}

static void play_send(struct dash *d);
static void play_recall(struct dash *d, int back);
static void play_complete_word(struct dash *d);

/* A key typed into the footer's prompt: backspace, or a printable
 * character (ASCII: the prompt is a line of the protocol's words). */
static void edit_prompt(struct dash *d, int ch)
{
	size_t n = strlen(d->v.prompt);

	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (n > 0)
			d->v.prompt[n - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof d->v.prompt) {
		d->v.prompt[n] = (char)ch;
		d->v.prompt[n + 1] = '\0';
	}
}

static enum action prompt_key(struct dash *d, int ch)
{
	if (d->v.prompting == 2) {
		/* a playground line: Enter runs it, Esc drops it, Tab completes,
		 * Up and Down recall the session's lines */
		if (ch == 27) {
			d->v.prompting = 0;
		} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
			d->v.prompting = 0;
			play_send(d);
		} else if (ch == KEY_UP || ch == KEY_DOWN) {
			play_recall(d, ch == KEY_UP);
		} else if (ch == '\t') {
			play_complete_word(d);
		} else {
			edit_prompt(d, ch);
		}
		return ACT_NONE;
	}
	if (ch == 27) {
		d->v.prompting = 0;
		d->v.prompt[0] = '\0';
	} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
		d->v.prompting = 0;
	} else {
		edit_prompt(d, ch);
	}
	/* the table follows the filter as it is typed */
	snprintf(d->v.filter, sizeof d->v.filter, "%.63s", d->v.prompt);
	d->v.scroll[SCREEN_TABLE] = 0;
	return ACT_NONE;
}

/* The handlers of the key table: each returns enum keys_reaction flags. */

static int key_quit(struct dash *d, int ch)
{
	(void)d, (void)ch;
	return KEYS_REDRAW | KEYS_QUIT;
}

static int key_next(struct dash *d, int ch)
{
	(void)ch;
	if (d->r && d->paused) {
		d->key_ms = 0;
		return KEYS_REDRAW | KEYS_NEXT;
	}
	if (d->r && d->stepping && d->typeahead < 100) {
		d->typeahead++;	/* run it when this step is done */
		return KEYS_REDRAW;
	}
	snprintf(d->v.status, sizeof d->v.status, "%s", !d->m.lab ?
		 _(" open a lab first: choose one and press Enter") : d->stepping ?
		 _(" a step is running") : d->m.ended ?
		 _(" the lab has ended: r runs it again") : _(" the lab is not running: r restarts it"));
	return KEYS_REDRAW;
}

static int key_restart(struct dash *d, int ch)
{
	(void)ch;
	if (d->m.lab) {
		d->open = d->m.lab;
		d->rebuild = d->o->source_path != NULL && d->m.lab == &d->exec_info;
		return KEYS_REDRAW | KEYS_RESTART;
	}
	return KEYS_REDRAW;
}

/* Go to the moment before step `step` (1-based) runs: forward by running
 * the steps between, back by a restart that replays them without
 * stopping.  KEYS_RESTART when the lab must start again. */
static int go_to(struct dash *d, int step)
{
	int done = d->m.last + 1;	/* steps run so far */

	if (!d->m.lab || step < 1 || step > d->m.nsteps) {
		snprintf(d->v.status, sizeof d->v.status, " %s", !d->m.lab ? _("open a lab first") :
			 _("no such step in this lab"));
		return KEYS_REDRAW;
	}
	if (step - 1 == done && d->m.waiting == step - 1)
		return KEYS_REDRAW;	/* there already */
	d->goal = step - 1;
	d->goal_ms = (long)proc_now_us();
	d->goal_back = 0;
	if (step - 1 > done && d->r && !d->m.ended && !d->m.error[0]) {
		snprintf(d->v.status, sizeof d->v.status, _(" to step %d: running steps %d to %d"), step,
			 done + 1, step - 1);
		return KEYS_REDRAW | (d->paused ? KEYS_NEXT : 0);
	}
	snprintf(d->v.status, sizeof d->v.status,
		 _(" back to step %d: the lab restarts in a fresh sandbox and replays %s%d without stopping"),
		 step, step > 2 ? _("steps 1 to ") : _("step "), step - 1);
	if (step == 1)
		snprintf(d->v.status, sizeof d->v.status, _(" back to step 1: the lab restarts in a fresh sandbox"));
	d->open = d->m.lab;
	d->goal_back = 1;
	return KEYS_REDRAW | KEYS_RESTART;
}

/* b: one step back (the moment before the step just run) */
static int key_back(struct dash *d, int ch)
{
	(void)ch;
	if (d->m.last < 0) {
		snprintf(d->v.status, sizeof d->v.status, " %s", d->m.lab ?
			 _("no step has run yet: nothing to go back to") : _("open a lab first"));
		return KEYS_REDRAW;
	}
	return go_to(d, d->m.last + 1);
}

/* 1-9: to the moment before step N */
static int key_jump(struct dash *d, int ch)
{
	return go_to(d, ch - '0');
}

static int key_pane(struct dash *d, int ch)
{
	int delta = ch == KEY_BTAB ? SCREEN_NPANES - 1 : 1;

	d->v.focus = (d->v.focus + delta) % SCREEN_NPANES;
	return KEYS_REDRAW;
}

/* a line: up, down (k, j as in vi) */
static int key_line(struct dash *d, int ch)
{
	move_by(d, ch == KEY_UP || ch == 'k' ? -1 : 1);
	return KEYS_REDRAW;
}

/* a page, or to either end */
static int key_page(struct dash *d, int ch)
{
	int page = screen_pane_height(d->v.focus);

	move_by(d, ch == KEY_PPAGE ? -page : ch == KEY_NPAGE ? page : ch == KEY_HOME ? -100000 : 100000);
	return KEYS_REDRAW;
}

static int key_open(struct dash *d, int ch)
{
	(void)ch;
	return KEYS_REDRAW | (d->v.focus == SCREEN_TREE ? open_selected(d) : 0);
}

static int key_click(struct dash *d, int ch)
{
	MEVENT me;

	(void)ch;
	if (getmouse(&me) != OK)
		return KEYS_NONE;
	if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		/* the wheel scrolls the pane under the pointer */
		int p = screen_pane_at(&d->v, me.y, me.x);

		if (p < 0)
			return KEYS_NONE;
		d->v.focus = (enum screen_pane)p;
		move_by(d, me.bstate & BUTTON4_PRESSED ? -3 : 3);
		return KEYS_REDRAW;
	}
	if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) {
		int row = screen_tree_hit(&d->v, me.y, me.x);

		if (row >= 0 && row < d->m.nrows) {
			d->v.focus = SCREEN_TREE;
			d->v.tree_sel = row;
			/* a step of the open lab: to the moment before it */
			if (d->m.rows[row].step >= 0 && d->m.rows[row].lab == d->m.lab)
				return go_to(d, d->m.rows[row].step + 1);
			preview(d);
			return KEYS_REDRAW | open_selected(d);
		}
	}
	return KEYS_REDRAW;
}

static int key_filter(struct dash *d, int ch)
{
	(void)ch;
	d->v.prompting = 1;
	snprintf(d->v.prompt, sizeof d->v.prompt, "%s", d->v.filter);
	return KEYS_REDRAW;
}

static int key_unfilter(struct dash *d, int ch)
{
	(void)ch;
	d->v.filter[0] = '\0';
	return KEYS_REDRAW;
}

static int key_host(struct dash *d, int ch)
{
	(void)ch;
	d->v.host = !d->v.host;
	d->v.scroll[SCREEN_TABLE] = 0;
	if (d->v.host)
		collect_host(d);
	return KEYS_REDRAW;
}

/* w: the lower left pane shows the wire, or the deliveries again */
static int key_wire(struct dash *d, int ch)
{
	(void)ch;
	d->v.wire = !d->v.wire;
	d->v.scroll[SCREEN_LOG] = 0;
	d->v.follow = 1;
	return KEYS_REDRAW;
}

static int key_predict(struct dash *d, int ch)
{
	(void)ch;
	d->v.predict = !d->v.predict;
	snprintf(d->v.status, sizeof d->v.status, _(" predict mode %s"), d->v.predict ?
		 _("on: a step's title, the summary and the queues stay hidden until it runs") : _("off"));
	return KEYS_REDRAW;
}

/* e: explain the step's error code (the first call of the step that got
 * one, or missed the one it expected), or on the table its columns */
static int key_explain(struct dash *d, int ch)
{
	int err = 0;

	(void)ch;
	for (int i = 0; i < d->m.run.noutcomes && !err && d->v.focus != SCREEN_TABLE; i++) {
		const struct proto_event *o = &d->m.run.outcomes[i];

		if (o->kind == PROTO_CALL && o->ret == -1)
			err = (int)o->err;
		else if (o->kind == PROTO_CALL && !o->ok && o->want)
			err = (int)o->want;
	}
	if (!err && d->v.focus != SCREEN_TABLE) {
		snprintf(d->v.status, sizeof d->v.status, " %s", d->m.last < 0 ?
			 _("no step has run yet: nothing to explain (on the table, e explains its columns)") :
			 _("no call of this step got an error code (on the table, e explains its columns)"));
		return KEYS_REDRAW;
	}
	d->v.explain = 1;
	d->v.explain_err = err;
	d->v.explain_scroll = 0;
	return KEYS_REDRAW;
}

/* :, a line of the playground (dash --play) */
static int key_play(struct dash *d, int ch)
{
	(void)ch;
	if (!d->m.lab) {
		snprintf(d->v.status, sizeof d->v.status, "%s",
			 _(" open a lab first (its sandbox takes the line), or 'socklab dash --play'"));
		return KEYS_REDRAW;
	}
	if (!d->r || d->m.error[0] || d->m.ended) {
		snprintf(d->v.status, sizeof d->v.status, " %s", d->m.lab == &play_lab ?
			 _("the playground is not running: r starts it again") :
			 _("the lab is not running (its sandbox is gone): r starts it again"));
		return KEYS_REDRAW;
	}
	if (d->m.lab != &play_lab && !d->m.lab_ev.sandbox) {
		snprintf(d->v.status, sizeof d->v.status, "%s",
			 _(" the lab runs on this host's stack (--host): the playground runs only in a sandbox"));
		return KEYS_REDRAW;
	}
	d->v.prompting = 2;
	d->v.prompt[0] = '\0';
	d->play_hist = 0;
	return KEYS_REDRAW;
}

/* The prompt's line to the engine, when it parses; else why, in the footer. */
static void play_send(struct dash *d)
{
	struct play_cmd c;
	char why[256], esc[PROTO_LINE_MAX], line[PROTO_LINE_MAX + 32];
	int k = play_parse(d->v.prompt, &c, why, sizeof why), len;
	size_t add;

	if (k <= 0) {
		if (k < 0)
			snprintf(d->v.status, sizeof d->v.status, " %.250s", why);
		return;
	}
	if (d->m.lab != &play_lab) {
		/* beside a lab: the engine in its sandbox, started at the first line */
		if (d->side.pid <= 0 && d->r &&
		    play_side_start(&d->side, (int)d->r->pid, why, sizeof why) < 0) {
			snprintf(d->v.status, sizeof d->v.status, " %.250s", why);
			return;
		}
		proto_escape(esc, sizeof esc, d->v.prompt);
		len = snprintf(line, sizeof line, "do %ld %s\n", ++d->side_lines, esc);
		if (d->side.gate < 0 || write(d->side.gate, line, (size_t)len) != len)
			snprintf(d->v.status, sizeof d->v.status, _(" the playground beside the lab is gone"));
		return;
	}
	add = strlen(d->v.prompt) + 1;
	if (!d->r || d->r->gate < 0 || d->play_len + add + 1 > sizeof d->play_src) {
		snprintf(d->v.status, sizeof d->v.status, " %s", d->r ? _("the session is full: r starts a new one") :
			 _("the playground is not running: r starts it again"));
		return;
	}
	/* the session's source grows by the line: the source pane shows it */
	memcpy(d->play_src + d->play_len, d->v.prompt, add - 1);
	d->play_len += add;
	d->play_src[d->play_len - 1] = '\n';
	d->play_src[d->play_len] = '\0';
	d->play_lines++;
	d->m.nlines = d->play_lines;
	proto_escape(esc, sizeof esc, d->v.prompt);
	len = snprintf(line, sizeof line, "do %ld %s\n", d->play_lines, esc);
	d->key_ms = (long)proc_now_us();
	if (write(d->r->gate, line, (size_t)len) != len)
		snprintf(d->v.status, sizeof d->v.status, _(" the playground is gone: r starts it again"));
}

/* Up and Down in the prompt: the session's lines, newest first. */
static void play_recall(struct dash *d, int back)
{
	long want = d->play_hist + (back ? 1 : -1);
	int len;
	const char *p;

	if (want < 0 || want > d->play_lines)
		return;
	d->play_hist = (int)want;
	if (want == 0) {
		d->v.prompt[0] = '\0';
		return;
	}
	p = model_line(&d->m, d->play_lines - want + 1, &len);
	if (p)
		snprintf(d->v.prompt, sizeof d->v.prompt, "%.*s", len, p);
}

/* Tab: the word being typed, completed as far as the language's words
 * that fit it (play_complete) agree. */
static void play_complete_word(struct dash *d)
{
	char *w = d->v.prompt + strlen(d->v.prompt), common[64];
	const char *one;
	size_t n;

	while (w > d->v.prompt && !strchr(" \t(,:=", w[-1]))
		w--;
	if (!*w || !(one = play_complete(w, 0)))
		return;
	/* as readline does: what every match shares (SO_REU: SO_REUSE) */
	snprintf(common, sizeof common, "%s", one);
	for (int i = 1; (one = play_complete(w, i)); i++) {
		for (n = 0; common[n] && common[n] == one[n]; n++)
			;
		common[n] = '\0';
	}
	snprintf(w, sizeof d->v.prompt - (size_t)(w - d->v.prompt), "%s", common);
}

/* z: the focused pane to the whole screen, and back */
static int key_zoom(struct dash *d, int ch)
{
	(void)ch;
	d->v.zoom = !d->v.zoom;
	return KEYS_REDRAW;
}

static int key_help(struct dash *d, int ch)
{
	(void)ch;
	d->v.help = 1;
	return KEYS_REDRAW;
}

#define BOTH (KEYS_IN_LAB | KEYS_IN_PICKER)

/* Every key, in the order the help overlay and the footer list them; a
 * row with no name shares the line of the row above. */
const struct keys_binding dash_keys[] = {
	{ { ' ', 'n' }, key_next, "space, n", N_("run the next step"), N_("space next"), KEYS_IN_LAB },
	{ { 'r' }, key_restart, "r", N_("restart the lab (a fresh sandbox)"), N_("r restart"), KEYS_IN_LAB },
	{ { 'b' }, key_back, "b, 1-9", N_("back one step, to step N (back: restart, replay)"), NULL, 0 },
	{ { '1', '2', '3', '4' }, key_jump, NULL, NULL, NULL, 0 },
	{ { '5', '6', '7', '8' }, key_jump, NULL, NULL, NULL, 0 },
	{ { '9' }, key_jump, NULL, NULL, NULL, 0 },
	{ { '\t', KEY_BTAB }, key_pane, "tab, S-tab", N_("next / previous pane"), N_("tab pane"), KEYS_IN_LAB },
	{ { KEY_UP, KEY_DOWN, 'k', 'j' }, key_line, N_("arrows"), N_("move in the list, scroll a pane (the wheel too)"),
	  N_("arrows choose"), KEYS_IN_PICKER },
	{ { KEY_PPAGE, KEY_NPAGE, KEY_HOME, KEY_END }, key_page, "PgUp, PgDn", N_("scroll a page; Home, End"),
	  NULL, 0 },
	{ { '\r', '\n', KEY_ENTER }, key_open, N_("Enter, click"), N_("open the lab selected in the list"),
	  N_("Enter opens"), KEYS_IN_PICKER },
	{ { KEY_MOUSE }, key_click, NULL, NULL, NULL, 0 },
	{ { '/' }, key_filter, "/", N_("filter the socket table (Esc clears)"), N_("/ filter"), KEYS_IN_LAB },
	{ { 27 }, key_unfilter, NULL, NULL, NULL, 0 },
	{ { 'h' }, key_host, "h", N_("host view: this machine's sockets"), N_("h host"), BOTH },
	{ { 'w' }, key_wire, "w", N_("the wire: what crossed the links (w: deliveries)"), NULL, 0 },
	/* b, 1-9 and p are in the help, not the footer: it fits 80 columns */
	{ { ':' }, key_play, ":", N_("a playground line (dash --play): Enter runs it"), NULL, 0 },
	{ { 'e' }, key_explain, "e", N_("explain the step's errno (table: its columns)"), NULL, 0 },
	{ { 'z' }, key_zoom, "z", N_("zoom the focused pane to the screen, and back"), NULL, 0 },
	{ { 'p' }, key_predict, "p", N_("predict mode: ask before a step, hide its answer"), NULL, 0 },
	{ { '?' }, key_help, "?", N_("this help (any key closes it)"), N_("? help"), BOTH },
	{ { 'q' }, key_quit, "q", N_("quit (the lab is ended, nothing left)"), N_("q quit"), BOTH },
	{ { 0 }, NULL, NULL, NULL, NULL, 0 },
};
#undef BOTH

static enum action action_of(int reaction)
{
	return reaction & KEYS_QUIT ? ACT_QUIT : reaction & KEYS_NEXT ? ACT_NEXT :
	       reaction & KEYS_RESTART ? ACT_RESTART : reaction & KEYS_OPEN ? ACT_OPEN : ACT_NONE;
}

/* A key: the terminal's own (resize), the overlay and the filter prompt
 * first, then the table. */
static enum action key(struct dash *d, int ch)
{
	const struct keys_binding *b;
	int reaction;

	if (ch == KEY_RESIZE) {
		screen_layout();
		d->dirty = 1;
		return ACT_NONE;
	}
	if (d->v.help) {
		d->v.help = 0;		/* any key closes the overlay */
		d->dirty = 1;
		return ACT_NONE;
	}
	if (d->v.explain) {
		/* arrows and pages scroll it, any other key closes it */
		int page = LINES - 4;

		d->dirty = 1;
		if (ch == KEY_UP || ch == 'k' || ch == KEY_DOWN || ch == 'j' || ch == KEY_PPAGE ||
		    ch == KEY_NPAGE || ch == ' ') {
			d->v.explain_scroll += ch == KEY_UP || ch == 'k' ? -1 : ch == KEY_DOWN ||
					       ch == 'j' ? 1 : ch == KEY_PPAGE ? -page : page;
			if (d->v.explain_scroll < 0)
				d->v.explain_scroll = 0;
		} else {
			d->v.explain = 0;
		}
		return ACT_NONE;
	}
	if (d->v.prompting) {
		d->dirty = 1;
		return prompt_key(d, ch);
	}
	d->v.status[0] = '\0';
	if (screen_too_small()) {
		d->dirty = 1;
		return ch == 'q' ? ACT_QUIT : ACT_NONE;
	}
	b = keys_find(dash_keys, ch);
	reaction = b ? b->fn(d, ch) : KEYS_NONE;
	if (reaction & KEYS_REDRAW)
		d->dirty = 1;
	return action_of(reaction);
}

/* ---- the wait: keyboard, timer, signals ------------------------------ */

static void draw(struct dash *d)
{
	d->v.now_ms = proc_now_ms();
	screen_draw(&d->m, &d->v);
	d->dirty = 0;
	if (d->trace && d->key_ms) {
		fprintf(d->trace, "step %d key_to_screen_us %.0f\n", d->m.last + 1,
			(double)(proc_now_us() - d->key_ms));
		fflush(d->trace);
		d->key_ms = 0;
	}
}

/* The terminal hung up (no SIGHUP came: e.g. another session's tty). */
static int stdin_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* Every key curses has for us (a resize comes as KEY_RESIZE, also when
 * ncurses noticed SIGWINCH outside our wait); the first that acts. */
static enum action drain_keys(struct dash *d)
{
	int ch;

	while ((ch = getch()) != ERR) {
		enum action a = key(d, ch);

		if (a != ACT_NONE) {
			if (a == ACT_NEXT)
				d->key_ms = (long)proc_now_us();
			return a;
		}
	}
	return ACT_NONE;
}

/* The playground beside the lab has spoken: its events into the model
 * (model_side_event), a go for each of its steps, the table again after
 * each line. */
static void side_read(struct dash *d)
{
	ssize_t got = read(d->side.ctl, d->side_buf + d->side_have,
			   sizeof d->side_buf - d->side_have - 1);
	char *nl;

	if (got <= 0) {
		if (got < 0 && errno == EINTR)
			return;
		play_side_stop(&d->side);	/* it is gone */
		d->side_have = 0;
		return;
	}
	d->side_have += (size_t)got;
	d->side_buf[d->side_have] = '\0';
	while ((nl = memchr(d->side_buf, '\n', d->side_have)) != NULL) {
		size_t len = (size_t)(nl - d->side_buf) + 1;
		struct proto_event ev;

		*nl = '\0';
		if (proto_parse(d->side_buf, &ev) == 0 && ev.kind != PROTO_LAB && ev.kind != PROTO_END) {
			model_side_event(&d->m, &ev);
			if (ev.kind == PROTO_ROLE && d->r)
				runner_add_proc(d->r, (pid_t)ev.pid, ev.name);
			if (ev.kind == PROTO_STEP && write(d->side.gate, "go\n", 3) != 3)
				play_side_stop(&d->side);
			if (ev.kind == PROTO_CALL || ev.kind == PROTO_ERROR) {
				collect_lab(d, 1);
				d->v.follow = 1;
				d->v.scroll[SCREEN_NARRATION] = 0;
			}
			d->dirty = 1;
		}
		memmove(d->side_buf, d->side_buf + len, d->side_have - len);
		d->side_have -= len;
		if (d->side.pid <= 0)
			break;
	}
	if (d->side_have == sizeof d->side_buf - 1)
		d->side_have = 0;	/* a line too long: dropped */
}

static enum action wait_input(struct dash *d)
{
	long next = 0;

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			/* events 0: only a hang-up (every lab process gone)
			 * wakes us; another role's event may legitimately
			 * wait in the pipe until the runner reads on */
			{ .fd = d->r ? d->r->ctl : -1, .events = 0 },
			/* the playground beside the lab, when one runs */
			{ .fd = d->side.pid > 0 ? d->side.ctl : -1, .events = POLLIN },
		};
		long period = d->v.host || d->r ? TICK_MS : -1, left = -1;
		enum action a;
		int n;

		if ((a = drain_keys(d)) != ACT_NONE)
			return a;
		if (d->dirty)
			draw(d);
		if (period > 0) {
			if (next == 0)
				next = proc_now_ms() + period;
			left = next - proc_now_ms();
			if (left < 0)
				left = 0;
		}
		/* a signal between this check and the wait still ends the
		 * wait (proc_wait), and comes back here */
		if (proc_stop_signal())
			return ACT_SIGNAL;
		n = proc_wait(p, 3, left);
		if (n == 0) {
			d->ticks++;
			next = 0;
			if (d->v.host) {
				if (d->ticks % HOST_EVERY == 0)
					collect_host(d);
				d->dirty = 1;
			} else if (collect_lab(d, 0) || has_timers(&d->m.snap)) {
				d->dirty = 1;	/* new rows, or timers to count down */
			}
			continue;
		}
		if (n > 0 && p[1].revents)
			return ACT_LAB;
		if (n > 0 && p[2].revents) {
			side_read(d);
			continue;
		}
		if (n > 0 && (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return ACT_QUIT;	/* the terminal went away */
		/* input, or EINTR (SIGWINCH): the keys at the top of the loop */
	}
}

/* While a step runs (a slow one: a recv with a timeout): q, r, another lab
 * and a resize are served at once; the lab is not waited for. */
static int on_input(struct runner *r)
{
	struct dash *d = r->ctx;
	enum action a;

	if (stdin_gone()) {
		d->action = ACT_QUIT;
		return -1;
	}
	a = drain_keys(d);
	if (a == ACT_QUIT || a == ACT_RESTART || a == ACT_OPEN) {
		d->action = a;
		return -1;
	}
	if (d->dirty)
		draw(d);
	return 0;
}

/* ---- a lab run ------------------------------------------------------ */

static void on_event(struct runner *r, const struct proto_event *ev)
{
	struct dash *d = r->ctx;

	if (ev->kind == PROTO_LAB && r->exec_path) {
		/* the executable tells us which lab it is */
		d->exec_ev = *ev;
		d->exec_info = (struct lab_info){
			.number = (int)ev->num, .slug = d->exec_ev.slug, .title = d->exec_ev.title,
			.summary = d->exec_ev.text, .file = d->exec_ev.file,
		};
		free(d->exec_source);
		d->exec_source = registry_read_source(ev->file);
		model_open(&d->m, &d->exec_info, d->exec_source);
		d->m.own = 1;
	}
	if (d->m.lab == &trace_lab && ev->kind == PROTO_STEP) {
		/* the trace so far is the source pane: line N is call N */
		size_t add = strlen(ev->title) + 1;

		if (d->play_len + add + 1 <= sizeof d->play_src) {
			memcpy(d->play_src + d->play_len, ev->title, add - 1);
			d->play_len += add;
			d->play_src[d->play_len - 1] = '\n';
			d->play_src[d->play_len] = '\0';
			d->play_lines++;
			d->m.nlines = d->play_lines;
		}
	}
	model_event(&d->m, ev);
	if (d->m.lab == &play_lab && ev->kind == PROTO_LAB) {
		/* the engine waits for a line, not at a step: draw now */
		d->stepping = 1;
		d->dirty = 1;
		draw(d);
	}
	if (d->m.lab == &play_lab && (ev->kind == PROTO_CALL || ev->kind == PROTO_ERROR)) {
		/* a playground line's last event: the line has run, and the
		 * table after it is drawn now */
		model_close_step(&d->m);
		collect_lab(d, 1);
		d->v.follow = 1;
		d->dirty = 1;
		draw(d);
	}
}

static int on_pause(struct runner *r, const struct proto_event *ev)
{
	struct dash *d = r->ctx;
	enum action a;
	int sel;

	if (d->m.lab == &play_lab) {
		/* the playground's step is the line just typed: it runs at once,
		 * and keys keep coming through on_input */
		d->stepping = 1;
		return 0;
	}

	collect_lab(d, 1);
	collect_wire(d);
	d->v.follow = 1;
	d->dirty = 1;
	/* the selection follows the lab's progress */
	sel = model_row_of(&d->m, d->m.lab, d->m.waiting >= 0 ? d->m.waiting : d->m.last);
	if (sel >= 0)
		d->v.tree_sel = sel;
	d->paused = ev->kind == PROTO_STEP;
	d->stepping = 0;
	if (d->paused && d->goal >= 0 && d->m.last + 1 < d->goal) {
		/* going back or jumping: on to the goal, nothing drawn */
		d->paused = 0;
		d->stepping = 1;
		return 0;
	}
	if (d->goal >= 0) {
		if (d->trace) {
			fprintf(d->trace, "goto %d us %.0f\n", d->goal + 1,
				(double)(proc_now_us() - d->goal_ms));
			fflush(d->trace);
		}
		/* what happened, said until the next key */
		if (d->goal == 0)
			snprintf(d->v.status, sizeof d->v.status, _(" back at the start: a fresh sandbox"));
		else
			snprintf(d->v.status, sizeof d->v.status,
				 d->goal > 1 ? _(" at step %d: steps 1 to %d ran%s") :
				 _(" at step %d: step %d ran%s"), d->goal + 1, d->goal,
				 d->goal_back ? _(" again, in a fresh sandbox") : "");
		d->goal = -1;
	}
	if (d->paused && d->typeahead > 0) {
		/* keys pressed while the last step ran: show it, go on */
		d->typeahead--;
		draw(d);
		d->paused = 0;
		d->stepping = 1;
		return 0;
	}
	d->typeahead = 0;
	a = wait_input(d);
	d->paused = 0;
	if (a == ACT_NEXT || a == ACT_LAB) {
		d->stepping = 1;
		return 0;
	}
	d->action = a;
	return -1;
}

/* r on a lab given as a .c file: compile it again (the lab has ended, so
 * its executable is free), and say how that went.  When it does not
 * compile, the last build runs. */
static void rebuild(struct dash *d)
{
	char exe[4096], why[240];
	const char *name = strrchr(d->o->source_path, '/');

	name = name ? name + 1 : d->o->source_path;
	d->rebuild = 0;
	snprintf(d->v.status, sizeof d->v.status, _(" building %.60s ..."), name);
	screen_draw(&d->m, &d->v);
	if (labbuild_build(d->o->source_path, exe, sizeof exe, why, sizeof why) == 0)
		snprintf(d->v.status, sizeof d->v.status, _(" rebuilt %.60s: the lab runs as edited"), name);
	else
		snprintf(d->v.status, sizeof d->v.status, _(" %.40s does not compile, the last build runs: %.100s"),
			 name, why);
}

/* Run lab, or with NULL the lab executable of the options. */
static enum action run_lab(struct dash *d, const struct lab_info *lab)
{
	struct runner r = {
		.lab = lab,
		.exec_path = lab ? NULL : d->o->exec_path,
		.host = d->o->host,
		.port_base = (int)d->o->port_base,
		.timeout_ms = (int)d->o->timeout_ms,
		.quiet = 1,
		.on_event = on_event,
		.on_pause = on_pause,
		.input_fd = STDIN_FILENO,
		.on_input = on_input,
		.want_wire = 1,		/* the wire pane: the sandbox's frames */
		.ctx = d,
	};
	const char *advice;
	char why[320];

	/* a playground beside the last run goes with its sandbox */
	play_side_stop(&d->side);
	d->side_have = 0;
	d->side_lines = 0;
	if (lab == &play_lab || lab == &trace_lab) {
		/* a new session: its source is the lines typed (the program's
		 * calls) from now on */
		d->play_len = 0;
		d->play_lines = 0;
		d->play_src[0] = '\0';
		model_open(&d->m, lab, d->play_src);
		r.timeout_ms = INT_MAX;		/* the engine (the program) takes its time */
		if (lab == &trace_lab)
			r.host = 1;	/* the program runs where it runs: on this host */
		snprintf(d->v.status, sizeof d->v.status, "%s", lab == &play_lab ?
			 _(" the playground: : types a line (server: s = socket(udp)), Enter runs it") :
			 _(" the program waits at each socket call: space lets the kernel answer it"));
	} else if (lab)
		model_open(&d->m, lab, registry_source(lab->file));
	else if (d->exec_info.file) {
		model_open(&d->m, &d->exec_info, d->exec_source);	/* a restart */
		d->m.own = 1;
	}
	else
		model_open(&d->m, NULL, NULL);
	memset(d->v.scroll, 0, sizeof d->v.scroll);
	d->v.follow = 1;
	d->action = ACT_NONE;
	d->dirty = 1;
	d->r = &r;
	d->stepping = 1;	/* until the first pause */
	if (runner_run(&r) == 0) {
		/* it ended and is gone (killed while waiting at its end) */
		d->r = NULL;
		d->stepping = 0;
		d->m.running = 0;
		d->goal = -1;
		return wait_input(d);
	}
	d->r = NULL;
	d->stepping = 0;
	if (errno == ECANCELED && d->action != ACT_NONE)
		return d->action;
	if (proc_stop_signal())
		return ACT_SIGNAL;
	/* it crashed, hung or could not start: say so, and stay (a jump
	 * under way ends here: the next run starts at step 1) */
	d->goal = -1;
	advice = sandbox_advice(errno, 1);
	snprintf(why, sizeof why, "%s%s%s", r.why, advice ? "; " : "", advice ? advice : "");
	model_stop(&d->m, why);
	d->dirty = 1;
	return wait_input(d);
}

int dash_run(const struct dash_opts *o, char *why, size_t len)
{
	static struct dash d;	/* large (the model): not on the stack */
	const struct lab_info *lab = o->play ? &play_lab : o->trace_cmd ? &trace_lab : o->lab;
	int exec = o->exec_path != NULL;
	enum action a;
	int saved = 0;

	memset(&d, 0, sizeof d);
	d.o = o;
	d.side.ctl = d.side.gate = -1;
	d.host_nl = -1;
	d.goal = -1;
	d.v.predict = o->predict;
	if (o->trace && (d.trace = fopen(o->trace, "we")) == NULL) {
		snprintf(why, len, "%s: %s", o->trace, strerror(errno));
		errno = EINVAL;
		return -1;
	}
	screen_keys(dash_keys);
	if (screen_start(why, len) < 0) {
		if (d.trace)
			fclose(d.trace);
		errno = ENOTTY;
		return -1;
	}
	proc_catch_stop();
	inspect_flags_prepare();	/* not on the first step's key */
	model_open(&d.m, NULL, NULL);	/* the tree: every linked lab */
	preview(&d);
	d.dirty = 1;
	for (;;) {
		if (lab || exec) {
			for (size_t i = 0; i < registry_count(); i++)
				if (registry_at(i) == lab)
					d.v.tree_sel = (int)i;
			a = run_lab(&d, exec ? NULL : lab);
		} else {
			a = wait_input(&d);
		}
		if (a == ACT_QUIT || a == ACT_SIGNAL)
			break;
		if (a == ACT_OPEN || a == ACT_RESTART) {
			exec = d.open == &d.exec_info || (a == ACT_RESTART && exec);
			lab = exec ? NULL : d.open;
		}
		if (exec && d.rebuild)
			rebuild(&d);
	}
	play_side_stop(&d.side);
	screen_end();
	model_free(&d.m);
	if (d.host_nl >= 0)
		close(d.host_nl);
	if (d.trace)
		fclose(d.trace);
	free(d.exec_source);
	if (a == ACT_SIGNAL) {
		saved = EINTR;
		errno = saved;
		return -1;
	}
	return 0;
}
