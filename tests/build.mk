# Host tests of the launch plan (cmocka, ASan+UBSan), the fuzz targets (the plan and
# vsockexec's options), the dry run.
TEST_BIN := $(O)/test
FUZZ_TIME ?= 600
FUZZ_SMOKE_TIME ?= 10

$(TEST_BIN)/test_plan: $(O)/host/tests/unit/test_plan.o $(LAUNCH_HOST_OBJS)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(TEST_BIN)/test_fmt: $(O)/host/tests/unit/test_fmt.o $(O)/host/gcs-launch/fmt.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(O)/fuzz/fuzz_plan: tests/fuzz/fuzz_plan.c $(LAUNCH_SRCS) | deps
	$(call say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^

.PHONY: test-plan test-fuzz-smoke fuzz test-dryrun
test-plan: $(TEST_BIN)/test_plan $(TEST_BIN)/test_fmt
	$(Q)timeout 300 $(TEST_BIN)/test_plan
	$(Q)timeout 300 $(TEST_BIN)/test_fmt

# Runs a fuzzer over a scratch copy of its corpus so the repository stays clean:
# $(call run_fuzz,TARGET,SECONDS)
FUZZ_TARGETS := plan vsockexec_args
define run_fuzz
	@rm -rf $(O)/fuzz/work-$(1) && mkdir -p $(O)/fuzz/work-$(1) && \
		cp tests/fuzz/corpus/$(1)/* $(O)/fuzz/work-$(1)/
	@echo "fuzz_$(1): $(2) s"
	$(Q)$(O)/fuzz/fuzz_$(1) -max_total_time=$(2) -max_len=4096 -timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(O)/fuzz/$(1)- $(O)/fuzz/work-$(1) 2>&1 | \
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|Done)' ; \
		test $${PIPESTATUS[0]} -eq 0
endef
fuzz-run-%: SHELL := /bin/bash
fuzz-run-%: $(O)/fuzz/fuzz_%
	$(call run_fuzz,$*,$(FUZZ_SECONDS))
test-fuzz-smoke:
	$(Q)for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory fuzz-run-$$t FUZZ_SECONDS=$(FUZZ_SMOKE_TIME) || exit 1; done
fuzz:
	$(Q)for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory fuzz-run-$$t FUZZ_SECONDS=$(FUZZ_TIME) || exit 1; done

test-dryrun: $(O)/init
	$(Q)O=$(O) RUN_GUEST=$(RUN_GUEST) tests/dryrun.sh

TEST_STEPS += test-plan test-fuzz-smoke test-dryrun

# scripts/boot-timeline against a hand-made boot log
.PHONY: test-timeline
test-timeline:
	$(Q)tests/timeline/run.sh
TEST_STEPS += test-timeline

# make clean-cache on a scratch cache: ours removed, nothing else
.PHONY: test-cache
test-cache:
	$(Q)tests/cache.sh
TEST_STEPS += test-cache

# --- the unit tests for a cross-built guest (make ARCH=arm64 test-unit-cross) -------------
# The same cmocka tests, built with the guest's toolchain against the shipped objects
# ($(O)/musl/...) and cmocka for aarch64 musl (scripts/deps), no sanitizers; each runs
# under $(RUN_GUEST) (qemu-aarch64-static) inside the seccomp fence (tests/ns/fence.c:
# socket(AF_VSOCK) fails), since a user-mode emulator makes its syscalls on this machine.
# init_spawn is left out: qemu-user runs spawn's clone(CLONE_VM | CLONE_VFORK) as a plain
# fork, so the child's exec error never reaches the parent's memory; the arm64 boot set's
# agent-missing and agent-exit3 boots test spawn on an arm64 kernel instead.
CMOCKA_CROSS := $(UVMINIT_CACHE)/cmocka-musl$(ARCH_CACHE)
CROSS_TEST := $(O)/cross-test
# (cmocka.h takes uintptr_t from glibc's headers; with musl it needs stdint.h first)
# The cross unit tests' sources only: tests/guest/, tests/probe/ and tests/bench/ are
# in-guest programs with no cmocka in them.
CROSS_TEST_DIRS := unit vsockexec init
$(CROSS_TEST_DIRS:%=$(O)/musl/tests/%/%.o): MUSL_CFLAGS += -isystem $(CMOCKA_CROSS)/include \
	-D_UINTPTR_T_DEFINED -include stdint.h

WRAP_SEND := -Wl,--wrap=send
define cross_link
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) $(MUSL_CFLAGS) -static $(2) -o $@ $(1) $(CMOCKA_CROSS)/lib/libcmocka.a
endef

$(CROSS_TEST)/test_plan: $(O)/musl/tests/unit/test_plan.o $(LAUNCH_MUSL_OBJS)
	$(call cross_link,$^,)
$(CROSS_TEST)/test_fmt: $(O)/musl/tests/unit/test_fmt.o $(O)/musl/gcs-launch/fmt.o
	$(call cross_link,$^,)
$(CROSS_TEST)/test_vsock_ring: $(O)/musl/tests/vsockexec/test_ring.o $(O)/musl/vsock/ring.o
	$(call cross_link,$^,)
$(CROSS_TEST)/test_vsock_backlog: $(O)/musl/tests/vsockexec/test_backlog.o \
		$(O)/musl/vsock/backlog.o $(O)/musl/vsock/ring.o $(O)/musl/gcs-launch/fmt.o
	$(call cross_link,$^,$(WRAP_SEND))
$(CROSS_TEST)/test_vsock_args: $(O)/musl/tests/vsockexec/test_args.o $(O)/musl/vsock/args.o \
		$(O)/musl/gcs-launch/parse.o $(O)/musl/gcs-launch/fmt.o
	$(call cross_link,$^,)
CROSS_INIT_OBJS := $(INIT_TEST_UNITS:%=$(O)/musl/init/%.o) $(O)/musl/tests/init/mock.o \
	$(WRITE_BOUNDED_MUSL_OBJ) $(O)/musl/gcs-launch/escape.o $(O)/musl/gcs-launch/parse.o
$(CROSS_TEST)/init_%: $(O)/musl/tests/init/test_%.o $(CROSS_INIT_OBJS)
	$(call cross_link,$^,$(INIT_TEST_WRAPS:%=-Wl,--wrap=%))
# net: the shipped net.o and libnl-3 for the guest, against this machine's kernel in a
# network namespace of its own (root), as on x86_64
$(CROSS_TEST)/init_net: $(O)/musl/tests/init/test_net.o $(O)/musl/init/net.o
	$(call cross_link,$^ $(INIT_LIBS),)

# vxtest (the host driver, 141 checks of the relay) against the AF_UNIX test build of
# vsockexec for the guest (no vsock code in it), run through the emulator by a wrapper
# (tests/vsockexec/emu.c: host signals 32 and 33, which qemu-user cannot give the guest,
# back to their default first)
$(CROSS_TEST)/emu: tests/vsockexec/emu.c
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(PROJECT_CFLAGS) -O1 $(CFLAGS) -o $@ $<
$(CROSS_TEST)/vsockexec-unix.sh: $(O)/test/vsockexec-unix $(CROSS_TEST)/emu
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s %s %s "$$@"\n' '$(abspath $(CROSS_TEST)/emu)' '$(RUN_GUEST)' \
		'$(abspath $<)' >$@ && chmod +x $@

CROSS_TESTS := $(addprefix $(CROSS_TEST)/,test_plan test_fmt test_vsock_ring \
	test_vsock_backlog test_vsock_args $(patsubst %,init_%,$(filter-out spawn,$(INIT_TESTS)) net))
.SECONDARY: $(CROSS_INIT_OBJS) $(INIT_TESTS:%=$(O)/musl/tests/init/test_%.o)

.PHONY: test-unit-cross
# Each group's cmocka summary, or its whole output when it fails; a skipped test fails
# the step (nothing skipped is counted as passed).
ifeq ($(RUN_GUEST),)
test-unit-cross:
	@echo "test-unit-cross: ARCH=$(ARCH) is this machine's (make test runs its unit tests)"; exit 1
else
test-unit-cross: $(CROSS_TESTS) $(O)/fence $(O)/test/vxtest $(CROSS_TEST)/vsockexec-unix.sh
	$(Q)for t in $(CROSS_TESTS); do \
		out=$$(timeout 120 $(O)/fence $(RUN_GUEST) $$t 2>&1) && \
			! printf '%s\n' "$$out" | grep -q 'SKIPPED' || { printf '%s\n' "$$out"; exit 1; }; \
		printf '%-22s %s\n' "$${t##*/} ($(ARCH)):" "$$(printf '%s\n' "$$out" | grep -F 'PASSED')"; \
	done
	$(Q)out=$$(timeout 300 $(O)/fence $(O)/test/vxtest $(CROSS_TEST)/vsockexec-unix.sh 2>&1) || \
		{ printf '%s\n' "$$out"; exit 1; }; printf 'vxtest ($(ARCH)): %s\n' "$$(printf '%s\n' "$$out" | tail -n 1)"
endif
