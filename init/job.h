/* A setup step run beside the rest of the boot: in a child process when there is more
 * than one CPU to run it on, else in place (on one CPU a child only adds a fork). The
 * step's int result, its phase and (when asked) what it wrote into its argument come
 * back to PID 1 through a close-on-exec pipe. */
#ifndef UVMINIT_JOB_H
#define UVMINIT_JOB_H

#include <sys/types.h>

#include "bootrec.h"

typedef int job_fn(void *arg);

/* The most of its argument a job sends back (one pipe write stays atomic) */
#define JOB_ARG_MAX 512

struct job {
	pid_t pid;  /* 0: done in place, result holds the outcome */
	int fd;     /* read end of the result pipe */
	void *arg;  /* fn's argument, and arg_size bytes of it come back from the child */
	size_t arg_size;
	int result;
	struct phase phase; /* where and when fn ran, once finished */
};

/* Runs fn(arg) in a child when async, else in place, as the phase called name. When
 * the pipe or the fork fails, it runs in place too: the step is done either way.
 * arg_size (at most JOB_ARG_MAX): how much of *arg the child's fn may fill in for the
 * caller; job_finish copies it back (0: nothing comes back). */
void job_start(struct job *job, const char *name, job_fn *fn, void *arg, size_t arg_size,
	       int async);
/* Waits for the child, at most timeout_ms (< 0: no limit), and reaps it. Returns fn's
 * result (and fills job->phase and the argument's bytes), or vanished when the child ended without reporting one or did not report
 * in time (then it is sent SIGKILL and left to whoever reaps orphans: PID 1's loop). */
int job_finish(struct job *job, int vanished, int timeout_ms);
/* The number of CPUs this process may run on (1 when unknown). */
int cpus_usable(void);

#endif
