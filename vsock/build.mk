# vsock/: the host transport seam and vsockexec. See docs/vsockexec.md.
#
# Transports: shipped binaries link TRANSPORT_VSOCK_OBJ only; test builds link the
# AF_UNIX one ($(O)/musl/... for static test binaries, $(O)/host/... for sanitized ones).
TRANSPORT_VSOCK_OBJ := $(O)/musl/vsock/transport_vsock.o $(O)/musl/vsock/connect_bounded.o
TRANSPORT_UNIX_MUSL_OBJ := $(O)/musl/vsock/transport_unix.o $(O)/musl/vsock/connect_bounded.o
TRANSPORT_UNIX_HOST_OBJ := $(O)/host/vsock/transport_unix.o $(O)/host/vsock/connect_bounded.o

# bounded writes to a full terminal or pipe: vsockexec's warnings and init's log lines
# (and the small snprintf they format with, gcs-launch/fmt.c: no floating point linked in)
WRITE_BOUNDED_MUSL_OBJ := $(O)/musl/vsock/write_bounded.o $(O)/musl/gcs-launch/fmt.o
WRITE_BOUNDED_HOST_OBJ := $(O)/host/vsock/write_bounded.o $(O)/host/gcs-launch/fmt.o

VSOCKEXEC_SRCS := vsock/vsockexec.c vsock/args.c vsock/relay.c vsock/backlog.c vsock/ring.c \
	vsock/vxlog.c vsock/write_bounded.c
VSOCKEXEC_MUSL_OBJS := $(VSOCKEXEC_SRCS:%.c=$(O)/musl/%.o) $(O)/musl/gcs-launch/parse.o \
	$(O)/musl/gcs-launch/fmt.o

# the shipped binary: AF_VSOCK only
$(O)/vsockexec: $(VSOCKEXEC_MUSL_OBJS) $(TRANSPORT_VSOCK_OBJ)
	$(call musl_link,$^,)

# the test build: the same objects over AF_UNIX ($UVMINIT_TEST_UDS_PORT: hybrid vsock)
$(O)/test/vsockexec-unix: $(VSOCKEXEC_MUSL_OBJS) $(TRANSPORT_UNIX_MUSL_OBJ)
	$(call musl_link,$^,)

# host tests (clang, ASan/UBSan)
$(O)/test/test_vsock_ring: $(O)/host/tests/vsockexec/test_ring.o $(O)/host/vsock/ring.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

# the backlog's drop lines against a host that takes a few bytes at a time (send wrapped)
$(O)/test/test_vsock_backlog: $(O)/host/tests/vsockexec/test_backlog.o $(O)/host/vsock/backlog.o \
		$(O)/host/vsock/ring.o $(O)/host/gcs-launch/fmt.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -Wl,--wrap=send -o $@ $^ -lcmocka

$(O)/test/test_vsock_args: $(O)/host/tests/vsockexec/test_args.o $(O)/host/vsock/args.o \
		$(O)/host/gcs-launch/parse.o $(O)/host/gcs-launch/fmt.o
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ -lcmocka

# the driver runs its own binary as the test program, which must be able to die of
# SIGSEGV and friends: no sanitizers here
$(O)/test/vxtest: tests/vsockexec/vxtest.c tests/dropline.h tests/writeall.h
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(PROJECT_CFLAGS) -g -O1 $(CFLAGS) -o $@ $<

$(O)/test/vxbench: tests/vsockexec/vxbench.c
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(PROJECT_CFLAGS) -O2 $(CFLAGS) -o $@ $<

VSOCKEXEC_TESTS := $(O)/test/test_vsock_ring $(O)/test/test_vsock_backlog $(O)/test/test_vsock_args $(O)/test/vxtest \
	$(O)/test/vsockexec-unix

.PHONY: test-vsockexec bench-vsockexec
test-vsockexec: $(VSOCKEXEC_TESTS) $(O)/vsockexec
	$(Q)timeout 300 $(O)/test/test_vsock_ring
	$(Q)timeout 300 $(O)/test/test_vsock_backlog
	$(Q)timeout 300 $(O)/test/test_vsock_args
	$(Q)$(O)/test/vxtest $(O)/test/vsockexec-unix
	$(Q)tests/vsockexec/shipped.sh $(O)/vsockexec

# N rounds (make bench N=...) of three write sizes: 4 KiB, as a logging agent writes lines; 16 KiB, where direct mode
# is fastest; 128 KiB, bulk
bench-vsockexec: $(O)/test/vxbench $(O)/test/vsockexec-unix $(O)/vsockexec
	$(Q)$(O)/test/vxbench $(O)/test/vsockexec-unix 1024 $(N) 4096
	$(Q)$(O)/test/vxbench $(O)/test/vsockexec-unix 1024 $(N) 16384
	$(Q)$(O)/test/vxbench $(O)/test/vsockexec-unix 1024 $(N) 131072
	@printf 'BENCH vsockexec_size %s bytes\n' "$$(stat -c %s $(O)/vsockexec)"

TEST_STEPS += test-vsockexec
BENCH_STEPS += bench-vsockexec

# libFuzzer target for the option parser, run by `make fuzz` and the smoke run of
# `make test` (tests/build.mk)
$(O)/fuzz/fuzz_vsockexec_args: tests/fuzz/fuzz_vsockexec_args.c vsock/args.c gcs-launch/parse.c \
		gcs-launch/fmt.c | deps
	$(call say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^
