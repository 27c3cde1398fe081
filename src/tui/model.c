/* model.c — the dashboard's state, fed by lab events and socket tables. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "runner/registry.h"
#include "lab/runtime.h"
#include "model.h"

const char *model_line(const struct model *m, long i, int *len)
{
	const char *p = m->source;

	if (p == NULL || i < 1)
		return NULL;
	for (long n = 1; n < i; n++) {
		p = strchr(p, '\n');
		if (p == NULL || p[1] == '\0')
			return NULL;
		p++;
	}
	if (*p == '\0')
		return NULL;
	*len = strchr(p, '\n') ? (int)(strchr(p, '\n') - p) : (int)strlen(p);
	return p;
}

/* ---- predict mode's source ------------------------------------------ */

/* Lexer state at the end of a line: in a block comment or not (strings
 * and line comments end with their line in the labs). */
static int block_after(const char *p, int len, int in_block)
{
	for (int k = 0; k < len; k++) {
		if (in_block) {
			if (p[k] == '*' && k + 1 < len && p[k + 1] == '/')
				in_block = 0, k++;
		} else if (p[k] == '"' || p[k] == '\'') {
			char q = p[k];

			for (k++; k < len && p[k] != q; k++)
				if (p[k] == '\\')
					k++;
		} else if (p[k] == '/' && k + 1 < len && p[k + 1] == '/') {
			break;
		} else if (p[k] == '/' && k + 1 < len && p[k + 1] == '*') {
			in_block = 1, k++;
		}
	}
	return in_block;
}

/* Append s to out[*n..cap). */
static void put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	if (*n + len >= cap)
		len = *n + 1 < cap ? cap - *n - 1 : 0;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
}

/* The step (index) whose lines line i is among: the last STEP at or
 * before it; -1 before the first. */
static int step_of_line(const struct model *m, long i)
{
	int k = -1;

	for (int s = 0; s < m->nsteps; s++)
		if (m->steps[s].line <= i)
			k = s;
	return k;
}

/* Is line i part of an ASK( statement (the question stays)? */
static int in_ask(const struct model *m, long i)
{
	for (long j = i; j > 0 && j > i - 4; j--) {
		int len;
		const char *p = model_line(m, j, &len);

		if (p == NULL)
			return 0;
		if (j < i && memmem(p, (size_t)len, ");", 2))
			return 0;	/* a statement ended between */
		if (memmem(p, (size_t)len, "ASK(", 4))
			return 1;
	}
	return 0;
}

int model_masked_line(const struct model *m, long i, char *out, size_t cap)
{
	int len, in_block = 0, k, step;
	const char *p = model_line(m, i, &len);
	size_t n = 0;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	if (p == NULL)
		return 0;
	step = step_of_line(m, i);
	if (step < 0 || (m->steps[step].state != MODEL_STEP_PENDING &&
			 m->steps[step].state != MODEL_STEP_WAITING) || in_ask(m, i)) {
		put(out, cap, &n, p, (size_t)len);
		return 0;
	}
	/* the comment state at the line's start: one walk over the lines
	 * before it (model_line() would walk from the top for each) */
	for (const char *q = m->source; q < p;) {
		const char *nl = strchr(q, '\n');
		int l = nl ? (int)(nl - q) : (int)strlen(q);

		in_block = block_after(q, l, in_block);
		q += l + (nl != NULL);
	}
	for (k = 0; k < len; k++) {
		if (in_block) {
			size_t from = (size_t)k;

			while (k < len && !(p[k] == '*' && k + 1 < len && p[k + 1] == '/'))
				k++;
			put(out, cap, &n, p + from, 0);
			put(out, cap, &n, "…", strlen("…"));
			if (k < len) {
				put(out, cap, &n, "*/", 2);
				k++;
				in_block = 0;
			}
		} else if (p[k] == '"') {
			for (k++; k < len && p[k] != '"'; k++)
				if (p[k] == '\\')
					k++;
			put(out, cap, &n, "\"…\"", strlen("\"…\""));
		} else if (p[k] == '/' && k + 1 < len && p[k + 1] == '/') {
			put(out, cap, &n, "// …", strlen("// …"));
			break;
		} else if (p[k] == '/' && k + 1 < len && p[k + 1] == '*') {
			put(out, cap, &n, "/* ", 3);
			in_block = 1, k++;
		} else if (len - k > 11 && memcmp(p + k, "EXPECT_ERR(", 11) == 0) {
			/* the errno the lab expects is the answer to the step */
			put(out, cap, &n, "EXPECT_ERR(?", 12);
			for (k += 11; k < len && p[k] != ','; k++)
				;
			k--;
		} else {
			put(out, cap, &n, p + k, 1);
		}
	}
	return 1;
}

