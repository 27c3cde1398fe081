/* panes.c — the dashboard's panes, drawn from the model. */
#include <stdarg.h>
#include <stdlib.h>
#include <wchar.h>
#include <stdio.h>
#include <string.h>

#include "errtab/errtab.h"
#include "i18n.h"
#include "lab/outcome.h"
#include "panes.h"
#include "render/explain.h"
#include "render/glyphs.h"
#include "render/report.h"
#include "render/sockrow.h"
#include "render/width.h"
#include "render/wireline.h"
#include "render/wrap.h"

struct panes_style panes_style;

static chtype attr_ok(void)
{
	return panes_style.color ? COLOR_PAIR(PAIR_OK) : A_NORMAL;
}

static chtype attr_fail(void)
{
	return panes_style.color ? COLOR_PAIR(PAIR_FAIL) | A_BOLD : A_BOLD;
}

static chtype attr_role(int index)
{
	if (!panes_style.color || index <= 0)
		return A_NORMAL;	/* "main" keeps the default colour */
	return COLOR_PAIR(PAIR_ROLE0 + (index - 1) % PANES_ROLE_COLOURS);
}

static chtype attr_highlight(void)
{
	return panes_style.color ? COLOR_PAIR(PAIR_HIGHLIGHT) | A_BOLD : A_REVERSE;
}

/* The next character of s: its bytes in *n and its columns (the wide
 * character in *wc).  Bytes that are not a character of the locale, and
 * characters that cannot be printed, come out as one '?'. */
static int next_char(const char *s, size_t *n, wchar_t *wc)
{
	mbstate_t st;
	size_t k;
	int w;

	memset(&st, 0, sizeof st);
	k = mbrtowc(wc, s, MB_CUR_MAX, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*n = 1;
		*wc = L'?';
		return 1;
	}
	*n = k;
	w = wcwidth(*wc);
	if (w < 0) {
		*wc = L'?';
		return 1;
	}
	return w;
}

/* Without UTF-8: the ASCII stand-in of the character s starts with, or
 * NULL (glyphs.h decides, for every renderer). */
static const char *ascii_for(const char *s, size_t *n)
{
	return glyphs_ascii_for(s, n);
}

/* Columns of the character at s (bytes in *n). */
static int char_cols(const char *s, size_t *n)
{
	const char *a = ascii_for(s, n);
	wchar_t wc;

	if (*s == '\t') {
		*n = 1;
		return 4;
	}
	return a ? (int)strlen(a) : next_char(s, n, &wc);
}

int panes_width(const char *s)
{
	int cols = 0;
	size_t n;

	for (; *s; s += n)
		cols += char_cols(s, &n);
	return cols;
}

int panes_put(WINDOW *w, int y, int x, int cols, const char *s, chtype attr)
{
	int used = 0;

	if (cols <= 0 || wmove(w, y, x) == ERR)
		return 0;
	wattron(w, attr);
	while (*s) {
		size_t n;
		const char *a = ascii_for(s, &n);
		wchar_t wc;
		int cw;

		if (*s == '\t') {
			if (used + 4 > cols)
				break;
			waddstr(w, "    ");
			used += 4;
			s++;
			continue;
		}
		if (a) {
			cw = (int)strlen(a);
			if (used + cw > cols)
				break;
			waddstr(w, a);
		} else {
			cw = next_char(s, &n, &wc);
			if (used + cw > cols)
				break;
			waddnwstr(w, &wc, 1);
		}
		used += cw;
		s += n;
	}
	wattroff(w, attr);
	return used;
}

/* A pane's frame and title; the focused pane's is bold. */
/* "↓ more" on a pane's bottom border when its list goes on below */
static void more_below(WINDOW *w, int more)
{
	char mark[16];

	if (!more)
		return;
	snprintf(mark, sizeof mark, _(" %s more "), glyph(GLYPH_DOWN));
	panes_put(w, getmaxy(w) - 1, getmaxx(w) - 10, 8, mark, A_BOLD);
}

static void frame(WINDOW *w, const struct screen_view *v, enum screen_pane p,
		  const char *title)
{
	int fw = getmaxx(w);

	werase(w);
	if (v->focus == p)
		wattron(w, A_BOLD);
	box(w, 0, 0);
	wattroff(w, A_BOLD);
	panes_put(w, 0, 2, fw - 4, title, v->focus == p ? A_REVERSE | A_BOLD : A_BOLD);
}

/* Keep first line `*top` in range for n lines in h rows. */
static void clamp(int *top, int n, int h)
{
	if (*top > n - h)
		*top = n - h;
	if (*top < 0)
		*top = 0;
}

/* ---- labs and steps ------------------------------------------------- */

/* Columns of the widest step mark. */
static int mark_cols(void)
{
	static const enum glyph marks[] = { GLYPH_PASS, GLYPH_FAIL, GLYPH_CURSOR };
	int w = 1;

	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (panes_width(glyph(marks[i])) > w)
			w = panes_width(glyph(marks[i]));
	return w;
}

/* Row i of the tree as text, and its attributes in *attr (masked: a
 * step's title in predict mode, until the step has run). */
