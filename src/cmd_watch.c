/* cmd_watch.c — socklab watch: the live socket table of this host, of a
 * lab's sandbox, or of any network namespace.  On a terminal it redraws in
 * place until q or Ctrl-C; otherwise it prints a snapshot per interval. */
#include <errno.h>
#include <getopt.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cmd.h"
#include "i18n.h"
#include "termguard.h"
#include "inspect/inspect.h"
#include "proc/proc.h"
#include "render/json.h"
#include "render/table.h"
#include "render/wrap.h"

struct watch {
	struct inspect_filter filter;
	pid_t pid;		/* --pid: only this process's sockets */
	int owners;
	int json;
	int once;
	long interval_ms;
	const char *netns;	/* as the user named it, for the header/JSON */
	char netns_path[64];
	int tty;		/* redraw in place */
};

/* "listen,time-wait" -> bits.  -1 on an unknown name. */
static int parse_states(const char *list, uint32_t *bits)
{
	char buf[256], *save = NULL, *tok;

	if (strlen(list) >= sizeof buf || *list == '\0')
		return -1;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int st = inspect_state_by_name(tok);

		if (st < 0)
			return -1;
		*bits |= 1u << st;
	}
	return 0;
}

/* ---- the terminal ------------------------------------------------------ */

static struct termios saved_tio;
static int tio_saved;

/* cursor back, leave the alternate screen */
static const char term_reset[] = "\033[?25h\033[?1049l";

static void term_restore(void)
{
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		tio_saved = 0;
		fputs(term_reset, stdout);
		fflush(stdout);
		termguard_stop();
	}
}

/* Keys without Enter, no echo, the alternate screen: like top(1). */
static void term_setup(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &saved_tio) < 0)
		return;
	tio = saved_tio;
	tio.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) < 0)
		return;
	tio_saved = 1;
	termguard_start(&saved_tio, term_reset, strlen(term_reset));	/* even after SIGKILL */
	fputs("\033[?1049h\033[?25l", stdout);
}

/* wrap_columns() (--once on a terminal too); 0 (no limit) on a pipe, 80
 * for a terminal that does not say */
static int term_cols(int tty)
{
	int cols = wrap_columns();

	return cols ? cols : tty ? 80 : 0;
}

static int term_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row)
		return ws.ws_row;
	return 24;
}

/* ---- one snapshot ------------------------------------------------------ */

static int collect(const struct watch *w, int nl, struct inspect_snap *snap)
{
	if (inspect_query(nl, &w->filter, snap) < 0)
		return -1;
	if (w->pid) {
		size_t keep = 0;

		if (inspect_owners(snap, &w->pid, 1) < 0)
			return -1;
		for (size_t i = 0; i < snap->n; i++)
			if (snap->v[i].pid == w->pid)
				snap->v[keep++] = snap->v[i];
		snap->n = keep;
	} else if (w->owners && inspect_owners(snap, NULL, 0) < 0) {
		return -1;
	}
	if (w->owners || w->pid)
		inspect_flags(snap);
	return 0;
}

/* Terminal columns a UTF-8 string takes (every character here is one). */
static int text_cols(const char *t)
{
	int n = 0;

	for (; *t; t++)
		n += ((unsigned char)*t & 0xc0) != 0x80;
	return n;
}

/* The title line, its least needed parts left out until it fits: the
 * interval first, then "q quits", then the time. */
static void title(const struct watch *w, size_t n, int cols)
{
	time_t t = time(NULL);
	char when[32], every[40], line[256];
	const struct {
		const char *text;
		int drop;
	} parts[] = { { every, 1 }, { when, 3 }, { "q quits", 2 } };

	strftime(when, sizeof when, "%H:%M:%S", localtime(&t));
	snprintf(every, sizeof every, "every %ld ms", w->interval_ms);
	for (int dropped = 0; dropped <= 3; dropped++) {
		int len = snprintf(line, sizeof line, "socklab watch · %s · %zu sockets",
				   w->netns ? w->netns : "host", n);

		for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
			if (parts[i].drop > dropped && len >= 0 && (size_t)len < sizeof line)
				len += snprintf(line + len, sizeof line - (size_t)len, " · %s",
						parts[i].text);
		if (text_cols(line) <= cols)
			break;
	}
	/* a long --netns path on a tiny terminal: cut, never wrap */
	for (int i = 0, c = 0; line[i]; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80 && c++ == cols) {
			line[i] = '\0';
			break;
		}
	fputs(line, stdout);
	putchar('\n');
}

