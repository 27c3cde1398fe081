/* runner.c — start a lab in a sandbox and drive it through its events.
 *
 *   socklab ──fork──▶ child: own process group, dies with us,
 *                      sandbox_enter() (fresh netns, lo up),
 *                      opens NETLINK_SOCK_DIAG *inside* the netns and
 *                      passes it back over a unix socket (SCM_RIGHTS),
 *                      then runs the lab (linked) or execs it.
 *   lab ──events──▶ ctl pipe ──▶ us;  us ──"go"──▶ gate pipe ──▶ lab
 *
 * Passing the netlink socket back (instead of setns() from here) works
 * for an unprivileged user too: only the child is inside the new user
 * namespace. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "inspect/inspect.h"
#include "proc/proc.h"
#include "labtext.h"
#include "pylabs.h"
#include "runner.h"
#include "lab/runtime.h"
#include "sandbox/sandbox.h"
#include "wire/wire.h"

const char *runner_role_of(const struct runner *r, pid_t pid)
{
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i].pid == pid)
			return r->procs[i].name;
	return NULL;
}

int runner_table(const struct runner *r, const struct inspect_filter *f,
		 struct inspect_snap *out)
{
	pid_t pids[RUNNER_MAX_PROCS];
	size_t keep = 0;

	for (int i = 0; i < r->nprocs; i++)
		pids[i] = r->procs[i].pid;
	if (r->nl < 0 || inspect_query(r->nl, f, out) < 0)
		return -1;
	inspect_owners(out, pids, (size_t)r->nprocs);
	inspect_flags_at(r->nl, out);	/* in the lab's netns (BPF) */
	for (int h = 0; h < r->nhosts; h++) {
		struct inspect_snap part = { 0 };

		if (r->hosts[h].nl < 0 || inspect_query(r->hosts[h].nl, f, &part) < 0)
			continue;
		inspect_owners(&part, pids, (size_t)r->nprocs);
		inspect_flags_at(r->hosts[h].nl, &part);
		for (size_t i = 0; i < part.n; i++) {
			snprintf(part.v[i].host, sizeof part.v[i].host, "%s", r->hosts[h].name);
			if (inspect_snap_push(out, &part.v[i]) < 0) {
				inspect_free(&part);
				return -1;
			}
		}
		inspect_free(&part);
	}
	if (r->host) {
		/* the host has other sockets: the lab's, and its ports' */
		for (size_t i = 0; i < out->n; i++)
			if (out->v[i].pid || (out->v[i].lport >= r->port_base &&
					      out->v[i].lport < r->port_base + 100))
				out->v[keep++] = out->v[i];
		out->n = keep;
	}
	return 0;
}

void runner_add_proc(struct runner *r, pid_t pid, const char *name)
{
	if (r->nprocs == RUNNER_MAX_PROCS || runner_role_of(r, pid))
		return;
	r->procs[r->nprocs].pid = pid;
	snprintf(r->procs[r->nprocs].name, sizeof r->procs[0].name, "%s", name);
	r->nprocs++;
}

/* ---- the child's side ------------------------------------------------ */

struct hello {
	int err;		/* 0: a netlink fd is attached */
	int wire_err;		/* 0: the packet socket follows it (want_wire) */
	char what[96];
};

static void send_hello(int sock, int err, const char *what, int fd, int wire, int wire_err)
{
	struct hello h = { .err = err, .wire_err = wire_err };
	int fds[2] = { fd, wire };

	snprintf(h.what, sizeof h.what, "%s", what ? what : "");
	if (proc_send_fds(sock, &h, sizeof h, fds, fd < 0 ? 0 : wire >= 0 ? 2 : 1) < 0)
		_exit(3);
}

static void setenv_int(const char *name, int v)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%d", v);
	setenv(name, buf, 1);
}

