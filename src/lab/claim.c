/* claim.c — decide each claim's outcome from a run's events (claim.h). */
#include <stdio.h>
#include <string.h>

#include "claim.h"
#include "outcome.h"

void claim_fold_init(struct claim_fold *f)
{
	memset(f, 0, sizeof *f);
}

/* The open claims get their outcome from what their step did. */
static int settle(struct claim_fold *f, const char *ended_why,
		  struct claim_result *out, int max)
{
	int n = 0;

	for (int i = 0; i < f->nopen; i++) {
		struct claim_result r = f->open[i];

		if (f->step_skipped) {
			r.outcome = CLAIM_SKIPPED;
			snprintf(r.why, sizeof r.why, "%s", f->skip_why);
		} else if (ended_why) {
			r.outcome = CLAIM_FAILED;
			snprintf(r.why, sizeof r.why, "%s", ended_why);
		} else if (f->errors) {
			r.outcome = CLAIM_FAILED;
			snprintf(r.why, sizeof r.why, outcome_tr("the lab went wrong in step %ld"), r.step);
		} else if (f->failed) {
			r.outcome = CLAIM_FAILED;
			snprintf(r.why, sizeof r.why, outcome_tr("%d of %d expectations of step %ld failed "
							     "(the first at line %ld)"), f->failed, f->expectations, r.step,
				 f->fail_line);
		} else if (f->expectations == 0) {
			r.outcome = CLAIM_FAILED;
			snprintf(r.why, sizeof r.why, outcome_tr("step %ld checks nothing: no expectation"), r.step);
		} else {
			r.outcome = CLAIM_PROVEN;
			r.why[0] = '\0';
		}
		if (n < max)
			out[n++] = r;
	}
	f->nopen = 0;
	return n;
}

static void new_step(struct claim_fold *f, long step)
{
	f->step = step;
	f->expectations = f->failed = f->errors = 0;
	f->fail_line = 0;
	f->step_skipped = 0;
}

static void expectation(struct claim_fold *f, const struct proto_event *ev)
{
	f->expectations++;
	if (!ev->ok && f->failed++ == 0)
		f->fail_line = ev->line;
}

int claim_fold_feed(struct claim_fold *f, const struct proto_event *ev,
		    struct claim_result *out, int max)
{
	int n = 0;

	switch (ev->kind) {
	case PROTO_STEP:
		n = settle(f, NULL, out, max);
		new_step(f, ev->step);
		break;
	case PROTO_END:
		n = settle(f, NULL, out, max);
		new_step(f, 0);
		break;
	case PROTO_CALL:
	case PROTO_CHECK:
		expectation(f, ev);
		break;
	case PROTO_ERROR:
		f->errors++;
		break;
	case PROTO_SKIP:
		f->skipped = 1;
		f->step_skipped = 1;
		snprintf(f->skip_why, sizeof f->skip_why, "%.159s", ev->text);
		break;
	case PROTO_CLAIM:
		if (ev->step == 0) {
			/* never reached: settled at once */
			struct claim_result r = { .step = 0, .line = ev->line };

			snprintf(r.id, sizeof r.id, "%s", ev->id);
			if (f->skipped) {
				r.outcome = CLAIM_SKIPPED;
				snprintf(r.why, sizeof r.why, "%s", f->skip_why);
			} else {
				r.outcome = CLAIM_FAILED;
				snprintf(r.why, sizeof r.why, "%s", outcome_tr("its step never ran"));
			}
			if (max > 0)
				out[n++] = r;
		} else if (f->nopen < CLAIM_MAX_OPEN) {
			struct claim_result *r = &f->open[f->nopen++];

			memset(r, 0, sizeof *r);
			snprintf(r->id, sizeof r->id, "%s", ev->id);
			r->step = ev->step;
			r->line = ev->line;
		}
		break;
	default:
		break;
	}
	return n;
}

int claim_fold_finish(struct claim_fold *f, const char *why,
		      struct claim_result *out, int max)
{
	return settle(f, why ? why : outcome_tr("the lab ended before its step did"), out, max);
}
