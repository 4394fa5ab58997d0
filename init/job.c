#include "job.h"
#include "clock.h"
#include "log.h"
#include "rawsys.h"

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

/* JOB_SHARED: the child's stack, in PID 1's memory; one such job per process */
#define SHARED_STACK 32768
static char shared_stack[SHARED_STACK] __attribute__((aligned(16)));
static int shared_used;

struct child_start {
	job_fn *fn, *after;
	void *arg;
	const char *name;
	int wfd;
};

/* A job's child, forked or sharing PID 1's memory. PID 1 blocks its signals for its
 * signalfd; the child takes them as any process does (a failed boot's SIGTERM ends
 * it). It reports through the pipe, then runs the step's tidy-up, which no one waits
 * for, and exits. Raw calls only: errno is PID 1's when the memory is shared. It never
 * returns, but nothing says so to the compiler: a sanitizer's no-return hook would take
 * the shared stack for a corrupt one. */
static void child_run(const struct child_start *st)
{
	struct job_report rep = { 0 };
	const unsigned long none = 0;
	long status = 0;

	raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, sizeof(none), 0, 0);
	phase_begin(&rep.phase, st->name);
	rep.rc = st->fn(st->arg);
	phase_end(&rep.phase);
	if (raw_syscall(SYS_write, st->wfd, (long)&rep, sizeof(rep), 0, 0, 0) != sizeof(rep))
		status = 1;
	else if (st->after)
		st->after(st->arg);
	raw_syscall(SYS_exit_group, status, 0, 0, 0, 0, 0); /* does not return */
}

static int shared_child(void *st)
{
	child_run(st);
	return 0;
}

/* A JOB_SHARED child, or -1 when there can be none */
static pid_t start_shared(const struct child_start *st)
{
	/* the child reads it while PID 1 goes on: never written again */
	static struct child_start shared_st;

	if (!RAW_SYSCALLS || shared_used)
		return -1;
	shared_used = 1;
	shared_st = *st;
	return clone(shared_child, shared_stack + sizeof(shared_stack), CLONE_VM | SIGCHLD,
		     &shared_st);
}

void job_start(struct job *job, const char *name, job_fn *fn, job_fn *after, void *arg,
	       enum job_mode mode)
{
	int p[2];

	job->pid = 0;
	job->after = after;
	job->arg = arg;
	phase_begin(&job->phase, name);
	if (mode != JOB_IN_PLACE && pipe2(p, O_CLOEXEC) == 0) {
		const struct child_start st = { .fn = fn, .after = after, .arg = arg,
						.name = name, .wfd = p[1] };

		job->pid = mode == JOB_SHARED ? start_shared(&st) : -1;
		if (job->pid < 0)
			job->pid = fork();
		if (job->pid == 0) {
			/* its own kmsg open (the kernel's rate limit counts per open) */
			log_reopen();
			child_run(&st);
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
