/* report.c — text and Markdown renderings of a lab run (socklab run). */
#include <stdio.h>
#include <string.h>

#include "errtab/errtab.h"
#include "glyphs.h"
#include "i18n.h"
#include "lab/outcome.h"
#include "render/wrap.h"
#include "report.h"
#include "wireline.h"
#include "table.h"

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_CYAN "\033[36m"
#define C_OFF "\033[0m"

static const char *col(const struct report *rp, const char *code)
{
	return rp->color ? code : "";
}

static int md(const struct report *rp)
{
	return rp->style == REPORT_MARKDOWN;
}

void report_errno_text(char *buf, size_t len, int err)
{
	const struct errtab_entry *e = errtab_by_errno(err);

	if (err == 0)
		snprintf(buf, len, "%s", _("success"));
	else if (e == NULL)
		snprintf(buf, len, "%s %d", strerrorname_np(err) ? strerrorname_np(err) : "errno", err);
	else if (e->win_name)
		snprintf(buf, len, "%s %d / %s %d", e->name, err, e->win_name, e->win_code);
	else
		snprintf(buf, len, "%s %d", e->name, err);
}

void report_lab(const struct report *rp, const struct proto_event *lab,
		const char *summary, int host)
{
	const char *where = host ?
		_("on this host's real stack, loopback only") :
		_("in a fresh network namespace: only lo, no other sockets, no way out");

	if (md(rp)) {
		fprintf(rp->out, _("# Lab %02ld %s %s\n\n%s\n\n"), lab->num, glyph(GLYPH_DASH), lab->title,
			summary);
		fprintf(rp->out, _("*Run %s; LAB_PORT = %ld. Source: `%s`.*\n"),
			where, lab->port, lab->file);
		return;
	}
	fprintf(rp->out, _("%sLab %02ld %s %s %s %s%s\n%s\n"), col(rp, C_BOLD), lab->num,
		glyph(GLYPH_DOT), lab->slug, glyph(GLYPH_DOT), lab->title, col(rp, C_OFF), summary);
	fprintf(rp->out, _("%srun %s; LAB_PORT = %ld%s\n"), col(rp, C_DIM), where,
		lab->port, col(rp, C_OFF));
}

void report_step_head(const struct report *rp, const struct steps_step *st)
{
	const char *role = st->step.role[0] ? st->step.role : NULL;

	if (md(rp)) {
		fprintf(rp->out, _("\n## Step %ld %s %s\n\n"), st->step.step, glyph(GLYPH_DASH),
			st->step.title);
		if (st->step.ask[0])
			fprintf(rp->out, _("*Ask first:* %s\n\n"), st->step.ask);
		if (role)
			fprintf(rp->out, _("*Role:* %s. "), role);
		fprintf(rp->out, _("*Why:* %s\n"), st->step.why);
		return;
	}
	fprintf(rp->out, _("\n%sStep %ld  %s%s"), col(rp, C_BOLD), st->step.step,
		st->step.title, col(rp, C_OFF));
	if (role)
		fprintf(rp->out, "  %s[%s]%s", col(rp, C_CYAN), role, col(rp, C_OFF));
	if (st->step.ask[0])
		fprintf(rp->out, _("\n        ask: %s"), st->step.ask);
	fprintf(rp->out, _("\n        why: %s\n"), st->step.why);
}

/* Print source lines [from, to] (1-based) of text. */
static void print_lines(const struct report *rp, const char *text, long from, long to)
{
	long n = 1;
	const char *p = text;

	while (*p && n <= to) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);

		if (n >= from) {
			if (md(rp))
				fprintf(rp->out, "%.*s\n", len, p);
			else {
				fprintf(rp->out, "  %s%4ld %s%s ", col(rp, C_DIM), n, glyph(GLYPH_BAR),
					col(rp, C_OFF));
				/* tabs as 4 columns: a terminal's 8 push code off screen */
				for (int i = 0; i < len; i++)
					fputs(p[i] == '\t' ? "    " : (char[]){ p[i], 0 }, rp->out);
				fputc('\n', rp->out);
			}
		}
		if (!e)
			break;
		p = e + 1;
		n++;
	}
}

