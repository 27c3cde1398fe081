#!/usr/bin/env bats
# grade.bats — grading a whole class (socklab exercise grade) and the
# course platforms' files: every score of a class of 40 checked, the same
# with one job and with two; a submission that cannot be graded, or whose
# grading dies, is listed with the reason; Gradescope's and PrairieLearn's
# results.json from their own directory layouts, laid out in a temporary
# root; JUnit XML validated against tests/data/junit.xsd.

load helpers

setup() {
	common_setup
	T="$BATS_TEST_TMPDIR"
	command -v cc >/dev/null || skip "no C compiler"
	PY=$(command -v /usr/bin/python3 || command -v python3 || true)
	[ -z "$PY" ] || export SOCKLAB_PYTHON="$PY"
}

# The points exercise 01 gives each program (POINTS(1, 1, 2, 5, 1)):
# the compile, the exit, "hello" arriving, from port 5000, nothing off-box.
declare -gA POINTS=(
	[starter.c]=5 [starter.py]=5
	[01-fixed-source-port.c]=10 [01-fixed-source-port.py]=10
	[right-getaddrinfo-connect.c]=10
	[wrong-bind-after-sendto.c]=5 [wrong-bind-after-sendto.py]=5
	[wrong-bind-port-zero.py]=5 [wrong-connect-then-bind.c]=5
	[wrong-other-socket-sends.c]=5 [wrong-other-socket-sends.py]=5
	[wrong-sizeof-string.c]=3 [wrong-str-not-bytes.py]=2
	[broken.c]=0
)

# class DIR: 40 students of exercise 01, each a copy of a starter, a
# solution, a right or a wrong program (C, and Python where there is a
# python3), or one that does not compile; student01..student39 are files,
# student40 a subdirectory.  Sets EXPECT[student]=points.
declare -gA EXPECT
class() {
	local dir=$1 progs=() f i=0 name
	mkdir -p "$dir"
	printf 'int main(void) { return 0 }\n' > "$T/broken.c"
	for f in exercises/01-*/starter.c exercises/01-*/starter.py exercises/solutions/01-* \
		tests/exercises/01-*/* "$T/broken.c"; do
		case $f in *.py) [ -n "$PY" ] || continue ;; esac
		progs+=("$f")
	done
	for i in $(seq 1 40); do
		f=${progs[$(( (i - 1) % ${#progs[@]} ))]}
		name=$(printf 'student%02d' "$i")
		if [ "$i" = 40 ]; then
			mkdir "$dir/$name"
			cp "$f" "$dir/$name/ex01.${f##*.}"
		else
			cp "$f" "$dir/$name.${f##*.}"
		fi
		EXPECT[$name]=${POINTS[$(basename "$f")]}
		[ -n "${EXPECT[$name]}" ] || { echo "no points known for $f" >&2; return 1; }
	done
}

# scores CSV: "student points status" lines of a --csv roster
scores() {
	awk -F, 'NR > 1 { print $1, $3, $2 }' "$1"
}

@test "grade: 40 submissions with --jobs 2, every score as expected; --jobs 1 the same" {
	class "$T/class"
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/class" --jobs 2 --csv
	[ "$status" -eq 0 ] || { show_output; false; }
	printf '%s\n' "$output" > "$T/j2.csv"
	[ "$(head -n 1 "$T/j2.csv" | tr -d '\r')" = \
		"student,status,points,max_points,criteria_met,criteria,first_failed,observed,seconds,file" ]
	[ "$(wc -l < "$T/j2.csv")" -eq 41 ]
	bad=0
	while read -r who points st; do
		[ "$st" = graded ] || { echo "$who: $st" >&2; bad=1; }
		[ "$points" = "${EXPECT[$who]}" ] || {
			echo "$who: $points points, want ${EXPECT[$who]}" >&2
			bad=1
		}
	done < <(scores "$T/j2.csv")
	[ "$bad" = 0 ] || { cat "$T/j2.csv" >&2; false; }
	# the same class with one job: the same students, points, criteria met
	# and first failed criterion (observations name ports the kernel chose,
	# and times differ: those columns are left out)
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/class" -j 1 --csv
	[ "$status" -eq 0 ] || { show_output; false; }
	printf '%s\n' "$output" > "$T/j1.csv"
	diff <(cut -d, -f1-7 "$T/j2.csv") <(cut -d, -f1-7 "$T/j1.csv")
}

@test "grade: the roster sorted by score, criteria with their failures; Markdown too" {
	mkdir -p "$T/c"
	cp exercises/solutions/01-fixed-source-port.c "$T/c/ann.c"
	cp exercises/01-*/starter.c "$T/c/bob.c"
	cp exercises/01-*/starter.c "$T/c/cat.c"
	cp tests/exercises/01-*/wrong-sizeof-string.c "$T/c/dan.c"
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c"
	[ "$status" -eq 0 ] || { show_output; false; }
	[[ "${lines[0]}" == "exercise 01 fixed-source-port: 4 submissions, 4 graded, 0 ungradable" ]]
	# most points first, then by name
	printf '%s\n' "$output" | awk '/^(ann|bob|cat|dan) /{ print $1, $2 }' > "$T/order"
	printf 'ann 10/10\nbob 5/10\ncat 5/10\ndan 3/10\n' | diff - "$T/order"
	printf '%s\n' "$output" | grep -q '^bob .* it comes from port 5000: it came from 127.0.0.1:'
	# per criterion: how many failed, and the most common observation
	printf '%s\n' "$output" | grep -A1 '^   4\. it comes from port 5000 (5 pts)$' |
		grep -q "^      3 of 4 failed; 2 of them: 'it came from 127.0.0.1:[0-9]*'$" ||
		{ show_output; false; }
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c" --markdown
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -qx '| student | points | criteria | time | first failed: observed |'
	printf '%s\n' "$output" | grep -q '^| ann | 10/10 | 5/5 | '
	printf '%s\n' "$output" | grep -q '^| 4 | it comes from port 5000 | 5 | 3 of 4 | 2 of them: '
}

