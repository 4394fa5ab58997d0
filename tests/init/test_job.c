/* init/job.c: a setup step in place or in a child, its result back through the pipe,
 * a child that ends without one; the step's tidy-up after the report, which the caller
 * never waits for (the child left to the caller's reaper); and the module loader as
 * such a job (finit_module mocked), as init runs it with several CPUs. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "job.h"
#include "log.h"
#include "mock.h"
#include "modules.h"

static pid_t ran_in; /* the pid fn last ran in, as the caller sees it */
static int ran;
static int release_fd = -1, release_wr = -1, done_fd = -1; /* after_waits' pipes */
static int nafter;                         /* after_count's count */

static int step(void *arg)
{
	ran_in = getpid();
	ran++;
	return *(int *)arg;
}

/* 1 when SIGTERM is blocked where it runs */
static int step_mask(void *arg)
{
	sigset_t cur;

	(void)arg;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	return sigismember(&cur, SIGTERM);
}

static int step_hangs(void *arg)
{
	(void)arg;
	sleep(30);
	return 0;
}

static int step_vanishes(void *arg)
{
	(void)arg;
	_exit(0); /* ends without reporting */
}

static int modules_step(void *list)
{
	return modules_load(list);
}

static int setup(void **state)
{
	(void)state;
	mock_reset();
	log_set_fds(-1, -1);
	ran = 0;
	ran_in = 0;
	nafter = 0;
	return 0;
}

static void assert_no_child(void)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* job_finish reaps a child only when it has exited already: reaps what is left, as
 * PID 1's loop does, and checks that nothing but the job's child was */
static void reap_job(pid_t pid)
{
	pid_t got;

	while ((got = waitpid(-1, NULL, 0)) > 0)
		assert_int_equal(got, pid);
	assert_int_equal(errno, ECHILD);
}

static void test_in_place(void **state)
{
	struct job job;
	int want = -EPERM;

	(void)state;
	job_start(&job, "step", step, NULL, &want, JOB_IN_PLACE);
	assert_int_equal(job.pid, 0);
	assert_int_equal(ran, 1); /* done already, here */
	assert_int_equal(ran_in, getpid());
	assert_int_equal(job_finish(&job, 99, -1), -EPERM);
	/* the phase: here, named, ordered */
	assert_string_equal(job.phase.name, "step");
	assert_int_equal(job.phase.pid, getpid());
	assert_true(job.phase.end_us >= job.phase.start_us);
}

/* the child's own span comes back with its result: its pid, its start and end (after
 * the caller's job_start, before job_finish returns), its CPU time */
static int step_busy(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	for (unsigned long i = 0; i < 20000000UL; i++)
		x += i;
	return x ? 3 : 4;
}

static void test_child_phase(void **state)
{
	struct job job;
	int64_t before, after;
	pid_t child;

	(void)state;
	before = clock_us();
	job_start(&job, "busy", step_busy, NULL, NULL, JOB_CHILD);
	child = job.pid;
	assert_true(child > 0);
	assert_int_equal(job_finish(&job, 99, -1), 3);
	after = clock_us();
	assert_string_equal(job.phase.name, "busy");
	assert_int_equal(job.phase.pid, child);
	assert_true(job.phase.start_us >= before);
	assert_true(job.phase.end_us >= job.phase.start_us);
	assert_true(job.phase.end_us <= after);
	assert_true(job.phase.cpu_us > 0); /* measured in the child, where the loop ran */
	reap_job(child);
}

/* the step's tidy-up: in the child, once released through release_fd; it then says
 * so on done_fd */
static int after_waits(void *arg)
{
	char c;

	(void)arg;
	close(release_wr); /* the test's end only: a test that dies releases it too (EOF) */
	if (read(release_fd, &c, 1) != 1 || write(done_fd, "d", 1) != 1)
		_exit(3);
	return 0;
}

static int after_count(void *arg)
{
	(void)arg;
	nafter++;
	return 0;
}

/* The boot waits for the step's report, never for its tidy-up or its exit (the lo
 * child's socket close and exit sat on PID 1's path): job_finish returns while the
 * child is still in after(), and leaves that child to the caller's reaper. */
