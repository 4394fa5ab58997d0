#include "job.h"
#include "clock.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int cpus_usable(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return CPU_COUNT(&set);
}

void job_start(struct job *job, job_fn *fn, void *arg, int async)
{
	int p[2];

	job->pid = 0;
	if (async && pipe2(p, O_CLOEXEC) == 0) {
		job->pid = fork();
		if (job->pid == 0) {
			sigset_t none;
			int rc;

			/* PID 1 blocks its signals for its signalfd; the child takes them
			 * as any process does (a failed boot's SIGTERM ends it), and logs
			 * through a kmsg open of its own (the kernel's rate limit counts
			 * per open) */
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			log_reopen();
			rc = fn(arg);

			_exit(write(p[1], &rc, sizeof(rc)) == sizeof(rc) ? 0 : 1);
		}
		close(p[1]);
		if (job->pid > 0) {
			job->fd = p[0];
			return;
		}
		close(p[0]);
		job->pid = 0;
	}
	job->result = fn(arg);
}

int job_finish(struct job *job, int vanished, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;
	struct pollfd p = { .fd = job->fd, .events = POLLIN };
	int rc = vanished, n;
	ssize_t r;

	if (!job->pid)
		return job->result;
	while ((n = poll(&p, 1, clock_left_ms(deadline))) < 0 && errno == EINTR) {
	}
	if (n == 0) {
		/* a step stuck in the kernel must not hold the boot: go on without it */
		close(job->fd);
		kill(job->pid, SIGKILL);
		return vanished;
	}
	do
		r = read(job->fd, &rc, sizeof(rc));
	while (r < 0 && errno == EINTR);
	if (r != sizeof(rc))
		rc = vanished;
	close(job->fd);
	while (waitpid(job->pid, NULL, 0) < 0 && errno == EINTR) {
	}
	return rc;
}