@test "grade: what cannot be graded is listed with the reason, exit 1; --json says the same" {
	mkdir -p "$T/c/empty" "$T/c/two"
	cp exercises/solutions/01-fixed-source-port.c "$T/c/ann.c"
	echo notes > "$T/c/README.txt"
	cp exercises/01-*/starter.c "$T/c/two/a.c"
	cp exercises/01-*/starter.c "$T/c/two/b.c"
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c"
	[ "$status" -eq 1 ] || { show_output; false; }
	printf '%s\n' "$output" | grep -q "^README.txt  .*UNGRADABLE: $T/c/README.txt: not a C or Python file"
	printf '%s\n' "$output" | grep -q "^empty  .*UNGRADABLE: no FILE.c or FILE.py in $T/c/empty"
	printf '%s\n' "$output" | grep -q "^two  .*UNGRADABLE: 2 sources in $T/c/two (a.c, b.c): which one? name it ex01.c or ex01.py"
	printf '%s\n' "$output" | grep -q '^ann  .*10/10'
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c" --json
	[ "$status" -eq 1 ]
	[ "$(jq -r '.graded, .ungradable' <<<"$output" | tr '\n' ' ')" = "1 3 " ]
	[ "$(jq -r '.submissions[] | select(.status == "ungradable") | .student' <<<"$output" |
		tr '\n' ' ')" = "README.txt empty two " ]
	[ "$(jq -r '.submissions[] | select(.student == "ann") | .points' <<<"$output")" = 10 ]
}

