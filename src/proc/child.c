/* child.c — a child socklab forked to run a lab or a producer (proc.h). */
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "proc.h"

int proc_child_setup(pid_t parent)
{
	setpgid(0, 0);				/* its own group: killed as one */
	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* and with socklab */
	if (getppid() != parent)
		return -1;			/* socklab died before that */
	/* not interactive: ^C goes to socklab, which cleans up */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	return 0;
}