static void draw_text(const struct watch *w, const struct inspect_snap *snap,
		      const struct inspect_snap *gone)
{
	struct table_opts o = {
		.color = cmd_use_color(STDOUT_FILENO),
		.show_sendq = 1,
		.show_uid = 1,
		.show_owner = w->owners || w->pid,
		.show_flags = w->owners || w->pid,
		.show_timer = 1,
		.show_pids = 1,
		.width = term_cols(w->tty),
	};
	struct inspect_snap shown = *snap, gone_shown = { 0 };

	if (gone)
		gone_shown = *gone;
	if (w->tty) {
		/* title, table header, a line kept free: the rest is rows; gone
		 * ones (a busy host frees many) at most half of it when live
		 * rows want the room */
		size_t room = term_rows() > 4 ? (size_t)term_rows() - 3 : 1;

		/* the last line has no room for its newline when "... more"
		 * takes one (it would scroll the title away) */
		if (snap->n + gone_shown.n > room && room > 1)
			room--;

		/* home, clear: the whole frame is redrawn each time */
		fputs("\033[H\033[2J", stdout);
		title(w, snap->n, o.width);
		if (gone_shown.n > room - (shown.n < room / 2 ? shown.n : room / 2))
			gone_shown.n = room - (shown.n < room / 2 ? shown.n : room / 2);
		if (shown.n > room - gone_shown.n)
			shown.n = room - gone_shown.n;
	}
	table_print(stdout, &shown, w->tty ? &gone_shown : NULL, &o);
	if (shown.n < snap->n || (gone && gone_shown.n < gone->n))
		printf("  ... %zu more (narrow it: --port, --state, --pid)\n",
		       snap->n - shown.n + (gone ? gone->n - gone_shown.n : 0));
	if (!w->tty)
		putchar('\n');
	fflush(stdout);
}

/* Wait ms (the next sample); 1 when the user pressed q.  A Ctrl-C
 * between the caller's check of the stop flag and the wait still ends the
 * wait at once (proc_wait). */
static int wait_interval(const struct watch *w, long ms)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	if (proc_wait(&p, w->tty ? 1 : 0, ms) > 0 && read(STDIN_FILENO, &c, 1) == 1 &&
	    (c == 'q' || c == 'Q'))
		return 1;
	return 0;
}

static int copy_snap(struct inspect_snap *dst, const struct inspect_snap *src)
{
	if (dst->cap < src->n) {
		struct inspect_sock *v = realloc(dst->v, src->n * sizeof *v);

		if (v == NULL)
			return -1;
		dst->v = v;
		dst->cap = src->n;
	}
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof *src->v);
	dst->n = src->n;
	return 0;
}

/* Marks must stay long enough for a person to see them: + and ~ compare
 * a frame with a baseline between MARK_MS and 2 * MARK_MS old; a gone row
 * stays drawn for GONE_MS or one interval, whichever is longer. */
#define MARK_MS 3000
#define GONE_MS 2000
/* Without the kernel's destroy notifications, sample at least this often
 * between frames, so a socket that lives longer is still seen to go. */
#define SAMPLE_MS 100
/* Gone rows held at most: a busy host frees thousands of sockets a
 * second, a screen shows a few; the rest are counted as "more". */
#define HELD_MAX 512

/* A socket the kernel says it freed: held as its last row when a sample
 * saw it (owner, flags, state before the end), else as the kernel's row,
 * unless the filter is one the kernel's row cannot answer (whose it was,
 * its state before).  Never when the socket is still in cur (a TCP
 * socket's TIME-WAIT successor). */