/* The first string literal at or after p (a STEP's title, maybe on the
 * next line), without its escapes. */
static void first_literal(char *out, size_t len, const char *p)
{
	size_t n = 0;

	p = strchr(p, '"');
	if (p == NULL) {
		snprintf(out, len, "(step)");
		return;
	}
	for (p++; *p && *p != '"' && n + 1 < len; p++) {
		if (*p == '\\' && p[1])
			p++;
		out[n++] = *p;
	}
	out[n] = '\0';
}

/* The arguments of a STEP( call at p: where each starts, up to max, past
 * its title and why (they are the first two); returns how many.  Commas
 * inside strings and parentheses do not count. */
static int step_args(const char *p, const char **arg, int max)
{
	int depth = 0, k = 0, n = 0;

	for (p = strchr(p, '('); p && *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p == '\0')
				break;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			break;
		} else if (*p == ',' && depth == 1 && ++k >= 2 && n < max) {
			arg[n++] = p + 1;
		}
	}
	return n;
}

/* One argument as the read-ahead can know it: LAB_PORT, LAB_PORT + N or
 * a number; else it is shown as written. */
static void arg_value(char *out, size_t len, const char *a, long port)
{
	const char *e;
	char *end;
	long v;
	int depth = 0;

	a += strspn(a, " \t\n");
	if (strncmp(a, "LAB_PORT", 8) == 0) {
		const char *q = a + 8 + strspn(a + 8, " \t\n");

		v = strtol(q + (*q == '+'), &end, 10);
		if (*q == ',' || *q == ')') {
			snprintf(out, len, "%ld", port);
			return;
		}
		if (*q == '+' && end != q + 1 && strchr(",) \t\n", *end)) {
			snprintf(out, len, "%ld", port + v);
			return;
		}
	} else if ((v = strtol(a, &end, 10)), end != a && strchr(",) \t\n", *end)) {
		snprintf(out, len, "%ld", v);
		return;
	}
	for (e = a; *e && !(depth == 0 && (*e == ',' || *e == ')')); e++)
		depth += (*e == '(') - (*e == ')');
	snprintf(out, len, "%.*s", (int)(e - a), a);
}

/* A STEP's title as the read-ahead can know it (STEP is printf-style,
 * lab.h: "binds 127.0.0.1:%d", ..., LAB_PORT): each conversion filled
 * from the arguments after the why, the lab's first port being port, in
 * the reader's language as the lab's events will be (runner/labtext.h).
 * The lab's own step event brings the real title when the step runs. */
static void step_title(char *out, size_t len, const char *p, long port)
{
	char fmt[sizeof ((struct model_step *)0)->title], val[8][32];
	const char *arg[8], *vals[8];
	int nargs = step_args(p, arg, 8), nconv;

	first_literal(fmt, sizeof fmt, p);
	nconv = i18n_nargs(fmt);
	for (int k = 0; k < nconv && k < 8; k++) {
		if (k < nargs)
			arg_value(val[k], sizeof val[k], arg[k], port);
		else
			snprintf(val[k], sizeof val[k], "?");
		vals[k] = val[k];
	}
	if (nconv < 0 || nconv > 8 ||
	    (i18n_fill(out, len, i18n_tr(fmt), vals, nconv) < 0 &&
	     i18n_fill(out, len, fmt, vals, nconv) < 0))
		snprintf(out, len, "%s", fmt);
}

