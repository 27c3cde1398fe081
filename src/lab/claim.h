/* claim.h — the one place that decides what a run proved.
 *
 * A lab tags a step with CLAIM("id") (lab.h): the rule "id" of
 * docs/claims.md is what this step shows.  The lab only announces the
 * claim (a "claim" event, docs/protocol.md); whether the run proved it is
 * decided here, from the events the consumer saw, in order:
 *
 *   proven   the claim's step had at least one expectation (EXPECT_OK,
 *            EXPECT_ERR, EXPECT_TRUE; any role, up to the next step or the
 *            end) and every one of them held, and no lab error came
 *   failed   an expectation of that step failed, the step had none, the
 *            lab went wrong in it, or the run ended before the step did
 *   skipped  the step (or the lab, before reaching it) was skipped: the
 *            reason is the skip's text
 *
 * A claim event with step 0 is a CLAIM() the lab never reached (the
 * runtime lists those before its end event): skipped when the lab
 * skipped, else failed.
 *
 * Every consumer (check, run, a lab narrating itself) folds the events
 * through claim_fold_feed() and shows the results it returns; none
 * re-derives an outcome.  The fold is plain data (no pointers), so a lab
 * can keep it in memory its role processes share. */
#ifndef SOCKLAB_CLAIM_H
#define SOCKLAB_CLAIM_H

#include "proto.h"

#define CLAIM_MAX_OPEN 16	/* claims of one step */

enum claim_outcome { CLAIM_PROVEN, CLAIM_FAILED, CLAIM_SKIPPED };

struct claim_result {
	char id[64];
	long step;		/* 0: the lab never reached it */
	long line;
	enum claim_outcome outcome;
	char why[192];		/* failed or skipped: why; proven: "" */
};

struct claim_fold {
	long step;			/* the step now running */
	int expectations, failed, errors;	/* in that step so far */
	long fail_line;			/* the first failed expectation's line */
	int step_skipped;
	char skip_why[160];		/* the lab's last skip, if any */
	int skipped;
	struct claim_result open[CLAIM_MAX_OPEN];	/* claims of this step */
	int nopen;
};

void claim_fold_init(struct claim_fold *f);

/* Feed one event of the run.  The claims it settles (a new step or the end
 * settles the open ones) are written to out (room for max; max >=
 * CLAIM_MAX_OPEN is always enough); returns how many. */
int claim_fold_feed(struct claim_fold *f, const struct proto_event *ev,
		    struct claim_result *out, int max);

/* The run is over without an end event (the lab crashed, hung, was
 * stopped): the open claims fail with why. */
int claim_fold_finish(struct claim_fold *f, const char *why,
		      struct claim_result *out, int max);

/* An outcome's words are outcome.h's (outcome_claim). */

#endif
