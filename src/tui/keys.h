/* keys.h — the dashboard's keys as a table (htop's Action_setBindings):
 * each binding names its keys, the handler they call and the words that
 * describe it, so the help overlay and the footer are written from the
 * same rows the keys are dispatched by.  A handler returns what to do
 * next as reaction flags.  The handlers and the table are the
 * controller's (dash.c); this file only looks keys up and writes the
 * words.  No curses here: keys are ints (curses' KEY_* among them). */
#ifndef SOCKLAB_KEYS_H
#define SOCKLAB_KEYS_H

#include <stddef.h>

struct dash;			/* the controller's state: keys.c never looks inside */

/* What a key asks for (htop's Htop_Reaction): flags. */
enum keys_reaction {
	KEYS_NONE = 0,		/* nothing shown changed: no redraw */
	KEYS_REDRAW = 1 << 0,	/* the view changed: draw it again */
	KEYS_NEXT = 1 << 1,	/* run the next step */
	KEYS_RESTART = 1 << 2,	/* run the open lab again */
	KEYS_OPEN = 1 << 3,	/* open the lab the controller chose */
	KEYS_QUIT = 1 << 4,
};

/* Which footer shows a binding's word. */
enum keys_footer {
	KEYS_IN_LAB = 1 << 0,	/* a lab is open */
	KEYS_IN_PICKER = 1 << 1,	/* the lab picker */
};

#define KEYS_PER_BINDING 4
#define KEYS_HELP_COLS 192	/* a help line's bytes, with its NUL (UTF-8) */

struct keys_binding {
	int keys[KEYS_PER_BINDING];	/* 0 ends the list early */
	int (*fn)(struct dash *d, int ch);	/* enum keys_reaction flags */
	const char *name;	/* the help overlay's "space, n"; NULL: the line above covers it */
	const char *help;	/* "run the next step" */
	const char *word;	/* the footer's "space next", NULL: not in the footer */
	unsigned in;		/* enum keys_footer: where the word shows */
};

/* The binding of key ch in table (ended by a row with fn NULL), NULL if none. */
const struct keys_binding *keys_find(const struct keys_binding *table, int ch);

/* The help overlay's lines, one per binding with a name ("%-13s %s"), into
 * out[0..max).  Returns how many. */
int keys_help(const struct keys_binding *table, char out[][KEYS_HELP_COLS], int max);

/* The footer for where (one enum keys_footer): " word · word · ...". */
void keys_footer(const struct keys_binding *table, unsigned where, char *buf, size_t len);

#endif
