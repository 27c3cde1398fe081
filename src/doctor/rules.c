/* rules.c — Linux's bind() decision, rule by rule, after the kernel's own
 * functions (net/ipv4/inet_connection_sock.c, net/ipv4/udp.c,
 * net/ipv4/af_inet.c, net/ipv6/af_inet6.c; kernel 6.x).  Each function
 * names the one it models.  Tests hold the model against the kernel:
 * tests/unit/test_rules.c on fixed cases, the property test on random
 * scenarios run in a sandbox. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>

#include "i18n.h"
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
	return v > 0;	/* unknown counts as off; rules_conflict() says when that decides */
}

/* UDP: udp_lib_lport_inuse().  Two sockets may share when both set
 * SO_REUSEADDR (whoever owns them), or else both set SO_REUSEPORT and
 * have the same uid. */
static int udp_conflict(const struct rules_sock *a, const struct rules_sock *b,
			const char **why)
{
	if (flag(a->reuseaddr) && flag(b->reuseaddr)) {
		*why = N_("both set SO_REUSEADDR: UDP lets them share");
		return 0;
	}
	if (flag(a->reuseport) && flag(b->reuseport)) {
		if (a->uid == b->uid) {
			*why = N_("both set SO_REUSEPORT and have the same uid");
			return 0;
		}
		*why = N_("both set SO_REUSEPORT, but a reuseport group admits one uid only");
		return 1;
	}
	*why = flag(a->reuseaddr) || flag(b->reuseaddr) ?
	       N_("SO_REUSEADDR is set on one socket only: both must have it") :
	       flag(a->reuseport) || flag(b->reuseport) ?
	       N_("SO_REUSEPORT is set on one socket only: both must have it") :
	       N_("neither socket set SO_REUSEADDR or SO_REUSEPORT");
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
		*why = b->state == TCP_TIME_WAIT ?
		       N_("both have SO_REUSEADDR (the TIME_WAIT connection kept its socket's; a "
		       "server's connection, its listener's): they share the port") :
		       N_("both set SO_REUSEADDR and the other socket does not listen");
		return 0;
	}
	if (flag(a->reuseport) && flag(b->reuseport) &&
	    (b->state == TCP_TIME_WAIT || a->uid == b->uid)) {
		*why = b->state == TCP_TIME_WAIT ?
		       N_("both set SO_REUSEPORT, and the other is in TIME_WAIT") :
		       N_("both set SO_REUSEPORT and have the same uid");
		return 0;
	}
	if (flag(a->reuseport) && flag(b->reuseport))
		*why = N_("both set SO_REUSEPORT, but the uids differ");
	else if (flag(a->reuseaddr) && flag(b->reuseaddr))
		*why = N_("the other socket listens: SO_REUSEADDR does not share a listener's port");
	else if (b->state == TCP_TIME_WAIT && !flag(a->reuseaddr) && !flag(a->reuseport))
		*why = N_("a connection on this port lingers in TIME_WAIT, and this socket sets "
		       "neither SO_REUSEADDR nor SO_REUSEPORT");
	else if (b->state == TCP_TIME_WAIT)
		*why = N_("a connection on this port lingers in TIME_WAIT without the flag this socket "
		       "sets (it keeps the flags its socket had: a server's connection, its "
		       "listener's at accept()): both sides must have SO_REUSEADDR, or both SO_REUSEPORT");
	else if (flag(a->reuseaddr) || flag(b->reuseaddr))
		*why = N_("SO_REUSEADDR is set on one socket only: both must have it");
	else if (flag(a->reuseport) || flag(b->reuseport))
		*why = N_("SO_REUSEPORT is set on one socket only: both must have it");
	else
		*why = N_("neither socket set SO_REUSEADDR or SO_REUSEPORT");
	return 1;
}

/* What "it" (one socket) or "they" (all of several) have, for each set of
 * flag assignments: bit c stands for assignment c (bit 0 of c
 * SO_REUSEADDR, bit 1 SO_REUSEPORT).  Each spelled out whole: a message
 * for the translators (the renderers translate them: i18n_tr). */
