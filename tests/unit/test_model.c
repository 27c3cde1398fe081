/* test_model.c — the dashboard's model: steps read ahead from the source,
 * lab events (roles, steps, outcomes, verdicts, end), deliveries, the
 * source highlight, and the socket tables' marks.  Plain data, no curses:
 * every test feeds hand-built events and tables and reads the struct. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "runner/registry.h"
#include "tui/model.h"

/* A fake lab: three steps, and STEP( where it is not a step (a #define, a
 * line comment, a block comment, a NOTE's text).  Line numbers at right. */
static const char SRC[] =
	"/* a fake lab, for the model */\n"			/*  1 */
	"#define STEP_TWICE(t) STEP(t, \"\"); STEP(t, \"\")\n"	/*  2 */
	"// STEP(\"commented out\", \"\");\n"			/*  3 */
	"/*\n"							/*  4 */
	" * STEP(\"in a block comment\", \"\");\n"		/*  5 */
	" */\n"							/*  6 */
	"int main(void)\n"					/*  7 */
	"{\n"							/*  8 */
	"\tSTEP(\"Bind \\\"the\\\" port\", \"why\");\n"		/*  9 */
	"\tEXPECT_OK(bind(s, (struct sockaddr *)&a,\n"		/* 10 */
	"\t\t       sizeof a));\n"				/* 11 */
	"\tSTEP(\n"						/* 12 */
	"\t     \"Title on the next line\", \"why\");\n"	/* 13 */
	"\tEXPECT_OK(recv(s, buf, sizeof buf, 0));\n"		/* 14 */
	"\tNOTE(\"STEP( is not a step here\");\n"		/* 15 */
	"    STEP(\"Indented with spaces\", \"why\");\n"	/* 16 */
	"\tEXPECT_TRUE(1);\n"					/* 17 */
	"\n"							/* 18 */
	"\treturn lab_end();\n"					/* 19 */
	"}\n";							/* 20 */

#define SRC_LINES 20
#define L_STEP1 9
#define L_BIND 10		/* a statement on lines 10-11 */
#define L_STEP2 12
#define L_RECV 14
#define L_NOTE 15
#define L_STEP3 16

static int setup(void **state)
{
	struct model *m = calloc(1, sizeof *m);	/* model_open reads m->host */

	if (m == NULL)
		return -1;
	model_open(m, NULL, SRC);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct model *m = *state;

	model_free(m);
	free(m);
	return 0;
}

static struct proto_event event(enum proto_kind kind, long line)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.line = line;
	ev.pid = 100;
	return ev;
}

static void feed_lab(struct model *m, long pid)
{
	struct proto_event ev = event(PROTO_LAB, 1);

	ev.pid = pid;
	ev.port = 5000;
	ev.sandbox = 1;
	model_event(m, &ev);
}

static void feed_role(struct model *m, const char *name, long pid)
{
	struct proto_event ev = event(PROTO_ROLE, 1);

	snprintf(ev.name, sizeof ev.name, "%s", name);
	ev.pid = pid;
	model_event(m, &ev);
}

static void feed_step(struct model *m, long step, long line, const char *title)
{
	struct proto_event ev = event(PROTO_STEP, line);

	ev.step = step;
	snprintf(ev.title, sizeof ev.title, "%s", title);
	snprintf(ev.why, sizeof ev.why, "because %ld", step);
	model_event(m, &ev);
}

static void feed_call(struct model *m, long line, const char *role, const char *expr,
		      long ret, long err, int ok)
{
	struct proto_event ev = event(PROTO_CALL, line);

	snprintf(ev.role, sizeof ev.role, "%s", role);
	snprintf(ev.expr, sizeof ev.expr, "%s", expr);
	ev.ret = ret;
	ev.err = err;
	ev.ok = ok;
	model_event(m, &ev);
}

/* CHECK, NOTE or ERROR at line. */
static void feed(struct model *m, enum proto_kind kind, long line, int ok)
{
	struct proto_event ev = event(kind, line);

	ev.ok = ok;
	snprintf(ev.expr, sizeof ev.expr, "x == 1");
	snprintf(ev.text, sizeof ev.text, "text at %ld", line);
	model_event(m, &ev);
}

static void feed_end(struct model *m, long pass, long fail, long errors)
{
	struct proto_event ev = event(PROTO_END, 19);

	ev.pass = pass;
	ev.fail = fail;
	ev.errors = errors;
	model_event(m, &ev);
}

/* ---- the source, read ahead ---- */

