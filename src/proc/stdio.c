/* stdio.c — a child that must not touch the terminal (proc.h). */
#include <fcntl.h>
#include <unistd.h>

#include "proc.h"

void proc_stdio_null(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		return;
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
}
