/* bpf_none.c — the BPF flags reader, not built (make BPF=0, or no clang
 * or libbpf at build time): stands in for bpf.c and sockflags_obj.c.
 *
 * Contract in bpf_priv.h.  Never usable, so flags.c goes straight to the
 * pidfd reader, exactly as with SOCKLAB_FLAGS_READER=pidfd: TIME_WAIT rows
 * and other users' sockets stay unknown ("?"), even as root.  Where the
 * built reader would have been tried (root), SOCKLAB_DEBUG says once why
 * it is not. */
#include "bpf_priv.h"
#include "inspect.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int inspect_bpf_built(void)
{
	return 0;
}

int inspect_bpf_usable(void)
{
	static int said;

	if (geteuid() == 0 && inspect_debug() && !said++)
		fprintf(stderr, "socklab: flags: BPF reader not built into this socklab "
			"(built without clang or libbpf, or BPF=0); using pidfd_getfd only\n");
	return 0;
}

int inspect_bpf_read(int netns, struct sockflags_rec **out, size_t *n)
{
	(void)netns;
	*out = NULL;
	*n = 0;
	errno = EOPNOTSUPP;
	return -1;
}

const struct sockflags_rec *inspect_bpf_find(const struct sockflags_rec *v, size_t n,
					     unsigned long long cookie)
{
	(void)v;
	(void)n;
	(void)cookie;
	return NULL;
}
