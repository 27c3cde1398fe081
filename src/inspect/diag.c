/* diag.c — TCP/UDP socket dump through NETLINK_SOCK_DIAG (what ss does). */
#include "inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <libmnl/libmnl.h>

/* Large enough that the kernel never truncates a dump datagram: it sizes
 * dump skbs after the reader's buffer, up to this. */
#define DIAG_BUF	32768

/* Kernel pseudo-state (6.7+) that selects bound-inactive TCP sockets. */
#define STATE_BOUND_INACTIVE	13

/* All classic TCP states (ss's "all" before bound-inactive existed). */
#define STATES_CLASSIC	((1U << 13) - 1)

/* Distinct sequence numbers keep replies of an abandoned dump on a reused
 * socket from being mistaken for the current one. */
static uint32_t diag_seq;

int inspect_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
}

static int snap_grow(struct inspect_snap *out)
{
	struct inspect_sock *v;
	size_t cap;

	if (out->n < out->cap)
		return 0;
	cap = out->cap ? out->cap * 2 : 16;
	if (cap > SIZE_MAX / sizeof(*v)) {
		errno = ENOMEM;
		return -1;
	}
	v = realloc(out->v, cap * sizeof(*v));
	if (!v)
		return -1;
	out->v = v;
	out->cap = cap;
	return 0;
}

int inspect_parse_msg(const struct nlmsghdr *nlh, uint8_t proto, struct inspect_snap *out)
{
	const struct inet_diag_msg *r;
	const struct nlattr *a;
	struct inspect_sock *s;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*r)) ||
	    nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY) {
		errno = EBADMSG;
		return -1;
	}
	r = mnl_nlmsg_get_payload(nlh);
	if (r->idiag_family != AF_INET && r->idiag_family != AF_INET6) {
		errno = EBADMSG;
		return -1;
	}
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP) {
		errno = EINVAL;
		return -1;
	}
	if (snap_grow(out) < 0)
		return -1;

	s = &out->v[out->n++];
	memset(s, 0, sizeof(*s));
	s->family = r->idiag_family;
	s->proto = proto;
	s->state = r->idiag_state;
	/* Bound-inactive sockets come back as TCP_CLOSE, and they are the only
	 * TCP sockets a dump returns in that state: name them by the
	 * pseudo-state that selected them. */
	if (proto == IPPROTO_TCP && s->state == TCP_CLOSE)
		s->state = STATE_BOUND_INACTIVE;
	s->lport = ntohs(r->id.idiag_sport);
	s->rport = ntohs(r->id.idiag_dport);
	/* The rest of an AF_INET address stays zero so rows sort by memcmp. */
	memcpy(&s->laddr, r->id.idiag_src, s->family == AF_INET ? 4 : 16);
	memcpy(&s->raddr, r->id.idiag_dst, s->family == AF_INET ? 4 : 16);
	/* The kernel already reports what ss prints: backlog/max backlog for
	 * TCP listeners, unread/unacked bytes for TCP, memory for UDP. */
	s->rqueue = r->idiag_rqueue;
	s->wqueue = r->idiag_wqueue;
	s->uid = r->idiag_uid;
	s->inode = r->idiag_inode;
	s->pid = 0;
	s->fd = -1;
	/* Needed to print the IPv6 wildcard as ss does.  TIME_WAIT and
	 * request sockets carry no attributes and stay 0. */
	mnl_attr_for_each(a, nlh, sizeof(*r)) {
		if (mnl_attr_get_type(a) == INET_DIAG_SKV6ONLY &&
		    mnl_attr_get_payload_len(a) >= 1)
			s->v6only = mnl_attr_get_u8(a) != 0;
	}
	return 0;
}

/* A reply for another family/protocol would be mislabelled: skip it.
 * Returns 1 when the message belongs to the request. */
