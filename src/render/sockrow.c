/* sockrow.c — the one writer of a socket row's cells (sockrow.h). */
#include <stdio.h>
#include <string.h>

#include "sockrow.h"

/* Append word to the list in buf, sep between words. */
static void add(char *buf, size_t len, const char *word, char sep)
{
	size_t used = strlen(buf);

	if (used + 1 >= len)
		return;
	if (used)
		snprintf(buf + used, len - used, "%c%s", sep, word);
	else
		snprintf(buf, len, "%s", word);
}

/* The reuse flags, long ("reuseaddr") or short ("ra", as the dashboard
 * and its help legend say them); "-" when none, "?" parts when unread. */
static void flags_text(char *buf, size_t len, const struct inspect_sock *s,
		       enum sockrow_form form)
{
	static const struct {
		size_t off;
		const char *name, *abbr;
	} opts[] = {
		{ offsetof(struct inspect_sock, reuseaddr), "reuseaddr", "ra" },
		{ offsetof(struct inspect_sock, reuseport), "reuseport", "rp" },
		{ offsetof(struct inspect_sock, broadcast), "broadcast", "bc" },
	};
	int abbr = form != SOCKROW_LONG;
	/* the dashboard's narrow column: words apart, no device */
	char sep = form == SOCKROW_PANE ? ' ' : ',';
	char dev[sizeof s->ifname + 8];

	buf[0] = '\0';
	if (s->reuseaddr < 0 && s->reuseport < 0 && s->broadcast < 0)
		add(buf, len, "?", sep);	/* not read: no owner, or not allowed */
	else for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		int8_t v = *((const int8_t *)s + opts[i].off);
		const char *name = abbr ? opts[i].abbr : opts[i].name;

