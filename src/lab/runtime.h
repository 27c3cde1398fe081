/* runtime.h — the runtime's entry for socklab itself (labs use lab.h). */
#ifndef SOCKLAB_RUNTIME_H
#define SOCKLAB_RUNTIME_H

#include "lab.h"

/* Port of LAB_PORT when nothing else is asked for. */
#define LAB_DEFAULT_PORT_BASE 5000

/* A lab uses at most LAB_PORT .. LAB_PORT + LAB_PORTS - 1.  On the host's
 * stack, `check` gives each lab of a run ports of its own, this far apart:
 * a lab may leave TIME-WAIT entries (lab 14 does, on purpose) that would
 * refuse the next lab's bind() for a minute. */
#define LAB_PORTS 4

/* In a process socklab forked for a linked lab: read SOCKLAB_CONTROL_FD,
 * SOCKLAB_GATE_FD, SOCKLAB_PORT_BASE and SOCKLAB_SANDBOX from the
 * environment, announce the lab, and send every event to the control fd.
 * Returns 0, or -1 with errno = EBADF when SOCKLAB_CONTROL_FD is unset. */
int lab_attach(const struct lab_info *info);

#endif
