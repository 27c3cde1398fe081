/* outcome.c — the words for what an expectation came to (outcome.h). */
#include <stdio.h>

#include "outcome.h"

void outcome_result(char *buf, size_t len, const struct proto_event *ev,
		    outcome_spell_fn *spell)
{
	char err[96];

	if (ev->ret != -1) {
		snprintf(buf, len, "%ld", ev->ret);
		return;
	}
	spell(err, sizeof err, (int)ev->err);
	snprintf(buf, len, "-1 %s", err);
}

void outcome_mismatch(char *buf, size_t len, const struct proto_event *ev,
		      outcome_spell_fn *spell)
{
	char want[96], got[96];

	spell(want, sizeof want, (int)ev->want);
	/* a call that did not fail succeeded, whatever it returned */
	spell(got, sizeof got, ev->ret == -1 ? (int)ev->err : 0);
	snprintf(buf, len, "expected %s; the kernel answered %s", want, got);
}

const char *outcome_check(int ok)
{
	return ok ? "holds" : "does NOT hold";
}

const char *outcome_claim(int proven, int skipped)
{
	return skipped ? "skipped" : proven ? "proven" : "NOT proven";
}

void outcome_total(char *buf, size_t len, long pass, long fail)
{
	snprintf(buf, len, "%ld of %ld expectations met", pass, pass + fail);
}