static const char *const phrases[16][2] = {
	[0x1] = { N_("has neither SO_REUSEADDR nor SO_REUSEPORT"),
		   N_("have neither SO_REUSEADDR nor SO_REUSEPORT") },
	[0x2] = { N_("has SO_REUSEADDR but not SO_REUSEPORT"),
		   N_("have SO_REUSEADDR but not SO_REUSEPORT") },
	[0x3] = { N_("lacks SO_REUSEPORT"),
		   N_("lack SO_REUSEPORT") },
	[0x4] = { N_("has SO_REUSEPORT but not SO_REUSEADDR"),
		   N_("have SO_REUSEPORT but not SO_REUSEADDR") },
	[0x5] = { N_("lacks SO_REUSEADDR"),
		   N_("lack SO_REUSEADDR") },
	[0x6] = { N_("has exactly one of SO_REUSEADDR and SO_REUSEPORT"),
		   N_("have exactly one of SO_REUSEADDR and SO_REUSEPORT") },
	[0x7] = { N_("lacks SO_REUSEADDR or SO_REUSEPORT"),
		   N_("lack SO_REUSEADDR or SO_REUSEPORT") },
	[0x8] = { N_("has both SO_REUSEADDR and SO_REUSEPORT"),
		   N_("have both SO_REUSEADDR and SO_REUSEPORT") },
	[0x9] = { N_("has both SO_REUSEADDR and SO_REUSEPORT or neither"),
		   N_("have both SO_REUSEADDR and SO_REUSEPORT or neither") },
	[0xa] = { N_("has SO_REUSEADDR"),
		   N_("have SO_REUSEADDR") },
	[0xb] = { N_("has SO_REUSEADDR, or neither flag"),
		   N_("have SO_REUSEADDR, or neither flag") },
	[0xc] = { N_("has SO_REUSEPORT"),
		   N_("have SO_REUSEPORT") },
	[0xd] = { N_("has SO_REUSEPORT, or neither flag"),
		   N_("have SO_REUSEPORT, or neither flag") },
	[0xe] = { N_("has SO_REUSEADDR or SO_REUSEPORT"),
		   N_("have SO_REUSEADDR or SO_REUSEPORT") },
	[0xf] = { N_("has any flags"),
		   N_("have any flags") },
};

/* The same sets, as the rule when the other socket's flags are unknown
 * and decide: it shares with the candidate under set S, else refuses. */
static const char *const depends[16] = {
	[0x1] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has neither SO_REUSEADDR nor SO_REUSEPORT, else it refuses this bind"),
	[0x2] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEADDR but not SO_REUSEPORT, else it refuses this bind"),
	[0x3] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it lacks SO_REUSEPORT, else it refuses this bind"),
	[0x4] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEPORT but not SO_REUSEADDR, else it refuses this bind"),
	[0x5] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it lacks SO_REUSEADDR, else it refuses this bind"),
	[0x6] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has exactly one of SO_REUSEADDR and SO_REUSEPORT, else it refuses this bind"),
	[0x7] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it lacks SO_REUSEADDR or SO_REUSEPORT, else it refuses this bind"),
	[0x8] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has both SO_REUSEADDR and SO_REUSEPORT, else it refuses this bind"),
	[0x9] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has both SO_REUSEADDR and SO_REUSEPORT or neither, else it refuses this bind"),
	[0xa] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEADDR, else it refuses this bind"),
	[0xb] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEADDR, or neither flag, else it refuses this bind"),
	[0xc] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEPORT, else it refuses this bind"),
	[0xd] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEPORT, or neither flag, else it refuses this bind"),
	[0xe] = N_("the other socket's flags decide, and socklab cannot read them: it "
		   "shares the port if it has SO_REUSEADDR or SO_REUSEPORT, else it refuses this bind"),
};

const char *rules_flags_phrase(unsigned set, int plural)
{
	const char *p = phrases[set & 0xf][plural ? 1 : 0];

	return p ? p : "";
}

/* Can the socket have assignment c, given the flags that are known? */
static int feasible(const struct rules_sock *s, unsigned c)
{
	return (s->reuseaddr < 0 || s->reuseaddr == (int8_t)(c & 1)) &&
	       (s->reuseport < 0 || s->reuseport == (int8_t)(c >> 1));
}

static void assign(struct rules_sock *s, const struct rules_sock *from, unsigned c)
{
	*s = *from;
	if (s->reuseaddr < 0)
		s->reuseaddr = (int8_t)(c & 1);
	if (s->reuseport < 0)
		s->reuseport = (int8_t)(c >> 1);
}

