/* The agent is started with a vfork-style clone (CLONE_VM | CLONE_VFORK): no copy of
 * PID 1's page tables and no copy-on-write faults afterwards, and PID 1 sleeps until
 * the child has exec'd or failed. The child shares PID 1's memory, so it writes
 * nothing PID 1 owns (not even environ) but the errno report, and calls only raw
 * syscalls; its own signal table (no CLONE_SIGHAND), mask and session are its own. */
#include "spawn.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

#define SPAWN_STACK 16384
#define NAME_LEN 256

struct spawn_req {
	char *const *argv;
	int flags;
	volatile int err; /* the exec's errno, written by the child when it fails */
};

/* execvp's search, over SPAWN_PATH only: a name with a slash is exec'd as is. */
static int exec_searched(char *const argv[], char *const envp[])
{
	const char *name = argv[0], *dir = &SPAWN_PATH[sizeof("PATH=") - 1];
	size_t n = strlen(name);
	char path[sizeof(SPAWN_PATH) + NAME_LEN];
	int err = ENOENT;

	if (strchr(name, '/')) {
		execve(name, argv, envp);
		return errno;
	}
	if (!n || n >= NAME_LEN)
		return ENOENT;
	for (;;) {
		size_t d = strcspn(dir, ":");

		memcpy(path, dir, d);
		path[d] = '/';
		memcpy(path + d + 1, name, n + 1);
		execve(path, argv, envp);
		if (errno == EACCES)
			err = EACCES; /* execvp's rule: remembered, the search goes on */
		else if (errno != ENOENT && errno != ENOTDIR)
			return errno;
		if (!dir[d])
			return err;
		dir += d + 1;
	}
}

static int child(void *arg)
{
	static char path[] = SPAWN_PATH;
	static char *const env[] = { path, NULL };
	struct spawn_req *req = arg;
	sigset_t none;

	setsid();
	if (req->flags & SPAWN_CTTY)
		ioctl(0, TIOCSCTTY, 0);
	sys_default_signals();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sys_cloexec_from(3);
	req->err = exec_searched(req->argv, env);
	_exit(req->err == ENOENT ? 127 : 126);
}

pid_t spawn(char *const argv[], int flags)
{
	struct spawn_req req = { .argv = argv, .flags = flags, .err = 0 };
	char stack[SPAWN_STACK] __attribute__((aligned(16)));
	pid_t pid;

	pid = clone(child, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, &req);
	if (pid < 0)
		return -errno;
	/* back here once the child has exec'd (err still 0) or given up */
	if (req.err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
		}
		return -req.err;
	}
	return pid;
}
