# host/: uvmctl, the host program (glibc, jansson); never linked into the guest. It
# reuses gcs-launch/ (pure) to read back the command line it plans. See docs/uvmctl.md.
UVMCTL_SRCS := host/uvmctl.c host/spec.c host/policy.c host/goparse.c host/uvmplan.c
UVMCTL_LIB_SRCS := $(filter-out host/uvmctl.c,$(UVMCTL_SRCS)) $(LAUNCH_SRCS)
# The shipped host build: optimised, hardened, no sanitizers; objects in $(O)/glibc/.
GLIBC_CC ?= cc
GLIBC_CFLAGS := $(PROJECT_CFLAGS) -Ihost -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	$(CFLAGS)
# jansson from libjansson-dev (scripts/deps); on a fresh machine make reads this before
# deps has run, so a missing pkg-config answer falls back to the Debian defaults.
JANSSON_CFLAGS = $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS = $(or $(shell pkg-config --libs jansson 2>/dev/null),-ljansson)

$(O)/glibc/%.o: %.c | deps
	$(call say,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(GLIBC_CC) $(GLIBC_CFLAGS) $(JANSSON_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/uvmctl: $(UVMCTL_SRCS:%.c=$(O)/glibc/%.o) $(LAUNCH_SRCS:%.c=$(O)/glibc/%.o)
	$(call say,LD,$@)
	$(Q)pkg-config --exists jansson || { echo 'jansson not found: scripts/deps installs libjansson-dev' >&2; exit 1; }
	$(Q)$(GLIBC_CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS)

all: $(O)/uvmctl
install: install-uvmctl
.PHONY: install-uvmctl
install-uvmctl: $(O)/uvmctl
	install -D -m 0755 $(O)/uvmctl $(DESTDIR)$(PREFIX)/bin/uvmctl

# --- tests --------------------------------------------------------------------------
$(O)/host/host/%.o: HOST_CFLAGS += -Ihost $(JANSSON_CFLAGS)
$(O)/host/tests/host/%.o: HOST_CFLAGS += -Ihost $(JANSSON_CFLAGS)
UVMCTL_TEST_OBJS := $(UVMCTL_LIB_SRCS:%.c=$(O)/host/%.o)

$(TEST_BIN)/test_uvmctl: $(O)/host/tests/host/test_uvmctl.o $(UVMCTL_TEST_OBJS)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka $(JANSSON_LIBS)

$(O)/fuzz/fuzz_uvmctl: tests/fuzz/fuzz_uvmctl.c $(UVMCTL_LIB_SRCS) | deps
	$(call say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -Ihost $(JANSSON_CFLAGS) -o $@ $^ $(JANSSON_LIBS)
FUZZ_TARGETS += uvmctl

.PHONY: test-uvmctl test-uvmctl-cli
test-uvmctl: $(TEST_BIN)/test_uvmctl
	$(Q)timeout 300 $<
# the shipped binary: exit codes and messages, examples/, and every plan read back by
# build/init --dry-run (fenced)
test-uvmctl-cli: $(O)/uvmctl $(O)/init
	$(Q)O=$(O) RUN_GUEST=$(RUN_GUEST) NM=$(GUEST_NM) tests/host/cli.sh

TEST_STEPS += test-uvmctl test-uvmctl-cli
