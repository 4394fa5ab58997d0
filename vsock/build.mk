# vsock/: the host transport seam and vsockexec. See docs/vsockexec.md.
#
# Transports: shipped binaries link TRANSPORT_VSOCK_OBJ only; test builds link the
# AF_UNIX one ($(O)/musl/... for static test binaries, $(O)/host/... for sanitized ones).
TRANSPORT_VSOCK_OBJ := $(O)/musl/vsock/transport_vsock.o
TRANSPORT_UNIX_MUSL_OBJ := $(O)/musl/vsock/transport_unix.o
TRANSPORT_UNIX_HOST_OBJ := $(O)/host/vsock/transport_unix.o

VSOCKEXEC_SRCS := vsock/vsockexec.c
$(O)/vsockexec: $(VSOCKEXEC_SRCS:%.c=$(O)/musl/%.o)
	$(call musl_link,$^,)
