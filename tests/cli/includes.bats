#!/usr/bin/env bats
# includes.bats — tests/lib/includes.sh holds the include rules of README's
# "Layout": it passes on the tree, and each kind of broken rule is caught.

load helpers

setup() {
	common_setup
	cp -r src "$BATS_TEST_TMPDIR/src"
	S=$BATS_TEST_TMPDIR/src
}

@test "includes: every rule holds in src/" {
	run sh tests/lib/includes.sh
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"every rule of README's Layout holds"* ]]
}

@test "includes: a folder reaching above its rule, the lab side a top-level header, a module the commands' glue: each caught" {
	printf '#include "tui/model.h"\n' >> "$S/inspect/names.c"
	printf '#include "args.h"\n' >> "$S/lab/proto.c"
	printf '#include "version.h"\n' >> "$S/inspect/diff.c"
	printf '#include "cmd.h"\n' >> "$S/exercise/check.c"
	run sh tests/lib/includes.sh "$S"
	[ "$status" -eq 1 ]
	[[ "$output" == *"inspect/names.c includes tui/model.h: inspect/ may include - only"* ]]
	[[ "$output" == *"lab/proto.c includes top-level args.h"* ]]
	[[ "$output" == *"inspect/diff.c includes top-level version.h: inspect/ includes nothing of ours"* ]]
	[[ "$output" == *"exercise/check.c includes cmd.h: only the commands"* ]]
}

@test "includes: the runner or the collectors outside tui/'s controller, the inspector in the doctor's rules, curses in render/: each caught" {
	printf '#include "runner/runner.h"\n' >> "$S/tui/panes.c"
	printf '#include "inspect/inspect.h"\n' >> "$S/doctor/rules.c"
	printf '#include <curses.h>\n' >> "$S/render/table.c"
	printf 'static void x(void) { inspect_dump(0, 0); }\n' >> "$S/tui/model.c"
	run sh tests/lib/includes.sh "$S"
	[ "$status" -eq 1 ]
	[[ "$output" == *"tui/panes.c includes runner/runner.h: in tui/ only dash.c may"* ]]
	[[ "$output" == *"doctor/rules.c includes the inspector"* ]]
	[[ "$output" == *"render/table.c includes curses or a kernel interface"* ]]
	[[ "$output" == *"tui/model.c calls the inspector's collectors or the runner"* ]]
}

@test "includes: a new folder without a rule is named" {
	mkdir "$S/newroom"
	printf '#include "inspect/inspect.h"\n' > "$S/newroom/x.c"
	run sh tests/lib/includes.sh "$S"
	[ "$status" -eq 1 ]
	[[ "$output" == *"folder newroom/ has no rule"* ]]
}
