/* table.c — draw a socket snapshot as an aligned text table or Markdown. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "sockrow.h"
#include "table.h"

#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_OFF "\033[0m"

static int shown(int k, const struct table_opts *o);

/* The cells' words (sockrow.h): the long form, or the short one */
static void row_opts(struct sockrow_opts *ro, const struct table_opts *o, int abbr)
{
	*ro = (struct sockrow_opts){
		.form = abbr ? SOCKROW_SHORT : SOCKROW_LONG,
		.show_pids = o->show_pids,
		/* fitted to a terminal, a cell is one byte a column */
		.one_byte = o->width > 0,
		.label = o->label,
		.label_ctx = o->label_ctx,
	};
}

static const char *mark_color(const struct inspect_sock *s, int gone)
{
	if (gone)
		return C_RED;
	return s->mark == INSPECT_NEW ? C_GREEN : s->mark == INSPECT_CHANGED ? C_YELLOW : "";
}

static void md_row(FILE *f, const struct inspect_sock *s, int gone, const struct table_opts *o)
{
	static const enum sockrow_col opt_cols[] = {
		SOCKROW_SENDQ, SOCKROW_UID, SOCKROW_OWNER, SOCKROW_FLAGS, SOCKROW_TIMER,
	};
	struct sockrow_opts ro;
	char buf[128];

	row_opts(&ro, o, 0);
	fputc('|', f);
	for (int k = SOCKROW_MARK; k <= SOCKROW_RECVQ; k++) {
		if (!shown(k, o))
			continue;
		sockrow_cell(buf, sizeof buf, k, s, gone, &ro);
		fprintf(f, " %s |", buf);
	}
	for (size_t i = 0; i < sizeof opt_cols / sizeof opt_cols[0]; i++)
		if (shown(opt_cols[i], o)) {
			sockrow_cell(buf, sizeof buf, opt_cols[i], s, gone, &ro);
			fprintf(f, " %s |", buf);
		}
	fputc('\n', f);
}

/* The Markdown table's columns: six, and one per optional column shown. */
static int md_columns(const struct table_opts *o)
{
	return 6 + !!o->show_host + !!o->show_sendq + !!o->show_uid + !!o->show_owner + !!o->show_flags +
	       !!o->show_timer;
}

static void md_header(FILE *f, const struct table_opts *o)
{
	int cols = md_columns(o);

	fprintf(f, "|   |%s netid | state | local | peer | recv-Q |", o->show_host ? " host |" : "");
	if (o->show_sendq)
		fprintf(f, " send-Q |");
	if (o->show_uid)
		fprintf(f, " uid |");
	if (o->show_owner)
		fprintf(f, " owner |");
	if (o->show_flags)
		fprintf(f, " flags |");
	if (o->show_timer)
		fprintf(f, " timer |");
	fputs("\n|", f);
	for (int i = 0; i < cols; i++)
		fputs("---|", f);
	fputc('\n', f);
}

/* ---- the text table: one table of columns decides them --------------- */

/* The columns are sockrow.h's, in its order. */

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
} columns[SOCKROW_NCOLS] = {
	[SOCKROW_MARK] = { " ", 0, 1, 0, 0, 0, 0 },
	[SOCKROW_HOST] = { "HOST", 1, 8, 0, 0, 0, 0 },
	[SOCKROW_NET] = { "NET", 1, 4, 0, 0, 0, 0 },
	[SOCKROW_STATE] = { "STATE", 1, 10, 0, 0, 0, 0 },
	[SOCKROW_LOCAL] = { "LOCAL", 1, 24, 0, 0, 12, 0 },
	[SOCKROW_PEER] = { "PEER", 1, 24, 0, 4, 9, 0 },
	[SOCKROW_RECVQ] = { "RECV-Q", 1, 6, 1, 3, 0, 0 },
	[SOCKROW_SENDQ] = { "SEND-Q", 1, 6, 1, 1, 0, 0 },
	[SOCKROW_UID] = { "UID", 1, 5, 1, 0, 0, 0 },
	[SOCKROW_OWNER] = { "OWNER", 2, 24, 0, 0, 10, 1 },
	[SOCKROW_FLAGS] = { "FLAGS", 1, 0, 0, 0, 0, 1 },
	[SOCKROW_TIMER] = { "TIMER", 1, 0, 0, 2, 0, 1 },
};

