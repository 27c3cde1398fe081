/* replay.c — the one way the kernel's sock_diag answers come in, so they
 * can be recorded to a file (SOCKLAB_DIAG_RECORD) or played back from one
 * (SOCKLAB_DIAG_REPLAY) instead of asking the kernel.  The file format is in
 * docs/inspect.md; in short, per request:
 *
 *   record header, 20 bytes:
 *     0  4  magic "SLDR"
 *     4  1  version, 1
 *     5  1  flags: bit 0 = the netlink bytes are big-endian; others 0
 *     6  1  family (AF_INET 2, AF_INET6 10)
 *     7  1  protocol (IPPROTO_TCP 6, IPPROTO_UDP 17)
 *     8  4  idiag_states of the request, little-endian
 *    12  4  nlmsg_seq of the request, little-endian
 *    16  2  port filter, little-endian, 0 none
 *    18  2  reserved, 0
 *   then chunks: a 4-byte little-endian length n (1..DIAG_BUF) and n bytes
 *   exactly as one recvmsg() returned them; a length of 0 ends the request.
 *
 * A replay file is untrusted input: every length is checked before use and
 * anything malformed fails with EBADMSG. */
#include "diag_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/netlink.h>

#define REC_MAGIC	"SLDR"
#define REC_VERSION	1
#define REC_HDR_LEN	20
#define REC_F_BIG_ENDIAN	0x01

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int host_big_endian(void)
{
	const uint16_t one = 1;
	unsigned char first;

	memcpy(&first, &one, 1);
	return first == 0;
}

/* Read up to len bytes; fewer only at end of file.  Returns the count, or
 * -1 with errno. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Read exactly len bytes: a short read is a truncated file. */
