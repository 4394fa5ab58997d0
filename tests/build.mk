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
	$(Q)O=$(O) tests/dryrun.sh

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
