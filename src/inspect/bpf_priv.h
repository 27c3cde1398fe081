/* bpf_priv.h — the BPF socket-iterator reader (bpf.c), for flags.c and
 * --version's probe (version.c); not API.
 *
 * inspect_bpf_read() runs the iterators of sockflags.bpf.c once and hands
 * back one record per TCP and UDP socket of a network namespace, sorted by
 * cookie, so flags.c can match sock_diag rows (idiag_cookie) to them.
 *
 * The object is embedded in socklab (sockflags_obj.c) and loaded from
 * memory on first use, once per process; the loaded programs stay attached
 * until exit, and every read makes a fresh iterator (an iterator's file
 * is read once).  Loading needs root (CAP_BPF and CAP_PERFMON, or
 * CAP_SYS_ADMIN, in the initial user namespace): inspect_bpf_usable() is
 * false without it, and then nothing is tried, so a normal user sees no
 * noise.  When loading fails the reason is kept (errno) and said once on
 * stderr under SOCKLAB_DEBUG.
 *
 * Built without the reader (make BPF=0, or no clang or libbpf), bpf_none.c
 * provides the same functions: never usable, every read fails with
 * EOPNOTSUPP, and SOCKLAB_DEBUG says once that it was not built. */
#ifndef SOCKLAB_BPF_PRIV_H
#define SOCKLAB_BPF_PRIV_H

#include <stddef.h>

#include "sockflags.h"

/* 1 when a BPF read may be tried: effective uid 0 in the initial user
 * namespace, and no earlier load failed. */
int inspect_bpf_usable(void);

/* Every socket of the network namespace netns (an fd of /proc/PID/ns/net,
 * or -1: ours) into *out (malloc'd, sorted by cookie; the caller frees),
 * *n records.  The iterators are created inside that namespace (setns
 * there and back) because an iterator walks the namespace of its creator.
 * Returns 0, or -1 with errno (the load's reason, EPERM, ENOMEM...). */
int inspect_bpf_read(int netns, struct sockflags_rec **out, size_t *n);

/* The record of cookie in v[0..n), or NULL. */
const struct sockflags_rec *inspect_bpf_find(const struct sockflags_rec *v, size_t n,
					     unsigned long long cookie);

/* 1 when SOCKLAB_DEBUG is set: say why a reader was not used (flags.c,
 * so that it is there with bpf.c or bpf_none.c alike). */
int inspect_debug(void);

#endif
