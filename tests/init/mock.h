/* Test-only mocks for init's unit tests, linked with -Wl,--wrap=NAME for each name in
 * INIT_TEST_WRAPS (init/build.mk). A mock is off until a test turns its flag on; off,
 * it calls the real function (__real_NAME). */
#ifndef UVMINIT_TEST_MOCK_H
#define UVMINIT_TEST_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MOCK_MAX 512

/* mount, umount, mkdir, symlink: recorded as "mount /dev devtmpfs", "mkdir /dev",
 * "symlink /dev/fd", "umount /sys/fs/cgroup"; they succeed unless a rule says not. */
extern bool mock_fs;
extern char mock_fs_calls[MOCK_MAX][160];
extern size_t mock_fs_ncalls;
/* The next calls whose record starts with prefix fail with err (0 clears all rules). */
void mock_fs_fail(const char *prefix, int err);
/* The same, for the next matching call only. */
void mock_fs_fail_once(const char *prefix, int err);

/* waitpid(-1, ...): answers from a script; when it runs out, -1/ECHILD. */
extern bool mock_proc;
struct mock_wait {
	pid_t pid; /* 0: nothing exited yet (WNOHANG); -1: error err */
	int status;
	int err;
};
void mock_wait_push(pid_t pid, int status);
void mock_wait_push_none(void); /* one "0" answer: children alive, none exited */
extern struct { pid_t pid; int sig; } mock_kills[MOCK_MAX];
extern size_t mock_nkills;

/* sys_* raw syscalls */
extern bool mock_sys;
extern int mock_finit_rc[MOCK_MAX]; /* per call, in order; default 0 */
extern char mock_finit_paths[MOCK_MAX][256];
extern size_t mock_nfinit;
extern int mock_bpf_rc;
extern int mock_bpf_calls;
extern int mock_add_entropy_rc;
extern size_t mock_add_entropy_len; /* length of the last credit */
extern int mock_add_entropy_calls;

/* transport_connect (always mocked: no transport is linked into the tests) */
extern int mock_connect_rc; /* an fd, or -errno */
extern uint32_t mock_connect_port;
extern int mock_connect_calls;

void mock_reset(void);

/* Index of the first recorded file-system call equal to rec, or -1. */
ssize_t mock_fs_find(const char *rec);
/* how many calls were exactly rec */
size_t mock_fs_count(const char *rec);

/* The logger's two outputs (kmsg, console) as non-blocking pipes, for the tests that
 * read what it wrote: a cmocka group's setup and teardown. */
extern int mock_kmsg[2], mock_con[2];
int mock_log_pipes_setup(void **state);
int mock_log_pipes_teardown(void **state);
/* What the pipe holds now (at most 8 KiB), as a string good until the next call. */
const char *mock_drain(int fd);

#endif
