# init: PID 1 (init/) on top of the launch plan (gcs-launch/). See docs/init.md.
INIT_SRCS := init/main.c init/dryrun.c init/readfile.c init/boot.c init/log.c init/fs.c \
	init/cgroup.c init/net.c init/modules.c init/entropy.c init/spawn.c init/pid1.c \
	init/bootrec.c init/sys.c
INIT_MUSL_OBJS := $(INIT_SRCS:%.c=$(O)/musl/%.o)
LIBNL_INC := $(LIBNL)/include/libnl3
INIT_LIBS := $(LIBNL)/lib/libnl-3.a

$(O)/musl/init/net.o: MUSL_CFLAGS += -isystem $(LIBNL_INC)

$(O)/init: $(INIT_MUSL_OBJS) $(LAUNCH_MUSL_OBJS) \
	$(O)/musl/vsock/transport_vsock.o
	$(call musl_link,$^,$(INIT_LIBS))

# The test probe and demo agent (tests/probe/probe.c), see docs/init.md.
PROBE_OBJS := $(O)/musl/tests/probe/probe.o $(O)/musl/init/readfile.o \
	$(O)/musl/gcs-launch/parse.o
$(O)/probe: $(PROBE_OBJS)
	$(call musl_link,$^,)

all: $(O)/probe

# --- tests -------------------------------------------------------------------------
# fence: the seccomp launcher every namespace run of build/init goes through.
$(O)/fence: $(O)/host/tests/ns/fence.o
	$(call say,LD,$@)
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

.PHONY: test-ns
TEST_STEPS += test-ns
test-ns: $(O)/init $(O)/probe $(O)/fence
	$(Q)tests/ns/run.sh $(O)
