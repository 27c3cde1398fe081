/* Lab 09 — Port hijack: another user on the service's port.
 *
 * What it shows: the story warns that port reuse is a security question.
 * Its warning describes Windows up to XP, where "multiple binding" let a
 * newcomer's SO_REUSEADDR (or a more specific bind) take a port with no
 * privilege check, so a low-privilege user could bind over a service's
 * port and read its traffic.  Since Windows Server 2003 such a bind gets
 * WSAEACCES (10013) unless the service itself set SO_REUSEADDR, and
 * SO_EXCLUSIVEADDRUSE lets a service forbid any reuse of its port
 * (docs/reuse-semantics.md).  Linux has no SO_EXCLUSIVEADDRUSE.  It needs
 * none: a port is exclusive unless its owner opts in.  But opting in with
 * SO_REUSEADDR on a UDP socket, as the story's fix did, opens the port to
 * every user:
 *
 *   the service set           the intruder (another uid)  bind (kernel 6.18)
 *   SO_REUSEADDR              SO_REUSEADDR                succeeds; the intruder,
 *                                                         bound last, gets unicast
 *   SO_REUSEADDR+SO_REUSEPORT SO_REUSEADDR                succeeds (listenMultiple)
 *   SO_REUSEPORT              SO_REUSEPORT                EADDRINUSE (uid differs)
 *   SO_REUSEPORT              SO_REUSEADDR                EADDRINUSE
 *   nothing                   SO_REUSEADDR                EADDRINUSE
 *
 * The kernel's UDP check (udp_lib_lport_inuse) lets two sockets share when
 * both set SO_REUSEADDR, whoever owns them, and only falls back to the
 * SO_REUSEPORT rule, which compares uids, when they do not.  So: a UDP
 * service should not set SO_REUSEADDR.  SO_REUSEPORT alone keeps other
 * users out, but it is no way to share the port with the service's own
 * client: the group splits the service's traffic with the client by flow
 * hash (lab 19).  To send from the service's port, send from the service's
 * socket (lab 19).  (Ports below 1024 add another guard: lab 17.)
 *
 * The intruder needs a second uid, which an unprivileged sandbox does not
 * have: there the lab is skipped.
 *
 * Watch the table's OWNER column (and UID in the dashboard): 0.0.0.0:5000
 * and 0.0.0.0:5001 get a second row, the intruder's, flagged ra; 5002 and
 * 5003 stay the service's alone. */
#include <sys/time.h>

#include "lab/lab.h"

LAB(9, "port-hijack", "Port hijack: another user on the service's port",
    "another uid's SO_REUSEADDR bind takes a UDP service's port; SO_REUSEPORT's uid guard stops it");

