/* table.c — draw a socket snapshot as an aligned text table or Markdown. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "table.h"

#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_OFF "\033[0m"

static void add(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? "," : "", word);
}

void table_flags_text(char *buf, size_t len, const struct inspect_sock *s)
{
	static const struct {
		size_t off;
		const char *name;
	} opts[] = {
		{ offsetof(struct inspect_sock, reuseaddr), "reuseaddr" },
		{ offsetof(struct inspect_sock, reuseport), "reuseport" },
		{ offsetof(struct inspect_sock, broadcast), "broadcast" },
	};
	char dev[IF_NAMESIZE + 8];

	buf[0] = '\0';
	if (s->reuseaddr < 0 && s->reuseport < 0 && s->broadcast < 0)
		add(buf, len, "?");	/* not read: no owner, or not allowed */
	else for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		int8_t v = *((const int8_t *)s + opts[i].off);

		if (v > 0) {
			add(buf, len, opts[i].name);
		} else if (v < 0) {
			char q[24];

			snprintf(q, sizeof q, "%s?", opts[i].name);
			add(buf, len, q);
		}
	}
	/* carried over from the same socket's last row (inspect_diff) */
	if (s->inherited)
		add(buf, len, "inherited");
	if (s->v6only)
		add(buf, len, "v6only");
	if (s->ifindex) {
		char name[IF_NAMESIZE];

		if (if_indextoname(s->ifindex, name))
			snprintf(dev, sizeof dev, "dev=%s", name);
		else
			snprintf(dev, sizeof dev, "dev=%u", s->ifindex);
		add(buf, len, dev);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

void table_timer_text(char *buf, size_t len, const struct inspect_sock *s)
{
	static const char *const names[] = {
		"", "on", "keepalive", "timewait", "persist",
	};

	if (s->timer == 0 || s->timer >= sizeof names / sizeof names[0]) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%s %u.%us", names[s->timer], s->expires_ms / 1000,
		 s->expires_ms % 1000 / 100);
}

static void owner_text(char *buf, size_t len, const struct inspect_sock *s,
		       const struct table_opts *o)
{
	const char *label = o->label && s->pid ? o->label(o->label_ctx, s->pid) : NULL;

	if (s->pid == 0)
		snprintf(buf, len, "-");
	else if (!label)
		label = s->comm[0] ? s->comm : "?";
	if (s->pid == 0)
		return;
	if (o->show_pids)
		snprintf(buf, len, "%s pid %d fd %d", label, s->pid, s->fd);
	else
		snprintf(buf, len, "%s", label);	/* a handout: no numbers of this run */
}

static const char *mark_text(const struct inspect_sock *s, int gone)
{
	if (gone)
		return "-";
	return s->mark == INSPECT_NEW ? "+" : s->mark == INSPECT_CHANGED ? "~" : " ";
}

static const char *mark_color(const struct inspect_sock *s, int gone)
{
	if (gone)
		return C_RED;
	return s->mark == INSPECT_NEW ? C_GREEN : s->mark == INSPECT_CHANGED ? C_YELLOW : "";
}

static void row(FILE *f, const struct inspect_sock *s, int gone, const struct table_opts *o)
{
	char local[72], peer[72], owner[96], flags[96], timer[40], line[512];
	const char *color = o->color ? mark_color(s, gone) : "";
	int n;

	inspect_format_sock(local, sizeof local, s, 0);
	inspect_format_sock(peer, sizeof peer, s, 1);
	owner_text(owner, sizeof owner, s, o);
	table_flags_text(flags, sizeof flags, s);
	table_timer_text(timer, sizeof timer, s);

	if (o->markdown) {
		fprintf(f, "| %s | %s | %s | %s | %s | %u |", mark_text(s, gone),
			inspect_proto_name(s->proto), inspect_state_name(s->proto, s->state),
			local, peer, s->rqueue);
		if (o->show_sendq)
			fprintf(f, " %u |", s->wqueue);
		if (o->show_uid)
			fprintf(f, " %u |", s->uid);
		if (o->show_owner)
			fprintf(f, " %s |", owner);
		if (o->show_flags)
			fprintf(f, " %s |", flags);
		if (o->show_timer)
			fprintf(f, " %s |", timer);
		fputc('\n', f);
		return;
	}
	n = snprintf(line, sizeof line, "%s %-4s %-10s %-24s %-24s %6u", mark_text(s, gone),
		     inspect_proto_name(s->proto), inspect_state_name(s->proto, s->state),
		     local, peer, s->rqueue);
#define MORE(...)                                                             \
	do {                                                                  \
		if (n >= 0 && (size_t)n < sizeof line)                        \
			n += snprintf(line + n, sizeof line - (size_t)n, __VA_ARGS__); \
	} while (0)
	if (o->show_sendq)
		MORE(" %6u", s->wqueue);
	if (o->show_uid)
		MORE(" %5u", s->uid);
	if (o->show_owner)
		MORE("  %-24s", owner);
	if (o->show_flags)
		MORE(" %s", flags);
	if (o->show_timer && timer[0])
		MORE(" %s", timer);
#undef MORE
	/* trailing blanks of a padded last column */
	while (n > 0 && (size_t)n < sizeof line && line[n - 1] == ' ')
		line[--n] = '\0';
	if (o->width > 0 && n > o->width)
		line[o->width] = '\0';
	fprintf(f, "%*s%s%s%s\n", o->indent, "", color, line, *color ? C_OFF : "");
}

static void header(FILE *f, const struct table_opts *o)
{
	if (o->markdown) {
		int cols = 6;

		fprintf(f, "|   | netid | state | local | peer | recv-Q |");
		if (o->show_sendq)
			fprintf(f, " send-Q |"), cols++;
		if (o->show_uid)
			fprintf(f, " uid |"), cols++;
		if (o->show_owner)
			fprintf(f, " owner |"), cols++;
		if (o->show_flags)
			fprintf(f, " flags |"), cols++;
		if (o->show_timer)
			fprintf(f, " timer |"), cols++;
		fputs("\n|", f);
		for (int i = 0; i < cols; i++)
			fputs("---|", f);
		fputc('\n', f);
		return;
	}
	fprintf(f, "%*s%s  %-4s %-10s %-24s %-24s %6s", o->indent, "", o->color ? C_DIM : "",
		"NET", "STATE", "LOCAL", "PEER", "RECV-Q");
	if (o->show_sendq)
		fprintf(f, " %6s", "SEND-Q");
	if (o->show_uid)
		fprintf(f, " %5s", "UID");
	if (o->show_owner)
		fprintf(f, "  %-24s", "OWNER");
	if (o->show_flags)
		fprintf(f, " FLAGS");
	if (o->show_timer)
		fprintf(f, " TIMER");
	fprintf(f, "%s\n", o->color ? C_OFF : "");
}

void table_print(FILE *f, const struct inspect_snap *snap,
		 const struct inspect_snap *gone, const struct table_opts *o)
{
	header(f, o);
	for (size_t i = 0; i < snap->n; i++)
		row(f, &snap->v[i], 0, o);
	for (size_t i = 0; gone && i < gone->n; i++)
		row(f, &gone->v[i], 1, o);
	if (snap->n == 0 && (gone == NULL || gone->n == 0))
		fprintf(f, o->markdown ? "| | (none) | | | | |\n" : "%*s  (no sockets)\n", o->indent, "");
}
