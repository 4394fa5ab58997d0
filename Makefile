# uvminit: make | make test | make initrd | make overlay | make delta | make kernel | make boot | make bench
#          make clean (the build directory) | make clean-cache (the dependency cache)
#
# ARCH=x86_64|arm64  the guest architecture (default x86_64; arm64: cross-built, booted
#              under qemu-system-aarch64, see docs/arm64.md)
# O=DIR        build directory (default: build, and build/arm64 for ARCH=arm64)
# V=1          show every command
# CFLAGS=...   appended to the project's flags, never replacing them
# DESTDIR, PREFIX for make install
# UVMINIT_CACHE  where dependencies are downloaded and built (default ~/.cache/uvminit)

.SUFFIXES:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

# --- architecture ------------------------------------------------------------------
# The guest architecture's toolchain facts, here only, but for its compiler: that and the
# run-time facts (qemu, console, kernel package, user-mode emulator) are in
# scripts/arch.sh, which the scripts source (ARCH is exported) and arch_fact reads below.
ARCH ?= x86_64
ifeq ($(ARCH),aarch64)
override ARCH := arm64
endif
ifneq ($(filter amd64 x86,$(ARCH)),)
override ARCH := x86_64
endif
ifeq ($(ARCH),x86_64)
O ?= build
STRIP ?= strip
GUEST_NM := nm
ARCH_CACHE :=
ARCH_LDFLAGS :=
else ifeq ($(ARCH),arm64)
O ?= build/arm64
STRIP ?= aarch64-linux-gnu-strip
GUEST_NM := aarch64-linux-gnu-nm
ARCH_CACHE := -arm64
# ld's aarch64 pages are 64 KiB at most: a page-aligned RELRO end pads the file with up to
# 64 KiB of zeros (vsockexec 65 KB, not 31). A static binary's RELRO guards little.
ARCH_LDFLAGS := -Wl,-z,norelro
else
$(error ARCH=$(ARCH): not x86_64 or arm64)
endif
export ARCH
# $(call arch_fact,NAME): scripts/arch.sh's NAME for this ARCH
arch_fact = $(shell ARCH=$(ARCH) bash -c '. scripts/arch.sh && echo "$$$(1)"')
MUSL_CC := $(call arch_fact,GUEST_CC)
# what runs a guest program on this machine (tests only): nothing for x86_64 (natively),
# the user-mode emulator for arm64
RUN_GUEST := $(call arch_fact,QEMU_USER)

# make bench N=...: the rounds (boots, builds, runs) of every benchmark
N ?= 5
PREFIX ?= /usr/local
DESTDIR ?=
# the default is scripts/paths.sh's (CACHE), as every script has it
ifndef UVMINIT_CACHE
UVMINIT_CACHE := $(shell bash -c '. scripts/paths.sh && echo "$$CACHE"')
endif
export UVMINIT_CACHE

ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

# --- toolchains -------------------------------------------------------------------
# Shipped binaries: static musl, size-optimised, stripped.
LIBNL := $(UVMINIT_CACHE)/libnl-musl$(ARCH_CACHE)
PROJECT_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers \
	-I. -Igcs-launch -Ivsock -Iinit
MUSL_CFLAGS := $(PROJECT_CFLAGS) -Os -isystem $(UVMINIT_CACHE)/uapi$(ARCH_CACHE) -ffunction-sections \
	-fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector \
	-fno-ident $(CFLAGS)
MUSL_LDFLAGS := -static -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code \
	$(ARCH_LDFLAGS) $(LDFLAGS)

