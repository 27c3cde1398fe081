#!/bin/sh
# signals.sh BUILD — the long signal run: 100 seeded trials of SIGINT,
# SIGTERM, SIGHUP and SIGKILL at random moments of socklab's long-running
# commands (tests/lib/signal-trials.sh says what each trial asserts).  The
# seed is printed; SEED=N repeats a run.
build="${1:-build}"
seed="${SEED:-$(date +%s)}"
command -v tmux >/dev/null 2>&1 || { echo "signals: tmux not installed, skipped"; exit 0; }
echo "== signals: 100 trials, seed $seed"
bash "$(dirname "$0")/../tests/lib/signal-trials.sh" "$build" "$seed" 100 | tail -1
