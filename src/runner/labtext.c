/* labtext.c — a lab's narration in the reader's language (labtext.h). */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "labtext.h"

#define MAX_ARGS 16

/* Split s (modified) at PROTO_SEP into at most max parts; "" is none. */
static int split(char *s, char **part, int max)
{
	int n = 0;

	if (*s == '\0')
		return 0;
	for (;;) {
		char *sep = strchr(s, PROTO_SEP);

		if (n == max)
			return -1;
		part[n++] = s;
		if (!sep)
			return n;
		*sep = '\0';
		s = sep + 1;
	}
}

static const char *(*catalog)(const char *msgid);

/* text[len], printed by the lab from msgid with args: its translation
 * filled with them, when the catalog has one and it fits the arguments */
static void translate(char *text, size_t len, const char *msgid, char **args, int nargs)
{
	const char *tr, *targs[MAX_ARGS];
	char out[1024];

	if (*msgid == '\0' || (tr = catalog(msgid)) == msgid || strcmp(tr, msgid) == 0)
		return;
	/* an argument that is a sentence of socklab's own (a kernel note's
	 * text: kver.c) is in the catalog too; a word or a number is not
	 * looked up (a role's name, a port) */
	for (int i = 0; i < nargs; i++)
		targs[i] = strchr(args[i], ' ') ? catalog(args[i]) : args[i];
	if (i18n_nargs(msgid) != nargs || i18n_nargs(tr) > nargs ||
	    i18n_fill(out, sizeof out, tr, targs, nargs) < 0)
		return;
	snprintf(text, len, "%s", out);
}

/* text, printed from fmt ("" when fmt is the text) and args */
static void one(char *text, size_t len, const char *fmt, const char *args)
{
	char a[sizeof ((struct proto_event *)0)->args], f[1024], *argv[MAX_ARGS];
	int nargs;

	snprintf(a, sizeof a, "%s", args);
	snprintf(f, sizeof f, "%s", *fmt ? fmt : text);
	if ((nargs = split(a, argv, MAX_ARGS)) >= 0)
		translate(text, len, f, argv, nargs);
}

/* A step's title and why: one format (lab.h's STEP joins them with
 * PROTO_SEP), the title's arguments first */
static void step(struct proto_event *ev)
{
	char a[sizeof ev->args], f[sizeof ev->fmt], *argv[MAX_ARGS], *why;
	int nargs, ntitle;

	if (ev->fmt[0] == '\0') {
		translate(ev->title, sizeof ev->title, ev->title, NULL, 0);
		translate(ev->why, sizeof ev->why, ev->why, NULL, 0);
		return;
	}
	snprintf(a, sizeof a, "%s", ev->args);
	snprintf(f, sizeof f, "%s", ev->fmt);
	if ((why = strchr(f, PROTO_SEP)) == NULL || (nargs = split(a, argv, MAX_ARGS)) < 0)
		return;
	*why++ = '\0';
	if ((ntitle = i18n_nargs(f)) < 0 || ntitle > nargs)
		return;
	translate(ev->title, sizeof ev->title, f, argv, ntitle);
	translate(ev->why, sizeof ev->why, why, argv + ntitle, nargs - ntitle);
}

void labtext_translate(struct proto_event *ev)
{
	labtext_translate_with(ev, i18n_tr);
}

void labtext_translate_with(struct proto_event *ev, const char *(*tr)(const char *msgid))
{
	catalog = tr;
	switch (ev->kind) {
	case PROTO_LAB:
		translate(ev->title, sizeof ev->title, ev->title, NULL, 0);
		translate(ev->text, sizeof ev->text, ev->text, NULL, 0);
		break;
	case PROTO_STEP:
		step(ev);
		if (ev->ask[0])
			one(ev->ask, sizeof ev->ask, ev->askfmt, ev->askargs);
		break;
	case PROTO_NOTE:
	case PROTO_SKIP:
	case PROTO_ERROR:
		one(ev->text, sizeof ev->text, ev->fmt, ev->args);
		break;
	default:
		break;
	}
}
