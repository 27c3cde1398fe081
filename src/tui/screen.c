/* screen.c — the dashboard's terminal: curses on and off, the layout of
 * the panes (one panel each, the help overlay on top), header and footer.
 *
 *   ┌ header: the lab, the step, where it runs ───────────────────────┐
 *   │ labs · steps       │ source, the step just run highlighted      │
 *   │                    ├────────────────────────────────────────────┤
 *   ├────────────────────┤ what happened: outcomes, errno, Windows    │
 *   │ deliveries         │                                            │
 *   ├────────────────────┴────────────────────────────────────────────┤
 *   │ the sandbox's sockets, rows the step changed highlighted        │
 *   └ footer: keys, the filter prompt, messages ──────────────────────┘
 */
#include <locale.h>
#include <panel.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <term.h>

#include "i18n.h"
#include "keys.h"
#include "layout.h"
#include "panes.h"
#include "render/glyphs.h"
#include "screen.h"
#include "termguard.h"

enum { WIN_HEADER = SCREEN_NPANES, WIN_FOOTER, WIN_HELP, WIN_EXPLAIN, WIN_SMALL, WIN_N };

#if defined(__SANITIZE_ADDRESS__)
/* LeakSanitizer: the panel library keeps one panel for stdscr per screen
 * and never frees it, and a failed newterm() leaves libtinfo's "prescreen"
 * behind (ncurses 6.4): the library's, not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libpanelw\nleak:libpanel\nleak:libtinfo\n";
}

/* and no "Suppressions used" report: stderr keeps its one line */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

#define HELP_MAX 32

static SCREEN *term;
/* the key table, and the help overlay's lines written from it */
static const struct keys_binding *keys;
static char help[HELP_MAX][KEYS_HELP_COLS];
static const char *help_lines[HELP_MAX + 1];

void screen_keys(const struct keys_binding *table)
{
	int n = keys_help(table, help, HELP_MAX);

	keys = table;
	for (int i = 0; i < n; i++)
		help_lines[i] = help[i];
	help_lines[n] = NULL;
}

static WINDOW *win[WIN_N];
static PANEL *panel[WIN_N];

/* The layout placed now (layout.h), and what it was computed for: the
 * panes are made again only when one of these changes. */
static struct {
	int valid, height, width, zoom;
	enum screen_pane focus;
	struct layout l;
} placed;

static void unplace(int i)
{
	if (panel[i])
		del_panel(panel[i]);
	if (win[i])
		delwin(win[i]);
	panel[i] = NULL;
	win[i] = NULL;
}

/* For a crash: the terminal modes and the escape sequences that undo ours,
 * saved at start, so the handler needs only write() and tcsetattr(). */
static struct termios saved_tty;
static char reset_seq[256];
static size_t reset_len;

static void fatal_signal(int sig)
{
	/* async-signal-safe only: no curses, no malloc, no stdio */
	if (reset_len && write(STDOUT_FILENO, reset_seq, reset_len) < 0)
		reset_len = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	raise(sig);		/* SA_RESETHAND: now the default action */
}

static void add_reset(const char *capname)
{
	const char *cap = tigetstr(capname);
	size_t n;

	if (cap == NULL || cap == (char *)-1)
		return;
	n = strlen(cap);
	if (reset_len + n < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, cap, n);
		reset_len += n;
	}
}

