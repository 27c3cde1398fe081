/* diag.c — TCP/UDP socket dump through NETLINK_SOCK_DIAG (what ss does).
 *
 * One query = one inet_diag dump request per (family, protocol) pair the
 * filter wants; the kernel filters states and, with INET_DIAG_REQ_BYTECODE,
 * ports (filter.c).  Answers come in through replay.c only, which may
 * record them or play them back (docs/inspect.md). */
#include "inspect.h"
#include "diag_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <libmnl/libmnl.h>

/* Request buffer: header, inet_diag_req_v2 and the bytecode attribute. */
#define REQ_BUF	256

/* Distinct sequence numbers keep replies of an abandoned dump on a reused
 * socket from being mistaken for the current one. */
static uint32_t diag_seq;

/* Under SOCKLAB_DIAG_REPLAY the "socket" is the replay file itself, opened
 * read-only: queries on it read the file in turn and never reach the
 * kernel, and close() ends it like a socket. */
int inspect_open(void)
{
	const char *replay = diag_replay_path();

	if (replay)
		return open(replay, O_RDONLY | O_CLOEXEC);
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

int inspect_snap_push(struct inspect_snap *out, const struct inspect_sock *row)
{
	if (snap_grow(out) < 0)
		return -1;
	out->v[out->n++] = *row;
	return 0;
}

int diag_nlmsg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned)len;
}

/* The payload of the first attribute of this type after the inet_diag_msg
 * that carries at least one byte, or NULL.  Bounded by nlmsg_len itself:
 * mnl_attr_for_each() walks to the aligned end, up to 3 bytes past the
 * last message of a datagram whose length is not a multiple of 4 (a
 * replay file may hold one). */
static const uint8_t *attr_u8(const struct nlmsghdr *nlh, uint16_t type)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct inet_diag_msg));

	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		const struct nlattr *a = (const void *)((const char *)nlh + off);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > nlh->nlmsg_len - off)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type && a->nla_len > NLA_HDRLEN)
			return (const uint8_t *)a + NLA_HDRLEN;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

int inspect_parse_msg(const struct nlmsghdr *nlh, uint8_t proto, struct inspect_snap *out)
{
	const struct inet_diag_msg *r;
	const uint8_t *u8;
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
		s->state = INSPECT_STATE_BOUND_INACTIVE;
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
	s->cookie = (uint64_t)r->id.idiag_cookie[1] << 32 | r->id.idiag_cookie[0];
	s->ifindex = r->id.idiag_if;
	/* 1 retransmit (also loss probe, reorder), 2 keepalive, 3 TIME_WAIT,
	 * 4 zero-window probe; the kernel reports what is left, in ms, and 0
	 * for a timer already due. */
	s->timer = r->idiag_timer;
	s->expires_ms = r->idiag_expires;
	s->pid = 0;
	s->fd = -1;
	s->comm[0] = '\0';
	/* Not in sock_diag: inspect_flags() reads them from the owner. */
	s->reuseaddr = s->reuseport = s->broadcast = -1;
	s->mark = 0;
	/* Needed to print the IPv6 wildcard as ss does.  TIME_WAIT and
	 * request sockets carry no attributes and stay 0. */
	if ((u8 = attr_u8(nlh, INET_DIAG_SKV6ONLY)) != NULL)
		s->v6only = *u8 != 0;
	return 0;
}

/* A reply for another family/protocol would be mislabelled: skip it.
 * Returns 1 when the message belongs to the request. */
static int msg_matches(const struct nlmsghdr *nlh, uint8_t family, uint8_t proto)
{
	const struct inet_diag_msg *r;
	const uint8_t *u8;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*r)))
		return 1;	/* let inspect_parse_msg reject it */
	r = mnl_nlmsg_get_payload(nlh);
	if (r->idiag_family != family)
		return 0;
	u8 = attr_u8(nlh, INET_DIAG_PROTOCOL);
	return u8 == NULL || *u8 == proto;
}

/* A negative errno from the kernel; anything else (a replay file is
 * untrusted) is a malformed message.  Returns -1. */
static int kernel_error(int error)
{
	errno = error < 0 && error > -4096 ? -error : EBADMSG;
	return -1;
}

/* One datagram of replies.  Returns 1 for more to come, 0 when the dump
 * is done, -1 with errno. */
