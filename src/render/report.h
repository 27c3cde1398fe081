/* report.h — draw a lab run as terminal text or as a Markdown handout.
 * Renderers only format what collectors and the runtime produced: steps
 * as runner/steps.h keeps them, snapshots, events; no runner, no kernel. */
#ifndef SOCKLAB_REPORT_H
#define SOCKLAB_REPORT_H

#include <stdio.h>

#include "inspect/inspect.h"
#include "lab/proto.h"
#include "runner/steps.h"

enum report_style { REPORT_TEXT, REPORT_MARKDOWN };

struct report {
	FILE *out;
	enum report_style style;
	int color;		/* ANSI colour (text style, tty, no NO_COLOR) */
};

/* Who owns a pid, for the table's owner cells ("server"); NULL: its
 * command. */
struct report_labels {
	const char *(*label)(const void *ctx, int pid);
	const void *ctx;
};

void report_lab(const struct report *rp, const struct proto_event *lab,
		const char *summary, int host);
void report_step_head(const struct report *rp, const struct steps_step *st);
/* The step's source lines (from the embedded or on-disk source), then
 * each outcome: errno name, Linux number, Windows equivalent, verdict. */
void report_step_body(const struct report *rp, const struct steps_step *st,
		      const char *source);
/* The socket table after a step: rows marked + new / ~ changed against
 * the previous step, and gone rows (may be NULL) marked -. */
void report_table(const struct report *rp, const struct inspect_snap *snap,
		  const struct inspect_snap *gone, const struct report_labels *who,
		  const char *caption);
/* What crossed the sandbox's links since the last section: one line a
 * packet (render/wireline.h), "(nothing)" for none, or "(unseen)" when the
 * wire was not captured, and why. */
struct wire_pkt;
void report_wire(const struct report *rp, const struct wire_pkt *p, size_t n, const char *caption,
		 const char *unseen);

void report_end(const struct report *rp, const struct proto_event *end);

/* "EADDRINUSE 98 / WSAEADDRINUSE 10048" for err; "success" for 0. */
void report_errno_text(char *buf, size_t len, int err);

#endif
