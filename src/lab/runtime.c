/* runtime.c — what runs inside a lab: steps, expectations, roles, events.
 *
 * Every macro of lab.h ends here.  Each turns into one event (proto.h):
 * written as a line on the control fd when a consumer (socklab) is
 * attached, or printed as narration when the lab runs on its own.
 *
 * Roles are forked processes.  All processes of a lab execute main() from
 * the top; a ROLE("x") block runs only in process "x", and only when every
 * earlier block has finished.  The "turn" counter in shared memory says
 * which block may run; waiting is a futex on it.  Only the main process
 * forks, at the first block of a new role, so each role starts from the
 * state main had there. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "claim.h"
#include "hosts.h"
#include "lab.h"
#include "outcome.h"
#include "proto.h"
#include "runtime.h"
#include "sandbox/sandbox.h"

#define MAX_ROLES 8

/* Shared by all processes of one lab run (MAP_SHARED before any fork). */
struct shared {
	uint32_t turn;		/* futex: index of the ROLE block that may run */
	uint32_t finished;	/* futex: main has ended; roles may exit */
	uint32_t aborted;	/* a role died: everyone stops */
	int step;
	int pass;
	int fail;
	int errors;
	int skip;
	int fail_at_step;	/* fail when the current step began */
	struct claim_fold claims;	/* narrating alone: what the run proved */
	unsigned char reached[512];	/* CLAIM() sites (socklab_claims) that ran */
};

/* The CLAIM() sites of every lab linked in (lab.h); weak: a program
 * without one has no such section. */
extern const struct lab_claim_site __start_socklab_claims[] __attribute__((weak));
extern const struct lab_claim_site __stop_socklab_claims[] __attribute__((weak));

static struct {
	const struct lab_info *info;
	int attached;		/* 1: events go to ctl; 0: narrate on stdout */
	int ctl, gate;
	int port_base;
	int sandboxed;
	pid_t main_pid;
	char role[32];		/* "" in the main process */
	int roles_exist;
	int block;		/* ROLE statements this process has passed */
	int cur_block;
	int in_block;
	struct {
		char name[32];
		char host[16];	/* ROLE_ON's host, "" none */
		pid_t pid;
	} procs[MAX_ROLES];
	int nprocs;
	struct shared *sh;
	struct shared local;	/* if mmap fails: no roles, counts still work */
} rt = { .ctl = -1, .gate = -1, .port_base = LAB_DEFAULT_PORT_BASE };

/* ---- output ---------------------------------------------------------- */

