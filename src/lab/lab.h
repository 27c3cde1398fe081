/* lab.h — the vocabulary a socklab lab is written in.
 *
 * A lab is an ordinary C program: it calls socket(), setsockopt(), bind(),
 * sendto() and recvfrom() itself.  These macros only narrate and check:
 *
 *   LAB(n, slug, title, summary)   names the lab (once, at file scope)
 *   STEP(title, why, ...)          starts a step; the runner may pause here.
 *                                  title and why are printf formats (string
 *                                  literals); the arguments fill the title's
 *                                  conversions, then the why's:
 *                                  STEP("bind 127.0.0.1:%d", "free", LAB_PORT)
 *   EXPECT_OK(call)                the call must not fail; returns its result
 *   EXPECT_ERR(ERRNO, call)        the call must fail with errno ERRNO
 *   EXPECT_TRUE(cond)              a fact about the outcome must hold
 *   CLAIM("id")                    this step proves rule "id" of
 *                                  docs/claims.md: proven when the step's
 *                                  expectations (at least one) all held
 *   ASK(fmt, ...)                  the question the next STEP answers ("Which
 *                                  socket gets the reply?"), printf-style: put
 *                                  just before that STEP; the dashboard's
 *                                  predict mode asks it before the step runs
 *   NOTE(fmt, ...)                 a remark, printf-style
 *   AS_EXPECTED()                  1 while every expectation of this step held:
 *                                  `if (AS_EXPECTED()) NOTE(...)` says only
 *                                  what the kernel really did
 *   ROLE("name") { ... }           the block runs in process "name"
 *   ROLE_ON("host", "name") { ... } the same, process "name" living on a
 *                                  host made by lab_host() (below)
 *   LAB_PORT                       the lab's first port (5000 in a sandbox;
 *                                  --port-base moves it): titles and notes
 *                                  name ports through it, never as numbers
 *   SKIP(fmt, ...)                 what follows cannot run here (say why);
 *                                  then `return lab_end();`
 *   return lab_end();              last line of main
 *
 * Helpers for what a lab must set up around its sockets (each returns 0,
 * or -1 with errno, so it reads EXPECT_OK(lab_sysctl(...))):
 *
 *   lab_other_uid()                a uid other than ours that a role may
 *                                  switch to (setresuid), or -1: none here
 *                                  (an unprivileged user namespace maps one)
 *   lab_sandboxed()                1 in a fresh network namespace, 0 on the
 *                                  host's stack (--host, SOCKLAB_HOST=1)
 *   lab_sysctl(name, value)        write /proc/sys/NAME (the sandbox's own
 *                                  copy: net.* names only); EPERM outside
 *                                  a sandbox or for another name: never
 *                                  the host's
 *   lab_read_sysctl(name, buf, n)  read it
 *   lab_cmd(fmt, ...)              run a command (ip link add ...) in the
 *                                  sandbox, output discarded; -1 with EIO
 *                                  when it fails, EPERM outside a sandbox
 *
 * Hosts: a small network inside the sandbox (lab/hosts.c).  Each host is a
 * network namespace of its own (lo up); each switch a bridge in the
 * sandbox.  Main makes them (lab_host), before its first ROLE block; a
 * role lives on one with ROLE_ON; any process may run commands on them.
 * Every frame between hosts crosses the sandbox, where `run --wire` sees
 * it.  Each returns 0, or -1 with errno: EPERM outside a sandbox (and
 * lab_host in a role), EINVAL for a bad name or address, ENOENT for an
 * unknown host or a missing command (ip, nft), EIO when it failed:
 *
 *   lab_hosts_supported()          1 when this sandbox can make hosts: ip(8)
 *                                  made and removed a bridge and a veth pair
 *                                  (not so without the kernel's bridge or
 *                                  veth, or with busybox's ip); 0 outside
 *                                  a sandbox
 *   lab_host(host, sw, addr)       host (a name of at most LAB_HOST_NAME_MAX
 *                                  lower-case letters, digits and '-') gets an
 *                                  interface ethN, address addr
 *                                  ("10.0.0.2/24"), plugged into switch sw
 *                                  (made at its first use); called again
 *                                  for the same host: its next interface
 *   lab_host_cmd(host, fmt, ...)   run a command on host ("ip route add
 *                                  default via 10.0.0.1"), output discarded
 *   lab_host_sysctl(host, k, v)    lab_sysctl on host
 *   lab_nat(host, ifname)          host forwards, and masquerades what it
 *                                  sends out of ifname (nftables): a home
 *                                  router
 *
 * Where the kernel's answer depends on its version (kver/kver.h's table,
 * checked on several kernels by tests/kernels/run.sh), a lab checks the
 * expectation of the kernel it runs on and says which:
 *
 *   lab_kernel_has(KVER_...)       1: this kernel behaves the new way, 0:
 *                                  the old, -1: not known for this version
 *                                  (check what holds on both sides then)
 *   KERNEL_NOTE(KVER_...)          a NOTE naming this kernel, the side of
 *                                  the change it is on, and the source
 *
 * Roles.  The first ROLE("server") block forks a process for "server"; every
 * later ROLE("server") block runs in that same process, so its sockets
 * live on between blocks.  Blocks run one at a time in source order, so a
 * lab reads top to bottom in the order it happens: block boundaries are the
 * synchronisation points.  Once a lab has roles, its steps and sockets
 * belong inside ROLE blocks.  A lab without roles runs in one process.
 *
 * A lab runs three ways with the same source: linked into socklab (run,
 * check, dash), as its own executable under socklab (SOCKLAB_CONTROL_FD set,
 * see docs/protocol.md), or alone, where it enters a fresh network namespace
 * when it can and prints its own narration:
 *
 *   cc -std=c11 -D_GNU_SOURCE -Isrc -o lab04 labs/04-addr-in-use.c src/lab/runtime.c src/lab/hosts.c src/lab/proto.c src/lab/claim.c src/lab/outcome.c src/sandbox/sandbox.c src/sandbox/net.c src/kver/kver.c
 */
