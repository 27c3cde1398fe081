/* model.h — what the dashboard shows, as plain data: the open lab, its
 * steps (read ahead from the source, then confirmed by the lab's events),
 * the rows of the tree (the labs, the open lab's steps under it), the step
 * just run with its outcomes, the roles, the deliveries and the socket
 * tables.  The controller (dash.c) fills it; the panes draw it.
 * No curses here, and no socket calls. */
#ifndef SOCKLAB_MODEL_H
#define SOCKLAB_MODEL_H

#include <stddef.h>

#include "inspect/inspect.h"
#include "lab/info.h"
#include "lab/proto.h"
#include "runner/steps.h"
#include "wire/wire.h"

#define MODEL_MAX_STEPS 64
#define MODEL_MAX_ROLES 9
#define MODEL_MAX_DELIVERIES 64
#define MODEL_MAX_WIRE 128
#define MODEL_MAX_NAMES 64	/* sockets named by the lab's variables */
#define MODEL_MAX_LABS 64	/* the registry's MAX_LABS */
/* every linked lab, a lab executable after them, the open lab's steps */
#define MODEL_MAX_ROWS (MODEL_MAX_LABS + 1 + MODEL_MAX_STEPS)

enum model_step_state {
	MODEL_STEP_PENDING,	/* not reached */
	MODEL_STEP_WAITING,	/* the lab waits before it: space runs it */
	MODEL_STEP_OK,		/* ran, every expectation held */
	MODEL_STEP_FAILED,	/* ran, an expectation failed or the lab erred */
};

struct model_step {
	long line;		/* the STEP( line in the source */
	char title[128];
	enum model_step_state state;
};

struct model_role {
	char name[32];
	long pid;
};

/* A row of the tree: a lab, or (step >= 0) one of the open lab's steps,
 * listed under it. */
struct model_row {
	const struct lab_info *lab;
	int step;		/* index into steps[], -1: the lab's own row */
};

/* A socket the lab made, by the variable it went into: `int first =
 * EXPECT_OK(socket(...))` names pid's descriptor fd "first". */
struct model_name {
	long pid, fd;
	char name[32];
};

/* A receive call and what it got: who received which datagram. */
struct model_delivery {
	long step;
	char role[32];
	char sock[32];		/* the socket's name in the source: recv(client, ...) */
	char call[16];		/* recv, recvfrom, recvmsg, read */
	long ret;		/* bytes, or -1 */
	long err;
	char data[96];		/* what arrived (outcome_payload's text), "" unknown */
	char from[64];		/* from whom: "127.0.0.1:5001", "" unknown */
};

struct model {
	const struct lab_info *lab;	/* NULL: no lab open (the picker) */
	const char *source;		/* the lab's source text, NULL if unknown */
	int own;			/* the user's lab (a path, not one of socklab's):
					 * a missed expectation is the lab's to fix */
	long nlines;

	struct model_step steps[MODEL_MAX_STEPS];
	int nsteps;
	int last;			/* index of the step just run, -1 none */
	int waiting;			/* index of the step the lab waits at, -1 none */

	struct model_row rows[MODEL_MAX_ROWS];	/* the tree, top to bottom */
	int nrows;

	struct proto_event lab_ev;	/* PROTO_LAB: port, sandbox */
	struct steps_step run;		/* the step just run, with its outcomes */
	struct steps_step side;		/* the last playground line run beside the
					 * lab, in its sandbox (: in a lab) */
	int has_side;			/* ... since the lab's last step */
	struct proto_event pending;	/* the STEP the lab waits at */
	int fresh;			/* pending has not begun to run */
	struct proto_event end;
	int ended;			/* the lab reached lab_end() */
	int running;			/* a lab process is alive and waiting */

	struct model_role roles[MODEL_MAX_ROLES];
	int nroles;

	struct model_name names[MODEL_MAX_NAMES];
	int nnames;

	struct model_delivery deliveries[MODEL_MAX_DELIVERIES];
	int ndeliveries;		/* the newest MODEL_MAX_DELIVERIES kept */
	long delivered_total;

	/* the wire: what crossed the sandbox's links, per step (wire.h,
	 * named by the runner); the newest MODEL_MAX_WIRE kept */
	struct model_packet {
		long step;		/* the step during which it crossed, 0 before the first */
		struct wire_pkt p;
	} wire[MODEL_MAX_WIRE];
	int nwire;
	long wire_total;
	int wire_err;			/* the wire is not captured: why (errno), 0 it is */

	struct inspect_snap snap, prev, gone;	/* now, the step before, gone rows */
	struct inspect_snap host;		/* the host view's table */
	long snap_ms, host_ms;			/* when they were read (CLOCK_MONOTONIC) */
	char error[320];			/* why the lab stopped, "" if it did not */
};

/* A packet that crossed during the step just run (m->last). */
void model_wire_add(struct model *m, const struct wire_pkt *p);

/* Forget everything and open lab (NULL: none) with its source (may be
 * NULL).  The steps are read ahead from the source: every STEP(" call. */
void model_open(struct model *m, const struct lab_info *lab, const char *source);
void model_free(struct model *m);

/* Take one event from the lab (a STEP may correct the steps, and with
 * them the tree's rows). */
void model_event(struct model *m, const struct proto_event *ev);

/* An event of the playground running beside the lab (: in a lab): its
 * roles name their rows, its line and outcomes are kept in side (until
 * the lab's next step), its receives join the deliveries. */
void model_side_event(struct model *m, const struct proto_event *ev);

/* The step under way has ended though no next step came: a producer whose
 * steps are lines typed (the playground) says so after a line's last event. */
void model_close_step(struct model *m);

/* A new socket table after a step: marks rows against the previous one
 * (new, changed) and keeps the gone rows.  The model takes snap's rows. */
void model_step_table(struct model *m, struct inspect_snap *snap);
/* The same table refreshed between steps: the marks of the last step stay. */
void model_refresh_table(struct model *m, struct inspect_snap *snap);

/* The lab's name for pid's descriptor fd ("first"), NULL if none. */
const char *model_name_of(const struct model *m, long pid, long fd);

/* The role owning pid ("server"), NULL if none; and its index (colour). */
const char *model_role_of(const struct model *m, long pid);
int model_role_index(const struct model *m, const char *name);

/* The lab stopped (crashed, hung, could not start): why, for the narration;
 * a step it stopped in is failed. */
void model_stop(struct model *m, const char *why);

/* Source lines to highlight for the step whose outcomes are shown (run to
 * its end, or stopped in): [*from, *to], 1-based.  Returns 0 when nothing
 * has reported yet. */
int model_highlight(const struct model *m, long *from, long *to);

/* The tree: one row per linked lab (registry.h), a lab executable after
 * them when one is open, and the open lab's steps under its row.  Row i,
 * NULL past the end; and the row of lab's step (-1: lab's own row), -1 if
 * the tree has none. */
const struct model_row *model_row(const struct model *m, int i);
int model_row_of(const struct model *m, const struct lab_info *lab, int step);

/* Line i (1-based) of the source: its start and length; NULL past the end. */
const char *model_line(const struct model *m, long i, int *len);

/* Predict mode's line i, into out[cap] (NUL-terminated): a line of a step
 * not yet run loses what would answer it: the text of its strings and
 * comments becomes "…" (a STEP's title, a NOTE, a remark) and
 * EXPECT_ERR's errno "?"; an ASK() keeps its question.  Returns 1 when it
 * masked the line, 0 when out is the line as it is. */
int model_masked_line(const struct model *m, long i, char *out, size_t cap);

#endif
