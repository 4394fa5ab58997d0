# Host tests of the launch plan (cmocka, ASan+UBSan), its fuzz target, the dry run.
TEST_BIN := $(O)/test
FUZZ_TIME ?= 600
FUZZ_SMOKE_TIME ?= 15

$(TEST_BIN)/test_plan: $(O)/host/tests/unit/test_plan.o $(LAUNCH_HOST_OBJS)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

$(O)/fuzz/fuzz_plan: tests/fuzz/fuzz_plan.c $(LAUNCH_SRCS) | deps
	$(call say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^

.PHONY: test-plan test-fuzz-smoke fuzz test-dryrun
test-plan: $(TEST_BIN)/test_plan
	$(Q)$<

# Runs the fuzzer over a scratch copy of the corpus so the repository stays clean.
define run_fuzz
	@rm -rf $(O)/fuzz/work && mkdir -p $(O)/fuzz/work && cp tests/fuzz/corpus/plan/* $(O)/fuzz/work/
	$(Q)$(O)/fuzz/fuzz_plan -max_total_time=$(1) -max_len=4096 -print_final_stats=1 \
		-artifact_prefix=$(O)/fuzz/ $(O)/fuzz/work 2>&1 | \
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|Done)' ; \
		test $${PIPESTATUS[0]} -eq 0
endef
test-fuzz-smoke: SHELL := /bin/bash
test-fuzz-smoke: $(O)/fuzz/fuzz_plan
	$(call run_fuzz,$(FUZZ_SMOKE_TIME))
fuzz: SHELL := /bin/bash
fuzz: $(O)/fuzz/fuzz_plan
	$(call run_fuzz,$(FUZZ_TIME))

test-dryrun: $(O)/init
	$(Q)O=$(O) tests/dryrun.sh

TEST_STEPS += test-plan test-fuzz-smoke test-dryrun
