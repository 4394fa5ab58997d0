# init: PID 1 (init/) on top of the launch plan (gcs-launch/).
INIT_SRCS := init/main.c init/dryrun.c init/readfile.c init/boot.c
INIT_MUSL_OBJS := $(INIT_SRCS:%.c=$(O)/musl/%.o)
INIT_LIBS :=

$(O)/init: $(INIT_MUSL_OBJS) $(LAUNCH_MUSL_OBJS)
	$(call musl_link,$^,$(INIT_LIBS))
