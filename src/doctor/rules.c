/* rules.c — Linux's bind() decision, rule by rule, after the kernel's own
 * functions (net/ipv4/inet_connection_sock.c, net/ipv4/udp.c,
 * net/ipv4/af_inet.c, net/ipv6/af_inet6.c; kernel 6.x).  Each function
 * names the one it models.  Tests hold the model against the kernel:
 * tests/unit/test_rules.c on fixed cases, the property test on random
 * scenarios run in a sandbox. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>

#include "rules.h"

/* ---- addresses --------------------------------------------------------- */

enum addr_kind { ADDR_ANY, ADDR_MAPPED, ADDR_UNICAST6 };

static enum addr_kind v6_kind(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return ADDR_ANY;
	if (IN6_IS_ADDR_V4MAPPED(a))
		return ADDR_MAPPED;
	return ADDR_UNICAST6;
}

static uint32_t v4_of(const struct in6_addr *a)
{
	uint32_t v;

	memcpy(&v, a->s6_addr + 12, 4);
	return v;
}

/* The IPv4 address a socket is bound to as the kernel keeps it in
 * inet_rcv_saddr: an AF_INET6 socket on [::] has 0, on a v4-mapped
 * address that address, on any other IPv6 address LOOPBACK4_IPV6
 * (127.0.0.6): __inet6_bind() sets it so. */
static uint32_t rcv_saddr(const struct rules_sock *s)
{
	uint32_t v;

	if (s->family == AF_INET) {
		memcpy(&v, &s->addr, 4);
		return v;
	}
	switch (v6_kind(&s->addr)) {
	case ADDR_ANY:
		return 0;
	case ADDR_MAPPED:
		return v4_of(&s->addr);
	default:
		return htonl(0x7f000006);
	}
}

/* ipv4_rcv_saddr_equal(), match_wildcard on both sides */
static int v4_equal(uint32_t a, uint32_t b, int b_v6only)
{
	if (b_v6only)
		return 0;
	return a == b || a == 0 || b == 0;
}

/* ipv6_rcv_saddr_equal(), match_wildcard on both sides; b6 NULL when the
 * second socket is AF_INET (then it counts as v4-mapped) */
static int v6_equal(const struct in6_addr *a6, const struct in6_addr *b6, uint32_t a4,
		    uint32_t b4, int a_v6only, int b_v6only)
{
	enum addr_kind ka = v6_kind(a6), kb = b6 ? v6_kind(b6) : ADDR_MAPPED;

	if (ka == ADDR_MAPPED && kb == ADDR_MAPPED)
		return b_v6only ? 0 : (a4 == b4 || a4 == 0 || b4 == 0);
	if (ka == ADDR_ANY && kb == ADDR_ANY)
		return 1;
	if (kb == ADDR_ANY && !(b_v6only && ka == ADDR_MAPPED))
		return 1;
	if (ka == ADDR_ANY && !(a_v6only && kb == ADDR_MAPPED))
		return 1;
	return b6 && memcmp(a6, b6, sizeof *a6) == 0;
}

/* inet_rcv_saddr_equal(sk, sk2, match_wildcard = true) */
int rules_addr_overlap(const struct rules_sock *a, const struct rules_sock *b)
{
	if (a->family == AF_INET6)
		return v6_equal(&a->addr, b->family == AF_INET6 ? &b->addr : NULL,
				rcv_saddr(a), rcv_saddr(b), a->v6only,
				b->family == AF_INET6 && b->v6only);
	return v4_equal(rcv_saddr(a), rcv_saddr(b), b->family == AF_INET6 && b->v6only);
}

/* ---- the reuse rules --------------------------------------------------- */

static int devices_meet(const struct rules_sock *a, const struct rules_sock *b)
{
	return !a->ifindex || !b->ifindex || a->ifindex == b->ifindex;
}

static int flag(int8_t v)
{
	return v > 0;	/* unknown counts as off; the caller marks it uncertain */
}

/* UDP: udp_lib_lport_inuse().  Two sockets may share when both set
 * SO_REUSEADDR (whoever owns them), or else both set SO_REUSEPORT and
 * have the same uid. */
