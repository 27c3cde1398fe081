#!/usr/bin/env bats
# explain.bats — socklab explain: one knowledge table, any spelling of a
# code, the story's Windows 10013 explained, bad codes refused.

load helpers

setup() {
	common_setup
}

@test "every spelling of EADDRINUSE finds the same entry: name, Linux number, Windows name and code" {
	for key in EADDRINUSE eaddrinuse 98 WSAEADDRINUSE wsaeaddrinuse 10048; do
		run "$SOCKLAB" explain "$key"
		[ "$status" -eq 0 ] || { show_output; false; }
		[[ "$output" == *"EADDRINUSE"*"98"* ]]
		[[ "$output" == *"WSAEADDRINUSE"*"10048"* ]]
		[[ "$output" == *"Usual causes"* ]]
		[[ "$output" == *"Fixes"* ]]
		[[ "$output" == *"socklab run 4 "* ]]
	done
}

@test "explain 10013 tells the story's case: one-sided reuse, exclusive use, another account, and what Linux says" {
	run "$SOCKLAB" explain 10013
	[ "$status" -eq 0 ] || { show_output; false; }
	# asked as a Windows code: the Windows side comes first
	[[ "${lines[0]}" == "WSAEACCES (Windows 10013)"*"EACCES (13)"* ]]
	flat=$(printf '%s ' "${lines[@]}" | tr -s ' ')
	[[ "$flat" == *"SO_REUSEADDR on the newcomer only"* ]]
	[[ "$flat" == *"SO_EXCLUSIVEADDRUSE"* ]]
	[[ "$flat" == *"another account"* ]]
	[[ "$flat" == *"On Linux instead"*"EADDRINUSE (98)"* ]]
	[[ "$output" == *"socklab run 5 "* ]]
}

@test "explain 10013 today: which Windows, consent not privilege, excluded port ranges" {
	run "$SOCKLAB" explain 10013
	[ "$status" -eq 0 ] || { show_output; false; }
	flat=$(printf '%s ' "${lines[@]}" | tr -s ' ')
	[[ "$flat" == *"Windows Server 2003 and later"*"from Microsoft's documentation, not measured here"* ]]
	[[ "$flat" == *"running as Administrator does not help"* ]]
	[[ "$flat" == *"netsh int ipv4 show excludedportrange protocol=udp"* ]]
	[[ "$flat" == *"Windows XP and earlier"*"which is history"* ]]
	# the old advice: share only between sockets that all set SO_REUSEADDR
	[[ "$flat" != *"share a port only between sockets that all set SO_REUSEADDR"* ]]
}

@test "explain 10048: only the newcomer must set the flag before its bind; the holder may set it late" {
	run "$SOCKLAB" explain 10048
	[ "$status" -eq 0 ] || { show_output; false; }
	flat=$(printf '%s ' "${lines[@]}" | tr -s ' ')
	# the rule this replaced was wrong: the kernel reads the holder's flag
	# when the newcomer binds (lab 06)
	[[ "$flat" != *"both must, before bind()"* ]]
	[[ "$flat" != *"on every socket that shares the port, before bind()"* ]]
	[[ "$flat" == *"The newcomer sets it before its bind(); the holder may set it even after its own bind()"* ]]
	[[ "$flat" == *"send from the server's own socket"* ]]
	[[ "$flat" == *"Windows Server 2003 and later"* ]]
	[[ "$output" == *"socklab run 6 "* ]]
}

@test "the meaning explain prints is the one run prints for the same errno" {
	run "$SOCKLAB" explain EADDRINUSE
	meaning=$(printf '%s ' "${lines[1]}" "${lines[2]}" | sed 's/^ *//; s/  */ /g; s/ *$//')
	run "$SOCKLAB" run 4
	[[ "$(echo "$output" | tr -s ' ')" == *"EADDRINUSE: $meaning"* ]] || {
		echo "explain: $meaning" >&2; show_output; false; }
}

@test "explain of an unknown or missing code: one line on stderr, exit 2" {
	for key in 12345 EFOO WSAEFOO 98x "" -1; do
		run --separate-stderr "$SOCKLAB" explain "$key"
		[ "$status" -eq 2 ] || { echo "key '$key'"; show_output; false; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
		[ -z "$output" ]
	done
	run --separate-stderr "$SOCKLAB" explain
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" explain 98 99
	[ "$status" -eq 2 ]
}

@test "every code explain knows names labs that exist in this build" {
	for key in EADDRINUSE EACCES EADDRNOTAVAIL EINVAL EAGAIN ENETUNREACH; do
		run "$SOCKLAB" explain "$key"
		[ "$status" -eq 0 ]
		[[ "$output" != *"not in this build"* ]] || { echo "$key"; show_output; false; }
	done
}