# Host unit tests: glibc, sanitizers.
HOST_CC ?= clang
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS := $(PROJECT_CFLAGS) -g -O1 $(SAN) $(CFLAGS)
HOST_LDFLAGS := $(SAN) $(LDFLAGS)
FUZZ_CFLAGS := $(PROJECT_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined $(CFLAGS)

# --- dependencies -----------------------------------------------------------------
# Runs scripts/deps when something is missing (a fresh machine); quick otherwise.
.PHONY: deps
deps:
	$(Q)scripts/deps --check >/dev/null 2>&1 || scripts/deps

# --- modules ----------------------------------------------------------------------
# Each directory describes its own objects; see docs/ARCHITECTURE.md.
include gcs-launch/build.mk
-include vsock/build.mk
-include init/build.mk
-include initrd/build.mk
-include tests/build.mk
-include host/build.mk

# musl objects: $(O)/musl/<src>.o ; host objects: $(O)/host/<src>.o
$(O)/musl/%.o: %.c | deps
	$(call say,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) $(MUSL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/host/%.o: %.c | deps
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

# link a shipped binary: $(call musl_link,objects,libs)
define musl_link
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) $(MUSL_CFLAGS) $(MUSL_LDFLAGS) -o $@.unstripped $(1) $(2)
	$(Q)$(STRIP) -s -R .comment -R .note -o $@ $@.unstripped
endef

.PHONY: all clean install test lint
all: $(O)/init $(O)/vsockexec

install: all
	install -D -m 0755 $(O)/init $(DESTDIR)$(PREFIX)/lib/uvminit/init
	install -D -m 0755 $(O)/vsockexec $(DESTDIR)$(PREFIX)/bin/vsockexec

clean:
	rm -rf $(O)

# The dependency cache (about 800 MB, most of it the two test kernels' packages): only what
# scripts/deps and scripts/kernel put there is removed, never anything else in the
# directory UVMINIT_CACHE names.
CACHE_ENTRIES := kernel libnl-musl libnl-musl.tmp libnl-src libnl-build.log uapi .lock \
	.lock-kernel libnl-musl-arm64 libnl-musl-arm64.tmp libnl-src-arm64 libnl-build-arm64.log \
	uapi-arm64 cmocka-musl-arm64 cmocka-musl-arm64.tmp cmocka-src-arm64 busybox-arm64
.PHONY: clean-cache
clean-cache:
	$(Q)set -e; for e in $(CACHE_ENTRIES); do rm -rf -- "$(UVMINIT_CACHE)/$$e"; done; \
		rmdir -- "$(UVMINIT_CACHE)" 2>/dev/null || true

SHELL_SCRIPTS := $(wildcard scripts/* .ci/run tests/*.sh tests/*/*.sh)
lint:
	$(call say,LINT,shell scripts)
	$(Q)shellcheck -x $(SHELL_SCRIPTS)
	$(Q)for t in $(TEST_STEPS) $(BENCH_STEPS); do grep -qE "[\` ]$$t\`" docs/interface.md || \
		{ echo "docs/interface.md does not list the step $$t"; exit 1; }; done

# `make test` runs every step below; modules append theirs to TEST_STEPS.
test: | deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)set -e; for t in lint $(TEST_STEPS); do \
		printf '== %s\n' "$$t"; $(MAKE) --no-print-directory $$t; done
	@echo "== all tests passed"

# `make bench`: modules append steps to BENCH_STEPS; each prints its figures as
# "BENCH name value unit" lines, collected and printed together at the end.
.PHONY: bench
bench: all | deps
	$(Q)set -e; : >$(O)/bench.txt; for b in $(BENCH_STEPS); do \
		printf '== %s\n' "$$b"; $(MAKE) --no-print-directory $$b | tee -a $(O)/bench.txt; done
	@echo "== figures"
	@sed -n 's/^BENCH //p' $(O)/bench.txt
	@echo "== what the figures mean"
	@sed -n 's/^NOTE //p' $(O)/bench.txt | awk '!seen[$$0]++'

# --- the shipped binaries' size budget, both architectures ---------------------------
INIT_MAX_BYTES := 204800
VSOCKEXEC_MAX_BYTES := 49152
.PHONY: test-size
test-size: $(O)/init $(O)/vsockexec
	$(Q)set -e; for f in init:$(INIT_MAX_BYTES) vsockexec:$(VSOCKEXEC_MAX_BYTES); do \
		n=$$(stat -c %s $(O)/$${f%%:*}); \
		if [ "$$n" -gt "$${f#*:}" ]; then \
			echo "FAIL $(O)/$${f%%:*} ($(ARCH)): $$n bytes, over $${f#*:}"; exit 1; fi; \
		echo "ok   $(O)/$${f%%:*} ($(ARCH)): $$n bytes <= $${f#*:}"; done
TEST_STEPS += test-size

# --- arm64 in make test ----------------------------------------------------------------
# make test (x86_64) ends with the arm64 steps, a sub-make in $(O)/arm64; make ARCH=arm64
# test runs only those: the size budget, the unit tests under qemu-aarch64-static, the
# dry run's plans, the arm64 boot set (tests/boot/run.sh ARM64_SET). make bench
# ARCH=arm64: the sizes and the boot benchmark.
ARM64_TEST_STEPS := test-size test-unit-cross test-dryrun test-uvmctl-cli test-initrd test-boot
ifeq ($(ARCH),arm64)
TEST_STEPS := $(ARM64_TEST_STEPS)
BENCH_STEPS := bench-init-size bench-boot
else
TEST_STEPS += test-arm64
endif
.PHONY: test-arm64
test-arm64:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 O=$(O)/arm64 test

-include $(shell find $(O) -name '*.d' 2>/dev/null)
