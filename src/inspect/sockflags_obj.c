/* sockflags_obj.c — the BPF object (sockflags.bpf.c, compiled by clang
 * -target bpf) embedded as bytes (embed.h).  The Makefile builds the object
 * first and names it in SOCKFLAGS_OBJ; bpf.c loads it from memory. */
#include "embed.h"

#ifndef SOCKFLAGS_OBJ
#error "SOCKFLAGS_OBJ: the path of the compiled sockflags.bpf.o (see the Makefile)"
#endif

EMBED_FILE(inspect_bpf_obj, SOCKFLAGS_OBJ);