static void hold_destroyed(const struct watch *w, const struct inspect_snap *ev,
			   const struct inspect_snap *prev, const struct inspect_snap *cur,
			   struct inspect_held *held)
{
	for (size_t i = 0; i < ev->n; i++) {
		const struct inspect_sock *s = &ev->v[i], *seen = NULL;

		if (inspect_snap_has(cur, s))
			continue;
		for (size_t j = 0; j < prev->n && !seen; j++)
			if (prev->v[j].cookie == s->cookie && s->cookie)
				seen = &prev->v[j];
		if (!seen && (w->pid || w->filter.states))
			continue;
		if (held->rows.n >= HELD_MAX || inspect_held_add(held, seen ? seen : s) < 0)
			return;
	}
}

static int run_watch(struct watch *w)
{
	struct inspect_snap snap = { 0 }, base = { 0 }, next_base = { 0 }, prev = { 0 };
	struct inspect_snap gone = { 0 }, ev = { 0 }, tmp;
	struct inspect_held held = { 0 };
	struct inspect_groups groups = { 0 };
	long long base_t = 0, next_draw = 0;
	long hold = w->interval_ms > GONE_MS ? w->interval_ms : GONE_MS, sample = w->interval_ms;
	int nl, ret = CMD_OK, first = 1, dnl = -1;

	nl = inspect_open();
	if (nl < 0) {
		fprintf(stderr, _("socklab watch: cannot open NETLINK_SOCK_DIAG: %s\n"), strerror(errno));
		return CMD_USAGE;
	}
	if (w->tty) {
		/* the kernel's word for sockets that live less than a sample */
		dnl = inspect_destroyed_open();
		if (dnl < 0 && getenv("SOCKLAB_DEBUG"))
			fprintf(stderr, _("socklab watch: no destroy notifications (%s): sampling every %d ms\n"),
				strerror(errno), SAMPLE_MS);
		if (dnl < 0 && sample > SAMPLE_MS)
			sample = SAMPLE_MS;
		term_setup();
	}
	while (!proc_stop_signal()) {
		long long t = proc_now_ms();

		ev.n = 0;
		/* before the dump: a TCP socket's TIME-WAIT row is in it */
		if (dnl >= 0 && inspect_destroyed_read(dnl, &w->filter, &ev) < 0 && errno != ENOBUFS)
			ev.n = 0;
		if (collect(w, nl, &snap) < 0) {
			term_restore();
			fprintf(stderr, _("socklab watch: reading sockets: %s\n"), strerror(errno));
			ret = CMD_FAILED;
			break;
		}
		if (w->json) {
			struct json_meta m = { w->netns, proc_wall_ms(), w->owners || w->pid };
			int have_groups = inspect_igmp(0, &groups) == 0;

			json_snapshot(stdout, &m, &snap, have_groups ? &groups : NULL);
			fflush(stdout);
			next_draw = t + w->interval_ms;
		} else {
			if (first && (copy_snap(&base, &snap) < 0 || copy_snap(&next_base, &snap) < 0 ||
				      copy_snap(&prev, &snap) < 0))
				base.n = next_base.n = prev.n = 0;
			if (first)
				base_t = t;	/* the first frame: nothing is "new" */
			first = 0;
			/* gone since the last sample, and freed by the kernel */
			if (inspect_diff(&prev, &snap, &gone) == 0)
				for (size_t i = 0; i < gone.n && held.rows.n < HELD_MAX; i++)
					inspect_held_add(&held, &gone.v[i]);
			hold_destroyed(w, &ev, &prev, &snap, &held);
			if (copy_snap(&prev, &snap) < 0)
				prev.n = 0;
		}
		if (!w->json && t >= next_draw) {
			if (inspect_diff(&base, &snap, &gone) < 0)	/* marks + and ~ */
				gone.n = 0;
			inspect_held_update(&held, &snap, t, hold);
			draw_text(w, &snap, &held.rows);
			if (t - base_t >= MARK_MS) {
				tmp = base;
				base = next_base;
				next_base = tmp;
				if (copy_snap(&next_base, &snap) < 0)
					next_base.n = 0;
				base_t = t;
			}
			next_draw = t + w->interval_ms;
		}
		if (w->once || ferror(stdout))
			break;
		t = proc_now_ms();
		if (wait_interval(w, next_draw - t < sample ? (next_draw - t > 0 ? next_draw - t : 0) : sample))
			break;
	}
	term_restore();
	inspect_free(&snap);
	inspect_free(&base);
	inspect_free(&next_base);
	inspect_free(&prev);
	inspect_free(&gone);
	inspect_free(&ev);
	inspect_held_free(&held);
	inspect_groups_free(&groups);
	if (dnl >= 0)
		close(dnl);
	close(nl);
	if (proc_stop_signal() && ret == CMD_OK)
		ret = 128 + proc_stop_signal();
	return ret;
}

