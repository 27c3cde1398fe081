/* fuzz_errtab.c — libFuzzer harness for errtab_lookup() (src/doctor/
 * errtab.c), what `socklab explain CODE` uses to find a code from any
 * spelling: "EADDRINUSE", "eaddrinuse", "98", "WSAEADDRINUSE", "10048".
 * A code found is an entry of the table, is found again by its names and
 * numbers, and the lookup does not care about case. */
#include <ctype.h>
#include <string.h>

#include "errtab/errtab.h"
#include "fuzz.h"

static int in_table(const struct errtab_entry *e)
{
	for (const struct errtab_entry *t = errtab_entries; t->name; t++)
		if (t == e)
			return 1;
	return 0;
}

static void check_entry(const struct errtab_entry *e)
{
	char num[16];

	FUZZ_CHECK(in_table(e));
	FUZZ_CHECK(e->meaning != NULL);
	FUZZ_CHECK(errtab_lookup(e->name) == e);
	if (e->win_name)
		FUZZ_CHECK(errtab_lookup(e->win_name) == e);
	FUZZ_CHECK(errtab_by_errno(e->linux_errno) != NULL);
	snprintf(num, sizeof num, "%d", e->linux_errno);
	FUZZ_CHECK(errtab_lookup(num) != NULL);
	if (e->win_code) {
		snprintf(num, sizeof num, "%d", e->win_code);
		FUZZ_CHECK(errtab_lookup(num) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	const struct errtab_entry *e, *other;

	if (s == NULL)
		return 0;
	e = errtab_lookup(s);
	if (e)
		check_entry(e);
	/* the same spelling in the other case finds the same code */
	for (char *p = s; *p; p++)
		*p = (char)(islower((unsigned char)*p) ? toupper((unsigned char)*p)
						       : tolower((unsigned char)*p));
	other = errtab_lookup(s);
	FUZZ_CHECK(other == e);
	free(s);
	return 0;
}