static int conflict_known(const struct rules_sock *a, int a_listens,
			  const struct rules_sock *b, const char **why)
{
	if (!devices_meet(a, b)) {
		*why = N_("bound to different devices (SO_BINDTODEVICE)");
		return 0;
	}
	return a->proto == IPPROTO_UDP ? udp_conflict(a, b, why)
				       : tcp_conflict(a, a_listens, b, why);
}

/* b refuses a whatever b's unknown flags: the reason, from a's side only */
static const char *refuses_anyway(const struct rules_sock *a, const struct rules_sock *b)
{
	int ra = flag(a->reuseaddr), rp = flag(a->reuseport);
	int other_uid = a->uid != b->uid && b->state != TCP_TIME_WAIT;

	if (!ra && !rp)
		return N_("this socket sets neither SO_REUSEADDR nor SO_REUSEPORT: it shares the port "
		       "with no socket, whatever that socket's flags");
	if (a->proto == IPPROTO_TCP && b->state == TCP_LISTEN && !rp)
		return N_("the other socket listens: SO_REUSEADDR does not share a listener's port "
		       "(whatever its flags), and this socket has no SO_REUSEPORT");
	if (!ra && other_uid)
		return N_("SO_REUSEPORT shares only within one uid, and the other socket has "
		       "another (whatever its flags)");
	if (a->proto == IPPROTO_TCP && b->state == TCP_LISTEN && other_uid)
		return N_("the other socket listens (SO_REUSEADDR does not share its port) and has "
		       "another uid (SO_REUSEPORT does not either), whatever its flags");
	return N_("the other socket refuses this bind whatever its flags");
}

/* The assignment that counts unknown flags as off */
static unsigned off_assignment(const struct rules_sock *b)
{
	return (unsigned)(b->reuseaddr > 0) | (unsigned)(b->reuseport > 0) << 1;
}

/* Which of b's feasible assignments share with a (bits as in phrases[]),
 * and which are feasible at all. */
static unsigned sharing_set(const struct rules_sock *a, int a_listens,
			    const struct rules_sock *b, unsigned *all)
{
	unsigned shares = 0;
	const char *w;

	*all = 0;
	for (unsigned c = 0; c < 4; c++) {
		struct rules_sock bc;

		if (!feasible(b, c))
			continue;
		assign(&bc, b, c);
		*all |= 1u << c;
		if (!conflict_known(a, a_listens, &bc, &w))
			shares |= 1u << c;
	}
	return shares;
}

int rules_conflict(const struct rules_sock *a, int a_listens,
		   const struct rules_sock *b, const char **why)
{
	unsigned all, shares, off = off_assignment(b);
	struct rules_sock boff;

	if (b->reuseaddr >= 0 && b->reuseport >= 0)
		return conflict_known(a, a_listens, b, why);
	/* b's flags are unknown: a reason may state only what holds for
	 * every flag b may have */
	shares = sharing_set(a, a_listens, b, &all);
	if (shares == all) {
		assign(&boff, b, off);
		return conflict_known(a, a_listens, &boff, why);
	}
	*why = shares == 0 ? refuses_anyway(a, b) : depends[shares];
	/* the verdict counts the unknown flags as off (the caller marks the
	 * answer uncertain when they decide) */
	return !(shares & (1u << off));
}

int rules_conflict_certain(const struct rules_sock *a, int a_listens, const struct rules_sock *b)
{
	unsigned all, shares;

	if (b->reuseaddr >= 0 && b->reuseport >= 0)
		return 1;
	shares = sharing_set(a, a_listens, b, &all);
	return shares == 0 || shares == all;
}

/* ---- the host: privileged ports, local addresses ------------------------ */

/* inet_addr_valid_or_nonlocal(): the wildcard, a local address, or a
 * multicast one; 127.0.0.0/8 is all local while lo holds 127.0.0.1/8 */