		if (v > 0) {
			add(buf, len, name, sep);
		} else if (v < 0) {
			char q[24];

			snprintf(q, sizeof q, "%s?", name);
			add(buf, len, q, sep);
		}
	}
	/* carried over from the same socket's last row (inspect_diff) */
	if (s->inherited)
		add(buf, len, abbr ? "inh" : "inherited", sep);
	if (s->v6only)
		add(buf, len, abbr ? "v6" : "v6only", sep);
	if (s->ifindex && form != SOCKROW_PANE) {
		if (s->ifname[0])
			snprintf(dev, sizeof dev, "dev=%s", s->ifname);
		else
			snprintf(dev, sizeof dev, "dev=%u", s->ifindex);
		add(buf, len, dev, sep);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

/* the timers' names, long and short, by enum inspect_timer */
static const char *const timer_names[INSPECT_TIMER_COUNT][2] = {
	[INSPECT_TIMER_NONE] = { "", "" },
	[INSPECT_TIMER_RETRANSMIT] = { "on", "on" },
	[INSPECT_TIMER_KEEPALIVE] = { "keepalive", "ka" },
	[INSPECT_TIMER_TIMEWAIT] = { "timewait", "tw" },
	[INSPECT_TIMER_PROBE] = { "persist", "ps" },
};

/* "timewait 59.1s", "tw 59.1s"; the dashboard's: a TIME-WAIT row's
 * countdown alone ("59.1s"), as it runs on since the row was read. */
static void timer_text(char *buf, size_t len, const struct inspect_sock *s,
		       const struct sockrow_opts *o)
{
	long left = (long)s->expires_ms - (o->ran_ms > 0 ? o->ran_ms : 0);

	buf[0] = '\0';
	if (s->timer == INSPECT_TIMER_NONE || s->timer >= INSPECT_TIMER_COUNT)
		return;
	if (left < 0)
		left = 0;
	if (o->form == SOCKROW_PANE) {
		if (s->timer == INSPECT_TIMER_TIMEWAIT)
			snprintf(buf, len, "%ld.%lds", left / 1000, left % 1000 / 100);
		return;
	}
	snprintf(buf, len, "%s %ld.%lds", timer_names[s->timer][o->form != SOCKROW_LONG],
		 left / 1000, left % 1000 / 100);
}

/* "server pid N fd N"; short: "server N"; without pids: "server".  With
 * a name for the socket, "first (main N)" ("client N" when the name is
 * the label's). */
static void owner_text(char *buf, size_t len, const struct inspect_sock *s,
		       const struct sockrow_opts *o)
{
	const char *label = o->label && s->pid ? o->label(o->label_ctx, s->pid) : NULL;
	const char *name = o->name && s->pid ? o->name(o->label_ctx, s->pid, s->fd) : NULL;
	char who[96];

	if (s->pid == 0) {
		/* the dashboard says whose a TIME-WAIT row is: nobody's file */
		snprintf(buf, len, "%s", o->form == SOCKROW_PANE &&
			 s->timer == INSPECT_TIMER_TIMEWAIT ? "(kernel)" : "-");
		return;
	}
	if (!label)
		label = s->comm[0] ? s->comm : "?";
	if (o->show_pids && o->form != SOCKROW_LONG)
		snprintf(who, sizeof who, "%s %d", label, s->pid);
	else if (o->show_pids)
		snprintf(who, sizeof who, "%s pid %d fd %d", label, s->pid, s->fd);
	else
		snprintf(who, sizeof who, "%s", label);	/* a handout: no numbers of this run */
	if (name && *name && strcmp(name, label) != 0)
		snprintf(buf, len, "%s (%s)", name, who);
	else
		snprintf(buf, len, "%s", who);
	/* cells padded by bytes: one byte a column */
	for (char *q = buf; o->one_byte && *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '?';
}

static const char *mark_text(const struct inspect_sock *s, int gone)
{
	if (gone)
		return "-";
	return s->mark == INSPECT_NEW ? "+" : s->mark == INSPECT_CHANGED ? "~" : " ";
}

const char *sockrow_net_id(const struct inspect_sock *s)
{
	return s->proto == IPPROTO_TCP ? "tcp" : "udp";
}

const char *sockrow_family_id(const struct inspect_sock *s)
{
	return s->family == AF_INET6 ? "inet6" : "inet";
}

const char *sockrow_timer_id(const struct inspect_sock *s)
{
	if (s->timer == INSPECT_TIMER_NONE || s->timer >= INSPECT_TIMER_COUNT)
		return NULL;
	return timer_names[s->timer][0];
}

void sockrow_cell(char *buf, size_t len, enum sockrow_col k, const struct inspect_sock *s,
		  int gone, const struct sockrow_opts *o)
{
	switch (k) {
	case SOCKROW_MARK:
		snprintf(buf, len, "%s", mark_text(s, gone));
		break;
	case SOCKROW_HOST:
		snprintf(buf, len, "%s", s->host[0] ? s->host : "-");
		break;
	case SOCKROW_NET:
		snprintf(buf, len, "%s", o->form == SOCKROW_PANE ? sockrow_net_id(s) :
			 inspect_proto_name(s->proto));
		break;
	case SOCKROW_STATE:
		snprintf(buf, len, "%s", inspect_state_name(s->proto, s->state));
		break;
	case SOCKROW_LOCAL:
		inspect_format_sock(buf, len, s, 0);
		break;
	case SOCKROW_PEER:
		inspect_format_sock(buf, len, s, 1);
		break;
	case SOCKROW_RECVQ:
		snprintf(buf, len, "%u", s->rqueue);
		break;
	case SOCKROW_SENDQ:
		snprintf(buf, len, "%u", s->wqueue);
		break;
	case SOCKROW_UID:
		inspect_uid_text(s, buf, len);
		break;
	case SOCKROW_OWNER:
		owner_text(buf, len, s, o);
		break;
	case SOCKROW_FLAGS:
		flags_text(buf, len, s, o->form);
		break;
	case SOCKROW_TIMER:
		timer_text(buf, len, s, o);
		break;
	default:
		buf[0] = '\0';
	}
}
