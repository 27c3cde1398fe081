/* parse.c — the playground's language: its calls, options and socket
 * types as tables, and one line read into a struct play_cmd (play.h).
 * Pure: no kernel calls, so it is unit-tested and fuzzed. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "play.h"

const struct play_call_info play_calls[PLAY_NCALLS] = {
	[PLAY_SOCKET] = { "socket", "w", 1, "socket(udp|tcp|udp6|tcp6)" },
	[PLAY_SETSOCKOPT] = { "setsockopt", "vox", 0, "setsockopt(s, SO_REUSEADDR, 1)" },
	[PLAY_GETSOCKOPT] = { "getsockopt", "vo", 0, "getsockopt(s, SO_REUSEPORT)" },
	[PLAY_BIND] = { "bind", "va", 0, "bind(s, 127.0.0.1:5000)" },
	[PLAY_CONNECT] = { "connect", "va", 0, "connect(s, 127.0.0.1:5001) or connect(s, AF_UNSPEC)" },
	[PLAY_LISTEN] = { "listen", "vI", 0, "listen(s) or listen(s, backlog)" },
	[PLAY_ACCEPT] = { "accept", "vI", 1, "c = accept(s) or accept(s, wait_ms)" },
	[PLAY_SEND] = { "send", "vs", 0, "send(s, \"hi\")" },
	[PLAY_SENDTO] = { "sendto", "vsa", 0, "sendto(s, \"hi\", 127.0.0.1:5000)" },
	[PLAY_RECV] = { "recv", "vI", 0, "recv(s) (never waits) or recv(s, wait_ms)" },
	[PLAY_RECVFROM] = { "recvfrom", "vI", 0, "recvfrom(s) or recvfrom(s, wait_ms)" },
	[PLAY_CLOSE] = { "close", "v", 0, "close(s)" },
	[PLAY_SHUTDOWN] = { "shutdown", "vW", 0, "shutdown(s) or shutdown(s, SHUT_WR)" },
	[PLAY_JOIN] = { "join", "vgG", 0, "join(s, 239.1.2.3, 127.0.0.1): the group, on lo's address" },
	[PLAY_LEAVE] = { "leave", "vgG", 0, "leave(s, 239.1.2.3, 127.0.0.1)" },
	[PLAY_GETSOCKNAME] = { "getsockname", "v", 0, "getsockname(s)" },
	[PLAY_GETPEERNAME] = { "getpeername", "v", 0, "getpeername(s)" },
	[PLAY_SYSCTL] = { "sysctl", "wx", 0, "sysctl(net.ipv4.ip_local_port_range, \"5000 5001\")" },
	[PLAY_IP] = { "ip", "s", 0, "ip(\"link add sl0 type veth peer name sl1\") (link, addr, route, neigh)" },
};

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

const struct play_option play_options[] = {
	{ "SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, PLAY_OPT_INT, "SOL_SOCKET" },
	{ "SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT, PLAY_OPT_INT, "SOL_SOCKET" },
	{ "SO_BROADCAST", SOL_SOCKET, SO_BROADCAST, PLAY_OPT_INT, "SOL_SOCKET" },
	{ "SO_RCVTIMEO", SOL_SOCKET, SO_RCVTIMEO, PLAY_OPT_MS, "SOL_SOCKET" },
	{ "SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, PLAY_OPT_IFNAME, "SOL_SOCKET" },
	{ "IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY, PLAY_OPT_INT, "IPPROTO_IPV6" },
	{ "IP_MULTICAST_ALL", IPPROTO_IP, IP_MULTICAST_ALL, PLAY_OPT_INT, "IPPROTO_IP" },
	{ "IP_MULTICAST_LOOP", IPPROTO_IP, IP_MULTICAST_LOOP, PLAY_OPT_INT, "IPPROTO_IP" },
	{ "IP_MULTICAST_TTL", IPPROTO_IP, IP_MULTICAST_TTL, PLAY_OPT_INT, "IPPROTO_IP" },
	{ "IP_MULTICAST_IF", IPPROTO_IP, IP_MULTICAST_IF, PLAY_OPT_IFINDEX, "IPPROTO_IP" },
	{ "IP_FREEBIND", IPPROTO_IP, IP_FREEBIND, PLAY_OPT_INT, "IPPROTO_IP" },
	{ "IP_BIND_ADDRESS_NO_PORT", IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, PLAY_OPT_INT, "IPPROTO_IP" },
};
const size_t play_noptions = sizeof play_options / sizeof play_options[0];

const struct play_type play_types[] = {
	{ "udp", AF_INET, SOCK_DGRAM },
	{ "tcp", AF_INET, SOCK_STREAM },
	{ "udp6", AF_INET6, SOCK_DGRAM },
	{ "tcp6", AF_INET6, SOCK_STREAM },
};
const size_t play_ntypes = sizeof play_types / sizeof play_types[0];

/* the other words an argument may be */
static const char *const words[] = { "AF_UNSPEC", "SHUT_RD", "SHUT_WR", "SHUT_RDWR", NULL };

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *skip(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_name(int c)
{
	return isalnum(c) || c == '_';
}

/* A name at *p into out (at most PLAY_NAME - 1 bytes); 0 if none. */
static int name(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;

	if (!is_name_start((unsigned char)*s))
		return 0;
	while (is_name((unsigned char)s[n]))
		n++;
	if (n >= cap)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	*p = s + n;
	return 1;
}

/* An address: IPv4 or [IPv6], then :port (a group: the IP alone). */
static int address(const char *text, struct play_arg *a, char *why, size_t len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port = NULL;
	size_t hl;
	long pn = -1;

	if (text[0] == '[') {
		const char *end = strchr(text, ']');

		if (!end)
			return fail(why, len, _("'%s': an IPv6 address ends with ]"), text);
		hl = (size_t)(end - text - 1);
		if (hl >= sizeof host)
			return fail(why, len, _("'%s': not an address"), text);
		memcpy(host, text + 1, hl);
		host[hl] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return fail(why, len, _("'%s': after ] comes :port"), text);
	} else {
		/* an IPv6 address without brackets has no port: fe80::1 */
		colon = strchr(text, ':') != strrchr(text, ':') ? NULL : strrchr(text, ':');
		hl = colon ? (size_t)(colon - text) : strlen(text);
		if (hl >= sizeof host)
			return fail(why, len, _("'%s': not an address"), text);
		memcpy(host, text, hl);
		host[hl] = '\0';
		port = colon ? colon + 1 : NULL;
	}
	if (port) {
		char *end;

		errno = 0;
		pn = strtol(port, &end, 10);
		if (!*port || *end || errno || pn < 0 || pn > 65535)
			return fail(why, len, _("'%s': the port is a number from 0 to 65535"), text);
	}
	memset(&a->addr, 0, sizeof a->addr);
	if (strcmp(host, "*") == 0 || strchr(host, '.') || (!strchr(host, ':') && text[0] != '[')) {
		struct sockaddr_in *in = (struct sockaddr_in *)&a->addr;

		in->sin_family = AF_INET;
		if (strcmp(host, "*") == 0)
			in->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
			return fail(why, len, _("'%s': not an IPv4 address (127.0.0.1:5000, [::1]:5000, *:5000)"),
				    text);
		in->sin_port = htons((uint16_t)(pn < 0 ? 0 : pn));
		a->addrlen = port ? sizeof *in : 0;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->addr;

		in6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			return fail(why, len, _("'%s': not an IPv6 address ([::1]:5000)"), text);
		in6->sin6_port = htons((uint16_t)(pn < 0 ? 0 : pn));
		a->addrlen = port ? sizeof *in6 : 0;
	}
	a->kind = PLAY_ARG_ADDR;
	return 0;
}

/* One argument at *p, up to the next ',' or ')' outside a string. */
static int argument(const char **p, struct play_arg *a, char *why, size_t len)
{
	const char *s = skip(*p);
	size_t n = 0;

	memset(a, 0, sizeof *a);
	a->opt = -1;
	if (*s == '"') {
		/* a string: \" \\ \n \t \xNN */
		a->kind = PLAY_ARG_STR;
		for (s++; *s && *s != '"'; s++) {
			char c = *s;

			if (c == '\\') {
				s++;
				switch (*s) {
				case 'n': c = '\n'; break;
				case 't': c = '\t'; break;
				case '0': c = '\0'; break;
				case '\\': c = '\\'; break;
				case '"': c = '"'; break;
				case 'x': {
					char hex[3] = { 0 };

					if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
						return fail(why, len, _("\\x takes two hex digits"));
					hex[0] = s[1];
					hex[1] = s[2];
					c = (char)strtol(hex, NULL, 16);
					s += 2;
					break;
				}
				default:
					return fail(why, len, _("unknown escape \\%c in a string"), *s ? *s : ' ');
				}
			}
			if (n + 1 >= sizeof a->text)
				return fail(why, len, _("a string of at most %zu bytes"), sizeof a->text - 1);
			a->text[n++] = c;
		}
		if (*s != '"')
			return fail(why, len, _("a string without its closing \""));
		a->num = (long)n;
		*p = skip(s + 1);
		return 0;
	}
	while (s[n] && s[n] != ',' && s[n] != ')' && s[n] != ' ' && s[n] != '\t')
		n++;
	if (n == 0)
		return fail(why, len, _("an argument is missing"));
	if (n >= sizeof a->text)
		return fail(why, len, _("an argument of at most %zu characters"), sizeof a->text - 1);
	memcpy(a->text, s, n);
	a->text[n] = '\0';
	*p = skip(s + n);
	if (isdigit((unsigned char)a->text[0]) && strspn(a->text, "0123456789") == n) {
		char *end;

		errno = 0;
		a->num = strtol(a->text, &end, 10);
		if (errno || a->num > INT_MAX)
			return fail(why, len, _("'%s': too large"), a->text);
		a->kind = PLAY_ARG_INT;
		return 0;
	}
	if ((a->text[0] == '0' && (a->text[1] == 'x' || a->text[1] == 'X')) ||
	    (a->text[0] == '-' && isdigit((unsigned char)a->text[1])))
		return fail(why, len, _("'%s': numbers are written in decimal, from 0"), a->text);
	if (a->text[0] == '[' || a->text[0] == '*' || isdigit((unsigned char)a->text[0]) ||
	    (strchr(a->text, ':') && !strchr(a->text, '.')))
		return address(a->text, a, why, len);
	a->kind = PLAY_ARG_WORD;
	for (size_t i = 0; i < play_noptions; i++)
		if (strcasecmp(a->text, play_options[i].name) == 0) {
			a->opt = (int)i;
			snprintf(a->text, sizeof a->text, "%s", play_options[i].name);
		}
	/* a bare name is a variable until the call says otherwise */
	if (a->opt < 0 && strspn(a->text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n &&
	    is_name_start((unsigned char)a->text[0]))
		a->kind = PLAY_ARG_VAR;
	return 0;
}

static const char *kind_words(char k)
{
	switch (tolower((unsigned char)k)) {
	case 'v': return _("a socket variable");
	case 'a': return _("an address with a port (127.0.0.1:5000)");
	case 'g': return _("a group address (239.1.1.1)");
	case 'o': return _("a socket option (SO_REUSEADDR ...)");
	case 'x': return _("a number or a string");
	case 's': return _("a string (\"hi\")");
	case 'w': return _("a word");
	case 'i': return _("a number");
	default: return "?";
	}
}

static int is_word(const char *w)
{
	for (size_t i = 0; words[i]; i++)
		if (strcmp(w, words[i]) == 0)
			return 1;
	return 0;
}

/* Does argument a fit kind k of call c?  A variable-looking word is a
 * word where the call wants one. */
static int check_arg(enum play_call c, char k, struct play_arg *a, char *why, size_t len)
{
	const char *call = play_calls[c].name;

	switch (tolower((unsigned char)k)) {
	case 'v':
		if (a->kind == PLAY_ARG_VAR)
			return 0;
		break;
	case 'a':
		if (a->kind == PLAY_ARG_ADDR && a->addrlen)
			return 0;
		if (c == PLAY_CONNECT && a->kind != PLAY_ARG_STR && strcmp(a->text, "AF_UNSPEC") == 0) {
			a->kind = PLAY_ARG_WORD;
			return 0;
		}
		if (a->kind == PLAY_ARG_ADDR)
			return fail(why, len, _("%s: '%s' needs a port (%s:5000)"), call, a->text, a->text);
		break;
	case 'g':
		if (a->kind == PLAY_ARG_ADDR && !a->addrlen)
			return 0;
		break;
	case 'o':
		if (a->opt >= 0)
			return 0;
		if (a->kind == PLAY_ARG_VAR || a->kind == PLAY_ARG_WORD)
			return fail(why, len, _("%s: unknown option '%s' (tab lists them; 'help' too)"),
				    call, a->text);
		break;
	case 'x':
		if (a->kind == PLAY_ARG_INT || a->kind == PLAY_ARG_STR)
			return 0;
		break;
	case 's':
		if (a->kind == PLAY_ARG_STR)
			return 0;
		break;
	case 'i':
		if (a->kind == PLAY_ARG_INT)
			return 0;
		break;
	case 'w':
		if (a->kind == PLAY_ARG_STR || a->kind == PLAY_ARG_INT || a->kind == PLAY_ARG_ADDR)
			break;
		a->kind = PLAY_ARG_WORD;
		if (c == PLAY_SOCKET) {
			for (size_t i = 0; i < play_ntypes; i++)
				if (strcasecmp(a->text, play_types[i].name) == 0)
					return 0;
			return fail(why, len, _("socket: '%s' is not udp, tcp, udp6 or tcp6"), a->text);
		}
		if (c == PLAY_SHUTDOWN) {
			if (is_word(a->text) && strncmp(a->text, "SHUT_", 5) == 0)
				return 0;
			return fail(why, len, _("shutdown: '%s' is not SHUT_RD, SHUT_WR or SHUT_RDWR"), a->text);
		}
		/* sysctl's name: net.ipv4.ip_local_port_range or net/ipv4/... */
		if (strspn(a->text, "abcdefghijklmnopqrstuvwxyz0123456789_./-") == strlen(a->text) &&
		    !strstr(a->text, ".."))
			return 0;
		return fail(why, len, _("sysctl: '%s' is not a sysctl name (net.ipv4.ip_local_port_range)"),
			    a->text);
	}
	return fail(why, len, _("%s: '%s' is not %s (%s)"), call, a->text, kind_words(k),
		    play_calls[c].help);
}

int play_parse(const char *line, struct play_cmd *out, char *why, size_t len)
{
	const char *p = skip(line), *colon, *stmt, *end;
	char word[PLAY_NAME];
	int found = -1;
	size_t n;

	memset(out, 0, sizeof *out);
	out->uid = -1;
	snprintf(out->role, sizeof out->role, "main");
	if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	if (strlen(line) >= PLAY_LINE)
		return fail(why, len, _("a line of at most %d characters"), PLAY_LINE - 1);
	/* ROLE [as uid N]: — a colon before any '(' */
	colon = strchr(p, ':');
	if (colon && (!strchr(p, '(') || colon < strchr(p, '(')) && (!strchr(p, '"') || colon < strchr(p, '"'))) {
		const char *q = p;

		if (!name(&q, out->role, sizeof out->role))
			return fail(why, len, _("'%.*s' is not a role name (a word: server, client)"),
				    (int)(colon - p), p);
		q = skip(q);
		if (strncmp(q, "as", 2) == 0 && (q[2] == ' ' || q[2] == '\t')) {
			char *end;
			long uid;

			q = skip(q + 2);
			if (strncmp(q, "uid", 3) != 0)
				return fail(why, len, _("'as' is followed by 'uid N'"));
			q = skip(q + 3);
			errno = 0;
			uid = strtol(q, &end, 10);
			if (end == q || errno || uid < 0 || uid > 65535)
				return fail(why, len, _("'as uid N': N is a uid from 0 to 65535"));
			out->uid = (int)uid;
			q = skip(end);
		}
		if (q != colon)
			return fail(why, len, _("after the role comes ':' (server: s = socket(udp))"));
		p = skip(colon + 1);
	}
	stmt = p;
	/* VAR = */
	{
		const char *q = p;

		if (name(&q, word, sizeof word) && *(q = skip(q)) == '=') {
			snprintf(out->var, sizeof out->var, "%s", word);
			p = skip(q + 1);
		}
	}
	if (!name(&p, word, sizeof word))
		return fail(why, len, _("'%s': a line is a call: bind(s, 127.0.0.1:5000) ('help' lists them)"),
			    stmt);
	for (int i = 0; i < PLAY_NCALLS; i++)
		if (strcmp(word, play_calls[i].name) == 0)
			found = i;
	if (found < 0)
		return fail(why, len, _("unknown call '%s' ('help' lists them)"), word);
	out->call = (enum play_call)found;
	p = skip(p);
	if (*p != '(')
		return fail(why, len, _("%s: arguments go in parentheses: %s"), word, play_calls[found].help);
	p = skip(p + 1);
	while (*p != ')') {
		if (out->nargs == PLAY_MAX_ARGS)
			return fail(why, len, _("%s: too many arguments (%s)"), word, play_calls[found].help);
		if (argument(&p, &out->args[out->nargs], why, len) < 0)
			return -1;
		out->nargs++;
		if (*p == ',')
			p = skip(p + 1);
		else if (*p != ')')
			return fail(why, len, _("%s: a ',' or ')' is missing"), word);
	}
	end = p + 1;	/* the statement ends here: a '#' in a string is no comment */
	p = skip(p + 1);
	if (*p && *p != '#' && *p != '\n' && strspn(p, "\r\n") != strlen(p))
		return fail(why, len, _("'%s' after the call: one call a line"), p);
	/* the arguments against what the call takes */
	{
		const char *sig = play_calls[found].args;
		size_t need = 0, most = strlen(sig);

		for (const char *k = sig; *k; k++)
			need += islower((unsigned char)*k) != 0;
		if ((size_t)out->nargs < need || (size_t)out->nargs > most)
			return fail(why, len, need == most ?
				    P_("%s takes %zu argument: %s", "%s takes %zu arguments: %s", need) :
				    P_("%s takes at least %zu argument: %s",
				       "%s takes at least %zu arguments: %s", need),
				    word, need, play_calls[found].help);
		for (int i = 0; i < out->nargs; i++)
			if (check_arg(out->call, sig[i], &out->args[i], why, len) < 0)
				return -1;
	}
	if (out->call == PLAY_SETSOCKOPT) {
		const struct play_option *o = &play_options[out->args[1].opt];
		int wants_name = o->val == PLAY_OPT_IFNAME || o->val == PLAY_OPT_IFINDEX;

		if (wants_name != (out->args[2].kind == PLAY_ARG_STR))
			return fail(why, len, _("setsockopt: %s takes %s"), o->name,
				    wants_name ? _("an interface's name (\"lo\")") :
				    o->val == PLAY_OPT_MS ? _("milliseconds (500)") : _("a number (1 or 0)"));
	}
	if ((out->call == PLAY_RECV || out->call == PLAY_RECVFROM || out->call == PLAY_ACCEPT) &&
	    out->nargs > 1 && out->args[1].num > PLAY_WAIT_MAX)
		return fail(why, len, _("%s: wait at most %d ms"), play_calls[out->call].name, PLAY_WAIT_MAX);
	if ((out->call == PLAY_JOIN || out->call == PLAY_LEAVE) &&
	    (out->args[1].addr.ss_family != AF_INET ||
	     (out->nargs > 2 && out->args[2].addr.ss_family != AF_INET)))
		return fail(why, len, _("%s: an IPv4 group and interface address here "
			    "(join(s, 239.1.2.3, 127.0.0.1))"), play_calls[out->call].name);
	if (out->call == PLAY_SYSCTL && strncmp(out->args[0].text, "net.", 4) != 0 &&
	    strncmp(out->args[0].text, "net/", 4) != 0)
		return fail(why, len, _("sysctl: '%s': the sandbox's own settings only (net.*): "
			    "the others are the whole machine's"), out->args[0].text);
	if (out->call == PLAY_IP) {
		/* ip(8) with words only: no shell reads it, no netns, no batch */
		static const char *const objects[] = { "link ", "addr ", "address ", "route ", "neigh ", NULL };
		const char *t = out->args[0].text;
		int ok = 0;

		for (int i = 0; objects[i]; i++)
			ok |= strncmp(t, objects[i], strlen(objects[i])) == 0;
		if (!ok || strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ./:_-") !=
		    strlen(t) || strstr(t, "netns"))
			return fail(why, len, _("ip: \"%s\": link, addr, route or neigh, then words (no shell "
				    "characters)"), t);
	}
	if (out->var[0] && !play_calls[found].makes_fd)
		return fail(why, len, _("%s gives no descriptor to keep in '%s'"), word, out->var);
	n = (size_t)(end - stmt);
	snprintf(out->text, sizeof out->text, "%.*s", (int)n, stmt);
	return 1;
}

const char *play_complete(const char *prefix, int i)
{
	size_t n = strlen(prefix);

	for (int k = 0; k < PLAY_NCALLS; k++)
		if (strncmp(play_calls[k].name, prefix, n) == 0 && i-- == 0)
			return play_calls[k].name;
	for (size_t k = 0; k < play_noptions; k++)
		if (strncasecmp(play_options[k].name, prefix, n) == 0 && i-- == 0)
			return play_options[k].name;
	for (size_t k = 0; k < play_ntypes; k++)
		if (strncmp(play_types[k].name, prefix, n) == 0 && i-- == 0)
			return play_types[k].name;
	for (size_t k = 0; words[k]; k++)
		if (strncmp(words[k], prefix, n) == 0 && i-- == 0)
			return words[k];
	return NULL;
}
