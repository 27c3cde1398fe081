/* grade_udp.c — the unicast UDP exercises: 01 send from a fixed port, 02
 * two sockets on one port, 04 the story's server and client.  A grader
 * observes the kernel (what arrived where, from which port; sock_diag),
 * never the student's printout. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "graders.h"

/* Send text from s to 127.0.0.1:port. */
static void send_to(int s, const char *text, uint16_t port)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	sendto(s, text, strlen(text), 0, (struct sockaddr *)&to, sizeof to);
}

/* ---- 01: send from a fixed port ------------------------------------------- */

int grade_fixed_source_port(const char *exe, struct exercise_result *res)
{
	struct grader_run run;
	char buf[64];
	unsigned port = 0;
	int s = observe_socket(SOCK_DGRAM, "127.0.0.1", 6000);
	ssize_t n;

	if (s < 0 || grader_exec(exe, GRADER_TIMEOUT_MS, &run) < 0)
		goto fail;
	observe_ran_ok(&run, RAN_OK("the program"), &res[0]);
	n = observe_recv(s, 0, buf, sizeof buf, &port);
	close(s);
	res[1].criterion = "a datagram \"hello\" arrives at 127.0.0.1:6000";
	res[1].ok = n == 5 && memcmp(buf, "hello", 5) == 0;
	if (n < 0)
		observe_say(&res[1], "nothing arrived");
	else
		observe_say(&res[1], "%zd bytes arrived: \"%.40s\"", n, buf);
	res[1].hint = "sendto() \"hello\" (5 bytes) to 127.0.0.1:6000";
	res[2].criterion = "it comes from port 5000";
	res[2].ok = n >= 0 && port == 5000;
	if (n >= 0)
		observe_say(&res[2], "it came from 127.0.0.1:%u", port);
	else
		observe_say(&res[2], "no datagram to look at");
	res[2].hint = "bind() the socket to port 5000 before the first sendto(): the first "
		      "send binds a port the kernel picks";
	res[2].lab = 2;
	return 3;
fail:
	if (s >= 0)
		close(s);
	return -1;
}

/* ---- 02: two sockets, one UDP port ----------------------------------------- */

int grade_two_sockets_one_port(const char *exe, struct exercise_result *res)
{
	static const char *const want[2] = { "one", "two" };
	unsigned port[2] = { 0, 0 }, from;
	int seen[2] = { 0, 0 };
	struct grader_run run;
	char buf[64];
	int s = observe_socket(SOCK_DGRAM, "127.0.0.1", 6000);

	if (s < 0 || grader_exec(exe, GRADER_TIMEOUT_MS, &run) < 0)
		goto fail;
	observe_ran_ok(&run, RAN_OK("the program"), &res[0]);
	while (observe_recv(s, 0, buf, sizeof buf, &from) >= 0)
		for (int i = 0; i < 2; i++)
			if (!seen[i] && strcmp(buf, want[i]) == 0)
				seen[i] = 1, port[i] = from;
	close(s);
	for (int i = 0; i < 2; i++) {
		struct exercise_result *r = &res[1 + i];

		r->criterion = i ? "\"two\" arrives at 127.0.0.1:6000 from port 5000" :
				   "\"one\" arrives at 127.0.0.1:6000 from port 5000";
		r->ok = seen[i] && port[i] == 5000;
		if (!seen[i])
			observe_say(r, "\"%s\" never arrived", want[i]);
		else
			observe_say(r, "\"%s\" came from port %u", want[i], port[i]);
		r->hint = "set SO_REUSEADDR on both sockets before either binds: an option "
			  "on the newcomer alone is not enough";
		r->lab = i ? 6 : 4;
	}
	return 3;
fail:
	if (s >= 0)
		close(s);
	return -1;
}

/* ---- 04: the story's server and client, one port --------------------------- */

int grade_the_story(const char *exe, struct exercise_result *res)
{
	int peer = observe_socket(SOCK_DGRAM, "127.0.0.1", 6000);
	int other = observe_socket(SOCK_DGRAM, "127.0.0.1", 6001);
	char hello[64] = "", pong[64] = "";
	unsigned hport = 0, pport = 0;
	ssize_t hn = -1, pn = -1;
	struct grader_proc p;
	struct grader_run run;
	int left, asked = 0;

	if (peer < 0 || other < 0 || grader_start(exe, GRADER_TIMEOUT_MS, &p) < 0)
		goto fail;
	/* the client's datagram, while the program runs */
	while (hn < 0 && grader_running(&p))
		hn = observe_recv(peer, 50, hello, sizeof hello, &hport);
	if (hn < 0)
		hn = observe_recv(peer, 0, hello, sizeof hello, &hport);
	/* the client has closed: only the server is left on 5000 */
	left = observe_count(IPPROTO_UDP, 5000, -1);
	for (int i = 0; i < 100 && left > 1 && grader_running(&p); i++) {
		usleep(10000);
		left = observe_count(IPPROTO_UDP, 5000, -1);
	}
	if (grader_running(&p)) {
		send_to(other, "ping", 5000);
		asked = 1;
		pn = observe_recv(other, 1000, pong, sizeof pong, &pport);
		send_to(other, "bye", 5000);
	}
	grader_wait(&p, &run);
	close(peer);
	close(other);

	observe_ran_ok(&run, RAN_OK("the program"), &res[0]);
	res[1].criterion = "the client's \"hello\" arrives at 127.0.0.1:6000 from port 5000";
	res[1].ok = hn == 5 && strcmp(hello, "hello") == 0 && hport == 5000;
	if (hn < 0)
		observe_say(&res[1], "nothing arrived");
	else
		observe_say(&res[1], "\"%.40s\" came from port %u", hello, hport);
	res[1].hint = "SO_REUSEADDR on both sockets, the server's too, before they bind: the "
		      "story's fix (Twisted's listenMultiple)";
	res[1].lab = 7;
	res[2].criterion = "the server, on port 5000, answers \"ping\" with \"pong\"";
	res[2].ok = pn == 4 && strcmp(pong, "pong") == 0 && pport == 5000;
	if (!asked)
		observe_say(&res[2], "the program had ended before the ping");
	else if (pn < 0)
		observe_say(&res[2], "no answer within 1 s%s", left > 1 ? " (the client was still open)" : "");
	else
		observe_say(&res[2], "\"%.40s\" came from port %u", pong, pport);
	res[2].hint = "the server socket stays bound to 0.0.0.0:5000 and answers each datagram "
		      "to the address recvfrom() gave";
	res[2].lab = 6;
	return 3;
fail:
	if (peer >= 0)
		close(peer);
	if (other >= 0)
		close(other);
	return -1;
}