static int udp_conflict(const struct rules_sock *a, const struct rules_sock *b,
			const char **why)
{
	if (flag(a->reuseaddr) && flag(b->reuseaddr)) {
		*why = "both set SO_REUSEADDR: UDP lets them share";
		return 0;
	}
	if (flag(a->reuseport) && flag(b->reuseport)) {
		if (a->uid == b->uid) {
			*why = "both set SO_REUSEPORT and have the same uid";
			return 0;
		}
		*why = "both set SO_REUSEPORT, but a reuseport group admits one uid only";
		return 1;
	}
	*why = flag(a->reuseaddr) || flag(b->reuseaddr) ?
	       "SO_REUSEADDR is set on one socket only: both must set it" :
	       flag(a->reuseport) || flag(b->reuseport) ?
	       "SO_REUSEPORT is set on one socket only: both must set it" :
	       "neither socket set SO_REUSEADDR or SO_REUSEPORT";
	return 1;
}

/* TCP: inet_csk_bind_conflict() -> inet_bind_conflict() with relax and
 * reuseport_ok (a bind to a given port).  SO_REUSEADDR on both shares
 * unless the other socket listens; SO_REUSEPORT on both shares with a
 * socket of the same uid, or one in TIME_WAIT. */
static int tcp_conflict(const struct rules_sock *a, int a_listens,
			const struct rules_sock *b, const char **why)
{
	/* inet_bind_conflict() reads sk_reuse itself, not get_port()'s
	 * "reuse" (which is off for a listener): a listen() meets the same
	 * rule as its bind() did */
	int reuse = flag(a->reuseaddr);

	(void)a_listens;

	if (reuse && flag(b->reuseaddr) && b->state != TCP_LISTEN) {
		*why = "both set SO_REUSEADDR and the other socket does not listen";
		return 0;
	}
	if (flag(a->reuseport) && flag(b->reuseport) &&
	    (b->state == TCP_TIME_WAIT || a->uid == b->uid)) {
		*why = b->state == TCP_TIME_WAIT ?
		       "both set SO_REUSEPORT, and the other is in TIME_WAIT" :
		       "both set SO_REUSEPORT and have the same uid";
		return 0;
	}
	if (flag(a->reuseport) && flag(b->reuseport))
		*why = "both set SO_REUSEPORT, but the uids differ";
	else if (flag(a->reuseaddr) && flag(b->reuseaddr))
		*why = "the other socket listens: SO_REUSEADDR does not share a listener's port";
	else if (flag(a->reuseaddr) && b->state == TCP_TIME_WAIT)
		*why = "the TIME_WAIT socket did not have SO_REUSEADDR (its listener had not): "
		       "both sides must";
	else if (flag(a->reuseaddr) || flag(b->reuseaddr))
		*why = "SO_REUSEADDR is set on one socket only: both must set it";
	else
		*why = b->state == TCP_TIME_WAIT ?
		       "a connection on this port lingers in TIME_WAIT, and neither side set SO_REUSEADDR" :
		       "neither socket set SO_REUSEADDR or SO_REUSEPORT";
	return 1;
}

int rules_conflict(const struct rules_sock *a, int a_listens,
		   const struct rules_sock *b, const char **why)
{
	if (!devices_meet(a, b)) {
		*why = "bound to different devices (SO_BINDTODEVICE)";
		return 0;
	}
	return a->proto == IPPROTO_UDP ? udp_conflict(a, b, why)
				       : tcp_conflict(a, a_listens, b, why);
}

/* ---- the host: privileged ports, local addresses ------------------------ */

/* inet_addr_valid_or_nonlocal(): the wildcard, a local address, or a
 * multicast one; 127.0.0.0/8 is all local while lo holds 127.0.0.1/8 */
