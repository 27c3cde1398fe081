/* panes.h — drawing each pane of the dashboard into its curses window.
 * Used by screen.c only. */
#ifndef SOCKLAB_PANES_H
#define SOCKLAB_PANES_H

#include <curses.h>

#include "model.h"
#include "screen.h"

/* colour pairs; with no colour (NO_COLOR, a monochrome terminal) the
 * attributes below stand in: reverse and bold */
enum {
	PAIR_HEADER = 1,
	PAIR_OK,
	PAIR_FAIL,
	PAIR_HIGHLIGHT,
	PAIR_ROLE0,		/* roles: PAIR_ROLE0 + role index % PANES_ROLE_COLOURS */
};
#define PANES_ROLE_COLOURS 6

struct panes_style {
	int color;		/* colours in use */
};
extern struct panes_style panes_style;

/* Write s at (y, x), at most `cols` columns (tabs as 4), in attr.
 * Returns the columns used. */
int panes_put(WINDOW *w, int y, int x, int cols, const char *s, chtype attr);

/* Columns s takes (UTF-8 characters, tabs as 4). */
int panes_width(const char *s);

/* Columns the widest row of the tree needs (every title as it reads once
 * run), for the layout. */
int panes_tree_cols(const struct model *m);

void panes_tree(WINDOW *w, const struct model *m, struct screen_view *v);
void panes_source(WINDOW *w, const struct model *m, struct screen_view *v);
void panes_narration(WINDOW *w, const struct model *m, struct screen_view *v);
void panes_table(WINDOW *w, const struct model *m, struct screen_view *v);
void panes_log(WINDOW *w, const struct model *m, struct screen_view *v);
/* The help overlay: the keys' lines (NULL-terminated, keys.h writes
 * them), then what the table's marks mean. */
void panes_help(WINDOW *w, const char *const *keys);
/* The explain overlay (e): v->explain_err's explanation (render/explain.h,
 * the text of `socklab explain`), or with 0 what the table's columns count;
 * from line v->explain_scroll (kept in range). */
void panes_explain(WINDOW *w, struct screen_view *v);
/* The help overlay's size: lines, and columns in *cols. */
int panes_help_size(const char *const *keys, int *cols);

#endif