int main(void)
{
	struct sockaddr_in port[4];	/* 0.0.0.0:LAB_PORT ... LAB_PORT + 3 */
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval wait = { 1, 0 };
	char buf[64];
	int on = 1, me = (int)getuid(), other = lab_other_uid();
	int shared = -1, multiple = -1, guarded = -1, plain = -1;	/* the service's */
	int grab = -1, intr = -1;					/* the intruder's */
	int client = -1;

	if (other < 0) {
		SKIP("needs a second user id, and an unprivileged sandbox maps only one "
		     "(run as root to see the hijack)");
		return lab_end();
	}
	for (int i = 0; i < 4; i++)
		port[i] = (struct sockaddr_in){ .sin_family = AF_INET,
						.sin_port = htons(LAB_PORT + i),
						.sin_addr.s_addr = htonl(INADDR_ANY) };

	ROLE("service") {
		STEP("The service binds 0.0.0.0:%d with SO_REUSEADDR",
		     "the story's fix: reuse on, so that its own client can share the port",
		     LAB_PORT);
		shared = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(shared, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(setsockopt(shared, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(shared, (struct sockaddr *)&port[0], sizeof port[0]));
	}
	ROLE("intruder") {
		STEP("Another user sets SO_REUSEADDR and binds 0.0.0.0:%d",
		     "an unprivileged process of a different uid, after the same port", LAB_PORT);
		/* the kernel records the uid when the socket is created: switch first */
		EXPECT_OK(setresuid(other, other, other));
		grab = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(grab, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(setsockopt(grab, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(grab, (struct sockaddr *)&port[0], sizeof port[0]));
		if (AS_EXPECTED())
			NOTE("uid %d now shares uid %d's port: SO_REUSEADDR sharing of a UDP "
			     "port has no user check", other, me);
	}
	ROLE("client") {
		STEP("A client sends a request to 127.0.0.1:%d",
		     "it is meant for the service", LAB_PORT);
		CLAIM("reuseaddr-hijack-udp");
		client = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		to.sin_port = htons(LAB_PORT);
		EXPECT_OK(sendto(client, "secret", 6, 0, (struct sockaddr *)&to, sizeof to));
	}
	ROLE("intruder") {
		EXPECT_OK(recv(grab, buf, sizeof buf, 0));
	}
	ROLE("service") {
		EXPECT_ERR(EAGAIN, recv(shared, buf, sizeof buf, MSG_DONTWAIT));
		if (AS_EXPECTED())
			NOTE("the intruder, bound last, read the service's request; the service "
			     "saw nothing, and no error tells it");
	}

	ROLE("service") {
		STEP("The service binds 0.0.0.0:%d the listenMultiple way",
		     "SO_REUSEADDR and SO_REUSEPORT, as Twisted's listenMultiple=True sets them",
		     LAB_PORT + 1);
		multiple = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(multiple, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(setsockopt(multiple, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
		EXPECT_OK(bind(multiple, (struct sockaddr *)&port[1], sizeof port[1]));
	}
	ROLE("intruder") {
		intr = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(intr, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(intr, (struct sockaddr *)&port[1], sizeof port[1]));
		if (AS_EXPECTED())
			NOTE("SO_REUSEPORT's uid check is never reached when both sockets set "
			     "SO_REUSEADDR: the story's fix leaves its port open to every user");
	}

	ROLE("service") {
		STEP("The service binds 0.0.0.0:%d with SO_REUSEPORT only",
		     "a reuseport group admits only sockets of the same uid", LAB_PORT + 2);
		CLAIM("reuseport-same-uid");
		guarded = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(guarded, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(setsockopt(guarded, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
		EXPECT_OK(bind(guarded, (struct sockaddr *)&port[2], sizeof port[2]));
	}
	ROLE("intruder") {
		intr = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(intr, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
		EXPECT_ERR(EADDRINUSE, bind(intr, (struct sockaddr *)&port[2], sizeof port[2]));
		intr = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(intr, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_ERR(EADDRINUSE, bind(intr, (struct sockaddr *)&port[2], sizeof port[2]));
		if (AS_EXPECTED())
			NOTE("uid %d may not join uid %d's reuseport group, and SO_REUSEADDR "
			     "gets nowhere: the service never agreed to it", other, me);
	}

	ROLE("service") {
		STEP("The service binds 0.0.0.0:%d with no option",
		     "Linux's default: nobody may share the port", LAB_PORT + 3);
		plain = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(plain, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(bind(plain, (struct sockaddr *)&port[3], sizeof port[3]));
	}
	ROLE("intruder") {
		intr = EXPECT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		EXPECT_OK(setsockopt(intr, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_ERR(EADDRINUSE, bind(intr, (struct sockaddr *)&port[3], sizeof port[3]));
		if (AS_EXPECTED())
			NOTE("a service that did not opt in keeps its port, as on Windows since "
			     "Server 2003; Linux needs no SO_EXCLUSIVEADDRUSE for it");
	}

	ROLE("client") {
		STEP("The client sends to 127.0.0.1:%d and 127.0.0.1:%d",
		     "ports the intruder could not join", LAB_PORT + 2, LAB_PORT + 3);
		to.sin_port = htons(LAB_PORT + 2);
		EXPECT_OK(sendto(client, "secret", 6, 0, (struct sockaddr *)&to, sizeof to));
		to.sin_port = htons(LAB_PORT + 3);
		EXPECT_OK(sendto(client, "secret", 6, 0, (struct sockaddr *)&to, sizeof to));
	}
	ROLE("service") {
		EXPECT_OK(recv(guarded, buf, sizeof buf, 0));
		EXPECT_OK(recv(plain, buf, sizeof buf, 0));
		if (AS_EXPECTED())
			NOTE("the service keeps the traffic of the ports it did not open to others");
	}

	return lab_end();
}
