/* snoop.bpf.c — every bind, listen and connect of an IPv4 or IPv6 socket,
 * by any process of the host, with the socket's flags when the call
 * returned and its answer: socklab trace --all.
 *
 * Built with clang -target bpf into an object socklab embeds (snoop_obj.c);
 * snoop.c loads it.  CO-RE as sockflags.bpf.c: the few kernel fields used
 * are declared here by hand with preserve_access_index, and libbpf moves
 * each access to where this kernel's BTF puts it, so no vmlinux.h.
 *
 * Where: the system-call tracepoints (syscalls:sys_enter_bind and
 * sys_exit_bind, and the same for listen and connect).  They are on every
 * kernel with ftrace's syscall events, need no kprobes, and see the call
 * as the program made it: entry keeps the arguments (the address is read
 * from the program's memory then, while it is surely there), exit finds
 * the socket behind the descriptor and reads its flags and the answer.
 *
 * The socket behind fd: current task -> files -> fdt -> fd[fd] -> the file,
 * a socket when its inode's mode says S_IFSOCK, then file->private_data is
 * the struct socket and ->sk the sock.  Only AF_INET and AF_INET6 sockets
 * are told (a desktop's AF_UNIX connects would drown them).
 *
 * The flags.  SO_REUSEADDR and SO_REUSEPORT are bit fields of sock_common
 * on every kernel.  IP_FREEBIND and IP_BIND_ADDRESS_NO_PORT were bit fields
 * of inet_sock until Linux 6.6 moved them into its inet_flags word, bits
 * INET_FLAGS_FREEBIND (11) and INET_FLAGS_BIND_ADDRESS_NO_PORT (18) of an
 * anonymous enum, which CO-RE cannot look up by name: the old field is read
 * where it exists, else the bit.  snoop.c checks both against a bind of its
 * own before it trusts them, and says "?" where they do not match.
 *
 * Licence: the kernel lets only GPL-compatible programs call
 * bpf_probe_read_user and the ring buffer, so this file is dual BSD/GPL. */

#include "inspect/bpf_types.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "snoop.h"

/* from linux/bpf.h, whose includes want the build machine's asm/ */
#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_RINGBUF 27
#define BPF_ANY 0

#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 0170000
#define S_IFSOCK 0140000

/* INET_FLAGS_* of Linux 6.6 and later (include/net/inet_sock.h) */
#define INET_FLAGS_FREEBIND 11
#define INET_FLAGS_BIND_ADDRESS_NO_PORT 18

struct trace_event_raw_sys_enter {
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_exit {
	long id;
	long ret;
} __attribute__((preserve_access_index));

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct in6_addr {
	__u8 s6_addr[16];
};

struct sock_common {
	__be32 skc_rcv_saddr;
	__u16 skc_num;
	unsigned short skc_family;
	unsigned char skc_reuse:4;
	unsigned char skc_reuseport:1;
	unsigned char skc_ipv6only:1;
	possible_net_t skc_net;
	struct in6_addr skc_v6_rcv_saddr;
} __attribute__((preserve_access_index));

struct socket;

typedef struct {
	unsigned int val;
} kuid_t;

struct sock {
	struct sock_common __sk_common;
	struct socket *sk_socket;
	kuid_t sk_uid;			/* the socket's owner: SO_REUSEPORT's rule */
} __attribute__((preserve_access_index));

/* Linux 6.6 and later */
struct inet_sock {
	unsigned long inet_flags;
} __attribute__((preserve_access_index));

/* before: one bit field each (libbpf drops the ___old to match) */
struct inet_sock___old {
	__u8 freebind:1;
	__u8 bind_address_no_port:1;
} __attribute__((preserve_access_index));

struct socket {
	short type;
	struct sock *sk;
} __attribute__((preserve_access_index));

struct inode {
	unsigned short i_mode;
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
	void *private_data;
} __attribute__((preserve_access_index));

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
} __attribute__((preserve_access_index));

struct files_struct {
	struct fdtable *fdt;
} __attribute__((preserve_access_index));

struct task_struct {
	struct files_struct *files;
} __attribute__((preserve_access_index));

/* a call between its entry and its exit, by thread */
struct pending {
	int fd;
	int backlog;
	unsigned int addrlen;
	unsigned char call;
	unsigned char addr[28];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct pending);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* the events lost to a full ring buffer (snoop.c reads and says it) */
__u64 lost;