/* A Python lab's step(f"binds 127.0.0.1:{LAB_PORT}", ...) title as the
 * read-ahead can know it: {LAB_PORT} and {LAB_PORT + N} filled in, any
 * other {...} shown as written. */
static void py_step_title(char *out, size_t len, const char *p, long port)
{
	char fmt[sizeof ((struct model_step *)0)->title], val[32];
	size_t n = 0;

	first_literal(fmt, sizeof fmt, p);
	for (const char *f = fmt; *f && n + 1 < len; f++) {
		const char *close = *f == '{' ? strchr(f, '}') : NULL;

		if (!close) {
			out[n++] = *f;
			continue;
		}
		{
			long plus = 0;
			int used = 0;

			if (sscanf(f, "{LAB_PORT}%n", &used) == 0 && used)
				snprintf(val, sizeof val, "%ld", port);
			else if (sscanf(f, "{LAB_PORT + %ld}%n", &plus, &used) == 1 && used)
				snprintf(val, sizeof val, "%ld", port + plus);
			else	/* not the lab's port: as written */
				snprintf(val, sizeof val, "%.*s",
					 (int)(close - f + 1 < 31 ? close - f + 1 : 31), f);
		}
		n += (size_t)snprintf(out + n, len - n, "%s", val);
		if (n >= len)
			n = len - 1;
		f = close;
	}
	out[n] = '\0';
}

/* The title of the step whose line starts at p: a C lab's STEP( or a
 * Python lab's step( (printf-style as STEP's, or an f-string). */
static void read_ahead_title(char *out, size_t len, const char *p, long port)
{
	const char *q = strchr(p, '"');

	if (*p != 'S' && q && q > p && q[-1] == 'f')
		py_step_title(out, len, p, port);
	else
		step_title(out, len, p, port);
}

/* Read the steps ahead from the source: lines whose code starts with
 * STEP( (a Python lab's: step().  ROLE blocks run in source order, so this is the run's order
 * too; the lab's own STEP events correct it where it is not (a loop). */
static void scan_steps(struct model *m)
{
	const char *p;
	int len;

	for (long i = 1; (p = model_line(m, i, &len)) != NULL; i++) {
		const char *q = p;

		m->nlines = i;
		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		if (p + len - q < 5 || m->nsteps == MODEL_MAX_STEPS ||
		    (strncmp(q, "STEP(", 5) != 0 && strncmp(q, "step(", 5) != 0))
			continue;
		m->steps[m->nsteps].line = i;
		read_ahead_title(m->steps[m->nsteps].title, sizeof m->steps[0].title, q,
				 m->lab_ev.port ? m->lab_ev.port : LAB_DEFAULT_PORT_BASE);
		m->nsteps++;
	}
}

/* The tree's rows, from the registry and the open lab's steps: again
 * whenever either can have changed (a lab opened, a STEP event). */
static void build_rows(struct model *m)
{
	int listed = 0;

	m->nrows = 0;
	for (size_t l = 0; l < registry_count() + 1 && m->nrows < MODEL_MAX_ROWS; l++) {
		const struct lab_info *lab = l < registry_count() ? registry_at(l) : m->lab;

		/* after the linked labs: the open one if it is not among them */
		if (lab == NULL || (l == registry_count() && listed))
			break;
		m->rows[m->nrows++] = (struct model_row){ .lab = lab, .step = -1 };
		if (lab != m->lab)
			continue;
		listed = 1;
		for (int k = 0; k < m->nsteps && m->nrows < MODEL_MAX_ROWS; k++)
			m->rows[m->nrows++] = (struct model_row){ .lab = lab, .step = k };
	}
}

