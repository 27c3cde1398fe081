/* catalogue.c — the exercises and their graders, one function each.  A
 * grader observes the kernel (a receiving socket, the inspector), never
 * the student's output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "exercise.h"
#include "grader.h"
#include "lab/registry.h"

extern const struct registry_source exercise_files[];

/* The program ran and ended well: criterion 0 of every exercise. */
static void ran_ok(const struct grader_run *r, struct exercise_result *res)
{
	res->criterion = "the program exits with status 0 within 5 s";
	res->ok = r->exited && r->status == 0;
	if (r->timed_out)
		snprintf(res->observed, sizeof res->observed, "still running after 5 s: killed");
	else if (!r->exited)
		snprintf(res->observed, sizeof res->observed, "killed by signal %d (%s)", r->signal,
			 strsignal(r->signal));
	else
		snprintf(res->observed, sizeof res->observed, "exit status %d%s%.120s", r->status,
			 r->output_len ? "; it said: " : "", r->output);
	/* its words on one line */
	for (char *p = res->observed; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	for (size_t n = strlen(res->observed); n && res->observed[n - 1] == ' '; n--)
		res->observed[n - 1] = '\0';
	res->hint = r->exited && !r->timed_out ? "it stopped with an error: read what it said" :
		    "it must finish by itself: no endless loop, no crash";
}

/* ---- 01: send from a fixed port ------------------------------------------- */

static int grade_fixed_source_port(const char *exe, struct exercise_result *res)
{
	struct sockaddr_in svc = { .sin_family = AF_INET, .sin_port = htons(6000),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, from;
	socklen_t len = sizeof from;
	struct grader_run run;
	char buf[64];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n = -1;

	if (s < 0 || bind(s, (struct sockaddr *)&svc, sizeof svc) < 0)
		return -1;
	if (grader_exec(exe, GRADER_TIMEOUT_MS, &run) < 0) {
		close(s);
		return -1;
	}
	ran_ok(&run, &res[0]);
	n = recvfrom(s, buf, sizeof buf - 1, MSG_DONTWAIT, (struct sockaddr *)&from, &len);
	close(s);
	res[1].criterion = "a datagram \"hello\" arrives at 127.0.0.1:6000";
	res[1].ok = n == 5 && memcmp(buf, "hello", 5) == 0;
	if (n < 0)
		snprintf(res[1].observed, sizeof res[1].observed, "nothing arrived");
	else
		snprintf(res[1].observed, sizeof res[1].observed, "%zd bytes arrived: \"%.*s\"", n,
			 (int)(n > 40 ? 40 : n), buf);
	res[1].hint = "sendto() \"hello\" (5 bytes) to 127.0.0.1:6000";
	res[2].criterion = "it comes from port 5000";
	res[2].ok = n >= 0 && ntohs(from.sin_port) == 5000;
	if (n >= 0)
		snprintf(res[2].observed, sizeof res[2].observed, "it came from %s:%u",
			 inet_ntoa(from.sin_addr), ntohs(from.sin_port));
	else
		snprintf(res[2].observed, sizeof res[2].observed, "no datagram to look at");
	res[2].hint = "bind() the socket to port 5000 before the first sendto(): the first "
		      "send binds a port the kernel picks";
	res[2].lab = 2;
	return 3;
}

/* ---- 02: two sockets, one UDP port ----------------------------------------- */

/* Did a datagram `want` arrive on s, and from which port? */
struct arrival {
	int seen;
	unsigned port;
};

static void drain(int s, const char *const *want, struct arrival *got, int n)
{
	struct sockaddr_in from;
	socklen_t len = sizeof from;
	char buf[64];
	ssize_t r;

	while ((r = recvfrom(s, buf, sizeof buf - 1, MSG_DONTWAIT, (struct sockaddr *)&from, &len)) >= 0) {
		buf[r] = '\0';
		for (int i = 0; i < n; i++)
			if (!got[i].seen && strcmp(buf, want[i]) == 0) {
				got[i].seen = 1;
				got[i].port = ntohs(from.sin_port);
				break;
			}
		len = sizeof from;
	}
}

static int grade_two_sockets_one_port(const char *exe, struct exercise_result *res)
{
	static const char *const want[2] = { "one", "two" };
	struct sockaddr_in svc = { .sin_family = AF_INET, .sin_port = htons(6000),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct arrival got[2] = { { 0, 0 }, { 0, 0 } };
	struct grader_run run;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&svc, sizeof svc) < 0)
		return -1;
	if (grader_exec(exe, GRADER_TIMEOUT_MS, &run) < 0) {
		close(s);
		return -1;
	}
	ran_ok(&run, &res[0]);
	drain(s, want, got, 2);
	close(s);
	for (int i = 0; i < 2; i++) {
		res[1 + i].criterion = i ? "\"two\" arrives at 127.0.0.1:6000 from port 5000" :
					   "\"one\" arrives at 127.0.0.1:6000 from port 5000";
		res[1 + i].ok = got[i].seen && got[i].port == 5000;
		if (!got[i].seen)
			snprintf(res[1 + i].observed, sizeof res[1 + i].observed, "\"%s\" never arrived",
				 want[i]);
		else
			snprintf(res[1 + i].observed, sizeof res[1 + i].observed,
				 "\"%s\" came from port %u", want[i], got[i].port);
		res[1 + i].hint = "set SO_REUSEADDR on both sockets before either binds: an option "
				  "on the newcomer alone is not enough";
		res[1 + i].lab = i ? 6 : 4;
	}
	return 3;
}

static const struct exercise exercises[] = {
	{ 1, "fixed-source-port", "Send from a fixed port", grade_fixed_source_port },
	{ 2, "two-sockets-one-port", "Two sockets, one UDP port", grade_two_sockets_one_port },
};

size_t exercise_count(void)
{
	return sizeof exercises / sizeof exercises[0];
}

const struct exercise *exercise_at(size_t i)
{
	return i < exercise_count() ? &exercises[i] : NULL;
}

const struct exercise *exercise_find(const char *key)
{
	char *end;
	long n = strtol(key, &end, 10);

	for (size_t i = 0; i < exercise_count(); i++) {
		const struct exercise *e = &exercises[i];
		char full[80];

		snprintf(full, sizeof full, "%02d-%s", e->number, e->slug);
		if ((end != key && *end == '\0' && n == e->number) || strcmp(key, e->slug) == 0 ||
		    strcmp(key, full) == 0)
			return e;
	}
	return NULL;
}

const char *exercise_file(const struct exercise *e, const char *name)
{
	char path[160];

	snprintf(path, sizeof path, "exercises/%02d-%s/%s", e->number, e->slug, name);
	for (const struct registry_source *f = exercise_files; f->file; f++)
		if (strcmp(f->file, path) == 0)
			return f->text;
	return NULL;
}