@test "grade: a grading that dies is reported as ungradable with the reason, the rest graded" {
	mkdir -p "$T/c"
	# a.c waits 3 s before doing its work: its grading is killed meanwhile
	cp exercises/solutions/01-fixed-source-port.c "$T/c/b.c"
	{
		echo '#include <unistd.h>'
		sed 's/^int main(void)$/static int main_(void)/' exercises/solutions/01-fixed-source-port.c
		echo 'int main(void) { sleep(3); return main_(); }'
	} > "$T/c/a.c"
	grep -q 'static int main_(void)' "$T/c/a.c" || { echo "solution has no 'int main(void)' line" >&2; false; }
	"$SOCKLAB" exercise grade 1 "$T/c" -j 1 --csv > "$T/out" 2> "$T/err" &
	pid=$!
	# the worker grading a.c: socklab's only child, once a.c runs (its
	# program is /tmp/socklab-exercise-*/a, though ps names it by its fd)
	for _ in $(seq 100); do
		kids=$(cat /proc/$pid/task/*/children 2>/dev/null | tr -s ' ' '\n' | sed '/^$/d')
		[ -n "$kids" ] && pgrep -f '^/tmp/socklab-exercise-[^/ ]*/a$' >/dev/null 2>&1 && break
		sleep 0.05
	done
	[ "$(printf '%s\n' "$kids" | wc -l)" = 1 ] || { echo "workers: $kids" >&2; false; }
	sleep 0.3
	kill -KILL "$kids"
	st=0
	wait "$pid" || st=$?
	[ "$st" = 1 ] || { cat "$T/out" "$T/err" >&2; false; }
	grep -q '^a,ungradable,,10,,5,,the grading died (Killed),' "$T/out" || { cat "$T/out" >&2; false; }
	grep -q '^b,graded,10,10,5,5,' "$T/out" || { cat "$T/out" >&2; false; }
	# the killed grading's program went with it (its sandbox's PID namespace)
	for _ in $(seq 40); do
		pgrep -f '^/tmp/socklab-exercise-[^/ ]*/a$' >/dev/null || break
		sleep 0.05
	done
	! pgrep -f '^/tmp/socklab-exercise-[^/ ]*/a$' || false
}

@test "grade: what a program prints and how a file is named cannot break the roster, CSV, JSON or JUnit" {
	command -v xmllint >/dev/null || skip "no xmllint (libxml2-utils)"
	[ -n "$PY" ] || skip "no python3 to parse JSON strictly"
	mkdir -p "$T/c"
	# a surrogate, U+FFFE, ESC (it would clear the instructor's terminal),
	# markup and a table bar, then exit status 3: "it said: ..." quotes it
	cat > "$T/c/yan.c" <<-'EOF'
	#include <stdio.h>
	int main(void) { printf("\xed\xa0\x80 \xef\xbf\xbe \x1b[2J <b>|x</b> \xff\n"); return 3; }
	EOF
	cp "$T/c/yan.c" "$T/c/=HYPERLINK(1),\"x\".c"
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c" --csv
	[ "$status" -eq 0 ] || { show_output; false; }
	# a spreadsheet does not take the name for a formula; quotes doubled
	grep -q "^\"'=HYPERLINK(1),\"\"x\"\"\",graded,2,10,2,5," <<<"$output" || { show_output; false; }
	[[ "$output" != *$'\e'* ]] || { echo "ESC in the CSV" >&2; false; }
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c"
	[[ "$output" != *$'\e'* ]] || { echo "ESC in the roster" >&2; false; }
	grep -q "^yan .*it said: ??? ??? ?\[2J <b>|x</b> ?" <<<"$output" || { show_output; false; }
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c" --markdown
	grep -qF '&lt;b&gt;\|x&lt;/b&gt;' <<<"$output" || { show_output; false; }
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c" --json --junit "$T/c.xml"
	"$PY" -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))' <<<"$output"
	xmllint --noout --schema tests/data/junit.xsd "$T/c.xml"
	run --separate-stderr "$SOCKLAB" exercise check 1 "$T/c/yan.c" --gradescope "$T/gs.json" --prairielearn "$T/pl.json"
	[ "$status" -eq 1 ]
	for f in "$T/gs.json" "$T/pl.json"; do
		"$PY" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' "$f"
	done
}

@test "grade and package: bad input is one line and exit 2" {
	for args in "grade 1" "grade 1 $T/missing" "grade 1 . -j 0" "grade 1 . --csv --json" \
		"grade 1 . --tap" "grade 1 . --gradescope x" "check 1 x.c --jobs 2" "package 1" \
		"package 1 --gradescope a --prairielearn b" "package 1 --csv" "grade 99 ." \
		"grade 1 $T/empty-dir"; do
		mkdir -p "$T/empty-dir"
		# shellcheck disable=SC2086
		run --separate-stderr "$SOCKLAB" exercise $args
		[ "$status" -eq 2 ] || { echo "exercise $args" >&2; show_output; false; }
		[ -z "$output" ] || { echo "exercise $args" >&2; show_output; false; }
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "exercise $args" >&2; show_output; false; }
		[[ "${stderr_lines[0]}" == "socklab exercise: "* ]]
	done
}

# gs_valid FILE: results.json as Gradescope documents it (specs.md):
# score a number, tests an array of objects whose score and max_score are
# numbers, name and output strings, status "passed" or "failed", number a
# string, visibility one of the four
gs_valid() {
	jq -e '(.score | type) == "number" and (.execution_time | type) == "number" and
		(.output | type) == "string" and (.tests | type) == "array" and
		([.visibility, .stdout_visibility] | all(. == "visible" or . == "hidden" or
			. == "after_due_date" or . == "after_published")) and
		(.tests | all((.score | type) == "number" and (.max_score | type) == "number" and
			(.name | type) == "string" and (.output | type) == "string" and
			(.number | type) == "string" and (.status == "passed" or .status == "failed") and
			.score <= .max_score and
			(.visibility == "visible" or .visibility == "hidden" or
			 .visibility == "after_due_date" or .visibility == "after_published")))' "$1" >/dev/null
}

