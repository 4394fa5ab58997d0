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

int sys_bpf_device_cgroup_probe(int cgroup_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgroup_fd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	return syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0 ? -errno : 0;
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

void sys_default_signals(void)
{
	/* the kernel's struct sigaction; SIG_DFL needs no restorer */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} dfl = { 0 };

	for (int sig = 1; sig <= 64; sig++)
		syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)); /* KILL, STOP: EINVAL */
}

int sys_cloexec_from(unsigned int first)
{
	return syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ? -errno : 0;
}
