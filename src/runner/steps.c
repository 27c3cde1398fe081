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

/* The parentheses a line opens minus those it closes, outside its
 * quoted strings (a Python lab's statements end where they balance). */
static int paren_balance(const char *p, size_t len)
{
	int depth = 0;
	char quote = 0;

	for (size_t i = 0; i < len; i++) {
		if (quote) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == quote)
				quote = 0;
		} else if (p[i] == '"' || p[i] == '\'') {
			quote = p[i];
		} else if (p[i] == '#') {
			break;	/* a comment to the end of the line */
		} else {
			depth += (p[i] == '(') - (p[i] == ')');
		}
	}
	return depth;
}

long steps_statement_end(const char *text, long from)
{
	/* a Python lab (it imports labs/py's runtime): a statement ends at
	 * the line where its parentheses balance; C's at its ");" */
	int python = strstr(text, "from socklab_lab import") != NULL, depth = 0;
	long n = 1;
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (n >= from && python) {
			depth += paren_balance(p, len);
			if (depth <= 0)
				return n + 1;
		} else if (n >= from && len >= 2 && memmem(p, len, ");", 2)) {
			return n + 1;
		}
		if (!e)
			break;
		p = e + 1;
		n++;
	}
	return from + 1;
}
