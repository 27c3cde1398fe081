/* pidfd.h — the syscall numbers of pidfd_open (Linux 5.3) and
 * pidfd_getfd (5.6), for C libraries whose headers predate them.  The
 * numbers are the same on every architecture but alpha.  Callers use
 * syscall(SYS_pidfd_open, pid, 0) and syscall(SYS_pidfd_getfd, pidfd,
 * fd, 0). */
#ifndef SOCKLAB_PIDFD_H
#define SOCKLAB_PIDFD_H

#include <sys/syscall.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

#endif
