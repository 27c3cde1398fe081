/* sockrow.h — what each cell of a socket row says.
 *
 * One writer for every cell of a struct inspect_sock (htop's
 * Process_writeField, ss's columns[]): the socket table of run and watch,
 * its Markdown, the dashboard's table, why's blockers and the JSON's
 * names all take their words here.  Renderers choose the columns, their
 * widths, colours and cuts; they never spell a cell.
 *
 * Three forms, because three places are that narrow:
 *  - SOCKROW_LONG:  run, watch, a handout ("reuseaddr,reuseport",
 *                   "timewait 59.1s", "server pid 42 fd 3");
 *  - SOCKROW_SHORT: the same fitted to a narrow terminal ("ra,rp",
 *                   "tw 59.1s", "server 42");
 *  - SOCKROW_PANE:  the dashboard, whose help legend names them ("udp",
 *                   "ra rp", a TIME-WAIT countdown "59.1s", "(kernel)" for
 *                   a TIME-WAIT row nobody owns).
 * Plain data in, text out: nothing here asks the kernel. */
#ifndef SOCKLAB_SOCKROW_H
#define SOCKLAB_SOCKROW_H

#include <stddef.h>

#include "inspect/inspect.h"

enum sockrow_col {
	SOCKROW_MARK,		/* "+" new, "~" changed, "-" gone, " " */
	SOCKROW_HOST,		/* the lab's host the socket is on ("alice"),
				 * "-" the sandbox itself */
	SOCKROW_NET,
	SOCKROW_STATE,
	SOCKROW_LOCAL,
	SOCKROW_PEER,
	SOCKROW_RECVQ,
	SOCKROW_SENDQ,
	SOCKROW_UID,
	SOCKROW_OWNER,
	SOCKROW_FLAGS,		/* reuse flags, inherited, v6only, bound device */
	SOCKROW_TIMER,
	SOCKROW_NCOLS
};

enum sockrow_form { SOCKROW_LONG, SOCKROW_SHORT, SOCKROW_PANE };

struct sockrow_opts {
	enum sockrow_form form;
	int show_pids;		/* owner with its pid (and fd); 0: the label alone */
	int one_byte;		/* owner cut to one byte a column ('?' for others) */
	long ran_ms;		/* how long the timers ran on since the row was read */
	/* label for an owner pid ("server"); NULL, or it returns NULL: its command */
	const char *(*label)(const void *ctx, int pid);
	/* the program's own name for pid's descriptor fd (a lab's variable,
	 * "first"); NULL, or it returns NULL: none.  Shown before the owner */
	const char *(*name)(const void *ctx, int pid, int fd);
	const void *label_ctx;
};

/* The text of column k of row s (gone: a row of the gone set) in buf. */
void sockrow_cell(char *buf, size_t len, enum sockrow_col k, const struct inspect_sock *s,
		  int gone, const struct sockrow_opts *o);

/* Names for machine output (JSON): "tcp"/"udp", "inet"/"inet6", the
 * timer's ("timewait"; NULL for none). */
const char *sockrow_net_id(const struct inspect_sock *s);
const char *sockrow_family_id(const struct inspect_sock *s);
const char *sockrow_timer_id(const struct inspect_sock *s);

#endif