const struct model_row *model_row(const struct model *m, int i)
{
	return i >= 0 && i < m->nrows ? &m->rows[i] : NULL;
}

int model_row_of(const struct model *m, const struct lab_info *lab, int step)
{
	for (int i = 0; i < m->nrows; i++)
		if (m->rows[i].lab == lab && m->rows[i].step == step)
			return i;
	return -1;
}

void model_free(struct model *m)
{
	inspect_free(&m->snap);
	inspect_free(&m->prev);
	inspect_free(&m->gone);
	inspect_free(&m->host);
}

void model_open(struct model *m, const struct lab_info *lab, const char *source)
{
	struct inspect_snap host = m->host;
	long host_ms = m->host_ms;

	inspect_free(&m->snap);
	inspect_free(&m->prev);
	inspect_free(&m->gone);
	memset(m, 0, sizeof *m);
	m->host = host;		/* the host view outlives a lab */
	m->host_ms = host_ms;
	m->lab = lab;
	m->source = source;
	m->last = -1;
	m->waiting = -1;
	if (source)
		scan_steps(m);
	build_rows(m);
}

void model_wire_add(struct model *m, const struct wire_pkt *p)
{
	if (m->nwire == MODEL_MAX_WIRE) {
		memmove(&m->wire[0], &m->wire[1], sizeof m->wire[0] * (MODEL_MAX_WIRE - 1));
		m->nwire--;
	}
	m->wire[m->nwire].step = m->last + 1;
	m->wire[m->nwire++].p = *p;
	m->wire_total++;
}

const char *model_role_of(const struct model *m, long pid)
{
	for (int i = 0; i < m->nroles; i++)
		if (m->roles[i].pid == pid)
			return m->roles[i].name;
	return NULL;
}

int model_role_index(const struct model *m, const char *name)
{
	for (int i = 0; i < m->nroles; i++)
		if (strcmp(m->roles[i].name, name) == 0)
			return i;
	return -1;
}

static void add_role(struct model *m, const char *name, long pid)
{
	if (m->nroles == MODEL_MAX_ROLES || model_role_of(m, pid))
		return;
	snprintf(m->roles[m->nroles].name, sizeof m->roles[0].name, "%s", name);
	m->roles[m->nroles].pid = pid;
	m->nroles++;
}

/* recv(client, buf, ...) and friends: a delivery (or its absence). */
/* The variable a call's result went into, from its source line: `int
 * first = EXPECT_OK(...` or `server = EXPECT_OK(...`; "" if none. */
static void var_of_line(const struct model *m, long line, char *out, size_t len)
{
	int n;
	const char *p = model_line(m, line, &n), *call, *end;

	out[0] = '\0';
	if (p == NULL || (call = memmem(p, (size_t)n, "EXPECT_OK(", 10)) == NULL)
		return;
	while (call > p && (call[-1] == ' ' || call[-1] == '\t'))
		call--;
	if (call == p || call[-1] != '=')
		return;
	call--;
	while (call > p && (call[-1] == ' ' || call[-1] == '\t'))
		call--;
	end = call;
	while (call > p && (isalnum((unsigned char)call[-1]) || call[-1] == '_'))
		call--;
	if (end > call && !isdigit((unsigned char)*call))
		snprintf(out, len, "%.*s", (int)(end - call), call);
}

/* A socket() or accept() that gave a descriptor: name it by its variable
 * (a descriptor number reused later takes the new name) */
