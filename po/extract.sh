#!/bin/sh
# extract.sh OUT — every message socklab prints, as a template (.pot):
#   socklab's own text, marked _("...") or N_("...") in src/, and the
#   formats of the functions that translate their own (cmd_usage_error,
#   observe_say, outcome_tr; cmd_opt_long's what);
#   the labs' narration, written in plain C (lab.h) and translated by the
#   consumer (src/runner/labtext.h): LAB's title and summary, STEP's title
#   and why, ASK, NOTE and SKIP; and the Python labs' lab(), step(),
#   ask(), note() and skip() (labs/py/socklab_lab.py).
# xgettext takes one argument per keyword and pass, so a second pass joins
# STEP's why and LAB's summary.  make pot and tests/lib/po.sh use it.
set -eu
out=$1
common="--from-code=UTF-8 --add-comments=TRANSLATORS: --sort-by-file --package-name=socklab
	--msgid-bugs-address=socklab"
xgettext $common --keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=cmd_usage_error:2 \
	--flag=cmd_usage_error:2:c-format --keyword=outcome_tr \
	--keyword=observe_say:2 --flag=observe_say:2:c-format --keyword=cmd_opt_long:5 -o "$out" $(ls src/*.[ch] src/*/*.[ch] | LC_ALL=C sort)
labs=$(ls labs/*.c | LC_ALL=C sort)
xgettext $common -j -k --keyword=STEP:1 --keyword=NOTE:1 --keyword=ASK:1 --keyword=SKIP:1 \
	--keyword=LAB:3 --flag=STEP:1:c-format --flag=NOTE:1:c-format \
	--flag=ASK:1:c-format --flag=SKIP:1:c-format -o "$out" $labs
xgettext $common -j -k --keyword=STEP:2 --keyword=LAB:4 --flag=STEP:2:c-format \
	-o "$out" $labs
# the Python labs (labs/py): the same words, as socklab_lab's functions
pylabs=$(ls labs/py/[0-9][0-9]*.py | LC_ALL=C sort)
xgettext $common -j -L Python -k --keyword=step:1 --keyword=note:1 --keyword=ask:1 \
	--keyword=skip:1 --keyword=lab:3 -o "$out" $pylabs
xgettext $common -j -L Python -k --keyword=step:2 --keyword=lab:4 -o "$out" $pylabs
