/* inspect.h — kernel socket state as plain structs.
 *
 * The collector asks the kernel, the way ss(8) does, through a
 * NETLINK_SOCK_DIAG socket (inet_diag: TCP and UDP, IPv4 and IPv6).  A
 * netlink socket belongs to the network namespace it was created in, so to
 * inspect a lab's sandbox the socket must be opened inside it (the sandbox
 * hands one back to the runner).  Owners (pid, fd) come from /proc.
 *
 * Renderers draw a struct inspect_snap; nothing here prints. */
#ifndef SOCKLAB_INSPECT_H
#define SOCKLAB_INSPECT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

struct nlmsghdr;

struct inspect_sock {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t state;		/* kernel TCP_* state; UDP: TCP_CLOSE (unconnected) or TCP_ESTABLISHED (connected) */
	uint8_t v6only;		/* AF_INET6: IPV6_V6ONLY as sock_diag reports it; else 0 */
	uint16_t lport, rport;	/* host byte order */
	struct in6_addr laddr, raddr;	/* AF_INET: address in the first 4 bytes */
	uint32_t rqueue, wqueue;	/* bytes (recv-Q, send-Q as ss shows them) */
	uint32_t uid;		/* INSPECT_UID_UNKNOWN: the kernel did not say */
	uint32_t inode;		/* 0 for TIME_WAIT */
	uint64_t cookie;	/* idiag_cookie: the socket's cookie (SO_COOKIE), unique
				 * per boot; a TIME_WAIT row keeps its connection's */
	uint32_t ifindex;	/* SO_BINDTODEVICE as sock_diag reports it; 0 none */
	char ifname[16];	/* that interface's name in the namespace read;
				 * "" none, or gone by then */
	uint8_t timer;		/* idiag_timer: enum inspect_timer */
	uint32_t expires_ms;	/* time left on that timer */
	int pid;		/* owner, 0 when unknown */
	int fd;			/* owner's descriptor, -1 when unknown */
	char comm[16];		/* owner's command (/proc/PID/comm), "" unknown */
	/* read from the owner's descriptor by inspect_flags(): 1 set, 0 not
	 * set, -1 unknown (no owner, or no permission to look) */
	int8_t reuseaddr, reuseport, broadcast;
	/* 1: reuseaddr/reuseport were not read from this row but carried over
	 * by inspect_diff() from the same socket in the previous snapshot
	 * (see there); renderers say "inherited", never show them as read */
	uint8_t inherited;
	uint8_t mark;		/* inspect_diff(): INSPECT_NEW, INSPECT_CHANGED */
	char host[16];		/* the lab's host whose namespace the row was read
				 * in (runner_table); "" the namespace read first */
};

/* The state of a bound, not listening TCP socket: the kernel's
 * TCP_BOUND_INACTIVE pseudo-state (sock_diag, Linux 6.7), what a dump
 * that asks for it returns such sockets as.  inspect_state_name: "BOUND". */
#define INSPECT_STATE_BOUND_INACTIVE 13

/* idiag_timer as inet_diag fills it (inet_diag.c, inet_sk_diag_fill and
 * inet_twsk_diag_fill): which timer runs on the socket, expires_ms left. */
enum inspect_timer {
	INSPECT_TIMER_NONE = 0,
	INSPECT_TIMER_RETRANSMIT = 1,	/* also the SYN-ACK and loss probes */
	INSPECT_TIMER_KEEPALIVE = 2,
	INSPECT_TIMER_TIMEWAIT = 3,	/* a TIME-WAIT row: the kernel's, no owner */
	INSPECT_TIMER_PROBE = 4,	/* zero-window probe */
	INSPECT_TIMER_COUNT
};

/* A freed socket's uid: sock_diag's destroy notification reads it from
 * the socket's inode, gone by then, and says 0 (root) for everyone's. */
#define INSPECT_UID_UNKNOWN UINT32_MAX

#define INSPECT_NEW 1
#define INSPECT_CHANGED 2

struct inspect_snap {
	struct inspect_sock *v;
	size_t n, cap;
};

/* What to ask the kernel for.  The kernel filters (inet_diag bytecode,
 * as ss does), so a narrow query on a busy host stays cheap. */
#define INSPECT_TCP 1
#define INSPECT_UDP 2
#define INSPECT_V4 1
#define INSPECT_V6 2
struct inspect_filter {
	uint8_t protos;		/* INSPECT_TCP | INSPECT_UDP; 0 = both */
	uint8_t families;	/* INSPECT_V4 | INSPECT_V6; 0 = both */
	uint32_t states;	/* bit (1 << TCP_*) per state wanted; 0 = all,
				 * including TCP bound-inactive (as ss -B) */
	uint16_t port;		/* local or peer port; 0 = any */
};

