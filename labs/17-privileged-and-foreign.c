/* Lab 17 — Privileged ports and foreign addresses.
 *
 * What it shows: two reasons bind() refuses a socket that no other socket
 * is in the way of.
 *
 *   Ports below net.ipv4.ip_unprivileged_port_start (per network
 *   namespace, 1024 in a fresh one) need CAP_NET_BIND_SERVICE: a process
 *   without it gets EACCES for 127.0.0.1:1023, a process with it binds.
 *   The same EACCES name as the story's Windows 10013, for another reason.
 *
 *   An address that is on no interface of this host cannot be a local
 *   address: 192.0.2.1 (TEST-NET-1, documentation only) gives
 *   EADDRNOTAVAIL.  IP_FREEBIND lets the bind succeed anyway (for daemons
 *   that start before their address is configured), and IP_FREEBIND
 *   needs no privilege.  The sysctl net.ipv4.ip_nonlocal_bind=1 would do
 *   the same for every socket of the namespace, but writing it does need
 *   privilege: the user role, as nobody, gets EACCES (the file is root's,
 *   mode 0644).  Nothing is ever sent to or from 192.0.2.1: the lab only
 *   binds.
 *
 * The "user" role gives its privilege up.  As real root, the sandbox maps
 * other uids: the role becomes nobody with setresuid(), which clears its
 * capabilities.  In an unprivileged sandbox only uid 0 exists (root of a
 * user namespace, with every capability over the lab's network
 * namespace), so the role drops CAP_NET_BIND_SERVICE from its permitted
 * and effective sets with capset() instead.  Either way the check after
 * it reads the effective set back with capget().
 *
 * On the host's stack (--host) port 1023 is everyone's: there the lab
 * takes a port from 924 to 1023 that depends on its port range
 * (LAB_PORT), so that runs with other --port-base values, at the same
 * time, do not take each other's.  There, run by a user rather than
 * root, the service has no CAP_NET_BIND_SERVICE either: its privileged
 * bind is skipped, and says why.
 *
 * Watch the table: the user's row appears on 127.0.0.1:5000 (not 1023),
 * the service's on 127.0.0.1:1023, and at the end the user's on
 * 192.0.2.1:5001, an address no interface has. */
#include <grp.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "lab/lab.h"

LAB(17, "privileged-and-foreign", "Privileged ports and foreign addresses",
    "Port < ip_unprivileged_port_start: EACCES; foreign address: EADDRNOTAVAIL; IP_FREEBIND");

