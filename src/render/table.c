/* table.c — draw a socket snapshot as an aligned text table or Markdown. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "table.h"

#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_OFF "\033[0m"

static void add(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? "," : "", word);
}

/* The reuse flags, long ("reuseaddr") or short ("ra", as the dashboard
 * and its help legend say them). */
static void flags_text(char *buf, size_t len, const struct inspect_sock *s, int abbr)
{
	static const struct {
		size_t off;
		const char *name, *abbr;
	} opts[] = {
		{ offsetof(struct inspect_sock, reuseaddr), "reuseaddr", "ra" },
		{ offsetof(struct inspect_sock, reuseport), "reuseport", "rp" },
		{ offsetof(struct inspect_sock, broadcast), "broadcast", "bc" },
	};
	char dev[IF_NAMESIZE + 8];

	buf[0] = '\0';
	if (s->reuseaddr < 0 && s->reuseport < 0 && s->broadcast < 0)
		add(buf, len, "?");	/* not read: no owner, or not allowed */
	else for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		int8_t v = *((const int8_t *)s + opts[i].off);
		const char *name = abbr ? opts[i].abbr : opts[i].name;

		if (v > 0) {
			add(buf, len, name);
		} else if (v < 0) {
			char q[24];

			snprintf(q, sizeof q, "%s?", name);
			add(buf, len, q);
		}
	}
	/* carried over from the same socket's last row (inspect_diff) */
	if (s->inherited)
		add(buf, len, abbr ? "inh" : "inherited");
	if (s->v6only)
		add(buf, len, abbr ? "v6" : "v6only");
	if (s->ifindex) {
		char name[IF_NAMESIZE];

		if (if_indextoname(s->ifindex, name))
			snprintf(dev, sizeof dev, "dev=%s", name);
		else
			snprintf(dev, sizeof dev, "dev=%u", s->ifindex);
		add(buf, len, dev);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

void table_flags_text(char *buf, size_t len, const struct inspect_sock *s)
{
	flags_text(buf, len, s, 0);
}

static void timer_text(char *buf, size_t len, const struct inspect_sock *s, int abbr)
{
	static const char *const names[][2] = {
		{ "", "" }, { "on", "on" }, { "keepalive", "ka" }, { "timewait", "tw" },
		{ "persist", "ps" },
	};

	if (s->timer == 0 || s->timer >= sizeof names / sizeof names[0]) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%s %u.%us", names[s->timer][abbr ? 1 : 0], s->expires_ms / 1000,
		 s->expires_ms % 1000 / 100);
}

void table_timer_text(char *buf, size_t len, const struct inspect_sock *s)
{
	timer_text(buf, len, s, 0);
}

