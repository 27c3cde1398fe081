/* Lab 15 — Two TCP listeners on one port.
 *
 * What it shows: for TCP, SO_REUSEADDR never lets two sockets listen on
 * the same address and port.  With a listener already there, the second
 * bind() fails with EADDRINUSE.  Two sockets that bind before either
 * listens may share the port while bound, but then the second listen()
 * fails instead (kernel 6.18: inet_bind_conflict() lets reuse pass only
 * when the other socket is not listening).  SO_REUSEPORT on both sockets
 * (same user) makes a group: both listen, and the kernel spreads incoming
 * connections across them by a hash of each connection's addresses and ports.
 *
 * As for UDP (lab 06), the kernel reads the holder's flag when the
 * newcomer binds: a listener may set SO_REUSEPORT even after listen(), and
 * a second listener with SO_REUSEPORT then joins it (the last steps,
 * measured on 6.18).  Only the newcomer must set it before its bind().
 *
 * Watch the table: one LISTEN row on 127.0.0.1:5000, then two BOUND rows
 * (bound, neither listening nor connected), then two LISTEN rows flagged
 * reuseport.  After the connections, each LISTEN row's RECV-Q is its
 * accept queue: how many of the 40 connections it got. */
#include <fcntl.h>

#include "lab/lab.h"

LAB(15, "tcp-listeners", "Two TCP listeners on one port",
    "SO_REUSEADDR refuses a second listener; SO_REUSEPORT balances connections");

#define CLIENTS 40

int main(void)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in peer;
	socklen_t len;
	int on = 1;
	int first, second, client[CLIENTS], holder, joiner;
	in_port_t cport[CLIENTS];	/* each client's own port */
	int got[CLIENTS] = { 0 }, accepted[2] = { 0, 0 }, opened = 0, connected = 0, once = 0;

	STEP("The first socket sets SO_REUSEADDR, binds 127.0.0.1:%d and listens",
	     "a server that always sets SO_REUSEADDR, as lab 14 recommends", LAB_PORT);
	first = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(setsockopt(first, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(listen(first, CLIENTS));

	STEP("A second socket with SO_REUSEADDR binds 127.0.0.1:%d",
	     "reuse on both sides, but the port already has a listener", LAB_PORT);
	CLAIM("tcp-reuseaddr-listeners");
	second = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_ERR(EADDRINUSE, bind(second, (struct sockaddr *)&a, sizeof a));
	if (AS_EXPECTED())
		NOTE("SO_REUSEADDR lets a TCP socket bind beside TIME_WAIT and other "
		     "non-listening sockets, never beside a listener");

	STEP("Start over: two sockets with SO_REUSEADDR bind 127.0.0.1:%d before either listens",
	     "neither socket listens yet, so both binds succeed", LAB_PORT);
	EXPECT_OK(close(first));
	EXPECT_OK(close(second));
	first = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	second = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(setsockopt(first, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(setsockopt(second, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(bind(second, (struct sockaddr *)&a, sizeof a));

	STEP("Both call listen()", "listen() checks the port again: now the refusal comes here");
	CLAIM("tcp-reuseaddr-listeners");
	EXPECT_OK(listen(first, CLIENTS));
	EXPECT_ERR(EADDRINUSE, listen(second, CLIENTS));
	if (AS_EXPECTED())
		NOTE("the second socket stays bound (its BOUND row) but cannot listen");

	STEP("Start over: two sockets set SO_REUSEPORT, bind 127.0.0.1:%d and listen",
	     "SO_REUSEPORT on both, same user: the kernel makes them one group", LAB_PORT);
	EXPECT_OK(close(first));
	EXPECT_OK(close(second));
	first = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	second = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(setsockopt(first, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_OK(setsockopt(second, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_OK(bind(first, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(listen(first, CLIENTS));
	EXPECT_OK(bind(second, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(listen(second, CLIENTS));

	STEP("40 clients connect to 127.0.0.1:%d",
	     "each from its own ephemeral port; the handshake completes into one listener's queue",
	     LAB_PORT);
	for (int i = 0; i < CLIENTS; i++) {
		client[i] = socket(AF_INET, SOCK_STREAM, 0);
		opened += client[i] >= 0;	/* counted, not one line each */
		if (connect(client[i], (struct sockaddr *)&a, sizeof a) == 0)
			connected++;
		len = sizeof peer;
		getsockname(client[i], (struct sockaddr *)&peer, &len);
		cport[i] = peer.sin_port;
	}
	EXPECT_TRUE(opened == CLIENTS);
	EXPECT_TRUE(connected == CLIENTS);
	if (AS_EXPECTED())
		NOTE("all connected, none accepted yet: each LISTEN row's RECV-Q is its accept queue");

	STEP("Each listener accepts until its queue is empty",
	     "non-blocking accept(): EAGAIN when the queue is empty, never a hang");
	CLAIM("tcp-reuseport-balance");
	fcntl(first, F_SETFL, O_NONBLOCK);
	fcntl(second, F_SETFL, O_NONBLOCK);
	for (int l = 0; l < 2; l++) {
		len = sizeof peer;
		while (accept(l == 0 ? first : second, (struct sockaddr *)&peer, &len) >= 0) {
			accepted[l]++;
			/* which client was it?  its port is the peer's port */
			for (int i = 0; i < CLIENTS; i++)
				got[i] += cport[i] == peer.sin_port;
			len = sizeof peer;
		}
	}
	for (int i = 0; i < CLIENTS; i++)
		once += got[i] == 1;
	NOTE("the first listener accepted %d, the second %d", accepted[0], accepted[1]);
	EXPECT_TRUE(accepted[0] + accepted[1] == CLIENTS);
	EXPECT_TRUE(once == CLIENTS);	/* every client accepted exactly once */
	EXPECT_TRUE(accepted[0] > 0 && accepted[1] > 0);
	if (AS_EXPECTED())
		NOTE("the group balanced the connections by hash; a listener in "
		     "another process would share them the same way");

	STEP("Start over on 127.0.0.1:%d: a listener with no option; a newcomer with SO_REUSEPORT",
	     "the listener never agreed to share: the newcomer's bind fails", LAB_PORT + 1);
	a.sin_port = htons(LAB_PORT + 1);
	holder = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	joiner = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_OK(bind(holder, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(listen(holder, CLIENTS));
	EXPECT_OK(setsockopt(joiner, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_ERR(EADDRINUSE, bind(joiner, (struct sockaddr *)&a, sizeof a));

	STEP("The listener sets SO_REUSEPORT now, after listen(); the newcomer binds and listens",
	     "the kernel reads the holder's flag when the newcomer binds, not when the holder did");
	CLAIM("holder-flag-read-late");
	EXPECT_OK(setsockopt(holder, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on));
	EXPECT_OK(bind(joiner, (struct sockaddr *)&a, sizeof a));
	EXPECT_OK(listen(joiner, CLIENTS));
	if (AS_EXPECTED())
		NOTE("two listeners on 127.0.0.1:%d, the first one's flag set after its "
		     "listen(): only the newcomer had to set it before its bind", LAB_PORT + 1);

	return lab_end();
}