/* A NETLINK_SOCK_DIAG socket in the caller's network namespace; -1 and errno.
 *
 * Replay (tests): with SOCKLAB_DIAG_REPLAY=FILE set, inspect_open() returns
 * FILE opened read-only and inspect_query() reads the recorded answers from
 * it in turn, never asking the kernel; with SOCKLAB_DIAG_RECORD=FILE every
 * answer is also appended there (format: docs/inspect.md). */
int inspect_open(void);

/* Dump every TCP and UDP socket, IPv4 and IPv6, all states, into *out
 * (which is emptied first).  Rows are sorted (proto, lport, family,
 * laddr, rport, raddr, inode) so two snapshots compare row by row.
 * Returns 0, or -1 with errno. */
int inspect_dump(int nl, struct inspect_snap *out);

/* The same, only the sockets filter f lets through (NULL: all). */
int inspect_query(int nl, const struct inspect_filter *f, struct inspect_snap *out);

/* Parse one SOCK_DIAG_BY_FAMILY reply message and append its socket.
 * proto is the protocol the request asked for (inet_diag_msg does not
 * carry it).  Returns 0, or -1 with errno = EBADMSG on a malformed message. */
int inspect_parse_msg(const struct nlmsghdr *nlh, uint8_t proto, struct inspect_snap *out);

/* Fill pid/fd/comm of the rows whose inode is open in one of pids[0..n);
 * with (NULL, 0), in any process of the machine, visiting the oldest and
 * the newest pids first (services and what the user just started).  Reads
 * /proc (or SOCKLAB_PROC_ROOT) and stops as soon as every row has its
 * owner.  Processes that vanish or cannot be read are skipped.  Returns 0,
 * or -1 with errno (proc root unreadable, ENOMEM, EINVAL). */
int inspect_owners(struct inspect_snap *snap, const pid_t *pids, size_t n);

/* Fill reuseaddr/reuseport/broadcast (1 set, 0 not, -1 unknown) of the
 * rows of a snapshot of the caller's network namespace.  Two readers:
 *  - as root (uid 0 of the initial user namespace), BPF socket iterators
 *    read every socket's SO_REUSEADDR/SO_REUSEPORT, TIME_WAIT and other
 *    users' included, and SO_BROADCAST of full sockets (a TIME_WAIT row's
 *    broadcast stays -1); rows are matched by cookie;
 *  - the rows still unknown that have an owner: by borrowing the owner's
 *    descriptor (pidfd_open + pidfd_getfd, which needs ptrace rights over
 *    the owner) and asking getsockopt.
 * SOCKLAB_FLAGS_READER=pidfd (or =bpf) keeps one reader only; a failed BPF
 * load is said once on stderr under SOCKLAB_DEBUG and is never an error.
 * Rows that cannot be read are left as they are (-1 from the dump); errno
 * then holds the last pidfd reason (EPERM, ESRCH, EBADF, ESTALE).  Returns
 * the number of rows whose reuse flags were read.  (docs/inspect.md) */
int inspect_flags(struct inspect_snap *snap);

/* The same for a snapshot taken through netlink socket nl, which may be of
 * another network namespace (a lab's sandbox): the BPF reader walks nl's
 * namespace (SIOCGSKNS, then setns there and back).  nl -1: ours. */
int inspect_flags_at(int nl, struct inspect_snap *snap);

/* Load the BPF reader now, if it will be used (root, built with it, not
 * SOCKLAB_FLAGS_READER=pidfd): its first load reads the kernel's BTF
 * (~60 ms here), which the dashboard pays at start rather than on the
 * first step's key.  Nothing happens when it cannot load. */
void inspect_flags_prepare(void);

/* 1 when this socklab was built with the BPF flags reader (bpf.c: clang
 * and libbpf were there, or BPF=1), 0 when without it (bpf_none.c: BPF=0,
 * or either missing).  Without it the flags come from the pidfd reader
 * alone, as with SOCKLAB_FLAGS_READER=pidfd: TIME_WAIT rows and other
 * users' sockets stay unknown even as root.  For --version and the tests. */
int inspect_bpf_built(void);

/* Mark cur's rows new or changed against prev (a row is the same socket
 * when host, protocol, family, addresses, ports and inode match) and copy the
 * rows of prev that are gone into *gone (emptied first).
 *
 * Inheritance: a row of cur with no file (inode 0: TIME_WAIT, or an
 * orphan after close) whose reuse flags are unknown takes reuseaddr and
 * reuseport from prev's row of the same socket (same cookie and
 * four-tuple: the ESTAB row before the close, or the same TIME_WAIT row),
 * if they were known there, and is marked inherited.  Sound because the
 * kernel copies skc_reuse/skc_reuseport into the TIME_WAIT socket when it
 * makes it (inet_twsk_alloc), and a socket without a file cannot be given
 * options; the one thing it cannot see is a setsockopt() between prev and
 * the close, which is why the row says inherited, not read.  broadcast is
 * not carried (a TIME_WAIT socket has none).
 *
 * Returns 0, or -1 with errno (ENOMEM). */
