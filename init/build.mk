# init: PID 1 (init/) on top of the launch plan (gcs-launch/).
INIT_SRCS := init/main.c init/dryrun.c init/readfile.c init/boot.c
INIT_MUSL_OBJS := $(INIT_SRCS:%.c=$(O)/musl/%.o)
INIT_LIBS :=

$(O)/init: $(INIT_MUSL_OBJS) $(LAUNCH_MUSL_OBJS)
	$(call musl_link,$^,$(INIT_LIBS))

# The test probe and demo agent (tests/probe/probe.c), see docs/init.md.
PROBE_OBJS := $(O)/musl/tests/probe/probe.o $(O)/musl/init/readfile.o \
	$(O)/musl/gcs-launch/parse.o
$(O)/probe: $(PROBE_OBJS)
	$(call musl_link,$^,)

all: $(O)/probe
