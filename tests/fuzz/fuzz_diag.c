/* fuzz_diag.c — libFuzzer harness for inspect_parse_msg() (src/inspect/
 * diag.c): the input is one datagram of sock_diag replies, walked message
 * by message the way diag.c walks what the kernel (or a replay file)
 * sends (diag_nlmsg_ok), each message parsed as a TCP and as a UDP
 * answer.  The rows it makes are then printed as watch prints them, and
 * each local address printed must parse back as an ADDR:PORT for
 * `socklab why`. */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "args.h"
#include "fuzz.h"
#include "inspect/inspect.h"
#include "inspect/diag_priv.h"

static void show(const struct inspect_sock *s, uint8_t proto)
{
	char local[80], peer[80];
	struct in6_addr addr;
	int family, port;

	FUZZ_CHECK(s->family == AF_INET || s->family == AF_INET6);
	FUZZ_CHECK(s->proto == proto);
	FUZZ_CHECK(s->fd == -1 && s->pid == 0 && s->comm[0] == '\0');
	FUZZ_CHECK(s->reuseaddr == -1 && s->reuseport == -1 && s->broadcast == -1);
	(void)inspect_proto_name(s->proto);
	(void)inspect_state_name(s->proto, s->state);
	inspect_format_sock(local, sizeof local, s, 0);
	inspect_format_sock(peer, sizeof peer, s, 1);
	FUZZ_CHECK(memchr(local, 0, sizeof local) && memchr(peer, 0, sizeof peer));
	if (s->lport) {
		FUZZ_CHECK(args_sockaddr(local, &family, &addr, &port) == 0);
		FUZZ_CHECK(port == s->lport);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct inspect_snap snap = { 0 };
	const struct nlmsghdr *nlh;
	void *buf;
	int len;

	if (size > 65536)	/* a datagram: diag.c reads 32 KiB at most */
		return 0;
	buf = malloc(size ? size : 1);	/* aligned as a receive buffer is */
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	for (size_t i = 0; i < sizeof protos; i++) {
		len = (int)size;
		for (nlh = buf; diag_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			size_t before = snap.n;

			errno = 0;
			if (inspect_parse_msg(nlh, protos[i], &snap) < 0) {
				FUZZ_CHECK(errno == EBADMSG && snap.n == before);
				continue;
			}
			FUZZ_CHECK(snap.n == before + 1 && snap.n <= snap.cap);
			show(&snap.v[before], protos[i]);
		}
		/* a protocol sock_diag does not answer for is refused */
		nlh = buf;
		if (diag_nlmsg_ok(nlh, (int)size)) {
			size_t before = snap.n;

			FUZZ_CHECK(inspect_parse_msg(nlh, IPPROTO_ICMP, &snap) < 0 && snap.n == before);
		}
	}
	inspect_free(&snap);
	free(buf);
	return 0;
}