static void out(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(int fd, const char *fmt, ...)
{
	char buf[PROTO_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	/* one write per line: roles share the fd, lines must not interleave */
	if (write(fd, buf, (size_t)n) < 0) {
		/* nobody left to tell */
	}
}

/* A lab alone has no errtab: "EADDRINUSE 98", "success" (outcome.h). */
static void spell_errno(char *buf, size_t len, int err)
{
	const char *name = err ? strerrorname_np(err) : NULL;

	if (err == 0)
		snprintf(buf, len, "success");
	else
		snprintf(buf, len, "%s %d", name ? name : "errno", err);
}

/* Narration for a lab running on its own: the same events, as prose.
 * The claims this event settles (claim.h decides) come first: they
 * belong to the step that just ended. */
static void narrate(const struct proto_event *ev)
{
	char who[48] = "", said[224];
	struct claim_result done[CLAIM_MAX_OPEN];
	int n = claim_fold_feed(&rt.sh->claims, ev, done, CLAIM_MAX_OPEN);
	/* the marks in their ASCII forms: a lab alone does not read the locale */
	const char *mark = ev->ok ? OUTCOME_PASS_ASCII : OUTCOME_FAIL_ASCII;

	for (int i = 0; i < n; i++)
		out(1, "  claim %s: %s%s%s\n", done[i].id,
		    outcome_claim(done[i].outcome == CLAIM_PROVEN, done[i].outcome == CLAIM_SKIPPED),
		    done[i].why[0] ? " — " : "", done[i].why);
	if (ev->role[0])
		snprintf(who, sizeof who, "[%s] ", ev->role);
	switch (ev->kind) {
	case PROTO_LAB:
		out(1, "Lab %02ld: %s\n%s\n%s\n", ev->num, ev->title,
		    ev->text, ev->sandbox ?
		    "(in a fresh network namespace: only lo, no other sockets)" :
		    "(on this host's loopback)");
		break;
	case PROTO_ROLE:
		out(1, "  role %s is pid %ld%s%s\n", ev->name, ev->pid,
		    ev->host[0] ? " on host " : "", ev->host);
		break;
	case PROTO_HOST:
		outcome_host(said, sizeof said, ev);
		out(1, "  %s\n", said);
		break;
	case PROTO_STEP:
		out(1, "\n%sStep %ld: %s\n  why: %s\n", who, ev->step, ev->title, ev->why);
		break;
	case PROTO_CALL:
		outcome_result(said, sizeof said, ev, spell_errno);
		if (ev->ret == -1)
			out(1, "  %s %sline %ld: %s = %s (%s)\n", mark, who, ev->line, ev->expr,
			    said, strerror((int)ev->err));
		else
			out(1, "  %s %sline %ld: %s = %s\n", mark, who, ev->line, ev->expr, said);
		if (!ev->ok) {
			outcome_mismatch(said, sizeof said, ev, spell_errno);
			out(1, "  %s     %s\n", who, said);
		}
		break;
	case PROTO_CHECK:
		out(1, "  %s %sline %ld: %s  %s\n", mark, who, ev->line, ev->expr,
		    outcome_check(ev->ok));
		break;
	case PROTO_NOTE:
		out(1, "  %snote: %s\n", who, ev->text);
		break;
	case PROTO_SKIP:
		out(1, "  %s%s: %s\n", who, OUTCOME_SKIPPED, ev->text);
		break;
	case PROTO_CLAIM:
		break;	/* its outcome is told when its step ends */
	case PROTO_ERROR:
		out(2, "%s: %s%s at line %ld: %s\n", rt.info->slug, who, OUTCOME_LAB_ERROR,
		    ev->line, ev->text);
		break;
	case PROTO_END:
		outcome_total(said, sizeof said, ev->pass, ev->fail);
		out(1, "\n%s%s\n", said, ev->fail ? ": see " OUTCOME_FAIL_ASCII " above" :
		    ev->errors ? ", but the lab went wrong: see above" : ".");
		break;
	case PROTO_NKINDS:
		break;
	}
}

/* The consumer answers "step" and "end" with "go".  EOF means it is gone:
 * so is the reason to run. */
static void wait_for_go(void)
{
	char c;
	ssize_t n;

	if (rt.gate < 0)
		return;
	do {
		n = read(rt.gate, &c, 1);
		if (n == 0 || (n < 0 && errno != EINTR))
			_exit(1);
	} while (n <= 0 || c != '\n');
}

void lab_emit_about(struct proto_event *ev, pid_t pid);

static void emit(struct proto_event *ev)
{
	lab_emit_about(ev, getpid());
}

void lab_emit_about(struct proto_event *ev, pid_t pid)
{
	int saved = errno;

	ev->pid = pid;
	snprintf(ev->role, sizeof ev->role, "%s", rt.role);
	if (rt.attached) {
		char line[PROTO_LINE_MAX];
		size_t len = proto_encode(line, sizeof line, ev);

		if (write(rt.ctl, line, len) < 0)
			_exit(1);	/* consumer gone */
	} else {
		narrate(ev);
	}
	errno = saved;
}

int lab_is_main_(void)
{
	return rt.role[0] == '\0';
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void lab_error(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lab_error(int line, const char *fmt, ...)
{
	struct proto_event ev = { .kind = PROTO_ERROR, .line = line };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ev.text, sizeof ev.text, fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&rt.sh->errors, 1, __ATOMIC_SEQ_CST);
	emit(&ev);
}

/* Once roles exist, code outside a ROLE block runs in every process:
 * a step there would happen several times at once. */
static void check_placement(const char *what, int line)
{
	if (rt.roles_exist && !rt.in_block)
		lab_error(line, "%s outside a ROLE block: once a lab has roles, "
			  "every step and check belongs inside one", what);
}

/* ---- set up ---------------------------------------------------------- */

static int env_int(const char *name, int dflt)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < INT_MIN || v > INT_MAX)
		return dflt;
	return (int)v;
}

static void start(const struct lab_info *info)
{
	struct proto_event ev = { .kind = PROTO_LAB };
	void *p;

	rt.info = info;
	rt.main_pid = getpid();
	p = mmap(NULL, sizeof *rt.sh, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	rt.sh = p == MAP_FAILED ? &rt.local : p;
	ev.num = info->number;
	ev.port = rt.port_base;
	ev.sandbox = rt.sandboxed;
	copy(ev.slug, sizeof ev.slug, info->slug);
	copy(ev.file, sizeof ev.file, info->file);
	copy(ev.title, sizeof ev.title, info->title);
	copy(ev.text, sizeof ev.text, info->summary);
	emit(&ev);
}

int lab_attach(const struct lab_info *info)
{
	rt.ctl = env_int("SOCKLAB_CONTROL_FD", -1);
	rt.gate = env_int("SOCKLAB_GATE_FD", -1);
	if (rt.ctl < 0) {
		errno = EBADF;
		return -1;
	}
	rt.attached = 1;
	rt.port_base = env_int("SOCKLAB_PORT_BASE", LAB_DEFAULT_PORT_BASE);
	rt.sandboxed = env_int("SOCKLAB_SANDBOX", 0);
	start(info);
	return 0;
}

void lab_standalone(const struct lab_info *info)
{
	const char *what;

	if (getenv("SOCKLAB_CONTROL_FD")) {	/* run by socklab: it set the sandbox up */
		if (lab_attach(info) < 0) {
			out(2, "%s: SOCKLAB_CONTROL_FD is not a number\n", info->slug);
			_exit(2);
		}
		return;
	}
	rt.port_base = env_int("SOCKLAB_PORT_BASE", LAB_DEFAULT_PORT_BASE);
	if (env_int("SOCKLAB_HOST", 0)) {
		rt.sandboxed = 0;
	} else if (sandbox_enter(&what) == 0) {
		rt.sandboxed = 1;
	} else {
		/* the sandbox is what keeps a lab's traffic off the real network:
		 * running without it is the user's explicit choice */
		out(2, "%s: cannot make a sandbox (%s: %s); set SOCKLAB_HOST=1 to run on "
		    "this host's loopback instead\n", info->slug, what, strerror(errno));
		_exit(2);
	}
	start(info);
}

int lab_port_base(void)
{
	return rt.port_base;
}

/* ---- the words before printf (proto.h's fmt and args) ---------------- */

/* An integer argument of printf's length modifier mod ("", "hh", "h",
 * "l", "ll", "z", "j", "t"), signed or not, widened as printf would read
 * it (h and hh: the value cut to its type, as printf prints it). */
static uintmax_t int_arg(const char *mod, int sgn, va_list *ap)
{
	if (!strcmp(mod, "l"))
		return sgn ? (uintmax_t)va_arg(*ap, long) : va_arg(*ap, unsigned long);
	if (!strcmp(mod, "ll"))
		return sgn ? (uintmax_t)va_arg(*ap, long long) : va_arg(*ap, unsigned long long);
	if (!strcmp(mod, "z"))
		return sgn ? (uintmax_t)va_arg(*ap, ssize_t) : va_arg(*ap, size_t);
	if (!strcmp(mod, "j"))
		return va_arg(*ap, uintmax_t);
	if (!strcmp(mod, "t"))
		return (uintmax_t)va_arg(*ap, ptrdiff_t);
	if (!strcmp(mod, "hh"))
		return sgn ? (uintmax_t)(signed char)va_arg(*ap, int) : (unsigned char)va_arg(*ap, int);
	if (!strcmp(mod, "h"))
		return sgn ? (uintmax_t)(short)va_arg(*ap, int) : (unsigned short)va_arg(*ap, int);
	return sgn ? (uintmax_t)va_arg(*ap, int) : va_arg(*ap, unsigned);
}

/* Each argument of fmt formatted alone by its own conversion, joined by
 * PROTO_SEP into out: a consumer that translates fills the translated
 * format with them (runner/labtext.h).  The conversions labs use: d i u o
 * x X c s p e f g, with hh h l ll z j t.  Returns 0; -1 with out "" for
 * anything else (a '*' width, %n, an argument that does not fit): the
 * consumer then shows the text as printed. */
static int format_args(char *out, size_t len, const char *fmt, va_list ap_in)
{
	size_t used = 0;
	va_list ap;	/* a copy of our own: its address goes to int_arg */

	out[0] = '\0';
	va_copy(ap, ap_in);
	for (const char *p = fmt; *p; p++) {
		char spec[32], mod[3] = "", one[512];
		size_t k = 0, m = 0;
		int n;

		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		spec[k++] = *p++;
		while (*p && strchr("-+ #0123456789.", *p) && k < 20)
			spec[k++] = *p++;
		while (*p && strchr("hlzjt", *p) && m < 2)
			spec[k++] = mod[m++] = *p++;
		if (!*p)
			goto bad;
		spec[k++] = *p;
		spec[k] = '\0';
		/* the argument's type, as printf reads it */
		if (strchr("diuoxX", *p)) {
			int sgn = strchr("di", *p) != NULL;
			uintmax_t v = int_arg(mod, sgn, &ap);

			/* printed as the widest of its kind, with the lab's flags */
			snprintf(spec + k - 1 - m, sizeof spec - (k - 1 - m), "j%c", *p);
			n = sgn ? snprintf(one, sizeof one, spec, (intmax_t)v)
				: snprintf(one, sizeof one, spec, v);
		} else if (*p == 'c' && !mod[0]) {
			n = snprintf(one, sizeof one, spec, va_arg(ap, int));
		} else if (*p == 's' && !mod[0]) {
			n = snprintf(one, sizeof one, spec, va_arg(ap, const char *));
		} else if (*p == 'p' && !mod[0]) {
			n = snprintf(one, sizeof one, spec, va_arg(ap, void *));
		} else if (strchr("efg", *p) && !mod[0]) {
			n = snprintf(one, sizeof one, spec, va_arg(ap, double));
		} else {
			goto bad;
		}
		if (n < 0 || (size_t)n >= sizeof one || strchr(one, PROTO_SEP) ||
		    used + 1 + (size_t)n + 1 > len)
			goto bad;
		if (used > 0)
			out[used++] = PROTO_SEP;
		memcpy(out + used, one, (size_t)n + 1);
		used += (size_t)n;
	}
	va_end(ap);
	return 0;
bad:
	va_end(ap);
	out[0] = '\0';
	return -1;
}

/* fmt and args of an event whose text printf made from fmt: left "" when
 * fmt is the text itself, or when its arguments cannot be sent */
static void keep_format(char *fmt_out, size_t fmt_len, char *args_out, size_t args_len,
			const char *text, const char *fmt, va_list ap)
{
	fmt_out[0] = args_out[0] = '\0';
	if (strcmp(fmt, text) == 0 || strlen(fmt) >= fmt_len ||
	    format_args(args_out, args_len, fmt, ap) < 0)
		return;
	memcpy(fmt_out, fmt, strlen(fmt) + 1);
}

/* ---- steps and expectations ------------------------------------------ */

/* ASK()'s question, until the STEP it belongs to (this process's), and
 * its format and arguments */
static char asked[256], asked_fmt[256], asked_args[128];

void lab_step_(const char *file, int line, const char *fmt, ...)
{
	struct proto_event ev = { .kind = PROTO_STEP, .line = line };
	char both[sizeof ev.title + sizeof ev.why];
	char *why;
	va_list ap, again;

	(void)file;
	check_placement("STEP", line);
	ev.step = __atomic_add_fetch(&rt.sh->step, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&rt.sh->fail_at_step, __atomic_load_n(&rt.sh->fail, __ATOMIC_SEQ_CST),
			 __ATOMIC_SEQ_CST);
	/* one format for both (lab.h): formatted whole, then split */
	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(both, sizeof both, fmt, ap);
	keep_format(ev.fmt, sizeof ev.fmt, ev.args, sizeof ev.args, both, fmt, again);
	va_end(again);
	va_end(ap);
	why = strchr(both, LAB_STEP_SEP_[0]);
	if (why)
		*why++ = '\0';
	snprintf(ev.title, sizeof ev.title, "%.*s", (int)sizeof ev.title - 1, both);
	snprintf(ev.why, sizeof ev.why, "%.*s", (int)sizeof ev.why - 1, why ? why : "");
	/* the question an ASK() put just before this step, asked once */
	snprintf(ev.ask, sizeof ev.ask, "%s", asked);
	snprintf(ev.askfmt, sizeof ev.askfmt, "%s", asked_fmt);
	snprintf(ev.askargs, sizeof ev.askargs, "%s", asked_args);
	asked[0] = asked_fmt[0] = asked_args[0] = '\0';
	emit(&ev);
	wait_for_go();
}

void lab_ask_(const char *file, int line, const char *fmt, ...)
{
	va_list ap, again;

	(void)file;
	check_placement("ASK", line);
	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(asked, sizeof asked, fmt, ap);
	keep_format(asked_fmt, sizeof asked_fmt, asked_args, sizeof asked_args, asked, fmt, again);
	va_end(again);
	va_end(ap);
}

int lab_as_expected_(void)
{
	return __atomic_load_n(&rt.sh->fail, __ATOMIC_SEQ_CST) ==
	       __atomic_load_n(&rt.sh->fail_at_step, __ATOMIC_SEQ_CST);
}

static void count(int ok)
{
	__atomic_add_fetch(ok ? &rt.sh->pass : &rt.sh->fail, 1, __ATOMIC_SEQ_CST);
}

/* The last receive this process made (lab.h's recv and recvfrom): its
 * payload and sender go with the EXPECT_ event of that call. */
static struct {
	int set;
	char data[sizeof ((struct proto_event *)0)->data];
	char from[sizeof ((struct proto_event *)0)->from];
} received;

ssize_t lab_recvfrom_(int fd, void *buf, size_t len, int flags,
		      struct sockaddr *from, socklen_t *fromlen)
{
	struct sockaddr_storage own;
	socklen_t ownlen = sizeof own;
	struct sockaddr *sa = from ? from : (struct sockaddr *)&own;
	socklen_t *salen = from ? fromlen : &ownlen;
	size_t room = salen ? *salen : 0;	/* the kernel may say more than fits */
	/* (recvfrom): the function, not lab.h's macro of that name */
	ssize_t n = (recvfrom)(fd, buf, len, flags, sa, salen);
	int err = errno;

	received.set = 0;
	if (n >= 0) {
		size_t have = salen && *salen < room ? *salen : room;

		outcome_payload(received.data, sizeof received.data, buf,
				(size_t)n < len ? (size_t)n : len);
		/* a stream socket names no sender: its peer is the one */
		if (have == 0) {
			ownlen = sizeof own;
			if (getpeername(fd, (struct sockaddr *)&own, &ownlen) == 0) {
				sa = (struct sockaddr *)&own;
				have = ownlen;
			}
		}
		outcome_address(received.from, sizeof received.from, sa, have);
		received.set = 1;
	}
	errno = err;
	return n;
}

static long expect_call(int line, const char *expr, int want, long ret, int err)
{
	struct proto_event ev = { .kind = PROTO_CALL, .line = line };

	check_placement("EXPECT", line);
	/* a receive in this very call: what it got (one made outside an
	 * EXPECT_, in a loop, is not this call's) */
	if (received.set && strncmp(expr, "recv", 4) == 0 && ret >= 0) {
		copy(ev.data, sizeof ev.data, received.data);
		copy(ev.from, sizeof ev.from, received.from);
	}
	received.set = 0;
	ev.ret = ret;
	ev.err = ret == -1 ? err : 0;
	ev.want = want;
	ev.ok = want ? (ret == -1 && err == want) : ret != -1;
	copy(ev.expr, sizeof ev.expr, expr);
	count((int)ev.ok);
	emit(&ev);
	errno = err;	/* the lab may look at errno after the macro */
	return ret;
}

long lab_expect_ok_(const char *file, int line, const char *expr, long ret)
{
	int err = errno;	/* first: set by the call in our argument */

	(void)file;
	return expect_call(line, expr, 0, ret, err);
}

long lab_expect_err_(const char *file, int line, const char *expr,
		     int want, const char *want_name, long ret)
{
	int err = errno;

	(void)file;
	(void)want_name;
	return expect_call(line, expr, want, ret, err);
}

int lab_expect_true_(const char *file, int line, const char *expr, int ok)
{
	struct proto_event ev = { .kind = PROTO_CHECK, .line = line, .ok = ok };

	(void)file;
	check_placement("EXPECT_TRUE", line);
	copy(ev.expr, sizeof ev.expr, expr);
	count(ok);
	emit(&ev);
	return ok;
}

void lab_claim_(const struct lab_claim_site *site)
{
	struct proto_event ev = { .kind = PROTO_CLAIM, .line = site->line };
	ptrdiff_t k = site - __start_socklab_claims;

	check_placement("CLAIM", (int)site->line);
	ev.step = __atomic_load_n(&rt.sh->step, __ATOMIC_SEQ_CST);
	if (ev.step == 0) {
		lab_error((int)site->line, "CLAIM(\"%s\") before the first STEP: a claim "
			  "belongs to the step whose expectations prove it", site->id);
		return;
	}
	if (__start_socklab_claims && k >= 0 && (size_t)k < sizeof rt.sh->reached)
		__atomic_store_n(&rt.sh->reached[k], 1, __ATOMIC_SEQ_CST);
	copy(ev.id, sizeof ev.id, site->id);
	emit(&ev);
}

/* Before the end: every CLAIM() of this lab the run did not reach (a
 * skip, a branch not taken), as a claim event with step 0. */
static void unreached_claims(void)
{
	const struct lab_claim_site *p = __start_socklab_claims;

	if (p == NULL || rt.info == NULL)
		return;
	for (; p < __stop_socklab_claims; p++) {
		struct proto_event ev = { .kind = PROTO_CLAIM, .line = p->line };
		size_t k = (size_t)(p - __start_socklab_claims);

		if (strcmp(p->file, rt.info->file) != 0 ||
		    (k < sizeof rt.sh->reached && __atomic_load_n(&rt.sh->reached[k], __ATOMIC_SEQ_CST)))
			continue;
		copy(ev.id, sizeof ev.id, p->id);
		emit(&ev);
	}
}

void lab_skip_(const char *file, int line, const char *fmt, ...)
{
	struct proto_event ev = { .kind = PROTO_SKIP, .line = line };
	va_list ap, again;

	(void)file;
	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(ev.text, sizeof ev.text, fmt, ap);
	keep_format(ev.fmt, sizeof ev.fmt, ev.args, sizeof ev.args, ev.text, fmt, again);
	va_end(again);
	va_end(ap);
	__atomic_add_fetch(&rt.sh->skip, 1, __ATOMIC_SEQ_CST);
	emit(&ev);
}

/* ---- helpers for the lab's setup ------------------------------------- */

int lab_other_uid(void)
{
	char map[256] = "";
	unsigned long inside, outside, count = 0;
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, map, sizeof map - 1);

	if (fd >= 0)
		close(fd);
	/* only root may become another user, and only if the user namespace
	 * maps one: an unprivileged sandbox maps just uid 0 */
	if (geteuid() != 0 || n <= 0 ||
	    sscanf(map, "%lu %lu %lu", &inside, &outside, &count) != 3 || count < 65535) {
		errno = EPERM;
		return -1;
	}
	return 65534;	/* nobody */
}

static int sysctl_path(char *path, size_t len, const char *name)
{
	if (strstr(name, "..") || (size_t)snprintf(path, len, "/proc/sys/%s", name) >= len) {
		errno = EINVAL;
		return -1;
	}
	for (char *p = path + 10; *p; p++)
		if (*p == '.')
			*p = '/';	/* net.ipv4.x as well as net/ipv4/x */
	return 0;
}

int lab_sandboxed(void)
{
	return rt.sandboxed;
}

int lab_sysctl(const char *name, const char *value)
{
	char path[256];
	size_t len = strlen(value);
	int fd, ret = -1, err;

	/* never the host's own settings: only in a sandbox, and only its own
	 * copies (net.*: a network namespace shows no global one there) */
	if (!rt.sandboxed || (strncmp(name, "net.", 4) != 0 && strncmp(name, "net/", 4) != 0)) {
		errno = EPERM;
		return -1;
	}
	if (sysctl_path(path, sizeof path, name) < 0 ||
	    (fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	if (write(fd, value, len) == (ssize_t)len)
		ret = 0;
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

int lab_read_sysctl(const char *name, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd, err;

	if (len == 0 || sysctl_path(path, sizeof path, name) < 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

int lab_cmd(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	if (!rt.sandboxed) {
		errno = EPERM;	/* ip link add ... belongs in a sandbox only */
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return sandbox_sh(cmd);
}

void lab_note_(const char *file, int line, const char *fmt, ...)
{
	struct proto_event ev = { .kind = PROTO_NOTE, .line = line };
	va_list ap, again;

	(void)file;
	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(ev.text, sizeof ev.text, fmt, ap);
	keep_format(ev.fmt, sizeof ev.fmt, ev.args, sizeof ev.args, ev.text, fmt, again);
	va_end(again);
	va_end(ap);
	emit(&ev);
}

int lab_kernel_has(enum kver_change_id id)
{
	return kver_has(kver_running(), id);
}

void lab_kernel_note_(const char *file, int line, enum kver_change_id id)
{
	const char *fmt, *a[4];

	/* the format and its arguments apart, as NOTE's: a consumer can
	 * translate them (kver.c's texts are in the catalog) */
	switch (kver_note_parts(id, kver_release(), &fmt, a)) {
	case 4:
		lab_note_(file, line, fmt, a[0], a[1], a[2], a[3]);
		break;
	case 3:
		lab_note_(file, line, fmt, a[0], a[1], a[2]);
		break;
	default:
		lab_note_(file, line, "%s", fmt);
	}
}

/* ---- roles ----------------------------------------------------------- */

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

static void wake_all(uint32_t *addr)
{
	futex(addr, FUTEX_WAKE, INT_MAX, NULL);
}

/* Wait until *addr == want.  No time limit: under `run --step` a block
 * waits as long as the user reads.  A role whose main is gone exits; main
 * notices a role that died.  A role stuck in a blocking call is the
 * consumer's to catch (silence longer than its timeout). */
static int wait_word(uint32_t *addr, uint32_t want, int line)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };

	for (;;) {
		uint32_t cur = __atomic_load_n(addr, __ATOMIC_SEQ_CST);

		if (cur == want)
			return 0;
		if (__atomic_load_n(&rt.sh->aborted, __ATOMIC_SEQ_CST))
			return -1;
		if (rt.role[0] && getppid() != rt.main_pid)
			_exit(1);	/* main is gone */
		if (!rt.role[0]) {
			int status;
			pid_t pid = waitpid(-1, &status, WNOHANG);

			for (int i = 0; pid > 0 && i < rt.nprocs; i++) {
				if (rt.procs[i].pid != pid)
					continue;
				rt.procs[i].pid = 0;
				lab_error(line, "role %s died (%s %d) before the lab ended",
					  rt.procs[i].name,
					  WIFSIGNALED(status) ? "signal" : "exit status",
					  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
				__atomic_store_n(&rt.sh->aborted, 1, __ATOMIC_SEQ_CST);
				wake_all(&rt.sh->turn);
				wake_all(&rt.sh->finished);
				return -1;
			}
		}
		futex(addr, FUTEX_WAIT, cur, &tick);
	}
}

/* Stop every process of the lab: a block that will never run would
 * otherwise leave the blocks after it waiting for their turn forever. */
static void abort_lab(void)
{
	__atomic_store_n(&rt.sh->aborted, 1, __ATOMIC_SEQ_CST);
	wake_all(&rt.sh->turn);
	wake_all(&rt.sh->finished);
}

static int fork_role(const char *name, const char *host, int line)
{
	struct proto_event ev = { .kind = PROTO_ROLE, .line = line };
	int go[2];
	pid_t pid;
	char c = 0;

	if (rt.nprocs == MAX_ROLES) {
		lab_error(line, "more than %d roles", MAX_ROLES);
		return -1;
	}
	if (rt.sh == &rt.local) {
		lab_error(line, "no shared memory for roles: %s", strerror(ENOMEM));
		return -1;
	}
	if (host && lab_hosts_pid(host) == 0) {
		lab_error(line, "role %s on host %s: there is no such host (lab_host makes one)",
			  name, host);
		return -1;
	}
	/* the child waits on go[] until its "role" event is out, so no
	 * event of the role can come before the event that names it */
	if (pipe2(go, O_CLOEXEC) < 0) {
		lab_error(line, "pipe for role %s: %s", name, strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		lab_error(line, "fork for role %s: %s", name, strerror(errno));
		close(go[0]);
		close(go[1]);
		return -1;
	}
	if (pid == 0) {
		close(go[1]);
		copy(rt.role, sizeof rt.role, name);
		rt.nprocs = 0;
		rt.roles_exist = 1;
		/* a role must not outlive the lab */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != rt.main_pid || read(go[0], &c, 1) != 1)
			_exit(1);
		if (host && lab_hosts_enter(host) < 0) {
			lab_error(line, "role %s cannot enter host %s: %s", name, host,
				  strerror(errno));
			_exit(1);
		}
		close(go[0]);
		return 0;
	}
	close(go[0]);
	copy(rt.procs[rt.nprocs].name, sizeof rt.procs[0].name, name);
	copy(rt.procs[rt.nprocs].host, sizeof rt.procs[0].host, host);
	rt.procs[rt.nprocs++].pid = pid;
	rt.roles_exist = 1;
	copy(ev.name, sizeof ev.name, name);
	copy(ev.host, sizeof ev.host, host);
	/* this event is about the child, not us */
	lab_emit_about(&ev, pid);
	if (write(go[1], &c, 1) != 1) {
		/* the child died already; main notices it while waiting */
	}
	close(go[1]);
	return 0;
}

/* The role's index, or -1 when it has no process yet */
static int role_index(const char *name)
{
	for (int i = 0; i < rt.nprocs; i++)
		if (strcmp(rt.procs[i].name, name) == 0)
			return i;
	return -1;
}

int lab_role_begin_(const char *file, int line, const char *host, const char *name)
{
	int known = rt.role[0] ? 1 : role_index(name) >= 0;

	int k = rt.block++;

	(void)file;
	if (rt.in_block) {
		lab_error(line, "ROLE blocks do not nest");
		abort_lab();
		return 0;
	}
	if (!known) {
		fflush(NULL);	/* no stdio buffer may be written twice */
		if (fork_role(name, host, line) < 0) {
			abort_lab();
			return 0;
		}
	} else if (!rt.role[0] && host &&
		   strcmp(rt.procs[role_index(name)].host, host) != 0) {
		/* a process lives on one host: its sockets are there */
		lab_error(line, "role %s lives on %s, not on host %s", name,
			  rt.procs[role_index(name)].host[0] ?
			  rt.procs[role_index(name)].host : "the sandbox itself", host);
		abort_lab();
		return 0;
	}
	if (strcmp(rt.role, name) != 0)
		return 0;	/* another process's block: skip it */
	if (wait_word(&rt.sh->turn, (uint32_t)k, line) < 0)
		_exit(1);
	rt.cur_block = k;
	rt.in_block = 1;
	return 1;
}

int lab_role_end_(void)
{
	if (!rt.in_block)
		return 0;
	rt.in_block = 0;
	__atomic_store_n(&rt.sh->turn, (uint32_t)rt.cur_block + 1, __ATOMIC_SEQ_CST);
	wake_all(&rt.sh->turn);
	return 0;
}

/* A block left by break or return ends here (see ROLE in lab.h). */
void lab_role_cleanup_(int *in_role)
{
	(void)in_role;
	lab_role_end_();
}

/* ---- the end --------------------------------------------------------- */

int lab_end(void)
{
	struct proto_event ev = { .kind = PROTO_END };

	if (rt.role[0]) {
		/* A role keeps its sockets open until main has shown the end. */
		wait_word(&rt.sh->finished, 1, 0);
		_exit(0);
	}
	if (rt.roles_exist)
		wait_word(&rt.sh->turn, (uint32_t)rt.block, 0);
	unreached_claims();
	ev.pass = __atomic_load_n(&rt.sh->pass, __ATOMIC_SEQ_CST);
	ev.fail = __atomic_load_n(&rt.sh->fail, __ATOMIC_SEQ_CST);
	ev.errors = __atomic_load_n(&rt.sh->errors, __ATOMIC_SEQ_CST);
	ev.skip = __atomic_load_n(&rt.sh->skip, __ATOMIC_SEQ_CST);
	emit(&ev);
	wait_for_go();
	__atomic_store_n(&rt.sh->finished, 1, __ATOMIC_SEQ_CST);
	wake_all(&rt.sh->finished);
	for (int i = 0; i < rt.nprocs; i++)
		if (rt.procs[i].pid > 0)
			waitpid(rt.procs[i].pid, NULL, 0);
	lab_hosts_end();
	return ev.fail || rt.sh->errors ? 1 : 0;
}