#ifndef SOCKLAB_LAB_H
#define SOCKLAB_LAB_H

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "kver/kver.h"

#include "info.h"

/* Linked into socklab: LAB() only registers the lab (registry_add, in
 * socklab's runner/registry.c; a lab binary never has it).  Standalone: LAB()
 * also sets the run up (sandbox, narration) before main() starts. */
void registry_add(const struct lab_info *info);
void lab_standalone(const struct lab_info *info);
#ifdef LAB_LINKED
#define LAB_START_ registry_add
#else
#define LAB_START_ lab_standalone
#endif

#define LAB(num, slug, title, summary)                                        \
	int main(void);                                                       \
	static const struct lab_info lab_info_ = {                            \
		(num), (slug), (title), (summary), __FILE__, main };          \
	__attribute__((constructor)) static void lab_start_(void)             \
	{                                                                     \
		LAB_START_(&lab_info_);                                       \
	}                                                                     \
	struct lab_semicolon_

#define LAB_HERE_ __FILE__, __LINE__

/* fmt is STEP's title and why joined by LAB_STEP_SEP_ (one literal, so
 * the compiler checks both against the arguments) */
void lab_step_(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
long lab_expect_ok_(const char *file, int line, const char *expr, long ret);
long lab_expect_err_(const char *file, int line, const char *expr,
		     int want, const char *want_name, long ret);
int lab_expect_true_(const char *file, int line, const char *expr, int ok);
void lab_ask_(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void lab_note_(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Every CLAIM() of a lab is also listed, at build time, in the section
 * socklab_claims: the runtime can name the ones a run never reached. */
struct lab_claim_site {
	const char *file;
	const char *id;
	long line;
};
void lab_claim_(const struct lab_claim_site *site);
int lab_role_begin_(const char *file, int line, const char *host, const char *name);
int lab_role_end_(void);
void lab_role_cleanup_(int *in_role);
int lab_port_base(void);
int lab_as_expected_(void);
int lab_end(void);
void lab_skip_(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int lab_other_uid(void);
int lab_sandboxed(void);
int lab_sysctl(const char *name, const char *value);
int lab_read_sysctl(const char *name, char *buf, size_t len);
int lab_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lab_kernel_has(enum kver_change_id id);
#define LAB_HOST_NAME_MAX 8
int lab_hosts_supported(void);
int lab_host_(int line, const char *name, const char *sw, const char *addr);
#define lab_host(name, sw, addr) lab_host_(__LINE__, (name), (sw), (addr))
int lab_host_cmd(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lab_host_sysctl(const char *name, const char *key, const char *value);
int lab_nat(const char *name, const char *ifname);
void lab_kernel_note_(const char *file, int line, enum kver_change_id id);

/* The why is the first of the variable arguments: pasted to the title by
 * string concatenation, it needs no GNU ## to allow a STEP without any. */
#define LAB_STEP_SEP_ "\x1f"
#define STEP(title, ...) lab_step_(LAB_HERE_, title LAB_STEP_SEP_ __VA_ARGS__)

/* errno is cleared before the call and read inside the function: the
 * argument is fully evaluated (call included) before the function runs. */
#define EXPECT_OK(call) lab_expect_ok_(LAB_HERE_, #call, (errno = 0, (long)(call)))
#define EXPECT_ERR(err, call)                                                 \
	lab_expect_err_(LAB_HERE_, #call, (err), #err, (errno = 0, (long)(call)))
#define EXPECT_TRUE(cond) lab_expect_true_(LAB_HERE_, #cond, !!(cond))
#define NOTE(...) lab_note_(LAB_HERE_, __VA_ARGS__)
#define ASK(...) lab_ask_(LAB_HERE_, __VA_ARGS__)
#define CLAIM(id)                                                             \
	do {                                                                  \
		static const struct lab_claim_site lab_claim_site_            \
			__attribute__((section("socklab_claims"), used,       \
				       aligned(sizeof(void *)))) =            \
			{ __FILE__, (id), __LINE__ };                         \
		lab_claim_(&lab_claim_site_);                                 \
	} while (0)
#define AS_EXPECTED() lab_as_expected_()
#define SKIP(...) lab_skip_(LAB_HERE_, __VA_ARGS__)
#define KERNEL_NOTE(id) lab_kernel_note_(LAB_HERE_, (id))

/* A for loop that runs its body at most once; the cleanup attribute ends
 * the block even when the body leaves it with break or return. */
#define ROLE(name)                                                            \
	for (int lab_in_role_ __attribute__((cleanup(lab_role_cleanup_))) =   \
		     lab_role_begin_(LAB_HERE_, NULL, (name));                \
	     lab_in_role_; lab_in_role_ = lab_role_end_())
#define ROLE_ON(host, name)                                                   \
	for (int lab_in_role_ __attribute__((cleanup(lab_role_cleanup_))) =   \
		     lab_role_begin_(LAB_HERE_, (host), (name));              \
	     lab_in_role_; lab_in_role_ = lab_role_end_())

#define LAB_PORT (lab_port_base())

/* A lab's receive calls are watched, as strace would: what arrived and
 * from whom goes with the EXPECT_ event of the call to the consumer (the
 * dashboard's deliveries: "client <- 4 bytes "pong" from 127.0.0.1:5001").
 * The call is the same recvfrom(2), errno and all; the source still reads
 * recv(client, buf, sizeof buf, 0).  Only a lab's own file sees these
 * macros: socklab's code includes lab/info.h, not this header. */
ssize_t lab_recvfrom_(int fd, void *buf, size_t len, int flags,
		      struct sockaddr *from, socklen_t *fromlen);
#define recv(fd, buf, len, flags) lab_recvfrom_((fd), (buf), (len), (flags), NULL, NULL)
#define recvfrom(fd, buf, len, flags, from, fromlen)                          \
	lab_recvfrom_((fd), (buf), (len), (flags), (from), (fromlen))

#endif