static void child(struct runner *r, int hello, int ctl_w, int gate_r, pid_t parent)
{
	const char *what = NULL;
	int nl = -1, wire = -1, wire_err = 0;

	if (proc_child_setup(parent) < 0)
		_exit(1);
	/* a consumer's crash handlers (the dashboard's) are not the lab's */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
	if (r->quiet)
		proc_stdio_null();
	if (!r->host) {
		if (sandbox_enter(&what) < 0) {
			send_hello(hello, errno, what, -1, -1, 0);
			_exit(3);
		}
		nl = inspect_open();
		if (nl < 0) {
			send_hello(hello, errno, "open NETLINK_SOCK_DIAG in the sandbox", -1, -1, 0);
			_exit(3);
		}
	}
	/* the wire: a packet socket in the sandbox's namespace (its own
	 * interfaces only); on the host's stack, nothing is captured */
	if (r->want_wire && !r->host && (wire = wire_open()) < 0)
		wire_err = errno;
	send_hello(hello, 0, NULL, nl, wire, r->host ? EPERM : wire_err);
	close(hello);
	if (nl >= 0)
		close(nl);
	if (wire >= 0)
		close(wire);

	setenv_int("SOCKLAB_CONTROL_FD", ctl_w);
	setenv_int("SOCKLAB_GATE_FD", gate_r);
	setenv_int("SOCKLAB_PORT_BASE", r->port_base);
	setenv_int("SOCKLAB_SANDBOX", !r->host);
	if (pylabs_is_python(r->lab) || pylabs_is_script(r->exec_path)) {
		struct proto_event ev = { .kind = PROTO_ERROR };
		char line[PROTO_LINE_MAX];

		pylabs_exec(r->exec_path ? NULL : r->lab, r->exec_path);
		if (errno == ENOENT && pylabs_dir(line, sizeof line) < 0)
			snprintf(ev.text, sizeof ev.text, "the Python labs' runtime (socklab_lab.py) "
				 "is not here: set SOCKLAB_PYLABS to its directory");
		else
			snprintf(ev.text, sizeof ev.text, "cannot run %s: %s (SOCKLAB_PYTHON names "
				 "another interpreter)", pylabs_python(), strerror(errno));
		if (write(ctl_w, line, proto_encode(line, sizeof line, &ev)) < 0)
			_exit(127);
		_exit(127);
	}
	if (r->exec_path) {
		struct proto_event ev = { .kind = PROTO_ERROR };
		char line[PROTO_LINE_MAX];

		execl(r->exec_path, r->exec_path, (char *)NULL);
		snprintf(ev.text, sizeof ev.text, "cannot execute %s: %s",
			 r->exec_path, strerror(errno));
		if (write(ctl_w, line, proto_encode(line, sizeof line, &ev)) < 0)
			_exit(127);
		_exit(127);
	}
	if (lab_attach(r->lab) < 0)
		_exit(3);
	_exit(r->lab->main());
}

/* ---- our side -------------------------------------------------------- */

static int recv_hello(struct runner *r, int sock)
{
	struct hello h;
	int fds[2];
	ssize_t n = proc_recv_fds(sock, &h, sizeof h, fds, 2);

	if (n != (ssize_t)sizeof h) {
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		snprintf(r->why, sizeof r->why, "the lab process died while starting");
		errno = proc_stop_signal() ? EINTR : EPROTO;
		return -1;
	}
	if (h.err) {
		snprintf(r->why, sizeof r->why, "cannot make a sandbox: %s: %s",
			 h.what, strerror(h.err));
		errno = h.err;
		return -1;
	}
	r->nl = fds[0];
	r->wire = fds[1];
	r->wire_err = h.wire_err;
	return 0;
}

static int handle_line(struct runner *r, const char *line, int gate)
{
	struct proto_event ev;

	if (proto_parse(line, &ev) < 0) {
		snprintf(r->why, sizeof r->why, "the lab sent a malformed event: %.120s", line);
		errno = EPROTO;
		return -1;
	}
	if (ev.kind == PROTO_ERROR && r->nprocs == 0) {
		/* before the lab announced itself: it never started */
		snprintf(r->why, sizeof r->why, "%.200s", ev.text);
		errno = ENOEXEC;
		return -1;
	}
	labtext_translate(&ev);	/* the reader's language, from here on */
	if (ev.kind == PROTO_LAB)
		runner_add_proc(r, (pid_t)ev.pid, "main");
	else if (ev.kind == PROTO_ROLE)
		runner_add_proc(r, (pid_t)ev.pid, ev.name);
	else if (ev.kind == PROTO_HOST)
		runner_add_host(r, &ev);
	if (r->on_event)
		r->on_event(r, &ev);
	if (ev.kind == PROTO_STEP || ev.kind == PROTO_END) {
		if (ev.kind == PROTO_END)
			r->ended = 1;
		if (r->on_pause && r->on_pause(r, &ev) < 0) {
			snprintf(r->why, sizeof r->why, "stopped at the user's request");
			errno = ECANCELED;
			return -1;
		}
		if (proc_stop_signal()) {
			errno = EINTR;
			return -1;
		}
		if (write(gate, "go\n", 3) != 3 && errno != EPIPE)
			return -1;
	}
	return 0;
}

/* Read events until the lab closes the control pipe. */
static int event_loop(struct runner *r, int ctl, int gate)
{
	char buf[2 * PROTO_LINE_MAX];
	size_t have = 0;
	long deadline = proc_now_ms() + r->timeout_ms;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = ctl, .events = POLLIN },
			{ .fd = r->on_input ? r->input_fd : -1, .events = POLLIN },
		};
		long left = deadline - proc_now_ms();
		int n;
		ssize_t got;
		char *nlpos;

		if (left <= 0 && !proc_stop_signal()) {
			snprintf(r->why, sizeof r->why,
				 "the lab did nothing for %d ms (a blocking call?)", r->timeout_ms);
			errno = ETIMEDOUT;
			return -1;
		}
		n = proc_wait(p, 2, left > 0 ? left : 0);
		if (n < 0 && errno == EINTR && proc_stop_signal())
			return -1;
		if (r->on_input && !proc_stop_signal() &&
		    ((n < 0 && errno == EINTR) || (n > 0 && p[1].revents))) {
			if (r->on_input(r) < 0) {
				snprintf(r->why, sizeof r->why, "stopped at the user's request");
				errno = ECANCELED;
				return -1;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || !(p[0].revents))
			continue;
		got = read(ctl, buf + have, sizeof buf - have - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;	/* EOF: every writer (lab, roles) is gone */
		have += (size_t)got;
		buf[have] = '\0';
		while ((nlpos = memchr(buf, '\n', have)) != NULL) {
			size_t len = (size_t)(nlpos - buf) + 1;

			*nlpos = '\0';
			if (handle_line(r, buf, gate) < 0)
				return -1;
			memmove(buf, buf + len, have - len);
			have -= len;
			buf[have] = '\0';
		}
		if (have == sizeof buf - 1) {
			snprintf(r->why, sizeof r->why, "the lab sent a line longer than %d bytes",
				 PROTO_LINE_MAX);
			errno = EPROTO;
			return -1;
		}
		deadline = proc_now_ms() + r->timeout_ms;	/* it is alive */
	}
}

