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

/* what the child sends back: one write, well under PIPE_BUF */
struct job_report {
	int rc;
	struct phase phase;
};

void job_start(struct job *job, const char *name, job_fn *fn, job_fn *after, void *arg,
	       int async)
{
	int p[2];

	job->pid = 0;
	job->after = after;
	job->arg = arg;
	phase_begin(&job->phase, name);
	if (async && pipe2(p, O_CLOEXEC) == 0) {
		job->pid = fork();
		if (job->pid == 0) {
			struct job_report rep = { 0 };
			sigset_t none;

			/* PID 1 blocks its signals for its signalfd; the child takes them
			 * as any process does (a failed boot's SIGTERM ends it), and logs
			 * through a kmsg open of its own (the kernel's rate limit counts
			 * per open) */
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			log_reopen();
			phase_begin(&rep.phase, name);
			rep.rc = fn(arg);
			phase_end(&rep.phase);
			if (write(p[1], &rep, sizeof(rep)) != sizeof(rep))
				_exit(1);
			/* reported: from here on no one waits for this process */
			if (after)
				after(arg);
			_exit(0);
		}
		close(p[1]);
		if (job->pid > 0) {
			job->fd = p[0];
			/* until the child reports: its pid, from now, no CPU known */
			job->phase.pid = job->pid;
			job->phase.cpu_us = 0;
			return;
		}
		close(p[0]);
		job->pid = 0;
	}
	job->result = fn(arg);
	phase_end(&job->phase);
}

int job_finish(struct job *job, int vanished, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;
	struct pollfd p = { .fd = job->fd, .events = POLLIN };
	struct job_report rep = { .rc = vanished };
	ssize_t r;
	int n;

	if (!job->pid)
		return job->result;
	while ((n = poll(&p, 1, clock_left_ms(deadline))) < 0 && errno == EINTR) {
	}
	if (n == 0) {
		/* a step stuck in the kernel must not hold the boot: go on without it */
		close(job->fd);
		kill(job->pid, SIGKILL);
		job->phase.end_us = clock_us();
		return vanished;
	}
	do
		r = read(job->fd, &rep, sizeof(rep));
	while (r < 0 && errno == EINTR);
	if (r != sizeof(rep)) {
		rep.rc = vanished;
		job->phase.end_us = clock_us();
	} else {
		job->phase = rep.phase;
	}
	close(job->fd);
	/* the report is in; the child's tidy-up and exit (its mm torn down, fn's sockets
	 * closed: milliseconds of kernel work under TCG) are not waited for */
	waitpid(job->pid, NULL, WNOHANG);
	return rep.rc;
}

void job_after(struct job *job)
{
	if (!job->pid && job->after) {
		job->after(job->arg);
		job->after = NULL;
	}
}
