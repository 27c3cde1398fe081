# socklab(1) completion for bash.  `make install` puts it where
# bash-completion looks: $(PREFIX)/share/bash-completion/completions/socklab
# (loaded on the first `socklab <TAB>`); or `source` it.
#
# What it offers comes from the binary at completion time —
# `socklab __complete commands | options CMD | labs | exercises | codes`
# (src/cmd_complete.c) — so it cannot go stale: a new option, lab or
# exercise is offered as soon as socklab has it.  Only the shape of each
# command's arguments is written here (which position wants a lab, a
# file, a directory).

# the socklab being completed: the one typed when it has a path
# (build/socklab), else the one on PATH
_socklab_ask() {
	local bin=${COMP_WORDS[0]/#\~/$HOME}

	[[ $bin == */* && -x $bin ]] || bin=socklab
	"$bin" __complete "$@" 2>/dev/null
}

# COMPREPLY from the words (one a line) that start with $cur
_socklab_words() {
	local w

	COMPREPLY=()
	while IFS= read -r w; do
		[[ -n $w && $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

# files (optionally only those matching glob $1) and directories to walk into
_socklab_files() {
	local pat
	compopt -o filenames 2>/dev/null
	if [[ -n $1 ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$cur"
			for pat; do compgen -f -X "!$pat" -- "$cur"; done)
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}

_socklab_dirs() {
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -d -- "$cur")
}

# a lab: its number or slug; a path (a lab executable) once the word looks
# like one, or when no lab matches
_socklab_labs() {
	if [[ $cur != */* && $cur != .* && $cur != \~* ]]; then
		_socklab_words < <(_socklab_ask labs | cut -f1,2 | tr '\t' '\n')
		((${#COMPREPLY[@]})) && return
	fi
	_socklab_files
}

_socklab() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[1]} name kind i w dashdash=0
	local -a opts=() takes=() args=()

	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			_socklab_words < <(printf '%s\n' --help --version)
		else
			_socklab_words < <(_socklab_ask commands | cut -f1; echo help)
		fi
		return 0
	fi
	if [[ $cmd == help ]]; then
		((COMP_CWORD == 2)) && _socklab_words < <(_socklab_ask commands | cut -f1)
		return 0
	fi
	# the command's options, and which of them take a value
	while IFS=$'\t' read -r name kind; do
		opts+=("$name")
		[[ $kind == arg ]] && takes+=("$name")
	done < <(_socklab_ask options "$cmd")
	((${#opts[@]})) || return 0	# not a command this socklab has

	if [[ " ${takes[*]} " == *" $prev "* ]]; then	# an option's value
		case $prev in
		--netns)
			_socklab_files
			[[ -z $cur && -d /run/netns ]] &&
				mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- /run/netns/)
			;;
		--state)	# S[,S]: complete the name after the last comma
			local pre="" names
			[[ $cur == *,* ]] && pre=${cur%,*},
			names=$(_socklab_ask states)
			mapfile -t COMPREPLY < <(compgen -P "$pre" -W "$names" -- "${cur##*,}")
			;;
		--netns-of | --pid)
			_socklab_words < <(for w in /proc/[0-9]*; do echo "${w#/proc/}"; done)
			;;
		esac
		return 0
	fi

	# the arguments before this word, without the options and their values
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((!dashdash)) && [[ $w == -- ]]; then
			dashdash=1
		elif ((!dashdash)) && [[ $w == -?* ]]; then
			[[ " ${takes[*]} " == *" $w "* ]] && ((i++))
		else
			args+=("$w")
		fi
	done

	if ((!dashdash)) && [[ $cur == -* ]]; then
		# exercise: each subcommand's options, once it has its N (check:
		# and its FILE, --tap going last)
		if [[ $cmd == exercise ]]; then
			if [[ ${args[0]} == check && ${#args[@]} -ge 3 ]]; then
				opts=(--help --tap --gradescope --prairielearn --junit)
			elif [[ ${args[0]} == start && ${#args[@]} -ge 2 ]]; then
				opts=(--help --python)
			elif [[ ${args[0]} == grade && ${#args[@]} -ge 2 ]]; then
				opts=(--help -j --jobs --csv --json --markdown --junit)
			elif [[ ${args[0]} == package && ${#args[@]} -ge 2 ]]; then
				opts=(--help --gradescope --prairielearn)
			else
				opts=(--help)
			fi
		fi
		_socklab_words < <(printf '%s\n' "${opts[@]}")
		return 0
	fi
	case $cmd in
	run | dash) ((${#args[@]} == 0)) && _socklab_labs ;;
	check) _socklab_labs ;;
	explain) ((${#args[@]} == 0)) && _socklab_words < <(_socklab_ask codes | cut -f1) ;;
	exercise)
		case ${#args[@]} in
		0) _socklab_words < <(printf '%s\n' list show start check grade package) ;;
		1)
			[[ ${args[0]} == @(show|start|check|grade|package) ]] &&
				_socklab_words < <(_socklab_ask exercises | cut -f1,2 | tr '\t' '\n')
			;;
		*)
			case ${args[0]} in
			start) ((${#args[@]} == 2)) && _socklab_dirs ;;
			check) ((${#args[@]} == 2)) && _socklab_files '*.c' '*.py' ;;
			grade) _socklab_files '*.c' '*.py' ;;
			esac
			;;
		esac
		;;
	esac
	return 0
}

complete -F _socklab socklab
