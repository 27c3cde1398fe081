# socklab — one Makefile, no generator.
#   make            build/socklab and build/labs/NN-slug (one per lab)
#   make run        the dashboard, at the story lab
#   make test       unit tests, CLI tests, valgrind on the CLI, lab conformance (TAP)
#   make test SAN=1 the same, built with ASan+UBSan into build/san
#   make deps       install missing Debian packages (apt-get; sudo if not root)
#   make bench      benchmarks (bench/)
#   make docs       the lab pages' transcripts (docs/labs)
#   make install    PREFIX=/usr/local

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
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) $(CFLAGS) $(SANFLAGS) \
	-Isrc $(MNL_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(MNL_LIBS) $(CURSES_LIBS)

# the lab runtime alone: what a standalone lab links (and a student's cc line)
RUNTIME_SRCS = src/lab/runtime.c src/lab/proto.c src/sandbox/sandbox.c
CORE_SRCS = $(filter-out src/main.c $(RUNTIME_SRCS),$(wildcard src/*.c src/*/*.c))
LAB_SRCS = $(sort $(wildcard labs/[0-9][0-9]-*.c))
LAB_NAMES = $(basename $(notdir $(LAB_SRCS)))
TEST_LAB_SRCS = $(wildcard tests/labs/*.c)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
TOOL_SRCS = $(wildcard tests/tools/*.c)

RUNTIME_OBJS = $(RUNTIME_SRCS:%.c=$(BUILD)/obj/%.o)
CORE_OBJS = $(CORE_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/lab_sources.o \
	$(BUILD)/obj/gen/exercise_files.o
EXERCISE_FILES = $(sort $(wildcard exercises/[0-9][0-9]-*/README.md exercises/[0-9][0-9]-*/starter.c))
LINKED_LAB_OBJS = $(LAB_SRCS:%.c=$(BUILD)/obj/linked/%.o)
LIB = $(BUILD)/libsocklab.a

LAB_BINS = $(LAB_NAMES:%=$(BUILD)/labs/%)
TEST_LAB_BINS = $(TEST_LAB_SRCS:tests/labs/%.c=$(BUILD)/tests/labs/%)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BINS = $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%)

.PHONY: all run test unit cli tap memcheck deps bench install clean docs
.DELETE_ON_ERROR:

all: $(BUILD)/socklab $(LAB_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# A lab linked into socklab: main() becomes lab_main_NN, LAB() only registers.
$(BUILD)/obj/linked/labs/%.o: labs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DLAB_LINKED -Dmain=lab_main_$(subst -,_,$*) -c $< -o $@

$(BUILD)/gen/lab_sources.c: $(LAB_SRCS) tools/embed-sources.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sources.sh $(LAB_SRCS) > $@

# the exercises' task texts and starters, for an installed socklab
$(BUILD)/gen/exercise_files.c: $(EXERCISE_FILES) tools/embed-sources.sh
	@mkdir -p $(dir $@)
	EMBED_ARRAY=exercise_files sh tools/embed-sources.sh $(EXERCISE_FILES) > $@

$(BUILD)/obj/gen/exercise_files.o: $(BUILD)/gen/exercise_files.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/lab_sources.o: $(BUILD)/gen/lab_sources.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJS) $(RUNTIME_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/socklab: $(BUILD)/obj/src/main.o $(LINKED_LAB_OBJS) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/labs/%: labs/%.c $(RUNTIME_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(RUNTIME_OBJS)

$(BUILD)/tests/labs/%: tests/labs/%.c $(RUNTIME_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(RUNTIME_OBJS)

# small programs the tests start: processes socklab did not create
$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

run: deps all
	$(BUILD)/socklab dash 7

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# every expectation of every lab, as TAP, against this kernel
tap: all
	@st=0; $(BUILD)/socklab check --tap > $(BUILD)/check.tap || st=$$?; \
	cat $(BUILD)/check.tap; sh tests/tap-summary.sh $(BUILD)/check.tap && exit $$st

cli: all $(TEST_LAB_BINS) $(TOOL_BINS)
	SOCKLAB_BUILD=$(BUILD) bats tests/cli

# memcheck on the CLI paths (not under SAN: the two do not mix)
memcheck: all $(TEST_LAB_BINS)
	sh tests/valgrind.sh $(BUILD)

test: deps
	$(MAKE) --no-print-directory unit cli $(if $(filter 1,$(SAN)),,memcheck) tap

deps:
	@sh tools/deps.sh

# the transcripts in docs/labs (only where a lab's steps or expectations changed)
docs: all
	@sh tools/docs.sh $(BUILD)

bench: all $(TOOL_BINS)
	@sh bench/check.sh $(BUILD)
	@sh bench/rules.sh $(BUILD)
	@sh bench/inspect.sh $(BUILD)
	@sh bench/dash.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/socklab \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/socklab $(DESTDIR)$(PREFIX)/bin/socklab
	install -m 755 $(LAB_BINS) $(DESTDIR)$(PREFIX)/libexec/socklab/
	install -m 644 docs/socklab.1 $(DESTDIR)$(PREFIX)/share/man/man1/socklab.1

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
