# socklab — one Makefile, no generator.
#   make            build/socklab and build/labs/NN-slug (one per lab); needs
#                   only the build tier of tools/deps.sh (make, gcc, pkg-config,
#                   libmnl-dev, libncurses-dev)
#   make run        installs what the build tier lacks, builds, opens the
#                   dashboard at the story lab
#   make test       unit tests, fuzz corpora replayed, CLI tests, valgrind on the
#                   CLI, lab conformance (TAP); installs the test tier, and
#                   valgrind and the BPF reader's packages where it can (without
#                   valgrind memcheck is skipped, without BPF its tests skip,
#                   each saying why; with CI set both are required)
#   make test SAN=1 the same, built with ASan+UBSan into build/san
#   make fuzz       libFuzzer (clang) on each parser for FUZZ_TIME s (60) each,
#                   FUZZ_TARGETS="args proto ..." for some; fails on a crash
#                   (tests/fuzz, docs/fuzzing.md); needs the fuzz tier
#   make deps       install every missing Debian package (apt-get; as root, or
#                   with sudo when it needs no password); TIER=build (test, fuzz,
#                   memcheck, bpf) for one tier; without a way to install, says
#                   what is missing and the apt-get line for an administrator
#   make BPF=0      build without the BPF flags reader (BPF=1: require it;
#                   default: with it when clang and libbpf are there)
#   make test-kernels  the labs, the matrix and the bind model on other kernels,
#                   each booted in a VM (tests/kernels/run.sh): by default every
#                   kernel Debian's apt sources here offer, beside the running one;
#                   KERNELS="linux-image-..." for some, KERNEL_SOURCES=FILE for
#                   other apt sources (tests/kernels/newer.list), REPEAT=N runs
#                   check N times per kernel; installs the vm tier (qemu)
#   make bench      benchmarks (bench/)
#   make docs       the lab pages' transcripts (docs/labs, docs/LANG/labs)
#   make pot        po/socklab.pot from the sources; make man-po the man
#                   page's catalogs and translations (po/man, po4a)
#   make gradescope N=4  the autograder bundle of exercise 4 for Gradescope
#                   (build/gradescope-ex4.zip); make prairielearn N=4 the
#                   external grader's image directory (docs/grading.md)
#   make install    PREFIX=/usr/local (DESTDIR for a staging root); make uninstall
# Under sudo (SUDO_UID set), make all and make test give build/ back to the
# invoking user, so a later `make clean` as that user works.

PREFIX ?= /usr/local
SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif

CC ?= cc
CFLAGS ?= -O2 -g
WERROR = $(if $(CI),-Werror)
MNL_CFLAGS := $(shell pkg-config --cflags libmnl 2>/dev/null)
MNL_LIBS := $(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl)
CURSES_LIBS := $(shell pkg-config --libs panelw ncursesw 2>/dev/null || echo -lpanelw -lncursesw)
# the playground's line editor (libedit-dev: BSD-licensed, readline's interface)
EDIT_LIBS := $(shell pkg-config --libs libedit 2>/dev/null || echo -ledit)
# the wire's pcap files (run --pcap): libpcap-dev
PCAP_LIBS := $(shell pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
# The BPF flags reader (src/inspect/bpf.c) is optional: BPF=auto builds it
# when clang and libbpf are there, BPF=0 never, BPF=1 always (and says what
# is missing).  Without it bpf_none.c stands in: the pidfd reader alone.
BPF ?= auto
BPF_CC ?= clang
BPF_FOUND := $(shell command -v $(BPF_CC) >/dev/null 2>&1 && \
	pkg-config --exists libbpf 2>/dev/null && echo 1)
ifeq ($(BPF),auto)
BPF_ON := $(if $(BPF_FOUND),1,0)
else ifeq ($(BPF),1)
BPF_ON := 1
ifeq ($(BPF_FOUND),)
ifeq ($(filter clean deps run test,$(MAKECMDGOALS)),)
$(error BPF=1: the BPF reader needs $(BPF_CC) and libbpf (pkg-config libbpf): \
	sh tools/deps.sh bpf, or build with BPF=0)
endif
endif
else ifeq ($(BPF),0)
BPF_ON := 0
else
$(error BPF=$(BPF): one of 0, 1, auto)
endif
ifeq ($(BPF_ON),1)
BPF_LIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf)
BPF_SRCS_OUT = src/inspect/bpf_none.c src/trace/snoop_none.c
else
BPF_LIBS :=
BPF_SRCS_OUT = src/inspect/bpf.c src/inspect/sockflags_obj.c src/trace/snoop.c \
	src/trace/snoop_obj.c