static void test_after_not_waited_for(void **state)
{
	int release[2], done[2], want = 7, st;
	struct job job;
	char c = 0;

	(void)state;
	assert_int_equal(pipe(release), 0);
	assert_int_equal(pipe(done), 0);
	release_fd = release[0];
	release_wr = release[1];
	done_fd = done[1];
	alarm(20); /* a job_finish that waits for the child's exit would hang: fail instead */
	job_start(&job, "step", step, after_waits, &want, JOB_CHILD);
	assert_true(job.pid > 0);
	assert_int_equal(job_finish(&job, 99, -1), 7);
	alarm(0);
	/* still in its tidy-up: not reaped, the caller's to reap */
	assert_int_equal(waitpid(job.pid, &st, WNOHANG), 0);
	job_after(&job); /* a no-op for a child's step: the child runs its own */
	assert_int_equal(nafter, 0);
	assert_int_equal(write(release[1], "x", 1), 1);
	assert_int_equal(waitpid(job.pid, &st, 0), job.pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(read(done[0], &c, 1), 1); /* after() ran, in the child */
	assert_int_equal(c, 'd');
	assert_int_equal(ran, 0);
	close(release[0]);
	close(release[1]);
	close(done[0]);
	close(done[1]);
	assert_no_child();
}

/* in place, after() waits for job_after: neither job_start nor job_finish runs it, and
 * it runs once */
static void test_after_in_place(void **state)
{
	struct job job;
	int want = 5;

	(void)state;
	job_start(&job, "step", step, after_count, &want, JOB_IN_PLACE);
	assert_int_equal(ran, 1);
	assert_int_equal(nafter, 0);
	assert_int_equal(job_finish(&job, 99, -1), 5);
	assert_int_equal(nafter, 0);
	job_after(&job);
	assert_int_equal(nafter, 1);
	job_after(&job);
	assert_int_equal(nafter, 1);
}

static void test_in_a_child(void **state)
{
	struct job job;
	int want = 7;

	(void)state;
	job_start(&job, "step", step, NULL, &want, JOB_CHILD);
	assert_true(job.pid > 0);
	assert_int_equal(job_finish(&job, 99, -1), 7);
	assert_int_equal(ran, 0); /* it ran in the child, not here */
	reap_job(job.pid);
	assert_int_equal(fcntl(job.fd, F_GETFD), -1); /* the pipe is closed */

	want = -ENODEV; /* negative results pass unchanged */
	job_start(&job, "step", step, NULL, &want, JOB_CHILD);
	assert_int_equal(job_finish(&job, 99, -1), -ENODEV);
	reap_job(job.pid);
}

/* PID 1 blocks SIGTERM (for its signalfd); its child job must not inherit that, or a
 * failed boot's SIGTERM would leave it running */
static void test_child_takes_signals(void **state)
{
	sigset_t term, old;
	struct job job;

	(void)state;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	job_start(&job, "step", step_mask, NULL, NULL, JOB_CHILD);
	assert_int_equal(job_finish(&job, 99, -1), 0);
	reap_job(job.pid);
	/* in place: the caller's mask, unchanged */
	job_start(&job, "step", step_mask, NULL, NULL, JOB_IN_PLACE);
	assert_int_equal(job_finish(&job, 99, -1), 1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	assert_no_child();
}

/* A child that does not report in time: job_finish returns vanished at the deadline
 * and the child is killed (a module init stuck in the kernel must not hold the boot) */
static void test_child_too_slow(void **state)
{
	struct timespec t0, t1;
	struct job job;
	int st;

	(void)state;
	job_start(&job, "step", step_hangs, NULL, NULL, JOB_CHILD);
	assert_true(job.pid > 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(job_finish(&job, -7, 100), -7);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 10); /* not the child's 30 s */
	assert_int_equal(waitpid(job.pid, &st, 0), job.pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	assert_no_child();
}

static void test_child_without_result(void **state)
{
	struct job job;

	(void)state;
	job_start(&job, "step", step_vanishes, NULL, NULL, JOB_CHILD);
	assert_true(job.pid > 0);
	assert_int_equal(job_finish(&job, -12345, -1), -12345);
	reap_job(job.pid);
}

static void test_modules_in_a_child(void **state)
{
	char dir[] = "/tmp/uvminit-job.XXXXXX", ko[64], list[64], text[200];
	struct job job;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(ko, sizeof(ko), "%s/a.ko", dir);
	snprintf(list, sizeof(list), "%s/modules", dir);
	fd = open(ko, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	fd = open(list, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	snprintf(text, sizeof(text), "%s\n%s/missing.ko\n%s\n", ko, dir, ko);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	mock_sys = true;
	mock_finit_rc[1] = -EEXIST; /* the second load of a.ko */

	job_start(&job, "step", modules_step, NULL, list, JOB_CHILD);
	assert_int_equal(job_finish(&job, -1, -1), 1); /* loaded once, counted in the child */
	assert_int_equal(mock_nfinit, 0);           /* no finit_module here */
	reap_job(job.pid);

	job_start(&job, "step", modules_step, NULL, list, JOB_IN_PLACE); /* one CPU: the same, in place */
	assert_int_equal(job_finish(&job, -1, -1), 1);
	assert_int_equal(mock_nfinit, 2);
	assert_string_equal(mock_finit_paths[0], ko);

	unlink(ko);
	unlink(list);
	rmdir(dir);
}

/* JOB_SHARED's step: where it ran, and 1 when SIGTERM is blocked there */
static int step_shared(void *arg)
{
	sigset_t cur;

	(void)arg;
	ran_in = getpid();
	ran++;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	return sigismember(&cur, SIGTERM);
}

static int exits_at_once(void *arg)
{
	(void)arg;
	return 0;
}

/* qemu-user (the aarch64 unit tests run under it) takes CLONE_VM only with a thread's
 * flags: a bare one is EINVAL there, and JOB_SHARED must then be a forked child */
static int clone_vm_works(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	pid_t pid = clone(exits_at_once, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL);

	if (pid < 0) {
		assert_int_equal(errno, EINVAL);
		return 0;
	}
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return 1;
}

/* JOB_SHARED (lo's child at boot): a process of its own in the caller's memory, so
 * what the step writes is seen here (nothing was copied); an empty signal mask there;
 * its after() there, once, after the report; its exit status 0. A second one finds
 * the stack taken and is a forked child (its writes stay its own). */
static void test_shared(void **state)
{
	sigset_t term, old;
	struct job job;
	int want = 4;

	(void)state;
	if (!clone_vm_works()) {
		print_message("CLONE_VM alone refused here (qemu-user): the fork it falls back to\n");
		job_start(&job, "shared", step, after_count, &want, JOB_SHARED);
		assert_true(job.pid > 0);
		assert_int_equal(job_finish(&job, 99, -1), 4);
		reap_job(job.pid);
		assert_int_equal(ran, 0); /* a copy's write */
		assert_int_equal(nafter, 0);
		assert_no_child();
		return;
	}
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	job_start(&job, "shared", step_shared, after_count, NULL, JOB_SHARED);
	assert_true(job.pid > 0);
	assert_int_equal(job_finish(&job, 99, -1), 0); /* SIGTERM not blocked there */
	reap_job(job.pid);
	assert_int_equal(ran, 1);          /* written there, seen here: one memory */
	assert_int_equal(ran_in, job.pid); /* by the child */
	assert_int_equal(job.phase.pid, job.pid);
	assert_string_equal(job.phase.name, "shared");
	assert_int_equal(nafter, 1);
	job_after(&job); /* the child ran it */
	assert_int_equal(nafter, 1);
	sigprocmask(SIG_SETMASK, &old, NULL);

	job_start(&job, "shared", step, NULL, &want, JOB_SHARED);
	assert_true(job.pid > 0);
	assert_int_equal(job_finish(&job, 99, -1), 4);
	reap_job(job.pid);
	assert_int_equal(ran, 1); /* a copy's write: a forked child */
	assert_no_child();
}

static void test_cpus(void **state)
{
	(void)state;
	assert_true(cpus_usable() >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_in_place, setup),
		cmocka_unit_test_setup(test_child_phase, setup),
		cmocka_unit_test_setup(test_in_a_child, setup),
		cmocka_unit_test_setup(test_after_not_waited_for, setup),
		cmocka_unit_test_setup(test_after_in_place, setup),
		cmocka_unit_test_setup(test_child_takes_signals, setup),
		cmocka_unit_test_setup(test_child_without_result, setup),
		cmocka_unit_test_setup(test_child_too_slow, setup),
		cmocka_unit_test_setup(test_modules_in_a_child, setup),
		cmocka_unit_test_setup(test_shared, setup),
		cmocka_unit_test(test_cpus),
	};

	return cmocka_run_group_tests_name("init/job", tests, NULL, NULL);
}
