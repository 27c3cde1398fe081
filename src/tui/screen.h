/* screen.h — the dashboard's terminal: curses set up and torn down, the
 * layout of the panes, and drawing the model into them.  Makes no socket
 * calls; everything it shows comes from a struct model. */
#ifndef SOCKLAB_SCREEN_H
#define SOCKLAB_SCREEN_H

#include "layout.h"
#include "model.h"

#define SCREEN_MIN_COLS LAYOUT_MIN_COLS
#define SCREEN_MIN_LINES LAYOUT_MIN_LINES

enum screen_pane {
	SCREEN_TREE,		/* labs, the open lab's steps */
	SCREEN_SOURCE,
	SCREEN_NARRATION,
	SCREEN_TABLE,
	SCREEN_LOG,		/* deliveries */
	SCREEN_NPANES
};

/* What the user changed about the view (not the model). */
struct screen_view {
	enum screen_pane focus;
	int scroll[SCREEN_NPANES];	/* first line shown */
	int follow;			/* scroll the source/narration/log to the step */
	int tree_sel;			/* the selected row of the tree */
	int host;			/* the table shows the host, read-only */
	int wire;			/* the log pane shows the wire, not the deliveries */
	char filter[64];		/* table rows containing this (any case) */
	int prompting;			/* the footer edits prompt[]: 1 the table's
					 * filter, 2 a playground line (:) */
	char prompt[256];
	int help;			/* the key overlay is up */
	int explain;			/* e: the explain overlay is up, for */
	int explain_err;		/* ... this errno (0: the table's columns) */
	int explain_scroll;		/* its first line shown */
	char status[256];		/* a message in the footer */
	long now_ms;			/* timers count down from the dump to this */
	int zoom;			/* z: the focused pane fills the screen */
	int predict;			/* predict mode: what would answer a step not
					 * yet run is hidden, its question shown */
};

struct keys_binding;

/* The key table (keys.h) the footer and the help overlay are written
 * from: before screen_start. */
void screen_keys(const struct keys_binding *table);

/* Take the terminal (newterm on stdin/stdout).  -1 with a reason in why
 * when there is no usable terminal (not a tty, unknown TERM). */
int screen_start(char *why, size_t len);
/* Give it back as it was; safe to call twice, and from a fatal signal. */
void screen_end(void);

/* The terminal changed size: the panes are laid out again at the next
 * draw (layout.h: from the size and the model's content). */
void screen_layout(void);
int screen_too_small(void);

void screen_draw(const struct model *m, struct screen_view *v);

/* The tree row (model.h: the model's rows) at a screen position (a mouse click), -1 if none. */
int screen_tree_hit(const struct screen_view *v, int y, int x);
/* The pane at a screen position (enum screen_pane), -1 if none. */
int screen_pane_at(const struct screen_view *v, int y, int x);
/* Lines a pane shows at once (for PgUp/PgDn). */
int screen_pane_height(enum screen_pane p);

#endif