/* --pid of a process whose descriptors we may not list: say so, instead
 * of an empty table that reads as "it has no sockets".  /proc/PID/fd
 * needs ptrace read rights (same user and dumpable, or root).  Returns
 * 0 when we can look, else CMD_FAILED after one line on stderr. */
static int pid_readable(pid_t pid)
{
	const char *root = getenv("SOCKLAB_PROC_ROOT");
	char path[256];
	unsigned uid = (unsigned)-1;
	FILE *f;
	DIR *d;

	if (!root || !*root)
		root = "/proc";
	snprintf(path, sizeof path, "%s/%d/fd", root, (int)pid);
	d = opendir(path);
	if (d) {
		/* listing is not reading: the fd links need ptrace read
		 * rights, which even root can be refused (here, pid 1 of a
		 * container): try one */
		struct dirent *e;
		char link[64];
		int denied = 0;

		while ((e = readdir(d)) && e->d_name[0] == '.')
			;
		if (e && readlinkat(dirfd(d), e->d_name, link, sizeof link) < 0)
			denied = errno == EACCES || errno == EPERM;
		closedir(d);
		if (!denied)
			return 0;
		errno = EACCES;
	}
	if (errno != EACCES && errno != EPERM)
		return 0;	/* gone meanwhile: its table is empty */
	/* its real uid from status: /proc/PID itself is root's when the
	 * process is not dumpable */
	snprintf(path, sizeof path, "%s/%d/status", root, (int)pid);
	if ((f = fopen(path, "r"))) {
		char line[256];

		while (fgets(line, sizeof line, f))
			if (sscanf(line, "Uid: %u", &uid) == 1)
				break;
		fclose(f);
	}
	if (uid != (unsigned)-1 && uid != (unsigned)geteuid())
		fprintf(stderr, _("socklab watch: cannot see pid %d's sockets: it runs as uid %u, "
			"you as uid %u; run as root or as that user\n"), (int)pid,
			uid, (unsigned)geteuid());
	else
		fprintf(stderr, _("socklab watch: cannot see pid %d's sockets: its descriptors are "
			"closed to you (ptrace is refused: not dumpable, Yama, or no CAP_SYS_PTRACE)\n"), (int)pid);
	return CMD_FAILED;
}

/* ---- options ----------------------------------------------------------- */

static const char help[] =
	N_("Shows TCP and UDP sockets the way ss does (NETLINK_SOCK_DIAG), plus what ss\n"
	"cannot show: each socket's SO_REUSEADDR, SO_REUSEPORT and SO_BROADCAST.\n"
	"\n"
	"  --port P         sockets whose local or peer port is P (the kernel filters)\n"
	"  --pid PID        sockets open in process PID (implies its owners and flags)\n"
	"  --state S[,S]    listen, estab, syn-sent, syn-recv, fin-wait-1,\n"
	"                   fin-wait-2, time-wait, close (unconn), close-wait,\n"
	"                   last-ack, closing, bound\n"
	"  --udp, --tcp     one protocol (default both)\n"
	"  -4, -6           one address family (default both)\n"
	"  --owners         owning pid, fd and command of each socket (scans /proc), and\n"
	"                   its reuse flags\n"
	"  --interval MS    redraw every MS milliseconds (default 1000, min 50)\n"
	"  --once           one snapshot, then exit\n"
	"  --json           JSON, one object per snapshot (docs/watch-json.md)\n"
	"  --netns PATH     inspect the network namespace at PATH (/run/netns/NAME)\n"
	"  --netns-of PID   inspect the network namespace of process PID (a lab's)\n"
	"\n"
	"FLAGS: socket options are not in sock_diag.  socklab borrows the owner's\n"
	"descriptor (pidfd_open + pidfd_getfd) and asks getsockopt.  That needs ptrace\n"
	"rights over the owner: your own processes (unless kernel.yama.ptrace_scope\n"
	"forbids it), or any as root.  As root, BPF socket iterators read every\n"
	"socket's reuse flags, TIME-WAIT and other users' included.  Where nothing\n"
	"can look, it shows '?'.  v6only and dev=IFACE come from sock_diag.\n"
	"\n"
	"MARKS on a terminal: + new, ~ changed (in the last 3 to 6 seconds), - gone:\n"
	"the kernel says when it frees a socket (sock_diag destroy groups, any user),\n"
	"so a socket that lived less than an interval is marked too; a gone row stays\n"
	"one interval or 2 s, whichever is longer.\n"
	"\n"
	"WIDTH: on a terminal (or with COLUMNS set) the table fits: short flags (ra\n"
	"SO_REUSEADDR, rp SO_REUSEPORT, bc SO_BROADCAST, v6, inh inherited), then\n"
	"SEND-Q, TIMER, RECV-Q dropped, cells cut (port, pid kept), PEER last;\n"
	"UID, OWNER and FLAGS stay.\n"
	"Exit status: 0 (q, or --once), 1 reading failed or --pid's fds not readable\n"
	"(another user's process: run as root or as that user), 2 bad input.\n");

