/* snoop_none.c — socklab trace --all, not built (make BPF=0, or no clang
 * or libbpf at build time): stands in for snoop.c and snoop_obj.c, and
 * says so.  Contract in trace.h. */
#include <stdio.h>

#include "trace.h"

int trace_all(unsigned long netns, trace_fn *fn, void (*note)(void *ctx, const char *what),
	      void *ctx, unsigned long *lost, char *why, size_t len)
{
	(void)netns;
	(void)fn;
	(void)note;
	(void)ctx;
	*lost = 0;
	snprintf(why, len, "--all is not built into this socklab (it was compiled without clang "
		 "or libbpf, or with BPF=0): sh tools/deps.sh bpf, then make");
	return -1;
}