static void tree_row(const struct model *m, int i, int masked, char *line, size_t len, chtype *attr)
{
	int step = m->rows[i].step;
	const struct lab_info *li = m->rows[i].lab;

	*attr = A_NORMAL;
	if (step < 0) {
		snprintf(line, len, "%s%02d %s", li == m->lab ? glyph(GLYPH_OPEN) : " ",
			 li->number, li->slug);
		if (li == m->lab)
			*attr = A_BOLD;
	} else {
		const struct model_step *s = &m->steps[step];
		const char *mark = " ";
		int pad;

		switch (s->state) {
		case MODEL_STEP_WAITING:
			mark = glyph(GLYPH_CURSOR);
			*attr = A_BOLD;
			break;
		case MODEL_STEP_OK:
			mark = glyph(GLYPH_PASS);
			*attr = attr_ok();
			break;
		case MODEL_STEP_FAILED:
			mark = glyph(GLYPH_FAIL);
			*attr = attr_fail();
			break;
		default:
			break;
		}
		/* the numbers in one column: marks padded to the widest
		 * (one column in UTF-8, "FAIL" in ASCII) */
		pad = mark_cols() - panes_width(mark);
		/* predict mode: a step's title may give its answer away
		 * ("the reply lands on the client"): shown once it has run */
		snprintf(line, len, "  %s%*s %d %s", mark, pad > 0 ? pad : 0, "", step + 1,
			 masked && (s->state == MODEL_STEP_PENDING || s->state == MODEL_STEP_WAITING) ?
			 "?" : s->title);
		if (step == m->last)
			*attr |= A_UNDERLINE;
	}
}

int panes_tree_cols(const struct model *m)
{
	char line[256];
	chtype attr;
	int most = 0;

	/* the titles as they will be once run: the pane's width does not
	 * change as predict mode reveals them */
	for (int i = 0; i < m->nrows; i++) {
		tree_row(m, i, 0, line, sizeof line, &attr);
		if (panes_width(line) > most)
			most = panes_width(line);
	}
	return most;
}

void panes_tree(WINDOW *w, const struct model *m, struct screen_view *v)
{
	int h = getmaxy(w) - 2, cols = getmaxx(w) - 2;
	int n = m->nrows;
	char line[256];

	frame(w, v, SCREEN_TREE, m->lab ? _(" Lab · steps ") : _(" Labs "));
	if (v->tree_sel >= n)
		v->tree_sel = n - 1;
	if (v->tree_sel < 0)
		v->tree_sel = 0;
	/* keep the selection, else the waiting step, in view */
	if (v->tree_sel < v->scroll[SCREEN_TREE])
		v->scroll[SCREEN_TREE] = v->tree_sel;
	if (v->tree_sel >= v->scroll[SCREEN_TREE] + h)
		v->scroll[SCREEN_TREE] = v->tree_sel - h + 1;
	clamp(&v->scroll[SCREEN_TREE], n, h);
	for (int row = 0; row < h && v->scroll[SCREEN_TREE] + row < n; row++) {
		int i = v->scroll[SCREEN_TREE] + row;
		chtype attr;

		tree_row(m, i, v->predict, line, sizeof line, &attr);
		if (i == v->tree_sel && v->focus == SCREEN_TREE)
			attr |= A_REVERSE;
		mvwhline(w, row + 1, 1, ' ', cols);
		panes_put(w, row + 1, 1, cols, line, attr);
	}
	more_below(w, v->scroll[SCREEN_TREE] + h < n);
}

/* ---- source --------------------------------------------------------- */

void panes_source(WINDOW *w, const struct model *m, struct screen_view *v)
{
	int h = getmaxy(w) - 2, cols = getmaxx(w) - 2;
	long from = 0, to = -1, mark = 0;
	const struct lab_info *lab = m->lab;
	char title[128], num[16];

	if (lab == NULL && model_row(m, v->tree_sel))
		lab = model_row(m, v->tree_sel)->lab;
	snprintf(title, sizeof title, " %s ", lab ? lab->file : "source");
	frame(w, v, SCREEN_SOURCE, title);
	if (m->source == NULL) {
		panes_put(w, 1, 2, cols - 2, _("(the lab's source is not available)"), A_DIM);
		return;
	}
	model_highlight(m, &from, &to);
	if (m->waiting >= 0)
		mark = m->steps[m->waiting].line;
	if (v->follow) {
		/* the step just run in view, with a little context above */
		long focus = to >= from ? from : mark;

		if (focus > 0) {
			long want = focus - 2;

			if (to >= from && to - want >= h)
				want = to - h + 1 < from - 1 ? to - h + 1 : from - 1;
			v->scroll[SCREEN_SOURCE] = (int)(want > 0 ? want : 0);
		}
	}
	clamp(&v->scroll[SCREEN_SOURCE], (int)m->nlines, h);
	for (int row = 0; row < h; row++) {
		long i = v->scroll[SCREEN_SOURCE] + row + 1;
		int len, x;
		const char *p = model_line(m, i, &len);
		char text[512];
		chtype attr = i >= from && i <= to ? attr_highlight() : A_NORMAL;

		if (p == NULL)
			break;
		snprintf(num, sizeof num, "%4ld", i);
		x = 1 + panes_put(w, row + 1, 1, cols, num, A_DIM);
		x += panes_put(w, row + 1, x, cols - x + 1,
			       i == mark ? glyph(GLYPH_CURSOR) : attr == A_NORMAL ? " " : glyph(GLYPH_BLOCK),
			       i == mark ? A_BOLD : attr);
		if (v->predict && m->lab)
			model_masked_line(m, i, text, sizeof text);
		else
			snprintf(text, sizeof text, "%.*s", len, p);
		if (attr != A_NORMAL)
			mvwchgat(w, row + 1, x, cols - x + 1, attr & ~A_COLOR, PAIR_NUMBER(attr), NULL);
		panes_put(w, row + 1, x, cols - x + 1, text, attr);
	}
}

