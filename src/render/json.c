/* json.c — snapshots as JSON lines: one object per snapshot. */
#include <arpa/inet.h>
#include <stdio.h>

#include "json.h"
#include "sockrow.h"

/* Bytes of the valid UTF-8 sequence at s, 0 when it is not one (a
 * command name cut at 15 bytes can end inside a character; a student's
 * program prints any bytes): the shortest form of a code point up to
 * U+10FFFF, not a surrogate (RFC 3629), and not U+FFFE or U+FFFF, which
 * XML forbids. */
int json_utf8_len(const unsigned char *s)
{
	unsigned cp;
	int n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		int n;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = json_utf8_len(p)) > 0) {
			fwrite(p, 1, (size_t)n, f);
			p += n;
		} else {
			fputs("\\ufffd", f);	/* not UTF-8: the replacement character */
			p++;
		}
	}
	fputc('"', f);
}

static void addr(FILE *f, uint8_t family, const struct in6_addr *a, uint16_t port)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, a, text, sizeof text);
	fprintf(f, "{\"addr\":\"%s\",\"port\":%u}", text, port);
}

static void tristate(FILE *f, const char *name, int8_t v, int comma)
{
	fprintf(f, "%s\"%s\":%s", comma ? "," : "", name, v < 0 ? "null" : v ? "true" : "false");
}

static void sock(FILE *f, const struct inspect_sock *s, int owners)
{
	const char *timer = sockrow_timer_id(s);

	fprintf(f, "{\"proto\":\"%s\",\"family\":\"%s\",\"state\":\"%s\",\"local\":",
		sockrow_net_id(s), sockrow_family_id(s), inspect_state_name(s->proto, s->state));
	addr(f, s->family, &s->laddr, s->lport);
	fprintf(f, ",\"peer\":");
	addr(f, s->family, &s->raddr, s->rport);
	fprintf(f, ",\"recv_q\":%u,\"send_q\":%u,\"uid\":", s->rqueue, s->wqueue);
	if (s->uid == INSPECT_UID_UNKNOWN)
		fprintf(f, "null");
	else
		fprintf(f, "%u", s->uid);
	fprintf(f, ",\"inode\":%u,\"v6only\":%s", s->inode, s->v6only ? "true" : "false");
	if (s->host[0]) {
		fprintf(f, ",\"host\":");
		json_string(f, s->host);
	}
	if (s->ifindex) {
		fprintf(f, ",\"bound_dev\":");
		json_string(f, s->ifname[0] ? s->ifname : "?");
	} else {
		fprintf(f, ",\"bound_dev\":null");
	}
	if (timer)
		fprintf(f, ",\"timer\":{\"name\":\"%s\",\"expires_ms\":%u}", timer,
			s->expires_ms);
	else
		fprintf(f, ",\"timer\":null");
	if (s->pid) {
		fprintf(f, ",\"owner\":{\"pid\":%d,\"fd\":%d,\"comm\":", s->pid, s->fd);
		json_string(f, s->comm);
		fputc('}', f);
	} else {
		fprintf(f, ",\"owner\":null");
	}
	fprintf(f, ",\"flags\":{");
	tristate(f, "reuseaddr", owners ? s->reuseaddr : -1, 0);
	tristate(f, "reuseport", owners ? s->reuseport : -1, 1);
	tristate(f, "broadcast", owners ? s->broadcast : -1, 1);
	fprintf(f, ",\"inherited\":%s}}", owners && s->inherited ? "true" : "false");
}

void json_snapshot(FILE *f, const struct json_meta *m, const struct inspect_snap *snap,
		   const struct inspect_groups *groups)
{
	fprintf(f, "{\"socklab\":1,\"netns\":");
	json_string(f, m->netns ? m->netns : "host");
	fprintf(f, ",\"time_ms\":%lld,\"owners\":%s,\"sockets\":[", m->time_ms,
		m->owners ? "true" : "false");
	for (size_t i = 0; i < snap->n; i++) {
		if (i)
			fputc(',', f);
		sock(f, &snap->v[i], m->owners);
	}
	fputc(']', f);
	if (groups) {
		fprintf(f, ",\"multicast\":[");
		for (size_t i = 0; i < groups->n; i++) {
			const struct inspect_group *g = &groups->v[i];
			char text[INET6_ADDRSTRLEN];

			inet_ntop(g->family, &g->group, text, sizeof text);
			fprintf(f, "%s{\"ifname\":", i ? "," : "");
			json_string(f, g->ifname);
			fprintf(f, ",\"family\":\"%s\",\"group\":\"%s\",\"users\":%u}",
				g->family == AF_INET6 ? "inet6" : "inet", text, g->users);
		}
		fputc(']', f);
	}
	fputs("}\n", f);
}
