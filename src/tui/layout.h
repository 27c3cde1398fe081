/* layout.h — where the dashboard's panes go, decided from the terminal's
 * size and from what the panes hold: the socket table takes the rows its
 * sockets need (and one to spare), the step list the columns its titles
 * need (up to a fair share), the source the rest.  Plain arithmetic: no
 * curses here, so the rules are unit-tested (tests/unit/test_layout.c).
 *
 *   row 0        header
 *   rows 1..     tree   │ source
 *                ───────┤
 *                log    │ narration
 *                ───────┴──────────
 *                table
 *   last row     footer                                                 */
#ifndef SOCKLAB_LAYOUT_H
#define SOCKLAB_LAYOUT_H

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_LINES 24

struct layout_rect {
	int y, x, h, w;
};

/* What the content asks for. */
struct layout_want {
	int table_rows;		/* socket rows to hold (the most the lab has had) */
	int tree_cols;		/* columns of the widest row of the step list */
};

struct layout {
	struct layout_rect tree, log, source, narration, table;
};

/* The panes for a height x width terminal (at least LAYOUT_MIN_*): each pane
 * is a frame, so its content is 2 rows and 2 columns smaller (the table's
 * first row inside is its column heads).
 *   table: table_rows + 1 spare (3 at least) inside; at most 2/5 of the
 *          rows between header and footer, never under 8 rows in all;
 *   tree:  tree_cols + 2, from 26 columns (30 from 100, 34 from 120) up to
 *          2/5 of the width while the source keeps 84 columns;
 *   source and narration split the rest of the right side: the narration
 *          half, 16 rows at most, the source the remainder. */
void layout_compute(struct layout *out, int height, int width, const struct layout_want *want);

#endif