static void open_reads_the_steps_ahead_at_their_step_lines(void **state)
{
	struct model *m = *state;

	assert_int_equal(m->nsteps, 3);
	assert_int_equal(m->steps[0].line, L_STEP1);
	assert_int_equal(m->steps[1].line, L_STEP2);
	assert_int_equal(m->steps[2].line, L_STEP3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(m->steps[i].state, MODEL_STEP_PENDING);
	assert_int_equal(m->last, -1);
	assert_int_equal(m->waiting, -1);
	assert_null(m->lab);
	assert_ptr_equal(m->source, SRC);
}

static void title_is_the_first_literal_unescaped_even_on_the_next_line(void **state)
{
	struct model *m = *state;

	assert_string_equal(m->steps[0].title, "Bind \"the\" port");
	assert_string_equal(m->steps[1].title, "Title on the next line");
	assert_string_equal(m->steps[2].title, "Indented with spaces");
}

static void backslash_escape_in_a_title_keeps_the_escaped_byte(void **state)
{
	static const char src[] = "STEP(\"a\\\\b \\\"c\\\" d\", \"why\");\n";
	struct model *m = *state;

	model_open(m, NULL, src);
	assert_int_equal(m->nsteps, 1);
	assert_int_equal(m->steps[0].line, 1);
	assert_string_equal(m->steps[0].title, "a\\b \"c\" d");
}

/* STEP is printf-style (lab.h): the read-ahead fills a title's
 * conversions from LAB_PORT, LAB_PORT + N and numbers, with the lab's
 * port once its lab event says it, and shows anything else as written. */
static void a_formatted_title_names_the_runs_ports(void **state)
{
	static const char src[] =
		"\tSTEP(\"bind 127.0.0.1:%d, then :%d\", \"why, (%d)\",\n"	/* 1 */
		"\t     LAB_PORT, LAB_PORT + 1, LAB_PORT + 2);\n"
		"\tSTEP(\"%d%% of %u, %s\", \"\", 40, SENDS, f(a, b));\n"		/* 3 */
		"\tSTEP(\"%ld is missing\", \"why\");\n";			/* 4 */
	struct model *m = *state;
	struct proto_event ev = event(PROTO_LAB, 1);

	model_open(m, NULL, src);
	assert_int_equal(m->nsteps, 3);
	assert_string_equal(m->steps[0].title, "bind 127.0.0.1:5000, then :5001");
	assert_string_equal(m->steps[1].title, "40% of SENDS, f(a, b)");
	assert_string_equal(m->steps[2].title, "? is missing");
	ev.port = 62000;
	model_event(m, &ev);
	assert_string_equal(m->steps[0].title, "bind 127.0.0.1:62000, then :62001");
	assert_int_equal(m->steps[2].line, 4);
}

static void comments_defines_and_notes_mentioning_step_are_not_steps(void **state)
{
	static const char src[] =
		"#define STEP(title, why) lab_step_(LAB_HERE_, (title), (why))\n"
		"// STEP(\"no\", \"\");\n"
		"\t/* STEP(\"no\", \"\"); */\n"
		" * STEP(\"no\", \"\");\n"
		"\tNOTE(\"STEP(\");\n"
		"\tSTEPS(\"no\", \"\");\n"
		"\tif (x) STEP(\"no: not at the start\", \"\");\n"
		"\t STEP(\"yes\", \"\");\n";
	struct model *m = *state;

	model_open(m, NULL, src);
	assert_int_equal(m->nsteps, 1);
	assert_int_equal(m->steps[0].line, 8);
	assert_string_equal(m->steps[0].title, "yes");
	assert_int_equal(m->nlines, 8);
}

static void lines_are_counted_and_returned_with_their_length(void **state)
{
	struct model *m = *state;
	const char *p;
	int len = -1;

	assert_int_equal(m->nlines, SRC_LINES);

	p = model_line(m, 1, &len);
	assert_ptr_equal(p, SRC);
	assert_int_equal(len, strlen("/* a fake lab, for the model */"));

	p = model_line(m, L_STEP2, &len);
	assert_non_null(p);
	assert_int_equal(len, strlen("\tSTEP("));
	assert_memory_equal(p, "\tSTEP(", (size_t)len);

	p = model_line(m, 18, &len);	/* an empty line is still a line */
	assert_non_null(p);
	assert_int_equal(len, 0);

	p = model_line(m, SRC_LINES, &len);
	assert_non_null(p);
	assert_int_equal(len, 1);
	assert_int_equal(p[0], '}');
}

static void line_past_the_end_or_before_the_first_is_null(void **state)
{
	struct model *m = *state;
	int len = 0;

	/* the final '\n' ends line 20: it does not open a line 21 */
	assert_null(model_line(m, SRC_LINES + 1, &len));
	assert_null(model_line(m, SRC_LINES + 100, &len));
	assert_null(model_line(m, 0, &len));
	assert_null(model_line(m, -1, &len));
}

static void last_line_without_a_newline_is_counted(void **state)
{
	static const char src[] = "one\n\nthree";
	struct model *m = *state;
	int len = -1;
	const char *p;

	model_open(m, NULL, src);
	assert_int_equal(m->nlines, 3);
	assert_int_equal(m->nsteps, 0);
	p = model_line(m, 3, &len);
	assert_ptr_equal(p, src + 5);
	assert_int_equal(len, 5);
	assert_null(model_line(m, 4, &len));
}

static void no_source_or_empty_source_has_no_lines_and_no_steps(void **state)
{
	struct model *m = *state;
	int len = 0;

	model_open(m, NULL, NULL);
	assert_int_equal(m->nlines, 0);
	assert_int_equal(m->nsteps, 0);
	assert_null(model_line(m, 1, &len));

	model_open(m, NULL, "");
	assert_int_equal(m->nlines, 0);
	assert_int_equal(m->nsteps, 0);
	assert_null(model_line(m, 1, &len));
}

static void reopen_forgets_the_run_but_keeps_the_host_table(void **state)
{
	struct model *m = *state;
	static const struct lab_info lab = { 3, "x", "X", "x", "labs/03-x.c", NULL };
	struct inspect_sock *rows = calloc(2, sizeof *rows);

	assert_non_null(rows);
	m->host = (struct inspect_snap){ rows, 2, 2 };
	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "one");
	feed_call(m, L_RECV, "", "recv(s, buf, 1, 0)", 1, 0, 1);
	feed_step(m, 2, L_STEP2, "two");

	model_open(m, &lab, SRC);
	assert_ptr_equal(m->lab, &lab);
	assert_ptr_equal(m->host.v, rows);
	assert_int_equal(m->host.n, 2);
	assert_int_equal(m->nroles, 0);
	assert_int_equal(m->ndeliveries, 0);
	assert_int_equal(m->delivered_total, 0);
	assert_int_equal(m->run.noutcomes, 0);
	assert_int_equal(m->running, 0);
	assert_int_equal(m->last, -1);
	assert_int_equal(m->waiting, -1);
	assert_int_equal(m->nsteps, 3);
	assert_int_equal(m->steps[0].state, MODEL_STEP_PENDING);
}

/* ---- roles ---- */

static void lab_event_adds_role_main_and_marks_the_lab_running(void **state)
{
	struct model *m = *state;

	feed_lab(m, 4242);
	assert_int_equal(m->running, 1);
	assert_int_equal(m->lab_ev.port, 5000);
	assert_int_equal(m->lab_ev.sandbox, 1);
	assert_int_equal(m->nroles, 1);
	assert_string_equal(m->roles[0].name, "main");
	assert_int_equal(m->roles[0].pid, 4242);
	assert_string_equal(model_role_of(m, 4242), "main");
	assert_int_equal(model_role_index(m, "main"), 0);
}

static void role_events_add_roles_found_by_pid_and_by_name(void **state)
{
	struct model *m = *state;

	assert_null(model_role_of(m, 100));
	assert_int_equal(model_role_index(m, "main"), -1);

	feed_lab(m, 100);
	feed_role(m, "server", 101);
	feed_role(m, "client", 102);
	assert_int_equal(m->nroles, 3);
	assert_string_equal(model_role_of(m, 101), "server");
	assert_string_equal(model_role_of(m, 102), "client");
	assert_null(model_role_of(m, 999));
	assert_int_equal(model_role_index(m, "main"), 0);
	assert_int_equal(model_role_index(m, "server"), 1);
	assert_int_equal(model_role_index(m, "client"), 2);
	assert_int_equal(model_role_index(m, "nobody"), -1);
	assert_int_equal(model_role_index(m, "serv"), -1);
}

