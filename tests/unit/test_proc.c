/* test_proc.c — the process plumbing against the kernel: proc_wait times
 * out, wakes on a ready descriptor and on a signal, ends at once once a
 * stop signal has come; proc_kill_tree leaves no process of a tree, not
 * even one that left its group (setsid).  The stop flag cannot be
 * cleared: the tests that set it run last. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "proc/proc.h"

/* A child that sends sig to us after ms; its pid. */
static pid_t signal_later(int sig, int ms)
{
	pid_t parent = getpid(), pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void wait_times_out_then_sees_a_ready_fd(void **state)
{
	int p[2];
	struct pollfd fd;
	long t0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	fd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	t0 = proc_now_ms();
	assert_int_equal(proc_wait(&fd, 1, 60), 0);
	assert_true(proc_now_ms() - t0 >= 60);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(proc_wait(&fd, 1, -1), 1);
	assert_true(fd.revents & POLLIN);
	close(p[0]);
	close(p[1]);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void another_signal_ends_the_wait_without_the_flag(void **state)
{
	struct sigaction sa;
	pid_t pid;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;	/* no SA_RESTART, as SIGWINCH's */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pid = signal_later(SIGUSR1, 50);
	assert_int_equal(proc_wait(NULL, 0, 10000), -1);
	assert_int_equal(errno, EINTR);
	assert_int_equal(proc_stop_signal(), 0);
	reap(pid);
}

static void kill_tree_leaves_no_process_even_one_that_left_the_group(void **state)
{
	int p[2], st = -1;
	pid_t leader, escapee = 0;

	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(pipe(p), 0);
	leader = fork();
	assert_true(leader >= 0);
	if (leader == 0) {
		pid_t e;

		setpgid(0, 0);
		if (fork() == 0) {	/* stays in the group */
			close(p[1]);
			pause();
			_exit(0);
		}
		if ((e = fork()) == 0) {	/* leaves it */
			setsid();
			if (write(p[1], &(pid_t){ getpid() }, sizeof(pid_t)) < 0)
				_exit(1);
			close(p[1]);
			pause();
			_exit(0);
		}
		close(p[1]);
		pause();
		_exit(0);
	}
	close(p[1]);
	setpgid(leader, leader);
	assert_int_equal(read(p[0], &escapee, sizeof escapee), (ssize_t)sizeof escapee);
	close(p[0]);
	assert_int_not_equal(getpgid(escapee), leader);
	proc_kill_tree(leader, &st);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_int_equal(kill(escapee, 0), -1);
	assert_int_equal(errno, ESRCH);
	assert_int_equal(kill(-leader, 0), -1);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void a_stop_signal_ends_the_wait_and_every_later_one(void **state)
{
	pid_t pid;
	long t0;

	(void)state;
	proc_catch_stop();
	pid = signal_later(SIGTERM, 50);
	assert_int_equal(proc_wait(NULL, 0, 10000), -1);
	assert_int_equal(errno, EINTR);
	assert_int_equal(proc_stop_signal(), SIGTERM);
	reap(pid);
	/* the flag is set: the next wait does not wait at all */
	t0 = proc_now_ms();
	assert_int_equal(proc_wait(NULL, 0, 5000), -1);
	assert_int_equal(errno, EINTR);
	assert_true(proc_now_ms() - t0 < 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wait_times_out_then_sees_a_ready_fd),
		cmocka_unit_test(another_signal_ends_the_wait_without_the_flag),
		cmocka_unit_test(kill_tree_leaves_no_process_even_one_that_left_the_group),
		cmocka_unit_test(a_stop_signal_ends_the_wait_and_every_later_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
