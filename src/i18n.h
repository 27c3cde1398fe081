/* i18n.h — socklab in the learner's language: gettext's catalogs
 * (po/LANG.po, compiled to LOCALEDIR/LANG/LC_MESSAGES/socklab.mo).
 *
 * _("text") marks a message and translates it where it is printed;
 * N_("text") only marks one kept in a table, translated with _() where it
 * is printed.  Numbers, errno names, option names and code are never
 * marked.  Only LC_MESSAGES (and glyphs.c's LC_CTYPE) follow the user's
 * locale: LC_NUMERIC stays C, so "0.4 s" is printed the same everywhere.
 * LANGUAGE is honoured, as gettext does. */
#ifndef SOCKLAB_I18N_H
#define SOCKLAB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Bind socklab's catalogs: SOCKLAB_LOCALEDIR, else the ones beside the
 * executable (the build's, or make install's), else LOCALEDIR.  Call
 * once, first thing. */
void i18n_init(void);

#endif
