/* embed.h — a file of the build as bytes in socklab's .rodata, so an
 * installed socklab needs no file beside it (the BPF objects).
 *
 * EMBED_FILE(sym, path) at file scope defines sym[] and sym_end[]: the
 * bytes of path (a string literal the Makefile passes, -DNAME='"..."')
 * and the end of them.  8-aligned: libbpf reads the bytes as an ELF image. */
#ifndef SOCKLAB_EMBED_H
#define SOCKLAB_EMBED_H

#define EMBED_FILE(sym, path)                  \
	__asm__(".section .rodata\n"           \
		".balign 8\n"                  \
		".globl " #sym "\n"            \
		".type " #sym ", @object\n"    \
		#sym ":\n"                     \
		".incbin \"" path "\"\n"       \
		".globl " #sym "_end\n"        \
		".type " #sym "_end, @object\n" \
		#sym "_end:\n"                 \
		".previous\n")

#endif
