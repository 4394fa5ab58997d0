#include "sys.h"

#include <errno.h>
#include <linux/bpf.h>
#include <linux/close_range.h>
#include <linux/random.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int sys_finit_module(int fd, const char *params)
{
	return syscall(SYS_finit_module, fd, params, 0) < 0 ? -errno : 0;
}

int sys_bpf_device_cgroup_probe(void)
{
	/* r0 = 1; exit: "allow" */
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)prog;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

int sys_add_entropy(int fd, const void *buf, size_t len)
{
	struct rand_pool_info *info;
	int rc = 0;

	info = malloc(sizeof(*info) + len);
	if (!info)
		return -ENOMEM;
	info->entropy_count = (int)(len * 8);
	info->buf_size = (int)len;
	memcpy(info->buf, buf, len);
	if (ioctl(fd, RNDADDENTROPY, info) < 0)
		rc = -errno;
	free(info);
	return rc;
}

int sys_cloexec_from(unsigned int first)
{
	return syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ? -errno : 0;
}
