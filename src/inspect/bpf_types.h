/* bpf_types.h — the kernel's fixed-size type names, for a BPF program
 * (*.bpf.c) built without the kernel's headers: libbpf's bpf_helpers.h
 * and bpf_core_read.h need them, and <linux/types.h> would pull in the
 * build machine's asm/ headers, which clang -target bpf does not find. */
#ifndef SOCKLAB_BPF_TYPES_H
#define SOCKLAB_BPF_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#endif
