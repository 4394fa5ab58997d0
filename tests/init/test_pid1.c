/* init/pid1.c: the loop's decisions. Signals arrive as struct signalfd_siginfo records
 * on a pipe; waitpid and kill are mocked (scripted exits, recorded kills). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "log.h"
#include "mock.h"
#include "pid1.h"

#define AGENT 100
#define SHELL 101
#define GRACE_MS 30

static int sig_pipe[2];

static int setup(void **state)
{
	(void)state;
	mock_reset();
	mock_proc = true;
	log_set_fds(-1, -1);
	return pipe(sig_pipe);
}

static int teardown(void **state)
{
	(void)state;
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	return 0;
}

static void send_sig(int sig)
{
	struct signalfd_siginfo si;

	memset(&si, 0, sizeof(si));
	si.ssi_signo = (uint32_t)sig;
	assert_int_equal(write(sig_pipe[1], &si, sizeof(si)), (ssize_t)sizeof(si));
}

static int killed(pid_t pid, int sig)
{
	for (size_t i = 0; i < mock_nkills; i++)
		if (mock_kills[i].pid == pid && mock_kills[i].sig == sig)
			return (int)i + 1;
	return 0;
}

static void test_agent_exit_ends_the_loop(void **state)
{
	(void)state;
	send_sig(SIGCHLD);
	mock_wait_push(AGENT, 0);
	/* then waitpid answers ECHILD: nothing left to end */
	pid1_run(sig_pipe[0], AGENT, 0, GRACE_MS);
	assert_int_equal(mock_nkills, 0);
}

static void test_orphans_reaped_loop_goes_on(void **state)
{
	(void)state;
	send_sig(SIGCHLD);
	for (pid_t p = 200; p < 500; p++)
		mock_wait_push(p, 0);
	mock_wait_push_none(); /* agent still running */
	send_sig(SIGCHLD);
	mock_wait_push(SHELL, 0); /* the debug shell ending does not end the system */
	mock_wait_push_none();
	send_sig(SIGCHLD);
	mock_wait_push(AGENT, 9);
	pid1_run(sig_pipe[0], AGENT, SHELL, GRACE_MS);
	assert_int_equal(mock_nkills, 0);
}

static void test_sigterm_stops_agent_then_the_rest(void **state)
{
	(void)state;
	send_sig(SIGTERM);
	mock_wait_push_none(); /* agent still there after the SIGTERM record */
	send_sig(SIGCHLD);
	mock_wait_push(AGENT, 0);
	mock_wait_push_none(); /* the loop's reap sees others alive */
	mock_wait_push_none(); /* end_rest: others still alive -> SIGTERM to all */
	/* then ECHILD: the rest went */
	pid1_run(sig_pipe[0], AGENT, 0, GRACE_MS);
	assert_int_equal(killed(AGENT, SIGTERM), 1);
	assert_int_equal(killed(-1, SIGTERM), 2);
	assert_int_equal(killed(-1, SIGKILL), 0);
}

static void test_sigint_and_sigpwr_too(void **state)
{
	(void)state;
	send_sig(SIGPWR);
	mock_wait_push_none();
	send_sig(SIGINT); /* a second stop signal does not restart the grace period */
	mock_wait_push_none();
	send_sig(SIGCHLD);
	mock_wait_push(AGENT, 0);
	pid1_run(sig_pipe[0], AGENT, 0, GRACE_MS);
	assert_int_equal(killed(AGENT, SIGTERM), 1);
	assert_int_equal(mock_nkills, 1);
}

static void test_agent_ignoring_sigterm_is_killed(void **state)
{
	(void)state;
	send_sig(SIGTERM);
	for (int i = 0; i < 64; i++)
		mock_wait_push_none(); /* nobody ever exits */
	pid1_run(sig_pipe[0], AGENT, 0, GRACE_MS);
	assert_int_equal(killed(AGENT, SIGTERM), 1);
	assert_true(killed(AGENT, SIGKILL) > 1);
	assert_true(killed(-1, SIGTERM) > killed(AGENT, SIGKILL));
	assert_true(killed(-1, SIGKILL) > killed(-1, SIGTERM));
}

