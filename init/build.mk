# init: PID 1 (init/) on top of the launch plan (gcs-launch/). See docs/init.md.
INIT_SRCS := init/main.c init/dryrun.c init/readfile.c init/boot.c init/log.c init/fs.c \
	init/cgroup.c init/net.c init/modules.c init/entropy.c init/spawn.c init/pid1.c \
	init/bootrec.c init/bootcon.c init/sys.c init/job.c
INIT_MUSL_OBJS := $(INIT_SRCS:%.c=$(O)/musl/%.o)
LIBNL_INC := $(LIBNL)/include/libnl3
INIT_LIBS := $(LIBNL)/lib/libnl-3.a

$(O)/musl/init/net.o: MUSL_CFLAGS += -isystem $(LIBNL_INC)

$(O)/init: $(INIT_MUSL_OBJS) $(LAUNCH_MUSL_OBJS) \
	$(TRANSPORT_VSOCK_OBJ) $(WRITE_BOUNDED_MUSL_OBJ)
	$(call musl_link,$^,$(INIT_LIBS))

# The test probe and demo agent (tests/probe/probe.c), see docs/init.md.
PROBE_OBJS := $(O)/musl/tests/probe/probe.o $(O)/musl/init/readfile.o \
	$(O)/musl/gcs-launch/parse.o $(O)/musl/gcs-launch/cmdline.o
$(O)/probe: $(PROBE_OBJS)
	$(call musl_link,$^,)

all: $(O)/probe

# --- tests -------------------------------------------------------------------------
# fence: the seccomp launcher every namespace run of build/init goes through.
$(O)/fence: $(O)/host/tests/ns/fence.o
	$(call say,LD,$@)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

.PHONY: test-ns
test-ns: $(O)/init $(O)/probe $(O)/fence
	$(Q)tests/ns/run.sh $(O)

# Unit tests (tests/init/): host clang + ASan/UBSan, cmocka, syscalls mocked at link time.
INIT_TEST_WRAPS := mount umount mkdir symlink waitpid kill sys_finit_module \
	sys_bpf_device_cgroup_probe sys_add_entropy
# init's objects the unit tests link (the host build here, the aarch64 one in tests/build.mk)
INIT_TEST_UNITS := log fs cgroup modules entropy bootrec bootcon spawn pid1 sys readfile job
INIT_TEST_OBJS := $(INIT_TEST_UNITS:%=$(O)/host/init/%.o) $(O)/host/tests/init/mock.o \
	$(WRITE_BOUNDED_HOST_OBJ) $(O)/host/gcs-launch/escape.o $(O)/host/gcs-launch/parse.o
INIT_TESTS := log fs cgroup modules entropy bootrec bootcon spawn pid1 job readfile
INIT_TEST_BINS := $(INIT_TESTS:%=$(O)/test/init_%)

$(O)/test/init_%: $(O)/host/tests/init/test_%.o $(INIT_TEST_OBJS)
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) $(INIT_TEST_WRAPS:%=-Wl,--wrap=%) -o $@ $^ -lcmocka

# net: against the kernel, in a network namespace of its own (root), with the host's
# libnl-3 (libnl-3-dev) for the message API
$(O)/host/init/net.o: HOST_CFLAGS += -isystem /usr/include/libnl3
$(O)/test/init_net: $(O)/host/tests/init/test_net.o $(O)/host/init/net.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka -lnl-3
INIT_TEST_BINS += $(O)/test/init_net

.SECONDARY: $(O)/host/init/net.o $(O)/host/tests/init/test_net.o $(INIT_TEST_OBJS) $(INIT_TESTS:%=$(O)/host/tests/init/test_%.o)

.PHONY: test-init-unit
TEST_STEPS += test-init-unit
# Prints each group's cmocka summary, or its whole output when it fails. The spawn
# test execs build/probe to see what a spawned program inherits.
test-init-unit: $(INIT_TEST_BINS) $(O)/probe
	$(Q)for t in $(INIT_TEST_BINS); do \
		out=$$(PROBE=$(O)/probe timeout 300 $$t 2>&1) || { printf '%s\n' "$$out"; exit 1; }; \
		printf '%-14s %s\n' "$${t##*/}:" "$$(printf '%s\n' "$$out" | grep -F 'PASSED')"; \
	done

# after the unit tests: the namespace test is the slower one (root only)
TEST_STEPS += test-ns

# --- bench -------------------------------------------------------------------------
.PHONY: bench-init-size
BENCH_STEPS += bench-init-size
# (ARCH=arm64 runs no bench-vsockexec: vsockexec's size is said here)
bench-init-size: $(O)/init $(O)/probe $(O)/vsockexec
	@printf 'BENCH init_size %s bytes\nBENCH probe_size %s bytes\n' \
		"$$(stat -c %s $(O)/init)" "$$(stat -c %s $(O)/probe)"
	$(if $(RUN_GUEST),@printf 'BENCH vsockexec_size %s bytes\nNOTE *_size: ARCH=%s\n' \
		"$$(stat -c %s $(O)/vsockexec)" "$(ARCH)")
