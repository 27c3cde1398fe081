/* i18n.c — gettext's catalogs bound (i18n.h). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/* Where the catalogs are: SOCKLAB_LOCALEDIR; else beside the executable,
 * as the build leaves them (BUILD/socklab, BUILD/locale) or as make
 * install puts them (PREFIX/bin/socklab, PREFIX/share/locale), whatever
 * PREFIX the build was told; else LOCALEDIR. */
static void locale_dir(char *buf, size_t len)
{
	const char *env = getenv("SOCKLAB_LOCALEDIR");
	static const char *const beside[] = { "locale", "../share/locale" };
	char exe[4096], *slash;
	ssize_t n;
	struct stat st;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
			snprintf(buf, len, "%s/%s", exe, beside[i]);
			if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return;
		}
	}
	snprintf(buf, len, "%s", LOCALEDIR);
}

void i18n_init(void)
{
	char dir[4200];

	locale_dir(dir, sizeof dir);
	setlocale(LC_MESSAGES, "");
	bindtextdomain("socklab", dir);
	bind_textdomain_codeset("socklab", "UTF-8");
	textdomain("socklab");
}
