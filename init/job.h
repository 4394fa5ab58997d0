/* A setup step run beside the rest of the boot: in a child process when there is more
 * than one CPU to run it on, else in place (on one CPU a child only adds a fork). The
 * step's int result comes back to PID 1 through a close-on-exec pipe. */
#ifndef UVMINIT_JOB_H
#define UVMINIT_JOB_H

#include <sys/types.h>

#include "bootrec.h"

typedef int job_fn(void *arg);

struct job {
	pid_t pid;  /* 0: done in place, result holds the outcome */
	int fd;     /* read end of the result pipe */
	int result;
	struct phase phase; /* where and when fn ran, once finished */
};

/* Runs fn(arg) in a child when async, else in place, as the phase called name. When
 * the pipe or the fork fails, it runs in place too: the step is done either way. */
void job_start(struct job *job, const char *name, job_fn *fn, void *arg, int async);
/* Waits for the child, at most timeout_ms (< 0: no limit), and reaps it. Returns fn's
 * result (and fills job->phase), or vanished when the child ended without reporting one or did not report
 * in time (then it is sent SIGKILL and left to whoever reaps orphans: PID 1's loop). */
int job_finish(struct job *job, int vanished, int timeout_ms);
/* The number of CPUs this process may run on (1 when unknown). */
int cpus_usable(void);

#endif
