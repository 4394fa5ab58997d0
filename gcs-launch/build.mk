# The launch plan: pure code shared by init (boot and --dry-run) and the tests.
LAUNCH_SRCS := gcs-launch/parse.c gcs-launch/cmdline.c gcs-launch/arena.c gcs-launch/kline.c \
	gcs-launch/plan.c gcs-launch/planfmt.c gcs-launch/escape.c
LAUNCH_MUSL_OBJS := $(LAUNCH_SRCS:%.c=$(O)/musl/%.o)
LAUNCH_HOST_OBJS := $(LAUNCH_SRCS:%.c=$(O)/host/%.o)