int screen_start(char *why, size_t len)
{
	const char *nc = getenv("NO_COLOR");
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	const char *cup;
	int terr, can_move;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, len, _("the dashboard needs a terminal (try 'socklab run N' or 'socklab list')"));
		return -1;
	}
	if (getenv("TERM") == NULL || *getenv("TERM") == '\0') {
		snprintf(why, len, _("TERM is not set: cannot drive this terminal (try TERM=xterm-256color)"));
		return -1;
	}
	/* a terminal that cannot move its cursor (dumb, emacs's shell) would
	 * show a blank screen: ask terminfo first, and say so */
	if (setupterm(NULL, STDOUT_FILENO, &terr) != OK) {
		snprintf(why, len, _("unknown terminal type '%s' (try TERM=xterm-256color)"), getenv("TERM"));
		return -1;
	}
	cup = tigetstr("cup");
	can_move = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	if (!can_move) {
		snprintf(why, len, _("terminal type '%s' cannot move the cursor (try TERM=xterm-256color)"),
			 getenv("TERM"));
		return -1;
	}
	/* ncursesw draws by the locale's character set; which glyphs we
	 * draw, glyphs.h decided from the same LC_CTYPE in main().  Only
	 * LC_CTYPE: numbers ("%.1f") print the same in every locale */
	setlocale(LC_CTYPE, "");
	glyphs_init();
	tcgetattr(STDIN_FILENO, &saved_tty);
	term = newterm(NULL, stdout, stdin);
	if (term == NULL) {
		snprintf(why, len, _("unknown terminal type '%s' (try TERM=xterm-256color)"), getenv("TERM"));
		return -1;
	}
	add_reset("sgr0");
	add_reset("cnorm");
	add_reset("rmcup");
	/* mouse reporting off (xterm), whatever the terminfo says */
	if (reset_len + 16 < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, "\033[?1000l", 8);
		reset_len += 8;
	}
	/* and for SIGKILL, which no handler sees: a watcher (termguard.h) */
	termguard_start(&saved_tty, reset_seq, reset_len);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	panes_style.color = has_colors() && (nc == NULL || *nc == '\0');
	cbreak();		/* ^C stays a signal: socklab cleans up and exits */
	noecho();
	nonl();
	curs_set(0);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/* a click, and the wheel (buttons 4 and 5 in curses' words) */
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	if (panes_style.color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_FAIL, COLOR_RED, -1);
		init_pair(PAIR_HIGHLIGHT, COLOR_BLACK, COLOR_YELLOW);
		{
			static const short roles[PANES_ROLE_COLOURS] = {
				COLOR_CYAN, COLOR_MAGENTA, COLOR_YELLOW, COLOR_GREEN, COLOR_BLUE, COLOR_RED,
			};

			for (int i = 0; i < PANES_ROLE_COLOURS; i++)
				init_pair((short)(PAIR_ROLE0 + i), roles[i], -1);
		}
	}
	refresh();
	screen_layout();	/* the panes are placed at the first draw */
	return 0;
}

void screen_end(void)
{
	if (term == NULL)
		return;
	for (int i = 0; i < WIN_N; i++)
		unplace(i);
	placed.valid = 0;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	delscreen(term);
	term = NULL;
	termguard_stop();
}

int screen_too_small(void)
{
	return COLS < SCREEN_MIN_COLS || LINES < SCREEN_MIN_LINES;
}

static void place(int i, int h, int w, int y, int x)
{
	unplace(i);
	win[i] = newwin(h > 0 ? h : 1, w > 0 ? w : 1, y, x);
	panel[i] = new_panel(win[i]);
}

/* The most socket rows the open lab has had: the table keeps that size
 * through the lab's steps (and its restarts), so panes do not jump. */
static struct {
	const struct lab_info *lab;
	int rows;
} most;

void screen_layout(void)
{
	placed.valid = 0;
	if (screen_too_small()) {
		/* only the message: no pane is made at a size it cannot have */
		for (int i = 0; i < WIN_N; i++)
			unplace(i);
		place(WIN_SMALL, LINES, COLS, 0, 0);
	}
}

static void place_rect(int i, const struct layout_rect *r)
{
	place(i, r->h, r->w, r->y, r->x);
}