/* ---- narration ------------------------------------------------------ */

#define NARR_MAX 96

struct narr {
	char text[NARR_MAX][512];
	chtype attr[NARR_MAX];
	int n, cols;
};

/* Add text wrapped at word boundaries to cols, and between the characters
 * of text written without spaces (Chinese), never before its closing
 * punctuation; continuation lines indented. */
static void say(struct narr *t, chtype attr, int indent, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(struct narr *t, chtype attr, int indent, const char *fmt, ...)
{
	char buf[1024];
	const char *p = buf;
	va_list ap;
	int first = 1;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	while (*p && t->n < NARR_MAX) {
		int pad = first ? 0 : indent, width = t->cols - pad, cols = 0;
		size_t room = sizeof t->text[0] - 1 - (size_t)pad, n;
		const char *q = p, *brk = NULL, *cut;
		int wide = 0;

		/* the cut: the last place to break that fits the columns and
		 * the buffer: a space, or beside a double-width character */
		while (*q) {
			int w = char_cols(q, &n);

			if (cols + w > width || (size_t)(q + n - p) > room)
				break;
			if (*q == ' ' || (q > p && (w == 2 || wide) && !width_closing(q)))
				brk = q;
			wide = w == 2;
			q += n;
			cols += w;
		}
		cut = *q == '\0' || brk == NULL || brk == p ? q : brk;
		if (cut == p)	/* not even one character fits */
			break;
		snprintf(t->text[t->n], sizeof t->text[0], "%*s%.*s", pad, "", (int)(cut - p), p);
		t->attr[t->n++] = attr;
		p = cut;
		while (*p == ' ')
			p++;
		first = 0;
	}
}

static void say_outcome(struct narr *t, const struct proto_event *o, const char *step_role,
			int own)
{
	char got[256], missed[224], who[48] = "";
	const struct errtab_entry *e;
	/* an observation (the playground) met no expectation and missed none */
	chtype attr = o->observe ? A_NORMAL : o->ok ? attr_ok() : attr_fail();
	const char *mark = o->observe ? glyph(GLYPH_ARROW) : o->ok ? glyph(GLYPH_PASS) : glyph(GLYPH_FAIL);

	if (o->role[0] && strcmp(o->role, step_role) != 0)
		snprintf(who, sizeof who, "[%s] ", o->role);
	switch (o->kind) {
	case PROTO_CALL:
		outcome_result(got, sizeof got, o, report_errno_text);
		say(t, attr, 4, "%s %s%s = %s", mark, who, o->expr, got);
		if (!o->ok) {
			outcome_mismatch(missed, sizeof missed, o, report_errno_text);
			/* the user's own lab: its expectation is what is wrong */
			say(t, attr, 4, "  %s%s", own ? _("your lab ") : "", missed);
		}
		e = errtab_by_errno((int)(o->ret == -1 ? o->err : o->want));
		if (e && (o->ret == -1 || !o->ok))
			say(t, A_DIM, 4, "  %s: %s", e->name, i18n_tr(e->meaning));
		break;
	case PROTO_CHECK:
		say(t, attr, 4, "%s %s%s %s", mark, who, o->expr, outcome_check(o->ok));
		break;
	case PROTO_NOTE:
		say(t, A_NORMAL, 2, "%s %s%s", glyph(GLYPH_ARROW), who, o->text);
		break;
	case PROTO_ERROR:
		say(t, attr_fail(), 4, "%s %s: %s", glyph(GLYPH_FAIL), OUTCOME_LAB_ERROR, o->text);
		break;
	case PROTO_SKIP:
		say(t, A_BOLD, 4, "%s: %s", OUTCOME_SKIPPED, o->text);
		break;
	case PROTO_HOST:
		outcome_host(got, sizeof got, o);
		say(t, A_NORMAL, 4, "%s", got);
		break;
	default:
		break;
	}
}

/* The lab's summary line: it can state the lab's answer ("still fails"),
 * so predict mode keeps it for the end */
static void summary(struct narr *t, const struct screen_view *v, const struct lab_info *lab)
{
	if (v->predict)
		say(t, A_DIM, 0, _("(the summary shows at the end: predict mode)"));
	else
		say(t, A_NORMAL, 0, "%s", i18n_tr(lab->summary));
}

void panes_narration(WINDOW *w, const struct model *m, struct screen_view *v)
{
	static struct narr t;
	int h = getmaxy(w) - 2, body, foot;
	const struct lab_info *lab = m->lab;

	t.n = 0;
	t.cols = getmaxx(w) - 4;
	frame(w, v, SCREEN_NARRATION, _(" What happened "));
	/* predict mode: the question to the room comes first, in view; the
	 * title once the step has run */
	if (lab && v->predict && m->waiting >= 0 && !m->error[0]) {
		say(&t, A_BOLD, 0, _("Before step %d, ask: %s"), m->waiting + 1,
		    m->pending.ask[0] ? m->pending.ask : _("what will the kernel answer, and why?"));
		say(&t, A_DIM, 2, _("space runs it; its title and the queues show once it has run"));
	}
	if (lab && m->has_side) {
		/* a playground line typed beside the lab: its answer first */
		const struct proto_event *st = &m->side.step;

		say(&t, A_BOLD, 0, _("Playground, in this lab's sandbox: %s [%s]"), st->title, st->role);
		for (int i = 0; i < m->side.noutcomes; i++)
			say_outcome(&t, &m->side.outcomes[i], st->role, 0);
	}
	if (lab == NULL) {
		if (model_row(m, v->tree_sel))
			lab = model_row(m, v->tree_sel)->lab;
		if (lab) {
			say(&t, A_BOLD, 0, _("Lab %02d · %s"), lab->number, i18n_tr(lab->title));
			summary(&t, v, lab);
		}
		say(&t, A_DIM, 0, _("Enter (or a click) opens the lab; ? lists every key."));
	} else if (m->last < 0 && m->run.noutcomes == 0) {
		say(&t, A_BOLD, 0, _("Lab %02d · %s"), lab->number, i18n_tr(lab->title));
		summary(&t, v, lab);
		if (m->lab_ev.pid)
			say(&t, A_DIM, 0, _("%s; LAB_PORT = %ld"),
			    m->lab_ev.sandbox ? _("in a fresh network namespace") :
			    _("on this host's stack, loopback only"), m->lab_ev.port);
	} else {
		const struct proto_event *st = &m->run.step;

		if (st->step > 0)
			say(&t, A_BOLD, 0, _("Step %ld · %s%s%s%s"), st->step, st->title,
			    st->role[0] ? " [" : "", st->role, st->role[0] ? "]" : "");
		for (int i = 0; i < m->run.noutcomes; i++)
			say_outcome(&t, &m->run.outcomes[i], st->role, m->own);
		if (m->run.dropped)
			say(&t, A_DIM, 0, _("(%d more outcomes not shown)"), m->run.dropped);
		if (st->why[0])
			say(&t, A_DIM, 4, _("why: %s"), st->why);
	}
	/* what comes next (or how it ended) stays in view below the rest */
	body = t.n;
	if (m->error[0])
		say(&t, attr_fail(), 2, _("%s The lab stopped: %s. r restarts it."),
		    glyph(GLYPH_FAIL), m->error);
	else if (m->waiting >= 0 && v->predict)
		;	/* the question is at the top */
	else if (m->waiting >= 0)
		say(&t, A_BOLD, 2, _("Next: step %d · %s %s space runs it"), m->waiting + 1,
		    m->steps[m->waiting].title, glyph(GLYPH_DASH));
	else if (m->ended) {
		int bad = m->end.fail || m->end.errors;
		char met[64];

		outcome_total(met, sizeof met, m->end.pass, m->end.fail);
		say(&t, bad ? attr_fail() : attr_ok(), 2,
		    _("%s The end: %s%s. r runs it again, q quits."),
		    bad ? glyph(GLYPH_FAIL) : glyph(GLYPH_PASS), met,
		    m->end.errors ? _(", lab errors") : "");
		if (v->predict)
			say(&t, A_NORMAL, 2, _("The lab in one line: %s"), i18n_tr(lab->summary));
		if (bad && m->own)
			say(&t, A_NORMAL, 2, _("Where your lab and the kernel disagree, the kernel is "
			    "the oracle: change the lab's expectation (r builds a .c lab again)."));
	}
	/* too long for the pane: the closing lines are pinned to its foot
	 * (when they leave the rest a row) and the rest scrolls above them */
	foot = t.n > h && t.n - body < h ? t.n - body : 0;
	if (v->follow)
		v->scroll[SCREEN_NARRATION] = 0;
	clamp(&v->scroll[SCREEN_NARRATION], t.n - foot, h - foot);
	for (int row = 0; row < h - foot && v->scroll[SCREEN_NARRATION] + row < t.n - foot; row++) {
		int i = v->scroll[SCREEN_NARRATION] + row;

		panes_put(w, row + 1, 2, t.cols, t.text[i], t.attr[i]);
	}
	for (int k = 0; k < foot; k++)
		panes_put(w, h - foot + k + 1, 2, t.cols, t.text[body + k], t.attr[body + k]);
	more_below(w, v->scroll[SCREEN_NARRATION] + h - foot < t.n - foot);
}

/* ---- the socket table ----------------------------------------------- */

/* The dashboard's columns: sockrow.h's, without SEND-Q */
static const enum sockrow_col pane_cols[] = {
	SOCKROW_MARK, SOCKROW_HOST, SOCKROW_NET, SOCKROW_STATE, SOCKROW_LOCAL, SOCKROW_PEER,
	SOCKROW_RECVQ, SOCKROW_UID, SOCKROW_OWNER, SOCKROW_FLAGS, SOCKROW_TIMER,
};
enum {
	C_MARK, C_HOST, C_NETID, C_STATE, C_LOCAL, C_PEER, C_RECVQ, C_UID, C_OWNER, C_FLAGS,
	C_TIMER, C_N
};

struct cells {
	char c[C_N][48];
};

static const char *role_label(const void *ctx, int pid)
{
	return model_role_of(ctx, pid);
}

static const char *sock_name(const void *ctx, int pid, int fd)
{
	return model_name_of(ctx, pid, fd);
}

static void cells_of(const struct model *m, const struct inspect_sock *s, int gone,
		     int host, long now_ms, struct cells *out)
{
	const struct sockrow_opts o = {
		.form = SOCKROW_PANE,
		.show_pids = 1,
		.one_byte = 1,	/* cells are padded by bytes */
		/* the timer as it is now: it ran on since the table was read */
		.ran_ms = now_ms - (host ? m->host_ms : m->snap_ms),
		.label = host ? NULL : role_label,
		.name = host ? NULL : sock_name,
		.label_ctx = m,
	};

	for (int k = 0; k < C_N; k++)
		sockrow_cell(out->c[k], sizeof out->c[0], pane_cols[k], s, gone, &o);
}

/* Do the rows belong to more than one uid? */
static int two_uids(const struct inspect_snap *s)
{
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].uid != s->v[0].uid)
			return 1;
	return 0;
}

