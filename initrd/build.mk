# initrd/: the initrd builder (scripts/mkinitrd + initrd/mkcpio.c), the test kernel
# (scripts/kernel), the qemu boot harness (scripts/qemu-boot), the in-guest test host
# (tests/guest/) and the boot scenario suite (tests/boot/). See docs/boot.md.

KERNEL_DIR := $(O)/kernel
KERNEL := $(KERNEL_DIR)/vmlinuz

# In-guest test programs: static musl, they run only inside the qemu guest. testhost
# listens through uvmhost's vsock seam (host/hostvsock.c), the product's code, not a copy.
$(O)/testhost: $(O)/musl/tests/guest/testhost.o $(O)/musl/tests/guest/say.o \
		$(O)/musl/gcs-launch/parse.o $(O)/musl/gcs-launch/cmdline.o $(O)/musl/host/hostvsock.o
	$(call musl_link,$^,)
$(O)/testinit: $(O)/musl/tests/guest/testinit.o $(O)/musl/tests/guest/say.o \
		$(O)/musl/init/readfile.o $(O)/musl/init/modules.o $(O)/musl/init/sys.o \
		$(O)/musl/init/log.o $(WRITE_BOUNDED_MUSL_OBJ) $(O)/musl/gcs-launch/cmdline.o
	$(call musl_link,$^,)

.PHONY: kernel initrd boot test-initrd test-boot test-boot-report bench-boot bench-initrd bench-relay
kernel: $(KERNEL)
$(KERNEL): scripts/kernel | deps
	$(call say,KERNEL,$@)
	$(Q)scripts/kernel -o $(KERNEL_DIR)
	$(Q)touch $@

# The project image: the defaults plus the in-guest test programs (never run unless
# booted with rdinit=/bin/testinit).
INITRD_INPUTS := $(O)/init $(O)/vsockexec $(O)/probe $(O)/testinit $(O)/testhost \
	$(O)/uvmhost-static $(KERNEL) \
	scripts/mkinitrd initrd/mkcpio.c
INITRD_TEST_ADDS := --add $(O)/testinit:/bin/testinit --add $(O)/testhost:/bin/testhost \
	--add $(O)/uvmhost-static:/bin/uvmhost
initrd: $(O)/initrd.img
$(O)/initrd.img: $(INITRD_INPUTS)
	$(call say,INITRD,$@)
	$(Q)O=$(O) scripts/mkinitrd -o $@ $(INITRD_TEST_ADDS)

BOOT_PREREQS := $(O)/initrd.img $(KERNEL)

# Drop-ins for an image built elsewhere (docs/image.md): our two binaries only, as a
# newc cpio to append to an initrd and as a tar layer (hcsshim's bootfiles flow).
OVERLAY_INPUTS := $(O)/init $(O)/vsockexec scripts/mkinitrd initrd/mkcpio.c
.PHONY: overlay delta
overlay: $(O)/uvminit-overlay.cpio.gz
delta: $(O)/uvminit-delta.tar.gz
$(O)/uvminit-overlay.cpio.gz: $(OVERLAY_INPUTS)
	$(call say,OVERLAY,$@)
	$(Q)O=$(O) scripts/mkinitrd --overlay -o $@
$(O)/uvminit-delta.tar.gz: $(OVERLAY_INPUTS)
	$(call say,DELTA,$@)
	$(Q)O=$(O) scripts/mkinitrd --delta -o $@

# Both drop-ins booted in images made without mkinitrd (tests/boot/foreign.sh).
.PHONY: test-foreign
test-foreign: all $(O)/probe $(KERNEL) $(O)/uvminit-overlay.cpio.gz $(O)/uvminit-delta.tar.gz
	$(Q)O=$(O) tests/boot/foreign.sh

# The main job: build everything, boot the demo UVM with the in-guest host, report.
# MIGRATABLE=1|0 sets uvminit.migratable (absent: verbatim mode); POD=FILE boots with
# `uvmctl plan`'s command line for that pod (host/).
boot: all $(BOOT_PREREQS)
	$(Q)O=$(O) scripts/boot-report $(if $(MIGRATABLE),--migratable $(MIGRATABLE)) \
		$(if $(POD),--pod $(POD))

test-initrd: $(INITRD_INPUTS)
	$(Q)O=$(O) tests/boot/initrd.sh

# ARCH=arm64: the arm64 set (tests/boot/run.sh, docs/arm64.md), BOOT_SET=all for every scenario
test-boot: all $(BOOT_PREREQS)
	$(Q)O=$(O) RUN_GUEST=$(RUN_GUEST) tests/boot/run.sh

# the main job's report: three boots (init gives up, the agent fails, a clean one)
test-boot-report: all $(BOOT_PREREQS)
	$(Q)O=$(O) tests/boot/report.sh

bench-initrd: $(INITRD_INPUTS)
	$(Q)O=$(O) scripts/bench-initrd $(INITRD_TEST_ADDS)

bench-boot: all $(BOOT_PREREQS)
	$(Q)O=$(O) N=$(N) scripts/bench-boot

# vsockexec direct and relayed over vsock, in the guest (see scripts/bench-relay)
bench-relay: all $(BOOT_PREREQS)
	$(Q)O=$(O) N=$(N) scripts/bench-relay

# qemu-boot's ACCEL and QEMU_EXTRA reach qemu (a stand-in qemu; nothing boots)
.PHONY: test-harness
test-harness:
	$(Q)tests/boot/harness.sh

TEST_STEPS += test-harness test-initrd test-boot test-boot-report test-foreign

BENCH_STEPS += bench-initrd bench-boot bench-relay

# The benchmark's yardstick (tests/bench/limit-init.c): only booted by bench-boot.
$(O)/limit-init: $(O)/musl/tests/bench/limit-init.o
	$(call musl_link,$^,)
bench-boot: $(O)/limit-init