endif
# CPPFLAGS too: a distribution's build passes _FORTIFY_SOURCE there
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) \
	-Isrc $(MNL_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(MNL_LIBS) $(CURSES_LIBS) $(EDIT_LIBS) $(PCAP_LIBS) $(BPF_LIBS)

# the lab runtime alone: what a standalone lab links (and a student's cc line)
RUNTIME_SRCS = src/lab/runtime.c src/lab/hosts.c src/lab/proto.c src/lab/claim.c src/lab/outcome.c \
	src/sandbox/sandbox.c src/sandbox/net.c src/kver/kver.c
CORE_SRCS = $(filter-out src/main.c $(RUNTIME_SRCS) %.bpf.c $(BPF_SRCS_OUT),\
	$(wildcard src/*.c src/*/*.c))
LAB_SRCS = $(sort $(wildcard labs/[0-9][0-9]-*.c))
# the Python labs and their runtime (src/runner/pylabs.h): run by python3
PYLAB_FILES = labs/py/socklab_lab.py $(sort $(wildcard labs/py/[0-9][0-9]*.py))
LAB_NAMES = $(basename $(notdir $(LAB_SRCS)))
TEST_LAB_SRCS = $(wildcard tests/labs/*.c)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
TOOL_SRCS = $(wildcard tests/tools/*.c)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_TARGETS = $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)

RUNTIME_OBJS = $(RUNTIME_SRCS:%.c=$(BUILD)/obj/%.o)
CORE_OBJS = $(CORE_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/lab_sources.o \
	$(BUILD)/obj/gen/exercise_files.o $(BUILD)/obj/gen/runtime_files.o
# the runtime's sources and headers, embedded: `socklab dash LAB.c` builds with them
RUNTIME_FILES = $(RUNTIME_SRCS) $(sort $(wildcard src/lab/*.h)) src/sandbox/sandbox.h src/kver/kver.h
EXERCISE_FILES = $(sort $(wildcard exercises/[0-9][0-9]-*/README.md exercises/[0-9][0-9]-*/README.*.md \
	exercises/[0-9][0-9]-*/starter.c \
	exercises/[0-9][0-9]-*/starter.py))
LINKED_LAB_OBJS = $(LAB_SRCS:%.c=$(BUILD)/obj/linked/%.o)
LIB = $(BUILD)/libsocklab.a

LAB_BINS = $(LAB_NAMES:%=$(BUILD)/labs/%)
TEST_LAB_BINS = $(TEST_LAB_SRCS:tests/labs/%.c=$(BUILD)/tests/labs/%)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BINS = $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%)
# the harnesses with tests/fuzz/driver.c: replay the committed inputs once
FUZZ_REPLAY_BINS = $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%)

.PHONY: all run test unit corpus cli tap claims includes memcheck deps deps-fuzz bench install \
	gradescope prairielearn pot man-po po \
	test-kernels \
	uninstall clean docs fuzz
.DELETE_ON_ERROR:

# Under sudo, build/ goes back to the user who ran sudo (SUDO_UID), so that
# `sudo make test` leaves nothing a later `make clean` cannot remove.
OWN_DIR = $(if $(filter build build/%,$(BUILD)),build,$(BUILD))
GIVE_BACK = if [ -n "$(SUDO_UID)" ] && [ "$$(id -u)" = 0 ] && [ -d $(OWN_DIR) ]; then \
	chown -R "$(SUDO_UID):$(SUDO_GID)" $(OWN_DIR); fi