int inspect_diff(const struct inspect_snap *prev, struct inspect_snap *cur,
		 struct inspect_snap *gone);

/* Gone rows held on screen long enough for a person to read them.  Rows
 * come from inspect_diff()'s gone and from the kernel's destroy
 * notifications; one socket is held once (same cookie, or when it has
 * none, the same identity as inspect_diff() uses). */
struct inspect_held {
	struct inspect_snap rows;
	long long *drawn;	/* per row: when it was first drawn (ms), 0 not yet */
	size_t drawn_cap;
};

/* Hold row s (a copy, marked 0) unless that socket is held already.
 * Returns 0, or -1 with errno (ENOMEM). */
int inspect_held_add(struct inspect_held *h, const struct inspect_sock *s);

/* Before drawing at now_ms: let go of the rows whose socket is in cur
 * again (a TCP socket's TIME-WAIT successor keeps its cookie) and of
 * those drawn for hold_ms already; stamp the rest as drawn now. */
void inspect_held_update(struct inspect_held *h, const struct inspect_snap *cur,
			 long long now_ms, long hold_ms);

/* 1 when cur holds a row of the same socket as s. */
int inspect_snap_has(const struct inspect_snap *cur, const struct inspect_sock *s);

void inspect_held_free(struct inspect_held *h);

/* Sockets the kernel frees: a NETLINK_SOCK_DIAG socket joined to the
 * destroy groups (SKNLGRP_INET{,6}_{TCP,UDP}_DESTROY) of the caller's
 * network namespace, non-blocking.  Any user may join.  It catches a
 * socket however short its life, which a dump every interval cannot;
 * not a TIME-WAIT socket's expiry (no full socket: dumps see that).
 * Returns the descriptor, or -1 with errno (ENOTSUP under replay).
 * (docs/inspect.md) */
int inspect_destroyed_open(void);

/* Append the sockets fd reports destroyed since the last call, those
 * filter f (NULL: all) lets through by protocol, family and port, to
 * *out (not emptied).  Their state is the kernel's at the end (CLOSE),
 * their inode 0 (the file is gone), no owner.  Returns how many, or -1
 * with errno (ENOBUFS: the kernel dropped notifications). */
int inspect_destroyed_read(int fd, const struct inspect_filter *f, struct inspect_snap *out);

/* IP multicast group memberships, per interface, from /proc/net/igmp and
 * /proc/net/igmp6 of pid's network namespace (pid 0: our own; the proc
 * root follows SOCKLAB_PROC_ROOT).  IPv4 groups first, in file order; no
 * igmp6 means no IPv6 groups.  Returns 0, or -1 with errno (ENOENT pid
 * gone, EBADMSG, ENOMEM); *out is emptied first. */
struct inspect_group {
	char ifname[16];
	uint8_t family;
	struct in6_addr group;	/* AF_INET: first 4 bytes */
	unsigned users;
};
struct inspect_groups {
	struct inspect_group *v;
	size_t n, cap;
};
int inspect_igmp(pid_t pid, struct inspect_groups *out);
void inspect_groups_free(struct inspect_groups *g);

/* Append a copy of row to *out: 0, or -1 with errno (ENOMEM). */
int inspect_snap_push(struct inspect_snap *out, const struct inspect_sock *row);

void inspect_free(struct inspect_snap *snap);

/* "UDP", "TCP"; kernel state name as ss prints it ("UNCONN", "LISTEN", "ESTAB", "TIME-WAIT", ...). */
const char *inspect_proto_name(uint8_t proto);
const char *inspect_state_name(uint8_t proto, uint8_t state);
/* --state's names (ss's, lower case, and the aliases people type:
 * "estab", "unconn", "bound"): the TCP_* state of a name, any case, or -1;
 * the i-th name, NULL past the last (for the shell completions). */
int inspect_state_by_name(const char *name);
const char *inspect_state_name_at(size_t i);
/* The UID cell of s: its number, or "?" when unknown; returns buf. */
const char *inspect_uid_text(const struct inspect_sock *s, char *buf, size_t len);

/* "127.0.0.1:5000", "[::1]:5000", "*:5000", "0.0.0.0:*"-style as ss prints them.
 * The IPv6 wildcard comes out as "*", as ss shows a dual-stack socket. */
void inspect_format_addr(char *buf, size_t len, uint8_t family,
			 const struct in6_addr *addr, uint16_t port);

/* The row's local (peer == 0) or peer address exactly as ss prints it: like
 * inspect_format_addr, but a v6only socket's wildcard is "[::]". */
void inspect_format_sock(char *buf, size_t len, const struct inspect_sock *s, int peer);

#endif
