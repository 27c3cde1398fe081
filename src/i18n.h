/* i18n.h — socklab in the learner's language: gettext's catalogs
 * (po/LANG.po, compiled to LOCALEDIR/LANG/LC_MESSAGES/socklab.mo).
 *
 * _("text") marks a message and translates it where it is printed;
 * N_("text") only marks one kept in a table, translated with i18n_tr()
 * where it is printed; P_(one, many, n) is ngettext's.  Numbers, errno
 * names, option names and code are never marked.  Only LC_MESSAGES and
 * LC_CTYPE (the character set gettext converts to, and screen widths:
 * render/width.h) follow the user's locale: LC_NUMERIC stays C, so
 * "0.4 s" is printed the same everywhere.  LANGUAGE is honoured, as
 * gettext does.  A lab's own narration is translated by its consumer
 * (runner/labtext.h), with i18n_fill. */
#ifndef SOCKLAB_I18N_H
#define SOCKLAB_I18N_H

#include <libintl.h>
#include <stddef.h>

#define _(s) gettext(s)
#define N_(s) s
/* one or many: ngettext's form for n */
#define P_(one, many, n) ngettext(one, many, (unsigned long)(n))

/* A message kept in a table (marked N_), translated: NULL and "" stay as
 * they are (gettext("") is the catalog's header). */
const char *i18n_tr(const char *msgid);

/* Bind socklab's catalogs: SOCKLAB_LOCALEDIR, else the ones beside the
 * executable (the build's, or make install's), else LOCALEDIR.  Call
 * once, first thing. */
void i18n_init(void);

/* A translated printf format filled with arguments already formatted
 * (each a string: what the English format's conversion printed), into
 * out[len].  Each conversion of fmt ("%d", "%2$s") is replaced by its
 * argument, taken in order or by its n$; "%%" is '%'.  The translation
 * cannot change how a number is printed, only where it goes.  Returns 0,
 * or -1 when fmt names an argument there is not, or a '*' (the caller
 * keeps the English). */
int i18n_fill(char *out, size_t len, const char *fmt, const char *const *args, int nargs);

/* The number of arguments printf format fmt takes ("%%" takes none). */
int i18n_nargs(const char *fmt);

#endif