static void a_pid_has_one_role_and_roles_stop_at_the_maximum(void **state)
{
	struct model *m = *state;
	char name[16];

	feed_lab(m, 100);
	feed_role(m, "impostor", 100);	/* main's pid already has a role */
	assert_int_equal(m->nroles, 1);
	assert_string_equal(model_role_of(m, 100), "main");

	for (int i = 1; i <= MODEL_MAX_ROLES + 3; i++) {
		snprintf(name, sizeof name, "r%d", i);
		feed_role(m, name, 100 + i);
	}
	assert_int_equal(m->nroles, MODEL_MAX_ROLES);
	assert_string_equal(m->roles[MODEL_MAX_ROLES - 1].name, "r8");
	assert_null(model_role_of(m, 100 + MODEL_MAX_ROLES));
	assert_int_equal(model_role_index(m, "r9"), -1);
}

/* ---- steps and their outcomes ---- */

static void step_event_marks_its_step_waiting_and_closes_nothing_before_it(void **state)
{
	struct model *m = *state;

	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "Bind \"the\" port");
	assert_int_equal(m->waiting, 0);
	assert_int_equal(m->last, -1);
	assert_int_equal(m->steps[0].state, MODEL_STEP_WAITING);
	assert_int_equal(m->steps[1].state, MODEL_STEP_PENDING);
	assert_int_equal(m->steps[2].state, MODEL_STEP_PENDING);
	assert_int_equal(m->pending.step, 1);
	assert_true(m->fresh);
	assert_int_equal(m->run.noutcomes, 0);
	assert_int_equal(m->run.step.step, 0);	/* nothing has run yet */
	assert_int_equal(m->nsteps, 3);		/* the read-ahead holds */
}

static void previous_outcomes_stay_until_the_next_step_reports(void **state)
{
	struct model *m = *state;

	feed_step(m, 1, L_STEP1, "one");
	feed_call(m, L_BIND, "", "bind(s, (struct sockaddr *)&a, sizeof a)", 0, 0, 1);
	feed_step(m, 2, L_STEP2, "two");

	/* step 2 waits: what is shown is still step 1 */
	assert_int_equal(m->steps[0].state, MODEL_STEP_OK);
	assert_int_equal(m->steps[1].state, MODEL_STEP_WAITING);
	assert_int_equal(m->last, 0);
	assert_int_equal(m->waiting, 1);
	assert_int_equal(m->run.step.step, 1);
	assert_string_equal(m->run.step.title, "one");
	assert_int_equal(m->run.noutcomes, 1);
	assert_int_equal(m->run.outcomes[0].line, L_BIND);
	assert_int_equal(m->run.last_line, L_BIND);

	/* step 2's first outcome: the run is step 2's alone */
	feed(m, PROTO_NOTE, L_NOTE, 0);
	assert_false(m->fresh);
	assert_int_equal(m->run.step.step, 2);
	assert_string_equal(m->run.step.title, "two");
	assert_string_equal(m->run.step.why, "because 2");
	assert_int_equal(m->run.noutcomes, 1);
	assert_int_equal(m->run.outcomes[0].kind, PROTO_NOTE);
	assert_int_equal(m->run.last_line, L_NOTE);
}

static void outcomes_are_kept_in_order_with_the_highest_line(void **state)
{
	struct model *m = *state;

	feed_step(m, 2, L_STEP2, "two");
	feed(m, PROTO_NOTE, L_NOTE, 0);
	feed_call(m, L_RECV, "", "recv(s, buf, sizeof buf, 0)", 3, 0, 1);
	feed(m, PROTO_CHECK, L_STEP2 + 1, 1);
	feed(m, PROTO_ERROR, L_STEP2 + 2, 0);

	assert_int_equal(m->run.noutcomes, 4);
	assert_int_equal(m->run.outcomes[0].kind, PROTO_NOTE);
	assert_int_equal(m->run.outcomes[1].kind, PROTO_CALL);
	assert_int_equal(m->run.outcomes[1].ret, 3);
	assert_int_equal(m->run.outcomes[2].kind, PROTO_CHECK);
	assert_int_equal(m->run.outcomes[3].kind, PROTO_ERROR);
	/* the last line reached, not the line of the last event */
	assert_int_equal(m->run.last_line, L_NOTE);
	assert_int_equal(m->run.dropped, 0);
}

static void outcomes_past_the_maximum_are_counted_as_dropped(void **state)
{
	struct model *m = *state;

	feed_step(m, 1, L_STEP1, "one");
	for (int i = 0; i < STEPS_MAX_OUTCOMES + 5; i++)
		feed(m, PROTO_CHECK, 100 + i, 1);
	assert_int_equal(m->run.noutcomes, STEPS_MAX_OUTCOMES);
	assert_int_equal(m->run.dropped, 5);
	assert_int_equal(m->run.outcomes[STEPS_MAX_OUTCOMES - 1].line,
			 100 + STEPS_MAX_OUTCOMES - 1);
	/* a dropped outcome still moves the last line */
	assert_int_equal(m->run.last_line, 100 + STEPS_MAX_OUTCOMES + 4);
}

/* Step 1 with the outcomes fed by add(), closed by step 2: its verdict. */
static enum model_step_state verdict(struct model *m, void (*add)(struct model *))
{
	model_open(m, NULL, SRC);
	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "one");
	add(m);
	feed_step(m, 2, L_STEP2, "two");
	assert_int_equal(m->last, 0);
	return m->steps[0].state;
}

static void call_ok(struct model *m)
{
	feed_call(m, L_BIND, "", "bind(s, a, n)", 0, 0, 1);
}

static void call_failed(struct model *m)
{
	feed_call(m, L_BIND, "", "bind(s, a, n)", 0, 0, 1);
	feed_call(m, L_BIND, "", "bind(s, a, n)", -1, 98, 0);
	feed(m, PROTO_CHECK, L_BIND, 1);
}

static void check_ok(struct model *m)
{
	feed(m, PROTO_CHECK, L_BIND, 1);
}

static void check_failed(struct model *m)
{
	feed(m, PROTO_CHECK, L_BIND, 0);
}

static void note_only(struct model *m)
{
	feed(m, PROTO_NOTE, L_NOTE, 0);	/* a note has no ok: 0 is no failure */
}

static void error_only(struct model *m)
{
	feed(m, PROTO_ERROR, L_BIND, 1);	/* an error fails whatever its ok */
}