/* Lay the panes out for the model and the view, if anything changed. */
static void fit(const struct model *m, const struct screen_view *v)
{
	struct layout_want want = { 0, panes_tree_cols(m) };
	struct layout l;
	int help_w, help_h;

	if (most.lab != m->lab) {
		most.lab = m->lab;
		most.rows = 0;
	}
	if ((int)(m->snap.n + m->gone.n) > most.rows)
		most.rows = (int)(m->snap.n + m->gone.n);
	want.table_rows = v->host ? (int)m->host.n : most.rows;
	layout_compute(&l, LINES, COLS, &want);
	if (placed.valid && placed.height == LINES && placed.width == COLS &&
	    placed.zoom == v->zoom && (!v->zoom || placed.focus == v->focus) &&
	    memcmp(&placed.l, &l, sizeof l) == 0)
		return;
	placed.valid = 1;
	placed.height = LINES;
	placed.width = COLS;
	placed.zoom = v->zoom;
	placed.focus = v->focus;
	placed.l = l;
	help_h = panes_help_size(help_lines, &help_w);
	place(WIN_HEADER, 1, COLS, 0, 0);
	place_rect(SCREEN_TREE, &l.tree);
	place_rect(SCREEN_LOG, &l.log);
	place_rect(SCREEN_SOURCE, &l.source);
	place_rect(SCREEN_NARRATION, &l.narration);
	place_rect(SCREEN_TABLE, &l.table);
	if (v->zoom) {
		/* z: the focused pane over the others, the whole screen
		 * between header and footer */
		place(v->focus, LINES - 2, COLS, 1, 0);
		for (int i = 0; i < SCREEN_NPANES; i++)
			if (i != (int)v->focus)
				hide_panel(panel[i]);
	}
	place(WIN_FOOTER, 1, COLS, LINES - 1, 0);
	place(WIN_HELP, help_h, help_w, (LINES - help_h) / 2, (COLS - help_w) / 2);
	place(WIN_EXPLAIN, LINES - 2, COLS < 84 ? COLS : 84, 1, COLS < 84 ? 0 : (COLS - 84) / 2);
	place(WIN_SMALL, LINES, COLS, 0, 0);
	hide_panel(panel[WIN_HELP]);
	hide_panel(panel[WIN_EXPLAIN]);
	hide_panel(panel[WIN_SMALL]);
}

int screen_pane_height(enum screen_pane p)
{
	/* the table's first row is its header */
	return win[p] ? getmaxy(win[p]) - (p == SCREEN_TABLE ? 3 : 2) : 1;
}

int screen_pane_at(const struct screen_view *v, int y, int x)
{
	for (int i = 0; i < SCREEN_NPANES; i++)
		if (win[i] && (!v->zoom || i == (int)v->focus) && wenclose(win[i], y, x))
			return i;
	return -1;
}

int screen_tree_hit(const struct screen_view *v, int y, int x)
{
	WINDOW *w = win[SCREEN_TREE];
	int row;

	if (w == NULL || !wenclose(w, y, x))
		return -1;
	row = y - getbegy(w) - 1;
	if (row < 0 || row >= getmaxy(w) - 2)
		return -1;
	return v->scroll[SCREEN_TREE] + row;
}

static void header(const struct model *m)
{
	WINDOW *w = win[WIN_HEADER];
	chtype attr = panes_style.color ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_REVERSE | A_BOLD;
	char left[256], right[128] = "";
	int cols = getmaxx(w);

	wbkgd(w, attr);
	werase(w);
	if (m->lab && m->lab->number == 0)	/* the playground or a trace: no lab of the list */
		snprintf(left, sizeof left, _(" socklab · %s · %s"), i18n_tr(m->lab->title),
			 strcmp(m->lab->slug, "play") == 0 ? _(": types a line") :
			 _("space: the program's next socket call"));
	else if (m->lab)
		snprintf(left, sizeof left, _(" socklab · Lab %02d %s · %s"), m->lab->number,
			 m->lab->slug, i18n_tr(m->lab->title));
	else
		snprintf(left, sizeof left, _(" socklab · pick a lab"));
	if (m->lab && m->error[0])
		snprintf(right, sizeof right, _("stopped · ? help "));
	else if (m->lab && m->ended)
		snprintf(right, sizeof right, _("finished · ? help "));
	else if (m->lab && m->last >= 0)
		snprintf(right, sizeof right, _("step %d of %d · ? help "), m->last + 1, m->nsteps);
	else
		snprintf(right, sizeof right, _("? help "));
	/* a title too long for the line loses whole words, and keeps a gap
	 * before the step count (not "clien step 9"); a title written without
	 * spaces (Chinese) loses its last characters */
	for (char *sp; panes_width(left) > cols - panes_width(right) - 2 && (sp = strrchr(left, ' ')) &&
	     sp > left;) {
		size_t n = strlen(left);

		if (panes_width(sp) == (int)strlen(sp)) {	/* a word of single columns */
			*sp = '\0';
			continue;
		}
		while (n > 0 && ((unsigned char)left[n - 1] & 0xC0) == 0x80)
			n--;		/* back to the last character's first byte */
		left[n > 0 ? n - 1 : 0] = '\0';
	}
	panes_put(w, 0, 0, cols - panes_width(right) - 1, left, attr);
	panes_put(w, 0, cols - panes_width(right), panes_width(right), right, attr);
}