static void maybe_name(struct model *m, const struct proto_event *ev)
{
	static const char *const calls[] = { "socket(", "accept(", "accept4(", NULL };
	struct model_name *nm = NULL;
	char var[32];

	const char *call = ev->expr;

	if (ev->ret < 0)
		return;
	var[0] = '\0';
	/* the playground's expr names its variable: "s = socket(udp)" */
	if (isalpha((unsigned char)*call) && strstr(call, " = ")) {
		size_t n = strspn(call, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

		if (n < sizeof var && strncmp(call + n, " = ", 3) == 0) {
			snprintf(var, sizeof var, "%.*s", (int)n, call);
			call += n + 3;
		}
	}
	for (int i = 0; calls[i]; i++)
		if (strncmp(call, calls[i], strlen(calls[i])) == 0)
			goto made;
	return;
made:
	if (!var[0])
		var_of_line(m, ev->line, var, sizeof var);
	if (!var[0])
		return;
	for (int i = 0; i < m->nnames && !nm; i++)
		if (m->names[i].pid == ev->pid && m->names[i].fd == ev->ret)
			nm = &m->names[i];
	if (!nm && m->nnames < MODEL_MAX_NAMES)
		nm = &m->names[m->nnames++];
	if (!nm)
		return;
	nm->pid = ev->pid;
	nm->fd = ev->ret;
	snprintf(nm->name, sizeof nm->name, "%s", var);
}

const char *model_name_of(const struct model *m, long pid, long fd)
{
	for (int i = 0; i < m->nnames; i++)
		if (m->names[i].pid == pid && m->names[i].fd == fd)
			return m->names[i].name;
	return NULL;
}

static void maybe_delivery(struct model *m, const struct proto_event *ev)
{
	static const char *const calls[] = { "recvfrom", "recvmsg", "recv", "read", NULL };
	struct model_delivery *d;
	const char *arg, *end;
	size_t n;

	for (int i = 0; calls[i]; i++) {
		n = strlen(calls[i]);
		if (strncmp(ev->expr, calls[i], n) != 0 || ev->expr[n] != '(')
			continue;
		if (m->ndeliveries == MODEL_MAX_DELIVERIES) {
			memmove(m->deliveries, m->deliveries + 1,
				sizeof m->deliveries[0] * (MODEL_MAX_DELIVERIES - 1));
			m->ndeliveries--;
		}
		d = &m->deliveries[m->ndeliveries++];
		memset(d, 0, sizeof *d);
		d->step = m->run.step.step;
		snprintf(d->role, sizeof d->role, "%s", ev->role[0] ? ev->role : "main");
		snprintf(d->call, sizeof d->call, "%s", calls[i]);
		arg = ev->expr + n + 1;
		end = arg + strcspn(arg, ",)");
		snprintf(d->sock, sizeof d->sock, "%.*s", (int)(end - arg), arg);
		d->ret = ev->ret;
		d->err = ev->err;
		snprintf(d->data, sizeof d->data, "%s", ev->data);
		snprintf(d->from, sizeof d->from, "%s", ev->from);
		m->delivered_total++;
		return;
	}
}

/* Which step event k is: the read-ahead one if it is at the same line,
 * else the read-ahead was wrong from here on (a loop): take the event's. */
static int step_index(struct model *m, const struct proto_event *ev)
{
	int k = (int)ev->step - 1;

	if (k < 0 || k >= MODEL_MAX_STEPS)
		return -1;
	if (k >= m->nsteps || m->steps[k].line != ev->line) {
		m->steps[k].line = ev->line;
		m->nsteps = k + 1;
	}
	snprintf(m->steps[k].title, sizeof m->steps[0].title, "%.127s", ev->title);
	return k;
}

/* The step the lab waited at begins to run: its outcomes start afresh. */
static void begin_step(struct model *m)
{
	if (!m->fresh)
		return;
	memset(&m->run, 0, sizeof m->run);
	m->run.step = m->pending;
	m->fresh = 0;
}

/* The step that ran ends: its verdict. */
static void close_step(struct model *m)
{
	int bad = 0;

	if (m->waiting < 0)
		return;
	begin_step(m);		/* a step that reported nothing */
	for (int i = 0; i < m->run.noutcomes; i++) {
		const struct proto_event *o = &m->run.outcomes[i];

		if (o->kind == PROTO_ERROR || ((o->kind == PROTO_CALL || o->kind == PROTO_CHECK) && !o->ok))
			bad = 1;
	}
	m->steps[m->waiting].state = bad ? MODEL_STEP_FAILED : MODEL_STEP_OK;
	m->last = m->waiting;
	m->waiting = -1;
}

void model_side_event(struct model *m, const struct proto_event *ev)
{
	switch (ev->kind) {
	case PROTO_ROLE:
		add_role(m, ev->name, ev->pid);
		break;
	case PROTO_STEP:
		memset(&m->side, 0, sizeof m->side);
		m->side.step = *ev;
		m->has_side = 1;
		break;
	default:
		if (!proto_is_outcome(ev->kind))
			break;
		steps_add(&m->side, ev);
		if (ev->kind == PROTO_CALL) {
			maybe_delivery(m, ev);
			maybe_name(m, ev);
		}
		break;
	}
}

void model_close_step(struct model *m)
{
	close_step(m);
}

void model_event(struct model *m, const struct proto_event *ev)
{
	int k;

	switch (ev->kind) {
	case PROTO_LAB:
		m->lab_ev = *ev;
		m->running = 1;
		/* the read-ahead titles, with this run's ports (no step ran yet) */
		for (k = 0; k < m->nsteps; k++) {
			const char *p = model_line(m, m->steps[k].line, &(int){ 0 });

			if (p)
				read_ahead_title(m->steps[k].title, sizeof m->steps[0].title,
						 p + strspn(p, " \t"), ev->port);
		}
		add_role(m, "main", ev->pid);
		break;
	case PROTO_ROLE:
		add_role(m, ev->name, ev->pid);
		break;
	case PROTO_STEP:
		close_step(m);
		m->has_side = 0;	/* the lab moves on: its own story again */
		/* the outcomes shown stay the last step's until this one runs */
		m->pending = *ev;
		m->fresh = 1;
		if ((k = step_index(m, ev)) < 0)
			break;	/* past the list: runs, but is not listed */
		m->waiting = k;
		m->steps[k].state = MODEL_STEP_WAITING;
		build_rows(m);	/* the event may have corrected the steps */
		break;
	case PROTO_END:
		close_step(m);
		m->end = *ev;
		m->ended = 1;
		break;
	default:
		if (!proto_is_outcome(ev->kind))
			break;
		begin_step(m);
		steps_add(&m->run, ev);
		if (ev->kind == PROTO_CALL) {
			maybe_delivery(m, ev);
			maybe_name(m, ev);
		}
		break;
	}
}

int model_highlight(const struct model *m, long *from, long *to)
{
	/* the step whose outcomes are shown: run to its end, or stopped in it */
	if (m->source == NULL || m->run.last_line <= 0)
		return 0;
	*from = m->run.step.step > 0 ? m->run.step.line : m->run.last_line;
	*to = steps_statement_end(m->source, m->run.last_line) - 1;
	if (*to < *from)
		*to = *from;
	return 1;
}

void model_stop(struct model *m, const char *why)
{
	snprintf(m->error, sizeof m->error, "%s", why);
	m->running = 0;
	/* a step that began to run and never finished failed */
	if (m->waiting >= 0 && !m->fresh) {
		m->steps[m->waiting].state = MODEL_STEP_FAILED;
		m->last = m->waiting;
		m->waiting = -1;
	}
}

static void take(struct inspect_snap *dst, struct inspect_snap *src)
{
	inspect_free(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

void model_step_table(struct model *m, struct inspect_snap *snap)
{
	if (inspect_diff(&m->snap, snap, &m->gone) < 0)
		m->gone.n = 0;
	take(&m->prev, &m->snap);
	take(&m->snap, snap);
}

void model_refresh_table(struct model *m, struct inspect_snap *snap)
{
	struct inspect_snap gone = { 0 };

	/* marks against the table before the last step, as that step left them */
	if (inspect_diff(&m->prev, snap, &gone) == 0)
		take(&m->gone, &gone);
	inspect_free(&gone);
	take(&m->snap, snap);
}
