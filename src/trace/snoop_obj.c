/* snoop_obj.c — the BPF object of socklab trace --all (snoop.bpf.c,
 * compiled by clang -target bpf) embedded as bytes (embed.h).  The
 * Makefile builds the object first and names it in SNOOP_OBJ; snoop.c
 * loads it from memory. */
#include "inspect/embed.h"

#ifndef SNOOP_OBJ
#error "SNOOP_OBJ: the path of the compiled snoop.bpf.o (see the Makefile)"
#endif

EMBED_FILE(trace_snoop_obj, SNOOP_OBJ);