@test "gradescope: the bundle's run_autograder grades /autograder/submission into results.json" {
	A="$T/autograder"
	run "$SOCKLAB" exercise package 1 --gradescope "$A/source"
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -x "$A/source/setup.sh" ] && [ -x "$A/source/run_autograder" ]
	sh -n "$A/source/setup.sh" && sh -n "$A/source/run_autograder"
	for prog in exercises/solutions/01-fixed-source-port.c \
		tests/exercises/01-fixed-source-port/wrong-sizeof-string.c "$T/broken.c"; do
		printf 'int main(void) { return 0 }\n' > "$T/broken.c"
		rm -rf "$A/submission" "$A/results"
		mkdir -p "$A/submission"
		cp "$prog" "$A/submission/"
		PATH="$(dirname "$SOCKLAB"):$PATH" AUTOGRADER="$A" run sh "$A/source/run_autograder"
		[ "$status" -eq 0 ] || { show_output; false; }
		gs_valid "$A/results/results.json" || { cat "$A/results/results.json" >&2; false; }
		# the tests' scores add up to the score; their maxima to the exercise's 10
		[ "$(jq '[.tests[].score] | add' "$A/results/results.json")" = \
			"$(jq .score "$A/results/results.json")" ]
		[ "$(jq '[.tests[].max_score] | add' "$A/results/results.json")" = 10 ]
		case $prog in
		*solutions*) want=10 ;; *wrong-sizeof*) want=3 ;; *) want=0 ;;
		esac
		[ "$(jq .score "$A/results/results.json")" = "$want" ] || { cat "$A/results/results.json" >&2; false; }
	done
	# the last did not compile: its compiler's message is in the first test
	jq -r '.tests[0].output' "$A/results/results.json" | grep -q "error: expected"
	[ "$(jq -r '.tests[-1].name' "$A/results/results.json")" = "the other 4 criteria" ]
	# an empty submission: not graded, and results.json says why (the
	# script exits 0: Gradescope reads it)
	rm -rf "$A/submission" "$A/results" && mkdir -p "$A/submission"
	PATH="$(dirname "$SOCKLAB"):$PATH" AUTOGRADER="$A" run sh "$A/source/run_autograder"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "socklab exercise: no FILE.c or FILE.py in $A/submission" ]
	gs_valid "$A/results/results.json"
	[ "$(jq -r .output "$A/results/results.json")" = \
		"exercise 01 fixed-source-port: not graded: no FILE.c or FILE.py in $A/submission" ]
}

# pl_valid FILE: results.json as PrairieLearn documents it
# (externalGrading.md): gradable a boolean, score a number in [0, 1], tests
# with name a string and points, max_points numbers
pl_valid() {
	jq -e '(.gradable | type) == "boolean" and (.score | type) == "number" and
		.score >= 0 and .score <= 1 and
		(if .gradable then (.tests | type) == "array" and (.tests | all((.name | type) ==
			"string" and (.points | type) == "number" and (.max_points | type) ==
			"number" and (.message | type) == "string" and .points <= .max_points))
		 else (.format_errors | type) == "array" end)' "$1" >/dev/null
}

@test "prairielearn: socklab-grade grades /grade/student into /grade/results/results.json" {
	P="$T/pkg"
	run "$SOCKLAB" exercise package 1 --prairielearn "$P"
	[ "$status" -eq 0 ] || { show_output; false; }
	[ -x "$P/socklab-grade" ] && [ -f "$P/Dockerfile" ] && jq -e .externalGradingOptions "$P/info.json"
	G="$T/grade"
	mkdir -p "$G/student"
	cp tests/exercises/01-fixed-source-port/wrong-sizeof-string.c "$G/student/ex01.c"
	PATH="$(dirname "$SOCKLAB"):$PATH" GRADE="$G" run sh "$P/socklab-grade"
	[ "$status" -eq 0 ] || { show_output; false; }
	pl_valid "$G/results/results.json" || { cat "$G/results/results.json" >&2; false; }
	[ "$(jq .score "$G/results/results.json")" = 0.3 ]
	[ "$(jq '.tests | length' "$G/results/results.json")" = 5 ]
	[ "$(jq '[.tests[].points] | add' "$G/results/results.json")" = 3 ]
	# two sources, neither named ex01: not gradable, and why
	cp exercises/01-*/starter.c "$G/student/other.c"
	mv "$G/student/ex01.c" "$G/student/mine.c"
	rm -rf "$G/results"
	PATH="$(dirname "$SOCKLAB"):$PATH" GRADE="$G" run sh "$P/socklab-grade"
	# exit 0: PrairieLearn reads results.json only then
	[ "$status" -eq 0 ]
	pl_valid "$G/results/results.json"
	[ "$(jq .gradable "$G/results/results.json")" = false ]
	jq -r '.format_errors[0]' "$G/results/results.json" | grep -q "2 sources in $G/student (mine.c, other.c)"
}

