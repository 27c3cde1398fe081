/* rules.h — a model of Linux's bind() decision: will this bind succeed
 * next to these sockets, and if not, which of them block it and why.
 *
 * Pure: no kernel calls.  The caller describes the sockets (from the
 * inspector, or a scenario) and the host (privileged port start, local
 * addresses); tests hold the model against the real kernel. */
#ifndef SOCKLAB_RULES_H
#define SOCKLAB_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* A socket, existing or about to bind. */
struct rules_sock {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t proto;		/* IPPROTO_UDP, IPPROTO_TCP */
	uint8_t state;		/* TCP_* of the kernel: TCP_CLOSE for a bound
				 * UDP or TCP socket, TCP_LISTEN, TCP_ESTABLISHED,
				 * TCP_TIME_WAIT, ... (the candidate: TCP_CLOSE) */
	uint8_t v6only;		/* AF_INET6: IPV6_V6ONLY as the kernel keeps it
				 * (sock_diag's; bind() to a real IPv6 address
				 * sets it, rules_predict() knows for the candidate) */
	struct in6_addr addr;	/* local address; AF_INET: the first 4 bytes */
	uint16_t port;		/* host order */
	int8_t reuseaddr;	/* 1, 0; -1 unknown (no owner to ask) */
	int8_t reuseport;
	uint32_t uid;
	uint32_t ifindex;	/* SO_BINDTODEVICE; 0 none */
	/* the address bind() was given, when known (a scenario): connect()
	 * moves a wildcard-bound socket to a real address, but the port's
	 * bind bucket remembers the wildcard.  0: take addr. */
	uint8_t bind_addr_known;
	struct in6_addr bind_addr;
};

/* What the host adds to the decision. */
struct rules_host {
	int unprivileged_port_start;	/* net.ipv4.ip_unprivileged_port_start */
	int cap_net_bind_service;	/* the binding process has it */
	/* local addresses (the netns's), to answer EADDRNOTAVAIL; NULL: skip */
	const struct in6_addr *addrs;	/* AF_INET ones as v4-mapped ::ffff:a.b.c.d */
	size_t naddrs;
	int freebind;			/* IP_FREEBIND / ip_nonlocal_bind */
	int v4_unconfigured;		/* no IPv4 address at all (lo never up): the
					 * kernel then binds any IPv4 address */
	/* IPv4 prefixes on loopback devices: every address in one is local
	 * (the kernel adds a local route for the whole prefix); NULL: 127/8 */
	const struct in_addr *lo_nets, *lo_masks;
	size_t nlo;
	/* UDP: 0, a bind stops at the first socket it would share with by
	 * SO_REUSEPORT (every Debian kernel checked, 6.1 to 7.3); 1, it asks
	 * every socket on the port (seen on a 6.18.44 build): the kernel,
	 * not its version, decides, so udpwalk_bind_all() measures it */
	int udp_bind_all;
};

#define RULES_MAX_BLOCKERS 32
#define RULES_MAX_EXISTING 4096	/* sockets on one port the model looks at */

struct rules_result {
	int err;		/* 0: the bind succeeds; else EADDRINUSE, EACCES,
				 * EADDRNOTAVAIL, EINVAL */
	int uncertain;		/* a blocker's unknown flags decide: err counts them as off
				 * (rules_outcomes() gives every answer they allow) */
	int order_dependent;	/* UDP: a partner and a refuser both meet the candidate;
				 * which the kernel meets first decides */
	int truncated;		/* more sockets than RULES_MAX_EXISTING: the rest unseen */
	size_t blockers[RULES_MAX_BLOCKERS];	/* indexes into the existing sockets */
	size_t nblockers;	/* listed (at most RULES_MAX_BLOCKERS) */
	size_t nblockers_all;	/* all of them */
	const char *why;	/* the rule that decided, one line */
};

/* Predict bind(cand) next to existing[0..n), given in the order they were
 * bound (UDP's answer can depend on it).  listen: the candidate will
 * listen() too (TCP).
 * Returns 0 (always; the verdict is in *out). */
int rules_predict(const struct rules_sock *cand, int listen,
		  const struct rules_sock *existing, size_t n,
		  const struct rules_host *host, struct rules_result *out);

/* Do the local addresses of a and b overlap for bind (wildcards, v4-mapped,
 * dual-stack, IPV6_V6ONLY)?  The kernel's inet_rcv_saddr_equal(). */
int rules_addr_overlap(const struct rules_sock *a, const struct rules_sock *b);

/* Does existing socket b keep candidate a from binding its (overlapping)
 * address and port, under the reuse rules alone?  *why: which rule. */
int rules_conflict(const struct rules_sock *a, int a_listens,
		   const struct rules_sock *b, const char **why);

/* Where b's flags are unknown (-1), rules_conflict() answers as if they
 * were off, and its *why states only what holds whatever they are.  This
 * says whether its answer holds whatever they are (1), or they decide (0). */
int rules_conflict_certain(const struct rules_sock *a, int a_listens, const struct rules_sock *b);

/* Every answer the unknown flags allow.  Each existing socket on the
 * candidate's port whose SO_REUSEADDR or SO_REUSEPORT is -1 may have any
 * of the four assignments c (bit 0 SO_REUSEADDR, bit 1 SO_REUSEPORT);
 * rules_predict() runs for each uniform one (every such socket has c: the
 * TIME_WAIT connections of one listener have its flags) and, for up to
 * RULES_MAX_UNKNOWN sockets, every mix.  One outcome per distinct errno.
 * Returns 0, or -1 (ENOMEM). */
#define RULES_MAX_UNKNOWN 4
struct rules_outcome {
	int err;
	unsigned uniform;	/* bit c: every unknown socket having assignment c gives it */
	int mixed;		/* some mix of assignments gives it */
	struct rules_result res;	/* the first assignment's verdict (blockers, rule) */
};
struct rules_outcomes {
	size_t nunknown;	/* sockets on the port with unknown flags */
	size_t unknown[RULES_MAX_UNKNOWN];	/* the first of them, indexes into existing */
	int exhaustive;		/* every mix was tried (nunknown <= RULES_MAX_UNKNOWN) */
	struct rules_outcome v[4];
	size_t n;		/* 1: the answer does not depend on the unknown flags */
};
int rules_outcomes(const struct rules_sock *cand, int listen,
		   const struct rules_sock *existing, size_t n,
		   const struct rules_host *host, struct rules_outcomes *out);

/* "has SO_REUSEADDR" (plural: "have SO_REUSEADDR"): what a socket has in
 * every assignment of the set (bit c as above), for "if it ...". */
const char *rules_flags_phrase(unsigned set, int plural);

#endif
