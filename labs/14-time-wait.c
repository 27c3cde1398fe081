/* Lab 14 — TIME_WAIT: the case the story confused with its own.
 *
 * What it shows: the "address reuse" advice the story's author found is
 * about TCP.  The side that closes a connection first (the active close)
 * keeps the connection in TIME_WAIT for 60 s, and that leftover still
 * holds its local port.
 *
 *   Part 1, 127.0.0.1:5000: a server without SO_REUSEADDR closes first,
 *   then restarts.  bind() fails with EADDRINUSE while its TIME_WAIT
 *   lingers, and SO_REUSEADDR on the new server alone still fails: the
 *   TIME_WAIT socket keeps the flag of the connection it was, which the
 *   accept()ed socket copied from the old listener (off).  As in the
 *   story, both sides must agree (on kernel 6.18; inet_bind_conflict()
 *   wants sk_reuse on both sockets).
 *   Part 2, 127.0.0.1:5001: a server that set SO_REUSEADDR closes first.
 *   Its restart without the flag fails; with it, bind() and listen() work.
 *   Part 3, 127.0.0.1:5002: the client closes first.  The TIME_WAIT is on
 *   the client's side, on its ephemeral port: the server restarts with no
 *   option at all.
 *
 * Each part has its own port: a TIME_WAIT lasts 60 s, and the lab does not
 * wait for one to end.  Watch the table: TIME-WAIT rows with no owner and
 * a timer counting down from 60 s; the LOCAL column says whose port each
 * holds: :5000 and :5001 (the server's), then the client's ephemeral one. */
#include <netinet/tcp.h>
#include <sys/time.h>

#include "lab/lab.h"

/* 1 once the connection on fd is in TCP state `state`, 0 if that takes
 * more than 2 s.  Two waits use it, for the same reason: on loopback each
 * CPU queues the packets it sends, and under load (or on a slow machine,
 * a VM without KVM) an ACK can come late.
 *  - TCP_FIN_WAIT2: our FIN is acknowledged.  Else the client's ACK of it
 *    can be overtaken by the client's own FIN; arriving late at our
 *    TIME_WAIT, the stale ACK draws a duplicate ACK to the client's port,
 *    which by then has no socket, and the RST the kernel answers with
 *    kills the TIME_WAIT at once (RFC 1337's "TIME-WAIT assassination":
 *    Linux heeds such an RST unless net.ipv4.tcp_rfc1337 = 1), so the
 *    restart would find the port free.
 *  - TCP_CLOSE: a passive close is over (our FIN after the peer's, and its
 *    ACK).  Until then the connection sits in LAST_ACK on its local port,
 *    and a bind to that port finds it taken. */
static int reaches(int fd, int state)
{
	for (int i = 0; i < 2000; i++) {
		struct tcp_info ti;
		socklen_t len = sizeof ti;

		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
			return 0;
		if (ti.tcpi_state == state)
			return 1;
		usleep(1000);
	}
	return 0;
}