/* Predict mode: a receive queue shows whom a datagram reached before the
 * room is asked, so the lab's queues read "?" (the host's stay), and a
 * row whose only change is its queue loses its "changed" mark.  Returns
 * 1 when the row's mark is hidden. */
static int hide_queue(const struct model *m, const struct screen_view *v,
		      const struct inspect_sock *s, struct cells *c)
{
	if (!v->predict || v->host)
		return 0;
	snprintf(c->c[C_RECVQ], sizeof c->c[C_RECVQ], "?");
	if (s->mark != INSPECT_CHANGED)
		return 0;
	for (size_t i = 0; i < m->prev.n; i++) {
		const struct inspect_sock *p = &m->prev.v[i];

		if (p->inode == s->inode && p->proto == s->proto && p->state == s->state &&
		    p->reuseaddr == s->reuseaddr && p->reuseport == s->reuseport &&
		    p->broadcast == s->broadcast && p->pid == s->pid) {
			snprintf(c->c[C_MARK], sizeof c->c[C_MARK], " ");
			return 1;
		}
	}
	return 0;
}

static int row_matches(const struct cells *c, const char *filter)
{
	if (filter[0] == '\0')
		return 1;
	for (int i = 0; i < C_N; i++)
		if (strcasestr(c->c[i], filter))
			return 1;
	return 0;
}