static void all_ok_and_a_note(struct model *m)
{
	call_ok(m);
	check_ok(m);
	note_only(m);
}

static void next_step_closes_a_step_ok_when_every_expectation_held(void **state)
{
	struct model *m = *state;

	assert_int_equal(verdict(m, call_ok), MODEL_STEP_OK);
	assert_int_equal(verdict(m, check_ok), MODEL_STEP_OK);
	assert_int_equal(verdict(m, note_only), MODEL_STEP_OK);
	assert_int_equal(verdict(m, all_ok_and_a_note), MODEL_STEP_OK);
}

static void failed_call_failed_check_or_error_fail_the_step(void **state)
{
	struct model *m = *state;

	assert_int_equal(verdict(m, call_failed), MODEL_STEP_FAILED);
	assert_int_equal(verdict(m, check_failed), MODEL_STEP_FAILED);
	assert_int_equal(verdict(m, error_only), MODEL_STEP_FAILED);
	/* and the next step starts afresh: waiting, not failed */
	assert_int_equal(m->steps[1].state, MODEL_STEP_WAITING);
}

static void end_closes_the_last_step_and_keeps_the_counts(void **state)
{
	struct model *m = *state;

	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "one");
	call_ok(m);
	feed_step(m, 2, L_STEP2, "two");
	check_failed(m);
	assert_false(m->ended);
	feed_end(m, 1, 1, 0);

	assert_true(m->ended);
	assert_int_equal(m->end.kind, PROTO_END);
	assert_int_equal(m->end.pass, 1);
	assert_int_equal(m->end.fail, 1);
	assert_int_equal(m->end.errors, 0);
	assert_int_equal(m->steps[0].state, MODEL_STEP_OK);
	assert_int_equal(m->steps[1].state, MODEL_STEP_FAILED);
	assert_int_equal(m->steps[2].state, MODEL_STEP_PENDING);	/* never reached */
	assert_int_equal(m->last, 1);
	assert_int_equal(m->waiting, -1);
	assert_int_equal(m->run.step.step, 2);
	assert_int_equal(m->run.noutcomes, 1);
}

static void step_without_outcomes_is_closed_and_shown_empty(void **state)
{
	struct model *m = *state;

	feed_step(m, 1, L_STEP1, "one");
	call_ok(m);
	feed_step(m, 2, L_STEP2, "two");
	feed_step(m, 3, L_STEP3, "three");	/* step 2 said nothing */

	assert_int_equal(m->steps[1].state, MODEL_STEP_OK);
	assert_int_equal(m->last, 1);
	assert_int_equal(m->waiting, 2);
	/* the run is step 2's, not step 1's outcomes left over */
	assert_int_equal(m->run.step.step, 2);
	assert_int_equal(m->run.step.line, L_STEP2);
	assert_int_equal(m->run.noutcomes, 0);
	assert_int_equal(m->run.last_line, 0);

	feed_end(m, 1, 0, 0);		/* and so is a silent last step */
	assert_int_equal(m->steps[2].state, MODEL_STEP_OK);
	assert_int_equal(m->last, 2);
	assert_int_equal(m->run.step.step, 3);
	assert_int_equal(m->run.noutcomes, 0);
}

static void end_without_any_step_closes_nothing(void **state)
{
	struct model *m = *state;

	feed_lab(m, 100);
	feed_end(m, 0, 0, 0);
	assert_true(m->ended);
	assert_int_equal(m->last, -1);
	assert_int_equal(m->steps[0].state, MODEL_STEP_PENDING);
	assert_int_equal(m->run.step.step, 0);
}

static void step_at_another_line_replaces_the_read_ahead_from_there(void **state)
{
	struct model *m = *state;

	/* a loop: step 1's STEP( runs again as step 2 and 3, then step 3's */
	feed_step(m, 1, L_STEP1, "round 1");
	assert_int_equal(m->nsteps, 3);
	assert_string_equal(m->steps[0].title, "round 1");	/* the lab's title */
	feed_step(m, 2, L_STEP1, "round 2");
	assert_int_equal(m->nsteps, 2);
	assert_int_equal(m->steps[1].line, L_STEP1);
	assert_string_equal(m->steps[1].title, "round 2");
	assert_int_equal(m->steps[0].state, MODEL_STEP_OK);
	assert_int_equal(m->steps[1].state, MODEL_STEP_WAITING);
	feed_step(m, 3, L_STEP1, "round 3");
	assert_int_equal(m->nsteps, 3);
	assert_int_equal(m->steps[2].line, L_STEP1);
	feed_step(m, 4, L_STEP3, "after the loop");
	assert_int_equal(m->nsteps, 4);
	assert_int_equal(m->steps[3].line, L_STEP3);
	assert_string_equal(m->steps[3].title, "after the loop");
	assert_int_equal(m->waiting, 3);
	assert_int_equal(m->last, 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(m->steps[i].state, MODEL_STEP_OK);
}

static void step_at_the_read_ahead_line_keeps_the_steps_after_it(void **state)
{
	struct model *m = *state;

	feed_step(m, 1, L_STEP1, "one");
	feed_step(m, 2, L_STEP2, "two");
	assert_int_equal(m->nsteps, 3);
	assert_int_equal(m->steps[2].line, L_STEP3);
	assert_string_equal(m->steps[2].title, "Indented with spaces");
	assert_int_equal(m->steps[2].state, MODEL_STEP_PENDING);
}

static void steps_without_a_source_come_from_the_events(void **state)
{
	struct model *m = *state;

	model_open(m, NULL, NULL);
	feed_step(m, 1, 30, "from the lab");
	assert_int_equal(m->nsteps, 1);
	assert_int_equal(m->steps[0].line, 30);
	assert_string_equal(m->steps[0].title, "from the lab");
	assert_int_equal(m->steps[0].state, MODEL_STEP_WAITING);
	feed_step(m, 2, 40, "and another");
	assert_int_equal(m->nsteps, 2);
	assert_int_equal(m->steps[0].state, MODEL_STEP_OK);
}

/* ---- deliveries ---- */

static void receive_calls_record_who_received_on_which_socket(void **state)
{
	struct model *m = *state;
	const struct model_delivery *d = m->deliveries;

	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "one");
	feed_call(m, L_RECV, "", "recv(s, buf, sizeof buf, 0)", 7, 0, 1);
	feed_step(m, 2, L_STEP2, "two");
	feed_call(m, L_RECV, "server", "recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &len)",
		  -1, 11, 0);
	feed_call(m, L_RECV, "client", "recvmsg(fds[1], &msg, 0)", 12, 0, 1);
	feed_call(m, L_RECV, "", "read(pipefd[0], buf, 1)", 1, 0, 1);

	assert_int_equal(m->ndeliveries, 4);
	assert_int_equal(m->delivered_total, 4);

	assert_int_equal(d[0].step, 1);
	assert_string_equal(d[0].role, "main");
	assert_string_equal(d[0].sock, "s");
	assert_string_equal(d[0].call, "recv");
	assert_int_equal(d[0].ret, 7);
	assert_int_equal(d[0].err, 0);

	assert_int_equal(d[1].step, 2);
	assert_string_equal(d[1].role, "server");
	assert_string_equal(d[1].sock, "peer");
	assert_string_equal(d[1].call, "recvfrom");
	assert_int_equal(d[1].ret, -1);
	assert_int_equal(d[1].err, 11);

	assert_int_equal(d[2].step, 2);
	assert_string_equal(d[2].role, "client");
	assert_string_equal(d[2].sock, "fds[1]");
	assert_string_equal(d[2].call, "recvmsg");
	assert_int_equal(d[2].ret, 12);

	assert_string_equal(d[3].role, "main");
	assert_string_equal(d[3].sock, "pipefd[0]");
	assert_string_equal(d[3].call, "read");
	assert_int_equal(d[3].ret, 1);
}

