/* graders.h — inside the exercise module: the graders (grade_*.c, one
 * function per exercise) and what they share (observe.c).  Not API. */
#ifndef SOCKLAB_GRADERS_H
#define SOCKLAB_GRADERS_H

#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#include "exercise.h"
#include "grader.h"

/* ---- observe.c: what every grader needs -------------------------------- */

/* The criteria "WHO exits with status 0 within 5 s" are written out whole
 * (_("the program exits with status 0 within 5 s")), one message each for
 * the translators. */
_Static_assert(GRADER_TIMEOUT_MS == 5000, "the criteria say 'within 5 s'");

/* res: criterion ("... exits with status 0 within 5 s") holds when run
 * exited with status 0 within the limit; what it said, or how it ended,
 * when it did not. */
void observe_ran_ok(const struct grader_run *run, const char *criterion, struct exercise_result *res);

/* printf into res->observed, fmt translated (po/extract.sh extracts it). */
void observe_say(struct exercise_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* How many sockets of proto (IPPROTO_TCP/UDP) have local port port, in
 * state state (TCP_LISTEN, TCP_TIME_WAIT, ...; -1 any), as sock_diag
 * reports them in this (sandbox) namespace.  -1 with errno. */
int observe_count(uint8_t proto, uint16_t port, int state);

/* Wait (up to ms, while p runs) until observe_count() reaches want;
 * returns the last count. */
int observe_wait_count(struct grader_proc *p, uint8_t proto, uint16_t port, int state,
		       int want, int ms);

/* Users of IPv4 group (dotted) on interface ifname (/proc/net/igmp). */
int observe_igmp_users(const char *ifname, const char *group);

/* A socket of type on ip:port (IPv4 or IPv6 literal), bound, non-blocking;
 * listening when type is SOCK_STREAM.  -1 with errno. */
int observe_socket(int type, const char *ip, uint16_t port);

/* Connect to ip:port over TCP and read until EOF (at most len-1 bytes, 2 s);
 * the text in buf.  reset: end with an RST (SO_LINGER 0), so the server's
 * end, in FIN-WAIT-2, is gone instead of going to TIME-WAIT.  Returns
 * bytes read, or -1 with errno (ECONNREFUSED...). */
int observe_fetch(const char *ip, uint16_t port, char *buf, size_t len, int reset);

/* One datagram on s within ms (0: only one already there): its text in
 * buf (NUL-terminated, at most len-1 bytes) and, when port is not NULL,
 * the sender's port.  Its length, or -1 when nothing came. */
ssize_t observe_recv(int s, int ms, char *buf, size_t len, unsigned *port);

/* ---- the graders --------------------------------------------------------- */

int grade_fixed_source_port(const char *exe, struct exercise_result *res);
int grade_two_sockets_one_port(const char *exe, struct exercise_result *res);
int grade_multicast_two_receivers(const char *exe, struct exercise_result *res);
int grade_the_story(const char *exe, struct exercise_result *res);
int grade_reuseport_spread(const char *exe, struct exercise_result *res);
int grade_tcp_restart(const char *exe, struct exercise_result *res);
int grade_dual_stack(const char *exe, struct exercise_result *res);
int grade_no_port_exhaustion(const char *exe, struct exercise_result *res);
/* grade_hosts.c: on hosts in the grader's sandbox */
int grade_multicast_hosts(const char *exe, struct exercise_result *res);
int grade_p2p_one_port(const char *exe, struct exercise_result *res);

/* ---- observe.c, held sockets (exercises 01-05): the program stopped,
 * its sockets as the kernel holds them --------------------------------- */

#include "inspect/inspect.h"

/* Stop (SIGSTOP) or continue (SIGCONT) every process of the sandbox but
 * the grader: what the programs started and everything they forked.  A
 * stop returns once each of them is stopped (or 200 ms have passed), so
 * nothing reads its sockets while the grader looks at their queues. */
void observe_hold(int stop);

#define OBSERVE_MAX_SOCKS 32

/* One socket of the sandbox, as sock_diag reports it, with its owner. */
struct observe_sock {
	struct inspect_sock k;	/* k.pid: the owner in the grader's PID namespace
				 * (as grader_proc.pid), 0 when no program holds it;
				 * k.reuseaddr/k.reuseport: read from the owner's
				 * descriptor (pidfd_getfd), -1 unknown */
	int prog;		/* which of procs[] holds it (itself or a process it
				 * forked); nprocs: a process they left behind (an
				 * orphan the grader inherited); -1 none */
};

struct observe_socks {
	struct observe_sock v[OBSERVE_MAX_SOCKS];
	int n;
	int err;		/* when some owner or flag stayed unknown: why (errno) */
};

/* The sockets of proto on local port port (every port: 0) in the sandbox,
 * with owners among procs[0..nprocs) and their descendants, and the flags
 * of the owned ones.  Rows the grader itself holds come with prog -1.
 * 0, or -1 with errno (sock_diag failed). */
int observe_sockets(struct grader_proc *procs, int nprocs, uint8_t proto, uint16_t port,
		    struct observe_socks *out);

/* The program sockets among out (prog >= 0) on this port; at most max
 * into idx. */
int observe_owned(const struct observe_socks *out, int *idx, int max);

/* Is the owned socket s a member of IPv4 group (dotted) on interface
 * ifindex (getsockopt MCAST_MSFILTER on the owner's descriptor): 1 yes,
 * 0 no, -1 unknown (errno: why). */
int observe_joined(const struct observe_sock *s, const char *group, unsigned ifindex);

/* "on"/"off"/"unknown" for a flag read by inspect_flags. */
const char *observe_flag(int8_t v);

/* The program's words (its output) on one line, at most len-1 bytes, for
 * an observation: "" when it said nothing. */
void observe_words(const struct grader_run *run, char *buf, size_t len);

#endif