static __always_inline int enter(unsigned char call, int fd, const void *uaddr,
				 unsigned long addrlen, int backlog)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending p = { .call = call, .fd = fd, .backlog = backlog };

	if (uaddr) {
		p.addrlen = addrlen > sizeof p.addr ? sizeof p.addr : (unsigned int)addrlen;
		/* a fault leaves zeros: family 0, said as "an address not read" */
		if (bpf_probe_read_user(p.addr, p.addrlen & 31, uaddr) < 0)
			p.addrlen = 0;
	}
	if (bpf_map_update_elem(&pending, &id, &p, BPF_ANY) < 0)
		__sync_fetch_and_add(&lost, 1);	/* 10240 calls in flight at once */
	return 0;
}

/* The sock of the calling task's descriptor fd, when it is a socket. */
static __always_inline struct sock *sock_of(int fd, __u64 *ino)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;
	struct socket *so;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof file, &fds[fd]) < 0 || !file)
		return NULL;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	*ino = BPF_CORE_READ(file, f_inode, i_ino);
	so = BPF_CORE_READ(file, private_data);
	return so ? BPF_CORE_READ(so, sk) : NULL;
}

static __always_inline void flags(struct sock *sk, struct snoop_event *e)
{
	struct sock_common *skc = &sk->__sk_common;

	e->reuse = (__u8)BPF_CORE_READ_BITFIELD_PROBED(skc, skc_reuse);
	e->reuseport = (__u8)BPF_CORE_READ_BITFIELD_PROBED(skc, skc_reuseport);
	e->v6only = (__u8)BPF_CORE_READ_BITFIELD_PROBED(skc, skc_ipv6only);
	e->known = SNOOP_KNOWN_REUSE;
	if (bpf_core_field_exists(struct inet_sock___old, freebind)) {
		struct inet_sock___old *o = (void *)sk;

		e->freebind = (__u8)BPF_CORE_READ_BITFIELD_PROBED(o, freebind);
		e->bind_no_port = (__u8)BPF_CORE_READ_BITFIELD_PROBED(o, bind_address_no_port);
		e->known |= SNOOP_KNOWN_FREEBIND | SNOOP_KNOWN_NOPORT;
	} else if (bpf_core_field_exists(struct inet_sock, inet_flags)) {
		unsigned long f = BPF_CORE_READ((struct inet_sock *)sk, inet_flags);

		e->freebind = (f >> INET_FLAGS_FREEBIND) & 1;
		e->bind_no_port = (f >> INET_FLAGS_BIND_ADDRESS_NO_PORT) & 1;
		e->known |= SNOOP_KNOWN_FREEBIND | SNOOP_KNOWN_NOPORT;
	}
}

static __always_inline int leave(long ret)
{
	__u64 id = bpf_get_current_pid_tgid(), ino = 0;
	struct pending *p = bpf_map_lookup_elem(&pending, &id);
	struct snoop_event *e;
	struct sock *sk;
	unsigned short family;

	if (!p)
		return 0;
	sk = sock_of(p->fd, &ino);
	if (!sk)
		goto done;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		goto done;
	e = bpf_ringbuf_reserve(&events, sizeof *e, 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		goto done;
	}
	__builtin_memset(e, 0, sizeof *e);
	e->ino = ino;
	e->pid = (__u32)id;
	e->tgid = (__u32)(id >> 32);
	e->uid = BPF_CORE_READ(sk, sk_uid.val);
	e->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	e->ret = (int)ret;
	e->fd = p->fd;
	e->backlog = p->backlog;
	e->call = p->call;
	e->addrlen = p->addrlen;
	__builtin_memcpy(e->addr, p->addr, sizeof e->addr);
	e->family = (__u8)family;
	e->type = (__u8)BPF_CORE_READ(sk, sk_socket, type);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (family == AF_INET6)
		BPF_CORE_READ_INTO(&e->laddr, sk, __sk_common.skc_v6_rcv_saddr);
	else
		BPF_CORE_READ_INTO((__be32 *)e->laddr, sk, __sk_common.skc_rcv_saddr);
	flags(sk, e);
	bpf_get_current_comm(e->comm, sizeof e->comm);
	bpf_ringbuf_submit(e, 0);
done:
	bpf_map_delete_elem(&pending, &id);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_bind")
int snoop_enter_bind(struct trace_event_raw_sys_enter *ctx)
{
	return enter(SNOOP_BIND, (int)ctx->args[0], (const void *)ctx->args[1], ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int snoop_exit_bind(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_listen")
int snoop_enter_listen(struct trace_event_raw_sys_enter *ctx)
{
	return enter(SNOOP_LISTEN, (int)ctx->args[0], 0, 0, (int)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_listen")
int snoop_exit_listen(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_connect")
int snoop_enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	return enter(SNOOP_CONNECT, (int)ctx->args[0], (const void *)ctx->args[1], ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int snoop_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
