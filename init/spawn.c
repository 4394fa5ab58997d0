#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

extern char **environ;

static __attribute__((noreturn)) void child(char *const argv[], int flags, int report)
{
	static char path[] = SPAWN_PATH;
	static char *env[] = { path, NULL };
	sigset_t none;
	int err;

	setsid();
	if (flags & SPAWN_CTTY)
		ioctl(0, TIOCSCTTY, 0);
	sys_default_signals();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sys_cloexec_from(3);
	environ = env;
	execvp(argv[0], argv);
	err = errno;
	if (write(report, &err, sizeof(err)) < 0) {
		/* the parent sees a short read and reports the exit status instead */
	}
	_exit(err == ENOENT ? 127 : 126);
}

pid_t spawn(char *const argv[], int flags)
{
	int p[2], err = 0;
	pid_t pid;
	ssize_t r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0)
		child(argv, flags, p[1]);
	close(p[1]);
	/* EOF: exec succeeded (the pipe was close-on-exec); 4 bytes: its errno */
	do
		r = read(p[0], &err, sizeof(err));
	while (r < 0 && errno == EINTR);
	close(p[0]);
	if (r == sizeof(err)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
		}
		return -err;
	}
	return pid;
}
