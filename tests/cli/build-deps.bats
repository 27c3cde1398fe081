#!/usr/bin/env bats
# build-deps.bats — the Makefile's header tracking (-MMD -MP): a touched
# header rebuilds exactly the objects that include it, the labs' among them
# (linked into socklab and standalone).
#
# Nothing is touched: `make -n -W HEADER` says what make would rebuild were
# HEADER new.  The oracle is the compiler, asked now: each compile command
# make would run (make -n -B) rerun with -MM lists the headers that object
# includes, whatever the .d files of the last build say.

load helpers

setup() {
	common_setup
	command -v make >/dev/null || skip "make is not installed"
	# make's own spelling of the build directory: the .d files name their
	# objects by it (build/obj/..., not an absolute path)
	B=${SOCKLAB_BUILD:-build}
	B=${B#"$REPO_ROOT"/}
	TARGETS=(all "$B/socklab" cli)
	# and its BPF= (the stamp the Makefile leaves), or make would relink
	# and compile the reader the build went without
	BPF_ARG=()
	[ -e "$B/gen/bpf-0" ] && BPF_ARG=(BPF=0)
	[ -e "$B/gen/bpf-1" ] && BPF_ARG=(BPF=1)
	export B
}

# objects a `make -n ARGS` would compile: the word after -o of each
# compile line, sorted
compiled() {
	make --no-print-directory -n BUILD="$B" "${BPF_ARG[@]}" "$@" "${TARGETS[@]}" 2>/dev/null |
		awk '/ -c / { for (i = 1; i < NF; i++) if ($i == "-o") print $(i + 1) }' | sort -u
}

# "OBJECT HEADER" for every repository header each object includes, from
# the compiler (-MM) on the commands make would run for a clean build
oracle() {
	local line obj
	make --no-print-directory -n -B BUILD="$B" "${BPF_ARG[@]}" "${TARGETS[@]}" 2>/dev/null |
		grep -E ' -c [^ ]+\.c -o [^ ]+\.o$' | while IFS= read -r line; do
			obj=${line##* -o }
			line=${line% -o *}
			line=${line// -MMD -MP/}
			eval "$line -MM -MT $obj" | headers_of
		done | sort -u
}

# the same from make's database (make -p): the headers make holds each
# object to depend on, the .d files of the last build read back
make_deps() {
	make --no-print-directory -pq BUILD="$B" "${BPF_ARG[@]}" "${TARGETS[@]}" 2>/dev/null |
		grep -E "^$B/(obj|gen)/[^ %]+\.o:" | headers_of | sort -u
}

# "TARGET: PREREQ... \" lines to "TARGET HEADER" for the repository's headers
headers_of() {
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
		awk '{ t = $1; sub(/:$/, "", t)
			for (i = 2; i <= NF; i++) if ($i ~ /^(src|tests|labs)\/.*\.h$/) print t, $i }'
}

@test "build: after make, make compiles nothing (the programs' objects are kept)" {
	run compiled
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "out of date: $output" >&2; false; }
}

@test "build: touching src/lab/lab.h rebuilds every lab object, linked and standalone" {
	[ -z "$(compiled)" ] || skip "the build in $B is not up to date (make cli first)"
	run compiled -W src/lab/lab.h
	[ "$status" -eq 0 ]
	local lab name missing=""
	for lab in labs/[0-9][0-9]-*.c; do
		name=$(basename "$lab" .c)
		grep -qx "$B/obj/linked/labs/$name.o" <<<"$output" || missing="$missing linked/$name"
		grep -qx "$B/obj/labs/$name.o" <<<"$output" || missing="$missing labs/$name"
	done
	[ -z "$missing" ] || { echo "not rebuilt:$missing" >&2; false; }
	# and the programs are linked again from them
	run make --no-print-directory -n BUILD="$B" "${BPF_ARG[@]}" -W src/lab/lab.h all
	grep -qE -- "-o $B/socklab .*$B/obj/linked/labs/01-" <<<"$output"
	grep -qE -- "-o $B/labs/01-[a-z-]+ $B/obj/labs/01-" <<<"$output"
}

@test "build: every object depends on exactly the headers it includes" {
	local want got
	want=$(oracle)
	# the objects of these targets only (a .d of another, e.g. a unit
	# test's, is in make's database too when it was built)
	got=$(make_deps | awk 'NR == FNR { o[$1] = 1; next } $1 in o' <(echo "$want") -)
	[ "$(wc -l <<<"$want")" -gt 200 ] || { echo "the compiler listed too few: $want" >&2; false; }
	[ "$want" = "$got" ] || {
		diff <(echo "$want") <(echo "$got") |
			sed -n 's/^</  not tracked:/p; s/^>/  tracked, not included:/p' >&2
		false
	}
}