int main(void)
{
	struct sockaddr_in low = {
		.sin_family = AF_INET,
		.sin_port = htons(1023),	/* just below the default start */
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in high = low, foreign = low, got;
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2];	/* CAP_NET_BIND_SERVICE (10) is in [0] */
	const unsigned bind_service = 1u << CAP_NET_BIND_SERVICE;
	socklen_t len = sizeof got;
	char start[32] = "";
	int on = 1, nobody = -1, sock;

	if (!lab_sandboxed())	/* one privileged port per port range */
		low.sin_port = htons(1023 - LAB_PORT / 100 % 100);
	high.sin_port = htons(LAB_PORT);
	foreign.sin_port = htons(LAB_PORT + 1);
	inet_pton(AF_INET, "192.0.2.1", &foreign.sin_addr);	/* TEST-NET-1 */

	ROLE("service") {
		STEP("Read net.ipv4.ip_unprivileged_port_start",
		     "ports below it are privileged; each network namespace has its own value");
		EXPECT_OK(lab_read_sysctl("net.ipv4.ip_unprivileged_port_start", start, sizeof start));
		NOTE("ip_unprivileged_port_start is %s here", start);
		EXPECT_TRUE(atoi(start) > 1023);
		if (!AS_EXPECTED())
			NOTE("port 1023 is not privileged here: the EACCES below will not happen");
	}
	ROLE("user") {
		STEP("The user role gives up its privilege",
		     "as real root: become nobody; as root of a user namespace: drop the capability");
		nobody = lab_other_uid();
		if (nobody >= 0) {
			EXPECT_OK(setgroups(0, NULL));
			EXPECT_OK(setresgid(nobody, nobody, nobody));
			EXPECT_OK(setresuid(nobody, nobody, nobody));	/* clears the capabilities */
		} else {
			EXPECT_OK(syscall(SYS_capget, &hdr, caps));
			caps[0].effective &= ~bind_service;
			caps[0].permitted &= ~bind_service;
			EXPECT_OK(syscall(SYS_capset, &hdr, caps));
		}
		EXPECT_OK(syscall(SYS_capget, &hdr, caps));
		EXPECT_TRUE(!(caps[0].effective & bind_service));
		if (AS_EXPECTED())
			NOTE("uid %d, without CAP_NET_BIND_SERVICE", (int)geteuid());

		STEP("The user binds 127.0.0.1:1023, then 127.0.0.1:%d",
		     "1023 is below the start: privileged; %d is anyone's", LAB_PORT, LAB_PORT);
		CLAIM("privileged-port");
		sock = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_ERR(EACCES, bind(sock, (struct sockaddr *)&low, sizeof low));
		EXPECT_OK(bind(sock, (struct sockaddr *)&high, sizeof high));
	}
	ROLE("service") {
		STEP("The service binds 127.0.0.1:1023",
		     "it kept CAP_NET_BIND_SERVICE (root, or root of the sandbox's user namespace)");
		/* --host as a user: the service never had the capability, and
		 * the port is privileged on the host's stack for everyone */
		if (syscall(SYS_capget, &hdr, caps) == 0 && !(caps[0].effective & bind_service) &&
		    atoi(start) > ntohs(low.sin_port)) {
			SKIP("the service, uid %d, has no CAP_NET_BIND_SERVICE for port %d of the "
			     "host's stack (run as root, or without --host, to see the privileged "
			     "bind)", (int)geteuid(), ntohs(low.sin_port));
			break;
		}
		sock = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(bind(sock, (struct sockaddr *)&low, sizeof low));
	}
	ROLE("user") {
		STEP("The user binds 192.0.2.1:%d, an address no interface has",
		     "a local address must be one of this host's: EADDRNOTAVAIL", LAB_PORT + 1);
		CLAIM("foreign-addr");
		sock = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_ERR(EADDRNOTAVAIL, bind(sock, (struct sockaddr *)&foreign, sizeof foreign));

		STEP("It sets IP_FREEBIND and binds 192.0.2.1:%d again",
		     "free bind: accept an address that is not (yet) configured here",
		     LAB_PORT + 1);
		CLAIM("foreign-addr");
		EXPECT_OK(setsockopt(sock, IPPROTO_IP, IP_FREEBIND, &on, sizeof on));
		EXPECT_OK(bind(sock, (struct sockaddr *)&foreign, sizeof foreign));
		EXPECT_OK(getsockname(sock, (struct sockaddr *)&got, &len));
		EXPECT_TRUE(got.sin_addr.s_addr == foreign.sin_addr.s_addr);
		if (AS_EXPECTED())
			NOTE("bound without privilege; the socket never sends, and no packet "
			     "goes to 192.0.2.1");

		STEP("The user tries to set net.ipv4.ip_nonlocal_bind=1",
		     "one switch for every socket of the namespace: not a user's to flip");
		CLAIM("nonlocal-sysctl-privileged");
		if (!lab_sandboxed()) {
			SKIP("on the host's stack this lab writes no sysctl");
			break;
		}
		if (nobody < 0) {
			SKIP("no second user id: the user role is root of the sandbox's user "
			     "namespace, which owns its sysctls (run as root to see the refusal)");
			break;
		}
		EXPECT_ERR(EACCES, lab_sysctl("net.ipv4.ip_nonlocal_bind", "1"));
		if (AS_EXPECTED())
			NOTE("uid %d may not write it: IP_FREEBIND, per socket, is the "
			     "unprivileged way", (int)geteuid());
	}

	return lab_end();
}
