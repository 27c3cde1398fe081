/* play.h — the playground: socket calls typed one line at a time, run in
 * the same kind of sandbox as a lab, each one a step of the lab event
 * stream (docs/protocol.md, docs/playground.md).
 *
 *   server: s = socket(udp)
 *   server: setsockopt(s, SO_REUSEADDR, 1)
 *   server: bind(s, 127.0.0.1:5000)
 *
 * A line is `[ROLE [as uid N]:] [VAR =] CALL(ARG, ...)`.  Roles are
 * processes (made at their first line); a variable is a descriptor of its
 * role's process.  parse.c reads a line (pure: no kernel), exec.c makes
 * the call in the role's process, engine.c is the producer: it runs in the
 * sandbox like a lab, reads lines from its gate and sends events;
 * save.c writes a session as a lab in the house style, or as a script. */
#ifndef SOCKLAB_PLAY_H
#define SOCKLAB_PLAY_H

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "lab/info.h"

#define PLAY_NAME 32
#define PLAY_MAX_ARGS 4
#define PLAY_LINE 512
#define PLAY_WAIT_MAX 10000	/* ms a recv or accept may be asked to wait */
#define PLAY_CONNECT_MS 2000	/* a TCP connect's handshake, at most */

enum play_call {
	PLAY_SOCKET, PLAY_SETSOCKOPT, PLAY_GETSOCKOPT, PLAY_BIND, PLAY_CONNECT, PLAY_LISTEN,
	PLAY_ACCEPT, PLAY_SEND, PLAY_SENDTO, PLAY_RECV, PLAY_RECVFROM, PLAY_CLOSE,
	PLAY_SHUTDOWN, PLAY_JOIN, PLAY_LEAVE, PLAY_GETSOCKNAME, PLAY_GETPEERNAME, PLAY_SYSCTL,
	PLAY_IP, PLAY_NCALLS
};

enum play_arg_kind {
	PLAY_ARG_VAR,		/* s */
	PLAY_ARG_INT,		/* 1, 500 */
	PLAY_ARG_STR,		/* "hi" (the text without quotes, escapes read) */
	PLAY_ARG_ADDR,		/* 127.0.0.1:5000, [::1]:5000, *:5000; a group: 239.1.1.1 */
	PLAY_ARG_WORD,		/* udp, SO_REUSEADDR, AF_UNSPEC, SHUT_WR, net.ipv4.x */
};

struct play_arg {
	enum play_arg_kind kind;
	char text[128];		/* as written; a string's bytes (len in num) */
	long num;		/* INT: the value; STR: the length */
	struct sockaddr_storage addr;	/* ADDR */
	socklen_t addrlen;	/* ADDR: 0 for a bare IP (a group) */
	int opt;		/* WORD: index in play_options (an option), else -1 */
};

struct play_cmd {
	char role[PLAY_NAME];	/* "main" when the line names none */
	int uid;		/* `ROLE as uid N:`; -1 none */
	char var[PLAY_NAME];	/* `VAR = ...`; "" none */
	enum play_call call;
	int nargs;
	struct play_arg args[PLAY_MAX_ARGS];
	char text[PLAY_LINE];	/* the statement as written, without the role */
};

/* The calls: name, and the arguments they take: v a socket variable, a an
 * address with port (connect: or AF_UNSPEC), g an IP without port, o an
 * option, x a number or a string, s a string, w a word, i a number; upper
 * case: optional.  C: the call's C spelling for save (the lab's). */
struct play_call_info {
	const char *name;
	const char *args;
	int makes_fd;		/* socket, accept: VAR = gets the descriptor */
	const char *help;
};
extern const struct play_call_info play_calls[PLAY_NCALLS];

/* The socket options the playground knows: name, level, optname, and
 * what its value is. */
