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

/* The criterion "WHO exits with status 0 within 5 s" (WHO a literal:
 * "the program", "instance A", "the second run"). */
#define RAN_OK(who) who " exits with status 0 within 5 s"
_Static_assert(GRADER_TIMEOUT_MS == 5000, "RAN_OK's text says 5 s");

/* res: criterion (RAN_OK(...)) holds when run exited with status 0 within
 * the limit; what it said, or how it ended, when it did not. */
void observe_ran_ok(const struct grader_run *run, const char *criterion, struct exercise_result *res);

/* printf into res->observed. */
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
 * the text in buf.  Returns bytes read, or -1 with errno (ECONNREFUSED...). */
int observe_fetch(const char *ip, uint16_t port, char *buf, size_t len);

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

#endif
