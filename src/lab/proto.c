/* proto.c — encode and parse control-protocol lines (docs/protocol.md).
 *
 * Both directions are driven by two tables: which fields exist (name, type,
 * where in struct proto_event) and which fields each kind of event carries. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

enum field_type { F_LONG, F_STR };

struct field {
	const char *key;
	enum field_type type;
	size_t off;
	size_t size;		/* F_STR: buffer size */
	int optional;		/* F_LONG: left out when 0 (a newer key older
				 * consumers never see on a lab's lines) */
};

#define L(k) { #k, F_LONG, offsetof(struct proto_event, k), 0, 0 }
#define L_OPT(k) { #k, F_LONG, offsetof(struct proto_event, k), 0, 1 }
#define S(k) { #k, F_STR, offsetof(struct proto_event, k), \
	       sizeof(((struct proto_event *)0)->k), 0 }

static const struct field fields[] = {
	L(num), L(pid), L(line), L(step), L(ret), L(err), L(want), L(ok),
	L(pass), L(fail), L(errors), L(skip), L(port), L(sandbox), L_OPT(observe),
	S(role), S(name), S(id), S(slug), S(file), S(title), S(why), S(ask), S(expr), S(text),
	S(data), S(from), S(host), S(ifname), S(addr), S(link),
	S(fmt), S(args), S(askfmt), S(askargs),
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* Per kind: its name and the fields it carries, in wire order.  Strings
 * go last so that a line cut to fit PROTO_LINE_MAX loses prose, not numbers. */
static const struct {
	const char *name;
	const char *keys[13];
} kinds[PROTO_NKINDS] = {
	[PROTO_LAB] = { "lab", { "num", "pid", "port", "sandbox", "slug", "file", "title", "text" } },
	[PROTO_ROLE] = { "role", { "pid", "line", "name", "host" } },
	[PROTO_STEP] = { "step", { "step", "pid", "line", "role", "title", "why", "ask", "args", "askargs",
				   "fmt", "askfmt" } },
	[PROTO_CALL] = { "call", { "pid", "line", "ret", "err", "want", "ok", "observe", "role", "from",
				   "data", "expr" } },
	[PROTO_CHECK] = { "check", { "pid", "line", "ok", "role", "expr" } },
	[PROTO_NOTE] = { "note", { "pid", "line", "role", "text", "args", "fmt" } },
	[PROTO_ERROR] = { "error", { "pid", "line", "role", "text", "args", "fmt" } },
	[PROTO_END] = { "end", { "pass", "fail", "errors", "skip" } },
	[PROTO_SKIP] = { "skip", { "pid", "line", "role", "text", "args", "fmt" } },
	[PROTO_CLAIM] = { "claim", { "pid", "line", "step", "role", "id" } },
	[PROTO_HOST] = { "host", { "pid", "line", "host", "ifname", "addr", "link" } },
};

static const struct field *field_by_key(const char *key, size_t len)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strlen(fields[i].key) == len && memcmp(fields[i].key, key, len) == 0)
			return &fields[i];
	return NULL;
}

int proto_is_outcome(enum proto_kind kind)
{
	return kind == PROTO_CALL || kind == PROTO_CHECK || kind == PROTO_NOTE ||
	       kind == PROTO_ERROR || kind == PROTO_SKIP || kind == PROTO_HOST;
}

const char *proto_kind_name(enum proto_kind kind)
{
	return (unsigned)kind < PROTO_NKINDS ? kinds[kind].name : "?";
}

static int needs_escape(unsigned char c)
{
	return c <= ' ' || c > '~' || c == '%' || c == '=';
}

/* Append src escaped; stops (without a half escape) when out of room. */
static size_t put_escaped(char *buf, size_t pos, size_t room, const char *src)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;

		if (needs_escape(c)) {
			if (pos + 3 > room)
				break;
			buf[pos++] = '%';
			buf[pos++] = hex[c >> 4];
			buf[pos++] = hex[c & 15];
		} else {
			if (pos + 1 > room)
				break;
			buf[pos++] = (char)c;
		}
	}
	return pos;
}

