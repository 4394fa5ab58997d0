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

# --- uvmhost: the host server (docs/uvmhost.md) ---------------------------------------
# Three builds of one program: build/uvmhost for hosts (glibc, no jansson),
# build/uvmhost-static (static musl: the in-guest scenarios, any host), and the test
# build build/test/uvmhost-uds (ASan+UBSan), which links tests/host/novsock.c in place
# of host/hostvsock.c: it has no AF_VSOCK code at all.
UVMHOST_SRCS := host/uvmhost.c host/logsink.c host/hlog.c vsock/ring.c vsock/vxlog.c \
	vsock/write_bounded.c gcs-launch/fmt.c gcs-launch/parse.c

$(O)/uvmhost: $(UVMHOST_SRCS:%.c=$(O)/glibc/%.o) $(O)/glibc/host/hostvsock.o
	$(call say,LD,$@)
	$(Q)$(GLIBC_CC) $(LDFLAGS) -pthread -o $@ $^

$(O)/musl/host/%.o: MUSL_CFLAGS += -Ihost
$(O)/uvmhost-static: $(UVMHOST_SRCS:%.c=$(O)/musl/%.o) $(O)/musl/host/hostvsock.o
	$(call musl_link,$^,)

$(O)/test/uvmhost-uds: $(UVMHOST_SRCS:%.c=$(O)/host/%.o) $(O)/host/tests/host/novsock.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -pthread -o $@ $^

all: $(O)/uvmhost $(O)/uvmhost-static
install: install-uvmhost
.PHONY: install-uvmhost
install-uvmhost: $(O)/uvmhost
	install -D -m 0755 $(O)/uvmhost $(DESTDIR)$(PREFIX)/bin/uvmhost

# the guest's side of the tests, over AF_UNIX
$(O)/test/uhclient: $(O)/host/tests/host/uhclient.o $(O)/host/gcs-launch/parse.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

# the log writer against a log whose write(2) the test scripts (wrapped at link time)
$(O)/test/test_logsink: $(O)/host/tests/host/test_logsink.o \
		$(filter-out $(O)/host/host/uvmhost.o,$(UVMHOST_SRCS:%.c=$(O)/host/%.o))
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -pthread -Wl,--wrap=write -o $@ $^ -lcmocka

# the log writer's unit test, then uvmhost over AF_UNIX only (the test build, under
# build/fence), the shipped binaries' options under the strace fence
.PHONY: test-uvmhost
test-uvmhost: $(O)/test/test_logsink $(O)/test/uvmhost-uds $(O)/test/uhclient $(O)/fence \
		$(O)/uvmhost $(O)/uvmhost-static
	$(Q)timeout 300 $(O)/test/test_logsink
	$(Q)O=$(O) tests/host/uvmhost.sh
TEST_STEPS += test-uvmhost

# the relay across hosts that stop and start on one hybrid-vsock path (AF_UNIX)
.PHONY: test-migrate demo-migrate
MIGRATE_PREREQS := $(O)/test/uvmhost-uds $(O)/test/vsockexec-unix $(O)/test/uhclient $(O)/fence
test-migrate: $(MIGRATE_PREREQS)
	$(Q)O=$(O) tests/host/migrate.sh
demo-migrate: $(MIGRATE_PREREQS)
	$(Q)O=$(O) tests/host/migrate.sh --demo
TEST_STEPS += test-migrate

.PHONY: bench-uvmhost-size
BENCH_STEPS += bench-uvmhost-size
bench-uvmhost-size: $(O)/uvmhost $(O)/uvmhost-static
	@printf 'BENCH uvmhost_size %s bytes\nBENCH uvmhost_static_size %s bytes\n' \
		"$$(stat -c %s $(O)/uvmhost)" "$$(stat -c %s $(O)/uvmhost-static)"
