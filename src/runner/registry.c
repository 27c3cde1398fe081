/* registry.c — labs register themselves (LAB() makes a constructor that
 * calls registry_add), so adding labs/NN-slug.c is all it takes. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "registry.h"

#define MAX_LABS 64

static const struct lab_info *registered[MAX_LABS];
static size_t nlabs;

/* a before b: by number, the C lab before its Python twins (pylabs.h) */
static int after(const struct lab_info *a, const struct lab_info *b)
{
	return a->number > b->number || (a->number == b->number && !a->main && b->main);
}

void registry_add(const struct lab_info *info)
{
	size_t i;

	if (nlabs == MAX_LABS)
		return;
	/* keep sorted by number: constructors run in link order, not ours */
	for (i = nlabs; i > 0 && after(registered[i - 1], info); i--)
		registered[i] = registered[i - 1];
	registered[i] = info;
	nlabs++;
}

size_t registry_count(void)
{
	return nlabs;
}

const struct lab_info *registry_at(size_t i)
{
	return i < nlabs ? registered[i] : NULL;
}

/* "07py", "07tw": lab 7's twin whose slug ends in -py or -tw */
static const struct lab_info *find_twin(const char *key)
{
	size_t digits = strspn(key, "0123456789");
	char num[8], suffix[8];

	if (digits == 0 || digits > 3 || strlen(key + digits) != 2)
		return NULL;
	snprintf(num, sizeof num, "%.*s", (int)digits, key);
	snprintf(suffix, sizeof suffix, "-%s", key + digits);
	for (size_t i = 0; i < nlabs; i++) {
		size_t n = strlen(registered[i]->slug);

		if (registered[i]->number == atoi(num) && n > 3 &&
		    strcmp(registered[i]->slug + n - 3, suffix) == 0)
			return registered[i];
	}
	return NULL;
}

const struct lab_info *registry_find(const char *key)
{
	char full[96];
	long num = -1;

	if (key == NULL || *key == '\0')
		return NULL;
	if (find_twin(key))
		return find_twin(key);
	/* "4", "04", "004": a number, compared as one */
	if (args_int(key, 0, 999, &num) < 0)
		num = -1;
	for (size_t i = 0; i < nlabs; i++) {
		snprintf(full, sizeof full, "%02d-%s", registered[i]->number, registered[i]->slug);
		if (registered[i]->number == num || strcmp(key, registered[i]->slug) == 0 ||
		    strcmp(key, full) == 0)
			return registered[i];
	}
	return NULL;
}

/* Shaped like a lab name ("addr-in-use", "04-addr-in-use", "42") but no
 * such lab: ENOENT.  Anything else is not a lab selector at all: EINVAL. */
static int looks_like_name(const char *spec)
{
	size_t digits = strspn(spec, "0123456789");
	size_t len = strlen(spec);

	if (len == 0 || strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789-") != len ||
	    spec[len - 1] == '-' || strstr(spec, "--"))
		return 0;
	/* "42", "addr-in-use", or "NN-word" as `socklab list` prints names */
	return digits == len || digits == 0 ||
	       (digits == 2 && spec[2] == '-' && spec[3] >= 'a' && spec[3] <= 'z');
}

static int is_range(const char *spec)
{
	size_t a = strspn(spec, "0123456789");

	return a > 0 && spec[a] == '-' && spec[a + 1 + strspn(spec + a + 1, "0123456789")] == '\0' &&
	       spec[a + 1] != '\0';
}

int registry_select(const char *spec, const struct lab_info **out, size_t max, size_t *n)
{
	const struct lab_info *l;
	long first, last;
	size_t want = 0;

	if (spec == NULL) {
		errno = EINVAL;
		return -1;
	}
	l = registry_find(spec);
	if (l == NULL && is_range(spec)) {	/* "04-addr-in-use" was a name, above */
		if (args_range(spec, 0, LONG_MAX, &first, &last) < 0) {
			errno = EINVAL;		/* 7-1: backwards */
			return -1;
		}
		for (size_t i = 0; i < nlabs; i++)
			want += registered[i]->number >= first && registered[i]->number <= last;
		if (want == 0) {
			errno = ENOENT;
			return -1;
		}
		if (max - *n < want) {
			errno = E2BIG;
			return -1;
		}
		for (size_t i = 0; i < nlabs; i++)
			if (registered[i]->number >= first && registered[i]->number <= last)
				out[(*n)++] = registered[i];
		return 0;
	}
	if (l == NULL) {
		errno = looks_like_name(spec) ? ENOENT : EINVAL;
		return -1;
	}
	if (*n == max) {
		errno = E2BIG;
		return -1;
	}
	out[(*n)++] = l;
	return 0;
}

const char *registry_source(const char *file)
{
	const char *base;

	if (file == NULL)
		return NULL;
	/* match by base name: __FILE__ depends on how the lab was compiled */
	base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	for (const struct registry_source *s = registry_sources; s->file; s++) {
		const char *sb = strrchr(s->file, '/') ? strrchr(s->file, '/') + 1 : s->file;

		if (strcmp(sb, base) == 0)
			return s->text;
	}
	return NULL;
}

char *registry_read_source(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}
