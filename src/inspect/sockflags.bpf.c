/* sockflags.bpf.c — every TCP and UDP socket's reuse flags, read by BPF
 * socket iterators (iter/tcp, iter/udp) in the network namespace of the
 * process that creates the iterator.
 *
 * Built with clang -target bpf into an object that socklab embeds; bpf.c
 * loads it.  CO-RE: the few kernel fields used are declared here by hand
 * with preserve_access_index, and libbpf moves each access to where this
 * kernel's BTF (/sys/kernel/btf/vmlinux) puts the field, so no vmlinux.h.
 *
 * Each socket becomes one struct sockflags_rec (sockflags.h) written to the
 * iterator's file.  skc_reuse and skc_reuseport are in sock_common, which a
 * TIME_WAIT socket has too (inet_twsk_alloc copies them from the
 * connection); SO_BROADCAST is a bit of struct sock's sk_flags, which only a
 * full socket has.  A TCP request socket (SYN_RECV) has neither: known 0.
 *
 * Licence: the kernel lets only GPL-compatible programs call
 * bpf_seq_write, so this one file is dual BSD/GPL. */

#include "bpf_types.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "sockflags.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TCP_TIME_WAIT 6
#define TCP_NEW_SYN_RECV 12

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct in6_addr {
	__u8 s6_addr[16];
};

/* The kernel's has more, in anonymous unions; libbpf finds each name. */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse:4;
	unsigned char skc_reuseport:1;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	unsigned long skc_flags;	/* struct sock's sk_flags; in a union with
					 * what TIME_WAIT and request sockets keep */
} __attribute__((preserve_access_index));

/* a full socket begins with its sock_common */
struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

/* the value of SOCK_BROADCAST is this kernel's (relocated too) */
enum sock_flags {
	SOCK_BROADCAST = 6,
};

struct tcp_sock;
struct udp_sock;

struct bpf_iter__tcp {
	struct bpf_iter_meta *meta;
	struct sock_common *sk_common;
	__u32 uid;
} __attribute__((preserve_access_index));

struct bpf_iter__udp {
	struct bpf_iter_meta *meta;
	struct udp_sock *udp_sk;
	__u32 uid;
} __attribute__((preserve_access_index));

static __always_inline __u16 ntoh16(__be16 v)
{
	return (__u16)((v >> 8) | (v << 8));
}

/* Identity and reuse flags, from sock_common. */
static __always_inline void common(struct sock_common *skc, struct sockflags_rec *r)
{
	r->family = (__u8)skc->skc_family;
	r->state = skc->skc_state;
	r->lport = skc->skc_num;
	r->rport = ntoh16(skc->skc_dport);
	if (r->family == AF_INET6) {
		BPF_CORE_READ_INTO(&r->laddr, skc, skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r->raddr, skc, skc_v6_daddr);
	} else {
		*(__be32 *)r->laddr = skc->skc_rcv_saddr;
		*(__be32 *)r->raddr = skc->skc_daddr;
	}
	if (r->state == TCP_NEW_SYN_RECV)
		return;
	r->reuse = (__u8)BPF_CORE_READ_BITFIELD(skc, skc_reuse);
	r->reuseport = (__u8)BPF_CORE_READ_BITFIELD(skc, skc_reuseport);
	r->known |= SOCKFLAGS_REUSE;
}

/* Only for a full socket: sock_flag(sk, SOCK_BROADCAST). */
static __always_inline void broadcast(struct sock_common *skc, struct sockflags_rec *r)
{
	unsigned long bit = bpf_core_enum_value(enum sock_flags, SOCK_BROADCAST);

	r->broadcast = (skc->skc_flags >> bit) & 1;
	r->known |= SOCKFLAGS_BCAST;
}

SEC("iter/tcp")
int sockflags_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct sockflags_rec r = { 0 };
	struct tcp_sock *tp;

	if (!skc)
		return 0;
	r.proto = IPPROTO_TCP;
	r.uid = ctx->uid;
	r.cookie = bpf_get_socket_cookie(skc);
	common(skc, &r);
	/* NULL for TIME_WAIT and request sockets, which have no sk_flags */
	tp = bpf_skc_to_tcp_sock(skc);
	if (tp)
		broadcast(skc, &r);
	bpf_seq_write(ctx->meta->seq, &r, sizeof r);
	return 0;
}

SEC("iter/udp")
int sockflags_udp(struct bpf_iter__udp *ctx)
{
	struct sock *sk = (struct sock *)ctx->udp_sk;
	struct sockflags_rec r = { 0 };

	if (!sk)
		return 0;
	r.proto = IPPROTO_UDP;
	r.uid = ctx->uid;
	r.cookie = bpf_get_socket_cookie(sk);
	common(&sk->__sk_common, &r);
	broadcast(&sk->__sk_common, &r);
	bpf_seq_write(ctx->meta->seq, &r, sizeof r);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