void panes_table(WINDOW *w, const struct model *m, struct screen_view *v)
{
	static const char *const heads[C_N] = {
		" ", "Host", "Netid", "State", "Local", "Peer", "Recv-Q", "UID", "Owner", "Flags",
		"Timer",
	};
	const struct inspect_snap *snap = v->host ? &m->host : &m->snap;
	const struct inspect_snap *gone = v->host ? NULL : &m->gone;
	int h = getmaxy(w) - 3, cols = getmaxx(w) - 2, width[C_N], total = 0, shown = 0, row = 0, uids;
	int hosts = 0;	/* a lab with hosts: the Host column */
	size_t n = snap->n + (gone ? gone->n : 0);
	char title[160], line[512];
	struct cells c;

	if (v->host)
		snprintf(title, sizeof title, _(" Sockets of this host (read-only; h returns)%s%s "),
			 v->filter[0] ? _(" · filter: ") : "", v->filter);
	else
		snprintf(title, sizeof title, _(" Sockets %s%s%s "),
			 m->lab_ev.pid && !m->lab_ev.sandbox ? _("of the lab on this host (loopback)") :
			 _("in the lab's sandbox"),
			 v->filter[0] ? _(" · filter: ") : "", v->filter);
	frame(w, v, SCREEN_TABLE, title);
	for (int i = 0; i < C_N; i++)
		width[i] = (int)strlen(heads[i]);
	width[C_MARK] = 1;
	for (size_t i = 0; i < n; i++) {
		int is_gone = i >= snap->n;

		cells_of(m, is_gone ? &gone->v[i - snap->n] : &snap->v[i], is_gone, v->host, v->now_ms, &c);
		hide_queue(m, v, is_gone ? &gone->v[i - snap->n] : &snap->v[i], &c);
		if (!row_matches(&c, v->filter))
			continue;
		shown++;	/* to keep the scroll in range */
		for (int k = 0; k < C_N; k++)
			if ((int)strlen(c.c[k]) > width[k])
				width[k] = (int)strlen(c.c[k]);
		hosts |= (is_gone ? &gone->v[i - snap->n] : &snap->v[i])->host[0] != '\0';
	}
	if (!hosts)
		width[C_HOST] = -1;
	/* narrow terminal: drop UID, then Recv-Q, then cut the addresses;
	 * but a table of two users (lab 09's hijack) is about its UIDs: it
	 * keeps them, and cuts the owner before the addresses */
	for (int k = 0; k < C_N; k++)
		if (width[k] >= 0)
			total += width[k] + 1;
	uids = two_uids(snap);
	for (int k = uids ? 1 : 0; k < 2 && total > cols; k++) {
		int col = k == 0 ? C_UID : C_RECVQ;

		total -= width[col] + 1;
		width[col] = -1;
	}
	while (uids && total > cols && width[C_OWNER] > 14) {
		width[C_OWNER]--;
		total--;
	}
	while (total > cols && (width[C_LOCAL] > 12 || width[C_PEER] > 12)) {
		width[width[C_LOCAL] >= width[C_PEER] ? C_LOCAL : C_PEER]--;
		total--;
	}
	line[0] = '\0';
	for (int k = 0, x = 0; k < C_N; k++)
		if (width[k] >= 0)
			x += snprintf(line + x, sizeof line - (size_t)x, "%-*.*s ", width[k], width[k], heads[k]);
	panes_put(w, 1, 1, cols, line, A_BOLD | A_UNDERLINE);
	clamp(&v->scroll[SCREEN_TABLE], shown, h);
	shown = 0;
	for (size_t i = 0; i < n; i++) {
		int is_gone = i >= snap->n, x = 0;
		const struct inspect_sock *s = is_gone ? &gone->v[i - snap->n] : &snap->v[i];
		const char *role = v->host ? NULL : model_role_of(m, s->pid);
		chtype attr = role ? attr_role(model_role_index(m, role)) : A_NORMAL;

		int unmarked;

		cells_of(m, s, is_gone, v->host, v->now_ms, &c);
		unmarked = hide_queue(m, v, s, &c);
		if (!row_matches(&c, v->filter))
			continue;
		shown++;
		if (shown <= v->scroll[SCREEN_TABLE] || row >= h)
			continue;
		for (int k = 0; k < C_N; k++) {
			if (width[k] < 0)
				continue;
			x += snprintf(line + x, sizeof line - (size_t)x, "%-*.*s ", width[k], width[k], c.c[k]);
		}
		if (is_gone)
			attr = A_DIM;
		else if (s->mark && !unmarked)
			attr |= A_REVERSE;	/* what the last step changed */
		if (attr & A_REVERSE)
			mvwchgat(w, row + 2, 1, cols, attr & ~A_COLOR, PAIR_NUMBER(attr), NULL);
		panes_put(w, row + 2, 1, cols, line, attr);
		row++;
	}
	if (shown == 0)
		panes_put(w, 2, 2, cols - 1, v->filter[0] ? _("(no socket matches the filter)") :
			  m->lab || v->host ? _("(no sockets)") : _("(open a lab to see its sockets)"), A_DIM);
	more_below(w, shown > v->scroll[SCREEN_TABLE] + h);
}

