/* explain.c — an error code's explanation as prose (explain.h). */
#include <stdio.h>

#include "explain.h"
#include "glyphs.h"
#include "i18n.h"
#include "wrap.h"

static void para(FILE *f, const char *label, const char *text, int width)
{
	char lead[32];

	if (text == NULL)
		return;
	snprintf(lead, sizeof lead, label[0] ? "  %-10s " : "  ", label);
	wrap_print(f, lead, i18n_tr(text), width);
}

static void list(FILE *f, const char *title, const char *const *items, int width)
{
	if (items[0] == NULL)
		return;
	fprintf(f, "\n%s\n", title);
	for (int i = 0; i < ERRTAB_MAX_LIST && items[i]; i++)
		wrap_print(f, "  - ", i18n_tr(items[i]), width);
}

static void windows(FILE *f, const struct errtab_entry *e, int width, const char *instead)
{
	fprintf(f, "\n%s\n", _("On Windows"));
	para(f, "", e->windows ? e->windows : N_("as on Linux"), width);
	if (e->on_linux && instead)
		fprintf(f, "\n%s\n", instead);
	para(f, "", e->on_linux, width);
}

void explain_write(FILE *f, const struct errtab_entry *e, int windows_first, int width)
{
	if (windows_first && e->win_name)
		fprintf(f, _("%s (Windows %d)  %s  on Linux: %s (%d)\n"), e->win_name, e->win_code,
			glyph(GLYPH_DOT), e->name, e->linux_errno);
	else if (e->win_name)
		fprintf(f, _("%s (Linux %d)  %s  on Windows: %s (%d)\n"), e->name, e->linux_errno,
			glyph(GLYPH_DOT), e->win_name, e->win_code);
	else
		fprintf(f, _("%s (Linux %d)  %s  Windows has no equivalent code\n"), e->name,
			e->linux_errno, glyph(GLYPH_DOT));
	wrap_print(f, "  ", i18n_tr(e->meaning), width);

	/* asked with the Windows code: Windows first, then what Linux does */
	if (windows_first && (e->windows || e->on_linux))
		windows(f, e, width, _("On Linux instead"));
	if (e->bind || e->connect || e->sendto) {
		fprintf(f, "\n%s\n", _("What it means from"));
		para(f, "bind()", e->bind, width);
		para(f, "connect()", e->connect, width);
		para(f, "sendto()", e->sendto, width);
	}
	list(f, _("Usual causes"), e->causes, width);
	list(f, _("Fixes"), e->fixes, width);
	if (!windows_first && (e->windows || e->on_linux))
		windows(f, e, width, NULL);
}
