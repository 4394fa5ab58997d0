#include "sys.h"

#include <errno.h>
#include <linux/bpf.h>
#include <linux/close_range.h>
#include <linux/random.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksig.h"

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

_Static_assert(offsetof(struct entropy_pool, bytes) == sizeof(struct rand_pool_info),
	       "struct entropy_pool is rand_pool_info with its bytes");
_Static_assert(offsetof(struct entropy_pool, buf_size) == offsetof(struct rand_pool_info, buf_size),
	       "struct entropy_pool is rand_pool_info with its bytes");

int sys_add_entropy(int fd, struct entropy_pool *pool, size_t len)
{
	if (len > sizeof(pool->bytes))
		return -EINVAL;
	pool->entropy_count = (int)(len * 8);
	pool->buf_size = (int)len;
	return ioctl(fd, RNDADDENTROPY, pool) < 0 ? -errno : 0;
}

void sys_default_signals(void)
{
	struct ksigaction dfl = { .handler = SIG_DFL };

	for (int sig = 1; sig <= 64; sig++)
		syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)); /* KILL, STOP: EINVAL */
}

int sys_cloexec_from(unsigned int first)
{
	return syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0 ? -errno : 0;
}
