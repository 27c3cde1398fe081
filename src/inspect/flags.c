/* flags.c — socket options sock_diag does not report.
 *
 * Two readers, tried in this order for each row (SOCKLAB_FLAGS_READER=bpf
 * or =pidfd keeps one of them only):
 *
 * BPF (bpf.c): as root, socket iterators read skc_reuse/skc_reuseport of
 * every socket in the namespace, TIME_WAIT and other users' included, and
 * SO_BROADCAST of full sockets; rows are matched by socket cookie.
 *
 * The owner's descriptor: pidfd_getfd() gives us a duplicate of the owner's descriptor (the same
 * open file, like one passed over SCM_RIGHTS); getsockopt() on it reads the
 * socket's options without changing anything, and closing our duplicate
 * leaves the owner's descriptor open.  The kernel allows it only with
 * ptrace rights over the owner (PTRACE_MODE_ATTACH_REALCREDS): our own
 * children, processes of our uid (Yama permitting), or anyone as root. */
#include "inspect.h"
#include "bpf_priv.h"
#include "diag_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "pidfd.h"

/* One pidfd per owner within a call; fd -1 when the owner cannot be
 * opened (gone, ESRCH; or pidfd_open missing, ENOSYS). */
struct owner {
	pid_t pid;
	int fd, err;
};

struct cache {
	struct owner *v;	/* NULL when it could not be allocated */
	size_t n, last;
};

static int open_pidfd(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The owner's pidfd, opened once per pid; with no cache, a fresh one the
 * caller closes (*owned set). */
static int pidfd_of(struct cache *c, pid_t pid, int *owned)
{
	size_t i;

	*owned = 0;
	if (!c->v) {
		*owned = 1;
		return open_pidfd(pid);
	}
	/* Rows are sorted by port, but neighbours often share an owner. */
	if (!c->n || c->v[c->last].pid != pid) {
		for (i = 0; i < c->n && c->v[i].pid != pid; i++)
			;
		if (i == c->n) {
			c->v[i].pid = pid;
			c->v[i].fd = open_pidfd(pid);
			c->v[i].err = errno;
			c->n++;
		}
		c->last = i;
	}
	if (c->v[c->last].fd < 0)
		errno = c->v[c->last].err;
	return c->v[c->last].fd;
}

static int get_flag(int fd, int opt, int8_t *out)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) < 0)
		return -1;
	*out = v != 0;
	return 0;
}

/* Borrow the row's descriptor and read its options; -1 when the row stays
 * unknown (no permission, descriptor closed, or reused for another file
 * since the dump). */
