# vsockexec (placeholder until issue 4 lands).
VSOCKEXEC_SRCS := vsock/vsockexec.c
$(O)/vsockexec: $(VSOCKEXEC_SRCS:%.c=$(O)/musl/%.o)
	$(call musl_link,$^,)
