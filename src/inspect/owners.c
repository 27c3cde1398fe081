/* owners.c — which (pid, fd, comm) holds each socket, from /proc/PID/fd.
 *
 * Like ss -p, but lazy: only rows with an inode are wanted, and the scan
 * stops as soon as each of them has an owner.  Host-wide, ss reads every
 * descriptor of every process; with a port filter that leaves two rows we
 * usually stop long before the end of /proc. */
#include "inspect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A row still looking for its owner, by inode. */
struct want {
	uint32_t ino;
	size_t row;
};

struct scan {
	struct inspect_snap *snap;
	struct want *want;	/* sorted by inode, then row */
	size_t nwant;
	size_t left;		/* wanted rows still without an owner */
	size_t *claimed;	/* rows given an owner, in order; nwant long */
	size_t nclaimed;
};

/* A process that exited while we looked is simply not an owner; one of
 * another user (not root, or hidepid) is one we may not look at. */
static int skippable(int err)
{
	return err == ENOENT || err == ESRCH || err == EACCES || err == EPERM;
}

static int cmp_want(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return 0;
}

/* "socket:[1234]" -> 1234; 0 for anything else (inode 0 is never a socket). */
static uint32_t socket_inode(const char *link, size_t len)
{
	static const char prefix[] = "socket:[";
	uint64_t ino = 0;
	size_t i = sizeof(prefix) - 1;

	if (len < sizeof(prefix) + 1 || memcmp(link, prefix, sizeof(prefix) - 1))
		return 0;
	for (; i < len && link[i] >= '0' && link[i] <= '9'; i++) {
		ino = ino * 10 + (uint64_t)(link[i] - '0');
		if (ino > UINT32_MAX)
			return 0;
	}
	if (i == sizeof(prefix) - 1 || i + 1 != len || link[i] != ']')
		return 0;
	return (uint32_t)ino;
}

/* "1234" -> 1234; -1 unless the whole name is a positive decimal int. */
static long decimal(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -1;
	}
	return v;
}

/* Give every unowned row with this inode (one socket may appear once per
 * row that names it) its owner.  A socket shared after fork keeps the
 * first owner found. */
static void claim(struct scan *sc, uint32_t ino, pid_t pid, int fd)
{
	size_t lo = 0, hi = sc->nwant;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->want[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sc->nwant && sc->want[lo].ino == ino; lo++) {
		struct inspect_sock *s = &sc->snap->v[sc->want[lo].row];

		if (s->pid)
			continue;
		s->pid = pid;
		s->fd = fd;
		sc->claimed[sc->nclaimed++] = sc->want[lo].row;
		sc->left--;
	}
}

/* /proc/PID/comm without its newline; "" when it cannot be read (the
 * process may have exited since we saw its descriptors). */
static void read_comm(int rootfd, pid_t pid, char comm[16])
{
	char path[32], buf[64];
	size_t len;
	ssize_t n;
	int fd;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%d/comm", (int)pid);
	fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	len = strcspn(buf, "\n");
	if (len > 15)	/* TASK_COMM_LEN - 1 */
		len = 15;
	memcpy(comm, buf, len);
	comm[len] = '\0';
}

/* Scan one PID/fd directory under rootfd, then name the rows it claimed. */
static int scan_pid(int rootfd, pid_t pid, struct scan *sc)
{
	char path[32], link[64];
	size_t first = sc->nclaimed, i;
	struct dirent *de;
	DIR *dir;
	int dfd, ret = -1, saved;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return skippable(errno) ? 0 : -1;
	dir = fdopendir(dfd);
	if (!dir) {
		saved = errno;
		close(dfd);
		errno = saved;
		return -1;
	}
	while (sc->left) {
		uint32_t ino;
		ssize_t n;
		long fd;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno && !skippable(errno))
				goto out;
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		/* No stat: the link text alone says whether it is a socket. */
		n = readlinkat(dfd, de->d_name, link, sizeof(link));
		if (n < 0) {
			if (errno == ENOENT)	/* descriptor closed meanwhile */
				continue;
			if (skippable(errno))	/* process gone or out of reach */
				break;
			goto out;
		}
		ino = socket_inode(link, (size_t)n);
		if (!ino)
			continue;
		fd = decimal(de->d_name);
		if (fd < 0)
			continue;
		claim(sc, ino, pid, (int)fd);
	}
	ret = 0;
