#include "mock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "sys.h"
#include "transport.h"

bool mock_fs, mock_proc, mock_sys;
char mock_fs_calls[MOCK_MAX][160];
size_t mock_fs_ncalls;
static struct {
	char prefix[160];
	int err;
	int once; /* 1: applies once, -1: used up */
} fs_rules[16];
static size_t fs_nrules;

static struct mock_wait waits[MOCK_MAX];
static size_t nwaits, wait_pos;
__typeof__(mock_kills) mock_kills;
size_t mock_nkills;

int mock_finit_rc[MOCK_MAX];
char mock_finit_paths[MOCK_MAX][256];
size_t mock_nfinit;
int mock_bpf_rc, mock_bpf_calls;
int mock_add_entropy_rc, mock_add_entropy_calls;
size_t mock_add_entropy_len;

int mock_connect_rc = -ECONNRESET;
uint32_t mock_connect_port;
int mock_connect_calls;

void mock_reset(void)
{
	mock_fs = mock_proc = mock_sys = false;
	mock_fs_ncalls = fs_nrules = 0;
	nwaits = wait_pos = 0;
	mock_nkills = 0;
	memset(mock_finit_rc, 0, sizeof(mock_finit_rc));
	mock_nfinit = 0;
	mock_bpf_rc = mock_bpf_calls = 0;
	mock_add_entropy_rc = mock_add_entropy_calls = 0;
	mock_add_entropy_len = 0;
	mock_connect_rc = -ECONNRESET;
	mock_connect_port = 0;
	mock_connect_calls = 0;
}

void mock_fs_fail(const char *prefix, int err)
{
	if (!err) {
		fs_nrules = 0;
		return;
	}
	if (fs_nrules < sizeof(fs_rules) / sizeof(fs_rules[0])) {
		snprintf(fs_rules[fs_nrules].prefix, sizeof(fs_rules[0].prefix), "%s", prefix);
		fs_rules[fs_nrules].once = 0;
		fs_rules[fs_nrules++].err = err;
	}
}

void mock_fs_fail_once(const char *prefix, int err)
{
	mock_fs_fail(prefix, err);
	if (fs_nrules)
		fs_rules[fs_nrules - 1].once = 1;
}

__attribute__((format(printf, 1, 2))) static int fs_call(const char *fmt, ...)
{
	char *rec = mock_fs_calls[mock_fs_ncalls < MOCK_MAX ? mock_fs_ncalls : MOCK_MAX - 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rec, sizeof(mock_fs_calls[0]), fmt, ap);
	va_end(ap);
	if (mock_fs_ncalls < MOCK_MAX)
		mock_fs_ncalls++;
	for (size_t i = 0; i < fs_nrules; i++) {
		if (fs_rules[i].once >= 0 &&
		    !strncmp(rec, fs_rules[i].prefix, strlen(fs_rules[i].prefix))) {
			if (fs_rules[i].once)
				fs_rules[i].once = -1;
			errno = fs_rules[i].err;
			return -1;
		}
	}
	return 0;
}

int __real_mount(const char *, const char *, const char *, unsigned long, const void *);
int __wrap_mount(const char *, const char *, const char *, unsigned long, const void *);
int __wrap_mount(const char *src, const char *target, const char *type, unsigned long flags,
		 const void *data)
{
	if (!mock_fs)
		return __real_mount(src, target, type, flags, data);
	return fs_call("mount %s %s", target, type);
}

int __real_umount(const char *);
int __wrap_umount(const char *);
int __wrap_umount(const char *target)
{
	if (!mock_fs)
		return __real_umount(target);
	return fs_call("umount %s", target);
}

int __real_mkdir(const char *, mode_t);
int __wrap_mkdir(const char *, mode_t);
int __wrap_mkdir(const char *path, mode_t mode)
{
	if (!mock_fs)
		return __real_mkdir(path, mode);
	return fs_call("mkdir %s", path);
}

int __real_symlink(const char *, const char *);
int __wrap_symlink(const char *, const char *);
int __wrap_symlink(const char *to, const char *path)
{
	if (!mock_fs)
		return __real_symlink(to, path);
	return fs_call("symlink %s", path);
}

