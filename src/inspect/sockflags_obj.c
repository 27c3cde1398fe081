/* sockflags_obj.c — the BPF object (sockflags.bpf.c, compiled by clang
 * -target bpf) embedded as bytes, so an installed socklab needs no file.
 * The Makefile builds the object first and names it in SOCKFLAGS_OBJ;
 * bpf.c loads it from memory.  8-aligned: libbpf reads it as an ELF image. */
#ifndef SOCKFLAGS_OBJ
#error "SOCKFLAGS_OBJ: the path of the compiled sockflags.bpf.o (see the Makefile)"
#endif

__asm__(".section .rodata\n"
	".balign 8\n"
	".globl inspect_bpf_obj\n"
	".type inspect_bpf_obj, @object\n"
	"inspect_bpf_obj:\n"
	".incbin \"" SOCKFLAGS_OBJ "\"\n"
	".globl inspect_bpf_obj_end\n"
	".type inspect_bpf_obj_end, @object\n"
	"inspect_bpf_obj_end:\n"
	".previous\n");