out:
	saved = errno;
	closedir(dir);
	if (sc->nclaimed > first) {
		char comm[16];

		read_comm(rootfd, pid, comm);
		for (i = first; i < sc->nclaimed; i++)
			memcpy(sc->snap->v[sc->claimed[i]].comm, comm, sizeof(comm));
	}
	errno = saved;
	return ret;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The pids under the proc root, ascending, into *out (malloc'd). */
static int list_pids(int rootfd, pid_t **out, size_t *n)
{
	struct dirent *de;
	size_t cap = 0;
	pid_t *v = NULL, *nv;
	DIR *dir;
	int dfd, ret = -1, saved;

	*n = 0;
	dfd = dup(rootfd);
	if (dfd < 0)
		return -1;
	dir = fdopendir(dfd);
	if (!dir) {
		saved = errno;
		close(dfd);
		errno = saved;
		return -1;
	}
	for (;;) {
		long pid;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				goto out;
			break;
		}
		pid = decimal(de->d_name);
		if (pid <= 0)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto out;
			v = nv;
		}
		v[(*n)++] = (pid_t)pid;
	}
	qsort(v, *n, sizeof(*v), cmp_pid);	/* /proc lists them so already */
	ret = 0;
out:
	saved = errno;
	closedir(dir);
	if (ret < 0) {
		free(v);
		v = NULL;
		*n = 0;
	}
	*out = v;
	errno = saved;
	return ret;
}

/* Every process of the machine until all rows are owned.  Listing /proc
 * costs little; reading descriptors is what costs (one readlink each), so
 * the order matters: owners are mostly long-running services (the lowest
 * pids) or what the user just started, a lab or a server in a terminal
 * (the highest), so take the two ends alternately, oldest first. */
static int scan_all(int rootfd, struct scan *sc)
{
	size_t n, lo, hi, k;
	pid_t *pids;
	int ret = 0, saved;

	if (list_pids(rootfd, &pids, &n) < 0)
		return -1;
	for (k = 0, lo = 0, hi = n; lo < hi && sc->left; k++) {
		pid_t pid = k % 2 ? pids[--hi] : pids[lo++];

		if (scan_pid(rootfd, pid, sc) < 0) {
			ret = -1;
			break;
		}
	}
	saved = errno;
	free(pids);
	errno = saved;
	return ret;
}

int inspect_owners(struct inspect_snap *snap, const pid_t *pids, size_t n)
{
	const char *root = secure_getenv("SOCKLAB_PROC_ROOT");
	struct scan sc = { .snap = snap };
	int rootfd = -1, ret = -1, saved;
	size_t i;

	if (!snap || (!pids && n)) {
		errno = EINVAL;
		return -1;
	}
	if (!root || !*root)
		root = "/proc";
	for (i = 0; i < snap->n; i++)
		if (snap->v[i].inode && snap->v[i].pid == 0)
			sc.nwant++;
	if (!sc.nwant)
		return 0;
	sc.want = malloc(sc.nwant * sizeof(*sc.want));
	sc.claimed = malloc(sc.nwant * sizeof(*sc.claimed));
	if (!sc.want || !sc.claimed)
		goto out;
	for (i = 0; i < snap->n; i++) {
		if (snap->v[i].inode && snap->v[i].pid == 0) {
			sc.want[sc.left].ino = snap->v[i].inode;
			sc.want[sc.left].row = i;
			sc.left++;
		}
	}
	qsort(sc.want, sc.nwant, sizeof(*sc.want), cmp_want);

	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		goto out;
	if (!pids) {
		if (scan_all(rootfd, &sc) < 0)
			goto out;
	} else {
		for (i = 0; i < n && sc.left; i++)
			if (pids[i] > 0 && scan_pid(rootfd, pids[i], &sc) < 0)
				goto out;
	}
	ret = 0;
out:
	saved = errno;
	if (rootfd >= 0)
		close(rootfd);
	free(sc.want);
	free(sc.claimed);
	errno = saved;
	return ret;
}