static int dump_batch(const void *buf, int len, uint32_t seq, uint8_t family,
		      uint8_t proto, struct inspect_snap *out)
{
	const struct nlmsghdr *nlh = buf;
	const struct nlmsgerr *err;
	const int *status;

	for (; diag_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
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
			return kernel_error(err->error);
		case NLMSG_DONE:
			/* Errors met during a dump arrive here, not as NLMSG_ERROR. */
			status = mnl_nlmsg_get_payload(nlh);
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(*status) &&
			    *status != 0)
				return kernel_error(*status);
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

/* One request and its replies.  Returns 0, or -1 with errno (EINVAL: the
 * kernel refused the request). */
static int dump_one(struct diag_io *io, void *buf, struct diag_ask *ask,
		    const void *bc, int bclen, struct inspect_snap *out)
{
	_Alignas(struct nlmsghdr) char reqbuf[REQ_BUF];
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	ssize_t len;
	int ret;

	if (!diag_seq)
		diag_seq = (uint32_t)time(NULL);
	ask->seq = ++diag_seq;

	memset(reqbuf, 0, sizeof(reqbuf));
	nlh = mnl_nlmsg_put_header(reqbuf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ask->seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = ask->family;
	req->sdiag_protocol = ask->proto;
	req->idiag_states = ask->states;
	req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (bclen > 0)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, (size_t)bclen, bc);

	if (diag_io_request(io, nlh, ask) < 0)
		return -1;
	for (;;) {
		len = diag_io_recv(io, buf);
		if (len < 0)
			return -1;
		/* ask->seq: a replay answers with the recorded one */
		ret = dump_batch(buf, (int)len, ask->seq, ask->family,
				 ask->proto, out);
		if (ret <= 0)
			return ret;
	}
}

/* dump_one, then close the request's record whatever happened. */
static int ask_kernel(struct diag_io *io, void *buf, struct diag_ask *ask,
		      const void *bc, int bclen, struct inspect_snap *out)
{
	int ret = dump_one(io, buf, ask, bc, bclen, out);
	int saved = errno;

	if (diag_io_done(io) < 0 && ret == 0)
		return -1;
	errno = saved;
	return ret;
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

/* Name the interfaces rows are bound to, through the diag socket: an
 * ioctl on a socket answers in that socket's network namespace, the one
 * read (socklab itself may sit in another; if_indextoname would ask
 * ours).  A replay names none: its rows keep the number alone. */
static void name_devices(int nl, struct inspect_snap *out)
{
	for (size_t i = 0; i < out->n; i++) {
		struct ifreq ifr = { .ifr_ifindex = (int)out->v[i].ifindex };

		if (out->v[i].ifindex && ioctl(nl, SIOCGIFNAME, &ifr) == 0)
			snprintf(out->v[i].ifname, sizeof out->v[i].ifname, "%.*s",
				 (int)sizeof ifr.ifr_name, ifr.ifr_name);
	}
}

int inspect_query(int nl, const struct inspect_filter *f, struct inspect_snap *out)
{
	struct diag_req reqs[DIAG_MAX_REQS];
	unsigned char bc[DIAG_BC_PORT_LEN];
	struct diag_io io;
	struct diag_ask ask;
	uint32_t states, classic;
	void *buf = NULL;
	int i, nreq, bclen = 0, saved, io_open = 0;
	size_t mark;

	out->n = 0;
	nreq = diag_filter_reqs(f, reqs);
	if (nreq < 0)
		goto fail;
	if (f && f->port) {
		bclen = diag_bc_port(bc, sizeof(bc), f->port);
		if (bclen < 0)
			goto fail;
	}
	states = diag_filter_states(f);
	buf = malloc(DIAG_BUF);
	if (!buf)
		goto fail;
	if (diag_io_begin(&io, nl) < 0)
		goto fail;
	io_open = 1;
	for (i = 0; i < nreq; i++) {
		ask = (struct diag_ask){
			.family = reqs[i].family, .proto = reqs[i].proto,
			.port = f ? f->port : 0, .states = states,
		};
		mark = out->n;
		if (ask_kernel(&io, buf, &ask, bc, bclen, out) == 0)
			continue;
		/* A kernel that refuses the bound-inactive bit: ask again for
		 * the classic states only (none left: it has nothing to show). */
		classic = states & DIAG_STATES_CLASSIC;
		if (errno != EINVAL || classic == states)
			goto fail;
		out->n = mark;
		if (!classic)
			continue;
		ask.states = classic;
		if (ask_kernel(&io, buf, &ask, bc, bclen, out) < 0)
			goto fail;
	}
	if (!io.replay)
		name_devices(io.fd, out);
	io_open = 0;
	if (diag_io_end(&io, 0) < 0)
		goto fail;
	free(buf);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_sock);
	return 0;
fail:
	saved = errno;
	if (io_open)
		diag_io_end(&io, 1);
	free(buf);
	inspect_free(out);
	errno = saved;
	return -1;
}

int inspect_dump(int nl, struct inspect_snap *out)
{
	return inspect_query(nl, NULL, out);
}

void inspect_free(struct inspect_snap *snap)
{
	if (!snap)
		return;
	free(snap->v);
	snap->v = NULL;
	snap->n = snap->cap = 0;
}