static void single_argument_receive_names_its_socket(void **state)
{
	struct model *m = *state;

	feed_call(m, L_RECV, "", "read(fd)", 0, 0, 1);
	assert_int_equal(m->ndeliveries, 1);
	assert_string_equal(m->deliveries[0].sock, "fd");
}

static void other_calls_and_checks_are_no_deliveries(void **state)
{
	struct model *m = *state;
	struct proto_event ev = event(PROTO_CHECK, L_RECV);

	feed_step(m, 1, L_STEP1, "one");
	feed_call(m, L_BIND, "", "bind(s, (struct sockaddr *)&a, sizeof a)", 0, 0, 1);
	feed_call(m, L_RECV, "", "recvx(s, buf, 1, 0)", 1, 0, 1);
	feed_call(m, L_RECV, "", "readv(s, iov, 2)", 1, 0, 1);
	feed_call(m, L_RECV, "", "pread(fd, buf, 1, 0)", 1, 0, 1);
	feed_call(m, L_RECV, "", "sendto(s, \"x\", 1, 0, a, n)", 1, 0, 1);
	feed_call(m, L_RECV, "", "recv", 1, 0, 1);
	feed_call(m, L_RECV, "", "", 1, 0, 1);
	/* a receive inside EXPECT_TRUE is a check, not a call */
	snprintf(ev.expr, sizeof ev.expr, "recv(s, buf, 1, 0) == 1");
	ev.ok = 1;
	model_event(m, &ev);

	assert_int_equal(m->run.noutcomes, 8);	/* still outcomes, all of them */
	assert_int_equal(m->ndeliveries, 0);
	assert_int_equal(m->delivered_total, 0);
}

static void deliveries_keep_the_newest_and_count_them_all(void **state)
{
	struct model *m = *state;
	int total = MODEL_MAX_DELIVERIES + 6;

	feed_step(m, 1, L_STEP1, "one");
	for (int i = 0; i < total; i++)
		feed_call(m, L_RECV, "", "recv(s, buf, 1, 0)", i, 0, 1);
	assert_int_equal(m->ndeliveries, MODEL_MAX_DELIVERIES);
	assert_int_equal(m->delivered_total, total);
	/* oldest first, the 6 oldest gone */
	for (int i = 0; i < MODEL_MAX_DELIVERIES; i++)
		assert_int_equal(m->deliveries[i].ret, 6 + i);
	assert_string_equal(m->deliveries[MODEL_MAX_DELIVERIES - 1].sock, "s");
}

/* ---- the source highlight ---- */

static void nothing_is_highlighted_before_a_step_has_run(void **state)
{
	struct model *m = *state;
	long from = -7, to = -7;

	assert_int_equal(model_highlight(m, &from, &to), 0);
	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "one");
	assert_int_equal(model_highlight(m, &from, &to), 0);
	feed_step(m, 2, L_STEP2, "two");	/* step 1 ran, silently */
	assert_int_equal(model_highlight(m, &from, &to), 0);
}

static void highlight_runs_from_the_step_line_to_the_end_of_its_last_statement(void **state)
{
	struct model *m = *state;
	long from = 0, to = 0;

	feed_step(m, 1, L_STEP1, "one");
	call_ok(m);			/* line 10, a statement ending on 11 */
	feed_step(m, 2, L_STEP2, "two");
	assert_int_equal(model_highlight(m, &from, &to), 1);
	assert_int_equal(from, L_STEP1);
	assert_int_equal(to, L_BIND + 1);

	feed(m, PROTO_NOTE, L_NOTE, 0);
	feed_call(m, L_RECV, "", "recv(s, buf, sizeof buf, 0)", 1, 0, 1);
	feed_step(m, 3, L_STEP3, "three");
	assert_int_equal(model_highlight(m, &from, &to), 1);
	assert_int_equal(from, L_STEP2);
	assert_int_equal(to, L_NOTE);
}

static void highlight_of_an_outcome_above_its_step_is_the_step_line(void **state)
{
	struct model *m = *state;
	long from = 0, to = 0;

	/* a role's outcome reported from a line above the STEP( */
	feed_step(m, 3, L_STEP3, "three");
	feed_call(m, L_BIND, "server", "bind(s, a, n)", 0, 0, 1);
	feed_end(m, 1, 0, 0);
	assert_int_equal(model_highlight(m, &from, &to), 1);
	assert_int_equal(from, L_STEP3);
	assert_int_equal(to, L_STEP3);
}

static void nothing_is_highlighted_without_a_source(void **state)
{
	struct model *m = *state;
	long from = 0, to = 0;

	model_open(m, NULL, NULL);
	feed_step(m, 1, 9, "one");
	feed_call(m, 10, "", "bind(s, a, n)", 0, 0, 1);
	feed_end(m, 1, 0, 0);
	assert_int_equal(m->last, 0);
	assert_int_equal(model_highlight(m, &from, &to), 0);
}

/* When the lab stops inside a step (a crash, a hang; no further STEP nor
 * END), m->run holds that step's outcomes: the highlight is that step's,
 * as the narration's. */