static int addr_is_local(const struct rules_sock *s, const struct rules_host *h)
{
	uint32_t v4 = ntohl(rcv_saddr(s));
	int is_v4 = s->family == AF_INET || v6_kind(&s->addr) == ADDR_MAPPED;

	if (h->addrs == NULL || h->freebind)
		return 1;
	if (is_v4 && (v4 == 0 || (v4 >> 28) == 0xe))
		return 1;
	if (!is_v4 && (v6_kind(&s->addr) == ADDR_ANY || s->addr.s6_addr[0] == 0xff))
		return 1;
	for (size_t i = 0; i < h->naddrs; i++) {
		if (is_v4 && IN6_IS_ADDR_V4MAPPED(&h->addrs[i])) {
			uint32_t l = ntohl(v4_of(&h->addrs[i]));

			if (l == v4 || ((l >> 24) == 127 && (v4 >> 24) == 127))
				return 1;
		} else if (!is_v4 && memcmp(&h->addrs[i], &s->addr, sizeof s->addr) == 0) {
			return 1;
		}
	}
	return 0;
}

static int privileged(const struct rules_sock *s, const struct rules_host *h)
{
	return s->port && s->port < h->unprivileged_port_start && !h->cap_net_bind_service;
}

static void collect(const struct rules_sock *cand, int listens,
		    const struct rules_sock *existing, size_t n, struct rules_result *out)
{
	/* UDP: udp_lib_lport_inuse() walks the port's chain newest first,
	 * skips sockets that share by SO_REUSEADDR, and stops at the first
	 * other socket on an overlapping address: a SO_REUSEPORT partner
	 * there ends the search with "free", even if an older socket further
	 * down would have refused.  TCP looks at every socket. */
	for (size_t k = 0; k < n; k++) {
		size_t i = cand->proto == IPPROTO_UDP ? n - 1 - k : k;
		const struct rules_sock *b = &existing[i];
		const char *why;

		if (b->proto != cand->proto || b->port != cand->port || !rules_addr_overlap(cand, b))
			continue;
		if (cand->proto == IPPROTO_UDP && !(flag(cand->reuseaddr) && flag(b->reuseaddr)) &&
		    devices_meet(cand, b) && !rules_conflict(cand, listens, b, &why))
			return;	/* a reuseport partner answers for the whole port */
		if (!rules_conflict(cand, listens, b, &why))
			continue;
		if (out->nblockers == 0)
			out->why = why;
		if (out->nblockers < RULES_MAX_BLOCKERS)
			out->blockers[out->nblockers++] = i;
		if (b->reuseaddr < 0 || b->reuseport < 0)
			out->uncertain = 1;
	}
}

int rules_predict(const struct rules_sock *cand_in, int listen,
		  const struct rules_sock *existing, size_t n,
		  const struct rules_host *host, struct rules_result *out)
{
	struct rules_sock c = *cand_in;
	const struct rules_sock *cand = &c;

	memset(out, 0, sizeof *out);
	/* __inet6_bind(): binding a real IPv6 address (not ::, not v4-mapped)
	 * makes the socket IPv6-only, whatever IPV6_V6ONLY said */
	if (c.family == AF_INET6 && v6_kind(&c.addr) == ADDR_UNICAST6)
		c.v6only = 1;
	/* __inet6_bind() checks the port's privilege before the address,
	 * __inet_bind() after it */
	if (cand->family == AF_INET6 && privileged(cand, host)) {
		out->err = EACCES;
		out->why = "the port is below ip_unprivileged_port_start and the process lacks CAP_NET_BIND_SERVICE";
		return 0;
	}
	if (!addr_is_local(cand, host)) {
		out->err = EADDRNOTAVAIL;
		out->why = "the address is not one of this network namespace's (IP_FREEBIND would allow it)";
		return 0;
	}
	if (privileged(cand, host)) {
		out->err = EACCES;
		out->why = "the port is below ip_unprivileged_port_start and the process lacks CAP_NET_BIND_SERVICE";
		return 0;
	}
	if (cand->port == 0) {
		out->why = "port 0: the kernel picks a free ephemeral port";
		return 0;
	}
	collect(cand, 0, existing, n, out);
	if (out->nblockers == 0 && listen && cand->proto == IPPROTO_TCP) {
		/* inet_csk_listen_start() asks get_port() again, now as a
		 * listener: SO_REUSEADDR no longer counts */
		collect(cand, 1, existing, n, out);
	}
	if (out->nblockers)
		out->err = EADDRINUSE;
	else
		out->why = "no socket on an overlapping address holds the port, or all agree to share";
	return 0;
}
