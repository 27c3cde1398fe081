/* table.h — the socket table, drawn for a terminal or as Markdown.
 * One renderer for `run` (after each step) and `watch` (the host); the
 * cells' words are sockrow.h's, this lays them out. */
#ifndef SOCKLAB_TABLE_H
#define SOCKLAB_TABLE_H

#include <stdio.h>

#include "inspect/inspect.h"

struct table_opts {
	int markdown;
	int color;
	int show_host;		/* HOST column: table_print sets it itself, when a
				 * row names a host (a lab's: lab/hosts.c) */
	int show_sendq;		/* SEND-Q column (watch) */
	int show_uid;
	int show_owner;
	int show_flags;		/* reuse flags, v6only, bound device */
	int show_timer;
	int show_pids;		/* owner as "cmd pid N fd N"; 0: the label alone */
	int width;		/* terminal columns to fit (0: no limit) */
	int indent;		/* spaces before each text line */
	/* label for an owner pid ("server"); NULL: use its command */
	const char *(*label)(const void *ctx, int pid);
	const void *label_ctx;
};

/* Rows of snap (their mark: + new, ~ changed), then the rows of gone
 * (may be NULL) marked -. */
void table_print(FILE *f, const struct inspect_snap *snap,
		 const struct inspect_snap *gone, const struct table_opts *o);

#endif
