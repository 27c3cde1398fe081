/* filter.c — the seccomp filter of socklab trace (trace.h): the traced
 * program stops only at its socket calls. */
#include <errno.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "trace.h"

/* The calls followed, and what each is. */
static const struct {
	long nr;
	enum trace_kind kind;
} calls[] = {
	{ SYS_socket, TRACE_SOCKET }, { SYS_setsockopt, TRACE_SETSOCKOPT },
	{ SYS_getsockopt, TRACE_GETSOCKOPT }, { SYS_bind, TRACE_BIND },
	{ SYS_connect, TRACE_CONNECT }, { SYS_listen, TRACE_LISTEN },
	{ SYS_accept, TRACE_ACCEPT }, { SYS_accept4, TRACE_ACCEPT },
	{ SYS_sendto, TRACE_SENDTO }, { SYS_sendmsg, TRACE_SENDMSG },
	{ SYS_sendmmsg, TRACE_SENDMMSG }, { SYS_recvfrom, TRACE_RECVFROM },
	{ SYS_recvmsg, TRACE_RECVMSG }, { SYS_shutdown, TRACE_SHUTDOWN },
	{ SYS_close, TRACE_CLOSE },
};
#define NCALLS (sizeof calls / sizeof calls[0])

enum trace_kind trace_kind_of(long nr)
{
	for (size_t i = 0; i < NCALLS; i++)
		if (calls[i].nr == nr)
			return calls[i].kind;
	return TRACE_OTHER;
}

int trace_filter_install(void)
{
#if defined(__x86_64__)
	struct sock_filter prog[4 + NCALLS + 2];
	size_t n = 0;

	/* another architecture's calls (a 32-bit program): allowed, unseen */
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, arch));
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						 offsetof(struct seccomp_data, nr));
	/* each call of ours jumps to the RET_TRACE at the end */
	for (size_t i = 0; i < NCALLS; i++)
		prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i].nr,
							 (unsigned char)(NCALLS - i), 0);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	{
		struct sock_fprog fp = { .len = (unsigned short)n, .filter = prog };

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return -1;
		return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
	}
#else
	errno = ENOSYS;
	return -1;
#endif
}
