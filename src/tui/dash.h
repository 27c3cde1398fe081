/* dash.h — the dashboard: step through a lab while its sandbox's socket
 * table updates live.  A consumer of the runner, like `run` and `check`. */
#ifndef SOCKLAB_DASH_H
#define SOCKLAB_DASH_H

#include <stddef.h>

#include "keys.h"
#include "lab/info.h"

struct dash_opts {
	const struct lab_info *lab;	/* open this lab; NULL: the picker */
	const char *exec_path;		/* or this lab executable */
	const char *source_path;	/* built from this .c (runner/labbuild.h):
					 * r builds it again before the restart */
	int host;
	long port_base;
	long timeout_ms;
	const char *trace;		/* file: one line per step, key to screen (bench) */
	int predict;			/* start in predict mode (screen_view's) */
	int play;			/* the playground (play/play.h): : types a line */
	int trace_cmd;			/* the program set by trace_lab_argv (trace.h),
					 * its socket calls the steps */
};

/* Its keys (keys.h): the table the keys are dispatched by and the help
 * overlay and the footer are written from. */
extern const struct keys_binding dash_keys[];

/* Run the dashboard until the user quits.  Returns 0, or -1 with errno:
 * ENOTTY (why says: no terminal, unknown TERM), EINTR (a signal ended it:
 * proc_stop_signal() says which).  The terminal is restored either way and
 * no lab process is left. */
int dash_run(const struct dash_opts *o, char *why, size_t len);

#endif