/* Kill the lab's process group and reap everything it left: nothing
 * stays.  Never blocks on a process outside the group: a lab child that
 * left it (setsid) is killed by pid when it comes back to us as an
 * orphan.  Bounded: after a second we stop waiting (SIGKILL is on its way). */
static void reap(struct runner *r, int *status)
{
	if (r->pid <= 0)
		return;
	proc_kill_tree(r->pid, status);
	r->pid = 0;
}

int runner_run(struct runner *r)
{
	int hello[2] = { -1, -1 }, ctl[2] = { -1, -1 }, gate[2] = { -1, -1 };
	int ret = -1, status = 0, saved;
	pid_t parent = getpid();

	r->nl = -1;
	r->wire = -1;
	r->ctl = -1;
	r->pid = 0;
	r->nprocs = 0;
	r->nhosts = 0;
	r->nlinks = 0;
	r->ended = 0;
	r->exit_status = -1;
	r->why[0] = '\0';
	/* the default silence: a Python lab's interpreter and imports (Twisted)
	 * take seconds on a loaded machine before its first event */
	if (r->timeout_ms <= 0)
		r->timeout_ms = pylabs_is_python(r->lab) || pylabs_is_script(r->exec_path) ? 30000 :
											    10000;
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, hello) < 0 ||
	    pipe2(ctl, O_CLOEXEC) < 0 || pipe2(gate, O_CLOEXEC) < 0) {
		snprintf(r->why, sizeof r->why, "cannot create pipes: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	r->pid = fork();
	if (r->pid < 0) {
		snprintf(r->why, sizeof r->why, "fork: %s", strerror(errno));
		r->pid = 0;
		goto out;
	}
	if (r->pid == 0) {
		/* the lab's ends must survive exec: clear their CLOEXEC */
		close(hello[0]);
		close(ctl[0]);
		close(gate[1]);
		fcntl(ctl[1], F_SETFD, 0);
		fcntl(gate[0], F_SETFD, 0);
		child(r, hello[1], ctl[1], gate[0], parent);
	}
	setpgid(r->pid, r->pid);	/* also here: no race with the child's own */
	close(hello[1]);
	hello[1] = -1;
	close(ctl[1]);
	ctl[1] = -1;
	close(gate[0]);
	gate[0] = -1;

	if (recv_hello(r, hello[0]) < 0)
		goto out;
	if (r->host && (r->nl = inspect_open()) < 0) {
		snprintf(r->why, sizeof r->why, "cannot open NETLINK_SOCK_DIAG: %s", strerror(errno));
		goto out;
	}
	r->ctl = ctl[0];
	r->gate = gate[1];
	if (event_loop(r, ctl[0], gate[1]) < 0) {
		if (errno == EINTR && !r->why[0])
			snprintf(r->why, sizeof r->why, "stopped by signal %d", (int)proc_stop_signal());
		goto out;
	}
	ret = 0;
out:
	saved = errno;
	reap(r, &status);
	if (ret == 0 || r->ended) {
		if (WIFSIGNALED(status) && !r->ended) {
			snprintf(r->why, sizeof r->why, "the lab crashed: signal %d (%s)",
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
			saved = EPROTO;
			ret = -1;
		} else if (WIFEXITED(status)) {
			r->exit_status = WEXITSTATUS(status);
		}
		if (ret == 0 && !r->ended && r->nprocs == 0) {
			snprintf(r->why, sizeof r->why, "%s is not a socklab lab (it exited, "
				 "status %d, without announcing one)", r->exec_path ? r->exec_path : "the lab",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			saved = ENOEXEC;
			ret = -1;
		} else if (ret == 0 && !r->ended) {
			snprintf(r->why, sizeof r->why,
				 "the lab exited (status %d) without reaching lab_end()",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			saved = EPROTO;
			ret = -1;
		}
	}
	for (int i = 0; i < 2; i++) {
		if (hello[i] >= 0)
			close(hello[i]);
		if (ctl[i] >= 0)
			close(ctl[i]);
		if (gate[i] >= 0)
			close(gate[i]);
	}
	if (r->nl >= 0)
		close(r->nl);
	r->nl = -1;
	runner_hosts_close(r);
	if (r->wire >= 0)
		close(r->wire);
	r->wire = -1;
	r->ctl = -1;
	r->gate = -1;
	errno = saved;
	return ret;
}
