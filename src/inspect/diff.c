/* diff.c — what changed between two snapshots: new, changed, gone rows,
 * and the reuse flags a socket without a file inherits from its own row
 * in the previous snapshot (contract in inspect.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

/* A socket's identity: the host it is on (a lab's), protocol, family,
 * both ends and inode.  A TIME_WAIT row has inode 0 and is known by its
 * host and four-tuple alone. */
static int key_cmp(const struct inspect_sock *a, const struct inspect_sock *b)
{
	int c;

	if ((c = strcmp(a->host, b->host)) != 0)
		return c;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->lport != b->lport)
		return a->lport < b->lport ? -1 : 1;
	if (a->rport != b->rport)
		return a->rport < b->rport ? -1 : 1;
	if ((c = memcmp(&a->laddr, &b->laddr, sizeof a->laddr)) != 0)
		return c;
	if ((c = memcmp(&a->raddr, &b->raddr, sizeof a->raddr)) != 0)
		return c;
	if (a->inode != b->inode)
		return a->inode < b->inode ? -1 : 1;
	return 0;
}

static int ptr_cmp(const void *pa, const void *pb)
{
	return key_cmp(*(const struct inspect_sock *const *)pa,
		       *(const struct inspect_sock *const *)pb);
}

/* What a user would call a change of the same socket. */
static int changed(const struct inspect_sock *a, const struct inspect_sock *b)
{
	return a->state != b->state || a->rqueue != b->rqueue || a->wqueue != b->wqueue ||
	       a->reuseaddr != b->reuseaddr || a->reuseport != b->reuseport ||
	       a->broadcast != b->broadcast || a->pid != b->pid;
}

/* Room for n + 1 elements of size bytes in *v (capacity *cap, doubled
 * from 16 when full): 0, or -1 with *v untouched. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t want;
	void *p;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	if ((p = realloc(*v, want * size)) == NULL)
		return -1;
	*v = p;
	*cap = want;
	return 0;
}

static int append(struct inspect_snap *s, const struct inspect_sock *row)
{
	return inspect_snap_push(s, row);
}

/* Sorted pointers to a snapshot's rows (the rows stay where they are). */
static struct inspect_sock **sorted(const struct inspect_snap *s)
{
	struct inspect_sock **p = malloc((s->n ? s->n : 1) * sizeof *p);

	if (p == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		p[i] = &s->v[i];
	qsort(p, s->n, sizeof *p, ptr_cmp);
	return p;
}

static int cookie_cmp(const void *pa, const void *pb)
{
	uint64_t x = (*(const struct inspect_sock *const *)pa)->cookie;
	uint64_t y = (*(const struct inspect_sock *const *)pb)->cookie;

	return x < y ? -1 : x > y;
}

static int same_ends(const struct inspect_sock *a, const struct inspect_sock *b)
{
	return strcmp(a->host, b->host) == 0 && a->proto == b->proto && a->family == b->family && a->lport == b->lport &&
	       a->rport == b->rport && memcmp(&a->laddr, &b->laddr, sizeof a->laddr) == 0 &&
	       memcmp(&a->raddr, &b->raddr, sizeof a->raddr) == 0;
}

/* Fill cur's unknown rows without a file from prev's row of the same
 * socket.  Returns -1 (ENOMEM) only when it could not look. */
static int inherit(const struct inspect_snap *prev, struct inspect_snap *cur)
{
	struct inspect_sock **p = NULL;
	size_t n = 0;

	for (size_t j = 0; j < cur->n; j++) {
		struct inspect_sock *s = &cur->v[j], key = { .cookie = s->cookie }, *kp = &key;
		struct inspect_sock **hit;

		if (s->inode || !s->cookie || s->reuseaddr >= 0 || s->reuseport >= 0)
			continue;
		if (!p) {	/* prev by cookie, once, when a row needs it */
			p = malloc((prev->n ? prev->n : 1) * sizeof *p);
			if (!p)
				return -1;
			for (size_t i = 0; i < prev->n; i++)
				if (prev->v[i].cookie)
					p[n++] = &prev->v[i];
			qsort(p, n, sizeof *p, cookie_cmp);
		}
		hit = bsearch(&kp, p, n, sizeof *p, cookie_cmp);
		if (!hit || !same_ends(*hit, s) || (*hit)->reuseaddr < 0 || (*hit)->reuseport < 0)
			continue;
		s->reuseaddr = (*hit)->reuseaddr;
		s->reuseport = (*hit)->reuseport;
		s->inherited = 1;
	}
	free(p);
	return 0;
}

int inspect_diff(const struct inspect_snap *prev, struct inspect_snap *cur,
		 struct inspect_snap *gone)
{
	struct inspect_sock **a = NULL, **b = NULL;
	size_t i = 0, j = 0;
	int ret = -1;

	gone->n = 0;
	if (inherit(prev, cur) < 0) {
		errno = ENOMEM;
		goto out;
	}
	a = sorted(prev);
	b = sorted(cur);
	if (a == NULL || b == NULL) {
		errno = ENOMEM;
		goto out;
	}
	/* a merge of the two sorted lists */
	while (i < prev->n || j < cur->n) {
		int c = i == prev->n ? 1 : j == cur->n ? -1 : key_cmp(a[i], b[j]);

		if (c < 0) {
			if (append(gone, a[i++]) < 0)
				goto out;
		} else if (c > 0) {
			b[j++]->mark = INSPECT_NEW;
		} else {
			b[j]->mark = changed(a[i], b[j]) ? INSPECT_CHANGED : 0;
			i++;
			j++;
		}
	}
	for (size_t k = 0; k < gone->n; k++)
		gone->v[k].mark = 0;
	ret = 0;
out:
	free(a);
	free(b);
	return ret;
}

/* ---- gone rows held for reading --------------------------------------- */

static int same_sock(const struct inspect_sock *a, const struct inspect_sock *b)
{
	if (a->cookie && b->cookie)
		return a->cookie == b->cookie;
	return key_cmp(a, b) == 0;
}

int inspect_snap_has(const struct inspect_snap *cur, const struct inspect_sock *s)
{
	for (size_t i = 0; i < cur->n; i++)
		if (same_sock(&cur->v[i], s))
			return 1;
	return 0;
}

int inspect_held_add(struct inspect_held *h, const struct inspect_sock *s)
{
	if (inspect_snap_has(&h->rows, s))
		return 0;
	if (grow((void **)&h->drawn, &h->drawn_cap, h->rows.n, sizeof *h->drawn) < 0 ||
	    append(&h->rows, s) < 0)
		return -1;
	h->rows.v[h->rows.n - 1].mark = 0;
	h->drawn[h->rows.n - 1] = 0;
	return 0;
}

void inspect_held_update(struct inspect_held *h, const struct inspect_snap *cur,
			 long long now_ms, long hold_ms)
{
	size_t keep = 0;

	for (size_t i = 0; i < h->rows.n; i++) {
		if (inspect_snap_has(cur, &h->rows.v[i]) ||
		    (h->drawn[i] && now_ms - h->drawn[i] >= hold_ms))
			continue;
		h->rows.v[keep] = h->rows.v[i];
		h->drawn[keep++] = h->drawn[i] ? h->drawn[i] : now_ms;
	}
	h->rows.n = keep;
}

void inspect_held_free(struct inspect_held *h)
{
	inspect_free(&h->rows);
	free(h->drawn);
	h->drawn = NULL;
	h->drawn_cap = 0;
}