/* ---- deliveries ----------------------------------------------------- */

/* A delivery's words after its role: what " (sock) <- 5 bytes \"reply\""
 * or ": nothing (EAGAIN)", and from "from 127.0.0.1:5001" ("" unknown).
 * The payload is last on its line: a narrow pane cuts it, not the sender. */
static void delivery_words(const struct model_delivery *d, char *what, size_t wlen,
			   char *from, size_t flen)
{
	char sock[48] = "";

	/* the socket's name when it is not the role's own */
	if (strcmp(d->sock, d->role) != 0)
		snprintf(sock, sizeof sock, " (%s)", d->sock);
	if (d->ret >= 0)
		snprintf(what, wlen, _("%s %s %ld bytes%s%s%s"), sock, glyph(GLYPH_BACK), d->ret,
			 d->data[0] ? " \"" : "", d->data, d->data[0] ? "\"" : "");
	else
		snprintf(what, wlen, _("%s: nothing (%s)"), sock,
			 strerrorname_np((int)d->err) ? strerrorname_np((int)d->err) : "error");
	from[0] = '\0';
	if (d->ret >= 0 && d->from[0])
		snprintf(from, flen, _("from %s"), d->from);
}

/* Rows delivery d takes in cols columns: the sender goes on a row of its
 * own when the line would not hold it. */
static int delivery_rows(const struct model_delivery *d, int cols)
{
	char what[192], from[80], head[48];

	delivery_words(d, what, sizeof what, from, sizeof from);
	snprintf(head, sizeof head, "%2ld %s", d->step, d->role);
	if (!from[0] || panes_width(head) + panes_width(what) + 1 + panes_width(from) <= cols)
		return 1;
	return 2;
}

