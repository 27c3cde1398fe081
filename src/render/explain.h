/* explain.h — an error code's explanation as prose: what `socklab
 * explain CODE` prints and the dashboard's explain overlay (e) shows, one
 * text from one table (errtab/errtab.c). */
#ifndef SOCKLAB_EXPLAIN_H
#define SOCKLAB_EXPLAIN_H

#include <stdio.h>

#include "errtab/errtab.h"

/* Write e's explanation to f, folded at width columns (wrap.h): the head
 * line with both spellings, the meaning, what it means from bind(),
 * connect() and sendto(), its usual causes and fixes, and Windows.
 * windows_first: asked by its Windows code, so Windows comes before the
 * calls.  The labs that show it are the caller's to list. */
void explain_write(FILE *f, const struct errtab_entry *e, int windows_first, int width);

#endif
