/* udpwalk.h — how this kernel walks a UDP port's sockets when a bind
 * asks whether the port is in use, measured on the kernel itself.
 *
 * udp_lib_lport_inuse() of every Debian kernel checked (6.1 to 7.3, in
 * VMs: tests/kernels/run.sh) stops at the first socket on an overlapping
 * address that it would share with by SO_REUSEPORT: the port is then
 * "free", whatever sockets further down the chain would have said.  A
 * 6.18.44 kernel seen here asks every socket instead.  Neither the
 * version nor a sysctl tells which (Debian's 6.18.15 and 7.3.4 stop), so
 * socklab asks the kernel once per process: three sockets on loopback,
 * on a port the kernel picks, closed at once.  No packet is sent. */
#ifndef SOCKLAB_UDPWALK_H
#define SOCKLAB_UDPWALK_H

/* 1: a UDP bind asks every socket on the port; 0: it stops at the first
 * SO_REUSEPORT partner; -1: could not be measured here (no loopback).
 * The first call measures in the caller's network namespace; later calls
 * return that answer. */
int udpwalk_bind_all(void);

#endif