enum {
	OPT_PORT = 256, OPT_PID, OPT_STATE, OPT_UDP, OPT_TCP, OPT_OWNERS,
	OPT_INTERVAL, OPT_ONCE, OPT_JSON,
};

static const char shortopts[] = "46";

static const struct option options[] = {
	{ "port", required_argument, NULL, OPT_PORT },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "udp", no_argument, NULL, OPT_UDP },
	{ "tcp", no_argument, NULL, OPT_TCP },
	{ "owners", no_argument, NULL, OPT_OWNERS },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "json", no_argument, NULL, OPT_JSON },
	CMD_NETNS_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int cmd_watch(const struct cmd_args *a)
{
	const struct cmd_entry *self = a->cmd;
	struct watch w = { .interval_ms = 1000 };
	int ret;
	long v;

	if ((ret = cmd_netns_parse(a, &w.netns, w.netns_path, sizeof w.netns_path)) != 0)
		return ret;
	CMD_FOR_OPTS(a, o) {
		switch (o->opt) {
		case OPT_PORT:
			if (cmd_opt_long(a, o, 1, 65535, "a port 1..65535", &v))
				return CMD_USAGE;
			w.filter.port = (uint16_t)v;
			break;
		case OPT_PID:
			if (cmd_opt_long(a, o, 1, 4194304, "a process id", &v))
				return CMD_USAGE;
			w.pid = (pid_t)v;
			break;
		case OPT_STATE:
			if (parse_states(o->arg, &w.filter.states) < 0)
				return cmd_usage_error(self, "--state: unknown state in '%s' (see --help)", o->arg);
			break;
		case OPT_UDP:
			w.filter.protos |= INSPECT_UDP;
			break;
		case OPT_TCP:
			w.filter.protos |= INSPECT_TCP;
			break;
		case '4':
			w.filter.families |= INSPECT_V4;
			break;
		case '6':
			w.filter.families |= INSPECT_V6;
			break;
		case OPT_OWNERS:
			w.owners = 1;
			break;
		case OPT_INTERVAL:
			if (cmd_opt_long(a, o, 50, 3600000, "milliseconds 50..3600000", &w.interval_ms))
				return CMD_USAGE;
			break;
		case OPT_ONCE:
			w.once = 1;
			break;
		case OPT_JSON:
			w.json = 1;
			break;
		}
	}
	if (w.pid && kill(w.pid, 0) < 0 && errno == ESRCH)
		return cmd_usage_error(self, "--pid %d: no such process", (int)w.pid);
	if (w.pid && (ret = pid_readable(w.pid)) != 0)
		return ret;
	if (w.netns && (ret = cmd_netns_join(self, w.netns_path)) != 0)
		return ret;
	w.tty = !w.once && !w.json && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);

	proc_catch_stop();
	return run_watch(&w);
}

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.usage = "[--port P] [--pid PID] [--state S] [--owners] [OPTION...]",
	.summary = N_("live socket table of this host or a namespace, with reuse flags"),
	.help = help,
	.args = { .options = options, .shortopts = shortopts },
	.exec = cmd_watch,
};
