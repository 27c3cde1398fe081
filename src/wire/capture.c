/* capture.c — frames from a packet socket in the sandbox (wire.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include "wire.h"

int wire_open(void)
{
	int on = 1;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	/* the kernel's receive time of each frame, for the pcap */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

size_t wire_read(int fd, struct wire_frame *out, size_t max, unsigned long *dropped)
{
	size_t n = 0;
	struct tpacket_stats st;
	socklen_t stlen = sizeof st;

	while (n < max) {
		struct wire_frame *f = &out[n];
		struct sockaddr_ll from;
		struct iovec iov = { f->data, sizeof f->data };
		union {
			char buf[CMSG_SPACE(sizeof(struct timeval))];
			struct cmsghdr align;
		} u;
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof from,
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = u.buf, .msg_controllen = sizeof u.buf,
		};
		struct cmsghdr *c;
		/* MSG_TRUNC: the frame's real length, not what fitted */
		ssize_t got = recvmsg(fd, &msg, MSG_TRUNC);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;	/* EAGAIN: nothing more now */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;	/* each packet once: as it was received */
		memset(&f->ts, 0, sizeof f->ts);
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP)
				memcpy(&f->ts, CMSG_DATA(c), sizeof f->ts);
		f->ifindex = from.sll_ifindex;
		f->len = (unsigned)got;
		f->caplen = (size_t)got < sizeof f->data ? (unsigned)got : (unsigned)sizeof f->data;
		n++;
	}
	if (dropped) {
		*dropped = 0;
		if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen) == 0)
			*dropped = st.tp_drops;
	}
	return n;
}