# the message catalogs (below)
PO_FILES = $(sort $(wildcard po/*.po))
PO_LANGS = $(basename $(notdir $(PO_FILES)))
MO_FILES = $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/socklab.mo)
LOCALEDIR = $(PREFIX)/share/locale
# the translated man pages (po/man: make man-po writes docs/LANG/socklab.1)
MAN_LANGS = $(patsubst docs/%/socklab.1,%,$(wildcard docs/*/socklab.1))

all: $(BUILD)/socklab $(LAB_BINS) $(MO_FILES)
	@$(GIVE_BACK)

# The message catalogs (src/i18n.h): po/LANG.po compiled by msgfmt into
# BUILD/locale/LANG/LC_MESSAGES/socklab.mo (SOCKLAB_LOCALEDIR=BUILD/locale
# points an uninstalled socklab at them); make pot regenerates po/socklab.pot
# with xgettext (po/extract.sh: the sources' _() and N_(), and the labs'
# narration, which the consumer translates: src/runner/labtext.h).
$(BUILD)/locale/%/LC_MESSAGES/socklab.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<
$(BUILD)/obj/src/i18n.o: ALL_CFLAGS += -DLOCALEDIR='"$(LOCALEDIR)"'

pot:
	sh po/extract.sh po/socklab.pot

# the man page's catalogs (po/man) updated from docs/socklab.1, and the
# translated pages (docs/LANG/socklab.1) written from them, with po4a
man-po:
	po4a po/man/po4a.cfg

# Every object is compiled with -MMD -MP: its .d beside it lists the headers
# it included (read back by the -include at the end), so touching a header
# rebuilds exactly the objects that include it, and a header removed from
# the tree does not break the build (-MP).  Programs are linked from objects
# (below), never compiled from sources in one go, so that they have a .d too.
DEPFLAGS = -MMD -MP
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# A lab linked into socklab: main() becomes lab_main_NN, LAB() only registers.
$(BUILD)/obj/linked/labs/%.o: labs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -DLAB_LINKED -Dmain=lab_main_$(subst -,_,$*) -c $< -o $@

$(BUILD)/gen/lab_sources.c: $(LAB_SRCS) $(PYLAB_FILES) tools/embed-sources.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sources.sh $(LAB_SRCS) $(PYLAB_FILES) > $@

# the exercises' task texts and starters, for an installed socklab
$(BUILD)/gen/exercise_files.c: $(EXERCISE_FILES) tools/embed-sources.sh
	@mkdir -p $(dir $@)
	EMBED_ARRAY=exercise_files sh tools/embed-sources.sh $(EXERCISE_FILES) > $@

$(BUILD)/obj/gen/exercise_files.o: $(BUILD)/gen/exercise_files.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/gen/runtime_files.c: $(RUNTIME_FILES) tools/embed-sources.sh
	@mkdir -p $(dir $@)
	EMBED_ARRAY=labbuild_runtime sh tools/embed-sources.sh $(RUNTIME_FILES) > $@

$(BUILD)/obj/gen/runtime_files.o: $(BUILD)/gen/runtime_files.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# The BPF socket iterators that read every socket's reuse flags as root
# (docs/inspect.md): compiled for the kernel's BPF machine by clang, with
# BTF (-g) for CO-RE, and embedded into socklab by sockflags_obj.c.
BPF_CC ?= clang
BPF_CFLAGS = -target bpf -O2 -g -Wall -Wextra $(WERROR) -Isrc
BPF_OBJ = $(BUILD)/gen/sockflags.bpf.o

$(BPF_OBJ): src/inspect/sockflags.bpf.c
	@mkdir -p $(dir $@)
	$(BPF_CC) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/src/inspect/sockflags_obj.o: $(BPF_OBJ)
