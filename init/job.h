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
	job_fn *after; /* the step's tidy-up, off the boot's path (see job_after) */
	void *arg;
	struct phase phase; /* where and when fn ran, once finished */
};

enum job_mode {
	JOB_IN_PLACE, /* here, now */
	JOB_CHILD,    /* a forked child: any code */
	/* a child sharing this process's memory (CLONE_VM, a stack of its own): no page
	 * tables copied, no copy-on-write faults after, an exit with nothing to tear down.
	 * fn and after may then write only memory this process leaves alone while the
	 * child runs (their stack, a variable of their own), and use raw syscalls only
	 * (init/rawsys.h: errno is this process's), no allocation, no logging. One such
	 * job per process; a second one, an architecture without raw syscalls or a
	 * clone the kernel refuses gets JOB_CHILD. */
	JOB_SHARED,
};

/* Runs fn(arg) in a child (JOB_CHILD, JOB_SHARED) or in place, as the phase called
 * name. When the pipe or the fork fails, it runs in place too: the step is done either
 * way.
 * after(arg) (or NULL) is what the step leaves for later (closing what fn left open):
 * a child runs it after its report, so no one waits for it; in place it waits for
 * job_after. */
void job_start(struct job *job, const char *name, job_fn *fn, job_fn *after, void *arg,
	       enum job_mode mode);
/* Waits for the child's report, at most timeout_ms (< 0: no limit). Returns fn's
 * result (and fills job->phase), or vanished when the child ended without reporting
 * one or did not report in time (then it is sent SIGKILL). The report is what is waited
 * for, not the child's exit: a child that has exited is reaped here, one still running
 * its after() or exiting is left to the caller's reaper (PID 1's loop reaps every
 * child), so the child's tidy-up and exit are never on the caller's path. */
int job_finish(struct job *job, int vanished, int timeout_ms);
/* Runs the step's after(arg) when the step ran in place (a child ran its own). */
void job_after(struct job *job);
/* The number of CPUs this process may run on (1 when unknown). */
int cpus_usable(void);

#endif
