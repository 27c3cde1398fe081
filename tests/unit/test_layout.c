/* test_layout.c — the dashboard's panes from the terminal's size and the
 * content: they tile the screen between header and footer, the table
 * takes what its sockets need, the step list what its titles need, the
 * source the rest (issue 17: at 200x60 a 3-socket table took 20 rows and
 * the source 14, and the step list stayed 32 columns with titles cut). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tui/layout.h"

/* every cell between header and footer in exactly one pane */
static void assert_tiles(const struct layout *l, int lines, int cols)
{
	static char seen[100][300];
	const struct layout_rect *r[] = { &l->tree, &l->log, &l->source, &l->narration, &l->table };

	for (int y = 0; y < lines; y++)
		for (int x = 0; x < cols; x++)
			seen[y][x] = 0;
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		assert_true(r[i]->h >= 3 && r[i]->w >= 3);	/* a frame and a row */
		for (int y = r[i]->y; y < r[i]->y + r[i]->h; y++)
			for (int x = r[i]->x; x < r[i]->x + r[i]->w; x++) {
				assert_true(y >= 1 && y < lines - 1 && x >= 0 && x < cols);
				assert_int_equal(seen[y][x]++, 0);
			}
	}
	for (int y = 1; y < lines - 1; y++)
		for (int x = 0; x < cols; x++)
			assert_int_equal(seen[y][x], 1);
}

static void panes_tile_the_screen_at_every_size(void **state)
{
	static const int sizes[][2] = { { 24, 80 }, { 30, 100 }, { 40, 120 }, { 60, 200 }, { 99, 299 } };
	struct layout l;

	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (int rows = 0; rows < 40; rows += 3)
			for (int tc = 0; tc < 120; tc += 17) {
				struct layout_want w = { rows, tc };

				layout_compute(&l, sizes[i][0], sizes[i][1], &w);
				assert_tiles(&l, sizes[i][0], sizes[i][1]);
			}
}

static void a_three_socket_table_leaves_the_source_half_the_rest_at_200x60(void **state)
{
	struct layout_want w = { 3, 60 };	/* lab 07's titles: ~58 columns */
	struct layout l;
	int left;

	(void)state;
	layout_compute(&l, 60, 200, &w);
	assert_int_equal(l.table.h, 3 + 1 + 3);	/* 3 rows, 1 spare, heads, frame */
	left = 58 - l.table.h;
	assert_true(l.source.h - 2 >= left / 2);
	assert_int_equal(l.tree.w, 62);		/* the titles whole */
	assert_true(l.source.w - 2 >= 80);	/* and the code */
}

static void at_80x24_the_old_proportions_stay(void **state)
{
	struct layout_want w = { 12, 90 };
	struct layout l;

	(void)state;
	layout_compute(&l, 24, 80, &w);
	assert_int_equal(l.tree.w, 26);		/* no room to widen: the source needs it */
	assert_int_equal(l.table.h, 8);		/* 5 rows shown, the rest scroll */
	assert_true(l.source.h >= 5);
}

static void a_narrow_step_list_keeps_its_floor(void **state)
{
	struct layout_want w = { 0, 10 };
	struct layout l;

	(void)state;
	layout_compute(&l, 40, 120, &w);
	assert_int_equal(l.tree.w, 34);
	assert_int_equal(l.table.h, 6);		/* 3 rows at least */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(panes_tile_the_screen_at_every_size),
		cmocka_unit_test(a_three_socket_table_leaves_the_source_half_the_rest_at_200x60),
		cmocka_unit_test(at_80x24_the_old_proportions_stay),
		cmocka_unit_test(a_narrow_step_list_keeps_its_floor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