static void outcome(const struct report *rp, const struct proto_event *ev,
		    const char *step_role)
{
	char who[48] = "";
	char got[256], missed[224];
	/* an observation (the playground) met no expectation and missed none */
	const char *mark = glyph(ev->observe ? GLYPH_ARROW : ev->ok ? GLYPH_PASS : GLYPH_FAIL);
	const char *c = ev->observe ? C_CYAN : ev->ok ? C_GREEN : C_RED;
	const struct errtab_entry *e;

	if (ev->role[0] && strcmp(ev->role, step_role) != 0 && ev->kind != PROTO_NOTE)
		snprintf(who, sizeof who, md(rp) ? "*%s:* " : "[%s] ", ev->role);
	switch (ev->kind) {
	case PROTO_CALL:
		outcome_result(got, sizeof got, ev, report_errno_text);
		if (md(rp)) {
			char want[96];

			report_errno_text(want, sizeof want, (int)ev->want);
			if (ev->observe)
				fprintf(rp->out, "- %s`%s` %s %s\n", who, ev->expr, glyph(GLYPH_ARROW), got);
			else
				fprintf(rp->out, _("- %s %s`%s` %s %s %s expected %s\n"), mark, who,
					ev->expr, glyph(GLYPH_ARROW), got, glyph(GLYPH_DASH), want);
		} else
			fprintf(rp->out, "  %s%s%s %s%s = %s\n", col(rp, c), mark, col(rp, C_OFF),
				who, ev->expr, got);
		if (!ev->ok) {
			outcome_mismatch(missed, sizeof missed, ev, report_errno_text);
			fprintf(rp->out, "%s    %s%s\n", md(rp) ? "" : col(rp, C_RED), missed,
				md(rp) ? "" : col(rp, C_OFF));
		} else if (ev->want && (e = errtab_by_errno((int)ev->want)) && !md(rp)) {
			fprintf(rp->out, "    %s%s: %s%s\n", col(rp, C_DIM), e->name, i18n_tr(e->meaning),
				col(rp, C_OFF));
		}
		break;
	case PROTO_CHECK:
		if (md(rp))
			fprintf(rp->out, "- %s %s`%s` %s\n", mark, who, ev->expr, outcome_check(ev->ok));
		else
			fprintf(rp->out, "  %s%s%s %s%s  %s\n", col(rp, c), mark, col(rp, C_OFF),
				who, ev->expr, outcome_check(ev->ok));
		break;
	case PROTO_NOTE:
		if (md(rp))
			fprintf(rp->out, "- %s%s%s\n", ev->role[0] ? ev->role : "",
				ev->role[0] ? ": " : "", ev->text);
		else
			fprintf(rp->out, "  %s%s%s %s%s%s\n", col(rp, C_CYAN), glyph(GLYPH_ARROW), col(rp, C_OFF),
				ev->role[0] ? ev->role : "", ev->role[0] ? ": " : "", ev->text);
		break;
	case PROTO_HOST:
		outcome_host(got, sizeof got, ev);
		fprintf(rp->out, md(rp) ? "- %s\n" : "  %s\n", got);
		break;
	case PROTO_ERROR:
		fprintf(rp->out, "%s  %s %s: %s%s\n", col(rp, C_RED), glyph(GLYPH_FAIL),
			OUTCOME_LAB_ERROR, ev->text, col(rp, C_OFF));
		break;
	case PROTO_CLAIM:
		/* as claim.h decided it: ok 1 proven, skip 1 skipped, else failed */
		{
			const char *what = outcome_claim(ev->ok, ev->skip);
			const char *cm = glyph(ev->skip ? GLYPH_SKIP : ev->ok ? GLYPH_CLAIM : GLYPH_FAIL);
			char dash[16] = "";

			if (ev->text[0])
				snprintf(dash, sizeof dash, " %s ", glyph(GLYPH_DASH));
			const char *cc = ev->skip ? C_DIM : ev->ok ? C_GREEN : C_RED;

			if (md(rp))
				fprintf(rp->out, _("- %s claim `%s`: %s%s%s\n"), cm, ev->id, what, dash,
					ev->text);
			else
				fprintf(rp->out, _("  %s%s claim %s: %s%s%s%s\n"), col(rp, cc), cm, ev->id,
					what, dash, ev->text, col(rp, C_OFF));
		}
		break;
	case PROTO_SKIP:
		if (md(rp))
			fprintf(rp->out, _("- *Skipped here:* %s\n"), ev->text);
		else
			fprintf(rp->out, "  %s%s %s: %s%s\n", col(rp, C_DIM), glyph(GLYPH_SKIP),
				OUTCOME_SKIPPED, ev->text, col(rp, C_OFF));
		break;
	default:
		break;
	}
}