/* The agent's end as logged: its raw wait status after a SIGTERM to PID 1 (stopping)
 * or without one; kmsg goes to a pipe, read back after the loop into log. */
static void run_logged(int stopping, int status, char *log, size_t size)
{
	int kmsg[2];
	ssize_t n;

	if (stopping) {
		send_sig(SIGTERM);
		mock_wait_push_none();
	}
	send_sig(SIGCHLD);
	mock_wait_push(AGENT, status);
	assert_int_equal(pipe(kmsg), 0);
	log_set_fds(kmsg[1], -1);
	pid1_run(sig_pipe[0], AGENT, 0, GRACE_MS);
	log_set_fds(-1, -1);
	close(kmsg[1]);
	n = read(kmsg[0], log, size - 1);
	close(kmsg[0]);
	assert_true(n > 0);
	log[n] = '\0';
}

static void test_stopped_agent_killed_by_sigterm_is_info(void **state)
{
	char log[1024];

	(void)state;
	run_logged(1, SIGTERM, log, sizeof(log)); /* killed by SIGTERM */
	assert_non_null(strstr(log, "<6>uvminit: agent (pid 100) killed by signal 15"));
	assert_null(strstr(log, "warning"));
}

static void test_stopped_wrapper_exit_143_is_info(void **state)
{
	char log[1024];

	(void)state;
	run_logged(1, (128 + SIGTERM) << 8, log, sizeof(log)); /* vsockexec -r's status */
	assert_non_null(strstr(log, "<6>uvminit: agent (pid 100) exited with status 143"));
	assert_null(strstr(log, "warning"));
}

static void test_unasked_sigterm_is_a_warning(void **state)
{
	char log[1024];

	(void)state;
	run_logged(0, SIGTERM, log, sizeof(log)); /* nobody asked PID 1 to stop */
	assert_non_null(strstr(log, "<4>uvminit: warning: agent (pid 100) killed by signal 15"));
}

static void test_stopped_agent_other_death_is_a_warning(void **state)
{
	char log[1024];

	(void)state;
	run_logged(1, SIGSEGV, log, sizeof(log)); /* it crashed on its way down */
	assert_non_null(strstr(log, "<4>uvminit: warning: agent (pid 100) killed by signal 11"));
}

static void test_no_agent(void **state)
{
	(void)state;
	pid1_run(sig_pipe[0], -ENOENT, 0, GRACE_MS);
	assert_int_equal(mock_nkills, 0);
}

static void test_end_rest_escalates(void **state)
{
	(void)state;
	for (int i = 0; i < 64; i++)
		mock_wait_push_none();
	pid1_end_rest(sig_pipe[0], GRACE_MS);
	assert_int_equal(killed(-1, SIGTERM), 1);
	assert_int_equal(killed(-1, SIGKILL), 2);
}

/* pid1_yield sleeps the whole time when nothing comes */
static void test_yield_sleeps(void **state)
{
	int64_t t = clock_ms();

	(void)state;
	pid1_yield(sig_pipe[0], 40);
	assert_true(clock_ms() - t >= 40);
}

/* a record that is there (the agent died at once) ends it early and is left for
 * pid1_run to read */
static void test_yield_leaves_the_record(void **state)
{
	struct signalfd_siginfo si;
	int64_t t;

	(void)state;
	send_sig(SIGCHLD);
	t = clock_ms();
	pid1_yield(sig_pipe[0], 20000);
	assert_true(clock_ms() - t < 10000);
	assert_int_equal(read(sig_pipe[0], &si, sizeof(si)), (ssize_t)sizeof(si));
	assert_int_equal(si.ssi_signo, SIGCHLD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agent_exit_ends_the_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphans_reaped_loop_goes_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_stops_agent_then_the_rest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigint_and_sigpwr_too, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_ignoring_sigterm_is_killed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stopped_agent_killed_by_sigterm_is_info, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stopped_wrapper_exit_143_is_info, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unasked_sigterm_is_a_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopped_agent_other_death_is_a_warning, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_rest_escalates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yield_sleeps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yield_leaves_the_record, setup, teardown),
	};

	return cmocka_run_group_tests_name("init/pid1", tests, NULL, NULL);
}