LAB(14, "time-wait", "TIME_WAIT: the case the story confused with its own",
    "The server closes first: its restart fails until both sides set SO_REUSEADDR");

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(LAB_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in port2 = port, port3 = port;
	struct timeval wait = { 1, 0 };
	char buf[16];
	int on = 1;
	int listener = -1, conn = -1, restarted = -1, client = -1;

	port2.sin_port = htons(LAB_PORT + 1);
	port3.sin_port = htons(LAB_PORT + 2);

	/* ---- Part 1: the server closes first, no SO_REUSEADDR ---------- */
	ROLE("server") {
		STEP("The server listens on 127.0.0.1:%d with no options",
		     "a plain TCP server: socket, bind, listen, nothing else", LAB_PORT);
		listener = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(bind(listener, (struct sockaddr *)&port, sizeof port));
		EXPECT_OK(listen(listener, 8));
	}
	ROLE("client") {
		STEP("A client connects and the server accepts",
		     "the client's end gets an ephemeral port; the server's end is :%d", LAB_PORT);
		client = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(connect(client, (struct sockaddr *)&port, sizeof port));
	}
	ROLE("server") {
		conn = EXPECT_OK(accept(listener, NULL, NULL));
	}
	ROLE("server") {
		STEP("The server closes first: the connection, then its listener",
		     "the side that sends the first FIN ends in TIME_WAIT, here the server's :%d",
		     LAB_PORT);
		/* shutdown() sends the FIN close() would; the descriptor stays
		 * ours until the client has acknowledged it (see reaches) */
		EXPECT_OK(shutdown(conn, SHUT_WR));
		EXPECT_TRUE(reaches(conn, TCP_FIN_WAIT2));
		EXPECT_OK(close(conn));
		EXPECT_OK(close(listener));
	}
	ROLE("client") {
		/* end of file: the server's FIN arrived; our close answers it */
		EXPECT_TRUE(read(client, buf, sizeof buf) == 0);
		EXPECT_OK(close(client));
	}
	ROLE("server") {
		STEP("The server restarts: a new socket binds 127.0.0.1:%d",
		     "no process holds the port any more, but the TIME_WAIT does", LAB_PORT);
		CLAIM("timewait-blocks-restart");
		restarted = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_ERR(EADDRINUSE, bind(restarted, (struct sockaddr *)&port, sizeof port));
		if (AS_EXPECTED())
			NOTE("the TIME-WAIT row on :%d has no owner, yet it holds the port "
			     "until its timer runs out", LAB_PORT);

		STEP("The new server sets SO_REUSEADDR and binds again",
		     "the usual advice; but the TIME_WAIT socket has a say too");
		CLAIM("timewait-inherits-flag");
		EXPECT_OK(setsockopt(restarted, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_ERR(EADDRINUSE, bind(restarted, (struct sockaddr *)&port, sizeof port));
		if (AS_EXPECTED())
			NOTE("still refused: the TIME_WAIT keeps its connection's SO_REUSEADDR, copied "
			     "from the old listener (off). One-sided reuse fails, as in the story");
		EXPECT_OK(close(restarted));
	}

	/* ---- Part 2: a server that always sets SO_REUSEADDR ------------- */
	ROLE("server") {
		STEP("A server that sets SO_REUSEADDR listens on 127.0.0.1:%d",
		     "accept() copies the flag into every connection, and so into its TIME_WAIT",
		     LAB_PORT + 1);
		listener = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(listener, (struct sockaddr *)&port2, sizeof port2));
		EXPECT_OK(listen(listener, 8));
	}
	ROLE("client") {
		client = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
		EXPECT_OK(connect(client, (struct sockaddr *)&port2, sizeof port2));
	}
	ROLE("server") {
		conn = EXPECT_OK(accept(listener, NULL, NULL));
		STEP("Again the server closes first",
		     "a TIME_WAIT on :%d now, one that agreed to share", LAB_PORT + 1);
		EXPECT_OK(shutdown(conn, SHUT_WR));
		EXPECT_TRUE(reaches(conn, TCP_FIN_WAIT2));
		EXPECT_OK(close(conn));
		EXPECT_OK(close(listener));
	}
	ROLE("client") {
		EXPECT_TRUE(read(client, buf, sizeof buf) == 0);
		EXPECT_OK(close(client));
	}
	ROLE("server") {
		STEP("The server restarts on 127.0.0.1:%d without SO_REUSEADDR",
		     "the TIME_WAIT agreed to share, the newcomer did not", LAB_PORT + 1);
		restarted = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_ERR(EADDRINUSE, bind(restarted, (struct sockaddr *)&port2, sizeof port2));
		EXPECT_OK(close(restarted));

		STEP("The server restarts on 127.0.0.1:%d with SO_REUSEADDR",
		     "both sides agree: the old connection's TIME_WAIT and the new socket",
		     LAB_PORT + 1);
		CLAIM("timewait-inherits-flag");
		restarted = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(setsockopt(restarted, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
		EXPECT_OK(bind(restarted, (struct sockaddr *)&port2, sizeof port2));
		EXPECT_OK(listen(restarted, 8));
		if (AS_EXPECTED())
			NOTE("a server that always sets SO_REUSEADDR restarts at once: its LISTEN "
			     "row sits beside the TIME-WAIT row on :%d", LAB_PORT + 1);
	}

	/* ---- Part 3: the client closes first ---------------------------- */
	ROLE("server") {
		STEP("A server with no options listens on 127.0.0.1:%d",
		     "like part 1, but this time the client will close first", LAB_PORT + 2);
		listener = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(bind(listener, (struct sockaddr *)&port3, sizeof port3));
		EXPECT_OK(listen(listener, 8));
	}
	ROLE("client") {
		client = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(connect(client, (struct sockaddr *)&port3, sizeof port3));
	}
	ROLE("server") {
		conn = EXPECT_OK(accept(listener, NULL, NULL));
		EXPECT_OK(setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait));
	}
	ROLE("client") {
		STEP("The client closes first; the server reads end of file and closes",
		     "the active close, and so the TIME_WAIT, is the client's this time");
		EXPECT_OK(close(client));
	}
	ROLE("server") {
		EXPECT_TRUE(read(conn, buf, sizeof buf) == 0);
		/* our FIN, and the client's ACK of it before the port is free
		 * (see reaches) */
		EXPECT_OK(shutdown(conn, SHUT_WR));
		EXPECT_TRUE(reaches(conn, TCP_CLOSE));
		EXPECT_OK(close(conn));
		EXPECT_OK(close(listener));
	}
	ROLE("server") {
		STEP("The server restarts on 127.0.0.1:%d with no options",
		     "the new TIME-WAIT row holds the client's ephemeral port, not :%d",
		     LAB_PORT + 2, LAB_PORT + 2);
		CLAIM("client-first-no-timewait");
		restarted = EXPECT_OK(socket(AF_INET, SOCK_STREAM, 0));
		EXPECT_OK(bind(restarted, (struct sockaddr *)&port3, sizeof port3));
		EXPECT_OK(listen(restarted, 8));
		if (AS_EXPECTED())
			NOTE("nothing blocks the server: the TIME_WAIT holds the client's ephemeral "
			     "port, not :%d", LAB_PORT + 2);
	}

	return lab_end();
}