static int msg_matches(const struct nlmsghdr *nlh, uint8_t family, uint8_t proto)
{
	const struct inet_diag_msg *r;
	const struct nlattr *a;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*r)))
		return 1;	/* let inspect_parse_msg reject it */
	r = mnl_nlmsg_get_payload(nlh);
	if (r->idiag_family != family)
		return 0;
	mnl_attr_for_each(a, nlh, sizeof(*r)) {
		if (mnl_attr_get_type(a) == INET_DIAG_PROTOCOL &&
		    mnl_attr_get_payload_len(a) >= 1 &&
		    mnl_attr_get_u8(a) != proto)
			return 0;
	}
	return 1;
}

/* One datagram of replies.  Returns 1 for more to come, 0 when the dump
 * is done, -1 with errno. */
static int dump_batch(const void *buf, int len, uint32_t seq, uint8_t family,
		      uint8_t proto, struct inspect_snap *out)
{
	const struct nlmsghdr *nlh = buf;
	const struct nlmsgerr *err;
	const int *status;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq)
			continue;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_ERROR:
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
				errno = EBADMSG;
				return -1;
			}
			err = mnl_nlmsg_get_payload(nlh);
			if (err->error == 0)
				return 0;	/* a plain ack ends it too */
			errno = -err->error;
			return -1;
		case NLMSG_DONE:
			/* Errors met during a dump arrive here, not as NLMSG_ERROR. */
			status = mnl_nlmsg_get_payload(nlh);
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(*status) &&
			    *status < 0) {
				errno = -*status;
				return -1;
			}
			return 0;
		case SOCK_DIAG_BY_FAMILY:
			if (!msg_matches(nlh, family, proto))
				continue;
			if (inspect_parse_msg(nlh, proto, out) < 0)
				return -1;
			continue;
		default:
			continue;
		}
	}
	if (len > 0) {	/* trailing bytes that are not a whole message */
		errno = EBADMSG;
		return -1;
	}
	return 1;
}

static int dump_one(int nl, void *buf, uint8_t family, uint8_t proto,
		    uint32_t states, struct inspect_snap *out)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	uint32_t seq;
	int ret;

	if (!diag_seq)
		diag_seq = (uint32_t)time(NULL);
	seq = ++diag_seq;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = proto;
	req->idiag_states = states;
	req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;

	if (sendto(nl, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -1;

	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { .iov_base = buf, .iov_len = DIAG_BUF };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		ssize_t len = recvmsg(nl, &mh, 0);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		if (from.nl_pid != 0)	/* only the kernel answers */
			continue;
		ret = dump_batch(buf, (int)len, seq, family, proto, out);
		if (ret <= 0)
			return ret;
	}
}

static int cmp_addr(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a));
}

#define CMP(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

static int cmp_sock(const void *pa, const void *pb)
{
	const struct inspect_sock *a = pa, *b = pb;
	int c;

	CMP(a->proto, b->proto);
	CMP(a->lport, b->lport);
	CMP(a->family, b->family);
	if ((c = cmp_addr(&a->laddr, &b->laddr)))
		return c;
	CMP(a->rport, b->rport);
	if ((c = cmp_addr(&a->raddr, &b->raddr)))
		return c;
	CMP(a->inode, b->inode);
	return 0;
}

int inspect_dump(int nl, struct inspect_snap *out)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	void *buf;
	size_t i, j, mark;
	int saved;

	out->n = 0;
	buf = malloc(DIAG_BUF);
	if (!buf)
		goto fail;
	for (i = 0; i < sizeof(families); i++) {
		for (j = 0; j < sizeof(protos); j++) {
			mark = out->n;
			/* ~0U asks for bound-inactive TCP sockets too (6.7+);
			 * older kernels ignore the extra bits, but fall back in
			 * case one refuses them. */
			if (dump_one(nl, buf, families[i], protos[j], ~0U, out) == 0)
				continue;
			if (errno != EINVAL)
				goto fail;
			out->n = mark;
			if (dump_one(nl, buf, families[i], protos[j],
				     STATES_CLASSIC, out) < 0)
				goto fail;
		}
	}
	free(buf);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_sock);
	return 0;
fail:
	saved = errno;
	free(buf);
	inspect_free(out);
	errno = saved;
	return -1;
}

void inspect_free(struct inspect_snap *snap)
{
	if (!snap)
		return;
	free(snap->v);
	snap->v = NULL;
	snap->n = snap->cap = 0;
}
