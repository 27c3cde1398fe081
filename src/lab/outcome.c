/* outcome.c — the words for what an expectation came to (outcome.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "outcome.h"

static const char *english(const char *msgid)
{
	return msgid;
}

static const char *(*translator)(const char *) = english;

void outcome_translate_with(const char *(*tr)(const char *msgid))
{
	translator = tr ? tr : english;
}

const char *outcome_tr(const char *msgid)
{
	return translator(msgid);
}

void outcome_result(char *buf, size_t len, const struct proto_event *ev,
		    outcome_spell_fn *spell)
{
	char err[96], got[192];

	if (ev->ret != -1) {
		outcome_delivery(got, sizeof got, ev);
		snprintf(buf, len, "%ld%s", ev->ret, got);
		return;
	}
	spell(err, sizeof err, (int)ev->err);
	snprintf(buf, len, "-1 %s", err);
}

void outcome_mismatch(char *buf, size_t len, const struct proto_event *ev,
		      outcome_spell_fn *spell)
{
	char want[96], got[96];

	spell(want, sizeof want, (int)ev->want);
	/* a call that did not fail succeeded, whatever it returned */
	spell(got, sizeof got, ev->ret == -1 ? (int)ev->err : 0);
	snprintf(buf, len, outcome_tr("expected %s; the kernel answered %s"), want, got);
}

const char *outcome_check(int ok)
{
	return ok ? outcome_tr("holds") : outcome_tr("does NOT hold");
}

const char *outcome_claim(int proven, int skipped)
{
	return skipped ? outcome_tr("skipped") : proven ? outcome_tr("proven") : outcome_tr("NOT proven");
}

void outcome_total(char *buf, size_t len, long pass, long fail)
{
	snprintf(buf, len, outcome_tr("%ld of %ld expectations met"), pass, pass + fail);
}

void outcome_payload(char *buf, size_t len, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t at = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[8];
		int k;

		switch (p[i]) {
		case '\n': k = snprintf(one, sizeof one, "\\n"); break;
		case '\t': k = snprintf(one, sizeof one, "\\t"); break;
		case '\r': k = snprintf(one, sizeof one, "\\r"); break;
		case '"': k = snprintf(one, sizeof one, "\\\""); break;
		case '\\': k = snprintf(one, sizeof one, "\\\\"); break;
		default:
			k = p[i] >= ' ' && p[i] <= '~' ? snprintf(one, sizeof one, "%c", p[i]) :
			    snprintf(one, sizeof one, "\\x%02x", p[i]);
		}
		/* room for this, and for "..." if more comes after it */
		if (at + (size_t)k + (i + 1 < n ? 3 : 0) >= len) {
			snprintf(buf + at, len - at, "%s", at + 3 < len ? "..." : "");
			return;
		}
		memcpy(buf + at, one, (size_t)k + 1);
		at += (size_t)k;
	}
}

void outcome_address(char *buf, size_t len, const void *sa, size_t salen)
{
	const struct sockaddr *a = sa;
	char ip[INET6_ADDRSTRLEN];

	if (len == 0)
		return;
	buf[0] = '\0';
	if (sa == NULL || salen < sizeof a->sa_family)
		return;
	if (a->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = sa;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		snprintf(buf, len, "%s:%u", ip, ntohs(in->sin_port));
	} else if (a->sa_family == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		snprintf(buf, len, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else if (a->sa_family == AF_UNIX) {
		const struct sockaddr_un *un = sa;
		size_t off = offsetof(struct sockaddr_un, sun_path), n = salen - off;

		if (salen <= off)
			snprintf(buf, len, "unix:(unnamed)");
		else if (un->sun_path[0] == '\0')
			snprintf(buf, len, "unix:@%.*s", (int)(n - 1), un->sun_path + 1);
		else
			snprintf(buf, len, "unix:%.*s", (int)strnlen(un->sun_path, n), un->sun_path);
	}
}

void outcome_delivery(char *buf, size_t len, const struct proto_event *ev)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (ev->kind != PROTO_CALL || ev->ret < 0 || (!ev->data[0] && !ev->from[0]))
		return;
	snprintf(buf, len, ": \"%s\"%s%s", ev->data, ev->from[0] ? outcome_tr(" from ") : "", ev->from);
}

void outcome_host(char *buf, size_t len, const struct proto_event *ev)
{
	snprintf(buf, len, outcome_tr("host %s: %s %s on switch %s"), ev->host, ev->ifname, ev->addr,
		 ev->link);
}
