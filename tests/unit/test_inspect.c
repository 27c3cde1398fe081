/* test_inspect.c — inspector unit tests: netlink parsing, names, owners. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "inspect/inspect.h"

/* States glibc's <netinet/tcp.h> enum would give; kept literal so the test
 * states the kernel ABI it relies on. */
enum { ST_ESTAB = 1, ST_TIME_WAIT = 6, ST_CLOSE = 7, ST_LISTEN = 10, ST_BOUND = 13 };

static _Alignas(struct nlmsghdr) char msgbuf[4096];

/* A SOCK_DIAG_BY_FAMILY reply as the kernel would send it. */
static int msg_v6only = 1;	/* INET_DIAG_SKV6ONLY of the next message */

static struct nlmsghdr *diag_msg(uint8_t family, uint8_t state,
				 const char *src, uint16_t sport,
				 const char *dst, uint16_t dport,
				 uint32_t rq, uint32_t wq, uint32_t inode)
{
	struct nlmsghdr *nlh;
	struct inet_diag_msg *r;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->idiag_family = family;
	r->idiag_state = state;
	r->id.idiag_sport = htons(sport);
	r->id.idiag_dport = htons(dport);
	assert_int_equal(inet_pton(family, src, r->id.idiag_src), 1);
	assert_int_equal(inet_pton(family, dst, r->id.idiag_dst), 1);
	r->idiag_rqueue = rq;
	r->idiag_wqueue = wq;
	r->idiag_uid = 1000;
	r->idiag_inode = inode;
	if (family == AF_INET6)	/* the kernel adds this for full sockets */
		mnl_attr_put_u8(nlh, INET_DIAG_SKV6ONLY, (uint8_t)msg_v6only);
	return nlh;
}

static void addr_is(uint8_t family, const struct in6_addr *a, const char *want)
{
	struct in6_addr w = IN6ADDR_ANY_INIT;

	assert_int_equal(inet_pton(family, want, &w), 1);
	assert_memory_equal(a, &w, sizeof(w));	/* AF_INET: tail stays zero */
}

static void parse_udp4_unconnected(void **state)
{
	struct inspect_snap snap = { 0 };
	struct inspect_sock *s;

	(void)state;
	assert_int_equal(inspect_parse_msg(diag_msg(AF_INET, ST_CLOSE,
			 "127.0.0.1", 5000, "0.0.0.0", 0, 832, 0, 4242),
			 IPPROTO_UDP, &snap), 0);
	assert_int_equal(snap.n, 1);
	s = &snap.v[0];
	assert_int_equal(s->family, AF_INET);
	assert_int_equal(s->proto, IPPROTO_UDP);
	assert_int_equal(s->state, ST_CLOSE);
	assert_int_equal(s->lport, 5000);
	assert_int_equal(s->rport, 0);
	addr_is(AF_INET, &s->laddr, "127.0.0.1");
	addr_is(AF_INET, &s->raddr, "0.0.0.0");
	assert_int_equal(s->rqueue, 832);
	assert_int_equal(s->wqueue, 0);
	assert_int_equal(s->uid, 1000);
	assert_int_equal(s->inode, 4242);
	assert_int_equal(s->v6only, 0);
	assert_int_equal(s->pid, 0);
	assert_int_equal(s->fd, -1);
	assert_string_equal(inspect_state_name(s->proto, s->state), "UNCONN");
	inspect_free(&snap);
	assert_null(snap.v);
	assert_int_equal(snap.n, 0);
}