static int addr_is_local(const struct rules_sock *s, const struct rules_host *h)
{
	uint32_t v4 = ntohl(rcv_saddr(s));
	int is_v4 = s->family == AF_INET || v6_kind(&s->addr) == ADDR_MAPPED;

	if (h->addrs == NULL || h->freebind || (is_v4 && h->v4_unconfigured))
		return 1;
	if (is_v4 && (v4 == 0 || (v4 >> 28) == 0xe || v4 == 0xffffffffu))
		return 1;	/* the wildcard, multicast, the limited broadcast */
	for (size_t i = 0; is_v4 && i < h->nlo; i++)
		if ((htonl(v4) & h->lo_masks[i].s_addr) == (h->lo_nets[i].s_addr & h->lo_masks[i].s_addr))
			return 1;	/* a loopback prefix: local as a whole */
	if (!is_v4 && (v6_kind(&s->addr) == ADDR_ANY || s->addr.s6_addr[0] == 0xff))
		return 1;
	for (size_t i = 0; i < h->naddrs; i++) {
		if (is_v4 && IN6_IS_ADDR_V4MAPPED(&h->addrs[i])) {
			uint32_t l = ntohl(v4_of(&h->addrs[i]));

			if (l == v4 || (h->lo_nets == NULL && (l >> 24) == 127 && (v4 >> 24) == 127))
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

/* The address as a bhash2 bucket keeps it: IPv4 as v4-mapped IPv6. */
static struct in6_addr bucket_addr(const struct rules_sock *s)
{
	struct in6_addr a = s->addr;

	if (s->family == AF_INET) {
		memset(&a, 0, sizeof a);
		a.s6_addr[10] = a.s6_addr[11] = 0xff;
		memcpy(a.s6_addr + 12, &s->addr, 4);
	}
	return a;
}

static int is_v4ish(const struct rules_sock *s)
{
	return s->family == AF_INET || v6_kind(&s->addr) == ADDR_MAPPED;
}

/* TCP: which sockets inet_csk_get_port() compares the candidate with.
 * A candidate on a specific address (inet_use_hash2_on_bind()) meets
 * only the sockets in its own bhash2 bucket (the same address) and in
 * the wildcard buckets (inet_bhash2_addr_any_conflict(): [::] always,
 * 0.0.0.0 for an IPv4 candidate), skipping IPv6-only sockets when it is
 * IPv4 (__inet_bhash2_conflict()); a wildcard candidate meets every
 * socket whose address overlaps (inet_rcv_saddr_equal()). */
static int tcp_meets(const struct rules_sock *a, const struct rules_sock *b)
{
	struct in6_addr ba = bucket_addr(b), aa = bucket_addr(a);
	int a_wild = a->family == AF_INET6 ? v6_kind(&a->addr) == ADDR_ANY : rcv_saddr(a) == 0;
	int b_v6any = b->family == AF_INET6 && v6_kind(&b->addr) == ADDR_ANY;
	int b_v4any = is_v4ish(b) && rcv_saddr(b) == 0;

	if (a->family == AF_INET6 && v6_kind(&a->addr) == ADDR_MAPPED && rcv_saddr(a) == 0)
		a_wild = 1;	/* ::ffff:0.0.0.0 */
	if (a_wild)
		return rules_addr_overlap(a, b);
	if (b->v6only && is_v4ish(a))
		return 0;
	if (b_v6any || (b_v4any && is_v4ish(a)))
		return 1;
	return memcmp(&aa, &ba, sizeof aa) == 0;
}

static void collect(const struct rules_sock *cand, int listens,
		    const struct rules_sock *existing, size_t n, int bind_all,
		    struct rules_result *out)
{
	/* UDP: udp_lib_lport_inuse() walks the port's chain, skips sockets
	 * that share by SO_REUSEADDR, and stops at the first other socket on
	 * an overlapping address: a SO_REUSEPORT partner there ends the
	 * search with "free", even if a socket further down would have
	 * refused (every Debian kernel checked, 6.1 to 7.3).  Some kernels
	 * ask every socket (rules_host's udp_bind_all, udpwalk.c measures
	 * it).  The chain: udp_lib_get_port() puts a new socket at its head,
	 * but an IPv6 one with SO_REUSEPORT at its tail (measured).  TCP
	 * looks at every socket. */
	int partner_decides = cand->proto == IPPROTO_UDP && !bind_all;
	static size_t order[RULES_MAX_EXISTING], chain[RULES_MAX_EXISTING * 2];
	size_t head = RULES_MAX_EXISTING, tail = RULES_MAX_EXISTING, on_port = 0;
	int partner = 0, refuser = 0, busy;
	struct in6_addr ca = bucket_addr(cand);

	if (n > RULES_MAX_EXISTING) {
		n = RULES_MAX_EXISTING;
		out->truncated = out->uncertain = 1;
	}
	for (size_t i = 0; i < n; i++) {
		on_port += existing[i].port == cand->port && existing[i].proto == cand->proto;
		if (existing[i].family == AF_INET6 && flag(existing[i].reuseport))
			chain[tail++] = i;
		else
			chain[--head] = i;
	}
	for (size_t k = 0; k < n; k++)
		order[k] = cand->proto == IPPROTO_UDP ? chain[head + k] : k;
	/* udp_lib_get_port(): with more than 10 sockets in the port's slot, a
	 * candidate on a specific address is checked by udp_lib_lport_inuse2()
	 * against the sockets on its own address, then, if that slot said
	 * free, on the wildcard; in each the first socket met decides */
	busy = cand->proto == IPPROTO_UDP && on_port > 10 && !(is_v4ish(cand) ? rcv_saddr(cand) == 0 :
								  v6_kind(&cand->addr) == ADDR_ANY);
	for (int pass = 0; pass < (busy ? 2 : 1); pass++) {
		for (size_t k = 0; k < n; k++) {
			size_t i = order[k];
			const struct rules_sock *b = &existing[i];
			struct in6_addr ba = bucket_addr(b);
			const char *why;

			if (b->proto != cand->proto || b->port != cand->port)
				continue;
			if (busy && pass == 0 && (b->family != cand->family || memcmp(&ba, &ca, sizeof ba)))
				continue;
			if (busy && pass == 1 && (b->family != cand->family ||
						  (b->family == AF_INET ? rcv_saddr(b) != 0 :
						   v6_kind(&b->addr) != ADDR_ANY)))
				continue;
			if (cand->proto == IPPROTO_TCP ? !tcp_meets(cand, b) : !rules_addr_overlap(cand, b))
				continue;
			if (cand->proto == IPPROTO_UDP && !(flag(cand->reuseaddr) && flag(b->reuseaddr)) &&
			    devices_meet(cand, b) && !rules_conflict(cand, listens, b, &why)) {
				partner = 1;
				if (refuser && partner_decides)
					out->order_dependent = 1;
				if (busy)
					break;	/* this slot says free: on to the wildcard one */
				if (partner_decides && out->nblockers_all == 0)
					return;	/* a reuseport partner answers for the port */
				continue;
			}
			if (!rules_conflict(cand, listens, b, &why))
				continue;
			refuser = 1;
			if (partner && partner_decides)
				out->order_dependent = 1;
			if (out->nblockers_all++ == 0)
				out->why = why;
			if (out->nblockers < RULES_MAX_BLOCKERS)
				out->blockers[out->nblockers++] = i;
			if (!rules_conflict_certain(cand, listens, b))
				out->uncertain = 1;
			if (busy)
				return;	/* udp_lib_lport_inuse2(): the first one decides */
		}
	}
}

/* ---- TCP's fast paths: the bind bucket's memory ------------------------ */

/* What inet_csk_update_fastreuse() keeps in a port's inet_bind_bucket:
 * whether every socket so far allows SO_REUSEADDR sharing (fastreuse),
 * and a SO_REUSEPORT shortcut (fastreuseport: 0 off, 1 ANY, 2 STRICT,
 * with the uid and address of the socket that set it).  A candidate that
 * matches skips the conflict check altogether (inet_csk_get_port()). */
struct bucket {
	int owners, fastreuse, fastreuseport;
	struct rules_sock fast;
};

/* sk_reuseport_match() */
static int reuseport_match(const struct bucket *tb, const struct rules_sock *sk)
{
	const struct rules_sock *f = &tb->fast;

	if (tb->fastreuseport <= 0 || !flag(sk->reuseport) || sk->uid != f->uid)
		return 0;
	if (tb->fastreuseport == 1)
		return 1;
	/* ipv*_rcv_saddr_equal(fast, sk, ..., match_sk1_wildcard, !match_sk2_wildcard) */
	if (f->family == AF_INET6) {
		enum addr_kind kf = v6_kind(&f->addr);
		enum addr_kind ks = sk->family == AF_INET6 ? v6_kind(&sk->addr) : ADDR_MAPPED;

		if (kf == ADDR_MAPPED && ks == ADDR_MAPPED)
			return !sk->v6only && (rcv_saddr(f) == rcv_saddr(sk) || rcv_saddr(f) == 0);
		if (kf == ADDR_ANY && ks == ADDR_ANY)
			return 1;
		if (kf == ADDR_ANY && !(f->v6only && ks == ADDR_MAPPED))
			return 1;
		return sk->family == AF_INET6 && memcmp(&f->addr, &sk->addr, sizeof f->addr) == 0;
	}
	return !(sk->family == AF_INET6 && sk->v6only) &&
	       (rcv_saddr(f) == rcv_saddr(sk) || rcv_saddr(f) == 0);
}

/* inet_csk_update_fastreuse(), after a successful get_port(); the caller
 * counts the owners */
static void bucket_update(struct bucket *tb, const struct rules_sock *sk_in, int listening)
{
	struct rules_sock bound = *sk_in;
	const struct rules_sock *sk = &bound;
	int reuse = flag(sk->reuseaddr) && !listening;

	if (bound.bind_addr_known)
		bound.addr = bound.bind_addr;	/* what get_port() saw */

	if (tb->owners == 0) {
		tb->fastreuse = reuse;
		tb->fastreuseport = flag(sk->reuseport) ? 1 : 0;
		tb->fast = *sk;
	} else {
		if (!reuse)
			tb->fastreuse = 0;
		if (flag(sk->reuseport)) {
			if (!reuseport_match(tb, sk)) {
				tb->fastreuseport = 2;
				tb->fast = *sk;
			}
		} else {
			tb->fastreuseport = 0;
		}
	}
}

/* The bucket as the existing TCP sockets on the port left it: each bound
 * in turn, and a listener's listen() asked get_port() once more. */
static void bucket_of(struct bucket *tb, const struct rules_sock *cand,
		      const struct rules_sock *existing, size_t n)
{
	memset(tb, 0, sizeof *tb);
	for (size_t i = 0; i < n; i++) {
		if (existing[i].proto != IPPROTO_TCP || existing[i].port != cand->port)
			continue;
		bucket_update(tb, &existing[i], 0);
		if (existing[i].state == TCP_LISTEN)
			bucket_update(tb, &existing[i], 1);
		tb->owners++;
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
	/* __inet6_bind(): an IPv6-only socket cannot take an IPv4 address */
	if (c.family == AF_INET6 && v6_kind(&c.addr) == ADDR_MAPPED && c.v6only) {
		out->err = EINVAL;
		out->why = N_("an IPV6_V6ONLY socket cannot bind a v4-mapped address");
		return 0;
	}
	/* __inet6_bind(): a link-local address needs a scope (interface) */
	if (c.family == AF_INET6 && (IN6_IS_ADDR_LINKLOCAL(&c.addr) ||
				     IN6_IS_ADDR_MC_LINKLOCAL(&c.addr))) {
		out->err = EINVAL;
		out->why = N_("a link-local address needs an interface (sin6_scope_id)");
		return 0;
	}
	/* __inet6_bind() checks the port's privilege before the address,
	 * __inet_bind() after it */
	if (cand->family == AF_INET6 && privileged(cand, host)) {
		out->err = EACCES;
		out->why = N_("the port is below ip_unprivileged_port_start and the process lacks CAP_NET_BIND_SERVICE");
		return 0;
	}
	if (!addr_is_local(cand, host)) {
		out->err = EADDRNOTAVAIL;
		out->why = N_("the address is not one of this network namespace's (IP_FREEBIND would allow it)");
		return 0;
	}
	if (privileged(cand, host)) {
		out->err = EACCES;
		out->why = N_("the port is below ip_unprivileged_port_start and the process lacks CAP_NET_BIND_SERVICE");
		return 0;
	}
	if (cand->port == 0) {
		out->why = N_("port 0: the kernel picks a free ephemeral port");
		return 0;
	}
	if (cand->proto == IPPROTO_TCP) {
		struct bucket tb;

		bucket_of(&tb, cand, existing, n);
		if (tb.owners && ((tb.fastreuse > 0 && flag(cand->reuseaddr)) || reuseport_match(&tb, cand)))
			goto listen;	/* the fast path: no conflict check at all */
		collect(cand, 0, existing, n, host->udp_bind_all, out);
		if (out->nblockers_all)
			goto done;
listen:
		if (listen) {
			/* inet_csk_listen_start() asks get_port() again, now as a
			 * listener: only the SO_REUSEPORT shortcut remains */
			bucket_update(&tb, cand, 0);
			if (!reuseport_match(&tb, cand))
				collect(cand, 1, existing, n, host->udp_bind_all, out);
		}
	} else {
		collect(cand, 0, existing, n, host->udp_bind_all, out);
	}
done:
	if (out->nblockers_all) {
		out->err = EADDRINUSE;
		return 0;
	}
	out->why = N_("no socket on an overlapping address holds the port");
	/* sockets that share: the rule that lets the first of them */
	for (size_t i = 0; i < n; i++) {
		const struct rules_sock *b = &existing[i];
		const char *why;

		if (b->proto != cand->proto || b->port != cand->port ||
		    !(cand->proto == IPPROTO_TCP ? tcp_meets(cand, b) : rules_addr_overlap(cand, b)))
			continue;
		if (!rules_conflict(cand, listen, b, &why)) {
			out->why = why;
			break;
		}
	}
	return 0;
}

/* ---- unknown flags: every answer they allow --------------------------- */

static void add_outcome(struct rules_outcomes *o, const struct rules_result *r, unsigned uniform)
{
	size_t i;

	for (i = 0; i < o->n && o->v[i].err != r->err; i++)
		;
	if (i == o->n) {
		if (o->n == sizeof o->v / sizeof o->v[0])
			return;
		memset(&o->v[i], 0, sizeof o->v[i]);
		o->v[i].err = r->err;
		o->v[i].res = *r;
		o->n++;
	}
	if (uniform < 4)
		o->v[i].uniform |= 1u << uniform;
	else
		o->v[i].mixed = 1;
}

int rules_outcomes(const struct rules_sock *cand, int listen,
		   const struct rules_sock *existing, size_t n,
		   const struct rules_host *host, struct rules_outcomes *out)
{
	struct rules_sock *ex;
	size_t k = 0;
	unsigned long combos = 1;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++)
		if (existing[i].proto == cand->proto && existing[i].port == cand->port &&
		    (existing[i].reuseaddr < 0 || existing[i].reuseport < 0)) {
			if (k < RULES_MAX_UNKNOWN)
				out->unknown[k] = i;
			k++;
		}
	out->nunknown = k;
	out->exhaustive = k <= RULES_MAX_UNKNOWN;
	ex = malloc((n + 1) * sizeof *ex);
	if (ex == NULL)
		return -1;
	/* every uniform assignment (all unknown sockets alike: TIME_WAIT
	 * connections of one listener have its flags), then, for a few
	 * sockets, every mix */
	for (unsigned c = 0; c < 4; c++) {
		struct rules_result r;
		int ok = 1;

		memcpy(ex, existing, n * sizeof *ex);
		for (size_t i = 0; i < n && ok; i++)
			if (ex[i].proto == cand->proto && ex[i].port == cand->port &&
			    (ex[i].reuseaddr < 0 || ex[i].reuseport < 0)) {
				ok = feasible(&existing[i], c);
				assign(&ex[i], &existing[i], c);
			}
		if (!ok)
			continue;
		rules_predict(cand, listen, ex, n, host, &r);
		add_outcome(out, &r, k ? c : 0);
		if (k == 0)
			break;
	}
	for (size_t i = 0; out->exhaustive && i < k && k > 1; i++)
		combos *= 4;
	for (unsigned long m = 0; k > 1 && out->exhaustive && m < combos; m++) {
		struct rules_result r;
		unsigned long rest = m;
		unsigned first = (unsigned)(m & 3);
		int ok = 1, uniform = 1;

		memcpy(ex, existing, n * sizeof *ex);
		for (size_t j = 0; j < k; j++, rest >>= 2) {
			unsigned c = (unsigned)(rest & 3);

			uniform &= c == first;
			ok &= feasible(&existing[out->unknown[j]], c);
			assign(&ex[out->unknown[j]], &existing[out->unknown[j]], c);
		}
		if (!ok || uniform)
			continue;	/* the uniform ones are in already */
		rules_predict(cand, listen, ex, n, host, &r);
		add_outcome(out, &r, 4);
	}
	free(ex);
	return 0;
}