/* The wire (w): a line a packet, after the step it crossed in, the
 * newest last; what does not fit the pane's width goes on below, as
 * many rows as it takes (a narrow pane, 80 columns: three). */
/* Bytes of s that fill at most width columns, a character a column (the
 * arrow is three bytes of UTF-8, and is never cut in two). */
static int wire_chunk(const char *s, int width)
{
	int n = 0, space = 0;

	for (int col = 0; s[n] && col < width; col++) {
		if (s[n] == ' ' && col > width / 2)
			space = n + 1;	/* a row ends after a word where it can */
		do
			n++;
		while (((unsigned char)s[n] & 0xC0) == 0x80);
	}
	return s[n] && s[n] != ' ' && space ? space : n;
}

static int wire_rows(const char *s, int width)
{
	int rows = 0;

	if (width <= 0)
		return 1;
	do {
		s += wire_chunk(s, width);
		rows++;
	} while (*s);
	return rows;
}

static void panes_wire(WINDOW *w, const struct model *m, struct screen_view *v)
{
	int h = getmaxy(w) - 2, cols = getmaxx(w) - 2, width = cols - 3, total = 0, row = 0, skip;
	char line[320], head[16];

	frame(w, v, SCREEN_LOG, _(" Wire (w: deliveries) "));
	if (m->wire_err) {
		snprintf(line, sizeof line, _("(not captured: %s)"), m->lab_ev.pid && !m->lab_ev.sandbox ?
			 _("on the host's stack socklab captures nothing") : strerror(m->wire_err));
		panes_put(w, 1, 1, cols, line, A_DIM);
		return;
	}
	if (m->nwire == 0) {
		panes_put(w, 1, 1, cols, m->lab ? _("(nothing crossed yet)") : "", A_DIM);
		return;
	}
	for (int i = 0; i < m->nwire; i++) {
		wireline_format(line, sizeof line, &m->wire[i].p);
		total += wire_rows(line, width);
	}
	if (v->follow)
		v->scroll[SCREEN_LOG] = total - h;
	clamp(&v->scroll[SCREEN_LOG], total, h);
	skip = v->scroll[SCREEN_LOG];
	for (int i = 0; i < m->nwire && row < h; i++) {
		const char *p = line;

		wireline_format(line, sizeof line, &m->wire[i].p);
		for (int k = 0; *p && row < h; k++) {
			int n = width > 0 ? wire_chunk(p, width) : (int)strlen(p);
			char part[320];

			snprintf(part, sizeof part, "%.*s", n, p);
			p += n;
			if (skip > 0) {
				skip--;
				continue;
			}
			row++;
			if (k == 0) {
				snprintf(head, sizeof head, "%2ld ", m->wire[i].step);
				panes_put(w, row, 1, cols, head, A_DIM);
			}
			panes_put(w, row, 4, width, part, A_NORMAL);
		}
	}
	more_below(w, v->scroll[SCREEN_LOG] + h < total);
}

void panes_log(WINDOW *w, const struct model *m, struct screen_view *v)
{
	int h = getmaxy(w) - 2, cols = getmaxx(w) - 2, total = 0, row = 0, skip;
	char head[48], what[192], from[80];

	if (v->wire) {
		panes_wire(w, m, v);
		return;
	}
	frame(w, v, SCREEN_LOG, _(" Deliveries (w: wire) "));
	if (m->ndeliveries == 0) {
		panes_put(w, 1, 1, cols, m->lab ? _("(no receive yet)") : "", A_DIM);
		return;
	}
	for (int i = 0; i < m->ndeliveries; i++)
		total += delivery_rows(&m->deliveries[i], cols);
	if (v->follow)
		v->scroll[SCREEN_LOG] = total - h;
	clamp(&v->scroll[SCREEN_LOG], total, h);
	skip = v->scroll[SCREEN_LOG];
	for (int i = 0; i < m->ndeliveries && row < h; i++) {
		const struct model_delivery *d = &m->deliveries[i];
		int rows = delivery_rows(d, cols), x = 1;

		if (skip >= rows) {
			skip -= rows;
			continue;
		}
		delivery_words(d, what, sizeof what, from, sizeof from);
		if (skip == 0) {
			snprintf(head, sizeof head, "%2ld ", d->step);
			x += panes_put(w, row + 1, x, cols, head, A_DIM);
			x += panes_put(w, row + 1, x, cols - x + 1, d->role,
				       attr_role(model_role_index(m, d->role)) | A_BOLD);
			x += panes_put(w, row + 1, x, cols - x + 1, what, d->ret >= 0 ? A_NORMAL : A_DIM);
			if (rows == 1 && from[0])
				panes_put(w, row + 1, x + 1, cols - x, from, A_NORMAL);
			row++;
		}
		skip = 0;
		if (rows == 2 && row < h)
			panes_put(w, ++row, 4, cols - 3, from, A_NORMAL);
	}
	more_below(w, v->scroll[SCREEN_LOG] + h < total);
}