static void parse_tcp6_listen(void **state)
{
	struct inspect_snap snap = { 0 };
	struct inspect_sock *s;

	(void)state;
	assert_int_equal(inspect_parse_msg(diag_msg(AF_INET6, ST_LISTEN,
			 "::1", 6000, "::", 0, 3, 128, 77),
			 IPPROTO_TCP, &snap), 0);
	assert_int_equal(snap.n, 1);
	s = &snap.v[0];
	assert_int_equal(s->family, AF_INET6);
	assert_int_equal(s->proto, IPPROTO_TCP);
	assert_string_equal(inspect_state_name(s->proto, s->state), "LISTEN");
	assert_int_equal(s->lport, 6000);
	addr_is(AF_INET6, &s->laddr, "::1");
	addr_is(AF_INET6, &s->raddr, "::");
	assert_int_equal(s->rqueue, 3);		/* accept backlog, as ss */
	assert_int_equal(s->wqueue, 128);	/* max backlog */
	assert_int_equal(s->fd, -1);
	assert_int_equal(s->v6only, 1);

	msg_v6only = 0;
	assert_int_equal(inspect_parse_msg(diag_msg(AF_INET6, ST_LISTEN,
			 "::", 6001, "::", 0, 0, 128, 78),
			 IPPROTO_TCP, &snap), 0);
	msg_v6only = 1;
	assert_int_equal(snap.n, 2);
	assert_int_equal(snap.v[1].v6only, 0);
	inspect_free(&snap);
}

/* The kernel reports bound-inactive TCP sockets with TCP_CLOSE. */
static void parse_tcp_bound_inactive(void **state)
{
	struct inspect_snap snap = { 0 };

	(void)state;
	assert_int_equal(inspect_parse_msg(diag_msg(AF_INET, ST_CLOSE,
			 "127.0.0.1", 6001, "0.0.0.0", 0, 0, 0, 5),
			 IPPROTO_TCP, &snap), 0);
	assert_int_equal(snap.v[0].state, ST_BOUND);
	assert_string_equal(inspect_state_name(IPPROTO_TCP, snap.v[0].state), "BOUND");
	inspect_free(&snap);
}

static void parse_rejects_malformed(void **state)
{
	struct inspect_snap snap = { 0 };
	struct nlmsghdr *nlh;

	(void)state;
	/* Too short for an inet_diag_msg. */
	nlh = diag_msg(AF_INET, ST_CLOSE, "127.0.0.1", 1, "0.0.0.0", 0, 0, 0, 1);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_msg) - 1);
	errno = 0;
	assert_int_equal(inspect_parse_msg(nlh, IPPROTO_UDP, &snap), -1);
	assert_int_equal(errno, EBADMSG);

	/* Header only. */
	nlh->nlmsg_len = sizeof(*nlh);
	errno = 0;
	assert_int_equal(inspect_parse_msg(nlh, IPPROTO_UDP, &snap), -1);
	assert_int_equal(errno, EBADMSG);

	/* Not a sock_diag reply. */
	nlh = diag_msg(AF_INET, ST_CLOSE, "127.0.0.1", 1, "0.0.0.0", 0, 0, 0, 1);
	nlh->nlmsg_type = NLMSG_DONE;
	errno = 0;
	assert_int_equal(inspect_parse_msg(nlh, IPPROTO_UDP, &snap), -1);
	assert_int_equal(errno, EBADMSG);

	/* Unknown family. */
	nlh = diag_msg(AF_INET, ST_CLOSE, "127.0.0.1", 1, "0.0.0.0", 0, 0, 0, 1);
	((struct inet_diag_msg *)mnl_nlmsg_get_payload(nlh))->idiag_family = AF_UNIX;
	errno = 0;
	assert_int_equal(inspect_parse_msg(nlh, IPPROTO_UDP, &snap), -1);
	assert_int_equal(errno, EBADMSG);

	assert_int_equal(snap.n, 0);
	inspect_free(&snap);
}

static void parse_grows(void **state)
{
	struct inspect_snap snap = { 0 };
	uint32_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(inspect_parse_msg(diag_msg(AF_INET, ST_ESTAB,
				 "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, i + 1),
				 IPPROTO_TCP, &snap), 0);
	assert_int_equal(snap.n, 1000);
	assert_true(snap.cap >= 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(snap.v[i].inode, i + 1);
	inspect_free(&snap);
	inspect_free(&snap);	/* idempotent */
}

static void state_names(void **state)
{
	(void)state;
	assert_string_equal(inspect_proto_name(IPPROTO_TCP), "TCP");
	assert_string_equal(inspect_proto_name(IPPROTO_UDP), "UDP");
	assert_string_equal(inspect_state_name(IPPROTO_UDP, ST_CLOSE), "UNCONN");
	assert_string_equal(inspect_state_name(IPPROTO_UDP, ST_ESTAB), "ESTAB");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, ST_ESTAB), "ESTAB");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 2), "SYN-SENT");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 3), "SYN-RECV");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 4), "FIN-WAIT-1");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 5), "FIN-WAIT-2");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, ST_TIME_WAIT), "TIME-WAIT");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, ST_CLOSE), "CLOSE");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 8), "CLOSE-WAIT");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 9), "LAST-ACK");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, ST_LISTEN), "LISTEN");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 11), "CLOSING");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, ST_BOUND), "BOUND");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 0), "UNKNOWN");
	assert_string_equal(inspect_state_name(IPPROTO_TCP, 255), "UNKNOWN");
	assert_string_equal(inspect_state_name(IPPROTO_UDP, ST_LISTEN), "UNKNOWN");
}

