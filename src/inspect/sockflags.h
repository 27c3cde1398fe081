/* sockflags.h — the record the BPF socket iterators write, one per socket.
 *
 * Shared by the BPF program (sockflags.bpf.c, built with clang -target bpf,
 * no libc) and its reader (bpf.c): plain C types of fixed size only, laid
 * out without padding so both compilers agree.  Addresses and ports as
 * sock_common holds them, converted: ports in host byte order, an IPv4
 * address in the first 4 bytes of laddr/raddr. */
#ifndef SOCKLAB_SOCKFLAGS_H
#define SOCKLAB_SOCKFLAGS_H

/* which of the values below the program could read */
#define SOCKFLAGS_REUSE 1	/* reuseaddr and reuseport (sock_common: TIME_WAIT too) */
#define SOCKFLAGS_BCAST 2	/* broadcast (struct sock's sk_flags: full sockets only) */

struct sockflags_rec {
	unsigned long long cookie;	/* the socket cookie, as sock_diag's idiag_cookie */
	unsigned char laddr[16], raddr[16];
	unsigned short lport, rport;
	unsigned char family;		/* AF_INET, AF_INET6 */
	unsigned char proto;		/* IPPROTO_TCP, IPPROTO_UDP */
	unsigned char state;		/* skc_state (TCP_NEW_SYN_RECV for a request) */
	unsigned char known;		/* SOCKFLAGS_* */
	unsigned char reuse;		/* skc_reuse: SK_NO_REUSE 0, SK_CAN_REUSE 1, SK_FORCE_REUSE 2 */
	unsigned char reuseport;	/* skc_reuseport */
	unsigned char broadcast;	/* sock_flag(sk, SOCK_BROADCAST) */
	unsigned char pad;
	unsigned int uid;		/* the iterator's uid of the socket */
};

#endif