static void highlight_of_a_step_stopped_midway_starts_at_its_own_step(void **state)
{
	struct model *m = *state;
	long from = 0, to = 0;

	feed_step(m, 1, L_STEP1, "one");
	call_ok(m);
	feed_step(m, 2, L_STEP2, "two");
	feed(m, PROTO_ERROR, L_RECV, 0);	/* and the lab dies */
	assert_int_equal(m->run.step.step, 2);
	assert_int_equal(model_highlight(m, &from, &to), 1);
	assert_int_equal(from, L_STEP2);
	assert_int_equal(to, L_RECV);

	model_open(m, NULL, SRC);
	feed_step(m, 1, L_STEP1, "one");
	feed(m, PROTO_ERROR, L_BIND, 0);	/* dies in step 1 */
	assert_int_equal(model_highlight(m, &from, &to), 1);
	assert_int_equal(from, L_STEP1);
}

/* A STEP event past MODEL_MAX_STEPS is not listed, but it still starts a
 * fresh run: its outcomes and deliveries are its own. */
static void outcomes_of_a_step_past_the_maximum_do_not_join_the_previous_step(void **state)
{
	struct model *m = *state;

	model_open(m, NULL, NULL);
	for (int k = 1; k <= MODEL_MAX_STEPS; k++)
		feed_step(m, k, 10L * k, "a step");
	feed_call(m, 5, "", "recv(s, buf, 1, 0)", 1, 0, 1);
	feed_step(m, MODEL_MAX_STEPS + 1, 9999, "one too many");
	feed_call(m, 6, "", "recv(t, buf, 1, 0)", 1, 0, 1);
	assert_int_equal(m->deliveries[1].step, MODEL_MAX_STEPS + 1);	/* actual: 64 */
	assert_int_equal(m->run.noutcomes, 1);
}

/* model_stop: the step the lab died in is failed and is the one shown;
 * a step it only waited at stays unrun. */
static void a_stop_inside_a_step_fails_that_step(void **state)
{
	struct model *m = *state;

	feed_step(m, 1, L_STEP1, "one");
	call_ok(m);
	feed_step(m, 2, L_STEP2, "two");
	feed(m, PROTO_ERROR, L_RECV, 0);
	model_stop(m, "the lab crashed");
	assert_string_equal(m->error, "the lab crashed");
	assert_int_equal(m->running, 0);
	assert_int_equal(m->steps[1].state, MODEL_STEP_FAILED);
	assert_int_equal(m->last, 1);
	assert_int_equal(m->waiting, -1);

	model_open(m, NULL, SRC);
	feed_step(m, 1, L_STEP1, "one");
	model_stop(m, "timeout");
	assert_int_equal(m->steps[0].state, MODEL_STEP_WAITING);
	assert_int_equal(m->last, -1);
}

/* ---- socket tables ---- */

static struct inspect_sock row(uint16_t lport, uint32_t inode, uint32_t rqueue)
{
	struct inspect_sock s;

	memset(&s, 0, sizeof s);
	s.family = AF_INET;
	s.proto = IPPROTO_UDP;
	s.state = TCP_CLOSE;
	s.lport = lport;
	s.laddr.s6_addr[0] = 127;
	s.laddr.s6_addr[3] = 1;
	s.inode = inode;
	s.rqueue = rqueue;
	s.pid = 100;
	s.fd = 3;
	s.reuseaddr = s.reuseport = s.broadcast = -1;
	return s;
}

/* A malloc'd table of n rows, as inspect_dump would hand it over. */
static struct inspect_snap table(size_t n, const struct inspect_sock *rows)
{
	struct inspect_snap s = { malloc((n ? n : 1) * sizeof *rows), n, n ? n : 1 };

	assert_non_null(s.v);
	if (n)
		memcpy(s.v, rows, n * sizeof *rows);
	return s;
}

static const struct inspect_sock *find(const struct inspect_snap *s, uint16_t lport)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].lport == lport)
			return &s->v[i];
	fail_msg("no row for port %u in a table of %zu rows", lport, s->n);
	return NULL;
}

/* Step 1 opens 5000 and 5001; step 2 queues on 5000, closes 5001, opens 5002. */
static void two_steps(struct model *m)
{
	struct inspect_sock one[] = { row(5000, 11, 0), row(5001, 12, 0) };
	struct inspect_sock two[] = { row(5002, 13, 0), row(5000, 11, 7) };
	struct inspect_snap s = table(2, one);

	model_step_table(m, &s);
	s = table(2, two);
	model_step_table(m, &s);
}

static void first_step_table_marks_every_row_new(void **state)
{
	struct model *m = *state;
	struct inspect_sock one[] = { row(5000, 11, 0), row(5001, 12, 0) };
	struct inspect_snap s = table(2, one);
	struct inspect_sock *rows = s.v;

	model_step_table(m, &s);
	/* the model took the rows */
	assert_null(s.v);
	assert_int_equal(s.n, 0);
	assert_ptr_equal(m->snap.v, rows);
	assert_int_equal(m->snap.n, 2);
	assert_int_equal(m->snap.v[0].mark, INSPECT_NEW);
	assert_int_equal(m->snap.v[1].mark, INSPECT_NEW);
	assert_int_equal(m->gone.n, 0);
	assert_int_equal(m->prev.n, 0);
}

static void step_table_marks_new_and_changed_rows_and_keeps_gone_ones(void **state)
{
	struct model *m = *state;

	two_steps(m);
	assert_int_equal(m->snap.n, 2);
	assert_int_equal(find(&m->snap, 5000)->mark, INSPECT_CHANGED);
	assert_int_equal(find(&m->snap, 5002)->mark, INSPECT_NEW);
	assert_int_equal(m->gone.n, 1);
	assert_int_equal(m->gone.v[0].lport, 5001);
	assert_int_equal(m->gone.v[0].mark, 0);
	/* the table before the step is kept for the refreshes */
	assert_int_equal(m->prev.n, 2);
	assert_int_equal(find(&m->prev, 5000)->rqueue, 0);
	find(&m->prev, 5001);
}

static void unchanged_rows_carry_no_mark_and_nothing_is_gone(void **state)
{
	struct model *m = *state;
	struct inspect_sock one[] = { row(5000, 11, 0), row(5001, 12, 0) };
	struct inspect_snap s;

	two_steps(m);
	/* step 3: 5000 as it was, 5002 as it was, nothing new */
	one[0].rqueue = 7;
	one[1] = row(5002, 13, 0);
	s = table(2, one);
	model_step_table(m, &s);
	assert_int_equal(find(&m->snap, 5000)->mark, 0);
	assert_int_equal(find(&m->snap, 5002)->mark, 0);
	assert_int_equal(m->gone.n, 0);
}