static int read_row(int pidfd, struct inspect_sock *s)
{
	int8_t ra, rp, bc;
	struct stat st;
	int fd, ret = -1, saved;

	fd = (int)syscall(SYS_pidfd_getfd, pidfd, s->fd, 0);
	if (fd < 0)
		return -1;
	/* The owner may have closed the descriptor and opened something
	 * else under its number: only the same socket counts. */
	if (fstat(fd, &st) < 0)
		goto out;
	if (!S_ISSOCK(st.st_mode) || st.st_ino != s->inode) {
		errno = ESTALE;
		goto out;
	}
	if (get_flag(fd, SO_REUSEADDR, &ra) < 0 ||
	    get_flag(fd, SO_REUSEPORT, &rp) < 0 ||
	    get_flag(fd, SO_BROADCAST, &bc) < 0)
		goto out;
	s->reuseaddr = ra;
	s->reuseport = rp;
	s->broadcast = bc;
	ret = 0;
out:
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

/* (declared in bpf_priv.h: bpf.c says its reasons under it too) */
int inspect_debug(void)
{
	const char *d = getenv("SOCKLAB_DEBUG");

	return d && *d && strcmp(d, "0") != 0;
}

#define READ_BPF 1
#define READ_PIDFD 2

/* SOCKLAB_FLAGS_READER: "bpf", "pidfd", "none"; unset, "" or "auto": both. */
static int readers(void)
{
	const char *r = secure_getenv("SOCKLAB_FLAGS_READER");
	static int warned;

	if (!r || !*r || strcmp(r, "auto") == 0)
		return READ_BPF | READ_PIDFD;
	if (strcmp(r, "bpf") == 0)
		return READ_BPF;
	if (strcmp(r, "pidfd") == 0)
		return READ_PIDFD;
	if (strcmp(r, "none") == 0)
		return 0;
	if (inspect_debug() && !warned++)
		fprintf(stderr, "socklab: SOCKLAB_FLAGS_READER=%s: not bpf, pidfd, none or auto; "
			"using auto\n", r);
	return READ_BPF | READ_PIDFD;
}

void inspect_flags_prepare(void)
{
	struct sockflags_rec *v;
	size_t n;

	if (!(readers() & READ_BPF) || diag_replay_path() || !inspect_bpf_usable())
		return;
	if (inspect_bpf_read(-1, &v, &n) == 0)
		free(v);
}

/* Fill the rows the iterators saw, by cookie.  A row counts as read when
 * its reuse flags are known (a TIME_WAIT row's broadcast stays -1: it has
 * no sk_flags).  Returns the number of rows read, or -1 when BPF could not
 * be used at all (errno). */
static int read_bpf(struct inspect_snap *snap, int nl, uint8_t *done)
{
	struct sockflags_rec *v;
	size_t n, i;
	int netns = -1, ret, read = 0, saved;

	/* A replayed dump is not this kernel's now. */
	if (diag_replay_path() || !inspect_bpf_usable())
		return -1;
	/* The namespace the dump came from (SIOCGSKNS needs CAP_NET_ADMIN
	 * there, which root of the initial namespace has). */
	if (nl >= 0 && (netns = ioctl(nl, SIOCGSKNS)) < 0) {
		if (inspect_debug())
			fprintf(stderr, "socklab: flags: namespace of the netlink socket: %s\n",
				strerror(errno));
		return -1;
	}
	ret = inspect_bpf_read(netns, &v, &n);
	saved = errno;
	if (netns >= 0)
		close(netns);
	if (ret < 0) {
		errno = saved;
		return -1;
	}
	for (i = 0; i < snap->n; i++) {
		struct inspect_sock *s = &snap->v[i];
		const struct sockflags_rec *r;

		if (!s->cookie || !(r = inspect_bpf_find(v, n, s->cookie)))
			continue;
		/* The cookie is unique per boot; the identity is checked anyway. */
		if (r->proto != s->proto || r->family != s->family || r->lport != s->lport)
			continue;
		if (r->known & SOCKFLAGS_REUSE) {
			s->reuseaddr = r->reuse != 0;
			s->reuseport = r->reuseport != 0;
		}
		if (r->known & SOCKFLAGS_BCAST)
			s->broadcast = r->broadcast != 0;
		if (r->known & SOCKFLAGS_REUSE) {
			read++;
			done[i] = r->known & SOCKFLAGS_BCAST ? 2 : 1;
		}
	}
	free(v);
	return read;
}

int inspect_flags_at(int nl, struct inspect_snap *snap)
{
	struct cache c = { 0 };
	uint8_t *done;
	size_t i;
	int read = 0, err = 0, from_bpf, which = readers();

	if (!snap || !snap->n)
		return 0;
	/* done[i]: 1 row i's reuse flags read by BPF, 2 all of its flags */
	done = calloc(snap->n, 1);
	if (!done)
		return 0;
	from_bpf = which & READ_BPF ? read_bpf(snap, nl, done) : -1;
	if (from_bpf > 0)
		read = from_bpf;
	if (!(which & READ_PIDFD))
		goto out;
	/* At most one owner per row.  Without the memory, work uncached. */
	c.v = malloc(snap->n * sizeof(*c.v));
	for (i = 0; i < snap->n; i++) {
		struct inspect_sock *s = &snap->v[i];
		int pidfd, owned;

		if (done[i] == 2 || s->pid <= 0 || s->fd < 0 || !s->inode)
			continue;
		pidfd = pidfd_of(&c, s->pid, &owned);
		if (pidfd < 0) {
			err = errno;
			continue;
		}
		if (read_row(pidfd, s) == 0)
			read += !done[i];
		else
			err = errno;
		if (owned)
			close(pidfd);
	}
	for (i = 0; c.v && i < c.n; i++)
		if (c.v[i].fd >= 0)
			close(c.v[i].fd);
	free(c.v);
out:
	free(done);
	/* A count, not an error; when an owned row stayed unknown, errno
	 * says why (EPERM: no ptrace rights; ESRCH: owner gone). */
	if (err)
		errno = err;
	return read;
}

int inspect_flags(struct inspect_snap *snap)
{
	return inspect_flags_at(-1, snap);
}