static const char *fmt(uint8_t family, const char *addr, uint16_t port)
{
	static char buf[64];
	struct in6_addr a = IN6ADDR_ANY_INIT;

	assert_int_equal(inet_pton(family, addr, &a), 1);
	inspect_format_addr(buf, sizeof(buf), family, &a, port);
	return buf;
}

/* Expected strings are what ss -tuan (iproute2 6.1) printed for such sockets. */
static void format_addr(void **state)
{
	struct in6_addr a = IN6ADDR_LOOPBACK_INIT;
	char small[6];

	(void)state;
	assert_string_equal(fmt(AF_INET, "127.0.0.1", 5000), "127.0.0.1:5000");
	assert_string_equal(fmt(AF_INET, "0.0.0.0", 5000), "0.0.0.0:5000");
	assert_string_equal(fmt(AF_INET, "0.0.0.0", 0), "0.0.0.0:*");
	assert_string_equal(fmt(AF_INET6, "::1", 5000), "[::1]:5000");
	assert_string_equal(fmt(AF_INET6, "::", 5000), "*:5000");	/* dual-stack */
	assert_string_equal(fmt(AF_INET6, "::", 0), "*:*");
	assert_string_equal(fmt(AF_INET6, "::ffff:127.0.0.1", 5001),
			    "[::ffff:127.0.0.1]:5001");
	assert_string_equal(fmt(AF_INET6, "fe80::1", 65535), "[fe80::1]:65535");

	inspect_format_addr(small, sizeof(small), AF_INET6, &a, 5000);
	assert_string_equal(small, "[::1]");	/* truncated, terminated */
}

static void format_sock(void **state)
{
	struct inspect_sock s = { .family = AF_INET6, .lport = 5000, .fd = -1 };
	char buf[64];

	(void)state;
	/* dual-stack [::]:5000 */
	inspect_format_sock(buf, sizeof(buf), &s, 0);
	assert_string_equal(buf, "*:5000");
	inspect_format_sock(buf, sizeof(buf), &s, 1);
	assert_string_equal(buf, "*:*");
	/* v6only [::]:5000 and [::1]:5000 (the kernel sets v6only on the latter) */
	s.v6only = 1;
	inspect_format_sock(buf, sizeof(buf), &s, 0);
	assert_string_equal(buf, "[::]:5000");
	inspect_format_sock(buf, sizeof(buf), &s, 1);
	assert_string_equal(buf, "[::]:*");
	s.laddr = in6addr_loopback;
	inspect_format_sock(buf, sizeof(buf), &s, 0);
	assert_string_equal(buf, "[::1]:5000");
	/* IPv4 ignores it */
	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.rport = 53;
	inspect_format_sock(buf, sizeof(buf), &s, 1);
	assert_string_equal(buf, "0.0.0.0:53");
}

/* --- owners against a fake /proc --- */

static char proc_root[PATH_MAX];

static void mkfd(int pid, int fd, const char *target)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%d", proc_root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/fd", proc_root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/fd/%d", proc_root, pid, fd);
	assert_int_equal(symlink(target, path), 0);
}

static void mkcomm(int pid, const char *comm)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/comm", proc_root, pid);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(comm, f);
	fclose(f);
}