static void same_port_with_another_inode_is_a_new_socket(void **state)
{
	struct model *m = *state;
	struct inspect_sock one[] = { row(5000, 11, 0) };
	struct inspect_sock two[] = { row(5000, 21, 0) };
	struct inspect_snap s = table(1, one);

	model_step_table(m, &s);
	s = table(1, two);
	model_step_table(m, &s);
	assert_int_equal(m->snap.v[0].mark, INSPECT_NEW);
	assert_int_equal(m->gone.n, 1);
	assert_int_equal(m->gone.v[0].inode, 11);
}

static void refresh_without_change_keeps_the_marks_of_the_last_step(void **state)
{
	struct model *m = *state;
	struct inspect_sock same[] = { row(5000, 11, 7), row(5002, 13, 0) };
	struct inspect_snap s;

	two_steps(m);
	s = table(2, same);	/* fresh rows: no marks of their own */
	assert_int_equal(s.v[0].mark, 0);
	model_refresh_table(m, &s);
	assert_null(s.v);
	assert_int_equal(m->snap.n, 2);
	assert_int_equal(find(&m->snap, 5000)->mark, INSPECT_CHANGED);
	assert_int_equal(find(&m->snap, 5002)->mark, INSPECT_NEW);
	assert_int_equal(m->gone.n, 1);
	assert_int_equal(m->gone.v[0].lport, 5001);
	/* and the base of the marks stays the table before the step */
	assert_int_equal(m->prev.n, 2);
	find(&m->prev, 5001);

	s = table(2, same);	/* a second refresh: the same again */
	model_refresh_table(m, &s);
	assert_int_equal(find(&m->snap, 5000)->mark, INSPECT_CHANGED);
	assert_int_equal(find(&m->snap, 5002)->mark, INSPECT_NEW);
	assert_int_equal(m->gone.n, 1);
}

static void refresh_marks_against_the_table_before_the_last_step(void **state)
{
	struct model *m = *state;
	/* between steps: 5000's queue drained back to 0, 5003 appeared */
	struct inspect_sock later[] = { row(5000, 11, 0), row(5002, 13, 0), row(5003, 14, 0) };
	struct inspect_snap s;

	two_steps(m);
	s = table(3, later);
	model_refresh_table(m, &s);
	assert_int_equal(m->snap.n, 3);
	assert_int_equal(find(&m->snap, 5000)->mark, 0);	/* as before the step */
	assert_int_equal(find(&m->snap, 5002)->mark, INSPECT_NEW);
	assert_int_equal(find(&m->snap, 5003)->mark, INSPECT_NEW);
	assert_int_equal(m->gone.n, 1);
	assert_int_equal(m->gone.v[0].lport, 5001);

	/* the next step diffs against the refreshed table */
	s = table(3, later);
	model_step_table(m, &s);
	for (size_t i = 0; i < m->snap.n; i++)
		assert_int_equal(m->snap.v[i].mark, 0);
	assert_int_equal(m->gone.n, 0);
	assert_int_equal(m->prev.n, 3);
}

/* ---- the tree's rows ------------------------------------------------- */

/* libsocklab.a links no lab: main() registers these two (registry.h) */
static const struct lab_info tree_lab1 = { 1, "one", "One", "one", "labs/01-one.c", NULL };
static const struct lab_info tree_lab4 = { 4, "four", "Four", "four", "labs/04-four.c", NULL };

static void tree_lists_every_linked_lab_when_none_is_open(void **state)
{
	struct model *m = *state;	/* opened with no lab, SRC's three steps */

	assert_int_equal(m->nrows, 2);
	assert_ptr_equal(model_row(m, 0)->lab, &tree_lab1);
	assert_int_equal(model_row(m, 0)->step, -1);
	assert_ptr_equal(model_row(m, 1)->lab, &tree_lab4);
	assert_int_equal(model_row(m, 1)->step, -1);
	assert_null(model_row(m, 2));
	assert_null(model_row(m, -1));
}

static void open_lab_lists_its_steps_under_its_own_row(void **state)
{
	struct model *m = *state;

	model_open(m, &tree_lab1, SRC);
	assert_int_equal(m->nrows, 2 + 3);
	assert_ptr_equal(model_row(m, 0)->lab, &tree_lab1);
	for (int k = 0; k < 3; k++) {
		assert_ptr_equal(model_row(m, 1 + k)->lab, &tree_lab1);
		assert_int_equal(model_row(m, 1 + k)->step, k);
	}
	assert_ptr_equal(model_row(m, 4)->lab, &tree_lab4);
	assert_int_equal(model_row(m, 4)->step, -1);
	assert_int_equal(model_row_of(m, &tree_lab1, -1), 0);
	assert_int_equal(model_row_of(m, &tree_lab1, 2), 3);
	assert_int_equal(model_row_of(m, &tree_lab4, -1), 4);
	assert_int_equal(model_row_of(m, &tree_lab4, 0), -1);	/* closed: no steps */
}

static void lab_executable_is_listed_after_the_linked_labs(void **state)
{
	struct model *m = *state;
	static const struct lab_info exe = { 9, "exe", "Exe", "exe", "/tmp/09-exe.c", NULL };

	model_open(m, &exe, SRC);
	assert_int_equal(m->nrows, 2 + 1 + 3);
	assert_ptr_equal(model_row(m, 2)->lab, &exe);
	assert_int_equal(model_row(m, 2)->step, -1);
	assert_int_equal(model_row_of(m, &exe, 0), 3);
	assert_int_equal(model_row_of(m, &exe, 2), 5);
	model_open(m, NULL, SRC);	/* closed: gone from the tree */
	assert_int_equal(m->nrows, 2);
}

static void step_event_that_corrects_the_steps_corrects_the_rows(void **state)
{
	struct model *m = *state;

	model_open(m, &tree_lab4, SRC);
	assert_int_equal(m->nrows, 2 + 3);
	feed_lab(m, 100);
	feed_step(m, 1, L_STEP1, "one");
	feed_step(m, 2, L_STEP3, "the third, reached second");	/* a loop: not the read-ahead */
	assert_int_equal(m->nsteps, 2);
	assert_int_equal(m->nrows, 2 + 2);
	assert_int_equal(model_row_of(m, &tree_lab4, 1), 3);
	assert_int_equal(model_row_of(m, &tree_lab4, 2), -1);
}

