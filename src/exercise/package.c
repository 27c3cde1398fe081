/* package.c — the scripts a course platform runs to grade an exercise
 * with socklab (package.h).  Each script's text is here, whole, as the
 * platform will run it; "%1$d" is the exercise's number. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "package.h"

/* Debian's and Ubuntu's packages to build socklab (tools/deps.sh's build
 * tier) and to grade with it: the sandbox's ip(8) and nft(8) (exercises
 * 09 and 10), python3 for Python submissions. */
#define INSTALL                                                                        \
	"export DEBIAN_FRONTEND=noninteractive\n"                                      \
	"apt-get update\n"                                                             \
	"apt-get install -y --no-install-recommends make gcc libc6-dev pkg-config \\\n" \
	"\tlibmnl-dev libncurses-dev libedit-dev libpcap-dev iproute2 nftables python3\n" \
	"mkdir -p /opt/socklab-src\n"                                                  \
	"tar -xzf socklab-src.tar.gz -C /opt/socklab-src --strip-components=1\n"       \
	"make -C /opt/socklab-src BPF=0 WERROR=\n"                                     \
	"make -C /opt/socklab-src BPF=0 WERROR= install PREFIX=/usr/local\n"

static const char gs_setup[] =
	"#!/bin/sh\n"
	"# setup.sh - Gradescope builds the autograder's image with this (as root, on\n"
	"# its Ubuntu base image), in /autograder/source: socklab from the source\n"
	"# tarball beside it, and what grading exercise %1$02d needs.\n"
	"set -eu\n"
	"cd \"$(dirname \"$0\")\"\n"
	INSTALL
	"# what this machine can do, in the build's log: \"sandbox yes\" or why not\n"
	"# (docs/grading.md, \"Where no namespace can be made\")\n"
	"socklab --version\n"
	"socklab exercise show %1$d >/dev/null\n";

static const char gs_run[] =
	"#!/bin/sh\n"
	"# run_autograder - Gradescope runs this for each submission: socklab grades\n"
	"# the one FILE.c or FILE.py in /autograder/submission (exercise %1$02d) in a\n"
	"# sandbox of its own, from what the kernel saw, and writes one test per\n"
	"# criterion to /autograder/results/results.json.  AUTOGRADER names another\n"
	"# root (a test lays one out in a temporary directory).\n"
	"A=${AUTOGRADER:-/autograder}\n"
	"mkdir -p \"$A/results\"\n"
	"rm -f \"$A/results/results.json\"\n"
	"socklab exercise check %1$d \"$A/submission\" --gradescope \"$A/results/results.json\"\n"
	"status=$?\n"
	"# 1: some criteria were not met (the score says which); 2: not graded, and\n"
	"# results.json says why when it could be written: then it is the answer\n"
	"[ \"$status\" -le 1 ] || [ -s \"$A/results/results.json\" ] && exit 0\n"
	"exit \"$status\"\n";

static const char pl_docker[] =
	"# Dockerfile - PrairieLearn's external grader image for socklab exercise %1$02d.\n"
	"# Build it beside socklab-src.tar.gz, push it, and name it in the question's\n"
	"# info.json (externalGradingOptions.image).\n"
	"FROM debian:bookworm-slim\n"
	"WORKDIR /tmp\n"
	"COPY socklab-src.tar.gz /tmp/\n"
	"RUN set -eu; \\\n"
	"    export DEBIAN_FRONTEND=noninteractive; apt-get update; \\\n"
	"    apt-get install -y --no-install-recommends make gcc libc6-dev pkg-config \\\n"
	"      libmnl-dev libncurses-dev libedit-dev libpcap-dev iproute2 nftables python3; \\\n"
	"    mkdir -p /opt/socklab-src; \\\n"
	"    tar -xzf socklab-src.tar.gz -C /opt/socklab-src --strip-components=1; \\\n"
	"    make -C /opt/socklab-src BPF=0 WERROR=; \\\n"
	"    make -C /opt/socklab-src BPF=0 WERROR= install PREFIX=/usr/local; \\\n"
	"    rm -rf /var/lib/apt/lists/*\n"
	"COPY socklab-grade /usr/local/bin/socklab-grade\n"
	"RUN chmod 755 /usr/local/bin/socklab-grade\n";

static const char pl_grade[] =
	"#!/bin/sh\n"
	"# socklab-grade - PrairieLearn's entrypoint: socklab grades the one FILE.c or\n"
	"# FILE.py in /grade/student (exercise %1$02d) in a sandbox of its own and writes\n"
	"# /grade/results/results.json.  GRADE names another root (a test lays one out\n"
	"# in a temporary directory).\n"
	"G=${GRADE:-/grade}\n"
	"mkdir -p \"$G/results\"\n"
	"rm -f \"$G/results/results.json\"\n"
	"socklab exercise check %1$d \"$G/student\" --prairielearn \"$G/results/results.json\"\n"
	"status=$?\n"
	"# 1: some criteria were not met (score < 1); 2: not graded, and results.json\n"
	"# says why (gradable: false) when it could be written.  PrairieLearn reads\n"
	"# results.json only when the entrypoint exits 0.\n"
	"[ \"$status\" -le 1 ] || [ -s \"$G/results/results.json\" ] && exit 0\n"
	"exit \"$status\"\n";

static const char pl_info[] =
	"{\n"
	"  \"externalGradingOptions\": {\n"
	"    \"enabled\": true,\n"
	"    \"image\": \"YOUR-REGISTRY/socklab-ex%1$d\",\n"
	"    \"entrypoint\": \"/usr/local/bin/socklab-grade\",\n"
	"    \"timeout\": 60\n"
	"  }\n"
	"}\n";

static const struct file {
	enum package_platform platform;
	const char *name;
	const char *text;
	mode_t mode;
} files[] = {
	{ PACKAGE_GRADESCOPE, "setup.sh", gs_setup, 0755 },
	{ PACKAGE_GRADESCOPE, "run_autograder", gs_run, 0755 },
	{ PACKAGE_PRAIRIELEARN, "Dockerfile", pl_docker, 0644 },
	{ PACKAGE_PRAIRIELEARN, "socklab-grade", pl_grade, 0755 },
	{ PACKAGE_PRAIRIELEARN, "info.json", pl_info, 0644 },
};

int package_write(const struct exercise *e, enum package_platform p, const char *dir,
		  char *written, size_t wlen, char *err, size_t elen)
{
	size_t at = 0;

	written[0] = '\0';
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const struct file *f = &files[i];
		char path[4096];
		FILE *out;
		int bad;

		if (f->platform != p)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, f->name);
		if ((out = fopen(path, "w")) == NULL) {
			snprintf(err, elen, "%s: %s", path, strerror(errno));
			return -1;
		}
		fprintf(out, f->text, e->number);
		bad = ferror(out);
		if (fclose(out) != 0 || bad || chmod(path, f->mode) < 0) {
			snprintf(err, elen, "%s: %s", path, strerror(errno ? errno : EIO));
			return -1;
		}
		if (at < wlen)
			at += (size_t)snprintf(written + at, wlen - at, "%s\n", path);
	}
	return 0;
}