$(BUILD)/obj/src/inspect/sockflags_obj.o: ALL_CFLAGS += -DSOCKFLAGS_OBJ='"$(BPF_OBJ)"'

# socklab trace --all: every bind, listen and connect of the host, at the
# system-call tracepoints (src/trace/snoop.bpf.c), embedded by snoop_obj.c
SNOOP_OBJ = $(BUILD)/gen/snoop.bpf.o

$(SNOOP_OBJ): src/trace/snoop.bpf.c
	@mkdir -p $(dir $@)
	$(BPF_CC) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/obj/src/trace/snoop_obj.o: $(SNOOP_OBJ)
$(BUILD)/obj/src/trace/snoop_obj.o: ALL_CFLAGS += -DSNOOP_OBJ='"$(SNOOP_OBJ)"'

# one version, the package's: the first line of debian/changelog
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
# the source tree's labs/py, where a socklab run from its build finds them
$(BUILD)/obj/src/runner/pylabs.o: ALL_CFLAGS += -DSOCKLAB_SRCDIR='"$(CURDIR)"'

$(BUILD)/obj/src/main.o: debian/changelog
$(BUILD)/obj/src/main.o: ALL_CFLAGS += -DSOCKLAB_VERSION='"$(VERSION)"'

# BPF_ON of the last build of $(BUILD), rewritten only when it changes: a
# switch of BPF= remakes the library (bpf.o or bpf_none.o) and the links.
BPF_STAMP = $(BUILD)/gen/bpf-$(BPF_ON)
$(BPF_STAMP):
	@mkdir -p $(dir $@)
	@rm -f $(BUILD)/gen/bpf-[01]
	@touch $@

$(BUILD)/obj/gen/lab_sources.o: $(BUILD)/gen/lab_sources.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJS) $(RUNTIME_OBJS) $(BPF_STAMP)
	@rm -f $@
	$(AR) rcs $@ $(filter %.o,$^)