static int read_exact(int fd, void *buf, size_t len)
{
	ssize_t n = read_full(fd, buf, len);

	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

static int write_all(int fd, struct iovec *iov, int cnt)
{
	while (cnt > 0) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (cnt > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/* Any failure leaves the channel unusable: remember why. */
static int broken(struct diag_io *io)
{
	io->err = errno;
	return -1;
}

const char *diag_replay_path(void)
{
	const char *path = secure_getenv("SOCKLAB_DIAG_REPLAY");

	return path && *path ? path : NULL;
}

int diag_io_begin(struct diag_io *io, int nl)
{
	const char *path;
	struct stat st;

	memset(io, 0, sizeof(*io));
	io->fd = nl;
	io->rec = -1;
	path = diag_replay_path();
	if (path) {
		io->replay = 1;
		/* inspect_open() handed out the replay file itself: read on
		 * from where the last query stopped.  Any other descriptor
		 * (a netlink socket made elsewhere): the file from its start. */
		if (fstat(nl, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		io->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (io->fd < 0)
			return -1;
		io->own = 1;
		return 0;
	}
	path = secure_getenv("SOCKLAB_DIAG_RECORD");
	if (path && *path) {
		io->rec = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (io->rec < 0)
			return -1;
	}
	return 0;
}

static void encode_hdr(unsigned char *h, const struct diag_ask *ask)
{
	memset(h, 0, REC_HDR_LEN);
	memcpy(h, REC_MAGIC, 4);
	h[4] = REC_VERSION;
	h[5] = host_big_endian() ? REC_F_BIG_ENDIAN : 0;
	h[6] = ask->family;
	h[7] = ask->proto;
	put_le32(h + 8, ask->states);
	put_le32(h + 12, ask->seq);
	put_le16(h + 16, ask->port);
}

/* The next record header of the replay file, checked against ask. */
static int replay_request(struct diag_io *io, struct diag_ask *ask)
{
	unsigned char h[REC_HDR_LEN];
	ssize_t n;

	n = read_full(io->fd, h, sizeof(h));
	/* At the start of a query, the end of the file starts it over: a
	 * file of one dump answers every query the same, a file of several
	 * dumps plays them in turn. */
	if (n == 0 && io->nreq == 0 && !io->own) {
		if (lseek(io->fd, 0, SEEK_SET) < 0)
			return -1;
		n = read_full(io->fd, h, sizeof(h));
	}
	if (n < 0)
		return -1;
	if ((size_t)n != sizeof(h) || memcmp(h, REC_MAGIC, 4) ||
	    h[4] != REC_VERSION || (h[5] & ~REC_F_BIG_ENDIAN) ||
	    (h[5] & REC_F_BIG_ENDIAN) != (host_big_endian() ? REC_F_BIG_ENDIAN : 0) ||
	    get_le16(h + 18) != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (h[6] != ask->family || h[7] != ask->proto ||
	    get_le32(h + 8) != ask->states || get_le16(h + 16) != ask->port) {
		errno = ENOMSG;
		return -1;
	}
	ask->seq = get_le32(h + 12);
	return 0;
}

int diag_io_request(struct diag_io *io, const struct nlmsghdr *nlh,
		    struct diag_ask *ask)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	unsigned char h[REC_HDR_LEN];
	struct iovec iov;

	if (io->err) {
		errno = io->err;
		return -1;
	}
	if (io->open && diag_io_done(io) < 0)
		return -1;
	if (io->replay) {
		if (replay_request(io, ask) < 0)
			return broken(io);
		io->nreq++;
		io->open = 1;
		return 0;
	}
	io->nreq++;
	if (sendto(io->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -1;
	if (io->rec >= 0) {
		encode_hdr(h, ask);
		iov.iov_base = h;
		iov.iov_len = sizeof(h);
		if (write_all(io->rec, &iov, 1) < 0)
			return broken(io);
	}
	io->open = 1;
	return 0;
}

static ssize_t live_recv(struct diag_io *io, void *buf)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { .iov_base = buf, .iov_len = DIAG_BUF };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		unsigned char lenbuf[4];
		struct iovec out[2];
		ssize_t len = recvmsg(io->fd, &mh, 0);

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
		if (len == 0) {		/* never from the kernel */
			errno = EBADMSG;
			return -1;
		}
		if (io->rec >= 0) {
			put_le32(lenbuf, (uint32_t)len);
			out[0].iov_base = lenbuf;
			out[0].iov_len = sizeof(lenbuf);
			out[1].iov_base = buf;
			out[1].iov_len = (size_t)len;
			if (write_all(io->rec, out, 2) < 0)
				return broken(io);
		}
		return len;
	}
}

/* Returns the next chunk's length, 0 at the request's end marker. */
static ssize_t replay_chunk_len(struct diag_io *io)
{
	unsigned char lenbuf[4];
	uint32_t len;

	if (read_exact(io->fd, lenbuf, sizeof(lenbuf)) < 0)
		return -1;
	len = get_le32(lenbuf);
	if (len > DIAG_BUF) {
		errno = EBADMSG;
		return -1;
	}
	return (ssize_t)len;
}

ssize_t diag_io_recv(struct diag_io *io, void *buf)
{
	ssize_t len;

	if (io->err) {
		errno = io->err;
		return -1;
	}
	if (!io->open) {	/* no request, or its reply already ended */
		errno = EBADMSG;
		return -1;
	}
	if (!io->replay)
		return live_recv(io, buf);
	len = replay_chunk_len(io);
	if (len < 0)
		return broken(io);
	if (len == 0) {		/* the recorded reply ends before the dump did */
		io->open = 0;
		errno = EBADMSG;
		return -1;
	}
	if (read_exact(io->fd, buf, (size_t)len) < 0)
		return broken(io);
	return len;
}

int diag_io_done(struct diag_io *io)
{
	static const unsigned char end[4];
	unsigned char skip[512];
	struct iovec iov;
	ssize_t len;

	if (!io->open)
		return 0;
	io->open = 0;
	if (io->err) {
		errno = io->err;
		return -1;
	}
	if (!io->replay) {
		if (io->rec < 0)
			return 0;
		iov.iov_base = (void *)end;
		iov.iov_len = sizeof(end);
		return write_all(io->rec, &iov, 1) < 0 ? broken(io) : 0;
	}
	/* Replies the caller did not read (it stopped at an error): skip to
	 * the end marker. */
	while ((len = replay_chunk_len(io)) > 0) {
		while (len > 0) {
			size_t part = (size_t)len < sizeof(skip) ? (size_t)len : sizeof(skip);

			if (read_exact(io->fd, skip, part) < 0)
				return broken(io);
			len -= (ssize_t)part;
		}
	}
	return len < 0 ? broken(io) : 0;
}

int diag_io_end(struct diag_io *io, int failed)
{
	int ret = 0, saved = errno;

	/* A recording always gets its end marker, so records appended
	 * after a failed query still parse. */
	if (io->open && (!io->replay || !failed) && diag_io_done(io) < 0 &&
	    !failed) {
		ret = -1;
		saved = errno;
	}
	io->open = 0;
	if (io->rec >= 0 && close(io->rec) < 0 && ret == 0) {
		ret = -1;
		saved = errno;
	}
	io->rec = -1;
	if (io->own)
		close(io->fd);
	else if (io->replay && failed)
		lseek(io->fd, 0, SEEK_SET);
	io->own = 0;
	errno = saved;
	return ret;
}