/* "cmd pid N fd N"; short: "cmd N". */
static void owner_text(char *buf, size_t len, const struct inspect_sock *s,
		       const struct table_opts *o, int abbr)
{
	const char *label = o->label && s->pid ? o->label(o->label_ctx, s->pid) : NULL;

	if (s->pid == 0) {
		snprintf(buf, len, "-");
		return;
	}
	if (!label)
		label = s->comm[0] ? s->comm : "?";
	if (o->show_pids && abbr)
		snprintf(buf, len, "%s %d", label, s->pid);
	else if (o->show_pids)
		snprintf(buf, len, "%s pid %d fd %d", label, s->pid, s->fd);
	else
		snprintf(buf, len, "%s", label);	/* a handout: no numbers of this run */
	/* fitted to a terminal, a cell is one byte a column */
	for (char *q = buf; o->width > 0 && *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '?';
}

static const char *mark_text(const struct inspect_sock *s, int gone)
{
	if (gone)
		return "-";
	return s->mark == INSPECT_NEW ? "+" : s->mark == INSPECT_CHANGED ? "~" : " ";
}

static const char *mark_color(const struct inspect_sock *s, int gone)
{
	if (gone)
		return C_RED;
	return s->mark == INSPECT_NEW ? C_GREEN : s->mark == INSPECT_CHANGED ? C_YELLOW : "";
}

static void md_row(FILE *f, const struct inspect_sock *s, int gone, const struct table_opts *o)
{
	char local[72], peer[72], owner[96], flags[96], timer[40], uid[16];

	inspect_format_sock(local, sizeof local, s, 0);
	inspect_format_sock(peer, sizeof peer, s, 1);
	owner_text(owner, sizeof owner, s, o, 0);
	flags_text(flags, sizeof flags, s, 0);
	timer_text(timer, sizeof timer, s, 0);
	fprintf(f, "| %s | %s | %s | %s | %s | %u |", mark_text(s, gone),
		inspect_proto_name(s->proto), inspect_state_name(s->proto, s->state),
		local, peer, s->rqueue);
	if (o->show_sendq)
		fprintf(f, " %u |", s->wqueue);
	if (o->show_uid)
		fprintf(f, " %s |", inspect_uid_text(s, uid, sizeof uid));
	if (o->show_owner)
		fprintf(f, " %s |", owner);
	if (o->show_flags)
		fprintf(f, " %s |", flags);
	if (o->show_timer)
		fprintf(f, " %s |", timer);
	fputc('\n', f);
}

static void md_header(FILE *f, const struct table_opts *o)
{
	int cols = 6;

	fprintf(f, "|   | netid | state | local | peer | recv-Q |");
	if (o->show_sendq)
		fprintf(f, " send-Q |"), cols++;
	if (o->show_uid)
		fprintf(f, " uid |"), cols++;
	if (o->show_owner)
		fprintf(f, " owner |"), cols++;
	if (o->show_flags)
		fprintf(f, " flags |"), cols++;
	if (o->show_timer)
		fprintf(f, " timer |"), cols++;
	fputs("\n|", f);
	for (int i = 0; i < cols; i++)
		fputs("---|", f);
	fputc('\n', f);
}

/* ---- the text table: one table of columns decides them --------------- */

enum {
	COL_MARK, COL_NET, COL_STATE, COL_LOCAL, COL_PEER, COL_RECVQ, COL_SENDQ,
	COL_UID, COL_OWNER, COL_FLAGS, COL_TIMER, COL_N
};

/* The columns, left to right.  gap: blanks before the column.  pad: its
 * width when there is no terminal to fit (a pipe, a transcript: the layout
 * scripts read, wider cells push the rest right).  right: numbers align
 * right.  drop: the order in which a narrow terminal gives a column up
 * (1 first; from LAST_RESORT on only once the cells are cut as far as
 * they go; 0 never: the owner, its uid and the flags are what watch is
 * for).  min: the narrowest a cell may be cut to, keeping its end (the
 * port, the pid); 0 never cut.  abbr: the column has a short form
 * ("ra,rp" for "reuseaddr,reuseport"), taken before anything is dropped. */
#define LAST_RESORT 4

static const struct column {
	const char *head;
	int gap, pad, right, drop, min, abbr;
} columns[COL_N] = {
	[COL_MARK] = { " ", 0, 1, 0, 0, 0, 0 },
	[COL_NET] = { "NET", 1, 4, 0, 0, 0, 0 },
	[COL_STATE] = { "STATE", 1, 10, 0, 0, 0, 0 },
	[COL_LOCAL] = { "LOCAL", 1, 24, 0, 0, 12, 0 },
	[COL_PEER] = { "PEER", 1, 24, 0, 4, 9, 0 },
	[COL_RECVQ] = { "RECV-Q", 1, 6, 1, 3, 0, 0 },
	[COL_SENDQ] = { "SEND-Q", 1, 6, 1, 1, 0, 0 },
	[COL_UID] = { "UID", 1, 5, 1, 0, 0, 0 },
	[COL_OWNER] = { "OWNER", 2, 24, 0, 0, 10, 1 },
	[COL_FLAGS] = { "FLAGS", 1, 0, 0, 0, 0, 1 },
	[COL_TIMER] = { "TIMER", 1, 0, 0, 2, 0, 1 },
};

static int shown(int k, const struct table_opts *o)
{
	switch (k) {
	case COL_SENDQ: return o->show_sendq;
	case COL_UID: return o->show_uid;
	case COL_OWNER: return o->show_owner;
	case COL_FLAGS: return o->show_flags;
	case COL_TIMER: return o->show_timer;
	default: return 1;
	}
}

/* The text of column k of row s; abbr: its short form. */
static void cell(char *buf, size_t len, int k, const struct inspect_sock *s, int gone,
		 const struct table_opts *o, int abbr)
{
	switch (k) {
	case COL_MARK: snprintf(buf, len, "%s", mark_text(s, gone)); break;
	case COL_NET: snprintf(buf, len, "%s", inspect_proto_name(s->proto)); break;
	case COL_STATE: snprintf(buf, len, "%s", inspect_state_name(s->proto, s->state)); break;
	case COL_LOCAL: inspect_format_sock(buf, len, s, 0); break;
	case COL_PEER: inspect_format_sock(buf, len, s, 1); break;
	case COL_RECVQ: snprintf(buf, len, "%u", s->rqueue); break;
	case COL_SENDQ: snprintf(buf, len, "%u", s->wqueue); break;
	case COL_UID: inspect_uid_text(s, buf, len); break;
	case COL_OWNER: owner_text(buf, len, s, o, abbr); break;
	case COL_FLAGS: flags_text(buf, len, s, abbr); break;
	case COL_TIMER: timer_text(buf, len, s, abbr); break;
	default: buf[0] = '\0';
	}
}

/* Drop the columns of this rank; the new total width. */
static int drop(int rank, int width[COL_N], int total)
{
	for (int k = 0; k < COL_N; k++)
		if (columns[k].drop == rank && width[k] >= 0) {
			total -= columns[k].gap + width[k];
			width[k] = -1;
		}
	return total;
}

/* Widths of the columns for o->width terminal columns (-1: not shown).
 * With no width, each column's pad.  Otherwise each column as wide as its
 * widest cell; when that is too wide, in this order: the short forms, then
 * columns dropped by their rank, then the cuttable cells cut down to their
 * min, widest first, then the last-resort columns dropped.  *abbr says whether rows use the short forms. */
static void layout(const struct inspect_snap *snap, const struct inspect_snap *gone,
		   const struct table_opts *o, int width[COL_N], int *abbr)
{
	int full[COL_N];
	char buf[128];
	int total;

	*abbr = 0;
	for (int pass = 0; pass < 2; pass++) {
		total = 0;
		for (int k = 0; k < COL_N; k++) {
			width[k] = shown(k, o) ? (o->width > 0 ? (int)strlen(columns[k].head)
							       : columns[k].pad) : -1;
			if (width[k] < 0 || o->width <= 0)
				continue;
			for (size_t i = 0, n = snap->n + (gone ? gone->n : 0); i < n; i++) {
				int g = i >= snap->n;
				const struct inspect_sock *s = g ? &gone->v[i - snap->n] : &snap->v[i];
				int w;

				cell(buf, sizeof buf, k, s, g, o, *abbr);
				w = (int)strlen(buf);
				if (w > width[k])
					width[k] = w;
			}
			/* no row has a timer: the column says nothing */
			if (k == COL_TIMER && width[k] == (int)strlen(columns[k].head) &&
			    snap->n + (gone ? gone->n : 0) > 0)
				width[k] = -1;
			if (width[k] >= 0)
				total += columns[k].gap + width[k];
		}
		if (o->width <= 0 || total <= o->width)
			return;
		if (pass == 0)
			*abbr = 1;
	}
	for (int rank = 1; rank < LAST_RESORT && total > o->width; rank++)
		total = drop(rank, width, total);
	memcpy(full, width, sizeof full);
	while (total > o->width) {
		int widest = -1;

		for (int k = 0; k < COL_N; k++)
			if (columns[k].min && width[k] > columns[k].min &&
			    (widest < 0 || width[k] - columns[k].min > width[widest] - columns[widest].min))
				widest = k;
		if (widest < 0)
			break;
		width[widest]--;
		total--;
	}
	/* what is still too wide is cut at the edge */
	for (int rank = LAST_RESORT; rank <= COL_N && total > o->width; rank++)
		total = drop(rank, width, total);
	/* what a last-resort drop freed goes back to the cut cells */
	for (int k = 0; k < COL_N; k++)
		while (width[k] >= 0 && width[k] < full[k] && total < o->width) {
			width[k]++;
			total++;
		}
}

/* Append text as a column of width w at line[*n]: padded, and when fitting
 * a terminal, cut to w in the middle ("127.0..:6103", "sock.. 7883"): its
 * last part (the port, the pid) stays whole, and as much of its start as
 * fits; when even that is too long, its end behind "..". */
static void put(char *line, size_t len, int *n, int k, int w, const char *text, int fit)
{
	int tl = (int)strlen(text);

	if (*n < 0 || (size_t)*n >= len)
		return;
	if (fit && tl > w && w > 2) {
		const char *tail = strrchr(text, ' '), *colon = strrchr(text, ':');
		int keep;

		if (!tail || (colon && colon > tail))
			tail = colon;
		keep = tail ? w - 2 - (int)strlen(tail) : 0;
		if (keep >= 2)
			*n += snprintf(line + *n, len - (size_t)*n, "%*s%.*s..%s", columns[k].gap, "",
				       keep, text, tail);
		else
			*n += snprintf(line + *n, len - (size_t)*n, "%*s..%s", columns[k].gap, "",
				       text + tl - (w - 2));
	} else if (columns[k].right)
		*n += snprintf(line + *n, len - (size_t)*n, "%*s%*.*s", columns[k].gap, "", w,
			       fit ? w : tl, text);
	else
		*n += snprintf(line + *n, len - (size_t)*n, "%*s%-*.*s", columns[k].gap, "", w,
			       fit ? w : tl, text);
}

/* line without its trailing blanks, cut at the terminal's edge */
static void finish(char *line, int n, const struct table_opts *o)
{
	if (n < 0 || n >= 512)
		n = (int)strlen(line);
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	if (o->width > 0 && n > o->width)
		line[o->width] = '\0';
}

static void text_row(FILE *f, const struct inspect_sock *s, int gone, const struct table_opts *o,
		     const int width[COL_N], int abbr)
{
	const char *color = o->color ? mark_color(s, gone) : "";
	char line[512], buf[128];
	int n = 0;

	line[0] = '\0';
	for (int k = 0; k < COL_N; k++) {
		if (width[k] < 0)
			continue;
		cell(buf, sizeof buf, k, s, gone, o, abbr);
		put(line, sizeof line, &n, k, width[k], buf, o->width > 0);
	}
	finish(line, n, o);
	fprintf(f, "%*s%s%s%s\n", o->indent, "", color, line, *color ? C_OFF : "");
}

static void text_header(FILE *f, const struct table_opts *o, const int width[COL_N])
{
	char line[512];
	int n = 0;

	line[0] = '\0';
	for (int k = 0; k < COL_N; k++)
		if (width[k] >= 0)
			put(line, sizeof line, &n, k, width[k], columns[k].head, o->width > 0);
	finish(line, n, o);
	fprintf(f, "%*s%s%s%s\n", o->indent, "", o->color ? C_DIM : "", line, o->color ? C_OFF : "");
}

void table_print(FILE *f, const struct inspect_snap *snap,
		 const struct inspect_snap *gone, const struct table_opts *o)
{
	int width[COL_N], abbr;

	if (o->markdown) {
		md_header(f, o);
		for (size_t i = 0; i < snap->n; i++)
			md_row(f, &snap->v[i], 0, o);
		for (size_t i = 0; gone && i < gone->n; i++)
			md_row(f, &gone->v[i], 1, o);
	} else {
		layout(snap, gone, o, width, &abbr);
		text_header(f, o, width);
		for (size_t i = 0; i < snap->n; i++)
			text_row(f, &snap->v[i], 0, o, width, abbr);
		for (size_t i = 0; gone && i < gone->n; i++)
			text_row(f, &gone->v[i], 1, o, width, abbr);
	}
	if (snap->n == 0 && (gone == NULL || gone->n == 0))
		fprintf(f, o->markdown ? "| | (none) | | | | |\n" : "%*s  (no sockets)\n", o->indent, "");
}