static void footer(const struct model *m, const struct screen_view *v)
{
	WINDOW *w = win[WIN_FOOTER];
	int cols = getmaxx(w);
	char line[320];

	werase(w);
	if (v->prompting == 2) {
		/* the line's end in view when it is longer than the footer */
		size_t n = strlen(v->prompt), room = cols > 12 ? (size_t)cols - 12 : 1;

		snprintf(line, sizeof line, _(" play> %s_"), n > room ? v->prompt + n - room : v->prompt);
		panes_put(w, 0, 0, cols, line, A_BOLD);
	} else if (v->prompting) {
		snprintf(line, sizeof line, _(" / filter the table: %s_   (Enter applies, Esc clears)"), v->prompt);
		panes_put(w, 0, 0, cols, line, A_BOLD);
	} else if (v->status[0]) {
		panes_put(w, 0, 0, cols, v->status, A_BOLD);
	} else if (v->zoom) {
		panes_put(w, 0, 0, cols, _(" zoomed: z returns · tab zooms the next pane · ? help"), A_BOLD);
	} else if (keys) {
		keys_footer(keys, m->lab ? KEYS_IN_LAB : KEYS_IN_PICKER, line, sizeof line);
		panes_put(w, 0, 0, cols, line, A_DIM);
	}
}

void screen_draw(const struct model *m, struct screen_view *v)
{
	if (!screen_too_small())
		fit(m, v);
	if (screen_too_small() || win[SCREEN_TREE] == NULL) {
		WINDOW *w = win[WIN_SMALL];
		char msg[96];
		int len;

		if (w == NULL)
			return;

		snprintf(msg, sizeof msg, _("enlarge the terminal to %dx%d (now %dx%d)"),
			 SCREEN_MIN_COLS, SCREEN_MIN_LINES, COLS, LINES);
		len = panes_width(msg);
		werase(w);
		if (len > COLS) {	/* very narrow: the short form */
			snprintf(msg, sizeof msg, _("need %dx%d"), SCREEN_MIN_COLS, SCREEN_MIN_LINES);
			len = panes_width(msg);
		}
		panes_put(w, LINES / 2, len < COLS ? (COLS - len) / 2 : 0, COLS, msg, A_BOLD);
		len = panes_width(_("q quits"));
		if (LINES > 1)
			panes_put(w, LINES / 2 + 1, COLS > len ? (COLS - len) / 2 : 0, COLS, _("q quits"),
				  A_DIM);
		show_panel(panel[WIN_SMALL]);
		top_panel(panel[WIN_SMALL]);
		update_panels();
		doupdate();
		return;
	}
	hide_panel(panel[WIN_SMALL]);
	header(m);
	/* zoomed: only the focused pane is drawn (the others are hidden) */
	if (!v->zoom || v->focus == SCREEN_TREE)
		panes_tree(win[SCREEN_TREE], m, v);
	if (!v->zoom || v->focus == SCREEN_SOURCE)
		panes_source(win[SCREEN_SOURCE], m, v);
	if (!v->zoom || v->focus == SCREEN_NARRATION)
		panes_narration(win[SCREEN_NARRATION], m, v);
	if (!v->zoom || v->focus == SCREEN_TABLE)
		panes_table(win[SCREEN_TABLE], m, v);
	if (!v->zoom || v->focus == SCREEN_LOG)
		panes_log(win[SCREEN_LOG], m, v);
	footer(m, v);
	v->follow = 0;
	if (v->help) {
		panes_help(win[WIN_HELP], help_lines);
		show_panel(panel[WIN_HELP]);
		top_panel(panel[WIN_HELP]);
	} else {
		hide_panel(panel[WIN_HELP]);
	}
	if (v->explain) {
		panes_explain(win[WIN_EXPLAIN], v);
		show_panel(panel[WIN_EXPLAIN]);
		top_panel(panel[WIN_EXPLAIN]);
	} else {
		hide_panel(panel[WIN_EXPLAIN]);
	}
	update_panels();
	doupdate();
}