@test "junit: grade --junit and check --junit validate against the JUnit schema" {
	command -v xmllint >/dev/null || skip "no xmllint (libxml2-utils)"
	mkdir -p "$T/c/empty"
	cp exercises/solutions/01-fixed-source-port.c "$T/c/ann.c"
	cp tests/exercises/01-*/wrong-sizeof-string.c "$T/c/b&<o>b.c"
	printf 'int main(void) { return 0 }\n' > "$T/c/cy.c"
	run --separate-stderr "$SOCKLAB" exercise grade 1 "$T/c" --junit "$T/class.xml"
	[ "$status" -eq 1 ] || { show_output; false; }
	xmllint --noout --schema tests/data/junit.xsd "$T/class.xml"
	# 4 suites: ann 5 tests, b&<o>b 5 (2 failed), cy 2 (both failed), empty 1 error
	[ "$(xmllint --xpath 'count(//testsuite)' "$T/class.xml")" = 4 ]
	[ "$(xmllint --xpath 'string(/testsuites/@tests)' "$T/class.xml")" = 13 ]
	[ "$(xmllint --xpath 'string(/testsuites/@failures)' "$T/class.xml")" = 4 ]
	[ "$(xmllint --xpath 'string(/testsuites/@errors)' "$T/class.xml")" = 1 ]
	[ "$(xmllint --xpath 'string(//testsuite[@name="b&<o>b"]/properties/property[@name="points"]/@value)' \
		"$T/class.xml")" = 3 ]
	run --separate-stderr "$SOCKLAB" exercise check 1 "$T/c/ann.c" --junit "$T/one.xml"
	[ "$status" -eq 0 ]
	xmllint --noout --schema tests/data/junit.xsd "$T/one.xml"
	[ "$(xmllint --xpath 'count(//testcase)' "$T/one.xml")" = 5 ]
	[ "$(xmllint --xpath 'count(//failure)' "$T/one.xml")" = 0 ]
}

@test "no sandbox here: results.json says not graded and what is missing, never a grade" {
	[ "$(id -u)" = 0 ] || skip "needs root to make the test's user namespace"
	command -v setpriv >/dev/null || skip "setpriv not installed"
	command -v unshare >/dev/null || skip "unshare not installed"
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$SOCKLAB" ||
		skip "$SOCKLAB is not executable by uid 65534"
	PUB=$(mktemp -d /tmp/socklab-grade.XXXXXX)
	chmod 755 "$PUB"
	"$SOCKLAB" exercise package 1 --gradescope "$PUB/autograder/source" >/dev/null
	"$SOCKLAB" exercise package 1 --prairielearn "$PUB/pl" >/dev/null
	mkdir -p "$PUB/autograder/submission" "$PUB/autograder/results" "$PUB/grade/student" \
		"$PUB/grade/results"
	cp exercises/solutions/01-fixed-source-port.c "$PUB/autograder/submission/"
	cp exercises/solutions/01-fixed-source-port.c "$PUB/grade/student/"
	chmod -R a+rX "$PUB" && chmod 777 "$PUB/autograder/results" "$PUB/grade/results"
	PATH="$(dirname "$SOCKLAB"):$PATH" AUTOGRADER="$PUB/autograder" run no_userns sh "$PUB/autograder/source/run_autograder"
	[ "$status" -eq 0 ] || { show_output; rm -rf "$PUB"; false; }
	out=$(jq -r .output "$PUB/autograder/results/results.json")
	[[ "$out" == *"not graded: cannot make a sandbox"*"user namespaces are disabled"* ]] ||
		{ echo "$out" >&2; rm -rf "$PUB"; false; }
	[ "$(jq '.tests | length' "$PUB/autograder/results/results.json")" = 0 ]
	PATH="$(dirname "$SOCKLAB"):$PATH" GRADE="$PUB/grade" run no_userns sh "$PUB/pl/socklab-grade"
	[ "$status" -eq 0 ] || { show_output; rm -rf "$PUB"; false; }
	[ "$(jq .gradable "$PUB/grade/results/results.json")" = false ]
	jq -r '.format_errors[0]' "$PUB/grade/results/results.json" | grep -q "cannot make a sandbox"
	rm -rf "$PUB"
}