static int proc_setup(void **state)
{
	char path[PATH_MAX + 32];
	FILE *f;

	(void)state;
	snprintf(proc_root, sizeof(proc_root), "%s/socklab-proc-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(proc_root))
		return -1;
	mkfd(100, 0, "/dev/null");
	mkfd(100, 3, "socket:[1234]");
	mkfd(100, 4, "pipe:[1234]");
	mkfd(100, 5, "socket:[99]");
	mkfd(200, 7, "socket:[1234]");	/* same socket shared after fork */
	mkfd(300, 0, "socket:[555]");
	mkfd(300, 1, "socket:[12x]");
	mkfd(300, 2, "socket:[]");
	mkfd(300, 4, "socket:[99999999999]");	/* past uint32 */
	mkcomm(100, "holder\n");
	mkcomm(300, "a-command-name-too-long\n");	/* the kernel caps at 15 */
	/* pid 200 has no comm (exited between the two reads): "". */
	/* pid 500: fd is a file, so opening it as a directory fails. */
	snprintf(path, sizeof(path), "%s/500", proc_root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/500/fd", proc_root);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fclose(f);
	return setenv("SOCKLAB_PROC_ROOT", proc_root, 1);
}

static int proc_teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	unsetenv("SOCKLAB_PROC_ROOT");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", proc_root);
	return system(cmd) == 0 ? 0 : -1;
}

static void snap_of(struct inspect_snap *snap, const uint32_t *inodes, size_t n)
{
	size_t i;

	snap->v = calloc(n, sizeof(*snap->v));
	assert_non_null(snap->v);
	snap->n = snap->cap = n;
	for (i = 0; i < n; i++) {
		snap->v[i].inode = inodes[i];
		snap->v[i].fd = -1;
	}
}

static void owners_fake_proc(void **state)
{
	static const uint32_t inodes[] = { 1234, 555, 0, 777 };
	static const pid_t pids[] = { 400, 100, 200, 300 };	/* 400 is gone */
	struct inspect_snap snap;

	(void)state;
	snap_of(&snap, inodes, 4);
	assert_int_equal(inspect_owners(&snap, pids, 4), 0);
	assert_int_equal(snap.v[0].pid, 100);	/* first pid listed wins */
	assert_int_equal(snap.v[0].fd, 3);
	assert_int_equal(snap.v[1].pid, 300);
	assert_int_equal(snap.v[1].fd, 0);
	assert_int_equal(snap.v[2].pid, 0);	/* TIME_WAIT: no inode */
	assert_int_equal(snap.v[2].fd, -1);
	assert_int_equal(snap.v[3].pid, 0);	/* nobody holds it */
	assert_int_equal(snap.v[3].fd, -1);
	assert_string_equal(snap.v[0].comm, "holder");
	assert_string_equal(snap.v[1].comm, "a-command-name-");	/* 15 */
	assert_string_equal(snap.v[2].comm, "");
	assert_string_equal(snap.v[3].comm, "");
	inspect_free(&snap);
}

/* Rows that already have an owner are left alone; a pid without comm
 * gives an owner with an empty command. */
static void owners_keeps_known(void **state)
{
	static const uint32_t inodes[] = { 1234, 99 };
	static const pid_t pids[] = { 200, 100 };
	struct inspect_snap snap;

	(void)state;
	snap_of(&snap, inodes, 2);
	snap.v[1].pid = 42;
	snap.v[1].fd = 9;
	assert_int_equal(inspect_owners(&snap, pids, 2), 0);
	assert_int_equal(snap.v[0].pid, 200);
	assert_int_equal(snap.v[0].fd, 7);
	assert_string_equal(snap.v[0].comm, "");
	assert_int_equal(snap.v[1].pid, 42);
	assert_int_equal(snap.v[1].fd, 9);
	inspect_free(&snap);
}

/* Two rows naming one socket both get its owner. */
static void owners_same_inode_twice(void **state)
{
	static const uint32_t inodes[] = { 555, 555 };
	static const pid_t pids[] = { 300 };
	struct inspect_snap snap;

	(void)state;
	snap_of(&snap, inodes, 2);
	assert_int_equal(inspect_owners(&snap, pids, 1), 0);
	assert_int_equal(snap.v[0].pid, 300);
	assert_int_equal(snap.v[1].pid, 300);
	assert_int_equal(snap.v[1].fd, 0);
	inspect_free(&snap);
}

/* pids == NULL: every numeric entry of the proc root, others ignored. */
static void owners_host_wide(void **state)
{
	static const uint32_t inodes[] = { 1234, 555, 0, 777, 99 };
	char path[PATH_MAX + 32];
	struct inspect_snap snap;

	(void)state;
	/* pid 500 is an error on purpose (owners_errors); a real /proc has
	 * nothing like it, so leave it out of the host-wide scan. */
	snprintf(path, sizeof(path), "%s/500/fd", proc_root);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/self", proc_root);
	assert_int_equal(symlink("100", path), 0);
	snprintf(path, sizeof(path), "%s/net", proc_root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/12ab", proc_root);
	assert_int_equal(mkdir(path, 0755), 0);

	snap_of(&snap, inodes, 5);
	assert_int_equal(inspect_owners(&snap, NULL, 0), 0);
	/* Shared after fork: the first found, the oldest pid here. */
	assert_int_equal(snap.v[0].pid, 100);
	assert_int_equal(snap.v[0].fd, 3);
	assert_string_equal(snap.v[0].comm, "holder");
	assert_int_equal(snap.v[1].pid, 300);
	assert_int_equal(snap.v[1].fd, 0);
	assert_string_equal(snap.v[1].comm, "a-command-name-");
	assert_int_equal(snap.v[2].pid, 0);
	assert_int_equal(snap.v[3].pid, 0);
	assert_int_equal(snap.v[3].fd, -1);
	assert_int_equal(snap.v[4].pid, 100);
	assert_int_equal(snap.v[4].fd, 5);
	assert_string_equal(snap.v[4].comm, "holder");
	inspect_free(&snap);
}

/* Host-wide, pids are visited from both ends, oldest first (100, 500,
 * 200, 300 here), and the scan stops once every row has its owner: the
 * broken pid 500 is never read when pid 100 owns them all. */
static void owners_host_wide_stops(void **state)
{
	static const uint32_t in_first[] = { 99, 1234 };
	static const uint32_t in_last[] = { 555 };
	struct inspect_snap snap;

	(void)state;
	snap_of(&snap, in_first, 2);
	assert_int_equal(inspect_owners(&snap, NULL, 0), 0);
	assert_int_equal(snap.v[0].pid, 100);
	assert_int_equal(snap.v[1].pid, 100);
	inspect_free(&snap);

	snap_of(&snap, in_last, 1);
	errno = 0;
	assert_int_equal(inspect_owners(&snap, NULL, 0), -1);
	assert_int_equal(errno, ENOTDIR);
	inspect_free(&snap);
}

static void owners_bad_root(void **state)
{
	static const uint32_t inodes[] = { 1234 };
	static const uint32_t none[] = { 0 };
	char path[PATH_MAX + 32];
	struct inspect_snap snap;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing", proc_root);
	assert_int_equal(setenv("SOCKLAB_PROC_ROOT", path, 1), 0);
	snap_of(&snap, inodes, 1);
	errno = 0;
	assert_int_equal(inspect_owners(&snap, NULL, 0), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(inspect_owners(&snap, (const pid_t[]){ 100 }, 1), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(snap.v[0].pid, 0);
	inspect_free(&snap);

	/* Nothing to look for: nothing is read. */
	snap_of(&snap, none, 1);
	assert_int_equal(inspect_owners(&snap, NULL, 0), 0);
	inspect_free(&snap);

	errno = 0;
	assert_int_equal(inspect_owners(NULL, NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
}

/* Another user's fd directory (EACCES) is skipped, not an error.  Root
 * reads everything, so as root a child drops to nobody first.  The child
 * answers with its exit status: 0 as expected, else the failed check. */
static int unreadable_child(void)
{
	static const uint32_t inodes[] = { 1234, 555 };
	static const pid_t pids[] = { 300, 100 };
	struct inspect_snap snap;

	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		return 10;
	snap.v = calloc(2, sizeof(*snap.v));
	if (!snap.v)
		return 11;
	snap.n = snap.cap = 2;
	snap.v[0].inode = inodes[0];
	snap.v[1].inode = inodes[1];
	if (inspect_owners(&snap, pids, 2) < 0)
		return 12;
	if (snap.v[0].pid != 100 || snap.v[0].fd != 3 || snap.v[1].pid != 0)
		return 13;
	snap.v[0].pid = 0;
	if (inspect_owners(&snap, NULL, 0) < 0)
		return 14;
	if (snap.v[0].pid == 0 || snap.v[1].pid != 0)
		return 15;
	free(snap.v);
	return 0;
}

static void owners_unreadable_skipped(void **state)
{
	char path[PATH_MAX + 32];
	int status;
	pid_t child;

	(void)state;
	snprintf(path, sizeof(path), "%s/500/fd", proc_root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(chmod(proc_root, 0755), 0);	/* mkdtemp made it 0700 */
	snprintf(path, sizeof(path), "%s/300/fd", proc_root);
	assert_int_equal(chmod(path, 0), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(unreadable_child());
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_int_equal(chmod(path, 0755), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The real /proc: a socket of ours (never bound: nothing on any network)
 * is found host-wide and by our pid, with our command. */
static void owners_live(void **state)
{
	struct inspect_snap snap;
	struct stat st;
	pid_t self = getpid();
	char comm[64] = "";
	FILE *f;
	int s;

	(void)state;
	unsetenv("SOCKLAB_PROC_ROOT");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	assert_int_equal(fstat(s, &st), 0);
	f = fopen("/proc/self/comm", "r");
	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';

	snap_of(&snap, (const uint32_t[]){ (uint32_t)st.st_ino }, 1);
	assert_int_equal(inspect_owners(&snap, NULL, 0), 0);
	assert_int_equal(snap.v[0].pid, self);
	assert_int_equal(snap.v[0].fd, s);
	assert_string_equal(snap.v[0].comm, comm);
	snap.v[0].pid = 0;
	snap.v[0].fd = -1;
	assert_int_equal(inspect_owners(&snap, &self, 1), 0);
	assert_int_equal(snap.v[0].pid, self);
	assert_int_equal(snap.v[0].fd, s);
	inspect_free(&snap);
	close(s);
}

static void owners_errors(void **state)
{
	static const uint32_t inodes[] = { 1234 };
	static const pid_t bad[] = { 500 };
	static const pid_t ok_first[] = { 100, 500 };
	struct inspect_snap snap;

	(void)state;
	snap_of(&snap, inodes, 1);
	errno = 0;
	assert_int_equal(inspect_owners(&snap, bad, 1), -1);
	assert_int_equal(errno, ENOTDIR);
	/* Every row owned after pid 100: the broken pid is never read. */
	assert_int_equal(inspect_owners(&snap, ok_first, 2), 0);
	assert_int_equal(snap.v[0].pid, 100);
	assert_int_equal(snap.v[0].fd, 3);
	inspect_free(&snap);
}

/* The real kernel, read-only: whatever the host has must come back sorted. */
static void dump_sorted(void **state)
{
	struct inspect_snap snap = { 0 };
	size_t i;
	int nl;

	(void)state;
	nl = inspect_open();
	if (nl < 0)
		skip();
	assert_int_equal(inspect_dump(nl, &snap), 0);
	for (i = 1; i < snap.n; i++) {
		const struct inspect_sock *a = &snap.v[i - 1], *b = &snap.v[i];

		assert_true(a->proto <= b->proto);
		if (a->proto == b->proto)
			assert_true(a->lport <= b->lport);
		assert_true(a->family == AF_INET || a->family == AF_INET6);
		assert_int_equal(a->fd, -1);
	}
	inspect_free(&snap);
	close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_udp4_unconnected),
		cmocka_unit_test(parse_tcp6_listen),
		cmocka_unit_test(parse_tcp_bound_inactive),
		cmocka_unit_test(parse_rejects_malformed),
		cmocka_unit_test(parse_grows),
		cmocka_unit_test(state_names),
		cmocka_unit_test(format_addr),
		cmocka_unit_test(format_sock),
		cmocka_unit_test_setup_teardown(owners_fake_proc, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_errors, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_keeps_known, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_same_inode_twice, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_host_wide, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_host_wide_stops, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_bad_root, proc_setup, proc_teardown),
		cmocka_unit_test_setup_teardown(owners_unreadable_skipped, proc_setup, proc_teardown),
		cmocka_unit_test(owners_live),
		cmocka_unit_test(dump_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
