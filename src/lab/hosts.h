/* hosts.h — the runtime's side of a lab's hosts (hosts.c; labs use the
 * lab_host() family of lab.h). */
#ifndef SOCKLAB_LAB_HOSTS_H
#define SOCKLAB_LAB_HOSTS_H

#include <sys/types.h>

#include "proto.h"

/* The keeper's pid of host name (its namespace: /proc/PID/ns/net), 0
 * when there is no such host. */
pid_t lab_hosts_pid(const char *name);

/* Move the calling process into host name's network namespace (a role
 * on that host).  0, or -1 with errno (ENOENT: no such host). */
int lab_hosts_enter(const char *name);

/* The end of the lab: every keeper killed and reaped (main only). */
void lab_hosts_end(void);

/* What hosts.c needs of runtime.c: send ev as an event about process pid
 * (not the caller), and whether this is the lab's main process. */
void lab_emit_about(struct proto_event *ev, pid_t pid);
int lab_is_main_(void);

#endif
