/* save.c — a playground session written as a lab in the house style
 * (play.h: play_save_c): every call visible, checked against what the
 * kernel answered when it was typed, in ROLE blocks in the order typed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "play.h"

/* What the generated main() needs declared. */
struct needs {
	int buf, v, len, ss, unspec, a4, a6, mreq, mreqn, tv, pfd;
};

/* s as a C string literal's contents (for STEP, a printf format too). */
static void literal(FILE *f, const char *s, size_t n, int format)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '%' && format)
			fputs("%%", f);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < ' ' || ch == 0x7f)
			fprintf(f, "\\x%02x\" \"", ch);	/* a new literal: no hex run-on */
		else
			fputc(ch, f);
	}
}

/* A variable's name in the C file: the session's, unless C or the
 * generated code has it already (a keyword, buf, socket...): then with
 * '_' after it. */
static const char *cvar(const char *name, char *out, size_t len)
{
	static const char *const taken[] = {
		"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
		"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
		"register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
		"switch", "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool",
		"buf", "v", "len", "ss", "sslen", "unspec", "a4", "a6", "mreq", "mreqn", "tv", "pfd",
		"in4", "in6", "main", "socket", "bind", "connect", "listen", "accept4", "send",
		"sendto", "recv", "close", "shutdown", "setsockopt", "getsockopt", "getsockname",
		"getpeername", "poll", "fcntl", "inet_pton", "htons", "errno", "lab_end", NULL,
	};
	int clash = strncmp(name, "lab_", 4) == 0 || strncmp(name, "LAB", 3) == 0;

	for (size_t i = 0; taken[i] && !clash; i++)
		clash = strcmp(name, taken[i]) == 0;
	snprintf(out, len, "%s%s", name, clash ? "_" : "");
	return out;
}

static const char *errno_name(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "EIO";
}

/* The address argument as the lab's variable a4 or a6, set on the line
 * before the call; returns the variable's name. */
static const char *addr_var(FILE *f, const struct play_arg *a, struct needs *nd)
{
	char ip[INET6_ADDRSTRLEN];

	if (a->addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&a->addr;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		fprintf(f, "\t\ta4 = in4(\"%s\", %u);\n", ip, ntohs(in->sin_port));
		nd->a4 = 1;
		return "a4";
	}
	{
		const struct sockaddr_in6 *in6 = (const void *)&a->addr;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		fprintf(f, "\t\ta6 = in6(\"%s\", %u);\n", ip, ntohs(in6->sin6_port));
		nd->a6 = 1;
		return "a6";
	}
}

