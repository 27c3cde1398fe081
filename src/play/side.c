/* side.c — the playground beside a running lab (play.h: play_side_*):
 * the engine started in the lab's own sandbox, so lines typed in the
 * dashboard meet the lab's sockets on the kernel's side (the same ports,
 * the same table), from roles of their own. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "lab/runtime.h"
#include "play.h"
#include "proc/proc.h"
#include "sandbox/sandbox.h"

int play_side_start(struct play_side *s, int lab_pid, char *why, size_t len)
{
	int ctl[2], gate[2], hello[2];
	pid_t parent = getpid();
	int err = 0;

	memset(s, 0, sizeof *s);
	s->ctl = s->gate = -1;
	if (pipe2(ctl, O_CLOEXEC) < 0 || pipe2(gate, O_CLOEXEC) < 0 || pipe2(hello, O_CLOEXEC) < 0) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return -1;
	}
	if (s->pid == 0) {
		const char *what = "";
		char num[16];

		if (proc_child_setup(parent) < 0)
			_exit(1);
		close(ctl[0]);
		close(gate[1]);
		close(hello[0]);
		proc_stdio_null();	/* the dashboard's terminal is not ours */
		if (sandbox_join_pid(lab_pid, &what) < 0) {
			err = errno;
			if (write(hello[1], &err, sizeof err) < 0)
				_exit(3);
			_exit(3);
		}
		if (write(hello[1], &err, sizeof err) < 0)
			_exit(3);
		fcntl(ctl[1], F_SETFD, 0);
		fcntl(gate[0], F_SETFD, 0);
		snprintf(num, sizeof num, "%d", ctl[1]);
		setenv("SOCKLAB_CONTROL_FD", num, 1);
		snprintf(num, sizeof num, "%d", gate[0]);
		setenv("SOCKLAB_GATE_FD", num, 1);
		setenv("SOCKLAB_SANDBOX", "1", 1);
		if (lab_attach(&play_lab) < 0)
			_exit(3);
		_exit(play_lab.main());
	}
	close(ctl[1]);
	close(gate[0]);
	close(hello[1]);
	if (read(hello[0], &err, sizeof err) != (ssize_t)sizeof err || err) {
		snprintf(why, len, "cannot join the lab's sandbox: %s", strerror(err ? err : EPROTO));
		close(hello[0]);
		close(ctl[0]);
		close(gate[1]);
		kill(-s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
		return -1;
	}
	close(hello[0]);
	s->ctl = ctl[0];
	s->gate = gate[1];
	return 0;
}

void play_side_stop(struct play_side *s)
{
	if (s->pid <= 0)
		return;
	if (s->gate >= 0)
		close(s->gate);
	if (s->ctl >= 0)
		close(s->ctl);
	/* the engine's group: it and its roles (which also die with it) */
	kill(-s->pid, SIGKILL);
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
		;
	memset(s, 0, sizeof *s);
	s->ctl = s->gate = -1;
}