/* predict mode's source: a step not yet run loses what would answer it
 * (strings, comments, the errno expected), a step run shows all, and an
 * ASK keeps its question */
static void predict_masks_the_lines_of_steps_not_yet_run(void **state)
{
	struct model *m = calloc(1, sizeof *m);
	static const char src[] =
		"int main(void)\n"					/* 1 */
		"{\n"							/* 2 */
		"\tSTEP(\"Bind\", \"free\");\n"			/* 3 */
		"\tEXPECT_OK(bind(s, a, n));\n"			/* 4 */
		"\tASK(\"Will the second\"\n"			/* 5 */
		"\t    \" bind work?\");\n"			/* 6 */
		"\tSTEP(\"It fails: in use\", \"no reuse\");\n"	/* 7 */
		"\t/* the holder never\n"				/* 8 */
		"\t * agreed */ x = 1; // EADDRINUSE\n"		/* 9 */
		"\tEXPECT_ERR(EADDRINUSE, bind(t, a, n));\n"		/* 10 */
		"\tNOTE(\"as lab 04\");\n"				/* 11 */
		"}\n";							/* 12 */
	char out[256];

	(void)state;
	assert_non_null(m);
	model_open(m, NULL, src);
	assert_int_equal(m->nsteps, 2);
	/* before step 1 has run: its lines too */
	assert_int_equal(model_masked_line(m, 3, out, sizeof out), 1);
	assert_string_equal(out, "\tSTEP(\"…\", \"…\");");
	assert_int_equal(model_masked_line(m, 1, out, sizeof out), 0);	/* before any step */
	assert_string_equal(out, "int main(void)");
	feed_step(m, 1, 3, "Bind");
	feed(m, PROTO_CALL, 4, 1);
	feed_step(m, 2, 7, "It fails: in use");	/* step 1 ran, step 2 waits */
	assert_int_equal(model_masked_line(m, 4, out, sizeof out), 0);
	assert_string_equal(out, "\tEXPECT_OK(bind(s, a, n));");
	/* the question stays, on both its lines */
	assert_int_equal(model_masked_line(m, 5, out, sizeof out), 0);
	assert_int_equal(model_masked_line(m, 6, out, sizeof out), 0);
	assert_string_equal(out, "\t    \" bind work?\");");
	assert_int_equal(model_masked_line(m, 7, out, sizeof out), 1);
	assert_string_equal(out, "\tSTEP(\"…\", \"…\");");
	assert_int_equal(model_masked_line(m, 8, out, sizeof out), 1);
	assert_string_equal(out, "\t/* …");
	assert_int_equal(model_masked_line(m, 9, out, sizeof out), 1);
	assert_string_equal(out, "…*/ x = 1; // …");
	assert_int_equal(model_masked_line(m, 10, out, sizeof out), 1);
	assert_string_equal(out, "\tEXPECT_ERR(?, bind(t, a, n));");
	assert_int_equal(model_masked_line(m, 11, out, sizeof out), 1);
	assert_string_equal(out, "\tNOTE(\"…\");");
	assert_int_equal(model_masked_line(m, 13, out, sizeof out), 0);	/* past the end */
	assert_string_equal(out, "");
	model_free(m);
	free(m);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(predict_masks_the_lines_of_steps_not_yet_run),
		T(open_reads_the_steps_ahead_at_their_step_lines),
		T(title_is_the_first_literal_unescaped_even_on_the_next_line),
		T(backslash_escape_in_a_title_keeps_the_escaped_byte),
		T(a_formatted_title_names_the_runs_ports),
		T(comments_defines_and_notes_mentioning_step_are_not_steps),
		T(lines_are_counted_and_returned_with_their_length),
		T(line_past_the_end_or_before_the_first_is_null),
		T(last_line_without_a_newline_is_counted),
		T(no_source_or_empty_source_has_no_lines_and_no_steps),
		T(reopen_forgets_the_run_but_keeps_the_host_table),
		T(lab_event_adds_role_main_and_marks_the_lab_running),
		T(role_events_add_roles_found_by_pid_and_by_name),
		T(a_pid_has_one_role_and_roles_stop_at_the_maximum),
		T(step_event_marks_its_step_waiting_and_closes_nothing_before_it),
		T(previous_outcomes_stay_until_the_next_step_reports),
		T(outcomes_are_kept_in_order_with_the_highest_line),
		T(outcomes_past_the_maximum_are_counted_as_dropped),
		T(next_step_closes_a_step_ok_when_every_expectation_held),
		T(failed_call_failed_check_or_error_fail_the_step),
		T(end_closes_the_last_step_and_keeps_the_counts),
		T(step_without_outcomes_is_closed_and_shown_empty),
		T(end_without_any_step_closes_nothing),
		T(step_at_another_line_replaces_the_read_ahead_from_there),
		T(step_at_the_read_ahead_line_keeps_the_steps_after_it),
		T(steps_without_a_source_come_from_the_events),
		T(receive_calls_record_who_received_on_which_socket),
		T(single_argument_receive_names_its_socket),
		T(other_calls_and_checks_are_no_deliveries),
		T(deliveries_keep_the_newest_and_count_them_all),
		T(nothing_is_highlighted_before_a_step_has_run),
		T(highlight_runs_from_the_step_line_to_the_end_of_its_last_statement),
		T(highlight_of_an_outcome_above_its_step_is_the_step_line),
		T(nothing_is_highlighted_without_a_source),
		T(highlight_of_a_step_stopped_midway_starts_at_its_own_step),
		T(outcomes_of_a_step_past_the_maximum_do_not_join_the_previous_step),
		T(a_stop_inside_a_step_fails_that_step),
		T(first_step_table_marks_every_row_new),
		T(step_table_marks_new_and_changed_rows_and_keeps_gone_ones),
		T(unchanged_rows_carry_no_mark_and_nothing_is_gone),
		T(same_port_with_another_inode_is_a_new_socket),
		T(refresh_without_change_keeps_the_marks_of_the_last_step),
		T(refresh_marks_against_the_table_before_the_last_step),
		T(tree_lists_every_linked_lab_when_none_is_open),
		T(open_lab_lists_its_steps_under_its_own_row),
		T(lab_executable_is_listed_after_the_linked_labs),
		T(step_event_that_corrects_the_steps_corrects_the_rows),
	};
#undef T

	registry_add(&tree_lab4);	/* out of order: the registry sorts */
	registry_add(&tree_lab1);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