/* The C call of c (after any line that prepares it), without a semicolon. */
static void call(FILE *f, FILE *pre, const struct play_cmd *c, struct needs *nd, int err)
{
	char sbuf[PLAY_NAME + 2];
	const char *s = c->nargs ? cvar(c->args[0].text, sbuf, sizeof sbuf) : "";
	const struct play_option *o = NULL;

	if ((c->call == PLAY_SETSOCKOPT || c->call == PLAY_GETSOCKOPT) && c->args[1].opt >= 0)
		o = &play_options[c->args[1].opt];
	switch (c->call) {
	case PLAY_SOCKET:
		for (size_t i = 0; i < play_ntypes; i++)
			if (strcasecmp(c->args[0].text, play_types[i].name) == 0)
				fprintf(f, "socket(%s, %s, 0)",
					play_types[i].family == AF_INET ? "AF_INET" : "AF_INET6",
					play_types[i].type == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_STREAM");
		break;
	case PLAY_SETSOCKOPT:
		if (o->val == PLAY_OPT_IFINDEX) {
			fprintf(pre, "\t\tmreqn = (struct ip_mreqn){ .imr_ifindex = (int)if_nametoindex(\"");
			literal(pre, c->args[2].text, strlen(c->args[2].text), 0);
			fputs("\") };\n", pre);
			nd->mreqn = 1;
			fprintf(f, "setsockopt(%s, %s, %s, &mreqn, sizeof mreqn)", s, o->level_name, o->name);
		} else if (o->val == PLAY_OPT_IFNAME) {
			fprintf(f, "setsockopt(%s, %s, %s, \"", s, o->level_name, o->name);
			literal(f, c->args[2].text, strlen(c->args[2].text), 0);
			fprintf(f, "\", %zu)", strlen(c->args[2].text));
		} else if (o->val == PLAY_OPT_MS) {
			fprintf(pre, "\t\ttv = (struct timeval){ %ld, %ld };\n", c->args[2].num / 1000,
				(c->args[2].num % 1000) * 1000);
			nd->tv = 1;
			fprintf(f, "setsockopt(%s, %s, %s, &tv, sizeof tv)", s, o->level_name, o->name);
		} else {
			fprintf(pre, "\t\tv = %ld;\n", c->args[2].num);
			nd->v = 1;
			fprintf(f, "setsockopt(%s, %s, %s, &v, sizeof v)", s, o->level_name, o->name);
		}
		break;
	case PLAY_GETSOCKOPT:
		fprintf(pre, "\t\tlen = sizeof v;\n");
		nd->v = nd->len = 1;
		fprintf(f, "getsockopt(%s, %s, %s, &v, &len)", s, o->level_name, o->name);
		break;
	case PLAY_BIND:
	case PLAY_CONNECT:
		if (c->args[1].kind == PLAY_ARG_WORD) {
			fprintf(pre, "\t\tunspec = (struct sockaddr){ .sa_family = AF_UNSPEC };\n");
			nd->unspec = 1;
			fprintf(f, "connect(%s, &unspec, sizeof unspec)", s);
		} else {
			const char *var = addr_var(pre, &c->args[1], nd);

			if (c->call == PLAY_CONNECT && err == EINPROGRESS) {
				/* it stopped waiting for the handshake, as the playground did */
				fprintf(pre, "\t\ttv = (struct timeval){ %d, 0 };\n", PLAY_CONNECT_MS / 1000);
				fprintf(pre, "\t\tEXPECT_OK(setsockopt(%s, SOL_SOCKET, SO_SNDTIMEO, &tv, "
					"sizeof tv));\n", s);
				nd->tv = 1;
			}
			fprintf(f, "%s(%s, (struct sockaddr *)&%s, sizeof %s)", play_calls[c->call].name, s,
				var, var);
		}
		break;
	case PLAY_LISTEN:
		fprintf(f, "listen(%s, %ld)", s, c->nargs > 1 ? c->args[1].num : 16L);
		break;
	case PLAY_ACCEPT:
	case PLAY_RECV:
	case PLAY_RECVFROM:
		if (c->nargs > 1 && c->args[1].num > 0) {
			/* the playground waited this long for something to come */
			fprintf(pre, "\t\tpfd = (struct pollfd){ .fd = %s, .events = POLLIN };\n", s);
			fprintf(pre, "\t\tEXPECT_OK(poll(&pfd, 1, %ld));\n", c->args[1].num);
			nd->pfd = 1;
		}
		if (c->call == PLAY_ACCEPT) {
			/* the playground never waits in accept: nothing queued is EAGAIN */
			fprintf(pre, "\t\tEXPECT_OK(fcntl(%s, F_SETFL, fcntl(%s, F_GETFL) | O_NONBLOCK));\n",
				s, s);
			fprintf(f, "accept4(%s, NULL, NULL, SOCK_NONBLOCK)", s);
		} else {
			nd->buf = 1;
			fprintf(f, "recv(%s, buf, sizeof buf, MSG_DONTWAIT)", s);
		}
		break;
	case PLAY_SEND:
	case PLAY_SENDTO: {
		const char *var = c->call == PLAY_SENDTO ? addr_var(pre, &c->args[2], nd) : NULL;

		fprintf(f, "%s(%s, \"", play_calls[c->call].name, s);
		literal(f, c->args[1].text, (size_t)c->args[1].num, 0);
		fprintf(f, "\", %ld, MSG_DONTWAIT | MSG_NOSIGNAL", c->args[1].num);
		if (var)
			fprintf(f, ", (struct sockaddr *)&%s, sizeof %s", var, var);
		fputc(')', f);
		break;
	}
	case PLAY_CLOSE:
		fprintf(f, "close(%s)", s);
		break;
	case PLAY_SHUTDOWN:
		fprintf(f, "shutdown(%s, %s)", s, c->nargs > 1 ? c->args[1].text : "SHUT_RDWR");
		break;
	case PLAY_JOIN:
	case PLAY_LEAVE: {
		char g[INET_ADDRSTRLEN], ifa[INET_ADDRSTRLEN] = "0.0.0.0";
		const struct sockaddr_in *gi = (const void *)&c->args[1].addr;

		inet_ntop(AF_INET, &gi->sin_addr, g, sizeof g);
		if (c->nargs > 2)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)&c->args[2].addr)->sin_addr,
				  ifa, sizeof ifa);
		fprintf(pre, "\t\tinet_pton(AF_INET, \"%s\", &mreq.imr_multiaddr);\n", g);
		fprintf(pre, "\t\tinet_pton(AF_INET, \"%s\", &mreq.imr_interface);\n", ifa);
		nd->mreq = 1;
		fprintf(f, "setsockopt(%s, IPPROTO_IP, %s, &mreq, sizeof mreq)", s,
			c->call == PLAY_JOIN ? "IP_ADD_MEMBERSHIP" : "IP_DROP_MEMBERSHIP");
		break;
	}
	case PLAY_GETSOCKNAME:
	case PLAY_GETPEERNAME:
		fprintf(pre, "\t\tsslen = sizeof ss;\n");
		nd->ss = 1;
		fprintf(f, "%s(%s, (struct sockaddr *)&ss, &sslen)", play_calls[c->call].name, s);
		break;
	case PLAY_SYSCTL:
		fprintf(f, "lab_sysctl(\"%s\", \"", c->args[0].text);
		if (c->args[1].kind == PLAY_ARG_INT)
			fprintf(f, "%ld", c->args[1].num);
		else
			literal(f, c->args[1].text, strlen(c->args[1].text), 0);
		fputs("\")", f);
		break;
	case PLAY_IP:
		fprintf(f, "lab_cmd(\"ip %%s\", \"");
		literal(f, c->args[0].text, strlen(c->args[0].text), 0);
		fputs("\")", f);
		break;
	case PLAY_NCALLS:
		break;
	}
}

