/* bpf.c — every socket's reuse flags through BPF socket iterators (libbpf).
 *
 * Contract in bpf_priv.h.  The program (sockflags.bpf.c) is loaded once
 * from the copy embedded in socklab; each read makes one iterator per
 * protocol (bpf_iter_create on the attached link) and reads its file to
 * the end: the kernel writes one struct sockflags_rec per socket. */
#include "bpf_priv.h"
#include "inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* sockflags_obj.c: the object file clang -target bpf made, as bytes */
extern const unsigned char inspect_bpf_obj[], inspect_bpf_obj_end[];

static const char *const progs[] = { "sockflags_tcp", "sockflags_udp" };
#define NPROGS (sizeof progs / sizeof progs[0])

static struct {
	int state;		/* 0 not tried, 1 loaded, -1 failed (err) */
	int err;
	struct bpf_object *obj;
	struct bpf_link *link[NPROGS];
} ld;

int inspect_bpf_built(void)
{
	return 1;
}

/* libbpf's own messages: its warnings under SOCKLAB_DEBUG, else nothing. */
static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || !inspect_debug())
		return 0;
	fputs("socklab: libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

/* uid 0 of the initial user namespace, whose uid_map is the identity
 * over all 2^32 - 1 ids; in any other, bpf() is refused (EPERM). */
static int init_root(void)
{
	unsigned long inside, outside, count;
	FILE *f;
	int ok = 0;

	if (geteuid() != 0)
		return 0;
	f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		ok = inside == 0 && outside == 0 && count == 4294967295UL;
	fclose(f);
	return ok;
}

int inspect_bpf_usable(void)
{
	static int root = -1;

	if (root < 0)
		root = init_root();
	return root && ld.state >= 0;
}

static void unload(void)
{
	for (size_t i = 0; i < NPROGS; i++) {
		bpf_link__destroy(ld.link[i]);
		ld.link[i] = NULL;
	}
	bpf_object__close(ld.obj);
	ld.obj = NULL;
}

/* 0 when loaded (now or before); -1 with errno, and the reason kept. */
static int load(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "socklab_sockflags");
	const char *what = "open the embedded object";

	if (ld.state > 0)
		return 0;
	if (ld.state < 0) {
		errno = ld.err;
		return -1;
	}
	libbpf_set_print(on_libbpf_print);
	ld.obj = bpf_object__open_mem(inspect_bpf_obj,
				      (size_t)(inspect_bpf_obj_end - inspect_bpf_obj), &opts);
	if (!ld.obj)
		goto fail;
	what = "load it (BTF at /sys/kernel/btf/vmlinux, root)";
	if (bpf_object__load(ld.obj) < 0)
		goto fail;
	for (size_t i = 0; i < NPROGS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(ld.obj, progs[i]);

		what = "attach the iterators";
		if (!p) {
			errno = ENOENT;
			goto fail;
		}
		ld.link[i] = bpf_program__attach_iter(p, NULL);
		if (!ld.link[i])
			goto fail;
	}
	ld.state = 1;
	return 0;
fail:
	ld.err = errno ? errno : EINVAL;
	ld.state = -1;
	unload();
	if (inspect_debug())
		fprintf(stderr, "socklab: flags: BPF reader not available (%s: %s); "
			"falling back to pidfd_getfd\n", what, strerror(ld.err));
	errno = ld.err;
	return -1;
}

/* An iterator of link, walking the namespace netns (-1: ours). */
static int iter_in(int link_fd, int netns)
{
	struct stat a, b;
	int self, fd, saved;

	if (netns < 0)
		return bpf_iter_create(link_fd);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	if (fstat(self, &a) == 0 && fstat(netns, &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
		close(self);
		return bpf_iter_create(link_fd);
	}
	if (setns(netns, CLONE_NEWNET) < 0) {
		saved = errno;
		close(self);
		errno = saved;
		return -1;
	}
	fd = bpf_iter_create(link_fd);
	saved = errno;
	/* Back home: everything socklab opens after this is in its own
	 * namespace again.  We just left it with the same rights, so this
	 * cannot fail short of the kernel's memory; if it does, stopping is
	 * the only honest answer (a bind would land in the lab's netns). */
	if (setns(self, CLONE_NEWNET) < 0) {
		perror("socklab: setns back to our network namespace");
		abort();
	}
	close(self);
	errno = saved;
	return fd;
}

static int append(int fd, struct sockflags_rec **v, size_t *n, size_t *cap)
{
	for (;;) {
		ssize_t got;

		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 256;
			struct sockflags_rec *nv = realloc(*v, c * sizeof **v);

			if (!nv)
				return -1;
			*v = nv;
			*cap = c;
		}
		/* whole records only: the kernel never splits one */
		got = read(fd, *v + *n, (*cap - *n) * sizeof **v);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		if (got % (ssize_t)sizeof **v) {
			errno = EBADMSG;
			return -1;
		}
		*n += (size_t)got / sizeof **v;
	}
}

static int by_cookie(const void *a, const void *b)
{
	unsigned long long x = ((const struct sockflags_rec *)a)->cookie;
	unsigned long long y = ((const struct sockflags_rec *)b)->cookie;

	return x < y ? -1 : x > y;
}

int inspect_bpf_read(int netns, struct sockflags_rec **out, size_t *n)
{
	struct sockflags_rec *v = NULL;
	size_t len = 0, cap = 0;
	int saved;

	*out = NULL;
	*n = 0;
	if (!inspect_bpf_usable()) {
		errno = ld.state < 0 ? ld.err : EPERM;
		return -1;
	}
	if (load() < 0)
		return -1;
	for (size_t i = 0; i < NPROGS; i++) {
		int fd = iter_in(bpf_link__fd(ld.link[i]), netns);

		if (fd < 0)
			goto fail;
		if (append(fd, &v, &len, &cap) < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			goto fail;
		}
		close(fd);
	}
	if (len)
		qsort(v, len, sizeof *v, by_cookie);
	*out = v;
	*n = len;
	return 0;
fail:
	saved = errno;
	free(v);
	errno = saved;
	return -1;
}

const struct sockflags_rec *inspect_bpf_find(const struct sockflags_rec *v, size_t n,
					     unsigned long long cookie)
{
	struct sockflags_rec key = { .cookie = cookie };

	if (!v || !n)
		return NULL;
	return bsearch(&key, v, n, sizeof *v, by_cookie);
}
