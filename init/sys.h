/* Raw syscalls libc does not wrap, one small job each, kept in their own object so
 * that unit tests can replace them with -Wl,--wrap. Each returns 0 (or an fd) or -errno. */
#ifndef UVMINIT_SYS_H
#define UVMINIT_SYS_H

#include <stddef.h>

int sys_finit_module(int fd, const char *params);
/* Queries the BPF_CGROUP_DEVICE programs attached to the cgroup (v2) directory fd:
 * 0 when the kernel can control devices on v2 (CONFIG_CGROUP_BPF), else -EINVAL.
 * A query, not a program load: no verifier, no JIT (a load costs ~9 ms under TCG). */
int sys_bpf_device_cgroup_probe(int cgroup_fd);
/* RNDADDENTROPY's argument (struct rand_pool_info) with room for the bytes, so they are
 * read in place: no copy, no allocation on the boot path. */
#define ENTROPY_POOL_MAX 4096
struct entropy_pool {
	int entropy_count;
	int buf_size;
	unsigned char bytes[ENTROPY_POOL_MAX];
};
/* Credits the first len bytes of pool (len * 8 bits) to the kernel's pool through fd
 * (/dev/random). */
int sys_add_entropy(int fd, struct entropy_pool *pool, size_t len);
/* Sets every signal's disposition to SIG_DFL, through the raw syscall: libc refuses to
 * touch the signals it reserves (32, 33 in glibc), which a parent may have ignored. */
void sys_default_signals(void);
/* Marks every fd >= first close-on-exec (close_range); for a child before exec. */
int sys_cloexec_from(unsigned int first);

#endif