int play_save_c(FILE *f, const char *name, const char *const *lines, const int *errs, size_t n)
{
	struct play_cmd c;
	struct needs nd = { 0 };
	char why[256], vars[64][PLAY_NAME], prev_role[PLAY_NAME] = "", vbuf[PLAY_NAME + 2];
	size_t nvars = 0;
	char *body = NULL, *pre = NULL;
	size_t body_len = 0, pre_len = 0;
	FILE *b = open_memstream(&body, &body_len);

	if (b == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		FILE *p;
		int found = 0;

		if (play_parse(lines[i], &c, why, sizeof why) <= 0) {
			fclose(b);
			free(body);
			errno = EINVAL;
			return -1;
		}
		if (strcmp(c.role, prev_role) != 0) {
			if (prev_role[0])
				fputs("\t}\n", b);
			fprintf(b, "\tROLE(\"%s\") {\n", c.role);
			if (c.uid >= 0)
				fprintf(b, "\t\t/* typed as '%s as uid %d': the role runs as that uid */\n"
					"\t\tEXPECT_OK(setresuid(%d, %d, %d));\n", c.role, c.uid, c.uid, c.uid,
					c.uid);
			snprintf(prev_role, sizeof prev_role, "%s", c.role);
		}
		if (c.var[0]) {
			for (size_t k = 0; k < nvars; k++)
				found |= strcmp(vars[k], c.var) == 0;
			if (!found && nvars < 64)
				snprintf(vars[nvars++], PLAY_NAME, "%s", c.var);
		}
		/* the step's title: the call; its why: the line's comment, if any */
		{
			/* a comment after the statement (a '#' in a string is no comment) */
			const char *at = strstr(lines[i], c.text);
			const char *hash = at ? strchr(at + strlen(c.text), '#') : NULL;
			const char *why_text = hash ? hash + 1 + strspn(hash + 1, " ") :
					       "typed in the playground";

			fputs("\t\tSTEP(\"", b);
			literal(b, c.text, strlen(c.text), 1);
			fputs("\", \"", b);
			literal(b, why_text, strlen(why_text), 1);
			fputs("\");\n", b);
		}
		p = open_memstream(&pre, &pre_len);
		if (p == NULL)
			break;
		{
			char *callbuf = NULL;
			size_t callen = 0;
			FILE *cf = open_memstream(&callbuf, &callen);

			if (cf == NULL) {
				fclose(p);
				free(pre);
				break;
			}
			call(cf, p, &c, &nd, errs[i]);
			fclose(cf);
			fclose(p);
			fputs(pre, b);
			fputs("\t\t", b);
			if (c.var[0])
				fprintf(b, "%s = ", cvar(c.var, vbuf, sizeof vbuf));
			if (errs[i])
				fprintf(b, "EXPECT_ERR(%s, %s);\n", errno_name(errs[i]), callbuf);
			else
				fprintf(b, "EXPECT_OK(%s);\n", callbuf);
			free(callbuf);
			free(pre);
			pre = NULL;
		}
	}
	if (prev_role[0])
		fputs("\t}\n", b);
	fclose(b);

	fprintf(f, "/* %s.c — a playground session, saved by 'socklab play' (save %s.c).\n"
		" * Each line typed is a step, checked against what the kernel answered\n"
		" * when it was typed.  Build it as README's one-liner builds a lab:\n"
		" *   cc -std=c11 -D_GNU_SOURCE -Isrc -o %s %s.c src/lab/runtime.c src/lab/proto.c \\\n"
		" *      src/lab/claim.c src/lab/outcome.c src/sandbox/sandbox.c src/kver/kver.c\n"
		" * and check it: socklab check ./%s (or socklab dash %s.c). */\n", name, name, name,
		name, name, name);
	fputs("#include <fcntl.h>\n#include <net/if.h>\n#include <poll.h>\n#include <sys/time.h>\n\n#include \"lab/lab.h\"\n\n", f);
	fprintf(f, "LAB(99, \"%s\", \"A playground session\",\n"
		"    \"what the kernel answered to each line, when it was typed\");\n\n", name);
	if (nd.a4)
		fputs("/* an IPv4 address and port, as the playground wrote it */\n"
		      "static struct sockaddr_in in4(const char *ip, int port)\n{\n"
		      "\tstruct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };\n\n"
		      "\tinet_pton(AF_INET, ip, &a.sin_addr);\n\treturn a;\n}\n\n", f);
	if (nd.a6)
		fputs("/* an IPv6 address and port */\n"
		      "static struct sockaddr_in6 in6(const char *ip, int port)\n{\n"
		      "\tstruct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };\n\n"
		      "\tinet_pton(AF_INET6, ip, &a.sin6_addr);\n\treturn a;\n}\n\n", f);
	fputs("int main(void)\n{\n", f);
	for (size_t k = 0; k < nvars; k++)
		fprintf(f, "\tint %s = -1;\n", cvar(vars[k], vbuf, sizeof vbuf));
	if (nd.buf)
		fputs("\tchar buf[2048];\n", f);
	if (nd.v)
		fputs("\tint v = 0;\n", f);
	if (nd.len)
		fputs("\tsocklen_t len;\n", f);
	if (nd.ss)
		fputs("\tstruct sockaddr_storage ss;\n\tsocklen_t sslen;\n", f);
	if (nd.unspec)
		fputs("\tstruct sockaddr unspec;\n", f);
	if (nd.a4)
		fputs("\tstruct sockaddr_in a4;\n", f);
	if (nd.a6)
		fputs("\tstruct sockaddr_in6 a6;\n", f);
	if (nd.mreq)
		fputs("\tstruct ip_mreq mreq;\n", f);
	if (nd.mreqn)
		fputs("\tstruct ip_mreqn mreqn;\n", f);
	if (nd.tv)
		fputs("\tstruct timeval tv;\n", f);
	if (nd.pfd)
		fputs("\tstruct pollfd pfd;\n", f);
	fputc('\n', f);
	fputs(body ? body : "", f);
	free(body);
	fputs("\treturn lab_end();\n}\n", f);
	return ferror(f) ? -1 : 0;
}