size_t proto_encode(char *buf, size_t len, const struct proto_event *ev)
{
	size_t room, pos;
	const char *const *keys;

	if ((unsigned)ev->kind >= PROTO_NKINDS || len < strlen(kinds[ev->kind].name) + 2) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	room = len - 2;		/* keep space for '\n' and NUL */
	pos = strlen(kinds[ev->kind].name);
	memcpy(buf, kinds[ev->kind].name, pos);
	keys = kinds[ev->kind].keys;
	for (size_t i = 0; i < 13 && keys[i]; i++) {
		const struct field *f = field_by_key(keys[i], strlen(keys[i]));
		const char *p = (const char *)ev + f->off;
		size_t klen = strlen(f->key);
		char num[32];

		if (f->type == F_STR && *p == '\0')
			continue;	/* empty strings are simply absent */
		if (f->type == F_LONG) {
			long v;

			memcpy(&v, p, sizeof v);
			if (v == 0 && f->optional)
				continue;
			snprintf(num, sizeof num, "%ld", v);
			p = num;
			/* a number is written whole or not at all */
			if (pos + 1 + klen + 1 + strlen(num) > room)
				break;
		} else if (pos + 1 + klen + 1 > room) {
			break;
		}
		buf[pos++] = ' ';
		memcpy(buf + pos, f->key, klen);
		pos += klen;
		buf[pos++] = '=';
		pos = put_escaped(buf, pos, room, p);
	}
	buf[pos++] = '\n';
	buf[pos] = '\0';
	return pos;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescape [s, e) into out (size > 0); cuts to fit.  -1 on a bad escape. */
static int unescape(const char *s, const char *e, char *out, size_t size)
{
	size_t n = 0;

	while (s < e) {
		char c = *s++;

		if (c == '%') {
			int hi, lo;

			if (e - s < 2 || (hi = hexval(s[0])) < 0 || (lo = hexval(s[1])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			s += 2;
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

static int parse_long(const char *s, const char *e, long *out)
{
	char tmp[32];
	char *end;
	long v;

	if (e - s <= 0 || (size_t)(e - s) >= sizeof tmp)
		return -1;
	memcpy(tmp, s, (size_t)(e - s));
	tmp[e - s] = '\0';
	errno = 0;
	v = strtol(tmp, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int proto_parse(const char *line, struct proto_event *ev)
{
	const char *p = line, *tok_end;
	size_t klen;
	int kind = -1;

	memset(ev, 0, sizeof *ev);
	klen = strcspn(p, " \n");
	for (int k = 0; k < PROTO_NKINDS; k++)
		if (strlen(kinds[k].name) == klen && memcmp(kinds[k].name, p, klen) == 0)
			kind = k;
	if (kind < 0)
		goto bad;
	ev->kind = (enum proto_kind)kind;
	p += klen;

	while (*p == ' ') {
		const char *eq;
		const struct field *f;

		p++;
		tok_end = p + strcspn(p, " \n");
		eq = memchr(p, '=', (size_t)(tok_end - p));
		if (eq == NULL || eq == p)
			goto bad;
		f = field_by_key(p, (size_t)(eq - p));
		if (f == NULL) {
			char scratch[2];

			/* unknown key: skipped, but it must still be well formed */
			if (unescape(eq + 1, tok_end, scratch, sizeof scratch) < 0)
				goto bad;
		} else if (f->type == F_LONG) {
			long v;

			if (parse_long(eq + 1, tok_end, &v) < 0)
				goto bad;
			memcpy((char *)ev + f->off, &v, sizeof v);
		} else if (unescape(eq + 1, tok_end, (char *)ev + f->off, f->size) < 0) {
			goto bad;
		}
		p = tok_end;
	}
	if (*p != '\0' && !(p[0] == '\n' && p[1] == '\0'))
		goto bad;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

size_t proto_escape(char *buf, size_t len, const char *src)
{
	size_t n;

	if (len == 0)
		return 0;
	n = put_escaped(buf, 0, len - 1, src);
	buf[n] = '\0';
	return n;
}

int proto_unescape(const char *src, char *out, size_t size)
{
	return unescape(src, src + strlen(src), out, size);
}
