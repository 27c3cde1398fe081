/* destroyed.c — the kernel's word that a socket is gone: sock_diag's
 * destroy multicast groups (contract in inspect.h).
 *
 * When a socket of the namespace is freed and someone listens, the kernel
 * (sk_destruct -> sock_diag_broadcast_destroy) sends an inet_diag_msg of
 * it to SKNLGRP_INET{,6}_{TCP,UDP}_DESTROY.  The netlink family lets any
 * user join (NL_CFG_F_NONROOT_RECV), so this works unprivileged; what the
 * message lacks is the protocol, which the group says (NETLINK_PKTINFO).
 * A TCP socket's TIME-WAIT successor is not a full socket and sends
 * nothing when it expires: dumps see that one go. */
#include "diag_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#define TCP_CLOSE_STATE 7	/* TCP_CLOSE of netinet/tcp.h */

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* group -> protocol (the family is in the message) */
static const struct {
	unsigned group;
	uint8_t proto;
} groups[] = {
	{ SKNLGRP_INET_TCP_DESTROY, IPPROTO_TCP },
	{ SKNLGRP_INET_UDP_DESTROY, IPPROTO_UDP },
	{ SKNLGRP_INET6_TCP_DESTROY, IPPROTO_TCP },
	{ SKNLGRP_INET6_UDP_DESTROY, IPPROTO_UDP },
};

int inspect_destroyed_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	if (diag_replay_path()) {	/* a replay has no kernel behind it */
		errno = ENOTSUP;
		return -1;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	/* bind(), not NETLINK_ADD_MEMBERSHIP alone: an unbound netlink
	 * socket has port id 0, the sender's, and the kernel skips it */
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		sa.nl_groups |= 1u << (groups[i].group - 1);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_PKTINFO, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		goto fail;
	return fd;
fail:
	{
		int e = errno;

		close(fd);
		errno = e;
	}
	return -1;
}

static int wanted(const struct inspect_sock *s, const struct inspect_filter *f)
{
	static const struct { uint8_t bit, family; } fams[] = {
		{ INSPECT_V4, AF_INET }, { INSPECT_V6, AF_INET6 },
	};
	int ok = f->families == 0;

	if (f->protos && !(f->protos & (s->proto == IPPROTO_TCP ? INSPECT_TCP : INSPECT_UDP)))
		return 0;
	for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++)
		if ((f->families & fams[i].bit) && s->family == fams[i].family)
			ok = 1;
	if (!ok)
		return 0;
	return f->port == 0 || s->lport == f->port || s->rport == f->port;
}

int inspect_destroyed_read(int fd, const struct inspect_filter *f, struct inspect_snap *out)
{
	char buf[DIAG_BUF], cbuf[CMSG_SPACE(sizeof(struct nl_pktinfo))];
	int got = 0;

	for (;;) {
		struct iovec iov = { buf, sizeof buf };
		struct sockaddr_nl from;
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof from,
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof cbuf,
		};
		uint8_t proto = 0;
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return got;
		if (n < 0)
			return -1;	/* ENOBUFS: the kernel dropped some */
		if (from.nl_pid != 0)
			continue;	/* only the kernel speaks here */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_PKTINFO) {
				struct nl_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
					if (groups[i].group == pi.group)
						proto = groups[i].proto;
			}
		if (proto == 0)
			continue;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; diag_nlmsg_ok(h, (int)n);
		     n -= NLMSG_ALIGN(h->nlmsg_len), h = (struct nlmsghdr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len))) {
			if (inspect_parse_msg(h, proto, out) < 0)
				continue;
			/* freed, its send buffer's count is past its last
			 * reference: sk_wmem_alloc_get() says -1 (UINT32_MAX);
			 * nothing is queued any more */
			if (out->v[out->n - 1].wqueue == UINT32_MAX)
				out->v[out->n - 1].wqueue = 0;
			/* and its uid is read from the socket's inode, gone
			 * too: the kernel says 0 for everyone's (a row a
			 * sample saw keeps the uid it had) */
			out->v[out->n - 1].uid = INSPECT_UID_UNKNOWN;
			/* a freed TCP socket is CLOSE, not bound-inactive */
			if (proto == IPPROTO_TCP && out->v[out->n - 1].state == INSPECT_STATE_BOUND_INACTIVE)
				out->v[out->n - 1].state = TCP_CLOSE_STATE;
			if (!wanted(&out->v[out->n - 1], f ? f : &(struct inspect_filter){ 0 })) {
				out->n--;
				continue;
			}
			got++;
		}
	}
}
