/* steps.c — steps and their outcomes, as socklab keeps them (steps.h). */
#include <stdio.h>
#include <string.h>

#include "lab/claim.h"
#include "steps.h"

void steps_claim_event(struct proto_event *ev, const struct claim_result *cr)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = PROTO_CLAIM;
	ev->step = cr->step;
	ev->ok = cr->outcome == CLAIM_PROVEN;
	ev->skip = cr->outcome == CLAIM_SKIPPED;
	snprintf(ev->id, sizeof ev->id, "%s", cr->id);
	snprintf(ev->text, sizeof ev->text, "%s", cr->why);
}

void steps_add(struct steps_step *st, const struct proto_event *ev)
{
	if (st->noutcomes < STEPS_MAX_OUTCOMES)
		st->outcomes[st->noutcomes++] = *ev;
	else
		st->dropped++;
	if (ev->line > st->last_line)
		st->last_line = ev->line;
}

long steps_body_start(const char *text, long step_line)
{
	long n = 1;

	if (step_line > 0)
		return steps_statement_end(text, step_line);
	for (const char *p = text; *p; n++) {
		const char *e = strchr(p, '\n');

		if (strncmp(p, "LAB(", 4) == 0)
			return steps_statement_end(text, n);
		if (!e)
			break;
		p = e + 1;
	}
	return 1;
}

long steps_statement_end(const char *text, long from)
{
	long n = 1;
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (n >= from && len >= 2 && memmem(p, len, ");", 2))
			return n + 1;
		if (!e)
			break;
		p = e + 1;
		n++;
	}
	return from + 1;
}