/* ---- explain -------------------------------------------------------- */

/* What the table's columns count, for e on the table: the kernel's words
 * (sock_diag's idiag_rqueue), not a measured figure. */
static const char table_columns[] =
	/* TRANSLATORS: each column's line starts with its name padded to 13
	 * columns ("  Recv-Q     "): keep those 13 characters as they are */
	N_("The socket table's columns\n"
	"  Recv-Q     UDP: bytes of receive buffer the queued datagrams take in the "
	"kernel, each datagram with its overhead (what sock_diag reports: the "
	"socket's rmem), so it is larger than their payload; compare the "
	"deliveries pane's byte counts. TCP listener: connections waiting for "
	"accept(). Other TCP: bytes received and not yet read. ? in predict mode "
	"until the step has run.\n"
	"  UID        the socket's owner as the kernel records it; two users on "
	"one port is what lab 09 is about.\n"
	"  Owner      the process holding the descriptor (the lab's name for it, "
	"the role, the pid), read from /proc.\n"
	"  Flags      ra SO_REUSEADDR, rp SO_REUSEPORT, bc SO_BROADCAST, v6 "
	"IPV6_V6ONLY; ? where socklab cannot read them: unknown, not off.\n"
	"  marks      + new, ~ changed by the step, - gone since it.\n");

void panes_explain(WINDOW *w, struct screen_view *v)
{
	int h = getmaxy(w) - 2, cols = getmaxx(w) - 4, n = 0, y = 1;
	const struct errtab_entry *e = v->explain_err ? errtab_by_errno(v->explain_err) : NULL;
	char *text = NULL, *line;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	werase(w);
	box(w, 0, 0);
	panes_put(w, 0, 2, cols, e ? _(" Explain ") : _(" Explain: the socket table "), A_BOLD | A_REVERSE);
	if (f == NULL)
		return;
	if (e) {
		explain_write(f, e, 0, cols);
		if (e->labs[0]) {
			fprintf(f, _("\nSee it happen:"));
			for (int i = 0; i < ERRTAB_MAX_LIST && e->labs[i]; i++)
				fprintf(f, _(" lab %02d"), e->labs[i]);
			fprintf(f, "\n");
		}
	} else {
		for (const char *p = i18n_tr(table_columns); *p;) {
			const char *nl = strchrnul(p, '\n');
			char para[1024], lead[16] = "";

			snprintf(para, sizeof para, "%.*s", (int)(nl - p), p);
			if (strncmp(para, "  ", 2) == 0 && strlen(para) > 13) {
				snprintf(lead, sizeof lead, "%.13s", para);
				wrap_print(f, lead, para + 13, cols);
			} else {
				fprintf(f, "%s\n", para);
			}
			p = *nl ? nl + 1 : nl;
		}
	}
	fclose(f);
	for (char *p = text; (p = strchr(p, '\n')); p++)
		n++;
	clamp(&v->explain_scroll, n, h);
	line = text;
	for (int i = 0; i < n && y <= h; i++) {
		char *nl = strchr(line, '\n');

		*nl = '\0';	/* every line ends in one: n counted them */
		if (i >= v->explain_scroll)
			panes_put(w, y++, 2, cols, line, i == 0 ? A_BOLD : A_NORMAL);
		line = nl + 1;
	}
	free(text);
	more_below(w, v->explain_scroll + h < n);
	panes_put(w, getmaxy(w) - 1, 2, cols - 12, _(" arrows scroll, any other key closes "), A_DIM);
}

/* ---- help ----------------------------------------------------------- */

/* after the keys: what the table's marks and flags mean */
static const char *const legend[] = {
	"",
	N_("Table: + new, ~ changed by the step, - gone;"),
	N_("flags ra SO_REUSEADDR, rp SO_REUSEPORT,"),
	N_("bc SO_BROADCAST, v6 IPV6_V6ONLY, ? unreadable."),
	N_("Recv-Q: bytes of kernel buffer, not of payload"),
	N_("(e on the table explains each column)."),
	NULL
};

void panes_help(WINDOW *w, const char *const *keys)
{
	int y = 1;

	werase(w);
	box(w, 0, 0);
	panes_put(w, 0, 2, getmaxx(w) - 4, _(" Keys "), A_BOLD | A_REVERSE);
	for (int i = 0; keys[i] && y < getmaxy(w) - 1; i++)
		panes_put(w, y++, 2, getmaxx(w) - 4, keys[i], A_NORMAL);
	for (int i = 0; legend[i] && y < getmaxy(w) - 1; i++)
		panes_put(w, y++, 2, getmaxx(w) - 4, i18n_tr(legend[i]), A_NORMAL);
}

int panes_help_size(const char *const *keys, int *cols)
{
	int n = 0, w = 0;

	for (const char *const *l = keys; *l; l++, n++)
		if (panes_width(*l) > w)
			w = panes_width(*l);
	for (const char *const *l = legend; *l; l++, n++)
		if (panes_width(i18n_tr(*l)) > w)
			w = panes_width(i18n_tr(*l));
	*cols = w + 4;
	return n + 2;
}