$(BUILD)/socklab: $(BUILD)/obj/src/main.o $(LINKED_LAB_OBJS) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# the programs' own objects (each from $(BUILD)/obj/%.o: %.c), kept: they
# are not make's intermediate files to delete after the link
PROG_OBJS = $(LAB_SRCS:%.c=$(BUILD)/obj/%.o) $(TEST_LAB_SRCS:%.c=$(BUILD)/obj/%.o) \
	$(UNIT_SRCS:%.c=$(BUILD)/obj/%.o) $(TOOL_SRCS:%.c=$(BUILD)/obj/%.o) \
	$(FUZZ_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/fuzz/driver.o
.SECONDARY: $(PROG_OBJS)

$(BUILD)/labs/%: $(BUILD)/obj/labs/%.o $(RUNTIME_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(BUILD)/tests/labs/%: $(BUILD)/obj/tests/labs/%.o $(RUNTIME_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

# small programs the tests start: processes socklab did not create
$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/tests/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/driver.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# libFuzzer builds: clang, always with ASan+UBSan, from the sources alone
# (FUZZ_LINK_<target>: what each harness parses)
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) -O1 -g \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -Isrc $(MNL_CFLAGS)
FUZZ_INSPECT = src/inspect/diag.c src/inspect/replay.c src/inspect/filter.c \
	src/inspect/names.c
FUZZ_LINK_args = src/args.c
FUZZ_LINK_proto = src/lab/proto.c
FUZZ_LINK_diag = $(FUZZ_INSPECT) src/args.c
FUZZ_LINK_replay = $(FUZZ_INSPECT)
FUZZ_LINK_errtab = src/errtab/errtab.c
FUZZ_LINK_play = src/play/parse.c
FUZZ_DIR = $(BUILD)/fuzz
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
# the objects harness $(1) links: its own and its FUZZ_LINK_ sources'
FUZZ_OBJS_OF = $(FUZZ_DIR)/obj/tests/fuzz/fuzz_$(1).o $(FUZZ_LINK_$(1):%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_OBJS = $(sort $(foreach t,$(FUZZ_TARGETS),$(call FUZZ_OBJS_OF,$(t))))
.SECONDARY: $(FUZZ_OBJS)

$(FUZZ_DIR)/obj/%.o: %.c | deps-fuzz
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c $< -o $@

.SECONDEXPANSION:
$(FUZZ_DIR)/fuzz_%: $$(call FUZZ_OBJS_OF,$$*) | deps-fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(MNL_LIBS)

# the build tier only: the dashboard needs nothing the tests need
run:
	@sh tools/deps.sh build $(if $(filter 1,$(BPF)),bpf)
	@$(MAKE) --no-print-directory all
	$(BUILD)/socklab dash 7

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# every committed fuzz input (corpus and regressions) through its harness, once
corpus: $(FUZZ_REPLAY_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(BUILD)/tests/fuzz/fuzz_$$t $$(find tests/fuzz/corpus/$$t \
			tests/fuzz/regressions/$$t -type f 2>/dev/null | sort); done

# each harness under libFuzzer for FUZZ_TIME s, on a copy of its corpus
fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_TIME) $(FUZZ_TARGETS)

# every expectation of every lab, as TAP, against this kernel
tap: all
	@st=0; $(BUILD)/socklab check --tap > $(BUILD)/check.tap || st=$$?; \
	cat $(BUILD)/check.tap; sh tests/lib/tap-summary.sh $(BUILD)/check.tap && exit $$st

# every rule a text states has a lab step the kernel just checked (docs/claims.md)
claims:
	sh tests/lib/claims.sh $(BUILD)/check.tap

cli: all $(TEST_LAB_BINS) $(TOOL_BINS)
	SOCKLAB_BUILD=$(BUILD) bats tests/cli

# memcheck on the CLI paths (not under SAN: the two do not mix)
# (without valgrind: skipped, saying so; under CI that is a failure)
memcheck: all $(TEST_LAB_BINS)
	@if command -v valgrind >/dev/null 2>&1; then sh tests/lib/valgrind.sh $(BUILD); \
	elif [ -n "$(CI)" ]; then echo "memcheck: valgrind is not installed (CI)" >&2; exit 1; \
	else echo "memcheck: SKIPPED: valgrind is not installed (sh tools/deps.sh memcheck)"; fi

# The test tier is needed; valgrind and the BPF reader's packages are
# installed where possible, else their parts skip and say why (CI: needed).
TEST_TIERS = build test $(if $(CI),,+)memcheck \
	$(if $(filter 0,$(BPF)),,$(if $(CI)$(filter 1,$(BPF)),,+)bpf)

test:
	@sh tools/deps.sh $(TEST_TIERS)
	@st=0; $(MAKE) --no-print-directory unit corpus cli \
		$(if $(filter 1,$(SAN)),,memcheck) tap claims includes po || st=$$?; \
	$(GIVE_BACK); exit $$st

# the include rules of README's Layout (tests/lib/includes.sh)
includes:
	sh tests/lib/includes.sh

# every marked message translated in every po/LANG.po (tests/lib/po.sh)
po:
	sh tests/lib/po.sh

# every tier (CI), or TIER=build (test, fuzz, memcheck, bpf; several: "a b")
deps:
	@sh tools/deps.sh $(or $(TIER),all)

deps-fuzz:
	@sh tools/deps.sh build fuzz

# the transcripts in docs/labs (only where a lab's steps or expectations changed)
docs: all
	@sh tools/docs.sh $(BUILD)

test-kernels: all $(BUILD)/tests/tools/bindprop
	@sh tools/deps.sh vm
	sh tests/kernels/run.sh --build $(BUILD) $(if $(KERNEL_SOURCES),--sources $(KERNEL_SOURCES)) \
		$(if $(REPEAT),--repeat $(REPEAT)) $(KERNELS)

bench: all $(TOOL_BINS)
	@sh bench/check.sh $(BUILD)
	@sh bench/rules.sh $(BUILD)
	@sh bench/inspect.sh $(BUILD)
	@sh bench/dash.sh $(BUILD)
	@sh bench/play.sh $(BUILD)
	@sh bench/trace.sh $(BUILD)
	@sh bench/signals.sh $(BUILD)
	@sh bench/grade.sh $(BUILD)

# a course platform's bundle for exercise N (docs/grading.md): the scripts
# `socklab exercise package` writes, beside socklab's committed source
# (git archive HEAD; outside a checkout, the tree as it is); for
# Gradescope also the zip to upload (its files at the zip's root)
gradescope prairielearn: $(BUILD)/socklab
	@[ -n "$(N)" ] || { echo "make $@ N=NUMBER: which exercise ('socklab exercise list')" >&2; \
		exit 2; }
	@d=$(BUILD)/$@-ex$(N); rm -rf "$$d" && \
	$(BUILD)/socklab exercise package $(N) --$@ "$$d" >/dev/null && \
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git archive --format=tar.gz --prefix=socklab/ -o "$$d/socklab-src.tar.gz" HEAD; \
	else \
		tar -czf "$$d/socklab-src.tar.gz" --exclude=./build --transform 's,^\.,socklab,' .; \
	fi && \
	if [ $@ = gradescope ] && command -v zip >/dev/null; then \
		rm -f "$$d.zip" && (cd "$$d" && zip -q -r "../$$(basename "$$d").zip" .) && \
		echo "$$d.zip: upload it as the autograder (Gradescope: Configure Autograder)"; \
	elif [ $@ = gradescope ]; then \
		echo "$$d: zip its files (not the directory: they go at the zip's root)"; \
	else \
		echo "$$d: docker build -t YOUR-REGISTRY/socklab-ex$(N) $$d, then info.json"; \
	fi

# where bash-completion and (Debian's) zsh look for completions
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/vendor-completions

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/socklab \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BUILD)/socklab $(DESTDIR)$(PREFIX)/bin/socklab
	install -m 755 $(LAB_BINS) $(DESTDIR)$(PREFIX)/libexec/socklab/
	install -d $(DESTDIR)$(PREFIX)/share/socklab/py
	install -m 644 $(PYLAB_FILES) $(DESTDIR)$(PREFIX)/share/socklab/py/
	install -m 644 docs/socklab.1 $(DESTDIR)$(PREFIX)/share/man/man1/socklab.1
	for m in $(MAN_LANGS); do \
		install -d $(DESTDIR)$(PREFIX)/share/man/$$m/man1 && \
		install -m 644 docs/$$m/socklab.1 $(DESTDIR)$(PREFIX)/share/man/$$m/man1/socklab.1 || exit 1; \
	done
	for l in $(PO_LANGS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/socklab.mo \
			$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/socklab.mo || exit 1; \
	done
	install -m 644 completions/socklab.bash $(DESTDIR)$(BASHCOMPDIR)/socklab
	install -m 644 completions/_socklab $(DESTDIR)$(ZSHCOMPDIR)/_socklab

# what install put, and libexec/socklab (ours alone); the shared
# directories (bin, man1, ...) stay
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/socklab $(DESTDIR)$(PREFIX)/share/man/man1/socklab.1 \
		$(DESTDIR)$(BASHCOMPDIR)/socklab $(DESTDIR)$(ZSHCOMPDIR)/_socklab \
		$(PO_LANGS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/socklab.mo) \
		$(MAN_LANGS:%=$(DESTDIR)$(PREFIX)/share/man/%/man1/socklab.1)
	rm -rf $(DESTDIR)$(PREFIX)/libexec/socklab $(DESTDIR)$(PREFIX)/share/socklab

clean:
	@rm -rf build 2>/dev/null || { echo "make clean: build/ holds files this user cannot" \
		"remove (left by an earlier sudo make?): sudo rm -rf build" >&2; exit 1; }

# what each object included, from its last compile (DEPFLAGS)
-include $(shell find $(BUILD)/obj $(BUILD)/gen $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