enum play_optval {
	PLAY_OPT_INT,		/* an int: 1, 0 */
	PLAY_OPT_MS,		/* milliseconds, as a struct timeval */
	PLAY_OPT_IFNAME,	/* an interface's name: "lo" */
	PLAY_OPT_IFINDEX,	/* an interface's name, as struct ip_mreqn's index */
};
struct play_option {
	const char *name;
	int level, optname;
	enum play_optval val;
	const char *level_name;	/* SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6 */
};
extern const struct play_option play_options[];
extern const size_t play_noptions;

/* The socket types socket() takes: udp, tcp, udp6, tcp6. */
struct play_type {
	const char *name;
	int family, type;
};
extern const struct play_type play_types[];
extern const size_t play_ntypes;

/* Parse one line into *out.  Returns 1 for a call, 0 for a blank or
 * comment-only line, -1 with one line in why (what is wrong, where). */
int play_parse(const char *line, struct play_cmd *out, char *why, size_t len);

/* The words tab completion offers after `prefix` (the start of the word
 * being typed), in the order: calls, options, types, then what the caller
 * adds (roles, variables).  Returns the i-th match, NULL past the end. */
const char *play_complete(const char *prefix, int i);

/* What a call came to, in the role's process. */
struct play_result {
	long ret;
	int err;
	char data[96];		/* received: the payload (outcome_payload) */
	char from[64];		/* received: the sender; getsockname/peername: the address */
	char note[400];		/* getsockopt's value, a name's address: said after */
};

/* A role's descriptors by variable, in its own process. */
struct play_vars {
	struct {
		char name[PLAY_NAME];
		int fd;
	} v[64];
	int n;
};

/* Make c's call in this process (a role's): variables looked up and set
 * in vars.  sysctl is the engine's, not a role's (play_sysctl). */
void play_exec(const struct play_cmd *c, struct play_vars *vars, struct play_result *res);

/* sysctl(NAME, VALUE) in the sandbox (lab_sysctl's rules). */
void play_sysctl(const struct play_cmd *c, struct play_result *res);

/* ip("link add sl0 type veth peer name sl1"): ip(8) in the sandbox, for
 * the objects a lab makes (link, addr, route, neigh), its words passed as
 * arguments (no shell); ret is ip's exit status, its message a note. */
void play_ip(const struct play_cmd *c, struct play_result *res);

/* The playground as a lab the runner can run: the engine is its main.
 * It reads commands on its gate (between steps):
 *   do TEXT\n      TEXT (%XX-escaped as protocol values) is one line
 *   end\n          (or EOF) the session ends: the `end` event, then exit
 * and answers each with one step: a `step` event (title: the statement,
 * role, line: the session's line number), then after the consumer's go a
 * `call` event with observe=1 (no expectation: what the kernel answered),
 * or a `note` (a name's address, an option's value), or an `error` (the
 * role could not be made, the line does not parse). */
extern const struct lab_info play_lab;

/* The playground beside a running lab: the engine, forked into the lab's
 * sandbox (sandbox_join_pid of its main process), talking on pipes of its
 * own: events on ctl, lines and go's on gate (the same as play_lab's). */
struct play_side {
	int pid;		/* 0: not running */
	int ctl, gate;
};
/* Start it: 0, or -1 with one line in why.  play_side_stop ends it, its
 * roles with it, and reaps it (safe when not running). */
int play_side_start(struct play_side *s, int lab_pid, char *why, size_t len);
void play_side_stop(struct play_side *s);

/* The session as a lab program (save FILE.c): LAB, a ROLE block per run
 * of lines of one role, a STEP per line, EXPECT_OK/EXPECT_ERR stating
 * what the kernel answered (errs[i]: line i's errno, 0 success), so the
 * saved lab passes `socklab check` on this kernel.  lines[0..n) are the
 * session's statements as typed (with their roles).  Returns 0, or -1
 * with errno (a line that does not parse: EINVAL). */
int play_save_c(FILE *f, const char *name, const char *const *lines, const int *errs, size_t n);

#endif