void report_step_body(const struct report *rp, const struct steps_step *st,
		      const char *source)
{
	long from;

	if (source && st->last_line > 0) {
		/* from after the STEP(...) to the end of the last statement that
		 * reported: both may span several lines */
		long to = steps_statement_end(source, st->last_line) - 1;

		from = steps_body_start(source, st->step.line);
		if (from <= to) {
			/* a Python lab imports the runtime of labs/py */
			if (md(rp))
				fprintf(rp->out, "\n```%s\n",
					strstr(source, "from socklab_lab import") ? "python" : "c");
			print_lines(rp, source, from, to);
			if (md(rp))
				fprintf(rp->out, "```\n");
		}
	}
	if (md(rp) && st->noutcomes)
		fprintf(rp->out, "\n");
	for (int i = 0; i < st->noutcomes; i++)
		outcome(rp, &st->outcomes[i], st->step.role);
	if (st->dropped)
		fprintf(rp->out, _("  (%d more outcomes not shown)\n"), st->dropped);
}

/* "sockets after step 2:", a table's or the wire's caption (the colon as
 * the reader's language writes it) */
static void caption_line(const struct report *rp, const char *caption)
{
	if (md(rp))
		fprintf(rp->out, _("\n%s:\n\n"), caption);
	else
		fprintf(rp->out, _("  %s%s:%s\n"), col(rp, C_DIM), caption, col(rp, C_OFF));
}

void report_table(const struct report *rp, const struct inspect_snap *snap,
		  const struct inspect_snap *gone, const struct report_labels *who,
		  const char *caption)
{
	struct table_opts o = {
		.markdown = md(rp),
		.color = rp->color,
		.show_owner = 1,
		.show_flags = 1,
		.show_timer = 1,
		/* a handout must not change from run to run: no pids */
		.show_pids = !md(rp),
		.indent = 2,
		/* fitted to the terminal as watch's is (a pipe: whole rows) */
		.width = md(rp) ? 0 : wrap_columns(),
		.label = who ? who->label : NULL,
		.label_ctx = who ? who->ctx : NULL,
	};

	/* a lab with sockets of several users (lab 09): whose is whose */
	for (size_t i = 1; i < snap->n; i++)
		if (snap->v[i].uid != snap->v[0].uid)
			o.show_uid = 1;
	caption_line(rp, caption);
	table_print(rp->out, snap, gone, &o);
}

void report_wire(const struct report *rp, const struct wire_pkt *p, size_t n, const char *caption,
		 const char *unseen)
{
	char line[320];

	caption_line(rp, caption);
	if (unseen) {
		fprintf(rp->out, md(rp) ? "- (%s)\n" : "    (%s)\n", unseen);
		return;
	}
	if (n == 0)
		fprintf(rp->out, md(rp) ? "- %s\n" : "    %s\n", _("(nothing)"));
	for (size_t i = 0; i < n; i++) {
		wireline_format(line, sizeof line, &p[i]);
		fprintf(rp->out, md(rp) ? "- `%s`\n" : "    %s\n", line);
	}
}

void report_end(const struct report *rp, const struct proto_event *end)
{
	int bad = end->fail || end->errors;
	char errors[128] = "", met[128];

	outcome_total(met, sizeof met, end->pass, end->fail);

	if (end->errors)
		snprintf(errors, sizeof errors, ngettext("; %ld lab error", "; %ld lab errors",
							 (unsigned long)end->errors), end->errors);
	else if (end->skip)
		snprintf(errors, sizeof errors, "%s", _("; the rest was skipped (see above)"));
	if (md(rp)) {
		fprintf(rp->out, _("\n**Result:** %s%s.\n"), met, errors);
		return;
	}
	fprintf(rp->out, "\n%s%s %s%s%s\n", col(rp, bad ? C_RED : C_GREEN),
		glyph(bad ? GLYPH_FAIL : GLYPH_PASS), met, errors, col(rp, C_OFF));
}