static int shown(int k, const struct table_opts *o)
{
	switch (k) {
	case SOCKROW_HOST: return o->show_host;
	case SOCKROW_SENDQ: return o->show_sendq;
	case SOCKROW_UID: return o->show_uid;
	case SOCKROW_OWNER: return o->show_owner;
	case SOCKROW_FLAGS: return o->show_flags;
	case SOCKROW_TIMER: return o->show_timer;
	default: return 1;
	}
}

/* The text of column k of row s; abbr: its short form. */
static void cell(char *buf, size_t len, int k, const struct inspect_sock *s, int gone,
		 const struct table_opts *o, int abbr)
{
	struct sockrow_opts ro;

	row_opts(&ro, o, abbr);
	sockrow_cell(buf, len, k, s, gone, &ro);
}

/* Drop the columns of this rank; the new total width. */
static int drop(int rank, int width[SOCKROW_NCOLS], int total)
{
	for (int k = 0; k < SOCKROW_NCOLS; k++)
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
		   const struct table_opts *o, int width[SOCKROW_NCOLS], int *abbr)
{
	int full[SOCKROW_NCOLS];
	char buf[128];
	int total;

	*abbr = 0;
	for (int pass = 0; pass < 2; pass++) {
		total = 0;
		for (int k = 0; k < SOCKROW_NCOLS; k++) {
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
			if (k == SOCKROW_TIMER && width[k] == (int)strlen(columns[k].head) &&
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

		for (int k = 0; k < SOCKROW_NCOLS; k++)
			if (columns[k].min && width[k] > columns[k].min &&
			    (widest < 0 || width[k] - columns[k].min > width[widest] - columns[widest].min))
				widest = k;
		if (widest < 0)
			break;
		width[widest]--;
		total--;
	}
	/* what is still too wide is cut at the edge */
	for (int rank = LAST_RESORT; rank <= SOCKROW_NCOLS && total > o->width; rank++)
		total = drop(rank, width, total);
	/* what a last-resort drop freed goes back to the cut cells */
	for (int k = 0; k < SOCKROW_NCOLS; k++)
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
		     const int width[SOCKROW_NCOLS], int abbr)
{
	const char *color = o->color ? mark_color(s, gone) : "";
	char line[512], buf[128];
	int n = 0;

	line[0] = '\0';
	for (int k = 0; k < SOCKROW_NCOLS; k++) {
		if (width[k] < 0)
			continue;
		cell(buf, sizeof buf, k, s, gone, o, abbr);
		put(line, sizeof line, &n, k, width[k], buf, o->width > 0);
	}
	finish(line, n, o);
	fprintf(f, "%*s%s%s%s\n", o->indent, "", color, line, *color ? C_OFF : "");
}

static void text_header(FILE *f, const struct table_opts *o, const int width[SOCKROW_NCOLS])
{
	char line[512];
	int n = 0;

	line[0] = '\0';
	for (int k = 0; k < SOCKROW_NCOLS; k++)
		if (width[k] >= 0)
			put(line, sizeof line, &n, k, width[k], columns[k].head, o->width > 0);
	finish(line, n, o);
	fprintf(f, "%*s%s%s%s\n", o->indent, "", o->color ? C_DIM : "", line, o->color ? C_OFF : "");
}

/* Does a row name a host (a lab with hosts: lab/hosts.c)? */
static int any_host(const struct inspect_snap *snap, const struct inspect_snap *gone)
{
	for (size_t i = 0; i < snap->n; i++)
		if (snap->v[i].host[0])
			return 1;
	for (size_t i = 0; gone && i < gone->n; i++)
		if (gone->v[i].host[0])
			return 1;
	return 0;
}

void table_print(FILE *f, const struct inspect_snap *snap,
		 const struct inspect_snap *gone, const struct table_opts *opts)
{
	struct table_opts oo = *opts, *o = &oo;
	int width[SOCKROW_NCOLS], abbr;

	o->show_host = any_host(snap, gone);
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
	if (snap->n == 0 && (gone == NULL || gone->n == 0)) {
		if (!o->markdown) {
			fprintf(f, "%*s  %s\n", o->indent, "", _("(no sockets)"));
			return;
		}
		/* one cell per column, as GitHub's tables want them */
		fprintf(f, "| | %s |", _("(none)"));
		for (int i = 2; i < md_columns(o); i++)
			fputs(" |", f);
		fputc('\n', f);
	}
}
