/* report.h — draw a lab run as terminal text or as a Markdown handout.
 * Renderers only format what collectors and the runtime produced. */
#ifndef SOCKLAB_REPORT_H
#define SOCKLAB_REPORT_H

#include <stdio.h>

#include "inspect/inspect.h"
#include "lab/proto.h"
#include "lab/runner.h"

enum report_style { REPORT_TEXT, REPORT_MARKDOWN };

struct report {
	FILE *out;
	enum report_style style;
	int color;		/* ANSI colour (text style, tty, no NO_COLOR) */
};

#define REPORT_MAX_OUTCOMES 48

/* One step as it happened: its STEP event and what followed it. */
struct report_step {
	struct proto_event step;
	struct proto_event outcomes[REPORT_MAX_OUTCOMES];	/* call, check, note, error */
	int noutcomes;
	int dropped;
	long last_line;
};

/* Add an outcome (call, check, note, error, skip, or a claim as
 * report_claim_event() made it) to a step: kept up to
 * REPORT_MAX_OUTCOMES, the rest counted; last_line follows. */
void report_step_add(struct report_step *st, const struct proto_event *ev);

/* A claim's outcome (claim.h) as an outcome event for report_step_add:
 * kind PROTO_CLAIM with ok 1 when proven, skip 1 when skipped, text why. */
struct claim_result;
void report_claim_event(struct proto_event *ev, const struct claim_result *cr);

void report_lab(const struct report *rp, const struct proto_event *lab,
		const char *summary, int host);
void report_step_head(const struct report *rp, const struct report_step *st);
/* The step's source lines (from the embedded or on-disk source), then
 * each outcome: errno name, Linux number, Windows equivalent, verdict. */
void report_step_body(const struct report *rp, const struct report_step *st,
		      const char *source);
/* The socket table after a step: rows marked + new / ~ changed against
 * the previous step, and gone rows (may be NULL) marked -. */
void report_table(const struct report *rp, const struct inspect_snap *snap,
		  const struct inspect_snap *gone, const struct runner *r,
		  const char *caption);
void report_end(const struct report *rp, const struct proto_event *end);

/* The line after the statement that starts at line `from` of text (the
 * first line at or after `from` holding ");"), 1-based. */
long report_statement_end(const char *text, long from);

/* "EADDRINUSE 98 / WSAEADDRINUSE 10048" for err; "success" for 0. */
void report_errno_text(char *buf, size_t len, int err);

#endif