void mock_wait_push(pid_t pid, int status)
{
	if (nwaits < MOCK_MAX)
		waits[nwaits++] = (struct mock_wait){ pid, status, 0 };
}

void mock_wait_push_none(void)
{
	mock_wait_push(0, 0);
}

pid_t __real_waitpid(pid_t, int *, int);
pid_t __wrap_waitpid(pid_t, int *, int);
pid_t __wrap_waitpid(pid_t pid, int *status, int options)
{
	if (!mock_proc)
		return __real_waitpid(pid, status, options);
	if (wait_pos == nwaits) {
		errno = ECHILD;
		return -1;
	}
	if (status)
		*status = waits[wait_pos].status;
	return waits[wait_pos++].pid;
}

int __real_kill(pid_t, int);
int __wrap_kill(pid_t, int);
int __wrap_kill(pid_t pid, int sig)
{
	if (!mock_proc)
		return __real_kill(pid, sig);
	if (mock_nkills < MOCK_MAX) {
		mock_kills[mock_nkills].pid = pid;
		mock_kills[mock_nkills++].sig = sig;
	}
	return 0;
}

int __real_sys_finit_module(int, const char *);
int __wrap_sys_finit_module(int, const char *);
int __wrap_sys_finit_module(int fd, const char *params)
{
	char link[64];
	ssize_t n;

	if (!mock_sys)
		return __real_sys_finit_module(fd, params);
	if (mock_nfinit == MOCK_MAX)
		return -ENOSPC;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, mock_finit_paths[mock_nfinit], sizeof(mock_finit_paths[0]) - 1);
	mock_finit_paths[mock_nfinit][n < 0 ? 0 : n] = '\0';
	return mock_finit_rc[mock_nfinit++];
}

int __real_sys_bpf_device_cgroup_probe(int);
int __wrap_sys_bpf_device_cgroup_probe(int);
int __wrap_sys_bpf_device_cgroup_probe(int fd)
{
	if (!mock_sys)
		return __real_sys_bpf_device_cgroup_probe(fd);
	mock_bpf_calls++;
	return mock_bpf_rc;
}

int __real_sys_add_entropy(int, struct entropy_pool *, size_t);
int __wrap_sys_add_entropy(int, struct entropy_pool *, size_t);
int __wrap_sys_add_entropy(int fd, struct entropy_pool *pool, size_t len)
{
	if (!mock_sys)
		return __real_sys_add_entropy(fd, pool, len);
	mock_add_entropy_calls++;
	mock_add_entropy_len = len;
	return mock_add_entropy_rc;
}

int transport_connect(uint32_t cid, uint32_t port, int timeout_ms)
{
	(void)cid;
	(void)timeout_ms;
	mock_connect_calls++;
	mock_connect_port = port;
	return mock_connect_rc;
}

/* the split connect entropy_begin/finish use: connected at once, or the mocked error */
int transport_connect_start(uint32_t cid, uint32_t port, int *pending)
{
	*pending = 0;
	return transport_connect(cid, port, 0);
}

int transport_connect_wait(int fd, int64_t deadline)
{
	(void)fd;
	(void)deadline;
	return 0;
}

ssize_t mock_fs_find(const char *rec)
{
	for (size_t i = 0; i < mock_fs_ncalls; i++)
		if (!strcmp(mock_fs_calls[i], rec))
			return (ssize_t)i;
	return -1;
}

size_t mock_fs_count(const char *rec)
{
	size_t n = 0;

	for (size_t i = 0; i < mock_fs_ncalls; i++)
		n += !strcmp(mock_fs_calls[i], rec);
	return n;
}

int mock_kmsg[2] = { -1, -1 }, mock_con[2] = { -1, -1 };

int mock_log_pipes_setup(void **state)
{
	(void)state;
	if (pipe2(mock_kmsg, O_NONBLOCK) || pipe2(mock_con, O_NONBLOCK))
		return -1;
	log_set_fds(mock_kmsg[1], mock_con[1]);
	return 0;
}

int mock_log_pipes_teardown(void **state)
{
	(void)state;
	log_set_fds(-1, -1);
	for (int i = 0; i < 2; i++) {
		close(mock_kmsg[i]);
		close(mock_con[i]);
	}
	return 0;
}

const char *mock_drain(int fd)
{
	static char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}
