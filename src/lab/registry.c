/* registry.c — labs register themselves (LAB() makes a constructor that
 * calls lab_register), so adding labs/NN-slug.c is all it takes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "registry.h"

#define MAX_LABS 64

static const struct lab_info *registered[MAX_LABS];
static size_t nlabs;

void lab_register(const struct lab_info *info)
{
	size_t i;

	if (nlabs == MAX_LABS)
		return;
	/* keep sorted by number: constructors run in link order, not ours */
	for (i = nlabs; i > 0 && registered[i - 1]->number > info->number; i--)
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

const struct lab_info *registry_find(const char *key)
{
	char full[96];

	if (key == NULL || *key == '\0')
		return NULL;
	for (size_t i = 0; i < nlabs; i++) {
		char num[8];

		snprintf(num, sizeof num, "%d", registered[i]->number);
		snprintf(full, sizeof full, "%02d-%s", registered[i]->number, registered[i]->slug);
		if (strcmp(key, registered[i]->slug) == 0 || strcmp(key, full) == 0 ||
		    strcmp(key + strspn(key, "0"), num) == 0)
			return registered[i];
	}
	return NULL;
}

int registry_select(const char *spec, const struct lab_info **out, size_t max, size_t *n)
{
	const struct lab_info *l = NULL;
	long first, last;

	if (spec && *spec >= '0' && *spec <= '9' && strchr(spec, '-') &&
	    !registry_find(spec)) {
		/* a range; "04-addr-in-use" was taken as a name above */
		if (args_range(spec, 0, 999, &first, &last) < 0) {
			errno = EINVAL;
			return -1;
		}
		size_t before = *n;

		for (size_t i = 0; i < nlabs; i++) {
			if (registered[i]->number < first || registered[i]->number > last)
				continue;
			if (*n == max) {
				errno = E2BIG;
				return -1;
			}
			out[(*n)++] = registered[i];
		}
		if (*n == before) {
			errno = ENOENT;
			return -1;
		}
		return 0;
	}
	l = registry_find(spec);
	if (l == NULL) {
		long num;

		errno = (spec && args_int(spec, 0, 999, &num) == 0) ? ENOENT :
			(spec && *spec && strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(spec)) ?
			ENOENT : EINVAL;
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
