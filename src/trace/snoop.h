/* snoop.h — the record the --all BPF program (snoop.bpf.c) writes for
 * each bind, listen and connect of an IPv4 or IPv6 socket, by any process.
 *
 * Shared by the BPF program (clang -target bpf, no libc) and its reader
 * (snoop.c): fixed-size plain C types, laid out without padding so both
 * compilers agree.  The flags are the socket's as the kernel held them
 * when the call returned; `known` says which could be read on this kernel
 * (a flag not known is said "?", never guessed). */
#ifndef SOCKLAB_SNOOP_H
#define SOCKLAB_SNOOP_H

/* call */
#define SNOOP_BIND 1
#define SNOOP_LISTEN 2
#define SNOOP_CONNECT 3

/* known: which of the flags below the program could read */
#define SNOOP_KNOWN_REUSE 1		/* reuse, reuseport (sock_common) */
#define SNOOP_KNOWN_FREEBIND 2		/* freebind (inet_sock) */
#define SNOOP_KNOWN_NOPORT 4		/* bind_no_port (inet_sock) */

struct snoop_event {
	unsigned long long ino;		/* the socket's inode: ss's "ino", our rows' */
	unsigned int pid, tgid;		/* thread and process */
	unsigned int uid;		/* the socket's owner (sk_uid) */
	unsigned int netns;		/* the inode of its network namespace */
	int ret;			/* the call's answer: 0, or -errno */
	int fd;
	int backlog;			/* listen's */
	unsigned int addrlen;		/* of addr, as the program passed it (<= 28 read) */
	unsigned char addr[28];		/* bind/connect's sockaddr, as passed */
	unsigned char laddr[16];	/* the local address after the call */
	unsigned short lport;		/* the local port after the call (0: none) */
	unsigned char call;		/* SNOOP_* */
	unsigned char family;		/* AF_INET, AF_INET6 */
	unsigned char type;		/* SOCK_STREAM, SOCK_DGRAM, ... */
	unsigned char known;		/* SNOOP_KNOWN_* */
	unsigned char reuse;		/* SO_REUSEADDR: skc_reuse (0 no, 1 yes, 2 forced) */
	unsigned char reuseport;	/* SO_REUSEPORT */
	unsigned char freebind;		/* IP_FREEBIND */
	unsigned char bind_no_port;	/* IP_BIND_ADDRESS_NO_PORT */
	unsigned char v6only;		/* IPV6_V6ONLY (skc_ipv6only) */
	unsigned char pad;
	char comm[16];
};

#endif
