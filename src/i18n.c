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
	/* the messages' language, and the character set they are printed
	 * in (gettext converts the catalog's UTF-8 to it) */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	bindtextdomain("socklab", dir);
	textdomain("socklab");
}

const char *i18n_tr(const char *msgid)
{
	return msgid && *msgid ? gettext(msgid) : msgid;
}

/* One conversion of fmt at p (just after its '%'): its n$ position (0
 * none) and where it ends; NULL for a '*' or a spec left unfinished. */
static const char *conversion(const char *p, int *pos)
{
	const char *q = p;

	*pos = 0;
	while (*q >= '0' && *q <= '9')
		q++;
	if (*q == '$' && q > p) {
		*pos = atoi(p);
		p = q + 1;
	}
	while (*p && strchr("-+ #0'I123456789.", *p))
		p++;
	while (*p && strchr("hlLqjzt", *p))
		p++;
	if (!*p || !strchr("diouxXeEfFgGaAcsp", *p))
		return NULL;
	return p + 1;
}

int i18n_nargs(const char *fmt)
{
	int n = 0, pos, most = 0;

	for (const char *p = fmt; (p = strchr(p, '%')) != NULL;) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		if ((p = conversion(p + 1, &pos)) == NULL)
			return -1;
		n++;
		if (pos > most)
			most = pos;
	}
	return most > n ? most : n;
}

int i18n_fill(char *out, size_t len, const char *fmt, const char *const *args, int nargs)
{
	size_t used = 0;
	int next = 0, pos;

	if (len == 0)
		return -1;
	for (const char *p = fmt; *p;) {
		const char *put = p, *end;
		size_t n = 1;

		if (*p == '%' && p[1] == '%') {
			end = p + 2;
		} else if (*p == '%') {
			if ((end = conversion(p + 1, &pos)) == NULL)
				return -1;
			pos = pos ? pos - 1 : next++;
			if (pos >= nargs)
				return -1;
			put = args[pos];
			n = strlen(put);
		} else {
			end = p + 1;
		}
		if (used + n >= len) {	/* cut to fit, between characters */
			n = len - 1 - used;
			while (n > 0 && ((unsigned char)put[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(out + used, put, n);
		used += n;
		p = end;
	}
	out[used] = '\0';
	return 0;
}
