/* steps.h — a lab run's steps as socklab keeps them: each STEP event
 * with the outcomes that followed it.
 *
 * The runner's consumers (run, the dashboard's model) fold events into
 * these; renderers (render/report.h, tui/panes.c) are handed them.  Plain
 * data over the event protocol (proto.h): no runner, no kernel. */
#ifndef SOCKLAB_STEPS_H
#define SOCKLAB_STEPS_H

#include "lab/proto.h"

#define STEPS_MAX_OUTCOMES 48

/* One step as it happened: its STEP event and what followed it. */
struct steps_step {
	struct proto_event step;
	struct proto_event outcomes[STEPS_MAX_OUTCOMES];	/* call, check, note, error */
	int noutcomes;
	int dropped;
	long last_line;
};

/* Add an outcome (call, check, note, error, skip, or a claim as
 * steps_claim_event() made it) to a step: kept up to
 * STEPS_MAX_OUTCOMES, the rest counted; last_line follows. */
void steps_add(struct steps_step *st, const struct proto_event *ev);

/* A claim's outcome (claim.h) as an outcome event for steps_add:
 * kind PROTO_CLAIM with ok 1 when proven, skip 1 when skipped, text why. */
struct claim_result;
void steps_claim_event(struct proto_event *ev, const struct claim_result *cr);

/* The line after the statement that starts at line `from` of text (the
 * first line at or after `from` holding ");"; in a Python lab's text, the
 * line where the statement's parentheses balance), 1-based: where a
 * step's source ends. */
long steps_statement_end(const char *text, long from);

/* Where a step's own source starts, 1-based: after its STEP(...), or for
 * what runs before the first step (step_line 0), after the lab's
 * LAB(...), so the header comment above it is not shown as code. */
long steps_body_start(const char *text, long step_line);

#endif
